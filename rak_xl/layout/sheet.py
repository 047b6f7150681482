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
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rak_xl.grid import col_letter
from rak_xl.layout.builder import (
    Builder,
    boxed,
    cell_of_raw,
    lines,
    raw_or,
    strays,
    style_for,
    target_cells,
)
from rak_xl.layout.plan import Formula, PlanCell, PrintSetup, SheetPlan, TableInfo, TotalsBlock
from rak_xl.layout.styles import (
    S_C_EMPTY,
    S_C_KAS_TW,
    S_C_MONEY,
    S_EMPTY,
    S_HEAD,
    S_HEAD_COMPUTED,
    S_MONEY,
    S_NOTE,
    S_NUM,
    S_NUMBER_ROW,
    S_SIGN,
    S_SIGN_NAME,
    S_TAHUNAN,
    S_TEXT,
    S_TEXT_CENTER,
    S_TITLE,
    S_TOTAL_EMPTY,
    S_TOTAL_LABEL,
    S_TOTAL_MONEY,
    STRAY_WIDTH,
    WIDTHS,
)
from rak_xl.layout.totals import plan_totals, total_row_formulas
from rak_xl.model import Kegiatan, Program, Rak, Sasaran, StrayValue
from rak_xl.sheet_spec import (
    COL,
    COMPUTED_COLS,
    FIRST_STRAY_COL,
    GRAND_TOTAL_LABEL,
    HEADER_GROUPS,
    HEADER_LABELS,
    LAST_OFFICIAL_COL,
    OFFICIAL_KAS_COLS,
    OFFICIAL_SPAN,
    ROWS_PER_ITEM,
    STRAY_HEADER,
    TITLE,
    caps_if_lossless,
    program_total_label,
    sasaran_total_label,
    starts_like_total,
)

__all__ = ["plan_sheet"]


@dataclass
class _Table:
    """Where the table's rows went, as the totals and ``TableInfo`` need them."""

    blocks: list[TotalsBlock] = field(default_factory=list)
    kegiatan_rows: list[tuple[int, int]] = field(default_factory=list)
    sasaran_totals: list[int] = field(default_factory=list)


def plan_sheet(rak: Rak) -> SheetPlan:
    """Lay ``rak`` out as the official sheet (values, formulas, styles, print setup)."""
    b = Builder()
    g, lab, num = _header(b, _title(b, rak))
    first_data = num + 1
    table = _Table()
    row = first_data
    for si, s in enumerate(rak.sasaran):
        row = _sasaran(b, row, s, si, table)
    _keep_non_totals(b, table, first_data, row)
    grand = row
    _grand_total(b, grand)
    for (r, c), f in plan_totals(table.blocks, table.sasaran_totals, grand).items():
        b.put(r, c, f, b.cells[(r, c)].style if (r, c) in b.cells else S_C_MONEY)
    _stray_header(b, g, lab, num)
    _notes_below(b, rak, _signature(b, rak, grand + 2))
    last_row = max([r for r, _ in b.cells] or [grand])
    widths = {c: float(w) for c, w in WIDTHS.items()}
    for c in range(FIRST_STRAY_COL, b.last_col + 1):
        widths[c] = STRAY_WIDTH
    info = TableInfo(
        group_row=g,
        label_row=lab,
        number_row=num,
        first_row=first_data,
        last_row=grand,
        kegiatan_rows=tuple(table.kegiatan_rows),
        program_total_rows=tuple(blk.total_row for blk in table.blocks),
        sasaran_total_rows=tuple(table.sasaran_totals),
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
        table=info,
        last_row=last_row,
        last_col=b.last_col,
    )


# --------------------------------------------------------------------------------------
# Above the table: title lines, notes, the three header rows
# --------------------------------------------------------------------------------------
def _title(b: Builder, rak: Rak) -> int:
    kab = caps_if_lossless(rak.kabupaten or "")
    if not kab.lower().startswith(("kota", "provinsi")):
        kab = f"KABUPATEN {kab}".strip()
    # A missing value gets no row at all: an empty "KABUPATEN" or "TAHUN" line would be
    # read back as the instansi or as a note.
    title_lines = [TITLE]
    if rak.instansi:
        title_lines.append(caps_if_lossless(rak.instansi))
    if rak.kabupaten:
        title_lines.append(kab)
    if rak.tahun is not None:
        title_lines.append(f"TAHUN {rak.tahun}")
    row = 1
    for text in title_lines:
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


