"""The 4-level form (since 2021): Sasaran > Program > Kegiatan > Sub Kegiatan.

The header (``header.py``) gives this form's columns the reader's ids: sasaran and program
as in 2020, the kegiatan ``KegiatanCol`` (Kode | Uraian, indikator, Target TW |
Anggaran), the sub kegiatan the 2020 kegiatan's ids 7..23 (Kode | Uraian, indikator,
Vol. | Sat., Target TW | Anggaran, months, KET). ``Reader4`` adds the kegiatan level and
the codes to the 2020 reader; everything else (continuation rows, targets one row per
quarter, stray values, totals rows, rows sitting sideways) is the 2020 reader's.

What a row holds:

- text in an uraian column (or a code in its Kode sub-column next to a name) starts that
  item; the months, KET and stray values of a row belong to the deepest item it starts
  or continues (the sub kegiatan, else the kegiatan);
- a kegiatan without a sub kegiatan on its row (a kegiatan with none at all, or a tree-style
  sheet) keeps the volume, months and KET written on its row as its own; the sub
  kegiatan's indikator and target cells there belong to nobody: kept as stray values;
- a sub kegiatan before any kegiatan gets a placeholder kegiatan (``struct.orphan-row``);
- the code: from the Kode sub-column; else a code at the front of the name
  (``2.08.01.2.01.01 Penyusunan ...``), or a whole code as the first of two texts of an
  uraian column without a Kode label. A code cell holding a number (Excel turned ``2.10``
  into 2.1) is kept as its text, and ``struct.code-invalid`` says so.
"""

from __future__ import annotations

from typing import NamedTuple

from rak_xl.grid import Grid
from rak_xl.kode import kode_level, split_front
from rak_xl.model import Kegiatan, Program, SubKegiatan
from rak_xl.numbers import is_dash
from rak_xl.read.cells import Cells, clean, keep, text_of
from rak_xl.read.header import Header
from rak_xl.read.reader import _Reader
from rak_xl.read.rows import Row, is_total, shift
from rak_xl.sheet_spec import BEYOND, KegiatanCol, LogicalCol

__all__ = ["Reader4"]

S_URAIAN, P_URAIAN, K_URAIAN = LogicalCol.S_URAIAN, LogicalCol.P_URAIAN, LogicalCol.K_URAIAN
K_INDIKATOR, K_VOLUME, K_TARGET = LogicalCol.K_INDIKATOR, LogicalCol.K_VOLUME, LogicalCol.K_TARGET
KG_URAIAN, KG_INDIKATOR, KG_TARGET = KegiatanCol.URAIAN, KegiatanCol.INDIKATOR, KegiatanCol.TARGET
_SASARAN_COLS = tuple(range(S_URAIAN, P_URAIAN))
_PROGRAM_COLS = tuple(range(P_URAIAN, K_URAIAN))
_KEGIATAN_COLS = tuple(KegiatanCol)
_SUB_COLS = tuple(range(K_URAIAN, BEYOND + 1))
_ALL = (*_SASARAN_COLS, *_PROGRAM_COLS, *_KEGIATAN_COLS, *_SUB_COLS)
# Columns of a kegiatan's own row (no sub kegiatan on it) that belong to nobody.
_NOT_KEGIATAN = (K_URAIAN, K_INDIKATOR, K_TARGET, BEYOND)
_FAR = 1 << 30

_URAIAN_COLS = (P_URAIAN, KG_URAIAN, K_URAIAN)


class Named(NamedTuple):
    """An uraian column's code and name, each (column, text), and its cells without the
    code's own cell (None when no cell holds only the code)."""

    kode: tuple[int, str] | None
    name: tuple[int, str] | None
    rest: Cells | None


_NO_NAME = Named(None, None, None)


