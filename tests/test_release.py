"""Release artefacts: one version, `rak-xl --version`, and the built wheel and sdist.

``.ci/run`` builds ``dist/`` with ``python -m build`` before the tests; the artefact tests
skip without it locally and fail without it when ``RAK_XL_REQUIRE_PYODIDE=1`` (CI).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

from rak_xl import __version__
from tests.pyodide.wheels import active, pyodide_environment

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
WHEEL = DIST / f"rak_xl-{__version__}-py3-none-any.whl"
SDIST = DIST / f"rak_xl-{__version__}.tar.gz"
# Compiled, without a Pyodide build (python-calamine) or not needed by the buttons and
# cell functions (pandas): both marked `sys_platform != "emscripten"`.
NOT_IN_PYODIDE = {"python-calamine", "pandas"}
IN_PYODIDE = {"xlwings", "openpyxl", "xlsxwriter", "defusedxml", "olefile", "babel"}


def test_version_comes_from_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "rak_xl.__version__"}
    assert metadata.version("rak-xl") == __version__


def test_cli_prints_its_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rak_xl", "--version"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, f"rak-xl {__version__}\n")


def _names(reqs: list[Requirement]) -> set[str]:
    return {r.name.lower() for r in reqs}


def _check_markers(reqs: list[Requirement]) -> None:
    runtime = [r for r in reqs if r.marker is None or "extra" not in str(r.marker)]
    assert _names(active(runtime, pyodide_environment("3.13.2"))) == IN_PYODIDE
    assert _names(active(runtime, dict(default_environment()))) == IN_PYODIDE | NOT_IN_PYODIDE


def test_installed_metadata_marks_what_pyodide_cannot_install() -> None:
    _check_markers([Requirement(r) for r in metadata.requires("rak-xl") or []])


def _require_dist() -> None:
    if WHEEL.exists() and SDIST.exists():
        return
    if os.environ.get("RAK_XL_REQUIRE_PYODIDE") == "1":
        pytest.fail(f"{WHEEL.name} / {SDIST.name} not built (python -m build)")
    pytest.skip("dist/ not built: python -m build")


def test_wheel_metadata_entry_points_and_guide() -> None:
    _require_dist()
    with zipfile.ZipFile(WHEEL) as z:
        info = f"rak_xl-{__version__}.dist-info"
        meta = Parser().parsestr(z.read(f"{info}/METADATA").decode("utf-8"))
        assert meta["Version"] == __version__
        _check_markers([Requirement(r) for r in meta.get_all("Requires-Dist") or []])
        assert "Root-Is-Purelib: true" in z.read(f"{info}/WHEEL").decode("utf-8")
        entry_points = z.read(f"{info}/entry_points.txt").decode("utf-8")
        assert "[console_scripts]\nrak-xl = rak_xl.cli:entry" in entry_points
        assert z.read("rak_xl/data/PANDUAN.md") == (ROOT / "docs" / "PANDUAN.md").read_bytes()
        assert {"rak_xl/lite.py", "rak_xl/udfs.py", "rak_xl/buttons.py"} <= set(z.namelist())


def test_sdist_carries_the_guide_and_twine_accepts_both() -> None:
    _require_dist()
    with tarfile.open(SDIST) as tar:
        member = tar.getmember(f"rak_xl-{__version__}/rak_xl/data/PANDUAN.md")
        assert member.isfile()  # the link's target, not the link
        data = tar.extractfile(member)
        assert data is not None and data.read() == (ROOT / "docs" / "PANDUAN.md").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(WHEEL), str(SDIST)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
