"""The staff guide docs/PANDUAN.md and the template's Petunjuk sheet generated from it.

The sheet must hold the guide block for block; the guide's column numbers must be the
numbering rows of the two RAK sheets, 1..23 and 1..26 (with the Excel letters each
number spans); the messages the
guide quotes must be the ones xlwings' VBA module and rak-xl really show; the sheet prints
one page wide.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from rak_xl import buttons
from rak_xl.layout import plan_sheet
from rak_xl.model import Rak
from rak_xl.panduan import guide_text, petunjuk_rows
from rak_xl.xlsm.template import build_template

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "PANDUAN.md"
XLWINGS_BAS = ROOT / "rak_xl" / "xlsm" / "vba" / "xlwings.bas"


@pytest.fixture(scope="module")
def petunjuk(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.worksheet.worksheet.Worksheet:
    path = tmp_path_factory.mktemp("panduan") / "workbook_template.xlsm"
    build_template(path)
    return openpyxl.load_workbook(path)["Petunjuk"]


def test_the_package_ships_the_guide_itself() -> None:
    assert guide_text() == GUIDE.read_text(encoding="utf-8")


@pytest.mark.slow
def test_petunjuk_is_the_guide_block_for_block(
    petunjuk: openpyxl.worksheet.worksheet.Worksheet,
) -> None:
    cells = [c for (c,) in petunjuk.iter_rows(min_col=1, max_col=1) if c.value is not None]
    rows = petunjuk_rows(GUIDE.read_text(encoding="utf-8"))
    assert [c.value for c in cells] == [text for _, text in rows]
    for cell, (kind, _) in zip(cells, rows, strict=True):
        assert bool(cell.font.b) == kind.startswith("h"), cell.value
        assert (cell.font.name == "Consolas") == (kind == "code"), cell.value


def test_petunjuk_prints_one_page_wide_on_a4(
    petunjuk: openpyxl.worksheet.worksheet.Worksheet,
) -> None:
    assert petunjuk.sheet_properties.pageSetUpPr.fitToPage
    assert petunjuk.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out
    assert petunjuk.page_setup.fitToHeight == 0  # as many pages tall as needed
    assert petunjuk.page_setup.paperSize == 9


def _sheet_numbering(tingkat: int = 3) -> dict[int, str]:
    """Numbering-row number -> Excel columns it spans ("C-D"), from the official layout
    of the form (``tingkat`` 3: 2020, 1..23; 4: 2021+, 1..26)."""
    plan = plan_sheet(Rak(tingkat=tingkat))
    row = plan.table.number_row
    spans = {(r1, c1): c2 for r1, c1, r2, c2 in plan.merges if r1 == row == r2}
    out = {}
    for (r, c), cell in plan.cells.items():
        if r == row and isinstance(cell.value, int):
            last = spans.get((r, c), c)
            letters = get_column_letter(c)
            out[cell.value] = letters if last == c else f"{letters}-{get_column_letter(last)}"
    return out


# The guide's subsection of each form's column list.
_SECTIONS = {
    3: ("### Sheet RAK (2020, kolom 1 sampai 23)", "### Sheet RAK Sub Kegiatan"),
    4: ("### Sheet RAK Sub Kegiatan (2021 dan sesudahnya, kolom 1 sampai 26)", "### Pada"),
}


def _guide_numbering(tingkat: int = 3) -> dict[int, str]:
    whole = GUIDE.read_text(encoding="utf-8")
    start, end = _SECTIONS[tingkat]
    text = whole[whole.index(start) : whole.index(end, whole.index(start) + 1)]
    single = re.findall(r"^- Kolom (\d+) \(([A-Z]+(?:-[A-Z]+)?)\)", text, re.M)
    out = {int(n): cols for n, cols in single}
    months = re.search(r"^- Kolom (\d+) sampai (\d+) \(([A-Z]+) sampai ([A-Z]+)\)", text, re.M)
    assert months is not None
    first, last = int(months.group(1)), int(months.group(2))
    start = column_index_from_string(months.group(3))
    assert get_column_letter(start + last - first) == months.group(4)
    out.update({n: get_column_letter(start + n - first) for n in range(first, last + 1)})
    return out


def test_guide_column_numbers_are_the_sheets_1_to_23() -> None:
    assert sorted(_guide_numbering()) == list(range(1, 24))
    assert _guide_numbering() == _sheet_numbering()


def test_guide_column_numbers_are_the_sub_kegiatan_sheets_1_to_26() -> None:
    """The 2021+ list is FORM_2021's numbering row as the template's sheet lays it out,
    and each number's first letter is where FORM_2021 puts that number."""
    from rak_xl.forms import FORM_2021

    guide = _guide_numbering(4)
    assert sorted(guide) == list(range(1, 27))
    assert guide == _sheet_numbering(4)
    for n, (first, last) in FORM_2021.span.items():
        letters = get_column_letter(first)
        if n != FORM_2021.n_cols - 1:  # Desember's span takes in the year total beside it
            span = letters if first == last else f"{letters}-{get_column_letter(last)}"
            assert guide[n] == span, n
        assert guide[n].split("-")[0] == letters


def test_guide_says_which_sheet_for_which_year() -> None:
    from rak_xl.xlsm.template import RAK4_SHEET

    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## 2.") : text.index("## 3.")]
    assert f"Sheet **{RAK4_SHEET}**: untuk tahun anggaran 2021 dan sesudahnya" in section
    assert "Sheet **RAK**: bentuk tahun 2020, tiga tingkat" in section


def test_no_pip_install_rak_xl_instruction() -> None:
    rows = petunjuk_rows(GUIDE.read_text(encoding="utf-8"))
    assert not [t for kind, t in rows if kind == "code" and "pip install rak-xl" in t]
    assert any(kind == "code" and "pip install" in t and ".whl" in t for kind, t in rows)


def test_lite_path_comes_first_and_every_button_is_explained() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    install = text.index("## 1. Cara memasang")
    assert install < text.index("### Cara A: xlwings Lite") < text.index("### Cara B")
    assert "from rak_xl.lite import *" in text and "requirements.txt" in text
    buttons_section = text[text.index("## 3. Tombol") : text.index("## 4.")]
    for caption in ("Validasi", "Hitung Ulang", "Susun Ulang", "Batalkan"):
        assert f"- **{caption}**:" in buttons_section


def test_quoted_messages_are_the_real_ones() -> None:
    """What the troubleshooting section quotes is what xlwings' VBA and rak-xl show."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## 6. Jika ada masalah") : text.index("## 7.")]
    bas = XLWINGS_BAS.read_text(encoding="utf-8", errors="replace")
    for quoted in (
        "Could not find Interpreter!",
        "To enable RunPython, please run 'xlwings runpython install' in a terminal once and "
        "try again.",
    ):
        assert f"`{quoted}`" in section and quoted in bas
    assert '"Could not load " + XLPyDLLName' in bas.replace("\r", "")
    assert '"xlwings64-0.37.8.dll"' in bas and "`Could not load xlwings64-0.37.8.dll`" in section
    no_table = (
        "Tidak ada sheet berisi tabel RAK: baris nomor kolom 1 sampai 23 (1 sampai 26 untuk "
        "RAK dengan Sub Kegiatan) tidak ditemukan."
    )
    assert f"`{no_table}`" in section and no_table == buttons.NO_TABLE
    assert f"`{buttons._UNEXPECTED.split(' Simpan')[0]}`" in section
