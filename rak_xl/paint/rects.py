"""Rectangles of cells, and the geometry every paint plan shares."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

__all__ = [
    "MAX_COLOR_CELLS",
    "Cell",
    "Rect",
    "cells",
    "fill_bands",
    "inside",
    "join_copies",
    "runs",
]

Rect = tuple[int, int, int, int]  # first row, first col, last row, last col (1-based, inclusive)
Cell = tuple[int, int]  # row, col

MAX_COLOR_CELLS = 10_000  # xlwings refuses a bigger set_colors() call


def cells(rect: Rect) -> Iterable[Cell]:
    r1, c1, r2, c2 = rect
    return ((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))


def inside(cell: Cell, rect: Rect) -> bool:
    return rect[0] <= cell[0] <= rect[2] and rect[1] <= cell[1] <= rect[3]


def runs(values: Mapping[int, Any], first: int, last: int) -> list[tuple[int, int, Any]]:
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


def fill_bands(fills: Collection[Cell]) -> list[tuple[int, int]]:
    """(first, last) rows of the bands ``set_colors`` paints ``fills`` in: the bounding
    block of the cells, cut into bands of rows of at most ``MAX_COLOR_CELLS`` cells, one
    action per band that holds a fill."""
    cols = [c for _, c in fills]
    width = max(cols) - min(cols) + 1
    bands: list[tuple[int, int]] = []
    for r in sorted({r for r, _ in fills}):
        if bands and (r - bands[-1][0] + 1) * width <= MAX_COLOR_CELLS:
            bands[-1] = (bands[-1][0], r)
        else:
            bands.append((r, r))
    return bands


def join_copies(pairs: list[tuple[Rect, Rect]]) -> list[tuple[Rect, Rect]]:
    """Copies onto the same rows of adjacent bands as one: from adjacent source
    columns, or from the same source (which Excel then tiles across)."""
    out: list[tuple[Rect, Rect]] = []
    for src, dst in sorted(pairs, key=lambda p: (p[1][0], p[1][2], p[0][0], p[0][2], p[1][1])):
        if out:
            ps, pd = out[-1]
            same_rows = (ps[0], ps[2], pd[0], pd[2]) == (src[0], src[2], dst[0], dst[2])
            if same_rows and pd[3] + 1 == dst[1]:
                if ps[3] + 1 == src[1] and ps[1] - pd[1] == src[1] - dst[1]:
                    out[-1] = ((ps[0], ps[1], ps[2], src[3]), (pd[0], pd[1], pd[2], dst[3]))
                    continue
                if ps[1] == ps[3] == src[1] == src[3]:  # one column tiled across
                    out[-1] = (ps, (pd[0], pd[1], pd[2], dst[3]))
                    continue
        out.append((src, dst))
    return out
