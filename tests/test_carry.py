"""Which block copies may carry merged cells (pure rectangles, no Excel)."""

from __future__ import annotations

from rak_xl.paint.carry import MergeIndex, carrying


def test_a_unit_copied_down_carries_its_merges() -> None:
    # A kegiatan of 4 rows, uraian merged A1:A4, copied onto rows 5..12 (two tiles).
    merges = [(1, 1, 4, 1), (5, 1, 8, 1), (9, 1, 12, 1)]
    flags, carried = carrying([((1, 1, 4, 3), (5, 1, 12, 3))], merges)
    assert flags == [True]
    assert carried == {(5, 1, 8, 1), (9, 1, 12, 1)}  # made by the copy, not directly


def test_a_merge_crossing_the_source_edge_is_not_carried() -> None:
    # Column A merged over 8 rows while the unit is 4 rows: a copy would cut it.
    merges = [(1, 1, 8, 1), (9, 1, 16, 1)]
    flags, carried = carrying([((1, 1, 4, 3), (9, 1, 12, 3))], merges)
    assert flags == [False] and carried == set()


def test_a_destination_merged_otherwise_is_not_carried() -> None:
    merges = [(1, 1, 4, 1), (5, 2, 8, 2)]  # the copy would merge column A, not B
    flags, _ = carrying([((1, 1, 4, 3), (5, 1, 8, 3))], merges)
    assert flags == [False]


def test_a_copy_read_before_the_merges_makes_its_source_unmergeable() -> None:
    """The inner copy fills rows 5..8, which an outer copy that cannot carry (it cuts
    the merge in column D) takes as its source before any merge exists: the inner copy
    must run then too, and its merges be made directly."""
    merges = [(1, 1, 4, 1), (5, 1, 8, 1), (1, 4, 12, 4)]
    inner = ((1, 1, 4, 3), (5, 1, 8, 3))
    outer = ((5, 1, 8, 4), (13, 1, 16, 4))
    flags, carried = carrying([inner, outer], merges)
    assert flags == [False, False] and carried == set()


def test_index_inside_is_relative() -> None:
    index = MergeIndex([(3, 2, 4, 3), (10, 1, 10, 5)])
    assert index.inside((3, 2, 6, 4)) == frozenset({(1, 1, 2, 2)})
    assert index.inside((10, 2, 10, 3)) is None  # cuts A10:E10
    assert index.inside((20, 1, 21, 1)) == frozenset()
