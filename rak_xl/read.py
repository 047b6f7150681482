"""Reader: a sheet's grid -> the RAK model, with the cell each value came from.

The column-numbering row (1..23) is the landmark: templates differ in physical layout,
never in that row. Each logical column maps to the physical columns from its number up
to the next number, so wide merged columns and blank separator columns need no special
case. Everything the reader cannot place is kept in the model (``raw`` text, ``stray``
values, ``catatan`` rows) for the rules to report and for regenerate to write back.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rak_xl.errors import NoRakTable
from rak_xl.grid import CellValue, Grid, a1
from rak_xl.model import (
    Kegiatan,
    Number,
    Penandatangan,
    Program,
    Rak,
    Sasaran,
    Source,
    StrayValue,
)
from rak_xl.numbers import (
    Convention,
    date_text,
    detect_convention,
    is_dash,
    normalize,
    parse_number,
    parse_targets,
    split_volume,
    strip_list_number,
)

__all__ = ["Header", "find_header", "read_rak"]

N_COLS = 23
COL_KET = 23
MONTH_COLS = range(11, 23)
_KAS_KEYS = tuple(f"kas_bulanan.{i}" for i in range(12))
_CONVENTION_COLS = frozenset((6, 9, *MONTH_COLS))  # where text numbers tell "." from ","
BEYOND = 24  # pseudo logical column: right of KET, not computed
COMPUTED = -1  # pseudo logical column: our own formulas right of KET

_HEADER_WORDS = re.compile(
    r"sasaran|program|kegiatan|uraian|indikator|target|anggaran|januari|ket\b|vol|sat\.|"
    r"kinerja|triwulan|\btw\b|bulan",
    re.IGNORECASE,
)
_COMPUTED_LABEL = re.compile(r"^\s*(jumlah|kas\s*tw|kas\s+per|total|selisih|perhitungan)", re.I)
_TOTAL_ROW = re.compile(r"^\s*(jumlah|sub\s*total|total|selisih)\b", re.IGNORECASE)
_TW_TEXT = re.compile(r"\b(tw|trw|triwulan|tahunan)\s*\.?\s*(iv|iii|ii|i|[1-4])?\b", re.I)
_NIP = re.compile(r"^\s*NIP\b\s*\.?\s*:?\s*(?P<nip>.*)$", re.IGNORECASE | re.DOTALL)
_DATE_LINE = re.compile(r",.*\b(19|20)\d{2}\s*$")
_PANGKAT = re.compile(
    r"\((?:I{1,3}|IV)\s*/\s*[a-e]\)|^(pembina|penata|pengatur|juru)\b", re.IGNORECASE
)
_VOL_TEXT = re.compile(r"^\s*\d[\d.,]*\s+\D")
_SMALL_WORDS = {"dan", "di", "ke", "dari", "yang", "untuk", "serta", "atau", "pada", "dengan"}
_MAX_MERGES = 20_000


# -- header ------------------------------------------------------------------------------


@dataclass
class Header:
    """Where the RAK table sits and how its 23 logical columns map onto physical ones."""

    numbering_row: int
    top_row: int
    cols: dict[int, list[int]]  # logical column -> physical columns, left to right
    logical_of: dict[int, int]  # physical column -> logical (COMPUTED/BEYOND right of KET)
    role: dict[int, str]  # physical sub-column -> tahunan|tw|target|anggaran|volume|satuan
    header_rows: frozenset[int]  # every header row, repeats mid-sheet included
    repeats: list[int] = field(default_factory=list)

    def first(self, logical: int) -> int:
        return self.cols[logical][0]


def _as_int(value: CellValue) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    if isinstance(value, str):
        t = value.strip().strip("()").strip()
        if t.isdigit() and len(t) <= 3:
            return int(t)
    return None


def _numbering_positions(row: list[CellValue], first_col: int) -> list[int] | None:
    """Physical columns of 1..23 when ``row`` is a column-numbering row."""
    if len(row) - row.count(None) < N_COLS:
        return None  # fewer than 23 values (most rows): rejected at C speed
    nums = [(first_col + j, n) for j, v in enumerate(row) if (n := _as_int(v)) is not None]
    for start in range(len(nums)):
        if nums[start][1] != 1:
            continue
        run = nums[start : start + N_COLS]
        if len(run) == N_COLS and all(n == i + 1 for i, (_, n) in enumerate(run)):
            return [c for c, _ in run]
    return None


class _Merged:
    """Resolve a cell inside a merged range to the range's top-left value."""

    def __init__(self, grid: Grid, rows: set[int]) -> None:
        self.grid = grid
        self.map: dict[tuple[int, int], tuple[int, int]] = {}
        self.right: dict[tuple[int, int], int] = {}
        for r1, c1, r2, c2 in grid.merges[:_MAX_MERGES]:
            for r in range(r1, r2 + 1):
                if r not in rows:
                    continue
                self.right[(r, c1)] = c2
                for c in range(c1, min(c2, c1 + 200) + 1):
                    self.map[(r, c)] = (r1, c1)

    def text(self, row: int, col: int) -> str:
        r, c = self.map.get((row, col), (row, col))
        v = self.grid.value(r, c)
        return " ".join(v.split()) if isinstance(v, str) else ""


