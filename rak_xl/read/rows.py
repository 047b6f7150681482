"""The table's rows as the reader sees them: each row's cells grouped by logical column,
and what kind of row it is (data, a totals row, a kegiatan row sitting sideways)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_not

from rak_xl.grid import CellValue, Grid
from rak_xl.numbers import is_dash, parse_number
from rak_xl.read.cells import Cells, text_of
from rak_xl.read.header import Header
from rak_xl.sheet_spec import (
    BEYOND,
    GRAND_TOTAL_LABEL,
    KAS_COLS,
    OUR_TOTAL_LABEL,
    KegiatanCol,
    LogicalCol,
    is_total_label,
    starts_like_total,
    total_label,
)

__all__ = [
    "Row",
    "RowSplitter",
    "is_data",
    "is_grand_total",
    "is_layout_total",
    "is_total",
    "shift",
]

# The members by module name: a global lookup per use, not an enum attribute lookup
# (these are asked for every row of a sheet).
S_URAIAN, S_INDIKATOR, S_TARGET = LogicalCol.S_URAIAN, LogicalCol.S_INDIKATOR, LogicalCol.S_TARGET
P_URAIAN, P_TARGET = LogicalCol.P_URAIAN, LogicalCol.P_TARGET
K_URAIAN, K_INDIKATOR = LogicalCol.K_URAIAN, LogicalCol.K_INDIKATOR
K_VOLUME, K_TARGET, KET = LogicalCol.K_VOLUME, LogicalCol.K_TARGET, LogicalCol.KET
# The 4-level form's kegiatan columns (absent from a 2020 sheet's rows).
KG_URAIAN, KG_TARGET = KegiatanCol.URAIAN, KegiatanCol.TARGET
_CONVENTION_COLS = frozenset((P_TARGET, K_VOLUME, *KAS_COLS))  # where "." vs "," shows
# The 4-level form: also the kegiatan's and the sub kegiatan's Target | Anggaran (Rp ...).
_CONVENTION_COLS4 = _CONVENTION_COLS | {KG_TARGET, K_TARGET}
# The label columns of a totals row, left to right (the 4-level kegiatan's between).
_LABEL_COLS = (*range(S_URAIAN, K_URAIAN), *KegiatanCol, *range(K_URAIAN, K_TARGET + 1))
_TW_TEXT = re.compile(r"\b(tw|trw|triwulan|tahunan)\s*\.?\s*(iv|iii|ii|i|[1-4])?\b", re.I)
_VOL_TEXT = re.compile(r"^\s*[0-9][0-9.,]*\s+[^0-9]")


@dataclass(slots=True)  # one per sheet row: lighter and quicker to build
class Row:
    row: int
    by_col: dict[int, Cells]  # logical column -> cells
    shifted_from: str | None = None
    # Whether any cell holds text: most rows of a large sheet (TW 2..4 rows) hold only
    # numbers, and such a row can be neither a heading, a totals row nor a shifted row.
    has_text: bool = True
    # The texts of the columns where a text number tells "." from "," (``split`` notes them
    # as it passes, for the convention vote).
    number_texts: list[str] | None = None

    def texts(self, n: int) -> list[tuple[int, str]]:
        return [(c, t) for c, v in self.by_col.get(n, []) if (t := text_of(v))]

    def first_text(self, n: int) -> tuple[int, str] | None:
        for c, v in self.by_col.get(n, ()):
            if t := text_of(v):
                return c, t
        return None


class RowSplitter:
    """Splits a grid's rows by the header's logical columns."""

    def __init__(self, grid: Grid, header: Header) -> None:
        self.grid = grid
        # Logical column of each physical column (0 below the grid's first): a list lookup
        # per cell instead of a dict lookup (every cell of every row passes ``split``).
        first = header.first(S_URAIAN)
        self.convention = _CONVENTION_COLS if header.form.tingkat == 3 else _CONVENTION_COLS4
        self.logical = [0] * grid.first_col + [
            header.logical_of.get(c, 0 if c < first else BEYOND)
            for c in range(grid.first_col, grid.last_col + 1)
        ]

    def split(self, r: int) -> Row:
        """Row ``r``'s non-empty cells (as ``cells``) grouped by logical column.

        Walks the grid row itself rather than ``cells(r)``: most rows are split once and
        never asked for again, so building the cell list first would be work twice.
        """
        i = r - self.grid.first_row
        if not 0 <= i < len(self.grid.rows):
            return Row(r, {}, has_text=False)
        by_col: dict[int, Cells] = {}
        logical = self.logical
        has_text = False
        number_texts: list[str] | None = None
        convention = self.convention
        values = self.grid.rows[i]
        # Only the filled cells, picked at C speed: most cells of a sheet are empty.
        for c, v in compress(
            enumerate(values, self.grid.first_col), map(is_not, values, repeat(None))
        ):
            n = logical[c]
            if n <= 0:  # left of the table (0) or one of our formula columns (COMPUTED)
                continue
            if isinstance(v, str):
                if not v.strip():
                    continue
                has_text = True
                if n in convention:
                    if number_texts is None:
                        number_texts = [v]
                    else:
                        number_texts.append(v)
            cells = by_col.get(n)
            if cells is None:
                by_col[n] = [(c, v)]
            else:
                cells.append((c, v))
        return Row(r, by_col, None, has_text, number_texts)


# -- row classification --------------------------------------------------------------------


def is_tw_text(value: CellValue) -> bool:
    return isinstance(value, str) and _TW_TEXT.search(value) is not None


def is_total(row: Row) -> bool:
    """A totals row, ours or the user's: its first text is a totals label in any case and
    spacing (``sheet_spec.starts_like_total``: JUMLAH, J U M L A H, Jumlah Total, TOTAL,
    Sub Total ...), and it is a total by itself (``is_total_label``), upper case in the
    kegiatan uraian column (the official layout's), or followed by sums in the month
    columns. None has an indikator or a volume. A note that merely starts with "Jumlah"
    ("Jumlah kegiatan tahun ini: 1") is not one.
    """
    by_col = row.by_col
    if by_col.get(K_INDIKATOR) or by_col.get(K_VOLUME):
        return False
    for n in _LABEL_COLS:
        for _, v in by_col.get(n, []):
            if isinstance(v, str) and v.strip():
                if not starts_like_total(v):
                    return False
                if is_total_label(v):
                    return True
                if n == K_URAIAN and v.lstrip()[:1].isupper() and v.split()[0].isupper():
                    return True
                return _has_sums(by_col)
    return False


def _has_sums(by_col: dict[int, Cells]) -> bool:
    """A number, or a number written as text, in a month column."""
    return any(
        (isinstance(x, int | float) and not isinstance(x, bool))
        or (isinstance(x, str) and parse_number(x) is not None)
        for m in KAS_COLS
        for _, x in by_col.get(m, [])
    )


def _layout_label(row: Row) -> str | None:
    """The row's label as totals are told by (``total_label``) when its first cell in the
    kegiatan uraian column holds text: where the official layout writes its totals."""
    cells = row.by_col.get(K_URAIAN, [])
    first = cells[0][1] if cells else None
    return total_label(first) if isinstance(first, str) else None


def is_layout_total(row: Row, label: str | None = None) -> bool:
    """A total row of the official layout (upper-case JUMLAH/SELISIH/TOTAL in the kegiatan
    uraian column, e.g. the grand total under the last kegiatan): not a note, skipped
    like the others. ``label``: the row's ``_layout_label`` when the caller has it."""
    label = label or _layout_label(row)
    return (
        label is not None
        and OUR_TOTAL_LABEL.match(label) is not None
        and not any(row.by_col.get(n) for n in range(S_URAIAN, K_URAIAN))
        and is_total(row)
    )


def is_grand_total(row: Row) -> bool:
    """Our layout's grand total row (``JUMLAH TOTAL``): the last row of its table."""
    label = _layout_label(row)
    return label == GRAND_TOTAL_LABEL and is_layout_total(row, label)


def is_data(row: Row, addr: Callable[[int, int], str]) -> bool:
    """Does the row belong to the table (rather than to the notes below it)?"""
    by_col = row.by_col
    if not by_col:
        return False
    if is_total(row) or by_col.get(K_TARGET):
        return True  # totals rows and target cells belong to the table
    if row.first_text(P_URAIAN) or row.first_text(KG_URAIAN) or row.first_text(K_URAIAN):
        return True
    if row.first_text(S_URAIAN) and (by_col.get(S_INDIKATOR) or by_col.get(S_TARGET)):
        return True
    targets = (S_TARGET, P_TARGET, KG_TARGET, K_TARGET)
    if any(is_tw_text(v) for n in targets for _, v in by_col.get(n, [])):
        return True
    if any(
        isinstance(v, int | float) and not isinstance(v, bool)
        for n in (S_TARGET, P_TARGET, KG_TARGET, *range(K_VOLUME, BEYOND))
        for _, v in by_col.get(n, [])
    ):
        return True
    return shift(row, addr) is not None


def shift(row: Row, addr: Callable[[int, int], str]) -> Row | None:
    """Realign a kegiatan row that sits sideways: uraian, indikator, Vol. & Sat., amounts."""
    if row.first_text(K_URAIAN):
        return None
    seq = [(n, c, v) for n in sorted(row.by_col) for c, v in row.by_col[n]]
    if len(seq) < 4:
        return None
    (n0, c0, v0), (_, c1, v1), (n2, c2, v2) = seq[:3]
    if not (text_of(v0) and text_of(v1)) or is_tw_text(v0) or is_tw_text(v1):
        return None
    if not (isinstance(v2, str) and _VOL_TEXT.match(v2)) or n0 == K_URAIAN:
        return None
    if not S_URAIAN <= n0 <= K_INDIKATOR or n2 >= LogicalCol.JANUARI:
        return None
    by_col: dict[int, Cells] = {K_URAIAN: [(c0, v0)], K_INDIKATOR: [(c1, v1)], K_VOLUME: [(c2, v2)]}
    rest = seq[3:]
    start = n2 + 1
    if rest and is_tw_text(rest[0][2]):
        by_col[K_TARGET] = [(rest[0][1], rest[0][2])]
        start = rest[0][0] + 1
        rest = rest[1:]
    if not _amounts(rest):
        return None
    slots = _amount_slots(rest, start)
    if slots is None:
        return None
    by_col.update(slots)
    return Row(row.row, by_col, shifted_from=addr(row.row, c0))


def _amounts(rest: list[tuple[int, int, CellValue]]) -> bool:
    """Are the values after a sideways row's texts amounts (the last may be a note)?"""
    for _, _, v in rest:
        ok = isinstance(v, int | float) or (
            isinstance(v, str) and (is_dash(v) or parse_number(v) is not None)
        )
        if not ok and v is not rest[-1][2]:
            return False
    return True


def _amount_slots(rest: list[tuple[int, int, CellValue]], start: int) -> dict[int, Cells] | None:
    """The month (then KET, then beyond) each amount of a sideways row goes to: by
    logical positions when each value has a column of its own; else by the physical
    distance from the first amount (a row typed one cell per month)."""
    slots: dict[int, Cells] = {}
    positional = len({n for n, _, _ in rest if n < BEYOND}) == len(
        [1 for n, _, _ in rest if n < BEYOND]
    )
    first_c = rest[0][1] if rest else 0
    for n, c, v in rest:
        slot = (n - start if n < BEYOND else 99) if positional else c - first_c
        if slot < 0:
            return None
        target = (
            LogicalCol.JANUARI + slot
            if slot < len(KAS_COLS)
            else (KET if slot == len(KAS_COLS) else BEYOND)
        )
        slots.setdefault(target, []).append((c, v))
    return slots
