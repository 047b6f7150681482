"""File adapter: values, positions, merges, sheet picking, trimming, format by content."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hostile import build_hostile as B  # tests/ is on sys.path, as for lo, rules_model

from rak_xl import workbook
from rak_xl.errors import NoRakTable, WorkbookUnreadable
from rak_xl.workbook import load_grid, load_grids, sheet_names


def _rak(path: Path, title: str = "RAK") -> Path:
    B.rak_book(title).save(path)
    return path


def test_values_and_positions(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    ws["C5"] = "teks"
    ws["D5"] = 1_500_000
    ws["E5"] = 2.5
    ws["C6"] = True
    ws["D6"] = dt.datetime(2020, 3, 4, 10, 30)
    ws["E6"] = dt.date(2020, 1, 2)
    ws["F7"] = "x"
    ws.merge_cells("C8:E9")
    ws["C8"] = "gabung"
    wb.save(tmp_path / "v.xlsx")
    (grid,) = load_grids(tmp_path / "v.xlsx")
    assert (grid.sheet, grid.first_row, grid.first_col) == ("Data", 5, 3)
    assert grid.value(5, 3) == "teks"
    assert grid.value(5, 4) == 1_500_000 and grid.value(5, 5) == 2.5
    assert grid.value(6, 3) is True
    assert grid.value(6, 4) == dt.datetime(2020, 3, 4, 10, 30)
    assert grid.value(6, 5) == dt.datetime(2020, 1, 2)  # dates arrive as datetime
    assert grid.value(6, 6) is None and grid.value(100, 100) is None
    assert grid.merges == [(8, 3, 9, 5)]
    assert grid.last_row == 8  # trimmed to the data; the merge reaches row 9
    assert grid.rows[-1] == ["gabung"]  # no trailing empties
    assert grid.value(7, 6) == "x"


@pytest.mark.slow
def test_picks_rak_sheet_and_override(tmp_path: Path) -> None:
    path = B.build(tmp_path / "c", soffice=False) and tmp_path / "c" / "rak_second_sheet.xlsx"
    assert load_grid(path).sheet == "RAK 2020"
    assert load_grid(path, sheet="Petunjuk").sheet == "Petunjuk"
    assert load_grid(path, sheet="rak 2020 ").sheet == "RAK 2020"  # forgiving match
    with pytest.raises(NoRakTable, match=r"Sheet 'Ringkasan' tidak ada .*Petunjuk, RAK 2020"):
        load_grid(path, sheet="Ringkasan")
    assert sheet_names(path) == ["Petunjuk", "RAK 2020"]


def test_hidden_sheets_come_last(tmp_path: Path) -> None:
    B.b_hidden_copy_first(tmp_path / "h.xlsx")
    assert sheet_names(tmp_path / "h.xlsx") == ["RAK", "Cadangan"]
    assert [g.sheet for g in load_grids(tmp_path / "h.xlsx")] == ["RAK", "Cadangan"]


def test_stray_far_cells_are_left_out(tmp_path: Path) -> None:
    """The trimmed path (far cells dropped, calamine on a filtered copy) gives the same grid
    as the plain file."""
    plain = load_grid(_rak(tmp_path / "plain.xlsx"))
    for build in (B.b_stray_value, B.b_stray_number_far_row, B.b_stray_format):
        path = tmp_path / f"{build.__name__}.xlsx"
        build(path)
        got = load_grid(path)
        assert (got.rows, got.first_row, got.first_col) == (
            plain.rows,
            plain.first_row,
            plain.first_col,
        )


def test_stray_with_merges_and_errors(tmp_path: Path) -> None:
    """Trimmed path: cached errors survive, a far merge is dropped, a near one kept."""
    B.b_formula_errors(tmp_path / "e.xlsx")
    far_row = b'<row r="900000"><c r="ZZ900000"><v>5</v></c></row>'
    merges = b'<mergeCells count="2"><mergeCell ref="A9:A10"/><mergeCell ref="ZZ9:ZZ10"/>'
    merges += b"</mergeCells>"

    def far(body: bytes) -> bytes:
        return body.replace(b"</sheetData>", far_row + b"</sheetData>" + merges)

    out = tmp_path / "far.xlsx"
    data = (tmp_path / "e.xlsx").read_bytes()
    out.write_bytes(B.patch_part(data, "xl/worksheets/sheet1.xml", far))
    grid = load_grid(out)
    assert grid.last_row == 20 and grid.last_col == 23
    assert grid.value(9, 11) == "#REF!" and grid.value(9, 12) == "#VALUE!"
    assert grid.merges == [(9, 1, 10, 1)]


def test_format_by_content_not_extension(tmp_path: Path) -> None:
    src = _rak(tmp_path / "rak.xlsx")
    for name in ("salah.xls", "salah.ods", "tanpa_ekstensi", "rak.xlsm"):
        shutil.copy(src, tmp_path / name)
        assert load_grid(tmp_path / name).sheet == "RAK"


def test_xlsm_with_vba_project(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "macro.xlsm"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("RAK")
    for (r, c), v in B.rak_cells().items():
        ws.write(r - 1, c - 1, v)
    wb.add_vba_project(io.BytesIO(B._ole({"VBA/dir": b"\0" * 100})), is_stream=True)
    wb.close()
    assert load_grid(path).value(10, 7) == "Penyusunan laporan"


def test_filter_sheet_xml_keeps_box() -> None:
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a &amp; b</t></is></c>'
        b'<c r="XFD1"><v>1</v></c></row>'
        b'<row r="2"><c><v>2</v></c><c><v>3</v></c></row>'
        b'<row r="1048576"><c r="A1048576"><v>4</v></c></row>'
        b"</sheetData></worksheet>"
    )
    out = workbook._filter_sheet_xml(xml, (1, 1, 2, 5)).decode()
    assert "a &amp; b" in out and 'r="A2"' in out and 'r="B2"' in out
    assert "XFD1" not in out.replace('ref="A1:E2"', "") and "1048576" not in out
    fast = workbook._trim_sheet_xml(xml, (1, 1, 2, 5)).decode()  # no r: exact path
    assert "1048576" not in fast.replace('ref="A1:XFD1048576"', "")


def test_cells_without_r_attribute(tmp_path: Path) -> None:
    """Some generators omit ``r``; positions then follow the order (exact expat scan)."""
    data = B.save(B.rak_book())

    def strip_r(body: bytes) -> bytes:
        import re

        # only in the dense numbering row 8, where order alone gives the position
        row = re.search(rb'<row r="8".*?</row>', body)
        assert row is not None
        new = re.sub(rb'<c r="[A-Z]+\d+"', b"<c", row.group(0))
        return body.replace(row.group(0), new)

    path = tmp_path / "nor.xlsx"
    path.write_bytes(B.patch_part(data, "xl/worksheets/sheet1.xml", strip_r))
    grid = load_grid(path)
    assert grid.value(8, 23) == 23 and grid.value(10, 7) == "Penyusunan laporan"
    assert grid.rows == load_grid(_rak(tmp_path / "plain.xlsx")).rows


def test_comments_in_sheet_xml(tmp_path: Path) -> None:
    data = B.save(B.rak_book())

    def comment(body: bytes) -> bytes:
        return body.replace(b'<row r="9"', b'<!-- </row> <v>1</v> --><row r="9"', 1)

    path = tmp_path / "comment.xlsx"
    path.write_bytes(B.patch_part(data, "xl/worksheets/sheet1.xml", comment))
    assert load_grid(path).value(9, 7) == "Pelatihan aparatur desa"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    missing = tmp_path / "tidak_ada.xlsx"  # named by its full path (issue 13.7)
    with pytest.raises(
        WorkbookUnreadable, match=rf"^File {re.escape(str(missing))} tidak ditemukan\.$"
    ):
        load_grid(missing)
    with pytest.raises(WorkbookUnreadable, match="folder"):
        load_grid(tmp_path)


def test_chunk_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows split across decompression chunks are still scanned whole."""
    monkeypatch.setattr(workbook._limits, "_CHUNK", 7)
    path = tmp_path / "s.xlsx"
    B.b_stray_value(path)
    B.b_formula_errors(tmp_path / "e.xlsx")
    assert load_grid(path).last_row == 20
    assert load_grid(tmp_path / "e.xlsx").value(9, 11) == "#REF!"