def _header(b: Builder, row: int) -> tuple[int, int, int]:
    g, lab, num = row, row + 1, row + 2
    computed = COMPUTED_COLS["setahun"]
    for c1, c2, text in HEADER_GROUPS:
        style = S_HEAD_COMPUTED if c1 >= computed else S_HEAD
        b.put(g, c1, text, style)
        if c1 == COL["k.ket"]:
            b.merge(g, c1, lab, c2, style)  # KET spans the group and label rows
        else:
            b.merge(g, c1, g, c2, style)
    for c, text in HEADER_LABELS.items():
        b.put(lab, c, text, S_HEAD_COMPUTED if c >= computed else S_HEAD)
    # Numbering row: logical columns 1..23, merged over their physical sub-columns.
    for n, (c1, c2) in OFFICIAL_SPAN.items():
        b.put(num, c1, int(n), S_NUMBER_ROW)
        b.merge(num, c1, num, c2, S_NUMBER_ROW)
    for c in COMPUTED_COLS.values():
        b.put(num, c, None, S_HEAD_COMPUTED)
    b.heights[lab] = 27  # two lines of labels; the group and numbering rows fit one
    return g, lab, num


# --------------------------------------------------------------------------------------
# The table: sasaran, program and kegiatan blocks, total rows
# --------------------------------------------------------------------------------------
def _sasaran(b: Builder, row: int, s: Sasaran, si: int, table: _Table) -> int:
    """Sasaran ``s`` (index ``si``) with its programs from ``row``; returns the next row."""
    first = row
    if s.stray or not s.program:
        row = _blank_rows(b, row, COL["p.uraian"])
    for pi, p in enumerate(s.program):
        row = _program(b, row, p, program_total_label(si, pi), si, table)
    total = row
    table.sasaran_totals.append(total)
    _total_row(b, total, sasaran_total_label(si))
    for c in range(COL["p.uraian"], COL["k.uraian"]):
        b.put(total, c, None, S_TOTAL_EMPTY)
    raw = s.raw
    b.put(first, COL["s.uraian"], raw_or(raw, "uraian", s.uraian), S_TEXT)
    b.put(first, COL["s.indikator"], raw_or(raw, "indikator", s.indikator), S_TEXT)
    said = target_cells(b, first, COL["s.target_tw"], s.target_tw, raw)
    tah = cell_of_raw(raw, "target_tahunan", s.target_tahunan)
    if said is not None and said.tahunan is not None:
        tah = None
    b.put(first, COL["s.target_tahunan"], tah, style_for(tah, S_TAHUNAN))
    for key in ("s.uraian", "s.indikator", "s.target_tahunan"):
        c = COL[key]
        b.merge(first, c, total, c, b.cells[(first, c)].style)
    _rest(b, first + ROWS_PER_ITEM, total, COL["s.target_tw"])
    strays(b, first, s.stray)
    b.need_height(
        list(range(first, total + 1)),
        max(lines(s.uraian, COL["s.uraian"]), lines(s.indikator, COL["s.indikator"])),
    )
    return total + 1


def _program(b: Builder, row: int, p: Program, label: str, si: int, table: _Table) -> int:
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
    table.blocks.append(TotalsBlock(tuple(kg_rows), first, last_kg, total_row, si))
    table.kegiatan_rows.extend(kg_rows)
    raw = p.raw
    cols = [
        (COL["p.uraian"], raw_or(raw, "uraian", p.uraian), S_TEXT),
        (COL["p.indikator"], raw_or(raw, "indikator", p.indikator), S_TEXT),
    ]
    said = target_cells(b, first, COL["p.target_tw"], p.target_tw, raw)
    ang = cell_of_raw(raw, "anggaran", p.anggaran)
    if said is not None and said.anggaran is not None:
        ang = None  # the target text carries the amount ("... Rp 1.167.508.000")
    cols.append((COL["p.anggaran"], ang, style_for(ang, S_MONEY)))
    for c, v, st in cols:
        b.put(first, c, v, st)
        b.merge(first, c, total_row, c, st)
    _rest(b, first + ROWS_PER_ITEM, total_row, COL["p.target_tw"])
    strays(b, first, p.stray)
    _total_row(b, total_row, label)
    b.need_height(
        list(range(first, total_row + 1)),
        max(lines(p.uraian, COL["p.uraian"]), lines(p.indikator, COL["p.indikator"])),
    )
    return total_row + 1


