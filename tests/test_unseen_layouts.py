"""Workbooks in layouts the reader has never seen: random model x random physical layout.

``tests/fixtures/gen_unseen.py`` writes a random RAK model in a random official-format
layout (column spans 1-3, offsets, blank columns, header repeated mid-sheet, spacer and
totals rows, computed columns, title/signature/notes or not, targets in one cell, one row
per quarter or one column per quarter, money as numbers or text in either convention)
and the forms of real sheets in ``gen_forms.py`` (letterheads and titles naming the agency
and the year, totals labels in any spacing and case with or without sums, officials'
names beside KET, action steps in the quarter cells), and returns the JSON the reader
must produce; ``expected_kept`` says what it keeps besides (unreadable target text, notes
above the table).

A quick sample runs with the quick tests, a larger one with the slow tests;
``RAK_XL_UNSEEN=N`` sets how many of each kind the slow run takes (a big run by hand:
``RAK_XL_UNSEEN=300 pytest -m slow tests/test_unseen_layouts.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixture_scripts import fixture_module, json_diff

from rak_xl.api import load
from rak_xl.model import Rak
from rak_xl.read.meaning import same_meaning
from rak_xl.regenerate import regenerate_file

FIXTURES = Path(__file__).parent / "fixtures"
# Normal seeds from 0; "hard" seeds (real-world quirks with a defined reading,
# gen_unseen.HARD_QUIRKS: capitals in the label row, numbering row as text, a page
# repeating only the numbering row, padded texts, "Rp " on cash, "TW1=5", ...) from HARD.
HARD = 100_000
QUICK = [0, 1, 2, HARD, HARD + 1, HARD + 2]
_N = int(os.environ.get("RAK_XL_UNSEEN", "40"))
SLOW = [s for s in [*range(_N), *range(HARD, HARD + _N)] if s not in QUICK]
CASES = [*QUICK, *(pytest.param(s, marks=pytest.mark.slow) for s in SLOW)]


def _generate(seed: int, tmp_path: Path) -> tuple[Path, Rak, list[str]]:
    """The seed's workbook, its reading, and every way the reading is not the expected."""
    gen = fixture_module("gen_unseen")
    hard = seed >= HARD
    path, expected = gen.generate(seed, tmp_path, hard=hard)
    rak = load(path)
    problems = json_diff(expected, rak.to_json())
    kept = gen.expected_kept(seed, hard)
    for si, s in enumerate(rak.sasaran):
        for it in [s, *s.program]:
            if it.stray or it.raw:
                problems.append(f"{it.uraian!r}: stray={it.stray} raw={it.raw}")
        for pi, p in enumerate(s.program):
            for ki, k in enumerate(p.kegiatan):
                want = kept["raw"].get((si, pi, ki), {})
                if k.stray or k.raw != want:
                    problems.append(f"{k.uraian!r}: stray={k.stray} raw={k.raw}, not {want}")
    if rak.catatan_atas != [tuple(row) for row in kept["catatan_atas"]]:
        problems.append(f"catatan_atas {rak.catatan_atas} != {kept['catatan_atas']}")
    return path, rak, [f"seed {seed}: {gen.describe(seed, hard)}", *problems]


@pytest.mark.parametrize("seed", CASES)
def test_unseen_layout_reads_back(seed: int, tmp_path: Path) -> None:
    """Exactly the model written, unreadable target text where it was written, the notes
    above the table, nothing stray."""
    _, _, problems = _generate(seed, tmp_path)
    assert len(problems) == 1, "\n".join(problems[:40])


@pytest.mark.slow
@pytest.mark.parametrize("seed", [*range(12), *range(HARD, HARD + 12)])
def test_susun_ulang_keeps_an_unseen_layout(seed: int, tmp_path: Path) -> None:
    """Susun Ulang rebuilds any of them (its check passes) into a sheet that means the same."""
    path, rak, _ = _generate(seed, tmp_path)
    out = regenerate_file(path, output=tmp_path / "out.xlsx").path
    assert same_meaning(load(out), rak)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    gen = fixture_module("gen_unseen")
    p1, e1 = gen.generate(7, tmp_path / "a")
    p2, e2 = gen.generate(7, tmp_path / "b")
    assert e1 == e2
    assert p1.read_bytes() == p2.read_bytes()
