"""Susun Ulang (regenerate) and Hitung Ulang (recalc) on workbook files.

``regenerate_file`` rebuilds the RAK sheet in place (same name and position) from the
model read out of it, keeps the previous sheet as a hidden backup sheet, and writes
through :func:`rak_xl.safe_write.atomic_update` with a verify step that reads the new
file back and requires the same model: nothing the user wrote may change.

``recalc_file`` only rewrites formulas (computed columns and total rows) for the rows
present now; when the total rows no longer match the structure (a program without its
JUMLAH row, say) it refuses and tells the user to run Susun Ulang.

Both edit the workbook at the package level (``rak_xl.opc``): every part they do not own
is copied byte for byte. The package code is imported inside the functions: Excel
buttons import this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rak_xl.errors import RakError, WorkbookUnreadable, WriteFailed
from rak_xl.grid import Grid
from rak_xl.layout import (
    COL,
    COMPUTED_COLS,
    TotalsBlock,
    plan_sheet,
    plan_totals,
)
from rak_xl.model import Rak

if TYPE_CHECKING:
    from rak_xl.safe_write import WriteResult

__all__ = [
    "BACKUP_SUFFIX",
    "backup_sheet_name",
    "cli_recalc",
    "cli_regenerate",
    "is_official",
    "recalc_file",
    "regenerate_file",
    "totals_blocks",
]

BACKUP_SUFFIX = " (cadangan)"


def backup_sheet_name(sheet: str) -> str:
    """Name of the hidden copy of ``sheet`` kept before a rebuild (31 chars max)."""
    return sheet[: 31 - len(BACKUP_SUFFIX)] + BACKUP_SUFFIX


def _read(path: Path, sheet: str | None) -> tuple[Grid, Rak]:
    from rak_xl.read import read_rak
    from rak_xl.workbook import locate

    grid, header = locate(path, sheet)  # the header found once, not again by the reader
    return grid, read_rak(grid, header)


def _verifier(expected: Rak, sheet: str) -> Callable[[Path], None]:
    def verify(tmp: Path) -> None:
        _, got = _read(tmp, sheet)
        if got != expected:
            raise WriteFailed(
                f"Hasil susun ulang lembar '{sheet}' tidak sama dengan isi semula; "
                "file asli tidak diubah. Laporkan file ini ke pengembang."
            )

    return verify


def regenerate_file(
    path: Path,
    sheet: str | None = None,
    output: Path | None = None,
    notices: list[str] | None = None,
) -> WriteResult:
    """Rebuild the RAK sheet of ``path`` in the official layout (Susun Ulang).

    Edited at the package level (``rak_xl.opc.rebuild``): the sheet's cells, merges and
    print setup are rebuilt, a hidden backup copy is added, everything else is kept.
    ``notices`` receives the sentences saying what stayed where it was.
    """
    from rak_xl.opc import check_destination, edit_file
    from rak_xl.opc.rebuild import rebuild
    from rak_xl.safe_write import atomic_update

    check_destination(path, output)
    grid, rak = _read(path, sheet)
    name = grid.sheet
    plan = plan_sheet(rak)
    said: list[str] = []

    def write(tmp: Path) -> None:
        said[:] = edit_file(path, tmp, lambda book: rebuild(book, name, plan, grid))

    result = atomic_update(path, write, verify=_verifier(rak, name), output=output)
    if notices is not None:
        notices.extend(said)
    return result


# --------------------------------------------------------------------------------------
# Hitung Ulang
# --------------------------------------------------------------------------------------
def _label(grid: Grid, row: int) -> str:
    v = grid.value(row, COL["k.uraian"])
    return v.strip() if isinstance(v, str) else ""


def is_official(grid: Grid, rak: Rak) -> bool:
    """Does the sheet use the official physical columns (so formulas can be placed)?"""
    for _, _, k in rak.kegiatan_all():
        jan = k.src.cells.get("kas_bulanan.0")
        if jan is not None and jan.rstrip("0123456789") != "N":
            return False
    col = COMPUTED_COLS["setahun"]
    for r in range(grid.first_row, min(grid.last_row, grid.first_row + 60) + 1):
        v = grid.value(r, col)
        if isinstance(v, str) and v.strip().lower().startswith("jumlah setahun"):
            return True
    return False


def totals_blocks(grid: Grid, rak: Rak) -> tuple[list[TotalsBlock], list[int], int] | None:
    """Where the totals go for the rows now present, or None if the total rows are off.

    Each program must be followed by a ``JUMLAH PROGRAM`` row before the next item,
    each sasaran by a ``JUMLAH SASARAN`` row, and the table must end with
    ``JUMLAH TOTAL``.
    """
    totals = {
        r: _label(grid, r).split(":")[0].upper()
        for r in range(grid.first_row, grid.last_row + 1)
        if _label(grid, r).startswith("JUMLAH")
    }
    starts: list[int] = []
    for s in rak.sasaran:
        starts.append(s.src.row)
        for p in s.program:
            starts.append(p.src.row)
            starts.extend(k.src.row for k in p.kegiatan)
    boundaries = sorted(set(starts) | set(totals))
    if not starts or any(r <= 0 for r in starts):
        return None

    def next_boundary(row: int) -> int:
        return next((b for b in boundaries if b > row), grid.last_row + 1)

    blocks: list[TotalsBlock] = []
    sasaran_rows: list[int] = []
    for si, s in enumerate(rak.sasaran):
        for p in s.program:
            kg = [(k.src.row, next_boundary(k.src.row) - k.src.row) for k in p.kegiatan]
            last_start = max([p.src.row, *[r for r, _ in kg]])
            total = next_boundary(last_start)
            if not totals.get(total, "").startswith("JUMLAH PROGRAM"):
                return None
            blocks.append(TotalsBlock(tuple(kg), p.src.row, total - 1, total, si))
        after = max([s.src.row, *[b.total_row for b in blocks if b.sasaran == si]])
        s_total = next((t for t in sorted(totals) if t > after), 0)
        if not totals.get(s_total, "").startswith("JUMLAH SASARAN"):
            return None
        sasaran_rows.append(s_total)
    grand = next((t for t in sorted(totals) if t > max(sasaran_rows, default=0)), 0)
    if totals.get(grand, "") != "JUMLAH TOTAL":
        return None
    return blocks, sasaran_rows, grand


def _under_merge(grid: Grid, cells: Iterable[tuple[int, int]]) -> bool:
    """Does a merge cover one of ``cells``, or a value, other than at its top-left?

    openpyxl drops the values it finds under a merge when it loads a file, while the
    reader sees them; such a sheet is rebuilt from the model instead of edited.
    """
    wanted = set(cells)
    for r1, c1, r2, c2 in grid.merges:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1) and ((r, c) in wanted or grid.value(r, c) is not None):
                    return True
    return False


def recalc_file(path: Path, sheet: str | None = None, output: Path | None = None) -> WriteResult:
    """Lay the total formulas out again for the rows present (Hitung Ulang).

    Only the formula cells of the computed columns and the totals rows change. When the
    totals rows do not follow the official layout (or a merge hides one of those cells)
    nothing is written: the user is told to run Susun Ulang.
    """
    from rak_xl.layout import S_C_KAS_TW, S_C_MONEY, S_TOTAL_MONEY, PlanCell
    from rak_xl.opc import check_destination, edit_file
    from rak_xl.opc.recalc import recalc
    from rak_xl.safe_write import atomic_update

    check_destination(path, output)
    grid, rak = _read(path, sheet)
    found = totals_blocks(grid, rak) if is_official(grid, rak) else None
    formulas = plan_totals(*found) if found is not None else {}
    if found is None or _under_merge(grid, formulas):
        raise RakError(
            f"Baris jumlah di lembar '{grid.sheet}' tidak sesuai susunan resmi, jadi rumusnya "
            "tidak bisa dipasang ulang; jalankan Susun Ulang dulu (rak-xl regenerate). "
            "File tidak diubah."
        )
    blocks, sasaran_rows, grand = found
    total_rows = {b.total_row for b in blocks} | set(sasaran_rows) | {grand}
    cells = {}
    for (r, c), f in formulas.items():
        if r in total_rows:
            style = S_TOTAL_MONEY
        elif c == COMPUTED_COLS["kas_tw"]:
            first = max(k for b in blocks for k, _ in b.kegiatan if k <= r)
            style = S_C_KAS_TW[min(r - first, 3)]
        else:
            style = S_C_MONEY
        cells[(r, c)] = PlanCell(f, style)
    name = grid.sheet

    def write(tmp: Path) -> None:
        edit_file(path, tmp, lambda book: recalc(book, name, cells))

    return atomic_update(path, write, verify=_verifier(rak, name), output=output)


_is_official = is_official  # the name the Excel buttons import


# --------------------------------------------------------------------------------------
# CLI entry points
# --------------------------------------------------------------------------------------
def _report(action: str, result: WriteResult) -> None:
    print(f"{action}. {result.message()}")


def cli_regenerate(path: Path, sheet: str | None = None, output: Path | None = None) -> int:
    """``rak-xl regenerate``: 0 on success; RakError propagates to the CLI boundary."""
    if not path.exists():
        raise WorkbookUnreadable(f"File {path.absolute()} tidak ditemukan.")
    notices: list[str] = []
    _report("Lembar RAK disusun ulang", regenerate_file(path, sheet, output, notices))
    for line in notices:
        print(f"rak-xl: {line}")
    return 0


def cli_recalc(path: Path, sheet: str | None = None, output: Path | None = None) -> int:
    """``rak-xl recalc``: 0 on success."""
    if not path.exists():
        raise WorkbookUnreadable(f"File {path.absolute()} tidak ditemukan.")
    _report("Rumus jumlah dihitung ulang", recalc_file(path, sheet, output))
    return 0
