"""Live Excel through xlwings: read a sheet into a ``Grid``, apply marks and sheet plans.

Every call on an xlwings object is a round trip to Excel (an *action* on xlwings' remote
engine), so this adapter reads a sheet in ONE call and writes in blocks: one 2-D
``.value`` per rectangle, one ``set_colors`` matrix for all fills, style attributes as a
few rectangles each, never one action per row. Multi-area addresses (``"A1,C3"``) are
never used: the remote engine silently keeps only their first area.

xlwings itself is not imported here (it imports pandas, ~0.5 s): the functions take
xlwings objects from the caller, so ``import rak_xl.buttons`` stays fast.
"""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from rak_xl.grid import CellValue, Grid, a1, col_index

if TYPE_CHECKING:
    import xlwings as xw

    from rak_xl.layout import SheetPlan, Style
    from rak_xl.marks import MarkPlan, MarkRecord

__all__ = [
    "Rect",
    "apply_sheet_plan",
    "cover",
    "delete_sheet",
    "drop_notes",
    "engine_name",
    "fill_json",
    "fill_rgb",
    "find_sheet",
    "read_grid",
    "read_rows",
    "read_state",
    "remove_temuan",
    "unmark",
    "write_marks",
    "write_rows",
    "write_state",
    "write_temuan",
]

# (first_row, first_col, last_row, last_col), 1-based inclusive.
Rect = tuple[int, int, int, int]
Cell = tuple[int, int]


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
    _rng(sheet, (top, left, top + len(block) - 1, left + width - 1)).value = block


# --------------------------------------------------------------------------------------
# Rectangle cover: few actions for a set of cells
# --------------------------------------------------------------------------------------
def cover(cells: Iterable[Cell], free: Callable[[Cell], bool] = lambda c: False) -> list[Rect]:
    """Few rectangles covering ``cells`` exactly, except that they may also cover cells
    for which ``free(cell)`` is true (cells whose value does not matter or is set
    later). Tries column runs joined across columns and row runs joined across rows,
    each with runs kept tight or stretched over free cells, and keeps the shortest list.
    """
    return _cover(set(cells), _FreeFn(free), _FreeFn(lambda rc: free((rc[1], rc[0]))))


def _cover_outside(cells: Iterable[Cell], area: Rect, blocked: Collection[Cell]) -> list[Rect]:
    """``cover`` where the free cells are those of ``area`` not in ``blocked``: the same
    rectangles, found by binary search instead of cell by cell (sheets of 12,000 rows)."""
    r1, c1, r2, c2 = area
    return _cover(
        set(cells),
        _FreeBlocked(area, ((r, c) for r, c in blocked)),
        _FreeBlocked((c1, r1, c2, r2), ((c, r) for r, c in blocked)),
    )


def _cover_inside(cells: Iterable[Cell], area: Rect, allowed: Sequence[Rect]) -> list[Rect]:
    """``cover`` where the free cells are those of ``area`` inside ``allowed``."""
    return _cover(set(cells), *_allowed_oracles(area, tuple(allowed)))


@lru_cache(maxsize=16)
def _allowed_oracles(area: Rect, allowed: tuple[Rect, ...]) -> tuple[_FreeAllowed, _FreeAllowed]:
    """Both orientations of ``_FreeAllowed`` (the same rectangles are asked often)."""
    r1, c1, r2, c2 = area
    return (
        _FreeAllowed(area, allowed),
        _FreeAllowed((c1, r1, c2, r2), [(a, b, c, d) for b, a, d, c in allowed]),
    )


class _FreeAllowed:
    """Free cells = the cells of an area inside some allowed rectangle, as row
    intervals per column."""

    def __init__(self, area: Rect, allowed: Sequence[Rect]) -> None:
        self.area = area
        cols: dict[int, list[tuple[int, int]]] = {}
        for r1, c1, r2, c2 in allowed:
            for c in range(max(c1, area[1]), min(c2, area[3]) + 1):
                cols.setdefault(c, []).append((max(r1, area[0]), min(r2, area[2])))
        self.cols: dict[int, tuple[list[int], list[int]]] = {}
        for c, spans in cols.items():
            merged: list[list[int]] = []
            for a, b in sorted(spans):
                if a > b:
                    continue
                if merged and a <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            self.cols[c] = ([m[0] for m in merged], [m[1] for m in merged])

    def _span(self, c: int, r: int) -> tuple[int, int] | None:
        starts, ends = self.cols.get(c, ([], []))
        i = bisect_right(starts, r) - 1
        if i >= 0 and ends[i] >= r:
            return starts[i], ends[i]
        return None

    def seg(self, c: int, a: int, b: int) -> bool:
        if a > b:
            return True
        span = self._span(c, a)
        return span is not None and span[1] >= b

    def up(self, c: int, a: int, low: int) -> int:
        span = self._span(c, a - 1)
        return a if span is None else max(low, span[0])

    def down(self, c: int, b: int, high: int) -> int:
        span = self._span(c, b + 1)
        return b if span is None else min(high, span[1])


class _FreeFn:
    """Free cells given by a predicate, asked cell by cell."""

    def __init__(self, free: Callable[[Cell], bool]) -> None:
        self.free = free

    def seg(self, c: int, a: int, b: int) -> bool:
        """Are the cells of column ``c`` from row a to b all free?"""
        return all(self.free((x, c)) for x in range(a, b + 1))

    def up(self, c: int, a: int, low: int) -> int:
        """The first row of the free cells right above row ``a`` in column ``c`` (not
        above ``low``)."""
        while a - 1 >= low and self.free((a - 1, c)):
            a -= 1
        return a

    def down(self, c: int, b: int, high: int) -> int:
        while b + 1 <= high and self.free((b + 1, c)):
            b += 1
        return b


