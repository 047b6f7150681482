"""One edit of a workbook package: the workbook part, styles, and the sheets and notes
an operation touches, written back together by ``finish``."""

from __future__ import annotations

import re

from rak_xl.cellref import a1
from rak_xl.opc import _xml as X
from rak_xl.opc import positions
from rak_xl.opc.notes import Notes
from rak_xl.opc.ownsheets import SharedStrings
from rak_xl.opc.package import Package
from rak_xl.opc.sheet import Sheet, parse_ref
from rak_xl.opc.styles import Styles
from rak_xl.opc.workbook import SheetRef, Workbook

__all__ = ["Book"]

_FORMULA = re.compile(rb"<(?:[\w.\-]+:)?f[\s>/]")


class Book:
    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.wb = Workbook(pkg)
        self._styles: Styles | None = None
        self._sst: SharedStrings | None = None
        self._sheets: dict[str, Sheet] = {}
        self._notes: dict[str, Notes] = {}
        self._merge_cache: dict[str, _Merges] = {}
        self.dirty: set[str] = set()

    @property
    def styles(self) -> Styles:
        if self._styles is None:
            self._styles = Styles(self.pkg, self.wb.part)
        return self._styles

    @property
    def sst(self) -> SharedStrings:
        if self._sst is None:
            self._sst = SharedStrings(self.pkg, self.wb.part)
        return self._sst

    def ref(self, name: str) -> SheetRef | None:
        return self.wb.sheet(name)

    def sheet(self, ref: SheetRef, *, edit: bool = False) -> Sheet:
        part = _part(self, ref)
        if part not in self._sheets:
            self._sheets[part] = Sheet(self.pkg.file, part, self.pkg.read(part), ref.name)
        if edit and part not in self.dirty:
            positions.check(self._sheets[part])  # every writing command, before it edits
            self.dirty.add(part)
        return self._sheets[part]

    def notes(self, ref: SheetRef) -> Notes:
        part = _part(self, ref)
        if part not in self._notes:
            self._notes[part] = Notes(self.pkg, part, self.sheet(ref))
        return self._notes[part]

    def has_notes(self, ref: SheetRef) -> bool:
        return ref.part is not None and any(r.kind == "comments" for r in self.pkg.rels(ref.part))

    def remove_sheet(self, ref: SheetRef, active_fallback: str | None = None) -> None:
        """Remove a sheet of ours; a calculation chain listing its formulas goes too
        (Excel rebuilds it; a stale one makes it report the file as damaged)."""
        part = _part(self, ref)
        if _FORMULA.search(self.pkg.read(part)):
            self.drop_calc_chain()
        self._sheets.pop(part, None)
        self._notes.pop(part, None)
        self.dirty.discard(part)
        self.wb.remove_sheet(ref, active_fallback)

    def drop_calc_chain(self) -> None:
        for r in self.pkg.rels(self.wb.part):
            if r.kind == "calcChain":
                self.pkg.remove_rel(self.wb.part, r.id)
                if r.part:
                    self.pkg.remove(r.part)

    def select(self, ref: SheetRef) -> None:
        """Make ``ref`` the active, selected tab (it is one of the sheets we edit)."""
        self.wb.set_active(ref.index)
        sheet = self.sheet(ref, edit=True)
        views = sheet.child("sheetViews")
        if views is None:
            return
        nodes = X.parse(views)
        view = next((n for n in X.walk(nodes) if n.local == "sheetView"), None)
        if view is not None and view.attrs().get("tabSelected") not in ("1", "true"):
            tag = X.set_attrs(views[view.start : view.open_end], {"tabSelected": "1"})
            sheet.set_child("sheetViews", views[: view.start] + tag + views[view.open_end :])

    def finish(self) -> None:
        for part, notes in self._notes.items():
            if notes.changed:
                self.dirty.add(part)
                notes.save()
        for part in self.dirty:
            if part in self._sheets and self.pkg.has(part):
                self.pkg.put(part, self._sheets[part].dumps())
        if self._styles is not None:
            self._styles.save()

    def anchor(self, ref: SheetRef, cell: str) -> str | None:
        """The cell carrying the format of ``cell``: the top-left of its merge."""
        pos = parse_ref(cell)
        if pos is None:
            return None
        part = _part(self, ref)
        if part not in self._merge_cache:
            self._merge_cache[part] = _Merges(self.sheet(ref).merges())
        return a1(*self._merge_cache[part].top_left(*pos))


def _part(book: Book, ref: SheetRef) -> str:
    if ref.part is None or not book.pkg.has(ref.part):
        raise X.refuse(book.pkg.file, f"sheet {ref.name}")
    return ref.part


class _Merges:
    """Merged ranges by row, for finding the range a cell lies in (a RAK has thousands;
    a range over very many rows is kept aside rather than listed under each of them)."""

    _TALL = 64

    def __init__(self, boxes: list[tuple[int, int, int, int]]) -> None:
        self.by_row: dict[int, list[tuple[int, int, int, int]]] = {}
        self.tall: list[tuple[int, int, int, int]] = []
        for box in boxes:
            if box[2] - box[0] >= self._TALL:
                self.tall.append(box)
                continue
            for r in range(box[0], box[2] + 1):
                self.by_row.setdefault(r, []).append(box)

    def top_left(self, r: int, c: int) -> tuple[int, int]:
        for r1, c1, r2, c2 in [*self.by_row.get(r, ()), *self.tall]:
            if r1 <= r <= r2 and c1 <= c <= c2:
                return r1, c1
        return r, c
