"""Every action a button emits is one the Office.js client applies (xlwings Lite and Server).

The remote engine records a click as a list of actions; the Office.js client replays them
by name (``globalThis.callbacks[action.func]``), so a name it has no callback for would
stop the click in Excel. ``OFFICEJS`` lists the names our buttons need, each with where
it is stated that Office.js applies it:

- CLIENT: the ``funcs`` map of the Office.js client, ``app/static/js/core/xlwingsjs/
  xlwings.js`` in the xlwings Server repository (the client xlwings Lite shares);
- CLIENT_MODULE: a callback the same client defines in its range-callback module
  (``createSetRangeColors`` needs ExcelApi 1.9; ``setBorderProperty`` maps
  ``xlwings.pro._xlremote.Border``'s vocabulary);
- ENGINE: the engine itself refuses the action for any other client, so it exists for
  Office.js only (``Range.add_note``: "Adding notes requires an Office.js client";
  ``Range._require_officejs``: "Only the Office.js client implements the alignment
  callbacks").

Each name must also be one the pinned engine emits (``func="..."`` in
``xlwings/pro/_xlremote.py``), so a renamed action fails here on an xlwings upgrade. The
scenarios press every button on real workbooks through the remote engine, including the
paths Batalkan, a second Validasi, a second Susun Ulang, a value far beyond the table
and a sheet without a RAK table take; none may end in
the unexpected-error message, i.e. nothing on these paths needs COM (``.api``).
"""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from rak_xl import buttons
from tests.xlwings_remote import (
    payload_from_xlsx,
    remote_book,
    remote_book_from_payload,
    with_far_value,
)

pytestmark = pytest.mark.slow  # xlwings' remote engine over six scenarios

CLIENT = "client funcs map"
CLIENT_MODULE = "client range-callback module"
ENGINE = "engine: Office.js clients only"
OFFICEJS: dict[str, str] = {
    "activateSheet": CLIENT,
    "addSheet": CLIENT,
    "alert": CLIENT,
    "copyFromRange": CLIENT,
    "copyRange": CLIENT,
    "copySheet": CLIENT,
    "deleteNote": CLIENT,
    "freezePaneAtRange": CLIENT,
    "namesAdd": CLIENT,
    "rangeClear": CLIENT,
    "rangeMerge": CLIENT,
    "setColumnWidth": CLIENT,
    "setFontProperty": CLIENT,
    "setNoteText": CLIENT,
    "setNumberFormat": CLIENT,
    "setPrintArea": CLIENT,
    "setRowHeight": CLIENT,
    "setSheetName": CLIENT,
    "setSheetVisibility": CLIENT,
    "setValues": CLIENT,
    "setWrapText": CLIENT,
    "sheetClear": CLIENT,
    "sheetClearContents": CLIENT,
    "sheetDelete": CLIENT,
    "setRangeColors": CLIENT_MODULE,
    "setBorderProperty": CLIENT_MODULE,
    "addNote": ENGINE,
    "setHorizontalAlignment": ENGINE,
    "setVerticalAlignment": ENGINE,
}

# What each button emits over the scenarios below (a new kind of action must be added
# here, after checking that the Office.js client applies it). Validasi also deletes a
# note of ours whose finding is gone (deleteNote), which no scenario here reaches.
# Susun Ulang marks its backup with a sheet-scoped name (namesAdd), deletes its previous
# backup of the sheet (sheetDelete) and, on a sheet with a value far beyond the table,
# clears only the area it rebuilds (rangeClear) instead of the whole sheet (sheetClear).
EMITS: dict[str, set[str]] = {
    "validasi": {
        "activateSheet", "addNote", "addSheet", "alert", "setColumnWidth",
        "setFontProperty", "setNoteText", "setRangeColors", "setSheetVisibility",
        "setValues", "setWrapText", "sheetClearContents", "sheetDelete",
    },
    # Hitung Ulang writes formulas only; on a sheet whose totals rows do not match it
    # only says to press Susun Ulang.
    "hitung_ulang": {"alert", "setValues"},
    "susun_ulang": {
        "activateSheet", "alert", "copyFromRange", "copySheet", "freezePaneAtRange",
        "namesAdd", "rangeClear", "rangeMerge", "setBorderProperty", "setColumnWidth",
        "setFontProperty", "setHorizontalAlignment", "setNumberFormat", "setPrintArea",
        "setRangeColors", "setRowHeight", "setSheetName", "setSheetVisibility",
        "setValues", "setVerticalAlignment", "setWrapText", "sheetClear", "sheetDelete",
    },
    "batalkan": {"activateSheet", "alert", "copyRange", "sheetClear"},
}  # fmt: skip

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed_banjar_2020.xlsx"
TEMPLATE = Path(__file__).parent.parent / "workbook_template.xlsm"
UNEXPECTED = buttons._UNEXPECTED.split("{", 1)[0]
Scenario = Callable[[Path], list[tuple[str, list[str]]]]