class _FreeBlocked:
    """Free cells = an area minus a set of blocked cells, asked by binary search."""

    def __init__(self, area: Rect, blocked: Iterable[Cell]) -> None:
        self.area = area
        cols: dict[int, list[int]] = {}
        for r, c in blocked:
            cols.setdefault(c, []).append(r)
        self.cols = {c: sorted(rs) for c, rs in cols.items()}

    def seg(self, c: int, a: int, b: int) -> bool:
        if a > b:
            return True
        r1, c1, r2, c2 = self.area
        if not (c1 <= c <= c2 and r1 <= a and b <= r2):
            return False
        rows = self.cols.get(c, ())
        i = bisect_left(rows, a)
        return i == len(rows) or rows[i] > b

    def up(self, c: int, a: int, low: int) -> int:
        r1, c1, _, c2 = self.area
        if not c1 <= c <= c2:
            return a
        rows = self.cols.get(c, ())
        i = bisect_left(rows, a) - 1
        stop = rows[i] + 1 if i >= 0 else r1
        return min(a, max(low, stop, r1))

    def down(self, c: int, b: int, high: int) -> int:
        _, c1, r2, c2 = self.area
        if not c1 <= c <= c2:
            return b
        rows = self.cols.get(c, ())
        i = bisect_right(rows, b)
        stop = rows[i] - 1 if i < len(rows) else r2
        return max(b, min(high, stop, r2))


_Free = _FreeFn | _FreeBlocked | _FreeAllowed


def _cover(wanted: set[Cell], free: _Free, flipped_free: _Free) -> list[Rect]:
    if not wanted:
        return []
    flipped = {(c, r) for r, c in wanted}
    best: list[Rect] | None = None
    for stretch in (False, True):
        by_cols = _cover_columns(wanted, free, stretch)
        by_rows = sorted(
            (c1, r1, c2, r2) for r1, c1, r2, c2 in _cover_columns(flipped, flipped_free, stretch)
        )
        for option in (by_cols, by_rows):
            if best is None or len(option) < len(best):
                best = option
    return best or []


def _cover_columns(wanted: set[Cell], free: _Free, stretch: bool) -> list[Rect]:
    """Vertical runs per column (bridging free gaps; with ``stretch`` also grown over the
    free cells above and below, so that neighbouring columns line up), equal runs of
    adjacent columns joined."""
    by_col: dict[int, list[int]] = {}
    for r, c in wanted:
        by_col.setdefault(c, []).append(r)
    top, bottom = min(r for r, _ in wanted), max(r for r, _ in wanted)
    runs: dict[int, list[tuple[int, int]]] = {}
    for c, rows in by_col.items():
        rows.sort()
        col_runs: list[tuple[int, int]] = []
        start = prev = rows[0]
        for r in rows[1:]:
            if free.seg(c, prev + 1, r - 1):
                prev = r
                continue
            col_runs.append((start, prev))
            start = prev = r
        col_runs.append((start, prev))
        if stretch:
            grown = []
            for i, (a, b) in enumerate(col_runs):
                # Growing past the rows of all wanted cells can never line columns up.
                low = col_runs[i - 1][1] + 1 if i else top
                high = col_runs[i + 1][0] - 1 if i + 1 < len(col_runs) else bottom
                grown.append((free.up(c, a, low), free.down(c, b, high)))
            col_runs = grown
        runs[c] = col_runs
    rects: list[Rect] = []
    open_: dict[tuple[int, int], tuple[int, int]] = {}  # run -> (first col, last col)
    for c in sorted(runs):
        still: dict[tuple[int, int], tuple[int, int]] = {}
        for run in runs[c]:
            prev_span = open_.get(run)
            bridge = prev_span is not None and all(
                free.seg(x, run[0], run[1]) for x in range(prev_span[1] + 1, c)
            )
            still[run] = (prev_span[0], c) if prev_span is not None and bridge else (c, c)
        for run, (c1, c2) in open_.items():
            if run not in still or still[run][0] != c1:
                rects.append((run[0], c1, run[1], c2))
        open_ = still
    rects += [(run[0], c1, run[1], c2) for run, (c1, c2) in open_.items()]
    return sorted(rects)


# --------------------------------------------------------------------------------------
# Sheet plans (Susun Ulang)
# --------------------------------------------------------------------------------------
# What a cell looks like right after ``sheet.clear()``: attributes with these values
# need no action.
_CLEARED: dict[str, Any] = {
    "bold": False,
    "italic": False,
    "underline": False,
    "h_align": "general",
    "v_align": "bottom",
    "wrap": False,
    "number_format": "General",
    "fill": None,
    "border": False,
}


def _hex(fill: str | None) -> str | None:
    return None if fill is None else "#" + fill.lstrip("#")


def _set_attr(sheet: xw.Sheet, rect: Rect, attr: str, value: Any) -> None:
    """One style attribute on a rectangle: one action, except borders, which xlwings
    sets per side (the inside sides only where the rectangle has them)."""
    rng = _rng(sheet, rect)
    if attr == "font":
        rng.font.name = value
    elif attr == "size":
        rng.font.size = value
    elif attr == "bold":
        rng.font.bold = value
    elif attr == "italic":
        rng.font.italic = value
    elif attr == "h_align":
        rng.horizontal_alignment = value
    elif attr == "v_align":
        rng.vertical_alignment = value
    elif attr == "wrap":
        rng.wrap_text = value
    elif attr == "number_format":
        rng.number_format = value
    elif attr == "fill":
        rng.color = _hex(value)
    elif attr == "border" and value:
        sides = ["edge_top", "edge_bottom", "edge_left", "edge_right"]
        if rect[3] > rect[1]:
            sides.append("inside_vertical")
        if rect[2] > rect[0]:
            sides.append("inside_horizontal")
        rng.borders.set(sides, line_style="continuous")
    # underline: xlwings has no portable Font.underline; Susun Ulang leaves it out.


