"""``rak-xl template``: the built workbook_template.xlsm, checked with real readers.

oletools reads the VBA project back, the workbook XML is checked for codeNames and
button macros, the RAK reader reads the sheets back, and LibreOffice (see
``test_template_in_libreoffice``) opens the file, lists the modules and the buttons'
macros.
"""

from __future__ import annotations

import importlib
import re
import zipfile
from pathlib import Path

import pytest
from lo import LibreOffice, libreoffice  # noqa: F401  (session fixture)
from oletools.olevba import VBA_Parser
from openpyxl.utils import get_column_letter

from rak_xl.api import load
from rak_xl.cli import main
from rak_xl.forms import FORM_2021
from rak_xl.layout import plan_sheet
from rak_xl.model import Rak
from rak_xl.xlsm.ovba import normalise_source
from rak_xl.xlsm.template import (
    BUTTON_CAPTIONS,
    BUTTON_SHEETS,
    CONF_SETTINGS,
    RAK4_SHEET,
    SHEETS,
    build_template,
    seed_rak,
)
from rak_xl.xlsm.vba_project import BUTTON_MACROS, DOCUMENT_MODULES, project_modules

REPO_TEMPLATE = Path(__file__).resolve().parent.parent / "workbook_template.xlsm"
_RUNPYTHON = re.compile(r'RunPython\s+"import\s+([\w.]+)\s*;\s*([\w.]+)\(\)"')


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "workbook_template.xlsm"
    build_template(path)
    return path


