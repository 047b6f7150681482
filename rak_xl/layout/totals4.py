"""The totals of the 4-level form (Sub Kegiatan): which rows they add up, their formulas.

The money sits at the sub kegiatan: each sub kegiatan row carries its year total, cash
per quarter and, right of KET, its stated anggaran (``N()`` of its Anggaran cell) and the
difference. ``JUMLAH KEGIATAN`` adds the kegiatan's sub kegiatan rows (a kegiatan without
sub kegiatan: its own row; a kegiatan's own row before its sub kegiatan, a stated
subtotal, is not counted twice), ``JUMLAH PROGRAM`` its kegiatan's total rows, sasaran
and grand totals the rows below them, as in the 2020 form. ``plan_totals4`` lays them
out (Susun Ulang), ``totals_blocks4`` finds them in a sheet as it is now (Hitung Ulang);
``recalc_formulas`` does either form.
"""

from __future__ import annotations

from rak_xl.forms import FORM_2021
from rak_xl.grid import Grid, col_letter
from rak_xl.layout.plan import Formula, KegiatanTotal, ProgramTotal, Totals4
from rak_xl.layout.totals import (
    is_official,
    letters,
    plan_totals,
    row_formulas,
    sum_of,
    total_labels,
    total_row_formulas,
    totals_blocks,
)
from rak_xl.model import Rak
from rak_xl.sheet_spec import (
    GRAND_TOTAL_LABEL,
    KEGIATAN_TOTAL_PREFIX,
    PROGRAM_TOTAL_PREFIX,
    SASARAN_TOTAL_PREFIX,
)

__all__ = ["plan_totals4", "recalc_formulas", "totals_blocks4"]

_F = FORM_2021
_ANG = {x: col_letter(_F.col[f"{x}.anggaran"]) for x in ("p", "k", "sk")}


def plan_totals4(t: Totals4) -> dict[tuple[int, int], Formula]:
    """Formulas of every computed cell of a 4-level sheet, from where the rows are."""
    x, computed = letters(_F), _F.computed_cols
    out: dict[tuple[int, int], Formula] = {}

    def total(row: int, months: list[str], anggaran: str) -> None:
        for c, f in total_row_formulas(row, months, anggaran, _F).items():
            out[(row, c)] = f

    for row, stated in t.holders:
        for c, f in row_formulas(row, _F).items():
            out[(row, c)] = f
        if stated:
            out[(row, computed["anggaran"])] = Formula(f"=N({_ANG['sk']}{row})")
            out[(row, computed["selisih"])] = Formula(f"={x.year}{row}-{x.ang}{row}")
    for k in t.kegiatan:
        months = [f"=SUM({m}{k.first_row}:{m}{k.last_row})" for m in x.months]
        total(k.total_row, months, f"=N({_ANG['k']}{k.anggaran_row})")
    for p in t.programs:
        months = [sum_of([f"{m}{r}" for r in p.parts]) for m in x.months]
        total(p.total_row, months, f"=N({_ANG['p']}{p.anggaran_row})")
    for si, srow in enumerate(t.sasaran_total_rows):
        rows = [p.total_row for p in t.programs if p.sasaran == si]
        total(
            srow,
            [sum_of([f"{m}{r}" for r in rows]) for m in x.months],
            sum_of([f"{x.ang}{r}" for r in rows]),
        )
    rows = list(t.sasaran_total_rows)
    total(
        t.grand_total_row,
        [sum_of([f"{m}{r}" for r in rows]) for m in x.months],
        sum_of([f"{x.ang}{r}" for r in rows]),
    )
    return out


def own_row(k_row: int, sub_rows: list[int]) -> bool:
    """Does the kegiatan starting at ``k_row`` have a row of its own (no sub kegiatan on
    its first row)?"""
    return not sub_rows or sub_rows[0] != k_row


def totals_blocks4(grid: Grid, rak: Rak) -> Totals4 | None:
    """Where the totals go for the rows a 4-level sheet holds now, or None when its total
    rows are off: every kegiatan followed by its ``JUMLAH KEGIATAN`` row, every program
    by ``JUMLAH PROGRAM``, every sasaran by ``JUMLAH SASARAN``, the table ending with
    ``JUMLAH TOTAL``."""
    totals = total_labels(grid, _F)
    starts: list[int] = []
    for s in rak.sasaran:
        starts.append(s.src.row)
        for p in s.program:
            starts.append(p.src.row)
            for k in p.kegiatan:
                starts.append(k.src.row)
                starts.extend(sk.src.row for sk in k.sub_kegiatan)
    if not starts or any(r <= 0 for r in starts):
        return None
    boundaries = sorted(set(starts) | set(totals))

    def next_boundary(row: int) -> int:
        return next((b for b in boundaries if b > row), grid.last_row + 1)

    def is_(row: int, prefix: str) -> bool:
        return totals.get(row, "").startswith(prefix)

    holders: list[tuple[int, bool]] = []
    kegiatan: list[KegiatanTotal] = []
    programs: list[ProgramTotal] = []
    sasaran_rows: list[int] = []
    for si, s in enumerate(rak.sasaran):
        for p in s.program:
            parts: list[int] = []
            for k in p.kegiatan:
                subs = [sk.src.row for sk in k.sub_kegiatan]
                own = own_row(k.src.row, subs)
                holders.extend([(k.src.row, False)] if own else [])
                holders.extend((r, True) for r in subs)
                k_total = next_boundary(max([k.src.row, *subs]))
                if not is_(k_total, KEGIATAN_TOTAL_PREFIX):
                    return None
                first = subs[0] if subs else k.src.row
                kegiatan.append(KegiatanTotal(k.src.row, first, k_total - 1, k_total))
                parts.append(k_total)
            p_total = next_boundary(max([p.src.row, *parts]))
            if not is_(p_total, PROGRAM_TOTAL_PREFIX):
                return None
            programs.append(ProgramTotal(p.src.row, tuple(parts), p_total, si))
        after = max([s.src.row, *[p.total_row for p in programs if p.sasaran == si]])
        s_total = next((t for t in sorted(totals) if t > after), 0)
        if not is_(s_total, SASARAN_TOTAL_PREFIX):
            return None
        sasaran_rows.append(s_total)
    grand = next((t for t in sorted(totals) if t > max(sasaran_rows, default=0)), 0)
    if totals.get(grand, "") != GRAND_TOTAL_LABEL:
        return None
    return Totals4(tuple(holders), tuple(kegiatan), tuple(programs), tuple(sasaran_rows), grand)


def recalc_formulas(
    grid: Grid, rak: Rak
) -> tuple[dict[tuple[int, int], Formula], frozenset[int]] | None:
    """Hitung Ulang in either form: the formulas for the rows the sheet holds now and its
    total rows, or None when the sheet is not in the official layout or its total rows
    are off (then only Susun Ulang helps)."""
    if not is_official(grid, rak):
        return None
    if rak.tingkat == 4:
        found4 = totals_blocks4(grid, rak)
        if found4 is None:
            return None
        return plan_totals4(found4), found4.total_rows
    found = totals_blocks(grid, rak)
    if found is None:
        return None
    blocks, sasaran_rows, grand = found
    rows = frozenset({b.total_row for b in blocks} | set(sasaran_rows) | {grand})
    return plan_totals(*found), rows
