"""The official RAK sheet as pure data: ``plan_sheet(rak) -> SheetPlan``.

No spreadsheet library is imported here; adapters (openpyxl, XlsxWriter, xlwings) apply a
plan. The layout follows the reader conventions so that reading the sheet back gives the
same model (``read(regenerate(x)) == read(x)``):

* title rows, ``catatan_atas`` rows, then four header rows (group, label, the quarter
  labels ``TW I`` .. ``TW IV`` under ``Target Triwulan``, numbering 1..23 where a logical
  column spanning several physical columns is numbered in its first one);
* one row per kegiatan: each target in four quarter sub-columns (an empty quarter shows
  ``-``), unreadable target text in the level's ``Target (teks)`` sub-column, the year
  total beside December. A program's and a sasaran's cells sit on the first row of their
  block, merged down to its totals row;
* totals as live formulas, with labels starting ``JUMLAH`` in the kegiatan uraian
  column; formula columns right of KET whose headers start ``Kas TW``/``Total``/
  ``Selisih`` (the reader ignores them, and the year total by its ``Jumlah`` label);
  stray values after them under "Nilai di luar tabel"; the signature under the table
  (right page), then the notes from column A, outside the print area;
* the printed form (``pages``): widths and heights from the fonts' metrics, two pages
  wide at a fixed scale, page breaks that keep totals rows off a page's top and repeat a
  split block's name, marked ``(lanjutan)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rak_xl.errors import RakError
from rak_xl.grid import col_letter
from rak_xl.layout.builder import (
    Builder,
    cell_of_raw,
    raw_or,
    strays,
    style_for,
    target_cells,
)
from rak_xl.layout.frame import (
    LEFT_PAGE_END,
    boxed,
    header,
    notes_below,
    signature,
    stray_header,
    title,
)
from rak_xl.layout.pages import (
    MARGINS_IN,
    paginate,
    plan_heights,
    plan_widths,
    print_scale,
)
from rak_xl.layout.plan import (
    Formula,
    PlanCell,
    PrintSetup,
    SheetPlan,
    TableInfo,
    TotalsBlock,
)
from rak_xl.layout.styles import (
    S_C_EMPTY,
    S_C_MONEY,
    S_EMPTY,
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
from rak_xl.layout.totals import cached_values, plan_totals, total_row_formulas
from rak_xl.model import Kegiatan, Program, Rak, Sasaran
from rak_xl.sheet_spec import (
    COL,
    COMPUTED_COLS,
    FIRST_STRAY_COL,
    GRAND_TOTAL_LABEL,
    LAST_OFFICIAL_COL,
    NO_COL,
    NO_TOTAL,
    OFFICIAL_KAS_COLS,
    continued,
    program_total_label,
    sasaran_total_label,
    starts_like_total,
)

__all__ = ["plan_sheet", "refuse_four_levels"]

_SASARAN_COLS = range(COL["s.uraian"], COL["p.uraian"])
_PROGRAM_COLS = range(COL["p.uraian"], COL["k.uraian"])


@dataclass
class _Table:
    """Where the table's rows went, as the totals, the page breaks and ``TableInfo``
    need them."""

    blocks: list[TotalsBlock] = field(default_factory=list)
    kegiatan_rows: list[tuple[int, int]] = field(default_factory=list)
    sasaran_totals: list[int] = field(default_factory=list)
    # (first row, total row, uraian) of each sasaran and program block.
    sasaran_blocks: list[tuple[int, int, str | None]] = field(default_factory=list)
    program_blocks: list[tuple[int, int, str | None]] = field(default_factory=list)


def refuse_four_levels(rak: Rak) -> None:
    """The 4-level form (with Sub Kegiatan) has no layout yet: refuse it, rather than lay
    it out as the 2020 form and lose its sub kegiatan (the verify step would refuse the
    result too, with a less helpful sentence). To be replaced by its layout."""
    if rak.tingkat == 4:
        raise RakError(
            f"Lembar '{rak.src.sheet}' berisi RAK dengan Sub Kegiatan (nomor kolom 1 sampai "
            "26); Susun Ulang dan Hitung Ulang belum bisa menyusun bentuk ini, jadi lembar "
            "tidak diubah. Validasi dan ekspor tetap bisa dipakai."
        )


def plan_sheet(rak: Rak, *, paginate_rows: bool = True) -> SheetPlan:
    """Lay ``rak`` out as the official sheet (values, formulas, styles, print setup).

    ``paginate_rows``: plan manual row breaks (and repeat a split block's name). Susun
    Ulang in Excel passes False: Excel's page breaks cannot be set through xlwings, and
    a repeated name away from a break would only confuse.
    """
    refuse_four_levels(rak)
    b = Builder()
    g, num = header(b, title(b, rak))
    first_data = num + 1
    table = _Table()
    row = first_data
    # An empty sheet still gets one sasaran, program and kegiatan row to type into.
    sasaran = rak.sasaran or [Sasaran(None, program=[Program(None, kegiatan=[Kegiatan(None)])])]
    for si, s in enumerate(sasaran):
        row = _sasaran(b, row, s, si, table)
    grand = row
    _grand_total(b, grand)
    b.put(grand, NO_COL, NO_TOTAL, S_TOTAL_LABEL)
    for (r, c), f in plan_totals(table.blocks, table.sasaran_totals, grand).items():
        b.put(r, c, f, b.cells[(r, c)].style if (r, c) in b.cells else S_C_MONEY)
    for pos, value in cached_values(b.cells).items():
        pc = b.cells[pos]
        assert isinstance(pc.value, Formula)  # cached_values computes formulas only
        b.cells[pos] = PlanCell(Formula(pc.value.text, value), pc.style)
    stray_header(b, g, num)
    sig_first = grand + 2
    sig_end = signature(b, rak, sig_first)
    notes_below(b, rak, sig_end)
    totals = {blk.total_row for blk in table.blocks} | set(table.sasaran_totals) | {grand}

    widths = plan_widths(
        b.cells,
        range(first_data, grand + 1),
        range(g, num + 1),
        _amounts(rak),
        b.last_col,
        b.merges,
    )
    scale = print_scale(widths)
    last_row = max([r for r, _ in b.cells] or [grand])
    heights, own = plan_heights(b.cells, b.merges, widths, range(1, last_row + 1), b.last_col)
    breaks: tuple[int, ...] = ()
    if paginate_rows:
        # A split block's name takes room on both sides of the break (the part before it
        # is shorter, the repeated name longer): plan the breaks again with the heights
        # the split gives, until they hold (twice is the most seen).
        unsplit = dict(b.cells), list(b.merges)
        for _ in range(4):
            planned = paginate(
                heights,
                range(g, num + 1),
                first_data,
                sig_end - 1,
                totals,
                [(sig_first, sig_end - 1)] if sig_end > sig_first else [],
                scale,
            )
            if planned == breaks:
                break
            breaks = planned
            b.cells, b.merges = dict(unsplit[0]), list(unsplit[1])
            _split_blocks(b, table, breaks)
            heights, own = plan_heights(
                b.cells, b.merges, widths, range(1, last_row + 1), b.last_col
            )
    _keep_non_totals(b, totals, first_data, grand)
    info = TableInfo(
        group_row=g,
        label_row=g + 1,
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
        row_heights=heights,
        freeze=(num + 1, 1),
        print_setup=PrintSetup(
            scale=scale,
            title_rows=(g, num),
            title_cols=(NO_COL, NO_COL),
            print_area=(1, 1, max(sig_end - 1, grand), LAST_OFFICIAL_COL),
            row_breaks=breaks,
            col_breaks=(LEFT_PAGE_END + 1,),
            over_then_down=True,
            margins_in=MARGINS_IN,
        ),
        table=info,
        last_row=last_row,
        last_col=b.last_col,
        autofit_rows=frozenset(r for r in own if first_data <= r <= grand),
    )


def _amounts(rak: Rak) -> dict[int, float]:
    """The largest amount each money column may show, totals included (a sum of the
    absolute amounts bounds every total): what its width must hold."""

    def size(v: object) -> float:
        ok = isinstance(v, int | float) and not isinstance(v, bool)
        return abs(float(v)) if ok else 0.0  # type: ignore[arg-type]  # checked: a number

    months = [0.0] * 12
    anggaran = 0.0
    for _, p in rak.programs():
        anggaran += size(p.anggaran)
        for k in p.kegiatan:
            for m in range(12):
                months[m] += size(k.kas_bulanan[m])
    out = {c: months[m] for m, c in enumerate(OFFICIAL_KAS_COLS)}
    out[COL["setahun"]] = sum(months)
    for q in range(4):
        out[COMPUTED_COLS[f"kas_tw.{q}"]] = sum(months[3 * q : 3 * q + 3])
    out[COMPUTED_COLS["anggaran"]] = anggaran
    out[COMPUTED_COLS["selisih"]] = anggaran + sum(months)
    return out


# --------------------------------------------------------------------------------------
# The table: sasaran, program and kegiatan blocks, total rows
# --------------------------------------------------------------------------------------
def _sasaran(b: Builder, row: int, s: Sasaran, si: int, table: _Table) -> int:
    """Sasaran ``s`` (index ``si``) with its programs from ``row``; returns the next row."""
    first = row
    if s.stray or not s.program:
        b.put(row, NO_COL, f"{si + 1}", S_TEXT)
        row = _blank_row(b, row, COL["p.uraian"])
    for pi, p in enumerate(s.program):
        row = _program(b, row, p, (si, pi), table)
    total = row
    b.put(total, NO_COL, f"{NO_TOTAL} {si + 1}", S_TOTAL_LABEL)
    table.sasaran_totals.append(total)
    table.sasaran_blocks.append((first, total, s.uraian))
    _total_row(b, total, sasaran_total_label(si))
    for c in _PROGRAM_COLS:
        b.put(total, c, None, S_TOTAL_EMPTY)
    raw = s.raw
    b.put(first, COL["s.uraian"], raw_or(raw, "uraian", s.uraian), S_TEXT)
    b.put(first, COL["s.indikator"], raw_or(raw, "indikator", s.indikator), S_TEXT)
    said = target_cells(b, first, "s", s.target_tw, raw)
    tah = cell_of_raw(raw, "target_tahunan", s.target_tahunan)
    if said is not None and said.tahunan is not None:
        tah = None
    b.put(first, COL["s.target_tahunan"], tah, style_for(tah, S_TAHUNAN))
    _down(b, first, total, _SASARAN_COLS)
    strays(b, first, s.stray)
    return total + 1


def _program(b: Builder, row: int, p: Program, at: tuple[int, int], table: _Table) -> int:
    si, pi = at
    code = f"{si + 1}.{pi + 1}"
    first = row
    kg_rows: list[tuple[int, int]] = []
    if p.stray or not p.kegiatan:
        # A row of the program alone: its stray values must sit on a row no kegiatan
        # starts on, and a program without kegiatan still has its row.
        b.put(row, NO_COL, code, S_TEXT)
        row = _blank_row(b, row, COL["k.uraian"])
    for ki, k in enumerate(p.kegiatan):
        kg_rows.append((row, 1))
        b.put(row, NO_COL, f"{code}.{ki + 1}", S_TEXT)
        row = _kegiatan(b, row, k)
    last_kg = row - 1
    total_row = row
    table.blocks.append(TotalsBlock(tuple(kg_rows), first, last_kg, total_row, si))
    table.kegiatan_rows.extend(kg_rows)
    table.program_blocks.append((first, total_row, p.uraian))
    raw = p.raw
    b.put(first, COL["p.uraian"], raw_or(raw, "uraian", p.uraian), S_TEXT)
    b.put(first, COL["p.indikator"], raw_or(raw, "indikator", p.indikator), S_TEXT)
    said = target_cells(b, first, "p", p.target_tw, raw)
    ang = cell_of_raw(raw, "anggaran", p.anggaran)
    if said is not None and said.anggaran is not None:
        ang = None  # the target text carries the amount ("... Rp 1.167.508.000")
    b.put(first, COL["p.anggaran"], ang, style_for(ang, S_MONEY))
    _down(b, first, total_row, _PROGRAM_COLS)
    strays(b, first, p.stray)
    _total_row(b, total_row, program_total_label(si, pi))
    b.put(total_row, NO_COL, f"{NO_TOTAL} {code}", S_TOTAL_LABEL)
    return total_row + 1


def _kegiatan(b: Builder, row: int, k: Kegiatan) -> int:
    raw = k.raw
    b.put(row, COL["k.uraian"], raw_or(raw, "uraian", k.uraian), S_TEXT)
    b.put(row, COL["k.indikator"], raw_or(raw, "indikator", k.indikator), S_TEXT)
    vol = raw_or(raw, "volume", k.volume)
    b.put(row, COL["k.volume"], vol, S_TEXT_CENTER if isinstance(vol, str) else S_NUM)
    b.put(row, COL["k.satuan"], raw_or(raw, "satuan", k.satuan), S_TEXT)
    target_cells(b, row, "k", k.target_tw, raw)
    blank = k.uraian is None and not any(k.kas_bulanan) and not raw  # the row to type into
    for m, c in enumerate(OFFICIAL_KAS_COLS):
        value = None if blank else raw_or(raw, f"kas_bulanan.{m}", k.kas_bulanan[m])
        b.put(row, c, value, S_TEXT if isinstance(value, str) else S_MONEY)
    jan, dec = col_letter(OFFICIAL_KAS_COLS[0]), col_letter(OFFICIAL_KAS_COLS[-1])
    b.put(row, COL["setahun"], Formula(f"=SUM({jan}{row}:{dec}{row})"), S_YEAR)
    b.put(row, COL["k.ket"], raw_or(raw, "ket", k.ket), S_TEXT)
    for q in range(4):
        m1, m3 = col_letter(OFFICIAL_KAS_COLS[3 * q]), col_letter(OFFICIAL_KAS_COLS[3 * q + 2])
        b.put(row, COMPUTED_COLS[f"kas_tw.{q}"], Formula(f"=SUM({m1}{row}:{m3}{row})"), S_C_MONEY)
    for key in ("anggaran", "selisih"):
        b.put(row, COMPUTED_COLS[key], None, S_C_EMPTY)
    strays(b, row, k.stray)
    return row + 1


def _total_row(b: Builder, row: int, label: str) -> None:
    """A total row: label in the kegiatan uraian column (the cells beside it empty, so it
    runs over them on one line), its formulas as placeholders (``plan_totals`` fills
    them in)."""
    for c in range(COL["k.uraian"], FIRST_STRAY_COL):
        b.put(row, c, None, S_TOTAL_EMPTY)
    b.put(row, COL["k.uraian"], label, S_TOTAL_LABEL)
    for c, f in total_row_formulas(row, ["=0"] * 12, "=0").items():
        b.put(row, c, f, S_TOTAL_MONEY)


def _grand_total(b: Builder, row: int) -> None:
    _total_row(b, row, GRAND_TOTAL_LABEL)
    for c in range(COL["s.uraian"], COL["k.uraian"]):
        b.put(row, c, None, S_TOTAL_EMPTY)


def _blank_row(b: Builder, row: int, from_col: int) -> int:
    """An empty bordered row from ``from_col`` on (an item's row of its own)."""
    for c in range(from_col, FIRST_STRAY_COL):
        b.put(row, c, None, S_C_EMPTY if c >= COMPUTED_COLS["kas_tw.0"] else S_EMPTY)
    return row + 1


# A sasaran's or program's columns down its block: its texts merged (they wrap over the
# block's rows), its numbers in a box drawn without a merge (a merge per column would
# cost Susun Ulang a round trip each in Excel).
_MERGED_DOWN = frozenset(
    COL[f"{x}.{f}"] for x in "sp" for f in ("uraian", "indikator", "target_text")
)


def _down(b: Builder, first: int, last: int, cols: range) -> None:
    for c in cols:
        style = b.cells[(first, c)].style
        if c in _MERGED_DOWN:
            b.merge(first, c, last, c, style)
        elif last > first:
            for r in range(first, last + 1):
                box = "top" if r == first else ("bottom" if r == last else "mid")
                value = b.cells[(first, c)].value if r == first else None
                b.put(r, c, value, boxed(style, box))


def _split_blocks(b: Builder, table: _Table, breaks: Sequence[int]) -> None:
    """Where a page break falls inside a sasaran or program block, end its merges there
    and repeat its name on the new page's first row, marked ``(lanjutan)``."""
    for blocks, cols in (
        (table.sasaran_blocks, _SASARAN_COLS),
        (table.program_blocks, _PROGRAM_COLS),
    ):
        for first, last, uraian in blocks:
            cuts = [r for r in breaks if first < r <= last]
            if not cuts:
                continue
            segments = list(zip([first, *cuts], [*(r - 1 for r in cuts), last], strict=True))
            for c in cols:
                style = boxed(b.cells[(first, c)].style, "all")
                if c in _MERGED_DOWN:
                    b.merges.remove((first, c, last, c))
                for a, z in segments:
                    value = b.cells[(a, c)].value
                    b.put(a, c, value, style)
                    _down(b, a, z, range(c, c + 1))
            for r in cuts:
                b.put(r, cols[0], continued(uraian), b.cells[(first, cols[0])].style)


def _keep_non_totals(b: Builder, totals: set[int], first: int, end: int) -> None:
    """``_not_a_total`` on every table row from ``first`` to ``end`` that is not a
    total row."""
    for r in range(first, end + 1):
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
            for c in range(COL["s.uraian"], COL["k.target_text"] + 1)
            if isinstance(v := b.cells[(row, c)].value if (row, c) in b.cells else None, str)
            and v != "-"
        ),
        None,
    )
    if first is None or not starts_like_total(first):
        return
    cols = (COL["k.indikator"], COL["k.volume"], COL["k.satuan"])
    if all(b.cells.get((row, c), PlanCell(None)).value is None for c in cols):
        c = COL["k.volume"]
        b.put(row, c, "-", b.cells[(row, c)].style if (row, c) in b.cells else S_EMPTY)
