"""Where the RAK table sits: the column-numbering row 1..23 and the column map.

The numbering row is the landmark: templates differ in physical layout, never in that
row. Each logical column maps to the physical columns from its number up to the next
number, so wide merged columns and blank separator columns need no special case;
sub-columns (Target | Anggaran, Vol. | Sat., TW I .. TW IV, Kode | Uraian) are told apart
by label.

Two forms (``rak_xl.forms``): numbers 1..26 with *Januari* above number 14 are the
4-level form (with Sub Kegiatan, since 2021); anything else numbered 1..23 is the 2020
form, as before (a 2020 sheet whose user numbered columns right of KET 24..26 has
*April* above 14, and stays a 2020 sheet). ``Header.cols`` is keyed by the reader's ids
(``Form.read_id``), so the reader asks for a column by meaning in either form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rak_xl.forms import FORM_2020, FORM_2021, Form
from rak_xl.grid import CellValue, Grid
from rak_xl.sheet_spec import (
    BEYOND,
    COMPUTED,
    COMPUTED_LABEL,
    N_COLS,
    QUARTER_ID,
    QUARTER_WORD,
    STRAY_LABEL,
    KegiatanCol,
    LogicalCol,
    quarter_index,
)

__all__ = ["Header", "find_header"]

_HEADER_WORDS = re.compile(
    r"sasaran|program|kegiatan|uraian|indikator|target|anggaran|januari|ket\b|vol|sat\.|"
    r"kinerja|triwulan|\btw\b|bulan",
    re.IGNORECASE,
)
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
    form: Form = FORM_2020

    def first(self, logical: int) -> int:
        return self.cols[logical][0]


def _as_int(value: CellValue) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    if isinstance(value, str):
        t = value.strip().strip("()").strip()
        if t.isascii() and t.isdigit() and len(t) <= 3:
            return int(t)
    return None


def _numbering_positions(row: list[CellValue], first_col: int) -> list[int] | None:
    """Physical columns of 1..n (n >= 23, at most the 4-level form's 26) when ``row`` is
    a column-numbering row: the first run of consecutive numbers from 1 that long."""
    if len(row) - row.count(None) < N_COLS:
        return None  # fewer than 23 values (most rows): rejected at C speed
    nums = [(first_col + j, n) for j, v in enumerate(row) if (n := _as_int(v)) is not None]
    for start in range(len(nums)):
        if nums[start][1] != 1:
            continue
        run = nums[start : start + FORM_2021.n_cols]
        length = _count_length(run)
        if length >= N_COLS:
            return [c for c, _ in run[:length]]
    return None


def _count_length(run: list[tuple[int, int]]) -> int:
    """How far ``run`` counts 1, 2, 3, ..., allowing one mistyped number (``777`` where
    ``21`` belongs) when the number after it resumes the count: a typo in the numbering
    row must not hide the table (the repeated header of page 2 would be taken for its
    start, and page 1's rows for text above the table). A missing number is no typo: the
    columns after it would be taken one place off."""
    typo = False
    for i, (_, n) in enumerate(run):
        if n == i + 1:
            continue
        if not typo and i + 1 < len(run) and run[i + 1][1] == i + 2:
            typo = True
            continue
        return i
    return len(run)


class _Merged:
    """Resolve a cell inside a merged range to the range's top-left value."""

    def __init__(self, grid: Grid, rows: set[int]) -> None:
        self.grid = grid
        self.map: dict[tuple[int, int], tuple[int, int]] = {}
        self.right: dict[tuple[int, int], int] = {}
        lo, hi = (min(rows), max(rows)) if rows else (1, 0)
        for r1, c1, r2, c2 in grid.merges[:_MAX_MERGES]:
            if r2 < lo or r1 > hi:
                continue  # wholly above or below the header (most merges: the table body)
            for r in range(r1, r2 + 1):
                if r not in rows:
                    continue
                self.right[(r, c1)] = c2
                for c in range(c1, min(c2, c1 + 200) + 1):
                    self.map[(r, c)] = (r1, c1)

    def text(self, row: int, col: int, right_of: int = 0) -> str:
        """The text shown at (``row``, ``col``); "" when it is written in a column left of
        or at ``right_of`` (a title merged across the whole sheet is no column's label)."""
        r, c = self.map.get((row, col), (row, col))
        v = self.grid.value(r, c) if c > right_of else None
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
    found = _numbering_rows(grid)
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
    labels = range(top, numbering_row + 1)
    form = _form_of(pos, merged, labels)
    cols = _column_map(pos[: form.n_cols], merged, labels, form)
    computed_inside = _computed_in_months(cols, merged, labels)
    right = _right_of_ket(merged, labels, cols[LogicalCol.KET][-1], grid.last_col)
    cols[LogicalCol.KET] += [c for c, n in right.items() if n == N_COLS]
    logical_of = {c: n for n, cs in cols.items() for c in cs}
    logical_of.update(dict.fromkeys(computed_inside, COMPUTED))
    logical_of.update(right)
    role = _roles(cols, merged, numbering_row, top, form)
    return Header(numbering_row, top, cols, logical_of, role, frozenset(header_rows), repeats, form)


_JANUARI_LABEL = re.compile(r"^\s*jan", re.IGNORECASE)


def _form_of(pos: list[int], merged: _Merged, labels: range) -> Form:
    """The 4-level form when the row numbers 1..26 and *Januari* heads number 14."""
    if len(pos) < FORM_2021.n_cols:
        return FORM_2020
    c = pos[FORM_2021.januari - 1]
    found = any(_JANUARI_LABEL.match(merged.text(r, c)) for r in labels)
    return FORM_2021 if found else FORM_2020


def _right_of_ket(merged: _Merged, labels: range, ket_last: int, last_col: int) -> dict[int, int]:
    """Logical column of each physical column right of KET: one of our formula columns
    (COMPUTED) by its label; KET itself for a labelled column next to it (a wide KET or a
    column of its own such as "Penanggung Jawab", with any blank columns between): the
    table ends at its last header column; BEYOND for the rest (stray values)."""
    out: dict[int, int] = {}
    pending: list[int] = []  # blank-headed columns after KET, KET's if a label follows
    extending = True
    for c in range(ket_last + 1, last_col + 1):
        texts = [t for r in labels if (t := merged.text(r, c, right_of=ket_last))]
        if any(COMPUTED_LABEL.match(t) for t in texts):
            out[c] = COMPUTED
            extending = False
        elif extending and texts and not any(STRAY_LABEL.match(t) for t in texts):
            out.update(dict.fromkeys([*pending, c], N_COLS))
            pending = []
        else:
            if texts:
                extending = False  # our "values outside the table" column: strays from here
            out[c] = BEYOND
            if extending:
                pending.append(c)
    return out


def _numbering_rows(grid: Grid) -> list[tuple[int, list[int]]]:
    """(sheet row, physical columns of 1..23) of every column-numbering row."""
    found: list[tuple[int, list[int]]] = []
    for i, row in enumerate(grid.rows):
        pos = _numbering_positions(row, grid.first_col)
        if pos is not None:
            found.append((grid.first_row + i, pos))
    return found


def _computed_in_months(cols: dict[int, list[int]], merged: _Merged, labels: range) -> list[int]:
    """Formula columns inside a month's span (the layout's ``Jumlah Setahun`` beside
    December), told by their label: taken out of the month, so the reader skips them as
    it skips those right of KET. A month's first column is always the month."""
    found: list[int] = []
    for n in range(LogicalCol.JANUARI, LogicalCol.DESEMBER + 1):
        for c in cols[n][1:]:
            if any(COMPUTED_LABEL.match(t) for r in labels if (t := merged.text(r, c))):
                found.append(c)
        cols[n] = [c for c in cols[n] if c not in found]
    return found


def _column_map(pos: list[int], merged: _Merged, labels: range, form: Form) -> dict[int, list[int]]:
    """Reader id -> its physical columns: from its number up to the next number; KET
    also over the columns its header cells are merged across."""
    ket_last = pos[-1]
    for r in labels:
        ket_last = max(ket_last, merged.right.get((r, pos[-1]), pos[-1]))
    cols: dict[int, list[int]] = {}
    n_cols = len(pos)
    for n in range(1, n_cols + 1):
        end = pos[n] - 1 if n < n_cols else ket_last
        cols[form.read_id[n - 1]] = list(range(pos[n - 1], end + 1))
    return cols


def _roles(
    cols: dict[int, list[int]], merged: _Merged, numbering_row: int, top: int, form: Form
) -> dict[int, str]:
    """Physical sub-column -> tahunan|tw|target|anggaran|volume|satuan|kode|q0..q3, by
    the nearest label above the numbering row."""
    role: dict[int, str] = {}
    for n, kinds in _ROLE_KINDS[form.tingkat]:
        if len(cols[n]) < 2:
            continue
        for c in cols[n]:
            label = ""
            for r in range(numbering_row - 1, top - 1, -1):
                label = merged.text(r, c)
                if label:
                    break
            # One physical column per quarter ("TW I" .. "TW IV") beats every other reading.
            quarters = n != LogicalCol.K_VOLUME and n not in form.kode_cols
            q = _label_quarter(label) if quarters else None
            kind = f"q{q}" if q is not None else kinds(label.lower())
            if kind:
                role[c] = kind
    return role


_QUARTER_LABEL = re.compile(rf"^(?:target\s+)?(?:{QUARTER_WORD}\s*\.?\s*)?({QUARTER_ID})$", re.I)


def _label_quarter(label: str) -> int | None:
    m = _QUARTER_LABEL.match(label.strip())
    return quarter_index(m.group(1)) if m else None


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


def _role_kode(label: str) -> str | None:
    return "kode" if "kode" in label else None


def _role_volume(label: str) -> str | None:
    vol, sat = "vol" in label, "sat" in label
    if vol and not sat:
        return "volume"
    if sat and not vol:
        return "satuan"
    return None


_RoleKinds = tuple[tuple[int, Callable[[str], str | None]], ...]
# Which columns have sub-columns told apart by label, and how, per form (tingkat).
_ROLE_KINDS: dict[int, _RoleKinds] = {
    3: (
        (LogicalCol.S_TARGET, _role_sasaran),
        (LogicalCol.P_TARGET, _role_program),
        (LogicalCol.K_VOLUME, _role_volume),
        (LogicalCol.K_TARGET, _no_role),
    ),
    # The sub kegiatan (under the 2020 kegiatan's ids) has Target TW | Anggaran like the
    # program and the kegiatan; program, kegiatan and sub kegiatan a Kode sub-column.
    4: (
        (LogicalCol.S_TARGET, _role_sasaran),
        (LogicalCol.P_URAIAN, _role_kode),
        (LogicalCol.P_TARGET, _role_program),
        (KegiatanCol.URAIAN, _role_kode),
        (KegiatanCol.TARGET, _role_program),
        (LogicalCol.K_URAIAN, _role_kode),
        (LogicalCol.K_VOLUME, _role_volume),
        (LogicalCol.K_TARGET, _role_program),
    ),
}
