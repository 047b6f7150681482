"""Which sheet's RAK a command acts on when no sheet is named: one rule for the command
line (``rak_xl.workbook.locate``) and the buttons (``rak_xl.buttons``).

The template holds an empty sheet per form (``RAK``, 2020; ``RAK Sub Kegiatan``, 2021+)
and an example (``Contoh``, 2020); the user fills one. So: the first table, unless it is
an empty form; then the first filled table of the other form (a later table of the same
form, such as the example, does not win); else that empty form. A button clicked on a
sheet without a table (``Petunjuk``) follows the same rule, but when the first table of
each form is filled it cannot know which one the user means, and asks
(``both_forms_filled``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rak_xl.grid import Grid
from rak_xl.read.header import Header

__all__ = ["both_forms_filled", "is_blank_form", "pick_table"]

T = TypeVar("T")
Table = tuple[T, Grid, Header]  # (what the caller names a sheet by, its grid, its header)

# An empty form (the template's: title placeholders, one empty block, its totals) has
# fewer rows than this below its numbering row; a longer table is taken without reading it.
_BLANK_FORM_ROWS = 40


def is_blank_form(grid: Grid, header: Header) -> bool:
    """Whether the table is an empty form: it reads as a RAK with nothing in it."""
    if grid.last_row - header.numbering_row > _BLANK_FORM_ROWS:
        return False
    from rak_xl.model import Rak
    from rak_xl.read.reader import read_rak

    rak = read_rak(grid, header)
    return rak == Rak(tingkat=rak.tingkat)


def pick_table(tables: Iterable[Table[T]]) -> T | None:
    """The table to act on, by the rule of the module doc; None when there is none.
    ``tables`` in workbook order, read lazily: the first filled table ends the search."""
    blank: tuple[T, Header] | None = None  # the first table, an empty form
    for key, grid, header in tables:
        if blank is None:
            if not is_blank_form(grid, header):
                return key
            blank = key, header
        elif header.form != blank[1].form and not is_blank_form(grid, header):
            return key
    return None if blank is None else blank[0]


def both_forms_filled(tables: Iterable[Table[T]]) -> tuple[T, T] | None:
    """The first table of the 2020 form and of the 2021+ form, when both are filled."""
    first: dict[int, tuple[T, Grid, Header]] = {}
    for table in tables:
        first.setdefault(table[2].form.tingkat, table)
    if len(first) < 2 or any(is_blank_form(g, h) for _, g, h in first.values()):
        return None
    return first[3][0], first[4][0]
