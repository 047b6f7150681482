"""Workbooks in layouts the reader has never seen: random model x random physical layout.

``tests/fixtures/gen_unseen.py`` writes a random RAK model in a random official-format
layout (column spans 1-3, offsets, blank columns, header repeated mid-sheet, spacer and
totals rows, computed columns, title/signature/notes or not, targets in one cell or one
row per quarter, money as numbers or text in either convention) and returns the JSON the
reader must produce.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_scripts import fixture_module, json_diff

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = range(30)
# Same, plus real-world quirks with a defined reading (gen_unseen.HARD_QUIRKS): capitals in
# the label row, numbering row as text, a page repeating only the numbering row, texts
# padded with spaces, "Rp " on cash text, "TW1=5", decimal targets, ...
HARD_SEEDS = range(100, 120)
# The first ten of each kind in the quick run, the rest with the slow tests.
CASES = [
    (s, h) if s % 100 < 10 else pytest.param(s, h, marks=pytest.mark.slow)
    for s, h in [(s, False) for s in SEEDS] + [(s, True) for s in HARD_SEEDS]
]
IDS = [f"{'hard-' if s >= 100 else ''}{s}" for s in [*SEEDS, *HARD_SEEDS]]


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "hard"), CASES, ids=IDS)
def test_unseen_layout_reads_back(seed: int, hard: bool, tmp_path: Path) -> None:
    from rak_xl.api import load

    gen = fixture_module("gen_unseen")
    path, expected = gen.generate(seed, tmp_path, hard=hard)
    got = load(path).to_json()
    diffs = json_diff(expected, got)
    assert not diffs, f"seed {seed}: {gen.describe(seed, hard)}\n" + "\n".join(diffs[:40])


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "hard"), CASES, ids=IDS)
def test_unseen_layout_leaves_nothing_unplaced(seed: int, hard: bool, tmp_path: Path) -> None:
    """Nothing the generator wrote should end up as stray values or raw text."""
    from rak_xl.api import load

    gen = fixture_module("gen_unseen")
    path, _ = gen.generate(seed, tmp_path, hard=hard)
    rak = load(path)
    problems = []
    for s in rak.sasaran:
        for it in [s, *s.program, *(k for p in s.program for k in p.kegiatan)]:
            if it.stray or it.raw:
                problems.append(f"{it.uraian!r}: stray={it.stray} raw={it.raw}")
    assert not problems, f"seed {seed}: {gen.describe(seed, hard)}\n" + "\n".join(problems)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    gen = fixture_module("gen_unseen")
    p1, e1 = gen.generate(7, tmp_path / "a")
    p2, e2 = gen.generate(7, tmp_path / "b")
    assert e1 == e2
    assert p1.read_bytes() == p2.read_bytes()
