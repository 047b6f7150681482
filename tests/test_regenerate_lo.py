"""A real spreadsheet checks the regenerated sheet: LibreOffice recalculates the live
totals (compared with Python's to the rupiah) and prints it to PDF (checked with
poppler's pdfinfo/pdftotext: every page carries the whole header, 23 columns wide)."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lo import LibreOffice

from rak_xl.grid import a1
from rak_xl.layout import COL, COMPUTED_COLS, LAST_OFFICIAL_COL, MONTH_COLS, SheetPlan, plan_sheet
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


def _expected_pages(plan: SheetPlan) -> int:
    """Pages of the print at fit-to-width, from the plan's sizes (approximate)."""
    ps = plan.print_setup
    assert ps.print_area is not None and ps.title_rows is not None
    width_pt = sum(
        (plan.col_widths.get(c, 8.43) * 7 + 5) * 0.75 for c in range(1, ps.print_area[3] + 1)
    )
    left, right, top, bottom = ps.margins_in
    page_w, page_h = (13 * 72, 8.5 * 72) if ps.landscape else (8.5 * 72, 13 * 72)
    scale = min(1.0, (page_w - (left + right) * 72) / width_pt)
    heights = [plan.row_heights.get(r, 12.75) for r in range(1, ps.print_area[2] + 1)]
    title = sum(heights[ps.title_rows[0] - 1 : ps.title_rows[1]])
    usable = (page_h - (top + bottom) * 72) / scale - title
    body = sum(heights) - title
    return max(1, math.ceil(body / usable))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils tidak terpasang")
def test_pdf_fits_width_and_repeats_header(
    libreoffice: LibreOffice, regenerated: tuple[Path, Rak, SheetPlan], tmp_path: Path
) -> None:
    path, rak, plan = regenerated
    pdf = tmp_path / "rak.pdf"
    libreoffice.run([{"kind": "pdf", "path": str(path), "out": str(pdf)}])
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    assert size is not None
    w, h = float(size.group(1)), float(size.group(2))
    assert (round(w), round(h)) == (936, 612)  # Folio/F4 8.5x13 in, landscape
    assert abs(pages - _expected_pages(plan)) <= 1, (pages, _expected_pages(plan))
    numbering = re.compile(r"\b" + r"\s+".join(str(n) for n in range(1, 24)) + r"\b")
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        # The three header rows on every page, the numbering row whole (all 23 columns
        # on the page width), and the footer.
        for word in ("SASARAN", "PROGRAM", "KEGIATAN", "KET", "Januari", "Desember"):
            assert word in text, (page, word)
        assert numbering.search(text), f"page {page}: numbering row 1..23 not whole"
        assert f"Halaman {page} dari {pages}" in text
        # Computed columns are for the screen, not the signed document.
        assert "Jumlah Setahun" not in text
    last = subprocess.run(
        ["pdftotext", "-layout", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"NIP. {rak.penandatangan.nip}" in last
    assert LAST_OFFICIAL_COL == 26
