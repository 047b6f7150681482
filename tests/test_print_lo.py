"""The printed form and the Temuan sheet as LibreOffice prints them (issue 13).

Every workbook is rebuilt (Susun Ulang), the seed also marked (Validasi's Temuan sheet),
printed to PDF by one LibreOffice with Liberation Sans for Arial and Carlito for Calibri
(metric-compatible: the widths the layout measured), and read back with poppler:

- text size on paper: a word's box height in ``pdftotext -bbox`` is the font size times a
  constant of the font, calibrated on a reference sheet printed at 100 %; every word of
  the form must come out at 7 pt or more;
- no ``###`` anywhere (a number wider than its column);
- the page count the plan's breaks give (two pages per row band), and the seed's
  ``(lanjutan)`` names where a break splits a block;
- on the Temuan pages each finding's cell address and its message start on one line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import xlsxwriter
from lo import LibreOffice

from rak_xl.api import load
from rak_xl.cli import main as rak_xl
from rak_xl.layout import plan_sheet
from rak_xl.regenerate import regenerate_file
from rak_xl.rules import check

pytestmark = [
    pytest.mark.slow,  # LibreOffice
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
MIN_PT = 7.0
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@dataclass(frozen=True)
class Word:
    page: int
    x: float
    y: float
    height: float
    text: str


def words(pdf: Path) -> list[Word]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    found: list[Word] = []
    for page, body in enumerate(out.split("<page ")[1:], start=1):
        for m in _WORD.finditer(body):
            x0, y0, _, y1 = (float(g) for g in m.groups()[:4])
            found.append(Word(page, x0, y0, y1 - y0, m.group(5)))
    return found


def _info(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


def pages(pdf: Path) -> int:
    m = re.search(r"Pages:\s+(\d+)", _info(pdf))
    assert m is not None
    return int(m.group(1))


def _reference(path: Path) -> Path:
    """One Arial 10 pt word at 100 %: what a word's box height is per point."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("R")
    ws.write(0, 0, "Referensi", wb.add_format({"font_name": "Arial", "font_size": 10}))
    ws.set_print_scale(100)
    wb.close()
    return path


def _generated(path: Path, n: int) -> Path:
    """A generated RAK of ``n`` kegiatan (bench/gen.py), laid out by XlsxWriter."""
    from opc_files import rak_book
    from test_buttons import _generated as generated_rak

    return rak_book(path, generated_rak(n))


def _on_a4(book: Path, out: Path) -> Path:
    """``book`` with its sheets' paper set to A4 (9) instead of F4/Folio (14)."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'paperSize="14"', b'paperSize="9"')
            dst.writestr(item, data)
    return out


@dataclass
class Printed:
    pdfs: dict[str, Path]
    books: dict[str, Path]
    box_per_pt: float


@pytest.fixture(scope="module")
def printed(libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    tmp = tmp_path_factory.mktemp("print")
    sources = {p.stem: p for p in sorted(FIXTURES.glob("*.xlsx"))}
    sources["generated_300"] = _generated(tmp / "generated_300_src.xlsx", 300)
    books: dict[str, Path] = {}
    for name, src in sources.items():
        books[name] = regenerate_file(src, output=tmp / f"{name}.xlsx").path
    rak_xl(["validate", str(books["seed_banjar_2020"]), "--mark"])
    for name in ("seed_banjar_2020", "generated_300"):  # the same sheets on A4 paper
        books[f"{name}_a4"] = _on_a4(books[name], tmp / f"{name}_a4.xlsx")
    books["reference"] = _reference(tmp / "reference.xlsx")
    pdfs = {name: tmp / f"{name}.pdf" for name in books}
    libreoffice.run([{"kind": "pdf", "path": str(books[n]), "out": str(pdfs[n])} for n in books])
    (ref,) = (w for w in words(pdfs["reference"]) if w.text == "Referensi")
    return Printed(pdfs, books, ref.height / 10)


def _cases(printed: Printed) -> Iterator[str]:
    return (n for n in printed.pdfs if n != "reference")


def test_every_word_prints_at_7_pt_or_more(printed: Printed) -> None:
    for name in _cases(printed):
        sizes = [(w.height / printed.box_per_pt, w) for w in words(printed.pdfs[name])]
        small = [(round(s, 2), w.text, w.page) for s, w in sizes if s < MIN_PT - 0.05]
        assert not small, (name, small[:10])
        body = sorted(s for s, _ in sizes)
        assert body[len(body) // 2] >= MIN_PT, name


def _page_texts(pdf: Path) -> list[str]:
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for p in range(1, pages(pdf) + 1)
    ]


def test_no_hash_marks_and_the_planned_page_count(printed: Printed) -> None:
    for name in _cases(printed):
        texts = _page_texts(printed.pdfs[name])
        assert not [i for i, t in enumerate(texts, start=1) if "###" in t], name
        # The form's pages (its header is on each): two per row band, as planned. Other
        # sheets (a workbook's second sheet, Temuan) print after them.
        form = [t for t in texts if "Target Triwulan" in t or "ANGGARAN KAS PER BULAN" in t]
        assert len(form) == _form_pages(printed.books[name]), name
        if name.startswith(("seed", "generated")):  # the form is their first page
            size = re.search(r"Page size:\s+([\d.]+) x", _info(printed.pdfs[name]))
            assert size is not None
            assert round(float(size.group(1))) == (842 if name.endswith("_a4") else 936)


def _form_pages(book: Path) -> int:
    """Two pages per row band; a band of the signature alone (kept whole on a page of
    its own) has an empty left page, which is not printed."""
    plan = plan_sheet(load(book))
    breaks = plan.print_setup.row_breaks
    alone = bool(breaks) and breaks[-1] > plan.table.grand_total_row
    return 2 * (len(breaks) + 1) - alone


def test_seed_pages_repeat_split_names_and_keep_the_signature(printed: Printed) -> None:
    book = printed.books["seed_banjar_2020"]
    rak = load(book)
    form = _form_pages(book)
    text = _page_texts(printed.pdfs["seed_banjar_2020"])
    for p in range(1, form + 1):
        page = text[p - 1]
        assert "No." in page and f"Halaman {p} dari" in page
        if p % 2:  # left page: names and targets
            assert "SASARAN" in page and "Target Triwulan" in page
        else:  # right page: the months, the year total, KET
            assert "Januari" in page and "Desember" in page and "KET" in page
    for p in range(3, form + 1, 2):
        assert "(lanjutan)" in text[p - 1], p
    assert f"NIP. {rak.penandatangan.nip}" in text[form - 1]
    # The notes under the signature (fill-in instructions) are not printed.
    assert not any("Penjelasan cara pengisian" in t for t in text)
    assert "Lembar: " in text[form] and "Temuan rak-xl" in text[form]


def test_temuan_cell_and_message_on_one_line(printed: Printed) -> None:
    pdf = printed.pdfs["seed_banjar_2020"]
    report = check(load(printed.books["seed_banjar_2020"]))
    all_words = words(pdf)
    form = _form_pages(printed.books["seed_banjar_2020"])
    temuan = [w for w in all_words if w.page > form]
    checked = 0
    for f in report.findings:
        if not f.cell:
            continue
        first = f.message.split()[0]
        cells = [w for w in temuan if w.text == f.cell]
        assert cells, f.cell
        lines = [
            w
            for c in cells
            for w in temuan
            if w.page == c.page and w.text == first and abs(w.y - c.y) < 1.0
        ]
        assert lines, (f.cell, first)
        checked += 1
    assert checked == len([f for f in report.findings if f.cell]) > 30
