"""The sheets that are ours: the findings sheet ``Temuan`` and the state sheet ``_rak_xl``
(written here), and a small reader of cell values for recognising them again.

Our text cells are inline strings (``t="inlineStr"``), never shared strings and never
formulas: ``xl/sharedStrings.xml`` stays byte for byte, removing our sheet later leaves
no orphan strings behind, and a message that quotes user text starting with ``=`` stays
text. calamine, openpyxl and LibreOffice read inline strings; Excel turns them into
shared strings when it saves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rak_xl.cellref import a1, col_letter
from rak_xl.marks import FILLS, MarkPlan
from rak_xl.opc import _xml as X
from rak_xl.opc.package import Package
from rak_xl.opc.sheet import Sheet, cell_attrs, cell_xml
from rak_xl.opc.styles import Font, Styles

__all__ = ["SharedStrings", "read_values", "state_xml", "temuan_xml"]

_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
)
_MARGINS = (
    b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
)
_LINK_BLUE = "0563C1"
_WIDTHS = (6, 12, 30, 8, 7, 50, 80)


class SharedStrings:
    """Lookup of shared strings by index, parsed only as far as asked."""

    def __init__(self, pkg: Package, workbook_part: str) -> None:
        rel = next(
            (r for r in pkg.rels(workbook_part) if r.kind == "sharedStrings" and r.part), None
        )
        self.data = pkg.xml(rel.part) if rel and rel.part else b""
        self._starts: list[int] = []
        self._scan = re.compile(rb"<(?:[\w.\-]+:)?si(?=[\s>/])").finditer(self.data)

    def get(self, i: int) -> str | None:
        while len(self._starts) <= i:
            m = next(self._scan, None)
            if m is None:
                return None
            self._starts.append(m.start())
        start = self._starts[i]
        node = X.parse(self.data, start, self._end(start))[0]
        return X.texts(self.data, node)

    def _end(self, start: int) -> int:
        tag_end = self.data.index(b">", start) + 1
        if self.data[tag_end - 2 : tag_end] == b"/>":
            return tag_end
        m = re.compile(rb"</(?:[\w.\-]+:)?si>").search(self.data, tag_end)
        return m.end() if m else len(self.data)


def _value(raw: bytes, sst: SharedStrings) -> object:
    kind = cell_attrs(raw).get("t", "n")
    node = X.parse(raw)[0]
    if kind == "inlineStr":
        box = X.find(node.children, "is")
        return X.texts(raw, box) if box is not None else None
    v = X.find(node.children, "v")
    if v is None:
        return None
    text = X.unescape(v.inner(raw))
    if kind == "s":
        return sst.get(int(text)) if text.strip().isdigit() else None
    if kind in ("str", "e"):
        return X.decode_xstring(text)
    if kind == "b":
        return text.strip() in ("1", "true")
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def read_values(sheet: Sheet, sst: SharedStrings, max_row: int | None = None) -> list[list[object]]:
    """Rows of cell values from row 1 (short sheets: ours, and ``A1`` of a candidate)."""
    nums = sorted(n for n in sheet._index()[0] if max_row is None or n <= max_row)
    rows: list[list[object]] = []
    for r in nums:
        while len(rows) < r:
            rows.append([])
        row = rows[r - 1]
        for col, s, e in sheet.cells_of_row(r):
            while len(row) < col:
                row.append(None)
            row[col - 1] = _value(sheet.data[s:e], sst)
    return rows


def _row(r: int, cells: Sequence[bytes], height: float | None = None) -> bytes:
    ht = f' ht="{height:g}" customHeight="1"'.encode() if height else b""
    return b'<row r="' + str(r).encode() + b'"' + ht + b">" + b"".join(cells) + b"</row>"


def temuan_xml(plan: MarkPlan, styles: Styles) -> tuple[bytes, tuple[int, int] | None]:
    """The findings sheet: summary, header, one row per finding with a link to its cell,
    laid out and printed as ``plan.look`` says; and the rows to repeat on every printed
    page (the caller names them: the name lives in the workbook part)."""
    look = plan.look
    size = look.size if look else None
    name = "Arial" if look else None

    def xf(
        *, bold: bool = False, link: bool = False, fill: str | None = None, wrap: bool = False
    ) -> int:
        font = Font(
            bold=bold, underline=link, size=size, name=name, rgb=_LINK_BLUE if link else None
        )
        align = {"vertical": "top", "wrapText": "1"} if wrap else {"vertical": "top"}
        return styles.cell_xf(
            font=styles.font(font),
            fill=styles.solid_fill(fill) if fill else 0,
            align=align,
        )

    wrapped = look.wrap if look else frozenset({6, 7})
    rows: list[bytes] = []
    links: list[bytes] = []
    for i, row in enumerate(plan.temuan, start=1):
        header = i == 1 or i - 1 == plan.header_index
        finding = i - 1 > plan.header_index
        cells = []
        for j, value in enumerate(row.values, start=1):
            fill = None
            if row.severity is not None and j == (1 if i - 1 < plan.header_index else 2):
                fill = FILLS[row.severity]
            is_link = row.link is not None and j == 4
            style = xf(bold=header, link=is_link, fill=fill, wrap=finding and j in wrapped)
            if is_link:
                links.append(
                    b'<hyperlink ref="' + a1(i, 4).encode() + b'" location="'
                    + X.esc_attr(X.strip_controls(row.link or "")) + b'" display="'
                    + X.esc_attr(X.strip_controls(str(value))) + b'"/>'
                )  # fmt: skip
            if isinstance(value, str):
                value = X.strip_controls(value)  # a message may quote the user's text
            if value is not None:
                cells.append(cell_xml(b"", a1(i, j), style, value))
        height = look.heights.get(i) if look else None
        rows.append(_row(i, cells, height))
    top = plan.header_index + 2
    views = (
        b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="' + str(top - 1).encode()
        + b'" topLeftCell="A' + str(top).encode() + b'" activePane="bottomLeft" state="frozen"/>'
        b'<selection pane="bottomLeft" activeCell="A' + str(top).encode() + b'" sqref="A'
        + str(top).encode() + b'"/></sheetView></sheetViews>'
    )  # fmt: skip
    widths = look.widths if look else _WIDTHS
    cols = b"<cols>" + b"".join(
        f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'.encode()
        for c, w in enumerate(widths, start=1)
    ) + b"</cols>"  # fmt: skip
    last = max((len(r.values) for r in plan.temuan), default=1)
    dim = f'<dimension ref="A1:{col_letter(max(last, 1))}{len(plan.temuan)}"/>'.encode()
    hyper = b"<hyperlinks>" + b"".join(links) + b"</hyperlinks>" if links else b""
    pr, setup, titles = b"", _MARGINS, None
    if look:
        ps = look.print_setup
        left, right, top_in, bottom = ps.margins_in
        pr = b'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        setup = (
            (
                f'<printOptions horizontalCentered="1"/><pageMargins left="{left:g}" '
                f'right="{right:g}" top="{top_in:g}" bottom="{bottom:g}" header="0.3" '
                f'footer="0.25"/><pageSetup paperSize="{ps.paper_size}" orientation="landscape" '
                f'fitToWidth="{ps.fit_width}" fitToHeight="{ps.fit_height}"/>'
            ).encode()
            + b"<headerFooter><oddFooter>"
            + X.esc_text("&C&8" + ps.footer_center)
            + b"</oddFooter></headerFooter>"
        )
        titles = ps.title_rows
    return (
        _HEAD + pr + dim + views + cols + b"<sheetData>" + b"".join(rows) + b"</sheetData>"
        + hyper + setup + b"</worksheet>"
    ), titles  # fmt: skip


def state_xml(rows: Sequence[Sequence[str]]) -> bytes:
    """The very hidden state sheet: one row per marked cell (``marks.records_to_rows``)."""
    body = b"".join(
        _row(i, [cell_xml(b"", a1(i, j), 0, v) for j, v in enumerate(row, start=1) if v != ""])
        for i, row in enumerate(rows, start=1)
    )
    return _HEAD + b"<sheetData>" + body + b"</sheetData>" + _MARGINS + b"</worksheet>"
