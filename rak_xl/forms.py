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
    OFFICIAL_KAS_COLS,
    OFFICIAL_SPAN,
    KegiatanCol,
    LogicalCol,
)

__all__ = ["FORMS", "FORM_2020", "FORM_2021", "Form", "SubLogicalCol"]


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
    physical layout Susun Ulang writes for it. A named tuple, not a dataclass: this module
    is imported before the workbook is parsed, and ``dataclasses`` (with ``inspect``) is
    left to load while it parses (README, Performance)."""

    tingkat: int  # 3: Sasaran > Program > Kegiatan (2020); 4: ... > Sub Kegiatan (2021+)
    n_cols: int  # numbers in the numbering row
    januari: int  # the number Januari carries: the label row above it confirms the form
    read_id: tuple[int, ...]  # the reader's id of number n at index n - 1
    # The reader's ids of uraian columns that may hold a "Kode" sub-column (by label).
    kode_cols: frozenset[int]
    span: Mapping[int, tuple[int, int]]  # number -> first, last official physical column
    col: Mapping[str, int]  # field -> official physical column ("sk.kas.0" .. "sk.kas.11")
    kas_cols: tuple[int, ...]  # official physical month columns
    groups: Sequence[tuple[int, int, str]]  # group row: (first, last physical column, text)
    labels: Mapping[int, str]  # label row, by physical column
    computed_cols: Mapping[str, int]  # setahun, kas_tw.0..3, anggaran, selisih
    computed_header: Mapping[str, str]

    @property
    def last_official_col(self) -> int:
        return self.span[self.n_cols][1]

    @property
    def first_stray_col(self) -> int:
        return max(self.computed_cols.values()) + 1


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
)


def _form_2021() -> Form:
    """The 4-level form (docs/SUB_KEGIATAN.md, 3.2): A..D sasaran, E:F program Kode |
    Uraian, G indikator, H:I Target TW | Anggaran; J..N the same for the kegiatan; O:P
    sub kegiatan Kode | Uraian, Q indikator, R:S Vol. | Sat., T:U Target TW | Anggaran;
    V..AG Januari..Desember; AH KET; AI..AL computed; strays from AM."""
    widths = (1, 1, 2, 2, 1, 2, 2, 1, 2, 2, 1, 2, 2, *([1] * 12), 1)
    span: dict[int, tuple[int, int]] = {}
    c = 1
    for n, w in enumerate(widths, start=1):
        span[n] = (c, c + w - 1)
        c += w
    kas = tuple(span[n][0] for n in range(SubLogicalCol.JANUARI, SubLogicalCol.DESEMBER + 1))
    sl = SubLogicalCol
    first = {n: span[n][0] for n in sl}
    last = {n: span[n][1] for n in sl}
    col: dict[str, int] = {
        "s.uraian": first[sl.S_URAIAN],
        "s.indikator": first[sl.S_INDIKATOR],
        "s.target_tahunan": first[sl.S_TARGET],
        "s.target_tw": last[sl.S_TARGET],
    }
    for prefix, uraian, indikator, target in (
        ("p", sl.P_URAIAN, sl.P_INDIKATOR, sl.P_TARGET),
        ("k", sl.K_URAIAN, sl.K_INDIKATOR, sl.K_TARGET),
        ("sk", sl.SK_URAIAN, sl.SK_INDIKATOR, sl.SK_TARGET),
    ):
        col[f"{prefix}.kode"] = first[uraian]
        col[f"{prefix}.uraian"] = last[uraian]
        col[f"{prefix}.indikator"] = first[indikator]
        col[f"{prefix}.target_tw"] = first[target]
        col[f"{prefix}.anggaran"] = last[target]
    col["sk.volume"], col["sk.satuan"] = first[sl.SK_VOLUME], last[sl.SK_VOLUME]
    col.update({f"sk.kas.{i}": c for i, c in enumerate(kas)})
    col["sk.ket"] = first[sl.KET]
    ket = first[sl.KET]
    keys = tuple(COMPUTED_HEADER)
    computed = {key: ket + 1 + i for i, key in enumerate(keys)}
    computed_header = {**COMPUTED_HEADER, "anggaran": "Anggaran (Rp)"}
    groups = (
        (first[sl.S_URAIAN], last[sl.S_TARGET], "SASARAN"),
        (first[sl.P_URAIAN], last[sl.P_TARGET], "PROGRAM"),
        (first[sl.K_URAIAN], last[sl.K_TARGET], "KEGIATAN"),
        (first[sl.SK_URAIAN], last[sl.SK_TARGET], "SUB KEGIATAN"),
        (kas[0], kas[-1], "ANGGARAN KAS PER BULAN (Rp)"),
        (ket, ket, "KET"),
        (computed["setahun"], computed["selisih"], "PERHITUNGAN (rumus, tidak dicetak)"),
    )
    labels: dict[int, str] = {
        col["s.uraian"]: "Uraian",
        col["s.indikator"]: "Indikator Kinerja",
        col["s.target_tahunan"]: "Target Tahunan",
        col["s.target_tw"]: "Target TW",
    }
    for prefix, word in (("p", "Program"), ("k", "Kinerja"), ("sk", "Kinerja")):
        labels[col[f"{prefix}.kode"]] = "Kode"
        labels[col[f"{prefix}.uraian"]] = "Uraian"
        labels[col[f"{prefix}.indikator"]] = f"Indikator {word}"
        labels[col[f"{prefix}.target_tw"]] = "Target TW"
        labels[col[f"{prefix}.anggaran"]] = "Anggaran (Rp)"
    labels[col["sk.volume"]], labels[col["sk.satuan"]] = "Vol.", "Sat."
    labels.update({c: MONTHS[i] for i, c in enumerate(kas)})
    labels.update({computed[key]: text for key, text in computed_header.items()})
    lc = LogicalCol
    read_id = (
        *(lc.S_URAIAN, lc.S_INDIKATOR, lc.S_TARGET, lc.P_URAIAN, lc.P_INDIKATOR, lc.P_TARGET),
        *(KegiatanCol.URAIAN, KegiatanCol.INDIKATOR, KegiatanCol.TARGET),
        *(lc.K_URAIAN, lc.K_INDIKATOR, lc.K_VOLUME, lc.K_TARGET),
        *KAS_COLS,
        lc.KET,
    )
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
    )


FORM_2021 = _form_2021()
FORMS: Mapping[int, Form] = {3: FORM_2020, 4: FORM_2021}
