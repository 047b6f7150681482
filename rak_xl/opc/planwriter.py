"""A ``SheetPlan`` laid out in a worksheet part: what Susun Ulang owns in the sheet.

``sheetData`` (every planned cell: values as inline strings or numbers, ``Formula`` as
``<f>``, the cell format found or appended in the stylesheet), ``mergeCells``, ``cols``,
``dimension``, the sheet view (frozen pane, zoom), print options, margins, page setup
(scale or fit to width, paper, orientation, page order; the user's printer settings link
kept), the manual page breaks, the page footer, and the sheet's print area and title rows
and columns (its ``_xlnm`` names). The sheet's other
children are the caller's business.
"""

from __future__ import annotations

from rak_xl.cellref import a1, col_letter
from rak_xl.layout import SheetPlan
from rak_xl.opc import _xml as X
from rak_xl.opc.book import Book
from rak_xl.opc.sheet import Sheet, cell_xml
from rak_xl.opc.workbook import SheetRef

__all__ = ["lay_out", "quoted", "ref_text"]


def quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def ref_text(box: tuple[int, int, int, int]) -> str:
    a, b = a1(box[0], box[1]), a1(box[2], box[3])
    return a if a == b else f"{a}:{b}"


def _sheet_data(
    sheet: Sheet, book: Book, plan: SheetPlan, far: dict[tuple[int, int], bytes]
) -> bytes:
    styles = book.styles
    date1904 = book.wb.date1904
    p = sheet.p
    rows: dict[int, list[tuple[int, bytes]]] = {r: [] for r in plan.row_heights}
    letters: dict[int, str] = {}
    for (r, c), pc in plan.cells.items():
        letter = letters.get(c)
        if letter is None:
            letter = letters[c] = col_letter(c)
        raw = cell_xml(p, f"{letter}{r}", styles.plan_style(pc.style), pc.value, date1904=date1904)
        rows.setdefault(r, []).append((c, raw))
    for (r, c), raw in far.items():
        rows.setdefault(r, []).append((c, raw))
    out = []
    for r in sorted(rows):
        h = plan.row_heights.get(r)
        ht = f' ht="{h:g}" customHeight="1"'.encode() if h else b""
        cells = b"".join(raw for _, raw in sorted(rows[r], key=lambda t: t[0]))
        head = b"<" + p + b'row r="' + str(r).encode() + b'"' + ht
        out.append(head + b">" + cells + b"</" + p + b"row>" if cells else head + b"/>")
    return b"".join(out)


def _view(sheet: Sheet, plan: SheetPlan) -> bytes:
    fr, fc = plan.freeze
    pane: dict[str, str] = {}
    if fc > 1:
        pane["xSplit"] = str(fc - 1)
    if fr > 1:
        pane["ySplit"] = str(fr - 1)
    active = "bottomRight" if fc > 1 and fr > 1 else ("bottomLeft" if fr > 1 else "topRight")
    body = b""
    if pane:
        pane.update({"topLeftCell": a1(fr, fc), "activePane": active, "state": "frozen"})
        body = sheet.element("pane", pane) + sheet.element(
            "selection", {"pane": active, "activeCell": a1(fr, fc), "sqref": a1(fr, fc)}
        )
    old = sheet.child("sheetViews")
    view = next((n for n in X.walk(X.parse(old)) if n.local == "sheetView"), None) if old else None
    attrs = (
        {
            k: v
            for k, v in view.attrs().items()
            if k not in ("zoomScale", "zoomScaleNormal", "topLeftCell", "view")
        }
        if view
        else {}
    )
    attrs.setdefault("workbookViewId", "0")
    attrs = {**attrs, "zoomScale": "80", "zoomScaleNormal": "80"}
    return sheet.element("sheetViews", {}, sheet.element("sheetView", attrs, body))


def _merge_attr(sheet: Sheet, name: str, new: dict[str, str]) -> bytes:
    """``name`` with the attributes ``new`` set on top of the old element's."""
    old = sheet.child(name)
    if old is None:
        return sheet.element(name, new)
    end = old.index(b">") + 1
    tag = X.set_attrs(old[:end], dict(new))
    return tag + old[end:]


def _breaks(sheet: Sheet, name: str, firsts: tuple[int, ...], most: int) -> bytes | None:
    """``rowBreaks``/``colBreaks``: a manual break before each of ``firsts`` (1-based; the
    OOXML id is 0-based, the break lying above/left of it)."""
    if not firsts:
        return None
    n = str(len(firsts))
    brks = b"".join(
        sheet.element("brk", {"id": str(f - 1), "max": str(most), "man": "1"}) for f in firsts
    )
    return sheet.element(name, {"count": n, "manualBreakCount": n}, brks)


