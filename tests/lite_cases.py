"""What the xlwings Lite tests press and call, and the CPython run of ``tests/pyodide/driver.py``.

``cases()`` is the input of the driver: workbooks as the JSON payload the Office.js client
sends (``tests/xlwings_remote.py``) with the scripts to press on each, in order on the same
book, and custom-function requests as the add-in sends them. ``run_driver(cases, tmp)``
runs the driver in a fresh CPython with ``XLWINGS_ON_SERVER=true``, as xlwings Lite runs
xlwings; the Pyodide test runs the same file under Node and compares.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import xlwings as xw

from tests.xlwings_remote import payload_from_xlsx

ROOT = Path(__file__).resolve().parents[1]
PYODIDE_DIR = ROOT / "tests" / "pyodide"
DRIVER = PYODIDE_DIR / "driver.py"
SEED = ROOT / "tests" / "fixtures" / "seed_banjar_2020.xlsx"
TEMPLATE = ROOT / "workbook_template.xlsm"

__all__ = ["FUNCTION_CALLS", "cases", "function_call", "run_driver"]


def function_call(name: str, *args: Any) -> dict[str, Any]:
    """A custom-function request as the Office.js add-in sends it (one matrix per arg)."""
    return {
        "func_name": name,
        "args": list(args),
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "caller_address": "Sheet1!AA9",
        "culture_info_name": "id-ID",
        "date_format": "dd/mm/yyyy",
    }


_KAS = [
    [0, 0, 33_692_500, 0, 0, 0, 15_000_000, 0, 0, 0, 0, 2_500_000],
    ["", "-", "1.000", *[0] * 9],  # blank and "-" are 0, text numbers are read
]
FUNCTION_CALLS = [
    function_call("RAK_KAS_TW", _KAS, [[3]]),
    function_call("RAK_JUMLAH", _KAS),
    function_call("RAK_TARGET", [["TW 1 = 355 TW 2 = - TW 3 = - TW 4 = 5"], [12]], [["TW IV"]]),
    function_call("RAK_CEK", [["1416 Orang"]], [["TW 1 = 355 TW 4 = 5"]], [_KAS[0]], [[None]]),
    function_call("TERBILANG", [[1_001_000, 2_656_885_200]], [[True]]),
    function_call("RUPIAH", [[2_656_885_200, -33_692_500.5]]),
]


def cases() -> dict[str, Any]:
    return {
        "scripts": [
            {
                "name": "seed",
                "payload": payload_from_xlsx(SEED),
                "press": ["validasi", "susun_ulang", "batalkan"],
            },
            {
                "name": "template Contoh",
                "payload": payload_from_xlsx(TEMPLATE, active="Contoh"),
                "press": ["validasi", "hitung_ulang", "susun_ulang"],
            },
        ],
        "functions": FUNCTION_CALLS,
    }


def run_driver(case_input: dict[str, Any], tmp: Path) -> dict[str, Any]:
    """The driver in CPython (a fresh process: xlwings must start in Lite's mode)."""
    src, out = tmp / "cases.json", tmp / "cpython.json"
    src.write_text(json.dumps(case_input), encoding="utf-8")
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(src), str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result
