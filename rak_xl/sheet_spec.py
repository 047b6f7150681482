"""The official RAK sheet's vocabulary, defined once: the reader and the layout use only this.

* ``LogicalCol``: the 23 logical columns, numbered as the sheet's column-numbering row
  numbers them (1 Uraian sasaran .. 23 KET). The reader finds them wherever a template
  puts them; ``BEYOND`` and ``COMPUTED`` name what lies right of KET.
* The official physical layout (what Susun Ulang writes): ``OFFICIAL_SPAN`` (logical ->
  physical columns), ``COL`` (one physical column per field), the computed columns right
  of KET and where stray values go.
* The words: month names, header groups and labels, totals labels, quarter names, and
  the title case of an upper-case title line.

Pure, and imports nothing of this package: every layer may use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import IntEnum
from itertools import product

__all__ = [
    "BACKUP_SUFFIX",
    "BEYOND",
    "COL",
    "COMPUTED",
    "COMPUTED_COLS",
    "COMPUTED_HEADER",
    "COMPUTED_LABEL",
    "FIRST_STRAY_COL",
    "GRAND_TOTAL_LABEL",
    "HEADER_GROUPS",
    "HEADER_LABELS",
    "KAS_COLS",
    "LAST_OFFICIAL_COL",
    "MONTHS",
    "N_COLS",
    "OFFICIAL_KAS_COLS",
    "OFFICIAL_SPAN",
    "OUR_TOTAL_LABEL",
    "PROGRAM_TOTAL_PREFIX",
    "QUARTER_ID",
    "QUARTER_INDEX",
    "QUARTER_ROMAN",
    "QUARTER_WORD",
    "ROWS_PER_ITEM",
    "SASARAN_TOTAL_PREFIX",
    "STRAY_HEADER",
    "STRAY_LABEL",
    "TITLE",
    "TOTAL_LABEL",
    "TOTAL_PREFIX",
    "LogicalCol",
    "backup_sheet_name",
    "caps_if_lossless",
    "is_total_label",
    "program_total_label",
    "quarter_index",
    "sasaran_total_label",
    "starts_like_total",
    "title_case",
    "total_label",
]


# --------------------------------------------------------------------------------------
# Logical columns (the numbering row 1..23)
# --------------------------------------------------------------------------------------
class LogicalCol(IntEnum):
    """A logical column of the RAK table: its number in the column-numbering row."""

    S_URAIAN = 1
    S_INDIKATOR = 2
    S_TARGET = 3  # target tahunan and TW (one or two physical columns)
    P_URAIAN = 4
    P_INDIKATOR = 5
    P_TARGET = 6  # target TW and anggaran (one or two physical columns)
    K_URAIAN = 7
    K_INDIKATOR = 8
    K_VOLUME = 9  # volume and satuan (one or two physical columns)
    K_TARGET = 10
    JANUARI = 11
    FEBRUARI = 12
    MARET = 13
    APRIL = 14
    MEI = 15
    JUNI = 16
    JULI = 17
    AGUSTUS = 18
    SEPTEMBER = 19
    OKTOBER = 20
    NOVEMBER = 21
    DESEMBER = 22
    KET = 23


N_COLS = len(LogicalCol)
KAS_COLS: tuple[LogicalCol, ...] = tuple(
    LogicalCol(n) for n in range(LogicalCol.JANUARI, LogicalCol.DESEMBER + 1)
)
BEYOND = N_COLS + 1  # pseudo logical column: right of KET, not computed
COMPUTED = -1  # pseudo logical column: our own formula columns right of KET

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


# --------------------------------------------------------------------------------------
# The official physical layout (1-based columns)
# --------------------------------------------------------------------------------------
# First and last physical column of each logical column.
OFFICIAL_SPAN: Mapping[LogicalCol, tuple[int, int]] = {
    LogicalCol.S_URAIAN: (1, 1),
    LogicalCol.S_INDIKATOR: (2, 2),
    LogicalCol.S_TARGET: (3, 4),  # Target Tahunan | Target TW
    LogicalCol.P_URAIAN: (5, 5),
    LogicalCol.P_INDIKATOR: (6, 6),
    LogicalCol.P_TARGET: (7, 8),  # Target TW | Anggaran (Rp)
    LogicalCol.K_URAIAN: (9, 9),
    LogicalCol.K_INDIKATOR: (10, 10),
    LogicalCol.K_VOLUME: (11, 12),  # Vol. | Sat.
    LogicalCol.K_TARGET: (13, 13),
    **{n: (14 + i, 14 + i) for i, n in enumerate(KAS_COLS)},
    LogicalCol.KET: (26, 26),
}
OFFICIAL_KAS_COLS: tuple[int, ...] = tuple(OFFICIAL_SPAN[n][0] for n in KAS_COLS)
LAST_OFFICIAL_COL = OFFICIAL_SPAN[LogicalCol.KET][1]


def _first(n: LogicalCol) -> int:
    return OFFICIAL_SPAN[n][0]


def _last(n: LogicalCol) -> int:
    return OFFICIAL_SPAN[n][1]


# One physical column per field of the model.
COL: Mapping[str, int] = {
    "s.uraian": _first(LogicalCol.S_URAIAN),
    "s.indikator": _first(LogicalCol.S_INDIKATOR),
    "s.target_tahunan": _first(LogicalCol.S_TARGET),
    "s.target_tw": _last(LogicalCol.S_TARGET),
    "p.uraian": _first(LogicalCol.P_URAIAN),
    "p.indikator": _first(LogicalCol.P_INDIKATOR),
    "p.target_tw": _first(LogicalCol.P_TARGET),
    "p.anggaran": _last(LogicalCol.P_TARGET),
    "k.uraian": _first(LogicalCol.K_URAIAN),
    "k.indikator": _first(LogicalCol.K_INDIKATOR),
    "k.volume": _first(LogicalCol.K_VOLUME),
    "k.satuan": _last(LogicalCol.K_VOLUME),
    "k.target_tw": _first(LogicalCol.K_TARGET),
    "k.kas.0": OFFICIAL_KAS_COLS[0],  # .. k.kas.11 = OFFICIAL_KAS_COLS[11]
    "k.ket": _first(LogicalCol.KET),
}
# Computed columns right of KET: year total, cash per quarter, stated budget, difference.
COMPUTED_COLS: Mapping[str, int] = {
    key: LAST_OFFICIAL_COL + 1 + i
    for i, key in enumerate(("setahun", "kas_tw", "anggaran", "selisih"))
}
FIRST_STRAY_COL = max(COMPUTED_COLS.values()) + 1
ROWS_PER_ITEM = 4  # one row per quarter (TW 1..4) for each sasaran, program and kegiatan


# --------------------------------------------------------------------------------------
# Header words
# --------------------------------------------------------------------------------------
TITLE = "RENCANA AKSI KINERJA"
# (first, last physical column, text) of the group row.
HEADER_GROUPS: Sequence[tuple[int, int, str]] = (
    (_first(LogicalCol.S_URAIAN), _last(LogicalCol.S_TARGET), "SASARAN"),
    (_first(LogicalCol.P_URAIAN), _last(LogicalCol.P_TARGET), "PROGRAM"),
    (_first(LogicalCol.K_URAIAN), _last(LogicalCol.K_TARGET), "KEGIATAN"),
    (OFFICIAL_KAS_COLS[0], OFFICIAL_KAS_COLS[-1], "ANGGARAN KAS PER BULAN (Rp)"),
    (_first(LogicalCol.KET), _last(LogicalCol.KET), "KET"),
    (COMPUTED_COLS["setahun"], COMPUTED_COLS["selisih"], "PERHITUNGAN (rumus, tidak dicetak)"),
)
COMPUTED_HEADER: Mapping[str, str] = {
    "setahun": "Jumlah Setahun (Rp)",
    "kas_tw": "Kas TW (Rp)",
    "anggaran": "Total Anggaran Program (Rp)",
    "selisih": "Selisih Jumlah - Anggaran (Rp)",
}
# Label row, by physical column.
HEADER_LABELS: Mapping[int, str] = {
    COL["s.uraian"]: "Uraian",
    COL["s.indikator"]: "Indikator Kinerja",
    COL["s.target_tahunan"]: "Target Tahunan",
    COL["s.target_tw"]: "Target TW",
    COL["p.uraian"]: "Uraian",
    COL["p.indikator"]: "Indikator Program",
    COL["p.target_tw"]: "Target TW",
    COL["p.anggaran"]: "Anggaran (Rp)",
    COL["k.uraian"]: "Uraian",
    COL["k.indikator"]: "Indikator Kinerja",
    COL["k.volume"]: "Vol.",
    COL["k.satuan"]: "Sat.",
    COL["k.target_tw"]: "Target TW",
    **{c: MONTHS[i] for i, c in enumerate(OFFICIAL_KAS_COLS)},
    **{COMPUTED_COLS[key]: text for key, text in COMPUTED_HEADER.items()},
}
STRAY_HEADER = "Nilai di luar tabel"
# The header of the stray-value columns Susun Ulang writes right of the table: the table
# ends before it (the reader never takes those values for KET).
STRAY_LABEL = re.compile(rf"^\s*{STRAY_HEADER}", re.IGNORECASE)
# A header label right of KET that marks one of our formula columns (the reader skips them).
COMPUTED_LABEL = re.compile(r"^\s*(jumlah|kas\s*tw|kas\s+per|total|selisih|perhitungan)", re.I)


# --------------------------------------------------------------------------------------
# Totals labels
# --------------------------------------------------------------------------------------
# A label that reads like a total, in any case (the user's own totals rows too), once
# ``total_label`` has joined letter-spaced words ("J U M L A H").
TOTAL_LABEL = re.compile(r"^\s*(jumlah|sub\s*total|grand\s*total|total|selisih)\b", re.IGNORECASE)
# A total label as the official layout writes it (upper case).
OUR_TOTAL_LABEL = re.compile(r"\s*(JUMLAH|SELISIH|TOTAL)\b")
# A word spelled out letter by letter ("J U M L A H", "T o t a l"): joined by ``total_label``.
_SPACED_WORD = re.compile(r"(?<![^\W\d_])(?:[^\W\d_] ){2,}[^\W\d_](?![^\W\d_])")
# The words a label made only of a total may carry besides it ("JUMLAH TOTAL", "Total
# Anggaran", "JUMLAH PROGRAM 1.2", "Sub Total Kas (Rp)"); numbering and punctuation aside.
_TOTAL_WORDS = frozenset((
    "JUMLAH", "TOTAL", "SUB", "GRAND", "SUBTOTAL", "SELISIH", "KESELURUHAN", "SELURUHNYA",
    "SELURUH", "SEMUA", "ANGGARAN", "KAS", "BELANJA", "PAGU", "BIAYA", "DANA", "RP", "RUPIAH",
    "PROGRAM", "SASARAN", "KEGIATAN", "PER", "BULAN", "TRIWULAN", "TW", "AKHIR", "UMUM", "BESAR",
))  # fmt: skip
_NUMBERING = re.compile(r"[0-9IVX]+(?:[.)][0-9IVX]+)*[.)]?|[(:.\-=]+|\(RP\)|RP\.")


def total_label(text: str) -> str:
    """A label as totals are told by: letter-spaced words joined, white space single,
    upper case, trimmed (``" J U M L A H  Program 1 "`` -> ``"JUMLAH PROGRAM 1"``)."""
    return " ".join(_SPACED_WORD.sub(lambda m: m.group().replace(" ", ""), text).split()).upper()


def starts_like_total(text: str) -> bool:
    """Does the label start with a total word (``JUMLAH``, ``J U M L A H``, ``Sub Total``,
    ``TOTAL``, ``Selisih``), in any case and spacing? Such a row is a totals row when it
    carries sums (``rak_xl.read.rows.is_total``)."""
    return TOTAL_LABEL.match(total_label(text)) is not None


def is_total_label(text: str) -> bool:
    """Is the label a total and nothing else (``JUMLAH``, ``J U M L A H``, ``Jumlah Total``,
    ``TOTAL``, ``Sub Total``, ``Total Anggaran``, ``JUMLAH PROGRAM 1.2``)? A row labelled so
    is a totals row even without sums; ``Jumlah kegiatan tahun ini: 1`` is not one."""
    label = total_label(text)
    if TOTAL_LABEL.match(label) is None:
        return False
    words = label.replace(":", " : ").split()
    if len(words) > 2 and words[1] in ("PROGRAM", "SASARAN") and text.isupper():
        return True  # "JUMLAH PROGRAM PELAYANAN ADMINISTRASI": a total, and its program
    return all(w in _TOTAL_WORDS or _NUMBERING.fullmatch(w) for w in words)


TOTAL_PREFIX = "JUMLAH"
PROGRAM_TOTAL_PREFIX = "JUMLAH PROGRAM"
SASARAN_TOTAL_PREFIX = "JUMLAH SASARAN"
GRAND_TOTAL_LABEL = "JUMLAH TOTAL"


def program_total_label(sasaran: int, program: int) -> str:
    """``JUMLAH PROGRAM 1.2`` (0-based indexes in). Numbered, not named: the name is
    beside it in the program column, and a one-line label needs no row height of its
    own (one action per row in Excel)."""
    return f"{PROGRAM_TOTAL_PREFIX} {sasaran + 1}.{program + 1}"


def sasaran_total_label(sasaran: int) -> str:
    return f"{SASARAN_TOTAL_PREFIX} {sasaran + 1}"


# --------------------------------------------------------------------------------------
# Quarters
# --------------------------------------------------------------------------------------
# Regex pieces: the word before a quarter ("TW", "Triwulan", "Q"...) and the quarter
# itself ("1".."4", "I".."IV"; the longest Roman numeral first).
QUARTER_WORD = r"(?:tw|trw|triwulan|tri\s*wulan|q)"
QUARTER_ID = r"(?:iv|iii|ii|i|[1-4])"
QUARTER_ROMAN = ("I", "II", "III", "IV")  # TW I .. TW IV
# Every text ``QUARTER_ID`` matches (case-insensitive) -> its quarter, 0-based: digits and
# Roman numerals in any case, with the Turkish dotless and dotted I that a
# case-insensitive regex takes for an "i" too. A table: targets text asks it per label.
QUARTER_INDEX: Mapping[str, int] = {
    **{str(q + 1): q for q in range(4)},
    **{
        "".join(letters): q
        for q, name in enumerate(QUARTER_ROMAN)
        for letters in product(*({"I": "Ii\u0131\u0130", "V": "Vv"}[ch] for ch in name))
    },
}


def quarter_index(text: str) -> int | None:
    """``"2"`` / ``"II"`` (any case) -> 1 (0-based); None for anything else."""
    return QUARTER_INDEX.get(text)


# --------------------------------------------------------------------------------------
# Title lines
# --------------------------------------------------------------------------------------
# Particles that stay lower case when an ALL-CAPS title line is title-cased.
_SMALL_WORDS = frozenset(
    {"dan", "di", "ke", "dari", "yang", "untuk", "serta", "atau", "pada", "dengan"}
)


def _title_words(words: Sequence[str]) -> str:
    return " ".join(
        w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def title_case(text: str) -> str:
    """Title-case an ALL-CAPS heading the Indonesian way (particles stay lower case);
    any other text as it is."""
    if text != text.upper():
        return text
    return _title_words(text.lower().split())


def caps_if_lossless(text: str) -> str:
    """Upper-case a title line, as official sheets print it, when ``title_case`` of the
    upper-case text gives ``text`` back (the reader then reads it as written); else
    ``text`` as it is."""
    back = _title_words(" ".join(text.split()).lower().split())
    return text.upper() if back == text else text


# -- sheets of our own ---------------------------------------------------------------------
BACKUP_SUFFIX = " (cadangan)"


def backup_sheet_name(sheet: str) -> str:
    """Name of the hidden copy of ``sheet`` kept before a rebuild (31 chars max)."""
    return sheet[: 31 - len(BACKUP_SUFFIX)] + BACKUP_SUFFIX
