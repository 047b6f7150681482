"""The official RAK sheet as pure data: ``plan_sheet(rak) -> SheetPlan``, and its totals.

No spreadsheet library is imported here; adapters (openpyxl, XlsxWriter, xlwings) apply a
plan. ``plan`` holds the plan types, ``styles`` the look, ``builder`` the cell-level
construction, ``sheet`` the layout of the sheet and ``totals`` the total formulas (for
Hitung Ulang too). The sheet's vocabulary (columns, labels) is ``rak_xl.sheet_spec``'s;
it is re-exported here under the names the adapters have always used.
"""

from __future__ import annotations

from rak_xl.layout.plan import (
    Formula,
    PlanCell,
    PlanValue,
    PrintSetup,
    SheetPlan,
    Style,
    TableInfo,
    TotalsBlock,
)
from rak_xl.layout.sheet import plan_sheet
from rak_xl.layout.styles import (
    MONEY_FORMAT,
    S_C_EMPTY,
    S_C_MONEY,
    S_EMPTY,
    S_HEAD,
    S_HEAD_COMPUTED,
    S_MONEY,
    S_NOTE,
    S_NUM,
    S_NUMBER_ROW,
    S_SIGN,
    S_SIGN_NAME,
    S_STRAY,
    S_TAHUNAN,
    S_TEXT,
    S_TEXT_CENTER,
    S_TITLE,
    S_TOTAL_EMPTY,
    S_TOTAL_LABEL,
    S_TOTAL_MONEY,
    S_TW,
    S_YEAR,
    TAHUNAN_FORMAT,
)
from rak_xl.layout.totals import (
    is_official,
    plan_totals,
    total_row_formulas,
    totals_blocks,
    under_merge,
)
from rak_xl.layout.totals4 import recalc_formulas
from rak_xl.sheet_spec import (
    COL,
    COMPUTED_COLS,
    FIRST_STRAY_COL,
    LAST_OFFICIAL_COL,
    MONTHS,
    ROWS_PER_ITEM,
)
from rak_xl.sheet_spec import OFFICIAL_KAS_COLS as MONTH_COLS

__all__ = [
    "COL",
    "COMPUTED_COLS",
    "FIRST_STRAY_COL",
    "LAST_OFFICIAL_COL",
    "MONEY_FORMAT",
    "MONTHS",
    "MONTH_COLS",
    "ROWS_PER_ITEM",
    "S_C_EMPTY",
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
    "S_YEAR",
    "TAHUNAN_FORMAT",
    "Formula",
    "PlanCell",
    "PlanValue",
    "PrintSetup",
    "SheetPlan",
    "Style",
    "TableInfo",
    "TotalsBlock",
    "is_official",
    "plan_sheet",
    "plan_totals",
    "recalc_formulas",
    "total_row_formulas",
    "totals_blocks",
    "under_merge",
]
