"""Package-level writes (``rak_xl.opc``): issue 16's points on real files.

Names that belong to the user, bounded resources at a far cell, ``-o`` and macros,
stale findings after a rebuild, text that must stay text, control characters, line
breaks, odd sheet XML, shared and array formulas, and unmarking back to the original."""

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

from rak_xl.adapters.xlsxwriter_plan import apply_plan
from rak_xl.api import load
from rak_xl.cli import main
from rak_xl.errors import RakError
from rak_xl.layout import plan_sheet
from rak_xl.marks import STATE_SHEET, TEMUAN_MARKER
from rak_xl.model import Rak
from rak_xl.opc import Book, edit_file, open_package
from rak_xl.opc.marking import unmark
from rak_xl.regenerate import recalc_file, regenerate_file
from rak_xl.rules import check

ROOT = Path(__file__).resolve().parents[1]


def _book(
    path: Path,
    rak: Rak,
    sheet: str = "RAK",
    extra: dict[str, list[list[object]]] | None = None,
    hidden: frozenset[str] = frozenset(),
) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    apply_plan(wb, wb.add_worksheet(sheet), plan_sheet(rak))
    for name, rows in (extra or {}).items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                ws.write_string(r, c, v) if isinstance(v, str) else ws.write(r, c, v)
        if name in hidden:
            ws.hide()
    wb.close()
    return path


def _sheets(path: Path) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [(ws.title, ws.sheet_state) for ws in wb.worksheets]
    finally:
        wb.close()


def _part_of(path: Path, sheet: str) -> bytes:
    pkg = open_package(path)
    try:
        ref = Book(pkg).ref(sheet)
        assert ref is not None and ref.part is not None
        return pkg.read(ref.part)
    finally:
        pkg.close()


# -- point 2: names and sheets of the user -----------------------------------------------------
def test_users_own_backup_and_findings_sheets_are_kept(tmp_path: Path) -> None:
    src = _book(tmp_path / "rak.xlsx", F.seed(), extra={
        "RAK (cadangan)": [["milik pengguna"]], "Temuan": [["catatan pengguna"]]})  # fmt: skip
    own_backup, own_temuan = _part_of(src, "RAK (cadangan)"), _part_of(src, "Temuan")
    for _ in range(2):
        regenerate_file(src)
        assert main(["validate", str(src), "--mark"]) == 1
    names = _sheets(src)
    assert names == [
        ("RAK", "visible"), ("RAK (cadangan)", "visible"), ("Temuan", "visible"),
        ("RAK (cadangan 2)", "hidden"), ("Temuan 2", "visible"), (STATE_SHEET, "veryHidden"),
    ]  # fmt: skip
    assert _part_of(src, "RAK (cadangan)") == own_backup
    assert _part_of(src, "Temuan") == own_temuan


def test_two_rak_sheets_get_separate_backups(tmp_path: Path) -> None:
    a, b = "Rencana Aksi Kinerja Tahun 2020", "Rencana Aksi Kinerja Tahun 2021"  # 31 characters
    path = tmp_path / "dua.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name in (a, b):
        apply_plan(wb, wb.add_worksheet(name), plan_sheet(F.seed()))
    wb.close()
    for sheet in (a, b, a):
        regenerate_file(path, sheet=sheet)
    names = [n for n, _ in _sheets(path)]
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
    assert sorted(marks.values()) == sorted([f'"{a}"', f'"{b}"'])


def test_a_hidden_backup_of_an_earlier_version_is_replaced(tmp_path: Path) -> None:
    src = _book(tmp_path / "rak.xlsx", F.seed(), extra={"RAK (cadangan)": [["lama"]]},
                hidden=frozenset({"RAK (cadangan)"}))  # fmt: skip
    regenerate_file(src)
    assert _sheets(src) == [("RAK", "visible"), ("RAK (cadangan)", "hidden")]
    backup = openpyxl.load_workbook(src)["RAK (cadangan)"]
    assert backup["A1"].value == "RENCANA AKSI KINERJA"  # the RAK as it was, not "lama"


