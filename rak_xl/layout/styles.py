"""The official sheet's look: number formats, fills, cell styles (widths: ``pages``).

Money uses ``#,##0;-#,##0;"-"``: Excel and LibreOffice draw the thousands separator of
the user's locale, so an Indonesian Windows shows ``1.478.960.200`` and an English one
``1,478,960,200``; zero shows as ``-`` like the accounting format of the original sheets.
"""

from __future__ import annotations

from rak_xl.layout.plan import Style

__all__ = [
    "BODY_PT",
    "MONEY_FORMAT",
    "S_C_EMPTY",
    "S_C_MONEY",
    "S_EMPTY",
    "S_HEAD",
    "S_HEAD_COMPUTED",
    "S_KODE",
    "S_MONEY",
    "S_NOTE",
    "S_NUM",
    "S_NUMBER_ROW",
    "S_SIGN",
    "S_SIGN_NAME",
    "S_STRAY",
    "S_TAHUNAN",
    "S_TEXT",
    "S_TEXT_CENTER",
    "S_TITLE",
    "S_TOTAL_EMPTY",
    "S_TOTAL_LABEL",
    "S_TOTAL_MONEY",
    "S_TW",
    "S_YEAR",
    "TAHUNAN_FORMAT",
    "TITLE_PT",
    "TW_FORMAT",
]

MONEY_FORMAT = '#,##0;-#,##0;"-"'
# A quarter's target: the number as typed (0 stays 0); an empty quarter holds the text "-".
TW_FORMAT = "General"
TAHUNAN_FORMAT = "General"

BODY_PT = 8.0  # the table's text: at the 88 % print scale, 7 pt on paper
TITLE_PT = 11.0

_HEADER_FILL = "D9E1F2"
_TOTAL_FILL = "F2F2F2"
_COMPUTED_FILL = "FFF2CC"

S_TITLE = Style(bold=True, size=TITLE_PT, h_align="center", v_align="center")
S_NOTE = Style(size=BODY_PT, v_align="top")
S_HEAD = Style(
    bold=True,
    size=BODY_PT,
    h_align="center",
    v_align="center",
    wrap=True,
    fill=_HEADER_FILL,
    border=True,
)
S_HEAD_COMPUTED = Style(
    bold=True,
    size=BODY_PT,
    h_align="center",
    v_align="center",
    wrap=True,
    fill=_COMPUTED_FILL,
    border=True,
)
S_NUMBER_ROW = Style(italic=True, size=BODY_PT, h_align="center", v_align="center", border=True)
S_TEXT = Style(size=BODY_PT, h_align="left", v_align="top", wrap=True, border=True)
S_TEXT_CENTER = Style(size=BODY_PT, h_align="center", v_align="top", wrap=True, border=True)
# A code (``2.08.01.2.01.0001``): text, so that Excel keeps ``2.10`` as typed.
S_KODE = Style(size=BODY_PT, h_align="left", v_align="top", number_format="@", border=True)
S_NUM = Style(size=BODY_PT, h_align="center", v_align="top", border=True)
S_EMPTY = Style(size=BODY_PT, border=True)
S_MONEY = Style(
    size=BODY_PT, h_align="right", v_align="top", number_format=MONEY_FORMAT, border=True
)
S_TAHUNAN = Style(
    size=BODY_PT, h_align="center", v_align="top", number_format=TAHUNAN_FORMAT, border=True
)
S_TW = Style(size=BODY_PT, h_align="center", v_align="top", number_format=TW_FORMAT, border=True)
# The year total beside the months: a formula, printed, shaded like the totals.
S_YEAR = Style(
    size=BODY_PT,
    h_align="right",
    v_align="top",
    number_format=MONEY_FORMAT,
    border=True,
    fill=_TOTAL_FILL,
)
S_C_MONEY = Style(
    size=BODY_PT,
    h_align="right",
    v_align="top",
    number_format=MONEY_FORMAT,
    border=True,
    fill=_COMPUTED_FILL,
)
S_C_EMPTY = Style(size=BODY_PT, border=True, fill=_COMPUTED_FILL)
S_TOTAL_LABEL = Style(
    bold=True, size=BODY_PT, h_align="left", v_align="center", fill=_TOTAL_FILL, border=True
)
S_TOTAL_MONEY = Style(
    bold=True,
    size=BODY_PT,
    h_align="right",
    v_align="center",
    number_format=MONEY_FORMAT,
    fill=_TOTAL_FILL,
    border=True,
)
S_TOTAL_EMPTY = Style(size=BODY_PT, fill=_TOTAL_FILL, border=True)
S_STRAY = Style(size=BODY_PT, h_align="left", v_align="top", border=True)
S_SIGN = Style(size=9, h_align="center", v_align="top")
S_SIGN_NAME = Style(size=9, h_align="center", v_align="top", bold=True, underline=True)
