"""Far-cell clustering and trimming of sheet XML / ODS ``content.xml`` to a kept block."""

from __future__ import annotations

import re
from collections import Counter

from rak_xl.cellref import a1, col_index
from rak_xl.workbook._scan import _COMMENT, _Extent, _local, _parse_ref, _scan_cells
from rak_xl.workbook._zip import _parser


def _cluster(counts: Counter[int], gap: int) -> tuple[int, int]:
    """The run of positions, split at gaps of more than ``gap``, holding most cells."""
    best: tuple[int, int, int] = (-1, 0, 0)
    keys = sorted(counts)
    start = prev = keys[0]
    weight = 0
    for k in [*keys, None]:
        if k is None or k - prev > gap:
            if weight > best[0]:
                best = (weight, start, prev)
            if k is None:
                break
            start, weight = k, 0
        weight += counts[k]
        prev = k
    return best[1], best[2]


_ROW_ELEM = re.compile(rb"""<row\b[^>]*?\sr="(\d+)"[^>]*?(?:/>|>.*?</row>)""", re.DOTALL)
_CELL_ELEM = re.compile(
    rb"""<c\b[^>]*?\sr="([A-Z]{1,10})\d+"(?:[^>/]|/(?!>))*(?:/>|>.*?</c>)""", re.DOTALL
)
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")


def _trim_sheet_xml(data: bytes, box: tuple[int, int, int, int]) -> bytes:
    """Sheet XML without the rows and cells outside ``box``.

    Regexes do it at C speed for what spreadsheet programs write; the result is checked
    with the cell scan, and anything unusual (prefixed names, cells without ``r``) goes
    through the exact expat rewrite instead.
    """
    r0, c0, r1, c1 = box

    def cell(m: re.Match[bytes]) -> bytes:
        return m.group(0) if c0 <= col_index(m.group(1).decode("ascii")) <= c1 else b""

    def row(m: re.Match[bytes]) -> bytes:
        if not r0 <= int(m.group(1)) <= r1:
            return b""
        return _CELL_ELEM.sub(cell, m.group(0))

    if b"<!--" in data:
        data = _COMMENT.sub(b"", data)
    out = _DIMENSION.sub(b"", _ROW_ELEM.sub(row, data))
    check = _Extent()
    b = check.box() if _scan_cells(out, check) else None
    if b is not None and r0 <= b[0] and b[2] <= r1 and c0 <= b[1] and b[3] <= c1:
        return out
    return _filter_sheet_xml(data, box)


def _filter_sheet_xml(data: bytes, box: tuple[int, int, int, int]) -> bytes:
    """Re-serialise sheet XML keeping only cells (and rows) inside ``box``.

    expat without namespace processing hands back qualified names and ``xmlns`` attributes
    unchanged, so writing the events back reproduces an equivalent document.
    """
    # Lazy: xml.sax.saxutils imports urllib.request (~60 ms on every validate otherwise).
    from xml.sax.saxutils import escape, quoteattr

    r0, c0, r1, c1 = box
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n']
    skip = 0
    row = col = 0
    p = _parser()

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal skip, row, col
        if skip:
            skip += 1
            return
        local = _local(tag)
        if local == "row":
            r = attrs.get("r", "")
            row = int(r) if r.isdigit() else row + 1
            col = 0
            if not r0 <= row <= r1:
                skip = 1
                return
        elif local == "c":
            pos = _parse_ref(attrs.get("r", ""))
            if pos is None:
                col += 1
            else:
                row, col = pos
            if not (r0 <= row <= r1 and c0 <= col <= c1):
                skip = 1
                return
            attrs = {**attrs, "r": a1(row, col)}
        elif local == "dimension":
            attrs = {**attrs, "ref": f"{a1(r0, c0)}:{a1(r1, c1)}"}
        out.append("<" + tag + "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items()) + ">")

    def end(tag: str) -> None:
        nonlocal skip
        if skip:
            skip -= 1
            return
        out.append(f"</{tag}>")

    def chars(text: str) -> None:
        if not skip:
            out.append(escape(text))

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.Parse(data, True)
    return "".join(out).encode("utf-8")


def _trim_ods_content(data: bytes, keep: dict[str, tuple[int, int, int, int]]) -> bytes:
    """ODS ``content.xml`` without rows below / cells right of each table's kept block.

    ODS cells carry no address: positions come from counting rows and cells with their
    ``number-rows-repeated`` / ``number-columns-repeated``. Elements wholly outside the
    block are dropped, a repeat straddling its edge is shortened.
    """
    trim = _OdsTrim(keep)
    p = _parser()
    p.StartElementHandler = trim.start
    p.EndElementHandler = trim.end
    p.CharacterDataHandler = trim.chars
    p.Parse(data, True)
    return "".join(trim.out).encode("utf-8")


_ROW_REP, _COL_REP = "table:number-rows-repeated", "table:number-columns-repeated"
_CELLS = ("table:table-cell", "table:covered-table-cell")


class _OdsTrim:
    """Parser handlers writing ``content.xml`` back without what lies outside the kept
    block of its table (``skip``: depth inside a dropped element)."""

    def __init__(self, keep: dict[str, tuple[int, int, int, int]]) -> None:
        # Lazy: xml.sax.saxutils imports urllib.request (~60 ms on every validate otherwise).
        from xml.sax.saxutils import escape, quoteattr

        self.escape, self.quoteattr = escape, quoteattr
        self.keep = keep
        self.out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
        self.skip = 0
        self.box: tuple[int, int, int, int] | None = None
        self.row = self.col = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.skip:
            self.skip += 1
            return
        kept: dict[str, str] | None = attrs
        if tag == "table:table":
            self.box = self.keep.get(attrs.get("table:name", ""))
            self.row = 0
        elif self.box is not None and tag == "table:table-row":
            kept, self.row = _clip(attrs, _ROW_REP, self.row, self.box[2])
            self.col = 0
        elif self.box is not None and tag in _CELLS:
            kept, self.col = _clip(attrs, _COL_REP, self.col, self.box[3])
        if kept is None:
            self.skip = 1
            return
        q = self.quoteattr
        self.out.append("<" + tag + "".join(f" {k}={q(v)}" for k, v in kept.items()) + ">")

    def end(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        if tag == "table:table":
            self.box = None
        self.out.append(f"</{tag}>")

    def chars(self, text: str) -> None:
        if not self.skip:
            self.out.append(self.escape(text))


def _clip(
    attrs: dict[str, str], key: str, pos: int, limit: int
) -> tuple[dict[str, str] | None, int]:
    """A row (cell) after position ``pos``, repeated by its ``key`` attribute, against the
    last kept position ``limit``: (its attributes, None when wholly beyond; the position
    of its last repeat)."""
    v = attrs.get(key, "1")
    first, last = pos + 1, pos + (int(v) if v.isdigit() else 1)
    if first > limit:
        return None, last
    if last > limit:
        return {**attrs, key: str(limit - first + 1)}, last
    return attrs, last
