"""The style prototype: formats Susun Ulang copies instead of setting them one by one.

The template carries a very hidden sheet (``PROTOTYPE_SHEET``) holding the formats of a
small RAK as ``plan_sheet`` lays it out, without values or merges: a 2020 one from row 1
and, below it, a 4-level one (``prototype_rows(4)``), each form's rows copied from its
own. Through xlwings every style attribute costs a round trip to Excel (a border one per
side), so painting the title, the header, a kegiatan and the total rows of a sheet takes
some sixty actions;
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

from rak_xl.forms import FORMS
from rak_xl.layout import PlanCell, PrintSetup, SheetPlan, Style, plan_sheet
from rak_xl.model import Kegiatan, Penandatangan, Program, Rak, Sasaran, SubKegiatan
from rak_xl.paint.rects import Rect, join_copies
from rak_xl.sheet_spec import FIRST_STRAY_COL

__all__ = [
    "PROTOTYPE_SHEET",
    "STAMP_CELL",
    "prototype_plan",
    "prototype_rows",
    "prototype_sheet_plan",
    "row_copies",
    "stamp",
]

PROTOTYPE_SHEET = "_rak_xl_gaya"
STAMP_CELL = (1, FIRST_STRAY_COL + 1)  # right of every column a 2020 copy takes

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


def _sub_kegiatan(i: int) -> SubKegiatan:
    return SubKegiatan(
        uraian=f"Sub Kegiatan {i}",
        kode=f"1.01.01.2.01.{i:04d}",
        indikator="Jumlah peserta",
        volume=100,
        satuan="Orang",
        target_tw=[25, 25, 25, 25],
        anggaran=12_000_000,
        kas_bulanan=[1_000_000] * 12,
        ket="APBD",
    )


def _program4(i: int, kegiatan: int) -> Program:
    """A program of the 4-level form: kegiatan with two and with one sub kegiatan."""
    kg = []
    for k in range(kegiatan):
        n = 10 * i + k
        subs = [_sub_kegiatan(10 * n + j) for j in range(2 - k % 2)]
        kg.append(
            Kegiatan(
                uraian=f"Kegiatan {n}",
                kode=f"1.01.01.2.{n:02d}",
                indikator="Persentase capaian",
                target_tw=[25, 50, 75, 100],
                anggaran=12_000_000 * len(subs),
                sub_kegiatan=subs,
            )
        )
    if i == 1:
        kg[-1].sub_kegiatan[-1].stray = [0]  # a value right of the table
    if i == 3:  # a kegiatan not (yet) broken down: a row of its own
        kg.append(replace(_kegiatan(10 * i + kegiatan), kode=f"1.01.01.2.{10 * i + kegiatan}"))
    return Program(
        uraian=f"Program {i}",
        kode=f"1.01.{i:02d}",
        indikator="Persentase capaian",
        target_tw=[25, 50, 75, 100],
        anggaran=sum(k.anggaran or 0 for k in kg),
        kegiatan=kg,
    )


def prototype_rak(tingkat: int = 3) -> Rak:
    """A small RAK with every kind of row a filled-in sheet has: title lines, a note
    above the table, sasaran with one and with two programs, programs with one and with
    two kegiatan (in the 4-level form, kegiatan with one and with two sub kegiatan), all
    totals, the signature and a note below."""
    program = _program if tingkat == 3 else _program4
    return Rak(
        instansi="DINAS CONTOH",
        kabupaten="Contoh",
        tahun=2020 if tingkat == 3 else 2024,
        tingkat=tingkat,
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
                program=[program(1, 2), program(2, 1)],
            ),
            Sasaran(
                uraian="Sasaran 2",
                indikator="Indeks capaian",
                target_tahunan=100,
                target_tw=[25, 50, 75, 100],
                program=[program(3, 2)],
            ),
        ],
        catatan_atas=[("Catatan",)],
        catatan=[("Catatan",)],
    )


@lru_cache(maxsize=2)
def prototype_plan(tingkat: int = 3) -> SheetPlan:
    """The layout of ``prototype_rak(tingkat)``: the formats the prototype sheet holds
    for that form (its rows from ``prototype_rows(tingkat)[0]``)."""
    return plan_sheet(prototype_rak(tingkat))


def prototype_rows(tingkat: int) -> tuple[int, int]:
    """(first, last) row of the prototype sheet holding the form's formats: the 2020
    ones from row 1, the 4-level ones after them."""
    first = 1 if tingkat == 3 else prototype_plan(3).last_row + 1
    return first, first + prototype_plan(tingkat).last_row - 1


@lru_cache(maxsize=1)
def stamp() -> str:
    """Identifies the prototype's formats: any change to the layout's styles, widths of
    a style's fields or rows of the prototype gives another stamp."""
    text = repr(
        [sorted((pos, cell.style) for pos, cell in prototype_plan(t).cells.items()) for t in FORMS]
    )
    return "rak-xl gaya " + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def prototype_sheet_plan() -> SheetPlan:
    """What the template writes on the prototype sheet: the prototypes' formats on
    their own (no values, no merges: a copied merge would land wherever the copy goes),
    each form's from its ``prototype_rows``, and the stamp."""
    plan = prototype_plan(3)
    cells = {}
    for tingkat in FORMS:
        shift = prototype_rows(tingkat)[0] - 1
        for (r, c), cell in prototype_plan(tingkat).cells.items():
            cells[(r + shift, c)] = PlanCell(None, cell.style)
    cells[STAMP_CELL] = PlanCell(stamp(), Style())
    last = prototype_plan(4)
    return replace(
        plan,
        cells=cells,
        merges=(),
        freeze=(1, 1),
        print_setup=PrintSetup(),
        last_row=prototype_rows(4)[1],
        last_col=max(plan.last_col, last.last_col, STAMP_CELL[1]),
    )


def _bands(plan: SheetPlan) -> list[tuple[tuple[int, int], int]]:
    """((first, last) plan columns, first prototype column) of the column bands matched
    on their own: the sasaran, program, kegiatan (and sub kegiatan) columns, the last
    with the computed ones, since a sasaran's columns look alike over its whole block
    while its programs and kegiatan change row by row; then each column of stray values,
    matched against the prototype's one stray column."""
    form = FORMS[plan.tingkat]
    stray = form.first_stray_col
    width = min(stray - 1, plan.last_col)
    edges = [1, *(form.first_col(level) for level in form.levels[1:]), width + 1]
    out = [((a, b - 1), a) for a, b in pairwise(edges) if a < b]
    out += [((c, c), stray) for c in range(stray, plan.last_col + 1)]
    return out


def row_copies(
    plan: SheetPlan, proto: SheetPlan, free: Callable[[int, int], bool]
) -> list[tuple[Rect, Rect]]:
    """(source in ``proto``, destination in ``plan``) copies of whole rows of column
    bands that give cells their planned style, except cells where ``free(row, col)``
    (formatted again later anyway). ``proto`` is ``prototype_plan(plan.tingkat)``: the
    sources are its rows (shift them by ``prototype_rows`` for the sheet's).

    In each band a plan row is matched to the prototype rows with exactly its styles
    (unstyled cells included: a copy must not style them). A run of plan rows matching
    consecutive prototype rows, or one prototype row again and again, is one copy;
    copies from the same source rows onto the same rows of adjacent bands are joined.
    Rows with nothing to match are left out (their formats are set directly)."""
    out: list[tuple[Rect, Rect]] = []
    for (c1, c2), q1 in _bands(plan):
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
