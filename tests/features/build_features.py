"""Workbooks holding the features a load-and-save through openpyxl loses, for proving
what each write command keeps: ``python3 tests/features/build_features.py OUTDIR``.

Built with XlsxWriter (it writes all of them), the RAK table from the seed model through
the template's own writer (``rak_xl.adapters.xlsxwriter_plan``), then a few parts
XlsxWriter does not write added to the zip (printer settings, a custom XML item).

On the RAK sheet: a logo inside the table area (B2) and one outside (BH3), a text box,
a chart, sparklines (location outside, data inside the table), an icon-set conditional
format over the table and an Excel 2010 data bar (``x14``) outside it, data validation
inside and outside, a hyperlink on the title, rich text in a kegiatan name, a month
written as a formula with its cached value, user notes inside and outside, a header
picture (``legacyDrawingHF``), a sheet-scoped name. On the sheet ``Lampiran``: the same
kinds of things, a chart's data, an Excel table, printer settings, print titles.
Workbook-level: defined names, a custom XML item; ``.xlsm``: a VBA project and a form
button on each sheet.
"""

from __future__ import annotations

import io
import json
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from rak_xl.adapters.xlsxwriter_plan import apply_plan
from rak_xl.layout import SheetPlan, plan_sheet
from rak_xl.model import Rak

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "fixtures" / "rak_banjar_2020.json"
RAK = "RAK"
OTHER = "Lampiran"
LINK = "https://sakip.banjarkab.go.id/rak"
FORMULA_CELL = (10, 27)  # AA10: January of the first kegiatan, as =162000000+206000
RICH_CELL = (10, 18)  # R10: the first kegiatan's name in two runs
NOTE_INSIDE, NOTE_OUTSIDE = "R14", "BH3"
PRINTER = b"rak-xl printer settings \x00\x01\x02 (opaque DEVMODE bytes)" * 8


@dataclass(frozen=True)
class Built:
    path: Path
    plan: SheetPlan
    rak: Rak


