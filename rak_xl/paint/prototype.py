"""The style prototype: formats Susun Ulang copies instead of setting them one by one.

The template carries a very hidden sheet (``PROTOTYPE_SHEET``) holding the formats of a
small RAK as ``plan_sheet`` lays it out, without values or merges. Through xlwings every
style attribute costs a round trip to Excel (a border one per side), so painting the
title, the header, a kegiatan and the total rows of a sheet takes some sixty actions;
copying whole runs of rows from the prototype takes a handful. A row is copied only when
every cell of it has exactly the style the plan wants there (by construction, not by
trust), and only when the prototype's stamp, a hash of the styles it was built from,
is the one this version computes: an older template simply gets its formats painted.

Pure: the plan of the prototype and the row matching; the adapters write and copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise

from rak_xl.layout import PlanCell, PrintSetup, SheetPlan, Style, plan_sheet
from rak_xl.model import Kegiatan, Penandatangan, Program, Rak, Sasaran
from rak_xl.paint.rects import Rect, join_copies
from rak_xl.sheet_spec import COL, FIRST_STRAY_COL

__all__ = [
    "PROTOTYPE_SHEET",
    "STAMP_CELL",
    "prototype_plan",
    "prototype_sheet_plan",
    "row_copies",
    "stamp",
]

PROTOTYPE_SHEET = "_rak_xl_gaya"
STAMP_CELL = (1, FIRST_STRAY_COL + 1)  # right of every column a copy takes
_WIDTH = FIRST_STRAY_COL - 1  # the official and computed columns

Rect2 = tuple[int, int]  # first, last row


def _kegiatan(i: int) -> Kegiatan:
    return Kegiatan(
        uraian=f"Kegiatan {i}",
        indikator="Jumlah peserta",
        volume=100,
        satuan="Orang",
        target_tw=[25, 25, 25, 25],
        kas_bulanan=[1_000_000] * 12,
        ket="APBD",
    )


def _program(i: int, kegiatan: int) -> Program:
    kg = [_kegiatan(10 * i + k) for k in range(kegiatan)]
    if i == 1:
        kg[-1].stray = [0]  # a value right of the table: the stray column's formats
    return Program(
        uraian=f"Program {i}",
        indikator="Persentase capaian",
        target_tw=[25, 50, 75, 100],
        anggaran=12_000_000 * kegiatan,
        kegiatan=kg,
    )


def prototype_rak() -> Rak:
    """A small RAK with every kind of row a filled-in sheet has: title lines, a note
    above the table, sasaran with one and with two programs, programs with one and with
    two kegiatan, all totals, the signature and a note below."""
    return Rak(
        instansi="DINAS CONTOH",
        kabupaten="Contoh",
        tahun=2020,
        penandatangan=Penandatangan(
            tempat_tanggal="Martapura, Januari 2020",
            jabatan="Kepala Dinas",
            nama="Nama Kepala",
            pangkat="Pembina (IV/a)",
            nip="NIP. 19700101 199001 1 001",
        ),
        sasaran=[
            Sasaran(
                uraian="Sasaran 1",
                indikator="Indeks capaian",
                target_tahunan=100,
                target_tw=[25, 50, 75, 100],
                program=[_program(1, 2), _program(2, 1)],
            ),
            Sasaran(
                uraian="Sasaran 2",
                indikator="Indeks capaian",
                target_tahunan=100,
                target_tw=[25, 50, 75, 100],
                program=[_program(3, 2)],
            ),
        ],
        catatan_atas=[("Catatan",)],
        catatan=[("Catatan",)],
    )


@lru_cache(maxsize=1)
def prototype_plan() -> SheetPlan:
    """The layout of ``prototype_rak``: the formats the prototype sheet holds."""
    return plan_sheet(prototype_rak())


@lru_cache(maxsize=1)
def stamp() -> str:
    """Identifies the prototype's formats: any change to the layout's styles, widths of
    a style's fields or rows of the prototype gives another stamp."""
    plan = prototype_plan()
    text = repr(sorted((pos, cell.style) for pos, cell in plan.cells.items()))
    return "rak-xl gaya " + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def prototype_sheet_plan() -> SheetPlan:
    """What the template writes on the prototype sheet: the prototype's formats on
    their own (no values, no merges: a copied merge would land wherever the copy goes),
    and the stamp."""
    plan = prototype_plan()
    cells = {pos: PlanCell(None, cell.style) for pos, cell in plan.cells.items()}
    cells[STAMP_CELL] = PlanCell(stamp(), Style())
    return replace(
        plan,
        cells=cells,
        merges=(),
        freeze=(1, 1),
        print_setup=PrintSetup(),
        last_col=max(plan.last_col, STAMP_CELL[1]),
    )


