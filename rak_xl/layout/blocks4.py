"""The 4-level form's program block (Sub Kegiatan, since 2021).

A program's cells on its first row, merged or boxed down to its ``JUMLAH PROGRAM`` row;
inside it each kegiatan the same way down to its ``JUMLAH KEGIATAN`` row, one row per
sub kegiatan. A kegiatan gets a row of its own before its sub kegiatan when something
of its own goes where a sub kegiatan's cells are (months, volume, KET, stray values) or
when it has no sub kegiatan: the reader takes that row's cash for the kegiatan's
(``read/subkeg.py``), so ``read(regenerate(x)) == read(x)``.
"""

from __future__ import annotations

from rak_xl.layout.blocks import (
    Table,
    blank_row,
    down,
    holder_row,
    item_head,
    level_cols,
    total_row,
)
from rak_xl.layout.builder import Builder, strays
from rak_xl.layout.plan import KegiatanTotal, ProgramTotal
from rak_xl.layout.styles import S_TEXT, S_TOTAL_EMPTY, S_TOTAL_LABEL
from rak_xl.model import Kegiatan, Program
from rak_xl.sheet_spec import NO_COL, NO_TOTAL, kegiatan_total_label, program_total_label

__all__ = ["has_own_row", "program4"]

_OWN_RAW = ("volume", "satuan", "ket", "kas_bulanan")


def has_own_row(k: Kegiatan) -> bool:
    """Does kegiatan ``k`` need a row of its own before its sub kegiatan?"""
    return (
        not k.sub_kegiatan
        or bool(k.stray)
        or any(k.kas_bulanan)
        or any(v is not None for v in (k.volume, k.satuan, k.ket))
        or any(key.startswith(_OWN_RAW) for key in k.raw)
    )


def program4(b: Builder, row: int, p: Program, at: tuple[int, int], table: Table) -> int:
    """Program ``p`` (indexes ``at``) with its kegiatan from ``row``; returns the next row."""
    si, pi = at
    code = f"{si + 1}.{pi + 1}"
    first = row
    parts: list[int] = []
    if p.stray or not p.kegiatan:
        b.put(row, NO_COL, code, S_TEXT)
        row = blank_row(b, row, b.form.first_col("k"))
    for ki, k in enumerate(p.kegiatan):
        row = _kegiatan(b, row, k, (si, pi, ki), table)
        parts.append(row - 1)
    total = row
    table.program_totals.append(ProgramTotal(first, tuple(parts), total, si))
    table.program_blocks.append((first, total, p.uraian))
    item_head(b, first, "p", p)
    down(b, first, total, level_cols(b, "p"))
    strays(b, first, p.stray)
    total_row(b, total, program_total_label(si, pi))
    for c in level_cols(b, "k"):
        b.put(total, c, None, S_TOTAL_EMPTY)
    b.put(total, NO_COL, f"{NO_TOTAL} {code}", S_TOTAL_LABEL)
    return total + 1


def _kegiatan(b: Builder, row: int, k: Kegiatan, at: tuple[int, int, int], table: Table) -> int:
    si, pi, ki = at
    code = f"{si + 1}.{pi + 1}.{ki + 1}"
    first = row
    if has_own_row(k):
        b.put(row, NO_COL, code, S_TEXT)
        table.holders.append((row, False))
        table.kegiatan_rows.append((row, 1))
        row = holder_row(b, row, k, own=True)
    subs_first = row
    for i, sk in enumerate(k.sub_kegiatan):
        b.put(row, NO_COL, f"{code}.{i + 1}", S_TEXT)
        table.holders.append((row, True))
        table.kegiatan_rows.append((row, 1))
        row = holder_row(b, row, sk)
    total = row
    summed_first = subs_first if k.sub_kegiatan else first
    table.kegiatan_totals.append(KegiatanTotal(first, summed_first, total - 1, total))
    item_head(b, first, "k", k)
    down(b, first, total, level_cols(b, "k"))
    total_row(b, total, kegiatan_total_label(si, pi, ki))
    b.put(total, NO_COL, f"{NO_TOTAL} {code}", S_TOTAL_LABEL)
    return total + 1
