"""``rak-xl validate FILE [--sheet NAME] [--json] [--mark] [--dpa DPA]``.

Exit codes: 0 no error-severity finding, 1 at least one, 2 the file cannot be read as a
RAK (``RakError`` propagates to the CLI, which prints its sentence; nothing is written).
With ``--json`` a file without a RAK table still prints a report holding the one
``struct.header-not-found`` finding before exiting 2.
``--mark`` writes fills, notes and the ``Temuan`` sheet into the file through
``safe_write.atomic_update`` (temp file, check, backup, atomic replace).

``--dpa FILE`` gives the DPA cash plan to compare with (``cash.dpa-mismatch``), read by
``rak_xl.dpa.load_dpa`` (JSON or CSV, untrusted). Kegiatan are matched by uraian, ignoring
case and spacing; kegiatan missing from the DPA are not compared.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rak_xl.console import write_json
from rak_xl.errors import NoRakTable, RakError

TYPE_CHECKING = False  # type checkers read it as True; no ``typing`` import before the parse
if TYPE_CHECKING:
    from rak_xl.model import Rak
    from rak_xl.rules import Settings
    from rak_xl.rules.findings import Report

# Imported while calamine parses the sheet (``rak_xl.api.load``), not before reading.
_RULES = ("rak_xl.rules", "rak_xl.report")

__all__ = ["cli_validate", "mark_workbook"]


def mark_workbook(path: Path, report: Report, rak: Rak | None = None) -> str:
    """Write the marks of ``report`` into ``path`` safely; the sentence for the user.

    Edited at the package level (``rak_xl.opc``): only the marked cells' formats, their
    notes and our two sheets change; the verify step reads the result back and requires
    the same RAK (``rak``, when given), our ``Temuan`` sheet and an unchanged VBA project.
    """
    from rak_xl.marks import plan_marks
    from rak_xl.opc import Book, edit_file, open_package
    from rak_xl.opc.marking import mark, our_sheets
    from rak_xl.safe_write import atomic_update

    plan = plan_marks(report)

    def verify(tmp: Path) -> None:
        import zipfile

        from rak_xl.api import load

        if rak is not None and load(tmp, sheet=report.sheet or None) != rak:
            raise RakError("isi lembar RAK berubah saat ditandai")
        written = open_package(tmp)
        try:
            temuan, _ = our_sheets(Book(written))
        finally:
            written.close()
        if not temuan:
            raise RakError("sheet Temuan tidak tertulis")
        if not zipfile.is_zipfile(path):
            return  # .xls / .ods: no VBA project to keep
        with zipfile.ZipFile(path) as a, zipfile.ZipFile(tmp) as b:
            old = "xl/vbaProject.bin" in a.namelist()
            if old and a.read("xl/vbaProject.bin") != b.read("xl/vbaProject.bin"):
                raise RakError("proyek VBA berubah")

    # An .xls/.ods is left as it is: the marks go into a new .xlsx beside it.
    def write(tmp: Path) -> None:
        edit_file(path, tmp, lambda book: mark(book, plan))

    result = atomic_update(path, write, verify=verify)
    if result.converted:
        return f"Temuan ditandai. {result.message()}"
    return f"Temuan ditandai di {result.path.absolute()}." + (
        f" Cadangan file asli: {result.backup.absolute()}." if result.backup else ""
    )


def cli_validate(
    path: Path,
    sheet: str | None = None,
    as_json: bool = False,
    mark: bool = False,
    *,
    dpa: Path | None = None,
    settings: Settings | None = None,
    money_tolerance: float = 0.0,
) -> int:
    """Check ``path``, print the findings (text or JSON), optionally mark the file.

    ``money_tolerance`` sets ``Settings.money_tolerance`` when no ``settings`` are given
    (the CLI's option, without importing the rules before the file is read).
    """
    from rak_xl.api import keep_until_exit, load, paused_gc

    reference = None
    if dpa is not None:
        from rak_xl.dpa import load_dpa

        reference = load_dpa(dpa)
    try:
        with paused_gc():  # the marks below run with the collector on
            rak = load(path, sheet=sheet, prefetch=_RULES)
            from rak_xl.rules import Settings, check

            settings = settings or Settings(money_tolerance=money_tolerance)
            report = check(rak, settings=settings, dpa=reference)
    except NoRakTable:
        if as_json:  # a JSON consumer still gets the finding; the CLI prints the sentence
            from rak_xl.report import render_json
            from rak_xl.rules.findings import Report
            from rak_xl.rules.struct import HeaderNotFound

            finding = HeaderNotFound.for_sheet(sheet)
            write_json(render_json(Report.of([finding], sheet=sheet or ""), str(path)))
        raise
    from rak_xl.report import render_json, render_text

    if as_json:
        write_json(render_json(report, str(path)))
    else:
        sys.stdout.write(render_text(report, str(path)))
    sys.stdout.flush()
    if mark:
        print(f"rak-xl: {mark_workbook(Path(path), report, rak)}", file=sys.stderr)
    keep_until_exit(rak, report)
    return 1 if report.has_errors else 0
