"""The two forms of the RAK sheet as data (``Form``), built on ``rak_xl.sheet_spec``:

* ``FORM_2020``: 3 levels (Sasaran > Program > Kegiatan), numbering 1..23: the constants
  of ``sheet_spec`` (``LogicalCol``, ``COL``, ``HEADER_*``, ``COMPUTED_*``);
* ``FORM_2021``: 4 levels with Sub Kegiatan (since budget year 2021), numbering 1..26
  (``SubLogicalCol``; docs/SUB_KEGIATAN.md, section 3).

The reader tells them apart by the numbering row (``read/header.py``); the layout of the
4-level form is to take its columns, words and computed columns from ``FORM_2021``.

Pure, and imports only ``sheet_spec``: every layer may use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import NamedTuple

from rak_xl.sheet_spec import (
    COL,
    COMPUTED_COLS,
    COMPUTED_HEADER,
    HEADER_GROUPS,
    HEADER_LABELS,
    KAS_COLS,
    MONTHS,
    N_COLS,
    NO_COL,
    NO_LABEL,
    OFFICIAL_KAS_COLS,
    OFFICIAL_SPAN,
    PHYSICAL,
    QUARTER_LABELS,
    TARGET_TEXT_LABEL,
    KegiatanCol,
    LogicalCol,
)

__all__ = ["FORMS", "FORM_2020", "FORM_2021", "PHYSICAL_2021", "Form", "SubLogicalCol"]


class SubLogicalCol(IntEnum):
    """A logical column of the 4-level form: its number in that form's numbering row 1..26.

    The 2020 form with one block inserted (docs/SUB_KEGIATAN.md, 3.2): the kegiatan
    becomes a holder of a target and a budget, like the program; the 2020 kegiatan's
    columns (with an Anggaran sub-column) belong to the sub kegiatan. Program, kegiatan
    and sub kegiatan uraian have a ``Kode`` sub-column, not a number of their own.
    """

    S_URAIAN = 1
    S_INDIKATOR = 2
    S_TARGET = 3  # Target Tahunan | Target TW
    P_URAIAN = 4  # Kode | Uraian
    P_INDIKATOR = 5
    P_TARGET = 6  # Target TW | Anggaran (Rp)
    K_URAIAN = 7  # Kode | Uraian
    K_INDIKATOR = 8
    K_TARGET = 9  # Target TW | Anggaran (Rp)
    SK_URAIAN = 10  # Kode | Uraian
    SK_INDIKATOR = 11
    SK_VOLUME = 12  # Vol. | Sat.
    SK_TARGET = 13  # Target TW | Anggaran (Rp)
    JANUARI = 14
    FEBRUARI = 15
    MARET = 16
    APRIL = 17
    MEI = 18
    JUNI = 19
    JULI = 20
    AGUSTUS = 21
    SEPTEMBER = 22
    OKTOBER = 23
    NOVEMBER = 24
    DESEMBER = 25
    KET = 26


class Form(NamedTuple):
    """One form of the RAK sheet: how the reader maps its numbering row, and the official
    physical layout Susun Ulang writes for it (``physical``, one data table per form, from
    which every column map below is derived). A named tuple, not a dataclass: this module
    is imported before the workbook is parsed, and ``dataclasses`` (with ``inspect``) is
    left to load while it parses (README, Performance)."""

    tingkat: int  # 3: Sasaran > Program > Kegiatan (2020); 4: ... > Sub Kegiatan (2021+)
    n_cols: int  # numbers in the numbering row
    januari: int  # the number Januari carries: the label row above it confirms the form
    read_id: tuple[int, ...]  # the reader's id of number n at index n - 1
    # The reader's ids of uraian columns that may hold a "Kode" sub-column (by label).
    kode_cols: frozenset[int]
    span: Mapping[int, tuple[int, int]]  # number -> first, last official physical column
    col: Mapping[str, int]  # field key -> official physical column
    kas_cols: tuple[int, ...]  # official physical month columns
    groups: Sequence[tuple[int, int, str]]  # group row: (first, last physical column, text)
    labels: Mapping[int, str]  # label row, by physical column
    computed_cols: Mapping[str, int]  # setahun, kas_tw.0..3, anggaran, selisih
    computed_header: Mapping[str, str]
    # The official physical columns from B, left to right: (number, field key, label).
    physical: Sequence[tuple[int, str, str]]
    # Field-key prefixes of the levels, outermost first; the last holds the cash plan.
    levels: tuple[str, ...]
    # The printed pages side by side: (first, last physical column) of each, the row
    # numbers (column A) repeated left of every page.
    pages: tuple[tuple[int, int], ...]

    @property
    def last_official_col(self) -> int:
        return self.span[self.n_cols][1]

    @property
    def first_stray_col(self) -> int:
        return max(self.computed_cols.values()) + 1

    @property
    def leaf(self) -> str:
        """The level holding the cash plan: ``k`` (kegiatan, 2020), ``sk`` (2021+)."""
        return self.levels[-1]

    @property
    def desember(self) -> int:
        return self.januari + 11

    def first_col(self, level: str) -> int:
        """The first physical column of ``level``'s group."""
        return min(c for key, c in self.col.items() if key.split(".")[0] == level)

    def quarter_cols(self, level: str) -> tuple[int, ...]:
        """The TW I .. TW IV sub-columns of ``level``."""
        return tuple(self.col[f"{level}.tw.{q}"] for q in range(4))

    @property
    def target_text_cols(self) -> tuple[int, ...]:
        return tuple(self.col[f"{x}.target_text"] for x in self.levels)


