"""``.xls``: BIFF records in an OLE compound file; encrypted OLE packages refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rak_xl.errors import WorkbookUnreadable
from rak_xl.workbook._book import _Book, _plan_trims, _refuse_absurd
from rak_xl.workbook._limits import MAX_ERRORS, MAX_VALUED, _Pos
from rak_xl.workbook._scan import _Extent
from rak_xl.workbook._zip import _password

# --------------------------------------------------------------------------- OLE (.xls)


def _open_ole(path: Path) -> _Book:
    """``.xls`` (BIFF in an OLE compound file) or an encrypted OOXML package."""
    import olefile

    name = str(path.absolute())  # full path: a bulk check names which of many files
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
        from rak_xl.xlsm.cfb import build_compound_file

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
