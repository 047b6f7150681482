"""A book made from ``workbook_template.xlsm`` in which the user filled one of its two
RAK sheets: the command line finds the filled one, whichever form it is (the other one
stays an empty form: title placeholders, one empty block)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fixture_scripts import fixture_module

from rak_xl.api import load
from rak_xl.cli import main
from rak_xl.layout import plan_sheet
from rak_xl.model import Rak
from rak_xl.opc import edit_file
from rak_xl.opc.rebuild import rebuild
from rak_xl.workbook import load_grid
from rak_xl.xlsm.template import RAK4_SHEET

TEMPLATE = Path(__file__).parent.parent / "workbook_template.xlsm"
FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.skipif(not TEMPLATE.exists(), reason="template not built")


def _example4(tmp_path: Path) -> Rak:
    g = fixture_module("gen_subkeg")
    model = json.loads((FIXTURES / "sub_kegiatan_example.json").read_text(encoding="utf-8"))
    return load(g.write4(tmp_path / "contoh4.xlsx", model, g.example_layout()))


def _filled(tmp_path: Path, sheet: str, rak: Rak) -> Path:
    """The template with ``rak`` written into ``sheet`` as Susun Ulang lays it out."""
    out = tmp_path / "rak.xlsm"
    grid = load_grid(TEMPLATE, sheet)
    edit_file(TEMPLATE, out, lambda book: rebuild(book, sheet, plan_sheet(rak), grid))
    return out


def test_a_filled_sub_kegiatan_sheet_is_found_without_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rak = _example4(tmp_path)
    path = _filled(tmp_path, RAK4_SHEET, rak)
    assert load(path) == rak  # not the empty 2020 sheet before it
    assert load(path, sheet="RAK") == Rak()
    code = main(["validate", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["sheet"] == RAK4_SHEET and report["findings"]
    assert code == (1 if report["summary"]["error"] else 0)


def test_a_filled_2020_sheet_is_still_the_first_choice(tmp_path: Path) -> None:
    from rak_xl.xlsm.template import seed_rak

    path = _filled(tmp_path, "RAK", seed_rak())
    assert load(path) == seed_rak()
    assert load(path, sheet=RAK4_SHEET) == Rak(tingkat=4)


def test_the_empty_template_reads_as_its_empty_2020_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both forms empty: the first, RAK, not the example Contoh (a filled sheet of the
    same form after it); validating the template finds nothing."""
    copy = Path(shutil.copy(TEMPLATE, tmp_path / "t.xlsm"))
    assert load(copy) == Rak()
    assert main(["validate", str(copy)]) == 0
    assert "Tidak ada temuan pada sheet 'RAK'" in capsys.readouterr().out