def _tiles(plan: SheetPlan) -> list[tuple[Rect, Rect]]:
    """(source, destination) pairs for copying formats instead of setting them, in the
    order they must run.

    Row blocks that look the same (same styles cell by cell over a column band) are
    formatted once, on the first of them, and copied onto the others: one action per
    run of adjacent equal blocks, since a copy onto a multiple of its source tiles it.
    Three levels, outermost first: sasaran blocks (all table columns), program blocks
    (program columns onwards), then units (each kegiatan's 4 rows, every other row
    alone) per column band. A block inside the destination of an outer copy is skipped
    (it is overwritten anyway); the copies then run innermost first, so that the source
    of an outer copy is complete when it is copied. So per-row formats (``TW 1 = `` ..
    ``TW 4 = `` on each kegiatan's rows), total rows and whole programs cost an action
    per run of equal blocks, not per row. Copies run before the merges, so no merged
    area is ever copied.
    """
    from rak_xl.layout import COL, FIRST_STRAY_COL

    table_end = min(plan.last_col, FIRST_STRAY_COL - 1)

    def blocks(col: int) -> list[tuple[int, int]]:
        """(first row, row count) of the blocks merged down column ``col`` in the table."""
        t = plan.table
        return sorted(
            (r1, r2 - r1 + 1)
            for r1, c1, r2, c2 in plan.merges
            if c1 == c2 == col and r2 > r1 and t.first_row <= r1 and r2 <= t.last_row
        )

    in_unit = {r for first, n in plan.table.kegiatan_rows for r in range(first, first + n)}
    units = sorted(
        [
            *plan.table.kegiatan_rows,
            *((r, 1) for r in range(1, plan.last_row + 1) if r not in in_unit),
        ]
    )
    bands = [(1, COL["p.uraian"] - 1), (COL["p.uraian"], COL["k.uraian"] - 1)]
    bands.append((COL["k.uraian"], table_end))
    if plan.last_col >= FIRST_STRAY_COL:
        bands.append((FIRST_STRAY_COL, plan.last_col))
    levels: list[list[tuple[list[tuple[int, int]], int, int, bool]]] = [
        [(blocks(COL["s.uraian"]), 1, table_end, False)],
        [(blocks(COL["p.uraian"]), COL["p.uraian"], table_end, False)],
        [(units, c1, c2, True) for c1, c2 in bands],
    ]

    covered: dict[int, list[tuple[int, int]]] = {}  # row -> column spans overwritten later

    def is_covered(first: int, n: int, c1: int, c2: int) -> bool:
        return all(
            any(a <= c1 and c2 <= b for a, b in covered.get(r, ())) for r in range(first, first + n)
        )

    ordered: list[list[tuple[Rect, Rect]]] = []
    for level in levels:
        out: list[tuple[Rect, Rect]] = []
        for members_all, c1, c2, check in level:
            groups: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
            for first, n in members_all:
                if is_covered(first, n, c1, c2):
                    continue
                sig = tuple(
                    _applied(plan.cells[(r, c)].style) if (r, c) in plan.cells else None
                    for r in range(first, first + n)
                    for c in range(c1, c2 + 1)
                )
                if not check or _varies(sig, n, c2 - c1 + 1):
                    groups.setdefault((n, *sig), []).append((first, n))
            for members in groups.values():
                (p_first, n), rest = members[0], members[1:]
                source = (p_first, c1, p_first + n - 1, c2)
                run: list[int] = []
                for first, _ in rest:
                    if run and first != run[-1] + n:
                        out.append((source, (run[0], c1, run[-1] + n - 1, c2)))
                        run = []
                    run.append(first)
                if run:
                    out.append((source, (run[0], c1, run[-1] + n - 1, c2)))
        out = _join_bands(out)
        for _, (r1, c1, r2, c2) in out:
            for r in range(r1, r2 + 1):
                covered.setdefault(r, []).append((c1, c2))
        ordered.append(out)
    return [pair for level_out in reversed(ordered) for pair in level_out]


def _join_bands(pairs: list[tuple[Rect, Rect]]) -> list[tuple[Rect, Rect]]:
    """Copies of neighbouring column bands with the same source and destination rows
    joined into one (a total row copied from the first one across all its bands)."""
    out: list[tuple[Rect, Rect]] = []
    for src, dst in sorted(pairs, key=lambda p: (p[0][0], p[0][2], p[1][0], p[1][2], p[0][1])):
        if out:
            (ps, pd) = out[-1]
            if (ps[0], ps[2], pd[0], pd[2]) == (src[0], src[2], dst[0], dst[2]) and (
                ps[3] + 1 == src[1] and pd[3] + 1 == dst[1] and ps[1] == pd[1] and src[1] == dst[1]
            ):
                out[-1] = ((ps[0], ps[1], ps[2], src[3]), (pd[0], pd[1], pd[2], dst[3]))
                continue
        out.append((src, dst))
    return out


@lru_cache(maxsize=256)
def _applied(style: Style) -> Style:
    """``style`` as this adapter applies it (without the attributes it leaves out)."""
    return replace(style, underline=False, indent=0, box="all")


def _varies(sig: Sequence[Any], rows: int, cols: int) -> bool:
    """Is a unit worth copying? Rectangles already handle what is the same down each
    column of a block, and a row of one single style."""
    if rows > 1:
        return any(len({sig[i * cols + j] for i in range(rows)}) > 1 for j in range(cols))
    return len({s for s in sig if s is not None}) > 1