def _bands(last_col: int) -> list[tuple[tuple[int, int], int]]:
    """((first, last) plan columns, first prototype column) of the column bands matched
    on their own: the sasaran, program and kegiatan columns (with the computed ones),
    since a sasaran's columns look alike over its whole block while its programs and
    kegiatan change row by row; then each column of stray values, matched against the
    prototype's one stray column."""
    width = min(_WIDTH, last_col)
    edges = [1, COL["p.uraian"], COL["k.uraian"], width + 1]
    out = [((a, b - 1), a) for a, b in pairwise(edges) if a < b]
    out += [((c, c), FIRST_STRAY_COL) for c in range(FIRST_STRAY_COL, last_col + 1)]
    return out


def row_copies(
    plan: SheetPlan, proto: SheetPlan, free: Callable[[int, int], bool]
) -> list[tuple[Rect, Rect]]:
    """(source in ``proto``, destination in ``plan``) copies of whole rows of column
    bands that give cells their planned style, except cells where ``free(row, col)``
    (formatted again later anyway).

    In each band a plan row is matched to the prototype rows with exactly its styles
    (unstyled cells included: a copy must not style them). A run of plan rows matching
    consecutive prototype rows, or one prototype row again and again, is one copy;
    copies from the same source rows onto the same rows of adjacent bands are joined.
    Rows with nothing to match are left out (their formats are set directly)."""
    out: list[tuple[Rect, Rect]] = []
    for (c1, c2), q1 in _bands(plan.last_col):
        found = _band_matches(plan, proto, free, range(c1, c2 + 1), q1)
        shift = q1 - c1
        for (p1, p2), (r1, r2) in _runs(found, proto.last_row):
            out.append(((p1, c1 + shift, p2, c2 + shift), (r1, c1, r2, c2)))
    return join_copies(out)


def _styles(p: SheetPlan, r: int, cols: range) -> tuple[Style | None, ...]:
    return tuple(cell.style if (cell := p.cells.get((r, c))) is not None else None for c in cols)


def _band_matches(
    plan: SheetPlan, proto: SheetPlan, free: Callable[[int, int], bool], cols: range, q1: int
) -> list[list[int] | None]:
    """For each plan row, the prototype rows (columns from ``q1``) that fit it over
    ``cols``; None: any does (all its cells are free); []: none, or nothing to copy."""
    proto_cols = range(q1, q1 + len(cols))
    proto_rows = [_styles(proto, q, proto_cols) for q in range(1, proto.last_row + 1)]
    exact: dict[tuple[Style | None, ...], list[int]] = {}
    for q, sig in enumerate(proto_rows, start=1):
        exact.setdefault(sig, []).append(q)
    found: list[list[int] | None] = []
    for r in range(1, plan.last_row + 1):
        wanted = [i for i, c in enumerate(cols) if not free(r, c)]
        sig = _styles(plan, r, cols)
        if not wanted:
            found.append(None)
        elif all(sig[i] is None for i in wanted):
            found.append([])  # left as the clear sheet has it: nothing to copy
        elif len(wanted) == len(cols):
            found.append(exact.get(sig, []))
        else:
            found.append(
                [
                    q
                    for q, qsig in enumerate(proto_rows, start=1)
                    if all(qsig[i] == sig[i] for i in wanted)
                ]
            )
    return found


def _runs(found: Sequence[list[int] | None], last_q: int) -> list[tuple[Rect2, Rect2]]:
    """((first, last) prototype rows, (first, last) plan rows) of each copy: runs of
    plan rows (1-based) fitting consecutive prototype rows or one prototype row tiled,
    the longer of the two from each candidate; free rows (None) fit anything but
    neither start nor end a run."""

    def fits(i: int, q: int) -> bool:
        f = found[i]
        return f is None or q in f

    def reach(r: int, q: int, step: int) -> int:
        n = 0
        while r + n < len(found) and q + step * n <= last_q and fits(r + n, q + step * n):
            n += 1
        while n > 1 and found[r + n - 1] is None:
            n -= 1
        return n

    out: list[tuple[Rect2, Rect2]] = []
    r = 0
    while r < len(found):
        cands = found[r]
        if not cands:  # nothing fits, or free
            r += 1
            continue
        n, q, step = max((reach(r, q, s), -q, s) for q in cands for s in (1, 0))
        q = -q
        out.append(((q, q + step * (n - 1)), (r + 1, r + n)))
        r += n
    return out
