"""Press rak-xl's Lite scripts and call its Lite functions as xlwings Lite does.

Runs unchanged in Pyodide (``run.mjs``) and in CPython (the reference run of
``tests/test_pyodide.py``): ``python driver.py CASES.json RESULT.json``.

As in xlwings Lite, xlwings is imported with ``XLWINGS_ON_SERVER=true`` (so ``xw.script``
and ``xw.func`` are the Lite decorators, as xlwings Server's ``config.py`` sets before
importing xlwings) and the workbook's code is a module named ``main``: here the one line
``from rak_xl.lite import *``. Scripts go through ``xlwings.server.custom_scripts_call``
with the book the add-in would send (``xw.Book(json=payload)``), functions through
``custom_functions_call``; the recorded actions and results are written out.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import sys
import time
import types
from typing import Any

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import xlwings as xw  # after the environment above
from xlwings.server import (
    custom_functions_call,
    custom_functions_meta,
    custom_scripts_call,
    custom_scripts_meta,
)

# Compiled, threaded or process-starting modules the button and function paths must not
# load (Pyodide has none of the first kind here; importing one would fail the script).
FORBIDDEN = ("python_calamine", "pandas", "numpy", "subprocess", "multiprocessing", "lxml")
MAIN_PY = "from rak_xl.lite import *\n"


def _main_module() -> types.ModuleType:
    module = types.ModuleType("main")
    exec(MAIN_PY, module.__dict__)  # what Lite does with the workbook's main.py
    sys.modules["main"] = module
    return module


async def run(cases: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    before = set(sys.modules)
    main = _main_module()
    out: dict[str, Any] = {
        "platform": sys.platform,
        "python": sys.version.split()[0],
        "xlwings": xw.__version__,
        "scripts_meta": custom_scripts_meta(main),
        "functions": [f["name"] for f in custom_functions_meta(main)["functions"]],
        "docs": {name: inspect.getdoc(getattr(main, name)) for name in main.SCRIPTS},
        "runs": [],
        "calls": [],
    }
    for case in cases["scripts"]:
        book = xw.Book(json=case["payload"])
        steps = []
        for name in case["press"]:
            book.json()["actions"].clear()
            book = await custom_scripts_call(main, name, typehint_to_value={xw.Book: book})
            actions = json.loads(json.dumps(book.json()["actions"]))  # a copy: cleared above
            steps.append({"script": name, "actions": actions})
        out["runs"].append({"case": case["name"], "steps": steps})
    for call in cases["functions"]:
        out["calls"].append(await custom_functions_call(call, main))
    loaded = set(sys.modules) - before
    out["forbidden_loaded"] = sorted(m for m in loaded if m.split(".")[0] in FORBIDDEN)
    out["seconds"] = round(time.perf_counter() - started, 3)
    return out


def main(argv: list[str]) -> None:
    with open(argv[1], encoding="utf-8") as fh:
        cases = json.load(fh)
    result = asyncio.run(run(cases))  # in Pyodide, run.mjs awaits run() itself
    with open(argv[2], "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv)