FORM_2020 = Form(
    tingkat=3,
    n_cols=N_COLS,
    januari=LogicalCol.JANUARI,
    read_id=tuple(int(n) for n in LogicalCol),
    kode_cols=frozenset(),  # codes stay in the names (docs/SUB_KEGIATAN.md, 10.9)
    span={int(n): span for n, span in OFFICIAL_SPAN.items()},
    col=COL,
    kas_cols=OFFICIAL_KAS_COLS,
    groups=HEADER_GROUPS,
    labels=HEADER_LABELS,
    computed_cols=COMPUTED_COLS,
    computed_header=COMPUTED_HEADER,
    physical=PHYSICAL,
    levels=("s", "p", "k"),
    pages=((NO_COL + 1, COL["k.target_text"]), (OFFICIAL_KAS_COLS[0], COL["k.ket"])),
)


def _targets(level: str, n: int, anggaran: bool) -> list[tuple[int, str, str]]:
    """A level's quarter sub-columns, its target text column and its stated budget."""
    cols = [(n, f"{level}.tw.{q}", QUARTER_LABELS[q]) for q in range(4)]
    cols.append((n, f"{level}.target_text", TARGET_TEXT_LABEL))
    return cols + ([(n, f"{level}.anggaran", "Anggaran (Rp)")] if anggaran else [])


_SL = SubLogicalCol
# The 4-level form's official physical columns (docs/SUB_KEGIATAN.md, 3.2, in the 2020
# form's one-row-per-item style): a Kode sub-column before each uraian but the sasaran's,
# the quarters and a target text column at every level, a stated budget (Anggaran) at
# program, kegiatan and sub kegiatan; the months, the year total and KET are the sub
# kegiatan's, where the money is.
PHYSICAL_2021: Sequence[tuple[int, str, str]] = (
    (_SL.S_URAIAN, "s.uraian", "Uraian"),
    (_SL.S_INDIKATOR, "s.indikator", "Indikator Kinerja"),
    (_SL.S_TARGET, "s.target_tahunan", "Target Tahunan"),
    *_targets("s", _SL.S_TARGET, anggaran=False),
    (_SL.P_URAIAN, "p.kode", "Kode"),
    (_SL.P_URAIAN, "p.uraian", "Uraian"),
    (_SL.P_INDIKATOR, "p.indikator", "Indikator Kinerja"),
    *_targets("p", _SL.P_TARGET, anggaran=True),
    (_SL.K_URAIAN, "k.kode", "Kode"),
    (_SL.K_URAIAN, "k.uraian", "Uraian"),
    (_SL.K_INDIKATOR, "k.indikator", "Indikator Kinerja"),
    *_targets("k", _SL.K_TARGET, anggaran=True),
    (_SL.SK_URAIAN, "sk.kode", "Kode"),
    (_SL.SK_URAIAN, "sk.uraian", "Uraian"),
    (_SL.SK_INDIKATOR, "sk.indikator", "Indikator Kinerja"),
    (_SL.SK_VOLUME, "sk.volume", "Vol."),
    (_SL.SK_VOLUME, "sk.satuan", "Sat."),
    *_targets("sk", _SL.SK_TARGET, anggaran=True),
    *((_SL.JANUARI + i, f"sk.kas.{i}", MONTHS[i]) for i in range(12)),
    (_SL.DESEMBER, "setahun", COMPUTED_HEADER["setahun"]),
    (_SL.KET, "sk.ket", "KET"),
)


