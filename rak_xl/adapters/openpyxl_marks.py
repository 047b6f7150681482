"""Apply a ``MarkPlan`` to a workbook file with openpyxl (CLI ``validate --mark``, tests).

``mark_file(src, dest, plan)`` opens ``src`` (an ``.xlsm`` with ``keep_vba=True``, so its
VBA project and the VML form buttons are written back unchanged), removes the marks of a
previous run (see ``rak_xl.marks``), applies the plan and saves to ``dest``. The two steps
are also public (``unmark``/``mark``) for tests and other adapters.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rak_xl.marks import (
    FILLS,
    STATE_SHEET,
    TEMUAN_MARKER,
    TEMUAN_SHEET,
    MarkPlan,
    MarkRecord,
    is_our_note,
    note_with_user,
    records_from_rows,
    records_to_rows,
    user_part_of_note,
)

if TYPE_CHECKING:
    from openpyxl.styles.colors import Color
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["mark", "mark_file", "open_workbook", "unmark"]

_AUTHOR = "rak-xl"
_LINK_BLUE = "0563C1"


def open_workbook(path: Path) -> Workbook:
    """Open for rewriting: formulas kept as formulas, macros kept for ``.xlsm``; an
    ``.xls``/``.ods`` comes as a new workbook of its values (saved as a new ``.xlsx``)."""
    from rak_xl.adapters.openpyxl_book import open_for_edit

    wb: Workbook = open_for_edit(path, keep_vba=path.suffix.lower() in (".xlsm", ".xltm"))
    return wb


def mark_file(src: Path, dest: Path, plan: MarkPlan) -> None:
    wb = open_workbook(src)
    active = wb.active.title if wb.active is not None else None
    unmark(wb)
    mark(wb, plan)
    _restore_active(wb, active, plan.sheet)
    _vml_prefixes()
    wb.save(dest)


def _vml_prefixes() -> None:
    """Write VML with Excel's own prefixes (v:, o:, x:) instead of ns0:, ns1:.

    openpyxl re-serialises a sheet's VML (form buttons of an ``.xlsm``) when it adds the
    notes' shapes to it; with the prefixes registered the buttons come out as Excel wrote
    them, apart from the added notes.
    """
    from xml.etree import ElementTree

    for prefix, uri in (
        ("v", "urn:schemas-microsoft-com:vml"),
        ("o", "urn:schemas-microsoft-com:office:office"),
        ("x", "urn:schemas-microsoft-com:office:excel"),
    ):
        ElementTree.register_namespace(prefix, uri)


# -- fills as JSON (kept in the state sheet so that the user's fill can be restored) ----
def _color_json(color: Color | None) -> dict[str, Any] | None:
    if color is None:
        return None
    return {"type": color.type, "value": color.value, "tint": color.tint}


def _color(d: dict[str, Any] | None) -> Color | None:
    from openpyxl.styles.colors import Color

    if not d:
        return None
    kind, tint = d.get("type"), d.get("tint") or 0.0
    value: Any = d.get("value")
    if kind == "theme":
        return Color(theme=int(value), tint=tint)
    if kind == "indexed":
        return Color(indexed=int(value), tint=tint)
    if kind == "auto":
        return Color(auto=bool(value), tint=tint)
    return Color(rgb=str(value), tint=tint)


def _fill_json(cell: Any) -> dict[str, Any] | None:
    fill = cell.fill
    if fill is None or getattr(fill, "fill_type", None) is None:
        return None
    return {
        "patternType": fill.fill_type,
        "fg": _color_json(fill.fgColor),
        "bg": _color_json(fill.bgColor),
    }


def _fill(d: dict[str, Any] | None) -> Any:
    from openpyxl.styles import PatternFill

    if not d:
        return PatternFill(fill_type=None)
    return PatternFill(
        fill_type=d.get("patternType"), fgColor=_color(d.get("fg")), bgColor=_color(d.get("bg"))
    )


def _solid(rgb: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", fgColor="FF" + rgb, bgColor="FF" + rgb)


def _is_our_fill(cell: Any, rgb: str) -> bool:
    fill = cell.fill
    if getattr(fill, "fill_type", None) != "solid":
        return False
    fg = fill.fgColor
    return fg is not None and fg.type == "rgb" and str(fg.rgb).upper()[-6:] == rgb.upper()


# -- removing the previous run's marks --------------------------------------------------
def _is_our_temuan(ws: Worksheet) -> bool:
    return bool(ws["A1"].value == TEMUAN_MARKER)


def unmark(wb: Workbook) -> None:
    """Remove every mark of a previous run; the user's own fills and notes stay."""
    from openpyxl.comments import Comment

    records: list[MarkRecord] = []
    maps: MergeMaps = {}
    if STATE_SHEET in wb.sheetnames:
        state = wb[STATE_SHEET]
        records = records_from_rows([list(r) for r in state.iter_rows(values_only=True)])
        wb.remove(state)
    for rec in records:
        if rec.sheet not in wb.sheetnames:
            continue
        cell = _anchor(wb[rec.sheet], rec.cell, maps)
        if cell is None:
            continue
        if rec.fill and _is_our_fill(cell, rec.fill):
            cell.fill = _fill(rec.fill_before)
        if cell.comment is not None and is_our_note(cell.comment.text):
            before = rec.note_before or {}
            text = before.get("text")
            cell.comment = (
                Comment(text, str(before.get("author") or ""))
                if isinstance(text, str) and text
                else None
            )
    # Notes of ours without a record (state sheet deleted by hand): drop them, keeping a
    # user's note that was carried inside.
    for ws in wb.worksheets:
        for cell in list(_commented(ws)):
            if is_our_note(cell.comment.text):
                user = user_part_of_note(cell.comment.text)
                cell.comment = Comment(user, "") if user else None
    for ws in list(wb.worksheets):
        if ws.title.startswith(TEMUAN_SHEET) and _is_our_temuan(ws):
            wb.remove(ws)


