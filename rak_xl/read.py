"""Reader: a sheet's grid -> the RAK model, with the cell each value came from.

The column-numbering row (1..23) is the landmark: templates differ in physical layout,
never in that row. Each logical column maps to the physical columns from its number up
to the next number, so wide merged columns and blank separator columns need no special
case. Everything the reader cannot place is kept in the model (``raw`` text, ``stray``
values, ``catatan`` rows) for the rules to report and for regenerate to write back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_not

from rak_xl.errors import NoRakTable
from rak_xl.frame import Cells, SheetFrame, _clean, _keep, _text
from rak_xl.grid import CellValue, Grid
from rak_xl.header import BEYOND, COL_KET, COMPUTED, MONTH_COLS, Header, find_header
from rak_xl.model import (
    Kegiatan,
    Number,
    Program,
    Rak,
    Sasaran,
    Source,
)
from rak_xl.numbers import (
    MAX_AMOUNT,
    Convention,
    detect_convention,
    in_range,
    is_dash,
    normalize,
    number_text,
    parse_number,
    parse_targets,
    split_volume,
    strip_list_number,
)

__all__ = ["Header", "find_header", "iter_items", "read_rak"]

# Inline bounds of the fast paths below (``in_range`` without the call); NaN fails them too.
_MAX = float(MAX_AMOUNT)
_KAS_KEYS = tuple(f"kas_bulanan.{i}" for i in range(12))
_TW_KEYS = tuple(f"target_tw.{q}" for q in range(4))
_CONVENTION_COLS = frozenset((6, 9, *MONTH_COLS))  # where text numbers tell "." from ","
_TOTAL_ROW = re.compile(r"^\s*(jumlah|sub\s*total|total|selisih)\b", re.IGNORECASE)
_TW_TEXT = re.compile(r"\b(tw|trw|triwulan|tahunan)\s*\.?\s*(iv|iii|ii|i|[1-4])?\b", re.I)
_VOL_TEXT = re.compile(r"^\s*\d[\d.,]*\s+\D")


# -- the reader --------------------------------------------------------------------------


@dataclass(slots=True)  # one per sheet row: lighter and quicker to build
class _Row:
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
        return [(c, t) for c, v in self.by_col.get(n, []) if (t := _text(v))]

    def first_text(self, n: int) -> tuple[int, str] | None:
        for c, v in self.by_col.get(n, ()):
            if t := _text(v):
                return c, t
        return None


def _is_tw_text(value: CellValue) -> bool:
    return isinstance(value, str) and _TW_TEXT.search(value) is not None


class _Reader(SheetFrame):
    """Builds the model from the table rows between the header and the signature."""

    def __init__(self, grid: Grid, header: Header) -> None:
        super().__init__(grid, header)
        self.conv: Convention = "id"
        self.s: Sasaran | None = None
        self.p: Program | None = None
        self.k: Kegiatan | None = None
        # Logical column of each physical column (0 below the grid's first): a list lookup
        # per cell instead of a dict lookup (every cell of every row passes ``split``).
        first = header.first(1)
        self._logical = [0] * grid.first_col + [
            header.logical_of.get(c, 0 if c < first else BEYOND)
            for c in range(grid.first_col, grid.last_col + 1)
        ]
        # Per month: index, model key, logical column, and the column letters of its first
        # physical column ("" when beyond the cached letters), for ``_cash``.
        self._months = [
            (
                i,
                _KAS_KEYS[i],
                n,
                self._letters[c] if 0 < (c := header.first(n)) < len(self._letters) else "",
            )
            for i, n in enumerate(MONTH_COLS)
        ]

    def split(self, r: int) -> _Row:
        """Row ``r``'s non-empty cells (as ``cells``) grouped by logical column.

        Walks the grid row itself rather than ``cells(r)``: most rows are split once and
        never asked for again, so building the cell list first would be work twice.
        """
        i = r - self.grid.first_row
        if not 0 <= i < len(self.grid.rows):
            return _Row(r, {}, has_text=False)
        by_col: dict[int, Cells] = {}
        logical = self._logical
        has_text = False
        number_texts: list[str] | None = None
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
                if n in _CONVENTION_COLS:
                    if number_texts is None:
                        number_texts = [v]
                    else:
                        number_texts.append(v)
            cells = by_col.get(n)
            if cells is None:
                by_col[n] = [(c, v)]
            else:
                cells.append((c, v))
        return _Row(r, by_col, None, has_text, number_texts)

    # -- top level -----------------------------------------------------------------------
    def read(self) -> Rak:
        h = self.h
        last = self.grid.last_row
        self._read_title()
        sig_rows = self._read_signature(h.numbering_row + 1, last)
        body = [
            r
            for r in range(h.numbering_row + 1, last + 1)
            if r not in h.header_rows and r not in sig_rows
        ]
        rows = {r: self.split(r) for r in body}
        sig_top = min(sig_rows, default=last + 1)
        # The last data row, searched from the bottom: no need to classify every row.
        table_end = next(
            (r for r in reversed(body) if r < sig_top and self._is_data(rows[r])),
            h.numbering_row,
        )
        self.conv = detect_convention(  # votes: the order of the texts does not matter
            [  # a list, built faster than a generator is resumed per text
                v for r in body if r <= table_end and (texts := rows[r].number_texts) for v in texts
            ]
        )
        for r in body:
            if r > table_end:
                # Our own formula columns hold no user text: a row of only those is not a note.
                values = tuple(
                    _keep(v) for c, v in self.cells(r) if h.logical_of.get(c) != COMPUTED
                )
                if values and not self._is_layout_total(rows[r]):
                    self.notes_below.append((r, values))
                continue
            self._row(rows[r])
        self.rak.catatan = [values for _, values in sorted(self.notes_below, key=lambda x: x[0])]
        return self.rak

    # -- row classification ----------------------------------------------------------------
    def _is_total(self, row: _Row) -> bool:
        """A totals row: ours (upper-case JUMLAH/TOTAL/SELISIH in the kegiatan uraian column)
        or the user's own (such a label in any case, with sums in the month columns).
        Neither has an indikator or a volume. A note that merely starts with "Jumlah" is not.
        """
        if row.by_col.get(8) or row.by_col.get(9):
            return False
        for n in range(1, 11):
            for _, v in row.by_col.get(n, []):
                if isinstance(v, str) and v.strip():
                    if not _TOTAL_ROW.match(v):
                        return False
                    if n == 7 and v.lstrip()[:1].isupper() and v.split()[0].isupper():
                        return True
                    return any(
                        isinstance(x, int | float) and not isinstance(x, bool)
                        for m in MONTH_COLS
                        for _, x in row.by_col.get(m, [])
                    )
        return False

    def _is_layout_total(self, row: _Row) -> bool:
        """A total row of the official layout (uppercase JUMLAH/SELISIH/TOTAL in column 7,
        e.g. the grand total under the last kegiatan): not a note, skipped like the others.
        """
        cells = row.by_col.get(7, [])
        first = cells[0][1] if cells else None
        return (
            isinstance(first, str)
            and re.match(r"\s*(JUMLAH|SELISIH|TOTAL)\b", first) is not None
            and not any(row.by_col.get(n) for n in range(1, 7))
            and self._is_total(row)
        )

    def _is_data(self, row: _Row) -> bool:
        if not row.by_col:
            return False
        if self._is_total(row) or row.by_col.get(10):
            return True  # totals rows and target cells belong to the table
        if row.first_text(4) or row.first_text(7):
            return True
        if row.first_text(1) and (row.by_col.get(2) or row.by_col.get(3)):
            return True
        if any(_is_tw_text(v) for n in (3, 6, 10) for _, v in row.by_col.get(n, [])):
            return True
        if any(
            isinstance(v, int | float) and not isinstance(v, bool)
            for n in (3, 6, *range(9, BEYOND))
            for _, v in row.by_col.get(n, [])
        ):
            return True
        return self._shift(row) is not None

    def _shift(self, row: _Row) -> _Row | None:
        """Realign a kegiatan row that sits sideways: uraian, indikator, Vol. & Sat., amounts."""
        if row.first_text(7):
            return None
        seq = [(n, c, v) for n in sorted(row.by_col) for c, v in row.by_col[n]]
        if len(seq) < 4:
            return None
        (n0, c0, v0), (_, c1, v1), (n2, c2, v2) = seq[:3]
        if not (_text(v0) and _text(v1)) or _is_tw_text(v0) or _is_tw_text(v1):
            return None
        if not (isinstance(v2, str) and _VOL_TEXT.match(v2)) or n0 == 7:
            return None
        if not 1 <= n0 <= 8 or n2 >= 11:
            return None
        rest = seq[3:]
        by_col: dict[int, Cells] = {7: [(c0, v0)], 8: [(c1, v1)], 9: [(c2, v2)]}
        start = n2 + 1
        if rest and _is_tw_text(rest[0][2]):
            by_col[10] = [(rest[0][1], rest[0][2])]
            start = rest[0][0] + 1
            rest = rest[1:]
        for _, _, v in rest:
            ok = isinstance(v, int | float) or (
                isinstance(v, str) and (is_dash(v) or parse_number(v) is not None)
            )
            if not ok and v is not rest[-1][2]:
                return None
        slots: dict[int, Cells] = {}
        positional = len({n for n, _, _ in rest if n < BEYOND}) == len(
            [1 for n, _, _ in rest if n < BEYOND]
        )
        first_c = rest[0][1] if rest else 0
        for n, c, v in rest:
            # Logical positions when each value has a column of its own; else the physical
            # distance from the first amount (a row typed one cell per month).
            slot = (n - start if n < BEYOND else 99) if positional else c - first_c
            if slot < 0:
                return None
            target = 11 + slot if slot < 12 else (COL_KET if slot == 12 else BEYOND)
            slots.setdefault(target, []).append((c, v))
        by_col.update(slots)
        return _Row(row.row, by_col, shifted_from=self.addr(row.row, c0))

    # -- building the model ----------------------------------------------------------------
    def _row(self, row: _Row) -> None:
        if not row.by_col:
            return
        if not row.has_text:
            # What every test below needs (a heading, a totals label, a sideways row's
            # uraian) is text: a row of numbers only is a continuation row, and the
            # tests would only say so row by row.
            self._continuation(row, range(1, BEYOND + 1))
            return
        if self._is_total(row):
            return
        t1, t4, t7 = row.first_text(1), row.first_text(4), row.first_text(7)
        if not t7:
            shifted = self._shift(row)
            if shifted is not None:
                row, t1, t4, t7 = shifted, None, None, shifted.first_text(7)
        if not (t1 or t4 or t7):
            self._continuation(row, range(1, BEYOND + 1))
            return
        if t1:
            self._new_sasaran(row, t1)
        else:
            self._continuation(row, range(1, 4))
        if t4:
            self._new_program(row, t4)
        elif t1:
            self._stray_cells(
                self.s, [cv for n in (4, 5, 6) for cv in row.by_col.get(n, [])], row.row
            )
        else:
            self._continuation(row, range(4, 7))
        if t7:
            self._new_kegiatan(row, t7)
        else:
            self.k = None
            rest = [cv for n in range(7, BEYOND + 1) for cv in row.by_col.get(n, [])]
            self._stray_cells(self.p or self.s, rest, row.row)

    def _src(self, r: int) -> Source:
        return Source(sheet=self.sheet, row=r)

    def _new_sasaran(self, row: _Row, t1: tuple[int, str]) -> None:
        r = row.row
        s = Sasaran(uraian=_clean(t1[1]), src=self._src(r))
        s.src.cells["uraian"] = self.addr(r, t1[0])
        self._extra_texts(s, row, 1, skip=t1[0])
        s.indikator = self._indikator(s, row, 2)
        self._targets_sasaran(s, row)
        self.rak.sasaran.append(s)
        self.s, self.p, self.k = s, None, None

    def _ensure_sasaran(self, r: int, c: int) -> Sasaran:
        if self.s is None:
            self.s = Sasaran(uraian=None, src=self._src(r))
            self.s.src.cells["uraian"] = self.addr(r, c)
            self.rak.sasaran.append(self.s)
        return self.s

    def _new_program(self, row: _Row, t4: tuple[int, str]) -> None:
        r = row.row
        s = self._ensure_sasaran(r, t4[0])
        p = Program(uraian=_clean(t4[1]), src=self._src(r))
        p.src.cells["uraian"] = self.addr(r, t4[0])
        self._extra_texts(p, row, 4, skip=t4[0])
        p.indikator = self._indikator(p, row, 5)
        self._targets_program(p, row)
        s.program.append(p)
        self.p, self.k = p, None

    def _new_kegiatan(self, row: _Row, t7: tuple[int, str]) -> None:
        r = row.row
        if self.p is None:
            s = self._ensure_sasaran(r, t7[0])
            self.p = Program(uraian=None, src=self._src(r))
            self.p.src.cells["uraian"] = self.addr(r, t7[0])
            s.program.append(self.p)
        k = Kegiatan(uraian=_clean(t7[1]), src=self._src(r))
        k.src.cells["uraian"] = self.addr(r, t7[0])
        k.src.shifted_from = row.shifted_from
        self._extra_texts(k, row, 7, skip=t7[0])
        k.indikator = self._indikator(k, row, 8)
        self._volume(k, row)
        self._targets_kegiatan(k, row)
        self._cash(k, row)
        self._ket(k, row)
        self._stray_cells(k, row.by_col.get(BEYOND, []), r)
        self.p.kegiatan.append(k)
        self.k = k

    def _extra_texts(
        self, item: Sasaran | Program | Kegiatan, row: _Row, n: int, skip: int
    ) -> None:
        self._stray_cells(item, [(c, v) for c, v in row.by_col.get(n, []) if c != skip], row.row)

    def _indikator(self, item: Sasaran | Program | Kegiatan, row: _Row, n: int) -> str | None:
        cells = row.by_col.get(n, [])
        item.src.cells["indikator"] = self.addr(row.row, cells[0][0] if cells else self.h.first(n))
        texts = [
            strip_list_number(_clean(str(v)))
            for _, v in cells
            if isinstance(v, str) and not is_dash(v)
        ]
        others = [(c, v) for c, v in cells if not isinstance(v, str)]
        self._stray_cells(item, others, row.row)
        return "; ".join(texts) if texts else None

    def _stray_cells(
        self,
        item: Sasaran | Program | Kegiatan | None,
        cells: Iterable[tuple[int, CellValue]],
        r: int,
    ) -> None:
        for c, v in cells:
            if isinstance(v, str) and is_dash(v):
                continue
            if item is None:
                self.rak.catatan_atas.append((_keep(v),))
                continue
            item.src.cells.setdefault(f"stray.{len(item.stray)}", self.addr(r, c))
            item.stray.append(_keep(v))

    # -- values ----------------------------------------------------------------------------
    def _number(self, value: CellValue) -> tuple[Number | None, str | None]:
        """(number, None) | (None, None) for empty/dash | (None, raw text) when unreadable."""
        if type(value) is float:  # the common case first (exact type: bool is an int)
            if -_MAX <= value <= _MAX:
                return (int(value) if value.is_integer() else normalize(value)), None
            return None, number_text(value)  # NaN, infinite or absurd: unreadable
        if isinstance(value, bool):
            return None, _keep(value).__str__()
        if isinstance(value, int | float):
            return (normalize(value), None) if in_range(value) else (None, number_text(value))
        if isinstance(value, str):
            if is_dash(value) or not value.strip():
                return None, None
            num = parse_number(value, self.conv)
            return (num, None) if num is not None and in_range(num) else (None, value.strip())
        if value is None:
            return None, None
        return None, str(_keep(value))

    def _volume(self, k: Kegiatan, row: _Row) -> None:
        cells = row.by_col.get(9, [])
        k.src.cells["volume"] = self.addr(row.row, cells[0][0] if cells else self.h.first(9))
        for c, v in cells:
            role = self.h.role.get(c)
            if isinstance(v, str) and is_dash(v):
                continue
            if role == "satuan" and isinstance(v, str) and k.satuan is None:
                k.satuan = _clean(v)
                k.src.cells["satuan"] = self.addr(row.row, c)
            elif isinstance(v, str) and k.volume is None and k.satuan is None:
                k.volume, k.satuan = split_volume(v, self.conv)
            elif isinstance(v, str) and k.volume is not None and k.satuan is None and _text(v):
                k.satuan = _clean(v)
            elif isinstance(v, int | float) and not isinstance(v, bool) and k.volume is None:
                k.volume, raw = self._number(v)
                if raw is not None:
                    k.raw["volume"] = raw
                k.src.cells["volume"] = self.addr(row.row, c)
            else:
                self._stray_cells(k, [(c, v)], row.row)

    def _apply_text_targets(
        self, item: Sasaran | Program | Kegiatan, text: str, where: str, quarter: int | None
    ) -> bool:
        """Apply ``TW n = x`` text; False when it is not target text at all."""
        t = parse_targets(text, self.conv)
        if not t.found:
            return False
        for q in t.labelled:
            item.target_tw[q] = t.tw[q]
            item.src.cells[f"target_tw.{q}"] = where
        if t.tahunan is not None and isinstance(item, Sasaran):
            item.target_tahunan = t.tahunan
            item.src.cells["target_tahunan"] = where
        if t.anggaran is not None and isinstance(item, Program):
            item.anggaran = t.anggaran
            item.src.cells["anggaran"] = where
        if not t.ok:
            key = "target_tw" if quarter is None else f"target_tw.{quarter}"
            item.raw[key] = text.strip()
        return True

    def _quarter_value(
        self, item: Sasaran | Program | Kegiatan, q: int, value: CellValue, where: str
    ) -> None:
        num, raw = self._number(value)
        if raw is not None:
            item.raw[f"target_tw.{q}"] = raw
        elif num is not None:
            item.target_tw[q] = num
        item.src.cells[f"target_tw.{q}"] = where

    def _quarter_column(
        self, item: Sasaran | Program | Kegiatan, c: int, v: CellValue, where: str
    ) -> bool:
        """A value in a sub-column labelled with its quarter (TW I .. TW IV)."""
        role = self.h.role.get(c, "")
        if not role.startswith("q"):
            return False
        if not (isinstance(v, str) and is_dash(v)):
            self._quarter_value(item, int(role[1]), v, where)
        return True

    def _targets_kegiatan(self, k: Kegiatan, row: _Row) -> None:
        r, cells = row.row, row.by_col.get(10, [])
        first = self.addr(r, cells[0][0] if cells else self.h.first(10))
        k.src.cells["target_tw"] = first
        k.src.cells["target_tw.0"] = first
        texts = [(c, v) for c, v in cells if isinstance(v, str) and _text(v)]
        has_text = any(parse_targets(v, self.conv).found for _, v in texts)
        numbers_used = False
        for c, v in cells:
            where = self.addr(r, c)
            if self._quarter_column(k, c, v, where):
                continue
            if isinstance(v, str) and _text(v):
                if not self._apply_text_targets(k, v, where, None):
                    k.raw["target_tw"] = v.strip()
            elif isinstance(v, str) and is_dash(v):
                continue
            elif not has_text and not numbers_used:
                self._quarter_value(k, 0, v, where)
                numbers_used = True
            else:
                self._stray_cells(k, [(c, v)], r)

    def _targets_sasaran(self, s: Sasaran, row: _Row) -> None:
        r, cells = row.row, row.by_col.get(3, [])
        first = self.addr(r, cells[0][0] if cells else self.h.first(3))
        s.src.cells.update({"target_tw": first, "target_tahunan": first, "target_tw.0": first})
        for c, v in cells:
            where, role = self.addr(r, c), self.h.role.get(c)
            if self._quarter_column(s, c, v, where):
                continue
            if isinstance(v, str) and _text(v):
                if not self._apply_text_targets(s, v, where, None):
                    s.raw["target_tw"] = v.strip()
                continue
            if isinstance(v, str) and is_dash(v):
                continue
            if role == "tw" or (role is None and s.target_tahunan is not None):
                self._quarter_value(s, 0, v, where)
                continue
            num, raw = self._number(v)
            if raw is not None:
                s.raw["target_tahunan"] = raw
            s.target_tahunan = num
            s.src.cells["target_tahunan"] = where

    def _targets_program(self, p: Program, row: _Row) -> None:
        r, cells = row.row, row.by_col.get(6, [])
        first = self.addr(r, cells[0][0] if cells else self.h.first(6))
        p.src.cells.update({"target_tw": first, "target_tw.0": first, "anggaran": first})
        anggaran_cols = [c for c in self.h.cols[6] if self.h.role.get(c) == "anggaran"]
        if anggaran_cols:
            p.src.cells["anggaran"] = self.addr(r, anggaran_cols[0])
        plain = [
            (c, v)
            for c, v in cells
            if not (isinstance(v, str) and (_text(v) or is_dash(v)))
            and not self.h.role.get(c, "").startswith("q")
        ]
        for c, v in cells:
            where, role = self.addr(r, c), self.h.role.get(c)
            if self._quarter_column(p, c, v, where):
                continue
            if isinstance(v, str) and is_dash(v):
                continue
            if isinstance(v, str) and _text(v):
                if not self._apply_text_targets(p, v, where, None):
                    p.raw["target_tw"] = v.strip()
                continue
            num, raw = self._number(v)
            is_money = role == "anggaran" or (
                role is None
                and (
                    (len(plain) >= 2 and (c, v) == plain[-1])
                    or (len(plain) == 1 and num is not None and abs(num) >= 100_000)
                )
            )
            if is_money and p.anggaran is None:
                p.anggaran = num
                if raw is not None:
                    p.raw["anggaran"] = raw
                p.src.cells["anggaran"] = where
            elif p.target_tw[0] is None and "target_tw.0" not in p.raw:
                self._quarter_value(p, 0, v, where)
            else:
                self._stray_cells(p, [(c, v)], r)

    def _cash(self, k: Kegiatan, row: _Row) -> None:
        r = row.row
        at, kas, letters, rs, by_col = k.src.cells, k.kas_bulanan, self._letters, str(r), row.by_col
        for i, key, n, empty in self._months:
            cells = by_col.get(n)
            if not cells:  # else the first cell below names it (one address, not two)
                at[key] = empty + rs if empty else self.addr(r, self.h.first(n))
                continue
            if len(cells) == 1 and type(v := cells[0][1]) is float and -_MAX <= v <= _MAX:
                # The common case (one number), as the loop below would do it, minus calls.
                c = cells[0][0]
                at[key] = letters[c] + rs if 0 < c < len(letters) else self.addr(r, c)
                kas[i] = int(v) if v.is_integer() else normalize(v)
                continue
            placed = False
            for c, v in cells:
                if placed:
                    self._stray_cells(k, [(c, v)], r)
                    continue
                num, raw = self._number(v)
                k.src.cells[key] = self.addr(r, c)
                k.kas_bulanan[i] = num if num is not None else 0
                if raw is not None:
                    k.raw[key] = raw
                placed = not (isinstance(v, str) and is_dash(v))

    def _ket(self, k: Kegiatan, row: _Row) -> None:
        cells = row.by_col.get(COL_KET, [])
        k.src.cells["ket"] = self.addr(row.row, cells[0][0] if cells else self.h.first(COL_KET))
        for c, v in cells:
            if isinstance(v, str) and not is_dash(v) and _text(v) and k.ket is None:
                # Lines kept: a KET word on a line of its own overrides the kind.
                k.ket = "\n".join(filter(None, map(_clean, v.splitlines())))
                k.src.cells["ket"] = self.addr(row.row, c)
            else:
                self._stray_cells(k, [(c, v)], row.row)

    # -- continuation rows (TW 2..4 on rows of their own, stray values) ---------------------
    def _continuation(self, row: _Row, logical: range) -> None:
        r = row.row
        by_col = row.by_col
        if len(logical) < len(by_col):
            # A few columns of a full row (the sasaran/program columns of a kegiatan row):
            # look those up rather than sort and skip the whole row. Same order.
            keys: Iterable[int] = [n for n in logical if n in by_col]
        else:
            keys = sorted(by_col) if len(by_col) > 1 else by_col
        for n in keys:
            if n not in logical:
                continue
            cells = by_col[n]
            owner = self.s if n == 3 else self.p if n == 6 else self.k if n == 10 else None
            if owner is None:
                deepest = self.k or self.p or self.s
                if n in (2, 5, 8) and deepest is not None:
                    item = {2: self.s, 5: self.p, 8: self.k}[n]
                    texts = [_clean(str(v)) for _, v in cells if isinstance(v, str) and _text(v)]
                    if item is not None and texts:
                        item.indikator = "; ".join(
                            [*([item.indikator] if item.indikator else []), *texts]
                        )
                        cells = [(c, v) for c, v in cells if not (isinstance(v, str) and _text(v))]
                self._stray_cells(deepest, cells, r)
                continue
            q = r - owner.src.row
            for c, v in cells:
                if type(v) is float and 0 < q < 4 and -_MAX <= v <= _MAX:
                    # A number on TW 2..4's own row (most of a large sheet): as below, inline.
                    if (
                        self.h.role.get(c) in ("anggaran", "tahunan")
                        or owner.target_tw[q] is not None
                    ):
                        self._stray_cells(owner, [(c, v)], r)
                    else:
                        owner.target_tw[q] = int(v) if v.is_integer() else normalize(v)
                        owner.src.cells[_TW_KEYS[q]] = self.addr(r, c)
                    continue
                where = self.addr(r, c)
                if isinstance(v, str) and is_dash(v):
                    continue
                if isinstance(v, str) and _text(v):
                    quarter = q if 0 < q < 4 else None
                    if self._apply_text_targets(owner, v, where, quarter):
                        continue
                    if quarter is not None and f"target_tw.{q}" not in owner.raw:
                        owner.raw[f"target_tw.{q}"] = v.strip()  # unreadable target text
                        owner.src.cells[f"target_tw.{q}"] = where
                    else:
                        self._stray_cells(owner, [(c, v)], r)
                    continue
                role = self.h.role.get(c)
                if (
                    role in ("anggaran", "tahunan")
                    or not 0 < q < 4
                    or owner.target_tw[q] is not None
                ):
                    self._stray_cells(owner, [(c, v)], r)
                else:
                    self._quarter_value(owner, q, v, where)


def read_rak(grid: Grid, header: Header | None = None) -> Rak:
    """Read the RAK table of ``grid``; raises NoRakTable when there is none.

    ``header``: ``find_header(grid)`` when the caller already has it (``load_grid`` finds it
    to choose the sheet); it is searched for otherwise.
    """
    if header is None:
        header = find_header(grid)
    if header is None:
        raise NoRakTable(
            f"Sheet '{grid.sheet}' tidak berisi tabel RAK: baris penomoran kolom 1 sampai 23 "
            "tidak ditemukan."
        )
    return _Reader(grid, header).read()


def iter_items(rak: Rak) -> Iterator[Sasaran | Program | Kegiatan]:
    """Every sasaran, program and kegiatan in sheet order."""
    for s in rak.sasaran:
        yield s
        for p in s.program:
            yield p
            yield from p.kegiatan
