"""The printed form: column widths, row heights and page breaks, from the fonts' metrics.

The form prints two pages wide, one row band at a time (page order "over, then down"):
the left page holds sasaran, program and kegiatan with their targets, the right page
the kegiatan's name again (a repeated title column), the twelve months, the year total
and KET. Why two: a month column must hold ``99.999.999.999`` (7 pt on paper: 52 pt
with its padding), so the thirteen amounts alone take 680 pt of the 800 pt an A4
landscape page prints; with the names and targets beside them one page wide would need
about 55 % scale, 4.5 pt on paper. Two pages at 88 % keep 8 pt text at 7 pt on paper on
A4 and F4 alike, and each half reads like a page of its own.

Widths: every column fits its widest content (numbers on one line, header words whole);
the text columns share what is left of the page by water-filling, so a short name takes
no more than it needs and a long one wraps. Heights: the lines each cell wraps to, a
merged sasaran/program name spread over its block's rows. Breaks: greedy by height on
A4 (the shorter of A4 and F4), moved up so that no totals row starts a page, the
signature kept whole; where a break splits a sasaran or program block its name is
repeated, marked ``(lanjutan)``, which the reader skips.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Iterable, Mapping, Sequence

from rak_xl.forms import FORM_2020, Form
from rak_xl.layout.metrics import column_width, printed_width, row_height, wrapped_lines
from rak_xl.layout.plan import Formula, PlanCell, Style
from rak_xl.layout.styles import BODY_PT
from rak_xl.sheet_spec import NO_COL

__all__ = [
    "A4_LANDSCAPE_PT",
    "MARGINS_IN",
    "MONEY_SAMPLE",
    "PRINT_SCALE",
    "RIGHT_PAGE",
    "cell_text",
    "page_widths",
    "paginate",
    "plan_heights",
    "plan_widths",
    "print_scale",
]

A4_LANDSCAPE_PT = (841.89, 595.28)
F4_LANDSCAPE_PT = (935.43, 609.45)  # 330 x 215 mm
MARGINS_IN = (0.3, 0.3, 0.45, 0.55)  # left, right, top, bottom
PRINT_SCALE = 88  # 8 pt text prints at 7.04 pt
MONEY_SAMPLE = "99.999.999.999"  # the widest amount a month column must show
# Widths (Excel units) a text column keeps at least, and takes at most.
_TEXT_MIN = 12.0
_NAME_MIN = 8.0
_NAME_WEIGHT = 0.6
_TEXT_MAX = 34.0
_KET_MAX = 12.0
_SAT_MAX = 9.0
_STRAY = (8.0, 20.0)
_HIDDEN = 0.0
_SAFE = 0.97  # of a page's height: LibreOffice and Excel round heights differently


def _printable(paper: tuple[float, float], scale: int) -> tuple[float, float]:
    """Content width and height (pt at 100 %) a landscape page holds at ``scale``."""
    left, right, top, bottom = MARGINS_IN
    w = (paper[0] - (left + right) * 72) * 100 / scale
    h = (paper[1] - (top + bottom) * 72) * 100 / scale
    return w, h


def _money(n: float) -> str:
    text = f"{abs(n):,.0f}".replace(",", ".")
    return "-" + text if n < 0 else text


def cell_text(cell: PlanCell, amount: float | None = None) -> str:
    """What a cell shows (for measuring): money grouped, other numbers plain; a formula
    shows ``amount`` when given."""
    v = cell.value
    if isinstance(v, Formula):
        return _money(amount) if amount is not None else ""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, _dt.datetime):
        return "00/00/0000 00:00" if v.time() != _dt.time() else "00/00/0000"
    if isinstance(v, int | float):
        if "#,##0" in cell.style.number_format:
            return _money(v)
        return f"{v:.10g}"
    return str(v)


# --------------------------------------------------------------------------------------
# Widths
# --------------------------------------------------------------------------------------
def _text_cols(form: Form) -> tuple[int, ...]:
    """The uraian and indikator columns of every level, left to right."""
    return tuple(form.col[f"{x}.{f}"] for x in form.levels for f in ("uraian", "indikator"))


def _page_cols(form: Form, page: int) -> tuple[int, ...]:
    """The columns printed on ``page``: the row numbers (repeated), then the page's own."""
    first, last = form.pages[page]
    return (NO_COL, *range(first, last + 1))


