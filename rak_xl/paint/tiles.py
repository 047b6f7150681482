"""Block copies: rows that look alike are formatted once and copied onto the others."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rak_xl.forms import FORMS
from rak_xl.layout import SheetPlan
from rak_xl.paint.attrs import applied
from rak_xl.paint.carry import MergeIndex
from rak_xl.paint.rects import Rect, join_copies

__all__ = ["tiles"]

Block = tuple[int, int]  # first row, row count
# The members of one band: blocks, first and last column, whether a block must vary
# down its columns to be worth a copy.
Band = tuple[list[Block], int, int, bool]


def tiles(plan: SheetPlan, index: MergeIndex | None = None) -> list[tuple[Rect, Rect]]:
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
    a copy can carry them (``paint.carry``).
    """
    index = index or MergeIndex(plan.merges)
    covered: dict[int, list[tuple[int, int]]] = {}  # row -> column spans overwritten later
    ordered: list[list[tuple[Rect, Rect]]] = []
    for level in _levels(plan):
        out: list[tuple[Rect, Rect]] = []
        for band in level:
            for members, c1, c2 in _equal_blocks(plan, index, band, covered):
                out += _copies(members, c1, c2)
        out = join_copies(out)  # a total row copied across all its bands: one action
        for _, (r1, c1, r2, c2) in out:
            for r in range(r1, r2 + 1):
                covered.setdefault(r, []).append((c1, c2))
        ordered.append(out)
    return [pair for level_out in reversed(ordered) for pair in level_out]


def _levels(plan: SheetPlan) -> list[list[Band]]:
    """The bands of each level, outermost first: sasaran blocks, program blocks, units
    (the 4-level form's kegiatan blocks are painted as units' bands)."""
    form = FORMS[plan.tingkat]
    first_stray = form.first_stray_col
    table_end = min(plan.last_col, first_stray - 1)
    s_col, p_col, k_col = (form.first_col(x) for x in ("s", "p", form.leaf))

    def blocks(col: int) -> list[Block]:
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
    bands = [(1, p_col - 1), (p_col, k_col - 1)]
    bands.append((k_col, table_end))
    if plan.last_col >= first_stray:
        bands.append((first_stray, plan.last_col))
    return [
        [(blocks(s_col), 1, table_end, False)],
        [(blocks(form.col["p.uraian"]), p_col, table_end, False)],
        [(units, c1, c2, True) for c1, c2 in bands],
    ]


def _equal_blocks(
    plan: SheetPlan, index: MergeIndex, band: Band, covered: dict[int, list[tuple[int, int]]]
) -> list[tuple[list[Block], int, int]]:
    """The blocks of ``band`` not overwritten by an outer copy, grouped by look (styles
    cell by cell and merges): (blocks, first column, last column) per group."""
    members_all, c1, c2, check = band
    groups: dict[tuple[Any, ...], list[Block]] = {}
    for first, n in members_all:
        if _is_covered(covered, first, n, c1, c2):
            continue
        sig = tuple(
            applied(plan.cells[(r, c)].style) if (r, c) in plan.cells else None
            for r in range(first, first + n)
            for c in range(c1, c2 + 1)
        )
        if not check or _varies(sig, n, c2 - c1 + 1):
            merged = index.inside((first, c1, first + n - 1, c2))
            groups.setdefault((n, merged, *sig), []).append((first, n))
    return [(members, c1, c2) for members in groups.values()]


def _is_covered(
    covered: dict[int, list[tuple[int, int]]], first: int, n: int, c1: int, c2: int
) -> bool:
    return all(
        any(a <= c1 and c2 <= b for a, b in covered.get(r, ())) for r in range(first, first + n)
    )


def _copies(members: list[Block], c1: int, c2: int) -> list[tuple[Rect, Rect]]:
    """The first of ``members`` (equal blocks) copied onto each run of adjacent others."""
    out: list[tuple[Rect, Rect]] = []
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
    return out


def _varies(sig: Sequence[Any], rows: int, cols: int) -> bool:
    """Is a unit worth copying? Rectangles already handle what is the same down each
    column of a block, and a row of one single style."""
    if rows > 1:
        return any(len({sig[i * cols + j] for i in range(rows)}) > 1 for j in range(cols))
    return len({s for s in sig if s is not None}) > 1
