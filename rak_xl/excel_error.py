"""Excel's error values as a cell shows them (``#N/A``, ``#REF!`` ...).

A formula that fails leaves its error as the cell's value; the workbook readers pass it on
as its text (calamine's cached result, the pre-scan of ``t="e"`` cells, BIFF error codes).
Such a text is no name, no unit and no number: the reader keeps it in ``raw`` (written
back as it was) and ``struct.cell-error`` reports it once per cell.

Pure, and imports nothing of this package: every layer may use it.
"""

from __future__ import annotations

import re

__all__ = ["EXCEL_ERRORS", "is_excel_error"]

# The classic seven, and those of dynamic arrays, data types and Python in Excel.
EXCEL_ERRORS = frozenset(
    {
        "#N/A", "#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#NUM!", "#NULL!",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!",
        "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!", "#GETTING_DATA",
    }
)  # fmt: skip
# LibreOffice shows most of its errors as "Err:502" (and #NAME?, #REF! ... as Excel does).
_LO_ERROR = re.compile(r"Err:\d{3}")


def is_excel_error(text: object) -> bool:
    """Is ``text`` an error value as a spreadsheet shows it (nothing else in the cell)?"""
    if not isinstance(text, str) or not text:
        return False
    t = text.strip()
    if t[:1] == "#":
        return t.upper() in EXCEL_ERRORS
    return t[:4] == "Err:" and _LO_ERROR.fullmatch(t) is not None
