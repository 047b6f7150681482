"""The common kegiatan row, read in one pass: what ``Fields`` would read, without its
generality (a large sheet is almost only such rows).

A row qualifies when each of its kegiatan columns holds at most the one value of the
plain case: the uraian text; an indikator text; Vol. & Sat. as one text, or a number and
a unit; one target text or one number (TW 1 of a target column laid out one row per
quarter); a number or nothing in each month (each month one physical column, read
straight from the grid row); a KET text; nothing in the sasaran and program columns and
nothing right of the table. Anything else (two values in a column, text in a month, a
quarter's own column, stray values) returns None and the row takes the general path.
``tests/test_fast_paths.py`` checks that both read every row alike, cell addresses
included.
"""

from __future__ import annotations

from itertools import repeat
from operator import add, itemgetter

from rak_xl.model import Kegiatan, Number, Source
from rak_xl.numbers import is_dash, normalize, split_volume, strip_list_number
from rak_xl.read.cells import Cells, SheetCells, clean, text_of
from rak_xl.read.fields import MAX_FLOAT, Fields, float_number
from rak_xl.read.header import Header
from rak_xl.read.rows import Row
from rak_xl.sheet_spec import KAS_COLS, LogicalCol

__all__ = ["FastKegiatan"]

K_URAIAN, K_INDIKATOR = LogicalCol.K_URAIAN, LogicalCol.K_INDIKATOR
K_VOLUME, K_TARGET, KET = LogicalCol.K_VOLUME, LogicalCol.K_TARGET, LogicalCol.KET
_KAS_KEYS = tuple(f"kas_bulanan.{i}" for i in range(12))
_TW_KEYS = tuple(f"target_tw.{q}" for q in range(4))
# The columns a plain kegiatan row may fill (and the months, read from the grid row).
_PLAIN = frozenset((K_URAIAN, K_INDIKATOR, K_VOLUME, K_TARGET, *KAS_COLS, KET))


class FastKegiatan:
    """Reads plain kegiatan rows (module doc) of one sheet; None for any other row."""

    def __init__(self, sheet: SheetCells, header: Header, fields: Fields) -> None:
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
        # What a text is to this reader, per distinct text (sheets repeat them).
        self._indikator: dict[str, str | None] = {}
        self._ket: dict[str, str | None] = {}
        self._volume: dict[str, tuple[Number | None, str | None]] = {}

    def read(self, row: Row, uraian: tuple[int, str]) -> Kegiatan | None:
        """The kegiatan of plain row ``row`` (its uraian cell and text ``uraian``), or
        None when the row is not plain."""
        by_col = row.by_col
        if not _PLAIN.issuperset(by_col) or len(by_col[K_URAIAN]) != 1:
            return None
        r = row.row
        rs = str(r)
        k = Kegiatan(uraian=clean(uraian[1]), src=Source(sheet=self.sheet, row=r))
        at = k.src.cells
        at["uraian"] = self.letters(uraian[0]) + rs
        if not (
            self._indikator_of(k, by_col.get(K_INDIKATOR), rs)
            and self._volume_of(k, by_col.get(K_VOLUME), rs)
            and self._target_of(k, by_col.get(K_TARGET), rs)
            and self._ket_of(k, by_col.get(KET), rs)
            and self._cash_of(k, r, rs)
        ):
            return None
        return k

    # -- the fields (False: not the plain case) ---------------------------------------------
    def _indikator_of(self, k: Kegiatan, cells: Cells | None, rs: str) -> bool:
        if cells is None:
            k.src.cells["indikator"] = self.first[K_INDIKATOR] + rs
            return True
        if len(cells) != 1 or type(v := cells[0][1]) is not str:
            return False
        k.src.cells["indikator"] = self.letters(cells[0][0]) + rs
        text = self._indikator.get(v, "")
        if text == "":
            text = self._indikator[v] = None if is_dash(v) else strip_list_number(clean(v))
        k.indikator = text
        return True

    def _volume_of(self, k: Kegiatan, cells: Cells | None, rs: str) -> bool:
        at = k.src.cells
        if cells is None:
            at["volume"] = self.first[K_VOLUME] + rs
            return True
        c, v = cells[0]
        at["volume"] = self.letters(c) + rs
        role = self.role.get(c)
        if len(cells) == 1 and type(v) is str:
            if is_dash(v):
                return True
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
            at["satuan"] = self.letters(c2) + rs
        return True

    def _target_of(self, k: Kegiatan, cells: Cells | None, rs: str) -> bool:
        at = k.src.cells
        if cells is None:
            at["target_tw"] = at["target_tw.0"] = self.first[K_TARGET] + rs
            return True
        if len(cells) != 1:
            return False
        c, v = cells[0]
        if self.role.get(c, "").startswith("q"):
            return False  # a quarter's own column
        where = at["target_tw"] = at["target_tw.0"] = self.letters(c) + rs
        if type(v) is float:
            if not -MAX_FLOAT <= v <= MAX_FLOAT:
                return False
            k.target_tw[0] = float_number(v)
            return True
        if type(v) is not str or not text_of(v):
            return type(v) is str and is_dash(v)  # a dash: nothing; a number as text: general
        t = self.f.targets_of(v)
        if not t.found:
            k.raw["target_tw"] = v.strip()
            return True
        tw = k.target_tw
        for q in t.labelled:
            tw[q] = t.tw[q]
            at[_TW_KEYS[q]] = where
        if not t.ok:
            k.raw["target_tw"] = v.strip()
        return True

    def _ket_of(self, k: Kegiatan, cells: Cells | None, rs: str) -> bool:
        if cells is None:
            k.src.cells["ket"] = self.first[KET] + rs
            return True
        if len(cells) != 1 or type(v := cells[0][1]) is not str:
            return False
        k.src.cells["ket"] = self.letters(cells[0][0]) + rs
        text = self._ket.get(v, "")
        if text == "":
            lines = list(filter(None, map(clean, v.splitlines()))) if text_of(v) else None
            if lines is None and not is_dash(v):
                return False  # a number as text: a stray value (general path)
            text = self._ket[v] = "\n".join(lines) if lines else None
        k.ket = text
        return True

    def _cash_of(self, k: Kegiatan, r: int, rs: str) -> bool:
        """The twelve months from the grid row: numbers or empty cells only."""
        if self.month_letters is None:
            return False
        try:
            values = list(self.months(self.grid_rows[r - self.first_row]))
        except IndexError:  # a short (ragged) row
            return False
        at = k.src.cells
        at.update(zip(_KAS_KEYS, map(add, self.month_letters, repeat(rs)), strict=False))
        if None in values:
            values = [0.0 if v is None else v for v in values]
        if set(map(type, values)) != {float}:
            return False  # text, a date, a boolean: the general reading says what it is
        try:
            whole: list[Number] = list(map(int, values))  # NaN and infinities raise
        except (ValueError, OverflowError):
            return False
        if not (max(values) <= MAX_FLOAT and min(values) >= -MAX_FLOAT):
            return False
        if whole == values:
            k.kas_bulanan = whole
        else:
            k.kas_bulanan = [
                i if i == v else normalize(v) for i, v in zip(whole, values, strict=True)
            ]
        return True
