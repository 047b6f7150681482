"""Thin adapters between the pure core and openpyxl, XlsxWriter and xlwings."""
