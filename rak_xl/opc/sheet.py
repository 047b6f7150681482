"""A worksheet part for editing: its children outside ``sheetData`` as elements, the
cells inside as bytes edited in place at C speed.

A sheet of a million styled cells is never turned into objects: rows are found by one
regex pass, and only the rows holding a cell to change are cut open. What Excel,
LibreOffice, openpyxl and XlsxWriter write is handled directly; anything else (comments
or CDATA, cells or rows without an ``r`` address, a ``>`` inside an attribute) is first
rewritten by expat into that regular form, with every value unchanged.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import math
import operator
import re
from collections.abc import Callable, Iterator, Mapping

from rak_xl.cellref import MAX_COL, MAX_ROW, a1, bad_address, col_index
from rak_xl.errors import WorkbookUnreadable
from rak_xl.layout import Formula
from rak_xl.opc import _xml as X
from rak_xl.workbook._zip import _bad_xml, _parser

__all__ = [
    "ORDER",
    "CellEdit",
    "Sheet",
    "cell_attrs",
    "cell_xml",
    "inline",
    "parse_ref",
    "ref_box",
    "sqref_boxes",
]

# CT_Worksheet's children, in the order the schema requires.
ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
    "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
    "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr",
    "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
    "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF",
    "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst",
)  # fmt: skip
_RANK = {name: i for i, name in enumerate(ORDER)}
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?worksheet[\s>/]")
_CHOICE_CHILD = re.compile(rb"<(?:[\w.\-]+:)?Choice\b[^>]*>\s*<(?:[\w.\-]+:)?([A-Za-z]+)")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")

# A cell edit: the cell's element as it is (None when absent) -> its new element (None:
# no element).
CellEdit = Callable[[bytes | None], bytes | None]


def parse_ref(ref: str) -> tuple[int, int] | None:
    """(row, column) of an A1 address inside XFD1048576, else None."""
    m = _REF.fullmatch(ref.strip())
    if m is None:
        return None
    row, col = int(m.group(2)), col_index(m.group(1).upper())
    return (row, col) if 0 < row <= MAX_ROW and col <= MAX_COL else None


def cell_attrs(raw: bytes) -> dict[str, str]:
    end = raw.find(b">")
    return X.attrs(raw[raw.find(b" ") : end]) if end > 0 else {}


class Sheet:
    def __init__(self, file: str, part: str, data: bytes, name: str = "") -> None:
        self.file, self.part, self.name = file, part, name or part
        root = _ROOT.search(data)
        if root is None:
            raise _bad_xml(file, part)
        self.p = root.group(1) or b""
        if not _regular(data, self.p):
            data = _normalize(file, part, data, self.name)
            root = _ROOT.search(data)
            assert root is not None
        head = X.parse(data, root.start(), root.start() + 1 + data[root.start() :].find(b">"))
        open_end = head[0].open_end if head else root.end()
        if data[open_end - 2 : open_end] == b"/>":  # <worksheet/>
            raise _bad_xml(file, part)
        self.prolog = data[:open_end]
        close = data.rfind(b"</" + self.p + b"worksheet")
        if close < open_end:
            raise _bad_xml(file, part)
        self.closing = data[close:]
        sd = _find_sheet_data(data, self.p, open_end, close)
        try:
            if sd is None:
                nodes = X.parse(data, open_end, close)
                self.sd_open, self.data = b"<" + self.p + b"sheetData>", b""
                self.children = [(n.local, data[n.start : n.end]) for n in nodes]
                self.set_child("sheetData", b"")
            else:
                start, inner, inner_end, end = sd
                before = X.parse(data, open_end, start)
                after = X.parse(data, end, close)
                self.sd_open = data[start:inner] if inner_end >= 0 else data[start:end]
                self.data = data[inner:inner_end] if inner_end >= 0 else b""
                self.children = [(n.local, data[n.start : n.end]) for n in before]
                self.children.append(("sheetData", b""))
                self.children += [(n.local, data[n.start : n.end]) for n in after]
        except ValueError as exc:
            raise _bad_xml(file, part) from exc
        self._rows: tuple[list[int], list[int], dict[int, int]] | None = None

    # children ---------------------------------------------------------------------------
    def child(self, name: str) -> bytes | None:
        return next((raw for n, raw in self.children if n == name), None)

    def all(self, name: str) -> list[bytes]:
        return [raw for n, raw in self.children if n == name]

    def remove(self, name: str) -> None:
        self.children = [(n, raw) for n, raw in self.children if n != name]

    def set_child(self, name: str, raw: bytes | None) -> None:
        """Replace the children called ``name`` by ``raw`` (None: remove them), placed in
        the schema's order."""
        at = next((i for i, (n, _) in enumerate(self.children) if n == name), None)
        self.remove(name)
        if raw is None:
            return
        if at is None:
            rank = _RANK[name]
            at = next(
                (i for i, (n, r) in enumerate(self.children) if _rank_of(n, r) > rank),
                len(self.children),
            )
        self.children.insert(at, (name, raw))

    def add_after(self, name: str, raw: bytes) -> None:
        """Another child ``name`` after the last one (``conditionalFormatting``)."""
        last = max((i for i, (n, _) in enumerate(self.children) if n == name), default=None)
        if last is None:
            self.set_child(name, raw)
        else:
            self.children.insert(last + 1, (name, raw))

    def element(self, local: str, attrs: Mapping[str, str], inner: bytes | None = None) -> bytes:
        """An element of this sheet's namespace, prefixed as the sheet's own are."""
        name = self.p + local.encode()
        a = b"".join(b" " + k.encode() + b'="' + X.esc_attr(v) + b'"' for k, v in attrs.items())
        if inner is None:
            return b"<" + name + a + b"/>"
        return b"<" + name + a + b">" + inner + b"</" + name + b">"

    def dumps(self) -> bytes:
        parts = [self.prolog]
        for name, raw in self.children:
            if name == "sheetData":
                if self.data:
                    tag = self.sd_open
                    if tag.endswith(b"/>"):
                        tag = tag[:-2].rstrip() + b">"
                    parts += [tag, self.data, b"</" + self.p + b"sheetData>"]
                else:
                    parts.append(b"<" + self.p + b"sheetData/>")
            else:
                parts.append(raw)
        parts.append(self.closing)
        return b"".join(parts)

    # cells --------------------------------------------------------------------------------
    def _index(self) -> tuple[list[int], list[int], dict[int, int]]:
        """Row numbers and start offsets in document order, and row -> start."""
        if self._rows is None:
            pattern = re.compile(rb"<" + re.escape(self.p) + rb'row\s+r="(\d+)"')
            nums: list[int] = []
            starts: list[int] = []
            for m in pattern.finditer(self.data):
                nums.append(int(m.group(1)))
                starts.append(m.start())
            # Rows in ascending order, each once, inside the sheet: as the format requires
            # and as the edits rely on (a row listed twice would be edited in one place).
            if nums and not (
                nums[0] > 0 and nums[-1] <= MAX_ROW and all(map(operator.lt, nums, nums[1:]))
            ):
                bad = next(
                    n for i, n in enumerate(nums) if n > MAX_ROW or n <= (nums[i - 1] if i else 0)
                )
                why = "(tertulis dua kali atau tidak urut)" if 0 < bad <= MAX_ROW else ""
                raise WorkbookUnreadable(bad_address(self.file, self.name, str(bad), why))
            self._rows = nums, starts, dict(zip(nums, starts, strict=True))
        return self._rows

    def _row_end(self, start: int) -> int:
        tag_end = self.data.index(b">", start) + 1
        if self.data[tag_end - 2 : tag_end] == b"/>":
            return tag_end
        close = b"</" + self.p + b"row>"
        return self.data.index(close, tag_end) + len(close)

    def row_span(self, r: int) -> tuple[int, int] | None:
        start = self._index()[2].get(r)
        return None if start is None else (start, self._row_end(start))

    def row_tag(self, r: int) -> dict[str, str]:
        span = self.row_span(r)
        if span is None:
            return {}
        end = self.data.index(b">", span[0])
        return X.attrs(self.data[span[0] + 1 + len(self.p) + 3 : end])

    def cells_of_row(self, r: int) -> Iterator[tuple[int, int, int]]:
        """(column, start, end) of each cell of row ``r`` (offsets into ``self.data``)."""
        span = self.row_span(r)
        if span is None:
            return
        yield from self._cells_in(r, span[0], span[1])

    def _cells_in(self, r: int, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """The cells of row ``r`` between ``start`` and ``end``; one whose address names
        another row or lies beyond XFD is refused (an edit would land elsewhere than
        where a reader shows the cell)."""
        pattern = _cell_start(self.p)
        close = b"</" + self.p + b"c>"
        for m in pattern.finditer(self.data, start, end):
            stop = m.end() if m.group(3) else self.data.index(close, m.end()) + len(close)
            row, col = int(m.group(2)), col_index(m.group(1).decode("ascii"))
            if row != r or col > MAX_COL:
                ref = (m.group(1) + m.group(2)).decode("ascii")
                why = f"di dalam baris {r}" if 0 < row <= MAX_ROW and col <= MAX_COL else ""
                raise WorkbookUnreadable(bad_address(self.file, self.name, ref, why))
            yield col, m.start(), stop

    def cell(self, r: int, c: int) -> bytes | None:
        for col, s, e in self.cells_of_row(r):
            if col == c:
                return self.data[s:e]
        return None

    def edit(self, edits: Mapping[tuple[int, int], CellEdit]) -> None:
        """Apply ``edits`` (see ``CellEdit``); rows and cells stay in address order."""
        by_row: dict[int, dict[int, CellEdit]] = {}
        for (r, c), fn in edits.items():
            by_row.setdefault(r, {})[c] = fn
        nums, starts, _ = self._index()
        order = sorted(zip(nums, starts, strict=True))
        keys = [n for n, _ in order]
        repl: list[tuple[int, int, bytes]] = []
        for r in sorted(by_row):
            span = self.row_span(r)
            if span is not None:
                repl.append((span[0], span[1], self._edit_row(r, span, by_row[r])))
                continue
            cells = [(c, fn(None)) for c, fn in sorted(by_row[r].items())]
            body = b"".join(raw for _, raw in cells if raw is not None)
            if not body:
                continue
            i = bisect.bisect_right(keys, r)
            at = order[i][1] if i < len(order) else len(self.data)
            repl.append((at, at, self.element("row", {"r": str(r)}, body)))
        self.data = X.splice(self.data, repl)
        self._rows = None

    def _edit_row(self, r: int, span: tuple[int, int], fns: dict[int, CellEdit]) -> bytes:
        start, end = span
        tag_end = self.data.index(b">", start) + 1
        tag = self.data[start:tag_end]
        pieces: list[tuple[int, bytes]] = []  # (column, element) in order
        done: set[int] = set()
        inserted = False
        for col, s, e in self._cells_in(r, tag_end, end):
            old = self.data[s:e]
            if col in fns:
                new = fns[col](old)
                done.add(col)
                if new is not None:
                    pieces.append((col, new))
            else:
                pieces.append((col, old))
        for col, fn in fns.items():
            if col not in done:
                new = fn(None)
                if new is not None:
                    pieces.append((col, new))
                    inserted = True
        pieces.sort(key=lambda t: t[0])
        if inserted:
            tag = X.set_attrs(tag, {"spans": None})  # a hint Excel may check
        if tag.endswith(b"/>"):
            tag = tag[:-2].rstrip() + b">"
        if not pieces:
            return tag[:-1] + b"/>"
        return tag + b"".join(raw for _, raw in pieces) + b"</" + self.p + b"row>"

    def valued_cells(self) -> Iterator[tuple[int, int, int, int]]:
        """(row, column, start, end) of every cell holding a value or formula."""
        pattern = re.compile(
            rb"<" + re.escape(self.p) + rb'c\s+r="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>'
            rb"\s*<" + re.escape(self.p) + rb"(?:v|is|f)[\s>/]"
        )
        close = b"</" + self.p + b"c>"
        for m in pattern.finditer(self.data):
            end = self.data.index(close, m.end()) + len(close)
            yield int(m.group(2)), col_index(m.group(1).decode("ascii")), m.start(), end

    def merges(self) -> list[tuple[int, int, int, int]]:
        raw = self.child("mergeCells")
        out = []
        for n in X.walk(X.parse(raw) if raw else []):
            if n.local == "mergeCell":
                box = ref_box(n.attrs().get("ref", ""))
                if box is not None:
                    out.append(box)
        return out


def ref_box(ref: str) -> tuple[int, int, int, int] | None:
    """ "A1:C3" -> (1, 1, 3, 3); a single cell is a box of one."""
    a, _, b = ref.partition(":")
    p, q = parse_ref(a), parse_ref(b or a)
    if p is None or q is None:
        return None
    return min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])