def _header_rows_above(grid: Grid, numbering_row: int) -> int:
    top = numbering_row
    for r in range(numbering_row - 1, max(grid.first_row, numbering_row - 4) - 1, -1):
        texts = [v for v in grid.rows[r - grid.first_row] if isinstance(v, str) and v.strip()]
        if not texts or not any(_HEADER_WORDS.search(t) for t in texts):
            break
        top = r
    return top


def find_header(grid: Grid) -> Header | None:
    """Locate the RAK table by its numbering row; None when the sheet holds none."""
    found: list[tuple[int, list[int]]] = []
    for i, row in enumerate(grid.rows):
        pos = _numbering_positions(row, grid.first_col)
        if pos is not None:
            found.append((grid.first_row + i, pos))
    if not found:
        return None
    numbering_row, pos = found[0]
    top = _header_rows_above(grid, numbering_row)
    header_rows: set[int] = set(range(top, numbering_row + 1))
    repeats = []
    for r, _ in found[1:]:
        header_rows.update(range(_header_rows_above(grid, r), r + 1))
        repeats.append(r)
    merged = _Merged(grid, set(range(top, numbering_row + 1)))

    ket_last = pos[-1]
    for r in range(top, numbering_row + 1):
        ket_last = max(ket_last, merged.right.get((r, pos[-1]), pos[-1]))
    cols: dict[int, list[int]] = {}
    for n in range(1, N_COLS + 1):
        end = pos[n] - 1 if n < N_COLS else ket_last
        cols[n] = list(range(pos[n - 1], end + 1))
    logical_of = {c: n for n, cs in cols.items() for c in cs}
    for c in range(ket_last + 1, grid.last_col + 1):
        labels = [merged.text(r, c) for r in range(top, numbering_row + 1)]
        computed = any(_COMPUTED_LABEL.match(t) for t in labels if t)
        logical_of[c] = COMPUTED if computed else BEYOND

    role: dict[int, str] = {}
    for n, kinds in ((3, _role_sasaran), (6, _role_program), (9, _role_volume), (10, _no_role)):
        if len(cols[n]) < 2:
            continue
        for c in cols[n]:
            label = ""
            for r in range(numbering_row - 1, top - 1, -1):
                label = merged.text(r, c)
                if label:
                    break
            # One physical column per quarter ("TW I" .. "TW IV") beats every other reading.
            q = _label_quarter(label) if n != 9 else None
            kind = f"q{q}" if q is not None else kinds(label.lower())
            if kind:
                role[c] = kind
    return Header(numbering_row, top, cols, logical_of, role, frozenset(header_rows), repeats)


_QUARTER_LABEL = re.compile(
    r"^(?:target\s+)?(?:(?:tw|trw|triwulan|tri\s*wulan|q)\s*\.?\s*)?(iv|iii|ii|i|[1-4])$", re.I
)
_ROMAN = {"i": 0, "ii": 1, "iii": 2, "iv": 3}


