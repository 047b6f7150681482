"""The official RAK sheet as pure data: ``plan_sheet(rak) -> SheetPlan``.

No spreadsheet library is imported here; adapters (openpyxl, XlsxWriter, xlwings) apply a
plan. The layout follows the reader conventions of the team brief so that reading the
sheet back gives the same model (``read(regenerate(x)) == read(x)``):

* title rows, ``catatan_atas`` rows, then three header rows (group, label, numbering
  1..23 where a logical column spanning several physical columns is numbered in its
  first physical column and merged in the numbering row);
* 4 physical rows per kegiatan (TW 1..4): one numeric target per row, shown as
  ``TW 1 = 355`` by its number format; the other kegiatan cells on the first row, merged
  down. Programs and sasaran likewise over their whole block;
* totals as live formulas, with labels starting ``JUMLAH`` in the kegiatan uraian
  column; computed columns right of KET whose headers start ``Jumlah``/``Kas TW``/
  ``Total``/``Selisih`` (the reader ignores them); stray values after them under
  "Nilai di luar tabel"; unparseable text back in its own cell; signature on the right
  under the table, then the notes from column A.

Money uses ``#,##0;-#,##0;"-"``: Excel and LibreOffice draw the thousands separator of
the user's locale, so an Indonesian Windows shows ``1.478.960.200`` and an English one
``1,478,960,200``; zero shows as ``-`` like the accounting format of the original sheets.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rak_xl.grid import col_letter
from rak_xl.model import Kegiatan, Number, Program, Rak, StrayValue
from rak_xl.numbers import Targets, parse_targets

__all__ = [
    "COL",
    "COMPUTED_COLS",
    "FIRST_STRAY_COL",
    "LAST_OFFICIAL_COL",
    "MONEY_FORMAT",
    "MONTHS",
    "Formula",
    "PlanCell",
    "PrintSetup",
    "SheetPlan",
    "Style",
    "TableInfo",
    "TotalsBlock",
    "plan_sheet",
    "plan_totals",
]

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

# Physical columns (1-based) of the official sheet.
COL: Mapping[str, int] = {
    "s.uraian": 1,
    "s.indikator": 2,
    "s.target_tahunan": 3,
    "s.target_tw": 4,
    "p.uraian": 5,
    "p.indikator": 6,
    "p.target_tw": 7,
    "p.anggaran": 8,
    "k.uraian": 9,
    "k.indikator": 10,
    "k.volume": 11,
    "k.satuan": 12,
    "k.target_tw": 13,
    "k.kas.0": 14,  # .. k.kas.11 = 25
    "k.ket": 26,
}
MONTH_COLS: tuple[int, ...] = tuple(range(14, 26))
LAST_OFFICIAL_COL = 26
# Computed columns right of KET: year total, cash per quarter, stated budget, difference.
COMPUTED_COLS: Mapping[str, int] = {"setahun": 27, "kas_tw": 28, "anggaran": 29, "selisih": 30}
FIRST_STRAY_COL = 31
ROWS_PER_ITEM = 4

MONEY_FORMAT = '#,##0;-#,##0;"-"'


def _tw_format(q: int) -> str:
    # Two sections so a negative shows as "TW 1 = -5" rather than "-TW 1 = 5".
    return f'"TW {q + 1} = "General;"TW {q + 1} = -"General'


def _kas_tw_format(q: int) -> str:
    return f'"TW {q + 1}: "#,##0;"TW {q + 1}: -"#,##0;"TW {q + 1}: -"'


TAHUNAN_FORMAT = '"Tahunan = "General;"Tahunan = -"General'


# --------------------------------------------------------------------------------------
# Plan data
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Formula:
    """A live Excel formula (``text`` starts with ``=``, comma argument separators).

    Kept apart from plain strings so that user text beginning with ``=`` is written as
    text, never evaluated.
    """

    text: str


@dataclass(frozen=True)
class Style:
    """Cell style as data; adapters translate it (and cache one format per ``key``)."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float = 9.0
    h_align: str = "general"  # general | left | center | right
    v_align: str = "top"  # top | center | bottom
    wrap: bool = False
    indent: int = 0  # keeps right-aligned amounts off the cell border
    number_format: str = "General"
    fill: str | None = None  # "RRGGBB"
    border: bool = False  # thin border
    # Which sides when ``border``: "all", or "top"/"mid"/"bottom" for the rows of a block
    # drawn as one box without a merge (merges are costly for openpyxl to load).
    box: str = "all"
    font: str = "Arial"


PlanValue = str | int | float | bool | _dt.datetime | Formula | None


@dataclass(frozen=True)
class PlanCell:
    value: PlanValue
    style: Style = Style()