# The 2020 form's right page: the row numbers (repeated), the months, the year total, KET.
RIGHT_PAGE = _page_cols(FORM_2020, -1)


@functools.lru_cache(maxsize=1 << 16)
def _width_of(text: str, size: float, bold: bool, font: str) -> float:
    return column_width([text], size, bold, font)  # cached: amounts and units repeat


def _natural(texts: Iterable[tuple[str, Style]]) -> float:
    """Width that shows the widest paragraph of ``texts`` on one line."""
    widths = [0.0]
    for text, st in set(texts):
        for part in text.split("\n"):
            widths.append(_width_of(part, st.size, st.bold, st.font))
    return max(widths)


def _longest_word(texts: Iterable[tuple[str, Style]]) -> float:
    widths = [0.0]
    for text, st in set(texts):
        widths.extend(_width_of(w, st.size, st.bold, st.font) for w in text.split())
    return max(widths)


def _water_fill(
    natural: Mapping[int, float],
    floor: Mapping[int, float],
    weight: Mapping[int, float],
    room: float,
) -> dict[int, float]:
    """Widths for ``natural`` columns within ``room`` (printed pt): each gets
    ``min(natural, max(floor, level * weight))`` for the highest level that fits."""

    def width(c: int, level: float) -> float:
        return min(natural[c], max(floor[c], level * weight[c]))

    def total(level: float) -> float:
        return sum(printed_width(width(c, level)) for c in natural)

    # At ``hi`` every column is at its natural width (a column of weight w < 1 gets
    # there at level natural / w).
    lo, hi = 0.0, max([*(natural[c] / weight[c] for c in natural), 1.0])
    if total(hi) <= room:
        return dict(natural)
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if total(mid) <= room else (lo, mid)
    return {c: math.floor(width(c, lo) * 4) / 4 for c in natural}


