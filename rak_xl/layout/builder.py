"""The sheet under construction: cells, merges and row heights, and how a model value
goes into its cell (unparseable text back as written, targets one per quarter row)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from rak_xl.forms import FORM_2020, Form
from rak_xl.layout.plan import PlanCell, PlanValue, Style
from rak_xl.layout.styles import S_STRAY, S_TEXT, S_TW
from rak_xl.model import Number, StrayValue
from rak_xl.numbers import Targets, parse_targets

__all__ = [
    "Builder",
    "cell_of_raw",
    "raw_or",
    "strays",
    "style_for",
    "target_cells",
]


class Builder:
    """The sheet of one ``form`` under construction."""

    def __init__(self, form: Form = FORM_2020) -> None:
        self.form = form
        self.col = form.col
        self.cells: dict[tuple[int, int], PlanCell] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.last_col = form.last_official_col

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
    level: str,
    targets: Sequence[Number | None],
    raw: Mapping[str, str],
) -> Targets | None:
    """TW I..IV in their own sub-columns (an empty quarter as ``-``), unreadable text
    back where it was read: a quarter's own text in its cell, the whole target text in
    the level's ``Target (teks)`` column.

    Returns what that text says (quarters, annual target, Rp amount) so the caller
    leaves those cells empty: the reader takes them from the text again.
    """
    said = parse_targets(raw["target_tw"]) if "target_tw" in raw else None
    named = set(said.labelled) if said is not None else set()
    text: PlanValue = raw.get("target_tw")
    displaced: dict[int, PlanValue] = {}
    for q, col in enumerate(b.form.quarter_cols(level)):
        number = targets[q]
        value: PlanValue
        if f"target_tw.{q}" in raw:
            value = cell_of_raw(raw, f"target_tw.{q}", None)
            if number is not None and q not in named:
                displaced[q] = number  # the cell holds the text: the number goes beside
        elif q in named:
            value = None  # the text names it
        else:
            value = "-" if number is None else number
        b.put(row, col, value, S_TW if value == "-" else style_for(value, S_TW))
    if displaced:
        text = _labelled(displaced, text)
    b.put(row, b.col[f"{level}.target_text"], text, S_TEXT)
    return said


def _labelled(displaced: Mapping[int, PlanValue], text: PlanValue) -> PlanValue:
    """Quarters whose cell holds unreadable text, as ``TW 2 = 5`` in the text column,
    which the reader applies to the quarters it names. Only whole non-negative numbers
    (their text reads the same in either separator convention) and only when the column
    is free; otherwise nothing moves (and the rebuild's check refuses to lose the value
    rather than write a wrong sheet)."""

    def plain(v: PlanValue) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    if text is not None or not all(plain(v) for v in displaced.values()):
        return text
    return " ".join(f"TW {q + 1} = {displaced[q]}" for q in sorted(displaced))


def strays(b: Builder, row: int, values: Iterable[StrayValue]) -> None:
    for i, v in enumerate(values):
        b.put(row, b.form.first_stray_col + i, v, S_STRAY)