def sqref_boxes(sqref: str) -> list[tuple[int, int, int, int]]:
    """Boxes of a space-separated range list; whole rows/columns (``A:A``, ``3:5``)
    become boxes to the sheet's edge."""
    out = []
    for piece in sqref.split():
        box = ref_box(piece)
        if box is None:
            a, _, b = piece.replace("$", "").partition(":")
            if a.isdigit() and b.isdigit():
                box = (int(a), 1, int(b), 16384)
            elif a.isalpha() and b.isalpha():
                box = (1, col_index(a.upper()), 1048576, col_index(b.upper()))
        if box is not None:
            out.append(box)
    return out


def _rank_of(name: str, raw: bytes) -> int:
    if name == "AlternateContent":
        m = _CHOICE_CHILD.search(raw)
        if m is not None:
            return _RANK.get(m.group(1).decode("ascii", "replace"), -1)
        return -1
    return _RANK.get(name, -1)


_CELL_START: dict[bytes, re.Pattern[bytes]] = {}


def _cell_start(p: bytes) -> re.Pattern[bytes]:
    if p not in _CELL_START:
        _CELL_START[p] = re.compile(
            rb"<" + re.escape(p) + rb'c\s+r="([A-Z]{1,3})(\d{1,7})"[^>]*?(/?)>'
        )
    return _CELL_START[p]


