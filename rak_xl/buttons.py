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

    from rak_xl.grid import Grid
    from rak_xl.rules.findings import Report

__all__ = ["TITLE", "batalkan", "hitung_ulang", "susun_ulang", "validasi"]

TITLE = "RAK"
_UNEXPECTED = (
    "Terjadi kesalahan yang tidak terduga dan tombol dihentikan. "
    "Simpan workbook, lalu kirim file log ini ke pengelola: {log}"
)


# --------------------------------------------------------------------------------------
# The buttons
# --------------------------------------------------------------------------------------
def validasi(book: xw.Book | None = None) -> str:
    """Mark every finding (fill + note), list them on the Temuan sheet."""
    return _run(book, _validasi)


def hitung_ulang(book: xw.Book | None = None) -> str:
    """Lay the total formulas out again for the rows present now."""
    return _run(book, _hitung_ulang)


def susun_ulang(book: xw.Book | None = None) -> str:
    """Rebuild the RAK sheet in the official layout, after a hidden backup copy."""
    return _run(book, _susun_ulang)


def batalkan(book: xw.Book | None = None) -> str:
    """Bring back the sheet as it was before the last Susun Ulang."""
    return _run(book, _batalkan)


# --------------------------------------------------------------------------------------
# What they do
# --------------------------------------------------------------------------------------
def _validasi(book: xw.Book) -> str:
    from rak_xl.adapters import xlwings_marks as xmarks
    from rak_xl.marks import plan_marks
    from rak_xl.read import read_rak
    from rak_xl.rules import check

    sheet, grid = _rak_sheet(book)
    report = check(read_rak(grid))
    ours = xmarks.unmark(book, xmarks.read_state(book))  # previous marks first
    xmarks.remove_temuan(book)
    plan = plan_marks(report)
    records = xmarks.write_marks(book, plan, ours)
    xmarks.drop_notes(book, ours, keep={(r.sheet, r.cell.upper()) for r in records})
    xmarks.write_temuan(book, plan, after=sheet)
    xmarks.write_state(book, records)
    sheet.activate()
    return _summary(report)


def _hitung_ulang(book: xw.Book) -> str:
    from rak_xl.adapters import xlwings_io as xio
    from rak_xl.layout import COMPUTED_COLS, MONTH_COLS, is_official, plan_totals, totals_blocks
    from rak_xl.read import read_rak

    sheet, grid = _rak_sheet(book)
    rak = read_rak(grid)
    found = totals_blocks(grid, rak) if is_official(grid, rak) else None
    if found is None:
        return _susun_ulang(book, "Baris jumlah tidak sesuai susunan lembar, jadi ")
    formulas = plan_totals(*found)
    first, last = min(r for r, _ in formulas), max(r for r, _ in formulas)
    computed = range(min(COMPUTED_COLS.values()), max(COMPUTED_COLS.values()) + 1)
    block = [[formulas.get((r, c)) for c in computed] for r in range(first, last + 1)]
    xio.write_rows(sheet, first, computed[0], block)  # all computed columns: one block
    for r in sorted({r for r, c in formulas if c == MONTH_COLS[0]}):  # total rows
        xio.write_rows(sheet, r, MONTH_COLS[0], [[formulas[(r, c)] for c in MONTH_COLS]])
    return "Rumus jumlah dihitung ulang."


def _susun_ulang(book: xw.Book, why: str = "") -> str:
    from rak_xl.adapters import xlwings_io as xio
    from rak_xl.adapters.xlwings_plan import apply_sheet_plan
    from rak_xl.layout import plan_sheet
    from rak_xl.plan_check import reads_back
    from rak_xl.read import read_rak
    from rak_xl.regenerate import backup_sheet_name

    sheet, grid = _rak_sheet(book)
    rak = read_rak(grid)
    plan = plan_sheet(rak)  # before any write: a RakError leaves all as it was
    if not reads_back(plan, rak):  # what regenerate checks on its file, checked first here
        raise RakError(
            f"Susun Ulang dibatalkan: lembar '{sheet.name}' yang disusun ulang tidak akan "
            "terbaca sama dengan isi semula; lembar tidak diubah. Laporkan file ini ke "
            "pengembang."
        )
    backup = backup_sheet_name(sheet.name)
    xio.delete_sheet(book, backup)
    copy = sheet.copy(after=sheet, name=backup)  # a macro cannot be undone with Ctrl+Z
    copy.visible = False
    apply_sheet_plan(sheet, plan)
    sheet.activate()
    done = "lembar RAK disusun ulang. Tekan Batalkan untuk kembali ke lembar sebelumnya."
    return why + done if why else done[0].upper() + done[1:]


def _batalkan(book: xw.Book) -> str:
    from rak_xl.adapters import xlwings_io as xio
    from rak_xl.regenerate import backup_sheet_name

    active = book.sheets.active
    for sheet in [active, *book.sheets]:
        backup = xio.find_sheet(book, backup_sheet_name(sheet.name))
        if backup is not None and backup.name != sheet.name:
            break
    else:
        raise RakError("Belum ada salinan dari Susun Ulang yang bisa dikembalikan.")
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


def _skip(name: str) -> bool:
    from rak_xl.marks import STATE_SHEET, TEMUAN_SHEET
    from rak_xl.paint.prototype import PROTOTYPE_SHEET
    from rak_xl.regenerate import BACKUP_SUFFIX

    return (
        name.startswith(TEMUAN_SHEET)
        or name in (STATE_SHEET, "xlwings.conf", PROTOTYPE_SHEET)
        or (name.endswith(BACKUP_SUFFIX))
    )


def _rak_sheet(book: xw.Book) -> tuple[xw.Sheet, Grid]:
    """The active sheet if it holds the RAK table, else the first sheet that does."""
    from rak_xl.adapters.xlwings_io import read_grid
    from rak_xl.read import find_header

    active = book.sheets.active
    for sheet in [active, *(s for s in book.sheets if s.name != active.name)]:
        if _skip(sheet.name):
            continue
        grid = read_grid(sheet)
        if find_header(grid) is not None:
            return sheet, grid
    raise NoRakTable(
        "Tidak ada sheet berisi tabel RAK: baris nomor kolom 1 sampai 23 tidak ditemukan."
    )


def _summary(report: Report) -> str:
    s = report.summary
    if not report.findings:
        return "Tidak ada temuan: target dan anggaran kas sudah konsisten."
    parts = [f"{s['error']} kesalahan", f"{s['warning']} peringatan"]
    if s["info"]:
        parts.append(f"{s['info']} info")
    return ", ".join(parts) + " — lihat sheet Temuan"


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
