"""``validate --mark`` on real files: fills, notes, the Temuan sheet, idempotence, the
user's own formatting, and an ``.xlsm``'s VBA project and buttons."""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lo import LibreOffice  # the ``libreoffice`` fixture comes from conftest.py
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from rules_model import clean_rak

from rak_xl.marks import (
    FILLS,
    NOTE_PREFIX,
    STATE_SHEET,
    TEMUAN_MARKER,
    link_location,
    plan_marks,
    records_from_rows,
    records_to_rows,
)
from rak_xl.rules import check
from rak_xl.rules.findings import Finding, Report
from rak_xl.validate_cmd import cli_validate

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "fixtures"))

SEED = HERE / "fixtures" / "rak_banjar_2020.json"


# -- pure plan ----------------------------------------------------------------------------
def test_plan_combines_findings_of_one_cell_worst_colour_wins() -> None:
    fs = [
        Finding("target.missing", "warning", "RAK", "L9", 9, "Target belum diisi.", "S > P > K"),
        Finding("number.negative", "error", "RAK", "L9", 9, "Negatif.", "S > P > K"),
        Finding("sign.nip-invalid", "warning", "RAK", None, None, "NIP salah.", "Penandatangan"),
    ]
    plan = plan_marks(Report.of(fs, sheet="RAK"))
    (m,) = plan.marks
    assert (m.cell, m.severity, m.fill) == ("L9", "error", FILLS["error"])
    assert m.note.startswith(NOTE_PREFIX + " 2 temuan")
    assert "[peringatan] Target belum diisi. (target.missing)" in m.note
    rows = plan.temuan
    assert rows[0].values[0] == TEMUAN_MARKER
    assert rows[1].values == ("Kesalahan", 1) and rows[2].values == ("Peringatan", 2)
    header = plan.header_index
    assert rows[header].values[:4] == ("No", "Tingkat", "Temuan", "Sel")
    # Errors first, then warnings, each by row; the rule's title, then its code.
    assert [r.values[1:3] for r in rows[header + 1 :]] == [
        ("kesalahan", "Angka negatif (number.negative)"),
        ("peringatan", "Target tidak ada (target.missing)"),
        ("peringatan", "NIP tidak valid (sign.nip-invalid)"),
    ]
    assert [r.link for r in rows[header + 1 :]] == ["'RAK'!L9", "'RAK'!L9", None]
    assert rows[0].values == (TEMUAN_MARKER, None, "Lembar: RAK")


def test_link_location_quotes_sheet_names() -> None:
    assert link_location("RA th ke'4", "B2") == "'RA th ke''4'!B2"


def test_state_rows_round_trip() -> None:
    plan_rows = records_to_rows([])
    assert records_from_rows([list(r) for r in plan_rows]) == []
    from rak_xl.marks import MarkRecord

    rec = MarkRecord("RAK", "B2", "FFC7CE", {"patternType": "solid"}, {"text": "x", "author": "a"})
    back = records_from_rows([[*r] for r in records_to_rows([rec])] + [["junk"]])
    assert back == [rec]


