"""The one position check every writing command makes on a sheet before editing it.

A cell states its position twice: by the ``<row r="87">`` holding it and by its own
``r="A100"``. Readers place it by its own address (calamine and LibreOffice alike, see
``tests/test_hostile_round5.py``), while an edit finds a cell inside the row element of
its number: with the two in contradiction an edit would land beside the cell, not on it,
and the file would then hold A100 twice. So a sheet about to be edited is refused, by
the first such cell, before anything is written (``Book.sheet(edit=True)``). Rows
listed twice or out of order are refused by ``Sheet._index`` on the same grounds.

Reading such a file goes on: what calamine reads there is what LibreOffice shows.
"""

from __future__ import annotations

import functools
import re

from rak_xl.cellref import MAX_COL, bad_address, col_letter
from rak_xl.errors import WorkbookUnreadable
from rak_xl.opc.sheet import Sheet, parse_ref
from rak_xl.workbook._bound import up_to

__all__ = ["check", "misplaced"]


def check(sheet: Sheet) -> None:
    """Refuse ``sheet`` (``WorkbookUnreadable``, naming it and the cell) when a row is
    listed twice or out of order, or a cell's address contradicts its row."""
    sheet._index()  # rows: ascending, each once, inside the sheet
    bad = misplaced(sheet.data, sheet.p)
    if bad is not None:
        ref, row = bad
        why = f"di dalam baris {row}" if parse_ref(ref) is not None else ""
        raise WorkbookUnreadable(bad_address(sheet.file, sheet.name, ref, why))


@functools.lru_cache(maxsize=4)
def _misplaced(p: bytes) -> re.Pattern[bytes]:
    """A row start, everything in it up to its first cell whose address names another
    row (or a column beyond XFD), and that cell's address.

    One pass at C speed over a sheet in the regular form (``sheet._regular``: every row
    and cell carries ``r`` first): a row's content is consumed possessively, its own
    cells (``\\1``, the row's number) included, each with what it holds, and the search
    fails at the row's end unless a cell of another number stopped it (30 ms on the
    7 MB sheet of 3,000 kegiatan). A self-closing row holds nothing.
    """
    q = re.escape(p)
    cols = up_to(col_letter(MAX_COL), "A", "A").encode("ascii")
    other = rb"<(?!" + q + rb"c\s|/" + q + rb"row>)[^<]*+"  # a tag not starting a cell
    return re.compile(
        rb"<" + q + rb'row\s+r="(\d+)"[^>]*+(?<!/)>[^<]*+'
        rb"(?:<" + q + rb'c\s+r="' + cols + rb'\1"[^<]*+(?:' + other + rb")*+)*+"
        rb"<" + q + rb'c\s+r="([A-Z]+\d+)"'
    )


def misplaced(data: bytes, p: bytes) -> tuple[str, int] | None:
    """(address, row) of the first cell in ``data`` (a regular ``sheetData``) whose
    address is not in the row holding it or lies beyond XFD; None when every cell is
    where its row says."""
    m = _misplaced(p).search(data)
    return None if m is None else (m.group(2).decode("ascii"), int(m.group(1)))
