"""Susun Ulang's actions as data: ``plan_paint(plan) -> PaintPlan``.

Through xlwings every call is a round trip to Excel (an *action*), so a ``SheetPlan`` is
applied in as few as the rectangle cover and the copied blocks allow: all values in one
block; column widths and row heights in painter's order; each style attribute only on
the cells no copy will overwrite; then the copies (from the template's prototype sheet,
single-style blocks from a cell of that style, repeated blocks from their first
occurrence) and the merges, the copies that carry merges last. The xlwings adapter
(``rak_xl.adapters.xlwings_plan``) runs a ``PaintPlan`` step by step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rak_xl.layout import PlanValue, SheetPlan, Style
from rak_xl.paint.attrs import applied
from rak_xl.paint.carry import MergeIndex, carrying
from rak_xl.paint.cover import cover_inside
from rak_xl.paint.prototype import prototype_plan, prototype_rows, row_copies
from rak_xl.paint.rects import Cell, Rect, cells, inside, runs
from rak_xl.paint.strokes import Copied, Stroke, actions, line_strokes, paint_strokes
from rak_xl.paint.tiles import tiles

__all__ = ["Copy", "Merge", "PaintPlan", "excel_row_heights", "merge_blocks", "plan_paint"]

Copy = tuple[Rect, Rect]  # formats of the source rectangle tiled over the destination
Merge = tuple[Rect, bool]  # a rectangle to merge, "across" (each row on its own) or whole


@dataclass(frozen=True)
class PaintPlan:
    """What Susun Ulang does to a cleared sheet, in this order."""

    values: list[list[PlanValue]]  # one block from A1
    col_widths: list[tuple[int, int, float]]  # (first, last column, width in characters)
    row_heights: list[tuple[int, int, float]]  # (first, last row, height in points)
    strokes: list[Stroke]  # style attributes; a fill "stroke" holding a dict: set_colors
    prototype_copies: list[Copy]  # from the template's prototype sheet
    early_copies: list[Copy]  # copies made before any merge (they cannot carry merges)
    merges: list[Merge]  # the merges no copy carries
    carrying_copies: list[Copy]  # copies that carry their source's merges
    carried: list[Merge]  # the merges those copies carry (made directly when they did not)
    carried_probe: Rect | None  # a carried merge: read back to see whether Excel carried it
    freeze: tuple[int, int] | None  # top-left cell of the scrolling pane, if any
    print_area: Rect | None


# Excel's default row height for the default font (Calibri 11): room for one line of the
# form's 8 to 11 pt text, so such a row needs no height of its own.
_DEFAULT_ROW_PT = 15.0


def excel_row_heights(plan: SheetPlan) -> dict[int, float]:
    """The row heights Excel must be told: not those of rows it fits to their text
    itself (``autofit_rows``), nor those its default height already covers (each is a
    round trip)."""
    return {
        r: h
        for r, h in plan.row_heights.items()
        if r not in plan.autofit_rows and h > _DEFAULT_ROW_PT
    }


def plan_paint(plan: SheetPlan, remote: bool, prototype: bool) -> PaintPlan:
    """The actions that rebuild a cleared sheet as ``plan`` says. ``remote``: xlwings'
    remote engine (fills may go as ``set_colors`` blocks); ``prototype``: the book holds
    the prototype sheet of this version (``rak_xl.paint.prototype``) to copy rows from."""
    index = MergeIndex(plan.merges)
    tiled = tiles(plan, index)
    copied = Copied()
    for _, rect in tiled:
        copied = copied.plus(rect)
    from_proto: list[Copy] = []
    if prototype:
        tiled_cells = copied.cells
        # The form's own prototype rows, shifted to where they sit on the sheet.
        shift = prototype_rows(plan.tingkat)[0] - 1
        from_proto = [
            ((q1 + shift, c1, q2 + shift, c2), dst)
            for (q1, c1, q2, c2), dst in row_copies(
                plan, prototype_plan(plan.tingkat), lambda r, c: (r, c) in tiled_cells
            )
        ]
        for _, rect in from_proto:
            copied = copied.plus(rect)
    copies = style_copies(plan, copied, remote)
    for _, rect in copies:
        copied = copied.plus(rect)
    # Copies that cannot carry merges run before any merge exists; the merges they
    # cannot carry are made directly, then the copies that carry the rest.
    carries, carried = carrying(tiled, plan.merges, index)
    return PaintPlan(
        values=_values(plan),
        col_widths=line_strokes(plan.col_widths, 1, plan.last_col),
        row_heights=line_strokes(excel_row_heights(plan), 1, plan.last_row),
        strokes=paint_strokes(plan, copied, remote),
        prototype_copies=from_proto,
        early_copies=[*copies, *(t for t, c in zip(tiled, carries, strict=True) if not c)],
        merges=merge_blocks(m for m in plan.merges if m not in carried),
        carrying_copies=[t for t, c in zip(tiled, carries, strict=True) if c],
        carried=merge_blocks(carried),
        carried_probe=min(carried) if carried else None,
        freeze=plan.freeze if plan.freeze != (1, 1) else None,
        print_area=plan.print_setup.print_area,
    )


def _values(plan: SheetPlan) -> list[list[PlanValue]]:
    rows: list[list[PlanValue]] = [[None] * plan.last_col for _ in range(plan.last_row)]
    for (r, c), cell in plan.cells.items():
        if r <= plan.last_row and c <= plan.last_col:
            rows[r - 1][c - 1] = cell.value
    return rows


def merge_blocks(merges: Iterable[Rect]) -> list[Merge]:
    """Merges as few actions: one-row merges with the same columns on adjacent rows
    (title lines, signature lines, stacked total rows) become one "merge across" (each
    row of the block merged on its own); other merges one action each. Excel has no
    "merge down", so a merge over several rows is always its own action."""
    out: list[Merge] = []
    rows: dict[tuple[int, int], list[int]] = {}
    for r1, c1, r2, c2 in merges:
        if r1 == r2:
            rows.setdefault((c1, c2), []).append(r1)
        else:
            out.append(((r1, c1, r2, c2), False))
    for (c1, c2), rs in rows.items():
        for a, b, _ in runs(dict.fromkeys(rs, True), min(rs), max(rs)):
            out.append(((a, c1, b, c2), b > a))
    return out


_MAX_TRIALS = 8  # each trial plans the painting again (time grows with the sheet)


def style_copies(plan: SheetPlan, copied: Copied, remote: bool) -> list[Copy]:
    """Rectangles of one style copied from a cell of that style elsewhere (one action)
    where that is cheaper than setting their attributes: above all bordered blocks such
    as the stray-value header and stray cells, whose borders cost an action per side.
    Greedy: each candidate is kept if the whole painting then costs fewer actions. Run
    before the block copies, whose sources they may lie in."""
    strokes = paint_strokes(plan, copied, remote)
    best = actions(strokes)
    if best <= 1:
        return []  # nothing (or one stroke) left to paint: no copy can save an action
    style = {
        pos: applied(cell.style) for pos, cell in plan.cells.items() if pos not in copied.cells
    }
    by_style: dict[Style, list[Cell]] = {}
    for pos, st in style.items():
        by_style.setdefault(st, []).append(pos)
    out: list[Copy] = []
    done: set[Cell] = set()
    kept: set[Cell] = set()  # prototypes: must stay painted
    for rect in _candidates(plan, copied, strokes, by_style)[:_MAX_TRIALS]:
        mine = [c for c in cells(rect) if c not in copied.cells]
        kinds = {style.get(c) for c in mine}
        if len(kinds) != 1 or any(c in kept for c in mine):
            continue
        (want,) = kinds
        if want is None:
            continue
        proto = next(
            (c for c in by_style[want] if c not in done and not inside(c, rect)),
            None,
        )
        if proto is None:
            continue
        trial = copied.plus(rect)
        cost = actions(paint_strokes(plan, trial, remote)) + len(out) + 1
        if cost < best:
            best, copied = cost, trial
            out.append(((*proto, *proto), rect))
            done.update(mine)
            kept.add(proto)
    return out


def _candidates(
    plan: SheetPlan, copied: Copied, strokes: list[Stroke], by_style: dict[Style, list[Cell]]
) -> list[Rect]:
    """Rectangles worth a style copy: the bordered rectangles first (four to six actions
    each), then every rectangle of one style, largest first."""
    whole: Rect = (1, 1, plan.last_row, plan.last_col)
    borders = [rect for attr, rect, _ in strokes if attr == "border"]
    others = [
        rect
        for same in by_style.values()
        if len(same) > 1
        for rect in cover_inside(same, whole, copied.rects)
    ]
    others.sort(key=lambda r: -(r[2] - r[0] + 1) * (r[3] - r[1] + 1))
    return [*borders, *others]
