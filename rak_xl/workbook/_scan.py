"""Sheet XML extents: fast (regex) and exact (expat) cell scans, ODS content scan."""

from __future__ import annotations

import re
import xml.parsers.expat
import zipfile
from collections import Counter
from collections.abc import Iterator

from rak_xl.cellref import MAX_COL, MAX_ROW, Merge, col_index
from rak_xl.workbook._bound import dimension_bound, obeys
from rak_xl.workbook._limits import MAX_CELLS, MAX_ERRORS, MAX_VALUED, _Pos
from rak_xl.workbook._zip import _bad_xml, _dtd, _Forbidden, _parse_part, _parser, _stream

_PFX = rb"(?:[A-Za-z_][\w.\-]*:)?"
# The start of a value inside a cell: <v> (or <is> for an inline string).
_VALUE_START = re.compile(rb"<" + _PFX + rb"(?:v|is)[\s>/]")
_CELL_START = re.compile(rb"<" + _PFX + rb"c[\s>/]")
# Attribute names are matched after whitespace, not at a word boundary: ``\b`` would also
# take a prefixed ``xr:r="A1"`` placed before the real ``r``, which calamine ignores (a
# far cell disguised as A1 would then reach calamine unseen).
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{1,10})\$?(\d{1,12})["']""")
_T_ERR = re.compile(rb"""\st\s*=\s*["']e["']""")
_V_TEXT = re.compile(rb">([^<]*)<")
_ROW_END = re.compile(rb"</" + _PFX + rb"row>")
_FORMULA = rb"""(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?"""
# <c ... r="B7" ...> [<f>...</f>] <v  : column letters, row digits.
# The start tag is an atomic group (Python 3.11+): an empty styled cell (<c r=.. s=../>,
# most cells of a formatted sheet) fails at once instead of backtracking through its
# attributes. Same matches (the tag can only end at its first ">"), 3x faster.
_FAST_CELL = re.compile(
    rb"""<c\b(?>[^>]*?\sr="([A-Z]{1,10})(\d{1,12})"[^>]*+>)""" + _FORMULA + rb"<(?:v|is)[\s>/]"
)
# What a prefixed value start (<x:v>) holds; one search, quicker than two ``in`` tests.
_PREFIXED_VALUE = re.compile(rb":(?:v|is)[\s>/]")
_QUOTED_E = (b'"e', b"'e")  # every _T_ERR match holds one of these
_ERR_CELL = re.compile(rb"<c\b([^>]*)>" + _FORMULA + rb"<v>([^<]*)</v>")


def _last_row_end(buf: bytes) -> int:
    """Index just past the last ``</row>`` in ``buf`` (-1 if none)."""
    end = len(buf)
    while (i := buf.rfind(b"row>", 0, end)) >= 0:
        j = buf.rfind(b"<", 0, i)
        if j >= 0 and _ROW_END.fullmatch(buf, j, i + 4):
            return i + 4
        end = i
    return -1


def _scan_cells(seg: bytes, ext: _Extent) -> bool:
    """Record the valued cells in whole rows of sheet XML; False when a cell has no ``r``
    attribute (its position then depends on its neighbours: use the expat scan).

    Searching for values (``<v``/``<is``) rather than cells keeps the work proportional to
    the cells holding something: styled empty cells cost nothing. The common shape
    (``<c r=".." ...>``, optional ``<f>``, then the value) is matched in bulk; when that
    does not account for every value in the segment, each value is walked back to its cell.
    """
    if ext.cells > MAX_VALUED:
        return True  # already known to be too big; the caller refuses the sheet
    found = _FAST_CELL.findall(seg)
    if len(found) != _count_values(seg, len(found)):
        return _scan_cells_slow(seg, ext)
    if not found:
        return True
    # Counted per distinct row / column at C speed (zip, Counter), not per cell.
    letters, digits = zip(*found, strict=True)
    ext.cells += len(found)
    outside = False
    for r, n in Counter(digits).items():
        row = int(r)
        ext.rows[row] += n
        outside = outside or not 0 < row <= MAX_ROW
    for c, n in Counter(letters).items():
        col = col_index(c.decode("ascii"))
        ext.cols[col] += n
        outside = outside or col > MAX_COL
    if outside and ext.bad_ref is None:
        ext.bad_ref = next(
            (c + r).decode("ascii")
            for c, r in found
            if not 0 < int(r) <= MAX_ROW or col_index(c.decode("ascii")) > MAX_COL
        )
    if _may_hold_errors(seg):
        _scan_errors(seg, ext)
    return True


