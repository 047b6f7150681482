"""Live Excel through xlwings: apply a ``SheetPlan`` (Susun Ulang).

Block copies, style rectangles, merges, column widths, row heights and the freeze, in as
few xlwings actions as the rectangle cover and the copied tiles allow.
"""

from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from rak_xl.adapters._carry import MergeIndex, carrying
from rak_xl.adapters.xlwings_io import (
    _MAX_COLOR_CELLS,
    Cell,
    Rect,
    _column_width,
    _hex,
    _paint,
    _rng,
    _runs,
    engine_name,
    find_sheet,
    write_rows,
)
from rak_xl.grid import a1
from rak_xl.prototype import (
    PROTOTYPE_SHEET,
    STAMP_CELL,
    join_copies,
    prototype_plan,
    row_copies,
    stamp,
)

if TYPE_CHECKING:
    import xlwings as xw

    from rak_xl.layout import SheetPlan, Style

__all__ = ["apply_sheet_plan", "cover"]


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


def _tiles(plan: SheetPlan, index: MergeIndex | None = None) -> list[tuple[Rect, Rect]]:
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
    per run of equal blocks, not per row. Equal blocks also hold equal merges, so that
    a copy can carry them (``_carry``).
    """
    from rak_xl.layout import COL, FIRST_STRAY_COL

    table_end = min(plan.last_col, FIRST_STRAY_COL - 1)
    index = index or MergeIndex(plan.merges)

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
                    merged = index.inside((first, c1, first + n - 1, c2))
                    groups.setdefault((n, merged, *sig), []).append((first, n))
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
        out = join_copies(out)  # a total row copied across all its bands: one action
        for _, (r1, c1, r2, c2) in out:
            for r in range(r1, r2 + 1):
                covered.setdefault(r, []).append((c1, c2))
        ordered.append(out)
    return [pair for level_out in reversed(ordered) for pair in level_out]


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


def _copy_formats(
    sheet: xw.Sheet, source: Rect, dest: Rect, from_sheet: xw.Sheet | None = None
) -> None:
    """Formats of ``source`` (on ``from_sheet``, default ``sheet``) tiled over ``dest``
    (a whole multiple of it) in one action."""
    src, dst = _rng(from_sheet or sheet, source), _rng(sheet, dest)
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
    if best <= 1:
        return []  # nothing (or one stroke) left to paint: no copy can save an action
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


def _is_merged(sheet: xw.Sheet, merge: Rect) -> bool:
    """Did a copy carry ``merge``? Read back on desktop Excel (one round trip); the
    remote engine cannot read synchronously, and Office.js pastes merges with formats."""
    try:
        return bool(_rng(sheet, merge[:2] + merge[:2]).merge_cells)
    except NotImplementedError:
        return True


def _prototype_sheet(sheet: xw.Sheet) -> xw.Sheet | None:
    """The book's style prototype (see ``rak_xl.prototype``), if it is there and holds
    the formats this version lays out; else None and every format is set directly."""
    proto = find_sheet(sheet.book, PROTOTYPE_SHEET)
    if proto is None or proto.name == sheet.name:
        return None
    r, c = STAMP_CELL
    return proto if proto.range((r, c)).value == stamp() else None


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

    index = MergeIndex(plan.merges)
    tiles = _tiles(plan, index)
    copied = _Copied()
    for _, rect in tiles:
        copied = copied.plus(rect)
    proto_sheet = _prototype_sheet(sheet)
    from_proto: list[tuple[Rect, Rect]] = []
    if proto_sheet is not None:
        tiled = copied.cells
        from_proto = row_copies(plan, prototype_plan(), lambda r, c: (r, c) in tiled)
        for _, rect in from_proto:
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

    # Prototype rows first: block copies may take their source from them.
    for source, dest in from_proto:
        _copy_formats(sheet, source, dest, proto_sheet)
    # Copies that cannot carry merges run before any merge exists; the merges they
    # cannot carry are made directly, then the copies that carry the rest.
    carries, carried = carrying(tiles, plan.merges, index)
    for source, dest in [*copies, *(t for t, c in zip(tiles, carries, strict=True) if not c)]:
        _copy_formats(sheet, source, dest)
    for rect, across in _merge_blocks(m for m in plan.merges if m not in carried):
        _rng(sheet, rect).merge(across=across)
    for source, dest in (t for t, c in zip(tiles, carries, strict=True) if c):
        _copy_formats(sheet, source, dest)
    if carried and not _is_merged(sheet, min(carried)):
        # This Excel pasted the formats without the merges: make them directly.
        for rect, across in _merge_blocks(carried):
            _rng(sheet, rect).merge(across=across)
    if plan.freeze != (1, 1):
        _freeze(sheet, *plan.freeze)
    area = plan.print_setup.print_area
    if area is not None:
        sheet.page_setup.print_area = f"{a1(area[0], area[1])}:{a1(area[2], area[3])}"
