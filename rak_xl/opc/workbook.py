"""``xl/workbook.xml``: the sheet list, defined names, the active tab, calculation flags.

We add and remove only our own sheets and names; every other element and defined name
stays byte for byte. A sheet is appended at the end of ``<sheets>``, so the position of
every existing sheet (``localSheetId`` of sheet-scoped names, ``activeTab``) is unchanged;
removing one of ours shifts the positions after it, and those references with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rak_xl.errors import WorkbookUnreadable
from rak_xl.opc import _xml as X
from rak_xl.opc.package import CT, REL, Package

__all__ = ["DefinedName", "SheetRef", "Workbook"]

_REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)


@dataclass(frozen=True)
class SheetRef:
    name: str
    index: int  # position in <sheets> (what localSheetId and activeTab count)
    sheet_id: int
    rid: str
    state: str  # visible | hidden | veryHidden
    part: str | None  # zip name of the sheet part


@dataclass(frozen=True)
class DefinedName:
    name: str
    local: int | None  # localSheetId
    text: str
    hidden: bool


class Workbook:
    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        main = next((r.part for r in pkg.rels("") if r.kind == "officeDocument" and r.part), None)
        self.part = main or pkg.name_of("xl/workbook.xml") or "xl/workbook.xml"
        if not pkg.has(self.part):
            raise WorkbookUnreadable(f"File {pkg.file} tidak berisi workbook Excel.")

    # reading ---------------------------------------------------------------------------
    def _root(self) -> tuple[bytes, X.Node]:
        data = self.pkg.xml(self.part)
        roots = X.parse(data)
        if not roots or roots[0].local != "workbook":
            raise X.refuse(self.pkg.file, self.part)
        return data, roots[0]

    def _rel_prefix(self, root: X.Node) -> str | None:
        for key, value in root.attrs().items():
            if key.startswith("xmlns:") and value in _REL_NAMESPACES:
                return key[6:]
        return None

    def sheets(self) -> list[SheetRef]:
        _, root = self._root()
        box = X.find(root.children, "sheets")
        if box is None:
            return []
        targets = {r.id: r.part for r in self.pkg.rels(self.part)}
        out = []
        for i, n in enumerate(X.find_all(box.children, "sheet")):
            a = n.attrs()
            rid = next((v for k, v in a.items() if k.endswith(":id")), "")
            sid = a.get("sheetId", "0")
            out.append(
                SheetRef(
                    name=a.get("name", ""),
                    index=i,
                    sheet_id=int(sid) if sid.isdigit() else 0,
                    rid=rid,
                    state=a.get("state", "visible"),
                    part=targets.get(rid),
                )
            )
        return out

    def sheet(self, name: str) -> SheetRef | None:
        return next((s for s in self.sheets() if s.name == name), None)

    def free_sheet_name(self, wanted: str, suffix: str = " {n}") -> str:
        """``wanted``, or ``wanted`` + `` 2``, `` 3`` ... (Excel compares names without
        case; 31 characters at most)."""
        taken = {s.name.casefold() for s in self.sheets()}
        name, n = wanted[:31], 2
        while name.casefold() in taken:
            tail = suffix.format(n=n)
            name = wanted[: 31 - len(tail)] + tail
            n += 1
        return name

    def defined_names(self) -> list[DefinedName]:
        data, root = self._root()
        box = X.find(root.children, "definedNames")
        if box is None:
            return []
        out = []
        for n in X.find_all(box.children, "definedName"):
            a = n.attrs()
            local = a.get("localSheetId")
            out.append(
                DefinedName(
                    a.get("name", ""),
                    int(local) if local is not None and local.isdigit() else None,
                    X.unescape(n.inner(data)),
                    a.get("hidden") in ("1", "true"),
                )
            )
        return out

    @property
    def date1904(self) -> bool:
        _, root = self._root()
        pr = X.find(root.children, "workbookPr")
        return pr is not None and pr.attrs().get("date1904") in ("1", "true")

    def active_index(self) -> int:
        _, root = self._root()
        views = X.find(root.children, "bookViews")
        view = X.find(views.children, "workbookView") if views is not None else None
        tab = view.attrs().get("activeTab", "0") if view is not None else "0"
        return int(tab) if tab.isdigit() else 0

    # editing ---------------------------------------------------------------------------
    def _put(self, data: bytes) -> None:
        self.pkg.put(self.part, data)

    def add_sheet(self, name: str, xml: bytes, state: str = "visible") -> SheetRef:
        """Append a worksheet ``name`` holding ``xml``; a new part, relationship and
        content type."""
        part = self.pkg.free_name("xl/worksheets/sheet{}.xml")
        self.pkg.put(part, xml)
        self.pkg.set_override(part, CT.WORKSHEET)
        rid = self.pkg.add_rel(self.part, REL.WORKSHEET, part)
        used = {s.sheet_id for s in self.sheets()}
        sid = next(n for n in range(1, len(used) + 2) if n not in used)
        data, root = self._root()
        prefix = self._rel_prefix(root)
        rattr = (
            prefix.encode() + b':id="' if prefix else b'xmlns:r="' + _REL_NAMESPACES[0].encode()
            + b'" r:id="'
        )  # fmt: skip
        elem = (
            b"<" + root.prefix + b'sheet name="' + X.esc_attr(name) + b'" sheetId="'
            + str(sid).encode() + b'"'
            + (b' state="' + state.encode() + b'"' if state != "visible" else b"")
            + b" " + rattr + rid.encode() + b'"/>'
        )  # fmt: skip
        box = X.find(root.children, "sheets")
        if box is None:
            raise X.refuse(self.pkg.file, self.part)
        self._put(X.append_child(data, box, elem))
        added = self.sheet(name)
        assert added is not None
        return added

    def remove_sheet(self, ref: SheetRef, active_fallback: str | None = None) -> None:
        """Remove sheet ``ref`` (ours) with its part tree; names scoped to it go, later
        positions shift down. The active tab moves to ``active_fallback`` when it was
        on the removed sheet."""
        fallback = active_fallback
        data, root = self._root()
        box = X.find(root.children, "sheets")
        assert box is not None
        node = X.find_all(box.children, "sheet")[ref.index]
        edits: list[tuple[int, int, bytes]] = [(node.start, node.end, b"")]
        names = X.find(root.children, "definedNames")
        dropped = False
        if names is not None:
            for n in X.find_all(names.children, "definedName"):
                local = n.attrs().get("localSheetId")
                if local is None or not local.isdigit():
                    continue
                if int(local) == ref.index:
                    edits.append((n.start, n.end, b""))
                    dropped = True
                elif int(local) > ref.index:
                    tag = data[n.start : n.open_end]
                    edits.append(
                        (
                            n.start,
                            n.open_end,
                            X.set_attrs(tag, {"localSheetId": str(int(local) - 1)}),
                        )
                    )
        views = X.find(root.children, "bookViews")
        for view in X.find_all(views.children if views is not None else [], "workbookView"):
            a = view.attrs()
            changes: dict[str, str | None] = {}
            tab = int(a.get("activeTab", "0") or 0)
            if tab == ref.index:
                others = [s for s in self.sheets() if s.index != ref.index]
                target = next((s for s in others if s.name == fallback), None)
                new = target.index if target is not None else 0
                changes["activeTab"] = str(new - (new > ref.index))
            elif tab > ref.index:
                changes["activeTab"] = str(tab - 1)
            first = a.get("firstSheet")
            if first is not None and first.isdigit() and int(first) > ref.index:
                changes["firstSheet"] = str(int(first) - 1)
            if changes:
                tag = data[view.start : view.open_end]
                edits.append((view.start, view.open_end, X.set_attrs(tag, changes)))
        self._put(X.splice(data, edits))
        if dropped:  # an empty <definedNames/> of the user's stays as it was
            self._drop_empty_names()
        self.pkg.remove_rel(self.part, ref.rid)
        if ref.part is not None and ref.part not in self.pkg.referenced():
            self.pkg.remove_tree(ref.part)

    def _drop_empty_names(self) -> None:
        data, root = self._root()
        names = X.find(root.children, "definedNames")
        if names is not None and not names.children:
            self._put(data[: names.start] + data[names.end :])

    def set_active(self, index: int) -> None:
        data, root = self._root()
        views = X.find(root.children, "bookViews")
        view = X.find(views.children, "workbookView") if views is not None else None
        if view is None:
            return
        tag = data[view.start : view.open_end]
        self._put(
            data[: view.start] + X.set_attrs(tag, {"activeTab": str(index)}) + data[view.open_end :]
        )

    def set_defined_name(self, name: str, local: int | None, text: str | None) -> None:
        """Set (or with ``text`` None remove) the name ``name`` scoped to ``local``."""
        data, root = self._root()
        box = X.find(root.children, "definedNames")
        scope = None if local is None else str(local)
        dropped = False
        if box is not None:
            for n in X.find_all(box.children, "definedName"):
                a = n.attrs()
                if a.get("name", "").lower() == name.lower() and a.get("localSheetId") == scope:
                    data = data[: n.start] + data[n.end :]
                    dropped = True
                    self._put(data)
                    data, root = self._root()
                    box = X.find(root.children, "definedNames")
                    break
        if text is None:
            if dropped and box is not None and not box.children:
                self._put(data[: box.start] + data[box.end :])
            return
        p = root.prefix
        elem = (
            b"<" + p + b'definedName name="' + X.esc_attr(name) + b'"'
            + (b' localSheetId="' + scope.encode() + b'"' if scope is not None else b"")
            + (b' hidden="1"' if name.startswith("_rak_xl") else b"")
            + b">" + X.esc_text(text) + b"</" + p + b"definedName>"
        )  # fmt: skip
        if box is not None:
            self._put(X.append_child(data, box, elem))
            return
        # A new <definedNames> goes after the elements the schema puts before it.
        before = ("sheets", "functionGroups", "externalReferences")
        anchor = max((n.end for n in root.children if n.local in before), default=None)
        if anchor is None:
            raise X.refuse(self.pkg.file, self.part)
        block = b"<" + p + b"definedNames>" + elem + b"</" + p + b"definedNames>"
        self._put(data[:anchor] + block + data[anchor:])

    def set_full_calc(self) -> None:
        """Ask spreadsheet programs to calculate every formula on load: the formulas we
        write carry no cached value."""
        data, root = self._root()
        calc = X.find(root.children, "calcPr")
        if calc is not None:
            tag = data[calc.start : calc.open_end]
            self._put(
                data[: calc.start]
                + X.set_attrs(tag, {"fullCalcOnLoad": "1"})
                + data[calc.open_end :]
            )
            return
        after = ("definedNames", "externalReferences", "functionGroups", "sheets")
        anchor = max((n.end for n in root.children if n.local in after), default=None)
        if anchor is None:
            return
        elem = b"<" + root.prefix + b'calcPr fullCalcOnLoad="1"/>'
        self._put(data[:anchor] + elem + data[anchor:])