def _form_2021() -> Form:
    """The 4-level form from ``PHYSICAL_2021``: column A numbers the rows, B..AZ the
    table, BA..BF the formula columns, strays from BG."""
    at = {key: NO_COL + 1 + i for i, (_, key, _) in enumerate(PHYSICAL_2021)}
    col = {**at, **{f"{x}.target_tw": at[f"{x}.tw.0"] for x in ("s", "p", "k", "sk")}}
    span = {
        int(n): (
            min(at[key] for m, key, _ in PHYSICAL_2021 if m == n),
            max(at[key] for m, key, _ in PHYSICAL_2021 if m == n),
        )
        for n in SubLogicalCol
    }
    kas = tuple(at[f"sk.kas.{i}"] for i in range(12))
    ket = at["sk.ket"]
    right = ("kas_tw.0", "kas_tw.1", "kas_tw.2", "kas_tw.3", "anggaran", "selisih")
    computed = {"setahun": at["setahun"], **{key: ket + 1 + i for i, key in enumerate(right)}}
    # The stated budget of the row's item (sub kegiatan, kegiatan, program ...).
    computed_header = {**COMPUTED_HEADER, "anggaran": "Total Anggaran (Rp)"}
    groups = (
        (at["s.uraian"], at["s.target_text"], "SASARAN"),
        (at["p.kode"], at["p.anggaran"], "PROGRAM"),
        (at["k.kode"], at["k.anggaran"], "KEGIATAN"),
        (at["sk.kode"], at["sk.anggaran"], "SUB KEGIATAN"),
        (kas[0], at["setahun"], "ANGGARAN KAS PER BULAN (Rp)"),
        (ket, ket, "KET"),
        (computed["kas_tw.0"], computed["selisih"], "PERHITUNGAN (rumus, tidak dicetak)"),
    )
    labels = {
        NO_COL: NO_LABEL,
        **{at[key]: label for _, key, label in PHYSICAL_2021},
        **{computed[key]: text for key, text in computed_header.items()},
    }
    lc = LogicalCol
    read_id = (
        *(lc.S_URAIAN, lc.S_INDIKATOR, lc.S_TARGET, lc.P_URAIAN, lc.P_INDIKATOR, lc.P_TARGET),
        *(KegiatanCol.URAIAN, KegiatanCol.INDIKATOR, KegiatanCol.TARGET),
        *(lc.K_URAIAN, lc.K_INDIKATOR, lc.K_VOLUME, lc.K_TARGET),
        *KAS_COLS,
        lc.KET,
    )
    # Three pages wide: sasaran and program; kegiatan and sub kegiatan; the cash plan.
    pages = ((NO_COL + 1, at["p.anggaran"]), (at["k.kode"], at["sk.anggaran"]), (kas[0], ket))
    return Form(
        tingkat=4,
        n_cols=len(SubLogicalCol),
        januari=SubLogicalCol.JANUARI,
        read_id=tuple(int(n) for n in read_id),
        kode_cols=frozenset((lc.P_URAIAN, KegiatanCol.URAIAN, lc.K_URAIAN)),
        span=span,
        col=col,
        kas_cols=kas,
        groups=groups,
        labels=labels,
        computed_cols=computed,
        computed_header=computed_header,
        physical=PHYSICAL_2021,
        levels=("s", "p", "k", "sk"),
        pages=pages,
    )


FORM_2021 = _form_2021()
FORMS: Mapping[int, Form] = {3: FORM_2020, 4: FORM_2021}
