"""The workbook's buttons: Validasi, Hitung Ulang, Susun Ulang, Batalkan.

A VBA macro runs ``RunPython "import rak_xl.buttons; rak_xl.buttons.validasi()"``; each
function takes the workbook (``book``, default ``xw.Book.caller()``) so that xlwings
Server/Lite and the tests (xlwings' remote engine) can drive it without Excel. Each one
reads the RAK sheet in one bulk read, calls the core, writes a few blocks and ends with a
short Indonesian message box. A ``RakError`` becomes its sentence; anything unexpected a
generic sentence (the traceback goes to a log file, never to the user).

Classic RunPython starts a fresh Python per click, so this module imports nothing heavy:
xlwings (which pulls in pandas), the reader and the rules are imported inside the calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rak_xl.errors import NoRakTable, RakError

if TYPE_CHECKING:
    import xlwings as xw

    from rak_xl.backups import SheetInfo
    from rak_xl.grid import Grid
    from rak_xl.paint.rects import Rect
    from rak_xl.read.header import Header
    from rak_xl.rules.findings import Report

__all__ = ["TITLE", "batalkan", "hitung_ulang", "susun_ulang", "validasi"]

# Said when no sheet holds the table (docs/PANDUAN.md quotes it for staff).
NO_TABLE = (
    "Tidak ada sheet berisi tabel RAK: baris nomor kolom 1 sampai 23 (1 sampai 26 untuk "
    "RAK dengan Sub Kegiatan) tidak ditemukan."
)

TITLE = "RAK"
_UNEXPECTED = (
    "Terjadi kesalahan yang tidak terduga dan tombol dihentikan. "
    "Simpan workbook, lalu kirim file log ini ke pengelola: {log}"
)
_NO_NOTES = ". Catatan sel tidak ditambahkan: Excel ini belum mendukungnya."


# --------------------------------------------------------------------------------------
# The buttons
# --------------------------------------------------------------------------------------
def validasi(book: xw.Book | None = None) -> str:
    """Mark every finding (fill + note), list them on the Temuan sheet."""
    return _run(book, _validasi)


def hitung_ulang(book: xw.Book | None = None) -> str:
    """Lay the total formulas out again for the rows present now (nothing changes when the
    totals rows are not where the official layout puts them: press Susun Ulang first)."""
    return _run(book, _hitung_ulang)


def susun_ulang(book: xw.Book | None = None) -> str:
    """Rebuild the RAK sheet in the official layout, after a hidden backup copy
    (``rak_xl.backups``); values far beyond the table stay where they are."""
    return _run(book, _susun_ulang)


def batalkan(book: xw.Book | None = None) -> str:
    """Bring back the sheet as it was before the last Susun Ulang: from the backup of that
    sheet, never another's."""
    return _run(book, _batalkan)


# --------------------------------------------------------------------------------------
# What they do
# --------------------------------------------------------------------------------------
def _validasi(book: xw.Book) -> str:
    from rak_xl.adapters import xlwings_marks as xmarks
    from rak_xl.marks import plan_marks
    from rak_xl.read import read_rak
    from rak_xl.rules import check

    sheet, grid, _ = _rak_sheet(book)
    report = check(read_rak(grid))
    # The previous marks of this sheet first; another sheet's stay (marks are per sheet).
    previous = xmarks.read_state(book)
    others = [r for r in previous if r.sheet != sheet.name]
    ours = xmarks.unmark(book, [r for r in previous if r.sheet == sheet.name])
    xmarks.remove_temuan(book, sheet.name)
    plan = plan_marks(report)
    records, notes_ok = xmarks.write_marks(book, plan, ours)
    xmarks.drop_notes(book, ours, keep={(r.sheet, r.cell.upper()) for r in records})
    temuan = xmarks.write_temuan(book, plan, after=sheet)
    xmarks.write_state(book, [*others, *records])
    sheet.activate()
    return _summary(report, temuan.name) + ("" if notes_ok else _NO_NOTES)


