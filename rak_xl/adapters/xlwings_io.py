"""Live Excel through xlwings: read a sheet into a ``Grid``, apply marks and sheet plans.

Every call on an xlwings object is a round trip to Excel (an *action* on xlwings' remote
engine), so this adapter reads a sheet in ONE call and writes in blocks: one 2-D
``.value`` per rectangle, one ``set_colors`` matrix for all fills, style attributes as a
few rectangles each, never one action per row. Multi-area addresses (``"A1,C3"``) are
never used: the remote engine silently keeps only their first area.

xlwings itself is not imported here (it imports pandas, ~0.5 s): the functions take
xlwings objects from the caller, so ``import rak_xl.buttons`` stays fast.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from rak_xl.grid import CellValue, Grid, a1, col_index

if TYPE_CHECKING:
    import xlwings as xw

    from rak_xl.layout import SheetPlan, Style
    from rak_xl.marks import MarkPlan, MarkRecord

__all__ = [
    "Rect",
    "apply_sheet_plan",
    "cover",
    "delete_sheet",
    "drop_notes",
    "engine_name",
    "fill_json",
    "fill_rgb",
    "find_sheet",
    "read_grid",
    "read_rows",
    "read_state",
    "remove_temuan",
    "unmark",
    "write_marks",
    "write_rows",
    "write_state",
    "write_temuan",
]

# (first_row, first_col, last_row, last_col), 1-based inclusive.
Rect = tuple[int, int, int, int]
Cell = tuple[int, int]


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------
def engine_name(book: xw.Book) -> str:
    """``"remote"`` (xlwings Server/Lite, tests), ``"excel"`` (Windows COM), ``"excel"`` (mac)."""
    try:
        return str(book.app.engine.name)
    except Exception:  # an engine without the attribute: treat as desktop Excel
        return "excel"


def find_sheet(book: xw.Book, name: str) -> xw.Sheet | None:
    for sheet in book.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    return None


def delete_sheet(book: xw.Book, name: str) -> bool:
    sheet = find_sheet(book, name)
    if sheet is None:
        return False
    sheet.delete()
    return True


def _rng(sheet: xw.Sheet, rect: Rect) -> xw.Range:
    r1, c1, r2, c2 = rect
    return sheet.range((r1, c1), (r2, c2))


def _parse_a1(cell: str) -> Cell:
    text = cell.replace("$", "").upper()
    letters = "".join(ch for ch in text if ch.isalpha())
    return int(text[len(letters) :]), col_index(letters)


def _used_rect(address: str) -> Rect:
    first, _, last = address.replace("$", "").partition(":")
    r1, c1 = _parse_a1(first)
    r2, c2 = _parse_a1(last or first)
    return r1, c1, r2, c2


# --------------------------------------------------------------------------------------
# Reading: one bulk read
# --------------------------------------------------------------------------------------
def _clean(value: Any) -> CellValue:
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value  # type: ignore[no-any-return]  # xlwings returns plain cell values


def read_rows(sheet: xw.Sheet) -> tuple[list[list[CellValue]], int, int]:
    """The used range's values in one read: (rows, first_row, first_col).

    Formula errors come back as their text (``#REF!``), as in the file adapters.
    """
    used = sheet.used_range
    r1, c1, _, _ = _used_rect(used.address)
    raw = used.options(ndim=2, err_to_str=True).value
    rows = [[_clean(v) for v in row] for row in raw or []]
    return rows, r1, c1


def read_grid(sheet: xw.Sheet) -> Grid:
    """The sheet as a ``Grid`` from ONE read of its used range.

    Merged ranges are not read (that would cost a call per cell); the reader relies on
    values, which sit in the first cell of a merge.
    """
    rows, r1, c1 = read_rows(sheet)
    return Grid(rows=rows, first_row=r1, first_col=c1, sheet=sheet.name)


# --------------------------------------------------------------------------------------
# Writing values
# --------------------------------------------------------------------------------------
def _as_text(value: str) -> str:
    """Text written as text: a leading apostrophe stops Excel from turning ``=1+1``,
    ``1.478.960.200`` or ``1/2`` typed-in style into a formula, number or date. It is not
    part of the stored value."""
    return "'" + value if value else value


def write_rows(sheet: xw.Sheet, top: int, left: int, rows: Sequence[Sequence[Any]]) -> None:
    """One action: the block of ``rows`` (padded to a rectangle) at (top, left).

    Strings are written as text; a ``Formula``-like object (with a ``text`` attribute) as
    its formula.
    """
    if not rows:
        return
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        return
    block: list[list[Any]] = []
    for row in rows:
        out: list[Any] = []
        for v in row:
            if v is None:
                out.append(None)
            elif isinstance(v, str):
                out.append(_as_text(v))
            elif hasattr(v, "text") and isinstance(v.text, str) and v.text.startswith("="):
                out.append(v.text)
            else:
                out.append(v)
        block.append(out + [None] * (width - len(out)))
    _rng(sheet, (top, left, top + len(block) - 1, left + width - 1)).value = block


# --------------------------------------------------------------------------------------
# Rectangle cover: few actions for a set of cells
# --------------------------------------------------------------------------------------
def cover(cells: Iterable[Cell], free: Callable[[Cell], bool] = lambda c: False) -> list[Rect]:
    """Few rectangles covering ``cells`` exactly, except that they may also cover cells
    for which ``free(cell)`` is true (cells whose value does not matter or is set
    later). Tries column runs joined across columns and row runs joined across rows,
    each with runs kept tight or stretched over free cells, and keeps the shortest list.
    """
    wanted = set(cells)
    if not wanted:
        return []

    def flipped_free(rc: Cell) -> bool:
        return free((rc[1], rc[0]))

    flipped = {(c, r) for r, c in wanted}
    best: list[Rect] | None = None
    for stretch in (False, True):
        by_cols = _cover_columns(wanted, free, stretch)
        by_rows = sorted(
            (c1, r1, c2, r2) for r1, c1, r2, c2 in _cover_columns(flipped, flipped_free, stretch)
        )
        for option in (by_cols, by_rows):
            if best is None or len(option) < len(best):
                best = option
    return best or []


def _cover_columns(wanted: set[Cell], free: Callable[[Cell], bool], stretch: bool) -> list[Rect]:
    """Vertical runs per column (bridging free gaps; with ``stretch`` also grown over the
    free cells above and below, so that neighbouring columns line up), equal runs of
    adjacent columns joined."""
    by_col: dict[int, list[int]] = {}
    for r, c in wanted:
        by_col.setdefault(c, []).append(r)
    top, bottom = min(r for r, _ in wanted), max(r for r, _ in wanted)
    runs: dict[int, list[tuple[int, int]]] = {}
    for c, rows in by_col.items():
        rows.sort()
        col_runs: list[tuple[int, int]] = []
        start = prev = rows[0]
        for r in rows[1:]:
            if all(free((x, c)) for x in range(prev + 1, r)):
                prev = r
                continue
            col_runs.append((start, prev))
            start = prev = r
        col_runs.append((start, prev))
        if stretch:
            grown = []
            for i, (a, b) in enumerate(col_runs):
                # Growing past the rows of all wanted cells can never line columns up.
                low = col_runs[i - 1][1] + 1 if i else top
                high = col_runs[i + 1][0] - 1 if i + 1 < len(col_runs) else bottom
                while a - 1 >= low and free((a - 1, c)):
                    a -= 1
                while b + 1 <= high and free((b + 1, c)):
                    b += 1
                grown.append((a, b))
            col_runs = grown
        runs[c] = col_runs
    rects: list[Rect] = []
    open_: dict[tuple[int, int], tuple[int, int]] = {}  # run -> (first col, last col)
    for c in sorted(runs):
        still: dict[tuple[int, int], tuple[int, int]] = {}
        for run in runs[c]:
            prev_span = open_.get(run)
            bridge = prev_span is not None and all(
                free((r, x)) for x in range(prev_span[1] + 1, c) for r in range(run[0], run[1] + 1)
            )
            still[run] = (prev_span[0], c) if prev_span is not None and bridge else (c, c)
        for run, (c1, c2) in open_.items():
            if run not in still or still[run][0] != c1:
                rects.append((run[0], c1, run[1], c2))
        open_ = still
    rects += [(run[0], c1, run[1], c2) for run, (c1, c2) in open_.items()]
    return sorted(rects)


# --------------------------------------------------------------------------------------
# Sheet plans (Susun Ulang)
# --------------------------------------------------------------------------------------
# What a cell looks like right after ``sheet.clear()``: attributes with these values
# need no action.
_CLEARED: dict[str, Any] = {
    "bold": False,
    "italic": False,
    "underline": False,
    "h_align": "general",
    "v_align": "bottom",
    "wrap": False,
    "number_format": "General",
    "fill": None,
    "border": False,
}


def _hex(fill: str | None) -> str | None:
    return None if fill is None else "#" + fill.lstrip("#")


def _set_attr(rng: xw.Range, attr: str, value: Any) -> None:
    """One style attribute on a range (one action; borders are per edge on xlwings)."""
    if attr == "font":
        rng.font.name = value
    elif attr == "size":
        rng.font.size = value
    elif attr == "bold":
        rng.font.bold = value
    elif attr == "italic":
        rng.font.italic = value
    elif attr == "h_align":
        rng.horizontal_alignment = value
    elif attr == "v_align":
        rng.vertical_alignment = value
    elif attr == "wrap":
        rng.wrap_text = value
    elif attr == "number_format":
        rng.number_format = value
    elif attr == "fill":
        rng.color = _hex(value)
    elif attr == "border" and value:
        rng.borders.set("all", line_style="continuous")
    # underline: xlwings has no portable Font.underline; Susun Ulang leaves it out.


def _tiles(plan: SheetPlan) -> list[tuple[Rect, Rect]]:
    """(source, destination) pairs for copying formats instead of setting them.

    The sheet is cut into units (each kegiatan's 4 rows, every other row alone) and
    column bands (sasaran, program, kegiatan + computed columns, stray values). Units
    whose band looks the same (same styles cell by cell) are formatted once, on the
    first of them, and copied onto the others, one action per run of adjacent units.
    So per-row formats (``TW 1 = `` .. ``TW 4 = `` on each kegiatan's rows) and repeated
    rows (titles, totals) cost an action per run, not per row. Copies run before the
    merges, so no merged area is ever copied.
    """
    from rak_xl.layout import COL, FIRST_STRAY_COL

    bands = [(1, COL["p.uraian"] - 1), (COL["p.uraian"], COL["k.uraian"] - 1)]
    bands.append((COL["k.uraian"], min(plan.last_col, FIRST_STRAY_COL - 1)))
    if plan.last_col >= FIRST_STRAY_COL:
        bands.append((FIRST_STRAY_COL, plan.last_col))
    units: list[tuple[int, int]] = []
    in_block = {r for first, n in plan.table.kegiatan_rows for r in range(first, first + n)}
    units += list(plan.table.kegiatan_rows)
    units += [(r, 1) for r in range(1, plan.last_row + 1) if r not in in_block]
    units.sort()

    out: list[tuple[Rect, Rect]] = []
    for c1, c2 in bands:
        groups: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
        for first, n in units:
            sig = tuple(
                plan.cells[(r, c)].style if (r, c) in plan.cells else None
                for r in range(first, first + n)
                for c in range(c1, c2 + 1)
            )
            if _varies(sig, n, c2 - c1 + 1):
                groups.setdefault((n, *sig), []).append((first, n))
        for members in groups.values():
            if len(members) < 2:
                continue
            (p_first, n), rest = members[0], members[1:]
            source = (p_first, c1, p_first + n - 1, c2)
            run: list[int] = []
            for first, _ in rest:
                if run and first != run[-1] + n:
                    out.append((source, (run[0], c1, run[-1] + n - 1, c2)))
                    run = []
                run.append(first)
            if run:
                out.append((source, (run[0], c1, run[-1] + n - 1, c2)))
    return out


def _varies(sig: Sequence[Any], rows: int, cols: int) -> bool:
    """Is a unit worth copying? Rectangles already handle what is the same down each
    column of a block, and a row of one single style."""
    if rows > 1:
        return any(len({sig[i * cols + j] for i in range(rows)}) > 1 for j in range(cols))
    return len({s for s in sig if s is not None}) > 1


def _copy_formats(sheet: xw.Sheet, source: Rect, dest: Rect) -> None:
    """Formats of ``source`` tiled over ``dest`` (a whole multiple of it) in one action."""
    src, dst = _rng(sheet, source), _rng(sheet, dest)
    try:
        dst.copy_from(src, copy_type="formats")
    except (AttributeError, NotImplementedError):
        # Desktop engines have no copy_from: copy + paste special formats, which Excel
        # tiles over a destination that is a multiple of the source.
        if sys.platform.startswith("win"):
            src.api.Copy()
            dst.api.PasteSpecial(Paste=-4122)  # xlPasteFormats
            sheet.book.app.api.CutCopyMode = False
        else:
            src.copy()
            dst.paste(paste="formats")


def _column_width(engine: str, chars: float) -> float:
    # The remote engine (Office.js) takes points; desktop Excel takes characters.
    return round((chars * 7 + 5) * 0.75, 2) if engine == "remote" else chars


def _runs(values: Mapping[int, Any], first: int, last: int) -> list[tuple[int, int, Any]]:
    """Maximal runs (start, end, value) of equal, present values between first and last."""
    out: list[tuple[int, int, Any]] = []
    for i in range(first, last + 1):
        v = values.get(i)
        if v is None:
            continue
        if out and out[-1][1] == i - 1 and out[-1][2] == v:
            out[-1] = (out[-1][0], i, v)
        else:
            out.append((i, i, v))
    return out


def _style_attrs(style: Style) -> dict[str, Any]:
    return {f.name: getattr(style, f.name) for f in fields(style)}


def _paint_attr(
    sheet: xw.Sheet,
    attr: str,
    groups: Mapping[Any, list[Cell]],
    whole: Rect,
    tiled: Collection[Cell],
    styled: Collection[Cell],
) -> None:
    """One style attribute: the most common value over the whole area, then the other
    values largest first, each allowed to spill over cells that a later value repaints
    (painter's order) and over cells whose value does not matter (copied over later, or
    left unstyled by the plan). What shows on an empty cell (fill, border) is kept exact:
    no base over the whole area, no spilling onto unstyled cells."""
    if attr == "underline":
        return  # xlwings has no portable Font.underline; Susun Ulang leaves it out
    order = [v for v, _ in Counter({v: len(cs) for v, cs in groups.items()}).most_common()]
    visible = attr in ("fill", "border")
    base = _CLEARED[attr] if visible else order[0]

    def free(cell: Cell) -> bool:
        inside = whole[0] <= cell[0] <= whole[2] and whole[1] <= cell[1] <= whole[3]
        return inside and (cell in tiled or (not visible and cell not in styled))

    if _CLEARED.get(attr, object()) != base:
        _set_attr(_rng(sheet, whole), attr, base)
    rest = [v for v in order if v != base]
    for i, value in enumerate(rest):
        later = frozenset(c for v in rest[i + 1 :] for c in groups[v])
        for rect in cover(groups[value], _or_in(free, later)):
            _set_attr(_rng(sheet, rect), attr, value)


def _or_in(free: Callable[[Cell], bool], extra: frozenset[Cell]) -> Callable[[Cell], bool]:
    return lambda cell: free(cell) or cell in extra


def _freeze(sheet: xw.Sheet, row: int, col: int) -> None:
    """Freeze panes above/left of (row, col). xlwings' ``freeze_panes`` exists on the
    remote engine only; on Windows the window is set through COM; elsewhere the sheet
    simply stays unfrozen (cosmetic)."""
    try:
        sheet.freeze_panes.freeze_at(a1(row, col))
        return
    except (AttributeError, NotImplementedError):
        pass
    if sys.platform.startswith("win"):
        try:
            sheet.activate()
            window = sheet.book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitRow, window.SplitColumn = row - 1, col - 1
            window.FreezePanes = True
        except Exception:  # pragma: no cover - Windows only; a frozen pane is cosmetic
            pass


def apply_sheet_plan(sheet: xw.Sheet, plan: SheetPlan) -> None:
    """Rebuild ``sheet`` from ``plan`` in block operations.

    Order: clear; all values (one block, formulas included); column widths and row
    heights by runs; each style attribute as a base over the whole area plus rectangles
    for the other values; kegiatan formats tiled by copy; merges (one each); freeze
    panes and print area.
    """
    engine = engine_name(sheet.book)
    last_row, last_col = plan.last_row, plan.last_col
    whole: Rect = (1, 1, last_row, last_col)
    sheet.clear()

    rows: list[list[Any]] = [[None] * last_col for _ in range(last_row)]
    for (r, c), cell in plan.cells.items():
        if r <= last_row and c <= last_col:
            rows[r - 1][c - 1] = cell.value
    write_rows(sheet, 1, 1, rows)

    for c1, c2, width in _runs(plan.col_widths, 1, last_col):
        _rng(sheet, (1, c1, 1, c2)).column_width = _column_width(engine, width)
    for r1, r2, height in _runs(plan.row_heights, 1, last_row):
        _rng(sheet, (r1, 1, r2, 1)).row_height = height

    tiles = _tiles(plan)
    tiled: set[Cell] = set()
    for _, (r1, c1, r2, c2) in tiles:
        tiled.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))

    by_attr: dict[str, dict[Any, list[Cell]]] = {}
    for pos, cell in plan.cells.items():
        if pos in tiled:
            continue
        for attr, value in _style_attrs(cell.style).items():
            by_attr.setdefault(attr, {}).setdefault(value, []).append(pos)
    for attr, groups in by_attr.items():
        _paint_attr(sheet, attr, groups, whole, tiled, plan.cells.keys())

    for source, dest in tiles:
        _copy_formats(sheet, source, dest)
    for merge in plan.merges:
        _rng(sheet, merge).merge()
    if plan.freeze != (1, 1):
        _freeze(sheet, *plan.freeze)
    area = plan.print_setup.print_area
    if area is not None:
        sheet.page_setup.print_area = f"{a1(area[0], area[1])}:{a1(area[2], area[3])}"


# --------------------------------------------------------------------------------------
# Marks (Validasi)
# --------------------------------------------------------------------------------------
def fill_json(rgb: str | None) -> dict[str, Any] | None:
    """A solid fill in the state sheet's JSON form (the same as the openpyxl adapter's)."""
    if rgb is None:
        return None
    color = {"type": "rgb", "value": "FF" + rgb.upper(), "tint": 0.0}
    return {"patternType": "solid", "fg": color, "bg": dict(color)}


def fill_rgb(d: dict[str, Any] | None) -> str | None:
    """The RRGGBB of a recorded fill, None for no fill or one xlwings cannot set (theme
    colours, patterns): those come back as no fill."""
    if not d or d.get("patternType") != "solid":
        return None
    fg = d.get("fg") or {}
    value = fg.get("value")
    if fg.get("type") == "rgb" and isinstance(value, str) and len(value) >= 6:
        return value[-6:].upper()
    return None


def _read_fill(rng: xw.Range) -> tuple[bool, str | None]:
    """(known, "RRGGBB" or None): the remote engine cannot read fills synchronously."""
    try:
        colour = rng.color
    except NotImplementedError:
        return False, None
    if colour is None:
        return True, None
    if isinstance(colour, tuple):
        return True, "{:02X}{:02X}{:02X}".format(*colour)
    return True, str(colour).lstrip("#").upper()


NoteKey = tuple[str, str]  # (sheet, CELL)
# Recorded for a cell whose (unreadable) user note was left alone: the next run must not
# take that note for ours.
_USER_NOTE_ONLY = "user_note_only"


def unmark(book: xw.Book, records: Sequence[MarkRecord]) -> dict[NoteKey, dict[str, Any] | None]:
    """Undo the fills of a previous Validasi (one ``set_colors`` per sheet).

    A fill is restored only while the cell still has our fill, where this engine can
    read fills (desktop Excel); the remote engine cannot, so there the recorded fill is
    restored. Our notes are not touched here: the returned map (cell -> the user's note
    kept under ours) lets ``write_marks`` replace a note in one action, and
    ``drop_notes`` removes those no longer needed.
    """
    ours: dict[NoteKey, dict[str, Any] | None] = {}
    by_sheet: dict[str, list[MarkRecord]] = {}
    for rec in records:
        by_sheet.setdefault(rec.sheet, []).append(rec)
    for name, recs in by_sheet.items():
        sheet = find_sheet(book, name)
        if sheet is None:
            continue
        fills: dict[Cell, str | None] = {}
        for rec in recs:
            rng = sheet.range(rec.cell)
            known, now = _read_fill(rng)
            if rec.fill and not (known and now != rec.fill.upper()):
                fills[_parse_a1(rec.cell)] = fill_rgb(rec.fill_before)
            if rng.note is not None and not (rec.note_before or {}).get(_USER_NOTE_ONLY):
                ours[(name, rec.cell.upper())] = rec.note_before
        _paint(sheet, fills)
    return ours


def drop_notes(
    book: xw.Book, ours: Mapping[NoteKey, dict[str, Any] | None], keep: Collection[NoteKey]
) -> None:
    """Remove our notes not in ``keep``, putting back the user's note where there was one."""
    for (name, cell), before in ours.items():
        if (name, cell) in keep:
            continue
        sheet = find_sheet(book, name)
        note = sheet.range(cell).note if sheet is not None else None
        if note is None:
            continue
        user = (before or {}).get("text")
        if isinstance(user, str) and user:
            note.text = user
        else:
            note.delete()


def _paint(sheet: xw.Sheet, fills: Mapping[Cell, str | None]) -> None:
    """All fills of a sheet in one action: ``set_colors`` on their bounding block, with
    ``...`` (keep) for every cell in between."""
    if not fills:
        return
    r1 = min(r for r, _ in fills)
    r2 = max(r for r, _ in fills)
    c1 = min(c for _, c in fills)
    c2 = max(c for _, c in fills)
    matrix: list[list[Any]] = [
        [_hex(fills[(r, c)]) if (r, c) in fills else ... for c in range(c1, c2 + 1)]
        for r in range(r1, r2 + 1)
    ]
    _rng(sheet, (r1, c1, r2, c2)).set_colors(matrix)


def write_marks(
    book: xw.Book,
    plan: MarkPlan,
    ours: Mapping[NoteKey, dict[str, Any] | None] | None = None,
) -> list[MarkRecord]:
    """Fills (one action per sheet) and one note action per marked cell; returns the
    records for the state sheet.

    ``ours``: our notes from the previous run (see ``unmark``); such a note is replaced
    in place. A note the user has on a cell is kept below ours where this engine can read
    it (desktop Excel); where it cannot (remote engine) the user's note stays as it is
    and ours is not added: the finding is still listed on the Temuan sheet and the cell
    is coloured.
    """
    from rak_xl.marks import MarkRecord, is_our_note, note_with_user

    ours = ours or {}
    records: list[MarkRecord] = []
    by_sheet: dict[str, list[Any]] = {}
    for mark in plan.marks:
        by_sheet.setdefault(mark.sheet, []).append(mark)
    for name, marks in by_sheet.items():
        sheet = find_sheet(book, name)
        if sheet is None:
            continue
        fills: dict[Cell, str | None] = {}
        for mark in marks:
            rng = sheet.range(mark.cell)
            known, before = _read_fill(rng)
            fills[_parse_a1(mark.cell)] = mark.fill
            key = (name, mark.cell.upper())
            note = rng.note
            note_before: dict[str, Any] | None = None
            if key in ours and note is not None:
                note_before = ours[key]
                user = (note_before or {}).get("text")
                note.text = note_with_user(mark.note, user if isinstance(user, str) else None)
            elif note is None:
                rng.add_note(mark.note)
            else:
                try:
                    text: str | None = str(note.text)
                except NotImplementedError:
                    text = None  # unreadable user note: leave it alone
                if text is not None:
                    user_text = None if is_our_note(text) else text
                    note.text = note_with_user(mark.note, user_text)
                    note_before = {"text": user_text} if user_text else None
                else:
                    note_before = {_USER_NOTE_ONLY: True}
            records.append(
                MarkRecord(
                    sheet=name,
                    cell=mark.cell,
                    fill=mark.fill,
                    # Unknown on the remote engine: recorded as "no fill before".
                    fill_before=fill_json(before) if known else None,
                    note_before=note_before,
                )
            )
        _paint(sheet, fills)
    return records


# --------------------------------------------------------------------------------------
# State sheet and findings sheet
# --------------------------------------------------------------------------------------
def read_state(book: xw.Book) -> list[MarkRecord]:
    """The cells the previous Validasi (Excel or ``validate --mark``) marked."""
    from rak_xl.marks import STATE_SHEET, records_from_rows

    sheet = find_sheet(book, STATE_SHEET)
    if sheet is None:
        return []
    rows, _, _ = read_rows(sheet)
    return records_from_rows([list(r) for r in rows])


def _hide(sheet: xw.Sheet) -> None:
    """Very hidden on Windows Excel (not listed under Unhide); hidden elsewhere."""
    if sys.platform.startswith("win") and engine_name(sheet.book) == "excel":
        try:
            sheet.api.Visible = 2  # xlSheetVeryHidden
            return
        except Exception:  # pragma: no cover - Windows only
            pass
    sheet.visible = False


def write_state(book: xw.Book, records: Sequence[MarkRecord]) -> None:
    """Record the marked cells for the next run (reusing the state sheet if there is one)."""
    from rak_xl.marks import STATE_SHEET, records_to_rows

    sheet = find_sheet(book, STATE_SHEET)
    if sheet is None:
        if not records:
            return
        sheet = book.sheets.add(name=STATE_SHEET, after=book.sheets[len(book.sheets) - 1])
        _hide(sheet)
    else:
        sheet.clear_contents()
    if records:
        write_rows(sheet, 1, 1, records_to_rows(list(records)))


def remove_temuan(book: xw.Book) -> None:
    """Delete the findings sheets of a previous run (recognised by the marker in A1)."""
    from rak_xl.marks import TEMUAN_MARKER, TEMUAN_SHEET

    for sheet in list(book.sheets):
        if sheet.name.startswith(TEMUAN_SHEET) and sheet.range("A1").value == TEMUAN_MARKER:
            sheet.delete()


@dataclass(frozen=True)
class _Formula:
    text: str


def _hyperlink(location: str, label: str) -> _Formula:
    def q(text: str) -> str:
        return text.replace('"', '""')

    return _Formula(f'=HYPERLINK("#{q(location)}","{q(label)}")')


def write_temuan(book: xw.Book, plan: MarkPlan, after: xw.Sheet) -> xw.Sheet:
    """The findings sheet in a handful of actions: one block of values (links as
    HYPERLINK formulas, so no action per finding), bold header, severity colours in one
    ``set_colors``, column widths."""
    from rak_xl.marks import FILLS, TEMUAN_SHEET

    name, n = TEMUAN_SHEET, 2
    while find_sheet(book, name) is not None:
        name = f"{TEMUAN_SHEET} {n}"
        n += 1
    sheet = book.sheets.add(name=name, after=after)
    rows: list[list[Any]] = []
    fills: dict[Cell, str | None] = {}
    for i, row in enumerate(plan.temuan, start=1):
        values: list[Any] = list(row.values)
        if row.link is not None and len(values) > 3 and values[3]:
            values[3] = _hyperlink(row.link, str(values[3]))
        rows.append(values)
        if row.severity is not None:
            fills[(i, 1 if i - 1 < plan.header_index else 2)] = FILLS[row.severity]
    write_rows(sheet, 1, 1, rows)
    width = max(len(r) for r in rows)
    header = plan.header_index + 1
    _rng(sheet, (header, 1, header, width)).font.bold = True
    sheet.range("A1").font.bold = True
    _paint(sheet, fills)
    engine = engine_name(book)
    for c1, c2, w in _runs(dict(enumerate((6, 12, 30, 8, 7, 50, 80), start=1)), 1, 7):
        _rng(sheet, (1, c1, 1, c2)).column_width = _column_width(engine, w)
    return sheet
