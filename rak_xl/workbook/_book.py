"""The ``_Book`` (a checked workbook), calamine reading, Grid building, and the zip scan."""

from __future__ import annotations

import datetime as _dt
import importlib
import io
import sys
import threading
import xml.parsers.expat
import zipfile
from collections.abc import Sequence
from pathlib import Path

from rak_xl.cellref import CellValue, Merge, a1
from rak_xl.errors import NoRakTable, WorkbookUnreadable
from rak_xl.workbook._limits import FAR_COLS, FAR_ROWS, MAX_CELLS, MAX_VALUED
from rak_xl.workbook._scan import (
    _Extent,
    _local,
    _OdsScanner,
    _scan_sheet_part,
    _TooMany,
)
from rak_xl.workbook._trim import _cluster, _trim_ods_content, _trim_sheet_xml
from rak_xl.workbook._zip import _parse_part, _password, _stream

TYPE_CHECKING = False  # type checkers read it as True; no ``typing`` import before the parse
if TYPE_CHECKING:
    from typing import IO

    import python_calamine

    from rak_xl.grid import Grid
    from rak_xl.workbook._limits import Kind


# --------------------------------------------------------------------------- book


class _Book:
    """A workbook that passed the checks: which sheets it has and where their cells are.

    A plain class, like ``_Extent``: no ``dataclasses`` before calamine parses (see
    ``rak_xl.cellref``).
    """

    def __init__(self, path: Path, kind: Kind) -> None:
        self.path = path
        self.kind: Kind = kind
        self.extents: dict[str, _Extent] = {}
        self.parts: dict[str, str] = {}  # xlsx sheet name -> zip part
        self.keep: dict[str, tuple[int, int, int, int]] = {}
        self.absurd: set[str] = set()  # xlsx sheets too big even when trimmed
        self.blob: bytes | None = None  # .xls: the compound file rebuilt, far cells removed
        self.ods_merges: dict[str, list[Merge]] = {}
        # workbook.xml's sheets and defined names, read by the zip scan: which sheets are
        # our backups is told from them when first asked (``backups``).
        self.sheet_attrs: list[dict[str, str]] = []
        self.name_attrs: list[dict[str, str]] = []
        self._backups: set[str] | None = None
        self._cal: python_calamine.CalamineWorkbook | None = None

    @property
    def backups(self) -> set[str]:
        """Our hidden backup copies (``rak_xl.backups``). Told when first asked, after
        calamine's parse: ``rak_xl.backups`` imports ``dataclasses``, which the parse
        overlaps (see ``rak_xl.cellref``)."""
        if self._backups is None:
            self._backups = _backup_sheets(self.sheet_attrs, self.name_attrs)
        return self._backups

    @property
    def name(self) -> str:
        return str(self.path.absolute())  # in messages: the full path

    # sheet names --------------------------------------------------------------------
    def worksheet_names(self) -> list[str]:
        cal = self.calamine()
        order: list[tuple[str, bool]] = []
        import python_calamine as pc

        for meta in cal.sheets_metadata:
            if meta.typ == pc.SheetTypeEnum.WorkSheet:
                order.append((meta.name, meta.visible == pc.SheetVisibleEnum.Visible))
        return [n for n, vis in order if vis] + [n for n, vis in order if not vis]

    def match_sheet(self, wanted: str) -> str:
        names = self.worksheet_names()
        if wanted in names:
            return wanted
        folded = {n.strip().casefold(): n for n in names}
        found = folded.get(wanted.strip().casefold())
        if found is None:
            listed = ", ".join(names) or "(tidak ada)"
            raise NoRakTable(
                f"Sheet '{wanted}' tidak ada di file {self.name}; sheet yang ada: {listed}."
            )
        return found

    # calamine -----------------------------------------------------------------------
    def calamine(self) -> python_calamine.CalamineWorkbook:
        if self._cal is None:
            import python_calamine as pc

            try:
                if self.blob is not None:
                    self._cal = pc.CalamineWorkbook.from_filelike(io.BytesIO(self.blob))
                elif self.keep:
                    self._cal = pc.CalamineWorkbook.from_filelike(self._trimmed_copy())
                else:
                    # From bytes, not from the path: calamine picks the format by the
                    # extension from a path, and by content (as this module does) from bytes.
                    self._cal = pc.CalamineWorkbook.from_filelike(
                        io.BytesIO(self.path.read_bytes())
                    )
            except pc.PasswordError as exc:
                raise _password(self.name) from exc
            except (pc.CalamineError, OSError, ValueError) as exc:
                raise WorkbookUnreadable(
                    f"File {self.name} rusak atau tidak dapat dibaca sebagai workbook; buka di "
                    "Excel, simpan ulang sebagai .xlsx, lalu coba lagi."
                ) from exc
        return self._cal

    def grid(self, sheet: str, prefetch: Sequence[str] = ()) -> Grid:
        """The grid of ``sheet``; ``prefetch``: modules to import while calamine parses
        (see ``_parse_sheet``)."""
        ext = self.extents.get(sheet)
        if sheet in self.absurd and ext is not None:
            _refuse_absurd(self, sheet, ext)
        if ext is None and self.kind == "xlsx":
            # Not a part the pre-scan found and measured: never let calamine size it.
            raise WorkbookUnreadable(
                f"Sheet '{sheet}' di file {self.name} tersimpan dengan struktur yang tidak "
                "biasa; buka di Excel, simpan ulang sebagai .xlsx, lalu coba lagi."
            )
        if ext is not None and ext.bad_ref is not None:
            from rak_xl.cellref import bad_address

            raise WorkbookUnreadable(bad_address(self.name, sheet, ext.bad_ref, ext.bad_why))
        cal = self.calamine()
        if ext is not None and ext.cells == 0:
            from rak_xl.grid import Grid

            return Grid(rows=[], sheet=sheet)
        # Outside the try: import errors are ours. The grid module (with ``dataclasses``)
        # is imported while calamine parses.
        parsed = _parse_sheet(cal, sheet, ("rak_xl.grid", *prefetch))
        from rak_xl.grid import Grid

        try:
            if isinstance(parsed, BaseException):
                raise parsed
            cs = parsed
            data = cs.to_python(skip_empty_area=True)
            start = cs.start
            merged = cs.merged_cell_ranges or []
            if self.kind == "ods":
                merged = [
                    ((a - 1, b - 1), (c - 1, d - 1))
                    for a, b, c, d in self.ods_merges.get(sheet, [])
                ]
        except Exception as exc:  # calamine raises its own errors and PanicException
            raise WorkbookUnreadable(
                f"Sheet '{sheet}' di file {self.name} tidak dapat dibaca; buka di Excel, simpan "
                "ulang sebagai .xlsx, lalu coba lagi."
            ) from exc
        r0, c0 = (start[0] + 1, start[1] + 1) if start is not None else (1, 1)
        # calamine's "" is an empty cell; a date (calamine's choice for a midnight
        # date-formatted number) becomes a datetime so every date reaches the core alike.
        # Inline, not a function call per cell: that was a tenth of a large validate.
        rows: list[list[CellValue]] = [
            [
                None
                if v == ""
                else (_dt.datetime(v.year, v.month, v.day) if type(v) is _dt.date else v)
                for v in row
            ]
            for row in data
        ]
        if ext is not None:
            for (r, c), text in ext.errors.items():
                _put(rows, r - r0, c - c0, text)
        merges: list[Merge] = [(a + 1, b + 1, c + 1, d + 1) for (a, b), (c, d) in merged]
        return _trim(
            Grid(rows=rows, first_row=r0, first_col=c0, sheet=sheet, merges=merges),
            self.keep.get(sheet),
        )

    def _trimmed_copy(self) -> IO[bytes]:
        """The workbook with far-away cells removed from the absurd sheets (in memory)."""
        out = io.BytesIO()
        by_part = {self.parts[s]: box for s, box in self.keep.items()}
        with zipfile.ZipFile(self.path) as zf, zipfile.ZipFile(out, "w") as dst:
            for info in zf.infolist():
                if info.filename != "mimetype" and not info.filename.lower().endswith(
                    (".xml", ".rels")
                ):
                    continue  # images, vbaProject.bin ...: calamine needs none of them
                data = b"".join(_stream(zf, info, self.name))
                if self.kind == "ods" and info.filename == "content.xml":
                    data = _trim_ods_content(data, self.keep)
                elif info.filename in by_part:
                    data = _trim_sheet_xml(data, by_part[info.filename])
                dst.writestr(info.filename, data, compress_type=zipfile.ZIP_STORED)
        out.seek(0)
        return out


