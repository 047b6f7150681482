"""Package-level writes (``rak_xl.opc``): issue 16's points 2, 4, 5, 8 and 9 on real files:
names that belong to the user, a far cell within bounds, ``-o`` and macros, findings of a
rebuilt sheet, text that stays text, control characters and line breaks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from features import build_features as F
from opc_files import cells_xml, part_of, rak_book, sheets

from rak_xl.adapters.xlsxwriter_plan import apply_plan
from rak_xl.api import load
from rak_xl.backups import marked_sheet
from rak_xl.cli import main
from rak_xl.layout import plan_sheet
from rak_xl.marks import STATE_SHEET
from rak_xl.opc import Book, open_package
from rak_xl.regenerate import regenerate_file

ROOT = Path(__file__).resolve().parents[1]


# -- point 2: names and sheets of the user -----------------------------------------------------
@pytest.mark.slow
def test_users_own_backup_and_findings_sheets_are_kept(tmp_path: Path) -> None:
    src = rak_book(tmp_path / "rak.xlsx", F.seed(), extra={
        "RAK (cadangan)": [["milik pengguna"]], "Temuan": [["catatan pengguna"]]})  # fmt: skip
    own_backup, own_temuan = part_of(src, "RAK (cadangan)"), part_of(src, "Temuan")
    for _ in range(2):
        regenerate_file(src)
        assert main(["validate", str(src), "--mark"]) == 1
    names = sheets(src)
    assert names == [
        ("RAK", "visible"), ("RAK (cadangan)", "visible"), ("Temuan", "visible"),
        ("RAK (cadangan 2)", "hidden"), ("Temuan 2", "visible"), (STATE_SHEET, "veryHidden"),
    ]  # fmt: skip
    assert part_of(src, "RAK (cadangan)") == own_backup
    assert part_of(src, "Temuan") == own_temuan


def test_two_rak_sheets_get_separate_backups(tmp_path: Path) -> None:
    a, b = "Rencana Aksi Kinerja Tahun 2020", "Rencana Aksi Kinerja Tahun 2021"  # 31 characters
    path = tmp_path / "dua.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name in (a, b):
        apply_plan(wb, wb.add_worksheet(name), plan_sheet(F.seed()))
    wb.close()
    for sheet in (a, b, a):
        regenerate_file(path, sheet=sheet)
    names = [n for n, _ in sheets(path)]
    assert len(names) == 4 and names[:2] == [a, b]
    backups = names[2:]
    assert len(set(backups)) == 2 and all("(cadangan" in n for n in backups)
    # each backup is marked with the sheet it keeps
    pkg = open_package(path)
    try:
        marks = {
            n.local: n.text for n in Book(pkg).wb.defined_names() if n.name == "_rak_xl_cadangan"
        }
    finally:
        pkg.close()
    assert sorted(marks.values()) == sorted([f"'{a}'!$1:$1048576", f"'{b}'!$1:$1048576"])
    assert sorted(filter(None, map(marked_sheet, marks.values()))) == sorted([a, b])


@pytest.mark.slow
def test_a_hidden_backup_of_an_earlier_version_is_replaced(tmp_path: Path) -> None:
    src = rak_book(tmp_path / "rak.xlsx", F.seed(), extra={"RAK (cadangan)": [["lama"]]},
                hidden=frozenset({"RAK (cadangan)"}))  # fmt: skip
    regenerate_file(src)
    assert sheets(src) == [("RAK", "visible"), ("RAK (cadangan)", "hidden")]
    backup = openpyxl.load_workbook(src)["RAK (cadangan)"]
    assert backup["A1"].value == "RENCANA AKSI KINERJA"  # the RAK as it was, not "lama"


# -- point 4: a far formatted value, bounded ---------------------------------------------------
_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
from rak_xl.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("command", [["validate", "--mark"], ["regenerate"]], ids=" ".join)
def test_far_formatted_value_under_one_gib(tmp_path: Path, command: list[str]) -> None:
    from hostile import build_hostile as B
    from openpyxl.styles import PatternFill

    path = tmp_path / "jauh.xlsx"
    wb = B.rak_book()
    wb.active["XFD1048576"] = "catatan jauh"
    wb.active["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(path)
    before = load(path)
    run = subprocess.run(
        [sys.executable, "-c", _LIMITED, command[0], str(path), *command[1:]],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr
    assert load(path) == before
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    far = re.search(rb'<c r="XFD1048576"[^>]*>.*?</c>', sheet)
    assert far is not None and b"catatan jauh" in far.group(0)


# -- point 5: -o and macros --------------------------------------------------------------------
def test_output_xlsm_is_macro_enabled(tmp_path: Path) -> None:
    src = rak_book(tmp_path / "rak.xlsx", F.seed())
    out = tmp_path / "hasil.xlsm"
    assert main(["regenerate", str(src), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        assert "sheet.macroEnabled.main+xml" in z.read("[Content_Types].xml").decode()
    assert load(out) == load(src)


def test_xlsm_kept_as_xlsm_and_refused_as_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    built = F.build(tmp_path / "rak.xlsm")
    out = tmp_path / "tanpa.xlsx"
    for command in (["regenerate"], ["recalc"]):
        assert main([*command, str(built.path), "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert "makro" in err and ".xlsm" in err and not out.exists()
    same = tmp_path / "salin.xlsm"
    assert main(["recalc", str(built.path), "-o", str(same)]) == 0
    with zipfile.ZipFile(same) as a, zipfile.ZipFile(built.path) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        assert "macroEnabled" in a.read("[Content_Types].xml").decode()


@pytest.mark.parametrize("name", ["hasil.ods", "hasil.xls", "hasil.csv", "hasil"])
def test_output_of_another_kind_is_refused(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = rak_book(tmp_path / "rak.xlsx", F.seed())
    for command in ("regenerate", "recalc"):
        assert main([command, str(src), "-o", str(tmp_path / name)]) == 2
        assert ".xlsx atau .xlsm" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rak.xlsx"]


def test_xlsm_without_macros_may_become_xlsx(tmp_path: Path) -> None:
    src = rak_book(tmp_path / "rak.xlsm", F.seed())  # XlsxWriter: no VBA project
    out = tmp_path / "hasil.xlsx"
    assert main(["regenerate", str(src), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        types = z.read("[Content_Types].xml").decode()
    assert "macroEnabled" not in types and "sheet.main+xml" in types


# -- point 8: findings of a sheet that was rebuilt ---------------------------------------------
@pytest.mark.slow
def test_regenerate_removes_marks_that_point_to_moved_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = shutil.copy(ROOT / "tests" / "fixtures" / "seed_banjar_2020.xlsx", tmp_path / "seed.xlsx")
    src = Path(src)
    assert main(["validate", str(src), "--mark"]) == 1
    capsys.readouterr()
    assert main(["regenerate", str(src)]) == 0
    assert "Tanda temuan sebelumnya" in capsys.readouterr().out
    names = [n for n, _ in sheets(src)]
    assert not any(n.startswith("Temuan") or n == STATE_SHEET for n in names)
    wb = openpyxl.load_workbook(src)
    notes = [c.comment.text for ws in wb for row in ws.iter_rows() for c in row if c.comment]
    assert not any(t.startswith("rak-xl:") for t in notes)


@pytest.mark.slow
def test_regenerate_of_another_sheet_keeps_the_findings(tmp_path: Path) -> None:
    path = tmp_path / "dua.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name in ("RAK 2020", "RAK 2021"):
        apply_plan(wb, wb.add_worksheet(name), plan_sheet(F.seed()))
    wb.close()
    assert main(["validate", str(path), "--sheet", "RAK 2020", "--mark"]) == 1
    regenerate_file(path, sheet="RAK 2021")
    names = [n for n, _ in sheets(path)]
    assert "Temuan" in names and STATE_SHEET in names


# -- point 9: text stays text, values keep their meaning ---------------------------------------
INJECTIONS = ("=1+1", '=HYPERLINK("http://contoh.id","klik")', "=cmd|' /C calc'!A0")


def test_formula_like_texts_stay_text(tmp_path: Path) -> None:
    rak = F.seed()
    kg = rak.sasaran[0].program[0].kegiatan
    kg[0].uraian, kg[1].uraian, kg[2].indikator = INJECTIONS
    kg[3].kas_bulanan[0] = INJECTIONS[2]  # text in an amount cell: a finding quoting it
    src = rak_book(tmp_path / "rak.xlsx", rak)
    before = load(src)
    regenerate_file(src)
    assert main(["validate", str(src), "--mark"]) == 1
    assert load(src) == before
    for sheet in ("RAK", "Temuan"):
        cells = cells_xml(src, sheet)
        hits = {ref: raw for ref, raw in cells.items() for t in INJECTIONS
                if t.replace('"', "&quot;").encode() in raw or t.encode() in raw}  # fmt: skip
        assert hits, sheet
        for ref, raw in hits.items():
            assert b't="inlineStr"' in raw and b"<f>" not in raw, (sheet, ref)
    temuan = cells_xml(src, "Temuan")
    assert any(INJECTIONS[2].encode() in raw for raw in temuan.values())  # the message quotes it


@pytest.mark.slow
def test_control_characters_do_not_break_a_write(tmp_path: Path) -> None:
    rak = F.seed()
    k = rak.sasaran[0].program[0].kegiatan[0]
    k.uraian = "Pelatihan\x01 aparatur\x1b desa _x0041_"
    k.kas_bulanan[1] = "12\x0300"  # a finding whose message quotes the control character
    src = rak_book(tmp_path / "rak.xlsx", rak)
    before = load(src)
    assert load(src).sasaran[0].program[0].kegiatan[0].uraian == k.uraian
    assert main(["validate", str(src), "--mark"]) == 1
    assert main(["regenerate", str(src)]) == 0
    assert main(["validate", str(src), "--mark"]) == 1
    assert load(src) == before  # the user's text exactly, control characters included
    wb = openpyxl.load_workbook(src)
    messages = [str(c.value) for row in wb["Temuan"].iter_rows() for c in row if c.value]
    assert any("12" in m and "00" in m for m in messages)
    assert not any("\x03" in m or "\x01" in m for m in messages)


def test_line_breaks_survive_regenerate(tmp_path: Path) -> None:
    rak = F.seed()
    rak.catatan.append(("Catatan:\nbaris kedua\r\nbaris ketiga",))
    src = rak_book(tmp_path / "rak.xlsx", rak)
    before = load(src)
    assert "\n" in before.catatan[-1][0]
    regenerate_file(src)
    assert load(src) == before
    assert load(src).catatan[-1] == before.catatan[-1]


def _ods(path: Path, sheets: dict[str, dict[tuple[int, int], object]]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice reads; no soffice needed)."""
    from xml.sax.saxutils import escape, quoteattr

    tables = []
    for name, cells in sheets.items():
        rows = []
        for r in range(1, max(r for r, _ in cells) + 1):
            out = []
            last = max(c for _, c in cells)
            for c in range(1, last + 1):
                v = cells.get((r, c))
                if v is None:
                    out.append("<table:table-cell/>")
                elif isinstance(v, int | float):
                    out.append(f'<table:table-cell office:value-type="float" office:value="{v}">'
                               f"<text:p>{v}</text:p></table:table-cell>")  # fmt: skip
                else:
                    out.append('<table:table-cell office:value-type="string"><text:p>'
                               f"{escape(str(v))}</text:p></table:table-cell>")  # fmt: skip
            rows.append("<table:table-row>" + "".join(out) + "</table:table-row>")
        tables.append(
            f"<table:table table:name={quoteattr(name)}>" + "".join(rows) + "</table:table>"
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
        'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
        '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)  # fmt: skip
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


def test_converted_ods_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    from hostile import build_hostile as B

    src = _ods(
        tmp_path / "rak.ods",
        {"RAK": B.rak_cells(), "Lain": {(1, 1): "=1+1", (2, 1): INJECTIONS[2]}},
    )
    before = load(src)
    assert main(["validate", str(src), "--mark"]) in (0, 1)
    out = tmp_path / "rak.xlsx"
    assert load(out) == before
    cells = cells_xml(out, "Lain")
    assert set(cells) == {"A1", "A2"}
    for raw in cells.values():
        assert b"<f>" not in raw and (b't="s"' in raw or b"inlineStr" in raw)
    wb = openpyxl.load_workbook(out)
    assert wb["Lain"]["A1"].value == "=1+1" and wb["Lain"]["A1"].data_type == "s"
