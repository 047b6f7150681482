"""The 4-level layout (Sub Kegiatan, numbering 1..26): Susun Ulang and Hitung Ulang on
workbooks written by ``tests/fixtures/gen_subkeg.py`` (random layouts, no rak_xl code) and
on the transcribed public example. Lossless (the regenerated file reads as the same
model), idempotent (a second rebuild writes the same sheet XML), the same findings (codes
and counts), live totals whose cached values are the model's sums, and faults typed into
the regenerated sheet found at their cells."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fixture_scripts import fixture_module
from opc_files import cells_xml, part_of

from rak_xl.api import load
from rak_xl.forms import FORM_2021
from rak_xl.grid import a1
from rak_xl.layout import Formula, SheetPlan, plan_sheet
from rak_xl.model import Rak
from rak_xl.plan_check import plan_grid, reads_back
from rak_xl.read import read_rak
from rak_xl.regenerate import recalc_file, regenerate_file
from rak_xl.rules import check

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_JSON = FIXTURES / "sub_kegiatan_example.json"
SEEDS = [s if s < 3 else pytest.param(s, marks=pytest.mark.slow) for s in range(12)]
F = FORM_2021


def gen() -> Any:
    return fixture_module("gen_subkeg")


def example_book(tmp_path: Path) -> Path:
    g = gen()
    model = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    return Path(g.write4(tmp_path / "contoh.xlsx", model, g.example_layout()))


def findings(rak: Rak) -> Counter[str]:
    return Counter(f.code for f in check(rak).findings)


def regenerated_twice(src: Path) -> tuple[Rak, Path]:
    """Rebuild ``src`` twice (checking the round trip and idempotence on the way)."""
    before = load(src)
    assert before.tingkat == 4
    out = regenerate_file(src, output=src.with_name(src.stem + "_susun.xlsx")).path
    after = load(out)
    assert after == before  # kode, anggaran, sub kegiatan, strays, notes: all of it
    assert after.tingkat == 4
    assert findings(after) == findings(before)
    first = part_of(out, after.src.sheet)
    regenerate_file(out)
    assert part_of(out, after.src.sheet) == first  # idempotent: the same sheet XML
    return after, out


def test_example_round_trip(tmp_path: Path) -> None:
    rak, _ = regenerated_twice(example_book(tmp_path))
    counts = findings(rak)
    # The transcribed example: no targets in the source, 2-digit codes in 2025.
    assert counts["cash.without-target"] == 14 and counts["struct.code-old-format"] == 14
    assert not [f for f in check(rak).findings if f.severity == "error"]


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_round_trip(seed: int, tmp_path: Path) -> None:
    g = gen()
    path, _ = g.generate4(seed, tmp_path)
    regenerated_twice(Path(path))


@pytest.mark.slow  # two rebuilds and a recalc
def test_recalc_writes_the_same_formulas(tmp_path: Path) -> None:
    _, out = regenerated_twice(example_book(tmp_path))
    before = cells_xml(out, "RAK Sub Kegiatan")
    recalc_file(out)
    assert cells_xml(out, "RAK Sub Kegiatan") == before


def _value(plan: SheetPlan, row: int, col: int) -> float | None:
    cell = plan.cells.get((row, col))
    assert cell is not None and isinstance(cell.value, Formula), a1(row, col)
    return cell.value.value


def test_totals_cached_values_are_the_model_sums(tmp_path: Path) -> None:
    """Every total the layout writes computes to the model's sum (the cached value a
    reader of cached values, or LibreOffice before recalculation, shows)."""
    rak = load(example_book(tmp_path))
    plan = plan_sheet(rak)
    t, year = plan.table, F.computed_cols["setahun"]
    ang, selisih = F.computed_cols["anggaran"], F.computed_cols["selisih"]
    subs = [sk for *_, sk in rak.sub_kegiatan_all()]
    sub_rows = [r for r, _ in t.kegiatan_rows]
    assert len(sub_rows) == len(subs) == 14
    for row, sk in zip(sub_rows, subs, strict=True):
        assert _value(plan, row, year) == sk.kas_setahun
        assert [_value(plan, row, F.computed_cols[f"kas_tw.{q}"]) for q in range(4)] == sk.kas_tw
        assert _value(plan, row, selisih) == sk.kas_setahun - (sk.anggaran or 0)
    kegiatan = [k for _, _, k in rak.kegiatan_all()]
    for row, k in zip(t.kegiatan_total_rows, kegiatan, strict=True):
        assert [_value(plan, row, c) for c in F.kas_cols] == k.jumlah_kas_bulanan
        assert _value(plan, row, ang) == (k.anggaran or 0)
        assert _value(plan, row, selisih) == k.jumlah_kas - (k.anggaran or 0)
    for row, (_, p) in zip(t.program_total_rows, rak.programs(), strict=True):
        assert _value(plan, row, year) == sum(k.jumlah_kas for k in p.kegiatan)
        assert _value(plan, row, ang) == (p.anggaran or 0)
    for row, s in zip(t.sasaran_total_rows, rak.sasaran, strict=True):
        assert _value(plan, row, year) == s.jumlah_kas
    assert _value(plan, t.grand_total_row, year) == rak.jumlah_kas
    labels = [plan.cells[(r, F.col["sk.uraian"])].value for r in t.kegiatan_total_rows]
    assert labels == ["JUMLAH KEGIATAN 1.1.1", "JUMLAH KEGIATAN 1.1.2"]


def test_the_numbering_row_is_the_4_level_forms() -> None:
    """1..26 with Januari above 14: the reader takes the laid-out sheet for the 4-level
    form, even empty (the template's sheet)."""
    plan = plan_sheet(Rak(tingkat=4))
    num = plan.table.number_row
    numbers = {c: cell.value for (r, c), cell in plan.cells.items() if r == num and cell.value}
    assert sorted(numbers.values()) == list(range(1, 27))  # type: ignore[type-var]
    jan = next(c for c, n in numbers.items() if n == 14)
    assert plan.cells[(plan.table.label_row, jan)].value == "Januari"
    empty = read_rak(plan_grid(plan))
    assert empty.tingkat == 4 and not empty.sasaran
    assert reads_back(plan, Rak(tingkat=4))


def test_kegiatan_without_sub_kegiatan_and_tree_style_subtotals(tmp_path: Path) -> None:
    """A kegiatan with no sub kegiatan, and one whose own row states subtotal months
    (tree style), keep their own rows; the findings stay the same."""
    g = gen()
    model = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    layout = g.replace(g.example_layout(), tree=True)
    src = Path(g.write4(tmp_path / "pohon.xlsx", g.for_layout(model, layout), layout))
    rak = load(src)
    rak.sasaran[0].program[0].kegiatan[1].sub_kegiatan.clear()
    rak.sasaran[0].program[0].kegiatan[1].kas_bulanan = [1_000_000] * 12
    plan = plan_sheet(rak)
    assert reads_back(plan, rak)


@pytest.mark.slow  # two rebuilds and an edit per fault
@pytest.mark.parametrize(
    ("fault", "code"),
    [("month", "cash.subkegiatan-total-mismatch"), ("kode", "struct.code-mismatch")],
)
def test_faults_typed_into_the_regenerated_sheet_are_found_at_their_cells(
    tmp_path: Path, fault: str, code: str
) -> None:
    from opc_files import rewrite_sheet

    rak, out = regenerated_twice(example_book(tmp_path))
    sk = rak.sasaran[0].program[0].kegiatan[1].sub_kegiatan[2]
    row = sk.src.row
    if fault == "month":
        cell, old, new = a1(row, F.kas_cols[4]), sk.kas_bulanan[4], sk.kas_bulanan[4] + 1000
        expected = a1(row, F.col["sk.anggaran"])
    else:
        cell, old, new = a1(row, F.col["sk.kode"]), sk.kode, "2.08.01.2.01.03"
        expected = cell
    assert sk.src.cells["kas_bulanan.4" if fault == "month" else "kode"] == cell

    def edit(xml: bytes) -> bytes:
        m = re.search(rb'<c r="' + cell.encode() + rb'"[^>]*>.*?</c>', xml)
        assert m is not None
        if fault == "month":
            body = m.group(0).replace(f"<v>{old}</v>".encode(), f"<v>{new}</v>".encode())
        else:
            style = re.search(rb's="\d+"', m.group(0))
            s = style.group(0) + b" " if style else b""
            body = b'<c r="' + cell.encode() + b'" ' + s + b't="inlineStr"><is><t>'
            body += str(new).encode() + b"</t></is></c>"
        assert body != m.group(0)
        return xml[: m.start()] + body + xml[m.end() :]

    rewrite_sheet(out, edit)
    got = [f for f in check(load(out)).findings if f.code == code]
    assert [f.cell for f in got][:1] == [expected], got
