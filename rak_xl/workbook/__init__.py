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

import zipfile
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path

from rak_xl.errors import NoRakTable, WorkbookUnreadable, os_reason
from rak_xl.workbook._book import _Book, _scan_zip
from rak_xl.workbook._limits import (
    _EMPTY_ZIP_MAGIC,
    _ODS_MIME,
    _OLE_MAGIC,
    _ZIP_MAGIC,
    FAR_COLS,
    FAR_ROWS,
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_PART_BYTES,
    MAX_TOTAL_BYTES,
)
from rak_xl.workbook._ole import _open_ole
from rak_xl.workbook._trim import _filter_sheet_xml as _filter_sheet_xml
from rak_xl.workbook._trim import _trim_sheet_xml as _trim_sheet_xml
from rak_xl.workbook._zip import _check_directory, _corrupt, _password, _read_small

TYPE_CHECKING = False  # type checkers read it as True; no ``typing`` import before the parse
if TYPE_CHECKING:
    from rak_xl.grid import Grid
    from rak_xl.read.header import Header
    from rak_xl.workbook._limits import Kind

__all__ = [
    "FAR_COLS",
    "FAR_ROWS",
    "MAX_CELLS",
    "MAX_FILE_BYTES",
    "MAX_PART_BYTES",
    "MAX_TOTAL_BYTES",
    "load_grid",
    "load_grids",
    "load_grids_whole",
    "locate",
    "sheet_names",
]


# --------------------------------------------------------------------------- public API


def load_grid(path: Path, sheet: str | None = None) -> Grid:
    """The grid of the sheet holding the RAK table (or of ``sheet`` when given).

    Sheets are tried in workbook order, visible ones first (a hidden backup copy of the
    RAK sheet must not win over the real one), our hidden backups never (a RAK sheet whose
    numbering row the user broke is refused, not silently replaced by its old copy, which
    the writers would then edit); the first one where
    ``rak_xl.read.find_header`` finds the column-numbering row is returned. Except: when
    that table is an empty form, the first filled table of the other form wins (the
    template holds an empty sheet per form, 2020 and 2021+, and the user fills one; a
    later sheet of the same form, such as the template's example, does not).
    Raises ``WorkbookUnreadable`` or ``NoRakTable`` with an Indonesian sentence naming the
    file.
    """
    return locate(path, sheet)[0]


def locate(
    path: Path, sheet: str | None = None, prefetch: Sequence[str] = ()
) -> tuple[Grid, Header | None]:
    """``load_grid``, with the header found on the way (None when ``sheet`` was given and
    not searched), so that the reader need not look for it a second time.

    ``prefetch``: modules the caller needs next, imported while calamine parses the sheet
    (it releases the GIL: on a second core the two overlap).
    """
    path = Path(path)
    book = _open(path)
    if sheet is not None:
        return book.grid(book.match_sheet(sheet), prefetch), None
    # ``_find_header`` and ``book.backups`` (asked once a header is found).
    prefetch = ("rak_xl.read", "rak_xl.read.pick", "rak_xl.backups", *prefetch)
    names = book.worksheet_names()
    if not names:
        raise NoRakTable(f"File {path.absolute()} tidak berisi sheet data apa pun.")
    any_data = False
    backup: str | None = None  # a backup of ours with a header: never the RAK, worth naming

    def tables() -> Iterator[tuple[tuple[Grid, Header], Grid, Header]]:
        nonlocal any_data, backup
        for name in names:
            grid = book.grid(name, prefetch)
            if not grid.rows:
                continue
            any_data = True
            header = _find_header(grid)
            if header is not None and name in book.backups:
                backup = backup or name
            elif header is not None:
                yield (grid, header), grid, header

    found_tables = tables()
    # The first sheet is parsed while the reader (and the rule) is imported (``prefetch``).
    first = next(found_tables, None)
    from rak_xl.read.pick import pick_table  # the buttons' rule too

    found = pick_table(found_tables if first is None else chain([first], found_tables))
    if found is not None:
        return found
    if backup is not None:
        raise NoRakTable(
            f"File {path.absolute()} tidak berisi tabel RAK yang terbaca: baris penomoran "
            f"kolom hanya ada di '{backup}', cadangan tersembunyi buatan rak-xl. Perbaiki "
            "baris penomoran di sheet RAK, atau tampilkan (Unhide) cadangan itu bila ingin "
            "memakainya lagi."
        )
    if not any_data:
        raise NoRakTable(f"File {path.absolute()} kosong: tidak ada sheet yang berisi data.")
    raise NoRakTable(
        f"File {path.absolute()} tidak berisi tabel RAK: tidak ada sheet dengan baris penomoran "
        "kolom 1 sampai 23 (1 sampai 26 untuk RAK dengan Sub Kegiatan)."
    )


def load_grids(path: Path) -> list[Grid]:
    """Grids of all worksheets, in the order ``load_grid`` tries them."""
    book = _open(Path(path))
    return [book.grid(name) for name in book.worksheet_names()]


def load_grids_whole(path: Path) -> list[tuple[Grid, str | None]]:
    """Like ``load_grids``, each grid with where the sheet holds a value the grid lacks
    (``"baris 1.048.577"``, ``"kolom XFE"``; None: nothing): a far cell trimmed away, or
    one beyond the .xlsx limits that calamine drops. A conversion to .xlsx must not lose
    them; reading the RAK can (they are not RAK data)."""
    book = _open(Path(path))
    return [(book.grid(name), _left_out(book, name)) for name in book.worksheet_names()]


def _left_out(book: _Book, sheet: str) -> str | None:
    from rak_xl.cellref import MAX_COL, MAX_ROW, col_letter

    ext = book.extents.get(sheet)
    if ext is None or not ext.rows:
        return None
    r0, c0, r1, c1 = book.keep.get(sheet, (1, 1, MAX_ROW, MAX_COL))
    r1, c1 = min(r1, MAX_ROW), min(c1, MAX_COL)
    row = min((r for r in ext.rows if not r0 <= r <= r1), default=None)
    if row is not None:
        return f"baris {row:,}".replace(",", ".")
    col = min((c for c in ext.cols if not c0 <= c <= c1), default=None)
    return None if col is None else f"kolom {col_letter(col)}"


def sheet_names(path: Path) -> list[str]:
    """Worksheet names (visible first, then hidden), after the same safety checks."""
    return _open(Path(path)).worksheet_names()


def _find_header(grid: Grid) -> Header | None:
    from rak_xl.read import find_header  # the reader's own landmark: one definition

    return find_header(grid)


# --------------------------------------------------------------------------- opening


def _open(path: Path) -> _Book:
    name = str(path.absolute())  # full path: a bulk check names which of many files
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
        raise WorkbookUnreadable(f"File {name} tidak dapat dibuka ({os_reason(exc)}).") from exc
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


def _open_zip(path: Path) -> _Book:
    name = str(path.absolute())  # full path: a bulk check names which of many files
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