@dataclass(frozen=True)
class PrintSetup:
    landscape: bool = True
    paper_size: int = 14  # 9 = A4, 14 = Folio 8.5x13 (F4)
    fit_width: int = 1
    fit_height: int = 0  # as many pages as needed
    title_rows: tuple[int, int] | None = None  # repeated on every page
    print_area: tuple[int, int, int, int] | None = None  # r1, c1, r2, c2
    footer_center: str = "Halaman &P dari &N"
    margins_in: tuple[float, float, float, float] = (0.4, 0.4, 0.5, 0.6)  # l, r, t, b


@dataclass(frozen=True)
class TotalsBlock:
    """Rows of one program for the totals: kegiatan (first row, row count) + total row."""

    kegiatan: tuple[tuple[int, int], ...]
    first_row: int  # first row of the program block (its anggaran cell)
    last_row: int  # last kegiatan row (inclusive), before the total row
    total_row: int
    sasaran: int  # index of the sasaran it belongs to


@dataclass(frozen=True)
class TableInfo:
    group_row: int
    label_row: int
    number_row: int
    first_row: int  # first data row
    last_row: int  # last row of the table (the grand total row)
    kegiatan_rows: tuple[tuple[int, int], ...]  # (first row, row count)
    program_total_rows: tuple[int, ...]
    sasaran_total_rows: tuple[int, ...]
    grand_total_row: int


@dataclass(frozen=True)
class SheetPlan:
    cells: Mapping[tuple[int, int], PlanCell]
    merges: tuple[tuple[int, int, int, int], ...]
    col_widths: Mapping[int, float]
    row_heights: Mapping[int, float]
    freeze: tuple[int, int]  # top-left cell of the scrolling pane (row, col)
    print_setup: PrintSetup
    table: TableInfo
    last_row: int
    last_col: int


# --------------------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------------------
_HEADER_FILL = "D9E1F2"
_TOTAL_FILL = "F2F2F2"
_COMPUTED_FILL = "FFF2CC"

S_TITLE = Style(bold=True, size=12, h_align="center", v_align="center")
S_NOTE = Style(v_align="top")
S_HEAD = Style(
    bold=True, h_align="center", v_align="center", wrap=True, fill=_HEADER_FILL, border=True
)
S_HEAD_COMPUTED = Style(
    bold=True, h_align="center", v_align="center", wrap=True, fill=_COMPUTED_FILL, border=True
)
S_NUMBER_ROW = Style(italic=True, size=8, h_align="center", v_align="center", border=True)
S_TEXT = Style(h_align="left", v_align="top", wrap=True, border=True)
S_TEXT_CENTER = Style(h_align="center", v_align="top", wrap=True, border=True)
S_NUM = Style(h_align="center", v_align="top", border=True)
S_EMPTY = Style(border=True)
S_MONEY = Style(h_align="right", v_align="top", indent=1, number_format=MONEY_FORMAT, border=True)
S_TAHUNAN = Style(h_align="left", v_align="top", number_format=TAHUNAN_FORMAT, border=True)
S_TW = tuple(
    Style(h_align="left", v_align="top", number_format=_tw_format(q), border=True) for q in range(4)
)
S_C_MONEY = Style(
    h_align="right",
    v_align="top",
    indent=1,
    number_format=MONEY_FORMAT,
    border=True,
    fill=_COMPUTED_FILL,
)
S_C_KAS_TW = tuple(
    Style(
        h_align="right",
        v_align="top",
        number_format=_kas_tw_format(q),
        border=True,
        fill=_COMPUTED_FILL,
    )
    for q in range(4)
)
S_C_EMPTY = Style(border=True, fill=_COMPUTED_FILL)
S_TOTAL_LABEL = Style(
    bold=True, h_align="left", v_align="center", wrap=True, fill=_TOTAL_FILL, border=True
)
S_TOTAL_MONEY = Style(
    bold=True,
    h_align="right",
    indent=1,
    v_align="center",
    number_format=MONEY_FORMAT,
    fill=_TOTAL_FILL,
    border=True,
)
S_TOTAL_EMPTY = Style(fill=_TOTAL_FILL, border=True)
S_STRAY = Style(h_align="left", v_align="top", border=True)
S_SIGN = Style(h_align="center", v_align="top")
S_SIGN_NAME = Style(h_align="center", v_align="top", bold=True, underline=True)

_WIDTHS: Mapping[int, float] = {
    1: 18, 2: 16, 3: 10, 4: 10, 5: 20, 6: 17, 7: 10, 8: 14,
    9: 26, 10: 22, 11: 7, 12: 10, 13: 10, **{c: 11.0 for c in MONTH_COLS}, 26: 12,
    27: 15, 28: 15, 29: 15, 30: 15,
}  # fmt: skip
_STRAY_WIDTH = 14.0
_LINE_PT = 12.0  # height of one wrapped line of 9pt text
_MIN_ROW_PT = 11.5


