"""Small workbooks for the package-level write tests (test_opc_*.py): a planned RAK sheet
with neighbours, and looks into the written parts."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import xlsxwriter

from rak_xl.adapters.xlsxwriter_plan import apply_plan
from rak_xl.layout import plan_sheet
from rak_xl.model import Rak
from rak_xl.opc import Book, open_package

__all__ = ["cells_xml", "part_of", "rak_book", "rewrite_sheet", "sheets"]


def rak_book(
    path: Path,
    rak: Rak,
    sheet: str = "RAK",
    extra: dict[str, list[list[object]]] | None = None,
    hidden: frozenset[str] = frozenset(),
) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    apply_plan(wb, wb.add_worksheet(sheet), plan_sheet(rak))
    for name, rows in (extra or {}).items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                ws.write_string(r, c, v) if isinstance(v, str) else ws.write(r, c, v)
        if name in hidden:
            ws.hide()
    wb.close()
    return path


def sheets(path: Path) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [(ws.title, ws.sheet_state) for ws in wb.worksheets]
    finally:
        wb.close()


def part_of(path: Path, sheet: str) -> bytes:
    pkg = open_package(path)
    try:
        ref = Book(pkg).ref(sheet)
        assert ref is not None and ref.part is not None
        return pkg.read(ref.part)
    finally:
        pkg.close()


def cells_xml(path: Path, sheet: str) -> dict[str, bytes]:
    data = part_of(path, sheet)
    return {
        m.group(1).decode(): m.group(0)
        for m in re.finditer(rb'<c r="([A-Z]+\d+)"(?:[^>]*/>|[^>]*>.*?</c>)', data)
    }


def rewrite_sheet(path: Path, fn: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = fn(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
