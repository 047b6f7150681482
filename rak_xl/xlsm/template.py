"""``rak-xl template``: build ``workbook_template.xlsm`` from source, byte for byte reproducible.

Sheets (codeNames in brackets, matching the document modules of the VBA project):
``RAK`` [Sheet1] the empty official 2020 layout (3 levels) with the four buttons;
``RAK Sub Kegiatan`` [Sheet2] the empty 2021+ layout (4 levels, ``FORM_2021``) with the
same buttons; ``Petunjuk`` [Sheet3] how to use them; ``Contoh`` [Sheet4] the seed RAK in
the 2020 layout, with the same buttons (each acts on the sheet it is clicked on: the
active one); ``xlwings.conf`` [Sheet5] the xlwings settings; ``_rak_xl_gaya`` [Sheet6],
very hidden, the formats Susun Ulang copies (``rak_xl.paint.prototype``).
The VBA project is generated (``rak_xl.xlsm.vba_project``); XlsxWriter writes everything
else. Reproducible because the document dates are fixed and XlsxWriter stamps every zip
member with 1980-01-01.

Never round-trip this file through openpyxl: it would drop the button shapes.
"""

from __future__ import annotations

import io
import json
import os
import time
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from rak_xl.errors import WriteFailed, os_reason
from rak_xl.layout import SheetPlan, plan_sheet
from rak_xl.model import Rak
from rak_xl.paint.prototype import PROTOTYPE_SHEET, prototype_sheet_plan
from rak_xl.xlsm.vba_project import BUTTON_MACROS, DOCUMENT_MODULES, vba_project_bin

__all__ = [
    "BUTTON_CAPTIONS",
    "BUTTON_SHEETS",
    "CONF_SETTINGS",
    "RAK4_SHEET",
    "SHEETS",
    "build_template",
    "cli_template",
    "seed_rak",
    "template_bytes",
]

# The empty sheet of the 2021+ form (Program > Kegiatan > Sub Kegiatan, with codes).
RAK4_SHEET = "RAK Sub Kegiatan"
# Sheet name -> codeName (= document module name in the VBA project).
SHEETS = dict(
    zip(
        ("RAK", RAK4_SHEET, "Petunjuk", "Contoh", "xlwings.conf", PROTOTYPE_SHEET),
        DOCUMENT_MODULES[1:],
        strict=True,
    )
)
BUTTON_SHEETS = ("RAK", RAK4_SHEET, "Contoh")
# One row of buttons from A1, left of the centred title and above the table header: the
# layout decides how many rows sit above the header, so the height follows the plan.
BUTTON_CAPTIONS = tuple(BUTTON_MACROS)
_BUTTON_WIDTH, _BUTTON_GAP, _BUTTON_MAX_HEIGHT = 96, 4, 40
_DEFAULT_ROW_PT = 15.0
# xlwings reads A1 downwards to the first empty cell: keys must be contiguous.
# Empty interpreters = xlwings' defaults (python / pythonw on PATH). On macOS xlwings
# passes anything but "python"/"pythonw" through `POSIX path of`, so only a full path
# works there: the user writes it in (Petunjuk says how); no guess is shipped.
CONF_SETTINGS: tuple[tuple[str, str | bool], ...] = (
    ("Interpreter_Win", ""),
    ("Interpreter_Mac", ""),
    ("PYTHONPATH", ""),
    ("Conda Path", ""),
    ("Conda Env", ""),
    ("UDF Modules", "rak_xl.udfs"),
    ("Debug UDFs", False),
    ("Use UDF Server", False),
    ("Show Console", False),
)
_FIXED_DATE = datetime(2020, 1, 1)


def seed_rak() -> Rak:
    """The example RAK shipped with the package (Kabupaten Banjar 2020)."""
    text = resources.files("rak_xl").joinpath("data", "rak_banjar_2020.json").read_text("utf-8")
    return Rak.from_json(json.loads(text))


def _write_rak_sheet(workbook: Any, worksheet: Any, rak: Rak) -> SheetPlan:
    from rak_xl.adapters.xlsxwriter_plan import apply_plan

    plan = plan_sheet(rak)
    apply_plan(workbook, worksheet, plan)
    return plan


def _add_buttons(worksheet: Any, plan: SheetPlan) -> None:
    """The four buttons in one row at the top left, clear of the table header."""
    above_pt = sum(plan.row_heights.get(r, _DEFAULT_ROW_PT) for r in range(1, plan.table.group_row))
    height = min(_BUTTON_MAX_HEIGHT, int(above_pt * 4 / 3) - 2 * _BUTTON_GAP)
    for i, caption in enumerate(BUTTON_CAPTIONS):
        worksheet.insert_button(
            "A1",
            {
                "macro": BUTTON_MACROS[caption],
                "caption": caption,
                "width": _BUTTON_WIDTH,
                "height": height,
                "x_offset": _BUTTON_GAP + i * (_BUTTON_WIDTH + _BUTTON_GAP),
                "y_offset": _BUTTON_GAP,
            },
        )


