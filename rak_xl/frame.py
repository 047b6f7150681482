"""The frame around the RAK table: grid access, the title block and the signature block.

What sits above the table (RENCANA AKSI KINERJA, the agency, KABUPATEN, TAHUN) and below it
(place and date, position, name, rank, NIP) is read here; any other text found there is
kept as notes (``catatan_atas`` / ``catatan``): it is the user's, regenerate writes it back.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from typing import TypeGuard, cast

from rak_xl.grid import CellValue, Grid, a1, col_letter
from rak_xl.header import Header
from rak_xl.model import Penandatangan, Rak, Source, StrayValue
from rak_xl.numbers import date_text, is_dash, normalize, number_text, parse_number

__all__ = ["Cells", "SheetFrame"]

_NIP = re.compile(r"^\s*NIP\b\s*\.?\s*:?\s*(?P<nip>.*)$", re.IGNORECASE | re.DOTALL)
_DATE_LINE = re.compile(r",.*\b(19|20)\d{2}\s*$")
_PANGKAT = re.compile(
    r"\((?:I{1,3}|IV)\s*/\s*[a-e]\)|^(pembina|penata|pengatur|juru)\b", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
# A predicate ``filter`` calls at C speed (typed as the isinstance test it is).
_IS_TEXT = cast("Callable[[object], TypeGuard[str]]", str.__instancecheck__)
_SMALL_WORDS = {"dan", "di", "ke", "dari", "yang", "untuk", "serta", "atau", "pada", "dengan"}


# -- small value helpers -----------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(value: CellValue) -> str | None:
    """Non-empty text that is not a number or a dash."""
    if isinstance(value, str):
        t = value.strip()
        # A number needs a digit: most texts (uraian, units) are told apart at C speed.
        if t and not is_dash(t) and (_DIGIT.search(t) is None or parse_number(t) is None):
            return t
    return None


def _keep(value: CellValue) -> StrayValue:
    """A value as the model keeps it verbatim."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        # NaN/infinite as text: JSON and the workbook writers refuse those floats.
        return normalize(value) if math.isfinite(value) else number_text(value)
    if isinstance(value, _dt.date | _dt.datetime | _dt.time | _dt.timedelta):
        return date_text(value)
    return str(value).strip()


