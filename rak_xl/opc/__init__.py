"""Writing workbooks at the package level (Open Packaging Conventions).

The file commands (``validate --mark``, ``regenerate``, ``recalc``) change only the parts
they own and copy every other part of the ``.xlsx``/``.xlsm`` zip as its stored bytes:
other sheets, pictures, charts, pivot caches, custom XML, the VBA project, printer
settings, and the rich text, data validation, sparklines and ``x14`` extensions that a
load-and-save through openpyxl silently dropped.

    package   the zip (reader's guards), content types, relationships; ``save`` copies
              unchanged parts as stored bytes (``_zipio``)
    workbook  ``xl/workbook.xml``: sheets, defined names, active tab
    styles    ``xl/styles.xml``, append only
    sheet     a worksheet: children as elements, ``sheetData`` edited as bytes
    notes     comments part + note shapes of the sheet's VML drawing
    ownsheets ``Temuan`` and ``_rak_xl``; a small cell reader
    marking   --mark / unmark (``rak_xl.marks.plan_unmark``)
    rebuild   regenerate (``rak_xl.layout.SheetPlan``), the backup sheet
    recalc    recalc (the totals' formulas)
    output    ``-o OUT``: .xlsx / .xlsm and the VBA project
    convert   .xls / .ods input as a values-only package
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rak_xl.errors import WorkbookUnreadable
from rak_xl.opc.book import Book
from rak_xl.opc.convert import OLD_FORMATS, converted
from rak_xl.opc.output import check_output, has_vba, macros_would_be_lost, set_kind
from rak_xl.opc.package import Package

__all__ = ["Book", "check_destination", "edit_file", "open_package"]

T = TypeVar("T")


def open_package(path: Path) -> Package:
    """The package to edit: the file itself, or the values of an ``.xls``/``.ods``."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise WorkbookUnreadable(f"File {path.name} tidak dapat dibuka ({exc.strerror}).") from exc
    # By content, as the reader decides (an .xls saved under an .xlsx name is an .xls).
    if head.startswith(b"PK\x03\x04"):
        pkg = Package.open(path)
        if not pkg.has("mimetype"):
            return pkg
        pkg.close()  # an OpenDocument spreadsheet
    return converted(path)


def check_destination(src: Path, output: Path | None) -> None:
    """Refuse, before anything is written, an output the package cannot become."""
    from rak_xl.safe_write import destination_for

    check_output(src, output)
    dest = destination_for(src, output)
    kinds = {dest.suffix.lower(), Path(src).suffix.lower()}
    if dest.suffix.lower() != ".xlsx" or len(kinds) == 1 or Path(src).suffix.lower() in OLD_FORMATS:
        return
    pkg = open_package(src)
    try:
        if has_vba(pkg):
            raise macros_would_be_lost(Path(src), dest)
    finally:
        pkg.close()


def edit_file(src: Path, dest: Path, edit: Callable[[Book], T]) -> T:
    """Open ``src``, let ``edit`` change the book, write the package to ``dest``."""
    pkg = open_package(src)
    try:
        set_kind(pkg, Path(src), Path(dest))
        book = Book(pkg)
        result = edit(book)
        book.finish()
        with Path(dest).open("wb") as fh:
            pkg.save(fh)
    finally:
        pkg.close()
    return result
