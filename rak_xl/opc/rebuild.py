"""Susun Ulang (``regenerate``) on a package: the RAK sheet rebuilt from a ``SheetPlan``.

What the rebuild owns in the sheet part: ``sheetData``, ``mergeCells``, ``cols``,
``dimension``, the sheet view (pane, zoom), print options, margins, page setup, the page
footer and manual page breaks. Everything else the sheet holds stays as it was (sheet
protection, conditional formats, data validation, hyperlinks, pictures and shapes,
charts, form buttons, the user's notes, sparklines and other ``x14`` extensions) at the
same addresses; the cells there now hold the rebuilt table, so those that sit where the
table is are listed in the output. Two exceptions, also listed: an Excel table
(ListObject) or auto-filter over the rebuilt area would no longer match its header cells
and make Excel repair the file, so it is taken off (its cells keep their content).

Before the rebuild the sheet, unmarked, is copied to a hidden backup sheet (``RAK
(cadangan)``; a sheet of the user's with that name is never touched, another name is
picked), recognised later by a hidden sheet-scoped name ``_rak_xl_cadangan`` referring
to the sheet it backs up: the rule the buttons share (``rak_xl.backups``). Values far
from the table (left out of the grid the reader saw) are kept in their cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rak_xl.backups import (
    BACKUP_MARK,
    SheetInfo,
    backups_of,
    free_backup_name,
    mark_reference,
    marked_sheet,
)
from rak_xl.cellref import a1
from rak_xl.grid import Grid
from rak_xl.layout import SheetPlan
from rak_xl.opc import _xml as X
from rak_xl.opc.book import Book
from rak_xl.opc.formulas import explicit, shared_masters, translate
from rak_xl.opc.marking import keep_visible_active, unmark
from rak_xl.opc.planwriter import lay_out, ref_text
from rak_xl.opc.sheet import Sheet, cell_attrs, ref_box, sqref_boxes
from rak_xl.opc.workbook import SheetRef

__all__ = ["BACKUP_MARK", "rebuild"]

Box = tuple[int, int, int, int]

# Children that point into other parts (relationships): not carried into the backup copy,
# where they would share pictures, tables or controls with the original sheet.
_LINKED = {"drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture",
           "oleObjects", "controls", "webPublishItems", "tableParts", "customProperties",
           "AlternateContent"}  # fmt: skip
_REL_ID = re.compile(rb'\s[\w.\-]+:id="[^"]*"')
_XM_RANGE = re.compile(rb"<(?:[\w.\-]+:)?(?:sqref|f)>([^<]*)</")
_RANGE_ATTR = re.compile(rb'\s(?:sqref|ref)="([^"]*)"')
_KINDS = {
    "conditionalFormatting": "format bersyarat",
    "dataValidations": "validasi data",
    "hyperlinks": "tautan",
    "protectedRanges": "rentang terlindung",
    "ignoredErrors": "pengecualian galat",
    "extLst": "sparkline/format bersyarat/validasi (Excel 2010)",
}


def _backups_of(book: Book, sheet: str) -> list[SheetRef]:
    """Backups of ``sheet`` made by rak-xl (``rak_xl.backups.backups_of``)."""
    marks = {
        n.local: marked_sheet(n.text)
        for n in book.wb.defined_names()
        if n.name == BACKUP_MARK and n.local is not None
    }
    refs = book.wb.sheets()
    infos = [
        SheetInfo(r.name, r.state != "visible", r.index in marks, marks.get(r.index)) for r in refs
    ]
    ours = set(backups_of(sheet, infos))
    return [r for r in refs if r.name in ours]


# -- the backup copy ---------------------------------------------------------------------------
def _backup_xml(sheet: Sheet) -> bytes:
    copy = Sheet(sheet.file, sheet.part, sheet.dumps())
    for name in _LINKED:
        copy.remove(name)
    ext = copy.child("extLst")
    if ext is not None:  # extensions pointing at other parts (slicers ...) stay behind
        nodes = X.parse(ext)
        kept = [
            ext[n.start : n.end]
            for n in nodes[0].children
            if not _REL_ID.search(ext[n.start : n.end])
        ]
        copy.set_child(
            "extLst",
            ext[: nodes[0].open_end] + b"".join(kept) + b"</" + nodes[0].name + b">"
            if kept
            else None,
        )
    setup = copy.child("pageSetup")
    if setup is not None:  # the printer settings part is the original's
        copy.set_child("pageSetup", _REL_ID.sub(b"", setup))
    pr = copy.child("sheetPr")
    if pr is not None:  # a second sheet with the same codeName would clash with VBA
        end = pr.index(b">") + 1
        copy.set_child("sheetPr", X.set_attrs(pr[:end], {"codeName": None}) + pr[end:])
    views = copy.child("sheetViews")
    if views is not None:
        copy.set_child("sheetViews", re.sub(rb'\stabSelected="[^"]*"', b"", views))
    return copy.dumps()


def _copy_backup_links(book: Book, old: SheetRef, new: SheetRef, had_notes: bool) -> None:
    """The backup's external hyperlinks and a copy of the notes (with their own shapes)."""
    assert old.part is not None and new.part is not None
    for r in book.pkg.rels(old.part):
        if r.kind == "hyperlink" and r.external:
            book.pkg.add_rel(new.part, r.type, r.target, rid=r.id, external=True)
    if not had_notes:
        return
    book.notes(new).copy_from(book.notes(old))
    book.sheet(new, edit=True)


