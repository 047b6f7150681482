"""File adapter: a workbook file -> ``Grid`` per sheet, safely and within bounds.

Every file is treated as untrusted. Before python-calamine decompresses or materialises
anything, the file is checked here:

1. **Kind by content**, not by extension: zip (``.xlsx``/``.xlsm``/``.ods``), OLE compound
   file (``.xls``, or an encrypted OOXML package: refused as password-protected), anything
   else refused. calamine is then given bytes, so it too goes by content.
2. **Zip directory bounds**, read before decompressing: number of parts, declared
   uncompressed size of each part and of all parts, compression ratio of big parts,
   duplicate names, encryption flags, methods other than stored/deflate.
3. **Streaming pre-scan** of every part with a size bound: a part that inflates beyond its
   declared size is refused, so the directory cannot lie about a zip bomb. XML parts go
   through expat set up as defusedxml does (``forbid_dtd``): any DOCTYPE is refused, so
   entity expansion ("billion laughs") and external entities never reach a parser.
4. **Cell extents** of each sheet come from that same pass (worksheet XML by regex at C
   speed, ODS ``content.xml`` and ``.xls`` BIFF records exactly). calamine builds a *dense*
   range from the first to the last cell holding a value: one value at XFD1048576 asks
   for 17 billion cells and aborts the process. When a sheet's used area exceeds
   ``MAX_CELLS``, the kept block is the biggest cluster of rows (split at gaps of more than
   ``FAR_ROWS`` empty rows) crossed with the biggest cluster of columns (``FAR_COLS``);
   cells outside it are **left out of the grid** (they are not RAK data, and the writers
   only touch cells they plan) and calamine reads an in-memory copy without them:
   filtered sheet XML, filtered ``content.xml`` (ODS, block anchored at A1), or an ``.xls``
   whose far cell records are blanked. A sheet still too big after that is refused with
   a message naming its farthest cell (``.xlsx``: only if that sheet is read).

Values: ``None`` for empty, ``str``, ``float``/``int`` (the reader normalises), ``bool``,
``datetime`` (dates too), ``time``/``timedelta``; formula errors keep their text
(``"#REF!"``), which calamine drops: the pre-scan records them and puts them back.
Merges are 1-based inclusive; one reaching far past the data (``A1:XFD1``) is clipped.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import xml.parsers.expat
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from rak_xl.errors import NoRakTable, WorkbookUnreadable
from rak_xl.grid import CellValue, Grid, Merge, a1, col_index

if TYPE_CHECKING:
    import python_calamine

__all__ = [
    "FAR_COLS",
    "FAR_ROWS",
    "MAX_CELLS",
    "MAX_FILE_BYTES",
    "MAX_PART_BYTES",
    "MAX_TOTAL_BYTES",
    "load_grid",
    "load_grids",
    "sheet_names",
]

MAX_FILE_BYTES = 200 * 2**20  # a RAK workbook is a few MB; 200 MB is already absurd
MAX_ENTRIES = 10_000  # parts in one zip
MAX_PART_BYTES = 100 * 2**20  # uncompressed size of one part
MAX_TOTAL_BYTES = 256 * 2**20  # uncompressed size of all parts together
RATIO_CHECK_BYTES = 16 * 2**20  # parts bigger than this must not compress better than:
MAX_RATIO = 250
MAX_CELLS = 2_000_000  # cells calamine may materialise for one sheet (rows x cols)
FAR_ROWS = 1_000  # empty rows that separate the table from far-away cells
FAR_COLS = 100  # empty columns likewise
MAX_VALUED = 1_000_000  # cells holding a value, per sheet: more is refused outright
MAX_ERRORS = 100_000  # formula-error cells remembered per sheet

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_CHUNK = 1 << 20

Kind = Literal["xlsx", "xls", "ods"]
_Pos = tuple[int, int]


# --------------------------------------------------------------------------- public API


def load_grid(path: Path, sheet: str | None = None) -> Grid:
    """The grid of the sheet holding the RAK table (or of ``sheet`` when given).

    Sheets are tried in workbook order, visible ones first (a hidden backup copy of the
    RAK sheet must not win over the real one); the first one where
    ``rak_xl.read.find_header`` finds the column-numbering row is returned.
    Raises ``WorkbookUnreadable`` or ``NoRakTable`` with an Indonesian sentence naming the
    file.
    """
    path = Path(path)
    book = _open(path)
    if sheet is not None:
        return book.grid(book.match_sheet(sheet))
    names = book.worksheet_names()
    if not names:
        raise NoRakTable(f"File {path.name} tidak berisi sheet data apa pun.")
    any_data = False
    for name in names:
        grid = book.grid(name)
        if grid.rows:
            any_data = True
            if _has_header(grid):
                return grid
    if not any_data:
        raise NoRakTable(f"File {path.name} kosong: tidak ada sheet yang berisi data.")
    raise NoRakTable(
        f"File {path.name} tidak berisi tabel RAK: tidak ada sheet dengan baris penomoran "
        "kolom 1 sampai 23."
    )


def load_grids(path: Path) -> list[Grid]:
    """Grids of all worksheets, in the order ``load_grid`` tries them."""
    book = _open(Path(path))
    return [book.grid(name) for name in book.worksheet_names()]


def sheet_names(path: Path) -> list[str]:
    """Worksheet names (visible first, then hidden), after the same safety checks."""
    return _open(Path(path)).worksheet_names()


def _has_header(grid: Grid) -> bool:
    from rak_xl.read import find_header  # the reader's own landmark: one definition

    return find_header(grid) is not None


# --------------------------------------------------------------------------- opening


def _open(path: Path) -> _Book:
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise WorkbookUnreadable(f"{name} adalah folder, bukan file workbook.")
        if not path.is_file():  # a FIFO or device would block or never end
            raise WorkbookUnreadable(f"{name} bukan file biasa, jadi tidak dibaca.")
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError as exc:
        raise WorkbookUnreadable(f"File {name} tidak ditemukan.") from exc
    except PermissionError as exc:
        raise WorkbookUnreadable(
            f"File {name} tidak dapat dibuka (akses ditolak); tutup file itu di aplikasi "
            "lain lalu coba lagi."
        ) from exc
    except OSError as exc:
        raise WorkbookUnreadable(f"File {name} tidak dapat dibuka ({exc.strerror}).") from exc
    if size == 0:
        raise WorkbookUnreadable(
            f"File {name} kosong (0 byte); simpan ulang workbook-nya dari Excel lalu coba lagi."
        )
    if size > MAX_FILE_BYTES:
        raise WorkbookUnreadable(
            f"File {name} terlalu besar ({size // 2**20} MB) untuk sebuah RAK; batasnya "
            f"{MAX_FILE_BYTES // 2**20} MB."
        )
    if head.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        return _open_zip(path)
    if head == _OLE_MAGIC:
        return _open_ole(path)
    raise WorkbookUnreadable(
        f"File {name} bukan workbook Excel (.xlsx, .xlsm, .xls) atau .ods; buka di Excel, "
        "simpan sebagai .xlsx, lalu coba lagi."
    )


def _corrupt(name: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} rusak atau terpotong (arsip zip tidak lengkap); salin ulang atau "
        "simpan ulang dari Excel lalu coba lagi."
    )


def _password(name: str, app: str = "Excel") -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} dilindungi kata sandi; buka di {app}, hapus kata sandinya, lalu coba lagi."
    )


def _open_zip(path: Path) -> _Book:
    name = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _corrupt(name) from exc
    with zf:
        infos = zf.infolist()
        _check_directory(name, infos)
        names = {i.filename for i in infos}
        if "mimetype" in names and _read_small(zf, "mimetype", name).startswith(_ODS_MIME):
            kind: Kind = "ods"
            if "META-INF/manifest.xml" in names and b"encryption-data" in _read_small(
                zf, "META-INF/manifest.xml", name
            ):
                raise _password(name, "LibreOffice")
        elif any(n.lower() == "xl/workbook.bin" for n in names):
            raise WorkbookUnreadable(
                f"File {name} berformat Excel Binary (.xlsb); buka di Excel, simpan sebagai "
                ".xlsx, lalu coba lagi."
            )
        elif any(n.startswith("xl/") for n in names):
            kind = "xlsx"
        else:
            raise WorkbookUnreadable(
                f"File {name} adalah arsip zip tetapi bukan workbook Excel atau .ods."
            )
        book = _Book(path, kind)
        _scan_zip(zf, book)
    return book


def _check_directory(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """Bounds that need only the central directory: nothing is decompressed yet."""
    if len(infos) > MAX_ENTRIES:
        raise WorkbookUnreadable(
            f"File {name} ditolak: berisi {len(infos)} bagian (terlalu banyak)."
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in seen:
            raise WorkbookUnreadable(
                f"File {name} ditolak: bagian {info.filename} muncul dua kali di arsip."
            )
        seen.add(info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookUnreadable(
                f"File {name} memakai kompresi yang tidak didukung; simpan ulang dari Excel."
            )
        if info.flag_bits & 0x1:
            raise _password(name)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise _bomb(name, info.filename)
        if info.file_size > RATIO_CHECK_BYTES and ratio > MAX_RATIO:
            raise WorkbookUnreadable(
                f"File {name} ditolak: bagian {info.filename} terlalu besar dan dikompresi "
                f"secara tidak wajar (lebih dari {MAX_RATIO}:1; kemungkinan zip bomb)."
            )


def _bomb(name: str, part: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} ditolak: bagian {part} mengembang terlalu besar saat dibuka "
        f"(batas {MAX_PART_BYTES // 2**20} MB per bagian, {MAX_TOTAL_BYTES // 2**20} MB total)."
    )


def _read_small(zf: zipfile.ZipFile, part: str, name: str) -> bytes:
    return b"".join(_stream(zf, zf.getinfo(part), name))


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """Decompress one part in chunks, refusing it when it inflates past its declared size.

    Python's zipfile stops at the declared size; a zip bomb can declare a small size while
    its deflate stream runs on (other readers would follow the stream). Asking for one byte
    more than declared tells the two apart.
    """
    probe = zipfile.ZipInfo(info.filename, info.date_time)
    for attr in ("compress_type", "compress_size", "header_offset", "flag_bits", "extra"):
        setattr(probe, attr, getattr(info, attr))
    probe.file_size = info.file_size + 1
    # zipfile would fail on the CRC before handing over the extra byte; checked below.
    setattr(probe, "CRC", None)  # noqa: B010 (typeshed types CRC as int)
    got = crc = 0
    try:
        with zf.open(probe) as fh:
            while chunk := fh.read(_CHUNK):
                got += len(chunk)
                if got > info.file_size:
                    raise WorkbookUnreadable(
                        f"File {name} ditolak: bagian {info.filename} mengembang terlalu "
                        "besar, melebihi ukuran yang tercatat di arsip (kemungkinan zip bomb)."
                    )
                crc = zlib.crc32(chunk, crc)
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, zlib.error) as exc:
        raise _corrupt(name) from exc
    if got != info.file_size or crc != info.CRC:
        raise _corrupt(name)


# --------------------------------------------------------------------------- XML scanning


class _Forbidden(Exception):
    """A DOCTYPE or entity declaration in a workbook part."""


def _forbid(*_args: object) -> None:
    raise _Forbidden


def _parser() -> xml.parsers.expat.XMLParserType:
    """An expat parser that refuses DTDs, as defusedxml's ``forbid_dtd`` does."""
    p = xml.parsers.expat.ParserCreate()
    p.StartDoctypeDeclHandler = _forbid
    p.EntityDeclHandler = _forbid
    p.UnparsedEntityDeclHandler = _forbid
    p.ExternalEntityRefHandler = _forbid  # type: ignore[assignment]
    p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.buffer_text = True
    return p


