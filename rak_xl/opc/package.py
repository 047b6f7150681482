"""An OOXML package opened for editing: parts, content types and relationships.

``Package.open(path)`` applies the reader's zip guards (``rak_xl.workbook._zip``: number
and sizes of parts, compression ratio, encryption, methods) before anything is inflated;
every part we read is streamed with its declared size enforced and its CRC checked, and
every XML part we parse is first proved well formed and free of DOCTYPE (``check_xml``).
``save(dest)`` writes a new zip in the source's part order: parts nobody changed are
copied as their stored compressed bytes (``_zipio.ZipOut.copy``), changed and new ones
are deflated. Part names are matched without regard to case, as OPC requires.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from rak_xl.errors import WorkbookUnreadable
from rak_xl.opc import _xml as X
from rak_xl.opc._zipio import ZipOut
from rak_xl.workbook._zip import _check_directory, _corrupt, _stream

__all__ = ["CT", "REL", "Package", "Rel", "relative", "rels_name"]

_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


class REL:
    """Relationship types we create (matched by their last segment when reading, so the
    Strict variants match too)."""

    WORKSHEET = _RELS_NS + "/worksheet"
    COMMENTS = _RELS_NS + "/comments"
    VML = _RELS_NS + "/vmlDrawing"
    STYLES = _RELS_NS + "/styles"


class CT:
    """Content types we write."""

    WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
    VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
    STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
    MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    MAIN_MACRO = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str
    external: bool
    part: str | None  # the zip name of the target part (None: external or missing)

    @property
    def kind(self) -> str:
        return self.type.rstrip("/").rpartition("/")[2]


def rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def relative(source: str, target: str) -> str:
    """``target`` as a relationship target written in the rels of ``source``."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


