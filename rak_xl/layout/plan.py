"""The sheet plan as data: what ``plan_sheet`` gives the adapters (openpyxl, XlsxWriter,
xlwings), which translate it into cells, formats, merges and print settings."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "Formula",
    "KegiatanTotal",
    "PlanCell",
    "PlanValue",
    "PrintSetup",
    "ProgramTotal",
    "SheetPlan",
    "Style",
    "TableInfo",
    "Totals4",
    "TotalsBlock",
]


@dataclass(frozen=True)
class Formula:
    """A live Excel formula (``text`` starts with ``=``, comma argument separators).

    Kept apart from plain strings so that user text beginning with ``=`` is written as
    text, never evaluated.
    """

    text: str
    # What it computes to, written as the cached value where the writer can (so a reader
    # of cached values, or LibreOffice, which does not recalculate an .xlsx on load, shows
    # it before any recalculation); None: not computed.
    value: float | None = None


@dataclass(frozen=True)
class Style:
    """Cell style as data; adapters translate it (and cache one format per ``key``)."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float = 9.0
    h_align: str = "general"  # general | left | center | right
    v_align: str = "top"  # top | center | bottom
    wrap: bool = False
    indent: int = 0  # keeps right-aligned amounts off the cell border
    number_format: str = "General"
    fill: str | None = None  # "RRGGBB"
    border: bool = False  # thin border
    # Which sides when ``border``: "all", or "top"/"mid"/"bottom" for the rows of a block
    # drawn as one box without a merge (merges are costly for openpyxl to load).
    box: str = "all"
    font: str = "Arial"


PlanValue = str | int | float | bool | _dt.datetime | Formula | None


@dataclass(frozen=True)
class PlanCell:
    value: PlanValue
    style: Style = Style()


@dataclass(frozen=True)
class PrintSetup:
    landscape: bool = True
    paper_size: int = 14  # 9 = A4, 14 = Folio 8.5 x 13 in (Indonesia's F4, 215 x 330 mm)
    # A fixed scale (10..400 %) when set: Excel and LibreOffice then keep the manual page
    # breaks, which "fit to" would ignore. Else fit to ``fit_width`` pages wide.
    scale: int | None = None
    fit_width: int = 1
    fit_height: int = 0  # as many pages as needed
    title_rows: tuple[int, int] | None = None  # repeated on every page
    title_cols: tuple[int, int] | None = None  # repeated at the left of every page right of them
    print_area: tuple[int, int, int, int] | None = None  # r1, c1, r2, c2
    # Manual page breaks: the first row / column of each new page (1-based).
    row_breaks: tuple[int, ...] = ()
    col_breaks: tuple[int, ...] = ()
    over_then_down: bool = False  # page order: a row band's pages side by side first
    footer_center: str = "Halaman &P dari &N"
    margins_in: tuple[float, float, float, float] = (0.4, 0.4, 0.5, 0.6)  # l, r, t, b


@dataclass(frozen=True)
class TotalsBlock:
    """Rows of one program for the totals: kegiatan (first row, row count) + total row."""

    kegiatan: tuple[tuple[int, int], ...]
    first_row: int  # first row of the program block (its anggaran cell)
    last_row: int  # last kegiatan row (inclusive), before the total row
    total_row: int
    sasaran: int  # index of the sasaran it belongs to


@dataclass(frozen=True)
class KegiatanTotal:
    """A kegiatan's ``JUMLAH KEGIATAN`` row (4-level form) and the rows it adds up."""

    anggaran_row: int  # the kegiatan's first row (its anggaran cell)
    first_row: int  # first and last row added up: its sub kegiatan (else its own rows)
    last_row: int
    total_row: int


@dataclass(frozen=True)
class ProgramTotal:
    """A program's ``JUMLAH PROGRAM`` row (4-level form): the sum of its kegiatan's."""

    anggaran_row: int  # the program's first row (its anggaran cell)
    parts: tuple[int, ...]  # its kegiatan's total rows
    total_row: int
    sasaran: int  # index of the sasaran it belongs to


@dataclass(frozen=True)
class Totals4:
    """Where the totals of a 4-level sheet go: the rows holding a cash plan (a sub
    kegiatan's with its stated anggaran, a kegiatan's own row without), the kegiatan,
    program, sasaran and grand totals."""

    holders: tuple[tuple[int, bool], ...]  # (row, its anggaran is on the row)
    kegiatan: tuple[KegiatanTotal, ...]
    programs: tuple[ProgramTotal, ...]
    sasaran_total_rows: tuple[int, ...]
    grand_total_row: int

    @property
    def total_rows(self) -> frozenset[int]:
        return frozenset(
            (
                *(k.total_row for k in self.kegiatan),
                *(p.total_row for p in self.programs),
                *self.sasaran_total_rows,
                self.grand_total_row,
            )
        )


@dataclass(frozen=True)
class TableInfo:
    group_row: int
    label_row: int
    number_row: int
    first_row: int  # first data row
    last_row: int  # last row of the table (the grand total row)
    kegiatan_rows: tuple[tuple[int, int], ...]  # (first row, row count)
    program_total_rows: tuple[int, ...]
    sasaran_total_rows: tuple[int, ...]
    grand_total_row: int
    kegiatan_total_rows: tuple[int, ...] = ()  # the 4-level form's JUMLAH KEGIATAN rows


@dataclass(frozen=True)
class SheetPlan:
    cells: Mapping[tuple[int, int], PlanCell]
    merges: tuple[tuple[int, int, int, int], ...]
    col_widths: Mapping[int, float]
    row_heights: Mapping[int, float]
    freeze: tuple[int, int]  # top-left cell of the scrolling pane (row, col)
    print_setup: PrintSetup
    table: TableInfo
    last_row: int
    last_col: int
    # Rows whose height Excel sets itself (one row of wrapped text, no merge across
    # rows): Susun Ulang in Excel leaves them alone (a height is a round trip each);
    # the file writers write every height, which the page breaks were planned with.
    autofit_rows: frozenset[int] = frozenset()
    tingkat: int = 3  # the form laid out (``rak_xl.forms.FORMS``)
