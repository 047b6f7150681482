"""``validate --mark`` on a package: remove the previous marks, then mark the findings.

What changes: the ``s`` attribute of each marked cell (its value, formula and cached
value stay as they were; the new cell format is the old one with our fill, appended to
the stylesheet), the notes of those cells (comments part and note shapes, see
``notes``), the sheets ``Temuan`` and ``_rak_xl``, and the workbook's sheet list. Every
other part is copied byte for byte.
"""

from __future__ import annotations

from typing import Any

from rak_xl.marks import (
    STATE_HEADER,
    STATE_SHEET,
    TEMUAN_MARKER,
    TEMUAN_SHEET,
    USER_NOTE_ONLY,
    CellNow,
    MarkPlan,
    MarkRecord,
    Restore,
    is_our_note,
    plan_unmark,
    records_from_rows,
    records_to_rows,
    temuan_of,
)
from rak_xl.opc import _xml as X
from rak_xl.opc.book import Book
from rak_xl.opc.ownsheets import read_values, state_xml, temuan_xml
from rak_xl.opc.package import CT
from rak_xl.opc.sheet import CellEdit, Sheet, cell_attrs, parse_ref
from rak_xl.opc.workbook import SheetRef

__all__ = ["Edits", "keep_visible_active", "mark", "our_sheets", "unmark"]


# -- our sheets -------------------------------------------------------------------------------
def our_sheets(book: Book) -> tuple[list[SheetRef], list[SheetRef]]:
    """(findings sheets, state sheets) that are ours: a ``Temuan…`` sheet with our marker
    in A1, a ``_rak_xl…`` sheet headed by our state header. A user's sheet of the same
    name is not ours and is never removed."""
    temuan, state = [], []
    for ref in book.wb.sheets():
        if ref.part is None or not book.pkg.has(ref.part):
            continue
        if book.pkg.content_type(ref.part) != CT.WORKSHEET:
            continue  # a chart sheet or dialog sheet of the user's, whatever its name
        if ref.name.startswith(TEMUAN_SHEET):
            rows = read_values(book.sheet(ref), book.sst, max_row=1)
            if rows and rows[0] and rows[0][0] == TEMUAN_MARKER:
                temuan.append(ref)
        elif ref.name == STATE_SHEET or ref.name.startswith(STATE_SHEET + " "):
            rows = read_values(book.sheet(ref), book.sst, max_row=1)
            if not rows or tuple(rows[0][:2]) == STATE_HEADER[:2]:
                state.append(ref)
    return temuan, state


def _records(book: Book, state: list[SheetRef]) -> list[MarkRecord]:
    out: list[MarkRecord] = []
    for ref in state:
        out += records_from_rows(read_values(book.sheet(ref), book.sst))
    return out


# -- cell formats --------------------------------------------------------------------------------
def _style_of(sheet: Sheet, r: int, c: int, raw: bytes | None) -> int:
    """The cell format a cell shows: its own, else its row's, else its column's."""
    if raw is not None:
        s = cell_attrs(raw).get("s", "0")
        return int(s) if s.isdigit() else 0
    row = sheet.row_tag(r)
    if row.get("customFormat") in ("1", "true") and row.get("s", "").isdigit():
        return int(row["s"])
    cols = sheet.child("cols")
    for n in X.walk(X.parse(cols) if cols else []):
        a = n.attrs()
        low, high, style = a.get("min", ""), a.get("max", ""), a.get("style", "")
        digits = low.isdigit() and high.isdigit() and style.isdigit()
        if n.local == "col" and digits and int(low) <= c <= int(high):
            return int(style)
    return 0


def _set_style(ref: str, xf: int, drop_if_empty: bool = False) -> CellEdit:
    def edit(old: bytes | None) -> bytes | None:
        if old is None:
            return b'<c r="' + ref.encode() + b'" s="' + str(xf).encode() + b'"/>'
        end = old.index(b">") + 1
        if drop_if_empty and old[end - 2 : end] == b"/>":
            return None
        tag = X.set_attrs(old[:end], {"s": str(xf) if xf else None})
        return tag + old[end:]

    return edit


def _prefixed(sheet: Sheet, fn: CellEdit) -> CellEdit:
    """A cell edit in the sheet's namespace prefix (``<x:c>``)."""
    if not sheet.p:
        return fn

    def edit(old: bytes | None) -> bytes | None:
        new = fn(old)
        if old is None and new is not None:
            return b"<" + sheet.p + new[1:]
        return new

    return edit


