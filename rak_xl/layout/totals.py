"""The totals of the official sheet: which rows they add up and their formulas.

``plan_totals`` lays the formulas out from where the rows are; Susun Ulang uses it on the
rows it lays out, Hitung Ulang (``recalc``, the button) on the rows a sheet holds now,
found by ``totals_blocks`` when ``is_official`` says the sheet has the official columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from rak_xl.forms import FORM_2020, FORMS, Form
from rak_xl.grid import Grid, col_index, col_letter
from rak_xl.layout.plan import Formula, PlanCell, TotalsBlock
from rak_xl.model import Kegiatan, Rak, SubKegiatan
from rak_xl.sheet_spec import (
    COL,
    COMPUTED_COLS,
    COMPUTED_HEADER,
    GRAND_TOTAL_LABEL,
    OFFICIAL_KAS_COLS,
    PROGRAM_TOTAL_PREFIX,
    SASARAN_TOTAL_PREFIX,
    TOTAL_PREFIX,
    is_total_label,
    total_label,
)

__all__ = [
    "Letters",
    "cached_values",
    "is_official",
    "letters",
    "plan_totals",
    "row_formulas",
    "sum_of",
    "total_labels",
    "total_row_formulas",
    "totals_blocks",
    "under_merge",
]

_JAN, _DEC = col_letter(OFFICIAL_KAS_COLS[0]), col_letter(OFFICIAL_KAS_COLS[-1])
_YEAR = col_letter(COMPUTED_COLS["setahun"])
_ANG = col_letter(COMPUTED_COLS["anggaran"])
_ANGGARAN = col_letter(COL["p.anggaran"])
# What the label of the computed year-total column starts with ("jumlah setahun").
_YEAR_LABEL = " ".join(COMPUTED_HEADER["setahun"].lower().split()[:2])


class Letters(NamedTuple):
    """A form's column letters the formulas name."""

    jan: str
    dec: str
    year: str  # the year total
    ang: str  # the computed stated-budget column
    months: tuple[str, ...]


def letters(form: Form) -> Letters:
    return _letters(form.tingkat)


@lru_cache(maxsize=4)
def _letters(tingkat: int) -> Letters:
    form = FORMS[tingkat]
    kas = form.kas_cols
    return Letters(
        col_letter(kas[0]),
        col_letter(kas[-1]),
        col_letter(form.computed_cols["setahun"]),
        col_letter(form.computed_cols["anggaran"]),
        tuple(col_letter(c) for c in kas),
    )


def row_formulas(row: int, form: Form = FORM_2020) -> dict[int, Formula]:
    """Column -> formula of a cash holder's row: the year total and cash per quarter."""
    x = letters(form)
    out = {form.computed_cols["setahun"]: Formula(f"=SUM({x.jan}{row}:{x.dec}{row})")}
    for q in range(4):
        m1, m3 = x.months[3 * q], x.months[3 * q + 2]
        out[form.computed_cols[f"kas_tw.{q}"]] = Formula(f"=SUM({m1}{row}:{m3}{row})")
    return out


def sum_of(cells: Sequence[str]) -> str:
    """``=SUM(a,b,...)``; nested in chunks because Excel allows 255 arguments."""
    if not cells:
        return "=0"
    chunks = [",".join(cells[i : i + 200]) for i in range(0, len(cells), 200)]
    return "=" + "+".join(f"SUM({c})" for c in chunks)


def total_row_formulas(
    row: int, months: Sequence[str], anggaran: str, form: Form = FORM_2020
) -> dict[int, Formula]:
    """Column -> formula of a total row: ``months`` per month, the year total, the stated
    anggaran and the difference."""
    x, computed = letters(form), form.computed_cols
    out = {c: Formula(f) for c, f in zip(form.kas_cols, months, strict=True)}
    out[computed["setahun"]] = Formula(f"=SUM({x.jan}{row}:{x.dec}{row})")
    out[computed["anggaran"]] = Formula(anggaran)
    out[computed["selisih"]] = Formula(f"={x.year}{row}-{x.ang}{row}")
    return out


