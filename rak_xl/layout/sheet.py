"""The official RAK sheet as pure data: ``plan_sheet(rak) -> SheetPlan``.

No spreadsheet library is imported here; adapters (openpyxl, XlsxWriter, xlwings) apply a
plan. The layout follows the reader conventions so that reading the sheet back gives the
same model (``read(regenerate(x)) == read(x)``):

* either form (``rak_xl.forms``, by ``Rak.tingkat``): the 2020 form, or the 4-level form
  with Sub Kegiatan (``blocks4``), its columns from the form's physical table;
* title rows, ``catatan_atas`` rows, then four header rows (group, label, the quarter
  labels ``TW I`` .. ``TW IV`` under ``Target Triwulan``, numbering 1..23 (1..26) where
  a logical column spanning several physical columns is numbered in its first one);
* one row per kegiatan (per sub kegiatan): each target in four quarter sub-columns (an
  empty quarter shows ``-``), unreadable target text in the level's ``Target (teks)``
  sub-column, the year total beside December. A program's and a sasaran's (and a
  4-level kegiatan's) cells sit on the first row of their block, merged down to its
  totals row;
* totals as live formulas, with labels starting ``JUMLAH`` in the cash holder's uraian
  column; formula columns right of KET whose headers start ``Kas TW``/``Total``/
  ``Selisih`` (the reader ignores them, and the year total by its ``Jumlah`` label);
  stray values after them under "Nilai di luar tabel"; the signature under the table
  (right page), then the notes from column A, outside the print area;
* the printed form (``pages``): widths and heights from the fonts' metrics, two pages
  wide (the 4-level form three) at a fixed scale, page breaks that keep totals rows off
  a page's top and repeat a split block's name, marked ``(lanjutan)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rak_xl.forms import FORMS, Form
from rak_xl.layout.blocks import (
    Table,
    down,
    grand_total,
    level_cols,
    merged_down,
    program3,
    sasaran_block,
)
from rak_xl.layout.blocks4 import program4
from rak_xl.layout.builder import Builder
from rak_xl.layout.frame import boxed, header, notes_below, signature, stray_header, title
from rak_xl.layout.pages import MARGINS_IN, paginate, plan_heights, plan_widths, print_scale
from rak_xl.layout.plan import Formula, PlanCell, PrintSetup, SheetPlan, TableInfo, Totals4
from rak_xl.layout.styles import S_C_MONEY, S_EMPTY, S_TOTAL_LABEL
from rak_xl.layout.totals import cached_values, plan_totals
from rak_xl.layout.totals4 import plan_totals4
from rak_xl.model import Kegiatan, Program, Rak, Sasaran, SubKegiatan
from rak_xl.sheet_spec import NO_COL, NO_TOTAL, continued, starts_like_total

__all__ = ["plan_sheet"]


def plan_sheet(rak: Rak, *, paginate_rows: bool = True) -> SheetPlan:
    """Lay ``rak`` out as the official sheet (values, formulas, styles, print setup).

    ``paginate_rows``: plan manual row breaks (and repeat a split block's name). Susun
    Ulang in Excel passes False: Excel's page breaks cannot be set through xlwings, and
    a repeated name away from a break would only confuse.
    """
    form = FORMS[rak.tingkat]
    b = Builder(form)
    g, num = header(b, title(b, rak))
    first_data = num + 1
    table = Table()
    row = first_data
    # An empty sheet still gets one row of each level to type into.
    subs = [SubKegiatan(None)] if form.tingkat == 4 else []
    kegiatan = [Kegiatan(None, sub_kegiatan=subs)]
    sasaran = rak.sasaran or [Sasaran(None, program=[Program(None, kegiatan=kegiatan)])]
    for si, s in enumerate(sasaran):
        row = sasaran_block(b, row, s, si, table, program4 if form.tingkat == 4 else program3)
    grand = row
    grand_total(b, grand)
    b.put(grand, NO_COL, NO_TOTAL, S_TOTAL_LABEL)
    if form.tingkat == 4:
        t4 = Totals4(
            tuple(table.holders),
            tuple(table.kegiatan_totals),
            tuple(table.program_totals),
            tuple(table.sasaran_totals),
            grand,
        )
        formulas = plan_totals4(t4)
        program_totals = tuple(p.total_row for p in table.program_totals)
    else:
        formulas = plan_totals(table.blocks, table.sasaran_totals, grand)
        program_totals = tuple(blk.total_row for blk in table.blocks)
    kegiatan_totals = tuple(k.total_row for k in table.kegiatan_totals)
    for (r, c), f in formulas.items():
        b.put(r, c, f, b.cells[(r, c)].style if (r, c) in b.cells else S_C_MONEY)
    for pos, value in cached_values(b.cells).items():
        pc = b.cells[pos]
        assert isinstance(pc.value, Formula)  # cached_values computes formulas only
        b.cells[pos] = PlanCell(Formula(pc.value.text, value), pc.style)
    stray_header(b, g, num)
    sig_first = grand + 2
    sig_end = signature(b, rak, sig_first)
    notes_below(b, rak, sig_end)
    totals = {*program_totals, *kegiatan_totals, *table.sasaran_totals, grand}

    widths = plan_widths(
        b.cells,
        range(first_data, grand + 1),
        range(g, num + 1),
        _amounts(rak, form),
        b.last_col,
        b.merges,
        form,
    )
    scale = print_scale(widths, form)
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
        program_total_rows=program_totals,
        sasaran_total_rows=tuple(table.sasaran_totals),
        grand_total_row=grand,
        kegiatan_total_rows=kegiatan_totals,
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
            print_area=(1, 1, max(sig_end - 1, grand), form.last_official_col),
            row_breaks=breaks,
            col_breaks=tuple(first for first, _ in form.pages[1:]),
            over_then_down=True,
            margins_in=MARGINS_IN,
        ),
        table=info,
        last_row=last_row,
        last_col=b.last_col,
        autofit_rows=frozenset(r for r in own if first_data <= r <= grand),
        tingkat=form.tingkat,
    )


def _amounts(rak: Rak, form: Form) -> dict[int, float]:
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
            for item in (k, *k.sub_kegiatan):
                for m in range(12):
                    months[m] += size(item.kas_bulanan[m])
    out = {c: months[m] for m, c in enumerate(form.kas_cols)}
    computed = form.computed_cols
    out[form.col["setahun"]] = sum(months)
    for q in range(4):
        out[computed[f"kas_tw.{q}"]] = sum(months[3 * q : 3 * q + 3])
    if form.tingkat == 4:  # a stated kegiatan or sub kegiatan budget may be the largest
        for _, _, k in rak.kegiatan_all():
            anggaran = max(
                anggaran, size(k.anggaran), *(size(sk.anggaran) for sk in k.sub_kegiatan)
            )
        out.update({form.col[f"{x}.anggaran"]: anggaran for x in ("p", "k", "sk")})
    out[computed["anggaran"]] = anggaran
    out[computed["selisih"]] = anggaran + sum(months)
    return out


def _split_blocks(b: Builder, table: Table, breaks: Sequence[int]) -> None:
    """Where a page break falls inside a sasaran or program block, end its merges there
    and repeat its name on the new page's first row, marked ``(lanjutan)``."""
    merged = merged_down(b)
    for blocks, level in ((table.sasaran_blocks, "s"), (table.program_blocks, "p")):
        cols = level_cols(b, level)
        name_col = b.col[f"{level}.uraian"]
        for first, last, uraian in blocks:
            cuts = [r for r in breaks if first < r <= last]
            if not cuts:
                continue
            segments = list(zip([first, *cuts], [*(r - 1 for r in cuts), last], strict=True))
            for c in cols:
                style = boxed(b.cells[(first, c)].style, "all")
                if c in merged:
                    b.merges.remove((first, c, last, c))
                for a, z in segments:
                    value = b.cells[(a, c)].value
                    b.put(a, c, value, style)
                    down(b, a, z, range(c, c + 1))
            for r in cuts:
                b.put(r, name_col, continued(uraian), b.cells[(first, name_col)].style)


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
    col, leaf = b.col, b.form.leaf
    first = next(
        (
            v
            for c in range(col["s.uraian"], col[f"{leaf}.target_text"] + 1)
            if isinstance(v := b.cells[(row, c)].value if (row, c) in b.cells else None, str)
            and v != "-"
        ),
        None,
    )
    if first is None or not starts_like_total(first):
        return
    cols = (col[f"{leaf}.indikator"], col[f"{leaf}.volume"], col[f"{leaf}.satuan"])
    if all(b.cells.get((row, c), PlanCell(None)).value is None for c in cols):
        c = col[f"{leaf}.volume"]
        b.put(row, c, "-", b.cells[(row, c)].style if (row, c) in b.cells else S_EMPTY)