# --------------------------------------------------------------------------------------
# Builder
# --------------------------------------------------------------------------------------
class _Builder:
    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], PlanCell] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.heights: dict[int, float] = {}
        self.last_col = LAST_OFFICIAL_COL

    def put(self, row: int, col: int, value: PlanValue, style: Style) -> None:
        self.cells[(row, col)] = PlanCell(value, style)
        if value is not None:
            self.last_col = max(self.last_col, col)

    def merge(self, r1: int, c1: int, r2: int, c2: int, style: Style | None = None) -> None:
        """Merge a range; every cell of it gets ``style`` (borders must be on all cells)."""
        if (r1, c1) == (r2, c2):
            return
        self.merges.append((r1, c1, r2, c2))
        if style is not None:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.cells[(r, c)] = PlanCell(None, style)

    def need_height(self, rows: Sequence[int], lines: int) -> None:
        """Make ``rows`` together tall enough for ``lines`` wrapped lines.

        Rows left without a height keep Excel's own (at least one line each): setting
        one anyway would cost Susun Ulang a round trip per row."""
        if lines <= len(rows) and not any(r in self.heights for r in rows):
            return
        total = sum(self.heights.get(r, _MIN_ROW_PT) for r in rows)
        want = lines * _LINE_PT + 3
        if want > total:
            extra = (want - total) / len(rows)
            for r in rows:
                self.heights[r] = round(self.heights.get(r, _MIN_ROW_PT) + extra, 1)


def _boxed(b: _Builder, rows: Sequence[int], col: int, value: PlanValue, style: Style) -> None:
    """``value`` on the first of ``rows``, the column drawn as one box over all of them."""
    for i, r in enumerate(rows):
        box = "top" if i == 0 else ("bottom" if i == len(rows) - 1 else "mid")
        b.put(r, col, value if i == 0 else None, _with_box(style, box))


@lru_cache(maxsize=256)
def _with_box(style: Style, box: str) -> Style:
    # Cached: a few styles, but 14 boxed columns x 4 rows per kegiatan.
    return replace(style, box=box)


def _lines(value: object, col: int) -> int:
    """Rough count of wrapped lines ``value`` needs in column ``col`` (9pt Arial)."""
    if value is None:
        return 1
    text = str(value)
    per_line = max(1, int(_WIDTHS.get(col, _STRAY_WIDTH) * 1.15))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _text_or_number(value: StrayValue | None) -> PlanValue:
    return value


def _raw_or(item_raw: Mapping[str, str], key: str, value: PlanValue) -> PlanValue:
    """Unparseable text goes back into its own cell (the reader keeps it as ``raw``)."""
    return item_raw.get(key, value)


_DATE_TEXT = re.compile(r"(\d{2})/(\d{2})/(\d{4})(?: (\d{2}):(\d{2}))?")


def _cell_of_raw(raw: Mapping[str, str], key: str, value: PlanValue) -> PlanValue:
    """The cell that gives ``raw[key]`` back. For these keys the reader keeps a text as
    raw only when it came from a date or TRUE/FALSE cell (text there is read as target
    text), so such a raw value is written back as that date or boolean."""
    if key not in raw:
        return value
    text = raw[key]
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    m = _DATE_TEXT.fullmatch(text)
    if m:
        day, month, year, hour, minute = (int(g) if g else 0 for g in m.groups())
        try:
            return _dt.datetime(year, month, day, hour, minute)
        except ValueError:
            return text
    return text


def _style_for(value: PlanValue, style: Style) -> Style:
    """Text left-aligned and wrapped; a date with a date format; else ``style``."""
    if isinstance(value, str):
        return S_TEXT
    if isinstance(value, _dt.datetime):
        fmt = "dd/mm/yyyy hh:mm" if value.time() != _dt.time() else "dd/mm/yyyy"
        return replace(S_TEXT, number_format=fmt)
    return style


def _target_cells(
    b: _Builder,
    row: int,
    col: int,
    targets: Sequence[Number | None],
    raw: Mapping[str, str],
) -> Targets | None:
    """TW 1..4 one per row; unreadable target text back in its own row.

    Returns what the first row's text says (quarters, annual target, Rp amount) so the
    caller leaves those cells empty: the reader takes them from the text again.
    """
    said = parse_targets(raw["target_tw"]) if "target_tw" in raw else None
    texts = {q: raw[f"target_tw.{q}"] for q in range(4) if f"target_tw.{q}" in raw}
    if said is not None:
        texts[0] = raw["target_tw"]
    # Quarters a text names itself come back from it; the others need a cell.
    named = set().union(*(parse_targets(t).labelled for t in texts.values()))
    values: list[PlanValue] = []
    displaced: dict[int, PlanValue] = {}
    for q in range(4):
        number: PlanValue = None if q in named else targets[q]
        if q in texts:
            whole = q == 0 and said is not None
            values.append(texts[0] if whole else _cell_of_raw(raw, f"target_tw.{q}", None))
            if number is not None:
                displaced[q] = number
        else:
            values.append(number)
    if displaced:
        _move_into_labelled_text(values, displaced, texts)
    for q, value in enumerate(values):
        b.put(row + q, col, value, _style_for(value, S_TW[q]))
    return said


