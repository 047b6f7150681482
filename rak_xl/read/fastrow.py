"""The common kegiatan row, read in one pass: what ``Fields`` would read, without its
generality (a large sheet is almost only such rows).

A row qualifies when each of its kegiatan columns holds at most the one value of the
plain case: the uraian text; an indikator text; Vol. & Sat. as one text, or a number and
a unit; one target text or one number (TW 1 of a target column laid out one row per
quarter); a number or nothing in each month (each month one physical column, read
straight from the grid row); a KET text; nothing right of the table. The sasaran and
program columns are the caller's (``plain`` tells a row plain from the grid row alone
only when they are empty). Anything else (two values in a column, text in a month, a
quarter's own column, stray values) returns None and the row takes the general path.
``tests/test_fast_paths.py`` checks that both read every row alike, cell addresses
included.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from rak_xl.model import Kegiatan, Number, Source
from rak_xl.numbers import Targets, is_dash, normalize, split_volume, strip_list_number
from rak_xl.read.cells import Cells, SheetCells, clean, text_of
from rak_xl.read.fields import MAX_FLOAT, Fields, float_number
from rak_xl.read.header import Header
from rak_xl.read.rows import Row
from rak_xl.sheet_spec import BEYOND, KAS_COLS, LogicalCol

__all__ = ["FastKegiatan", "PlainRow", "QuarterRow"]

K_URAIAN, K_INDIKATOR = LogicalCol.K_URAIAN, LogicalCol.K_INDIKATOR
K_VOLUME, K_TARGET, KET = LogicalCol.K_VOLUME, LogicalCol.K_TARGET, LogicalCol.KET
_KAS_KEYS = tuple(f"kas_bulanan.{i}" for i in range(12))
_TW_KEYS = tuple(f"target_tw.{q}" for q in range(4))


class PlainRow(NamedTuple):
    """A plain kegiatan row: its uraian (column, text) and the cells of its columns."""

    row: int
    uraian: tuple[int, str]
    indikator: Cells | None
    volume: Cells | None
    target: Cells | None
    ket: Cells | None
    number_texts: list[str] | None = None  # as ``Row.number_texts`` (the convention vote)
    months: Sequence[Any] | None = None  # the twelve month values (else read from the grid)


class QuarterRow(NamedTuple):
    """A row holding nothing but one number in the (one physical) target column: a
    quarter's target on a row of its own (TW 2..4 of the official layout)."""

    row: int
    col: int
    value: float
    number_texts: None = None  # as ``Row.number_texts``: a number has no text to vote


