"""``rak-xl validate FILE [--sheet NAME] [--json] [--mark] [--dpa DPA]``.

Exit codes: 0 no error-severity finding, 1 at least one, 2 the file cannot be read as a
RAK (``RakError`` propagates to the CLI, which prints its sentence; nothing is written).
With ``--json`` a file without a RAK table still prints a report holding the one
``struct.header-not-found`` finding before exiting 2.
``--mark`` writes fills, notes and the ``Temuan`` sheet into the file through
``safe_write.atomic_update`` (temp file, check, backup, atomic replace).

``--dpa FILE`` gives the DPA cash plan to compare with (``cash.dpa-mismatch``): either
JSON ``{"<uraian kegiatan>": [12 angka Januari..Desember], ...}`` or CSV with one kegiatan
per line: uraian, then 12 monthly amounts (a header line, ``;`` as separator and
Indonesian ``1.234.000`` numbers are accepted). Kegiatan are matched by uraian, ignoring
case and spacing; kegiatan missing from the DPA are not compared.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rak_xl.errors import NoRakTable, RakError

if TYPE_CHECKING:
    from rak_xl.model import Number, Rak
    from rak_xl.rules import Settings
    from rak_xl.rules.findings import Report

# Imported while calamine parses the sheet (``rak_xl.api.load``), not before reading.
_RULES = ("rak_xl.rules", "rak_xl.report")

__all__ = ["cli_validate", "dpa_number", "load_dpa", "mark_workbook"]


def dpa_number(text: str) -> Number:
    s = text.strip().replace("Rp", "").replace(" ", "")
    if s in ("", "-"):
        return 0
    if "," in s and "." in s:  # both separators: the last one is the decimal mark
        s = (
            s.replace(".", "").replace(",", ".")
            if s.rfind(",") > s.rfind(".")
            else s.replace(",", "")
        )
    elif s.count(".") > 1 or (s.count(".") == 1 and len(s.split(".")[1]) == 3):
        s = s.replace(".", "")  # 1.234.000: Indonesian thousands
    elif "," in s:
        s = s.replace(",", "") if len(s.split(",")[-1]) == 3 else s.replace(",", ".")
    value = float(s)
    return int(value) if value.is_integer() else value


def load_dpa(path: Path) -> dict[str, list[Number]]:
    """Read a DPA reference (JSON or CSV, see the module docstring)."""
    import csv  # here, not at the top: most checks have no DPA (start-up time)
    import json

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RakError(f"File DPA {path} tidak bisa dibaca ({exc.strerror}).") from exc
    out: dict[str, list[Number]] = {}
    try:
        if text.lstrip().startswith("{"):
            data = json.loads(text)
            for name, months in data.items():
                values = [m if isinstance(m, int | float) else dpa_number(str(m)) for m in months]
                if len(values) != 12:
                    raise ValueError(name)
                out[str(name)] = values
            return out
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
        for row in csv.reader(io.StringIO(text), dialect):
            if not row or not row[0].strip():
                continue
            try:
                values = [dpa_number(v) for v in row[1:13]]
            except ValueError:
                continue  # header line
            if len(values) != 12:
                raise ValueError(row[0])
            out[row[0].strip()] = values
    except (ValueError, AttributeError, csv.Error) as exc:
        raise RakError(
            f"File DPA {Path(path).name} tidak bisa dibaca: tiap kegiatan harus punya 12 "
            "angka (Januari..Desember)."
        ) from exc
    return out


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
    return f"Temuan ditandai di {result.path}." + (
        f" Cadangan file asli: {result.backup}." if result.backup else ""
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
    from rak_xl.api import load, paused_gc

    reference = load_dpa(dpa) if dpa is not None else None
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
            sys.stdout.write(render_json(Report.of([finding], sheet=sheet or ""), str(path)))
        raise
    from rak_xl.report import render_json, render_text

    render = render_json if as_json else render_text
    sys.stdout.write(render(report, str(path)))
    sys.stdout.flush()
    if mark:
        print(f"rak-xl: {mark_workbook(Path(path), report, rak)}", file=sys.stderr)
    return 1 if report.has_errors else 0