class Reader4(_Reader):
    """Reads the 4-level form (see the module docstring)."""

    def __init__(self, grid: Grid, header: Header) -> None:
        super().__init__(grid, header)
        rank = {n: cols[0] for n, cols in header.cols.items()}
        # Continuation cells in sheet order: the kegiatan's ids sort after BEYOND.
        self.order = lambda n: rank.get(n, _FAR)

    # -- one row ---------------------------------------------------------------------
    def _row(self, row: Row) -> None:
        if not row.by_col:
            return
        if not row.has_text:
            self._continuation(row, _ALL)
            return
        if is_total(row):
            return
        t1 = self._unless_continued(row, S_URAIAN, self.s)
        self._unless_continued(row, P_URAIAN, self.p)  # a name repeated on a new page
        p_named, kg_named, sk_named = (self._named(row, n) for n in _URAIAN_COLS)
        t4, tkg, t7 = p_named.name, kg_named.name, sk_named.name
        if not (t7 or tkg or sk_named.kode or any(n in row.by_col for n in _KEGIATAN_COLS)):
            shifted = shift(row, self.addr)  # a sub kegiatan row sitting sideways
            if shifted is not None:
                row, t1, t4, t7 = shifted, None, None, shifted.first_text(K_URAIAN)
                sk_named = _NO_NAME
        if not (t1 or t4 or tkg or t7):
            self._continuation(row, _ALL)
            return
        # The items starting here: their code cells are theirs, not stray values.
        for n, named in zip(_URAIAN_COLS, (p_named, kg_named, sk_named), strict=True):
            if named.name and named.rest is not None:
                row.by_col[n] = named.rest
        if t1:
            self._new_sasaran(row, t1)
        else:
            self._continuation(row, _SASARAN_COLS)
        if t4:
            self._new_program(row, t4)
            self._set_kode(self.p, p_named.kode, row.row)
        elif t1:
            self.f.stray_cells(self.s, self._cells_of(row, _PROGRAM_COLS), row.row)
        else:
            self._continuation(row, _PROGRAM_COLS)
        if tkg:
            self._new_kegiatan4(row, tkg, kg_named.kode)
        elif t1 or t4:
            self.kg = None
            self.f.stray_cells(self.p or self.s, self._cells_of(row, _KEGIATAN_COLS), row.row)
        else:
            self._continuation(row, _KEGIATAN_COLS)
        if t7:
            self._new_sub(row, t7, sk_named.kode)
        elif tkg and self.kg is not None:
            self._kegiatan_own(self.kg, row)
        else:
            self.k = None
            self.f.stray_cells(self.p or self.s, self._cells_of(row, _SUB_COLS), row.row)

    # -- codes -----------------------------------------------------------------------
    def _named(self, row: Row, n: int) -> Named:
        """The code and the name in uraian column ``n``, and the column's cells without the
        code's own cell (None: the same cells)."""
        cells = row.by_col.get(n)
        if not cells:
            return _NO_NAME
        role = self.h.role
        kode: tuple[int, str] | None = None
        rest: Cells = []
        for c, v in cells:
            if role.get(c) == "kode" and kode is None and not _empty(v):
                kode = (c, clean(str(keep(v))))
            else:
                rest.append((c, v))
        name = next(((c, t) for c, v in rest if (t := text_of(v))), None)
        if name is None and kode is not None:
            # Only the code is written: the item starts here, its name is missing
            # (``struct.name-missing``, at the uraian cell).
            at = next((c for c in self.h.cols[n] if role.get(c) != "kode"), kode[0])
            return Named(kode, (at, ""), rest if len(rest) != len(cells) else None)
        if kode is None and name is not None:
            front = split_front(name[1])
            if front is not None:
                kode, name = (name[0], front[0]), (name[0], front[1])
            elif kode_level(name[1]) is not None and not any(role.get(c) for c, _ in cells):
                # "2.08.01 | Program ..." in two unlabelled cells of the column.
                second = next(((c, t) for c, v in rest if (t := text_of(v)) and c != name[0]), None)
                if second is not None:
                    kode, name = name, second
                    rest = [(c, v) for c, v in rest if c != kode[0]]
        return Named(kode, name, rest if len(rest) != len(cells) else None)

    def _set_kode(
        self, item: Program | Kegiatan | SubKegiatan | None, kode: tuple[int, str] | None, r: int
    ) -> None:
        if kode is not None and item is not None:
            item.kode = kode[1]
            item.src.cells["kode"] = self.addr(r, kode[0])

    # -- new items -------------------------------------------------------------------
    def _new_kegiatan4(self, row: Row, tkg: tuple[int, str], kode: tuple[int, str] | None) -> None:
        r = row.row
        p = self._ensure_program(r, tkg[0])
        k = Kegiatan(uraian=clean(tkg[1]) or None, src=self._src(r))
        k.src.cells["uraian"] = self.addr(r, tkg[0])
        self._set_kode(k, kode, r)
        self._extra_texts(k, row, KG_URAIAN, skip=tkg[0])
        k.indikator = self.f.indikator(k, row, KG_INDIKATOR)
        self.f.targets_anggaran(k, row, KG_TARGET)
        p.kegiatan.append(k)
        self.kg, self.k = k, None

    def _new_sub(self, row: Row, t7: tuple[int, str], kode: tuple[int, str] | None) -> None:
        r = row.row
        kg = self.kg
        if kg is None:  # a sub kegiatan before any kegiatan: a placeholder parent
            p = self._ensure_program(r, t7[0])
            kg = Kegiatan(uraian=None, src=self._src(r))
            kg.src.cells["uraian"] = self.addr(r, t7[0])
            p.kegiatan.append(kg)
            self.kg = kg
        sk = SubKegiatan(uraian=clean(t7[1]) or None, src=self._src(r))
        sk.src.cells["uraian"] = self.addr(r, t7[0])
        sk.src.shifted_from = row.shifted_from
        self._set_kode(sk, kode, r)
        self._extra_texts(sk, row, K_URAIAN, skip=t7[0])
        sk.indikator = self.f.indikator(sk, row, K_INDIKATOR)
        self.f.volume(sk, row)
        self.f.targets_anggaran(sk, row, K_TARGET)
        self.f.cash(sk, row)
        self.f.ket(sk, row)
        self.f.stray_cells(sk, row.by_col.get(BEYOND, []), r)
        kg.sub_kegiatan.append(sk)
        self.k = sk

    def _kegiatan_own(self, kg: Kegiatan, row: Row) -> None:
        """A kegiatan row with no sub kegiatan on it: the volume, months and KET written
        in the sub kegiatan's columns are the kegiatan's own; the rest is kept as stray."""
        self.k = None
        self.f.volume(kg, row)
        self.f.cash(kg, row)
        self.f.ket(kg, row)
        self.f.stray_cells(kg, self._cells_of(row, _NOT_KEGIATAN), row.row)


def _empty(v: object) -> bool:
    return v is None or (isinstance(v, str) and (not v.strip() or is_dash(v)))