def _parse_part(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    setup: Callable[[xml.parsers.expat.XMLParserType], None] | None = None,
) -> None:
    """Stream one XML part through a DTD-refusing expat parser."""
    p = _parser()
    if setup is not None:
        setup(p)
    try:
        for chunk in _stream(zf, info, name):
            p.Parse(chunk, False)
        p.Parse(b"", True)
    except _Forbidden as exc:
        raise _dtd(name, info.filename) from exc
    except xml.parsers.expat.ExpatError as exc:
        raise _bad_xml(name, info.filename) from exc


_PFX = rb"(?:[A-Za-z_][\w.\-]*:)?"
# The start of a value inside a cell: <v> (or <is> for an inline string).
_VALUE_START = re.compile(rb"<" + _PFX + rb"(?:v|is)[\s>/]")
_CELL_START = re.compile(rb"<" + _PFX + rb"c[\s>/]")
_R_ATTR = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]{1,10})\$?(\d{1,12})["']""")
_T_ERR = re.compile(rb"""\bt\s*=\s*["']e["']""")
_V_TEXT = re.compile(rb">([^<]*)<")
_ROW_END = re.compile(rb"</" + _PFX + rb"row>")
_FORMULA = rb"""(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?"""
# <c ... r="B7" ...> [<f>...</f>] <v  : column letters, row digits, all attributes.
# The start tag is an atomic group (Python 3.11+): an empty styled cell (<c r=.. s=../>,
# most cells of a formatted sheet) fails at once instead of backtracking through its
# attributes. Same matches (the tag can only end at its first ">"), 3x faster.
_FAST_CELL = re.compile(
    rb"""<c\b(?>[^>]*?\br="([A-Z]{1,10})(\d{1,12})"([^>]*+)>)""" + _FORMULA + rb"<(?:v|is)[\s>/]"
)
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
    values = len(_VALUE_START.findall(seg))
    if not values:
        return True
    found = _FAST_CELL.findall(seg)
    if len(found) != values:
        return _scan_cells_slow(seg, ext)
    ext.cells += len(found)
    ext.rows.update([int(r) for _c, r, _a in found])
    for letters, n in Counter([c for c, _r, _a in found]).items():
        ext.cols[col_index(letters.decode("ascii"))] += n
    if any(b"e" in a and _T_ERR.search(a) for _c, _r, a in found):
        _scan_errors(seg, ext)
    return True


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

    expat reads the prolog and refuses a DTD (entities can only be declared there; the
    rest of the part is calamine's to parse, and without a DTD there is nothing to
    expand). Regexes then find the cells holding a value, in runs of whole rows. A part
    with comments or CDATA (which could hide a ``</row>``) is scanned whole with those
    stripped; cells without an ``r`` attribute get the exact expat scan, capped.
    """
    ext = _Extent()
    p = _parser()
    prolog = True  # a DTD can only come before the root element: parse no further

    def root(*_args: object) -> None:
        nonlocal prolog
        prolog = False
        p.StartElementHandler = None

    p.StartElementHandler = root
    pending: list[bytes] = []
    tail = b""
    whole = False
    ok = True
    try:
        for chunk in _stream(zf, info, name):
            if prolog:
                p.Parse(chunk, False)
            if not ok:
                continue
            if not whole and (b"<!--" in tail + chunk or b"<![CDATA[" in tail + chunk):
                whole = True
            if whole:
                pending.append(chunk)
                continue
            cut = _last_row_end(tail + chunk) - len(tail)
            if cut <= 0:
                pending.append(chunk)
            else:
                ok = _scan_cells(b"".join([*pending, chunk[:cut]]), ext)
                pending = [chunk[cut:]]
            tail = chunk[-32:]
        if prolog:
            p.Parse(b"", True)
    except _Forbidden as exc:
        raise _dtd(name, info.filename) from exc
    except xml.parsers.expat.ExpatError as exc:
        raise _bad_xml(name, info.filename) from exc
    if ok and pending:
        rest = b"".join(pending)
        if whole:
            rest = _CDATA.sub(b"", _COMMENT.sub(b"", rest))
        ok = _scan_cells(rest, ext)
    if not ok:
        ext = _Extent()
        try:
            _parse_part(zf, info, name, _SheetScanner(ext).setup)
        except _TooMany:
            ext.cells = MAX_VALUED + 1  # the sheet is refused if anyone asks for it
    return ext


_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_CDATA = re.compile(rb"<!\[CDATA\[.*?\]\]>", re.DOTALL)


class _TooMany(Exception):
    """The exact (slow) scan met more cells than any RAK sheet has."""


def _dtd(name: str, part: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} ditolak: bagian {part} memuat deklarasi DOCTYPE/entitas XML yang tidak "
        "diizinkan (kemungkinan file berbahaya)."
    )


def _bad_xml(name: str, part: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} rusak: bagian {part} bukan XML yang sah; simpan ulang dari Excel lalu "
        "coba lagi."
    )


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


@dataclass
class _Extent:
    """Where a sheet holds values, collected while streaming its XML (1-based)."""

    rows: Counter[int] = field(default_factory=Counter)
    cols: Counter[int] = field(default_factory=Counter)
    errors: dict[_Pos, str] = field(default_factory=dict)
    cells: int = 0

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
            return None
        return min(self.rows), min(self.cols), max(self.rows), max(self.cols)

    def area(self) -> int:
        b = self.box()
        return 0 if b is None else (b[2] - b[0] + 1) * (b[3] - b[1] + 1)


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
            pos = _parse_ref(attrs.get("r", ""))
            if pos is None:
                self.col += 1
            else:
                self.row, self.col = pos
            self.in_cell, self.valued = True, False
            self.is_error = attrs.get("t") == "e"
            self.text = []
        elif tag == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() else self.row + 1
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


# --------------------------------------------------------------------------- book


@dataclass
class _Book:
    """A workbook that passed the checks: which sheets it has and where their cells are."""

    path: Path
    kind: Kind
    order: list[tuple[str, bool]] = field(default_factory=list)  # (name, visible)
    extents: dict[str, _Extent] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)  # xlsx sheet name -> zip part
    keep: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    absurd: set[str] = field(default_factory=set)  # xlsx sheets too big even when trimmed
    blob: bytes | None = None  # .xls: the compound file rebuilt with far cells removed
    ods_merges: dict[str, list[Merge]] = field(default_factory=dict)
    _cal: python_calamine.CalamineWorkbook | None = None

    @property
    def name(self) -> str:
        return self.path.name

    # sheet names --------------------------------------------------------------------
    def worksheet_names(self) -> list[str]:
        cal = self.calamine()
        order: list[tuple[str, bool]] = []
        import python_calamine as pc

        for meta in cal.sheets_metadata:
            if meta.typ == pc.SheetTypeEnum.WorkSheet:
                order.append((meta.name, meta.visible == pc.SheetVisibleEnum.Visible))
        return [n for n, vis in order if vis] + [n for n, vis in order if not vis]

    def match_sheet(self, wanted: str) -> str:
        names = self.worksheet_names()
        if wanted in names:
            return wanted
        folded = {n.strip().casefold(): n for n in names}
        found = folded.get(wanted.strip().casefold())
        if found is None:
            listed = ", ".join(names) or "(tidak ada)"
            raise NoRakTable(
                f"Sheet '{wanted}' tidak ada di file {self.name}; sheet yang ada: {listed}."
            )
        return found

    # calamine -----------------------------------------------------------------------
    def calamine(self) -> python_calamine.CalamineWorkbook:
        if self._cal is None:
            import python_calamine as pc

            try:
                if self.blob is not None:
                    self._cal = pc.CalamineWorkbook.from_filelike(io.BytesIO(self.blob))
                elif self.keep:
                    self._cal = pc.CalamineWorkbook.from_filelike(self._trimmed_copy())
                else:
                    # From bytes, not from the path: calamine picks the format by the
                    # extension from a path, and by content (as this module does) from bytes.
                    self._cal = pc.CalamineWorkbook.from_filelike(
                        io.BytesIO(self.path.read_bytes())
                    )
            except pc.PasswordError as exc:
                raise _password(self.name) from exc
            except (pc.CalamineError, OSError, ValueError) as exc:
                raise WorkbookUnreadable(
                    f"File {self.name} rusak atau tidak dapat dibaca sebagai workbook; buka di "
                    "Excel, simpan ulang sebagai .xlsx, lalu coba lagi."
                ) from exc
        return self._cal

    def grid(self, sheet: str) -> Grid:
        ext = self.extents.get(sheet)
        if sheet in self.absurd and ext is not None:
            _refuse_absurd(self, sheet, ext)
        if ext is None and self.kind == "xlsx":
            # Not a part the pre-scan found and measured: never let calamine size it.
            raise WorkbookUnreadable(
                f"Sheet '{sheet}' di file {self.name} tersimpan dengan struktur yang tidak "
                "biasa; buka di Excel, simpan ulang sebagai .xlsx, lalu coba lagi."
            )
        cal = self.calamine()
        if ext is not None and ext.cells == 0:
            return Grid(rows=[], sheet=sheet)
        try:
            cs = cal.get_sheet_by_name(sheet)
            data = cs.to_python(skip_empty_area=True)
            start = cs.start
            merged = cs.merged_cell_ranges or []
            if self.kind == "ods":
                merged = [
                    ((a - 1, b - 1), (c - 1, d - 1))
                    for a, b, c, d in self.ods_merges.get(sheet, [])
                ]
        except Exception as exc:  # calamine raises its own errors and PanicException
            raise WorkbookUnreadable(
                f"Sheet '{sheet}' di file {self.name} tidak dapat dibaca; buka di Excel, simpan "
                "ulang sebagai .xlsx, lalu coba lagi."
            ) from exc
        r0, c0 = (start[0] + 1, start[1] + 1) if start is not None else (1, 1)
        # calamine's "" is an empty cell; a date (calamine's choice for a midnight
        # date-formatted number) becomes a datetime so every date reaches the core alike.
        # Inline, not a function call per cell: that was a tenth of a large validate.
        rows: list[list[CellValue]] = [
            [
                None
                if v == ""
                else (_dt.datetime(v.year, v.month, v.day) if type(v) is _dt.date else v)
                for v in row
            ]
            for row in data
        ]
        if ext is not None:
            for (r, c), text in ext.errors.items():
                _put(rows, r - r0, c - c0, text)
        merges: list[Merge] = [(a + 1, b + 1, c + 1, d + 1) for (a, b), (c, d) in merged]
        return _trim(
            Grid(rows=rows, first_row=r0, first_col=c0, sheet=sheet, merges=merges),
            self.keep.get(sheet),
        )

    def _trimmed_copy(self) -> IO[bytes]:
        """The workbook with far-away cells removed from the absurd sheets (in memory)."""
        out = io.BytesIO()
        by_part = {self.parts[s]: box for s, box in self.keep.items()}
        with zipfile.ZipFile(self.path) as zf, zipfile.ZipFile(out, "w") as dst:
            for info in zf.infolist():
                if info.filename != "mimetype" and not info.filename.lower().endswith(
                    (".xml", ".rels")
                ):
                    continue  # images, vbaProject.bin ...: calamine needs none of them
                data = b"".join(_stream(zf, info, self.name))
                if self.kind == "ods" and info.filename == "content.xml":
                    data = _trim_ods_content(data, self.keep)
                elif info.filename in by_part:
                    data = _trim_sheet_xml(data, by_part[info.filename])
                dst.writestr(info.filename, data, compress_type=zipfile.ZIP_STORED)
        out.seek(0)
        return out


def _put(rows: list[list[CellValue]], i: int, j: int, value: CellValue) -> None:
    if i < 0 or j < 0:
        return  # outside the materialised area: calamine saw no value there either
    while len(rows) <= i:
        rows.append([])
    row = rows[i]
    if len(row) <= j:
        row.extend([None] * (j + 1 - len(row)))
    row[j] = value


def _trim(grid: Grid, box: tuple[int, int, int, int] | None) -> Grid:
    """Drop empty rows/columns at the edges; clip merges to the kept area."""
    rows = grid.rows
    # Same result as looking at every cell, but row emptiness is tested at C speed
    # (list.count) and only the edges of the non-empty rows are walked.
    filled = [i for i, r in enumerate(rows) if r.count(None) != len(r)]
    if not filled:
        return Grid(rows=[], sheet=grid.sheet)
    top, bottom = filled[0], filled[-1]
    left = min(next(j for j, v in enumerate(rows[i]) if v is not None) for i in filled)
    right = max(
        len(rows[i]) - 1 - next(j for j, v in enumerate(reversed(rows[i])) if v is not None)
        for i in filled
    )
    new = [list(r[left : right + 1]) for r in rows[top : bottom + 1]]
    for r in new:
        while r and r[-1] is None:
            r.pop()
    r0, c0 = grid.first_row + top, grid.first_col + left
    r1, c1 = r0 + len(new) - 1, c0 + right - left
    if box is not None:
        r1, c1 = max(r1, box[2]), max(c1, box[3])
    # A merge may run a little past the last value (a block merged over empty rows) and
    # is kept as is; one reaching far beyond (A1:XFD1) is clipped to the data.
    far_r, far_c = r1 + FAR_ROWS, c1 + FAR_COLS
    merges: list[Merge] = []
    for a, b, c, d in grid.merges:
        if c < r0 or a > r1 or d < c0 or b > c1:
            continue
        merges.append((a, b, c if c <= far_r else r1, d if d <= far_c else c1))
    return Grid(rows=new, first_row=r0, first_col=c0, sheet=grid.sheet, merges=merges)


# --------------------------------------------------------------------------- zip scan


def _scan_zip(zf: zipfile.ZipFile, book: _Book) -> None:
    """Stream every part once: sizes, DTD refusal, and cell extents of each sheet."""
    name = book.name
    sheet_parts: dict[str, str] = {}
    if book.kind == "xlsx":
        sheet_parts = _xlsx_sheet_parts(zf, name)
    ods = _OdsScanner()
    for info in zf.infolist():
        if info.is_dir():
            continue
        lower = info.filename.lower()
        if info.filename in sheet_parts:
            book.extents[sheet_parts[info.filename]] = _scan_sheet_part(zf, info, name)
            book.parts[sheet_parts[info.filename]] = info.filename
        elif book.kind == "ods" and lower == "content.xml":
            try:
                _parse_part(zf, info, name, ods.setup)
            except _TooMany as exc:
                raise WorkbookUnreadable(
                    f"File {name} terlalu besar untuk dibaca (lebih dari {MAX_CELLS} sel); "
                    "hapus isi yang tidak perlu lalu coba lagi."
                ) from exc
        elif lower.endswith((".xml", ".rels", ".vml")):
            _parse_part(zf, info, name)
        else:
            for _chunk in _stream(zf, info, name):
                pass
    if book.kind == "ods":
        book.extents.update(ods.tables)
        book.parts.update({sheet: "content.xml" for sheet in ods.tables})
        book.ods_merges = ods.merges
    _plan_trims(book)
    if book.kind == "ods" and book.absurd:
        # calamine reads every sheet of an .ods when it opens it: refuse now.
        sheet = sorted(book.absurd)[0]
        _refuse_absurd(book, sheet, book.extents[sheet])


def _plan_trims(book: _Book) -> None:
    """For each sheet whose used area is absurd, the block to keep (or mark it absurd)."""
    for sheet, ext in book.extents.items():
        if ext.area() <= MAX_CELLS:
            continue
        if ext.cells > MAX_VALUED:
            book.absurd.add(sheet)
            continue
        r0, r1 = _cluster(ext.rows, FAR_ROWS)
        c0, c1 = _cluster(ext.cols, FAR_COLS)
        if book.kind == "ods":
            r0 = c0 = 1  # ODS cells have no addresses: the kept block starts at A1
        if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_CELLS:
            book.absurd.add(sheet)  # refused when (and only when) this sheet is read
            continue
        book.keep[sheet] = (r0, c0, r1, c1)
        ext.errors = {p: t for p, t in ext.errors.items() if r0 <= p[0] <= r1 and c0 <= p[1] <= c1}


def _refuse_absurd(book: _Book, sheet: str, ext: _Extent) -> None:
    box = ext.box()
    assert box is not None
    raise WorkbookUnreadable(
        f"Sheet '{sheet}' di file {book.name} terlalu besar untuk dibaca: ada isi sampai sel "
        f"{a1(box[2], box[3])}; hapus isi yang jauh dari tabel lalu coba lagi."
    )


def _xlsx_sheet_parts(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Zip part -> sheet name, resolved the way calamine resolves them (it is calamine
    that must not be handed an unscanned part): fixed ``xl/workbook.xml`` and its rels,
    targets taken relative to ``xl/``, part names matched without regard to case."""
    actual: dict[str, str] = {}
    for n in zf.namelist():
        actual.setdefault(n.replace("\\", "/").lower(), n)

    def find(path: str) -> str | None:
        return actual.get(path.replace("\\", "/").lower())

    rels = find("xl/_rels/workbook.xml.rels")
    wb = find("xl/workbook.xml")
    if rels is None or wb is None:
        return {}
    targets = {
        r.get("Id", ""): r.get("Target", "") for r in _attrs_of(zf, rels, "Relationship", name)
    }
    parts: dict[str, str] = {}
    for sheet in _attrs_of(zf, wb, "sheet", name):
        rid = next((v for k, v in sheet.items() if _local(k) == "id" and ":" in k), "")
        target = targets.get(rid, "")
        if not target:
            continue
        if target.startswith("/xl/"):
            path = target[1:]
        elif target.startswith("xl/"):
            path = target
        else:
            path = f"xl/{target}"
        for candidate in (path, _join("xl", target)):
            part = find(candidate)
            if part is not None:
                parts[part] = sheet.get("name", "")
    return parts