def _kegiatan(b: Builder, row: int, k: Kegiatan) -> int:
    rows = list(range(row, row + ROWS_PER_ITEM))
    last = rows[-1]
    raw = k.raw
    b.put(row, COL["k.uraian"], raw_or(raw, "uraian", k.uraian), S_TEXT)
    b.put(row, COL["k.indikator"], raw_or(raw, "indikator", k.indikator), S_TEXT)
    vol = raw_or(raw, "volume", k.volume)
    boxed(b, rows, COL["k.volume"], vol, S_TEXT_CENTER if isinstance(vol, str) else S_NUM)
    b.put(row, COL["k.satuan"], raw_or(raw, "satuan", k.satuan), S_TEXT)
    for key in ("k.uraian", "k.indikator", "k.satuan"):
        c = COL[key]
        b.merge(row, c, last, c, b.cells[(row, c)].style)
    target_cells(b, row, COL["k.target_tw"], k.target_tw, raw)
    for m, c in enumerate(OFFICIAL_KAS_COLS):
        value = raw_or(raw, f"kas_bulanan.{m}", k.kas_bulanan[m])
        boxed(b, rows, c, value, S_TEXT if isinstance(value, str) else S_MONEY)
    b.put(row, COL["k.ket"], raw_or(raw, "ket", k.ket), S_TEXT)
    b.merge(row, COL["k.ket"], last, COL["k.ket"], S_TEXT)
    # Computed: year total (merged) and cash per quarter (one row per TW).
    jan, dec = col_letter(OFFICIAL_KAS_COLS[0]), col_letter(OFFICIAL_KAS_COLS[-1])
    c_year = COMPUTED_COLS["setahun"]
    boxed(b, rows, c_year, Formula(f"=SUM({jan}{row}:{dec}{row})"), S_C_MONEY)
    for q in range(4):
        m1, m3 = col_letter(OFFICIAL_KAS_COLS[3 * q]), col_letter(OFFICIAL_KAS_COLS[3 * q + 2])
        b.put(
            row + q, COMPUTED_COLS["kas_tw"], Formula(f"=SUM({m1}{row}:{m3}{row})"), S_C_KAS_TW[q]
        )
        for key in ("anggaran", "selisih"):
            b.put(row + q, COMPUTED_COLS[key], None, S_C_EMPTY)
    strays(b, row, k.stray)
    texts = [
        (k.uraian, COL["k.uraian"]),
        (k.indikator, COL["k.indikator"]),
        (k.ket, COL["k.ket"]),
        (k.satuan, COL["k.satuan"]),
        *[(v, COL["k.target_tw"]) for v in raw.values()],
    ]
    b.need_height(rows, max(lines(t, c) for t, c in texts))
    return last + 1


def _total_row(b: Builder, row: int, label: str) -> None:
    """A total row: label in the kegiatan uraian column (merged to the target column),
    its formulas as placeholders (``plan_totals`` fills them in)."""
    for c in range(COL["k.uraian"], FIRST_STRAY_COL):
        b.put(row, c, None, S_TOTAL_EMPTY)
    b.put(row, COL["k.uraian"], label, S_TOTAL_LABEL)
    b.merge(row, COL["k.uraian"], row, COL["k.target_tw"], S_TOTAL_LABEL)
    for c, f in total_row_formulas(row, ["=0"] * 12, "=0").items():
        b.put(row, c, f, S_TOTAL_MONEY)
    label_width = sum(WIDTHS[c] for c in range(COL["k.uraian"], COL["k.target_tw"] + 1))
    b.need_height([row], math.ceil(len(label) / (label_width * 1.15)))


def _grand_total(b: Builder, row: int) -> None:
    _total_row(b, row, GRAND_TOTAL_LABEL)
    for c in range(1, COL["k.uraian"]):
        b.put(row, c, None, S_TOTAL_EMPTY)


def _rest(b: Builder, r1: int, r2: int, col: int) -> None:
    """The rows of a TW column below an item's 4 targets: one empty merged cell."""
    if r1 <= r2:
        b.put(r1, col, None, S_EMPTY)
        b.merge(r1, col, r2, col, S_EMPTY)


