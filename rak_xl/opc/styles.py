"""``xl/styles.xml``, append only: we find or add the fonts, fills, borders, number
formats and cell formats (``cellXfs``) we need; no existing entry moves or changes, so
every index the user's sheets use stays valid and those sheets are copied byte for byte.

An element we need is looked up by its exact bytes among the existing ones, so a second
run finds what the first one added and the table does not grow.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from rak_xl.layout import Style
from rak_xl.opc import _xml as X
from rak_xl.opc.package import CT, REL, Package

__all__ = ["Font", "Styles"]

_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst")  # fmt: skip
# What a section must start with when a stylesheet lacks it (Excel reserves fills 0-1).
_SEEDS: dict[str, tuple[bytes, ...]] = {
    "fonts": (b'<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',),
    "fills": (
        b'<fill><patternFill patternType="none"/></fill>',
        b'<fill><patternFill patternType="gray125"/></fill>',
    ),
    "borders": (b"<border><left/><right/><top/><bottom/><diagonal/></border>",),
    "cellStyleXfs": (b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>',),
    "cellXfs": (b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',),
}
_EMPTY = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"</styleSheet>"
)
_BUILTIN_FORMATS = {
    "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10,
    "0.00E+00": 11, "# ?/?": 12, "# ??/??": 13, "mm-dd-yy": 14, "d-mmm-yy": 15,
    "d-mmm": 16, "mmm-yy": 17, "h:mm AM/PM": 18, "h:mm:ss AM/PM": 19, "h:mm": 20,
    "h:mm:ss": 21, "m/d/yy h:mm": 22, "@": 49,
}  # fmt: skip
_ITEM = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border",
         "cellStyleXfs": "xf", "cellXfs": "xf", "dxfs": "dxf"}  # fmt: skip
_BOX_SIDES = {"all": "lrtb", "top": "lrt", "mid": "lr", "bottom": "lrb"}


class Font:
    """A font we need: name and size default to the workbook's default font."""

    def __init__(
        self,
        *,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        size: float | None = None,
        name: str | None = None,
        rgb: str | None = None,
    ) -> None:
        self.bold, self.italic, self.underline = bold, italic, underline
        self.size, self.name, self.rgb = size, name, rgb


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