def _copy_formats(sheet: xw.Sheet, source: Rect, dest: Rect) -> None:
    """Formats of ``source`` tiled over ``dest`` (a whole multiple of it) in one action."""
    src, dst = _rng(sheet, source), _rng(sheet, dest)
    try:
        dst.copy_from(src, copy_type="formats")
    except (AttributeError, NotImplementedError):
        # Desktop engines have no copy_from: copy + paste special formats, which Excel
        # tiles over a destination that is a multiple of the source.
        if sys.platform.startswith("win"):
            src.api.Copy()
            dst.api.PasteSpecial(Paste=-4122)  # xlPasteFormats
            sheet.book.app.api.CutCopyMode = False
        else:
            src.copy()
            dst.paste(paste="formats")


def _column_width(engine: str, chars: float) -> float:
    # The remote engine (Office.js) takes points; desktop Excel takes characters.
    return round((chars * 7 + 5) * 0.75, 2) if engine == "remote" else chars


def _runs(values: Mapping[int, Any], first: int, last: int) -> list[tuple[int, int, Any]]:
    """Maximal runs (start, end, value) of equal, present values between first and last."""
    out: list[tuple[int, int, Any]] = []
    for i in range(first, last + 1):
        v = values.get(i)
        if v is None:
            continue
        if out and out[-1][1] == i - 1 and out[-1][2] == v:
            out[-1] = (out[-1][0], i, v)
        else:
            out.append((i, i, v))
    return out


def _strokes(values: Sequence[Any]) -> list[tuple[int, int, Any]]:
    """Fewest paint strokes (first, last, value), 0-based and in painting order, that
    leave ``values`` on a line when a later stroke paints over an earlier one (the
    "strange printer" problem, exact by dynamic programming; lines here are short)."""
    n = len(values)

    @cache
    def cost(i: int, j: int, under: int) -> tuple[int, int]:
        """(strokes, end of the stroke starting at i, or -1) for values[i..j] over a
        background equal to values[under] (``under`` < 0: nothing painted yet)."""
        while i <= j and under >= 0 and values[i] == values[under]:
            i += 1
        if i > j:
            return 0, -1
        best, best_k = n + 1, i
        for k in range(i, j + 1):
            c = 1 + cost(i + 1, k, i)[0] + cost(k + 1, j, under)[0]
            if c < best:
                best, best_k = c, k
        return best, best_k

    out: list[tuple[int, int, Any]] = []

    def emit(i: int, j: int, under: int) -> None:
        while i <= j and under >= 0 and values[i] == values[under]:
            i += 1
        if i > j:
            return
        k = cost(i, j, under)[1]
        out.append((i, k, values[i]))
        emit(i + 1, k, i)
        emit(k + 1, j, under)

    emit(0, n - 1, -1)
    return out


def _line_strokes(values: Mapping[int, Any], first: int, last: int) -> list[tuple[int, int, Any]]:
    """Strokes (start, end, value) for the present values between first and last; a
    missing value (left as Excel has it) is never painted over."""
    out: list[tuple[int, int, Any]] = []
    for a, b, _ in _runs({i: True for i in values}, first, last):
        seg = [values[i] for i in range(a, b + 1)]
        out += [(a + s, a + e, v) for s, e, v in _strokes(seg)]
    return out


def _style_attrs(style: Style) -> dict[str, Any]:
    return {f.name: getattr(style, f.name) for f in fields(style)}


_NOT_SET = ("underline", "indent", "box")  # no portable xlwings setter: left out


def _attr_strokes(
    attr: str,
    groups: Mapping[Any, list[Cell]],
    whole: Rect,
    copied: _Copied,
    styled: Collection[Cell],
) -> list[tuple[Rect, Any]]:
    """Rectangles (in painting order) that give every cell in ``groups`` its value of
    ``attr``.

    Painter's order: a base value over the whole area, then the other values, each
    allowed to spill over cells that a later value repaints and over cells whose value
    does not matter (``copied`` over later, or left unstyled by the plan); optionally a
    last layer that puts the base value back where an earlier value spilled over it. A
    few such orders are tried and the shortest kept. What shows on an empty cell (fill,
    border) is kept exact: no base over the whole area, nothing on unstyled cells, and
    nothing painted to be taken off again (removing a cell's edge would take its
    neighbour's line away too).
    """
    counts = Counter({v: len(cs) for v, cs in groups.items()})
    by_count = [v for v, _ in counts.most_common()]
    visible = attr in ("fill", "border")
    cleared = _CLEARED.get(attr, object())
    painted = frozenset(c for cs in groups.values() for c in cs)

    def spread(cells: Iterable[Cell], blocked: Collection[Cell]) -> list[Rect]:
        """Cover of ``cells``; non-visible attributes may spill over anything in the
        area but ``blocked``, visible ones only over copied cells."""
        if not visible:
            return _cover_outside(cells, whole, blocked)
        allowed = [*copied.rects, *((c[0], c[1], c[0], c[1]) for c in painted - set(blocked))]
        return _cover_inside(cells, whole, allowed)

    bases = [cleared] if visible else list(dict.fromkeys([by_count[0], cleared]))
    best: list[tuple[Rect, Any]] | None = None
    for base in bases:
        rest = [v for v in by_count if v != base]
        base_cells = frozenset(groups.get(base, ()))
        for order in (rest, rest[::-1]) if len(rest) > 1 else (rest,):
            for patch in (False,) if visible else (False, True):
                out: list[tuple[Rect, Any]] = []
                if base != cleared:
                    out.append((whole, base))
                earlier: set[Cell] = set()
                for value in order:
                    # Blocked: cells of the values painted so far (and of this one:
                    # they are wanted anyway), and the base cells unless put back at
                    # the end.
                    earlier.update(groups[value])
                    blocked = earlier if patch else earlier | base_cells
                    out += [(rect, value) for rect in spread(groups[value], blocked)]
                    if best is not None and len(out) >= len(best):
                        break
                if patch and (best is None or len(out) < len(best)):
                    layers = [rect for rect, _ in out[1 if base != cleared else 0 :]]
                    spilled = [c for c in base_cells if any(_inside(c, r) for r in layers)]
                    back = _cover_outside(spilled, whole, painted - base_cells)
                    out += [(rect, base) for rect in back]
                if best is None or len(out) < len(best):
                    best = out
    return best or []


