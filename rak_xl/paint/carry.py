"""Which block copies of Susun Ulang can carry merged cells along with the formats.

Excel's paste of formats (``Range.copy_from(..., "formats")``, ``PasteSpecial
xlPasteFormats``) merges the destination as the source is merged, like the Format
Painter. Without that every kegiatan cell merged over its four quarter rows costs a
merge action of its own (Excel has no "merge down" over many ranges at once): 13,751 at
3,000 kegiatan. So a block copy carries the merges when its source holds whole merges
only and its destination must end up with exactly their tiled copies; those merges are
then made on the source only, before the copy. Copies that cannot carry run before any
merge exists (no merged area is cut by a copy) and their destinations are merged
directly. Pure: rectangles in, decisions out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rak_xl.paint.rects import Rect

__all__ = ["MergeIndex", "carrying"]


def _within(m: Rect, rect: Rect) -> bool:
    return rect[0] <= m[0] and m[2] <= rect[2] and rect[1] <= m[1] and m[3] <= rect[3]


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


class MergeIndex:
    """Merged ranges by row, to find those touching a block quickly."""

    def __init__(self, merges: Iterable[Rect]) -> None:
        self.by_row: dict[int, list[Rect]] = {}
        for m in merges:
            for r in range(m[0], m[2] + 1):
                self.by_row.setdefault(r, []).append(m)

    def touching(self, rect: Rect) -> set[Rect]:
        r1, c1, r2, c2 = rect
        return {
            m
            for r in range(r1, r2 + 1)
            for m in self.by_row.get(r, ())
            if m[1] <= c2 and m[3] >= c1
        }

    def inside(self, rect: Rect) -> frozenset[Rect] | None:
        """The merges in ``rect``, relative to its top-left cell; None when one of them
        crosses its edge (a copy would cut it)."""
        found = self.touching(rect)
        if not all(_within(m, rect) for m in found):
            return None
        r0, c0 = rect[0] - 1, rect[1] - 1
        return frozenset((a - r0, b - c0, c - r0, d - c0) for a, b, c, d in found)


def _tiled(rel: frozenset[Rect], source: Rect, dest: Rect) -> frozenset[Rect]:
    """``rel`` (merges relative to ``source``) repeated over ``dest`` as Excel tiles a
    copy onto a whole multiple of its source."""
    h, w = source[2] - source[0] + 1, source[3] - source[1] + 1
    n_r, n_c = (dest[2] - dest[0] + 1) // h, (dest[3] - dest[1] + 1) // w
    return frozenset(
        (a + i * h, b + j * w, c + i * h, d + j * w)
        for i in range(n_r)
        for j in range(n_c)
        for a, b, c, d in rel
    )


def carrying(
    tiles: Sequence[tuple[Rect, Rect]], merges: Iterable[Rect], index: MergeIndex | None = None
) -> tuple[list[bool], set[Rect]]:
    """For each (source, destination) copy, in the order they run, whether it carries
    merges; and the merges the carrying copies make (the rest are made directly).

    A copy carries when its source and destination both hold whole merges only and the
    destination's are the source's tiled, and when no copy that runs before the merges
    takes its source from this copy's destination (it would read it unmerged)."""
    index = index or MergeIndex(merges)
    flags = []
    for src, dst in tiles:
        rel, got = index.inside(src), index.inside(dst)
        flags.append(rel is not None and got is not None and got == _tiled(rel, src, dst))
    changed = True
    while changed:
        changed = False
        early = [src for (src, _), ok in zip(tiles, flags, strict=True) if not ok]
        for i, (_, dst) in enumerate(tiles):
            if flags[i] and any(_overlap(src, dst) for src in early):
                flags[i], changed = False, True
    carried: set[Rect] = set()
    for (_, dst), ok in zip(tiles, flags, strict=True):
        if ok:
            carried |= index.touching(dst)
    return flags, carried