class FastKegiatan:
    """Reads plain kegiatan rows (module doc) of one sheet; None for any other row."""

    def __init__(
        self, sheet: SheetCells, header: Header, fields: Fields, logical: Sequence[int]
    ) -> None:
        """``logical``: the logical column of each physical column (``RowSplitter``'s)."""
        # The 2020 form's rows only: in the 4-level form the kegiatan columns (left of the
        # sub kegiatan's) make no row plain, and ``Reader4`` reads every row itself.
        self.enabled = header.form.tingkat == 3
        self.f = fields
        self.sheet = sheet.grid.sheet
        self.grid_rows, self.first_row = sheet.grid.rows, sheet.grid.first_row
        self.role = header.role
        letters = sheet.letters

        def letter(c: int) -> str:
            return letters[c] if 0 < c < len(letters) else ""

        self.first = {n: letter(header.first(n)) for n in (K_INDIKATOR, K_VOLUME, K_TARGET, KET)}
        months = [header.cols[n] for n in KAS_COLS]
        # Each month one physical column, inside the cached letters: read from the grid row
        # by one C-level lookup (else None: every row takes the general cash reading).
        self.month_letters: tuple[str, ...] | None = None
        if all(len(cs) == 1 and letter(cs[0]) for cs in months):
            self.month_letters = tuple(letter(cs[0]) for cs in months)
            self.months = itemgetter(*(cs[0] - sheet.grid.first_col for cs in months))
        self.letters = letter
        # The letter of each kegiatan column (every cell this class reads is in one): a
        # dict lookup rather than a call per address.
        self.letter = {
            c: letter(c)
            for n in (K_URAIAN, K_INDIKATOR, K_VOLUME, K_TARGET, KET)
            for c in header.cols[n]
        }
        # Where a plain row is told from the grid row itself (``plain``), 0-based within
        # a grid row: the sasaran and program columns, those right of the table, and the
        # (column, index) pairs of each kegiatan column.
        fc = sheet.grid.first_col
        self.left = slice(header.first(LogicalCol.S_URAIAN) - fc, header.first(K_URAIAN) - fc)
        self.beyond = [c - fc for c, n in enumerate(logical) if n == BEYOND and c >= fc]
        self.k_cols = tuple(
            tuple((c, c - fc) for c in header.cols[n])
            for n in (K_URAIAN, K_INDIKATOR, K_VOLUME, K_TARGET, KET)
        )
        # The columns after the uraian: their values taken from the grid row by one
        # C-level lookup, each then given to its logical column (0..3; a column may span
        # several physical ones: Vol. and Sat. apart, a merged column). A row shorter
        # than ``all_end`` is padded first.
        flat = [(g, c, j) for g, cols in enumerate(self.k_cols[1:]) for c, j in cols]
        self.all_group = tuple(g for g, _, _ in flat)
        self.all_cols = tuple(c for _, c, _ in flat)
        self.all_end = max(j for _, _, j in flat)
        self.all_each = itemgetter(*(j for _, _, j in flat))
        target = header.cols[K_TARGET]
        self.target = (target[0], target[0] - fc) if len(target) == 1 else None
        # What a text is to this reader, per distinct text (sheets repeat them).
        self._indikator: dict[str, str | None] = {}
        self._ket: dict[str, str | None] = {}
        self._volume: dict[str, tuple[Number | None, str | None]] = {}
        self._target_text: dict[str, Targets | bool] = {}
        self._tw_letters: dict[str, tuple[str, ...]] = {}
        self._ints: dict[float, Number] = {}  # each integral month amount seen, as an int

    def quick(self, r: int) -> PlainRow | QuarterRow | Row | None:
        """Sheet row ``r`` as ``split`` would give it, told from its grid row alone when
        that is quick: an empty row, a quarter's target row, a plain kegiatan row; None
        for any other row (split it)."""
        i = r - self.first_row
        if not self.enabled or not 0 <= i < len(self.grid_rows):
            return None
        values = self.grid_rows[i]
        n = len(values)
        empty = values.count(None)
        if empty == n:
            return Row(r, {}, None, False, None)
        if empty == n - 1 and self.target is not None and self.target[1] < n:
            v = values[self.target[1]]
            if type(v) is float:
                return QuarterRow(r, self.target[0], v)
        return self.plain(r, values)

    def plain(self, r: int, values: list[Any]) -> PlainRow | None:
        """Sheet row ``r`` (its grid row ``values``) when it looks plain from its grid row
        alone (what ``split`` would give its kegiatan columns, without splitting the row);
        None otherwise. ``read_plain`` may still find it is not (then the row is split as
        any other)."""
        if self.month_letters is None:
            return None
        n = len(values)
        # Most rows that are not plain have no uraian (a quarter's row, a spacer): asked first.
        if len(self.k_cols[0]) == 1:  # one physical uraian column (most layouts)
            c, j = self.k_cols[0][0]
            if j >= n or (text := text_of(values[j])) is None:
                return None
        else:
            uraian: Cells = [
                (c, v) for c, j in self.k_cols[0] if j < n and (v := values[j]) is not None
            ]
            if len(uraian) != 1 or (text := text_of(uraian[0][1])) is None:
                return None
            c = uraian[0][0]
        left = values[self.left]
        if left.count(None) != len(left):
            return None  # a sasaran or program starts (or continues) here
        if self.beyond and any(values[j] is not None for j in self.beyond if j < n):
            return None
        try:
            months = self.months(values)
        except IndexError:  # a short (ragged) row
            return None
        if str in map(type, months):
            return None  # text in a month: the convention vote and the general reading
        # (A blank text, which ``split`` leaves out, is refused by ``read_plain``.)
        indikator, volume, target, ket = self._kegiatan_cells(values, n)
        if indikator is volume is None:
            return None  # a row ``is_total`` would look at
        texts = [v for _, v in volume if type(v) is str] if volume else None
        return PlainRow(r, (c, text), indikator, volume, target, ket, texts or None, months)

    def _kegiatan_cells(self, values: list[Any], n: int) -> list[Cells | None]:
        """The cells of the indikator, volume, target and KET columns of grid row
        ``values`` (``n`` long), as ``split`` groups them (None: no cell)."""
        if n <= self.all_end:  # a short row (its last cells empty, KET most often)
            values = values + [None] * (self.all_end + 1 - n)
        out: list[Cells | None] = [None, None, None, None]
        for g, c, v in zip(self.all_group, self.all_cols, self.all_each(values), strict=True):
            if v is not None:
                cells = out[g]
                if cells is None:
                    out[g] = [(c, v)]
                else:
                    cells.append((c, v))
        return out

    def read(self, row: Row, uraian: tuple[int, str]) -> Kegiatan | None:
        """The kegiatan of plain row ``row`` (its uraian cell and text ``uraian``), or
        None when the row is not plain."""
        by_col = row.by_col
        # The sasaran and program columns are read by the caller (a first row of theirs).
        if BEYOND in by_col or len(by_col[K_URAIAN]) != 1:
            return None
        got = by_col.get
        return self.read_plain(
            PlainRow(row.row, uraian, got(K_INDIKATOR), got(K_VOLUME), got(K_TARGET), got(KET))
        )

    def read_plain(self, p: PlainRow) -> Kegiatan | None:
        """The kegiatan of a plain row, or None when it is not one after all."""
        r = p.row
        rs = str(r)
        # All fields given: no default factory runs (the months are set by ``_cash_of``).
        at = {"uraian": self.letter[p.uraian[0]] + rs}  # the cells written now (``defer``)
        src = Source(self.sheet, r, at)
        k = Kegiatan(clean(p.uraian[1]), None, None, None, [None] * 4, [], None, {}, [], src)
        if not (
            self._indikator_of(k, at, p.indikator, rs)
            and self._volume_of(k, at, p.volume, rs)
            and self._target_of(k, at, p.target, rs)
            and self._ket_of(k, at, p.ket, rs)
            and self._cash_of(k, r, rs, p.months)
        ):
            return None
        return k

    # -- the fields (False: not the plain case) ---------------------------------------------
    def _indikator_of(self, k: Kegiatan, at: dict[str, str], cells: Cells | None, rs: str) -> bool:
        if cells is None:
            at["indikator"] = self.first[K_INDIKATOR] + rs
            return True
        if len(cells) != 1 or type(v := cells[0][1]) is not str or not v.strip():
            return False
        at["indikator"] = self.letter[cells[0][0]] + rs
        text = self._indikator.get(v, "")
        if text == "":
            text = self._indikator[v] = None if is_dash(v) else strip_list_number(clean(v))
        k.indikator = text
        return True

    def _volume_of(self, k: Kegiatan, at: dict[str, str], cells: Cells | None, rs: str) -> bool:
        if cells is None:
            at["volume"] = self.first[K_VOLUME] + rs
            return True
        c, v = cells[0]
        at["volume"] = self.letter[c] + rs
        role = self.role.get(c)
        if len(cells) == 1 and type(v) is str:
            if is_dash(v):
                return True
            if not v.strip():
                return False  # a blank text: no value to ``split``
            if role == "satuan":
                k.satuan = clean(v)
                at["satuan"] = at["volume"]
                return True
            got = self._volume.get(v)
            if got is None:
                got = self._volume[v] = split_volume(v, self.f.conv)
            k.volume, k.satuan = got
            return True
        if type(v) is not float or not -MAX_FLOAT <= v <= MAX_FLOAT:
            return False
        k.volume = float_number(v)
        if len(cells) == 1:
            return True
        c2, unit = cells[1]
        if len(cells) != 2 or type(unit) is not str or not text_of(unit):
            return False
        k.satuan = clean(unit)
        if self.role.get(c2) == "satuan":
            at["satuan"] = self.letter[c2] + rs
        return True

    def _target_of(self, k: Kegiatan, at: dict[str, str], cells: Cells | None, rs: str) -> bool:
        if cells is None:
            at["target_tw"] = at["target_tw.0"] = self.first[K_TARGET] + rs
            return True
        if len(cells) != 1:
            return False
        c, v = cells[0]
        if self.role.get(c, "").startswith("q"):
            return False  # a quarter's own column
        letter = self.letter[c]
        where = at["target_tw"] = at["target_tw.0"] = letter + rs
        if type(v) is float:
            if not -MAX_FLOAT <= v <= MAX_FLOAT:
                return False
            k.target_tw[0] = float_number(v)
            return True
        if type(v) is not str:
            return False
        t = self._target_text.get(v)
        if t is None:  # what this text is, once per distinct text
            t = self._target_text[v] = self.f.targets_of(v) if text_of(v) else is_dash(v)
        if type(t) is bool:
            return t  # a dash: nothing; a number as text or a blank: the general reading
        if not t.found:
            k.raw["target_tw"] = v.strip()
            return True
        if len(t.labelled) == 4:  # the common text names all four quarters
            k.target_tw = list(t.tw)
            k.src.defer(_TW_KEYS, self._target_letters(letter))
        else:
            tw = k.target_tw
            for q in t.labelled:
                tw[q] = t.tw[q]
                at[_TW_KEYS[q]] = where
        if not t.ok:
            k.raw["target_tw"] = v.strip()
        return True

    def _ket_of(self, k: Kegiatan, at: dict[str, str], cells: Cells | None, rs: str) -> bool:
        if cells is None:
            at["ket"] = self.first[KET] + rs
            return True
        if len(cells) != 1 or type(v := cells[0][1]) is not str:
            return False
        at["ket"] = self.letter[cells[0][0]] + rs
        text = self._ket.get(v, "")
        if text == "":
            lines = list(filter(None, map(clean, v.splitlines()))) if text_of(v) else None
            if lines is None and not is_dash(v):
                return False  # a number as text: a stray value (general path)
            text = self._ket[v] = "\n".join(lines) if lines else None
        k.ket = text
        return True

    def _cash_of(self, k: Kegiatan, r: int, rs: str, values: Sequence[Any] | None) -> bool:
        """The twelve months (``values``: as ``plain`` took them from the grid row, else
        taken here): numbers or empty cells only."""
        if self.month_letters is None:
            return False
        if values is None:
            try:
                values = self.months(self.grid_rows[r - self.first_row])
            except IndexError:  # a short (ragged) row
                return False
        if None in values:
            values = [0.0 if v is None else v for v in values]
        try:
            # A float method on every value: TypeError for text, a date, a boolean, an
            # int (the general reading says what those are); False for NaN, infinities
            # and fractions.
            integral = all(list(map(float.is_integer, values)))  # every one, then all
        except TypeError:
            return False
        kas: list[Number]
        if integral:
            # Amounts repeat (0 most of all): each distinct one is range-checked and
            # converted once, then looked up at C speed.
            ints = self._ints
            try:
                kas = list(map(ints.__getitem__, values))
            except KeyError:
                if max(values) > MAX_FLOAT or min(values) < -MAX_FLOAT:
                    return False
                kas = list(map(int, values))
                ints.update(zip(values, kas, strict=True))
        else:
            if not all(map(math.isfinite, values)):
                return False
            if max(values) > MAX_FLOAT or min(values) < -MAX_FLOAT:
                return False
            kas = [int(v) if v.is_integer() else normalize(v) for v in values]
        k.kas_bulanan = kas
        k.src.defer(_KAS_KEYS, self.month_letters)
        return True

    def _target_letters(self, letter: str) -> tuple[str, ...]:
        """``letter`` four times (the quarters' cells of a one-cell target text), one
        tuple per column."""
        got = self._tw_letters.get(letter)
        if got is None:
            got = self._tw_letters[letter] = (letter,) * 4
        return got