# -- point 4: a far formatted value, bounded ---------------------------------------------------
_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
from rak_xl.cli import main
sys.exit(main(sys.argv[1:]))
"""


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
    src = _book(tmp_path / "rak.xlsx", F.seed())
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
    src = _book(tmp_path / "rak.xlsx", F.seed())
    for command in ("regenerate", "recalc"):
        assert main([command, str(src), "-o", str(tmp_path / name)]) == 2
        assert ".xlsx atau .xlsm" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rak.xlsx"]


def test_xlsm_without_macros_may_become_xlsx(tmp_path: Path) -> None:
    src = _book(tmp_path / "rak.xlsm", F.seed())  # XlsxWriter: no VBA project
    out = tmp_path / "hasil.xlsx"
    assert main(["regenerate", str(src), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        types = z.read("[Content_Types].xml").decode()
    assert "macroEnabled" not in types and "sheet.main+xml" in types


# -- point 8: findings of a sheet that was rebuilt ---------------------------------------------
def test_regenerate_removes_marks_that_point_to_moved_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = shutil.copy(ROOT / "tests" / "fixtures" / "seed_banjar_2020.xlsx", tmp_path / "seed.xlsx")
    src = Path(src)
    assert main(["validate", str(src), "--mark"]) == 1
    capsys.readouterr()
    assert main(["regenerate", str(src)]) == 0
    assert "Tanda temuan sebelumnya" in capsys.readouterr().out
    names = [n for n, _ in _sheets(src)]
    assert not any(n.startswith("Temuan") or n == STATE_SHEET for n in names)
    wb = openpyxl.load_workbook(src)
    notes = [c.comment.text for ws in wb for row in ws.iter_rows() for c in row if c.comment]
    assert not any(t.startswith("rak-xl:") for t in notes)


def test_regenerate_of_another_sheet_keeps_the_findings(tmp_path: Path) -> None:
    path = tmp_path / "dua.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name in ("RAK 2020", "RAK 2021"):
        apply_plan(wb, wb.add_worksheet(name), plan_sheet(F.seed()))
    wb.close()
    assert main(["validate", str(path), "--sheet", "RAK 2020", "--mark"]) == 1
    regenerate_file(path, sheet="RAK 2021")
    names = [n for n, _ in _sheets(path)]
    assert "Temuan" in names and STATE_SHEET in names


# -- point 9: text stays text, values keep their meaning ---------------------------------------
INJECTIONS = ("=1+1", '=HYPERLINK("http://contoh.id","klik")', "=cmd|' /C calc'!A0")


def _cells_xml(path: Path, sheet: str) -> dict[str, bytes]:
    data = _part_of(path, sheet)
    return {
        m.group(1).decode(): m.group(0)
        for m in re.finditer(rb'<c r="([A-Z]+\d+)"(?:[^>]*/>|[^>]*>.*?</c>)', data)
    }


def test_formula_like_texts_stay_text(tmp_path: Path) -> None:
    rak = F.seed()
    kg = rak.sasaran[0].program[0].kegiatan
    kg[0].uraian, kg[1].uraian, kg[2].indikator = INJECTIONS
    kg[3].kas_bulanan[0] = INJECTIONS[2]  # text in an amount cell: a finding quoting it
    src = _book(tmp_path / "rak.xlsx", rak)
    before = load(src)
    regenerate_file(src)
    assert main(["validate", str(src), "--mark"]) == 1
    assert load(src) == before
    for sheet in ("RAK", "Temuan"):
        cells = _cells_xml(src, sheet)
        hits = {ref: raw for ref, raw in cells.items() for t in INJECTIONS
                if t.replace('"', "&quot;").encode() in raw or t.encode() in raw}  # fmt: skip
        assert hits, sheet
        for ref, raw in hits.items():
            assert b't="inlineStr"' in raw and b"<f>" not in raw, (sheet, ref)
    temuan = _cells_xml(src, "Temuan")
    assert any(INJECTIONS[2].encode() in raw for raw in temuan.values())  # the message quotes it


def test_control_characters_do_not_break_a_write(tmp_path: Path) -> None:
    rak = F.seed()
    k = rak.sasaran[0].program[0].kegiatan[0]
    k.uraian = "Pelatihan\x01 aparatur\x1b desa _x0041_"
    k.kas_bulanan[1] = "12\x0300"  # a finding whose message quotes the control character
    src = _book(tmp_path / "rak.xlsx", rak)
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
    src = _book(tmp_path / "rak.xlsx", rak)
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
    cells = _cells_xml(out, "Lain")
    assert set(cells) == {"A1", "A2"}
    for raw in cells.values():
        assert b"<f>" not in raw and (b't="s"' in raw or b"inlineStr" in raw)
    wb = openpyxl.load_workbook(out)
    assert wb["Lain"]["A1"].value == "=1+1" and wb["Lain"]["A1"].data_type == "s"


# -- odd sheet XML, shared and array formulas --------------------------------------------------
def _rewrite_sheet(path: Path, fn: object) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = fn(parts[name])  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_odd_sheet_xml_is_normalised_first(tmp_path: Path) -> None:
    """Cells without an address, a comment, CDATA: rewritten by expat, then edited."""
    src = _book(tmp_path / "rak.xlsx", F.seed())

    def odd(data: bytes) -> bytes:
        data = data.replace(b"<sheetData>", b"<sheetData><!-- dibuat tangan -->", 1)
        row = re.search(rb'<row r="9"[^>]*>.*?</row>', data)
        assert row is not None
        bare = re.sub(rb'<c r="[A-Z]+9"', b"<c", row.group(0))  # cells placed by order
        return data.replace(row.group(0), bare)

    before = load(src)
    _rewrite_sheet(src, odd)
    assert load(src) == before
    assert main(["validate", str(src), "--mark"]) == 1
    assert load(src) == before
    regenerate_file(src)
    assert load(src) == before


def _official(tmp_path: Path) -> Path:
    src = _book(tmp_path / "rak.xlsx", F.seed())
    regenerate_file(src)
    return src


def test_recalc_writes_out_a_shared_formula_whose_text_it_replaces(tmp_path: Path) -> None:
    src = _official(tmp_path)

    def shared(data: bytes) -> bytes:
        # AA9's formula copied to AF9 as Excel stores it: AA9 holds the text, AF9 refers to it
        data, n = re.subn(
            rb'(<c r="AA9"[^>]*>)<f>[^<]*</f>',
            rb'\1<f t="shared" ref="AA9:AF9" si="0">SUM(N9:Y9)</f><v>1</v>',
            data,
        )
        assert n == 1
        dependent = rb'<c r="AF9"><f t="shared" si="0"/><v>5</v></c>'
        return re.sub(
            rb'(<row r="9"[^>]*>.*?)(</row>)',
            rb"\1" + dependent + rb"\2",
            data,
            count=1,
            flags=re.S,
        )

    _rewrite_sheet(src, shared)
    before = load(src)
    recalc_file(src)
    assert load(src) == before
    cells = _cells_xml(src, "RAK")
    assert b"<f>SUM(S9:AD9)</f><v>5</v>" in cells["AF9"]  # translated, cached value kept
    assert b"<f>SUM(N9:Y9)</f>" in cells["AA9"] and b"shared" not in cells["AA9"]


def test_recalc_refuses_a_cell_inside_an_array_formula(tmp_path: Path) -> None:
    src = _official(tmp_path)
    _rewrite_sheet(
        src, lambda d: re.sub(rb'(<c r="AA9"[^>]*>)<f>', rb'\1<f t="array" ref="AA9">', d)
    )
    raw = src.read_bytes()
    with pytest.raises(RakError, match="rumus array"):
        recalc_file(src)
    assert src.read_bytes() == raw


# -- unmark gives the original back ------------------------------------------------------------
def test_unmark_restores_cells_and_notes(tmp_path: Path) -> None:
    built = F.build(tmp_path / "rak.xlsm")
    original = tmp_path / "asli.xlsm"
    shutil.copy(built.path, original)
    for _ in range(2):
        assert main(["validate", str(built.path), "--mark"]) == 1
    out = tmp_path / "tanpa_tanda.xlsm"
    edit_file(built.path, out, lambda book: unmark(book))

    def state(path: Path) -> tuple[bytes, list[tuple[str, str, str]]]:
        pkg = open_package(path)
        try:
            book = Book(pkg)
            ref = book.ref(F.RAK)
            assert ref is not None
            notes = book.notes(ref)
            data = re.sub(rb'\sspans="[^"]*"', b"", book.sheet(ref).data)
            return data, sorted((r, *notes.get(r)) for r in notes.refs())  # type: ignore[misc]
        finally:
            pkg.close()

    assert state(out) == state(original)
    assert [n for n, _ in _sheets(out)] == [F.RAK, F.OTHER]
    with zipfile.ZipFile(out) as z, zipfile.ZipFile(original) as o:
        # the sheet's drawing holds the same shapes again (buttons, the user's notes)
        assert z.read("xl/drawings/vmlDrawing1.vml") == o.read("xl/drawings/vmlDrawing1.vml")


def test_marks_keep_the_users_note_and_rich_text_under_ours(tmp_path: Path) -> None:
    src = _book(tmp_path / "rak.xlsx", F.seed())
    findings = check(load(src)).findings
    target = next(f.cell for f in findings if f.code == "cash.program-total-mismatch")
    assert target is not None
    rich = b'<r><rPr><b/></rPr><t>Penting:</t></r><r><t xml:space="preserve"> dari DPA</t></r>'

    def with_note(book: Book) -> None:
        ref = book.ref("RAK")
        assert ref is not None
        notes = book.notes(ref)
        notes.put_user(target, "x", "Budi")
        notes.entries[target].text_xml = rich

    edit_file(src, tmp_path / "n.xlsx", with_note)
    shutil.move(tmp_path / "n.xlsx", src)
    assert main(["validate", str(src), "--mark"]) == 1
    pkg = open_package(src)
    try:
        notes = Book(pkg).notes(Book(pkg).ref("RAK"))  # type: ignore[arg-type]
        text, author = notes.get(target)  # type: ignore[misc]
        assert (
            text.startswith("rak-xl:") and text.endswith("Penting: dari DPA") and author == "Budi"
        )
        assert rich in notes.entries[target].text_xml
    finally:
        pkg.close()
    out = tmp_path / "bersih.xlsx"
    edit_file(src, out, lambda book: unmark(book))
    pkg = open_package(out)
    try:
        notes = Book(pkg).notes(Book(pkg).ref("RAK"))  # type: ignore[arg-type]
        assert notes.entries[target].text_xml == rich
    finally:
        pkg.close()


# -- the readable files of the hostile corpus --------------------------------------------------
@pytest.fixture(scope="module")
def readable(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from hostile import build_hostile as B

    out = tmp_path_factory.mktemp("hostile_write")
    return [out / c["file"] for c in B.build(out, soffice=False) if c["outcome"] == "read"]


def test_every_write_keeps_the_rak_of_a_tricky_file(
    readable: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Far cells, a RAK on a second sheet, a hidden copy first, formula errors, dates,
    long text, merges over the header: mark twice (same bytes), rebuild, recalc."""
    assert len(readable) >= 10
    for src in readable:
        path = tmp_path / src.name
        shutil.copy(src, path)
        before = load(path)
        assert main(["validate", str(path), "--mark"]) in (0, 1), src.name
        once = path.read_bytes()
        assert main(["validate", str(path), "--mark"]) in (0, 1)
        assert path.read_bytes() == once, src.name
        assert load(path) == before, src.name
        assert main(["regenerate", str(path)]) == 0, src.name
        assert main(["recalc", str(path)]) == 0, src.name
        assert load(path) == before, src.name
        err = capsys.readouterr().err
        assert "Traceback" not in err