def _hitung_ulang(book: xw.Book) -> str:
    from rak_xl.adapters import xlwings_io as xio
    from rak_xl.forms import FORMS
    from rak_xl.layout import recalc_formulas
    from rak_xl.read import read_rak

    sheet, grid, _ = _rak_sheet(book)
    rak = read_rak(grid)
    found = recalc_formulas(grid, rak)
    if found is None:  # as ``rak-xl recalc``: no silent rebuild, nothing written
        raise RakError(
            f"Baris jumlah di lembar '{sheet.name}' tidak sesuai susunan resmi; "
            "tekan Susun Ulang dulu (lembar tidak diubah)."
        )
    formulas, total_rows = found
    form = FORMS[rak.tingkat]
    computed, months = form.computed_cols, form.kas_cols
    first, last = min(r for r, _ in formulas), max(r for r, _ in formulas)
    year = computed["setahun"]  # beside December, left of KET: a block of its own
    right = range(min(computed["kas_tw.0"], computed["selisih"]), max(computed.values()) + 1)
    rows = range(first, last + 1)
    xio.write_rows(sheet, first, right[0], [[formulas.get((r, c)) for c in right] for r in rows])
    xio.write_rows(sheet, first, year, [[formulas.get((r, year))] for r in rows])
    for r in sorted(total_rows):
        xio.write_rows(sheet, r, months[0], [[formulas[(r, c)] for c in months]])
    return "Rumus jumlah dihitung ulang."


def _susun_ulang(book: xw.Book) -> str:
    from rak_xl.adapters import xlwings_io as xio
    from rak_xl.adapters.xlwings_plan import apply_sheet_plan
    from rak_xl.layout import plan_sheet
    from rak_xl.plan_check import reads_back
    from rak_xl.read import read_rak

    sheet, grid, used = _rak_sheet(book)
    rak = read_rak(grid)
    # Before any write: a RakError leaves all as it was. No manual page breaks: xlwings
    # cannot set them, so neither are names repeated for them.
    plan = plan_sheet(rak, paginate_rows=False)
    if not reads_back(plan, rak):  # what regenerate checks on its file, checked first here
        raise RakError(
            f"Susun Ulang dibatalkan: lembar '{sheet.name}' yang disusun ulang tidak akan "
            "terbaca sama dengan isi semula; lembar tidak diubah. Laporkan file ini ke "
            "pengembang."
        )
    clear, lost = None, []
    if used is not None:  # values far beyond the table stay where they are
        clear = (1, 1, max(grid.last_row, plan.last_row), max(grid.last_col, plan.last_col))
        lost = xio.valued_outside(sheet, clear, grid)
    backup = _back_up(book, sheet)  # a macro cannot be undone with Ctrl+Z
    apply_sheet_plan(sheet, plan, clear)
    sheet.activate()
    done = "Lembar RAK disusun ulang. Tekan Batalkan untuk kembali ke lembar sebelumnya."
    if lost:
        shown = ", ".join(lost[:4]) + (f" dan {len(lost) - 4} lainnya" if len(lost) > 4 else "")
        done += f" Nilai di sel {shown} tertimpa; nilai aslinya ada di lembar '{backup}'."
    return done


def _back_up(book: xw.Book, sheet: xw.Sheet) -> str:
    """Replace our backups of ``sheet`` by a hidden, marked copy; its name
    (``rak_xl.backups``: a user's sheet is never deleted or overwritten)."""
    from rak_xl.adapters import xlwings_io as xio
    from rak_xl.backups import backups_of, free_backup_name

    for old in backups_of(sheet.name, xio.sheet_infos(book)):
        xio.delete_sheet(book, old)
    name = free_backup_name(sheet.name, [s.name for s in book.sheets])
    copy = sheet.copy(after=sheet, name=name)
    copy.visible = False
    xio.mark_backup(copy, sheet.name)
    return name


def _batalkan(book: xw.Book) -> str:
    """The active sheet from its own backup; when the active sheet is one of ours
    (Temuan ...), the first sheet that has a backup."""
    from rak_xl.adapters import xlwings_io as xio
    from rak_xl.backups import ambiguous_backup, backups_of

    infos = xio.sheet_infos(book)
    ours = _not_rak(book, infos)
    active = book.sheets.active
    users = [s.name for s in book.sheets if s.name not in ours]
    candidates = [active.name] if active.name not in ours else users
    found = next(((n, b[0]) for n in candidates if (b := backups_of(n, infos))), None)
    if found is None:
        unsure = ambiguous_backup(active.name, infos)
        if unsure is not None:
            raise RakError(
                f"Salinan '{unsure}' bisa milik lembar lain yang namanya mirip, jadi tidak "
                "dikembalikan; tampilkan lembar itu (Unhide) bila perlu."
            )
        if any(backups_of(n, infos) for n in users):
            raise RakError(
                f"Lembar '{active.name}' belum pernah disusun ulang; buka lembar yang ingin "
                "dikembalikan, lalu tekan Batalkan lagi."
            )
        raise RakError("Belum ada salinan dari Susun Ulang yang bisa dikembalikan.")
    sheet, backup = book.sheets[found[0]], book.sheets[found[1]]
    sheet.clear()
    backup.cells.copy(sheet.range("A1"))  # values, formulas, formats, merges, sizes
    sheet.activate()
    return f"Lembar '{sheet.name}' dikembalikan seperti sebelum Susun Ulang terakhir."


