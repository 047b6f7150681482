"""Susun Ulang / Hitung Ulang on real files: lossless, idempotent, nothing else touched."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from plan_files import plan_file

from rak_xl.adapters import xlsxwriter_plan
from rak_xl.errors import RakError
from rak_xl.layout import COL, COMPUTED_COLS, MONTH_COLS, plan_sheet
from rak_xl.model import Kegiatan, Rak
from rak_xl.read import read_rak
from rak_xl.regenerate import (
    backup_sheet_name,
    cli_recalc,
    cli_regenerate,
    recalc_file,
    regenerate_file,
)
from rak_xl.workbook import load_grid

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "rak_banjar_2020.json"


def seed_model() -> Rak:
    return Rak.from_json(json.loads(SEED.read_text(encoding="utf-8")))


def read(path: Path, sheet: str | None = None) -> Rak:
    return read_rak(load_grid(path, sheet))


def write_plan_file(rak: Rak, path: Path, sheet: str = "RAK") -> Path:
    """A workbook holding ``rak`` in the official layout plus neighbours to keep."""

    def around(book: Any) -> None:
        book.add_worksheet("Petunjuk").write_string("A1", "Isi lembar RAK")
        book.add_worksheet(sheet)
        book.add_worksheet("Rekap").write_formula("A1", "=SUM(1,2)", None, 3)
        book.define_name("Tahun", "=Petunjuk!$A$1")

    return plan_file(path, rak, sheet, around=around)


def snapshot(path: Path, sheet: str) -> dict[str, Any]:
    """Everything of a sheet that a rebuild could change: values, merges, styles, sizes."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    cells = {
        c.coordinate: (
            c.value,
            c.number_format,
            c.font.b,
            c.font.sz,
            c.alignment.horizontal,
            c.alignment.wrap_text,
            c.fill.fgColor.rgb,
            c.border.left.style,
        )
        for row in ws.iter_rows()
        for c in row
    }
    return {
        "cells": cells,
        "merges": sorted(str(m) for m in ws.merged_cells.ranges),
        "widths": {k: v.width for k, v in ws.column_dimensions.items()},
        "heights": {k: v.height for k, v in ws.row_dimensions.items()},
        "freeze": ws.freeze_panes,
        "print": (
            ws.page_setup.orientation,
            ws.page_setup.paperSize,
            ws.print_title_rows,
            ws.oddFooter.center.text,
        ),
        "sheets": wb.sheetnames,
    }


def fixture_files() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    return sorted(
        p
        for p in FIXTURES.iterdir()
        if p.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".xls") and not p.name.startswith("~")
    )


# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_seed_round_trip_and_neighbours_kept(tmp_path: Path) -> None:
    src = write_plan_file(seed_model(), tmp_path / "rak.xlsx")
    before = read(src)
    result = regenerate_file(src)
    assert result.path == src and result.backup is not None and result.backup.exists()
    after = read(src)
    assert after == before and after.to_json() == seed_model().to_json()
    wb = openpyxl.load_workbook(src)
    assert wb.sheetnames == ["Petunjuk", "RAK", "Rekap", backup_sheet_name("RAK")]
    assert wb[backup_sheet_name("RAK")].sheet_state == "hidden"
    assert wb["Rekap"]["A1"].value == "=SUM(1,2)"
    assert "Tahun" in wb.defined_names


@pytest.mark.slow  # two rebuilds and two full openpyxl snapshots
def test_regenerate_twice_changes_nothing(tmp_path: Path) -> None:
    src = write_plan_file(seed_model(), tmp_path / "rak.xlsx")
    regenerate_file(src)
    first = snapshot(src, "RAK")
    regenerate_file(src)
    second = snapshot(src, "RAK")
    assert first == second
    # Only one backup sheet, whatever the number of runs.
    assert second["sheets"].count(backup_sheet_name("RAK")) == 1


def test_output_leaves_source_alone(tmp_path: Path) -> None:
    src = write_plan_file(seed_model(), tmp_path / "rak.xlsx")
    raw = src.read_bytes()
    out = tmp_path / "baru.xlsx"
    assert cli_regenerate(src, None, out) == 0
    assert src.read_bytes() == raw
    assert read(out) == read(src)


