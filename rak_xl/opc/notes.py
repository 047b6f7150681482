"""Cell notes of one sheet: the comments part and the note shapes in its VML drawing.

The sheet's legacy VML drawing also holds the form buttons of an ``.xlsm`` (the
template's Validasi, Hitung Ulang, ...): shapes that are not notes are never touched, and
we add or remove only the note shapes of the cells whose note we add or remove. A note
the user already had keeps its shape (size, position, shown or hidden). Our text goes in
front of the user's note as a plain ``<t>``, their rich-text runs following it
unchanged, so removing ours gives their note back as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rak_xl.opc import _xml as X
from rak_xl.opc.package import CT, REL, Package
from rak_xl.opc.sheet import Sheet, parse_ref

__all__ = ["Notes"]

_VML_NS = {
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "x": "urn:schemas-microsoft-com:office:excel",
}
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_IDMAP = re.compile(rb"""(<[\w:]*idmap\b[^>]*\bdata=)(["'])([^"']*)\2""")


@dataclass
class _Comment:
    ref: str
    author: int
    raw: bytes | None  # the element as it was in the part (None: new or changed)
    text_xml: bytes  # what goes inside <text>

    def text(self) -> str:
        body = b"<text>" + self.text_xml + b"</text>"
        return X.texts(body, X.parse(body)[0])


def _key(ref: str) -> tuple[int, int]:
    pos = parse_ref(ref)
    return pos if pos is not None else (0, 0)


class Notes:
    def __init__(self, pkg: Package, sheet_part: str, sheet: Sheet) -> None:
        self.pkg, self.sheet_part, self.sheet = pkg, sheet_part, sheet
        rels = pkg.rels(sheet_part)
        comments = next((r for r in rels if r.kind == "comments" and r.part), None)
        self.comments_rel = comments.id if comments else None
        self.comments_part = comments.part if comments else None
        legacy = sheet.child("legacyDrawing")
        rid = next(
            (v for k, v in X.attrs(legacy[1 : legacy.find(b">")]).items() if k.endswith(":id")),
            None,
        ) if legacy else None  # fmt: skip
        vml = next((r for r in rels if r.id == rid and r.part), None) if rid else None
        self.vml_part = vml.part if vml else None
        self.threaded: set[str] = set()
        for r in rels:
            if r.kind == "threadedComment" and r.part:
                data = pkg.xml(r.part)
                self.threaded |= {
                    n.attrs().get("ref", "").upper()
                    for n in X.walk(X.parse(data))
                    if n.local == "threadedComment"
                }
        self.authors: list[str] = []
        self.entries: dict[str, _Comment] = {}
        self._root_tag = b""
        self._prefix = b""
        self._other = b""  # children of <comments> besides authors and commentList
        self.changed = False
        self.removed_shapes: set[tuple[int, int]] = set()  # 0-based (row, col)
        self.added_shapes: dict[tuple[int, int], int] = {}  # -> lines of text
        if self.comments_part is not None:
            self._load(pkg.xml(self.comments_part))

    def _load(self, data: bytes) -> None:
        root = X.parse(data)[0]
        self._root_tag = data[: root.open_end]
        self._prefix = root.prefix
        for n in root.children:
            if n.local == "authors":
                self.authors = [X.unescape(a.inner(data)) for a in n.children]
            elif n.local == "commentList":
                for c in n.children:
                    a = c.attrs()
                    text = X.find(c.children, "text")
                    ref = a.get("ref", "").upper()
                    author = int(a.get("authorId", "0") or 0)
                    inner = text.inner(data) if text is not None else b""
                    self.entries[ref] = _Comment(ref, author, data[c.start : c.end], inner)
            else:
                self._other += data[n.start : n.end]

    # reading ---------------------------------------------------------------------------
    def get(self, ref: str) -> tuple[str, str] | None:
        c = self.entries.get(ref.upper())
        if c is None:
            return None
        author = self.authors[c.author] if 0 <= c.author < len(self.authors) else ""
        return c.text(), author

    def refs(self) -> list[str]:
        return list(self.entries)

    def is_threaded(self, ref: str) -> bool:
        return ref.upper() in self.threaded

    # editing ---------------------------------------------------------------------------
    def _author(self, name: str) -> int:
        if name not in self.authors:
            self.authors.append(name)
        return self.authors.index(name)

    def put_ours(self, ref: str, note: str, user: bool) -> None:
        """Our note on ``ref``; with ``user`` the user's note stays after ours."""
        ref = ref.upper()
        text = X.esc_text(X.strip_controls(note))
        old = self.entries.get(ref)
        ours = b"<" + self._p() + b't xml:space="preserve">' + text + b"</" + self._p() + b"t>"
        if user and old is not None:
            from rak_xl.marks import USER_NOTE_SEP

            sep = X.esc_text(USER_NOTE_SEP)
            ours = ours.replace(b"</" + self._p() + b"t>", sep + b"</" + self._p() + b"t>", 1)
            self.entries[ref] = _Comment(
                ref, old.author, None, ours + _as_runs(old.text_xml, self._p())
            )
        else:
            self.entries[ref] = _Comment(ref, self._author("rak-xl"), None, ours)
            if old is None:
                pos = _key(ref)
                self.added_shapes[(pos[0] - 1, pos[1] - 1)] = note.count("\n") + 1
        self.changed = True

    def strip_ours(self, ref: str) -> bool:
        """Take our part off a note that carries the user's after it; True when done
        (their runs come back as they were)."""
        from rak_xl.marks import USER_NOTE_SEP

        ref = ref.upper()
        c = self.entries.get(ref)
        if c is None:
            return False
        body = b"<text>" + c.text_xml + b"</text>"
        node = X.parse(body)[0]
        first = node.children[0] if node.children else None
        if (
            first is None
            or first.local != "t"
            or not X.unescape(first.inner(body)).endswith(USER_NOTE_SEP)
        ):
            return False
        rest = body[first.end : len(body) - len(b"</text>")]
        if not rest:
            return False
        self.entries[ref] = _Comment(ref, c.author, None, _as_plain(rest, self._p()))
        self.changed = True
        return True

    def put_user(self, ref: str, text: str, author: str) -> None:
        """A plain note of the user's (restored from a record)."""
        ref = ref.upper()
        body = b"<" + self._p() + b't xml:space="preserve">' + X.esc_text(X.xstring(text))
        old = self.entries.get(ref)
        self.entries[ref] = _Comment(
            ref, self._author(author), None, body + b"</" + self._p() + b"t>"
        )
        if old is None:
            pos = _key(ref)
            self.added_shapes[(pos[0] - 1, pos[1] - 1)] = text.count("\n") + 1
        self.changed = True

    def remove(self, ref: str) -> None:
        ref = ref.upper()
        if self.entries.pop(ref, None) is not None:
            pos = _key(ref)
            self.removed_shapes.add((pos[0] - 1, pos[1] - 1))
            self.added_shapes.pop((pos[0] - 1, pos[1] - 1), None)
            self.changed = True

    def _p(self) -> bytes:
        return self._prefix

    def copy_from(self, other: Notes) -> None:
        """Every note of ``other`` (another sheet's), each with a shape of its own."""
        self.authors = list(other.authors)
        self.entries = dict(other.entries)
        self._root_tag, self._prefix, self._other = other._root_tag, other._prefix, other._other
        for ref in self.entries:
            row, col = _key(ref)
            self.added_shapes[(row - 1, col - 1)] = 3
        self.changed = True

    # writing ---------------------------------------------------------------------------
    def save(self) -> None:
        if not self.changed:
            return
        if self.entries:
            self._save_comments()
        elif self.comments_part is not None:
            self.pkg.remove(self.comments_part)
            if self.comments_rel:
                self.pkg.remove_rel(self.sheet_part, self.comments_rel)
        self._save_vml()

    def _save_comments(self) -> None:
        p = self._p()
        if not self._root_tag:
            self._root_tag = (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<comments xmlns="' + _MAIN_NS.encode() + b'">'
            )
        authors = b"".join(
            b"<" + p + b"author>" + X.esc_text(a) + b"</" + p + b"author>" for a in self.authors
        )
        items = []
        for ref in sorted(self.entries, key=_key):
            c = self.entries[ref]
            if c.raw is not None:
                items.append(c.raw)
                continue
            head = b"<" + p + b'comment ref="' + ref.encode() + b'" authorId="'
            items.append(
                head + str(c.author).encode() + b'"><' + p + b"text>" + c.text_xml
                + b"</" + p + b"text></" + p + b"comment>"
            )  # fmt: skip
        data = (
            self._root_tag + b"<" + p + b"authors>" + authors + b"</" + p + b"authors><" + p
            + b"commentList>" + b"".join(items) + b"</" + p + b"commentList>" + self._other
            + b"</" + p + b"comments>"
        )  # fmt: skip
        if self.comments_part is None:
            self.comments_part = self.pkg.free_name("xl/comments{}.xml")
            self.pkg.set_override(self.comments_part, CT.COMMENTS)
            self.comments_rel = self.pkg.add_rel(self.sheet_part, REL.COMMENTS, self.comments_part)
        self.pkg.put(self.comments_part, data)

    def _save_vml(self) -> None:
        if self.vml_part is None:
            if not self.added_shapes:
                return
            self.vml_part = self.pkg.free_name("xl/drawings/vmlDrawing{}.vml")
            block = _free_blocks(self.pkg, 1)[0]
            self.pkg.put(self.vml_part, _new_vml(block))
            self.pkg.ensure_default("vml", CT.VML)
            rid = self.pkg.add_rel(self.sheet_part, REL.VML, self.vml_part)
            self._link(rid)
        data = self.pkg.xml(self.vml_part)
        root = X.parse(data)[0]
        existing: set[tuple[int, int]] = set()
        gone: list[tuple[int, int, bytes]] = []
        for n in root.children:
            cell = _note_cell(data, n)
            if cell is not None and cell in self.removed_shapes:
                gone.append((n.start, n.end, b""))
            elif cell is not None:
                existing.add(cell)
        data = X.splice(data, gone)  # ids of removed shapes are free again
        root = X.parse(data)[0]
        prefixes = {v: k[6:] for k, v in root.attrs().items() if k.startswith("xmlns:")}
        edits: list[tuple[int, int, bytes]] = []
        missing = {ns: pfx for pfx, ns in _VML_NS.items() if ns not in prefixes}
        if missing:  # declare the VML namespaces the root lacks, under our own prefixes
            tag = data[root.start : root.open_end]
            extra: dict[str, str | None] = {f"xmlns:{pfx}": ns for ns, pfx in missing.items()}
            edits.append((root.start, root.open_end, X.set_attrs(tag, extra)))
            prefixes.update(missing)
        v, o, x = (prefixes[_VML_NS[k]] for k in ("v", "o", "x"))
        new = [(c, lines) for c, lines in sorted(self.added_shapes.items()) if c not in existing]
        if new:
            ids = _ShapeIds(self.pkg, data)
            shapes = b""
            if b"_x0000_t202" not in data:
                shapes += _SHAPETYPE.format(v=v, o=o).encode()
            for (row, col), lines in new:
                shapes += _note_shape(ids.next(), row, col, lines, v, o, x)
            close = data.rfind(b"<", root.open_end, root.end)
            edits.append((close, close, shapes))
            edits += ids.edits()
        out = X.splice(data, edits)
        if not _any_shape(out):
            self._drop_vml()
            return
        self.pkg.put(self.vml_part, out)

    def _link(self, rid: str) -> None:
        prefix = None
        head = self.sheet.prolog
        m = re.search(rb'xmlns:([\w.\-]+)="' + re.escape(_REL_NS.encode()) + b'"', head)
        if m is not None:
            prefix = m.group(1)
        attr = (
            prefix + b':id="' if prefix else b'xmlns:r="' + _REL_NS.encode() + b'" r:id="'
        )  # fmt: skip
        elem = b"<" + self.sheet.p + b"legacyDrawing " + attr + rid.encode() + b'"/>'
        self.sheet.set_child("legacyDrawing", elem)

    def _drop_vml(self) -> None:
        """The drawing held only our notes: it goes, with its link from the sheet."""
        assert self.vml_part is not None
        for r in self.pkg.rels(self.sheet_part):
            if r.part == self.vml_part:
                self.pkg.remove_rel(self.sheet_part, r.id)
        self.pkg.remove(self.vml_part)
        self.sheet.set_child("legacyDrawing", None)
        self.vml_part = None


def _as_runs(text_xml: bytes, p: bytes) -> bytes:
    """The content of a ``<text>`` as runs (a leading plain ``<t>`` wrapped in ``<r>``)."""
    body = b"<text>" + text_xml + b"</text>"
    node = X.parse(body)[0]
    out = []
    for n in node.children:
        piece = body[n.start : n.end]
        out.append(b"<" + p + b"r>" + piece + b"</" + p + b"r>" if n.local == "t" else piece)
    return b"".join(out)


def _as_plain(runs: bytes, p: bytes) -> bytes:
    """Runs back to a plain ``<t>`` when they are a single run without formatting
    (what ``_as_runs`` made of a plain note)."""
    body = b"<text>" + runs + b"</text>"
    node = X.parse(body)[0]
    if len(node.children) == 1 and node.children[0].local == "r":
        run = node.children[0]
        if len(run.children) == 1 and run.children[0].local == "t":
            t = run.children[0]
            return body[t.start : t.end]
    return runs


def _note_cell(data: bytes, shape: X.Node) -> tuple[int, int] | None:
    """(row, column), 0-based, of a note shape; None for any other shape."""
    if shape.local != "shape":
        return None
    client = X.find(shape.children, "ClientData")
    if client is None or client.attrs().get("ObjectType") != "Note":
        return None
    row, col = X.find(client.children, "Row"), X.find(client.children, "Column")
    try:
        return int(X.unescape(row.inner(data))), int(X.unescape(col.inner(data)))  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        return None


def _any_shape(data: bytes) -> bool:
    """Does the drawing still hold a shape (a button, a note, anything drawn)?"""
    root = X.parse(data)[0]
    return any(n.local not in ("shapelayout", "shapetype") for n in root.children)


_SHAPETYPE = (
    '<{v}:shapetype id="_x0000_t202" coordsize="21600,21600" {o}:spt="202" '
    'path="m,l,21600r21600,l21600,xe"><{v}:stroke joinstyle="miter"/>'
    '<{v}:path gradientshapeok="t" {o}:connecttype="rect"/></{v}:shapetype>'
)


def _note_shape(sid: int, row: int, col: int, lines: int, v: str, o: str, x: str) -> bytes:
    height = min(30 + 12 * lines, 300)
    anchor = f"{col + 1}, 15, {max(row - 1, 0)}, 10, {col + 5}, 15, {row + 2 + lines // 2}, 4"
    return (
        f'<{v}:shape id="_x0000_s{sid}" type="#_x0000_t202" style="position:absolute;'
        f"margin-left:59.25pt;margin-top:1.5pt;width:270pt;height:{height}pt;z-index:{sid % 1024};"
        f'visibility:hidden" fillcolor="#ffffe1" {o}:insetmode="auto">'
        f'<{v}:fill color2="#ffffe1"/><{v}:shadow on="t" color="black" obscured="t"/>'
        f'<{v}:path {o}:connecttype="none"/><{v}:textbox style="mso-direction-alt:auto">'
        f'<div style="text-align:left"></div></{v}:textbox><{x}:ClientData ObjectType="Note">'
        f"<{x}:MoveWithCells/><{x}:SizeWithCells/><{x}:Anchor>{anchor}</{x}:Anchor>"
        f"<{x}:AutoFill>False</{x}:AutoFill><{x}:Row>{row}</{x}:Row>"
        f"<{x}:Column>{col}</{x}:Column></{x}:ClientData></{v}:shape>"
    ).encode()


def _new_vml(block: int) -> bytes:
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
        + _SHAPETYPE.format(v="v", o="o")
        + "</xml>"
    ).encode()


def _blocks_of(data: bytes) -> list[int]:
    m = _IDMAP.search(data)
    if m is None:
        return []
    return [int(b) for b in re.findall(rb"\d+", m.group(3))]


def _free_blocks(pkg: Package, n: int, also: set[int] | None = None) -> list[int]:
    """``n`` shape-id blocks (of 1,024 ids) no VML drawing of the package uses."""
    used = set(also or ())
    for name in pkg.names():
        if name.lower().endswith(".vml"):
            used.update(_blocks_of(pkg.read(name)))
    out: list[int] = []
    b = 1
    while len(out) < n:
        if b not in used:
            out.append(b)
        b += 1
    return out


class _ShapeIds:
    """New shape ids for one VML drawing: the lowest free ones in its own id blocks,
    then in new blocks (added to its ``idmap``)."""

    def __init__(self, pkg: Package, data: bytes) -> None:
        self.pkg, self.data = pkg, data
        self.blocks = _blocks_of(data) or []
        self.used = {int(m) for m in _SHAPE_ID.findall(data)}
        self.added: list[int] = []
        self.full: set[int] = set()

    def next(self) -> int:
        for b in [*self.blocks, *self.added]:
            if b in self.full:
                continue
            for i in range(b * 1024 + 1, b * 1024 + 1024):
                if i not in self.used:
                    self.used.add(i)
                    return i
            self.full.add(b)
        block = _free_blocks(self.pkg, 1, {*self.blocks, *self.added})[0]
        self.added.append(block)
        return self.next()

    def edits(self) -> list[tuple[int, int, bytes]]:
        if not self.added:
            return []
        m = _IDMAP.search(self.data)
        if m is None:
            return []
        value = ",".join(str(b) for b in [*self.blocks, *self.added]).encode()
        return [(m.start(3), m.end(3), value)]