def _commented(ws: Worksheet) -> list[Any]:
    return [c for row in ws.iter_rows() for c in row if getattr(c, "comment", None) is not None]


MergeMaps = dict[str, dict[tuple[int, int], tuple[int, int]]]


def _anchor(ws: Worksheet, ref: str, maps: MergeMaps) -> Any:
    """The cell that carries the format of ``ref``: the top-left cell of its merge.

    ``maps`` caches, per sheet, every merged cell -> its top-left (one pass over the
    merges per sheet and call: a RAK has thousands of them).
    """
    from openpyxl.utils.cell import coordinate_to_tuple

    try:
        row, col = coordinate_to_tuple(ref)
    except (ValueError, TypeError):
        return None
    if ws.title not in maps:
        maps[ws.title] = {
            (r, c): (rng.min_row, rng.min_col)
            for rng in ws.merged_cells.ranges
            for r in range(rng.min_row, rng.max_row + 1)
            for c in range(rng.min_col, rng.max_col + 1)
        }
    row, col = maps[ws.title].get((row, col), (row, col))
    return ws.cell(row, col)


# -- applying a plan ---------------------------------------------------------------------
def mark(wb: Workbook, plan: MarkPlan) -> None:
    """Fills and notes on the offending cells, the ``Temuan`` sheet, the state sheet."""
    from openpyxl.comments import Comment

    records: list[MarkRecord] = []
    maps: MergeMaps = {}
    for m in plan.marks:
        if m.sheet not in wb.sheetnames:
            continue
        cell = _anchor(wb[m.sheet], m.cell, maps)
        if cell is None:
            continue
        fill_before = _fill_json(cell)
        gradient = (
            fill_before is None and cell.fill is not None and cell.fill.tagname == "gradientFill"
        )
        note_before = None
        user_text = None
        if cell.comment is not None and not is_our_note(cell.comment.text):
            user_text = cell.comment.text
            note_before = {"text": user_text, "author": cell.comment.author}
        if not gradient:
            cell.fill = _solid(m.fill)
        text = note_with_user(m.note, user_text)
        lines = sum(1 + len(line) // 60 for line in text.splitlines())
        cell.comment = Comment(text, _AUTHOR, height=min(20 + 15 * lines, 400), width=360)
        records.append(
            MarkRecord(
                m.sheet, cell.coordinate, "" if gradient else m.fill, fill_before, note_before
            )
        )
    _write_temuan(wb, plan)
    state = wb.create_sheet(STATE_SHEET)
    for row in records_to_rows(records):
        state.append(row)
    state.sheet_state = "veryHidden"


def _temuan_name(wb: Workbook) -> str:
    # A sheet of the user's that happens to be called "Temuan" is left alone.
    name, n = TEMUAN_SHEET, 2
    while name in wb.sheetnames:
        name = f"{TEMUAN_SHEET} {n}"
        n += 1
    return name


def _write_temuan(wb: Workbook, plan: MarkPlan) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(_temuan_name(wb))
    bold = Font(bold=True)
    link_font = Font(color=_LINK_BLUE, underline="single")
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(plan.temuan, start=1):
        for j, value in enumerate(row.values, start=1):
            ws.cell(i, j, value)
        if i == 1 or i - 1 == plan.header_index:
            for j in range(1, len(row.values) + 1):
                ws.cell(i, j).font = bold
        if row.severity is not None:
            col = 1 if i - 1 < plan.header_index else 2
            ws.cell(i, col).fill = _solid(FILLS[row.severity])
        if row.link is not None:
            c = ws.cell(i, 4)
            c.hyperlink = Hyperlink(ref=c.coordinate, location=row.link, display=str(c.value))
            c.font = link_font
        if i - 1 > plan.header_index:
            for j in (6, 7):
                ws.cell(i, j).alignment = wrap
    for letter, width in zip("ABCDEFG", (6, 12, 30, 8, 7, 50, 80), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(plan.header_index + 2, 1)


def _restore_active(wb: Workbook, title: str | None, rak_sheet: str) -> None:
    """Keep the sheet the user had open; never leave a hidden sheet active."""
    for name in (title, rak_sheet):
        if name and name in wb.sheetnames and wb[name].sheet_state == "visible":
            wb.active = wb[name]
            break
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is wb.active
