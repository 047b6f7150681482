"""The pure layout: model -> SheetPlan (no spreadsheet library involved)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from formula_eval import evaluate

from rak_xl.grid import col_index
from rak_xl.layout import (
    COL,
    COMPUTED_COLS,
    FIRST_STRAY_COL,
    LAST_OFFICIAL_COL,
    MONTH_COLS,
    Formula,
    SheetPlan,
    plan_sheet,
)
from rak_xl.model import Kegiatan, Penandatangan, Program, Rak, Sasaran

SEED = Path(__file__).parent / "fixtures" / "rak_banjar_2020.json"


@pytest.fixture(scope="module")
def seed() -> Rak:
    return Rak.from_json(json.loads(SEED.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def plan(seed: Rak) -> SheetPlan:
    return plan_sheet(seed)


def value(plan: SheetPlan, row: int, col: int) -> object:
    cell = plan.cells.get((row, col))
    return cell.value if cell else None


def computed(plan: SheetPlan) -> dict[tuple[int, int], float]:
    """Every formula evaluated over the plan's own values."""
    memo: dict[tuple[int, int], float] = {}

    def value_of(r: int, c: int) -> object:
        v = value(plan, r, c)
        if isinstance(v, Formula):
            if (r, c) not in memo:
                memo[(r, c)] = evaluate(v.text, value_of)
            return memo[(r, c)]
        return v

    for (r, c), cell in plan.cells.items():
        if isinstance(cell.value, Formula):
            value_of(r, c)
    return memo


def test_title_and_header(plan: SheetPlan) -> None:
    t = plan.table
    assert [value(plan, r, 1) for r in range(1, 5)] == [
        "RENCANA AKSI KINERJA",
        "DINAS PEMBERDAYAAN MASYARAKAT DAN DESA",
        "KABUPATEN BANJAR",
        "TAHUN 2020",
    ]
    numbers = [value(plan, t.number_row, c) for c in range(1, LAST_OFFICIAL_COL + 1)]
    assert [n for n in numbers if n is not None] == list(range(1, 24))
    # Split logical columns: numbered in the first physical column, merged in the row.
    for c1, c2 in ((3, 4), (7, 8), (11, 12)):
        assert (t.number_row, c1, t.number_row, c2) in plan.merges
    labels = {c: value(plan, t.label_row, c) for c in range(1, 31)}
    assert (labels[3], labels[4]) == ("Target Tahunan", "Target TW")
    assert (labels[7], labels[8]) == ("Target TW", "Anggaran (Rp)")
    assert (labels[11], labels[12], labels[13]) == ("Vol.", "Sat.", "Target TW")
    assert [labels[c] for c in MONTH_COLS][1] == "Februari"
    for c in COMPUTED_COLS.values():
        assert str(labels[c]).lower().startswith(("jumlah", "kas tw", "total", "selisih"))


def test_kegiatan_block_and_formats(seed: Rak, plan: SheetPlan) -> None:
    r, n = plan.table.kegiatan_rows[0]
    k = seed.sasaran[0].program[0].kegiatan[0]
    assert n == 4
    assert value(plan, r, COL["k.uraian"]) == k.uraian
    assert [value(plan, r + q, COL["k.target_tw"]) for q in range(4)] == [355, 5, None, None]
    fmt = plan.cells[(r, COL["k.target_tw"])].style.number_format
    assert fmt.startswith('"TW 1 = "')
    assert (r, COL["k.uraian"], r + 3, COL["k.uraian"]) in plan.merges
    assert value(plan, r, MONTH_COLS[0]) == 162206000
    assert plan.cells[(r, MONTH_COLS[1])].style.number_format == '#,##0;-#,##0;"-"'
    assert value(plan, r, MONTH_COLS[1]) == 0  # zero stays a number (shown as "-")


def test_no_value_hidden_under_a_merge(plan: SheetPlan) -> None:
    for r1, c1, r2, c2 in plan.merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    assert value(plan, r, c) is None, (r, c)