def png(rgb: tuple[int, int, int] = (200, 30, 30), size: int = 24) -> bytes:
    """A small solid PNG (a logo)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def seed() -> Rak:
    return Rak.from_json(json.loads(SEED.read_text(encoding="utf-8")))


def _vba() -> bytes:
    import xlwings

    quickstart = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(quickstart) as z:
        return z.read("xl/vbaProject.bin")


def build(path: Path) -> Built:
    """One feature workbook at ``path`` (``.xlsx``, or ``.xlsm`` with a VBA project)."""
    rak = seed()
    plan = plan_sheet(rak)
    macro = path.suffix.lower() == ".xlsm"
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": __import__("datetime").datetime(2020, 1, 2)})
    ws = book.add_worksheet(RAK)
    other = book.add_worksheet(OTHER)
    apply_plan(book, ws, plan)
    bold = book.add_format({"bold": True, "font_color": "#C00000"})
    plain = book.add_format(
        {"text_wrap": True, "valign": "top", "font_name": "Arial", "font_size": 9}
    )

    # -- RAK sheet ------------------------------------------------------------------------
    logo = io.BytesIO(png())
    ws.insert_image("B2", "logo.png", {"image_data": logo, "description": "Logo"})
    ws.insert_image("BH3", "logo2.png", {"image_data": io.BytesIO(png((30, 90, 200)))})
    ws.insert_textbox("BH10", "Catatan bagian perencanaan", {"width": 200, "height": 60})
    chart = book.add_chart({"type": "column"})
    chart.add_series({"name": "Kas", "values": f"='{OTHER}'!$B$2:$B$5",
                      "categories": f"='{OTHER}'!$A$2:$A$5"})  # fmt: skip
    ws.insert_chart("BH20", chart, {"x_scale": 0.6, "y_scale": 0.6})
    first, _ = plan.table.kegiatan_rows[0]
    for i, (row, _n) in enumerate(plan.table.kegiatan_rows[:4]):
        ws.add_sparkline(row - 1, 60, {"range": f"{RAK}!AA{row}:AL{row}", "markers": True})
        del i
    ws.conditional_format(f"AA{first}:AL{first + 15}",
                          {"type": "icon_set", "icon_style": "3_arrows"})  # fmt: skip
    ws.conditional_format("BH30:BH35", {"type": "data_bar", "data_bar_2010": True,
                                        "bar_solid": True})  # fmt: skip
    ws.data_validation(
        f"T{first}:T{first + 3}", {"validate": "integer", "criteria": ">=", "value": 0}
    )
    ws.data_validation("BH40", {"validate": "list", "source": ["Ya", "Tidak"]})
    ws.write_url(0, 0, LINK, string=str(plan.cells[(1, 1)].value))
    r, c = RICH_CELL
    name = str(plan.cells[(r, c)].value)
    head, _, tail = name.partition(" ")
    ws.write_rich_string(r - 1, c - 1, bold, head, " " + tail, plain)
    r, c = FORMULA_CELL
    value = plan.cells[(r, c)].value
    assert value == 162206000
    ws.write_formula(r - 1, c - 1, "=162000000+206000", None, value)
    ws.write_comment(NOTE_INSIDE, "Nama kegiatan sesuai DPA 2020", {"author": "Budi"})
    ws.write_comment(NOTE_OUTSIDE, "Logo dinas", {"author": "Budi", "visible": True})
    ws.set_header(
        "&L&G&CRAK 2020", {"image_left": "kop.png", "image_data_left": io.BytesIO(png((0, 120, 0)))}
    )
    book.define_name(f"{RAK}!Judul", f"={RAK}!$A$1")

    # -- the other sheet -------------------------------------------------------------------
    other.write_row(0, 0, ["Bulan", "Kas"])
    for i, (m, v) in enumerate([("Jan", 10), ("Feb", 20), ("Mar", 15), ("Apr", 30)], start=1):
        other.write_row(i, 0, [m, v])
    other.write_formula("B6", "=SUM(B2:B5)", None, 75)
    other.write_formula("C6", '="=1+1"', None, "=1+1")  # a formula whose result looks like one
    other.write_string("A8", "=1+1")  # text that looks like a formula
    other.write_string("A9", '=HYPERLINK("http://contoh","x")')
    other.write_rich_string("A10", bold, "Penting: ", "teks kaya")
    other.write_url("A11", "https://sipd.kemendagri.go.id", string="SIPD")
    other.write_comment("B2", "Sumber: DPA", {"author": "Sari"})
    other.insert_image("E2", "logo3.png", {"image_data": io.BytesIO(png((90, 90, 90)))})
    other.insert_textbox("E12", "Kotak teks lampiran")
    chart2 = book.add_chart({"type": "line"})
    chart2.add_series({"values": f"='{OTHER}'!$B$2:$B$5"})
    other.insert_chart("H2", chart2, {"x_scale": 0.5, "y_scale": 0.5})
    other.add_sparkline("C2", {"range": f"{OTHER}!B2:B5"})
    other.conditional_format("B2:B5", {"type": "icon_set", "icon_style": "3_traffic_lights"})
    other.conditional_format("D2:D5", {"type": "data_bar", "data_bar_2010": True})
    other.data_validation("A2:A5", {"validate": "list", "source": ["Jan", "Feb", "Mar", "Apr"]})
    other.add_table("A14:B17", {"name": "TabelKas", "data": [["Jan", 1], ["Feb", 2], ["Mar", 3]],
                                "columns": [{"header": "Bulan"}, {"header": "Nilai"}]})  # fmt: skip
    other.set_paper(9)
    other.repeat_rows(0)
    other.set_footer("&CLampiran &P")
    book.define_name("Anggaran", f"={OTHER}!$B$6")
    if macro:
        bin_path = path.with_name(path.stem + ".vbaProject.bin")
        bin_path.write_bytes(_vba())
        book.add_vba_project(str(bin_path))
        ws.insert_button("AJ2", {"macro": "SampleCall", "caption": "Validasi"})
        other.insert_button("E20", {"macro": "SampleCall", "caption": "Lain"})
    book.close()
    if macro:
        bin_path.unlink()
    _add_parts(path)
    return Built(path, plan, rak)


def _add_parts(path: Path) -> None:
    """Parts XlsxWriter does not write: printer settings of ``Lampiran`` and a custom
    XML item of the workbook."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    wb_rels = parts["xl/_rels/workbook.xml.rels"].decode()
    sheets = dict(
        re.findall(
            r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"',
            parts["xl/workbook.xml"].decode(),
        )
    )
    target = re.search(rf'Id="{sheets[OTHER]}"[^>]*Target="([^"]+)"', wb_rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{sheets[OTHER]}"', wb_rels
    )
    assert target is not None
    sheet = "xl/" + target.group(1)
    rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
    parts["xl/printerSettings/printerSettings1.bin"] = PRINTER
    entry = ('<Relationship Id="rIdPrinter1" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/printerSettings" '
             'Target="../printerSettings/printerSettings1.bin"/>')  # fmt: skip
    parts[rels] = parts[rels].replace(b"</Relationships>", entry.encode() + b"</Relationships>")
    xml = parts[sheet].decode()
    xml = re.sub(r"<pageSetup ([^/]*)/>", r'<pageSetup \1 r:id="rIdPrinter1"/>', xml)
    parts[sheet] = xml.encode()
    parts["customXml/item1.xml"] = (
        b'<?xml version="1.0"?><rak xmlns="urn:rak-xl:test"><tahun>2020</tahun></rak>'
    )
    parts["customXml/itemProps1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem '
        b'ds:itemID="{6F0B4F4C-2E3A-4B7C-9D1E-0A1B2C3D4E5F}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        b"<ds:schemaRefs/></ds:datastoreItem>"
    )
    parts["customXml/_rels/item1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'customXmlProps" Target="itemProps1.xml"/></Relationships>'
    )
    parts["xl/_rels/workbook.xml.rels"] = wb_rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdCustom1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/customXml" Target="../customXml/item1.xml"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    printer = "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"
    # An .xlsm already has a Default for "bin" (the VBA project): an Override then.
    extra = (
        f'<Override PartName="/xl/printerSettings/printerSettings1.bin" ContentType="{printer}"/>'
        if 'Extension="bin"' in types
        else f'<Default Extension="bin" ContentType="{printer}"/>'
    )
    types = types.replace(
        "</Types>",
        extra + '<Override PartName="/customXml/itemProps1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name in ("features.xlsx", "features.xlsm"):
        print(build(out / name).path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))


__all__: list[Any] = ["Built", "build", "png", "seed"]
