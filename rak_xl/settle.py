"""Texts a cell shows that are not what their field means, kept verbatim in ``raw``.

An Excel error value (``#N/A``, ``#REF!``) in a name, indikator, satuan or KET is no
text of the plan; a program's, kegiatan's or sub kegiatan's name cell holding only a code
(``1.02.02.2.01``) names nothing. The reader (and ``from_json``) moves such texts to
``raw``, where the layout writes them back and ``shown`` gives them to the JSON (lossless);
``struct.cell-error`` and ``struct.name-missing`` report them.

Pure; imports the model only for type checking (the model imports this module).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rak_xl.excel_error import is_excel_error
from rak_xl.kode import is_code_only

if TYPE_CHECKING:
    from rak_xl.model import Kegiatan, Program, Sasaran, SubKegiatan

__all__ = ["TEXT_KEYS", "is_placeholder", "settle_texts", "shown"]

_NAME_KEYS = ("uraian", "indikator")
_HOLDER_KEYS = ("uraian", "indikator", "satuan", "ket")
# The ``raw`` keys of texts (the others are of numbers and targets).
TEXT_KEYS = frozenset(_HOLDER_KEYS)
_SUSPECT = "#E123456789Xx"  # first characters of an error value or a code


def shown(value: str | None, raw: dict[str, str], key: str) -> str | None:
    """A text field as the sheet shows it: the field, else the text kept in ``raw``."""
    return value if value is not None or not raw else raw.get(key)


def settle_texts(item: Sasaran | Program | Kegiatan | SubKegiatan, kode_from_name: bool) -> None:
    """Move an Excel error value in a text field, and a name that is only a code, into
    ``raw``. ``kode_from_name``: such a code becomes the item's code when it has none
    (the 4-level form read from a sheet: the name cell held the code, the Kode cell is
    empty), and the name cell is where the code was read."""
    # Most texts start with neither "#" (an error), "E" (LibreOffice's "Err:502") nor a
    # digit (a code): told by their first character, read at every item of a sheet.
    u, ind = item.uraian, item.indikator
    sat, ket = getattr(item, "satuan", None), getattr(item, "ket", None)
    if not (
        (u and u[0] in _SUSPECT)
        or (ind and ind[0] in "#E")
        or (sat and sat[0] in "#E")
        or (ket and ket[0] in "#E")
    ):
        return
    raw = item.raw
    for key in _HOLDER_KEYS if hasattr(item, "ket") else _NAME_KEYS:
        v = getattr(item, key)
        if v and v[0] in "#E" and is_excel_error(v):
            raw[key] = v
            setattr(item, key, None)
    u = item.uraian
    if u and u[0] in "123456789Xx" and hasattr(item, "kode") and is_code_only(u):
        if kode_from_name and not item.kode:
            item.kode = u
            if "uraian" in item.src.cells:
                item.src.cells["kode"] = item.src.cells["uraian"]
        else:
            raw["uraian"] = u
        item.uraian = None


def is_placeholder(item: Sasaran | Program | Kegiatan | SubKegiatan) -> bool:
    """The reader's empty parent of an item that came before any (``struct.orphan-row``):
    no name, no code, no text kept for its name."""
    return item.uraian is None and not getattr(item, "kode", None) and "uraian" not in item.raw
