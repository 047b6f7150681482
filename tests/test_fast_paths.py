"""Fast paths give what their general paths give.

* The reader reads a number cell of a kegiatan's month or of a TW 2..4 row in a fast
  path (an exact ``float``); any other number takes the general path. The same sheet
  with every float replaced by an equal float subclass (which only the general path
  takes) must read the same.
* The sheet pre-scan trusts ``<dimension>`` once every cell obeys it (``_bound``); when
  it does, no valued cell lies outside it, and its error cells and emptiness are the
  exact scan's.
* The rectangle cover answers "which cells are free" by binary search for an area minus
  blocked cells and for an area inside allowed rectangles; asked cell by cell (``cover``
  with a predicate) it must give the same rectangles.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rak_xl.grid import Grid, col_letter
from rak_xl.model import Rak
from rak_xl.paint.cover import cover, cover_inside, cover_outside
from rak_xl.paint.rects import Cell, Rect, inside
from rak_xl.read import find_header, read_rak
from rak_xl.workbook import _scan, load_grid

FIXTURES = Path(__file__).parent / "fixtures"


class _SlowFloat(float):
    """A float that is not exactly ``float``: the reader's general path."""


def _slow(grid: Grid) -> Grid:
    rows = [[_SlowFloat(v) if type(v) is float else v for v in row] for row in grid.rows]
    return Grid(rows, grid.first_row, grid.first_col, grid.sheet, grid.merges)


def _same(general: Rak, fast: Rak) -> None:
    # Equal models, and equal JSON: 5 and 5.0 are equal numbers but not the same output.
    assert general == fast
    assert json.dumps(general.to_json()) == json.dumps(fast.to_json())


_NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(float),
    st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False),
)


@pytest.mark.slow  # a property over many cases: the full suite runs it
@settings(max_examples=25, deadline=None)
@given(st.data())
def test_reader_fast_and_general_number_paths_agree(data: st.DataObject) -> None:
    """The seed sheet (4 rows per kegiatan, as Susun Ulang writes it) and a variant with
    a row per quarter, with random numbers in random cells of the table."""
    name = data.draw(st.sampled_from(["seed_banjar_2020.xlsx", "variant_row_per_quarter.xlsx"]))
    grid = load_grid(FIXTURES / name)
    rows = [list(row) for row in grid.rows]
    header = find_header(grid)
    assert header is not None
    below = header.numbering_row + 1 - grid.first_row  # the numbering row stays as it is
    filled = [i for i, row in enumerate(rows) if row and i >= below]
    for _ in range(data.draw(st.integers(0, 40))):
        i = data.draw(st.sampled_from(filled))
        j = data.draw(st.integers(0, len(rows[i]) - 1))
        rows[i][j] = data.draw(_NUMBERS)
    fast = Grid(rows, grid.first_row, grid.first_col, grid.sheet, grid.merges)
    assert any(type(v) is float for row in rows for v in row)
    _same(read_rak(_slow(fast)), read_rak(fast))


def test_reader_paths_agree_on_every_fixture() -> None:
    for path in sorted(FIXTURES.glob("*.xls*")) + sorted(FIXTURES.glob("*.ods")):
        grid = load_grid(path)
        _same(read_rak(_slow(grid)), read_rak(grid))


# -- the plain rows (rak_xl.read.fastrow: kegiatan, a quarter's target, empty) -----------


def _general(grid: Grid) -> Rak:
    """``read_rak`` with every kegiatan row on the general path."""
    from rak_xl.read import fastrow

    fast = fastrow.FastKegiatan
    kept = fast.read, fast.quick
    fast.read = fast.quick = lambda *_: None  # type: ignore[method-assign, assignment]
    try:
        return read_rak(grid)
    finally:
        fast.read, fast.quick = kept  # type: ignore[method-assign]


def _same_everywhere(general: Rak, fast: Rak) -> None:
    """Equal models and JSON, and every item's cell addresses (the findings' cells)."""
    _same(general, fast)

    def cells(rak: Rak) -> list[dict[str, str]]:
        return [
            it.src.cells
            for s in rak.sasaran
            for it in [s, *s.program, *(k for p in s.program for k in p.kegiatan)]
        ]

    assert cells(general) == cells(fast)


_CELL_VALUES = st.one_of(
    st.none(),
    _NUMBERS,
    st.sampled_from(
        [
            "-", " ", "5", "1.416", "Rp 2.000.000", "12 Orang", "Orang", "x", "TW 1 = 5",
            "TW 1 = - TW 2 = 3 TW 3 = - TW 4 = 7", "TW 2 = lima", "Persiapan", "1. Jumlah desa",
            "kumulatif", "a\nb", float("nan"), float("inf"), 1e20, True, 7,
            _dt.datetime(2020, 1, 31),
        ]
    ),
)  # fmt: skip


