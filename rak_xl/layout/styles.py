"""The official sheet's look: number formats, fills, cell styles and column widths.

Money uses ``#,##0;-#,##0;"-"``: Excel and LibreOffice draw the thousands separator of
the user's locale, so an Indonesian Windows shows ``1.478.960.200`` and an English one
``1,478,960,200``; zero shows as ``-`` like the accounting format of the original sheets.
"""

from __future__ import annotations

from collections.abc import Mapping

from rak_xl.layout.plan import Style
from rak_xl.sheet_spec import COL, COMPUTED_COLS, LAST_OFFICIAL_COL, OFFICIAL_KAS_COLS

__all__ = [
    "LINE_PT",
    "MIN_ROW_PT",
    "MONEY_FORMAT",
    "STRAY_WIDTH",
    "S_C_EMPTY",
    "S_C_KAS_TW",
    "S_C_MONEY",
    "S_EMPTY",
    "S_HEAD",
    "S_HEAD_COMPUTED",
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
    "TAHUNAN_FORMAT",
    "WIDTHS",
]

MONEY_FORMAT = '#,##0;-#,##0;"-"'


def _tw_format(q: int) -> str:
    # Two sections so a negative shows as "TW 1 = -5" rather than "-TW 1 = 5".
    return f'"TW {q + 1} = "General;"TW {q + 1} = -"General'


def _kas_tw_format(q: int) -> str:
    return f'"TW {q + 1}: "#,##0;"TW {q + 1}: -"#,##0;"TW {q + 1}: -"'


TAHUNAN_FORMAT = '"Tahunan = "General;"Tahunan = -"General'


_HEADER_FILL = "D9E1F2"
_TOTAL_FILL = "F2F2F2"
_COMPUTED_FILL = "FFF2CC"

S_TITLE = Style(bold=True, size=12, h_align="center", v_align="center")
S_NOTE = Style(v_align="top")
S_HEAD = Style(
    bold=True, h_align="center", v_align="center", wrap=True, fill=_HEADER_FILL, border=True
)
S_HEAD_COMPUTED = Style(
    bold=True, h_align="center", v_align="center", wrap=True, fill=_COMPUTED_FILL, border=True
)
S_NUMBER_ROW = Style(italic=True, size=8, h_align="center", v_align="center", border=True)
S_TEXT = Style(h_align="left", v_align="top", wrap=True, border=True)
S_TEXT_CENTER = Style(h_align="center", v_align="top", wrap=True, border=True)
S_NUM = Style(h_align="center", v_align="top", border=True)
S_EMPTY = Style(border=True)
S_MONEY = Style(h_align="right", v_align="top", indent=1, number_format=MONEY_FORMAT, border=True)
S_TAHUNAN = Style(h_align="left", v_align="top", number_format=TAHUNAN_FORMAT, border=True)
S_TW = tuple(
    Style(h_align="left", v_align="top", number_format=_tw_format(q), border=True) for q in range(4)
)
S_C_MONEY = Style(
    h_align="right",
    v_align="top",
    indent=1,
    number_format=MONEY_FORMAT,
    border=True,
    fill=_COMPUTED_FILL,
)
S_C_KAS_TW = tuple(
    Style(
        h_align="right",
        v_align="top",
        number_format=_kas_tw_format(q),
        border=True,
        fill=_COMPUTED_FILL,
    )
    for q in range(4)
)
S_C_EMPTY = Style(border=True, fill=_COMPUTED_FILL)
S_TOTAL_LABEL = Style(
    bold=True, h_align="left", v_align="center", wrap=True, fill=_TOTAL_FILL, border=True
)
S_TOTAL_MONEY = Style(
    bold=True,
    h_align="right",
    indent=1,
    v_align="center",
    number_format=MONEY_FORMAT,
    fill=_TOTAL_FILL,
    border=True,
)
S_TOTAL_EMPTY = Style(fill=_TOTAL_FILL, border=True)
S_STRAY = Style(h_align="left", v_align="top", border=True)
S_SIGN = Style(h_align="center", v_align="top")
S_SIGN_NAME = Style(h_align="center", v_align="top", bold=True, underline=True)

WIDTHS: Mapping[int, float] = {
    COL["s.uraian"]: 18,
    COL["s.indikator"]: 16,
    COL["s.target_tahunan"]: 10,
    COL["s.target_tw"]: 10,
    COL["p.uraian"]: 20,
    COL["p.indikator"]: 17,
    COL["p.target_tw"]: 10,
    COL["p.anggaran"]: 14,
    COL["k.uraian"]: 26,
    COL["k.indikator"]: 22,
    COL["k.volume"]: 7,
    COL["k.satuan"]: 10,
    COL["k.target_tw"]: 10,
    **{c: 11.0 for c in OFFICIAL_KAS_COLS},
    LAST_OFFICIAL_COL: 12,
    **{c: 15 for c in COMPUTED_COLS.values()},
}
STRAY_WIDTH = 14.0
LINE_PT = 12.0  # height of one wrapped line of 9pt text
MIN_ROW_PT = 11.5