def _title(text: str) -> str:
    """Title-case an ALL-CAPS heading the Indonesian way (particles stay lower case)."""
    if text != text.upper():
        return text
    words = text.lower().split()
    return " ".join(
        w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


Cells = list[tuple[int, CellValue]]  # (physical column, value), non-empty, left to right


class SheetFrame:
    """Grid access for the reader, and the title and signature blocks around its table."""

    def __init__(self, grid: Grid, header: Header) -> None:
        self.grid = grid
        self.h = header
        self.sheet = grid.sheet
        self.rak = Rak(src=Source(sheet=grid.sheet, row=header.numbering_row))
        self._cells: dict[int, Cells] = {}
        # Column letters by number: ``addr`` names ~20 cells per kegiatan, and a call to
        # ``a1`` for each was a tenth of the reader's time.
        self._letters = [col_letter(c) for c in range(min(grid.last_col, 1024) + 1)]
        # Rows below the table that are not the signature: (sheet row, values), user data.
        self.notes_below: list[tuple[int, tuple[StrayValue, ...]]] = []

    # -- grid access ---------------------------------------------------------------------
    def cells(self, r: int) -> Cells:
        """Non-empty cells of sheet row ``r`` (shared list: callers must not change it).

        Cached, since the signature search and the row split both walk every row; the
        emptiness test is inlined (a call per cell was the reader's biggest single cost).
        """
        hit = self._cells.get(r)
        if hit is None:
            i = r - self.grid.first_row
            fc = self.grid.first_col
            hit = (
                [
                    (fc + j, v)
                    for j, v in enumerate(self.grid.rows[i])
                    if v is not None and (not isinstance(v, str) or v.strip())
                ]
                if 0 <= i < len(self.grid.rows)
                else []
            )
            self._cells[r] = hit
        return hit

    def addr(self, r: int, c: int) -> str:
        """A1 address of sheet row ``r``, column ``c`` (same as ``a1``)."""
        if 0 < c < len(self._letters):
            return self._letters[c] + str(r)
        return a1(r, c)

    # -- title block ---------------------------------------------------------------------
    def _read_title(self) -> None:
        rak = self.rak
        seen_judul = False
        for r in range(self.grid.first_row, self.h.top_row):
            cells = self.cells(r)
            if not cells:
                continue
            single = len(cells) == 1 and isinstance(cells[0][1], str)
            lines = [ln.strip() for ln in str(cells[0][1]).splitlines() if ln.strip()]
            if single and lines and self._title_lines(lines, r, cells[0][0], seen_judul):
                seen_judul = True
                continue
            rak.catatan_atas.append(tuple(_keep(v) for _, v in cells))

    def _title_lines(self, lines: list[str], r: int, c: int, seen_judul: bool) -> bool:
        """Consume title lines; False when the row is not part of the title block."""
        rak, where = self.rak, self.addr(r, c)
        recognised = []
        split_lines: list[str] = []
        for line in lines:
            # "KABUPATEN BANJAR TAHUN 2020" on one line: two title lines.
            m = re.fullmatch(
                r"(.+?)\s+(TAHUN(?:\s+ANGGARAN)?\s+(?:19|20)\d{2})", _clean(line), re.I
            )
            split_lines.extend(
                [m.group(1), m.group(2)] if m and not line.upper().startswith("RENCANA") else [line]
            )
        for line in split_lines:
            up = _clean(line).upper()
            m_tahun = re.fullmatch(r"TAHUN(?:\s+ANGGARAN)?\s+((?:19|20)\d{2})", up)
            m_kab = re.fullmatch(r"(?:PEMERINTAH\s+)?(?:KABUPATEN|KAB\.)\s+(.+)", up)
            if up.startswith("RENCANA AKSI"):
                recognised.append(True)
                seen_judul = True
            elif m_tahun and rak.tahun is None:
                rak.tahun = int(m_tahun.group(1))
                rak.src.cells["tahun"] = where
                recognised.append(True)
            elif m_kab and rak.kabupaten is None:
                name = _clean(line).split(None, 1)[1]
                if up.startswith("PEMERINTAH"):
                    name = name.split(None, 1)[1]
                rak.kabupaten = _title(name)
                rak.src.cells["kabupaten"] = where
                recognised.append(True)
            elif re.match(r"(KOTA|PROVINSI)\s+\S", up) and rak.kabupaten is None:
                rak.kabupaten = _title(_clean(line))
                rak.src.cells["kabupaten"] = where
                recognised.append(True)
            elif seen_judul and rak.instansi is None and rak.kabupaten is None:
                rak.instansi = _title(_clean(line))
                rak.src.cells["instansi"] = where
                recognised.append(True)
            else:
                recognised.append(False)
        return all(recognised)

    # -- signature block -----------------------------------------------------------------
    def _read_signature(self, start: int, last: int) -> set[int]:
        nip_at: tuple[int, int, str] | None = None
        grid_rows, first = self.grid.rows, self.grid.first_row
        for r in range(start, last + 1):
            i = r - first
            # Only the row holding the NIP line is walked cell by cell; the others are
            # passed over at C speed: rows without text (most of a large sheet) by their
            # cells' types, the rest by the regex mapped over their texts.
            if 0 <= i < len(grid_rows) and (
                str not in map(type, grid_rows[i])
                or not any(map(_NIP.match, filter(_IS_TEXT, grid_rows[i])))
            ):
                continue
            for c, v in self.cells(r):
                if isinstance(v, str) and (m := _NIP.match(v)):
                    nip = m.group("nip").strip()
                    if not nip:
                        nxt = [x for cc, x in self.cells(r) if cc > c]
                        nip = str(_keep(nxt[0])) if nxt else ""
                    nip_at = (r, c, nip)
                    break
            if nip_at:
                break
        if nip_at is None:
            return set()
        nip_row, nip_col, nip = nip_at
        window = range(nip_col - 4, nip_col + 5)
        lines: list[tuple[int, int, str]] = []  # nearest first
        tanggal: tuple[int, int, str] | None = None
        r = nip_row - 1
        while r >= start and nip_row - r <= 12:
            row_cells = self.cells(r)
            if any(isinstance(v, int | float) for _, v in row_cells) or r in self.h.header_rows:
                break
            texts = [
                (c, str(v).strip()) for c, v in row_cells if c in window and isinstance(v, str)
            ]
            if texts:
                c, t = texts[0]
                if _DATE_LINE.search(t):
                    tanggal = (r, c, t)
                    break
                lines.append((r, c, t))
            r -= 1
        pen = Penandatangan(nip=nip or None, src=Source(self.sheet, nip_row))
        pen.src.cells["nip"] = self.addr(nip_row, nip_col)
        rest = list(lines)
        if len(rest) >= 2 and _PANGKAT.search(rest[0][2]):
            pr, pc, pen.pangkat = rest.pop(0)
            pen.src.cells["pangkat"] = self.addr(pr, pc)
        if rest:
            nr, nc, pen.nama = rest.pop(0)
            pen.src.cells["nama"] = self.addr(nr, nc)
        if tanggal is None and len(rest) > 2:
            rest = rest[:2]  # without a date line, stop at the position's own lines
        if rest:
            pen.jabatan = "\n".join(t for _, _, t in reversed(rest))
            pen.src.cells["jabatan"] = self.addr(rest[-1][0], rest[-1][1])
        top = rest[-1][0] if rest else (lines[-1][0] if lines else nip_row)
        if tanggal:
            pen.tempat_tanggal = tanggal[2]
            pen.src.cells["tempat_tanggal"] = self.addr(tanggal[0], tanggal[1])
            top = tanggal[0]
        self.rak.penandatangan = pen
        used = {(r0, c0) for r0, c0, _ in lines} | {(nip_row, nip_col)}
        if tanggal:
            used.add((tanggal[0], tanggal[1]))
        rows = set(range(top, nip_row + 1))
        for r in sorted(rows):
            extra = tuple(
                _keep(v)
                for c, v in self.cells(r)
                if (r, c) not in used and not (r == nip_row and c > nip_col and not nip_at[2])
            )
            if extra:
                self.notes_below.append((r, extra))
        return rows
