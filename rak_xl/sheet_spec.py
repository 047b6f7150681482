"""The official RAK sheet's vocabulary, defined once: the reader and the layout use only this.

* ``LogicalCol``: the 23 logical columns, numbered as the sheet's column-numbering row
  numbers them (1 Uraian sasaran .. 23 KET). The reader finds them wherever a template
  puts them; ``BEYOND`` and ``COMPUTED`` name what lies right of KET.
* The official physical layout (what Susun Ulang writes): ``OFFICIAL_SPAN`` (logical ->
  physical columns), ``COL`` (one physical column per field), the computed columns right
  of KET and where stray values go.
* The words: month names, header groups and labels, totals labels, quarter names, and
  the title case of an upper-case title line.
* ``KegiatanCol``: the reader's ids of the 4-level form's kegiatan columns (both forms
  as data, ``Form``, are ``rak_xl.forms``'s).

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
    "CONTINUED_SUFFIX",
    "FIRST_STRAY_COL",
    "GRAND_TOTAL_LABEL",
    "HEADER_GROUPS",
    "HEADER_LABELS",
    "KAS_COLS",
    "KEGIATAN_TOTAL_PREFIX",
    "LAST_OFFICIAL_COL",
    "LOGICAL_NAME",
    "MONTHS",
    "NO_COL",
    "NO_LABEL",
    "NO_TOTAL",
    "N_COLS",
    "OFFICIAL_KAS_COLS",
    "OFFICIAL_SPAN",
    "OUR_TOTAL_LABEL",
    "PHYSICAL",
    "PLACEHOLDER_INSTANSI",
    "PLACEHOLDER_KABUPATEN",
    "PLACEHOLDER_TAHUN",
    "PROGRAM_TOTAL_PREFIX",
    "QUARTER_ID",
    "QUARTER_INDEX",
    "QUARTER_LABELS",
    "QUARTER_ROMAN",
    "QUARTER_WORD",
    "ROWS_PER_ITEM",
    "SASARAN_TOTAL_PREFIX",
    "STRAY_HEADER",
    "STRAY_LABEL",
    "TARGET_GROUP_LABEL",
    "TARGET_TEXT_COLS",
    "TARGET_TEXT_LABEL",
    "TITLE",
    "TOTAL_LABEL",
    "TOTAL_PREFIX",
    "KegiatanCol",
    "LogicalCol",
    "backup_sheet_name",
    "caps_if_lossless",
    "continued",
    "is_placeholder",
    "is_total_label",
    "kegiatan_total_label",
    "program_total_label",
    "quarter_cols",
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
    """A logical column of the RAK table: its number in the column-numbering row.

    Also the reader's ids of the 4-level form's columns (``Form.read_id``): sasaran and
    program as here, the sub kegiatan, its months and KET under the kegiatan's ids 7..23
    (in either form those columns belong to the item that holds the cash plan, so the
    reader's row tests serve both forms), the kegiatan's own under ``KegiatanCol``.
    """

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


class KegiatanCol(IntEnum):
    """The reader's ids of the 4-level form's kegiatan columns (its numbers 7, 8, 9): the
    2020 form has no such column (its kegiatan columns are the cash holder's). Above
    ``BEYOND`` on purpose: no range of 2020 ids takes them in by accident."""

    URAIAN = 31
    INDIKATOR = 32
    TARGET = 33  # Target TW | Anggaran (Rp)


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

# What a message calls each logical column.
LOGICAL_NAME: Mapping[int, str] = {
    LogicalCol.S_URAIAN: "Uraian Sasaran",
    LogicalCol.S_INDIKATOR: "Indikator Sasaran",
    LogicalCol.S_TARGET: "Target Sasaran",
    LogicalCol.P_URAIAN: "Uraian Program",
    LogicalCol.P_INDIKATOR: "Indikator Program",
    LogicalCol.P_TARGET: "Target dan Anggaran Program",
    LogicalCol.K_URAIAN: "Uraian Kegiatan",
    LogicalCol.K_INDIKATOR: "Indikator Kegiatan",
    LogicalCol.K_VOLUME: "Vol. & Sat.",
    LogicalCol.K_TARGET: "Target Kegiatan",
    **{n: name for n, name in zip(range(11, 23), MONTHS, strict=True)},
    LogicalCol.KET: "KET",
}

# --------------------------------------------------------------------------------------
# The official physical layout (1-based columns)
# --------------------------------------------------------------------------------------
# The official physical columns, left to right, as data: (logical column, field key,
# label). One row per kegiatan: each target has one sub-column per quarter (``TW I`` ..
# ``TW IV``, which the reader knows by label) and a ``Target (teks)`` sub-column for target
# text that could not be read (kept as written; hidden when no item has any). The year
# total (``Jumlah Setahun``) sits in December's span, beside the months it adds, and the
# reader skips it by its label like the formula columns right of KET.
# Under "Target Triwulan" a quarter's column is labelled by its numeral alone: four narrow
# columns per level (``TW III`` would double their width on paper).
QUARTER_LABELS = ("I", "II", "III", "IV")
TARGET_TEXT_LABEL = "Target (teks)"
PHYSICAL: Sequence[tuple[LogicalCol, str, str]] = (
    (LogicalCol.S_URAIAN, "s.uraian", "Uraian"),
    (LogicalCol.S_INDIKATOR, "s.indikator", "Indikator Kinerja"),
    (LogicalCol.S_TARGET, "s.target_tahunan", "Target Tahunan"),
    *((LogicalCol.S_TARGET, f"s.tw.{q}", QUARTER_LABELS[q]) for q in range(4)),
    (LogicalCol.S_TARGET, "s.target_text", TARGET_TEXT_LABEL),
    (LogicalCol.P_URAIAN, "p.uraian", "Uraian"),
    (LogicalCol.P_INDIKATOR, "p.indikator", "Indikator Kinerja"),
    *((LogicalCol.P_TARGET, f"p.tw.{q}", QUARTER_LABELS[q]) for q in range(4)),
    (LogicalCol.P_TARGET, "p.target_text", TARGET_TEXT_LABEL),
    (LogicalCol.P_TARGET, "p.anggaran", "Anggaran (Rp)"),
    (LogicalCol.K_URAIAN, "k.uraian", "Uraian"),
    (LogicalCol.K_INDIKATOR, "k.indikator", "Indikator Kinerja"),
    (LogicalCol.K_VOLUME, "k.volume", "Vol."),
    (LogicalCol.K_VOLUME, "k.satuan", "Sat."),
    *((LogicalCol.K_TARGET, f"k.tw.{q}", QUARTER_LABELS[q]) for q in range(4)),
    (LogicalCol.K_TARGET, "k.target_text", TARGET_TEXT_LABEL),
    *((n, f"k.kas.{i}", MONTHS[i]) for i, n in enumerate(KAS_COLS)),
    (LogicalCol.DESEMBER, "setahun", "Jumlah Setahun (Rp)"),
    (LogicalCol.KET, "k.ket", "KET"),
)
# Column A, left of the table (the reader skips it), numbers each row: ``1.2.3`` for the
# 3rd kegiatan of the 2nd program of the 1st sasaran, ``Jml 1.2`` for that program's
# totals row. It is repeated at the left of every printed page, so the right page's
# amounts name their row.
NO_COL = 1
NO_LABEL = "No."
NO_TOTAL = "Jml"
# One physical column per field key; the first quarter's stands for the item's targets.
_AT = {key: NO_COL + 1 + i for i, (_, key, _) in enumerate(PHYSICAL)}
COL: Mapping[str, int] = {**_AT, **{f"{x}.target_tw": _AT[f"{x}.tw.0"] for x in "spk"}}
# First and last physical column of each logical column.
OFFICIAL_SPAN: Mapping[LogicalCol, tuple[int, int]] = {
    n: (
        min(COL[key] for m, key, _ in PHYSICAL if m == n),
        max(COL[key] for m, key, _ in PHYSICAL if m == n),
    )
    for n in LogicalCol
}
OFFICIAL_KAS_COLS: tuple[int, ...] = tuple(COL[f"k.kas.{i}"] for i in range(12))
LAST_OFFICIAL_COL = OFFICIAL_SPAN[LogicalCol.KET][1]
TARGET_TEXT_COLS: tuple[int, ...] = tuple(COL[f"{x}.target_text"] for x in "spk")


def quarter_cols(level: str) -> tuple[int, ...]:
    """The TW I .. TW IV sub-columns of ``level`` ("s", "p" or "k")."""
    return tuple(COL[f"{level}.tw.{q}"] for q in range(4))


# Formula columns right of KET (not printed): cash per quarter, the program's stated
# budget, the difference. The year total is ``COL["setahun"]``, printed.
_RIGHT = ("kas_tw.0", "kas_tw.1", "kas_tw.2", "kas_tw.3", "anggaran", "selisih")
COMPUTED_COLS: Mapping[str, int] = {
    "setahun": COL["setahun"],
    **{key: LAST_OFFICIAL_COL + 1 + i for i, key in enumerate(_RIGHT)},
}
FIRST_STRAY_COL = max(COMPUTED_COLS.values()) + 1
ROWS_PER_ITEM = 1  # one row per sasaran, program and kegiatan (more when its text needs)


# --------------------------------------------------------------------------------------
# Header words
# --------------------------------------------------------------------------------------
TITLE = "RENCANA AKSI KINERJA"
# (first, last physical column, text) of the group row.
HEADER_GROUPS: Sequence[tuple[int, int, str]] = (
    (*OFFICIAL_SPAN[LogicalCol.S_URAIAN][:1], OFFICIAL_SPAN[LogicalCol.S_TARGET][1], "SASARAN"),
    (*OFFICIAL_SPAN[LogicalCol.P_URAIAN][:1], OFFICIAL_SPAN[LogicalCol.P_TARGET][1], "PROGRAM"),
    (*OFFICIAL_SPAN[LogicalCol.K_URAIAN][:1], OFFICIAL_SPAN[LogicalCol.K_TARGET][1], "KEGIATAN"),
    (OFFICIAL_KAS_COLS[0], COL["setahun"], "ANGGARAN KAS PER BULAN (Rp)"),
    (COL["k.ket"], COL["k.ket"], "KET"),
    (COMPUTED_COLS["kas_tw.0"], COMPUTED_COLS["selisih"], "PERHITUNGAN (rumus, tidak dicetak)"),
)
# The label over a level's quarter sub-columns (its text column included).
TARGET_GROUP_LABEL = "Target Triwulan"
COMPUTED_HEADER: Mapping[str, str] = {
    "setahun": "Jumlah Setahun (Rp)",
    **{f"kas_tw.{q}": f"Kas TW {QUARTER_LABELS[q]} (Rp)" for q in range(4)},
    "anggaran": "Total Anggaran Program (Rp)",
    "selisih": "Selisih Jumlah - Anggaran (Rp)",
}
# Label rows, by physical column.
HEADER_LABELS: Mapping[int, str] = {
    NO_COL: NO_LABEL,
    **{NO_COL + 1 + i: label for i, (_, _, label) in enumerate(PHYSICAL)},
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
KEGIATAN_TOTAL_PREFIX = "JUMLAH KEGIATAN"  # 4-level form: under a kegiatan's sub kegiatan
GRAND_TOTAL_LABEL = "JUMLAH TOTAL"


# A sasaran or program name repeated on the first row of a new page, where a page break
# splits its block: the reader knows it is no new item.
CONTINUED_SUFFIX = " (lanjutan)"


def continued(uraian: str | None) -> str:
    """The repeated name of a sasaran/program block on a later page."""
    return f"{uraian or ''}{CONTINUED_SUFFIX}"


def program_total_label(sasaran: int, program: int) -> str:
    """``JUMLAH PROGRAM 1.2`` (0-based indexes in). Numbered, not named: the name is
    beside it in the program column, and a one-line label needs no row height of its
    own (one action per row in Excel)."""
    return f"{PROGRAM_TOTAL_PREFIX} {sasaran + 1}.{program + 1}"


def sasaran_total_label(sasaran: int) -> str:
    return f"{SASARAN_TOTAL_PREFIX} {sasaran + 1}"


def kegiatan_total_label(sasaran: int, program: int, kegiatan: int) -> str:
    """``JUMLAH KEGIATAN 1.2.3`` (0-based indexes in), the 4-level form's kegiatan total."""
    return f"{KEGIATAN_TOTAL_PREFIX} {sasaran + 1}.{program + 1}.{kegiatan + 1}"


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
# What the layout writes for a title value the sheet does not have yet (the template's
# empty form): a line to type into, which the reader takes for no value at all.
PLACEHOLDER_INSTANSI = "[Nama Instansi]"
PLACEHOLDER_KABUPATEN = "KABUPATEN [Nama Kabupaten]"
PLACEHOLDER_TAHUN = "TAHUN [....]"
_PLACEHOLDER = re.compile(r"\s*(?:KABUPATEN|KOTA|TAHUN(?:\s+ANGGARAN)?)?\s*\[[^\]]*\]\s*", re.I)


def is_placeholder(text: str) -> bool:
    """A title line still to be filled in: ``[...]``, ``KABUPATEN [...]``, ``TAHUN [...]``."""
    return _PLACEHOLDER.fullmatch(text) is not None


# --------------------------------------------------------------------------------------
# Title case
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