class Package:
    def __init__(self, file: str, raw: BinaryIO) -> None:
        self.file = file  # the name used in messages
        self._raw = raw
        try:
            self._zip = zipfile.ZipFile(raw)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _corrupt(file) from exc
        self.infos = [i for i in self._zip.infolist()]
        _check_directory(file, self.infos)
        self._lower = {i.filename.lower(): i.filename for i in self.infos}
        self._by_name = {i.filename: i for i in self.infos}
        self._cache: dict[str, bytes] = {}
        self.changed: dict[str, bytes] = {}  # edited and new parts
        self.removed: set[str] = set()
        self.new_order: list[str] = []
        self._checked: set[str] = set()

    @classmethod
    def open(cls, path: Path) -> Package:
        """The package at ``path``; the file stays open until ``close``."""
        try:
            fh = Path(path).open("rb")  # noqa: SIM115 (closed by close())
        except OSError as exc:
            raise WorkbookUnreadable(f"File {Path(path).name} tidak dapat dibuka.") from exc
        return cls(Path(path).name, fh)

    @classmethod
    def from_bytes(cls, file: str, data: bytes) -> Package:
        return cls(file, io.BytesIO(data))

    def close(self) -> None:
        self._zip.close()
        self._raw.close()

    # parts ------------------------------------------------------------------------------
    def name_of(self, part: str) -> str | None:
        """The part's name as stored (case-insensitive lookup), None if absent."""
        part = part.lstrip("/")
        if part in self.changed:
            return part
        hit = self._lower.get(part.lower())
        if hit is None:
            hit = next((n for n in self.changed if n.lower() == part.lower()), None)
        return None if hit is None or hit in self.removed else hit

    def has(self, part: str) -> bool:
        return self.name_of(part) is not None

    def read(self, part: str) -> bytes:
        name = self.name_of(part)
        if name is None:
            raise KeyError(part)
        if name in self.changed:
            return self.changed[name]
        if name not in self._cache:
            self._cache[name] = b"".join(_stream(self._zip, self._by_name[name], self.file))
        return self._cache[name]

    def xml(self, part: str) -> bytes:
        """A small XML part, proved well formed and DOCTYPE-free."""
        data = self.read(part)
        name = self.name_of(part)
        if name not in self.changed and name not in self._checked:
            X.check_xml(self.file, part, data)
            self._checked.add(str(name))
        return data

    def put(self, part: str, data: bytes) -> None:
        name = self.name_of(part) or part.lstrip("/")
        if name not in self._by_name and name not in self.new_order:
            self.new_order.append(name)
        self.changed[name] = data
        self.removed.discard(name)

    def remove(self, part: str) -> None:
        name = self.name_of(part)
        if name is None:
            return
        self.changed.pop(name, None)
        if name in self.new_order:
            self.new_order.remove(name)
        if name in self._by_name:
            self.removed.add(name)
        self.remove_override(name)

    def names(self) -> list[str]:
        kept = [i.filename for i in self.infos if i.filename not in self.removed]
        return kept + [n for n in self.new_order if n not in self._by_name]

    def free_name(self, pattern: str) -> str:
        """The first unused ``pattern.format(n)`` for n = 1, 2, ..."""
        n = 1
        while self.has(pattern.format(n)):
            n += 1
        return pattern.format(n)

    def unchanged(self, part: str) -> bool:
        name = self.name_of(part)
        return name is not None and name not in self.changed

    # content types ------------------------------------------------------------------------
    _CT_PART = "[Content_Types].xml"

    def _types(self) -> tuple[bytes, X.Node]:
        data = self.xml(self._CT_PART)
        root = next(iter(X.parse(data)), None)
        if root is None or root.local != "Types":
            raise X.refuse(self.file, self._CT_PART)
        return data, root

    def content_type(self, part: str) -> str | None:
        _, root = self._types()
        want = "/" + part.lstrip("/").lower()
        ext = part.rpartition(".")[2].lower()
        default = None
        for n in root.children:
            a = n.attrs()
            if n.local == "Override" and a.get("PartName", "").lower() == want:
                return a.get("ContentType")
            if n.local == "Default" and a.get("Extension", "").lower() == ext:
                default = a.get("ContentType")
        return default

    def set_override(self, part: str, ctype: str) -> None:
        """The content type of ``part``: placed before the first override of a name that
        sorts after it, so the same set of parts gives the same bytes on every run."""
        self.remove_override(part)
        data, root = self._types()
        name = "/" + part.lstrip("/")
        elem = (
            b"<" + root.prefix + b'Override PartName="' + X.esc_attr(name) + b'" ContentType="'
            + X.esc_attr(ctype) + b'"/>'
        )  # fmt: skip
        later = [
            n
            for n in root.children
            if n.local == "Override" and n.attrs().get("PartName", "").lower() > name.lower()
        ]
        if later:
            self.put(self._CT_PART, data[: later[0].start] + elem + data[later[0].start :])
        else:
            self.put(self._CT_PART, X.append_child(data, root, elem))

    def remove_override(self, part: str) -> None:
        if part == self._CT_PART or not self.has(self._CT_PART):
            return
        data, root = self._types()
        want = "/" + part.lstrip("/").lower()
        for n in root.children:
            if n.local == "Override" and n.attrs().get("PartName", "").lower() == want:
                self.put(self._CT_PART, data[: n.start] + data[n.end :])
                return

    def ensure_default(self, ext: str, ctype: str) -> None:
        data, root = self._types()
        for n in root.children:
            if n.local == "Default" and n.attrs().get("Extension", "").lower() == ext:
                return
        p = root.prefix
        elem = (
            b"<" + p + b'Default Extension="' + ext.encode() + b'" ContentType="'
            + X.esc_attr(ctype) + b'"/>'
        )  # fmt: skip
        # Defaults come before Overrides (the schema's order).
        first = root.children[0].start if root.children else None
        if first is None:
            self.put(self._CT_PART, X.append_child(data, root, elem))
        else:
            self.put(self._CT_PART, data[:first] + elem + data[first:])

    # relationships --------------------------------------------------------------------------
    def rels(self, part: str) -> list[Rel]:
        name = rels_name(part.lstrip("/"))
        if not self.has(name):
            return []
        data = self.xml(name)
        roots = X.parse(data)
        if not roots:
            return []
        out = []
        folder = posixpath.dirname(part.lstrip("/"))
        for n in roots[0].children:
            if n.local != "Relationship":
                continue
            a = n.attrs()
            target = a.get("Target", "")
            external = a.get("TargetMode", "") == "External"
            resolved = None
            if not external and target:
                path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                path = posixpath.normpath(path).lstrip("/")
                resolved = self.name_of(path) or self.name_of(unquote(path))
            out.append(Rel(a.get("Id", ""), a.get("Type", ""), target, external, resolved))
        return out

    def rel_of_kind(self, part: str, kind: str) -> list[Rel]:
        return [r for r in self.rels(part) if r.kind == kind]

    def add_rel(
        self, part: str, rtype: str, target: str, *, rid: str | None = None, external: bool = False
    ) -> str:
        """Relate ``part`` to the part ``target`` (a zip name; with ``external``, a URL
        kept as it is); returns the Id (``rid``, or the first free ``rIdN``)."""
        name = rels_name(part.lstrip("/"))
        used = {r.id for r in self.rels(part)}
        n = 1
        while f"rId{n}" in used:
            n += 1
        rid = rid or f"rId{n}"
        where = target if external else relative(part.lstrip("/"), target)
        elem = (
            b'<Relationship Id="' + X.esc_attr(rid) + b'" Type="' + X.esc_attr(rtype)
            + b'" Target="' + X.esc_attr(where) + b'"'
            + (b' TargetMode="External"' if external else b"") + b"/>"
        )  # fmt: skip
        if not self.has(name):
            self.put(
                name,
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                b'relationships">' + elem + b"</Relationships>",
            )
            return rid
        data = self.xml(name)
        root = X.parse(data)[0]
        if root.prefix:
            elem = b"<" + root.prefix + elem[1:]
        self.put(name, X.append_child(data, root, elem))
        return rid

    def remove_rel(self, part: str, rid: str) -> None:
        name = rels_name(part.lstrip("/"))
        if not self.has(name):
            return
        data = self.xml(name)
        root = X.parse(data)[0]
        for n in root.children:
            if n.local == "Relationship" and n.attrs().get("Id") == rid:
                self.put(name, data[: n.start] + data[n.end :])
                return

    def referenced(self) -> set[str]:
        """Every part some relationship of a present part points at."""
        out: set[str] = set()
        for name in self.names():
            if name.endswith(".rels"):
                source = _source_of(name)
                if source is not None and (source == "" or self.has(source)):
                    out.update(r.part for r in self.rels(source) if r.part)
        return out

    def remove_tree(self, part: str) -> None:
        """Remove ``part``, its rels, and the parts only it pointed at (recursively)."""
        targets = [r.part for r in self.rels(part) if r.part]
        self.remove(part)
        self.remove(rels_name(part))
        still = self.referenced()
        for t in targets:
            if t not in still and self.has(t):
                self.remove_tree(t)

    # writing ----------------------------------------------------------------------------------
    def save(self, fh: BinaryIO) -> None:
        out = ZipOut(fh)
        for name in self.names():
            if name in self.changed:
                out.add(name, self.changed[name])
            else:
                out.copy(self._raw, self._by_name[name])
        out.close()


def _source_of(rels: str) -> str | None:
    folder, _, base = rels.rpartition("/")
    if not folder.endswith("_rels") or not base.endswith(".rels"):
        return None
    parent = folder[: -len("_rels")].rstrip("/")
    return f"{parent}/{base[:-5]}" if parent else base[:-5]