def _xlsm_with_button(path: Path, rak: Rak) -> bytes:
    """An .xlsm built by XlsxWriter (as the template is): VBA project + a form button."""
    import xlwings

    vba = zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart_standalone.xlsm").read(
        "xl/vbaProject.bin"
    )
    bin_path = path.with_suffix(".bin")
    bin_path.write_bytes(vba)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("RAK")
    xlsxwriter_plan.apply_plan(wb, ws, plan_sheet(rak))
    ws.insert_button("AF2", {"macro": "SampleCall", "caption": "Susun Ulang"})
    wb.add_worksheet("Lain").write("A1", "tetap")
    wb.add_vba_project(str(bin_path))
    wb.close()
    return vba


@pytest.mark.slow  # an .xlsm built with its VBA project, rebuilt
def test_xlsm_keeps_vba_project_and_button(tmp_path: Path) -> None:
    src = tmp_path / "rak.xlsm"
    vba = _xlsm_with_button(src, seed_model())
    assert read(src).to_json() == seed_model().to_json()  # the XlsxWriter adapter reads back
    regenerate_file(src)
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        assert z.read("xl/vbaProject.bin") == vba
        assert any(n.startswith("xl/drawings/vmlDrawing") for n in names)
        vml = b"".join(z.read(n) for n in names if n.startswith("xl/drawings/vmlDrawing"))
    assert b"SampleCall" in vml
    assert read(src).to_json() == seed_model().to_json()
    # Written as .xlsx instead, the macros would be lost (an .xlsx cannot hold them):
    # refused, nothing written (issue 16, point 5).
    out = tmp_path / "tanpa_makro.xlsx"
    with pytest.raises(RakError, match="makro"):
        regenerate_file(src, output=out)
    assert not out.exists()


@pytest.mark.slow
def test_recalc_restores_formulas_and_keeps_values(tmp_path: Path) -> None:
    src = write_plan_file(seed_model(), tmp_path / "rak.xlsx")
    plan = plan_sheet(seed_model())
    wb = openpyxl.load_workbook(src)
    ws = wb["RAK"]
    r, _ = plan.table.kegiatan_rows[1]
    ws.cell(row=r, column=MONTH_COLS[5], value=1234)  # a user edit: stays
    for rr in range(plan.table.first_row, plan.table.last_row + 1):  # formulas lost
        for c in COMPUTED_COLS.values():
            if not isinstance(ws.cell(row=rr, column=c), openpyxl.cell.cell.MergedCell):
                ws.cell(row=rr, column=c).value = None
    wb.save(src)
    before = read(src)
    assert cli_recalc(src, None, None) == 0
    after = read(src)
    assert after == before and after.sasaran[0].program[0].kegiatan[1].kas_bulanan[5] == 1234
    ws = openpyxl.load_workbook(src)["RAK"]
    for (rr, c), cell in plan.cells.items():
        if c in COMPUTED_COLS.values() and hasattr(cell.value, "text"):
            assert ws.cell(row=rr, column=c).value == cell.value.text, (rr, c)
    total = plan.table.program_total_rows[0]
    assert ws.cell(row=total, column=MONTH_COLS[0]).value.startswith("=SUM(")


@pytest.mark.slow  # a rebuild, an edit and a recalc through openpyxl
def test_recalc_after_a_kegiatan_was_added_by_hand(tmp_path: Path) -> None:
    """Rows added by hand (as Excel inserts them: merges move along): totals follow."""
    rak = seed_model()
    extra = Kegiatan("Kegiatan baru", volume=3, satuan="Desa", kas_bulanan=[1_000] * 12)
    rak.sasaran[0].program[0].kegiatan.append(extra)
    plan = plan_sheet(rak)
    src = plan_file(tmp_path / "rak.xlsx", plan)
    wb = openpyxl.load_workbook(src)
    ws = wb["RAK"]
    # The user's sheet: formulas still those of the old rows (the new kegiatan missing).
    stale = plan_sheet(seed_model())
    for (r, c), cell in plan.cells.items():
        if hasattr(cell.value, "text"):
            old = stale.cells.get((r, c))
            stale_value = old.value if old else None
            ws.cell(row=r, column=c).value = getattr(stale_value, "text", None)
    wb.save(src)
    before = read(src)
    recalc_file(src)
    assert read(src) == before
    ws = openpyxl.load_workbook(src)["RAK"]
    for (r, c), cell in plan.cells.items():
        if hasattr(cell.value, "text"):
            assert ws.cell(row=r, column=c).value == cell.value.text, (r, c)
    # No rebuild happened: no backup sheet.
    assert openpyxl.load_workbook(src).sheetnames == ["RAK"]