def plan_widths(
    cells: Mapping[tuple[int, int], PlanCell],
    body_rows: Sequence[int],
    header_rows: Sequence[int],
    amounts: Mapping[int, float],
    last_col: int,
    merges: Iterable[tuple[int, int, int, int]] = (),
    form: Form | None = None,
) -> dict[int, float]:
    """Excel width of every column. ``body_rows``: the table's rows (measured whole);
    ``header_rows``: measured by their longest word (labels wrap; a label merged across
    columns is not measured: it has their width); ``amounts``: the largest amount a money
    column may show (totals included)."""
    across = {(r1, c1) for r1, c1, _, c2 in merges if c2 > c1}
    by_col: dict[int, list[tuple[str, Style]]] = {}
    body = set(body_rows)
    for (r, c), pc in cells.items():
        if r in body and c <= last_col and (text := cell_text(pc, amounts.get(c))):
            by_col.setdefault(c, []).append((text, pc.style))
    head: dict[int, list[tuple[str, Style]]] = {}
    for r in header_rows:
        for c in range(1, last_col + 1):
            cell = cells.get((r, c))
            if cell is not None and isinstance(cell.value, str) and (r, c) not in across:
                head.setdefault(c, []).append((cell.value, cell.style))

    def fixed(c: int, *samples: str) -> float:
        sized = [*by_col.get(c, []), *((s, Style(size=BODY_PT)) for s in samples)]
        return max(_natural(sized), _longest_word(head.get(c, [])), 3.0)

    form = FORM_2020 if form is None else form
    col, leaf, computed = form.col, form.leaf, form.computed_cols
    widths: dict[int, float] = {}
    money = [
        *form.kas_cols,
        *(col[f"{x}.anggaran"] for x in form.levels if f"{x}.anggaran" in col),
        *(computed[f"kas_tw.{q}"] for q in range(4)),
    ]
    money += [computed["anggaran"], computed["selisih"]]
    for c in money:
        widths[c] = fixed(c, MONEY_SAMPLE)
    widths[col["setahun"]] = fixed(col["setahun"], MONEY_SAMPLE)
    widths[NO_COL] = fixed(NO_COL)
    quarters = [form.quarter_cols(x) for x in form.levels]
    for c in (
        col["s.target_tahunan"],
        col[f"{leaf}.volume"],
        *(c for group in quarters for c in group),
        *(col[f"{x}.kode"] for x in form.levels if f"{x}.kode" in col),
    ):
        widths[c] = fixed(c)
    # Alike columns alike wide: a level's quarters, the months with the year total, the
    # formula columns (a uniform look, and one action per run in Excel).
    for group in (
        *quarters,
        (*form.kas_cols, col["setahun"]),
        tuple(
            computed[key] for key in ("kas_tw.0", "kas_tw.1", "kas_tw.2", "kas_tw.3", "anggaran")
        ),
    ):
        widest = max(widths[c] for c in group)
        widths.update(dict.fromkeys(group, widest))
    for c in form.target_text_cols:
        widths[c] = min(_natural(by_col[c]), _TEXT_MAX) if c in by_col else _HIDDEN
    sat = col[f"{leaf}.satuan"]
    widths[sat] = max(min(fixed(sat), _SAT_MAX), _longest_word(by_col.get(sat, [])))
    for c in range(form.first_stray_col, last_col + 1):
        widths[c] = min(max(fixed(c), _STRAY[0]), _STRAY[1])

    room, _ = _printable(A4_LANDSCAPE_PT, PRINT_SCALE)
    # The last page: KET takes what the amounts leave, up to what it needs.
    ket = col[f"{leaf}.ket"]
    right = sum(printed_width(widths[c]) for c in _page_cols(form, -1) if c != ket)
    ket_room = math.floor((room - right) / printed_width(1.0) * 4) / 4
    widths[ket] = max(3.0, min(fixed(ket), _KET_MAX, ket_room))
    # The other pages: their text columns share what the fixed ones leave.
    text_cols = _text_cols(form)
    for page in range(len(form.pages) - 1):
        on_page = _page_cols(form, page)
        texts = [c for c in text_cols if c in on_page]
        page_fixed = sum(printed_width(widths.get(c, 0.0)) for c in on_page if c not in texts)
        natural = {
            c: min(
                max(_natural(by_col.get(c, [])), _longest_word(head.get(c, [])), _TEXT_MIN),
                _TEXT_MAX,
            )
            for c in texts
        }
        # The cash holder's texts set its row's height; the name of an item holding
        # others is spread over all the rows of its block, so it can wrap more.
        holder = (col[f"{leaf}.uraian"], col[f"{leaf}.indikator"])
        floor = {
            c: min(
                max(_TEXT_MIN if c in holder else _NAME_MIN, _longest_word(by_col.get(c, []))),
                natural[c],
            )
            for c in texts
        }
        weight = {c: 1.0 if c in holder else _NAME_WEIGHT for c in texts}
        widths.update(_water_fill(natural, floor, weight, room - page_fixed))
    return widths


def page_widths(widths: Mapping[int, float], form: Form = FORM_2020) -> tuple[float, ...]:
    """Printed width (pt at 100 %) of each page, left to right."""
    return tuple(
        sum(printed_width(widths.get(c, 0.0)) for c in _page_cols(form, page))
        for page in range(len(form.pages))
    )


def print_scale(widths: Mapping[int, float], form: Form = FORM_2020) -> int:
    """The scale at which every page fits A4 landscape (so F4 too), at most 100 %."""
    room, _ = _printable(A4_LANDSCAPE_PT, 100)
    widest = max(page_widths(widths, form))
    return max(10, min(100, math.floor(room / widest * 100)))


# --------------------------------------------------------------------------------------
# Heights
# --------------------------------------------------------------------------------------
def _lines(cell: PlanCell, width: float) -> int:
    text = cell_text(cell)
    if not text:
        return 1
    st = cell.style
    if not st.wrap:
        return text.count("\n") + 1
    return _wrapped(text, width, st.size, st.bold, st.font)


