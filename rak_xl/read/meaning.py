"""Whether two readings of a sheet say the same thing (Susun Ulang's check).

Susun Ulang rebuilds the sheet from the model and requires the rebuilt sheet to read back
as the same model: nothing the user wrote may be lost or changed. Most sheets read back
``==`` equal. A few texts change form without changing meaning, because the official
layout has fewer shapes than the sheets agencies make:

* a quarter's target text from a TW I column (``target_tw.0``) comes back in the first
  row of the one target column, where the reader takes a text for the whole cell's
  (``target_tw``): the same text for TW 1 either way;
* white space inside a text kept as it was written (``raw``): runs of blanks and line
  breaks are one space when shown and when compared.

``canonical`` puts a model in that one form; everything else (every number, every text,
which quarter a text belongs to, stray values, notes) must still be equal, so a lost or
changed value is still refused.
"""

from __future__ import annotations

import copy

from rak_xl.model import Rak
from rak_xl.read.cells import clean
from rak_xl.read.reader import iter_items

__all__ = ["canonical", "same_meaning"]


def same_meaning(a: Rak, b: Rak) -> bool:
    """``a == b``, or equal once both are in ``canonical`` form."""
    return a == b or canonical(a) == canonical(b)


def canonical(rak: Rak) -> Rak:
    """A copy of ``rak`` with its unreadable texts in one form (see the module doc)."""
    out = copy.deepcopy(rak)
    for item in iter_items(out):
        if item.raw:
            item.raw = _raw(item.raw)
    return out


def _raw(raw: dict[str, str]) -> dict[str, str]:
    out = {key: clean(text) for key, text in raw.items()}
    if "target_tw.0" in out and "target_tw" not in out:
        out["target_tw"] = out.pop("target_tw.0")
    return out
