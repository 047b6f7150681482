"""The table's rows: sasaran and program blocks, the rows holding a cash plan, total rows.

Either form: a block's cells sit on its first row, its texts merged down to its totals
row, its numbers in a box drawn without a merge. The 2020 form's program holds kegiatan
rows; the 4-level form's program holds kegiatan blocks (``blocks4``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rak_xl.grid import col_letter
from rak_xl.layout.builder import Builder, cell_of_raw, raw_or, strays, style_for, target_cells
from rak_xl.layout.frame import boxed
from rak_xl.layout.plan import Formula, KegiatanTotal, ProgramTotal, TotalsBlock
from rak_xl.layout.styles import (
    S_C_EMPTY,
    S_C_MONEY,
    S_EMPTY,
    S_KODE,
    S_MONEY,
    S_NUM,
    S_TAHUNAN,
    S_TEXT,
    S_TEXT_CENTER,
    S_TOTAL_EMPTY,
    S_TOTAL_LABEL,
    S_TOTAL_MONEY,
    S_YEAR,
)
from rak_xl.layout.totals import total_row_formulas
from rak_xl.model import Kegiatan, Program, Sasaran, SubKegiatan
from rak_xl.sheet_spec import (
    GRAND_TOTAL_LABEL,
    NO_COL,
    NO_TOTAL,
    program_total_label,
    sasaran_total_label,
)

__all__ = [
    "Table",
    "blank_row",
    "down",
    "grand_total",
    "holder_row",
    "item_head",
    "level_cols",
    "merged_down",
    "program3",
    "sasaran_block",
    "total_row",
]


@dataclass
class Table:
    """Where the table's rows went, as the totals, the page breaks and ``TableInfo``
    need them."""

    blocks: list[TotalsBlock] = field(default_factory=list)
    kegiatan_rows: list[tuple[int, int]] = field(default_factory=list)
    sasaran_totals: list[int] = field(default_factory=list)
    # (first row, total row, uraian) of each sasaran and program block.
    sasaran_blocks: list[tuple[int, int, str | None]] = field(default_factory=list)
    program_blocks: list[tuple[int, int, str | None]] = field(default_factory=list)
    # The 4-level form's: rows holding a cash plan, kegiatan and program totals.
    holders: list[tuple[int, bool]] = field(default_factory=list)
    kegiatan_totals: list[KegiatanTotal] = field(default_factory=list)
    program_totals: list[ProgramTotal] = field(default_factory=list)


def level_cols(b: Builder, level: str) -> range:
    """The columns of ``level``'s group (up to the next level's)."""
    form = b.form
    i = form.levels.index(level)
    return range(form.first_col(level), form.first_col(form.levels[i + 1]))


# --------------------------------------------------------------------------------------
# Sasaran and program blocks
# --------------------------------------------------------------------------------------
ProgramBlock = Callable[[Builder, int, Program, tuple[int, int], Table], int]


def sasaran_block(
    b: Builder, row: int, s: Sasaran, si: int, table: Table, program: ProgramBlock
) -> int:
    """Sasaran ``s`` (index ``si``) with its programs from ``row``, each laid out by
    ``program``; returns the next row."""
    col = b.col
    first = row
    if s.stray or not s.program:
        b.put(row, NO_COL, f"{si + 1}", S_TEXT)
        row = blank_row(b, row, b.form.first_col("p"))
    for pi, p in enumerate(s.program):
        row = program(b, row, p, (si, pi), table)
    total = row
    b.put(total, NO_COL, f"{NO_TOTAL} {si + 1}", S_TOTAL_LABEL)
    table.sasaran_totals.append(total)
    table.sasaran_blocks.append((first, total, s.uraian))
    total_row(b, total, sasaran_total_label(si))
    for level in b.form.levels[1:-1]:
        for c in level_cols(b, level):
            b.put(total, c, None, S_TOTAL_EMPTY)
    raw = s.raw
    b.put(first, col["s.uraian"], raw_or(raw, "uraian", s.uraian), S_TEXT)
    b.put(first, col["s.indikator"], raw_or(raw, "indikator", s.indikator), S_TEXT)
    said = target_cells(b, first, "s", s.target_tw, raw)
    tah = cell_of_raw(raw, "target_tahunan", s.target_tahunan)
    if said is not None and said.tahunan is not None:
        tah = None
    b.put(first, col["s.target_tahunan"], tah, style_for(tah, S_TAHUNAN))
    down(b, first, total, level_cols(b, "s"))
    strays(b, first, s.stray)
    return total + 1


def item_head(b: Builder, first: int, level: str, item: Program | Kegiatan) -> None:
    """A program's (a 4-level kegiatan's) own cells on its block's first row: code, name,
    indikator, targets, anggaran."""
    col, raw = b.col, item.raw
    if f"{level}.kode" in col:
        b.put(first, col[f"{level}.kode"], item.kode, S_KODE)
    b.put(first, col[f"{level}.uraian"], raw_or(raw, "uraian", item.uraian), S_TEXT)
    b.put(first, col[f"{level}.indikator"], raw_or(raw, "indikator", item.indikator), S_TEXT)
    said = target_cells(b, first, level, item.target_tw, raw)
    ang = cell_of_raw(raw, "anggaran", item.anggaran)
    if said is not None and said.anggaran is not None:
        ang = None  # the target text carries the amount ("... Rp 1.167.508.000")
    b.put(first, col[f"{level}.anggaran"], ang, style_for(ang, S_MONEY))


def program3(b: Builder, row: int, p: Program, at: tuple[int, int], table: Table) -> int:
    """The 2020 form's program block: one row per kegiatan, then its total row."""
    si, pi = at
    code = f"{si + 1}.{pi + 1}"
    first = row
    kg_rows: list[tuple[int, int]] = []
    if p.stray or not p.kegiatan:
        # A row of the program alone: its stray values must sit on a row no kegiatan
        # starts on, and a program without kegiatan still has its row.
        b.put(row, NO_COL, code, S_TEXT)
        row = blank_row(b, row, b.col["k.uraian"])
    for ki, k in enumerate(p.kegiatan):
        kg_rows.append((row, 1))
        b.put(row, NO_COL, f"{code}.{ki + 1}", S_TEXT)
        row = holder_row(b, row, k)
    last_kg = row - 1
    total = row
    table.blocks.append(TotalsBlock(tuple(kg_rows), first, last_kg, total, si))
    table.kegiatan_rows.extend(kg_rows)
    table.program_blocks.append((first, total, p.uraian))
    item_head(b, first, "p", p)
    down(b, first, total, level_cols(b, "p"))
    strays(b, first, p.stray)
    total_row(b, total, program_total_label(si, pi))
    b.put(total, NO_COL, f"{NO_TOTAL} {code}", S_TOTAL_LABEL)
    return total + 1


