"""Painting as data: which style attribute to set on which rectangle, in what order.

Every stroke is one action in Excel (a border one per side): the attribute's value over
a rectangle. Painter's order lets a later stroke paint over an earlier one, so a base
value goes over a whole area and the other values on top; cells a copy formats later
may be painted anything. ``actions`` counts what a list of strokes costs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from rak_xl.layout import SheetPlan, Style
from rak_xl.paint.attrs import CLEARED, NOT_SET, applied, style_attrs
from rak_xl.paint.cover import cover_inside, cover_outside
from rak_xl.paint.rects import Cell, Rect, cells, fill_bands, inside, runs

__all__ = ["Copied", "Stroke", "actions", "line_strokes", "paint_strokes"]


@dataclass(frozen=True)
class Copied:
    """Cells whose formats a copy sets later (so painting them is free): as a set and
    as the rectangles they came in."""

    cells: frozenset[Cell] = frozenset()
    rects: tuple[Rect, ...] = ()

    def plus(self, rect: Rect) -> Copied:
        return Copied(self.cells | frozenset(cells(rect)), (*self.rects, rect))


Stroke = tuple[str, Rect, Any]  # (attribute, rectangle, value)


def paint_strokes(plan: SheetPlan, copied: Copied, remote: bool) -> list[Stroke]:
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
        for attr, value in style_attrs(style).items():
            by_attr.setdefault(attr, {}).setdefault(value, []).append(pos)

    def stretch(rect: Rect) -> Rect:
        return rows[rect[0] - 1][0], rect[1], rows[rect[2] - 1][1], rect[3]

    out: list[Stroke] = []
    for attr, groups in by_attr.items():
        if attr in NOT_SET:
            continue
        strokes = [
            (attr, stretch(rect), value)
            for rect, value in _attr_strokes(attr, groups, whole, squeezed_copied)
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
    plan: SheetPlan, copied: Copied
) -> tuple[list[tuple[int, int]], dict[Cell, Style], Copied]:
    """The sheet with each run of identical rows as one row: (first, last) original
    rows of each squeezed row, the styles of the cells no copy overwrites (by squeezed
    cell), and the copied cells. A cell in neither is unstyled."""
    width = plan.last_col
    styles: list[list[Style | None]] = [[None] * width for _ in range(plan.last_row)]
    for (r, c), cell in plan.cells.items():
        if r <= plan.last_row and c <= width and (r, c) not in copied.cells:
            styles[r - 1][c - 1] = applied(cell.style)
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
    copied_cells: set[Cell] = set()
    rects: list[Rect] = []
    for i, (first, _) in enumerate(rows, start=1):
        for c in range(1, width + 1):
            st = styles[first - 1][c - 1]
            if st is not None:
                compact[(i, c)] = st
        for c1, c2 in spans[first - 1]:
            rects.append((i, c1, i, c2))
            copied_cells.update((i, c) for c in range(c1, c2 + 1))
    return rows, compact, Copied(frozenset(copied_cells), tuple(rects))


def _color_bands(fills: Mapping[Cell, Any]) -> int:
    """How many actions ``set_colors`` takes for ``fills`` (one per band of rows)."""
    return len(fill_bands(fills))


def actions(strokes: Iterable[Stroke]) -> int:
    """Round trips of ``strokes``: one each, borders one per side."""
    total = 0
    for attr, (r1, c1, r2, c2), value in strokes:
        if isinstance(value, dict):
            total += _color_bands(value)
        else:
            total += 4 + (c2 > c1) + (r2 > r1) if attr == "border" else 1
    return total


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


def line_strokes(values: Mapping[int, Any], first: int, last: int) -> list[tuple[int, int, Any]]:
    """Strokes (start, end, value) for the present values between first and last; a
    missing value (left as Excel has it) is never painted over."""
    out: list[tuple[int, int, Any]] = []
    for a, b, _ in runs({i: True for i in values}, first, last):
        seg = [values[i] for i in range(a, b + 1)]
        out += [(a + s, a + e, v) for s, e, v in _strokes(seg)]
    return out


def _attr_strokes(
    attr: str,
    groups: Mapping[Any, list[Cell]],
    whole: Rect,
    copied: Copied,
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
    cleared = CLEARED.get(attr, object())
    painting = _Painting(groups, whole, copied, visible)
    bases = [cleared] if visible else list(dict.fromkeys([by_count[0], cleared]))
    best: list[tuple[Rect, Any]] | None = None
    for base in bases:
        rest = [v for v in by_count if v != base]
        for order in (rest, rest[::-1]) if len(rest) > 1 else (rest,):
            for patch in (False,) if visible else (False, True):
                limit = None if best is None else len(best)
                out = painting.layers(base, base != cleared, order, patch, limit)
                if best is None or len(out) < len(best):
                    best = out
    return best or []


class _Painting:
    """The values of one attribute to paint over ``whole``, by cell."""

    def __init__(
        self, groups: Mapping[Any, list[Cell]], whole: Rect, copied: Copied, visible: bool
    ) -> None:
        self.groups = groups
        self.whole = whole
        self.copied = copied
        self.visible = visible
        self.painted = frozenset(c for cs in groups.values() for c in cs)

    def spread(self, wanted: Iterable[Cell], blocked: Collection[Cell]) -> list[Rect]:
        """Cover of ``wanted``; non-visible attributes may spill over anything in the
        area but ``blocked``, visible ones only over copied cells."""
        if not self.visible:
            return cover_outside(wanted, self.whole, blocked)
        free = self.painted - set(blocked)
        allowed = [*self.copied.rects, *((c[0], c[1], c[0], c[1]) for c in free)]
        return cover_inside(wanted, self.whole, allowed)

    def layers(
        self, base: Any, over_all: bool, order: Sequence[Any], patch: bool, limit: int | None
    ) -> list[tuple[Rect, Any]]:
        """``base`` over the whole area (when ``over_all``), the values of ``order`` on
        top, and with ``patch`` the base put back where they spilled over it; cut short
        once it reaches ``limit`` rectangles (another order already does as well)."""
        base_cells = frozenset(self.groups.get(base, ()))
        out: list[tuple[Rect, Any]] = [(self.whole, base)] if over_all else []
        earlier: set[Cell] = set()
        for value in order:
            # Blocked: cells of the values painted so far (and of this one: they are
            # wanted anyway), and the base cells unless put back at the end.
            earlier.update(self.groups[value])
            blocked = earlier if patch else earlier | base_cells
            out += [(rect, value) for rect in self.spread(self.groups[value], blocked)]
            if limit is not None and len(out) >= limit:
                break
        if patch and (limit is None or len(out) < limit):
            spilled_over = [rect for rect, _ in out[1 if over_all else 0 :]]
            spilled = [c for c in base_cells if any(inside(c, r) for r in spilled_over)]
            back = cover_outside(spilled, self.whole, self.painted - base_cells)
            out += [(rect, base) for rect in back]
        return out
