"""Findings as workbook marks: a pure plan that the openpyxl and xlwings adapters apply.

What a plan says:
- a fill colour per offending cell (the most serious severity on that cell wins);
- a cell note per offending cell, every finding of that cell in it, starting with
  ``NOTE_PREFIX`` so that our notes are recognised;
- the rows of the findings sheet ``Temuan``: a summary at the top, a header, then one row
  per finding with a hyperlink location to its cell.

How marking again removes the previous marks without touching the user's own fills and
notes: every marked cell is recorded in the very hidden sheet ``_rak_xl`` (one row per
cell: sheet, cell, the fill we set, the cell's fill before, the user's note before, as
JSON). Unmarking restores the recorded fill only where the cell still has *our* fill (a
fill the user changed since is theirs), removes notes that start with ``NOTE_PREFIX``
(restoring the user's note that was there before), and deletes ``Temuan`` (recognised by
``TEMUAN_MARKER`` in A1) and ``_rak_xl``. Nothing in the plan depends on time, so marking
twice gives the same content as marking once.

Marks are per RAK sheet: a workbook with both forms filled (the template's ``RAK`` and
``RAK Sub Kegiatan``) may carry the marks of each. Each record names its sheet, and each
findings sheet names the sheet it lists in C1 (``Lembar: RAK``, ``temuan_of``): marking or
unmarking one sheet touches only its records, its notes and its findings sheet; the
records of the other sheets stay in ``_rak_xl``. Records written before (one sheet per
book) are read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rak_xl.layout.metrics import column_width, row_height, wrapped_lines
from rak_xl.layout.plan import PrintSetup
from rak_xl.report import SEVERITY_LABEL, named_code
from rak_xl.rules.findings import SEVERITIES, Finding, Report, Severity

__all__ = [
    "FILLS",
    "NOTE_PREFIX",
    "STATE_HEADER",
    "STATE_SHEET",
    "TEMUAN_HEADER",
    "TEMUAN_MARKER",
    "TEMUAN_SHEET",
    "USER_NOTE_ONLY",
    "USER_NOTE_SEP",
    "CellMark",
    "CellNow",
    "MarkPlan",
    "MarkRecord",
    "Restore",
    "TemuanLook",
    "TemuanRow",
    "is_our_note",
    "link_location",
    "note_with_user",
    "plan_marks",
    "plan_unmark",
    "records_from_rows",
    "records_to_rows",
    "temuan_look",
    "temuan_of",
    "user_part_of_note",
]

# Light fills that keep black text readable: red, amber, blue (RRGGBB).
FILLS: dict[str, str] = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
NOTE_PREFIX = "rak-xl:"
# Between our findings and the user's own note when a cell had one already.
USER_NOTE_SEP = "\n\n--- catatan asli ---\n"
TEMUAN_SHEET = "Temuan"
TEMUAN_MARKER = "Temuan rak-xl"
STATE_SHEET = "_rak_xl"
STATE_HEADER = ("sheet", "cell", "fill", "fill_sebelum", "catatan_sebelum", "gaya_sebelum")
# In ``note_before``: the cell had a note of the user's that the adapter could not read,
# so it was left alone and ours not added; the next run must not take it for ours.
USER_NOTE_ONLY = "user_note_only"
TEMUAN_HEADER = ("No", "Tingkat", "Temuan", "Sel", "Baris", "Letak", "Pesan")
TEMUAN_SHEET_LABEL = "Lembar: "  # B1..C1: the RAK sheet the findings are about


@dataclass(frozen=True)
class CellMark:
    sheet: str
    cell: str
    severity: Severity
    fill: str  # RRGGBB
    note: str  # starts with NOTE_PREFIX


@dataclass(frozen=True)
class TemuanRow:
    values: tuple[str | int | None, ...]
    # Hyperlink location ("'RAK'!G12") for the "Sel" column, None for summary rows.
    link: str | None = None
    severity: Severity | None = None


@dataclass(frozen=True)
class TemuanLook:
    """How the findings sheet looks and prints: column widths (Excel units, measured
    with the font's metrics), row heights (points) for the wrapped columns, one font
    size, landscape and one page wide with the header row repeated."""

    widths: tuple[float, ...]
    heights: Mapping[int, float]
    wrap: frozenset[int]  # 1-based columns whose text wraps (the others stay on a line)
    size: float
    print_setup: PrintSetup


@dataclass(frozen=True)
class MarkPlan:
    marks: tuple[CellMark, ...]
    temuan: tuple[TemuanRow, ...]
    # 0-based index of the header row within ``temuan`` (findings follow it).
    header_index: int
    sheet: str
    look: TemuanLook | None = None


def link_location(sheet: str, cell: str) -> str:
    """Hyperlink location inside the workbook: quotes doubled as Excel wants."""
    return "'{}'!{}".format(sheet.replace("'", "''"), cell)


def _note(findings: list[Finding]) -> str:
    lines = [f"{NOTE_PREFIX} {len(findings)} temuan" if len(findings) > 1 else NOTE_PREFIX]
    for f in findings:
        lines.append(f"[{SEVERITY_LABEL[f.severity]}] {f.message} ({f.code})")
    return "\n".join(lines)


def is_our_note(text: str | None) -> bool:
    return bool(text) and str(text).startswith(NOTE_PREFIX)


def note_with_user(note: str, user_note: str | None) -> str:
    """Our note, with the user's own note kept below it (restored when unmarking)."""
    return note + USER_NOTE_SEP + user_note if user_note else note


def user_part_of_note(text: str) -> str | None:
    """The user's note kept inside one of ours (when the state sheet was lost)."""
    _, sep, user = text.partition(USER_NOTE_SEP)
    return user if sep else None


def plan_marks(report: Report) -> MarkPlan:
    """Fills, notes and the findings sheet for ``report`` (pure: no workbook needed)."""
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        if f.cell:
            by_cell.setdefault((f.sheet or report.sheet, f.cell), []).append(f)
    marks = []
    for (sheet, cell), found in by_cell.items():
        worst = min((f.severity for f in found), key=SEVERITIES.index)
        marks.append(CellMark(sheet, cell, worst, FILLS[worst], _note(found)))

    s = report.summary
    rows: list[TemuanRow] = [
        # A1 runs over the empty B1; the sheet's name has the wide column C.
        TemuanRow((TEMUAN_MARKER, None, TEMUAN_SHEET_LABEL + report.sheet)),
        TemuanRow(("Kesalahan", s["error"]), severity="error"),
        TemuanRow(("Peringatan", s["warning"]), severity="warning"),
        TemuanRow(("Info", s["info"]), severity="info"),
        TemuanRow(("Klik alamat sel di kolom Sel untuk menuju sel yang bermasalah.",)),
        TemuanRow(()),
        TemuanRow(TEMUAN_HEADER),
    ]
    header_index = len(rows) - 1
    for i, f in enumerate(sorted(report.findings, key=_severity_then_row), start=1):
        sheet = f.sheet or report.sheet
        rows.append(
            TemuanRow(
                (
                    i,
                    SEVERITY_LABEL[f.severity],
                    named_code(f.code),
                    f.cell,
                    f.row,
                    f.path,
                    f.message,
                ),
                link=link_location(sheet, f.cell) if f.cell else None,
                severity=f.severity,
            )
        )
    if not report.findings:
        rows.append(TemuanRow(("", "", "", "", "", "", "Tidak ada temuan.")))
    return MarkPlan(
        tuple(marks), tuple(rows), header_index, report.sheet, temuan_look(rows, header_index)
    )


def _severity_then_row(f: Finding) -> tuple[int, int, int]:
    """Errors first, then warnings, then info; each by row (the report's own order
    within a row: column, then the catalogue)."""
    return (SEVERITIES.index(f.severity), f.row if f.row is not None else 1 << 30, 0)


# The findings sheet's text (Arial, as measured) and what each column may take: the
# wrapped ones (Temuan, Letak, Pesan) at most these widths, the others as wide as they
# need. At 9 pt the seven columns fit an A4 landscape page at about 100 %.
TEMUAN_PT = 9.0
_TEMUAN_MAX = (12.0, 12.0, 26.0, 9.0, 7.0, 30.0, 62.0)
_TEMUAN_WRAP = frozenset({3, 6, 7})


def temuan_look(
    rows: Sequence[TemuanRow], header_index: int, font: str = "Arial", size: float = TEMUAN_PT
) -> TemuanLook:
    """Widths from the longest text of each column (the header and the findings, and the
    summary labels in A and B; the title and the hint run over empty cells), heights from
    the lines the wrapped columns need, in ``font`` at ``size``."""
    measured: list[list[str]] = [[] for _ in TEMUAN_HEADER]
    for i, row in enumerate(rows):
        if i == 0 or (i < header_index and len(row.values) == 1):
            continue  # A1 and the hint line run over the empty cells beside them
        for j, v in enumerate(row.values):
            if v is not None and v != "":
                measured[j].append(str(v))
    widths = []
    for j, texts in enumerate(measured):
        # The header is bold; +0.5 for it, and for the width of a wrapped text's longest
        # word (it never breaks inside a word).
        words = [w for t in texts for w in t.split()] if j + 1 in _TEMUAN_WRAP else texts
        need = column_width([*words, TEMUAN_HEADER[j]], size, bold=True, font=font)
        if j + 1 in _TEMUAN_WRAP:
            most = _TEMUAN_MAX[j] * size / TEMUAN_PT
            need = max(need, min(column_width(texts, size, font=font), most))
        widths.append(need if j + 1 in _TEMUAN_WRAP else max(need, 4.0))
    heights: dict[int, float] = {}
    for i, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        lines = max(
            (
                wrapped_lines(str(v), widths[j], size, font=font)
                for j, v in enumerate(row.values)
                if j + 1 in _TEMUAN_WRAP and v
            ),
            default=1,
        )
        heights[i] = row_height(lines, size, font)
    setup = PrintSetup(
        landscape=True,
        fit_width=1,
        fit_height=0,
        title_rows=(header_index + 1, header_index + 1),
        margins_in=(0.4, 0.4, 0.5, 0.6),
    )
    return TemuanLook(tuple(widths), heights, _TEMUAN_WRAP, size, setup)


@dataclass(frozen=True)
class MarkRecord:
    """One marked cell as kept in the state sheet (JSON texts, as the adapter wrote them).

    ``fill_before``: the cell's fill before (``{"patternType", "fg", "bg"}``, None for
    none), read by every adapter. ``style_before``: what the file adapter needs to put
    the cell's format back exactly (its cell-format indexes); other adapters leave it
    None.
    """

    sheet: str
    cell: str
    fill: str
    fill_before: dict[str, Any] | None
    note_before: dict[str, Any] | None
    style_before: dict[str, Any] | None = None


def records_to_rows(records: list[MarkRecord]) -> list[list[str]]:
    rows = [list(STATE_HEADER)]
    for r in records:
        rows.append(
            [
                r.sheet,
                r.cell,
                r.fill,
                json.dumps(r.fill_before, sort_keys=True) if r.fill_before else "",
                json.dumps(r.note_before, sort_keys=True) if r.note_before else "",
                json.dumps(r.style_before, sort_keys=True) if r.style_before else "",
            ]
        )
    return rows


def _json(text: object) -> dict[str, Any] | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def records_from_rows(rows: Iterable[Sequence[object]]) -> list[MarkRecord]:
    """Read the state sheet back; rows that do not look like ours are skipped."""
    out = []
    for row in rows:
        cells = [*row, None, None, None, None, None, None][:6]
        sheet, cell, fill = cells[0], cells[1], cells[2]
        if fill is None:
            fill = ""  # a gradient cell: marked by its note only
        if not (isinstance(sheet, str) and isinstance(cell, str) and isinstance(fill, str)):
            continue
        if (sheet, cell) == STATE_HEADER[:2]:
            continue
        out.append(MarkRecord(sheet, cell, fill, _json(cells[3]), _json(cells[4]), _json(cells[5])))
    return out


def temuan_of(first_row: Sequence[object], sheet: str) -> bool:
    """Whether a findings sheet whose first row is ``first_row`` lists ``sheet``: its C1
    says ``Lembar: <sheet>`` (B1 ``Sheet: <sheet>`` in older versions). One that names no
    sheet is taken as any sheet's (nothing else could remove it)."""
    named = [
        v[len(label) :]
        for v in first_row[1:3]
        for label in (TEMUAN_SHEET_LABEL, "Sheet: ")
        if isinstance(v, str) and v.startswith(label)
    ]
    return not named or sheet in named


@dataclass(frozen=True)
class CellNow:
    """What an adapter can see of a cell now: its fill and its note.

    ``fill`` is the RRGGBB of a solid fill (None: no fill, or another kind); an engine
    that cannot read fills says ``fill_known=False``. ``note`` is the note's text; an
    engine that sees a note but cannot read it gives ``has_note=True, note=None``.
    """

    fill: str | None = None
    fill_known: bool = True
    has_note: bool = False
    note: str | None = None


@dataclass(frozen=True)
class Restore:
    """What unmarking does to one cell.

    ``fill``: our fill is still there, put ``record.fill_before`` back. ``note``: the note
    on the cell is ours, replace it by ``user_note`` (``{"text", "author"}``; None: remove
    it). A fill or note the user changed since is theirs and stays.
    """

    sheet: str
    cell: str
    record: MarkRecord | None
    fill: bool
    note: bool
    user_note: dict[str, Any] | None


def _key(sheet: str, cell: str) -> tuple[str, str]:
    return sheet, cell.upper()


def plan_unmark(
    records: Iterable[MarkRecord], now: Mapping[tuple[str, str], CellNow]
) -> list[Restore]:
    """How to remove the marks of a previous run (pure; both adapters apply it).

    ``now`` maps ``(sheet, CELL)`` to what the adapter sees there, for the recorded cells
    and for any other cell with a note it could read. A recorded fill is put back only
    while the cell still shows our fill (or the engine cannot tell). A note is ours when
    its text starts with ``NOTE_PREFIX``, or, when the engine cannot read it, when the
    record does not say the note was the user's. Our notes on cells without a record (the
    state sheet deleted by hand) are removed too, giving back a user's note kept inside.
    """
    out: list[Restore] = []
    seen: set[tuple[str, str]] = set()
    for rec in records:
        key = _key(rec.sheet, rec.cell)
        if key in seen:
            continue
        seen.add(key)
        cell = now.get(key, CellNow(fill_known=False))
        fill = bool(rec.fill) and (
            not cell.fill_known or (cell.fill or "").upper() == rec.fill.upper()
        )
        before = rec.note_before or {}
        if cell.note is not None:
            note = is_our_note(cell.note)
        else:
            note = cell.has_note and not before.get(USER_NOTE_ONLY)
        text = before.get("text")
        user = (
            {"text": text, "author": str(before.get("author") or "")}
            if isinstance(text, str) and text
            else None
        )
        if fill or note:
            out.append(Restore(rec.sheet, rec.cell, rec, fill, note, user))
    for key, cell in now.items():
        if key in seen or cell.note is None or not is_our_note(cell.note):
            continue
        kept = user_part_of_note(cell.note)
        user = {"text": kept, "author": ""} if kept else None
        out.append(Restore(key[0], key[1], None, False, True, user))
    return out