def _parse_sheet(
    cal: python_calamine.CalamineWorkbook, sheet: str, prefetch: Sequence[str]
) -> python_calamine.CalamineSheet | BaseException:
    """``cal.get_sheet_by_name(sheet)``, or what it raised (for the caller to raise).

    calamine releases the GIL while it parses, the longest single step of a read. Given
    ``prefetch`` (modules the caller needs next), the parse runs on a worker thread and
    the modules are imported meanwhile on this one: on a second core the two overlap.
    """
    out: list[python_calamine.CalamineSheet | BaseException] = []

    def parse() -> None:
        try:
            out.append(cal.get_sheet_by_name(sheet))
        except BaseException as exc:  # re-raised by the caller, as if raised there
            out.append(exc)

    missing = [m for m in prefetch if m not in sys.modules]
    if not missing:
        parse()
        return out[0]
    worker = threading.Thread(target=parse, name="rak-xl-calamine", daemon=True)
    worker.start()
    try:
        for module in missing:
            importlib.import_module(module)
    finally:
        worker.join()
    return out[0]


def _put(rows: list[list[CellValue]], i: int, j: int, value: CellValue) -> None:
    if i < 0 or j < 0:
        return  # outside the materialised area: calamine saw no value there either
    while len(rows) <= i:
        rows.append([])
    row = rows[i]
    if len(row) <= j:
        row.extend([None] * (j + 1 - len(row)))
    row[j] = value


