"""The regenerated 4-level sheet (Sub Kegiatan) in a real spreadsheet: LibreOffice
recalculates every live total (sub kegiatan rows, kegiatan, program, sasaran and grand
totals, selisih at each level) and gets the model's sums to the rupiah; printed to PDF,
every word is 7 pt or more on paper, no ``###``, three pages per row band.

Why three pages wide: the 4-level form has 52 printed columns. At the 2020 form's 88 %
(8 pt text at 7 pt on paper) the sasaran and program (with codes, quarters and the
program's anggaran) fill one landscape page, the kegiatan and sub kegiatan (codes,
names, indikator, Vol./Sat., quarters, two anggaran) a second, the months, the year
total and KET a third, with the row numbers (column A) repeated on each so that every
page names its rows. Two pages wide would need about 70 %, 5.6 pt on paper: below what
an agency can read and sign. Each page reads like a page of its own, in the order a
reader of the RAK follows (targets, then what carries them, then the money), glued side
by side or bound as a set.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fixture_scripts import fixture_module
from lo import LibreOffice
from test_print_lo import MIN_PT, _info, _page_texts, _reference, words

from rak_xl.api import load
from rak_xl.forms import FORM_2021
from rak_xl.grid import a1
from rak_xl.layout import plan_sheet
from rak_xl.regenerate import regenerate_file

pytestmark = [
    pytest.mark.slow,  # LibreOffice
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]

FIXTURES = Path(__file__).parent / "fixtures"
F = FORM_2021


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The transcribed example and three generated workbooks, each rebuilt by Susun
    Ulang."""
    tmp = tmp_path_factory.mktemp("lo4")
    g = fixture_module("gen_subkeg")
    model = json.loads((FIXTURES / "sub_kegiatan_example.json").read_text(encoding="utf-8"))
    sources = {"contoh": Path(g.write4(tmp / "contoh_src.xlsx", model, g.example_layout()))}
    for seed in (1, 5, 9):
        path, _ = g.generate4(seed, tmp / f"gen{seed}")
        sources[f"gen{seed}"] = Path(path)
    return {
        name: regenerate_file(src, output=tmp / f"{name}.xlsx").path
        for name, src in sources.items()
    }


def test_libreoffice_totals_match_the_model(
    libreoffice: LibreOffice, books: dict[str, Path]
) -> None:
    checked = 0
    jobs: list[dict[str, Any]] = []
    plans = {}
    for name, path in books.items():
        rak = load(path)
        plan = plan_sheet(rak)
        plans[name] = (rak, plan)
        last = a1(plan.table.last_row, F.computed_cols["selisih"])
        jobs.append({"kind": "recalc_values", "path": str(path), "range": f"A1:{last}"})
    results = libreoffice.run(jobs)
    year, ang, sel = (F.computed_cols[k] for k in ("setahun", "anggaran", "selisih"))
    for (name, (rak, plan)), result in zip(plans.items(), results, strict=True):
        grid = result["range"]

        def v(row: int, col: int, grid: list[list[object]] = grid) -> object:
            return grid[row - 1][col - 1]

        t = plan.table
        holders = {row for row, _ in t.kegiatan_rows}
        for *_, k in rak.kegiatan_all():
            for sk in k.sub_kegiatan:
                row = sk.src.row
                assert row in holders
                assert v(row, year) == sk.kas_setahun, (name, a1(row, year))
                kas_tw = [v(row, F.computed_cols[f"kas_tw.{q}"]) for q in range(4)]
                assert kas_tw == sk.kas_tw, (name, row)
                assert v(row, ang) == (sk.anggaran or 0)
                assert v(row, sel) == sk.kas_setahun - (sk.anggaran or 0)
                checked += 7
        kegiatan = [k for *_, k in rak.kegiatan_all()]
        for row, k in zip(t.kegiatan_total_rows, kegiatan, strict=True):
            assert str(v(row, F.col["sk.uraian"])).startswith("JUMLAH KEGIATAN")
            assert [v(row, c) for c in F.kas_cols] == k.jumlah_kas_bulanan, (name, row)
            assert v(row, year) == k.jumlah_kas
            assert v(row, ang) == (k.anggaran or 0)
            assert v(row, sel) == k.jumlah_kas - (k.anggaran or 0)
            checked += 16
        for row, (_, p) in zip(t.program_total_rows, rak.programs(), strict=True):
            months = [sum(k.jumlah_kas_bulanan[m] for k in p.kegiatan) for m in range(12)]
            assert str(v(row, F.col["sk.uraian"])).startswith("JUMLAH PROGRAM")
            assert [v(row, c) for c in F.kas_cols] == months, (name, row)
            assert v(row, ang) == (p.anggaran or 0)
            assert v(row, sel) == sum(months) - (p.anggaran or 0)
            checked += 15
        for row, s in zip(t.sasaran_total_rows, rak.sasaran, strict=True):
            assert v(row, year) == s.jumlah_kas
            assert v(row, ang) == s.jumlah_anggaran
            checked += 2
        g = t.grand_total_row
        assert v(g, year) == rak.jumlah_kas
        assert [v(g, c) for c in F.kas_cols] == [
            sum(sk.kas_bulanan[m] for *_, sk in rak.sub_kegiatan_all())
            + sum(k.kas_bulanan[m] for *_, k in rak.kegiatan_all() if not k.sub_kegiatan)
            for m in range(12)
        ]
        checked += 13
    assert checked > 500


@pytest.fixture(scope="module")
def pdfs(
    libreoffice: LibreOffice, books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Path], float]:
    tmp = tmp_path_factory.mktemp("pdf4")
    all_books = {**books, "reference": _reference(tmp / "reference.xlsx")}
    out = {name: tmp / f"{name}.pdf" for name in all_books}
    libreoffice.run([{"kind": "pdf", "path": str(all_books[n]), "out": str(out[n])} for n in out])
    (ref,) = (w for w in words(out.pop("reference")) if w.text == "Referensi")
    return out, ref.height / 10


def test_printed_4_level_form_is_legible(
    pdfs: tuple[dict[str, Path], float], books: dict[str, Path]
) -> None:
    found, box_per_pt = pdfs
    for name, pdf in found.items():
        sizes = [(w.height / box_per_pt, w) for w in words(pdf)]
        small = [(round(s, 2), w.text, w.page) for s, w in sizes if s < MIN_PT - 0.05]
        assert not small, (name, small[:10])
        texts = _page_texts(pdf)
        assert not [i for i, t in enumerate(texts, start=1) if "###" in t], name
        plan = plan_sheet(load(books[name]))
        breaks = plan.print_setup.row_breaks
        alone = bool(breaks) and breaks[-1] > plan.table.grand_total_row
        assert len(texts) == 3 * (len(breaks) + 1) - (2 if alone else 0), name
        size = re.search(r"Page size:\s+([\d.]+) x", _info(pdf))
        assert size is not None and round(float(size.group(1))) == 936  # F4 landscape
        for p, page in enumerate(texts[:3]):
            assert "No." in page and f"Halaman {p + 1} dari" in page
        assert "SASARAN" in texts[0] and "PROGRAM" in texts[0]
        assert "SUB KEGIATAN" in texts[1] and "Vol." in texts[1]
        assert "Januari" in texts[2] and "Desember" in texts[2] and "KET" in texts[2]