# --------------------------------------------------------------------------------------
# A row holding a cash plan: a 2020 kegiatan, a sub kegiatan, a kegiatan's own row
# --------------------------------------------------------------------------------------
def holder_row(b: Builder, row: int, k: Kegiatan | SubKegiatan, *, own: bool = False) -> int:
    """The cash holder's columns of ``row``. ``own``: a 4-level kegiatan's own row, whose
    name, indikator and targets are its block's (its volume, months and KET are here)."""
    form, col, raw = b.form, b.col, k.raw
    x = form.leaf
    if not own:
        if f"{x}.kode" in col:
            b.put(row, col[f"{x}.kode"], k.kode, S_KODE)
        b.put(row, col[f"{x}.uraian"], raw_or(raw, "uraian", k.uraian), S_TEXT)
        b.put(row, col[f"{x}.indikator"], raw_or(raw, "indikator", k.indikator), S_TEXT)
    vol = raw_or(raw, "volume", k.volume)
    b.put(row, col[f"{x}.volume"], vol, S_TEXT_CENTER if isinstance(vol, str) else S_NUM)
    b.put(row, col[f"{x}.satuan"], raw_or(raw, "satuan", k.satuan), S_TEXT)
    if own:
        for c in (*form.quarter_cols(x), col[f"{x}.target_text"], col[f"{x}.anggaran"]):
            b.put(row, c, None, S_EMPTY)
        for c in (col[f"{x}.kode"], col[f"{x}.uraian"], col[f"{x}.indikator"]):
            b.put(row, c, None, S_TEXT)
    else:
        target_cells(b, row, x, k.target_tw, raw)
    if isinstance(k, SubKegiatan):
        ang = cell_of_raw(raw, "anggaran", k.anggaran)
        b.put(row, col[f"{x}.anggaran"], ang, style_for(ang, S_MONEY))
    blank = k.uraian is None and not any(k.kas_bulanan) and not raw  # the row to type into
    for m, c in enumerate(form.kas_cols):
        value = None if blank else raw_or(raw, f"kas_bulanan.{m}", k.kas_bulanan[m])
        b.put(row, c, value, S_TEXT if isinstance(value, str) else S_MONEY)
    jan, dec = col_letter(form.kas_cols[0]), col_letter(form.kas_cols[-1])
    b.put(row, col["setahun"], Formula(f"=SUM({jan}{row}:{dec}{row})"), S_YEAR)
    b.put(row, col[f"{x}.ket"], raw_or(raw, "ket", k.ket), S_TEXT)
    computed = form.computed_cols
    for q in range(4):
        m1, m3 = col_letter(form.kas_cols[3 * q]), col_letter(form.kas_cols[3 * q + 2])
        b.put(row, computed[f"kas_tw.{q}"], Formula(f"=SUM({m1}{row}:{m3}{row})"), S_C_MONEY)
    # A sub kegiatan's stated anggaran and its difference are formulas (the totals
    # planner fills them in); a 2020 kegiatan's are its program's, on the total row.
    style = S_C_MONEY if isinstance(k, SubKegiatan) else S_C_EMPTY
    for key in ("anggaran", "selisih"):
        b.put(row, computed[key], None, style)
    strays(b, row, k.stray)
    return row + 1


