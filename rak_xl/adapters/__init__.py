"""Thin adapters between the pure core and XlsxWriter (the template) and xlwings (live
Excel). Workbook files are edited at the package level by ``rak_xl.opc``."""
