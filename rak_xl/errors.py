"""One exception root for everything a user can be told.

    RakError                 message: one Indonesian sentence for the user
     +-- WorkbookUnreadable  the file is not a workbook we can open (exit 2)
     +-- NoRakTable          no sheet holds the column-numbering row 1..23 (exit 2)
     +-- WriteFailed         a write was aborted; the original file is untouched

Adapters translate library exceptions into these (``raise ... from exc``); the CLI and
the Excel buttons show ``str(error)`` and nothing else.
"""

from __future__ import annotations

__all__ = ["NoRakTable", "RakError", "WorkbookUnreadable", "WriteFailed"]


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
