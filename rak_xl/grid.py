"""A sheet as plain data: rows of raw cell values with their position.

Adapters (files via calamine/openpyxl, live Excel via xlwings) produce a ``Grid`` in one
bulk read; the core never sees a library object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rak_xl.cellref import CellValue, Merge, a1, col_index, col_letter

__all__ = ["CellValue", "Grid", "Merge", "a1", "col_index", "col_letter"]


@dataclass
class Grid:
    """Cell values of one sheet, trimmed to the used area.

    ``rows[i][j]`` is the cell at sheet row ``first_row + i`` and column ``first_col + j``
    (both 1-based). Empty cells are ``None`` (adapters map calamine's ``""`` to ``None``).
    Rows may be ragged; a missing cell is empty.
    """

    rows: list[list[CellValue]]
    first_row: int = 1
    first_col: int = 1
    sheet: str = "RAK"
    merges: list[Merge] = field(default_factory=list)

    def value(self, row: int, col: int) -> CellValue:
        """Value at 1-based sheet coordinates, ``None`` outside the grid."""
        i, j = row - self.first_row, col - self.first_col
        if 0 <= i < len(self.rows) and 0 <= j < len(self.rows[i]):
            return self.rows[i][j]
        return None

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1

    @property
    def last_col(self) -> int:
        width = max(map(len, self.rows), default=0)  # at C speed: asked for per reader
        return self.first_col + width - 1
