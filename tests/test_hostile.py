"""The hostile corpus (tests/hostile/build_hostile.py): every file is refused cleanly or
read safely, through the library and through every CLI command, and never modified."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile import build_hostile as B  # tests/ is on sys.path, as for lo, rules_model

from rak_xl import errors
from rak_xl.grid import col_index
from rak_xl.workbook import load_grid

ROOT = Path(__file__).resolve().parents[1]


CASES: dict[str, dict[str, Any]] = {
    name: {"file": name, "outcome": "refuse", **case} for name, _fn, case in B.CASES
}
REFUSED = [n for n, c in CASES.items() if c["outcome"] == "refuse"]
READ = [n for n, c in CASES.items() if c["outcome"] == "read"]


def _first_quick(names: list[str]) -> list[Any]:
    """The first case in the quick run, the others (a CLI process each) with the slow
    tests: the in-process tests above cover every file quickly."""
    return [names[0], *(pytest.param(n, marks=pytest.mark.slow) for n in names[1:])]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    manifest = B.build(out, soffice=False)
    assert [c["file"] for c in manifest] == list(CASES)
    return out


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _check_message(msg: str, file: str, contains: str) -> None:
    assert file in msg
    assert contains in msg
    assert "\n" not in msg and "Traceback" not in msg
    assert msg.endswith(".")


@pytest.mark.slow
@pytest.mark.parametrize("name", REFUSED)
def test_refused(corpus: Path, name: str) -> None:
    case = CASES[name]
    path = corpus / name
    before = _sha(path)
    err_type = getattr(errors, case["error"])
    with pytest.raises(err_type) as exc:
        load_grid(path)
    _check_message(str(exc.value), name, case["contains"])
    assert _sha(path) == before


def _expected(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 19 and value[4] == "-" and "T" in value:
        return dt.datetime.fromisoformat(value)
    return value


def _check_grid(path: Path, checks: dict[str, Any]) -> None:
    grid = load_grid(path)
    if "sheet" in checks:
        assert grid.sheet == checks["sheet"]
    if "max_rows" in checks:
        assert grid.last_row <= checks["max_rows"]
        assert all(m[2] <= checks["max_rows"] for m in grid.merges)
    if "max_cols" in checks:
        assert grid.last_col <= checks["max_cols"]
        assert all(m[3] <= checks["max_cols"] for m in grid.merges)
    if "merges" in checks:
        assert sorted(grid.merges) == sorted(tuple(m) for m in checks["merges"])
    for ref, want in checks.get("cells", {}).items():
        letters = ref.rstrip("0123456789")
        assert grid.value(int(ref[len(letters) :]), col_index(letters)) == _expected(want)


@pytest.mark.slow
@pytest.mark.parametrize("name", READ)
def test_read(corpus: Path, name: str) -> None:
    path = corpus / name
    before = _sha(path)
    _check_grid(path, CASES[name]["checks"])
    assert _sha(path) == before


def _cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "rak_xl", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("name", _first_quick(REFUSED))
def test_cli_export_refuses(corpus: Path, name: str) -> None:
    path = corpus / name
    before, listing = _sha(path), sorted(os.listdir(corpus))
    run = _cli("export", path, cwd=corpus)
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("rak-xl: ") and run.stderr.count("\n") == 1
    _check_message(run.stderr.strip(), name, CASES[name]["contains"])
    assert _sha(path) == before and sorted(os.listdir(corpus)) == listing


WRITE_COMMANDS = [
    ["validate"],
    ["validate", "--json"],
    ["validate", "--mark"],
    ["recalc"],
    ["regenerate"],
]


@pytest.mark.parametrize(
    "name",
    _first_quick(
        ["zero_bytes.xlsx", "laughs_sheet.xlsx", "password.xlsx", "no_rak.xlsx", "bomb_lying.xlsx"]
    ),
)
@pytest.mark.slow
@pytest.mark.parametrize("cmd", WRITE_COMMANDS, ids=" ".join)
def test_every_command_refuses(corpus: Path, tmp_path: Path, name: str, cmd: list[str]) -> None:
    """Each command, writing ones included, exits 2 and leaves the folder as it was."""
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    shutil.copy(corpus / name, path)
    before = _sha(path)
    run = _cli(cmd[0], path, *cmd[1:], cwd=tmp_path)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    assert name in run.stderr
    assert _sha(path) == before
    assert os.listdir(folder) == [name]  # no backup, no temp file, no new .xlsx


@pytest.mark.parametrize("name", _first_quick(READ))
def test_cli_export_reads(corpus: Path, name: str) -> None:
    run = _cli("export", corpus / name, cwd=corpus)
    assert run.returncode == 0, run.stderr
    assert run.stdout.lstrip().startswith("{")


# --------------------------------------------------------------------------- .xls / .ods


@pytest.fixture(scope="module")
def lo_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    if shutil.which("soffice") is None:
        from lo import require_real_client

        require_real_client("LibreOffice (soffice) not installed")
    out = tmp_path_factory.mktemp("hostile_lo")
    return out, B.lo_cases(out)


@pytest.mark.slow
def test_old_formats(lo_corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    out, cases = lo_corpus
    assert {c["file"] for c in cases} == {
        "rak_old.xls",
        "rak_old.ods",
        "merged_old.ods",
        "stray_far.ods",
        "stray_old.xls",
    }
    for case in cases:
        path = out / case["file"]
        before = _sha(path)
        if case["outcome"] == "read":
            _check_grid(path, case["checks"])
            run = _cli("export", path, cwd=out)
            assert run.returncode == 0, run.stderr
        else:
            with pytest.raises(getattr(errors, case["error"])) as exc:
                load_grid(path)
            _check_message(str(exc.value), case["file"], case["contains"])
            run = _cli("export", path, cwd=out)
            assert run.returncode == 2 and case["contains"] in run.stderr
        assert _sha(path) == before
