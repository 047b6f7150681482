"""Whether a planned sheet reads back as the model it was planned from (before writing).

``regenerate`` checks the file it wrote; Susun Ulang in Excel writes into the open sheet,
where the check would come after the damage. This check comes first: the plan's values
as the reader would see them in the sheet (formulas, which the reader skips, as empty
cells) are read, and must mean what the model says (``rak_xl.read.meaning``). Here, not
in ``layout``: the layout and the reader share only the sheet's vocabulary.
"""

from __future__ import annotations

from rak_xl.grid import CellValue, Grid
from rak_xl.layout.plan import Formula, SheetPlan
from rak_xl.model import Rak
from rak_xl.read import read_rak
from rak_xl.read.meaning import same_meaning

__all__ = ["plan_grid", "reads_back"]


def plan_grid(plan: SheetPlan, sheet: str = "RAK") -> Grid:
    """The plan's values as a grid from A1 (a formula cell empty)."""
    rows: list[list[CellValue]] = [[None] * plan.last_col for _ in range(plan.last_row)]
    for (r, c), cell in plan.cells.items():
        if cell.value is not None and not isinstance(cell.value, Formula):
            rows[r - 1][c - 1] = cell.value
    return Grid(rows=rows, sheet=sheet, merges=list(plan.merges))


def reads_back(plan: SheetPlan, rak: Rak) -> bool:
    """Does ``plan`` read back as ``rak`` (the same values; a text's form may differ)?"""
    return same_meaning(read_rak(plan_grid(plan, rak.src.sheet or "RAK")), rak)