def _freeze(sheet: xw.Sheet, row: int, col: int) -> None:
    """Freeze panes above/left of (row, col). xlwings' ``freeze_panes`` exists on the
    remote engine only; on Windows the window is set through COM; elsewhere the sheet
    simply stays unfrozen (cosmetic)."""
    try:
        sheet.freeze_panes.freeze_at(a1(row, col))
        return
    except (AttributeError, NotImplementedError):
        pass
    if sys.platform.startswith("win"):
        try:
            sheet.activate()
            window = sheet.book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitRow, window.SplitColumn = row - 1, col - 1
            window.FreezePanes = True
        except Exception:  # pragma: no cover - Windows only; a frozen pane is cosmetic
            pass


def _merge_blocks(merges: Iterable[Rect]) -> list[tuple[Rect, bool]]:
    """Merges as few actions: one-row merges with the same columns on adjacent rows
    (title lines, signature lines, stacked total rows) become one "merge across" (each
    row of the block merged on its own); other merges one action each. Excel has no
    "merge down", so a merge over several rows is always its own action."""
    out: list[tuple[Rect, bool]] = []
    rows: dict[tuple[int, int], list[int]] = {}
    for r1, c1, r2, c2 in merges:
        if r1 == r2:
            rows.setdefault((c1, c2), []).append(r1)
        else:
            out.append(((r1, c1, r2, c2), False))
    for (c1, c2), rs in rows.items():
        for a, b, _ in _runs(dict.fromkeys(rs, True), min(rs), max(rs)):
            out.append(((a, c1, b, c2), b > a))
    return out


def _cells(rect: Rect) -> Iterable[Cell]:
    r1, c1, r2, c2 = rect
    return ((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))


@dataclass(frozen=True)
class _Copied:
    """Cells whose formats a copy sets later (so painting them is free): as a set and
    as the rectangles they came in."""

    cells: frozenset[Cell] = frozenset()
    rects: tuple[Rect, ...] = ()

    def plus(self, rect: Rect) -> _Copied:
        return _Copied(self.cells | frozenset(_cells(rect)), (*self.rects, rect))


Stroke = tuple[str, Rect, Any]  # (attribute, rectangle, value)


def _paint_plan(plan: SheetPlan, copied: _Copied, remote: bool) -> list[Stroke]:
    """What to set, attribute by attribute, on the cells no copy will overwrite. On
    the remote engine the fills may instead go as ``set_colors`` blocks (the stroke's
    value is then the map cell -> fill, ``...`` kept elsewhere) when that takes fewer
    actions; the desktop engines write those cell by cell, so they get rectangles.

    Worked out on the sheet with runs of identical rows (same styles, same copied
    cells) squeezed into one row, then stretched back: a program's rows in the sasaran
    and program columns look alike for thousands of rows."""
    rows, compact, squeezed_copied = _squeeze(plan, copied)
    last = len(rows)
    whole: Rect = (1, 1, last, plan.last_col)
    by_attr: dict[str, dict[Any, list[Cell]]] = {}
    for pos, style in compact.items():
        if pos in squeezed_copied.cells:
            continue
        for attr, value in _style_attrs(style).items():
            by_attr.setdefault(attr, {}).setdefault(value, []).append(pos)

    styled = compact.keys() | squeezed_copied.cells

    def stretch(rect: Rect) -> Rect:
        return rows[rect[0] - 1][0], rect[1], rows[rect[2] - 1][1], rect[3]

    out: list[Stroke] = []
    for attr, groups in by_attr.items():
        if attr in _NOT_SET:
            continue
        strokes = [
            (attr, stretch(rect), value)
            for rect, value in _attr_strokes(attr, groups, whole, squeezed_copied, styled)
        ]
        if attr == "fill" and remote:
            fills = {
                pos: cell.style.fill
                for pos, cell in plan.cells.items()
                if cell.style.fill is not None and pos not in copied.cells
            }
            if fills and _color_bands(fills) < len(strokes):
                strokes = [(attr, (1, 1, plan.last_row, plan.last_col), fills)]
        out += strokes
    return out


def _squeeze(
    plan: SheetPlan, copied: _Copied
) -> tuple[list[tuple[int, int]], dict[Cell, Style], _Copied]:
    """The sheet with each run of identical rows as one row: (first, last) original
    rows of each squeezed row, the styles of the cells no copy overwrites (by squeezed
    cell), and the copied cells. A cell in neither is unstyled."""
    width = plan.last_col
    styles: list[list[Style | None]] = [[None] * width for _ in range(plan.last_row)]
    for (r, c), cell in plan.cells.items():
        if r <= plan.last_row and c <= width and (r, c) not in copied.cells:
            styles[r - 1][c - 1] = _applied(cell.style)
    spans: list[list[tuple[int, int]]] = [[] for _ in range(plan.last_row)]
    for r1, c1, r2, c2 in copied.rects:
        for r in range(r1, min(r2, plan.last_row) + 1):
            spans[r - 1].append((c1, c2))
    rows: list[tuple[int, int]] = []
    keys: list[tuple[Any, ...]] = []
    for r in range(1, plan.last_row + 1):
        # A copied cell's own style does not matter here: it is overwritten later.
        key = (tuple(styles[r - 1]), tuple(sorted(spans[r - 1])))
        if keys and keys[-1] == key:
            rows[-1] = (rows[-1][0], r)
        else:
            rows.append((r, r))
            keys.append(key)
    compact: dict[Cell, Style] = {}
    cells: set[Cell] = set()
    rects: list[Rect] = []
    for i, (first, _) in enumerate(rows, start=1):
        for c in range(1, width + 1):
            st = styles[first - 1][c - 1]
            if st is not None:
                compact[(i, c)] = st
        for c1, c2 in spans[first - 1]:
            rects.append((i, c1, i, c2))
            cells.update((i, c) for c in range(c1, c2 + 1))
    return rows, compact, _Copied(frozenset(cells), tuple(rects))


