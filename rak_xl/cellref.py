"""Cell values and A1 addresses: what a sheet's cells are, without the ``Grid`` around them.

Apart from ``rak_xl.grid`` so that the file adapter can size and scan a workbook without
importing ``dataclasses`` (with ``inspect``: about 10 ms) before calamine starts
parsing; ``rak_xl.grid`` re-exports all of it.
"""

from __future__ import annotations

import datetime as _dt
import functools

__all__ = [
    "MAX_COL",
    "MAX_ROW",
    "CellValue",
    "Merge",
    "a1",
    "bad_address",
    "col_index",
    "col_letter",
]

# The last row and column an .xlsx sheet has (XFD1048576).
MAX_ROW, MAX_COL = 1_048_576, 16_384

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


def bad_address(file: str, sheet: str, ref: str, why: str = "") -> str:
    """The sentence refusing a sheet whose XML gives a cell a position no sheet has."""
    why = why or "di luar batas Excel (kolom A sampai XFD, baris 1 sampai 1.048.576)"
    what = "baris bernomor" if ref.isdigit() or not ref else "sel beralamat"
    return (
        f"Sheet '{sheet}' di file {file} rusak: ada {what} '{ref[:20]}' {why}; buka di "
        "Excel, simpan ulang sebagai .xlsx, lalu coba lagi."
    )
