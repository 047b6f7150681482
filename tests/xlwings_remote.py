"""Drive xlwings' remote engine (the engine of xlwings Server / Lite) from a real .xlsx.

``remote_book(path)`` reads the file with openpyxl (cached values, sheet names, used
ranges, visibility, existing notes) into the JSON payload an Office.js client sends, and
opens it with ``xw.Book(json=payload)``. The real xlwings ``Book/Sheet/Range`` API then
runs on Linux and records every write as an action; ``count_actions(book)`` sums them up
by kind. Every action is one round trip to Excel, so these counts are the cost of a button.

The payload schema follows ``xlwings/pro/_xlremote.py`` (0.37.x): the sheet's ``values``
start at A1 and run to the last used cell, with ``""`` for empty cells and dates as ISO
strings; ``used_range_address`` gives the real used range; ``notes`` is a list of
``{"address": ...}`` (notes need ``"client": "Office.js"``).

The engine is under the PolyForm Noncommercial licence (``XLWINGS_LICENSE_KEY=noncommercial``,
which covers government institutions); only the tests use it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Before xlwings is imported: it registers the remote engine at import time when the key
# is set.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw

__all__ = [
    "KINDS",
    "action_cells",
    "count_actions",
    "kind_of",
    "payload_from_xlsx",
    "remote_book",
    "remote_book_from_payload",
    "with_far_value",
]

# Action kinds for reports: which round trips a button makes.
KINDS: dict[str, tuple[str, ...]] = {
    "values": ("setValues", "setFormula", "setFormulaArray", "rangeClearContents", "copyRange"),
    "colours": ("setRangeColor", "setRangeColors"),
    "notes": ("addNote", "deleteNote", "setNoteText"),
    "merges": ("rangeMerge", "rangeUnmerge"),
    "formats": (
        "setNumberFormat",
        "setFontProperty",
        "setBorderProperty",
        "setHorizontalAlignment",
        "setVerticalAlignment",
        "setWrapText",
        "setColumnWidth",
        "setRowHeight",
        "rangeClearFormats",
        "copyFromRange",
        "rangeClear",
        "freezePaneAtRange",
        "freezePaneUnfreeze",
        "setPrintArea",
    ),
    "sheets": (
        "addSheet",
        "copySheet",
        "sheetDelete",
        "sheetClear",
        "sheetClearContents",
        "sheetClearFormats",
        "setSheetName",
        "setSheetVisibility",
        "setSheetPosition",
        "activateSheet",
    ),
    "names": ("namesAdd", "nameDelete", "setNameRefersTo"),
    "alerts": ("alert",),
}
_KIND_OF = {func: kind for kind, funcs in KINDS.items() for func in funcs}


def kind_of(func: str) -> str:
    return _KIND_OF.get(func, "other")


def _cell_json(value: Any) -> Any:
    """A cell value as an Office.js client sends it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00.000Z"
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def payload_from_xlsx(path: Path, *, active: str | None = None) -> dict[str, Any]:
    """The Office.js request payload for the workbook at ``path`` (cached values)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(path, data_only=True)
    sheets: list[dict[str, Any]] = []
    for ws in wb.worksheets:
        cells = [
            (c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value is not None
        ]
        last_row = max((r for r, _, _ in cells), default=0)
        last_col = max((c for _, c, _ in cells), default=0)
        values: list[list[Any]] = [[""] * last_col for _ in range(last_row)] or [[]]
        for r, c, v in cells:
            values[r - 1][c - 1] = _cell_json(v)
        used: str | None = None
        if cells:
            first_row = min(r for r, _, _ in cells)
            first_col = min(c for _, c, _ in cells)
            used = (
                f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
            )
        notes = [
            {"address": c.coordinate}
            for row in ws.iter_rows()
            for c in row
            if c.comment is not None
        ]
        sheets.append(
            {
                "name": ws.title,
                "values": values,
                "used_range_address": used,
                "visibility": {"visible": "Visible", "hidden": "Hidden"}.get(
                    ws.sheet_state, "VeryHidden"
                ),
                "pictures": [],
                "shapes": [],
                "charts": [],
                "tables": [],
                "notes": notes,
                "show_gridlines": True,
                "pivot_tables": [],
                "print_area": None,
            }
        )
    names = [s["name"] for s in sheets]
    active_index = names.index(active) if active in names else wb.index(wb.active)
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": active_index, "selection": "A1"},
        "names": _names(wb, names),
        "sheets": sheets,
    }


def _names(wb: Any, sheet_names: list[str]) -> list[dict[str, Any]]:
    """Defined names as the Office.js client sends them: only those that refer to a range
    (book scope, then each sheet's own), hidden ones too (Office.js lists them), with the
    position of the sheet the range is on and its address."""
    out: list[dict[str, Any]] = []
    scopes = [(None, wb.defined_names)] + [(ws.title, ws.defined_names) for ws in wb.worksheets]
    for scope, defined in scopes:
        for dn in defined.values():
            if dn.type != "RANGE":
                continue
            places = list(dn.destinations)
            sheet, address = places[0] if len(places) == 1 else (None, None)
            out.append(
                {
                    "name": dn.name,
                    "sheet_index": sheet_names.index(sheet) if sheet in sheet_names else None,
                    "address": address.replace("$", "") if address else None,
                    "scope_sheet_name": scope,
                    "scope_sheet_index": None if scope is None else sheet_names.index(scope),
                    "book_scope": scope is None,
                }
            )
    return out


def with_far_value(payload: dict[str, Any], sheet: str, row: int, col: int, value: Any) -> None:
    """Put ``value`` at (``row``, ``col``) of ``sheet`` in ``payload``: its used range then
    reaches that cell (``XFD1048576``: 17 billion cells). The rows in between are empty
    lists, not rows of ``""``: the engine reads every range out of these lists, and no
    client could send that range densely; a button must never ask for it whole."""
    from rak_xl.grid import a1

    entry = next(s for s in payload["sheets"] if s["name"] == sheet)
    rows = entry["values"]
    rows.extend([] for _ in range(row - 1 - len(rows)))
    rows.append([""] * (col - 1) + [_cell_json(value)])
    first = (entry["used_range_address"] or "A1").split(":")[0]
    entry["used_range_address"] = f"{first}:{a1(row, col)}"


def _ensure_remote_engine() -> None:
    """Register the remote engine if xlwings was imported before the key was set (another
    test module imported it first)."""
    if "remote" in xw.engines.engines_by_name:
        return
    from xlwings.main import Engine
    from xlwings.pro import _xlremote

    xw.engines.add(Engine(impl=_xlremote.engine))


def remote_book(path: Path, *, active: str | None = None) -> xw.Book:
    """``xw.Book(json=payload)`` on the remote engine for the workbook at ``path``."""
    return remote_book_from_payload(payload_from_xlsx(path, active=active))


def remote_book_from_payload(payload: dict[str, Any]) -> xw.Book:
    """``xw.Book(json=payload)`` on the remote engine."""
    _ensure_remote_engine()
    return xw.Book(json=payload)


def count_actions(book: xw.Book) -> Counter[str]:
    """Recorded actions by kind (``values``, ``colours``, ``notes``, ``merges``, ...)."""
    return Counter(kind_of(a["func"]) for a in book.json()["actions"])


def action_cells(
    book: xw.Book, funcs: Iterable[str], *, sheet: int | None = None, painted_only: bool = True
) -> set[str]:
    """A1 addresses of the cells that actions named ``funcs`` touch.

    For ``setRangeColors`` cells whose entry is ``"keep"`` are left out (and ``None``
    entries, i.e. "no fill", too when ``painted_only``).
    """
    from rak_xl.grid import a1

    wanted = set(funcs)
    out: set[str] = set()
    for act in book.json()["actions"]:
        if act["func"] not in wanted or act["start_row"] is None:
            continue
        if sheet is not None and act["sheet_position"] != sheet:
            continue
        r0, c0 = act["start_row"] + 1, act["start_column"] + 1
        if act["func"] == "setRangeColors":
            for i, row in enumerate(act["args"][0]):
                for j, colour in enumerate(row):
                    if colour == "keep" or (painted_only and colour is None):
                        continue
                    out.add(a1(r0 + i, c0 + j))
            continue
        if act["func"] == "setRangeColor" and painted_only and act["args"][0] is None:
            continue
        for i in range(act["row_count"]):
            for j in range(act["column_count"]):
                out.add(a1(r0 + i, c0 + j))
    return out