def _color_bands(fills: Mapping[Cell, Any]) -> int:
    """How many actions ``_paint`` takes for ``fills`` (bands of rows of at most
    ``_MAX_COLOR_CELLS`` cells that hold a fill)."""
    width = max(c for _, c in fills) - min(c for _, c in fills) + 1
    bands, first = 0, None
    for r in sorted({r for r, _ in fills}):
        if first is None or (r - first + 1) * width > _MAX_COLOR_CELLS:
            bands, first = bands + 1, r
    return bands


def _actions(strokes: Iterable[Stroke]) -> int:
    """Round trips of ``strokes``: one each, borders one per side."""
    total = 0
    for attr, (r1, c1, r2, c2), value in strokes:
        if isinstance(value, dict):
            total += _color_bands(value)
        else:
            total += 4 + (c2 > c1) + (r2 > r1) if attr == "border" else 1
    return total


_MAX_TRIALS = 8  # each trial plans the painting again (time grows with the sheet)


def _style_copies(plan: SheetPlan, copied: _Copied, remote: bool) -> list[tuple[Rect, Rect]]:
    """Rectangles of one style copied from a cell of that style elsewhere (one action)
    where that is cheaper than setting their attributes: above all bordered blocks such
    as the stray-value header and stray cells, whose borders cost an action per side.
    Greedy: each candidate is kept if the whole painting then costs fewer actions. Run
    before the block copies, whose sources they may lie in."""
    whole: Rect = (1, 1, plan.last_row, plan.last_col)
    strokes = _paint_plan(plan, copied, remote)
    best = _actions(strokes)
    style = {
        pos: _applied(cell.style) for pos, cell in plan.cells.items() if pos not in copied.cells
    }
    by_style: dict[Style, list[Cell]] = {}
    for pos, st in style.items():
        by_style.setdefault(st, []).append(pos)
    # Candidates: the bordered rectangles first (four to six actions each), then every
    # rectangle of one style, largest first.
    borders = [rect for attr, rect, _ in strokes if attr == "border"]
    others = [
        rect
        for cells in by_style.values()
        if len(cells) > 1
        for rect in _cover_inside(cells, whole, copied.rects)
    ]
    others.sort(key=lambda r: -(r[2] - r[0] + 1) * (r[3] - r[1] + 1))
    out: list[tuple[Rect, Rect]] = []
    done: set[Cell] = set()
    kept: set[Cell] = set()  # prototypes: must stay painted
    for rect in [*borders, *others][:_MAX_TRIALS]:
        mine = [c for c in _cells(rect) if c not in copied.cells]
        kinds = {style.get(c) for c in mine}
        if len(kinds) != 1 or any(c in kept for c in mine):
            continue
        (want,) = kinds
        if want is None:
            continue
        proto = next(
            (c for c in by_style[want] if c not in done and not _inside(c, rect)),
            None,
        )
        if proto is None:
            continue
        trial = copied.plus(rect)
        cost = _actions(_paint_plan(plan, trial, remote)) + len(out) + 1
        if cost < best:
            best, copied = cost, trial
            out.append(((*proto, *proto), rect))
            done.update(mine)
            kept.add(proto)
    return out


def _inside(cell: Cell, rect: Rect) -> bool:
    return rect[0] <= cell[0] <= rect[2] and rect[1] <= cell[1] <= rect[3]


def apply_sheet_plan(sheet: xw.Sheet, plan: SheetPlan) -> None:
    """Rebuild ``sheet`` from ``plan`` in block operations.

    Order: clear; all values (one block, formulas included); column widths and row
    heights in painter's order (fewest strokes; rows without a planned height are left
    alone); each style attribute, in painter's order, only on the cells no copy will
    overwrite; then the copies: single-style blocks from a cell of that style, and
    repeated blocks (kegiatan, program, sasaran) from their first occurrence, innermost
    first; merges (one-row merges on adjacent rows "across" in one action, the others
    one each); freeze panes and print area.

    Not applied (no portable xlwings setter): underline, indent, and the open "box"
    sides of cells drawn as one box without a merge (they get all four edges).
    """
    engine = engine_name(sheet.book)
    last_row, last_col = plan.last_row, plan.last_col
    sheet.clear()

    rows: list[list[Any]] = [[None] * last_col for _ in range(last_row)]
    for (r, c), cell in plan.cells.items():
        if r <= last_row and c <= last_col:
            rows[r - 1][c - 1] = cell.value
    write_rows(sheet, 1, 1, rows)

    for c1, c2, width in _line_strokes(plan.col_widths, 1, last_col):
        _rng(sheet, (1, c1, 1, c2)).column_width = _column_width(engine, width)
    for r1, r2, height in _line_strokes(plan.row_heights, 1, last_row):
        _rng(sheet, (r1, 1, r2, 1)).row_height = height

    tiles = _tiles(plan)
    copied = _Copied()
    for _, rect in tiles:
        copied = copied.plus(rect)
    remote = engine == "remote"
    copies = _style_copies(plan, copied, remote)
    for _, rect in copies:
        copied = copied.plus(rect)
    for attr, rect, value in _paint_plan(plan, copied, remote):
        if attr == "fill" and isinstance(value, dict):
            _paint(sheet, value)
        else:
            _set_attr(sheet, rect, attr, value)

    for source, dest in [*copies, *tiles]:
        _copy_formats(sheet, source, dest)
    for rect, across in _merge_blocks(plan.merges):
        _rng(sheet, rect).merge(across=across)
    if plan.freeze != (1, 1):
        _freeze(sheet, *plan.freeze)
    area = plan.print_setup.print_area
    if area is not None:
        sheet.page_setup.print_area = f"{a1(area[0], area[1])}:{a1(area[2], area[3])}"


