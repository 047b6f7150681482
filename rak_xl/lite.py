"""rak-xl in xlwings Lite: the four buttons as Lite scripts, the cell functions as Lite
custom functions.

xlwings Lite runs Python in Pyodide inside the Excel add-in, so staff need no Python of
their own. It lists a module's ``@script`` functions (one button each in App Mode, the
docstring under it) and registers its ``@func`` functions as Excel functions; it reads
both from the module with xlwings' ``custom_scripts_meta`` / ``custom_functions_meta``
and calls them through ``custom_scripts_call`` / ``custom_functions_call``
(``xlwings.server``), which is how the Pyodide test drives this module.

The scripts are the same functions as the classic ``.xlsm`` buttons (``rak_xl.buttons``):
each gets the workbook the add-in sends and ends with the same Indonesian message box.
The cell functions are ``rak_xl.udfs`` itself: under xlwings Lite ``xlwings.func`` is the
Lite decorator (xlwings runs with ``XLWINGS_ON_SERVER=true`` there), so the decorators
that serve classic Excel on Windows register them for Lite too.

Nothing imported here (xlwings, the reader, the rules, Babel) is compiled or starts a
thread or a process: the module runs in Pyodide as it is.
"""

from __future__ import annotations

import xlwings as xw

from rak_xl import buttons
from rak_xl.udfs import RAK_CEK, RAK_JUMLAH, RAK_KAS_TW, RAK_TARGET, RUPIAH, TERBILANG

__all__ = [
    "FUNCTIONS",
    "RAK_CEK",
    "RAK_JUMLAH",
    "RAK_KAS_TW",
    "RAK_TARGET",
    "RUPIAH",
    "SCRIPTS",
    "TERBILANG",
    "batalkan",
    "hitung_ulang",
    "susun_ulang",
    "validasi",
]


@xw.script(name="Validasi")
def validasi(book: xw.Book) -> None:
    """Periksa target triwulan dan anggaran kas. Sel bermasalah diberi warna dan catatan;
    semua temuan didaftar di sheet Temuan."""
    buttons.validasi(book)


@xw.script(name="Hitung Ulang")
def hitung_ulang(book: xw.Book) -> None:
    """Hitung ulang semua rumus jumlah (per program, per sasaran dan total)."""
    buttons.hitung_ulang(book)


@xw.script(name="Susun Ulang")
def susun_ulang(book: xw.Book) -> None:
    """Susun ulang sheet RAK ke format resmi tanpa menghilangkan isian. Salinan sheet
    sebelumnya disimpan tersembunyi (tombol Batalkan)."""
    buttons.susun_ulang(book)


@xw.script(name="Batalkan")
def batalkan(book: xw.Book) -> None:
    """Kembalikan sheet RAK seperti sebelum Susun Ulang terakhir."""
    buttons.batalkan(book)


# Python names, in the order of the buttons on the RAK sheet and of the Petunjuk.
SCRIPTS = ("validasi", "hitung_ulang", "susun_ulang", "batalkan")
FUNCTIONS = ("RAK_KAS_TW", "RAK_JUMLAH", "RAK_TARGET", "RAK_CEK", "TERBILANG", "RUPIAH")
