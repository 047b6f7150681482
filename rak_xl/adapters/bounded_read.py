"""The data block of a live sheet whose used range is absurd, found with few bounded reads.

A live sheet is read through its used range, and one value at ``XFD1048576`` makes that
range 17 billion cells: read in one call it never fits in memory. The file reader counts
the cells of every row and column and keeps the biggest cluster (``rak_xl.workbook``:
rows split at gaps of more than ``FAR_ROWS`` empty rows, columns at ``FAR_COLS``). A live
sheet cannot be counted without reading it, so here the block grows from the used
range's top-left corner instead, with the same gaps: a first read of the corner, then
strips beside the block (below, right, above, left; the strips below and above reach
``FAR_COLS`` past its sides, so a value diagonal to it joins as it does in the file
reader). A strip reads as far ahead as the block is long (at least the gap), so a table of
thousands of rows takes a few reads; values past an empty gap in a strip are not taken.

Bounded: every read is at most ``MAX_CELLS`` cells, the block too, and there are at most
``MAX_READS`` reads; past that the sheet is refused (``TooFar``), as the file reader
refuses a block too big after trimming. What lies beyond the gaps is never read, so a
table that starts more than ``FAR_ROWS`` rows below (``FAR_COLS`` columns right of) the
used range's first cell is not found (the caller says so).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rak_xl.grid import CellValue
from rak_xl.paint.rects import Rect
from rak_xl.workbook import FAR_COLS, FAR_ROWS, MAX_CELLS

__all__ = ["MAX_READS", "Read", "TooFar", "area", "find_block", "valued"]

MAX_READS = 40
Read = Callable[[Rect], Sequence[Sequence[CellValue]]]


class TooFar(Exception):  # a signal to the adapter, turned into its sentence there
    """The block would need more than ``MAX_CELLS`` cells or ``MAX_READS`` reads."""


def area(rect: Rect) -> int:
    r1, c1, r2, c2 = rect
    return max(0, r2 - r1 + 1) * max(0, c2 - c1 + 1)


def valued(rows: Sequence[Sequence[CellValue]], rect: Rect) -> list[tuple[int, int]]:
    """Positions of the cells holding a value in a block read at ``rect`` (rows longer or
    shorter than asked are cut or taken as empty)."""
    r1, c1, r2, c2 = rect
    width = c2 - c1 + 1
    out = []
    for i, row in enumerate(rows[: r2 - r1 + 1]):
        cut = list(row[:width])
        if cut.count(None) + cut.count("") == len(cut):  # at C speed: most rows are empty
            continue
        out += [(r1 + i, c1 + j) for j, v in enumerate(cut) if v is not None and v != ""]
    return out


def _reach(start: int, positions: Sequence[int], gap: int, step: int) -> int:
    """How far a cluster ending at ``start`` reaches through ``positions`` (all on one side
    of it, ``step`` +1 or -1), never across more than ``gap`` empty lines."""
    end = start
    for p in sorted(positions, reverse=step < 0):
        if (p - end) * step > gap:
            break
        end = p
    return end


class _Grower:
    def __init__(self, read: Read, used: Rect) -> None:
        self.read_fn, self.used, self.reads = read, used, 0

    def read(self, rect: Rect) -> list[tuple[int, int]]:
        if self.reads >= MAX_READS or area(rect) > MAX_CELLS:
            raise TooFar
        self.reads += 1
        return valued(self.read_fn(rect), rect)

    def strips(self, box: Rect) -> list[tuple[str, Rect]]:
        """The strips beside ``box`` inside the used range, read ahead as far as the box
        is long (at least the gap), each within ``MAX_CELLS``."""
        R1, C1, R2, C2 = self.used
        r1, c1, r2, c2 = box
        wide = (max(C1, c1 - FAR_COLS), min(C2, c2 + FAR_COLS))
        rows_ahead = max(FAR_ROWS, r2 - r1 + 1)
        cols_ahead = max(FAR_COLS, c2 - c1 + 1)
        rows_ahead = max(FAR_ROWS, min(rows_ahead, MAX_CELLS // (wide[1] - wide[0] + 1)))
        cols_ahead = max(FAR_COLS, min(cols_ahead, MAX_CELLS // (r2 - r1 + 1)))
        out = [
            ("down", (r2 + 1, wide[0], min(R2, r2 + rows_ahead), wide[1])),
            ("right", (r1, c2 + 1, r2, min(C2, c2 + cols_ahead))),
            ("up", (max(R1, r1 - rows_ahead), wide[0], r1 - 1, wide[1])),
            ("left", (r1, max(C1, c1 - cols_ahead), r2, c1 - 1)),
        ]
        return [(side, rect) for side, rect in out if area(rect) > 0]

    def grow(self, box: Rect, side: str, cells: list[tuple[int, int]]) -> Rect:
        r1, c1, r2, c2 = box
        if side in ("down", "up"):
            step = 1 if side == "down" else -1
            edge = r2 if step > 0 else r1
            end = _reach(edge, [r for r, _ in cells], FAR_ROWS, step)
            lo, hi = (edge, end) if step > 0 else (end, edge)
            taken = [c for r, c in cells if lo <= r <= hi]
            r1, r2 = (r1, end) if step > 0 else (end, r2)
            return r1, min([c1, *taken]), r2, max([c2, *taken])
        step = 1 if side == "right" else -1
        edge = c2 if step > 0 else c1
        end = _reach(edge, [c for _, c in cells], FAR_COLS, step)
        return (r1, c1, r2, end) if step > 0 else (r1, end, r2, c2)


def find_block(read: Read, used: Rect) -> Rect | None:
    """The block of values around the used range's top-left corner (None: nothing within
    the gaps of that corner). ``read(rect)`` returns the values of a rectangle."""
    R1, C1, R2, C2 = used
    g = _Grower(read, used)
    first = (R1, C1, min(R2, R1 + FAR_ROWS - 1), min(C2, C1 + FAR_COLS - 1))
    cells = g.read(first)
    if not cells:
        return None
    box = (
        min(r for r, _ in cells),
        min(c for _, c in cells),
        max(r for r, _ in cells),
        max(c for _, c in cells),
    )
    grown = True
    while grown:
        grown = False
        for side, strip in g.strips(box):
            found = g.read(strip)
            new = g.grow(box, side, found) if found else box
            if new != box:
                box, grown = new, True
                if area(box) > MAX_CELLS:
                    raise TooFar
    return box