def _may_hold_errors(seg: bytes) -> bool:
    """False when ``seg`` cannot hold an error cell (``t="e"``), tested at C speed.

    Error cells are rare, and the exact search runs only when the quoted ``e`` that
    ``_T_ERR`` needs occurs: ``"e"``, or with a single quote (itself rare, so found at
    memchr speed; a needle starting with the ubiquitous ``"`` is three times slower).
    """
    if b"'" in seg:
        return any(q in seg for q in _QUOTED_E)
    return b'"e"' in seg


def _count_values(seg: bytes, found: int) -> int:
    """Number of values (``<v``/``<is`` starts) in ``seg``.

    Without a prefixed element name (``:v``, ``:is``) every value starts with ``<v`` or
    ``<is``, so counting those bytes gives an upper bound; when it equals ``found`` (the
    cells matched, each holding one value) that is the count, at a fraction of the cost
    of the regex. Otherwise the regex counts exactly.
    """
    if _PREFIXED_VALUE.search(seg) is None:
        bound = seg.count(b"<v") + seg.count(b"<is")
        if bound == found:
            return bound
    return len(_VALUE_START.findall(seg))


def _scan_errors(seg: bytes, ext: _Extent) -> None:
    for m in _ERR_CELL.finditer(seg):
        attrs = m.group(1)
        ref = _R_ATTR.search(attrs)
        if ref is not None and _T_ERR.search(attrs) and len(ext.errors) < MAX_ERRORS:
            pos = int(ref.group(2)), col_index(ref.group(1).decode("ascii"))
            ext.errors[pos] = m.group(2).decode("utf-8", "replace").strip()


def _scan_cells_slow(seg: bytes, ext: _Extent) -> bool:
    for m in _VALUE_START.finditer(seg):
        # Walk back tag by tag (text holds no "<") to the cell's start tag: <f>, <c ...>.
        start = m.start()
        for _ in range(8):
            start = seg.rfind(b"<", 0, start)
            if start < 0 or _CELL_START.match(seg, start):
                break
        if start < 0 or not _CELL_START.match(seg, start):
            return False
        attrs = seg[start : seg.find(b">", start)]
        ref = _R_ATTR.search(attrs)
        if ref is None:
            return False
        row, col = int(ref.group(2)), col_index(ref.group(1).decode("ascii"))
        ext.check(ref.group(0).split(b"=", 1)[1].strip(b"\"' ").decode("ascii"), row, col)
        ext.add(row, col)
        if ext.cells > MAX_VALUED:
            return True  # enough to know the sheet is too big; refused by the caller
        if _T_ERR.search(attrs) and len(ext.errors) < MAX_ERRORS:
            v = _V_TEXT.match(seg, m.end() - 1)
            if v is not None:
                ext.errors[row, col] = v.group(1).decode("utf-8", "replace").strip()
    return True


def _scan_sheet_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> _Extent:
    """Cell extents of one worksheet part, at C speed.

    First the bounded shortcut (``_bound``: the sheet's own ``<dimension>``, proven by one
    search per piece); when it does not apply, regexes find the cells holding a value, in
    runs of whole rows, and cells without an ``r`` attribute get the exact expat scan,
    capped.
    """
    return _bounded_scan(zf, info, name) or _exact_scan(zf, info, name)


def _exact_scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> _Extent:
    ext = _Extent()
    ok = True
    for piece in _pieces(zf, info, name):
        if ok:
            ok = _scan_cells(piece, ext)
    if not ok:
        ext = _Extent()
        try:
            _parse_part(zf, info, name, _SheetScanner(ext).setup)
        except _TooMany:
            ext.cells = MAX_VALUED + 1  # the sheet is refused if anyone asks for it
    return ext


