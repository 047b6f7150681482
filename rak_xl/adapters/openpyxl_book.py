"""Open any workbook we can read as an openpyxl workbook to edit and save as .xlsx/.xlsm.

openpyxl opens only .xlsx/.xlsm; an .xls or .ods (still sent by agencies) is carried over
as the values and merges of every sheet into a new workbook, which the caller saves as a
new .xlsx beside the original (``safe_write.atomic_update`` chooses that path).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rak_xl.errors import WorkbookUnreadable

__all__ = ["OPENPYXL_SUFFIXES", "open_for_edit"]

OPENPYXL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})


def open_for_edit(src: Path, *, keep_vba: bool = False) -> Any:
    """The workbook to edit: the file itself (xlsx/xlsm), else a copy of its values."""
    import openpyxl

    if src.suffix.lower() in OPENPYXL_SUFFIXES:
        try:
            return openpyxl.load_workbook(src, keep_vba=keep_vba, rich_text=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise WorkbookUnreadable(
                f"File {src.absolute()} tidak bisa dibuka untuk diubah ({exc.__class__.__name__})."
            ) from exc
    from rak_xl.workbook import load_grids

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for grid in load_grids(src):
        ws = wb.create_sheet(grid.sheet[:31])
        for i, values in enumerate(grid.rows):
            for j, v in enumerate(values):
                if v is not None:
                    ws.cell(row=grid.first_row + i, column=grid.first_col + j, value=v)
        for r1, c1, r2, c2 in grid.merges:
            if (r1, c1) != (r2, c2):
                ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    return wb