def _move_into_labelled_text(
    values: list[PlanValue], displaced: dict[int, PlanValue], texts: Mapping[int, str]
) -> None:
    """Quarters whose row holds unreadable text go, as ``TW 2 = 5`` text, into a row
    without text: the reader applies a labelled text to the quarters it names, whatever
    the row. Only whole non-negative numbers, whose text reads the same in either
    separator convention; otherwise nothing moves (and the rebuild's check refuses to
    lose the value rather than write a wrong sheet)."""

    def plain(v: PlanValue) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    free = [q for q in range(4) if q not in texts and (values[q] is None or plain(values[q]))]
    if not free or not all(plain(v) for v in displaced.values()):
        return
    q = free[0]
    quarters = dict(displaced)
    if values[q] is not None:
        quarters[q] = values[q]
    values[q] = " ".join(f"TW {n + 1} = {quarters[n]}" for n in sorted(quarters))


def _strays(b: _Builder, row: int, values: Iterable[StrayValue]) -> None:
    for i, v in enumerate(values):
        b.put(row, FIRST_STRAY_COL + i, v, S_STRAY)


# The reader title-cases an ALL-CAPS title line with these particles in lower case.
_SMALL_WORDS = {"dan", "di", "ke", "dari", "yang", "untuk", "serta", "atau", "pada", "dengan"}


def _caps_if_lossless(text: str) -> str:
    """Upper-case a title line, as official sheets print it, when the reader's
    title-casing of the upper-case text gives ``text`` back; else keep it as it is."""
    words = " ".join(text.split()).lower().split()
    back = " ".join(
        w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )
    return text.upper() if back == text else text


def _title(b: _Builder, rak: Rak) -> int:
    kab = _caps_if_lossless(rak.kabupaten or "")
    if not kab.lower().startswith(("kota", "provinsi")):
        kab = f"KABUPATEN {kab}".strip()
    # A missing value gets no row at all: an empty "KABUPATEN" or "TAHUN" line would be
    # read back as the instansi or as a note.
    lines = ["RENCANA AKSI KINERJA"]
    if rak.instansi:
        lines.append(_caps_if_lossless(rak.instansi))
    if rak.kabupaten:
        lines.append(kab)
    if rak.tahun is not None:
        lines.append(f"TAHUN {rak.tahun}")
    row = 1
    for text in lines:
        b.put(row, 1, text, S_TITLE)
        b.merge(row, 1, row, LAST_OFFICIAL_COL, S_TITLE)
        b.heights[row] = 16.5
        row += 1
    row += 1  # blank row
    for values in rak.catatan_atas:
        for i, v in enumerate(values):
            b.put(row, 1 + i, v, S_NOTE)
        row += 1
    if rak.catatan_atas:
        row += 1
    return row


def _header(b: _Builder, row: int) -> tuple[int, int, int]:
    g, lab, num = row, row + 1, row + 2
    groups = [
        (1, 4, "SASARAN"),
        (5, 8, "PROGRAM"),
        (9, 13, "KEGIATAN"),
        (14, 25, "ANGGARAN KAS PER BULAN (Rp)"),
        (26, 26, "KET"),
        (27, 30, "PERHITUNGAN (rumus, tidak dicetak)"),
    ]
    for c1, c2, text in groups:
        style = S_HEAD_COMPUTED if c1 >= 27 else S_HEAD
        b.put(g, c1, text, style)
        if text == "KET":
            b.merge(g, c1, lab, c2, style)  # KET spans the group and label rows
        else:
            b.merge(g, c1, g, c2, style)
    labels = {
        1: "Uraian",
        2: "Indikator Kinerja",
        3: "Target Tahunan",
        4: "Target TW",
        5: "Uraian",
        6: "Indikator Program",
        7: "Target TW",
        8: "Anggaran (Rp)",
        9: "Uraian",
        10: "Indikator Kinerja",
        11: "Vol.",
        12: "Sat.",
        13: "Target TW",
        **{c: MONTHS[i] for i, c in enumerate(MONTH_COLS)},
        27: "Jumlah Setahun (Rp)",
        28: "Kas TW (Rp)",
        29: "Total Anggaran Program (Rp)",
        30: "Selisih Jumlah - Anggaran (Rp)",
    }
    for c, text in labels.items():
        b.put(lab, c, text, S_HEAD_COMPUTED if c >= 27 else S_HEAD)
    # Numbering row: logical columns 1..23, merged over their physical sub-columns.
    logical = [
        (1, 1), (2, 2), (3, 4), (5, 5), (6, 6), (7, 8), (9, 9), (10, 10), (11, 12), (13, 13),
        *[(c, c) for c in MONTH_COLS], (26, 26),
    ]  # fmt: skip
    for n, (c1, c2) in enumerate(logical, start=1):
        b.put(num, c1, n, S_NUMBER_ROW)
        b.merge(num, c1, num, c2, S_NUMBER_ROW)
    for c in COMPUTED_COLS.values():
        b.put(num, c, None, S_HEAD_COMPUTED)
    b.heights[lab] = 27  # two lines of labels; the group and numbering rows fit one
    return g, lab, num


