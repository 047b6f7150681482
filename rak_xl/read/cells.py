"""The reader's access to a sheet's grid: the filled cells of a row, cell addresses, and
what a cell value is to the reader (text, a number, something kept verbatim)."""

from __future__ import annotations

import datetime as _dt
import math
import re

from rak_xl.grid import CellValue, Grid, a1, col_letter
from rak_xl.model import StrayValue
from rak_xl.numbers import date_text, is_dash, normalize, number_text, parse_number

__all__ = ["Cells", "SheetCells", "clean", "keep", "text_of"]

Cells = list[tuple[int, CellValue]]  # (physical column, value), non-empty, left to right
_DIGIT = re.compile(r"[0-9]")  # ASCII only: other scripts' digits are no number here


def clean(text: str) -> str:
    """``text`` with its runs of white space as single spaces, trimmed."""
    return " ".join(text.split())


def text_of(value: CellValue) -> str | None:
    """Non-empty text that is not a number or a dash."""
    if isinstance(value, str):
        t = value.strip()
        # A number needs a digit: most texts (uraian, units) are told apart at C speed.
        if t and not is_dash(t) and (_DIGIT.search(t) is None or parse_number(t) is None):
            return t
    return None


def keep(value: CellValue) -> StrayValue:
    """A value as the model keeps it verbatim."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        # NaN/infinite as text: JSON and the workbook writers refuse those floats.
        return normalize(value) if math.isfinite(value) else number_text(value)
    if isinstance(value, _dt.date | _dt.datetime | _dt.time | _dt.timedelta):
        return date_text(value)
    return str(value).strip()


class SheetCells:
    """A grid's rows as the reader walks them: filled cells by row, A1 addresses."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self._cells: dict[int, Cells] = {}
        # Column letters by number: ``addr`` names ~20 cells per kegiatan, and a call to
        # ``a1`` for each was a tenth of the reader's time.
        self.letters = [col_letter(c) for c in range(min(grid.last_col, 1024) + 1)]

    def cells(self, r: int) -> Cells:
        """Non-empty cells of sheet row ``r`` (shared list: callers must not change it).

        Cached, since the signature search and the row split both walk every row; the
        emptiness test is inlined (a call per cell was the reader's biggest single cost).
        """
        hit = self._cells.get(r)
        if hit is None:
            i = r - self.grid.first_row
            fc = self.grid.first_col
            hit = (
                [
                    (fc + j, v)
                    for j, v in enumerate(self.grid.rows[i])
                    if v is not None and (not isinstance(v, str) or v.strip())
                ]
                if 0 <= i < len(self.grid.rows)
                else []
            )
            self._cells[r] = hit
        return hit

    def addr(self, r: int, c: int) -> str:
        """A1 address of sheet row ``r``, column ``c`` (same as ``a1``)."""
        if 0 < c < len(self.letters):
            return self.letters[c] + str(r)
        return a1(r, c)
