"""Package-level writes (``rak_xl.opc``) on odd input: sheet XML in an unusual shape,
shared and array formulas, unmarking back to the original, notes with rich text, the
readable hostile files, tables over the rebuilt area, marks saved by Excel."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from features import build_features as F
from opc_files import cells_xml, part_of, rak_book, rewrite_sheet, sheets

from rak_xl.adapters.xlsxwriter_plan import apply_plan
from rak_xl.api import load
from rak_xl.cli import main
from rak_xl.errors import RakError
from rak_xl.layout import plan_sheet
from rak_xl.marks import STATE_SHEET, TEMUAN_MARKER
from rak_xl.opc import Book, edit_file, open_package
from rak_xl.opc.marking import unmark
from rak_xl.regenerate import recalc_file, regenerate_file
from rak_xl.rules import check


@pytest.mark.slow
def test_odd_sheet_xml_is_normalised_first(tmp_path: Path) -> None:
    """Cells without an address and a comment: rewritten by expat, then edited."""
    src = rak_book(tmp_path / "rak.xlsx", F.seed())

    def odd(data: bytes) -> bytes:
        data = data.replace(b"<sheetData>", b"<sheetData><!-- dibuat tangan -->", 1)
        row = re.search(rb'<row r="9"[^>]*>.*?</row>', data)
        assert row is not None
        bare = re.sub(rb'<c r="[A-Z]+9"', b"<c", row.group(0))  # cells placed by order
        return data.replace(row.group(0), bare)

    before = load(src)
    rewrite_sheet(src, odd)
    assert load(src) == before
    assert main(["validate", str(src), "--mark"]) == 1
    assert load(src) == before
    regenerate_file(src)
    assert load(src) == before


def _official(tmp_path: Path) -> Path:
    src = rak_book(tmp_path / "rak.xlsx", F.seed())
    regenerate_file(src)
    return src


def test_recalc_writes_out_a_shared_formula_whose_text_it_replaces(tmp_path: Path) -> None:
    src = _official(tmp_path)

    def shared(data: bytes) -> bytes:
        # AM10's formula copied to BE10 as Excel stores it: AM10 holds the text, BE10 refers
        # to it
        data, n = re.subn(
            rb'(<c r="AM10"[^>]*>)<f>[^<]*</f>',
            rb'\1<f t="shared" ref="AM10:BE10" si="0">SUM(AA10:AL10)</f><v>1</v>',
            data,
        )
        assert n == 1
        dependent = rb'<c r="BE10"><f t="shared" si="0"/><v>5</v></c>'
        return re.sub(
            rb'(<row r="10"[^>]*>.*?)(</row>)',
            rb"\1" + dependent + rb"\2",
            data,
            count=1,
            flags=re.S,
        )

    rewrite_sheet(src, shared)
    before = load(src)
    recalc_file(src)
    assert load(src) == before
    cells = cells_xml(src, "RAK")
    assert b"<f>SUM(AS10:BD10)</f><v>5</v>" in cells["BE10"]  # translated, cached value kept
    assert b"<f>SUM(AA10:AL10)</f>" in cells["AM10"] and b"shared" not in cells["AM10"]


def test_recalc_refuses_a_cell_inside_an_array_formula(tmp_path: Path) -> None:
    src = _official(tmp_path)
    rewrite_sheet(
        src, lambda d: re.sub(rb'(<c r="AM10"[^>]*>)<f>', rb'\1<f t="array" ref="AM10">', d)
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
    assert [n for n, _ in sheets(out)] == [F.RAK, F.OTHER]
    with zipfile.ZipFile(out) as z, zipfile.ZipFile(original) as o:
        # the sheet's drawing holds the same shapes again (buttons, the user's notes)
        assert z.read("xl/drawings/vmlDrawing1.vml") == o.read("xl/drawings/vmlDrawing1.vml")


def test_marks_keep_the_users_note_and_rich_text_under_ours(tmp_path: Path) -> None:
    src = rak_book(tmp_path / "rak.xlsx", F.seed())
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


@pytest.mark.slow
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
    assert b"tableParts" not in part_of(path, "RAK")


@pytest.mark.slow
def test_marks_saved_by_excel_are_recognised_and_removed(tmp_path: Path) -> None:
    """Marks made by the Validasi button and saved by Excel: shared strings instead of
    inline ones, HYPERLINK formulas in Temuan, no ``gaya_sebelum`` column. The next
    ``--mark`` finds them, restores the fill the record names, and removes both sheets."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from rak_xl.marks import MarkRecord, records_to_rows

    src = rak_book(tmp_path / "rak.xlsx", F.seed())
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