# Cached: the heights are planned again after each split, and texts repeat (units, "-").
_wrapped = functools.lru_cache(maxsize=1 << 16)(wrapped_lines)
_height = functools.lru_cache(maxsize=256)(row_height)


def plan_heights(
    cells: Mapping[tuple[int, int], PlanCell],
    merges: Sequence[tuple[int, int, int, int]],
    widths: Mapping[int, float],
    rows: Iterable[int],
    last_col: int,
) -> tuple[dict[int, float], set[int]]:
    """Height of each of ``rows`` for what its cells wrap to, and the rows whose height
    is their own (no merged text spread over them: Excel autofits those by itself)."""
    spans: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merges:
        spans[(r1, c1)] = (r1, c1, r2, c2)
        covered.update(
            (r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if (r, c) != (r1, c1)
        )
    wanted = set(rows)
    need: dict[int, float] = {}
    for (r, c), cell in cells.items():  # one pass: most rows hold few texts that wrap
        if r not in wanted or c > last_col or (r, c) in covered:
            continue
        span = spans.get((r, c))
        if span is not None and span[2] > span[0]:
            continue  # merged down: spread over its rows below
        st = cell.style
        if st.wrap or (isinstance(cell.value, str) and "\n" in cell.value):
            width = sum(widths.get(x, 0.0) for x in range(c, (span[3] if span else c) + 1))
            if width <= 0:
                continue
            h = _height(_lines(cell, width), st.size, st.font)
        elif cell.value is None:
            continue
        else:
            h = _height(1, st.size, st.font)
        if h > need.get(r, 0.0):
            need[r] = h
    one = row_height(1, BODY_PT)
    heights: dict[int, float] = {r: need.get(r, one) for r in sorted(wanted)}
    own = set(heights)
    for (r1, c1), (_, _, r2, c2) in spans.items():
        if r2 == r1 or r1 not in heights:
            continue
        cell = cells[(r1, c1)]
        width = sum(widths.get(x, 0.0) for x in range(c1, c2 + 1))
        if width <= 0 or not cell_text(cell):
            continue
        want = _height(_lines(cell, width), cell.style.size, cell.style.font)
        block = [r for r in range(r1, r2 + 1) if r in heights]
        have = sum(heights[r] for r in block)
        if want > have + 0.01:
            extra = math.ceil((want - have) / len(block) / 0.75) * 0.75
            for r in block:
                heights[r] += extra
                own.discard(r)
    return heights, own


# --------------------------------------------------------------------------------------
# Page breaks
# --------------------------------------------------------------------------------------
def paginate(
    heights: Mapping[int, float],
    title_rows: Sequence[int],
    first_row: int,
    last_row: int,
    totals: Iterable[int],
    keep_together: Sequence[tuple[int, int]],
    scale: int,
) -> tuple[int, ...]:
    """First row of every page after the first, greedy by height on A4: ``title_rows``
    repeat on every page, rows before ``first_row`` (the title) open the first page;
    a break never leaves a totals row at the top of a page, nor splits a
    ``keep_together`` range (the signature)."""
    _, page_h = _printable(A4_LANDSCAPE_PT, scale)
    room = page_h * _SAFE - sum(heights.get(r, 0.0) for r in title_rows)
    is_total = set(totals)
    together = {r: (a, b) for a, b in keep_together for r in range(a, b + 1)}
    breaks: list[int] = []
    # The first page opens with the title (the header rows are counted in ``room``).
    used = sum(heights.get(r, 0.0) for r in range(1, first_row) if r not in title_rows)
    r = first_row
    page_start = first_row
    while r <= last_row:
        h = heights.get(r, 0.0)
        if used + h > room and r > page_start:
            cut = r
            while cut in is_total and cut - 1 > page_start:
                cut -= 1
            if cut in together and together[cut][0] > page_start:
                cut = together[cut][0]
            breaks.append(cut)
            page_start = cut
            used = sum(heights.get(x, 0.0) for x in range(cut, r))
        used += h
        r += 1
    return tuple(breaks)