def _kegiatan(b: _Builder, row: int, k: Kegiatan) -> int:
    rows = list(range(row, row + ROWS_PER_ITEM))
    last = rows[-1]
    raw = k.raw
    b.put(row, COL["k.uraian"], _raw_or(raw, "uraian", k.uraian), S_TEXT)
    b.put(row, COL["k.indikator"], _raw_or(raw, "indikator", k.indikator), S_TEXT)
    vol = _raw_or(raw, "volume", k.volume)
    _boxed(b, rows, COL["k.volume"], vol, S_TEXT_CENTER if isinstance(vol, str) else S_NUM)
    b.put(row, COL["k.satuan"], _raw_or(raw, "satuan", k.satuan), S_TEXT)
    for key in ("k.uraian", "k.indikator", "k.satuan"):
        c = COL[key]
        b.merge(row, c, last, c, b.cells[(row, c)].style)
    _target_cells(b, row, COL["k.target_tw"], k.target_tw, raw)
    for m, c in enumerate(MONTH_COLS):
        value = _raw_or(raw, f"kas_bulanan.{m}", k.kas_bulanan[m])
        _boxed(b, rows, c, value, S_TEXT if isinstance(value, str) else S_MONEY)
    b.put(row, COL["k.ket"], _raw_or(raw, "ket", k.ket), S_TEXT)
    b.merge(row, COL["k.ket"], last, COL["k.ket"], S_TEXT)
    # Computed: year total (merged) and cash per quarter (one row per TW).
    jan, dec = col_letter(MONTH_COLS[0]), col_letter(MONTH_COLS[-1])
    c_year = COMPUTED_COLS["setahun"]
    _boxed(b, rows, c_year, Formula(f"=SUM({jan}{row}:{dec}{row})"), S_C_MONEY)
    for q in range(4):
        m1, m3 = col_letter(MONTH_COLS[3 * q]), col_letter(MONTH_COLS[3 * q + 2])
        b.put(
            row + q, COMPUTED_COLS["kas_tw"], Formula(f"=SUM({m1}{row}:{m3}{row})"), S_C_KAS_TW[q]
        )
        for key in ("anggaran", "selisih"):
            b.put(row + q, COMPUTED_COLS[key], None, S_C_EMPTY)
    _strays(b, row, k.stray)
    texts = [
        (k.uraian, COL["k.uraian"]),
        (k.indikator, COL["k.indikator"]),
        (k.ket, COL["k.ket"]),
        (k.satuan, COL["k.satuan"]),
        *[(v, COL["k.target_tw"]) for v in raw.values()],
    ]
    b.need_height(rows, max(_lines(t, c) for t, c in texts))
    return last + 1


def _sum_of(cells: Sequence[str]) -> str:
    """``=SUM(a,b,...)``; nested in chunks because Excel allows 255 arguments."""
    if not cells:
        return "=0"
    chunks = [",".join(cells[i : i + 200]) for i in range(0, len(cells), 200)]
    return "=" + "+".join(f"SUM({c})" for c in chunks)


