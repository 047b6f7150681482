"""The rectangle cover of Susun Ulang's painting (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rak_xl.paint.cover import cover


@given(st.sets(st.tuples(st.integers(1, 12), st.integers(1, 8)), max_size=40))
def test_cover_is_exact(cells: set[tuple[int, int]]) -> None:
    rects = cover(cells)
    covered = [
        (r, c) for r1, c1, r2, c2 in rects for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
    ]
    assert sorted(covered) == sorted(cells)  # every cell once, nothing else


def test_cover_uses_free_cells() -> None:
    cells = {(1, 1), (1, 3), (3, 1), (3, 3)}
    assert cover(cells) != [(1, 1, 3, 3)]
    assert cover(cells, lambda cell: True) == [(1, 1, 3, 3)]