# --------------------------------------------------------------------------------------
# Total rows
# --------------------------------------------------------------------------------------
def total_row(b: Builder, row: int, label: str) -> None:
    """A total row: label in the cash holder's uraian column (the cells beside it empty,
    so it runs over them on one line), its formulas as placeholders (the totals planner
    fills them in)."""
    form = b.form
    for c in range(form.first_col(form.leaf), form.first_stray_col):
        b.put(row, c, None, S_TOTAL_EMPTY)
    b.put(row, b.col[f"{form.leaf}.uraian"], label, S_TOTAL_LABEL)
    for c, f in total_row_formulas(row, ["=0"] * 12, "=0", form).items():
        b.put(row, c, f, S_TOTAL_MONEY)


def grand_total(b: Builder, row: int) -> None:
    total_row(b, row, GRAND_TOTAL_LABEL)
    for c in range(b.col["s.uraian"], b.form.first_col(b.form.leaf)):
        b.put(row, c, None, S_TOTAL_EMPTY)


def blank_row(b: Builder, row: int, from_col: int) -> int:
    """An empty bordered row from ``from_col`` on (an item's row of its own)."""
    first_computed = b.form.computed_cols["kas_tw.0"]
    for c in range(from_col, b.form.first_stray_col):
        b.put(row, c, None, S_C_EMPTY if c >= first_computed else S_EMPTY)
    return row + 1


# A block's columns down its block: its texts merged (they wrap over the block's rows),
# its numbers (and codes) in a box drawn without a merge (a merge per column would cost
# Susun Ulang a round trip each in Excel).
def merged_down(b: Builder) -> frozenset[int]:
    col = b.col
    return frozenset(
        col[f"{x}.{f}"] for x in b.form.levels[:-1] for f in ("uraian", "indikator", "target_text")
    )


def down(b: Builder, first: int, last: int, cols: range) -> None:
    merged = merged_down(b)
    for c in cols:
        style = b.cells[(first, c)].style
        if c in merged:
            b.merge(first, c, last, c, style)
        elif last > first:
            for r in range(first, last + 1):
                box = "top" if r == first else ("bottom" if r == last else "mid")
                value = b.cells[(first, c)].value if r == first else None
                b.put(r, c, value, boxed(style, box))