def test_limits_are_sane() -> None:
    assert workbook.MAX_CELLS * 64 < 2**30  # calamine's dense range stays well under 1 GiB
    assert workbook.MAX_TOTAL_BYTES <= 2**30


def test_sheet_part_resolved_like_calamine(tmp_path: Path) -> None:
    """Absolute targets and other case in part names still reach the pre-scan (a part
    calamine reads but the scan missed would be sized by calamine alone)."""
    stray = tmp_path / "s.xlsx"
    B.b_stray_value(stray)
    src = zipfile.ZipFile(stray)
    out = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            name = info.filename
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b'Target="/xl/worksheets/sheet1.xml"', b'Target="x"')
                data = data.replace(b'Target="worksheets/sheet1.xml"', b'Target="x"')
                data = data.replace(b'Target="x"', b'Target="/xl/Worksheets/SHEET1.xml"')
            if name == "xl/worksheets/sheet1.xml":
                name = "xl/worksheets/Sheet1.xml"
            dst.writestr(name, data)
    grid = load_grid(out)
    assert (grid.last_row, grid.last_col) == (20, 23)


def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipa.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(WorkbookUnreadable, match="bukan file biasa"):
        load_grid(fifo)


@pytest.mark.parametrize(
    ("cell", "last"),
    [
        # beyond Excel's last row or column: no sheet has that cell, refused by name
        # (tests/test_hostile_round4.py)
        (b'<c r="A99999999"><v>1</v></c>', None),
        (b'<c r="xfd1048576"><v>1</v></c>', (20, 23)),  # lower-case address
        (b'<c r="XFE5"><v>1</v></c>', None),
        (b'<c r="B0"><v>1</v></c>', None),  # row 0: calamine refuses, so do we
        # A prefixed attribute named like the address, before the real one: calamine
        # reads only ``r``, so must the pre-scan (the far cell is trimmed, not sized).
        (b'<c xr:r="A1" r="XFD1048576"><v>1</v></c>', (20, 23)),
        (b'<c xr:r="XFD1048576" r="W21"><v>1</v></c>', (21, 23)),
        (b"<c xr:r='A1' r='XFD1048576'><v>1</v></c>", (20, 23)),  # slow path (quotes)
    ],
)
def test_odd_addresses(tmp_path: Path, cell: bytes, last: tuple[int, int] | None) -> None:
    def add(body: bytes) -> bytes:
        return body.replace(b"</sheetData>", b'<row r="21">' + cell + b"</row></sheetData>")

    path = tmp_path / "odd.xlsx"
    path.write_bytes(B.patch_part(B.save(B.rak_book()), "xl/worksheets/sheet1.xml", add))
    if last is None:
        with pytest.raises(WorkbookUnreadable, match=r"odd\.xlsx"):
            load_grid(path)
    else:
        grid = load_grid(path)
        assert (grid.last_row, grid.last_col) == last


