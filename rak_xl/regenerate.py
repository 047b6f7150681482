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

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rak_xl.errors import WorkbookUnreadable, WriteFailed
from rak_xl.forms import FORMS
from rak_xl.grid import Grid
from rak_xl.layout import is_official, plan_sheet, recalc_formulas, totals_blocks
from rak_xl.layout import under_merge as _under_merge
from rak_xl.model import Rak
from rak_xl.sheet_spec import BACKUP_SUFFIX, backup_sheet_name

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


def _read(path: Path, sheet: str | None) -> tuple[Grid, Rak]:
    from rak_xl.read import read_rak
    from rak_xl.workbook import locate

    grid, header = locate(path, sheet)  # the header found once, not again by the reader
    return grid, read_rak(grid, header)


def _verifier(expected: Rak, sheet: str) -> Callable[[Path], None]:
    def verify(tmp: Path) -> None:
        from rak_xl.read.meaning import same_meaning

        _, got = _read(tmp, sheet)
        if not same_meaning(got, expected):  # the same values; a text's form may differ
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
# Hitung Ulang (the pure totals logic is ``rak_xl.layout.totals``)
# --------------------------------------------------------------------------------------
def recalc_file(path: Path, sheet: str | None = None, output: Path | None = None) -> WriteResult:
    """Lay the total formulas out again for the rows present (Hitung Ulang).

    Only the formula cells of the computed columns and the totals rows change. When the
    totals rows do not follow the official layout (or a merge hides one of those cells)
    nothing is written: the user is told to run Susun Ulang.
    """
    from rak_xl.layout import S_C_MONEY, S_TOTAL_MONEY, S_YEAR, PlanCell
    from rak_xl.opc import check_destination, edit_file
    from rak_xl.opc.recalc import recalc
    from rak_xl.safe_write import atomic_update

    check_destination(path, output)
    grid, rak = _read(path, sheet)
    found = recalc_formulas(grid, rak)
    formulas, total_rows = found if found is not None else ({}, frozenset[int]())
    # Said once the sheet's positions are checked (``recalc``): a file fault comes first,
    # Susun Ulang would refuse it as well.
    refusal = None
    if found is None or _under_merge(grid, formulas):
        refusal = (
            f"Baris jumlah di lembar '{grid.sheet}' tidak sesuai susunan resmi, jadi rumusnya "
            "tidak bisa dipasang ulang; jalankan Susun Ulang dulu (rak-xl regenerate)."
        )
    year = FORMS[rak.tingkat].computed_cols["setahun"]
    cells = {}
    for (r, c), f in formulas.items():
        if r in total_rows:
            style = S_TOTAL_MONEY
        elif c == year:
            style = S_YEAR
        else:
            style = S_C_MONEY
        cells[(r, c)] = PlanCell(f, style)
    name = grid.sheet

    def write(tmp: Path) -> None:
        edit_file(path, tmp, lambda book: recalc(book, name, cells, refusal))

    return atomic_update(path, write, verify=_verifier(rak, name), output=output)


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