def _print_setup(sheet: Sheet, plan: SheetPlan) -> None:
    ps = plan.print_setup
    fit = {"fitToPage": "0" if ps.scale else "1"}
    pr = sheet.child("sheetPr")
    if pr is None:
        sheet.set_child("sheetPr", sheet.element("sheetPr", {}, sheet.element("pageSetUpPr", fit)))
    else:
        nodes = X.parse(pr)
        setup = X.find(nodes[0].children, "pageSetUpPr")
        if setup is not None:
            new = (
                pr[: setup.start]
                + X.set_attrs(pr[setup.start : setup.open_end], dict(fit))
                + pr[setup.open_end :]
            )
        else:
            new = X.append_child(pr, nodes[0], sheet.element("pageSetUpPr", fit))
        sheet.set_child("sheetPr", new)
    left, right, top, bottom = ps.margins_in
    header = "0.3"
    old = sheet.child("pageMargins")
    if old is not None:
        header = X.attrs(old[old.find(b" ") : old.find(b">")]).get("header", header)
    sheet.set_child("printOptions", sheet.element("printOptions", {"horizontalCentered": "1"}))
    sheet.set_child("pageMargins", sheet.element("pageMargins", {
        "left": f"{left:g}", "right": f"{right:g}", "top": f"{top:g}", "bottom": f"{bottom:g}",
        "header": header, "footer": "0.25"}))  # fmt: skip
    page = {
        "paperSize": str(ps.paper_size), "orientation": "landscape" if ps.landscape else "portrait",
        "fitToWidth": str(ps.fit_width), "fitToHeight": str(ps.fit_height),
        "pageOrder": "overThenDown" if ps.over_then_down else "downThenOver"}  # fmt: skip
    if ps.scale:
        page["scale"] = str(ps.scale)
    sheet.set_child("pageSetup", _merge_attr(sheet, "pageSetup", page))
    sheet.set_child("rowBreaks", _breaks(sheet, "rowBreaks", ps.row_breaks, 16383))
    sheet.set_child("colBreaks", _breaks(sheet, "colBreaks", ps.col_breaks, 1048575))
    footer = sheet.element("oddFooter", {}, X.esc_text("&C&8" + ps.footer_center))
    hf = sheet.child("headerFooter")
    if hf is None:
        sheet.set_child("headerFooter", sheet.element("headerFooter", {}, footer))
        return
    root = X.parse(hf)[0]
    odd = X.find(root.children, "oddFooter")
    head = X.find(root.children, "oddHeader")
    if odd is not None:  # the user's header and other pages' headers/footers stay
        new = hf[: odd.start] + footer + hf[odd.end :]
    elif head is not None:  # oddFooter comes right after oddHeader
        new = hf[: head.end] + footer + hf[head.end :]
    elif root.children:
        first = root.children[0].start
        new = hf[:first] + footer + hf[first:]
    else:
        new = X.append_child(hf, root, footer)
    sheet.set_child("headerFooter", new)


def lay_out(
    book: Book, ref: SheetRef, plan: SheetPlan, far: dict[tuple[int, int], bytes] | None = None
) -> None:
    """Write ``plan`` into sheet ``ref`` (its old cells go; ``far``: cells to keep as
    they are, by position)."""
    far = far or {}
    sheet = book.sheet(ref, edit=True)
    sheet.data = _sheet_data(sheet, book, plan, far)
    sheet._rows = None
    last_r = max([plan.last_row, *[r for r, _ in far]])
    last_c = max([plan.last_col, *[c for _, c in far]])
    sheet.set_child("dimension", sheet.element("dimension", {"ref": f"A1:{a1(last_r, last_c)}"}))
    sheet.set_child("sheetViews", _view(sheet, plan))
    cols = b"".join(
        sheet.element(
            "col",
            {"min": str(c), "max": str(c), "width": f"{w:g}", "customWidth": "1"}
            | ({"hidden": "1"} if w == 0 else {}),
        )
        for c, w in sorted(plan.col_widths.items())
    )
    sheet.set_child("cols", sheet.element("cols", {}, cols) if cols else None)
    merges = b"".join(sheet.element("mergeCell", {"ref": ref_text(m)}) for m in plan.merges)
    sheet.set_child(
        "mergeCells",
        sheet.element("mergeCells", {"count": str(len(plan.merges))}, merges) if merges else None,
    )
    _print_setup(sheet, plan)
    ps = plan.print_setup
    area = None
    if ps.print_area is not None:
        r1, c1, r2, c2 = ps.print_area
        area = f"{quoted(ref.name)}!${col_letter(c1)}${r1}:${col_letter(c2)}${r2}"
    repeat = []
    if ps.title_cols:
        first, last = (col_letter(c) for c in ps.title_cols)
        repeat.append(f"{quoted(ref.name)}!${first}:${last}")
    if ps.title_rows:
        repeat.append(f"{quoted(ref.name)}!${ps.title_rows[0]}:${ps.title_rows[1]}")
    titles = ",".join(repeat) or None
    book.wb.set_defined_name("_xlnm.Print_Area", ref.index, area)
    book.wb.set_defined_name("_xlnm.Print_Titles", ref.index, titles)
