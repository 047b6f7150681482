"""Text measured with the fonts' own metrics: column widths, wrapped lines, row heights.

Widths come from ``fontwidths`` (Arial = Liberation Sans, Calibri = Carlito, measured by
``scripts/font_widths.py``), so a column is as wide as its longest content and no wider.

Excel's column width unit (OOXML ``<col width>``) is the maximum digit width of the
workbook's default font, Calibri 11 (7 px at 96 dpi), and a column of width ``w`` is
``trunc(w * 7)`` px wide; inside it the text has the width less 5 px (2 px of margin on
each side and the grid line, the padding ECMA-376 §18.3.1.13 counts in ``width``). A
number wider than that shows as ``###``. LibreOffice measures the same unit with the
default font's digits unrounded (7.4 px for Carlito 11), so its columns come out about 6 %
wider: the page budget (``printed_width``) takes the wider of the two, the fit of a text in
its cell the narrower.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from rak_xl.layout.fontwidths import DIGIT, LINE, WIDTHS

__all__ = [
    "EXCEL_UNIT_PX",
    "LO_UNIT_PX",
    "PT_PER_PX",
    "column_width",
    "printed_width",
    "row_height",
    "text_width",
    "wrapped_lines",
]

PT_PER_PX = 72 / 96
EXCEL_UNIT_PX = 7  # max digit width of Calibri 11 at 96 dpi, as Excel rounds it
LO_UNIT_PX = 11 * 96 / 72 * DIGIT[("Calibri", False)] / 1000  # 7.44: unrounded
_PAD_PX = 5  # margins and grid line inside a column
_SLACK = 1.03  # rendering differences (hinting, kerning): a text gets 3 % more room
_AMOUNT = re.compile(r"[-0-9.,]*")


def _font(font: str, bold: bool) -> tuple[str, bool]:
    return (font if (font, bold) in WIDTHS else "Arial", bold)


def text_width(text: str, size: float, bold: bool = False, font: str = "Arial") -> float:
    """Width of one line of ``text`` in points."""
    key = _font(font, bold)
    table, wide = WIDTHS[key], DIGIT[key]
    # Digits and separators print at their advance widths; words may kern and hint wider.
    slack = 1.0 if _AMOUNT.fullmatch(text) else _SLACK
    return sum(table.get(ch, wide) for ch in text) * size / 1000 * slack


def column_width(
    texts: Iterable[str], size: float, bold: bool = False, font: str = "Arial"
) -> float:
    """The Excel width (``<col width>``, rounded up to 1/4) that shows the widest of
    ``texts`` on one line."""
    widest = max((text_width(t, size, bold, font) for t in texts), default=0.0)
    px = widest / PT_PER_PX + _PAD_PX
    return math.ceil(px / EXCEL_UNIT_PX * 4) / 4


def printed_width(width: float) -> float:
    """Points a column of Excel width ``width`` takes on the page at 100 %, in the wider
    of Excel and LibreOffice."""
    return width * max(EXCEL_UNIT_PX, LO_UNIT_PX) * PT_PER_PX


_SPACE = re.compile(r"(\s+)")


def wrapped_lines(
    text: str, width: float, size: float, bold: bool = False, font: str = "Arial"
) -> int:
    """Lines ``text`` takes in a wrapped cell of Excel width ``width``: words go on a line
    while they fit (Excel breaks at spaces; a word longer than a line is cut)."""
    room = max(1.0, (math.trunc(width * EXCEL_UNIT_PX) - _PAD_PX) * PT_PER_PX)
    space = text_width(" ", size, bold, font)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split():
            w = text_width(word, size, bold, font)
            if used and used + space + w > room:
                lines, used = lines + 1, 0.0
            if w > room:  # cut: the word fills whole lines, its rest starts the next
                extra, rest = divmod(w, room)
                lines += int(extra) - (1 if rest == 0 else 0)
                used = rest or room
            else:
                used += (space if used else 0.0) + w
        total += lines
    return max(1, total)


def row_height(lines: int, size: float, font: str = "Arial") -> float:
    """Row height in points for ``lines`` lines of text, whole pixels as Excel keeps them:
    the font's line height (ascender, descender, line gap) each, and 3 px of padding."""
    line_px = math.ceil(size / PT_PER_PX * LINE[_font(font, False)] / 1000)
    return (max(1, lines) * line_px + 3) * PT_PER_PX