class Styles:
    def __init__(self, pkg: Package, workbook_part: str) -> None:
        self.pkg = pkg
        rel = next((r for r in pkg.rels(workbook_part) if r.kind == "styles" and r.part), None)
        if rel is None or rel.part is None:
            self.part = (
                "xl/styles.xml"
                if not pkg.has("xl/styles.xml")
                else pkg.free_name("xl/styles{}.xml")
            )
            pkg.put(self.part, _EMPTY)
            pkg.set_override(self.part, CT.STYLES)
            pkg.add_rel(workbook_part, REL.STYLES, self.part)
        else:
            self.part = rel.part
        self.data = pkg.xml(self.part)
        roots = X.parse(self.data)
        if not roots or roots[0].local != "styleSheet":
            raise X.refuse(pkg.file, self.part)
        self.root = roots[0]
        self.prefix = self.root.prefix
        self.sections = {n.local: n for n in self.root.children}
        self.items: dict[str, list[bytes]] = {}
        self.new: dict[str, list[bytes]] = {}
        self._index: dict[str, dict[bytes, int]] = {}
        self._plan_cache: dict[int, tuple[Style, int]] = {}
        self._plan_styles: dict[Style, int] = {}

    # reading ---------------------------------------------------------------------------
    def _list(self, section: str) -> list[bytes]:
        if section not in self.items:
            node = self.sections.get(section)
            kids = [] if node is None else X.find_all(node.children, _ITEM[section])
            self.items[section] = [self.data[k.start : k.end] for k in kids]
            if node is None and section in _SEEDS:
                self.new[section] = list(_SEEDS[section])
        return self.items[section]

    def entry(self, section: str, i: int) -> bytes | None:
        old = self._list(section)
        if 0 <= i < len(old):
            return old[i]
        new = self.new.get(section, [])
        j = i - len(old)
        return new[j] if 0 <= j < len(new) else None

    def count(self, section: str) -> int:
        return len(self._list(section)) + len(self.new.get(section, []))

    def xf(self, i: int) -> dict[str, str]:
        raw = self.entry("cellXfs", i)
        if raw is None:
            return {}
        return X.parse(raw)[0].attrs()

    def fill_id(self, xf: int) -> int:
        v = self.xf(xf).get("fillId", "0")
        return int(v) if v.isdigit() else 0

    def fill_json(self, fill_id: int) -> dict[str, Any] | None:
        """A fill as the state sheet records it (the form the xlwings adapter reads)."""
        raw = self.entry("fills", fill_id)
        node = X.parse(raw)[0] if raw else None
        pattern = X.find(node.children, "patternFill") if node is not None else None
        if pattern is None:
            return None
        kind = pattern.attrs().get("patternType")
        if kind in (None, "none"):
            return None
        out: dict[str, Any] = {"patternType": kind}
        for key, name in (("fg", "fgColor"), ("bg", "bgColor")):
            c = X.find(pattern.children, name)
            if c is None:
                continue
            a = c.attrs()
            tint = float(a.get("tint", "0") or 0)
            for t in ("rgb", "theme", "indexed", "auto"):
                if t in a:
                    out[key] = {"type": t, "value": a[t], "tint": tint}
                    break
        return out

    def solid_rgb(self, fill_id: int) -> str | None:
        """RRGGBB of a solid rgb fill, else None."""
        d = self.fill_json(fill_id)
        if not d or d.get("patternType") != "solid":
            return None
        fg = d.get("fg") or {}
        value = str(fg.get("value", ""))
        return value[-6:].upper() if fg.get("type") == "rgb" and len(value) >= 6 else None

    # adding ----------------------------------------------------------------------------
    def _find_or_add(self, section: str, elem: bytes) -> int:
        index = self._index.get(section)
        if index is None:
            index = {}
            for i, raw in enumerate(self._list(section) + self.new.get(section, [])):
                index.setdefault(raw, i)
            self._index[section] = index
        hit = index.get(elem)
        if hit is not None:
            return hit
        self.new.setdefault(section, []).append(elem)
        i = self.count(section) - 1
        index[elem] = i
        return i

    def num_fmt(self, code: str) -> int:
        if code in _BUILTIN_FORMATS:
            return _BUILTIN_FORMATS[code]
        existing = {}
        for raw in self._list("numFmts") + self.new.get("numFmts", []):
            a = X.parse(raw)[0].attrs()
            if a.get("numFmtId", "").isdigit():
                existing[a.get("formatCode", "")] = int(a["numFmtId"])
        if code in existing:
            return existing[code]
        fid = max([163, *existing.values()]) + 1
        elem = (
            b'<numFmt numFmtId="'
            + str(fid).encode()
            + b'" formatCode="'
            + X.esc_attr(code)
            + b'"/>'
        )
        self.new.setdefault("numFmts", []).append(elem)
        return fid

    def _default_font(self) -> tuple[float, str]:
        raw = self.entry("fonts", 0)
        size, name = 11.0, "Calibri"
        if raw:
            node = X.parse(raw)[0]
            sz, nm = X.find(node.children, "sz"), X.find(node.children, "name")
            if sz is not None:
                with contextlib.suppress(ValueError):
                    size = float(sz.attrs().get("val", "11"))
            if nm is not None:
                name = nm.attrs().get("val", name) or name
        return size, name

    def font(self, f: Font) -> int:
        size, name = self._default_font()
        parts = [b"<font>"]
        parts += [b"<b/>"] * f.bold + [b"<i/>"] * f.italic + [b"<u/>"] * f.underline
        parts.append(b'<sz val="' + _num(f.size or size).encode() + b'"/>')
        if f.rgb:
            parts.append(b'<color rgb="FF' + f.rgb.upper().encode() + b'"/>')
        parts.append(b'<name val="' + X.esc_attr(f.name or name) + b'"/><family val="2"/></font>')
        return self._find_or_add("fonts", b"".join(parts))

    def solid_fill(self, rgb: str) -> int:
        c = b'"FF' + rgb.upper().encode() + b'"'
        elem = (
            b'<fill><patternFill patternType="solid"><fgColor rgb=' + c + b"/><bgColor rgb=" + c
            + b"/></patternFill></fill>"
        )  # fmt: skip
        return self._find_or_add("fills", elem)

    def fill_from_json(self, d: dict[str, Any] | None) -> int:
        """The fill a record describes (no fill: index 0)."""
        if not d or not isinstance(d.get("patternType"), str):
            return 0

        def color(name: str, c: Any) -> bytes:
            if not isinstance(c, dict) or c.get("type") not in ("rgb", "theme", "indexed", "auto"):
                return b""
            tint = c.get("tint") or 0
            extra = b' tint="' + _num(float(tint)).encode() + b'"' if tint else b""
            return (
                b"<" + name.encode() + b" " + str(c["type"]).encode() + b'="'
                + X.esc_attr(str(c.get("value"))) + b'"' + extra + b"/>"
            )  # fmt: skip

        elem = (
            b'<fill><patternFill patternType="' + X.esc_attr(d["patternType"]) + b'">'
            + color("fgColor", d.get("fg")) + color("bgColor", d.get("bg"))
            + b"</patternFill></fill>"
        )  # fmt: skip
        return self._find_or_add("fills", elem)

    def border(self, sides: str) -> int:
        parts = [b"<border>"]
        for key, name in (("l", b"left"), ("r", b"right"), ("t", b"top"), ("b", b"bottom")):
            if key in sides:
                parts.append(b"<" + name + b' style="thin"><color rgb="FF000000"/></' + name + b">")
            else:
                parts.append(b"<" + name + b"/>")
        parts.append(b"<diagonal/></border>")
        return self._find_or_add("borders", b"".join(parts))

    def cell_xf(
        self,
        *,
        num_fmt: int = 0,
        font: int = 0,
        fill: int = 0,
        border: int = 0,
        align: dict[str, str] | None = None,
    ) -> int:
        attrs = (
            f'<xf numFmtId="{num_fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" '
            'xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1"'
        ).encode()
        if not align:
            return self._find_or_add("cellXfs", attrs + b"/>")
        al = b"".join(b" " + k.encode() + b'="' + X.esc_attr(v) + b'"' for k, v in align.items())
        elem = attrs + b' applyAlignment="1"><alignment' + al + b"/></xf>"
        return self._find_or_add("cellXfs", elem)

    def with_fill(self, xf: int, fill: int) -> int:
        """Cell format ``xf`` with its fill replaced (number format, font, border kept)."""
        raw = self.entry("cellXfs", xf) or self.entry("cellXfs", 0) or _SEEDS["cellXfs"][0]
        node = X.parse(raw)[0]
        tag = X.set_attrs(raw[: node.open_end], {"fillId": str(fill), "applyFill": "1"})
        return self._find_or_add("cellXfs", tag + raw[node.open_end :])

    def plan_style(self, st: Style) -> int:
        """The cell format of a layout ``Style`` (cached per object and per value)."""
        hit = self._plan_cache.get(id(st))
        if hit is not None and hit[0] is st:
            return hit[1]
        xf = self._plan_styles.get(st)
        if xf is None:
            align = {}
            if st.h_align != "general":
                align["horizontal"] = st.h_align
            align["vertical"] = st.v_align
            if st.wrap:
                align["wrapText"] = "1"
            if st.indent:
                align["indent"] = str(st.indent)
            font = Font(
                bold=st.bold, italic=st.italic, underline=st.underline, size=st.size, name=st.font
            )
            xf = self.cell_xf(
                num_fmt=self.num_fmt(st.number_format),
                font=self.font(font),
                fill=self.solid_fill(st.fill) if st.fill else 0,
                border=self.border(_BOX_SIDES[st.box]) if st.border else 0,
                align=align,
            )
            self._plan_styles[st] = xf
        self._plan_cache[id(st)] = (st, xf)
        return xf

    # writing ---------------------------------------------------------------------------
    def save(self) -> None:
        """Put the stylesheet back into the package when something was added (once, when
        the edit is done)."""
        if not any(self.new.values()):
            return
        edits: list[tuple[int, int, bytes]] = []
        missing: dict[str, bytes] = {}
        for section, new in self.new.items():
            if not new:
                continue
            p = self.prefix
            body = b"".join(_prefixed(e, p) for e in new)
            node = self.sections.get(section)
            total = str(self.count(section))
            if node is None:
                name = p + section.encode()
                missing[section] = (
                    b"<" + name + b' count="' + total.encode() + b'">' + body + b"</" + name + b">"
                )
                continue
            tag = self.data[node.start : node.open_end]
            if node.end == node.open_end:  # <fills count="0"/>
                start = X.set_attrs(tag, {"count": total})[:-2].rstrip() + b">"
                edits.append((node.start, node.end, start + body + b"</" + node.name + b">"))
            else:
                close = self.data.rfind(b"<", node.open_end, node.end)
                edits.append((node.start, node.open_end, X.set_attrs(tag, {"count": total})))
                edits.append((close, close, body))
        for section, block in missing.items():
            rank = _ORDER.index(section)
            later = [n for n in self.root.children if n.local in _ORDER[rank + 1 :]]
            if later:
                at = later[0].start
            else:
                at = self.data.rfind(b"<", self.root.open_end, self.root.end)
                if self.root.end == self.root.open_end:
                    raise X.refuse(self.pkg.file, self.part)
            edits.append((at, at, block))
        # The last step of an edit: nothing is added after it.
        self.pkg.put(self.part, X.splice(self.data, edits))


def _prefixed(elem: bytes, prefix: bytes) -> bytes:
    """Our elements are written unprefixed; in a stylesheet whose elements carry a
    prefix (``<x:font>``) they get it too."""
    if not prefix:
        return elem
    return _UNPREFIXED.sub(lambda m: b"<" + m.group(1) + prefix, elem)


_UNPREFIXED = re.compile(rb"<(/?)(?=[A-Za-z][\w.\-]*[\s/>])")