# --------------------------------------------------------------------------------------
# Marks (Validasi)
# --------------------------------------------------------------------------------------
def fill_json(rgb: str | None) -> dict[str, Any] | None:
    """A solid fill in the state sheet's JSON form (the same as the openpyxl adapter's)."""
    if rgb is None:
        return None
    color = {"type": "rgb", "value": "FF" + rgb.upper(), "tint": 0.0}
    return {"patternType": "solid", "fg": color, "bg": dict(color)}


def fill_rgb(d: dict[str, Any] | None) -> str | None:
    """The RRGGBB of a recorded fill, None for no fill or one xlwings cannot set (theme
    colours, patterns): those come back as no fill."""
    if not d or d.get("patternType") != "solid":
        return None
    fg = d.get("fg") or {}
    value = fg.get("value")
    if fg.get("type") == "rgb" and isinstance(value, str) and len(value) >= 6:
        return value[-6:].upper()
    return None


def _read_fill(rng: xw.Range) -> tuple[bool, str | None]:
    """(known, "RRGGBB" or None): the remote engine cannot read fills synchronously."""
    try:
        colour = rng.color
    except NotImplementedError:
        return False, None
    if colour is None:
        return True, None
    if isinstance(colour, tuple):
        return True, "{:02X}{:02X}{:02X}".format(*colour)
    return True, str(colour).lstrip("#").upper()


NoteKey = tuple[str, str]  # (sheet, CELL)
# Recorded for a cell whose (unreadable) user note was left alone: the next run must not
# take that note for ours.
_USER_NOTE_ONLY = "user_note_only"


def unmark(book: xw.Book, records: Sequence[MarkRecord]) -> dict[NoteKey, dict[str, Any] | None]:
    """Undo the fills of a previous Validasi (one ``set_colors`` per sheet).

    A fill is restored only while the cell still has our fill, where this engine can
    read fills (desktop Excel); the remote engine cannot, so there the recorded fill is
    restored. Our notes are not touched here: the returned map (cell -> the user's note
    kept under ours) lets ``write_marks`` replace a note in one action, and
    ``drop_notes`` removes those no longer needed.
    """
    ours: dict[NoteKey, dict[str, Any] | None] = {}
    by_sheet: dict[str, list[MarkRecord]] = {}
    for rec in records:
        by_sheet.setdefault(rec.sheet, []).append(rec)
    for name, recs in by_sheet.items():
        sheet = find_sheet(book, name)
        if sheet is None:
            continue
        fills: dict[Cell, str | None] = {}
        for rec in recs:
            rng = sheet.range(rec.cell)
            known, now = _read_fill(rng)
            if rec.fill and not (known and now != rec.fill.upper()):
                fills[_parse_a1(rec.cell)] = fill_rgb(rec.fill_before)
            if rng.note is not None and not (rec.note_before or {}).get(_USER_NOTE_ONLY):
                ours[(name, rec.cell.upper())] = rec.note_before
        _paint(sheet, fills)
    return ours


def drop_notes(
    book: xw.Book, ours: Mapping[NoteKey, dict[str, Any] | None], keep: Collection[NoteKey]
) -> None:
    """Remove our notes not in ``keep``, putting back the user's note where there was one."""
    for (name, cell), before in ours.items():
        if (name, cell) in keep:
            continue
        sheet = find_sheet(book, name)
        note = sheet.range(cell).note if sheet is not None else None
        if note is None:
            continue
        user = (before or {}).get("text")
        if isinstance(user, str) and user:
            note.text = user
        else:
            note.delete()


_MAX_COLOR_CELLS = 10_000  # xlwings refuses a bigger set_colors() call


def _paint(sheet: xw.Sheet, fills: Mapping[Cell, str | None]) -> None:
    """All fills of a sheet in few actions: ``set_colors`` on the bounding block, with
    ``...`` (keep) for every cell in between; cut into bands of rows when that block
    exceeds the 10,000 cells xlwings takes in one call (findings spread over thousands
    of kegiatan), one action per band that holds a fill."""
    if not fills:
        return
    c1 = min(c for _, c in fills)
    c2 = max(c for _, c in fills)
    width = c2 - c1 + 1
    bands: list[tuple[int, int]] = []
    for r in sorted({r for r, _ in fills}):
        if bands and (r - bands[-1][0] + 1) * width <= _MAX_COLOR_CELLS:
            bands[-1] = (bands[-1][0], r)
        else:
            bands.append((r, r))
    for r1, r2 in bands:
        matrix: list[list[Any]] = [
            [_hex(fills[(r, c)]) if (r, c) in fills else ... for c in range(c1, c2 + 1)]
            for r in range(r1, r2 + 1)
        ]
        _rng(sheet, (r1, c1, r2, c2)).set_colors(matrix)