# --------------------------------------------------------------------------------------
# Plumbing
# --------------------------------------------------------------------------------------
def _run(book: xw.Book | None, action: Callable[[xw.Book], str]) -> str:
    """Run a button: the caller's book, one message box at the end, never a traceback."""
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    try:
        message = action(book)
    except RakError as exc:
        message = str(exc)
    except Exception:
        message = _UNEXPECTED.format(log=_log_traceback())
    book.app.alert(message, title=TITLE)
    return message


def _not_rak(book: xw.Book, infos: list[SheetInfo] | None = None) -> set[str]:
    """Sheets that are ours (findings, state, settings, styles, backups): never the RAK."""
    from rak_xl.adapters.xlwings_io import sheet_infos
    from rak_xl.backups import is_backup
    from rak_xl.marks import STATE_SHEET, TEMUAN_SHEET
    from rak_xl.paint.prototype import PROTOTYPE_SHEET

    fixed = {STATE_SHEET, "xlwings.conf", PROTOTYPE_SHEET}
    return {
        i.name
        for i in (sheet_infos(book) if infos is None else infos)
        if i.name in fixed or i.name.startswith(TEMUAN_SHEET) or is_backup(i)
    }


def _rak_sheet(book: xw.Book) -> tuple[xw.Sheet, Grid, Rect | None]:
    """The active sheet if it holds the RAK table, else the sheet the command line would
    take (``rak_xl.read.pick``); with its grid and, when a far value made the grid only
    part of the sheet, its used range. When the first sheet of each form is filled and
    the active one holds no table, the user is asked to open the one they mean."""
    from rak_xl.adapters.xlwings_io import read_block
    from rak_xl.grid import a1
    from rak_xl.read import find_header
    from rak_xl.read.pick import both_forms_filled, pick_table

    skip = _not_rak(book)
    active = book.sheets.active
    far = None
    tables: list[tuple[tuple[xw.Sheet, Grid, Rect | None], Grid, Header]] = []
    for sheet in [active, *(s for s in book.sheets if s.name != active.name)]:
        if sheet.name in skip:
            continue
        grid, used = read_block(sheet)
        header = find_header(grid)
        if header is not None:
            if sheet.name == active.name:
                return sheet, grid, used
            tables.append(((sheet, grid, used), grid, header))
        elif used is not None and far is None:
            far = (sheet.name, a1(used[2], used[3]))
    both = both_forms_filled(tables)
    if both is not None:
        raise RakError(
            f"Lembar '{active.name}' tidak berisi tabel RAK, sedangkan dua lembar RAK "
            f"sudah terisi: '{both[0][0].name}' dan '{both[1][0].name}'. Buka lembar RAK "
            "yang dimaksud, lalu klik tombol ini lagi."
        )
    found = pick_table(tables)
    if found is not None:
        return found
    if far:
        raise NoRakTable(
            f"Tabel RAK tidak ditemukan; lembar '{far[0]}' berisi nilai jauh sampai sel "
            f"{far[1]}: hapus nilai yang jauh dari tabel lalu coba lagi."
        )
    raise NoRakTable(NO_TABLE)


def _summary(report: Report, temuan: str) -> str:
    s = report.summary
    if not report.findings:
        return "Tidak ada temuan: target dan anggaran kas sudah konsisten."
    parts = [f"{s['error']} kesalahan", f"{s['warning']} peringatan"]
    if s["info"]:
        parts.append(f"{s['info']} info")
    return ", ".join(parts) + f" — lihat sheet {temuan}"


def _log_traceback() -> str:
    """Append the current traceback to a log file in the temp folder; return its path."""
    import tempfile
    import traceback
    from pathlib import Path

    path = Path(tempfile.gettempdir()) / "rak-xl-error.log"
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
    except OSError:
        return "(log tidak dapat ditulis)"
    return str(path)
