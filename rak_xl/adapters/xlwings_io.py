"""Live Excel through xlwings: read a sheet into a ``Grid``, apply marks and sheet plans.

Every call on an xlwings object is a round trip to Excel (an *action* on xlwings' remote
engine), so this adapter reads a sheet in ONE call (a few bounded ones when a far stray
value makes its used range absurd: ``bounded_read``) and writes in blocks: one 2-D
``.value`` per rectangle, one ``set_colors`` matrix for all fills, style attributes as a
few rectangles each, never one action per row. Multi-area addresses (``"A1,C3"``) are
never used: the remote engine silently keeps only their first area.

xlwings itself is not imported here (it imports pandas, ~0.5 s): the functions take
xlwings objects from the caller, so ``import rak_xl.buttons`` stays fast.

Marks (Validasi) live in ``xlwings_marks``, sheet plans (Susun Ulang) in
``xlwings_plan``; both build on the helpers here.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rak_xl.errors import WorkbookUnreadable
from rak_xl.grid import CellValue, Grid, a1, col_index
from rak_xl.paint.rects import Cell, Rect, fill_bands, runs

if TYPE_CHECKING:
    import xlwings as xw

    from rak_xl.backups import SheetInfo

__all__ = [
    "Cell",
    "Rect",
    "delete_sheet",
    "engine_name",
    "find_sheet",
    "mark_backup",
    "read_block",
    "read_grid",
    "read_rows",
    "sheet_infos",
    "valued_outside",
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


# --------------------------------------------------------------------------------------
# Our backup sheets (the rule is ``rak_xl.backups``, shared with the file writer)
# --------------------------------------------------------------------------------------
def _hidden(sheet: xw.Sheet) -> bool:
    try:
        return not sheet.visible
    except (KeyError, NotImplementedError):  # a client that does not say: visible, not ours
        return False


def _mark_of(sheet: xw.Sheet) -> tuple[bool, str | None]:
    """(carries our backup mark, the sheet it names). A name the engine cannot describe
    (a payload entry without its scope, a reference to a deleted sheet) is no mark, or a
    mark without a sheet: never a reason for a button to fail."""
    from rak_xl.backups import BACKUP_MARK, marked_sheet

    try:
        names = [n for n in sheet.names if n.name.rsplit("!", 1)[-1] == BACKUP_MARK]
    except Exception:  # the engine lists names only all at once: none readable here
        return False, None
    for name in names:
        try:
            refers_to = name.refers_to
        except Exception:
            return True, None
        return True, marked_sheet(refers_to if isinstance(refers_to, str) else None)
    return False, None


def sheet_infos(book: xw.Book) -> list[SheetInfo]:
    """What ``rak_xl.backups`` needs of each sheet: name, hidden, the backup mark it carries
    (a sheet-scoped name: on the remote engine the Office.js client sends those that
    refer to a range, which ours does)."""
    from rak_xl.backups import SheetInfo

    return [SheetInfo(s.name, _hidden(s), *_mark_of(s)) for s in book.sheets]


def mark_backup(copy: xw.Sheet, sheet: str) -> None:
    """Mark ``copy`` as our backup of ``sheet`` (one action). Hidden where the engine can
    hide a name (Windows Excel); xlwings has no action for it in Office.js."""
    from rak_xl.backups import BACKUP_MARK, mark_reference

    name = copy.names.add(BACKUP_MARK, mark_reference(sheet))
    if sys.platform.startswith("win") and engine_name(copy.book) == "excel":
        with contextlib.suppress(Exception):  # a visible mark still works
            name.api.Visible = False


def _rng(sheet: xw.Sheet, rect: Rect) -> xw.Range:
    r1, c1, r2, c2 = rect
    return sheet.range((r1, c1), (r2, c2))


def _parse_a1(cell: str) -> Cell:
    text = cell.replace("$", "").upper()
    letters = "".join(ch for ch in text if ch.isalpha())
    return int(text[len(letters) :]), col_index(letters)


def _used_rect(sheet: xw.Sheet) -> Rect:
    """The used range as a rectangle, from its corner and size: its address would not do
    (Excel writes a range of whole rows as ``$1:$1048576``)."""
    used = sheet.used_range
    rows, cols = used.shape
    return used.row, used.column, used.row + rows - 1, used.column + cols - 1


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


def _read_rect(sheet: xw.Sheet, rect: Rect) -> list[list[CellValue]]:
    """The values of one rectangle in one read, cut to its width (an engine may hand back
    rows longer or shorter than asked; missing cells are empty)."""
    raw = _rng(sheet, rect).options(ndim=2, err_to_str=True).value
    width = rect[3] - rect[1] + 1
    return [[_clean(v) for v in row[:width]] for row in (raw or [])[: rect[2] - rect[0] + 1]]


def read_block(sheet: xw.Sheet) -> tuple[Grid, Rect | None]:
    """The sheet as a ``Grid``, and its used range when the grid is only part of it.

    A used range of at most ``MAX_CELLS`` cells is read in ONE call (the grid, and None).
    A bigger one (a stray value at ``XFD1048576``) is never read whole: the grid is the
    block around its first cell (``bounded_read.find_block``, a few bounded reads), an
    empty grid when there is none, and the used range comes back so that the caller
    leaves what lies beyond alone. Merged ranges are not read (a call per cell); the
    reader relies on values, which sit in the first cell of a merge. Formula errors come
    back as their text (``#REF!``), as in the file adapters.
    """
    from rak_xl.adapters.bounded_read import TooFar, area, find_block
    from rak_xl.workbook import MAX_CELLS

    used = _used_rect(sheet)
    if area(used) <= MAX_CELLS:
        return Grid(rows=_read_rect(sheet, used), first_row=used[0], first_col=used[1],
                    sheet=sheet.name), None  # fmt: skip
    try:
        box = find_block(lambda rect: _read_rect(sheet, rect), used)
    except TooFar:
        raise WorkbookUnreadable(
            f"Lembar '{sheet.name}' terlalu besar untuk dibaca: ada isi sampai sel "
            f"{a1(used[2], used[3])}; hapus isi yang jauh dari tabel lalu coba lagi."
        ) from None
    if box is None:
        return Grid(rows=[], sheet=sheet.name), used
    rows = _read_rect(sheet, box)
    return Grid(rows=rows, first_row=box[0], first_col=box[1], sheet=sheet.name), used


def read_rows(sheet: xw.Sheet) -> tuple[list[list[CellValue]], int, int]:
    """The sheet's values (``read_block``): (rows, first_row, first_col)."""
    grid, _ = read_block(sheet)
    return grid.rows, grid.first_row, grid.first_col


def read_grid(sheet: xw.Sheet) -> Grid:
    """The sheet as a ``Grid`` (``read_block``)."""
    return read_block(sheet)[0]


def valued_outside(sheet: xw.Sheet, rect: Rect, grid: Grid) -> list[str]:
    """A1 addresses of the cells in ``rect`` holding a value outside ``grid`` (one read)."""
    from rak_xl.adapters.bounded_read import valued

    rows = range(grid.first_row, grid.last_row + 1)
    cols = range(grid.first_col, grid.last_col + 1)
    return [
        a1(r, c) for r, c in valued(_read_rect(sheet, rect), rect) if r not in rows or c not in cols
    ]


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
