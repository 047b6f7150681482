"""The layers of the package: every module is classified, the pure ones import no
spreadsheet library, no module imports a layer above its own, and a button click does
not pay for pandas."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rak_xl"

# Layers, lowest first. A module may import its own layer and those below, never above
# (imports inside functions and under TYPE_CHECKING count too). A new module must be
# listed here.
VOCABULARY = [
    "rak_xl",
    "rak_xl.sheet_spec",
    "rak_xl.forms",
    "rak_xl.errors",
    "rak_xl.cellref",
    "rak_xl.grid",
    "rak_xl.kode",
    "rak_xl.excel_error",
    "rak_xl.settle",
    "rak_xl.model",
    "rak_xl.numbers",
    "rak_xl.terbilang",
    "rak_xl.jsontext",
]
CORE = [
    "rak_xl.read",
    "rak_xl.read.blocks",
    "rak_xl.read.cells",
    "rak_xl.read.fastrow",
    "rak_xl.read.fields",
    "rak_xl.read.header",
    "rak_xl.read.meaning",
    "rak_xl.read.pick",
    "rak_xl.read.reader",
    "rak_xl.read.rows",
    "rak_xl.read.subkeg",
    "rak_xl.read.title",
    "rak_xl.rules",
    "rak_xl.rules.base",
    "rak_xl.rules.cash",
    "rak_xl.rules.findings",
    "rak_xl.rules.form",
    "rak_xl.rules.kind",
    "rak_xl.rules.kode",
    "rak_xl.rules.number",
    "rak_xl.rules.pagu",
    "rak_xl.rules.sign",
    "rak_xl.rules.struct",
    "rak_xl.rules.target",
    "rak_xl.report",
    "rak_xl.plan_check",
    "rak_xl.marks",
    "rak_xl.backups",
    "rak_xl.layout",
    "rak_xl.layout.blocks",
    "rak_xl.layout.blocks4",
    "rak_xl.layout.builder",
    "rak_xl.layout.fontwidths",
    "rak_xl.layout.frame",
    "rak_xl.layout.metrics",
    "rak_xl.layout.pages",
    "rak_xl.layout.plan",
    "rak_xl.layout.sheet",
    "rak_xl.layout.styles",
    "rak_xl.layout.totals",
    "rak_xl.layout.totals4",
    "rak_xl.paint",
    "rak_xl.paint.attrs",
    "rak_xl.paint.carry",
    "rak_xl.paint.cover",
    "rak_xl.paint.plan",
    "rak_xl.paint.prototype",
    "rak_xl.paint.rects",
    "rak_xl.paint.strokes",
    "rak_xl.paint.tiles",
]
FILES = [
    "rak_xl.workbook",
    "rak_xl.workbook._book",
    "rak_xl.workbook._bound",
    "rak_xl.workbook._limits",
    "rak_xl.workbook._ole",
    "rak_xl.workbook._scan",
    "rak_xl.workbook._trim",
    "rak_xl.workbook._zip",
    "rak_xl.panduan",
    "rak_xl.file_lock",
    "rak_xl.safe_write",
    "rak_xl.dpa",
    "rak_xl.console",
    "rak_xl.xlsm",
    "rak_xl.xlsm.cfb",
    "rak_xl.xlsm.ovba",
    "rak_xl.xlsm.vba_project",
]
ADAPTERS = [
    "rak_xl.adapters",
    "rak_xl.adapters.bounded_read",
    "rak_xl.adapters.xlsxwriter_plan",
    "rak_xl.adapters.xlwings_io",
    "rak_xl.adapters.xlwings_marks",
    "rak_xl.adapters.xlwings_plan",
    "rak_xl.opc",
    "rak_xl.opc._xml",
    "rak_xl.opc._zipio",
    "rak_xl.opc.book",
    "rak_xl.opc.convert",
    "rak_xl.opc.formulas",
    "rak_xl.opc.marking",
    "rak_xl.opc.notes",
    "rak_xl.opc.output",
    "rak_xl.opc.ownsheets",
    "rak_xl.opc.positions",
    "rak_xl.opc.package",
    "rak_xl.opc.planwriter",
    "rak_xl.opc.rebuild",
    "rak_xl.opc.recalc",
    "rak_xl.opc.sheet",
    "rak_xl.opc.styles",
    "rak_xl.opc.workbook",
]
ENTRY_POINTS = [
    "rak_xl.__main__",
    "rak_xl.api",
    "rak_xl.cli",
    "rak_xl.validate_cmd",
    "rak_xl.regenerate",
    "rak_xl.xlsm.template",
    "rak_xl.buttons",
    "rak_xl.udfs",
    "rak_xl.lite",
]
LAYERS = [VOCABULARY, CORE, FILES, ADAPTERS, ENTRY_POINTS]
LAYER_OF = {m: i for i, layer in enumerate(LAYERS) for m in layer}
# Pure: no spreadsheet library, no I/O of their own (everything up to the core).
PURE = [*VOCABULARY, *CORE, "rak_xl.xlsm.cfb", "rak_xl.xlsm.ovba"]
ADAPTER_LIBS = {"openpyxl", "xlwings", "xlsxwriter", "python_calamine", "pandas"}


def _path(module: str) -> Path:
    rel = Path(*module.split(".")[1:])
    package = PACKAGE / rel / "__init__.py"
    return package if package.exists() else PACKAGE / rel.with_suffix(".py")


def _modules() -> set[str]:
    out = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def _imports(module: str) -> list[str]:
    """Every module named by an import statement of ``module`` (absolute imports only:
    the package uses no relative ones)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(_path(module).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: relative import"
            assert node.module is not None
            names.append(node.module)
            # ``from rak_xl.adapters import xlwings_io`` names a module too.
            names.extend(f"{node.module}.{a.name}" for a in node.names)
    return names


def _layer_of(name: str) -> int | None:
    """The layer of the rak_xl module ``name`` (or of its package)."""
    while name not in LAYER_OF and "." in name:
        name = name.rsplit(".", 1)[0]
    return LAYER_OF.get(name)


def test_every_module_is_classified() -> None:
    listed = [m for layer in LAYERS for m in layer]
    assert len(listed) == len(set(listed)), "a module is listed twice"
    assert _modules() == set(listed)


@pytest.mark.parametrize("module", sorted(LAYER_OF))
def test_no_import_from_a_higher_layer(module: str) -> None:
    mine = LAYER_OF[module]
    above = sorted(
        {
            name
            for name in _imports(module)
            if name.split(".")[0] == "rak_xl" and (_layer_of(name) or 0) > mine
        }
    )
    assert not above, f"{module} (layer {mine}) imports {above}"


@pytest.mark.parametrize("module", PURE)
def test_pure_module_imports_no_adapter_library(module: str) -> None:
    # model.py imports pandas lazily inside Rak.to_frame only (checked below).
    allowed = {"pandas"} if module == "rak_xl.model" else set()
    libraries = {name.split(".")[0] for name in _imports(module)}
    assert not (libraries & ADAPTER_LIBS) - allowed


def test_the_vocabulary_imports_nothing_of_the_package() -> None:
    assert not [n for n in _imports("rak_xl.sheet_spec") if n.startswith("rak_xl")]


def test_reader_and_layout_share_only_the_vocabulary() -> None:
    """The reader and the layout each speak the sheet's vocabulary (``sheet_spec``); the
    one never reaches into the other."""
    for module in (m for m in CORE if m.startswith("rak_xl.read")):
        assert not [n for n in _imports(module) if n.startswith("rak_xl.layout")], module
    for module in (m for m in CORE if m.startswith("rak_xl.layout")):
        assert not [n for n in _imports(module) if n.startswith("rak_xl.read")], module


def test_file_checks_start_without_dataclasses() -> None:
    """Everything the CLI runs before calamine parses a sheet stays off ``dataclasses``
    (``inspect``, ``ast``...) and ``typing``: those imports then overlap the parse
    (``rak_xl.cellref``; ``TYPE_CHECKING = False`` where a module needs only names for
    type checkers). The zip scan of a workbook (``_open``) runs before the parse too: which
    sheets are our backups (``rak_xl.backups``, a dataclass) is told after it."""
    seed = Path(__file__).parent / "fixtures" / "seed_banjar_2020.xlsx"
    code = (
        "import sys, pathlib; before = {'dataclasses', 'typing'} & set(sys.modules);"
        "import rak_xl.cli, rak_xl.validate_cmd, rak_xl.api, rak_xl.workbook;"
        "rak_xl.workbook._open(pathlib.Path(sys.argv[1]));"
        "print(bool(before) or not {'dataclasses', 'typing'} & set(sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(seed)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"


def test_buttons_and_core_import_light() -> None:
    code = (
        "import sys, rak_xl.buttons, rak_xl.read, rak_xl.rules, rak_xl.layout, rak_xl.paint.plan;"
        "print(sorted(m for m in ('pandas', 'openpyxl', 'numpy', 'xlwings') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