def _total_row(
    b: _Builder,
    row: int,
    label: str,
    month_formulas: Sequence[str],
    anggaran: str,
) -> None:
    """A total row: label in the kegiatan uraian column (merged to the target column)."""
    for c in range(COL["k.uraian"], FIRST_STRAY_COL):
        b.put(row, c, None, S_TOTAL_EMPTY)
    b.put(row, COL["k.uraian"], label, S_TOTAL_LABEL)
    b.merge(row, COL["k.uraian"], row, COL["k.target_tw"], S_TOTAL_LABEL)
    for c, f in zip(MONTH_COLS, month_formulas, strict=True):
        b.put(row, c, Formula(f), S_TOTAL_MONEY)
    jan, dec = col_letter(MONTH_COLS[0]), col_letter(MONTH_COLS[-1])
    year, ang = col_letter(COMPUTED_COLS["setahun"]), col_letter(COMPUTED_COLS["anggaran"])
    b.put(row, COMPUTED_COLS["setahun"], Formula(f"=SUM({jan}{row}:{dec}{row})"), S_TOTAL_MONEY)
    b.put(row, COMPUTED_COLS["anggaran"], Formula(anggaran), S_TOTAL_MONEY)
    b.put(row, COMPUTED_COLS["selisih"], Formula(f"={year}{row}-{ang}{row}"), S_TOTAL_MONEY)
    label_width = sum(_WIDTHS[c] for c in range(COL["k.uraian"], COL["k.target_tw"] + 1))
    b.need_height([row], math.ceil(len(label) / (label_width * 1.15)))


def plan_totals(
    programs: Sequence[TotalsBlock],
    sasaran_total_rows: Sequence[int],
    grand_total_row: int,
) -> dict[tuple[int, int], Formula]:
    """Formulas of every computed cell, from where the rows are (used by recalc too).

    Kegiatan: year total on its first row, cash per quarter on its first 4 rows (fewer
    when a user squeezed it). Program total row: per month the SUM over the program's
    kegiatan rows, year total, the stated anggaran (``N()`` so text counts as 0) and the
    difference. Sasaran and grand totals add the rows below them.
    """
    out: dict[tuple[int, int], Formula] = {}
    jan, dec = col_letter(MONTH_COLS[0]), col_letter(MONTH_COLS[-1])
    year_l = col_letter(COMPUTED_COLS["setahun"])
    ang_l = col_letter(COMPUTED_COLS["anggaran"])
    anggaran_l = col_letter(COL["p.anggaran"])

    def total(row: int, months: Sequence[str], anggaran: str) -> None:
        for c, f in zip(MONTH_COLS, months, strict=True):
            out[(row, c)] = Formula(f)
        out[(row, COMPUTED_COLS["setahun"])] = Formula(f"=SUM({jan}{row}:{dec}{row})")
        out[(row, COMPUTED_COLS["anggaran"])] = Formula(anggaran)
        out[(row, COMPUTED_COLS["selisih"])] = Formula(f"={year_l}{row}-{ang_l}{row}")

    for blk in programs:
        for first, n in blk.kegiatan:
            out[(first, COMPUTED_COLS["setahun"])] = Formula(f"=SUM({jan}{first}:{dec}{first})")
            for q in range(min(n, 4)):
                m1, m3 = col_letter(MONTH_COLS[3 * q]), col_letter(MONTH_COLS[3 * q + 2])
                out[(first + q, COMPUTED_COLS["kas_tw"])] = Formula(
                    f"=SUM({m1}{first}:{m3}{first})"
                )
        months = [
            f"=SUM({col_letter(c)}{blk.first_row}:{col_letter(c)}{blk.last_row})"
            if blk.kegiatan
            else "=0"
            for c in MONTH_COLS
        ]
        total(blk.total_row, months, f"=N({anggaran_l}{blk.first_row})")
    for si, srow in enumerate(sasaran_total_rows):
        rows = [blk.total_row for blk in programs if blk.sasaran == si]
        total(
            srow,
            [_sum_of([f"{col_letter(c)}{r}" for r in rows]) for c in MONTH_COLS],
            _sum_of([f"{ang_l}{r}" for r in rows]),
        )
    total(
        grand_total_row,
        [_sum_of([f"{col_letter(c)}{r}" for r in sasaran_total_rows]) for c in MONTH_COLS],
        _sum_of([f"{ang_l}{r}" for r in sasaran_total_rows]),
    )
    return out


def _rest(b: _Builder, r1: int, r2: int, col: int) -> None:
    """The rows of a TW column below an item's 4 targets: one empty merged cell."""
    if r1 <= r2:
        b.put(r1, col, None, S_EMPTY)
        b.merge(r1, col, r2, col, S_EMPTY)


_TOTAL_WORDS = re.compile(r"^\s*(jumlah|sub\s*total|total|selisih)\b", re.IGNORECASE)


def _not_a_total(b: _Builder, row: int) -> None:
    """Keep a row whose first text reads like a total label ("Jumlah desa ...", in an
    uraian or a target cell) from being skipped as a total row: the reader takes a row
    for a total when its first text starts so and the indikator/volume columns are
    empty, so a dash goes in the volume cell (the reader ignores a dash there)."""
    first = next(
        (
            v
            for c in range(1, COL["k.target_tw"] + 1)
            if isinstance(v := b.cells[(row, c)].value if (row, c) in b.cells else None, str)
        ),
        None,
    )
    if first is None or not _TOTAL_WORDS.match(first):
        return
    cols = (COL["k.indikator"], COL["k.volume"], COL["k.satuan"])
    if all(b.cells.get((row, c), PlanCell(None)).value is None for c in cols):
        c = COL["k.volume"]  # never merged: drawn as a box over the kegiatan's rows
        b.put(row, c, "-", b.cells[(row, c)].style if (row, c) in b.cells else S_EMPTY)


