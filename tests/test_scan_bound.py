"""The pre-scan's bounded shortcut: trusted only when every cell obeys ``<dimension>``."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from hostile import build_hostile as B
from hypothesis import given
from hypothesis import strategies as st

from rak_xl.grid import col_letter
from rak_xl.workbook import _scan, load_grid
from rak_xl.workbook._bound import dimension_bound, obeys, up_to
from rak_xl.workbook._limits import MAX_CELLS

SHEET = "xl/worksheets/sheet1.xml"


def _scans(data: bytes) -> tuple[_scan._Extent | None, _scan._Extent]:
    """(bounded scan or None, exact scan) of the first sheet of an xlsx."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo(SHEET)
    return _scan._bounded_scan(zf, info, "t.xlsx"), _scan._exact_scan(zf, info, "t.xlsx")


@given(st.integers(1, 2_000_000), st.integers(1, 2_000_001))
def test_up_to_counts_numbers(last: int, n: int) -> None:
    assert (re.fullmatch(up_to(str(last), "1", "0"), str(n)) is not None) == (n <= last)


@given(st.integers(1, 18_278), st.integers(1, 18_278))
def test_up_to_counts_columns(last: int, n: int) -> None:
    rx = up_to(col_letter(last), "A", "A")
    assert (re.fullmatch(rx, col_letter(n)) is not None) == (n <= last)


def test_up_to_refuses_what_is_not_plain() -> None:
    digits = re.compile(up_to("12019", "1", "0"))
    assert not any(digits.fullmatch(s) for s in ("0", "01", "", "1a", "120190"))


def test_ordinary_file_takes_the_shortcut() -> None:
    """What openpyxl writes (and Excel, XlsxWriter, LibreOffice: a correct dimension)."""
    bounded, exact = _scans(B.save(B.rak_book()))
    assert bounded is not None and exact.box() is not None
    assert bounded.bound == (1, 1, 20, 23) == exact.box()
    assert bounded.cells == 1 and bounded.errors == exact.errors == {}


def test_error_cells_found_by_both() -> None:
    data = B.patch_part(
        B.save(B.rak_book()),
        SHEET,
        lambda body: re.sub(rb'<c r="K9".*?</c>', b'<c r="K9" t="e"><v>#REF!</v></c>', body),
    )
    bounded, exact = _scans(data)
    assert bounded is not None and bounded.errors == exact.errors == {(9, 11): "#REF!"}


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="A21"><v>1</v></c>',  # just past the stated last row
        b'<c r="X20"><v>1</v></c>',  # just past the stated last column
        b'<c r="XFD1048576"><v>1</v></c>',
        b'<c xr:r="A1" r="XFD1048576"><v>1</v></c>',  # the real r is not first
        b"<c><v>1</v></c>",  # no address: placed by order
        b'<c  r="A2"><v>1</v></c>',  # unusual spacing
        b'<c r="$A$2"><v>1</v></c>',
        b'<c r="a2"><v>1</v></c>',
        b'<x:c r="A2"><x:v>1</x:v></x:c>',  # prefixed
    ],
)
def test_any_cell_off_the_proof_means_exact_scan(cell: bytes) -> None:
    data = B.patch_part(
        B.save(B.rak_book()),
        SHEET,
        lambda body: body.replace(b"</sheetData>", b'<row r="20">' + cell + b"</row></sheetData>"),
    )
    assert _scans(data)[0] is None


def test_lying_dimension_cannot_hide_a_far_cell(tmp_path: Path) -> None:
    """The stated area is small, a value sits at XFD1048576: the exact scan finds it and
    the grid leaves it out (without it calamine would try to allocate 17 billion cells)."""
    path = tmp_path / "lie.xlsx"
    B.b_stray_value(path)
    data = B.patch_part(
        path.read_bytes(),
        SHEET,
        lambda b: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:W20"', b),
    )
    assert b'ref="A1:W20"' in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    assert _scans(data)[0] is None
    path.write_bytes(data)
    grid = load_grid(path)
    assert (grid.last_row, grid.last_col) == (20, 23)


def test_dimension_bound_only_for_small_areas() -> None:
    assert dimension_bound(b'<dimension ref="A1:W20"/>') == (20, 23)
    assert dimension_bound(b'<dimension ref="C7"/>') == (7, 3)
    assert dimension_bound(b'<dimension ref="A1:XFD1048576"/>') is None
    assert dimension_bound(b'<dimension ref="A1:Z1"/>') == (1, 26)
    assert dimension_bound(b"<sheetPr/>") is None
    last = MAX_CELLS // 26
    assert dimension_bound(f'<dimension ref="A1:Z{last}"/>'.encode()) == (last, 26)
    assert dimension_bound(f'<dimension ref="A1:Z{last + 1}"/>'.encode()) is None


def test_obeys_looks_at_cells_only() -> None:
    piece = b'<cols><col min="1"/></cols><row r="3"><c r="B3" s="1"/><c r="C3"><v>2</v></c></row>'
    assert obeys(piece, (3, 3))
    assert not obeys(piece, (3, 2))
    assert not obeys(piece, (2, 3))