def test_error_value_before_address(tmp_path: Path) -> None:
    """A formula error is put back whatever the order of the cell's attributes."""

    def add(body: bytes) -> bytes:
        cell = b'<c t="e" r="C21"><f>1/0</f><v>#DIV/0!</v></c>'
        return body.replace(b"</sheetData>", b'<row r="21">' + cell + b"</row></sheetData>")

    path = tmp_path / "err.xlsx"
    path.write_bytes(B.patch_part(B.save(B.rak_book()), "xl/worksheets/sheet1.xml", add))
    assert load_grid(path).value(21, 3) == "#DIV/0!"


def test_locate_gives_grid_and_header(tmp_path: Path) -> None:
    """``locate`` is ``load_grid`` plus the header the reader would look for again."""
    from rak_xl.read import find_header

    path = _rak(tmp_path / "rak.xlsx")
    grid, header = workbook.locate(path)
    assert grid == load_grid(path)
    assert header is not None and header == find_header(grid)
    assert workbook.locate(path, sheet="RAK") == (grid, None)  # given, not searched


def test_prefetch_while_calamine_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Modules to prefetch are imported while calamine parses on a worker thread; what
    calamine raises there still reaches the caller as the usual sentence."""
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "rak_prefetch_probe.py").write_text("LOADED = True\n")
    (tmp_path / "rak_prefetch_probe2.py").write_text("LOADED = True\n")
    path = _rak(tmp_path / "rak.xlsx")
    grid, _ = workbook.locate(path, prefetch=("rak_prefetch_probe",))
    assert "rak_prefetch_probe" in sys.modules and grid == load_grid(path)

    def not_a_number(body: bytes) -> bytes:  # passes the pre-scan, refused by calamine
        cell = b'<row r="21"><c r="B21" t="n"><v>abc</v></c></row>'
        return body.replace(b"</sheetData>", cell + b"</sheetData>")

    bad = tmp_path / "nol.xlsx"
    bad.write_bytes(B.patch_part(B.save(B.rak_book()), "xl/worksheets/sheet1.xml", not_a_number))
    with pytest.raises(WorkbookUnreadable, match=r"nol\.xlsx tidak dapat dibaca"):
        workbook.locate(bad, prefetch=("rak_prefetch_probe2",))
    assert "rak_prefetch_probe2" in sys.modules
