"""Live Excel through xlwings: apply a ``SheetPlan`` (Susun Ulang).

What to do is planned as data (``rak_xl.paint.plan_paint``: values, sizes, style strokes,
copies and merges in as few actions as the rectangle cover and the copied blocks allow);
this module only carries it out, one xlwings call per action.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from rak_xl.adapters.xlwings_io import (
    Rect,
    _column_width,
    _hex,
    _paint,
    _rng,
    engine_name,
    find_sheet,
    write_rows,
)
from rak_xl.grid import a1
from rak_xl.paint.plan import Copy, Merge, plan_paint
from rak_xl.paint.prototype import PROTOTYPE_SHEET, STAMP_CELL, stamp

if TYPE_CHECKING:
    import xlwings as xw

    from rak_xl.layout import SheetPlan

__all__ = ["apply_sheet_plan"]


def apply_sheet_plan(sheet: xw.Sheet, plan: SheetPlan, clear: Rect | None = None) -> None:
    """Rebuild ``sheet`` from ``plan`` in block operations (``rak_xl.paint.plan``).

    Order: clear (the whole sheet, or only ``clear``: values far from the table stay);
    all values (one block, formulas included); column widths and row
    heights; each style attribute, only on the cells no copy will overwrite; then the
    copies: rows of the template's prototype sheet, single-style blocks from a cell of
    that style, and repeated blocks (kegiatan, program, sasaran) from their first
    occurrence, innermost first; merges (one-row merges on adjacent rows "across" in
    one action, the others one each); freeze panes and print area.

    Not applied (no portable xlwings setter): underline, indent, and the open "box"
    sides of cells drawn as one box without a merge (they get all four edges).
    """
    engine = engine_name(sheet.book)
    proto_sheet = _prototype_sheet(sheet)
    paint = plan_paint(plan, remote=engine == "remote", prototype=proto_sheet is not None)
    if clear is None:
        sheet.clear()
    else:
        _rng(sheet, clear).clear()
    write_rows(sheet, 1, 1, paint.values)
    for c1, c2, width in paint.col_widths:
        _rng(sheet, (1, c1, 1, c2)).column_width = _column_width(engine, width)
    for r1, r2, height in paint.row_heights:
        _rng(sheet, (r1, 1, r2, 1)).row_height = height
    for attr, rect, value in paint.strokes:
        if attr == "fill" and isinstance(value, dict):
            _paint(sheet, value)
        else:
            _set_attr(sheet, rect, attr, value)
    # Prototype rows first: block copies may take their source from them.
    _copy_all(sheet, paint.prototype_copies, proto_sheet)
    _copy_all(sheet, paint.early_copies)
    _merge_all(sheet, paint.merges)
    _copy_all(sheet, paint.carrying_copies)
    if paint.carried_probe is not None and not _is_merged(sheet, paint.carried_probe):
        # This Excel pasted the formats without the merges: make them directly.
        _merge_all(sheet, paint.carried)
    if paint.freeze is not None:
        _freeze(sheet, *paint.freeze)
    if paint.print_area is not None:
        r1, c1, r2, c2 = paint.print_area
        sheet.page_setup.print_area = f"{a1(r1, c1)}:{a1(r2, c2)}"


def _copy_all(sheet: xw.Sheet, copies: list[Copy], from_sheet: xw.Sheet | None = None) -> None:
    for source, dest in copies:
        _copy_formats(sheet, source, dest, from_sheet)


def _merge_all(sheet: xw.Sheet, merges: list[Merge]) -> None:
    for rect, across in merges:
        _rng(sheet, rect).merge(across=across)


def _set_attr(sheet: xw.Sheet, rect: Rect, attr: str, value: Any) -> None:
    """One style attribute on a rectangle: one action, except borders, which xlwings
    sets per side (the inside sides only where the rectangle has them)."""
    rng = _rng(sheet, rect)
    if attr == "font":
        rng.font.name = value
    elif attr == "size":
        rng.font.size = value
    elif attr == "bold":
        rng.font.bold = value
    elif attr == "italic":
        rng.font.italic = value
    elif attr == "h_align":
        rng.horizontal_alignment = value
    elif attr == "v_align":
        rng.vertical_alignment = value
    elif attr == "wrap":
        rng.wrap_text = value
    elif attr == "number_format":
        rng.number_format = value
    elif attr == "fill":
        rng.color = _hex(value)
    elif attr == "border" and value:
        sides = ["edge_top", "edge_bottom", "edge_left", "edge_right"]
        if rect[3] > rect[1]:
            sides.append("inside_vertical")
        if rect[2] > rect[0]:
            sides.append("inside_horizontal")
        rng.borders.set(sides, line_style="continuous")
    # underline: xlwings has no portable Font.underline; Susun Ulang leaves it out.


def _copy_formats(
    sheet: xw.Sheet, source: Rect, dest: Rect, from_sheet: xw.Sheet | None = None
) -> None:
    """Formats of ``source`` (on ``from_sheet``, default ``sheet``) tiled over ``dest``
    (a whole multiple of it) in one action."""
    src, dst = _rng(from_sheet or sheet, source), _rng(sheet, dest)
    try:
        dst.copy_from(src, copy_type="formats")
    except (AttributeError, NotImplementedError):
        # Desktop engines have no copy_from: copy + paste special formats, which Excel
        # tiles over a destination that is a multiple of the source.
        if sys.platform.startswith("win"):
            src.api.Copy()
            dst.api.PasteSpecial(Paste=-4122)  # xlPasteFormats
            sheet.book.app.api.CutCopyMode = False
        else:
            src.copy()
            dst.paste(paste="formats")


def _freeze(sheet: xw.Sheet, row: int, col: int) -> None:
    """Freeze panes above/left of (row, col). xlwings' ``freeze_panes`` exists on the
    remote engine only; on Windows the window is set through COM; elsewhere the sheet
    simply stays unfrozen (cosmetic)."""
    try:
        sheet.freeze_panes.freeze_at(a1(row, col))
        return
    except (AttributeError, NotImplementedError):
        pass
    if sys.platform.startswith("win"):
        try:
            sheet.activate()
            window = sheet.book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitRow, window.SplitColumn = row - 1, col - 1
            window.FreezePanes = True
        except Exception:  # pragma: no cover - Windows only; a frozen pane is cosmetic
            pass


def _is_merged(sheet: xw.Sheet, merge: Rect) -> bool:
    """Did a copy carry ``merge``? Read back on desktop Excel (one round trip); the
    remote engine cannot read synchronously, and Office.js pastes merges with formats."""
    try:
        return bool(_rng(sheet, merge[:2] + merge[:2]).merge_cells)
    except NotImplementedError:
        return True


def _prototype_sheet(sheet: xw.Sheet) -> xw.Sheet | None:
    """The book's style prototype (see ``rak_xl.paint.prototype``), if it is there and holds
    the formats this version lays out; else None and every format is set directly."""
    proto = find_sheet(sheet.book, PROTOTYPE_SHEET)
    if proto is None or proto.name == sheet.name:
        return None
    r, c = STAMP_CELL
    return proto if proto.range((r, c)).value == stamp() else None
