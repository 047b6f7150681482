"""Apply a :class:`~rak_xl.layout.SheetPlan` to an XlsxWriter worksheet (the template).

XlsxWriter takes one Format per cell, so Formats are cached per plan ``Style``. Merged
ranges are written with ``merge_range`` (value + format of the top-left cell), after
which the other cells of the range keep the format given there.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from rak_xl.layout import Formula, PlanValue, SheetPlan, Style

__all__ = ["apply_plan"]


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.cache: dict[Style, Any] = {}

    def get(self, st: Style) -> Any:
        fmt = self.cache.get(st)
        if fmt is None:
            props: dict[str, Any] = {
                "font_name": st.font,
                "font_size": st.size,
                "bold": st.bold,
                "italic": st.italic,
                "valign": {"center": "vcenter"}.get(st.v_align, st.v_align),
                "text_wrap": st.wrap,
                "num_format": st.number_format,
            }
            if st.underline:
                props["underline"] = 1
            if st.h_align != "general":
                props["align"] = st.h_align
            if st.indent:
                props["indent"] = st.indent
            if st.fill:
                props["bg_color"] = "#" + st.fill
                props["pattern"] = 1
            if st.border:
                sides = {"all": "ltrb", "top": "lrt", "mid": "lr", "bottom": "lrb"}[st.box]
                for side, key in (("l", "left"), ("r", "right"), ("t", "top"), ("b", "bottom")):
                    if side in sides:
                        props[key] = 1
            fmt = self.workbook.add_format(props)
            self.cache[st] = fmt
        return fmt


def _write(ws: Any, r: int, c: int, value: PlanValue, fmt: Any) -> None:
    """0-based write that keeps text as text (never a formula)."""
    if isinstance(value, Formula):
        ws.write_formula(r, c, value.text, fmt, value.value if value.value is not None else 0)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    elif value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, _dt.datetime):
        ws.write_datetime(r, c, value, fmt)
    else:
        ws.write_number(r, c, value, fmt)


def apply_plan(workbook: Any, worksheet: Any, plan: SheetPlan) -> None:
    """Write ``plan`` into a fresh XlsxWriter ``worksheet`` of ``workbook``."""
    formats = _Formats(workbook)
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in plan.merges:
        cell = plan.cells.get((r1, c1))
        value = cell.value if cell else None
        fmt = formats.get(cell.style) if cell else None
        # merge_range writes its value as text or number; formulas are written after.
        worksheet.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, "", fmt)
        _write(worksheet, r1 - 1, c1 - 1, value, fmt)
        covered.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    for (r, c), cell in plan.cells.items():
        if (r, c) not in covered:
            _write(worksheet, r - 1, c - 1, cell.value, formats.get(cell.style))
    for c, w in plan.col_widths.items():
        # XlsxWriter takes a width as the characters shown and adds Excel's padding; the
        # plan's widths are OOXML ``<col width>`` values, padding included.
        worksheet.set_column_pixels(c - 1, c - 1, int(w * 7), None, {"hidden": w == 0})
    one_line = min(plan.row_heights.values(), default=0.0)
    for r, h in plan.row_heights.items():
        # A one-line row Excel would size itself is left at the default height, so a row
        # typed into (the template's empty one) grows with its text; neither Excel nor
        # LibreOffice fits a taller row's height on opening a file: those need theirs.
        if not (r in plan.autofit_rows and h <= one_line):
            worksheet.set_row(r - 1, h)
    fr, fc = plan.freeze
    worksheet.freeze_panes(fr - 1, fc - 1)
    ps = plan.print_setup
    if ps.landscape:
        worksheet.set_landscape()
    worksheet.set_paper(ps.paper_size)
    if ps.scale:
        worksheet.set_print_scale(ps.scale)
    else:
        worksheet.fit_to_pages(ps.fit_width, ps.fit_height)
    if ps.over_then_down:
        worksheet.print_across()
    worksheet.set_h_pagebreaks([r - 1 for r in ps.row_breaks])
    worksheet.set_v_pagebreaks([c - 1 for c in ps.col_breaks])
    left, right, top, bottom = ps.margins_in
    worksheet.set_margins(left=left, right=right, top=top, bottom=bottom)
    worksheet.center_horizontally()
    if ps.title_rows is not None:
        worksheet.repeat_rows(ps.title_rows[0] - 1, ps.title_rows[1] - 1)
    if ps.title_cols is not None:
        worksheet.repeat_columns(ps.title_cols[0] - 1, ps.title_cols[1] - 1)
    if ps.print_area is not None:
        r1, c1, r2, c2 = ps.print_area
        worksheet.print_area(r1 - 1, c1 - 1, r2 - 1, c2 - 1)
    worksheet.set_footer("&C&8" + ps.footer_center)
    worksheet.set_zoom(80)