def test_plan_unmark_restores_only_what_is_still_ours() -> None:
    from rak_xl.marks import USER_NOTE_ONLY, CellNow, MarkRecord, plan_unmark

    rec = {
        "ours": MarkRecord("RAK", "a1", "FFC7CE", None, None),
        "recoloured": MarkRecord("RAK", "B1", "FFC7CE", None, None),
        "unknown": MarkRecord("RAK", "C1", "FFEB9C", {"patternType": "solid"}, None),
        "user_note": MarkRecord("RAK", "D1", "FFC7CE", None, {"text": "asli", "author": "Budi"}),
        "unreadable": MarkRecord("RAK", "E1", "FFC7CE", None, {USER_NOTE_ONLY: True}),
        "gradient": MarkRecord("RAK", "F1", "", None, None),
    }
    now = {
        ("RAK", "A1"): CellNow(fill="ffc7ce", has_note=True, note="rak-xl: x"),
        ("RAK", "B1"): CellNow(fill="00B050", has_note=True, note="catatan saya"),
        ("RAK", "C1"): CellNow(fill_known=False, has_note=True),  # remote engine
        ("RAK", "D1"): CellNow(fill="FFC7CE", has_note=True, note="rak-xl: y"),
        ("RAK", "E1"): CellNow(fill_known=False, has_note=True),
        ("RAK", "F1"): CellNow(has_note=True, note="rak-xl: z"),
        # ours without a record (the state sheet deleted by hand), the user's note inside
        ("Lain", "G1"): CellNow(has_note=True, note="rak-xl: w\n\n--- catatan asli ---\nasli"),
        ("Lain", "H1"): CellNow(has_note=True, note="bukan milik kami"),
    }
    got = {
        (r.sheet, r.cell.upper()): (r.fill, r.note, r.user_note)
        for r in plan_unmark(rec.values(), now)
    }
    assert got == {
        ("RAK", "A1"): (True, True, None),
        ("RAK", "C1"): (True, True, None),
        ("RAK", "D1"): (True, True, {"text": "asli", "author": "Budi"}),
        ("RAK", "E1"): (True, False, None),
        ("RAK", "F1"): (False, True, None),
        ("Lain", "G1"): (False, True, {"text": "asli", "author": ""}),
    }  # B1: the user's fill and note since, theirs; H1: the user's note


# -- files --------------------------------------------------------------------------------
def _seed_xlsx(path: Path) -> Path:
    gen = pytest.importorskip("gen_unseen")
    model = json.loads(SEED.read_text(encoding="utf-8"))
    gen.write_workbook(path, model, gen.Layout(sheet_name="RAK"))
    return path


def _snapshot(path: Path) -> dict[str, Any]:
    """Everything marking may touch, sheet by sheet (values, fills, notes, links, state)."""
    wb = load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill
                entry = (
                    c.value,
                    fill.fill_type,
                    fill.fgColor.rgb if fill.fill_type else None,
                    c.comment.text if c.comment else None,
                    c.hyperlink.location if c.hyperlink else None,
                )
                if entry != (None, None, None, None, None):
                    cells[c.coordinate] = entry
        out[ws.title] = {
            "state": ws.sheet_state,
            "cells": cells,
            "merged": sorted(map(str, ws.merged_cells.ranges)),
        }
    return out