# -- what stays where it was: the sentences ---------------------------------------------------
def _hits(boxes: Iterable[Box], area: Box) -> list[Box]:
    r1, c1, r2, c2 = area
    return [b for b in boxes if not (b[2] < r1 or b[0] > r2 or b[3] < c1 or b[1] > c2)]


def _listing(items: list[str], most: int = 4) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" dan {len(items) - most} lainnya" if len(items) > most else "")


def _kept_in_place(sheet: Sheet, area: Box) -> list[str]:
    found: dict[str, list[Box]] = {}
    for name, raw in sheet.children:
        if name not in _KINDS:
            continue
        boxes: list[Box] = []
        for m in _RANGE_ATTR.finditer(raw):
            boxes += sqref_boxes(X.unescape(m.group(1)))
        if name == "extLst":
            for m in _XM_RANGE.finditer(raw):
                text = X.unescape(m.group(1))
                boxes += sqref_boxes(text.rpartition("!")[2] if "!" in text else text)
        hit = _hits(boxes, area)
        if hit:
            found.setdefault(_KINDS[name], []).extend(hit)
    if not found:
        return []
    parts = [f"{kind} ({_listing([ref_text(b) for b in boxes])})" for kind, boxes in found.items()]
    return [
        "Tetap di alamat semula, padahal isi selnya kini hasil susun ulang: "
        + "; ".join(parts)
        + ". Periksa apakah masih sesuai."
    ]


_ANCHOR = re.compile(
    rb"<(?:[\w.\-]+:)?from>\s*<(?:[\w.\-]+:)?col>(\d+)</(?:[\w.\-]+:)?col>.*?"
    rb"<(?:[\w.\-]+:)?row>(\d+)</(?:[\w.\-]+:)?row>",
    re.DOTALL,
)
_NAME = re.compile(rb'<(?:[\w.\-]+:)?cNvPr\b[^>]*?\sname="([^"]*)"')


def _drawings(book: Book, ref: SheetRef, area: Box) -> list[str]:
    assert ref.part is not None
    placed: list[str] = []
    for r in book.pkg.rels(ref.part):
        if r.kind != "drawing" or r.part is None:
            continue
        data = book.pkg.xml(r.part)
        for anchor in re.split(rb"<(?:[\w.\-]+:)?(?=twoCellAnchor|oneCellAnchor)", data)[1:]:
            m = _ANCHOR.search(anchor)
            if m is None:
                continue
            row, col = int(m.group(2)) + 1, int(m.group(1)) + 1
            if not _hits([(row, col, row, col)], area):
                continue
            name = _NAME.search(anchor)
            label = X.unescape(name.group(1)) if name else "objek"
            placed.append(f"{label} ({a1(row, col)})")
    if not placed:
        return []
    return [
        "Gambar, bentuk dan grafik tetap di sel tempatnya semula: "
        + _listing(placed)
        + "; geser bila perlu."
    ]


def _drop_tables(book: Book, ref: SheetRef, sheet: Sheet, area: Box) -> list[str]:
    """Tables over the rebuilt area are taken off (see the module docstring)."""
    assert ref.part is not None
    raw = sheet.child("tableParts")
    if raw is None:
        return []
    dropped, kept = [], []
    for r in book.pkg.rels(ref.part):
        if r.kind != "table" or r.part is None:
            continue
        data = book.pkg.xml(r.part)
        root = X.parse(data)[0]
        a = root.attrs()
        box = ref_box(a.get("ref", ""))
        if box is not None and _hits([box], area):
            dropped.append(f"'{a.get('displayName') or a.get('name', '')}' ({a.get('ref', '')})")
            book.pkg.remove_rel(ref.part, r.id)
            book.pkg.remove_tree(r.part)
        else:
            kept.append(r.id)
    if not dropped:
        return []
    parts = [n for n in X.parse(raw)[0].children if any(v in kept for v in n.attrs().values())]
    if parts:
        p = sheet.p
        body = b"".join(raw[n.start : n.end] for n in X.parse(raw)[0].children if n in parts)
        sheet.set_child(
            "tableParts",
            b"<"
            + p
            + b'tableParts count="'
            + str(len(parts)).encode()
            + b'">'
            + body
            + b"</"
            + p
            + b"tableParts>",
        )
    else:
        sheet.set_child("tableParts", None)
    return [
        "Tabel Excel " + _listing(dropped) + " dilepas karena susunan lembar berubah; "
        "isinya tetap ada (juga di lembar cadangan)."
    ]