def _join(folder: str, target: str) -> str:
    out: list[str] = [p for p in folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)


def _attrs_of(zf: zipfile.ZipFile, part: str, tag: str, name: str) -> list[dict[str, str]]:
    """Attributes of every ``tag`` element in a small XML part (DTD refused)."""
    try:
        info = zf.getinfo(part)
    except KeyError:
        return []
    found: list[dict[str, str]] = []

    def setup(p: xml.parsers.expat.XMLParserType) -> None:
        def start(t: str, attrs: dict[str, str]) -> None:
            if _local(t) == tag:
                found.append(attrs)

        p.StartElementHandler = start

    _parse_part(zf, info, name, setup)
    return found


_ROW_ELEM = re.compile(rb"""<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>.*?</row>)""", re.DOTALL)
_CELL_ELEM = re.compile(
    rb"""<c\b[^>]*?\br="([A-Z]{1,10})\d+"(?:[^>/]|/(?!>))*(?:/>|>.*?</c>)""", re.DOTALL
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
    # Lazy: xml.sax.saxutils imports urllib.request (~60 ms on every validate otherwise).
    from xml.sax.saxutils import escape, quoteattr

    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    skip = 0
    box: tuple[int, int, int, int] | None = None
    row = col = 0
    p = _parser()
    row_rep, col_rep = "table:number-rows-repeated", "table:number-columns-repeated"

    def rep(attrs: dict[str, str], key: str) -> int:
        v = attrs.get(key, "1")
        return int(v) if v.isdigit() else 1

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal skip, box, row, col
        if skip:
            skip += 1
            return
        if tag == "table:table":
            box = keep.get(attrs.get("table:name", ""))
            row = 0
        elif box is not None and tag == "table:table-row":
            n = rep(attrs, row_rep)
            first, row, col = row + 1, row + n, 0
            if first > box[2]:
                skip = 1
                return
            if row > box[2]:
                attrs = {**attrs, row_rep: str(box[2] - first + 1)}
        elif box is not None and tag in ("table:table-cell", "table:covered-table-cell"):
            n = rep(attrs, col_rep)
            first, col = col + 1, col + n
            if first > box[3]:
                skip = 1
                return
            if col > box[3]:
                attrs = {**attrs, col_rep: str(box[3] - first + 1)}
        out.append("<" + tag + "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items()) + ">")

    def end(tag: str) -> None:
        nonlocal skip, box
        if skip:
            skip -= 1
            return
        if tag == "table:table":
            box = None
        out.append(f"</{tag}>")

    def chars(text: str) -> None:
        if not skip:
            out.append(escape(text))

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    p.Parse(data, True)
    return "".join(out).encode("utf-8")


# --------------------------------------------------------------------------- OLE (.xls)


def _open_ole(path: Path) -> _Book:
    """``.xls`` (BIFF in an OLE compound file) or an encrypted OOXML package."""
    import olefile

    name = path.name
    try:
        ole = olefile.OleFileIO(str(path))
    except Exception as exc:  # olefile raises OSError and bare exceptions on bad sectors
        raise WorkbookUnreadable(
            f"File {name} rusak atau bukan workbook Excel; simpan ulang dari Excel lalu coba lagi."
        ) from exc
    with ole:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise _password(name)
        stream = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
        if stream is None:
            raise WorkbookUnreadable(
                f"File {name} bukan workbook Excel (mungkin dokumen Word atau lainnya); "
                "simpan sebagai .xlsx lalu coba lagi."
            )
        try:
            data: bytes = ole.openstream(stream).read()
        except Exception as exc:
            raise _corrupt_ole(name) from exc
    book = _Book(path, "xls")
    book.extents = _biff_extents(data, name)
    _plan_trims(book)
    if book.absurd:
        # calamine reads every sheet of an .xls when it opens it: refuse now.
        sheet = sorted(book.absurd)[0]
        _refuse_absurd(book, sheet, book.extents[sheet])
    if book.keep:
        from rak_xl.cfb import build_compound_file

        try:
            book.blob = build_compound_file({stream: _biff_trim(data, name, book.keep)})
        except Exception as exc:  # the minimal CFB writer is for small files only
            sheet = sorted(book.keep)[0]
            raise WorkbookUnreadable(
                f"Sheet '{sheet}' di file {name} berisi sel jauh dari tabel dan file ini "
                "terlalu besar untuk dirapikan otomatis; hapus isi yang jauh dari tabel, "
                "lalu coba lagi."
            ) from exc
    return book


def _corrupt_ole(name: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} rusak atau terpotong; simpan ulang dari Excel lalu coba lagi."
    )


_BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!",
                0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}  # fmt: skip
