"""rak-xl installed and run in real Pyodide (the Python of xlwings Lite), under Node, offline.

Set-up (``.ci/run`` does it): ``npm ci --prefix tests/pyodide`` (the pinned ``pyodide``
npm package), ``python -m build`` and ``python tests/pyodide/wheels.py dist/<wheel>
tests/pyodide/wheels`` (rak-xl's wheel and the pure-Python wheels it needs in Pyodide).
Node is started once (``tests/pyodide/run.mjs``): micropip installs the dependencies from
the local folder, then rak-xl's wheel with dependency resolution (so an unmarked compiled
dependency would make micropip go looking for it, which the runner forbids: any network
request fails). The driver then presses Validasi, Hitung Ulang, Susun Ulang and Batalkan
on books built from the seed fixture and the template, and calls the six cell functions,
through xlwings' Lite dispatch; the recorded actions must equal the CPython run's.

Skipped with a reason when a piece is missing; with ``RAK_XL_REQUIRE_PYODIDE=1`` (CI) a
missing piece fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from typing import Any

import pytest

from rak_xl import __version__
from tests.lite_cases import PYODIDE_DIR, ROOT, cases, run_driver

pytestmark = pytest.mark.slow

WHEELS = PYODIDE_DIR / "wheels"
PINNED = json.loads((PYODIDE_DIR / "package.json").read_text("utf-8"))["dependencies"]["pyodide"]
WHEEL = WHEELS / f"rak_xl-{__version__}-py3-none-any.whl"


def _missing() -> str | None:
    """Why the test cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (PYODIDE_DIR / "node_modules" / "pyodide" / "pyodide.mjs").exists():
        return "pyodide not installed: npm ci --prefix tests/pyodide"
    if not (WHEELS / "order.json").exists() or not WHEEL.exists():
        return "wheels not fetched: python -m build; python tests/pyodide/wheels.py ..."
    with zipfile.ZipFile(WHEEL) as z:
        stale = [
            name
            for name in z.namelist()
            if name.startswith("rak_xl/")
            and name.endswith(".py")
            and (ROOT / name).read_bytes() != z.read(name)
        ]
    if stale:
        return f"{WHEEL.name} is older than the source ({stale[0]}): rebuild it"
    return None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    why = _missing()
    if why is not None:
        if os.environ.get("RAK_XL_REQUIRE_PYODIDE") == "1":
            pytest.fail(f"Pyodide test required but {why}")
        pytest.skip(why)
    tmp = tmp_path_factory.mktemp("pyodide")
    given = cases()
    cpython = run_driver(given, tmp)
    node = subprocess.run(
        ["node", str(PYODIDE_DIR / "run.mjs"), str(WHEELS), str(tmp / "cases.json"),
         str(tmp / "pyodide.json")],
        capture_output=True, text=True, cwd=PYODIDE_DIR, timeout=600, check=False,
    )  # fmt: skip
    assert node.returncode == 0, node.stderr[-3000:]
    pyodide = json.loads((tmp / "pyodide.json").read_text("utf-8"))
    timing = json.loads((tmp / "pyodide.json.timing.json").read_text("utf-8"))
    return {"cpython": cpython, "pyodide": pyodide, "timing": timing}


def test_it_is_pyodide_and_nothing_was_fetched(runs: dict[str, Any]) -> None:
    got, timing = runs["pyodide"], runs["timing"]
    assert got["platform"] == "emscripten"
    assert timing["pyodide_version"] == PINNED
    assert timing["network_requests"] == []


def test_the_wheel_installs_without_its_compiled_dependencies(runs: dict[str, Any]) -> None:
    installed = set(runs["pyodide"]["micropip_list"])
    assert "rak-xl" in installed
    assert not installed & {"python-calamine", "pandas", "numpy"}


def test_lite_sees_the_same_scripts_and_functions(runs: dict[str, Any]) -> None:
    got, ref = runs["pyodide"], runs["cpython"]
    for key in ("scripts_meta", "functions", "docs"):
        assert got[key] == ref[key], key


def test_buttons_record_the_same_actions_as_in_cpython(runs: dict[str, Any]) -> None:
    got, ref = runs["pyodide"], runs["cpython"]
    assert [r["case"] for r in got["runs"]] == [r["case"] for r in ref["runs"]]
    for mine, theirs in zip(got["runs"], ref["runs"], strict=True):
        for step, ref_step in zip(mine["steps"], theirs["steps"], strict=True):
            assert step["actions"] == ref_step["actions"], (mine["case"], step["script"])
    first = got["runs"][0]["steps"]  # the seed: Validasi found its findings, Susun Ulang ran
    assert first[0]["actions"][-1]["args"][0].endswith("lihat sheet Temuan")
    assert first[1]["actions"][-1]["args"][0].startswith("Lembar RAK disusun ulang")
    assert first[2]["actions"][-1]["args"][0].startswith("Lembar 'RA 2020' dikembalikan")


def test_cell_functions_answer_the_same(runs: dict[str, Any]) -> None:
    assert runs["pyodide"]["calls"] == runs["cpython"]["calls"]


def test_no_compiled_or_process_module_was_loaded(runs: dict[str, Any]) -> None:
    assert runs["pyodide"]["forbidden_loaded"] == []
