"""One exception root for everything a user can be told.

    RakError                 message: one Indonesian sentence for the user
     +-- WorkbookUnreadable  the file is not a workbook we can open (exit 2)
     +-- NoRakTable          no sheet holds the column-numbering row 1..23 (exit 2)
     +-- WriteFailed         a write was aborted; the original file is untouched

Adapters translate library exceptions into these (``raise ... from exc``); the CLI and
the Excel buttons show ``str(error)`` and nothing else.
"""

from __future__ import annotations

__all__ = ["NoRakTable", "RakError", "WorkbookUnreadable", "WriteFailed", "os_reason"]


class RakError(Exception):
    """Base of every error shown to a user. ``str(err)`` is the Indonesian message."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class WorkbookUnreadable(RakError):
    """The file cannot be opened as a workbook (not a zip, truncated, encrypted, ...)."""


class NoRakTable(RakError):
    """The workbook opens, but no sheet holds a RAK table."""


class WriteFailed(RakError):
    """Writing was aborted; the original file was left as it was."""


# An OS error in words a user reads (``strerror`` is English, or the OS's language).
_OS_REASONS = {
    "ENOSPC": "disk penuh",
    "EDQUOT": "kuota disk habis",
    "EACCES": "akses ditolak",
    "EPERM": "akses ditolak",
    "EROFS": "disk hanya bisa dibaca",
    "EFBIG": "file terlalu besar",
    "ENOENT": "tidak ditemukan",
    "EIO": "kesalahan baca/tulis disk",
    "ENAMETOOLONG": "nama file terlalu panjang",
    "EISDIR": "itu sebuah folder",
    "ENOTDIR": "foldernya tidak ada",
    "EBUSY": "sedang dipakai program lain",
    "ETXTBSY": "sedang dipakai program lain",
    "EMFILE": "terlalu banyak file terbuka",
    "ENXIO": "perangkatnya tidak tersedia",
    "EAGAIN": "sedang dipakai program lain",
    "ELOOP": "tautan yang berputar",
}


def os_reason(exc: OSError) -> str:
    """A short Indonesian reason for ``exc`` ("disk penuh", "akses ditolak" ...)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name) or (f"kesalahan sistem {name}" if name else "kesalahan sistem")
