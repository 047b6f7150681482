"""Replay the format actions xlwings' remote engine recorded, as Excel would apply them.

Susun Ulang's result is checked cell by cell against the plan this way: the remote
engine records actions but keeps no formats, so the replay is the model of Excel here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Rect = tuple[int, int, int, int]

__all__ = [
    "CLEARED",
    "Replayed",
    "assert_replays_to",
    "formats_of_sheet",
    "planned_format",
    "replay",
]

CLEARED = {
    "font": "Calibri",
    "size": 11,
    "bold": False,
    "italic": False,
    "h_align": "general",
    "v_align": "bottom",
    "wrap": False,
    "number_format": "General",
    "fill": None,
    "border": False,
}


def _cells_of(act: dict[str, Any]) -> list[tuple[int, int]]:
    r0, c0 = act["start_row"] + 1, act["start_column"] + 1
    return [(r0 + i, c0 + j) for i in range(act["row_count"]) for j in range(act["column_count"])]


@dataclass
class Replayed:
    """What the recorded actions leave on one sheet: cell formats, merges, sizes."""

    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    merges: set[tuple[int, int, int, int]] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)


def replay(
    actions: list[dict[str, Any]],
    sheet: int,
    sources: Mapping[int, Mapping[tuple[int, int], dict[str, Any]]] | None = None,
) -> Replayed:
    """Apply the recorded format actions of one sheet to plain dicts: cell formats
    (copies tile their source over the destination, as Excel does; a source on another
    sheet is read from ``sources``, that sheet's formats), merges ("across" merges each
    row on its own), column widths and row heights."""
    from rak_xl.grid import col_index

    out = Replayed()
    state = out.cells

    def at(cell: tuple[int, int]) -> dict[str, Any]:
        return state.setdefault(cell, dict(CLEARED))

    simple = {
        "setHorizontalAlignment": "h_align",
        "setVerticalAlignment": "v_align",
        "setWrapText": "wrap",
        "setNumberFormat": "number_format",
    }
    font = {"name": "font", "size": "size", "bold": "bold", "italic": "italic"}
    for act in actions:
        if act["sheet_position"] != sheet:
            continue
        func, args = act["func"], act["args"]
        if func == "sheetClear":
            state.clear()
            out.merges.clear()
        elif func == "rangeMerge":
            r0, c0 = act["start_row"] + 1, act["start_column"] + 1
            r1, c1 = r0 + act["row_count"] - 1, c0 + act["column_count"] - 1
            rows = [(r, r) for r in range(r0, r1 + 1)] if args[0] else [(r0, r1)]
            out.merges |= {(a, c0, b, c1) for a, b in rows if (a, c0) != (b, c1)}
        elif func == "setColumnWidth":
            for _, c in _cells_of(act):
                out.widths[c] = args[0]
        elif func == "setRowHeight":
            for r, _ in _cells_of(act):
                out.heights[r] = args[0]
        elif func == "setRangeColors":
            r0, c0 = act["start_row"] + 1, act["start_column"] + 1
            for i, row in enumerate(args[0]):
                for j, colour in enumerate(row):
                    if colour != "keep":
                        at((r0 + i, c0 + j))["fill"] = (
                            colour.lstrip("#").upper() if colour else None
                        )
        elif func in simple:
            value = (
                args[0].lower() if isinstance(args[0], str) and "align" in func.lower() else args[0]
            )
            for cell in _cells_of(act):
                at(cell)[simple[func]] = value
        elif func == "setFontProperty":
            for cell in _cells_of(act):
                at(cell)[font[args[0]]] = args[1]
        elif func == "setRangeColor":
            for cell in _cells_of(act):
                at(cell)["fill"] = args[0].lstrip("#").upper() if args[0] else None
        elif func == "setBorderProperty":
            for cell in _cells_of(act):
                at(cell)["border"] = True
        elif func == "copyFromRange":
            first, _, last = args[1].replace("$", "").partition(":")
            last = last or first  # a one-cell source
            letters = "".join(ch for ch in first if ch.isalpha())
            sr, sc = int(first[len(letters) :]), col_index(letters)
            letters2 = "".join(ch for ch in last if ch.isalpha())
            nrows = int(last[len(letters2) :]) - sr + 1
            ncols = col_index(letters2) - sc + 1
            dr, dc = act["start_row"] + 1, act["start_column"] + 1
            if args[0] == sheet:
                snapshot = {k: dict(v) for k, v in state.items()}
                src_rect = (sr, sc, sr + nrows - 1, sc + ncols - 1)
                dst_rect = (
                    act["start_row"] + 1,
                    act["start_column"] + 1,
                    act["start_row"] + act["row_count"],
                    act["start_column"] + act["column_count"],
                )
                out.merges |= _carried(out.merges, src_rect, dst_rect)
            else:
                snapshot = {k: dict(v) for k, v in (sources or {})[args[0]].items()}
            for r, c in _cells_of(act):
                src = (sr + (r - dr) % nrows, sc + (c - dc) % ncols)
                state[(r, c)] = dict(snapshot.get(src, CLEARED))
    return out


def _carried(merges: set[Rect], src: Rect, dst: Rect) -> set[Rect]:
    """The merges a paste of formats brings along: those of the source, tiled over the
    destination. Excel refuses to cut a merged area (a merge across the source's edge)
    and to paste over part of one; the destination is also expected unmerged, as
    Susun Ulang copies only onto fresh cells."""

    def overlap(a: Rect, b: Rect) -> bool:
        return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]

    def within(m: Rect, r: Rect) -> bool:
        return r[0] <= m[0] and m[2] <= r[2] and r[1] <= m[1] and m[3] <= r[3]

    inside = [m for m in merges if overlap(m, src)]
    assert all(within(m, src) for m in inside), ("copy cuts a merged area", src)
    assert not [m for m in merges if overlap(m, dst)], ("paste onto merged cells", dst)
    h, w = src[2] - src[0] + 1, src[3] - src[1] + 1
    out = set()
    for i in range((dst[2] - dst[0] + 1) // h):
        for j in range((dst[3] - dst[1] + 1) // w):
            dr, dc = dst[0] - src[0] + i * h, dst[1] - src[1] + j * w
            out |= {(a + dr, b + dc, c + dr, d + dc) for a, b, c, d in inside}
    return out


def assert_replays_to(
    book: Any,
    sheet: int,
    plan: Any,
    sources: Mapping[int, Mapping[tuple[int, int], dict[str, Any]]] | None = None,
) -> None:
    """Every styled cell ends up as the plan says, cells the plan leaves unstyled show
    neither fill nor border, and merges, column widths and row heights are the plan's."""
    from rak_xl.adapters.xlwings_io import _column_width

    got = replay(book.json()["actions"], sheet, sources)
    wrong = []
    for pos, cell in plan.cells.items():
        want = planned_format(cell.style)
        have = got.cells.get(pos, CLEARED)
        wrong += [(pos, k, want[k], have[k]) for k in want if want[k] != have[k]]
    assert wrong == [], wrong[:10]
    for pos, fmt in got.cells.items():
        if pos not in plan.cells:
            assert (fmt["fill"], fmt["border"]) == (None, False), pos
    assert got.merges == set(plan.merges), got.merges ^ set(plan.merges)
    assert got.widths == {c: _column_width("remote", w) for c, w in plan.col_widths.items()}
    from rak_xl.paint.plan import excel_row_heights

    # The heights Excel must be told (it fits one-row text and covers one line itself).
    assert got.heights == excel_row_heights(plan)  # and no row without a planned height


def planned_format(style: Any) -> dict[str, Any]:
    """A layout ``CellStyle`` in the replay's terms (what the cell must look like)."""
    return {
        "font": style.font,
        "size": style.size,
        "bold": style.bold,
        "italic": style.italic,
        "h_align": style.h_align,
        "v_align": style.v_align,
        "wrap": style.wrap,
        "number_format": style.number_format,
        "fill": style.fill.upper() if style.fill else None,
        "border": style.border,
    }


def formats_of_sheet(ws: Any) -> dict[tuple[int, int], dict[str, Any]]:
    """The formats of an openpyxl worksheet in the replay's terms (styled cells only)."""
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for row in ws.iter_rows():
        for c in row:
            if not c.has_style:
                continue
            fill = c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None
            b = c.border
            out[(c.row, c.column)] = {
                "font": c.font.name,
                "size": c.font.sz,
                "bold": bool(c.font.b),
                "italic": bool(c.font.i),
                "h_align": c.alignment.horizontal or "general",
                "v_align": c.alignment.vertical or "bottom",
                "wrap": bool(c.alignment.wrap_text),
                "number_format": c.number_format,
                "fill": fill[-6:].upper() if isinstance(fill, str) else None,
                "border": any(s.style for s in (b.left, b.right, b.top, b.bottom)),
            }
    return out