def plan_totals(
    programs: Sequence[TotalsBlock],
    sasaran_total_rows: Sequence[int],
    grand_total_row: int,
) -> dict[tuple[int, int], Formula]:
    """Formulas of every computed cell, from where the rows are (used by recalc too).

    Kegiatan: year total (beside December) and cash per quarter (one column each, right
    of KET) on its row. Program total row: per month the SUM over the program's
    kegiatan rows, year total, the stated anggaran (``N()`` so text counts as 0) and the
    difference. Sasaran and grand totals add the rows below them.
    """
    out: dict[tuple[int, int], Formula] = {}

    def total(row: int, months: Sequence[str], anggaran: str) -> None:
        for c, f in total_row_formulas(row, months, anggaran).items():
            out[(row, c)] = f

    for blk in programs:
        for first, _ in blk.kegiatan:
            out[(first, COMPUTED_COLS["setahun"])] = Formula(f"=SUM({_JAN}{first}:{_DEC}{first})")
            for q in range(4):
                m1 = col_letter(OFFICIAL_KAS_COLS[3 * q])
                m3 = col_letter(OFFICIAL_KAS_COLS[3 * q + 2])
                out[(first, COMPUTED_COLS[f"kas_tw.{q}"])] = Formula(
                    f"=SUM({m1}{first}:{m3}{first})"
                )
        months = [
            f"=SUM({col_letter(c)}{blk.first_row}:{col_letter(c)}{blk.last_row})"
            if blk.kegiatan
            else "=0"
            for c in OFFICIAL_KAS_COLS
        ]
        total(blk.total_row, months, f"=N({_ANGGARAN}{blk.first_row})")
    for si, srow in enumerate(sasaran_total_rows):
        rows = [blk.total_row for blk in programs if blk.sasaran == si]
        total(
            srow,
            [sum_of([f"{col_letter(c)}{r}" for r in rows]) for c in OFFICIAL_KAS_COLS],
            sum_of([f"{_ANG}{r}" for r in rows]),
        )
    total(
        grand_total_row,
        [sum_of([f"{col_letter(c)}{r}" for r in sasaran_total_rows]) for c in OFFICIAL_KAS_COLS],
        sum_of([f"{_ANG}{r}" for r in sasaran_total_rows]),
    )
    return out


# --------------------------------------------------------------------------------------
# The rows a sheet holds now (Hitung Ulang)
# --------------------------------------------------------------------------------------
def _label(grid: Grid, row: int, col: int) -> str:
    v = grid.value(row, col)
    return v.strip() if isinstance(v, str) else ""


def total_labels(grid: Grid, form: Form = FORM_2020) -> dict[int, str]:
    """Row -> its total label (``JUMLAH PROGRAM 1.2``), in the cash holder's uraian
    column: any case and spacing ("J U M L A H PROGRAM 1.2"), but the label must be a
    total and nothing else (a kegiatan may be named "Jumlah desa ...")."""
    col = form.col[f"{form.leaf}.uraian"]
    return {
        r: label.split(":")[0].strip()
        for r in range(grid.first_row, grid.last_row + 1)
        if is_total_label(text := _label(grid, r, col))
        and (label := total_label(text)).startswith(TOTAL_PREFIX)
    }


def is_official(grid: Grid, rak: Rak) -> bool:
    """Does the sheet use its form's official physical columns (so formulas can be
    placed)?"""
    form = FORMS[rak.tingkat]
    jan_letter = col_letter(form.kas_cols[0])
    for k in _cash_holders(rak):
        jan = k.src.cells.get("kas_bulanan.0")
        if jan is not None and jan.rstrip("0123456789") != jan_letter:
            return False
    col = form.computed_cols["setahun"]
    for r in range(grid.first_row, min(grid.last_row, grid.first_row + 60) + 1):
        v = grid.value(r, col)
        if isinstance(v, str) and v.strip().lower().startswith(_YEAR_LABEL):
            return True
    return False


def _cash_holders(rak: Rak) -> list[Kegiatan | SubKegiatan]:
    out: list[Kegiatan | SubKegiatan] = []
    for _, _, k in rak.kegiatan_all():
        out.append(k)
        out.extend(k.sub_kegiatan)
    return out


def totals_blocks(grid: Grid, rak: Rak) -> tuple[list[TotalsBlock], list[int], int] | None:
    """Where the totals go for the rows now present, or None if the total rows are off.

    Each program must be followed by a ``JUMLAH PROGRAM`` row before the next item,
    each sasaran by a ``JUMLAH SASARAN`` row, and the table must end with
    ``JUMLAH TOTAL``.
    """
    totals = total_labels(grid)
    starts = _item_rows(rak)
    if not starts or any(r <= 0 for r in starts):
        return None
    boundaries = sorted(set(starts) | set(totals))

    def next_boundary(row: int) -> int:
        return next((b for b in boundaries if b > row), grid.last_row + 1)

    blocks: list[TotalsBlock] = []
    sasaran_rows: list[int] = []
    for si, s in enumerate(rak.sasaran):
        for p in s.program:
            kg = [(k.src.row, next_boundary(k.src.row) - k.src.row) for k in p.kegiatan]
            last_start = max([p.src.row, *[r for r, _ in kg]])
            total = next_boundary(last_start)
            if not totals.get(total, "").startswith(PROGRAM_TOTAL_PREFIX):
                return None
            blocks.append(TotalsBlock(tuple(kg), p.src.row, total - 1, total, si))
        after = max([s.src.row, *[b.total_row for b in blocks if b.sasaran == si]])
        s_total = _next_total(totals, after)
        if not totals.get(s_total, "").startswith(SASARAN_TOTAL_PREFIX):
            return None
        sasaran_rows.append(s_total)
    grand = _next_total(totals, max(sasaran_rows, default=0))
    if totals.get(grand, "") != GRAND_TOTAL_LABEL:
        return None
    return blocks, sasaran_rows, grand