# -- unmark --------------------------------------------------------------------------------------
def unmark(book: Book, rak_sheet: str | None = None) -> bool:
    """Remove the marks of previous runs on ``rak_sheet`` (``plan_unmark``): its cells'
    fills and notes, its findings sheet, its records; the marks of other sheets stay
    (``rak_xl.marks``: marks are per sheet; None: of every sheet). True when there was
    anything to remove."""
    removed, listing, state, others = _unmark(book, rak_sheet)
    if removed or (state and not others):
        _replace_state(book, listing + state, others, rak_sheet)
    return removed


def _unmark(
    book: Book, rak_sheet: str | None
) -> tuple[bool, list[SheetRef], list[SheetRef], list[MarkRecord]]:
    """``unmark`` but for removing sheets: (anything removed, the findings sheets of
    ``rak_sheet``, the state sheets, the records of the other sheets)."""
    temuan, state = our_sheets(book)
    records = _records(book, state)
    mine = [r for r in records if rak_sheet in (None, r.sheet)]
    listing = [
        ref
        for ref in temuan
        if rak_sheet is None or temuan_of(read_values(book.sheet(ref), book.sst, 1)[0], rak_sheet)
    ]
    now: dict[tuple[str, str], CellNow] = {}
    refs = {r.name: r for r in book.wb.sheets()}
    for rec in mine:
        ref = refs.get(rec.sheet)
        pos = parse_ref(rec.cell)
        if ref is None or pos is None or ref.part is None:
            continue
        sheet = book.sheet(ref)
        raw = sheet.cell(*pos)
        fill = book.styles.solid_rgb(book.styles.fill_id(_style_of(sheet, *pos, raw)))
        note = book.notes(ref).get(rec.cell) if book.has_notes(ref) else None
        now[(rec.sheet, rec.cell.upper())] = CellNow(
            fill=fill, has_note=note is not None, note=note[0] if note else None
        )
    # Our notes without a record (state sheet deleted by hand).
    for ref in refs.values():
        if ref.name != (rak_sheet or ref.name) or ref in temuan or ref in state:
            continue
        if ref.part is None or not book.has_notes(ref):
            continue
        notes = book.notes(ref)
        for cell in notes.refs():
            got = notes.get(cell)
            if got is not None and is_our_note(got[0]) and (ref.name, cell) not in now:
                now[(ref.name, cell)] = CellNow(has_note=True, note=got[0])
    restores = plan_unmark(mine, now)
    edits: Edits = {}
    for r in restores:
        _restore(book, refs[r.sheet], r, edits)
    for sheet, changes in edits.values():  # one pass over each sheet's cells
        sheet.edit(changes)
    others = [r for r in records if rak_sheet not in (None, r.sheet)]
    return bool(restores or listing or mine), listing, state, others


def _replace_state(
    book: Book, remove: list[SheetRef], records: list[MarkRecord], rak_sheet: str | None
) -> None:
    """Remove sheets of ours (in one pass: a removal renumbers the sheets after it), then
    add a state sheet holding ``records`` (none when there are none)."""
    for ref in sorted(remove, key=lambda s: -s.index):
        book.remove_sheet(ref, active_fallback=rak_sheet)
    if records:
        book.wb.add_sheet(
            book.wb.free_sheet_name(STATE_SHEET), state_xml(records_to_rows(records)), "veryHidden"
        )


Edits = dict[str, tuple[Sheet, dict[tuple[int, int], CellEdit]]]


def _edits_of(
    book: Book, ref: SheetRef, edits: Edits
) -> tuple[Sheet, dict[tuple[int, int], CellEdit]]:
    """The pending cell edits of a sheet: applied together, one pass over its cells."""
    assert ref.part is not None
    if ref.part not in edits:
        edits[ref.part] = (book.sheet(ref, edit=True), {})
    return edits[ref.part]


def _index(value: object, count: int) -> int | None:
    """A recorded style index, if it is one the stylesheet has (the state sheet is the
    user's to edit: a wrong number must not make the file unreadable)."""
    return value if isinstance(value, int) and 0 <= value < count else None


