"""A real spreadsheet checks the regenerated sheet: LibreOffice recalculates the live
totals (compared with Python's to the rupiah). How it prints: tests/test_print_lo.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from lo import LibreOffice

from rak_xl.grid import a1
from rak_xl.layout import COL, COMPUTED_COLS, MONTH_COLS, SheetPlan, plan_sheet
from rak_xl.model import Rak
from rak_xl.read import read_rak
from rak_xl.regenerate import regenerate_file
from rak_xl.workbook import load_grid

pytestmark = pytest.mark.slow  # LibreOffice

FIXTURES = Path(__file__).parent / "fixtures"
SEED_XLSX = FIXTURES / "seed_banjar_2020.xlsx"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Rak, SheetPlan]:
    if not SEED_XLSX.exists():
        pytest.skip("tests/fixtures/seed_banjar_2020.xlsx belum dibangun")
    out = tmp_path_factory.mktemp("lo") / "rak_regenerated.xlsx"
    regenerate_file(SEED_XLSX, output=out)
    rak = read_rak(load_grid(out))
    return out, rak, plan_sheet(rak)


def test_libreoffice_totals_match_python(
    libreoffice: LibreOffice, regenerated: tuple[Path, Rak, SheetPlan]
) -> None:
    path, rak, plan = regenerated
    t = plan.table
    last_col = COMPUTED_COLS["selisih"]
    (result,) = libreoffice.run(
        [
            {
                "kind": "recalc_values",
                "path": str(path),
                "sheet": rak.src.sheet,
                "range": f"A1:{a1(t.last_row, last_col)}",
            }
        ]
    )
    grid = result["range"]

    def v(row: int, col: int) -> object:
        return grid[row - 1][col - 1]

    year = COMPUTED_COLS["setahun"]
    kas_tw = [COMPUTED_COLS[f"kas_tw.{q}"] for q in range(4)]
    checked = 0
    for (row, _), (_, _, k) in zip(t.kegiatan_rows, rak.kegiatan_all(), strict=True):
        assert v(row, year) == k.kas_setahun, a1(row, year)
        assert [v(row, c) for c in kas_tw] == k.kas_tw, a1(row, kas_tw[0])
        checked += 5
    for row, (_, p) in zip(t.program_total_rows, rak.programs(), strict=True):
        months = [sum(k.kas_bulanan[m] for k in p.kegiatan) for m in range(12)]
        assert [v(row, c) for c in MONTH_COLS] == months
        assert v(row, year) == p.jumlah_kas
        assert v(row, COMPUTED_COLS["anggaran"]) == (p.anggaran or 0)
        assert v(row, COMPUTED_COLS["selisih"]) == p.jumlah_kas - (p.anggaran or 0)
        assert str(v(row, COL["k.uraian"])).startswith("JUMLAH PROGRAM")
        checked += 15
    for row, s in zip(t.sasaran_total_rows, rak.sasaran, strict=True):
        assert v(row, year) == s.jumlah_kas
        assert v(row, COMPUTED_COLS["anggaran"]) == s.jumlah_anggaran
        checked += 2
    g = t.grand_total_row
    assert v(g, year) == rak.jumlah_kas
    assert [v(g, c) for c in MONTH_COLS] == [
        sum(k.kas_bulanan[m] for _, _, k in rak.kegiatan_all()) for m in range(12)
    ]
    assert checked > 150
    # The seed's known finding, computed by the spreadsheet itself.
    assert v(t.program_total_rows[0], COMPUTED_COLS["selisih"]) == 32_499_000
