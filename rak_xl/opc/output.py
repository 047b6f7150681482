"""Where a write goes and which kind of package it must be (``-o OUT``).

An ``.xlsm`` is a macro-enabled package (main part content type
``sheet.macroEnabled.main+xml``, VBA project kept); an ``.xlsx`` is not, and Excel refuses
to open an ``.xlsx`` holding a VBA project. So a workbook with macros is never written as
``.xlsx`` (its macros would be lost), an ``.xlsx`` written as ``.xlsm`` gets the
macro-enabled content type, and any other extension is refused.
"""

from __future__ import annotations

from pathlib import Path

from rak_xl.errors import RakError
from rak_xl.opc.package import CT, Package
from rak_xl.opc.workbook import Workbook

__all__ = ["WRITABLE", "check_output", "has_vba", "macros_would_be_lost", "set_kind"]

WRITABLE = (".xlsx", ".xlsm")


def check_output(src: Path, output: Path | None) -> None:
    """Refuse an ``-o`` the command cannot honour, before anything is read or written."""
    if output is None:
        return
    suffix = Path(output).suffix.lower()
    if suffix not in WRITABLE:
        raise RakError(
            f"File hasil {Path(output).name} harus berakhiran .xlsx atau .xlsm; "
            "tidak ada yang ditulis."
        )


def macros_would_be_lost(src: Path, dest: Path) -> RakError:
    return RakError(
        f"{src.name} berisi makro (VBA); menyimpannya sebagai {dest.name} (.xlsx) akan "
        "menghapus makronya. Pakai nama berakhiran .xlsm."
    )


def has_vba(pkg: Package) -> bool:
    wb = Workbook(pkg)
    return any(r.kind == "vbaProject" for r in pkg.rels(wb.part)) or pkg.has("xl/vbaProject.bin")


def set_kind(pkg: Package, src: Path, dest: Path) -> None:
    """Make the package what ``dest``'s extension promises (see the module docstring).
    A workbook with macros written back to its own ``.xlsx`` name stays as it was."""
    if dest.suffix.lower() not in WRITABLE:
        return
    macro = dest.suffix.lower() == ".xlsm"
    if not macro and has_vba(pkg):
        if dest.suffix.lower() == src.suffix.lower():
            return
        raise macros_would_be_lost(src, dest)
    wb = Workbook(pkg)
    now = pkg.content_type(wb.part)
    want = CT.MAIN_MACRO if macro else CT.MAIN
    if now in (CT.MAIN, CT.MAIN_MACRO) and now != want:
        pkg.set_override(wb.part, want)