def _trim(grid: Grid, box: tuple[int, int, int, int] | None) -> Grid:
    """Drop empty rows/columns at the edges; clip merges to the kept area.

    The rows are trimmed in place (the grid is the caller's fresh copy). Same result as
    looking at every cell, but emptiness is tested at C speed (``list.count``, slices) and
    only the trailing empties of each row are walked.
    """
    from rak_xl.grid import Grid

    rows = grid.rows
    for r in rows:
        if r and r[-1] is None:
            if r.count(None) == len(r):
                r.clear()
            else:
                while r[-1] is None:
                    r.pop()
    filled = [i for i, r in enumerate(rows) if r]
    if not filled:
        return Grid(rows=[], sheet=grid.sheet)
    top, bottom = filled[0], filled[-1]
    right = max([len(rows[i]) for i in filled]) - 1
    left = right
    for i in filled:
        head = rows[i][:left]
        if head.count(None) != len(head):  # a value left of the leftmost so far
            left = next(j for j, v in enumerate(head) if v is not None)
            if not left:
                break
    new = rows[top : bottom + 1]
    if left:
        new = [r[left:] for r in new]
    r0, c0 = grid.first_row + top, grid.first_col + left
    r1, c1 = r0 + len(new) - 1, c0 + right - left
    if box is not None:
        r1, c1 = max(r1, box[2]), max(c1, box[3])
    # A merge may run a little past the last value (a block merged over empty rows) and
    # is kept as is; one reaching far beyond (A1:XFD1) is clipped to the data.
    far_r, far_c = r1 + FAR_ROWS, c1 + FAR_COLS
    merges: list[Merge] = []
    for a, b, c, d in grid.merges:
        if c < r0 or a > r1 or d < c0 or b > c1:
            continue
        merges.append((a, b, c if c <= far_r else r1, d if d <= far_c else c1))
    return Grid(rows=new, first_row=r0, first_col=c0, sheet=grid.sheet, merges=merges)


# --------------------------------------------------------------------------- zip scan


def _scan_zip(zf: zipfile.ZipFile, book: _Book) -> None:
    """Stream every part once: sizes, DTD refusal, and cell extents of each sheet."""
    name = book.name
    sheet_parts: dict[str, str] = {}
    if book.kind == "xlsx":
        sheet_parts = _xlsx_sheet_parts(zf, name)
        book.sheet_attrs, book.name_attrs = _workbook_attrs(zf, name)
    ods = _OdsScanner()
    for info in zf.infolist():
        if info.is_dir():
            continue
        lower = info.filename.lower()
        if info.filename in sheet_parts:
            book.extents[sheet_parts[info.filename]] = _scan_sheet_part(zf, info, name)
            book.parts[sheet_parts[info.filename]] = info.filename
        elif book.kind == "ods" and lower == "content.xml":
            try:
                _parse_part(zf, info, name, ods.setup)
            except _TooMany as exc:
                raise WorkbookUnreadable(
                    f"File {name} terlalu besar untuk dibaca (lebih dari {MAX_CELLS} sel); "
                    "hapus isi yang tidak perlu lalu coba lagi."
                ) from exc
        elif lower.endswith((".xml", ".rels", ".vml")):
            _parse_part(zf, info, name)
        else:
            for _chunk in _stream(zf, info, name):
                pass
    if book.kind == "ods":
        book.extents.update(ods.tables)
        book.parts.update({sheet: "content.xml" for sheet in ods.tables})
        book.ods_merges = ods.merges
    _plan_trims(book)
    if book.kind == "ods" and book.absurd:
        # calamine reads every sheet of an .ods when it opens it: refuse now.
        sheet = sorted(book.absurd)[0]
        _refuse_absurd(book, sheet, book.extents[sheet])


