"""The block below the RAK table: the signature (the title above it is ``title``).

What sits below the table (place and date, position, name, rank, NIP) is read here; any
other text found there is kept as notes (``catatan``): it is the user's, regenerate
writes it back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import TypeGuard, cast

from rak_xl.model import Penandatangan, Rak, Source, StrayValue
from rak_xl.read.cells import SheetCells, keep

__all__ = ["Note", "read_signature"]

Note = tuple[int, tuple[StrayValue, ...]]  # (sheet row, values): a row of the user's notes
_Line = tuple[int, int, str]  # (row, column, text)

_NIP = re.compile(r"^\s*NIP\b\s*\.?\s*:?\s*(?P<nip>.*)$", re.IGNORECASE | re.DOTALL)
_DATE_LINE = re.compile(r",.*\b(19|20)[0-9]{2}\s*$")
_PANGKAT = re.compile(
    r"\((?:I{1,3}|IV)\s*/\s*[a-e]\)|^(pembina|penata|pengatur|juru)\b", re.IGNORECASE
)
# A predicate ``filter`` calls at C speed (typed as the isinstance test it is).
_IS_TEXT = cast("Callable[[object], TypeGuard[str]]", str.__instancecheck__)
_SIGNATURE_REACH = 12  # rows above the NIP line that can belong to the signature


# -- signature block ---------------------------------------------------------------------


def read_signature(
    sheet: SheetCells, rak: Rak, header_rows: Collection[int], start: int, last: int
) -> tuple[set[int], list[Note]]:
    """The signature block between rows ``start`` and ``last`` into
    ``rak.penandatangan``: (its rows, the other values on them as notes). Anchored on
    its NIP line; none: (empty set, no notes)."""
    nip_at = _find_nip(sheet, start, last)
    if nip_at is None:
        return set(), []
    lines, tanggal = _lines_above(sheet, header_rows, nip_at, start)
    pen, top = _penandatangan(sheet, nip_at, lines, tanggal)
    rak.penandatangan = pen
    rows = set(range(top, nip_at[0] + 1))
    return rows, _leftovers(sheet, rows, nip_at, lines, tanggal)


def _find_nip(sheet: SheetCells, start: int, last: int) -> _Line | None:
    """(row, column, NIP) of the first NIP line from row ``start`` to ``last``; the NIP
    is the text after "NIP", or the next cell's value when that is empty."""
    grid_rows, first = sheet.grid.rows, sheet.grid.first_row
    for r in range(start, last + 1):
        i = r - first
        # Only the row holding the NIP line is walked cell by cell; the others are
        # passed over at C speed: a row whose texts, case-folded together, hold no "nip"
        # (most of a large sheet), then by the regex mapped over its texts.
        if 0 <= i < len(grid_rows) and (
            _no_nip("\n".join(filter(_IS_TEXT, grid_rows[i])).casefold())
            or not any(map(_NIP.match, filter(_IS_TEXT, grid_rows[i])))
        ):
            continue
        for c, v in sheet.cells(r):
            if isinstance(v, str) and (m := _NIP.match(v)):
                nip = m.group("nip").strip()
                if not nip:
                    nxt = [x for cc, x in sheet.cells(r) if cc > c]
                    nip = str(keep(nxt[0])) if nxt else ""
                return r, c, nip
    return None


def _no_nip(folded: str) -> bool:
    """Case-folded text that ``_NIP`` cannot match: no "nip" in it, and none of the two
    letters that ``re.IGNORECASE`` also takes for an "i" ("ı", and "İ" folded to "i̇")."""
    return "nip" not in folded and "ı" not in folded and "\u0307" not in folded


def _lines_above(
    sheet: SheetCells, header_rows: Collection[int], nip_at: _Line, start: int
) -> tuple[list[_Line], _Line | None]:
    """The text lines above the NIP line near its column, nearest first, up to the
    place-and-date line (returned apart), a number, a header row or ``_SIGNATURE_REACH``
    rows."""
    nip_row, nip_col, _ = nip_at
    window = range(nip_col - 4, nip_col + 5)
    lines: list[_Line] = []
    r = nip_row - 1
    while r >= start and nip_row - r <= _SIGNATURE_REACH:
        row_cells = sheet.cells(r)
        if any(isinstance(v, int | float) for _, v in row_cells) or r in header_rows:
            break
        texts = [(c, str(v).strip()) for c, v in row_cells if c in window and isinstance(v, str)]
        if texts:
            c, t = texts[0]
            if _DATE_LINE.search(t):
                return lines, (r, c, t)
            lines.append((r, c, t))
        r -= 1
    return lines, None


def _penandatangan(
    sheet: SheetCells, nip_at: _Line, lines: list[_Line], tanggal: _Line | None
) -> tuple[Penandatangan, int]:
    """Who signs, from the lines above the NIP (nearest first: rank, name, position),
    and the block's first row."""
    nip_row, nip_col, nip = nip_at
    pen = Penandatangan(nip=nip or None, src=Source(sheet.grid.sheet, nip_row))
    pen.src.cells["nip"] = sheet.addr(nip_row, nip_col)
    rest = list(lines)
    if len(rest) >= 2 and _PANGKAT.search(rest[0][2]):
        pr, pc, pen.pangkat = rest.pop(0)
        pen.src.cells["pangkat"] = sheet.addr(pr, pc)
    if rest:
        nr, nc, pen.nama = rest.pop(0)
        pen.src.cells["nama"] = sheet.addr(nr, nc)
    if tanggal is None and len(rest) > 2:
        rest = rest[:2]  # without a date line, stop at the position's own lines
    if rest:
        pen.jabatan = "\n".join(t for _, _, t in reversed(rest))
        pen.src.cells["jabatan"] = sheet.addr(rest[-1][0], rest[-1][1])
    top = rest[-1][0] if rest else (lines[-1][0] if lines else nip_row)
    if tanggal:
        pen.tempat_tanggal = tanggal[2]
        pen.src.cells["tempat_tanggal"] = sheet.addr(tanggal[0], tanggal[1])
        top = tanggal[0]
    return pen, top


def _leftovers(
    sheet: SheetCells, rows: set[int], nip_at: _Line, lines: list[_Line], tanggal: _Line | None
) -> list[Note]:
    """The values on the signature's rows that are not part of it (the user's notes)."""
    nip_row, nip_col, nip = nip_at
    used = {(r0, c0) for r0, c0, _ in lines} | {(nip_row, nip_col)}
    if tanggal:
        used.add((tanggal[0], tanggal[1]))
    notes: list[Note] = []
    for r in sorted(rows):
        extra = tuple(
            keep(v)
            for c, v in sheet.cells(r)
            if (r, c) not in used and not (r == nip_row and c > nip_col and not nip)
        )
        if extra:
            notes.append((r, extra))
    return notes