def _item_rows(rak: Rak) -> list[int]:
    """The first row of every sasaran, program and kegiatan, in sheet order."""
    starts: list[int] = []
    for s in rak.sasaran:
        starts.append(s.src.row)
        for p in s.program:
            starts.append(p.src.row)
            starts.extend(k.src.row for k in p.kegiatan)
    return starts


def _next_total(totals: Iterable[int], after: int) -> int:
    """The first total row below ``after`` (0 when there is none)."""
    return next((t for t in sorted(totals) if t > after), 0)


def under_merge(grid: Grid, cells: Iterable[tuple[int, int]]) -> bool:
    """Does a merge cover one of ``cells``, or a value, other than at its top-left?

    openpyxl drops the values it finds under a merge when it loads a file, while the
    reader sees them; such a sheet is rebuilt from the model instead of edited.
    """
    wanted = set(cells)
    for r1, c1, r2, c2 in grid.merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and ((r, c) in wanted or grid.value(r, c) is not None):
                    return True
    return False


# --------------------------------------------------------------------------------------
# Cached values: what the layout's own formulas compute to
# --------------------------------------------------------------------------------------
# The shapes ``plan_totals`` writes: ``SUM(A1:B2)``, ``SUM(A1,B2)``, ``N(A1)``, a cell, a
# number, joined by + and -. Anything else is left uncomputed (None).
_TERM = re.compile(
    r"\s*([+-]?)\s*(?:SUM\(([A-Z0-9:,]*)\)|N\(([A-Z]+[0-9]+)\)|([A-Z]+[0-9]+)|([0-9]+))"
)
_REF = re.compile(r"([A-Z]+)([0-9]+)")


def cached_values(cells: Mapping[tuple[int, int], PlanCell]) -> dict[tuple[int, int], float]:
    """The value of every formula in ``cells`` that only adds and subtracts (SUM, N,
    cells): text counts 0, as SUM and N take it."""
    memo: dict[tuple[int, int], float | None] = {}

    def cell(ref: str) -> float | None:
        m = _REF.fullmatch(ref)
        if m is None:
            return None
        pos = (int(m.group(2)), col_index(m.group(1)))
        found = cells.get(pos)
        v = found.value if found is not None else None
        if isinstance(v, Formula):
            if pos not in memo:
                memo[pos] = None  # a cycle reads as uncomputed
                memo[pos] = formula(v.text)
            return memo[pos]
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else 0.0

    def total(args: str) -> float | None:
        out = 0.0
        for part in filter(None, args.split(",")):
            a, _, b = part.partition(":")
            ma, mb = _REF.fullmatch(a), _REF.fullmatch(b or a)
            if ma is None or mb is None:
                return None
            for r in range(int(ma.group(2)), int(mb.group(2)) + 1):
                for c in range(col_index(ma.group(1)), col_index(mb.group(1)) + 1):
                    v = cell(f"{col_letter(c)}{r}")
                    if v is None:
                        return None
                    out += v
        return out

    def formula(text: str) -> float | None:
        expr, pos, out = text.lstrip("="), 0, 0.0
        while pos < len(expr):
            m = _TERM.match(expr, pos)
            if m is None or m.end() == pos:
                return None
            sign, args, n_ref, ref, number = m.groups()
            if args is not None:
                v = total(args)
            elif n_ref is not None or ref is not None:
                v = cell(n_ref or ref)
            else:
                v = float(number)
            if v is None:
                return None
            out += -v if sign == "-" else v
            pos = m.end()
        return out

    for pos, pc in cells.items():
        if isinstance(pc.value, Formula) and pos not in memo:
            memo[pos] = formula(pc.value.text)
    return {pos: v for pos, v in memo.items() if v is not None}