def _plan_trims(book: _Book) -> None:
    """For each sheet whose used area is absurd, the block to keep (or mark it absurd)."""
    for sheet, ext in book.extents.items():
        if ext.area() <= MAX_CELLS:
            continue
        if ext.cells > MAX_VALUED:
            book.absurd.add(sheet)
            continue
        r0, r1 = _cluster(ext.rows, FAR_ROWS)
        c0, c1 = _cluster(ext.cols, FAR_COLS)
        if book.kind == "ods":
            r0 = c0 = 1  # ODS cells have no addresses: the kept block starts at A1
        if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_CELLS:
            book.absurd.add(sheet)  # refused when (and only when) this sheet is read
            continue
        book.keep[sheet] = (r0, c0, r1, c1)
        ext.errors = {p: t for p, t in ext.errors.items() if r0 <= p[0] <= r1 and c0 <= p[1] <= c1}


def _refuse_absurd(book: _Book, sheet: str, ext: _Extent) -> None:
    box = ext.box()
    assert box is not None
    raise WorkbookUnreadable(
        f"Sheet '{sheet}' di file {book.name} terlalu besar untuk dibaca: ada isi sampai sel "
        f"{a1(box[2], box[3])}; hapus isi yang jauh dari tabel lalu coba lagi."
    )


def _xlsx_sheet_parts(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Zip part -> sheet name, resolved the way calamine resolves them (it is calamine
    that must not be handed an unscanned part): fixed ``xl/workbook.xml`` and its rels,
    targets taken relative to ``xl/``, part names matched without regard to case."""
    actual: dict[str, str] = {}
    for n in zf.namelist():
        actual.setdefault(n.replace("\\", "/").lower(), n)

    def find(path: str) -> str | None:
        return actual.get(path.replace("\\", "/").lower())

    rels = find("xl/_rels/workbook.xml.rels")
    wb = find("xl/workbook.xml")
    if rels is None or wb is None:
        return {}
    targets = {
        r.get("Id", ""): r.get("Target", "") for r in _attrs_of(zf, rels, "Relationship", name)
    }
    parts: dict[str, str] = {}
    for sheet in _attrs_of(zf, wb, "sheet", name):
        rid = next((v for k, v in sheet.items() if _local(k) == "id" and ":" in k), "")
        target = targets.get(rid, "")
        if not target:
            continue
        if target.startswith("/xl/"):
            path = target[1:]
        elif target.startswith("xl/"):
            path = target
        else:
            path = f"xl/{target}"
        for candidate in (path, _join("xl", target)):
            part = find(candidate)
            if part is not None:
                parts[part] = sheet.get("name", "")
    return parts


def _workbook_attrs(
    zf: zipfile.ZipFile, name: str
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The attributes of workbook.xml's sheets and defined names (none without it)."""
    wb = next((n for n in zf.namelist() if n.replace("\\", "/").lower() == "xl/workbook.xml"), None)
    if wb is None:
        return [], []
    return _attrs_of(zf, wb, "sheet", name), _attrs_of(zf, wb, "definedName", name)


def _backup_sheets(sheets: list[dict[str, str]], names: list[dict[str, str]]) -> set[str]:
    """The sheets that are our backups (hidden, and marked or named as ours): a RAK sheet
    whose numbering row the user broke must not be replaced, unseen, by its old copy."""
    from rak_xl.backups import BACKUP_MARK, SheetInfo, is_backup

    marked = {d.get("localSheetId", "") for d in names if d.get("name") == BACKUP_MARK}
    infos = (
        SheetInfo(s.get("name", ""), s.get("state", "visible") != "visible", str(i) in marked)
        for i, s in enumerate(sheets)
    )
    return {i.name for i in infos if is_backup(i)}


def _join(folder: str, target: str) -> str:
    out: list[str] = [p for p in folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _attrs_of(zf: zipfile.ZipFile, part: str, tag: str, name: str) -> list[dict[str, str]]:
    """Attributes of every ``tag`` element in a small XML part (DTD refused)."""
    try:
        info = zf.getinfo(part)
    except KeyError:
        return []
    found: list[dict[str, str]] = []

    def setup(p: xml.parsers.expat.XMLParserType) -> None:
        def start(t: str, attrs: dict[str, str]) -> None:
            if _local(t) == tag:
                found.append(attrs)

        p.StartElementHandler = start

    _parse_part(zf, info, name, setup)
    return found
