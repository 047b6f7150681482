"""Live Excel through xlwings: apply a ``MarkPlan`` (Validasi) and undo the previous one.

Fills, notes, the Temuan sheet and the ``_rak_xl`` state sheet.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rak_xl.adapters.xlwings_io import (
    Cell,
    _column_width,
    _paint,
    _parse_a1,
    _rng,
    _runs,
    engine_name,
    find_sheet,
    read_rows,
    write_rows,
)

if TYPE_CHECKING:
    import xlwings as xw

    from rak_xl.marks import MarkPlan, MarkRecord

__all__ = [
    "NoteKey",
    "drop_notes",
    "fill_json",
    "fill_rgb",
    "read_state",
    "remove_temuan",
    "unmark",
    "write_marks",
    "write_state",
    "write_temuan",
]


# --------------------------------------------------------------------------------------
# Marks (Validasi)
# --------------------------------------------------------------------------------------
def fill_json(rgb: str | None) -> dict[str, Any] | None:
    """A solid fill in the state sheet's JSON form (the same as the openpyxl adapter's)."""
    if rgb is None:
        return None
    color = {"type": "rgb", "value": "FF" + rgb.upper(), "tint": 0.0}
    return {"patternType": "solid", "fg": color, "bg": dict(color)}


def fill_rgb(d: dict[str, Any] | None) -> str | None:
    """The RRGGBB of a recorded fill, None for no fill or one xlwings cannot set (theme
    colours, patterns): those come back as no fill."""
    if not d or d.get("patternType") != "solid":
        return None
    fg = d.get("fg") or {}
    value = fg.get("value")
    if fg.get("type") == "rgb" and isinstance(value, str) and len(value) >= 6:
        return value[-6:].upper()
    return None


def _read_fill(rng: xw.Range) -> tuple[bool, str | None]:
    """(known, "RRGGBB" or None): the remote engine cannot read fills synchronously."""
    try:
        colour = rng.color
    except NotImplementedError:
        return False, None
    if colour is None:
        return True, None
    if isinstance(colour, tuple):
        return True, "{:02X}{:02X}{:02X}".format(*colour)
    return True, str(colour).lstrip("#").upper()


NoteKey = tuple[str, str]  # (sheet, CELL)


def unmark(book: xw.Book, records: Sequence[MarkRecord]) -> dict[NoteKey, dict[str, Any] | None]:
    """Undo the fills of a previous Validasi (one ``set_colors`` per sheet), as
    ``rak_xl.marks.plan_unmark`` decides.

    What this engine sees of each recorded cell: its fill where it can read fills
    (desktop Excel; the remote engine cannot, and there the recorded fill is restored)
    and whether it has a note (its text is not read: one round trip per cell). Our notes
    are not touched here: the returned map (cell -> the user's note kept under ours) lets
    ``write_marks`` replace a note in one action, and ``drop_notes`` removes those no
    longer needed.
    """
    from rak_xl.marks import CellNow, plan_unmark

    now: dict[NoteKey, CellNow] = {}
    for rec in records:
        sheet = find_sheet(book, rec.sheet)
        if sheet is None:
            continue
        rng = sheet.range(rec.cell)
        known, fill = _read_fill(rng)
        now[(rec.sheet, rec.cell.upper())] = CellNow(
            fill=fill, fill_known=known, has_note=rng.note is not None
        )
    ours: dict[NoteKey, dict[str, Any] | None] = {}
    fills: dict[str, dict[Cell, str | None]] = {}
    for r in plan_unmark([rec for rec in records if (rec.sheet, rec.cell.upper()) in now], now):
        if r.fill and r.record is not None:
            fills.setdefault(r.sheet, {})[_parse_a1(r.cell)] = fill_rgb(r.record.fill_before)
        if r.note:
            ours[(r.sheet, r.cell.upper())] = r.record.note_before if r.record else None
    for name, paint in fills.items():
        sheet = find_sheet(book, name)
        if sheet is not None:
            _paint(sheet, paint)
    return ours


def drop_notes(
    book: xw.Book, ours: Mapping[NoteKey, dict[str, Any] | None], keep: Collection[NoteKey]
) -> None:
    """Remove our notes not in ``keep``, putting back the user's note where there was one."""
    for (name, cell), before in ours.items():
        if (name, cell) in keep:
            continue
        sheet = find_sheet(book, name)
        note = sheet.range(cell).note if sheet is not None else None
        if note is None:
            continue
        user = (before or {}).get("text")
        if isinstance(user, str) and user:
            note.text = user
        else:
            note.delete()


def write_marks(
    book: xw.Book,
    plan: MarkPlan,
    ours: Mapping[NoteKey, dict[str, Any] | None] | None = None,
) -> tuple[list[MarkRecord], bool]:
    """Fills (one action per sheet) and one note action per marked cell; returns the
    records for the state sheet and whether every note could be added.

    Where this engine cannot add notes (the remote engine without an Office.js client,
    or an Excel whose API has no notes: ExcelApi 1.18) the cells are still coloured and
    listed on the Temuan sheet; their records say that a note there is the user's.

    ``ours``: our notes from the previous run (see ``unmark``); such a note is replaced
    in place. A note the user has on a cell is kept below ours where this engine can read
    it (desktop Excel); where it cannot (remote engine) the user's note stays as it is
    and ours is not added: the finding is still listed on the Temuan sheet and the cell
    is coloured.
    """
    from rak_xl.marks import USER_NOTE_ONLY, MarkRecord, is_our_note, note_with_user

    ours = ours or {}
    notes_ok = True
    records: list[MarkRecord] = []
    by_sheet: dict[str, list[Any]] = {}
    for mark in plan.marks:
        by_sheet.setdefault(mark.sheet, []).append(mark)
    for name, marks in by_sheet.items():
        sheet = find_sheet(book, name)
        if sheet is None:
            continue
        fills: dict[Cell, str | None] = {}
        for mark in marks:
            rng = sheet.range(mark.cell)
            known, before = _read_fill(rng)
            fills[_parse_a1(mark.cell)] = mark.fill
            key = (name, mark.cell.upper())
            note = rng.note
            note_before: dict[str, Any] | None = None
            if key in ours and note is not None:
                note_before = ours[key]
                user = (note_before or {}).get("text")
                note.text = note_with_user(mark.note, user if isinstance(user, str) else None)
            elif note is None:
                if notes_ok:
                    try:
                        rng.add_note(mark.note)
                    except NotImplementedError:
                        notes_ok = False
                if not notes_ok:
                    note_before = {USER_NOTE_ONLY: True}  # no note of ours on this cell
            else:
                try:
                    text: str | None = str(note.text)
                except NotImplementedError:
                    text = None  # unreadable user note: leave it alone
                if text is not None:
                    user_text = None if is_our_note(text) else text
                    note.text = note_with_user(mark.note, user_text)
                    note_before = {"text": user_text} if user_text else None
                else:
                    note_before = {USER_NOTE_ONLY: True}
            records.append(
                MarkRecord(
                    sheet=name,
                    cell=mark.cell,
                    fill=mark.fill,
                    # Unknown on the remote engine: recorded as "no fill before".
                    fill_before=fill_json(before) if known else None,
                    note_before=note_before,
                )
            )
        _paint(sheet, fills)
    return records, notes_ok


# --------------------------------------------------------------------------------------
# State sheet and findings sheet
# --------------------------------------------------------------------------------------
def read_state(book: xw.Book) -> list[MarkRecord]:
    """The cells the previous Validasi (Excel or ``validate --mark``) marked."""
    from rak_xl.marks import STATE_SHEET, records_from_rows

    sheet = find_sheet(book, STATE_SHEET)
    if sheet is None:
        return []
    rows, _, _ = read_rows(sheet)
    return records_from_rows([list(r) for r in rows])


def _hide(sheet: xw.Sheet) -> None:
    """Very hidden on Windows Excel (not listed under Unhide); hidden elsewhere."""
    if sys.platform.startswith("win") and engine_name(sheet.book) == "excel":
        try:
            sheet.api.Visible = 2  # xlSheetVeryHidden
            return
        except Exception:  # pragma: no cover - Windows only
            pass
    sheet.visible = False


def write_state(book: xw.Book, records: Sequence[MarkRecord]) -> None:
    """Record the marked cells for the next run (reusing the state sheet if there is one)."""
    from rak_xl.marks import STATE_SHEET, records_to_rows

    sheet = find_sheet(book, STATE_SHEET)
    if sheet is None:
        if not records:
            return
        sheet = book.sheets.add(name=STATE_SHEET, after=book.sheets[len(book.sheets) - 1])
        _hide(sheet)
    else:
        sheet.clear_contents()
    if records:
        write_rows(sheet, 1, 1, records_to_rows(list(records)))


def remove_temuan(book: xw.Book, rak_sheet: str) -> None:
    """Delete the findings sheets of a previous run on ``rak_sheet`` (recognised by the
    marker in A1 and the sheet named in C1: ``rak_xl.marks.temuan_of``)."""
    from rak_xl.marks import TEMUAN_MARKER, TEMUAN_SHEET, temuan_of

    for sheet in list(book.sheets):
        if not sheet.name.startswith(TEMUAN_SHEET):
            continue
        first = sheet.range("A1:C1").value
        if first[0] == TEMUAN_MARKER and temuan_of(first, rak_sheet):
            sheet.delete()


@dataclass(frozen=True)
class _Formula:
    text: str


def _hyperlink(location: str, label: str) -> _Formula:
    def q(text: str) -> str:
        return text.replace('"', '""')

    return _Formula(f'=HYPERLINK("#{q(location)}","{q(label)}")')


def write_temuan(book: xw.Book, plan: MarkPlan, after: xw.Sheet) -> xw.Sheet:
    """The findings sheet in a handful of actions: one block of values (links as
    HYPERLINK formulas, so no action per finding), bold header, severity colours in one
    ``set_colors``, column widths."""
    from rak_xl.marks import FILLS, TEMUAN_SHEET, temuan_look

    name, n = TEMUAN_SHEET, 2
    while find_sheet(book, name) is not None:
        name = f"{TEMUAN_SHEET} {n}"
        n += 1
    sheet = book.sheets.add(name=name, after=after)
    rows: list[list[Any]] = []
    fills: dict[Cell, str | None] = {}
    for i, row in enumerate(plan.temuan, start=1):
        values: list[Any] = list(row.values)
        if row.link is not None and len(values) > 3 and values[3]:
            values[3] = _hyperlink(row.link, str(values[3]))
        rows.append(values)
        if row.severity is not None:
            fills[(i, 1 if i - 1 < plan.header_index else 2)] = FILLS[row.severity]
    write_rows(sheet, 1, 1, rows)
    width = max(len(r) for r in rows)
    header = plan.header_index + 1
    # Measured in Excel's default font (Calibri 11), so no action sets a font; wrapped
    # text in one action, and Excel fits each row's height to it by itself (a height per
    # row would be a round trip each). Page setup (landscape, one page wide, the header
    # row on every page) has no xlwings setter: the file writer sets it, Excel keeps its
    # default here.
    look = temuan_look(plan.temuan, plan.header_index, font="Calibri", size=11)
    wrap = (header + 1, min(look.wrap), max(len(rows), header + 1), max(look.wrap))
    _rng(sheet, wrap).wrap_text = True
    _rng(sheet, (header, 1, header, width)).font.bold = True
    sheet.range("A1").font.bold = True
    _paint(sheet, fills)
    engine = engine_name(book)
    for c1, c2, w in _runs(dict(enumerate(look.widths, start=1)), 1, len(look.widths)):
        _rng(sheet, (1, c1, 1, c2)).column_width = _column_width(engine, w)
    return sheet
