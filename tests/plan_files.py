"""Workbooks holding a planned RAK sheet, written by the package writer that ``regenerate``
uses (``rak_xl.opc.planwriter.lay_out``): a file made the way Susun Ulang makes one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter

from rak_xl.layout import SheetPlan, plan_sheet
from rak_xl.model import Rak
from rak_xl.opc import edit_file
from rak_xl.opc.planwriter import lay_out

__all__ = ["plan_file"]


def plan_file(
    path: Path,
    rak: Rak | SheetPlan,
    sheet: str = "RAK",
    *,
    around: Callable[[Any], None] | None = None,
) -> Path:
    """``path`` with sheet ``sheet`` laid out from ``rak`` (or a plan). ``around(book)``
    may add other sheets and names to the XlsxWriter workbook first."""
    plan = rak if isinstance(rak, SheetPlan) else plan_sheet(rak)
    blank = path.with_name(path.stem + ".blank" + path.suffix)
    book = xlsxwriter.Workbook(str(blank))
    if around is not None:
        around(book)
    if book.get_worksheet_by_name(sheet) is None:
        book.add_worksheet(sheet)
    book.close()

    def write(b: Any) -> None:
        ref = b.ref(sheet)
        assert ref is not None
        lay_out(b, ref, plan)

    edit_file(blank, path, write)
    blank.unlink()
    return path
