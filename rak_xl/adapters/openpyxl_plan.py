"""Apply a :class:`~rak_xl.layout.SheetPlan` to an openpyxl worksheet.

Used by the CLI (``regenerate``/``recalc`` on files) and by tests. For a rebuild in place
the old contents, merges, styles, dimensions and print settings are cleared first, so the
result depends on the plan only (regenerating twice gives the same sheet).
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import copy
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import ColBreak, RowBreak
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from rak_xl.layout import Formula, PlanCell, PlanValue, SheetPlan, Style

__all__ = ["apply_plan", "clear_sheet", "write_cells"]

_THIN = Side(style="thin", color="000000")
_BORDERS = {
    "all": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN),
    "top": Border(left=_THIN, right=_THIN, top=_THIN),
    "mid": Border(left=_THIN, right=_THIN),
    "bottom": Border(left=_THIN, right=_THIN, bottom=_THIN),
}


class _StyleCache:
    """openpyxl style objects per plan Style (they are immutable and shareable)."""

    def __init__(self) -> None:
        self._cache: dict[Style, tuple[Font, Alignment, PatternFill | None, Border | None]] = {}

    def get(self, st: Style) -> tuple[Font, Alignment, PatternFill | None, Border | None]:
        hit = self._cache.get(st)
        if hit is None:
            font = Font(
                name=st.font,
                size=st.size,
                bold=st.bold,
                italic=st.italic,
                underline="single" if st.underline else None,
            )
            align = Alignment(
                horizontal=None if st.h_align == "general" else st.h_align,
                vertical=st.v_align,
                wrap_text=st.wrap or None,
                indent=st.indent,
            )
            fill = PatternFill("solid", fgColor=st.fill) if st.fill else None
            hit = (font, align, fill, _BORDERS[st.box] if st.border else None)
            self._cache[st] = hit
        return hit


def clear_sheet(ws: Worksheet) -> None:
    """Remove every value, merge, style, dimension and print setting of ``ws``."""
    # One assignment, not unmerge_cells() per range: openpyxl checks each range against all
    # the others (quadratic: minutes for a sheet of thousands of kegiatan). The covered
    # MergedCells go with the cells below.
    ws.merged_cells = MultiCellRange()
    ws._cells.clear()  # the documented API has no bulk clear; this is what delete_rows does
    ws.row_dimensions.clear()
    ws.column_dimensions.clear()
    ws.conditional_formatting = type(ws.conditional_formatting)()
    ws.data_validations.dataValidation = []
    ws.freeze_panes = None
    ws.print_title_rows = None
    ws.print_title_cols = None
    ws.print_area = None
    ws.row_breaks = RowBreak()
    ws.col_breaks = ColBreak()
    ws.auto_filter.ref = None


def _set_value(cell: Any, value: PlanValue) -> None:
    if value is None:
        if not isinstance(cell, MergedCell):
            cell.value = None
    elif isinstance(value, Formula):
        cell.value = value.text
    elif isinstance(value, str):
        cell.value = value
        # Text starting with "=" is user text, not a formula: force the string type.
        cell.data_type = "s"
    else:
        cell.value = value


def write_cells(ws: Worksheet, cells: Mapping[tuple[int, int], PlanCell]) -> None:
    """Write plan cells (value + style) into ``ws``.

    Styling a cell through openpyxl's descriptors looks each part up in the workbook's
    style tables; done once per distinct Style, later cells copy the resulting index
    array (``_style``), which keeps a rebuild of a large sheet fast.
    """
    styles = _StyleCache()
    done: dict[Style, Any] = {}
    for (r, c), pc in cells.items():
        cell = ws.cell(row=r, column=c)
        _set_value(cell, pc.value)
        first = done.get(pc.style)
        if first is not None:
            cell._style = copy(first._style)
            continue
        font, align, fill, border = styles.get(pc.style)
        cell.font = font
        cell.alignment = align
        cell.number_format = pc.style.number_format
        if fill is not None:
            cell.fill = fill
        if border is not None:
            cell.border = border
        done[pc.style] = cell


def apply_plan(ws: Worksheet, plan: SheetPlan) -> None:
    """Clear ``ws`` and lay ``plan`` out on it (values, styles, merges, print setup)."""
    clear_sheet(ws)
    # Merges first: openpyxl turns the covered cells into MergedCells, which still take
    # a style (needed for borders around merged blocks) but no value.
    # Built in one go as openpyxl's own reader does: ws.merge_cells() checks each new range
    # against all earlier ones (quadratic in the number of merges).
    ranges = [
        MergedCellRange(ws, CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2).coord)
        for r1, c1, r2, c2 in plan.merges
    ]
    ws.merged_cells = MultiCellRange(ranges)
    for mcr in ranges:
        ws._clean_merge_range(mcr)
    write_cells(ws, plan.cells)
    for c, w in plan.col_widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    for r, h in plan.row_heights.items():
        ws.row_dimensions[r].height = h
    fr, fc = plan.freeze
    ws.freeze_panes = ws.cell(row=fr, column=fc).coordinate
    ps = plan.print_setup
    ws.page_setup.orientation = "landscape" if ps.landscape else "portrait"
    ws.page_setup.paperSize = ps.paper_size
    ws.page_setup.fitToWidth = ps.fit_width
    ws.page_setup.fitToHeight = ps.fit_height
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    left, right, top, bottom = ps.margins_in
    ws.page_margins.left, ws.page_margins.right = left, right
    ws.page_margins.top, ws.page_margins.bottom = top, bottom
    ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    if ps.title_rows is not None:
        ws.print_title_rows = f"{ps.title_rows[0]}:{ps.title_rows[1]}"
    if ps.print_area is not None:
        r1, c1, r2, c2 = ps.print_area
        ws.print_area = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
    ws.oddFooter.center.text = ps.footer_center
    ws.oddFooter.center.size = 8
    ws.sheet_view.zoomScale = 80