@pytest.fixture
def marked(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    path = _seed_xlsx(tmp_path / "rak.xlsx")
    wb = load_workbook(path)
    ws = wb["RAK"]
    ws["AB3"].fill = PatternFill("solid", fgColor="FF00B050")  # user's fill, not a finding
    ws["AB3"].comment = Comment("catatan pengguna", "Budi")
    report = check(_load(path))
    g9 = next(f.cell for f in report.findings if f.code == "cash.program-total-mismatch")
    ws[g9].comment = Comment("anggaran dari DPA 2019", "Budi")  # user's note on a marked cell
    wb.save(path)
    before = _snapshot(path)
    return path, before


def _load(path: Path) -> Any:
    from rak_xl.api import load

    return load(path)


def test_mark_writes_fills_notes_and_temuan(
    marked: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, before = marked
    assert cli_validate(path, mark=True) == 1
    err = capsys.readouterr().err
    assert "Cadangan file asli:" in err
    backups = list((path.parent / ".rak-xl-backup").iterdir())
    assert len(backups) == 1 and _snapshot(backups[0]) == before

    report = check(_load(path))
    wb = load_workbook(path)
    ws = wb["RAK"]
    for f in report.findings:
        if f.cell is None:
            continue
        cell = ws[f.cell]
        assert cell.comment is not None and cell.comment.text.startswith(NOTE_PREFIX)
        assert f.message in cell.comment.text
        assert cell.fill.fill_type == "solid"
    mismatch = next(f for f in report.findings if f.code == "cash.program-total-mismatch")
    assert ws[mismatch.cell].fill.fgColor.rgb == "FF" + FILLS["error"]
    assert "anggaran dari DPA 2019" in ws[mismatch.cell].comment.text
    missing = next(f for f in report.findings if f.code == "target.missing")
    assert ws[missing.cell].fill.fgColor.rgb == "FF" + FILLS["warning"]
    # the user's own fill and note elsewhere are untouched
    assert ws["AB3"].fill.fgColor.rgb == "FF00B050" and ws["AB3"].comment.text == "catatan pengguna"

    assert wb.sheetnames == ["RAK", "Temuan", STATE_SHEET]
    assert wb[STATE_SHEET].sheet_state == "veryHidden"
    assert wb.active.title == "RAK"
    t = wb["Temuan"]
    assert t["A1"].value == TEMUAN_MARKER
    assert (t["A2"].value, t["B2"].value) == ("Kesalahan", report.summary["error"])
    assert (t.cell(3, 1).value, t.cell(3, 2).value) == ("Peringatan", report.summary["warning"])
    header = next(r for r in range(1, 20) if t.cell(r, 1).value == "No")
    order = {"error": 0, "warning": 1, "info": 2}
    ordered = sorted(report.findings, key=lambda f: (order[f.severity], f.row or 1 << 30))
    for i, f in enumerate(ordered, start=header + 1):
        assert t.cell(i, 3).value.endswith(f"({f.code})") and t.cell(i, 7).value == f.message
        if f.cell:
            assert t.cell(i, 4).hyperlink.location == f"'RAK'!{f.cell}"
    # Printed landscape, one page wide, the header row repeated; rows as tall as their text.
    assert t.page_setup.orientation == "landscape" and t.page_setup.fitToWidth == 1
    assert t.print_title_rows == f"${header}:${header}"
    assert all(t.row_dimensions[r].height for r in range(header + 1, header + 4))


@pytest.mark.slow
def test_mark_twice_same_content_and_fixed_fault_unmarked(
    marked: tuple[Path, dict[str, Any]],
) -> None:
    path, _ = marked
    cli_validate(path, mark=True)
    once = _snapshot(path)
    cli_validate(path, mark=True)
    assert _snapshot(path) == once

    # Fix the 355 + 5 kegiatan: its volume becomes 360. Its mark disappears on re-marking.
    rak = _load(path)
    f = next(f for f in check(rak).findings if f.code == "target.additive-sum-mismatch")
    k = next(k for _, _, k in rak.kegiatan_all() if k.src.cells.get("target_tw") == f.cell)
    wb = load_workbook(path)
    vol = wb["RAK"][k.src.cells["volume"]]
    assert "1416" in str(vol.value)
    vol.value = "360 Orang" if isinstance(vol.value, str) else 360
    wb.save(path)
    cli_validate(path, mark=True)
    after = load_workbook(path)["RAK"][f.cell]
    assert after.comment is None and after.fill.fill_type is None


def test_unmark_restores_the_original(marked: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, before = marked
    cli_validate(path, mark=True)
    from rak_xl.opc import edit_file
    from rak_xl.opc.marking import unmark

    out = tmp_path / "unmarked.xlsx"
    edit_file(path, out, unmark)
    assert _snapshot(out) == before


def test_clean_file_gets_empty_temuan(tmp_path: Path) -> None:
    gen = pytest.importorskip("gen_unseen")
    r = clean_rak()
    path = gen.write_workbook(tmp_path / "clean.xlsx", r.to_json(), gen.Layout(sheet_name="RAK"))
    assert cli_validate(path, mark=True) == 0
    t = load_workbook(path)["Temuan"]
    assert t["B2"].value == 0 and any(c.value == "Tidak ada temuan." for c in t["G"])


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_mark_old_format_writes_a_new_xlsx_beside_it(tmp_path: Path, suffix: str) -> None:
    fixtures = Path(__file__).parent / "fixtures"
    src = tmp_path / f"rak{suffix}"
    shutil.copy(fixtures / f"clean_official{suffix}", src)
    before = src.read_bytes()
    assert cli_validate(src, mark=True) == 1  # the seed model has errors
    assert src.read_bytes() == before  # the old-format original is never touched
    out = load_workbook(tmp_path / "rak.xlsx")
    assert "Temuan" in out.sheetnames and out["Temuan"]["B2"].value == 3


# -- .xlsm: the VBA project and the buttons survive ------------------------------------------
def _vba_bin() -> bytes:
    xlwings = pytest.importorskip("xlwings")
    quickstart = Path(xlwings.__file__).parent / "quickstart.xlsm"
    with zipfile.ZipFile(quickstart) as z:
        return z.read("xl/vbaProject.bin")


def _xlsm_from(xlsx: Path, xlsm: Path, vba: Path) -> Path:
    """The same RAK rebuilt with XlsxWriter, with a VBA project and two form buttons."""
    import xlsxwriter

    src = load_workbook(xlsx)
    book = xlsxwriter.Workbook(str(xlsm))
    for ws in src.worksheets:
        out = book.add_worksheet(ws.title)
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.write(c.row - 1, c.column - 1, c.value)
        # bound to the quickstart project's own macro, so a client can resolve it
        out.insert_button("Z2", {"macro": "SampleCall", "caption": "Validasi"})
        out.insert_button("Z5", {"macro": "Module1.SampleCall", "caption": "Hitung Ulang"})
    book.add_vba_project(str(vba))
    book.close()
    return xlsm


def _vml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.endswith(".vml")]
        return "".join(z.read(n).decode("utf-8", "replace") for n in names)


def test_xlsm_keeps_vba_project_and_buttons(tmp_path: Path) -> None:
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(_vba_bin())
    xlsm = _xlsm_from(_seed_xlsx(tmp_path / "seed.xlsx"), tmp_path / "rak.xlsm", vba)
    assert cli_validate(xlsm, mark=True) == 1
    with zipfile.ZipFile(xlsm) as z:
        assert z.read("xl/vbaProject.bin") == vba.read_bytes()
        types = z.read("[Content_Types].xml").decode()
    assert "macroEnabled" in types
    vml = _vml(xlsm)
    assert vml.count('ObjectType="Button"') == 2
    assert vml.count("SampleCall</x:FmlaMacro>") == 2  # Excel's own prefixes kept
    assert 'ObjectType="Note"' in vml  # the notes live beside the buttons
    once = _snapshot(xlsm)
    cli_validate(xlsm, mark=True)
    assert _snapshot(xlsm) == once
    assert _vml(xlsm).count('ObjectType="Button"') == 2

    olevba = pytest.importorskip("oletools.olevba")
    parser = olevba.VBA_Parser(str(xlsm))
    try:
        assert parser.detect_vba_macros()
        modules = [name for _, _, name, _ in parser.extract_macros()]
    finally:
        parser.close()
    assert modules


def test_mark_leaves_original_when_write_fails(
    marked: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = marked
    original = path.read_bytes()
    import rak_xl.opc.marking as adapter
    from rak_xl.errors import WriteFailed

    def broken(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(adapter, "mark", broken)
    with pytest.raises(WriteFailed):
        cli_validate(path, mark=True)
    assert path.read_bytes() == original
    shutil.rmtree(path.parent / ".rak-xl-backup", ignore_errors=True)


@pytest.mark.slow
def test_xlsm_buttons_and_modules_in_libreoffice(
    tmp_path: Path,
    libreoffice: LibreOffice,
) -> None:
    """A real spreadsheet client sees the same VBA modules and button macros after marking
    (twice), and the notes we added."""
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(_vba_bin())
    xlsm = _xlsm_from(_seed_xlsx(tmp_path / "seed.xlsx"), tmp_path / "rak.xlsm", vba)
    original = tmp_path / "original.xlsm"
    shutil.copy(xlsm, original)
    cli_validate(xlsm, mark=True)
    cli_validate(xlsm, mark=True)
    jobs = []
    for path in (original, xlsm):
        jobs += [
            {"kind": "vba_project", "path": str(path)},
            {"kind": "form_buttons", "path": str(path)},
        ]
    vba_before, buttons_before, vba_after, buttons_after = libreoffice.run(jobs)
    assert vba_after["libraries"] == vba_before["libraries"]

    def macros(result: dict[str, Any]) -> list[tuple[str, list[str]]]:
        return sorted((b["label"], b["macros"]) for b in result["RAK"]["buttons"])

    assert macros(buttons_after) == macros(buttons_before)
    assert [label for label, _ in macros(buttons_after)] == ["Hitung Ulang", "Validasi"]
    assert all(m for _, m in macros(buttons_after))