def _blank_rows(b: _Builder, row: int, from_col: int) -> int:
    """Four empty bordered rows from ``from_col`` on (an item's own TW rows)."""
    for r in range(row, row + ROWS_PER_ITEM):
        for c in range(from_col, FIRST_STRAY_COL):
            b.put(r, c, None, S_C_EMPTY if c >= COMPUTED_COLS["setahun"] else S_EMPTY)
    return row + ROWS_PER_ITEM


def _program(
    b: _Builder, row: int, p: Program, label: str, si: int, blocks: list[TotalsBlock]
) -> tuple[int, list[tuple[int, int]]]:
    first = row
    kg_rows: list[tuple[int, int]] = []
    if p.stray or not p.kegiatan:
        # Rows of the program alone: its TW targets need them when it has no kegiatan,
        # and its stray values must sit on a row no kegiatan starts on.
        row = _blank_rows(b, row, COL["k.uraian"])
    for k in p.kegiatan:
        kg_rows.append((row, ROWS_PER_ITEM))
        row = _kegiatan(b, row, k)
    last_kg = row - 1
    total_row = row
    blocks.append(TotalsBlock(tuple(kg_rows), first, last_kg, total_row, si))
    raw = p.raw
    cols = [
        (COL["p.uraian"], _raw_or(raw, "uraian", p.uraian), S_TEXT),
        (COL["p.indikator"], _raw_or(raw, "indikator", p.indikator), S_TEXT),
    ]
    said = _target_cells(b, first, COL["p.target_tw"], p.target_tw, raw)
    ang = _cell_of_raw(raw, "anggaran", p.anggaran)
    if said is not None and said.anggaran is not None:
        ang = None  # the target text carries the amount ("... Rp 1.167.508.000")
    cols.append((COL["p.anggaran"], ang, _style_for(ang, S_MONEY)))
    for c, v, st in cols:
        b.put(first, c, v, st)
        b.merge(first, c, total_row, c, st)
    _rest(b, first + ROWS_PER_ITEM, total_row, COL["p.target_tw"])
    _strays(b, first, p.stray)
    _total_row(b, total_row, label, ["=0"] * 12, "=0")
    b.need_height(
        list(range(first, total_row + 1)),
        max(_lines(p.uraian, COL["p.uraian"]), _lines(p.indikator, COL["p.indikator"])),
    )
    return total_row + 1, kg_rows


