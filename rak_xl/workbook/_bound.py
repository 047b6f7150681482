"""The bounded shortcut of the sheet pre-scan: trust ``<dimension>`` once every cell obeys it.

The exact scan (``_scan._scan_cells``) collects the row and column of every cell holding a
value; at a few hundred thousand cells that is most of the pre-scan's time. What calamine
needs from the pre-scan is only a guarantee: no cell lies so far out that the dense range
it builds becomes absurd. The sheet usually states its own used area in
``<dimension ref="A1:Z12019"/>``. When that area is small, one regex search per piece
proves every cell start tag reads ``<c r="..."`` with an address inside it; any other cell
(no ``r``, a prefixed name, ``$``, lower case, a far address) fails the proof, and the
caller runs the exact scan instead. A lying dimension therefore costs time, never safety.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rak_xl.cellref import col_index, col_letter
from rak_xl.workbook._limits import MAX_CELLS

# The used area's last cell (the only one that bounds anything; the first is at least A1).
_DIMENSION = re.compile(rb'<dimension\s+ref="(?:[A-Z]{1,3}\d{1,7}:)?([A-Z]{1,3})(\d{1,7})"')
# A cell start tag with a namespace prefix (<x:c ...>): not what the proof covers.
_PREFIXED_CELL = re.compile(rb":c[\s>/]")


def dimension_bound(head: bytes) -> tuple[int, int] | None:
    """(last row, last column) stated by the first ``<dimension>`` in ``head``, when the
    area up to it is small enough to hand to calamine (else None: scan exactly)."""
    m = _DIMENSION.search(head)
    if m is None:
        return None
    row, col = int(m.group(2)), col_index(m.group(1).decode("ascii"))
    if row < 1 or row * col > MAX_CELLS:
        return None
    return row, col


def obeys(piece: bytes, bound: tuple[int, int]) -> bool:
    """True when every cell start tag in ``piece`` (whole tags only) is ``<c r="..."``
    with an address inside ``bound`` (last row, last column)."""
    return _outside(*bound).search(piece) is None and _PREFIXED_CELL.search(piece) is None


@lru_cache(maxsize=8)
def _outside(row: int, col: int) -> re.Pattern[bytes]:
    """A cell start tag that is not ``<c r="XY"`` with column <= ``col``, row <= ``row``.

    One pass at C speed: the first lookahead passes over the canonical in-bound cells
    (nearly all of them, so it is tried first); what remains is a cell start tag when
    ``<c`` is followed by whitespace, ``>`` or ``/`` (``<col``, ``<cfRule`` are other
    elements).
    """
    inside = up_to(col_letter(col), "A", "A") + up_to(str(row), "1", "0")
    return re.compile(rb'<c(?! r="' + inside.encode("ascii") + rb'")(?=[\s>/])')


def up_to(last: str, first: str, low: str) -> str:
    """Regex for the strings that count up to ``last`` (inclusive): decimal numbers from 1
    (``first="1", low="0"``) or column letters from A (``first=low="A"``).

    Shorter strings all count below ``last``; strings of its length count below it in
    lexicographic order (digits and letters are both in code order), each built from the
    first position where it drops below ``last``. Shorter strings come first and match
    possessively: most addresses of a big sheet have fewer digits than its last row, and
    are then accepted without backtracking.
    """
    top = chr(ord(low) + (9 if low == "0" else 25))
    n = len(last)
    alts = [f"[{first}-{top}][{low}-{top}]{{0,{n - 2}}}+"] if n > 1 else []
    for i, ch in enumerate(last[:-1]):
        floor = first if i == 0 else low
        if ch > floor:
            alts.append(last[:i] + f"[{floor}-{chr(ord(ch) - 1)}][{low}-{top}]{{{n - i - 1}}}")
    floor = first if n == 1 else low
    alts.append(last[:-1] + f"[{floor}-{last[-1]}]")  # the last position: up to its own
    return "(?:" + "|".join(alts) + ")"