def _restore(book: Book, ref: SheetRef, r: Restore, edits: Edits) -> None:
    pos = parse_ref(r.cell)
    if pos is None:
        return
    sheet, changes = _edits_of(book, ref, edits)
    if r.fill and r.record is not None:
        styles = book.styles
        raw = sheet.cell(*pos)
        now = _style_of(sheet, *pos, raw)
        before = r.record.style_before or {}
        xf = _index(before.get("s"), styles.count("cellXfs"))
        if before.get("ours") == now and xf is not None:
            edit = _set_style(r.cell.upper(), xf, drop_if_empty=bool(before.get("absent")))
        else:  # the user changed the format since, or marked in Excel: only the fill
            fid = _index(before.get("fill"), styles.count("fills"))
            if fid is None:
                fid = styles.fill_from_json(r.record.fill_before)
            edit = _set_style(r.cell.upper(), styles.with_fill(now, fid))
        changes[pos] = _prefixed(sheet, edit)
    if r.note:
        notes = book.notes(ref)
        user = r.user_note
        if user is None:
            notes.remove(r.cell)
        elif not notes.strip_ours(r.cell):
            notes.put_user(r.cell, str(user.get("text", "")), str(user.get("author", "")))


# -- mark ----------------------------------------------------------------------------------------
def mark(book: Book, plan: MarkPlan) -> None:
    """Unmark the plan's sheet, then fills and notes on the offending cells, its findings
    sheet and its records in ``_rak_xl`` (beside those of other sheets)."""
    _, listing, state, others = _unmark(book, plan.sheet)
    _replace_state(book, listing + state, [], plan.sheet)  # written below, after Temuan
    records: list[MarkRecord] = []
    styles = book.styles
    refs = {r.name: r for r in book.wb.sheets()}
    edits: Edits = {}
    for m in plan.marks:
        ref = refs.get(m.sheet)
        cell = book.anchor(ref, m.cell) if ref is not None and ref.part else None
        pos = parse_ref(cell) if cell else None
        if ref is None or cell is None or pos is None:
            continue
        sheet, changes = _edits_of(book, ref, edits)
        raw = sheet.cell(*pos)
        before = _style_of(sheet, *pos, raw)
        fill_id = styles.fill_id(before)
        gradient = b"gradientFill" in (styles.entry("fills", fill_id) or b"")
        style_before: dict[str, Any] | None = None
        if not gradient:  # a gradient is kept: the note and the Temuan row still tell
            ours = styles.with_fill(before, styles.solid_fill(m.fill))
            changes[pos] = _prefixed(sheet, _set_style(cell, ours))
            style_before = {"s": before, "ours": ours, "fill": fill_id, "absent": raw is None}
        notes = book.notes(ref)
        got = notes.get(cell)
        note_before: dict[str, Any] | None = None
        if notes.is_threaded(cell):
            note_before = {USER_NOTE_ONLY: True}  # a threaded comment: left as it is
        elif got is not None and not is_our_note(got[0]):
            notes.put_ours(cell, m.note, user=True)
            note_before = {"text": got[0], "author": got[1]}
        else:
            notes.put_ours(cell, m.note, user=False)
        records.append(
            MarkRecord(
                m.sheet,
                cell,
                "" if gradient else m.fill,
                styles.fill_json(fill_id),
                note_before,
                style_before,
            )
        )
    for sheet, changes in edits.values():
        sheet.edit(changes)
    temuan = book.wb.free_sheet_name(TEMUAN_SHEET)
    xml, titles = temuan_xml(plan, styles)
    ref = book.wb.add_sheet(temuan, xml)
    if titles is not None:
        quoted = "'" + temuan.replace("'", "''") + "'"
        book.wb.set_defined_name(
            "_xlnm.Print_Titles", ref.index, f"{quoted}!${titles[0]}:${titles[1]}"
        )
    _replace_state(book, [], [*others, *records], plan.sheet)
    keep_visible_active(book, plan.sheet)


def keep_visible_active(book: Book, rak_sheet: str) -> None:
    """Never leave a hidden sheet (or a removed one) active. Otherwise the tab the user
    had open stays open: selecting another would mean unselecting theirs in a sheet part
    we do not own (two selected tabs are a group in Excel)."""
    sheets = book.wb.sheets()
    active = book.wb.active_index()
    if 0 <= active < len(sheets) and sheets[active].state == "visible":
        return
    target = book.ref(rak_sheet) or next((s for s in sheets if s.state == "visible"), None)
    if target is not None:
        book.select(target)