@pytest.mark.slow  # a rebuild, an edit and a recalc through openpyxl
def test_recalc_with_rows_moved_without_their_merges(tmp_path: Path) -> None:
    """openpyxl's insert_rows leaves merges behind, hiding values: the totals rows no
    longer fit, so recalc refuses and points to Susun Ulang; nothing is written."""
    src = write_plan_file(seed_model(), tmp_path / "rak.xlsx")
    total = plan_sheet(seed_model()).table.program_total_rows[0]
    wb = openpyxl.load_workbook(src)
    wb["RAK"].insert_rows(total)
    wb.save(src)
    raw = src.read_bytes()
    with pytest.raises(RakError, match="Susun Ulang"):
        recalc_file(src)
    assert src.read_bytes() == raw
    assert not (tmp_path / ".rak-xl-backup").exists()


@pytest.mark.slow  # a rebuild, a recalc and two full openpyxl snapshots
def test_recalc_on_a_clean_regenerated_file_only_writes_formulas(tmp_path: Path) -> None:
    src = write_plan_file(seed_model(), tmp_path / "rak.xlsx")
    regenerate_file(src)
    first = snapshot(src, "RAK")
    recalc_file(src)
    assert snapshot(src, "RAK") == first


@pytest.mark.slow  # every fixture regenerated twice through openpyxl
@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_fixture_round_trip_and_idempotent(tmp_path: Path, path: Path) -> None:
    src = tmp_path / path.name
    shutil.copy(path, src)
    before = read(src)
    result = regenerate_file(src)
    regenerated = result.path
    assert read(regenerated) == before
    first = snapshot(regenerated, before.src.sheet)
    regenerate_file(regenerated)
    second = snapshot(regenerated, before.src.sheet)
    del first["sheets"], second["sheets"]  # an .xls/.ods source gets its backup sheet now
    assert second == first


@pytest.mark.slow  # a rebuild and a recalc through the CLI
def test_cli_dispatch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from rak_xl.cli import main

    src = write_plan_file(seed_model(), tmp_path / "rak.xlsx")
    assert main(["regenerate", str(src)]) == 0
    assert main(["recalc", str(src)]) == 0
    out = capsys.readouterr().out
    assert "disusun ulang" in out.lower()
    assert main(["regenerate", str(tmp_path / "tidak-ada.xlsx")]) == 2
    assert "tidak ditemukan" in capsys.readouterr().err


def test_total_row_labels(tmp_path: Path) -> None:
    src = write_plan_file(seed_model(), tmp_path / "rak.xlsx")
    ws = openpyxl.load_workbook(src)["RAK"]
    plan = plan_sheet(seed_model())
    labels = [ws.cell(row=r, column=COL["k.uraian"]).value for r in plan.table.program_total_rows]
    expected = [
        f"JUMLAH PROGRAM {si}.{pi}"
        for si, s in enumerate(seed_model().sasaran, start=1)
        for pi in range(1, len(s.program) + 1)
    ]
    assert len(expected) > 1
    assert labels == expected


@pytest.mark.slow
def test_regenerate_keeps_a_far_away_value(tmp_path: Path) -> None:
    """The file adapter trims a value at XFD1048576 out of the grid; Susun Ulang keeps it."""
    src = tmp_path / "far.xlsx"
    shutil.copy(FIXTURES / "clean_official.xlsx", src)
    wb = openpyxl.load_workbook(src)
    wb.active["XFD1048576"] = "catatan jauh"
    wb.save(src)
    before = read_rak(load_grid(src))
    regenerate_file(src)
    assert read_rak(load_grid(src)) == before
    assert openpyxl.load_workbook(src)["RAK"]["XFD1048576"].value == "catatan jauh"
