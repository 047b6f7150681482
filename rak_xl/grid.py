"""A sheet as plain data: rows of raw cell values with their position.

Adapters (files via calamine/openpyxl, live Excel via xlwings) produce a ``Grid`` in one
bulk read; the core never sees a library object.
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass, field

__all__ = ["CellValue", "Grid", "Merge", "a1", "col_index", "col_letter"]

# What a cell may hold once read: text, a number, a boolean, a date, or nothing.
# Formula errors (#REF!, #VALUE!) arrive as their text.
CellValue = str | int | float | bool | _dt.datetime | _dt.date | _dt.time | _dt.timedelta | None

# A merged range as 1-based inclusive (first_row, first_col, last_row, last_col).
Merge = tuple[int, int, int, int]


@functools.lru_cache(maxsize=1024)
def col_letter(col: int) -> str:
    """1 -> 'A', 27 -> 'AA'. Cached: the reader names ~35 cells per kegiatan."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def a1(row: int, col: int) -> str:
    """1-based row/col to an A1 address."""
    return f"{col_letter(col)}{row}"


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