def _bounded_scan(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> _Extent | None:
    """The extent as bounded by the sheet's ``<dimension>`` (see ``_bound``), or None
    (stopped at the first piece that breaks the proof) when that bound cannot be trusted.

    The extent then holds the bound, not the cells: ``cells`` only tells none (0) from
    some (1), which is all a sheet inside ``MAX_CELLS`` is asked. Error cells are found as
    in the exact scan.
    """
    ext = _Extent()
    bound: tuple[int, int] | None = None
    for piece in _pieces(zf, info, name):
        if bound is None:  # the first piece holds the prolog, where <dimension> sits
            head = piece.find(b"<sheetData")
            bound = dimension_bound(piece if head < 0 else piece[:head])
            if bound is None:
                return None
        if not obeys(piece, bound):
            return None
        if not ext.cells and _VALUE_START.search(piece) is not None:
            ext.cells = 1
        if _may_hold_errors(piece):
            _scan_errors(piece, ext)
    if bound is not None and ext.cells:
        ext.bound = (1, 1, *bound)
    return ext


def _pieces(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """A worksheet part in pieces of whole rows, for the regex scans.

    expat reads the prolog and refuses a DTD (entities can only be declared there; the
    rest of the part is calamine's to parse, and without a DTD there is nothing to
    expand). A part with comments or CDATA (which could hide a ``</row>``) comes, from
    the piece where they start, as one last piece with those stripped. The part's size
    and CRC are checked (``_stream``) when the caller reads to the end; a caller that
    stops early (the bounded scan, giving up) leaves that to the exact scan after it.
    """
    p = _parser()
    prolog = True  # a DTD can only come before the root element: parse no further

    def root(*_args: object) -> None:
        nonlocal prolog
        prolog = False
        p.StartElementHandler = None

    p.StartElementHandler = root
    # Pieces are joined from memoryviews: a 7 MB sheet is copied once, not three times.
    pending: list[bytes | memoryview] = []
    tail = b""
    whole = False
    try:
        for chunk in _stream(zf, info, name):
            # In small slices: expat parses whatever it is given, and the rest of a 1 MB
            # chunk after the root tag is not its to parse.
            for k in range(0, len(chunk), _PROLOG_SLICE):
                if not prolog:
                    break
                p.Parse(chunk[k : k + _PROLOG_SLICE], False)
            # "<!" starts both a comment and a CDATA section (a DOCTYPE is refused above).
            # "!" first: a rare byte is found at memchr speed, "<" is in every tag.
            if not whole and b"!" in chunk and b"<!" in tail[-1:] + chunk:
                whole = True
            if whole:
                pending.append(chunk)
                continue
            # The last </row> lies in the chunk unless none ends there (then it may
            # straddle the chunk boundary).
            cut = _last_row_end(chunk)
            if cut < 0:
                cut = _last_row_end(tail + chunk) - len(tail)
            if cut <= 0:
                pending.append(chunk)
            else:
                view = memoryview(chunk)
                yield b"".join([*pending, view[:cut]])
                pending = [view[cut:]]
            tail = chunk[-32:]
        if prolog:
            p.Parse(b"", True)
    except _Forbidden as exc:
        raise _dtd(name, info.filename) from exc
    except xml.parsers.expat.ExpatError as exc:
        raise _bad_xml(name, info.filename) from exc
    if pending:
        rest = b"".join(pending)
        if whole:
            rest = _CDATA.sub(b"", _COMMENT.sub(b"", rest))
        yield rest


_PROLOG_SLICE = 1 << 16
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.DOTALL)


class _TooMany(Exception):
    """The exact (slow) scan met more cells than any RAK sheet has."""


def _local(tag: str) -> str:
    return tag.rpartition(":")[2]


# Wider than Excel's limits on purpose: an out-of-range address must still be located
# (and trimmed away), not mistaken for "next cell".
_REF = re.compile(r"\$?([A-Za-z]{1,10})\$?(\d{1,12})")


def _parse_ref(ref: str) -> _Pos | None:
    m = _REF.fullmatch(ref)
    if m is None:
        return None
    return int(m.group(2)), col_index(m.group(1))


class _Extent:
    """Where a sheet holds values, collected while streaming its XML (1-based).

    From the exact scans: cells per row and column, and their count. From the bounded
    scan (``_bounded_scan``): only ``bound``, a box no value lies outside, and ``cells``
    0 or 1. A plain class: no ``dataclasses`` before calamine parses (``rak_xl.cellref``).
    """

    def __init__(self) -> None:
        self.rows: Counter[int] = Counter()
        self.cols: Counter[int] = Counter()
        self.errors: dict[_Pos, str] = {}
        self.cells = 0
        self.bound: tuple[int, int, int, int] | None = None
        # The first cell address no sheet has (beyond XFD1048576, row 0, "$A$1"), with
        # why: the sheet is refused when read.
        self.bad_ref: str | None = None
        self.bad_why = ""

    def check(self, ref: str, row: int, col: int, why: str = "") -> None:
        if self.bad_ref is None and (why or "$" in ref or not 0 < row <= MAX_ROW or col > MAX_COL):
            self.bad_ref, self.bad_why = ref, why or ("(alamat tidak sah)" if "$" in ref else "")

    def add(self, row: int, col: int, nrows: int = 1, ncols: int = 1) -> None:
        self.cells += nrows * ncols
        for r in range(row, row + min(nrows, 2)):
            self.rows[r] += ncols
        if nrows > 1:
            self.rows[row + nrows - 1] += ncols
        for c in range(col, col + min(ncols, 2)):
            self.cols[c] += nrows
        if ncols > 1:
            self.cols[col + ncols - 1] += nrows

    def box(self) -> tuple[int, int, int, int] | None:
        if not self.rows:
            return self.bound
        return min(self.rows), min(self.cols), max(self.rows), max(self.cols)

    def area(self) -> int:
        b = self.box()
        return 0 if b is None else (b[2] - b[0] + 1) * (b[3] - b[1] + 1)


class _SheetScanner:
    """expat handlers recording the positions of cells holding a value (xlsx sheet XML)."""

    def __init__(self, ext: _Extent) -> None:
        self.ext = ext
        self.row = 0
        self.col = 0
        self.in_cell = False
        self.valued = False
        self.is_error = False
        self.in_value = False
        self.seen = 0  # cell elements, valued or not
        self.text: list[str] = []

    def setup(self, p: xml.parsers.expat.XMLParserType) -> None:
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.chars

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = _local(tag)
        if tag == "c":
            self.seen += 1
            if self.seen > MAX_CELLS:
                raise _TooMany
            ref = attrs.get("r")
            pos = _parse_ref(ref or "")
            if pos is None:
                self.col += 1
                if ref is not None:  # an address that is none: its position is unknown
                    self.ext.check(ref, self.row, self.col, "yang tidak sah")
            else:
                # Placed by its own address, as calamine and LibreOffice place it (also
                # inside a row of another number: reading goes on, as on the quick path;
                # a writing command refuses it, ``rak_xl.opc.positions``).
                self.row, self.col = pos
                self.ext.check(ref or "", *pos)
            self.in_cell, self.valued = True, False
            self.is_error = attrs.get("t") == "e"
            self.text = []
        elif tag == "row":
            r = attrs.get("r")
            self.row = int(r) if r is not None and r.isdigit() else self.row + 1
            if r is not None and not (r.isdigit() and 0 < self.row <= MAX_ROW):
                self.ext.check(r, self.row, 1, "(nomor baris yang tidak sah)")
            self.col = 0
        elif tag in ("v", "is") and self.in_cell:
            self.valued = True
            self.in_value = tag == "v"

    def chars(self, data: str) -> None:
        if self.is_error and self.in_value:
            self.text.append(data)

    def end(self, tag: str) -> None:
        tag = _local(tag)
        if tag == "v":
            self.in_value = False
        elif tag == "c":
            if self.valued:
                self.ext.add(self.row, self.col)
                if self.is_error and len(self.ext.errors) < MAX_ERRORS:
                    self.ext.errors[self.row, self.col] = "".join(self.text).strip()
            self.in_cell = self.is_error = False


class _OdsScanner:
    """expat handlers for ODS ``content.xml``: per table, where values sit (with repeats)."""

    def __init__(self) -> None:
        self.tables: dict[str, _Extent] = {}
        self.ext = _Extent()
        self.row = 0
        self.col = 0
        self.row_rep = 1
        self.cell: tuple[int, int, bool] | None = None  # col, repeat, valued
        self.seen = 0  # cell elements
        # calamine gives no merged ranges for .ods: the spans are collected here.
        self.merges: dict[str, list[Merge]] = {}
        self.table = ""

    def setup(self, p: xml.parsers.expat.XMLParserType) -> None:
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end

    @staticmethod
    def _rep(attrs: dict[str, str], key: str) -> int:
        v = attrs.get(key, "1")
        return int(v) if v.isdigit() else 1

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "table:table":
            self.table = attrs.get("table:name", "")
            self.ext = self.tables.setdefault(self.table, _Extent())
            self.row = 0
        elif tag == "table:table-row":
            self.row += 1
            self.col = 0
            self.row_rep = self._rep(attrs, "table:number-rows-repeated")
        elif tag in ("table:table-cell", "table:covered-table-cell"):
            self.seen += 1
            if self.seen > MAX_CELLS:
                raise _TooMany
            rep = self._rep(attrs, "table:number-columns-repeated")
            self.cell = (self.col + 1, rep, "office:value-type" in attrs)
            rows = self._rep(attrs, "table:number-rows-spanned")
            cols = self._rep(attrs, "table:number-columns-spanned")
            if rows > 1 or cols > 1:
                spans = self.merges.setdefault(self.table, [])
                if len(spans) < MAX_ERRORS:
                    top, left = self.row, self.col + 1
                    spans.append((top, left, top + rows - 1, left + cols - 1))
            self.col += rep
        elif tag == "text:p" and self.cell is not None:
            self.cell = (self.cell[0], self.cell[1], True)

    def end(self, tag: str) -> None:
        if tag in ("table:table-cell", "table:covered-table-cell") and self.cell is not None:
            col, rep, valued = self.cell
            if valued:
                self.ext.add(self.row, col, self.row_rep, rep)
            self.cell = None
        elif tag == "table:table-row":
            self.row += self.row_rep - 1