def test_a_table_over_the_rebuilt_area_is_taken_off_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Excel table (ListObject) whose header cells the rebuild moves would make Excel
    repair the file: it is taken off, its cells keep their values, the output says so."""
    path = tmp_path / "tabel.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("RAK")
    apply_plan(wb, ws, plan_sheet(F.seed()))
    ws.add_table("AF10:AG12", {"name": "Catatan", "data": [["a", 1], ["b", 2]],
                               "columns": [{"header": "Isi"}, {"header": "Nilai"}]})  # fmt: skip
    wb.close()
    before = load(path)
    assert main(["regenerate", str(path)]) == 0
    assert "Tabel Excel 'Catatan' (AF10:AG12) dilepas" in capsys.readouterr().out
    assert load(path) == before
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
    assert not any("tables/" in n for n in names) and "table+xml" not in types
    assert b"tableParts" not in _part_of(path, "RAK")


def test_marks_saved_by_excel_are_recognised_and_removed(tmp_path: Path) -> None:
    """Marks made by the Validasi button and saved by Excel: shared strings instead of
    inline ones, HYPERLINK formulas in Temuan, no ``gaya_sebelum`` column. The next
    ``--mark`` finds them, restores the fill the record names, and removes both sheets."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from rak_xl.marks import MarkRecord, records_to_rows

    src = _book(tmp_path / "rak.xlsx", F.seed())
    wb = openpyxl.load_workbook(src)
    ws = wb["RAK"]
    ws["AB20"].fill = PatternFill("solid", fgColor="FFFFC7CE")  # "our" fill from Excel
    ws["AB20"].comment = Comment("rak-xl:\n[kesalahan] lama", "rak-xl")
    temuan = wb.create_sheet("Temuan")
    temuan["A1"] = TEMUAN_MARKER
    temuan["D8"] = '=HYPERLINK("#\'RAK\'!AB20","AB20")'
    state = wb.create_sheet(STATE_SHEET)
    for row in records_to_rows([MarkRecord("RAK", "AB20", "FFC7CE", None, None)])[:1]:
        state.append(row[:5])  # the header as an older version wrote it
    state.append(["RAK", "AB20", "FFC7CE", "", ""])
    state.sheet_state = "veryHidden"
    wb.save(src)
    assert main(["validate", str(src), "--mark"]) == 1
    wb = openpyxl.load_workbook(src)
    assert wb.sheetnames == ["RAK", "Temuan", STATE_SHEET]
    cell = wb["RAK"]["AB20"]
    assert cell.fill.fill_type is None and cell.comment is None
    assert (
        wb["Temuan"]["A1"].value == TEMUAN_MARKER and wb["Temuan"]["D8"].value != temuan["D8"].value
    )
