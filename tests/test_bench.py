"""The benchmark's workbook generator writes what the reader reads back, clean or not.

The timings themselves are never asserted (bench/run.py only prints them); this checks
that the files they are measured on hold exactly the generated model.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from rak_xl.api import load
from rak_xl.rules import check

ROOT = Path(__file__).resolve().parent.parent


def _gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_gen", ROOT / "bench" / "gen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_gen"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


gen = _gen()


@pytest.mark.parametrize("layout", ["official", "compact"])
def test_generated_workbook_reads_back_clean(tmp_path: Path, layout: str) -> None:
    path = tmp_path / f"rak_{layout}.xlsx"
    counts = gen.generate(path, 37, layout=layout, per_program=4, per_sasaran=3)
    rak = load(path)
    assert rak.to_json() == gen.make_rak(37, per_program=4, per_sasaran=3)
    assert (counts.sasaran, counts.program, counts.kegiatan) == (4, 10, 37)
    assert not check(rak).findings


def test_faults_give_one_finding_each(tmp_path: Path) -> None:
    path = tmp_path / "dirty.xlsx"
    gen.generate(path, 60, faults=5)
    findings = check(load(path)).findings
    assert [f.code for f in findings] == ["target.additive-sum-mismatch"] * 5
