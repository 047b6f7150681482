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
from rak_xl.sheet_spec import QUARTER_LABELS

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
    for key1, key2 in (("s.target_tahunan", "s.target_text"), ("p.tw.0", "p.anggaran")):
        assert (t.number_row, COL[key1], t.number_row, COL[key2]) in plan.merges
    lab, sub = t.label_row, t.label_row + 1
    assert value(plan, lab, COL["s.target_tahunan"]) == "Target Tahunan"
    for level in "spk":
        assert value(plan, lab, COL[f"{level}.tw.0"]) == "Target Triwulan"
        assert tuple(value(plan, sub, COL[f"{level}.tw.{q}"]) for q in range(4)) == QUARTER_LABELS
        assert value(plan, sub, COL[f"{level}.target_text"]) == "Target (teks)"
    assert value(plan, lab, COL["p.anggaran"]) == "Anggaran (Rp)"
    assert (value(plan, lab, COL["k.volume"]), value(plan, lab, COL["k.satuan"])) == (
        "Vol.",
        "Sat.",
    )
    assert [value(plan, lab, c) for c in MONTH_COLS][1] == "Februari"
    assert value(plan, t.group_row, 1) == "No."
    for c in COMPUTED_COLS.values():
        assert str(value(plan, lab, c)).lower().startswith(("jumlah", "kas tw", "total", "selisih"))


def test_kegiatan_one_row_quarters_in_columns(seed: Rak, plan: SheetPlan) -> None:
    r, n = plan.table.kegiatan_rows[0]
    k = seed.sasaran[0].program[0].kegiatan[0]
    assert n == 1
    assert value(plan, r, 1) == "1.1.1"
    assert value(plan, r, COL["k.uraian"]) == k.uraian
    # An empty quarter shows "-" (0 would stay 0).
    assert [value(plan, r, COL[f"k.tw.{q}"]) for q in range(4)] == [355, 5, "-", "-"]
    assert plan.cells[(r, COL["k.tw.0"])].style.number_format == "General"
    assert value(plan, r, COL["k.target_text"]) is None
    assert value(plan, r, MONTH_COLS[0]) == 162206000
    assert plan.cells[(r, MONTH_COLS[1])].style.number_format == '#,##0;-#,##0;"-"'
    assert value(plan, r, MONTH_COLS[1]) == 0  # zero stays a number (shown as "-")
    # Program and sasaran merged down to their totals rows.
    t = plan.table
    assert (r, COL["p.uraian"], t.program_total_rows[0], COL["p.uraian"]) in plan.merges or any(
        m[1] == COL["p.uraian"] and m[0] == r for m in plan.merges
    )
    assert value(plan, t.program_total_rows[0], 1) == "Jml 1.1"


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
        assert [vals[(r, COMPUTED_COLS[f"kas_tw.{q}"])] for q in range(4)] == k.kas_tw
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
    assert ps.landscape and ps.paper_size == 14
    # Two pages wide at a fixed scale (manual breaks hold only then): 8 pt -> 7 pt.
    assert ps.scale is not None and 88 <= ps.scale <= 100
    assert ps.col_breaks == (MONTH_COLS[0],) and ps.title_cols == (1, 1) and ps.over_then_down
    assert ps.title_rows == (plan.table.group_row, plan.table.number_row)
    assert ps.footer_center == "Halaman &P dari &N"
    assert ps.print_area is not None and ps.print_area[3] == LAST_OFFICIAL_COL
    assert plan.freeze == (plan.table.number_row + 1, 1)


def test_page_breaks_keep_totals_off_a_page_top_and_repeat_split_names(plan: SheetPlan) -> None:
    t = plan.table
    totals = {*t.program_total_rows, *t.sasaran_total_rows, t.grand_total_row}
    breaks = plan.print_setup.row_breaks
    assert breaks and not totals & set(breaks)
    # The seed's only sasaran runs over every break: its name is repeated on each page.
    for r in breaks:
        assert str(value(plan, r, COL["s.uraian"])).endswith(" (lanjutan)")
    # The seed workbook's notes (fill-in instructions) lie below the print area.
    from rak_xl.api import load

    seed_book = plan_sheet(load(SEED.with_name("seed_banjar_2020.xlsx")))
    area = seed_book.print_setup.print_area
    assert area is not None
    notes = [
        r for (r, c), cell in seed_book.cells.items() if cell.value == "Penjelasan cara pengisian :"
    ]
    assert notes and notes[0] > area[2]