# NUMBER, LABELSST, LABEL, RK, BOOLERR, FORMULA, RSTRING, MULRK
_BIFF_CELLS = {0x0203, 0x00FD, 0x0204, 0x027E, 0x0205, 0x0006, 0x00D6, 0x00BD}


def _biff_cells(data: bytes, name: str) -> Iterator[tuple[str, int, int, bytes]]:
    """(sheet, record offset, record type, body) of every cell record of every sheet.

    Refuses a workbook with a FILEPASS record (encrypted). Sheets are told apart by the
    stream offsets their BOUNDSHEET records give; nested BOF/EOF pairs (charts) skipped.
    """
    sheets: dict[int, str] = {}  # BOF offset -> sheet name
    current: str | None = None
    depth = 0
    pos = 0
    n = len(data)
    cells = 0
    while pos + 4 <= n:
        rtype = int.from_bytes(data[pos : pos + 2], "little")
        size = int.from_bytes(data[pos + 2 : pos + 4], "little")
        body = data[pos + 4 : pos + 4 + size]
        if rtype == 0x002F and current is None and depth == 1:
            raise _password(name)
        if rtype == 0x0085 and len(body) >= 8:
            cch = body[6]
            raw = body[8 : 8 + cch * 2] if body[7] & 1 else body[8 : 8 + cch]
            sheets[int.from_bytes(body[0:4], "little")] = raw.decode(
                "utf-16-le" if body[7] & 1 else "latin-1", "replace"
            )
        elif rtype == 0x0809:
            depth += 1
            if pos in sheets and depth == 1:
                current = sheets[pos]
        elif rtype == 0x000A:
            depth = max(depth - 1, 0)
            if depth == 0:
                current = None
        elif current is not None and depth == 1 and len(body) >= 4 and rtype in _BIFF_CELLS:
            cells += 1
            if cells > MAX_VALUED:
                raise WorkbookUnreadable(
                    f"File {name} terlalu besar untuk dibaca (lebih dari {MAX_VALUED} sel "
                    "berisi); hapus isi yang tidak perlu lalu coba lagi."
                )
            yield current, pos, rtype, body
        pos += 4 + size


