"""The pure core imports no spreadsheet library; a button click does not pay for pandas."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rak_xl"
RULES = sorted(f"rules/{p.name}" for p in (PACKAGE / "rules").glob("*.py"))
CORE = [
    "model.py", "grid.py", "cellref.py", "numbers.py", "header.py", "frame.py", "read.py",
    "report.py", "marks.py", "layout.py", "terbilang.py", *RULES,
]  # fmt: skip
ADAPTER_LIBS = {"openpyxl", "xlwings", "xlsxwriter", "python_calamine", "pandas"}


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_adapter_library(module: str) -> None:
    # model.py imports pandas lazily inside Rak.to_frame only (checked below).
    allowed = {"pandas"} if module == "model.py" else set()
    assert not (_imported(PACKAGE / module) & ADAPTER_LIBS) - allowed


def test_file_checks_start_without_dataclasses() -> None:
    """Everything the CLI runs before calamine parses a sheet stays off ``dataclasses``
    (``inspect``, ``ast``...): that import then overlaps the parse (``rak_xl.cellref``)."""
    code = (
        "import sys; before = 'dataclasses' in sys.modules;"
        "import rak_xl.cli, rak_xl.validate_cmd, rak_xl.api, rak_xl.workbook;"
        "print(before or 'dataclasses' not in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_buttons_and_core_import_light() -> None:
    code = (
        "import sys, rak_xl.buttons, rak_xl.read, rak_xl.rules, rak_xl.layout;"
        "print(sorted(m for m in ('pandas', 'openpyxl', 'numpy', 'xlwings') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