def _write_petunjuk(workbook: Any, worksheet: Any) -> None:
    """The staff guide (docs/PANDUAN.md, shipped as package data), one row per block,
    printed one page wide on A4."""
    from rak_xl.panduan import guide_text, petunjuk_rows

    wrap = {"text_wrap": True, "valign": "top"}
    fmt = {
        "h1": workbook.add_format({"bold": True, "font_size": 14}),
        "h2": workbook.add_format({"bold": True, "font_size": 12}),
        "h3": workbook.add_format({"bold": True, "italic": True}),
        "p": workbook.add_format(wrap),
        "li": workbook.add_format({**wrap, "indent": 1}),
        "code": workbook.add_format({"font_name": "Consolas", "bg_color": "#F2F2F2", "indent": 2}),
    }
    # Characters: 450 pt in Excel (Calibri), about 505 pt in LibreOffice without Calibri's
    # metric twin; both inside A4 portrait's 523 pt between 0.5" margins, so the sheet
    # prints one page wide even where fit-to-width is not applied.
    width = 85
    worksheet.set_column(0, 0, width)
    worksheet.set_paper(9)  # A4
    worksheet.set_portrait()
    worksheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    worksheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    row = 0
    for kind, text in petunjuk_rows(guide_text()):
        if kind in ("h2", "h3") and row:
            row += 1  # a blank line before each section
        worksheet.write_string(row, 0, text, fmt[kind])
        lines = -(-len(text) // (width - 10))  # wrapped lines, a little short of the width
        if lines > 1:
            worksheet.set_row(row, 15 * lines)
        row += 1


def _write_conf(workbook: Any, worksheet: Any) -> None:
    bold = workbook.add_format({"bold": True})
    worksheet.set_column(0, 0, 20)
    worksheet.set_column(1, 1, 40)
    for row, (key, value) in enumerate(CONF_SETTINGS):
        worksheet.write_string(row, 0, key)
        if isinstance(value, bool):
            worksheet.write_boolean(row, 1, value)
        elif value:
            worksheet.write_string(row, 1, value)
    note_row = len(CONF_SETTINGS) + 2
    worksheet.write_string(note_row, 0, "Catatan:", bold)
    notes = (
        "Pengaturan xlwings dibaca dari A1 ke bawah sampai sel kosong pertama.",
        "Interpreter_Win kosong = Python di PATH. Isi lokasi lengkap pythonw.exe bila perlu.",
        "Interpreter_Mac: lokasi lengkap python3 (hasil perintah which python3 di Terminal).",
        "UDF Modules = rak_xl.udfs: modul fungsi RAK_KAS_TW, TERBILANG, dll.",
    )
    for i, text in enumerate(notes, start=note_row + 1):
        worksheet.write_string(i, 0, text)


def _write_prototype(workbook: Any, worksheet: Any) -> None:
    from rak_xl.adapters.xlsxwriter_plan import apply_plan

    apply_plan(workbook, worksheet, prototype_sheet_plan())
    worksheet.very_hidden()  # not for users; only Susun Ulang reads it


def template_bytes() -> bytes:
    """The template workbook as bytes (the same bytes on every call)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": "Template Rencana Aksi Kinerja (RAK)",
            "subject": "RAK dengan tombol Validasi, Hitung Ulang, Susun Ulang, Batalkan",
            "author": "rak-xl",
            "company": "",
            "comments": "Dibangun oleh `rak-xl template`; makro memanggil Python (xlwings).",
            "created": _FIXED_DATE,
        }
    )
    workbook.set_vba_name(DOCUMENT_MODULES[0])
    sheets = {name: workbook.add_worksheet(name) for name in SHEETS}
    for name, sheet in sheets.items():
        sheet.set_vba_name(SHEETS[name])

    plans = {
        "RAK": _write_rak_sheet(workbook, sheets["RAK"], Rak()),
        RAK4_SHEET: _write_rak_sheet(workbook, sheets[RAK4_SHEET], Rak(tingkat=4)),
        "Contoh": _write_rak_sheet(workbook, sheets["Contoh"], seed_rak()),
    }
    # The buttons act on the sheet they are clicked on (the active one): try them on Contoh.
    for name in BUTTON_SHEETS:
        _add_buttons(sheets[name], plans[name])
    _write_petunjuk(workbook, sheets["Petunjuk"])
    _write_conf(workbook, sheets["xlwings.conf"])
    _write_prototype(workbook, sheets[PROTOTYPE_SHEET])
    sheets["RAK"].activate()

    workbook.add_vba_project(io.BytesIO(vba_project_bin()), is_stream=True)
    workbook.close()
    return buffer.getvalue()


def build_template(output: Path) -> None:
    """Write the template to ``output``: complete in a temporary file, then renamed."""
    data = template_bytes()
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)


def cli_template(output: Path) -> int:
    """``rak-xl template -o PATH``: build the template, report where and how big."""
    started = time.perf_counter()
    try:
        build_template(output)
    except OSError as err:
        raise WriteFailed(
            f"Template tidak dapat ditulis ke {output.absolute()} ({os_reason(err)}); "
            "periksa folder tujuan dan izin tulisnya."
        ) from err
    size_kb = output.stat().st_size / 1024
    print(f"Template dibuat: {output} ({size_kb:.0f} KB, {time.perf_counter() - started:.1f} dtk)")
    return 0
