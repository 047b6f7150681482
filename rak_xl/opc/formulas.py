"""Shared and array formulas around cells we replace or drop.

Excel stores a formula copied over a range once (``<f t="shared" ref=".." si="3">``) and
each other cell of the range as a reference to it (``<f t="shared" si="3"/>``). When we
replace or drop the cell holding the text, a remaining cell of its group gets the formula
written out in full, translated to its own position (openpyxl's ``Translator``, which
shifts relative references as Excel does). A cell inside an array formula cannot be
replaced on its own: the caller refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rak_xl.cellref import a1, col_index
from rak_xl.opc import _xml as X
from rak_xl.opc.sheet import CellEdit, Sheet, ref_box

__all__ = ["array_boxes", "explicit", "shared_masters", "translate", "unshare_edits"]

_F = re.compile(rb"<(?:[\w.\-]+:)?f\b([^>]*?)(/?)>")
_CELL_BEFORE = re.compile(rb'<(?:[\w.\-]+:)?c\s+r="([A-Z]{1,3})(\d{1,7})"')


def _position(data: bytes, at: int) -> tuple[int, int] | None:
    """The address of the cell whose ``<f>`` starts at ``at`` (its start tag is the
    last one before it)."""
    last = None
    for m in _CELL_BEFORE.finditer(data, max(0, at - 4096), at):
        last = m
    if last is None:
        return None
    return int(last.group(2)), col_index(last.group(1).decode("ascii"))


def _formulas(sheet: Sheet, kind: bytes) -> Iterable[tuple[dict[str, str], re.Match[bytes]]]:
    if b'"' + kind + b'"' not in sheet.data:
        return
    for m in _F.finditer(sheet.data):
        a = X.attrs(m.group(1))
        if a.get("t", "").encode() == kind:
            yield a, m


def shared_masters(sheet: Sheet) -> dict[str, tuple[tuple[int, int], str]]:
    """si -> (position of the cell holding the text, the text)."""
    out = {}
    for a, m in _formulas(sheet, b"shared"):
        if "ref" in a and not m.group(2):
            close = sheet.data.find(b"</", m.end())
            pos = _position(sheet.data, m.start())
            if pos is not None and close > 0:
                out[a.get("si", "")] = (pos, X.unescape(sheet.data[m.end() : close]))
    return out


def array_boxes(sheet: Sheet) -> list[tuple[int, int, int, int]]:
    """The ranges of array formulas (and data tables) in the sheet."""
    out = []
    for kind in (b"array", b"dataTable"):
        for a, _ in _formulas(sheet, kind):
            box = ref_box(a.get("ref", ""))
            if box is not None:
                out.append(box)
    return out


def explicit(raw: bytes, text: str) -> bytes:
    """Cell ``raw`` with its shared-formula reference written out as ``text`` (cached
    value kept)."""
    m = _F.search(raw)
    if m is None:
        return raw
    name = m.group(0)[1:].split(None, 1)[0].rstrip(b"/>")
    end = m.end() if m.group(2) else raw.find(b"</" + name + b">", m.end()) + len(name) + 3
    return (
        raw[: m.start()] + b"<" + name + b">" + X.esc_text(text) + b"</" + name + b">" + raw[end:]
    )


def translate(text: str, origin: tuple[int, int], to: tuple[int, int]) -> str:
    from openpyxl.formula.translate import Translator

    out: str = Translator("=" + text, origin=a1(*origin)).translate_formula(a1(*to))
    return out[1:]


def unshare_edits(sheet: Sheet, gone: set[tuple[int, int]]) -> dict[tuple[int, int], CellEdit]:
    """Edits writing out the formula of every shared-formula cell whose group loses its
    text cell (``gone``: the cells replaced or dropped)."""
    masters = {si: v for si, v in shared_masters(sheet).items() if v[0] in gone}
    if not masters:
        return {}
    edits: dict[tuple[int, int], CellEdit] = {}
    for a, m in _formulas(sheet, b"shared"):
        si = a.get("si", "")
        if si not in masters or "ref" in a:
            continue
        pos = _position(sheet.data, m.start())
        if pos is None or pos in gone:
            continue
        origin, text = masters[si]
        formula = translate(text, origin, pos)
        edits[pos] = _written_out(formula)
    return edits


def _written_out(formula: str) -> CellEdit:
    def edit(old: bytes | None) -> bytes | None:
        return explicit(old, formula) if old is not None else None

    return edit
