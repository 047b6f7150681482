"""The Excel buttons on a 4-level sheet (Sub Kegiatan), driven through xlwings' real
remote engine (``tests/xlwings_remote.py``): Susun Ulang paints exactly the 4-level plan
(replayed cell by cell), Hitung Ulang writes only formulas, Validasi marks as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixture_scripts import fixture_module

from rak_xl import buttons
from rak_xl.api import load
from rak_xl.layout import plan_sheet
from rak_xl.regenerate import regenerate_file
from tests.replay import assert_replays_to
from tests.xlwings_remote import remote_book

pytestmark = pytest.mark.slow  # the remote engine

FIXTURES = Path(__file__).parent / "fixtures"


def example(tmp_path: Path) -> Path:
    g = fixture_module("gen_subkeg")
    model = json.loads((FIXTURES / "sub_kegiatan_example.json").read_text(encoding="utf-8"))
    return Path(g.write4(tmp_path / "contoh.xlsx", model, g.example_layout()))


@pytest.mark.parametrize("seed", [None, 3, 7])
def test_susun_ulang_paints_the_4_level_plan(seed: int | None, tmp_path: Path) -> None:
    if seed is None:
        path = example(tmp_path)
    else:
        path = Path(fixture_module("gen_subkeg").generate4(seed, tmp_path)[0])
    rak = load(path)
    plan = plan_sheet(rak, paginate_rows=False)
    assert plan.tingkat == 4
    book = remote_book(path)
    position = [s.name for s in book.sheets].index(book.sheets.active.name)
    assert buttons.susun_ulang(book).startswith("Lembar RAK disusun ulang")
    assert_replays_to(book, position, plan)


def test_hitung_ulang_on_a_regenerated_4_level_sheet(tmp_path: Path) -> None:
    out = regenerate_file(example(tmp_path), output=tmp_path / "susun.xlsx").path
    rak = load(out)
    plan = plan_sheet(rak)
    book = remote_book(out)
    assert buttons.hitung_ulang(book) == "Rumus jumlah dihitung ulang."
    values = [a for a in book.json()["actions"] if a["func"] == "setValues"]
    totals = (
        len(plan.table.kegiatan_total_rows)
        + len(plan.table.program_total_rows)
        + len(plan.table.sasaran_total_rows)
        + 1
    )
    assert len(values) == 2 + totals  # right of KET, the year total, each total row
    for act in values:
        for row in act["values"]:
            assert all(v in (None, "") or str(v).startswith("=") for v in row)
    flat = [v for act in values for row in act["values"] for v in row]
    assert any(str(v).startswith("=N(") for v in flat)  # the stated anggaran per row


def test_hitung_ulang_asks_for_susun_ulang_on_an_unofficial_4_level_sheet(
    tmp_path: Path,
) -> None:
    book = remote_book(example(tmp_path))
    message = buttons.hitung_ulang(book)
    assert "tekan Susun Ulang dulu" in message