def _label_quarter(label: str) -> int | None:
    m = _QUARTER_LABEL.match(label.strip())
    if not m:
        return None
    q = m.group(1).lower()
    return int(q) - 1 if q.isdigit() else _ROMAN[q]


def _no_role(label: str) -> str | None:
    del label
    return None


def _role_sasaran(label: str) -> str | None:
    if "tahun" in label:
        return "tahunan"
    if re.search(r"\btw\b|triwulan|target", label):
        return "tw"
    return None


def _role_program(label: str) -> str | None:
    money = "anggaran" in label or re.search(r"\brp\b|pagu", label) is not None
    target = "target" in label or re.search(r"\btw\b|triwulan", label) is not None
    if money and not target:
        return "anggaran"
    if target and not money:
        return "target"
    return None


def _role_volume(label: str) -> str | None:
    vol, sat = "vol" in label, "sat" in label
    if vol and not sat:
        return "volume"
    if sat and not vol:
        return "satuan"
    return None


# -- small value helpers -----------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(value: CellValue) -> str | None:
    """Non-empty text that is not a number or a dash."""
    if isinstance(value, str):
        t = value.strip()
        if t and not is_dash(t) and parse_number(t) is None:
            return t
    return None


def _keep(value: CellValue) -> StrayValue:
    """A value as the model keeps it verbatim."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return normalize(value)
    if isinstance(value, _dt.date | _dt.datetime | _dt.time | _dt.timedelta):
        return date_text(value)
    return str(value).strip()


def _is_tw_text(value: CellValue) -> bool:
    return isinstance(value, str) and _TW_TEXT.search(value) is not None


def _title(text: str) -> str:
    """Title-case an ALL-CAPS heading the Indonesian way (particles stay lower case)."""
    if text != text.upper():
        return text
    words = text.lower().split()
    return " ".join(
        w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


Cells = list[tuple[int, CellValue]]  # (physical column, value), non-empty, left to right


# -- the reader --------------------------------------------------------------------------


@dataclass
class _Row:
    row: int
    by_col: dict[int, Cells]  # logical column -> cells
    shifted_from: str | None = None

    def texts(self, n: int) -> list[tuple[int, str]]:
        return [(c, t) for c, v in self.by_col.get(n, []) if (t := _text(v))]

    def first_text(self, n: int) -> tuple[int, str] | None:
        ts = self.texts(n)
        return ts[0] if ts else None


class _Reader:
    def __init__(self, grid: Grid, header: Header) -> None:
        self.grid = grid
        self.h = header
        self.sheet = grid.sheet
        self.rak = Rak(src=Source(sheet=grid.sheet, row=header.numbering_row))
        self.conv: Convention = "id"
        self.s: Sasaran | None = None
        self.p: Program | None = None
        self.k: Kegiatan | None = None
        self._cells: dict[int, Cells] = {}

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

    def split(self, r: int) -> _Row:
        by_col: dict[int, Cells] = {}
        logical_of, first = self.h.logical_of, self.h.first(1)  # hoisted: once per row
        for c, v in self.cells(r):
            n = logical_of.get(c, 0 if c < first else BEYOND)
            if n in (0, COMPUTED):
                continue
            by_col.setdefault(n, []).append((c, v))
        return _Row(r, by_col)

    def addr(self, r: int, c: int) -> str:
        return a1(r, c)

    # -- top level -----------------------------------------------------------------------
    def read(self) -> Rak:
        h = self.h
        last = self.grid.last_row
        self._read_title()
        sig_rows = self._read_signature(h.numbering_row + 1, last)
        body = [
            r
            for r in range(h.numbering_row + 1, last + 1)
            if r not in h.header_rows and r not in sig_rows
        ]
        rows = {r: self.split(r) for r in body}
        sig_top = min(sig_rows, default=last + 1)
        # The last data row, searched from the bottom: no need to classify every row.
        table_end = next(
            (r for r in reversed(body) if r < sig_top and self._is_data(rows[r])),
            h.numbering_row,
        )
        self.conv = detect_convention(  # votes: the order of the texts does not matter
            v
            for r in body
            if r <= table_end
            for n, cells in rows[r].by_col.items()
            if n in _CONVENTION_COLS
            for _, v in cells
            if isinstance(v, str)
        )
        for r in body:
            if r > table_end:
                # Our own formula columns hold no user text: a row of only those is not a note.
                values = tuple(
                    _keep(v) for c, v in self.cells(r) if h.logical_of.get(c) != COMPUTED
                )
                if values and not self._is_layout_total(rows[r]):
                    self._sig_extra.append((r, values))
                continue
            self._row(rows[r])
        self.rak.catatan = [values for _, values in sorted(self._sig_extra, key=lambda x: x[0])]
        return self.rak

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
        # Rows below the table that are not the signature: (sheet row, values), user data.
        self._sig_extra: list[tuple[int, tuple[StrayValue, ...]]] = []
        nip_at: tuple[int, int, str] | None = None
        for r in range(start, last + 1):
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
                self._sig_extra.append((r, extra))
        return rows

    # -- row classification ----------------------------------------------------------------
    def _is_total(self, row: _Row) -> bool:
        """A totals row: ours (upper-case JUMLAH/TOTAL/SELISIH in the kegiatan uraian column)
        or the user's own (such a label in any case, with sums in the month columns).
        Neither has an indikator or a volume. A note that merely starts with "Jumlah" is not.
        """
        if row.by_col.get(8) or row.by_col.get(9):
            return False
        for n in range(1, 11):
            for _, v in row.by_col.get(n, []):
                if isinstance(v, str) and v.strip():
                    if not _TOTAL_ROW.match(v):
                        return False
                    if n == 7 and v.lstrip()[:1].isupper() and v.split()[0].isupper():
                        return True
                    return any(
                        isinstance(x, int | float) and not isinstance(x, bool)
                        for m in MONTH_COLS
                        for _, x in row.by_col.get(m, [])
                    )
        return False

    def _is_layout_total(self, row: _Row) -> bool:
        """A total row of the official layout (uppercase JUMLAH/SELISIH/TOTAL in column 7,
        e.g. the grand total under the last kegiatan): not a note, skipped like the others.
        """
        cells = row.by_col.get(7, [])
        first = cells[0][1] if cells else None
        return (
            isinstance(first, str)
            and re.match(r"\s*(JUMLAH|SELISIH|TOTAL)\b", first) is not None
            and not any(row.by_col.get(n) for n in range(1, 7))
            and self._is_total(row)
        )

    def _is_data(self, row: _Row) -> bool:
        if not row.by_col:
            return False
        if self._is_total(row) or row.by_col.get(10):
            return True  # totals rows and target cells belong to the table
        if row.first_text(4) or row.first_text(7):
            return True
        if row.first_text(1) and (row.by_col.get(2) or row.by_col.get(3)):
            return True
        if any(_is_tw_text(v) for n in (3, 6, 10) for _, v in row.by_col.get(n, [])):
            return True
        if any(
            isinstance(v, int | float) and not isinstance(v, bool)
            for n in (3, 6, *range(9, BEYOND))
            for _, v in row.by_col.get(n, [])
        ):
            return True
        return self._shift(row) is not None

    def _shift(self, row: _Row) -> _Row | None:
        """Realign a kegiatan row that sits sideways: uraian, indikator, Vol. & Sat., amounts."""
        if row.first_text(7):
            return None
        seq = [(n, c, v) for n in sorted(row.by_col) for c, v in row.by_col[n]]
        if len(seq) < 4:
            return None
        (n0, c0, v0), (_, c1, v1), (n2, c2, v2) = seq[:3]
        if not (_text(v0) and _text(v1)) or _is_tw_text(v0) or _is_tw_text(v1):
            return None
        if not (isinstance(v2, str) and _VOL_TEXT.match(v2)) or n0 == 7:
            return None
        if not 1 <= n0 <= 8 or n2 >= 11:
            return None
        rest = seq[3:]
        by_col: dict[int, Cells] = {7: [(c0, v0)], 8: [(c1, v1)], 9: [(c2, v2)]}
        start = n2 + 1
        if rest and _is_tw_text(rest[0][2]):
            by_col[10] = [(rest[0][1], rest[0][2])]
            start = rest[0][0] + 1
            rest = rest[1:]
        for _, _, v in rest:
            ok = isinstance(v, int | float) or (
                isinstance(v, str) and (is_dash(v) or parse_number(v) is not None)
            )
            if not ok and v is not rest[-1][2]:
                return None
        slots: dict[int, Cells] = {}
        positional = len({n for n, _, _ in rest if n < BEYOND}) == len(
            [1 for n, _, _ in rest if n < BEYOND]
        )
        first_c = rest[0][1] if rest else 0
        for n, c, v in rest:
            # Logical positions when each value has a column of its own; else the physical
            # distance from the first amount (a row typed one cell per month).
            slot = (n - start if n < BEYOND else 99) if positional else c - first_c
            if slot < 0:
                return None
            target = 11 + slot if slot < 12 else (COL_KET if slot == 12 else BEYOND)
            slots.setdefault(target, []).append((c, v))
        by_col.update(slots)
        return _Row(row.row, by_col, shifted_from=self.addr(row.row, c0))

    # -- building the model ----------------------------------------------------------------
    def _row(self, row: _Row) -> None:
        if not row.by_col or self._is_total(row):
            return
        t1, t4, t7 = row.first_text(1), row.first_text(4), row.first_text(7)
        if not t7:
            shifted = self._shift(row)
            if shifted is not None:
                row, t1, t4, t7 = shifted, None, None, shifted.first_text(7)
        if not (t1 or t4 or t7):
            self._continuation(row, range(1, BEYOND + 1))
            return
        if t1:
            self._new_sasaran(row, t1)
        else:
            self._continuation(row, range(1, 4))
        if t4:
            self._new_program(row, t4)
        elif t1:
            self._stray_cells(
                self.s, [cv for n in (4, 5, 6) for cv in row.by_col.get(n, [])], row.row
            )
        else:
            self._continuation(row, range(4, 7))
        if t7:
            self._new_kegiatan(row, t7)
        else:
            self.k = None
            rest = [cv for n in range(7, BEYOND + 1) for cv in row.by_col.get(n, [])]
            self._stray_cells(self.p or self.s, rest, row.row)

    def _src(self, r: int) -> Source:
        return Source(sheet=self.sheet, row=r)

    def _new_sasaran(self, row: _Row, t1: tuple[int, str]) -> None:
        r = row.row
        s = Sasaran(uraian=_clean(t1[1]), src=self._src(r))
        s.src.cells["uraian"] = self.addr(r, t1[0])
        self._extra_texts(s, row, 1, skip=t1[0])
        s.indikator = self._indikator(s, row, 2)
        self._targets_sasaran(s, row)
        self.rak.sasaran.append(s)
        self.s, self.p, self.k = s, None, None

    def _ensure_sasaran(self, r: int, c: int) -> Sasaran:
        if self.s is None:
            self.s = Sasaran(uraian=None, src=self._src(r))
            self.s.src.cells["uraian"] = self.addr(r, c)
            self.rak.sasaran.append(self.s)
        return self.s

    def _new_program(self, row: _Row, t4: tuple[int, str]) -> None:
        r = row.row
        s = self._ensure_sasaran(r, t4[0])
        p = Program(uraian=_clean(t4[1]), src=self._src(r))
        p.src.cells["uraian"] = self.addr(r, t4[0])
        self._extra_texts(p, row, 4, skip=t4[0])
        p.indikator = self._indikator(p, row, 5)
        self._targets_program(p, row)
        s.program.append(p)
        self.p, self.k = p, None

    def _new_kegiatan(self, row: _Row, t7: tuple[int, str]) -> None:
        r = row.row
        if self.p is None:
            s = self._ensure_sasaran(r, t7[0])
            self.p = Program(uraian=None, src=self._src(r))
            self.p.src.cells["uraian"] = self.addr(r, t7[0])
            s.program.append(self.p)
        k = Kegiatan(uraian=_clean(t7[1]), src=self._src(r))
        k.src.cells["uraian"] = self.addr(r, t7[0])
        k.src.shifted_from = row.shifted_from
        self._extra_texts(k, row, 7, skip=t7[0])
        k.indikator = self._indikator(k, row, 8)
        self._volume(k, row)
        self._targets_kegiatan(k, row)
        self._cash(k, row)
        self._ket(k, row)
        self._stray_cells(k, row.by_col.get(BEYOND, []), r)
        self.p.kegiatan.append(k)
        self.k = k

    def _extra_texts(
        self, item: Sasaran | Program | Kegiatan, row: _Row, n: int, skip: int
    ) -> None:
        self._stray_cells(item, [(c, v) for c, v in row.by_col.get(n, []) if c != skip], row.row)

    def _indikator(self, item: Sasaran | Program | Kegiatan, row: _Row, n: int) -> str | None:
        cells = row.by_col.get(n, [])
        item.src.cells["indikator"] = self.addr(row.row, cells[0][0] if cells else self.h.first(n))
        texts = [
            strip_list_number(_clean(str(v)))
            for _, v in cells
            if isinstance(v, str) and not is_dash(v)
        ]
        others = [(c, v) for c, v in cells if not isinstance(v, str)]
        self._stray_cells(item, others, row.row)
        return "; ".join(texts) if texts else None

    def _stray_cells(
        self,
        item: Sasaran | Program | Kegiatan | None,
        cells: Iterable[tuple[int, CellValue]],
        r: int,
    ) -> None:
        for c, v in cells:
            if isinstance(v, str) and is_dash(v):
                continue
            if item is None:
                self.rak.catatan_atas.append((_keep(v),))
                continue
            item.src.cells.setdefault(f"stray.{len(item.stray)}", self.addr(r, c))
            item.stray.append(_keep(v))

    # -- values ----------------------------------------------------------------------------
    def _number(self, value: CellValue) -> tuple[Number | None, str | None]:
        """(number, None) | (None, None) for empty/dash | (None, raw text) when unreadable."""
        if isinstance(value, bool):
            return None, _keep(value).__str__()
        if isinstance(value, int | float):
            return normalize(value), None
        if isinstance(value, str):
            if is_dash(value) or not value.strip():
                return None, None
            num = parse_number(value, self.conv)
            return (num, None) if num is not None else (None, value.strip())
        if value is None:
            return None, None
        return None, str(_keep(value))

    def _volume(self, k: Kegiatan, row: _Row) -> None:
        cells = row.by_col.get(9, [])
        k.src.cells["volume"] = self.addr(row.row, cells[0][0] if cells else self.h.first(9))
        for c, v in cells:
            role = self.h.role.get(c)
            if isinstance(v, str) and is_dash(v):
                continue
            if role == "satuan" and isinstance(v, str) and k.satuan is None:
                k.satuan = _clean(v)
                k.src.cells["satuan"] = self.addr(row.row, c)
            elif isinstance(v, str) and k.volume is None and k.satuan is None:
                k.volume, k.satuan = split_volume(v, self.conv)
            elif isinstance(v, str) and k.volume is not None and k.satuan is None and _text(v):
                k.satuan = _clean(v)
            elif isinstance(v, int | float) and not isinstance(v, bool) and k.volume is None:
                k.volume = normalize(v)
                k.src.cells["volume"] = self.addr(row.row, c)
            else:
                self._stray_cells(k, [(c, v)], row.row)

    def _apply_text_targets(
        self, item: Sasaran | Program | Kegiatan, text: str, where: str, quarter: int | None
    ) -> bool:
        """Apply ``TW n = x`` text; False when it is not target text at all."""
        t = parse_targets(text, self.conv)
        if not t.found:
            return False
        for q in t.labelled:
            item.target_tw[q] = t.tw[q]
            item.src.cells[f"target_tw.{q}"] = where
        if t.tahunan is not None and isinstance(item, Sasaran):
            item.target_tahunan = t.tahunan
            item.src.cells["target_tahunan"] = where
        if t.anggaran is not None and isinstance(item, Program):
            item.anggaran = t.anggaran
            item.src.cells["anggaran"] = where
        if not t.ok:
            key = "target_tw" if quarter is None else f"target_tw.{quarter}"
            item.raw[key] = text.strip()
        return True

    def _quarter_value(
        self, item: Sasaran | Program | Kegiatan, q: int, value: CellValue, where: str
    ) -> None:
        num, raw = self._number(value)
        if raw is not None:
            item.raw[f"target_tw.{q}"] = raw
        elif num is not None:
            item.target_tw[q] = num
        item.src.cells[f"target_tw.{q}"] = where

    def _quarter_column(
        self, item: Sasaran | Program | Kegiatan, c: int, v: CellValue, where: str
    ) -> bool:
        """A value in a sub-column labelled with its quarter (TW I .. TW IV)."""
        role = self.h.role.get(c, "")
        if not role.startswith("q"):
            return False
        if not (isinstance(v, str) and is_dash(v)):
            self._quarter_value(item, int(role[1]), v, where)
        return True

    def _targets_kegiatan(self, k: Kegiatan, row: _Row) -> None:
        r, cells = row.row, row.by_col.get(10, [])
        first = self.addr(r, cells[0][0] if cells else self.h.first(10))
        k.src.cells["target_tw"] = first
        k.src.cells["target_tw.0"] = first
        texts = [(c, v) for c, v in cells if isinstance(v, str) and _text(v)]
        has_text = any(parse_targets(v, self.conv).found for _, v in texts)
        numbers_used = False
        for c, v in cells:
            where = self.addr(r, c)
            if self._quarter_column(k, c, v, where):
                continue
            if isinstance(v, str) and _text(v):
                if not self._apply_text_targets(k, v, where, None):
                    k.raw["target_tw"] = v.strip()
            elif isinstance(v, str) and is_dash(v):
                continue
            elif not has_text and not numbers_used:
                self._quarter_value(k, 0, v, where)
                numbers_used = True
            else:
                self._stray_cells(k, [(c, v)], r)

    def _targets_sasaran(self, s: Sasaran, row: _Row) -> None:
        r, cells = row.row, row.by_col.get(3, [])
        first = self.addr(r, cells[0][0] if cells else self.h.first(3))
        s.src.cells.update({"target_tw": first, "target_tahunan": first, "target_tw.0": first})
        for c, v in cells:
            where, role = self.addr(r, c), self.h.role.get(c)
            if self._quarter_column(s, c, v, where):
                continue
            if isinstance(v, str) and _text(v):
                if not self._apply_text_targets(s, v, where, None):
                    s.raw["target_tw"] = v.strip()
                continue
            if isinstance(v, str) and is_dash(v):
                continue
            if role == "tw" or (role is None and s.target_tahunan is not None):
                self._quarter_value(s, 0, v, where)
                continue
            num, raw = self._number(v)
            if raw is not None:
                s.raw["target_tahunan"] = raw
            s.target_tahunan = num
            s.src.cells["target_tahunan"] = where

    def _targets_program(self, p: Program, row: _Row) -> None:
        r, cells = row.row, row.by_col.get(6, [])
        first = self.addr(r, cells[0][0] if cells else self.h.first(6))
        p.src.cells.update({"target_tw": first, "target_tw.0": first, "anggaran": first})
        anggaran_cols = [c for c in self.h.cols[6] if self.h.role.get(c) == "anggaran"]
        if anggaran_cols:
            p.src.cells["anggaran"] = self.addr(r, anggaran_cols[0])
        plain = [
            (c, v)
            for c, v in cells
            if not (isinstance(v, str) and (_text(v) or is_dash(v)))
            and not self.h.role.get(c, "").startswith("q")
        ]
        for c, v in cells:
            where, role = self.addr(r, c), self.h.role.get(c)
            if self._quarter_column(p, c, v, where):
                continue
            if isinstance(v, str) and is_dash(v):
                continue
            if isinstance(v, str) and _text(v):
                if not self._apply_text_targets(p, v, where, None):
                    p.raw["target_tw"] = v.strip()
                continue
            num, raw = self._number(v)
            is_money = role == "anggaran" or (
                role is None
                and (
                    (len(plain) >= 2 and (c, v) == plain[-1])
                    or (len(plain) == 1 and num is not None and abs(num) >= 100_000)
                )
            )
            if is_money and p.anggaran is None:
                p.anggaran = num
                if raw is not None:
                    p.raw["anggaran"] = raw
                p.src.cells["anggaran"] = where
            elif p.target_tw[0] is None and "target_tw.0" not in p.raw:
                self._quarter_value(p, 0, v, where)
            else:
                self._stray_cells(p, [(c, v)], r)

    def _cash(self, k: Kegiatan, row: _Row) -> None:
        r = row.row
        for i, n in enumerate(MONTH_COLS):
            cells = row.by_col.get(n, [])
            key = _KAS_KEYS[i]
            if not cells:  # else the first cell below names it (one address, not two)
                k.src.cells[key] = self.addr(r, self.h.first(n))
            placed = False
            for c, v in cells:
                if placed:
                    self._stray_cells(k, [(c, v)], r)
                    continue
                num, raw = self._number(v)
                k.src.cells[key] = self.addr(r, c)
                k.kas_bulanan[i] = num if num is not None else 0
                if raw is not None:
                    k.raw[key] = raw
                placed = not (isinstance(v, str) and is_dash(v))

    def _ket(self, k: Kegiatan, row: _Row) -> None:
        cells = row.by_col.get(COL_KET, [])
        k.src.cells["ket"] = self.addr(row.row, cells[0][0] if cells else self.h.first(COL_KET))
        for c, v in cells:
            if isinstance(v, str) and not is_dash(v) and _text(v) and k.ket is None:
                k.ket = _clean(v)
                k.src.cells["ket"] = self.addr(row.row, c)
            else:
                self._stray_cells(k, [(c, v)], row.row)

    # -- continuation rows (TW 2..4 on rows of their own, stray values) ---------------------
    def _continuation(self, row: _Row, logical: range) -> None:
        r = row.row
        owners: dict[int, Sasaran | Program | Kegiatan | None] = {3: self.s, 6: self.p, 10: self.k}
        for n, cells in sorted(row.by_col.items()):
            if n not in logical:
                continue
            owner = owners.get(n)
            if owner is None:
                deepest = self.k or self.p or self.s
                if n in (2, 5, 8) and deepest is not None:
                    item = {2: self.s, 5: self.p, 8: self.k}[n]
                    texts = [_clean(str(v)) for _, v in cells if isinstance(v, str) and _text(v)]
                    if item is not None and texts:
                        item.indikator = "; ".join(
                            [*([item.indikator] if item.indikator else []), *texts]
                        )
                        cells = [(c, v) for c, v in cells if not (isinstance(v, str) and _text(v))]
                self._stray_cells(deepest, cells, r)
                continue
            q = r - owner.src.row
            for c, v in cells:
                where = self.addr(r, c)
                if isinstance(v, str) and is_dash(v):
                    continue
                if isinstance(v, str) and _text(v):
                    quarter = q if 0 < q < 4 else None
                    if self._apply_text_targets(owner, v, where, quarter):
                        continue
                    if quarter is not None and f"target_tw.{q}" not in owner.raw:
                        owner.raw[f"target_tw.{q}"] = v.strip()  # unreadable target text
                        owner.src.cells[f"target_tw.{q}"] = where
                    else:
                        self._stray_cells(owner, [(c, v)], r)
                    continue
                role = self.h.role.get(c)
                if (
                    role in ("anggaran", "tahunan")
                    or not 0 < q < 4
                    or owner.target_tw[q] is not None
                ):
                    self._stray_cells(owner, [(c, v)], r)
                else:
                    self._quarter_value(owner, q, v, where)


def read_rak(grid: Grid) -> Rak:
    """Read the RAK table of ``grid``; raises NoRakTable when there is none."""
    header = find_header(grid)
    if header is None:
        raise NoRakTable(
            f"Sheet '{grid.sheet}' tidak berisi tabel RAK: baris penomoran kolom 1 sampai 23 "
            "tidak ditemukan."
        )
    return _Reader(grid, header).read()


def iter_items(rak: Rak) -> Iterator[Sasaran | Program | Kegiatan]:
    """Every sasaran, program and kegiatan in sheet order."""
    for s in rak.sasaran:
        yield s
        for p in s.program:
            yield p
            yield from p.kegiatan