@pytest.mark.slow  # a property over many cases: the full suite runs it
@settings(max_examples=40, deadline=None)
@given(st.data())
def test_plain_kegiatan_rows_read_as_the_general_path_reads_them(data: st.DataObject) -> None:
    """Random values in random cells of the kegiatan columns (a row per kegiatan, and
    four): the rows that stay plain and those that do not read alike both ways."""
    name = data.draw(st.sampled_from(["seed_banjar_2020.xlsx", "variant_vol_sat_split.xlsx"]))
    grid = load_grid(FIXTURES / name)
    header = find_header(grid)
    assert header is not None
    rows = [list(row) for row in grid.rows]
    below = header.numbering_row + 1 - grid.first_row
    first_k = header.first(7) - grid.first_col
    filled = [i for i, row in enumerate(rows) if i >= below and len(row) > first_k]
    for _ in range(data.draw(st.integers(0, 30))):
        i = data.draw(st.sampled_from(filled))
        j = data.draw(st.integers(first_k + 1, len(rows[i]) - 1))
        rows[i][j] = data.draw(_CELL_VALUES)
    mutated = Grid(rows, grid.first_row, grid.first_col, grid.sheet, grid.merges)
    _same_everywhere(_general(mutated), read_rak(mutated))


def test_plain_rows_agree_on_every_fixture_and_unseen_layouts(tmp_path: Path) -> None:
    from fixture_scripts import fixture_module

    gen = fixture_module("gen_unseen")
    paths = [*sorted(FIXTURES.glob("*.xls*")), *sorted(FIXTURES.glob("*.ods"))]
    paths += [gen.generate(seed, tmp_path, hard=seed % 2 == 1)[0] for seed in range(8)]
    for path in paths:
        grid = load_grid(path)
        _same_everywhere(_general(grid), read_rak(grid))


# -- the pre-scan's <dimension> shortcut ------------------------------------------------

_KINDS = {
    "value": '<c r="{a}"><v>1</v></c>',
    "styled": '<c r="{a}" s="1"/>',
    "error": '<c r="{a}" t="e"><v>#REF!</v></c>',
    "inline": '<c r="{a}" t="inlineStr"><is><t>x</t></is></c>',
    "formula": '<c r="{a}"><f>1+1</f><v>2</v></c>',
}


def _sheet(cells: dict[Cell, str], dimension: tuple[int, int]) -> bytes:
    rows: dict[int, list[str]] = {}
    for (r, c), kind in sorted(cells.items()):
        rows.setdefault(r, []).append(_KINDS[kind].format(a=f"{col_letter(c)}{r}"))
    body = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in rows.items())
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{col_letter(dimension[1])}{dimension[0]}"/>'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    return buf.getvalue()


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(1, 40), st.integers(1, 30)), st.sampled_from(sorted(_KINDS))
    ),
    st.tuples(st.integers(1, 45), st.integers(1, 35)),
)
def test_dimension_shortcut_agrees_with_the_exact_scan(
    cells: dict[Cell, str], dimension: tuple[int, int]
) -> None:
    zf = zipfile.ZipFile(io.BytesIO(_sheet(cells, dimension)))
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    bounded = _scan._bounded_scan(zf, info, "t.xlsx")
    exact = _scan._exact_scan(zf, info, "t.xlsx")
    outside = any(r > dimension[0] or c > dimension[1] for r, c in cells)
    if outside:
        assert bounded is None  # a cell off the stated area: never trusted
        return
    assert bounded is not None
    assert bounded.errors == exact.errors
    assert bool(bounded.cells) == bool(exact.cells)
    box = exact.box()
    if box is not None:
        assert bounded.bound is not None
        assert bounded.bound[2] >= box[2] and bounded.bound[3] >= box[3]


# -- the rectangle cover -------------------------------------------------------------------

_CELLS = st.sets(st.tuples(st.integers(1, 9), st.integers(1, 7)), max_size=25)
_RECTS = st.lists(
    st.tuples(st.integers(1, 9), st.integers(1, 7), st.integers(0, 4), st.integers(0, 3)).map(
        lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3])
    ),
    max_size=5,
)
_AREA: Rect = (1, 1, 9, 7)


@settings(max_examples=100, deadline=None)
@given(_CELLS, _CELLS)
def test_cover_outside_is_cover_with_the_same_free_cells(
    wanted: set[Cell], blocked: set[Cell]
) -> None:
    wanted = {c for c in wanted if inside(c, _AREA)}
    fast = cover_outside(wanted, _AREA, blocked)
    assert fast == cover(wanted, lambda c: inside(c, _AREA) and c not in blocked)


@settings(max_examples=100, deadline=None)
@given(_CELLS, _RECTS)
def test_cover_inside_is_cover_with_the_same_free_cells(
    wanted: set[Cell], allowed: list[Rect]
) -> None:
    fast = cover_inside(wanted, _AREA, allowed)
    slow = cover(wanted, lambda c: inside(c, _AREA) and any(inside(c, a) for a in allowed))
    assert fast == slow