def test_widths_hold_the_widest_amount_and_no_more() -> None:
    from rak_xl.layout.metrics import EXCEL_UNIT_PX, PT_PER_PX, text_width

    plan = plan_sheet(Rak())
    for c in MONTH_COLS:
        room = (int(plan.col_widths[c] * EXCEL_UNIT_PX) - 5) * PT_PER_PX
        assert text_width("99.999.999.999", 8) <= room < text_width("99.999.999.999", 8) + 3


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
    assert found["TW satu = lima"][1] == COL["k.target_text"]
    # The program's text says TW 4 and the amount: those cells stay empty.
    pr = found["TW 4 = 9 Rp 1.000.000 lebih"][0]
    assert value(plan, pr, COL["p.anggaran"]) is None
    assert value(plan, pr, COL["p.tw.3"]) is None and value(plan, pr, COL["p.tw.0"]) == "-"
    assert plan.col_widths[COL["k.target_text"]] > 0  # shown: it holds text
    assert plan.col_widths[COL["s.target_text"]] == 0  # hidden: empty
    # Strays right of the computed columns, each on a row of its own item.
    assert found["x"][1] == FIRST_STRAY_COL and found[7][1] == FIRST_STRAY_COL + 1
    assert len({found["x"][0], found[1][0], found["s"][0]}) == 3
    assert "NIP." in found and "Budi" in found
    # Title lines with the values to fill in (instansi, kabupaten, tahun), a blank row.
    assert found["[Nama Instansi]"] == (2, 1) and found["TAHUN [....]"] == (4, 1)
    assert found["Catatan:"][1] == 1 and found["atas"] == (6, 1)
    area = plan.print_setup.print_area
    assert area is not None and found["Catatan:"][0] > area[2]
    assert found["teks"][1] > found[5][1]
    assert "KABUPATEN [Nama Kabupaten]" in found


def test_empty_model_is_a_form_to_type_into() -> None:
    """The template's RAK sheet: title lines to fill in, and one empty sasaran, program
    and kegiatan row with their totals, live."""
    plan = plan_sheet(Rak())
    t = plan.table
    assert [value(plan, r, 1) for r in range(1, 5)] == [
        "RENCANA AKSI KINERJA",
        "[Nama Instansi]",
        "KABUPATEN [Nama Kabupaten]",
        "TAHUN [....]",
    ]
    ((row, _),) = t.kegiatan_rows
    assert value(plan, row, 1) == "1.1.1" and value(plan, row, COL["k.uraian"]) is None
    assert [value(plan, row, c) for c in MONTH_COLS] == [None] * 12  # blank, not 0
    assert isinstance(value(plan, row, COMPUTED_COLS["setahun"]), Formula)
    assert t.program_total_rows == (row + 1,) and t.sasaran_total_rows == (row + 2,)
    assert value(plan, t.grand_total_row, COL["k.uraian"]) == "JUMLAH TOTAL"
    total = value(plan, t.grand_total_row, COMPUTED_COLS["setahun"])
    assert isinstance(total, Formula) and total.value == 0


def test_formulas_carry_their_cached_values(seed: Rak, plan: SheetPlan) -> None:
    vals = computed(plan)
    cached = {
        pos: cell.value.value for pos, cell in plan.cells.items() if isinstance(cell.value, Formula)
    }
    assert cached == vals
    grand = plan.table.grand_total_row
    assert cached[(grand, COMPUTED_COLS["setahun"])] == seed.jumlah_kas


def test_text_starting_with_equals_is_not_a_formula() -> None:
    k = Kegiatan("=1+1", ket="=SUM(A1)")
    plan = plan_sheet(Rak(sasaran=[Sasaran("S", program=[Program("P", kegiatan=[k])])]))
    r, _ = plan.table.kegiatan_rows[0]
    assert value(plan, r, COL["k.uraian"]) == "=1+1"
    assert not isinstance(plan.cells[(r, COL["k.ket"])].value, Formula)
    assert col_index("AM") == COMPUTED_COLS["setahun"]
