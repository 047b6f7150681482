"""Rectangle cover: few rectangles (each one action in Excel) for a set of cells.

A cell may be *free*: its value does not matter (it is painted over later, or left as
the cleared sheet has it), so a rectangle may cover it. Three ways to say which cells
are free, all answering the same three questions about a column (``seg``, ``up``,
``down``): a predicate asked cell by cell (``cover``), an area minus blocked cells and
an area inside allowed rectangles (both by binary search, for sheets of 12,000 rows).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache

from rak_xl.paint.rects import Cell, Rect

__all__ = ["cover", "cover_inside", "cover_outside"]


def cover(cells: Iterable[Cell], free: Callable[[Cell], bool] = lambda c: False) -> list[Rect]:
    """Few rectangles covering ``cells`` exactly, except that they may also cover cells
    for which ``free(cell)`` is true (cells whose value does not matter or is set
    later). Tries column runs joined across columns and row runs joined across rows,
    each with runs kept tight or stretched over free cells, and keeps the shortest list.
    """
    return _cover(set(cells), _FreeFn(free), _FreeFn(lambda rc: free((rc[1], rc[0]))))


def cover_outside(cells: Iterable[Cell], area: Rect, blocked: Collection[Cell]) -> list[Rect]:
    """``cover`` where the free cells are those of ``area`` not in ``blocked``: the same
    rectangles, found by binary search instead of cell by cell (sheets of 12,000 rows)."""
    r1, c1, r2, c2 = area
    return _cover(
        set(cells),
        _FreeBlocked(area, ((r, c) for r, c in blocked)),
        _FreeBlocked((c1, r1, c2, r2), ((c, r) for r, c in blocked)),
    )


def cover_inside(cells: Iterable[Cell], area: Rect, allowed: Sequence[Rect]) -> list[Rect]:
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
        col_runs = _column_runs(free, c, sorted(rows))
        runs[c] = _stretched(free, c, col_runs, top, bottom) if stretch else col_runs
    return _join_columns(free, runs)


def _column_runs(free: _Free, c: int, rows: list[int]) -> list[tuple[int, int]]:
    """Runs of the (sorted) wanted ``rows`` of column ``c``, bridging free gaps."""
    col_runs: list[tuple[int, int]] = []
    start = prev = rows[0]
    for r in rows[1:]:
        if free.seg(c, prev + 1, r - 1):
            prev = r
            continue
        col_runs.append((start, prev))
        start = prev = r
    col_runs.append((start, prev))
    return col_runs


def _stretched(
    free: _Free, c: int, col_runs: list[tuple[int, int]], top: int, bottom: int
) -> list[tuple[int, int]]:
    """Each run grown over the free cells above and below it, up to its neighbours."""
    grown = []
    for i, (a, b) in enumerate(col_runs):
        # Growing past the rows of all wanted cells can never line columns up.
        low = col_runs[i - 1][1] + 1 if i else top
        high = col_runs[i + 1][0] - 1 if i + 1 < len(col_runs) else bottom
        grown.append((free.up(c, a, low), free.down(c, b, high)))
    return grown


def _join_columns(free: _Free, runs: dict[int, list[tuple[int, int]]]) -> list[Rect]:
    """Equal runs of adjacent columns (or of columns with only free cells between them)
    as one rectangle."""
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