def _find_sheet_data(
    data: bytes, p: bytes, start: int, stop: int
) -> tuple[int, int, int, int] | None:
    """(start, inner start, inner end or -1 when self-closing, end) of ``sheetData``."""
    tag = re.compile(rb"<" + re.escape(p) + rb"sheetData(?=[\s>/])[^>]*>")
    m = tag.search(data, start, stop)
    if m is None:
        return None
    if m.group(0).endswith(b"/>"):
        return m.start(), m.end(), -1, m.end()
    close = data.rfind(b"</" + p + b"sheetData>", m.end(), stop)
    if close < 0:
        raise ValueError("sheetData not closed")
    return m.start(), m.end(), close, close + len(b"</" + p + b"sheetData>")


def _regular(data: bytes, p: bytes) -> bool:
    """Does the part have the shape the byte-level edits rely on?"""
    if b"<!" in data or data.count(b"<") != data.count(b">"):
        return False
    odd = re.compile(
        rb"<" + re.escape(p) + rb'(?:c|row)(?=[\s>/])(?!\s+r="(?:[A-Z]{1,3})?\d{1,7}")'
    )
    return odd.search(data) is None


def _normalize(file: str, part: str, data: bytes, sheet: str) -> bytes:
    """The sheet rewritten by expat in the regular form: rows and cells carry their
    address first, comments and processing instructions dropped, CDATA as text,
    attribute values escaped. Names and prefixes are kept (no namespace processing)."""
    out: list[bytes] = [b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n']
    stack: list[str] = []
    row = col = 0
    pending = False  # a start tag waiting for ">" or "/>"
    p = _parser()
    p.ordered_attributes = True

    def start(tag: str, attrs: list[str]) -> None:
        nonlocal row, col, pending
        if pending:
            out.append(b">")
        name = tag.rpartition(":")[2]
        pairs = list(zip(attrs[::2], attrs[1::2], strict=True))
        parent = stack[-1] if stack else ""
        first: list[tuple[str, str]] = []
        # ECMA-376: a row without ``r`` follows the previous row, a cell without ``r`` the
        # previous cell of its row. An address that is none, or names another row than
        # the cell's, is refused: the reader (calamine) would place it elsewhere.
        if name == "row" and parent == "sheetData":
            r = dict(pairs).get("r")
            row = int(r) if r is not None and r.isdigit() else row + 1
            if r is not None and parse_ref(f"A{r}") is None:
                raise WorkbookUnreadable(bad_address(file, sheet, r, ""))
            col = 0
            first = [("r", str(row))]
        elif name == "c" and parent == "row":
            r = dict(pairs).get("r")
            pos = parse_ref(r) if r is not None else (row, col + 1)
            if pos is None or "$" in (r or ""):
                raise WorkbookUnreadable(bad_address(file, sheet, r or "", ""))
            if pos[0] != row:
                raise WorkbookUnreadable(bad_address(file, sheet, r or "", f"di dalam baris {row}"))
            col = pos[1]
            first = [("r", a1(row, col))]
        if first:
            pairs = first + [(k, v) for k, v in pairs if k != "r"]
        out.append(
            b"<" + tag.encode() + b"".join(
                b" " + k.encode() + b'="' + X.esc_attr(v) + b'"' for k, v in pairs
            )
        )  # fmt: skip
        pending = True
        stack.append(name)

    def end(tag: str) -> None:
        nonlocal pending
        stack.pop()
        if pending:
            out.append(b"/>")
            pending = False
        else:
            out.append(b"</" + tag.encode() + b">")

    def chars(text: str) -> None:
        nonlocal pending
        if pending:
            out.append(b">")
            pending = False
        out.append(X.esc_text(text))

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    X.check_xml(file, part, data, p)
    return b"".join(out)


# -- writing cells --------------------------------------------------------------------------
_EPOCH_1900 = _dt.datetime(1899, 12, 30)
_EPOCH_1904 = _dt.datetime(1904, 1, 1)


def _number(v: float) -> bytes:
    if isinstance(v, int) or (v.is_integer() and abs(v) < 1e15):
        return str(int(v)).encode()
    return repr(v).encode()


def cell_xml(p: bytes, ref: str, xf: int, value: object, *, date1904: bool = False) -> bytes:
    """One ``<c>`` element. Text is always an inline string (never a formula, whatever
    it starts with); only a ``Formula`` becomes ``<f>``."""
    s = b' s="' + str(xf).encode() + b'"' if xf else b""
    head = b"<" + p + b'c r="' + ref.encode() + b'"' + s
    if value is None:
        return head + b"/>"
    if isinstance(value, Formula):
        f = X.esc_text(
            X.strip_controls(value.text[1:] if value.text.startswith("=") else value.text)
        )
        return head + b"><" + p + b"f>" + f + b"</" + p + b"f></" + p + b"c>"
    if isinstance(value, bool):
        inner, t = b"1" if value else b"0", b' t="b"'
    elif isinstance(value, int | float) and math.isfinite(value):
        inner, t = _number(value), b""
    elif isinstance(value, _dt.datetime | _dt.date):
        moment = (
            value if isinstance(value, _dt.datetime) else _dt.datetime.combine(value, _dt.time())
        )
        days = (moment - (_EPOCH_1904 if date1904 else _EPOCH_1900)).total_seconds() / 86400
        inner, t = _number(days), b""
    else:
        return head + b' t="inlineStr">' + inline(p, str(value)) + b"</" + p + b"c>"
    return head + t + b"><" + p + b"v>" + inner + b"</" + p + b"v></" + p + b"c>"


def inline(p: bytes, text: str) -> bytes:
    """``<is><t>…</t></is>`` holding ``text`` exactly (see ``_xml.xstring``)."""
    body = X.esc_text(X.xstring(text))
    space = b' xml:space="preserve"' if text != text.strip() or "\n" in text else b""
    return b"<" + p + b"is><" + p + b"t" + space + b">" + body + b"</" + p + b"t></" + p + b"is>"