def _xml(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(member).decode("utf-8")


# -- reproducible --------------------------------------------------------------------------


def test_two_builds_are_byte_identical(template: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.xlsm"
    build_template(again)
    assert again.read_bytes() == template.read_bytes()


def test_committed_template_is_the_built_one(template: Path) -> None:
    if not REPO_TEMPLATE.exists():
        pytest.skip("workbook_template.xlsm not built yet: python -m rak_xl template")
    assert REPO_TEMPLATE.read_bytes() == template.read_bytes(), (
        "workbook_template.xlsm is stale: rebuild with `python -m rak_xl template`"
    )


@pytest.mark.slow
def test_cli_builds_the_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.xlsm"
    assert main(["template", "-o", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    assert "Template dibuat" in capsys.readouterr().out
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_reports_an_unwritable_destination(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["template", "-o", str(tmp_path / "missing" / "t.xlsm")]) == 2
    err = capsys.readouterr().err
    assert "Template tidak dapat ditulis" in err
    assert "Traceback" not in err


# -- the VBA project -----------------------------------------------------------------------


def test_olevba_reads_back_every_module_exactly(template: Path) -> None:
    parser = VBA_Parser(str(template))
    try:
        got = {stream: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()
    # VBA stores CRLF text in code page 1252, Attribute lines included; olevba returns it as is.
    expected = {
        f"VBA/{m.name}": normalise_source(m.source).decode("cp1252") for m in project_modules()
    }
    assert got == expected
    assert set(got) == {
        *(f"VBA/{name}" for name in DOCUMENT_MODULES),
        "VBA/RakButtons",
        "VBA/xlwings_udfs",
        "VBA/xlwings",
        "VBA/Dictionary",
    }


def test_codenames_match_document_modules(template: Path) -> None:
    assert 'codeName="ThisWorkbook"' in _xml(template, "xl/workbook.xml")
    names = re.findall(r'<sheet name="([^"]+)"', _xml(template, "xl/workbook.xml"))
    assert names == list(SHEETS)
    for i, name in enumerate(names, start=1):
        assert f'<sheetPr codeName="{SHEETS[name]}"' in _xml(
            template, f"xl/worksheets/sheet{i}.xml"
        )
    assert list(SHEETS.values()) == list(DOCUMENT_MODULES[1:])


def test_every_runpython_call_names_an_existing_callable() -> None:
    calls = [
        match.groups()
        for m in project_modules(udf_module=None)
        if m.name != "xlwings"  # the runtime defines RunPython, it calls nothing of ours
        for match in _RUNPYTHON.finditer(m.source)
    ]
    assert {f for _, f in calls} == {
        f"rak_xl.buttons.{name}" for name in ("validasi", "hitung_ulang", "susun_ulang", "batalkan")
    }
    for module_name, dotted in calls:
        module = importlib.import_module(module_name)
        assert dotted.startswith(module_name + ".")
        target = getattr(module, dotted[len(module_name) + 1 :])
        assert callable(target), dotted


def test_button_macros_exist_in_the_buttons_module() -> None:
    source = next(m.source for m in project_modules(udf_module=None) if m.name == "RakButtons")
    for macro in BUTTON_MACROS.values():
        assert re.search(rf"^Sub {macro}\(\)\r?$", source, re.MULTILINE), macro


# -- sheets --------------------------------------------------------------------------------


@pytest.mark.parametrize("sheet", BUTTON_SHEETS)
def test_buttons_are_vml_form_controls_bound_to_macros(template: Path, sheet: str) -> None:
    index = list(SHEETS).index(sheet) + 1
    rels = _xml(template, f"xl/worksheets/_rels/sheet{index}.xml.rels")
    vml_name = re.findall(r"drawings/(vmlDrawing\d+\.vml)", rels)
    assert len(vml_name) == 1
    vml = _xml(template, f"xl/drawings/{vml_name[0]}")
    assert re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml) == list(
        BUTTON_MACROS.values()
    )
    for caption in BUTTON_CAPTIONS:
        assert f">{caption}<" in vml
    assert vml.count("<x:PrintObject>False</x:PrintObject>") == len(BUTTON_CAPTIONS)


def test_only_the_rak_sheets_carry_buttons(template: Path) -> None:
    with zipfile.ZipFile(template) as z:
        vml = [n for n in z.namelist() if n.startswith("xl/drawings/vml")]
    assert len(vml) == len(BUTTON_SHEETS)


def test_contoh_reads_back_as_the_seed_rak(template: Path) -> None:
    assert load(template, sheet="Contoh") == seed_rak()


def test_rak_sheet_reads_back_as_an_empty_rak(template: Path) -> None:
    assert load(template, sheet="RAK") == Rak()


def test_sub_kegiatan_sheet_reads_back_as_an_empty_4_level_rak(template: Path) -> None:
    rak = load(template, sheet=RAK4_SHEET)
    assert rak.tingkat == 4
    assert rak == Rak(tingkat=4)


@pytest.mark.parametrize(("sheet", "row_no"), [("RAK", "1.1.1"), (RAK4_SHEET, "1.1.1.1")])
def test_rak_sheet_is_a_form_to_type_into(template: Path, sheet: str, row_no: str) -> None:
    """Title lines to fill in (read as no value) and one empty block with its totals."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(template)).get_sheet_by_name(sheet).to_python()
    column_a = [row[0] if row else "" for row in rows]
    assert column_a[1:4] == ["[Nama Instansi]", "KABUPATEN [Nama Kabupaten]", "TAHUN [....]"]
    assert row_no in column_a and "Jml" in column_a


def test_sub_kegiatan_sheet_totals_carry_their_values(template: Path) -> None:
    """Every total formula of the empty 4-level sheet carries its (zero) value, and the
    sheet prints as the 4-level plan says (three pages wide, title rows, print area)."""
    from python_calamine import CalamineWorkbook

    from rak_xl.forms import FORM_2021

    plan = plan_sheet(Rak(tingkat=4))
    assert plan.tingkat == 4
    rows = CalamineWorkbook.from_path(str(template)).get_sheet_by_name(RAK4_SHEET).to_python()
    year = FORM_2021.computed_cols["setahun"]
    table = plan.table
    totals = [*table.kegiatan_total_rows, *table.program_total_rows, table.grand_total_row]
    for r in [table.first_row, *totals]:
        assert rows[r - 1][year - 1] == 0, r
    sheet_xml = _xml(template, f"xl/worksheets/sheet{list(SHEETS).index(RAK4_SHEET) + 1}.xml")
    assert sheet_xml.count("<f>") > 20  # live totals, not values
    assert f'scale="{plan.print_setup.scale}"' in sheet_xml
    assert sheet_xml.count('man="1"') == len(FORM_2021.pages) - 1  # a break between pages
    book = _xml(template, "xl/workbook.xml")
    assert f"'{RAK4_SHEET}'!$A:$A,'{RAK4_SHEET}'!$6:$9" in book


@pytest.mark.parametrize("sheet", [None, "RAK", RAK4_SHEET])
def test_validate_on_the_empty_template_finds_nothing(
    template: Path, sheet: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["validate", str(template)] + (["--sheet", sheet] if sheet else [])
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"Tidak ada temuan pada sheet '{sheet or 'RAK'}'" in out


def test_contoh_totals_carry_their_values(template: Path) -> None:
    """calamine reads the cached value of a formula: Contoh's totals are there before any
    recalculation (XlsxWriter writes 0 unless told)."""
    from python_calamine import CalamineWorkbook

    plan = plan_sheet(seed_rak())
    rows = CalamineWorkbook.from_path(str(template)).get_sheet_by_name("Contoh").to_python()
    grand = plan.table.grand_total_row
    from rak_xl.layout import COMPUTED_COLS

    assert rows[grand - 1][COMPUTED_COLS["setahun"] - 1] == seed_rak().jumlah_kas
    first = plan.table.program_total_rows[0]
    p = next(p for _, p in seed_rak().programs())
    assert rows[first - 1][COMPUTED_COLS["selisih"] - 1] == p.jumlah_kas - (p.anggaran or 0)


def test_seed_is_the_banjar_2020_rak() -> None:
    rak = seed_rak()
    assert (rak.kabupaten, rak.tahun) == ("Banjar", 2020)
    assert sum(1 for _ in rak.kegiatan_all()) > 0


def test_xlwings_conf_sheet(template: Path) -> None:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(template)).get_sheet_by_name("xlwings.conf").to_python()
    keys = [row[0] for row in rows[: len(CONF_SETTINGS)]]
    assert keys == [k for k, _ in CONF_SETTINGS]
    # xlwings reads column A from A1 down to the first empty cell
    assert rows[len(CONF_SETTINGS)][0] == ""
    conf = {row[0]: row[1] for row in rows[: len(CONF_SETTINGS)]}
    assert conf["UDF Modules"] == "rak_xl.udfs"
    assert conf["Show Console"] is False
    # empty = xlwings' default interpreter; anything else must be the user's full path
    assert conf["Interpreter_Win"] == conf["Interpreter_Mac"] == ""
    assert "Interpreter_Mac" in conf and "PYTHONPATH" in conf


def test_petunjuk_covers_macros_and_platforms(template: Path) -> None:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(template)).get_sheet_by_name("Petunjuk").to_python()
    text = "\n".join(str(row[0]) for row in rows)
    for needle in (
        "Enable Content",
        "Trusted Location",
        "Unblock",
        "xlwings runpython install",
        "pip install",
        "macOS",
        "Validasi",
        "Hitung Ulang",
        "Susun Ulang",
        "Batalkan",
        "TERBILANG",
    ):
        assert needle in text, needle


# -- LibreOffice: a real spreadsheet client --------------------------------------------------


@pytest.mark.slow
def test_template_in_libreoffice(template: Path, libreoffice: LibreOffice) -> None:  # noqa: F811
    header_rows = {
        "RAK": plan_sheet(Rak()),
        RAK4_SHEET: plan_sheet(Rak(tingkat=4)),
        "Contoh": plan_sheet(seed_rak()),
    }
    cells = {name: f"A{plan.table.group_row}" for name, plan in header_rows.items()}
    project, buttons = libreoffice.run(
        [
            {"kind": "vba_project", "path": str(template)},
            {"kind": "form_buttons", "path": str(template), "cells": cells},
        ]
    )
    assert project["libraries"]["VBAProject"] == sorted(m.name for m in project_modules())
    # Contoh's totals as LibreOffice shows them on opening (it does not recalculate an
    # .xlsx on load): the cached values.
    contoh = header_rows["Contoh"].table
    (loaded,) = libreoffice.run(
        [
            {
                "kind": "recalc_values",
                "path": str(template),
                "sheet": "Contoh",
                "recalc": False,
                "cells": [f"AM{contoh.grand_total_row}", f"AM{contoh.first_row}"],
            }
        ]
    )
    assert loaded["cells"][f"AM{contoh.grand_total_row}"]["value"] == seed_rak().jumlah_kas
    first = next(k for _, _, k in seed_rak().kegiatan_all())
    assert loaded["cells"][f"AM{contoh.first_row}"]["value"] == first.kas_setahun
    # The empty 4-level sheet: its totals show their value (0) on opening and after a
    # recalculation, as numbers in the money format, never an error.
    sub = header_rows[RAK4_SHEET].table
    year = get_column_letter(FORM_2021.computed_cols["setahun"])
    jan = get_column_letter(FORM_2021.kas_cols[0])
    cells4 = [
        f"{c}{r}"
        for r in (sub.first_row, *sub.kegiatan_total_rows, sub.grand_total_row)
        for c in (jan, year)
    ]
    as_loaded, recalculated = libreoffice.run(
        [
            {"kind": "recalc_values", "path": str(template), "sheet": RAK4_SHEET,
             "recalc": recalc, "cells": cells4}
            for recalc in (False, True)
        ]
    )  # fmt: skip
    for got in (as_loaded, recalculated):
        for a1 in cells4[1:]:  # the sub kegiatan's January is a cell to type into
            cell = got["cells"][a1]
            assert (cell["value"], cell["error"], cell["string"]) == (0, 0, "-"), a1
            assert cell["formula"].startswith("="), a1
    for m in project_modules():
        # LibreOffice's own VBA importer: our code minus the Attribute lines, behind its
        # "Rem Attribute VBA_ModuleType=..." / "Option VBASupport 1" header.
        # (trailing blank lines aside: LibreOffice adds one after an empty module).
        code = [ln for ln in m.source.splitlines() if not ln.startswith("Attribute ")]
        lines = project["sources"][m.name].split("\n")
        assert lines[0].startswith("Rem Attribute VBA_ModuleType=")
        header = 3 if m.kind == "class" else 2
        assert "\n".join(lines[header:]).rstrip("\n") == "\n".join(code).rstrip("\n"), m.name
    assert project["workbook_codename"] == "ThisWorkbook"
    assert project["codenames"] == SHEETS

    for sheet in SHEETS:
        got = buttons[sheet]["buttons"]
        if sheet not in BUTTON_SHEETS:
            assert got == []
            continue
        assert [b["label"] for b in got] == list(BUTTON_CAPTIONS)
        # LibreOffice resolves Excel's "[0]!Validasi" to the module that defines it
        assert [b["macros"] for b in got] == [
            [f"vnd.sun.star.script:VBAProject.RakButtons.{macro}?language=Basic&location=document"]
            for macro in BUTTON_MACROS.values()
        ]
        # every button ends above the table's header row
        for b in got:
            _x, y, _w, h = b["rect"]
            assert y + h <= buttons[sheet]["cell_top"], (sheet, b)
