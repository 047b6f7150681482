"""Limits and constants of the workbook adapter (see ``rak_xl.workbook``)."""

from __future__ import annotations

TYPE_CHECKING = False  # type checkers read it as True; no ``typing`` import before the parse
if TYPE_CHECKING:
    from typing import Literal

    Kind = Literal["xlsx", "xls", "ods"]

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

_Pos = tuple[int, int]