def _blank_rows(b: Builder, row: int, from_col: int) -> int:
    """Four empty bordered rows from ``from_col`` on (an item's own TW rows)."""
    for r in range(row, row + ROWS_PER_ITEM):
        for c in range(from_col, FIRST_STRAY_COL):
            b.put(r, c, None, S_C_EMPTY if c >= COMPUTED_COLS["setahun"] else S_EMPTY)
    return row + ROWS_PER_ITEM


def _keep_non_totals(b: Builder, table: _Table, first: int, end: int) -> None:
    """``_not_a_total`` on every table row from ``first`` to before ``end`` that is not
    one of the total rows."""
    totals = {blk.total_row for blk in table.blocks} | set(table.sasaran_totals)
    for r in range(first, end):
        if r not in totals:
            _not_a_total(b, r)


def _not_a_total(b: Builder, row: int) -> None:
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
    if first is None or not starts_like_total(first):
        return
    cols = (COL["k.indikator"], COL["k.volume"], COL["k.satuan"])
    if all(b.cells.get((row, c), PlanCell(None)).value is None for c in cols):
        c = COL["k.volume"]  # never merged: drawn as a box over the kegiatan's rows
        b.put(row, c, "-", b.cells[(row, c)].style if (row, c) in b.cells else S_EMPTY)


def _stray_header(b: Builder, g: int, lab: int, num: int) -> None:
    """The header over the stray-value columns actually used."""
    for c in range(FIRST_STRAY_COL, b.last_col + 1):
        b.put(lab, c, STRAY_HEADER if c == FIRST_STRAY_COL else None, S_HEAD)
        b.put(g, c, None, S_HEAD)
        b.put(num, c, None, S_HEAD)


# --------------------------------------------------------------------------------------
# Below the table: the signature, then the notes
# --------------------------------------------------------------------------------------
def _signature(b: Builder, rak: Rak, row: int) -> int:
    """Signature block right-aligned under the table (months Sep..KET); returns next row."""
    t = rak.penandatangan
    fields = [t.tempat_tanggal, t.jabatan, None, None, None, t.nama, t.pangkat]
    if all(v is None for v in fields) and t.nip is None:
        return row
    # The reader anchors the block on its "NIP." line, so it is written even when empty.
    fields.append(f"NIP. {t.nip}" if t.nip is not None else "NIP.")
    c1, c2 = OFFICIAL_KAS_COLS[8], LAST_OFFICIAL_COL
    for i, v in enumerate(fields):
        style = S_SIGN_NAME if i == 5 else S_SIGN
        b.put(row + i, c1, v, style)
        b.merge(row + i, c1, row + i, c2, style)
    return row + len(fields)


def _notes_below(b: Builder, rak: Rak, row: int) -> None:
    """The notes below the table (``catatan``), after a blank row."""
    if not rak.catatan:
        return
    row += 1
    for values in rak.catatan:
        for c, v in zip(_note_columns(values), values, strict=True):
            b.put(row, c, v, S_NOTE)
            b.last_col = max(b.last_col, c)
        row += 1


# Columns for the values of a note row below the table, chosen so that the reader takes
# the row neither for table data nor for a total row: column A, then the indikator
# columns (logical 5 and 8), then text in the volume/month columns (a number there would
# look like a kegiatan), and anything else right of the computed columns. A first text
# that starts like a total label ("Jumlah ...") goes to the month columns, where the
# reader does not look for total labels.
_NOTE_COLS_ANY = (1, COL["p.indikator"], COL["k.indikator"])
_NOTE_COLS_TEXT = (COL["k.volume"], COL["k.satuan"], *OFFICIAL_KAS_COLS)


def _note_columns(values: Sequence[StrayValue]) -> list[int]:
    cols: list[int] = []
    last = 0
    seen_text = False
    for v in values:
        if isinstance(v, str):
            if not seen_text and starts_like_total(v):
                last = max(last, OFFICIAL_KAS_COLS[0] - 1)
            seen_text = True
            pool = [*_NOTE_COLS_ANY, *_NOTE_COLS_TEXT]
        else:
            pool = list(_NOTE_COLS_ANY)
        c = next((c for c in pool if c > last), max(last + 1, FIRST_STRAY_COL))
        cols.append(c)
        last = c
    return cols