def _press(book: Any, *names: str) -> list[tuple[str, list[str]]]:
    """Press the buttons in turn on one book: (button, action names) per press."""
    out = []
    for name in names:
        book.json()["actions"].clear()
        message = getattr(buttons, name)(book)
        assert not message.startswith(UNEXPECTED), (name, message)
        out.append((name, [a["func"] for a in book.json()["actions"]]))
    return out


def _official(tmp: Path) -> Path:
    out = tmp / "official.xlsx"
    cmd = [sys.executable, "-m", "rak_xl", "regenerate", str(SEED), "-o", str(out)]
    assert subprocess.run(cmd, capture_output=True, check=False).returncode == 0
    return out


def _marked(tmp: Path) -> Path:
    path = Path(shutil.copy(SEED, tmp / "marked.xlsx"))
    cmd = [sys.executable, "-m", "rak_xl", "validate", "--mark", str(path)]
    assert subprocess.run(cmd, capture_output=True, check=False).returncode == 1
    return path


def _no_table(tmp: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "bukan RAK"
    wb.save(tmp / "kosong.xlsx")
    return tmp / "kosong.xlsx"


def _far(tmp: Path) -> Any:
    """The seed with a value 20,000 rows down (a used range past ``MAX_CELLS``)."""
    payload = payload_from_xlsx(SEED)
    name = payload["sheets"][payload["book"]["active_sheet_index"]]["name"]
    with_far_value(payload, name, 20_000, 300, "jauh")
    return remote_book_from_payload(payload)


SCENARIOS: dict[str, Scenario] = {
    "seed": lambda tmp: _press(
        remote_book(SEED), "validasi", "susun_ulang", "susun_ulang", "batalkan"
    ),
    "far value": lambda tmp: _press(_far(tmp), "validasi", "susun_ulang", "batalkan"),
    "seed, no backup yet": lambda tmp: _press(remote_book(SEED), "batalkan", "hitung_ulang"),
    "template": lambda tmp: _press(
        remote_book(TEMPLATE, active="Contoh"), "validasi", "hitung_ulang", "susun_ulang"
    ),
    "official": lambda tmp: _press(remote_book(_official(tmp)), "hitung_ulang", "validasi"),
    "marked by the CLI": lambda tmp: _press(remote_book(_marked(tmp)), "validasi"),
    "no RAK table": lambda tmp: _press(
        remote_book(_no_table(tmp)), "validasi", "hitung_ulang", "susun_ulang"
    ),
}


@pytest.fixture(scope="module")
def emitted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {name: set() for name in EMITS}
    for label, scenario in SCENARIOS.items():
        for name, funcs in scenario(tmp_path_factory.mktemp(label.replace(" ", "_"))):
            out[name].update(funcs)
    return out


@pytest.mark.parametrize("button", sorted(EMITS))
def test_button_emits_only_actions_office_js_applies(
    button: str, emitted: dict[str, set[str]]
) -> None:
    assert emitted[button] <= set(OFFICEJS), emitted[button] - set(OFFICEJS)
    assert emitted[button] == EMITS[button]


def test_every_listed_action_is_one_the_pinned_engine_emits() -> None:
    from xlwings.pro import _xlremote

    source = inspect.getsource(_xlremote)
    assert [n for n in OFFICEJS if f'func="{n}"' not in source] == []
    # The engine's own statements behind the ENGINE entries.
    assert "Adding notes requires an Office.js client" in source
    assert "Only the Office.js client implements the alignment" in source