def plan_sheet(rak: Rak) -> SheetPlan:
    """Lay ``rak`` out as the official sheet (values, formulas, styles, print setup)."""
    b = _Builder()
    row = _title(b, rak)
    g, lab, num = _header(b, row)
    row = num + 1
    first_data = row
    blocks: list[TotalsBlock] = []
    all_kg: list[tuple[int, int]] = []
    sasaran_totals: list[int] = []
    for si, s in enumerate(rak.sasaran):
        s_first = row
        if s.stray or not s.program:
            row = _blank_rows(b, row, COL["p.uraian"])
        for pi, p in enumerate(s.program):
            # Numbered, not named: the name is beside it in the program column, and a
            # one-line label needs no row height of its own (one action per row in Excel).
            label = f"JUMLAH PROGRAM {si + 1}.{pi + 1}"
            row, kg = _program(b, row, p, label, si, blocks)
            all_kg.extend(kg)
        s_total = row
        sasaran_totals.append(s_total)
        label = f"JUMLAH SASARAN {si + 1}"
        _total_row(b, s_total, label, ["=0"] * 12, "=0")
        for c in range(COL["p.uraian"], COL["k.uraian"]):
            b.put(s_total, c, None, S_TOTAL_EMPTY)
        raw = s.raw
        b.put(s_first, COL["s.uraian"], _raw_or(raw, "uraian", s.uraian), S_TEXT)
        b.put(s_first, COL["s.indikator"], _raw_or(raw, "indikator", s.indikator), S_TEXT)
        said = _target_cells(b, s_first, COL["s.target_tw"], s.target_tw, raw)
        tah = _cell_of_raw(raw, "target_tahunan", s.target_tahunan)
        if said is not None and said.tahunan is not None:
            tah = None
        b.put(s_first, COL["s.target_tahunan"], tah, _style_for(tah, S_TAHUNAN))
        for key in ("s.uraian", "s.indikator", "s.target_tahunan"):
            c = COL[key]
            b.merge(s_first, c, s_total, c, b.cells[(s_first, c)].style)
        _rest(b, s_first + ROWS_PER_ITEM, s_total, COL["s.target_tw"])
        _strays(b, s_first, s.stray)
        b.need_height(
            list(range(s_first, s_total + 1)),
            max(_lines(s.uraian, COL["s.uraian"]), _lines(s.indikator, COL["s.indikator"])),
        )
        row = s_total + 1
    totals = {blk.total_row for blk in blocks} | set(sasaran_totals)
    for r in range(first_data, row):
        if r not in totals:
            _not_a_total(b, r)
    grand = row
    _total_row(b, grand, "JUMLAH TOTAL", ["=0"] * 12, "=0")
    for c in range(1, COL["k.uraian"]):
        b.put(grand, c, None, S_TOTAL_EMPTY)
    for (r, c), f in plan_totals(blocks, sasaran_totals, grand).items():
        b.put(r, c, f, b.cells[(r, c)].style if (r, c) in b.cells else S_C_MONEY)
    # Stray header over the stray columns actually used.
    for c in range(FIRST_STRAY_COL, b.last_col + 1):
        b.put(lab, c, "Nilai di luar tabel" if c == FIRST_STRAY_COL else None, S_HEAD)
        b.put(g, c, None, S_HEAD)
        b.put(num, c, None, S_HEAD)
    last_table_row = grand
    row = _signature(b, rak, grand + 2)
    if rak.catatan:
        row += 1
        for values in rak.catatan:
            for c, v in zip(_note_columns(values), values, strict=True):
                b.put(row, c, v, S_NOTE)
                b.last_col = max(b.last_col, c)
            row += 1
    last_row = max([r for r, _ in b.cells] or [grand])
    widths = {c: float(w) for c, w in _WIDTHS.items()}
    for c in range(FIRST_STRAY_COL, b.last_col + 1):
        widths[c] = _STRAY_WIDTH
    table = TableInfo(
        group_row=g,
        label_row=lab,
        number_row=num,
        first_row=first_data,
        last_row=last_table_row,
        kegiatan_rows=tuple(all_kg),
        program_total_rows=tuple(blk.total_row for blk in blocks),
        sasaran_total_rows=tuple(sasaran_totals),
        grand_total_row=grand,
    )
    return SheetPlan(
        cells=dict(b.cells),
        merges=tuple(b.merges),
        col_widths=widths,
        row_heights=dict(b.heights),
        freeze=(num + 1, 1),
        print_setup=PrintSetup(
            title_rows=(g, num),
            print_area=(1, 1, last_row, LAST_OFFICIAL_COL),
        ),
        table=table,
        last_row=last_row,
        last_col=b.last_col,
    )


# Columns for the values of a note row below the table, chosen so that the reader takes
# the row neither for table data nor for a total row: column A, then the indikator
# columns (logical 5 and 8), then text in the volume/month columns (a number there would
# look like a kegiatan), and anything else right of the computed columns. A first text
# that starts like a total label ("Jumlah ...") goes to the month columns, where the
# reader does not look for total labels.
_NOTE_COLS_ANY = (1, COL["p.indikator"], COL["k.indikator"])
_NOTE_COLS_TEXT = (COL["k.volume"], COL["k.satuan"], *MONTH_COLS)


def _note_columns(values: Sequence[StrayValue]) -> list[int]:
    cols: list[int] = []
    last = 0
    seen_text = False
    for v in values:
        if isinstance(v, str):
            if not seen_text and _TOTAL_WORDS.match(v):
                last = max(last, MONTH_COLS[0] - 1)
            seen_text = True
            pool = [*_NOTE_COLS_ANY, *_NOTE_COLS_TEXT]
        else:
            pool = list(_NOTE_COLS_ANY)
        c = next((c for c in pool if c > last), max(last + 1, FIRST_STRAY_COL))
        cols.append(c)
        last = c
    return cols


def _signature(b: _Builder, rak: Rak, row: int) -> int:
    """Signature block right-aligned under the table (months Sep..KET); returns next row."""
    t = rak.penandatangan
    fields = [t.tempat_tanggal, t.jabatan, None, None, None, t.nama, t.pangkat]
    if all(v is None for v in fields) and t.nip is None:
        return row
    # The reader anchors the block on its "NIP." line, so it is written even when empty.
    fields.append(f"NIP. {t.nip}" if t.nip is not None else "NIP.")
    c1, c2 = MONTH_COLS[8], LAST_OFFICIAL_COL
    for i, v in enumerate(fields):
        style = S_SIGN_NAME if i == 5 else S_SIGN
        b.put(row + i, c1, v, style)
        b.merge(row + i, c1, row + i, c2, style)
    return row + len(fields)