# -- the new sheet part --------------------------------------------------------------------------
def _far_cells(
    sheet: Sheet, grid: Grid, plan: SheetPlan
) -> tuple[dict[tuple[int, int], bytes], list[str]]:
    """Cells holding a value outside the grid the reader saw (far away from the table),
    as they are; one the rebuilt table overwrites is named."""
    rows = range(grid.first_row, grid.last_row + 1)
    cols = range(grid.first_col, grid.last_col + 1)
    far: dict[tuple[int, int], bytes] = {}
    lost: list[str] = []
    for r, c, s, e in sheet.valued_cells():
        if r in rows and c in cols:
            continue
        if (r, c) in plan.cells and plan.cells[(r, c)].value is not None:
            lost.append(a1(r, c))
            continue
        far[(r, c)] = sheet.data[s:e]
    masters = shared_masters(sheet) if far else {}
    for pos, raw in list(far.items()):
        f = re.search(rb'<(?:[\w.\-]+:)?f\b[^>]*\bt="shared"[^>]*>', raw)
        if f is None:
            continue
        si = cell_attrs(b"<c " + f.group(0).split(None, 1)[1]).get("si", "")
        origin, text = masters.get(si, (None, ""))
        if origin is not None and origin != pos:
            far[pos] = explicit(raw, translate(text, origin, pos))
        elif origin == pos:  # its group is gone: a plain formula now
            far[pos] = explicit(raw, text)
    notes = []
    if lost:
        notes.append(
            f"Nilai di sel {_listing(lost)} tertimpa tabel yang disusun ulang; "
            "nilai aslinya ada di lembar cadangan."
        )
    return far, notes


def rebuild(book: Book, name: str, plan: SheetPlan, grid: Grid) -> list[str]:
    """Rebuild sheet ``name`` from ``plan``; the sentences saying what stayed where."""
    notices: list[str] = []
    if unmark(book, rak_sheet=name):
        notices.append(
            "Tanda temuan sebelumnya (warna, catatan rak-xl, sheet Temuan) dihapus karena "
            "letak sel berubah; jalankan validasi lagi."
        )
    for old in sorted(_backups_of(book, name), key=lambda s: -s.index):
        book.remove_sheet(old, active_fallback=name)
    ref = book.ref(name)
    assert ref is not None and ref.part is not None
    sheet = book.sheet(ref, edit=True)
    backup_xml = _backup_xml(sheet)
    had_notes = book.has_notes(ref)
    area = (1, 1, max(grid.last_row, plan.last_row), max(grid.last_col, plan.last_col))
    if had_notes:
        boxes = {r: ref_box(r) for r in book.notes(ref).refs()}
        refs = [r for r, box in boxes.items() if box is not None and _hits([box], area)]
        if refs:
            notices.append(
                "Catatan sel tetap di sel semula (" + _listing(refs) + "), padahal isi selnya "
                "kini hasil susun ulang; pindahkan bila perlu."
            )
    notices += _drawings(book, ref, area)
    notices += _kept_in_place(sheet, area)
    notices += _drop_tables(book, ref, sheet, area)
    far, lost = _far_cells(sheet, grid, plan)
    notices += lost
    for name_ in ("autoFilter", "sortState"):
        raw = sheet.child(name_)
        if raw is None:
            continue
        box = ref_box(X.attrs(raw[raw.find(b" ") : raw.find(b">")]).get("ref", ""))
        if box is None or _hits([box], area):
            sheet.set_child(name_, None)
            if name_ == "autoFilter":
                book.wb.set_defined_name("_xlnm._FilterDatabase", ref.index, None)
                notices.append(
                    "Filter otomatis di lembar ini dilepas karena susunan lembar berubah."
                )
    if sheet.child("rowBreaks") is not None or sheet.child("colBreaks") is not None:
        notices.append("Pemisah halaman manual diganti dengan pemisah halaman susunan resmi.")
    lay_out(book, ref, plan, far)
    taken = [s.name for s in book.wb.sheets()]
    backup = book.wb.add_sheet(free_backup_name(name, taken), backup_xml, "hidden")
    book.wb.set_defined_name(BACKUP_MARK, backup.index, mark_reference(name).removeprefix("="))
    _copy_backup_links(book, ref, backup, had_notes)
    book.drop_calc_chain()
    book.wb.set_full_calc()
    keep_visible_active(book, name)
    return notices
