"""The block of a live sheet found with bounded reads (``adapters.bounded_read``), on a
sparse sheet of our own: every read is recorded, so the bounds are checked exactly."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import pytest

from rak_xl.adapters.bounded_read import MAX_READS, TooFar, area, find_block
from rak_xl.cellref import CellValue
from rak_xl.paint.rects import Rect
from rak_xl.workbook import FAR_COLS, FAR_ROWS, MAX_CELLS

EDGE = (1, 1, 1_048_576, 16_384)


class Sheet:
    """Cells by position; ``read`` answers a rectangle as a dense block, as Excel does."""

    def __init__(self, cells: dict[tuple[int, int], CellValue]) -> None:
        self.rows: dict[int, dict[int, CellValue]] = {}
        for (r, c), v in cells.items():
            self.rows.setdefault(r, {})[c] = v
        self.keys = sorted(self.rows)
        self.reads: list[Rect] = []

    def read(self, rect: Rect) -> Sequence[Sequence[CellValue]]:
        assert area(rect) <= MAX_CELLS, rect
        self.reads.append(rect)
        r1, c1, r2, c2 = rect
        rows: list[list[CellValue]] = [[None] * (c2 - c1 + 1) for _ in range(r2 - r1 + 1)]
        for r in self.keys[bisect_left(self.keys, r1) : bisect_right(self.keys, r2)]:
            for c, v in self.rows[r].items():
                if c1 <= c <= c2:
                    rows[r - r1][c - c1] = v
        return rows


def table(rows: int, cols: int, top: int = 1, left: int = 1) -> dict[tuple[int, int], CellValue]:
    return {(top + i, left + j): "x" for i in range(rows) for j in range(cols) if (i + j) % 3}


def test_a_far_cell_is_left_out_in_a_few_reads() -> None:
    sheet = Sheet({**table(90, 31), (1_048_576, 16_384): "jauh"})
    assert find_block(sheet.read, EDGE) == (1, 1, 90, 31)
    assert len(sheet.reads) <= 4


def test_a_long_table_is_read_ahead_not_a_strip_per_gap() -> None:
    sheet = Sheet({**table(3_000, 30), (1_048_576, 1): "jauh", (5, 16_384): "jauh"})
    assert find_block(sheet.read, EDGE) == (1, 1, 3_000, 30)
    assert len(sheet.reads) <= 8


def test_gaps_are_those_of_the_file_reader() -> None:
    """Up to ``FAR_ROWS`` empty rows / ``FAR_COLS`` empty columns join, one more splits;
    a value diagonal to the block joins as in the file reader's row x column clusters."""
    near = {(30 + FAR_ROWS, 2): "a", (3, 31 + FAR_COLS): "b", (40 + FAR_ROWS, 181): "c"}
    far = {(41 + 2 * FAR_ROWS, 1): "no", (1, 182 + FAR_COLS): "no"}
    sheet = Sheet({**table(30, 31), **near, **far, (1_048_576, 16_384): "jauh"})
    assert find_block(sheet.read, EDGE) == (1, 1, 40 + FAR_ROWS, 181)


def test_nothing_near_the_first_cell() -> None:
    sheet = Sheet({(5_000, 5): "x", (1_048_576, 16_384): "jauh"})
    assert find_block(sheet.read, EDGE) is None
    assert len(sheet.reads) == 1


def test_the_used_range_may_start_anywhere() -> None:
    sheet = Sheet({**table(50, 20, top=7, left=3), (900_000, 9_000): "jauh"})
    assert find_block(sheet.read, (7, 3, 900_000, 9_000)) == (7, 3, 56, 22)


@pytest.mark.slow  # reads of up to MAX_CELLS cells
def test_a_chain_of_values_ends_in_a_refusal_within_bounds() -> None:
    """One value every ``FAR_ROWS`` rows in every column: the block outgrows
    ``MAX_CELLS``, and the sheet is refused before any read gets bigger than that."""
    cells = {(1 + k * FAR_ROWS, c): "x" for k in range(1_048) for c in range(1, 201)}
    sheet = Sheet(cells)
    with pytest.raises(TooFar):
        find_block(sheet.read, EDGE)
    assert len(sheet.reads) <= MAX_READS
