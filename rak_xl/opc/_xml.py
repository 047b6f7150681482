"""Byte-level XML for the parts we edit: a tag tokenizer, escaping, attribute splicing.

Why not a DOM: ``xml.etree`` renames namespace prefixes (``ns0:``), and Excel refers to
prefixes by name (``mc:Ignorable="x14ac xr"``), so a re-serialised part can be reported as
corrupt. Splicing bytes keeps every element we do not change exactly as it was, prefixes
and all. The parts handed to ``parse`` are small (workbook, rels, styles, comments, VML,
a sheet's children outside ``sheetData``) and were proved well formed, with no DOCTYPE,
by ``check_xml`` (expat set up as defusedxml's ``forbid_dtd``) before.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Iterable, Iterator

from rak_xl.errors import WorkbookUnreadable
from rak_xl.workbook._zip import _bad_xml, _dtd, _Forbidden, _parser

__all__ = [
    "Node",
    "append_child",
    "attrs",
    "check_xml",
    "decode_xstring",
    "esc_attr",
    "esc_text",
    "find",
    "find_all",
    "local",
    "parse",
    "refuse",
    "set_attrs",
    "splice",
    "strip_controls",
    "texts",
    "unescape",
    "walk",
    "xstring",
]

# Comments, CDATA and processing instructions are skipped whole; a tag's attributes are
# matched as quoted strings, so a ">" inside a value does not end the tag.
_TOKEN = re.compile(
    rb"""<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>"""
    rb"""|<(/?)([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>""",
    re.DOTALL,
)
_ATTR = re.compile(rb"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {b"amp": "&", b"lt": "<", b"gt": ">", b"quot": '"', b"apos": "'"}


class Node:
    """One element of a small part: where it is (byte offsets) and its children."""

    __slots__ = ("attrs_raw", "children", "end", "name", "open_end", "start")

    def __init__(self, name: bytes, start: int, open_end: int, attrs_raw: bytes) -> None:
        self.name = name  # qualified, as written (b"x:c")
        self.start = start  # offset of "<"
        self.open_end = open_end  # just past the start tag
        self.end = open_end  # just past the end tag (the start tag when self-closing)
        self.attrs_raw = attrs_raw
        self.children: list[Node] = []

    @property
    def local(self) -> str:
        return local(self.name)

    @property
    def prefix(self) -> bytes:
        head, sep, _ = self.name.rpartition(b":")
        return head + sep

    def attrs(self) -> dict[str, str]:
        return attrs(self.attrs_raw)

    def inner(self, data: bytes) -> bytes:
        """The bytes between the start and the end tag (empty when self-closing)."""
        if self.end == self.open_end:
            return b""
        return data[self.open_end : data.rfind(b"<", self.open_end, self.end)]

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<Node {self.name!r} {self.start}:{self.end}>"


def local(name: bytes) -> str:
    return name.rpartition(b":")[2].decode("ascii", "replace")


def parse(data: bytes, start: int = 0, stop: int | None = None) -> list[Node]:
    """The top-level elements in ``data[start:stop]``, each with its whole subtree.

    End tags left open at ``stop`` (a root element cut by the caller) close there.
    """
    top: list[Node] = []
    stack: list[Node] = []
    stop = len(data) if stop is None else stop
    for m in _TOKEN.finditer(data, start, stop):
        name = m.group(2)
        if name is None:
            continue  # comment, CDATA, processing instruction
        if m.group(1):  # end tag
            if not stack or stack[-1].name != name:
                raise ValueError(f"unbalanced </{name.decode('ascii', 'replace')}>")
            node = stack.pop()
            node.end = m.end()
            continue
        node = Node(name, m.start(), m.end(), m.group(3))
        (stack[-1].children if stack else top).append(node)
        if not m.group(4):
            stack.append(node)
    for node in stack:  # cut by ``stop``
        node.end = stop
    return top


def find(nodes: Iterable[Node], name: str) -> Node | None:
    return next((n for n in nodes if n.local == name), None)


def find_all(nodes: Iterable[Node], name: str) -> list[Node]:
    return [n for n in nodes if n.local == name]


def walk(nodes: Iterable[Node]) -> Iterator[Node]:
    for n in nodes:
        yield n
        yield from walk(n.children)


def unescape(raw: bytes) -> str:
    """Text or attribute bytes -> str (the predefined and numeric references only)."""
    if b"&" not in raw:
        return raw.decode("utf-8", "replace")

    def ref(m: re.Match[bytes]) -> bytes:
        body = m.group(1)
        if body.startswith(b"#x"):
            return chr(int(body[2:], 16)).encode("utf-8", "surrogatepass")
        if body.startswith(b"#"):
            return chr(int(body[1:])).encode("utf-8", "surrogatepass")
        return _NAMED[body].encode()

    return _REF.sub(ref, raw).decode("utf-8", "replace")


def attrs(raw: bytes) -> dict[str, str]:
    """Attributes of a start tag (its bytes after the name), in document order."""
    return {
        m.group(1).decode("ascii", "replace"): unescape(
            m.group(2) if m.group(2) is not None else m.group(3)
        )
        for m in _ATTR.finditer(raw)
    }


def set_attrs(tag: bytes, changes: dict[str, str | None]) -> bytes:
    """A start tag (``<name ...>`` or ``<name .../>``) with attributes set or removed
    (None); the others stay byte for byte, new ones are added at the end."""
    end = 2 if tag.endswith(b"/>") else 1
    m = re.match(rb"<[^\s/>]+", tag)
    assert m is not None
    head, body = tag[: m.end()], tag[m.end() : len(tag) - end]
    seen: set[str] = set()

    def one(a: re.Match[bytes]) -> bytes:
        key = a.group(1).decode("ascii", "replace")
        if key not in changes:
            return a.group(0)
        seen.add(key)
        value = changes[key]
        return b"" if value is None else a.group(1) + b'="' + esc_attr(value) + b'"'

    body = _ATTR.sub(one, body)
    body = re.sub(rb"\s+(?=\s|$)", b"", body)  # spaces left by removed attributes
    extra = b"".join(
        b" " + k.encode("ascii") + b'="' + esc_attr(v) + b'"'
        for k, v in changes.items()
        if v is not None and k not in seen
    )
    return head + body + extra + tag[len(tag) - end :]


# XML 1.0 forbids these code points even as character references.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# ECMA-376 ST_Xstring: "_xHHHH_" stands for a character; a literal one is escaped as
# "_x005F_xHHHH_" (Excel, calamine and LibreOffice decode it).
_XSTRING = re.compile("_(x[0-9A-Fa-f]{4}_)")


def strip_controls(text: str) -> str:
    """``text`` without the characters XML cannot hold (for texts that are ours)."""
    return _ILLEGAL.sub("", text)


def xstring(text: str) -> str:
    """A cell text made writable without changing it: control characters as ``_xHHHH_``
    (as Excel writes them), literal ``_xHHHH_`` protected as ``_x005F_xHHHH_``."""
    if "_x" in text:
        text = _XSTRING.sub(r"_x005F_\1", text)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)) & 0xFFFF:04X}_", text)
    return text


def esc_text(text: str) -> bytes:
    """Character data; carriage returns as references (a parser would turn a raw one
    into a line feed)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
        .encode("utf-8", "surrogatepass")
    )


def esc_attr(text: str) -> bytes:
    """An attribute value in double quotes; line breaks and tabs as references (a parser
    would turn raw ones into spaces)."""
    return esc_text(text).replace(b'"', b"&quot;").replace(b"\n", b"&#10;").replace(b"\t", b"&#9;")


def texts(data: bytes, node: Node) -> str:
    """The text of a rich-text container (``<text>``, ``<si>``, ``<is>``): its ``<t>``
    pieces joined, phonetic runs (``<rPh>``) left out, ``_xHHHH_`` decoded."""
    out: list[str] = []

    def visit(n: Node) -> None:
        if n.local == "rPh":
            return
        if n.local == "t":
            out.append(unescape(n.inner(data)))
            return
        for c in n.children:
            visit(c)

    visit(node)
    return decode_xstring("".join(out))


_DECODE = re.compile("_x([0-9A-Fa-f]{4})_")


def decode_xstring(text: str) -> str:
    if "_x" not in text:
        return text
    return _DECODE.sub(lambda m: chr(int(m.group(1), 16)), text)


def check_xml(
    file: str, part: str, data: bytes, p: xml.parsers.expat.XMLParserType | None = None
) -> None:
    """Refuse a part that is not well-formed XML or holds a DOCTYPE (entity expansion).
    ``p``: a parser from ``_parser()`` with handlers of the caller's (else a bare one)."""
    p = p or _parser()
    try:
        p.Parse(data, True)
    except _Forbidden as exc:
        raise _dtd(file, part) from exc
    except xml.parsers.expat.ExpatError as exc:
        raise _bad_xml(file, part) from exc


def refuse(file: str, part: str) -> WorkbookUnreadable:
    return _bad_xml(file, part)


def append_child(data: bytes, node: Node, elem: bytes) -> bytes:
    """``data`` with ``elem`` as the last child of ``node`` (``<a/>`` becomes ``<a>…</a>``)."""
    if node.end == node.open_end:
        tag = data[node.start : node.end]
        return (
            data[: node.start] + tag[:-2].rstrip() + b">" + elem + b"</" + node.name + b">"
            + data[node.end :]
        )  # fmt: skip
    close = data.rfind(b"<", node.open_end, node.end)
    return data[:close] + elem + data[close:]


def splice(data: bytes, edits: Iterable[tuple[int, int, bytes]]) -> bytes:
    """``data`` with each ``(start, end)`` span replaced by its bytes (spans disjoint)."""
    out: list[bytes] = []
    pos = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(data[pos:start])
        out.append(new)
        pos = end
    out.append(data[pos:])
    return b"".join(out)
