"""The sheet under construction: cells, merges and row heights, and how a model value
goes into its cell (unparseable text back as written, targets one per quarter row)."""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

from rak_xl.layout.plan import PlanCell, PlanValue, Style
from rak_xl.layout.styles import LINE_PT, MIN_ROW_PT, S_STRAY, S_TEXT, S_TW, STRAY_WIDTH, WIDTHS
from rak_xl.model import Number, StrayValue
from rak_xl.numbers import Targets, parse_targets
from rak_xl.sheet_spec import FIRST_STRAY_COL, LAST_OFFICIAL_COL

__all__ = [
    "Builder",
    "boxed",
    "cell_of_raw",
    "lines",
    "raw_or",
    "strays",
    "style_for",
    "target_cells",
]


class Builder:
    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], PlanCell] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.heights: dict[int, float] = {}
        self.last_col = LAST_OFFICIAL_COL

    def put(self, row: int, col: int, value: PlanValue, style: Style) -> None:
        self.cells[(row, col)] = PlanCell(value, style)
        if value is not None:
            self.last_col = max(self.last_col, col)

    def merge(self, r1: int, c1: int, r2: int, c2: int, style: Style | None = None) -> None:
        """Merge a range; every cell of it gets ``style`` (borders must be on all cells)."""
        if (r1, c1) == (r2, c2):
            return
        self.merges.append((r1, c1, r2, c2))
        if style is not None:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.cells[(r, c)] = PlanCell(None, style)

    def need_height(self, rows: Sequence[int], lines: int) -> None:
        """Make ``rows`` together tall enough for ``lines`` wrapped lines.

        Rows left without a height keep Excel's own (at least one line each): setting
        one anyway would cost Susun Ulang a round trip per row."""
        if lines <= len(rows) and not any(r in self.heights for r in rows):
            return
        total = sum(self.heights.get(r, MIN_ROW_PT) for r in rows)
        want = lines * LINE_PT + 3
        if want > total:
            extra = (want - total) / len(rows)
            for r in rows:
                self.heights[r] = round(self.heights.get(r, MIN_ROW_PT) + extra, 1)


def boxed(b: Builder, rows: Sequence[int], col: int, value: PlanValue, style: Style) -> None:
    """``value`` on the first of ``rows``, the column drawn as one box over all of them."""
    for i, r in enumerate(rows):
        box = "top" if i == 0 else ("bottom" if i == len(rows) - 1 else "mid")
        b.put(r, col, value if i == 0 else None, _with_box(style, box))


@lru_cache(maxsize=256)
def _with_box(style: Style, box: str) -> Style:
    # Cached: a few styles, but 14 boxed columns x 4 rows per kegiatan.
    return replace(style, box=box)


def lines(value: object, col: int) -> int:
    """Rough count of wrapped lines ``value`` needs in column ``col`` (9pt Arial)."""
    if value is None:
        return 1
    text = str(value)
    per_line = max(1, int(WIDTHS.get(col, STRAY_WIDTH) * 1.15))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def raw_or(item_raw: Mapping[str, str], key: str, value: PlanValue) -> PlanValue:
    """Unparseable text goes back into its own cell (the reader keeps it as ``raw``)."""
    return item_raw.get(key, value)


_DATE_TEXT = re.compile(r"(\d{2})/(\d{2})/(\d{4})(?: (\d{2}):(\d{2}))?")


def cell_of_raw(raw: Mapping[str, str], key: str, value: PlanValue) -> PlanValue:
    """The cell that gives ``raw[key]`` back. For these keys the reader keeps a text as
    raw only when it came from a date or TRUE/FALSE cell (text there is read as target
    text), so such a raw value is written back as that date or boolean."""
    if key not in raw:
        return value
    text = raw[key]
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    m = _DATE_TEXT.fullmatch(text)
    if m:
        day, month, year, hour, minute = (int(g) if g else 0 for g in m.groups())
        try:
            return _dt.datetime(year, month, day, hour, minute)
        except ValueError:
            return text
    return text


def style_for(value: PlanValue, style: Style) -> Style:
    """Text left-aligned and wrapped; a date with a date format; else ``style``."""
    if isinstance(value, str):
        return S_TEXT
    if isinstance(value, _dt.datetime):
        fmt = "dd/mm/yyyy hh:mm" if value.time() != _dt.time() else "dd/mm/yyyy"
        return replace(S_TEXT, number_format=fmt)
    return style


def target_cells(
    b: Builder,
    row: int,
    col: int,
    targets: Sequence[Number | None],
    raw: Mapping[str, str],
) -> Targets | None:
    """TW 1..4 one per row; unreadable target text back in its own row.

    Returns what the first row's text says (quarters, annual target, Rp amount) so the
    caller leaves those cells empty: the reader takes them from the text again.
    """
    said = parse_targets(raw["target_tw"]) if "target_tw" in raw else None
    texts = {q: raw[f"target_tw.{q}"] for q in range(4) if f"target_tw.{q}" in raw}
    if said is not None:
        texts[0] = raw["target_tw"]
    # Quarters a text names itself come back from it; the others need a cell.
    named = set().union(*(parse_targets(t).labelled for t in texts.values()))
    values: list[PlanValue] = []
    displaced: dict[int, PlanValue] = {}
    for q in range(4):
        number: PlanValue = None if q in named else targets[q]
        if q in texts:
            whole = q == 0 and said is not None
            values.append(texts[0] if whole else cell_of_raw(raw, f"target_tw.{q}", None))
            if number is not None:
                displaced[q] = number
        else:
            values.append(number)
    if displaced:
        _move_into_labelled_text(values, displaced, texts)
    for q, value in enumerate(values):
        b.put(row + q, col, value, style_for(value, S_TW[q]))
    return said


def _move_into_labelled_text(
    values: list[PlanValue], displaced: dict[int, PlanValue], texts: Mapping[int, str]
) -> None:
    """Quarters whose row holds unreadable text go, as ``TW 2 = 5`` text, into a row
    without text: the reader applies a labelled text to the quarters it names, whatever
    the row. Only whole non-negative numbers, whose text reads the same in either
    separator convention; otherwise nothing moves (and the rebuild's check refuses to
    lose the value rather than write a wrong sheet)."""

    def plain(v: PlanValue) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    free = [q for q in range(4) if q not in texts and (values[q] is None or plain(values[q]))]
    if not free or not all(plain(v) for v in displaced.values()):
        return
    q = free[0]
    quarters = dict(displaced)
    if values[q] is not None:
        quarters[q] = values[q]
    values[q] = " ".join(f"TW {n + 1} = {quarters[n]}" for n in sorted(quarters))


def strays(b: Builder, row: int, values: Iterable[StrayValue]) -> None:
    for i, v in enumerate(values):
        b.put(row, FIRST_STRAY_COL + i, v, S_STRAY)


# The reader title-cases an ALL-CAPS title line with these particles in lower case.
