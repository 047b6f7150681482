"""Live Excel through xlwings: read a sheet into a ``Grid``, apply marks and sheet plans.

Every call on an xlwings object is a round trip to Excel (an *action* on xlwings' remote
engine), so this adapter reads a sheet in ONE call and writes in blocks: one 2-D
``.value`` per rectangle, one ``set_colors`` matrix for all fills, style attributes as a
few rectangles each, never one action per row. Multi-area addresses (``"A1,C3"``) are
never used: the remote engine silently keeps only their first area.

xlwings itself is not imported here (it imports pandas, ~0.5 s): the functions take
xlwings objects from the caller, so ``import rak_xl.buttons`` stays fast.

Marks (Validasi) live in ``xlwings_marks``, sheet plans (Susun Ulang) in
``xlwings_plan``; both build on the helpers here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rak_xl.grid import CellValue, Grid, col_index
from rak_xl.paint.rects import Cell, Rect, fill_bands, runs

if TYPE_CHECKING:
    import xlwings as xw

__all__ = [
    "Cell",
    "Rect",
    "delete_sheet",
    "engine_name",
    "find_sheet",
    "read_grid",
    "read_rows",
    "write_rows",
]


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------
def engine_name(book: xw.Book) -> str:
    """``"remote"`` (xlwings Server/Lite, tests), ``"excel"`` (Windows COM), ``"excel"`` (mac)."""
    try:
        return str(book.app.engine.name)
    except Exception:  # an engine without the attribute: treat as desktop Excel
        return "excel"


def find_sheet(book: xw.Book, name: str) -> xw.Sheet | None:
    for sheet in book.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    return None


def delete_sheet(book: xw.Book, name: str) -> bool:
    sheet = find_sheet(book, name)
    if sheet is None:
        return False
    sheet.delete()
    return True


def _rng(sheet: xw.Sheet, rect: Rect) -> xw.Range:
    r1, c1, r2, c2 = rect
    return sheet.range((r1, c1), (r2, c2))


def _parse_a1(cell: str) -> Cell:
    text = cell.replace("$", "").upper()
    letters = "".join(ch for ch in text if ch.isalpha())
    return int(text[len(letters) :]), col_index(letters)


def _used_rect(address: str) -> Rect:
    first, _, last = address.replace("$", "").partition(":")
    r1, c1 = _parse_a1(first)
    r2, c2 = _parse_a1(last or first)
    return r1, c1, r2, c2


def _hex(fill: str | None) -> str | None:
    return None if fill is None else "#" + fill.lstrip("#")


def _column_width(engine: str, chars: float) -> float:
    # The remote engine (Office.js) takes points; desktop Excel takes characters.
    return round((chars * 7 + 5) * 0.75, 2) if engine == "remote" else chars


_runs = runs  # the name xlwings_marks imports


# --------------------------------------------------------------------------------------
# Reading: one bulk read
# --------------------------------------------------------------------------------------
def _clean(value: Any) -> CellValue:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value  # type: ignore[no-any-return]  # xlwings returns plain cell values


def read_rows(sheet: xw.Sheet) -> tuple[list[list[CellValue]], int, int]:
    """The used range's values in one read: (rows, first_row, first_col).

    Formula errors come back as their text (``#REF!``), as in the file adapters.
    """
    used = sheet.used_range
    r1, c1, _, _ = _used_rect(used.address)
    raw = used.options(ndim=2, err_to_str=True).value
    rows = [[_clean(v) for v in row] for row in raw or []]
    return rows, r1, c1


def read_grid(sheet: xw.Sheet) -> Grid:
    """The sheet as a ``Grid`` from ONE read of its used range.

    Merged ranges are not read (that would cost a call per cell); the reader relies on
    values, which sit in the first cell of a merge.
    """
    rows, r1, c1 = read_rows(sheet)
    return Grid(rows=rows, first_row=r1, first_col=c1, sheet=sheet.name)


# --------------------------------------------------------------------------------------
# Writing values
# --------------------------------------------------------------------------------------
def _as_text(value: str) -> str:
    """Text written as text: a leading apostrophe stops Excel from turning ``=1+1``,
    ``1.478.960.200`` or ``1/2`` typed-in style into a formula, number or date. It is not
    part of the stored value."""
    return "'" + value if value else value


def write_rows(sheet: xw.Sheet, top: int, left: int, rows: Sequence[Sequence[Any]]) -> None:
    """One action: the block of ``rows`` (padded to a rectangle) at (top, left).

    Strings are written as text; a ``Formula``-like object (with a ``text`` attribute) as
    its formula.
    """
    if not rows:
        return
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        return
    block: list[list[Any]] = []
    for row in rows:
        out: list[Any] = []
        for v in row:
            if v is None:
                out.append(None)
            elif isinstance(v, str):
                out.append(_as_text(v))
            elif hasattr(v, "text") and isinstance(v.text, str) and v.text.startswith("="):
                out.append(v.text)
            else:
                out.append(v)
        block.append(out + [None] * (width - len(out)))
    plain = all(v is None or type(v) in _RAW for row in block for v in row)
    if not plain or engine_name(sheet.book) != "remote":
        _rng(sheet, (top, left, top + len(block) - 1, left + width - 1)).value = block
        return
    # The remote engine's value conversion rebuilds the whole sheet's values on every
    # call (2 minutes for Hitung Ulang's 360 total rows at 3,000 kegiatan). Plain values
    # need only what it would do to them: None written as "" (clears the cell), and the
    # block cut to the engine's write budget.
    block = [["" if v is None else v for v in row] for row in block]
    budget = getattr(_rng(sheet, (top, left, top, left)).impl, "max_cells_per_write", None)
    step = max(1, budget // width) if budget else len(block)
    for i in range(0, len(block), step):
        part = block[i : i + step]
        _rng(sheet, (top + i, left, top + i + len(part) - 1, left + width - 1)).raw_value = part


_RAW = frozenset((str, int, float))


def _paint(sheet: xw.Sheet, fills: Mapping[Cell, str | None]) -> None:
    """All fills of a sheet in few actions: ``set_colors`` on the bounding block, with
    ``...`` (keep) for every cell in between; cut into bands of rows when that block
    exceeds the 10,000 cells xlwings takes in one call (findings spread over thousands
    of kegiatan), one action per band that holds a fill."""
    if not fills:
        return
    c1 = min(c for _, c in fills)
    c2 = max(c for _, c in fills)
    for r1, r2 in fill_bands(fills):
        matrix: list[list[Any]] = [
            [_hex(fills[(r, c)]) if (r, c) in fills else ... for c in range(c1, c2 + 1)]
            for r in range(r1, r2 + 1)
        ]
        _rng(sheet, (r1, c1, r2, c2)).set_colors(matrix)