def _biff_extents(data: bytes, name: str) -> dict[str, _Extent]:
    """Per sheet, where value records sit (and the text of cached formula errors)."""
    result: dict[str, _Extent] = {}
    for sheet, _pos, rtype, body in _biff_cells(data, name):
        ext = result.setdefault(sheet, _Extent())
        row, col = _biff_pos(body)
        if rtype == 0x00BD and len(body) >= 6:  # MULRK: colFirst .. colLast
            last = int.from_bytes(body[-2:], "little") + 1
            ext.add(row, col, 1, max(last - col + 1, 1))
            continue
        ext.add(row, col)
        err = _biff_error(rtype, body)
        if err is not None and len(ext.errors) < MAX_ERRORS:
            ext.errors[row, col] = err
    return result


def _biff_pos(body: bytes) -> _Pos:
    return int.from_bytes(body[0:2], "little") + 1, int.from_bytes(body[2:4], "little") + 1


def _biff_trim(data: bytes, name: str, keep: dict[str, tuple[int, int, int, int]]) -> bytes:
    """The Workbook stream with cell records outside each kept block turned into record
    type 0 (which readers skip). Lengths and offsets stay as they were, so BOUNDSHEET
    positions still point at their sheets."""
    out = bytearray(data)
    for sheet, pos, _rtype, body in _biff_cells(data, name):
        box = keep.get(sheet)
        if box is None:
            continue
        row, col = _biff_pos(body)
        if not (box[0] <= row <= box[2] and box[1] <= col <= box[3]):
            out[pos : pos + 2] = b"\0\0"
    return bytes(out)


def _biff_error(rtype: int, body: bytes) -> str | None:
    if rtype == 0x0205 and len(body) >= 8 and body[7] == 1:
        return _BIFF_ERRORS.get(body[6], "#N/A")
    if rtype == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
        return _BIFF_ERRORS.get(body[8], "#N/A")
    return None
