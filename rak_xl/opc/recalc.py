"""Hitung Ulang (``recalc``) on a package: only the formula cells of the computed columns
and the totals rows are replaced (formula + planned cell format); every other cell,
value and cached value stays byte for byte."""

from __future__ import annotations

from collections.abc import Mapping

from rak_xl.cellref import a1
from rak_xl.errors import RakError
from rak_xl.layout import PlanCell
from rak_xl.opc.book import Book
from rak_xl.opc.formulas import array_boxes, unshare_edits
from rak_xl.opc.sheet import CellEdit, cell_xml

__all__ = ["recalc"]


def recalc(
    book: Book, name: str, cells: Mapping[tuple[int, int], PlanCell], refusal: str | None = None
) -> None:
    """Replace ``cells``; ``refusal`` (the totals rows do not fit) is raised once the
    sheet's positions passed their check."""
    ref = book.ref(name)
    assert ref is not None
    sheet = book.sheet(ref, edit=True)
    if refusal is not None:
        raise RakError(refusal)
    for r1, c1, r2, c2 in array_boxes(sheet):
        hit = next(((r, c) for r, c in cells if r1 <= r <= r2 and c1 <= c <= c2), None)
        if hit is not None:
            raise RakError(
                f"Sel {a1(*hit)} di lembar '{name}' termasuk rumus array; Hitung Ulang tidak "
                "bisa mengubahnya sendiri. Jalankan Susun Ulang (rak-xl regenerate)."
            )
    styles, date1904, p = book.styles, book.wb.date1904, sheet.p
    edits: dict[tuple[int, int], CellEdit] = dict(unshare_edits(sheet, set(cells)))
    for (r, c), pc in cells.items():
        raw = cell_xml(p, a1(r, c), styles.plan_style(pc.style), pc.value, date1904=date1904)
        edits[(r, c)] = _replaced_by(raw)
    sheet.edit(edits)
    book.drop_calc_chain()  # formulas changed: Excel rebuilds the chain
    book.wb.set_full_calc()


def _replaced_by(raw: bytes) -> CellEdit:
    def edit(_old: bytes | None) -> bytes:
        return raw

    return edit
