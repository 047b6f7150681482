"""Reader: a sheet's grid -> the RAK model, with the cell each value came from (pure).

``header`` finds the table by its column-numbering row, ``cells`` walks the grid,
``blocks`` reads the title above the table and the signature below it, ``rows`` groups a
row's cells by logical column and tells what kind of row it is, ``fields`` reads an
item's fields from its row, ``reader`` puts the model together.
"""

from __future__ import annotations

from rak_xl.read.header import Header, find_header
from rak_xl.read.reader import iter_items, read_rak

__all__ = ["Header", "find_header", "iter_items", "read_rak"]