def write_marks(
    book: xw.Book,
    plan: MarkPlan,
    ours: Mapping[NoteKey, dict[str, Any] | None] | None = None,
) -> list[MarkRecord]:
    """Fills (one action per sheet) and one note action per marked cell; returns the
    records for the state sheet.

    ``ours``: our notes from the previous run (see ``unmark``); such a note is replaced
    in place. A note the user has on a cell is kept below ours where this engine can read
    it (desktop Excel); where it cannot (remote engine) the user's note stays as it is
    and ours is not added: the finding is still listed on the Temuan sheet and the cell
    is coloured.
    """
    from rak_xl.marks import MarkRecord, is_our_note, note_with_user

    ours = ours or {}
    records: list[MarkRecord] = []
    by_sheet: dict[str, list[Any]] = {}
    for mark in plan.marks:
        by_sheet.setdefault(mark.sheet, []).append(mark)
    for name, marks in by_sheet.items():
        sheet = find_sheet(book, name)
        if sheet is None:
            continue
        fills: dict[Cell, str | None] = {}
        for mark in marks:
            rng = sheet.range(mark.cell)
            known, before = _read_fill(rng)
            fills[_parse_a1(mark.cell)] = mark.fill
            key = (name, mark.cell.upper())
            note = rng.note
            note_before: dict[str, Any] | None = None
            if key in ours and note is not None:
                note_before = ours[key]
                user = (note_before or {}).get("text")
                note.text = note_with_user(mark.note, user if isinstance(user, str) else None)
            elif note is None:
                rng.add_note(mark.note)
            else:
                try:
                    text: str | None = str(note.text)
                except NotImplementedError:
                    text = None  # unreadable user note: leave it alone
                if text is not None:
                    user_text = None if is_our_note(text) else text
                    note.text = note_with_user(mark.note, user_text)
                    note_before = {"text": user_text} if user_text else None
                else:
                    note_before = {_USER_NOTE_ONLY: True}
            records.append(
                MarkRecord(
                    sheet=name,
                    cell=mark.cell,
                    fill=mark.fill,
                    # Unknown on the remote engine: recorded as "no fill before".
                    fill_before=fill_json(before) if known else None,
                    note_before=note_before,
                )
            )
        _paint(sheet, fills)
    return records


# --------------------------------------------------------------------------------------
# State sheet and findings sheet
# --------------------------------------------------------------------------------------
def read_state(book: xw.Book) -> list[MarkRecord]:
    """The cells the previous Validasi (Excel or ``validate --mark``) marked."""
    from rak_xl.marks import STATE_SHEET, records_from_rows

    sheet = find_sheet(book, STATE_SHEET)
    if sheet is None:
        return []
    rows, _, _ = read_rows(sheet)
    return records_from_rows([list(r) for r in rows])


def _hide(sheet: xw.Sheet) -> None:
    """Very hidden on Windows Excel (not listed under Unhide); hidden elsewhere."""
    if sys.platform.startswith("win") and engine_name(sheet.book) == "excel":
        try:
            sheet.api.Visible = 2  # xlSheetVeryHidden
            return
        except Exception:  # pragma: no cover - Windows only
            pass
    sheet.visible = False


def write_state(book: xw.Book, records: Sequence[MarkRecord]) -> None:
    """Record the marked cells for the next run (reusing the state sheet if there is one)."""
    from rak_xl.marks import STATE_SHEET, records_to_rows

    sheet = find_sheet(book, STATE_SHEET)
    if sheet is None:
        if not records:
            return
        sheet = book.sheets.add(name=STATE_SHEET, after=book.sheets[len(book.sheets) - 1])
        _hide(sheet)
    else:
        sheet.clear_contents()
    if records:
        write_rows(sheet, 1, 1, records_to_rows(list(records)))


def remove_temuan(book: xw.Book) -> None:
    """Delete the findings sheets of a previous run (recognised by the marker in A1)."""
    from rak_xl.marks import TEMUAN_MARKER, TEMUAN_SHEET

    for sheet in list(book.sheets):
        if sheet.name.startswith(TEMUAN_SHEET) and sheet.range("A1").value == TEMUAN_MARKER:
            sheet.delete()


@dataclass(frozen=True)
class _Formula:
    text: str


def _hyperlink(location: str, label: str) -> _Formula:
    def q(text: str) -> str:
        return text.replace('"', '""')

    return _Formula(f'=HYPERLINK("#{q(location)}","{q(label)}")')


def write_temuan(book: xw.Book, plan: MarkPlan, after: xw.Sheet) -> xw.Sheet:
    """The findings sheet in a handful of actions: one block of values (links as
    HYPERLINK formulas, so no action per finding), bold header, severity colours in one
    ``set_colors``, column widths."""
    from rak_xl.marks import FILLS, TEMUAN_SHEET

    name, n = TEMUAN_SHEET, 2
    while find_sheet(book, name) is not None:
        name = f"{TEMUAN_SHEET} {n}"
        n += 1
    sheet = book.sheets.add(name=name, after=after)
    rows: list[list[Any]] = []
    fills: dict[Cell, str | None] = {}
    for i, row in enumerate(plan.temuan, start=1):
        values: list[Any] = list(row.values)
        if row.link is not None and len(values) > 3 and values[3]:
            values[3] = _hyperlink(row.link, str(values[3]))
        rows.append(values)
        if row.severity is not None:
            fills[(i, 1 if i - 1 < plan.header_index else 2)] = FILLS[row.severity]
    write_rows(sheet, 1, 1, rows)
    width = max(len(r) for r in rows)
    header = plan.header_index + 1
    _rng(sheet, (header, 1, header, width)).font.bold = True
    sheet.range("A1").font.bold = True
    _paint(sheet, fills)
    engine = engine_name(book)
    for c1, c2, w in _runs(dict(enumerate((6, 12, 30, 8, 7, 50, 80), start=1)), 1, 7):
        _rng(sheet, (1, c1, 1, c2)).column_width = _column_width(engine, w)
    return sheet