def test_totals_match_the_model(seed: Rak, plan: SheetPlan) -> None:
    vals = computed(plan)
    t = plan.table
    year = COMPUTED_COLS["setahun"]
    for (r, _), (_, _, k) in zip(t.kegiatan_rows, seed.kegiatan_all(), strict=True):
        assert vals[(r, year)] == k.kas_setahun
        assert [vals[(r + q, COMPUTED_COLS["kas_tw"])] for q in range(4)] == k.kas_tw
    for row, (_, p) in zip(t.program_total_rows, seed.programs(), strict=True):
        assert str(value(plan, row, COL["k.uraian"])).startswith("JUMLAH PROGRAM")
        assert vals[(row, year)] == p.jumlah_kas
        assert [vals[(row, c)] for c in MONTH_COLS] == [
            sum(k.kas_bulanan[m] for k in p.kegiatan) for m in range(12)
        ]
        assert vals[(row, COMPUTED_COLS["anggaran"])] == p.anggaran
        assert vals[(row, COMPUTED_COLS["selisih"])] == p.jumlah_kas - (p.anggaran or 0)
    for row, s in zip(t.sasaran_total_rows, seed.sasaran, strict=True):
        assert vals[(row, year)] == s.jumlah_kas
    assert vals[(t.grand_total_row, year)] == seed.jumlah_kas
    assert value(plan, t.grand_total_row, COL["k.uraian"]) == "JUMLAH TOTAL"
    # The seed's known mismatch: program 1 is Rp 32.499.000 over its stated anggaran.
    assert vals[(t.program_total_rows[0], COMPUTED_COLS["selisih"])] == 32_499_000


def test_print_setup(plan: SheetPlan) -> None:
    ps = plan.print_setup
    assert ps.landscape and ps.paper_size == 14 and (ps.fit_width, ps.fit_height) == (1, 0)
    assert ps.title_rows == (plan.table.group_row, plan.table.number_row)
    assert ps.footer_center == "Halaman &P dari &N"
    assert ps.print_area is not None and ps.print_area[3] == LAST_OFFICIAL_COL
    assert plan.freeze == (plan.table.number_row + 1, 1)


def test_signature_right_and_notes_below(seed: Rak, plan: SheetPlan) -> None:
    rows = {v: r for (r, c), cell in plan.cells.items() if isinstance(v := cell.value, str)}
    nip = f"NIP. {seed.penandatangan.nip}"
    assert nip in rows and rows[nip] > plan.table.grand_total_row
    cols = [c for (r, c), cell in plan.cells.items() if cell.value == nip]
    assert cols[0] > COL["k.target_tw"]


def test_raw_stray_and_notes_have_a_place() -> None:
    k = Kegiatan(
        "Keg",
        kas_bulanan=[0] * 12,
        raw={"kas_bulanan.2": "tiga juta", "target_tw": "TW satu = lima"},
        stray=["x", 7],
    )
    p = Program(
        "Prog",
        anggaran=None,
        raw={"target_tw": "TW 4 = 9 Rp 1.000.000 lebih"},
        kegiatan=[k],
        stray=[1],
    )
    rak = Rak(
        instansi=None,
        sasaran=[Sasaran("Sas", program=[p], stray=["s"])],
        catatan=[("Catatan:", 5, "teks")],
        catatan_atas=[("atas", 1)],
        penandatangan=Penandatangan(nama="Budi", nip=None),
    )
    plan = plan_sheet(rak)
    found = {cell.value: (r, c) for (r, c), cell in plan.cells.items() if cell.value is not None}
    assert found["tiga juta"][1] == MONTH_COLS[2]
    assert found["TW satu = lima"][1] == COL["k.target_tw"]
    # The program's text says TW 4 and the amount: those cells stay empty.
    pr = found["TW 4 = 9 Rp 1.000.000 lebih"][0]
    assert value(plan, pr, COL["p.anggaran"]) is None
    assert value(plan, pr + 3, COL["p.target_tw"]) is None
    # Strays right of the computed columns, each on a row of its own item.
    assert found["x"][1] == FIRST_STRAY_COL and found[7][1] == FIRST_STRAY_COL + 1
    assert len({found["x"][0], found[1][0], found["s"][0]}) == 3
    assert "NIP." in found and "Budi" in found
    assert found["Catatan:"][1] == 1 and found["atas"] == (3, 1)
    assert found["teks"][1] > found[5][1]
    assert not any(
        str(v).startswith("KABUPATEN") or str(v).startswith("TAHUN")
        for v in found
        if isinstance(v, str)
    )


def test_empty_model_still_has_header_and_total() -> None:
    plan = plan_sheet(Rak())
    assert plan.table.grand_total_row == plan.table.number_row + 1
    assert value(plan, plan.table.grand_total_row, COL["k.uraian"]) == "JUMLAH TOTAL"


def test_text_starting_with_equals_is_not_a_formula() -> None:
    k = Kegiatan("=1+1", ket="=SUM(A1)")
    plan = plan_sheet(Rak(sasaran=[Sasaran("S", program=[Program("P", kegiatan=[k])])]))
    r, _ = plan.table.kegiatan_rows[0]
    assert value(plan, r, COL["k.uraian"]) == "=1+1"
    assert not isinstance(plan.cells[(r, COL["k.ket"])].value, Formula)
    assert col_index("AA") == COMPUTED_COLS["setahun"]
