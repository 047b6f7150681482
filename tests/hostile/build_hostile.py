"""Build a corpus of hostile and tricky workbook files, each with its expected outcome.

    python3 tests/hostile/build_hostile.py OUT_DIR [--no-soffice]

Writes the files and ``OUT_DIR/manifest.json``: a list of cases
``{"file", "what", "outcome": "refuse"|"read", "error", "contains", "checks"}``.
``refuse`` cases must end in ``error`` (WorkbookUnreadable / NoRakTable) whose message
contains ``contains`` and the file name; ``read`` cases must load, and ``checks`` says
what the grid must look like (sheet name, bounds, a few cell values).
Everything is small (the biggest file is well under 1 MB) and built in about a second;
``.xls``/``.ods`` cases are converted with LibreOffice when ``soffice`` is on the PATH.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

Case = dict[str, Any]
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"


# --------------------------------------------------------------------------- a small RAK


def rak_cells() -> dict[tuple[int, int], Any]:
    """A small official-layout RAK: title, 3 header rows, one sasaran/program, 2 kegiatan.

    Header rows 6..8 (numbering row 8), data rows 9..10, signature below.
    """
    cells: dict[tuple[int, int], Any] = {}
    for r, text in enumerate(
        ["RENCANA AKSI KINERJA", "DINAS CONTOH", "KABUPATEN BANJAR", "TAHUN 2020"], start=1
    ):
        cells[r, 1] = text
    for col, text in [(1, "SASARAN"), (4, "PROGRAM"), (7, "KEGIATAN"),
                      (11, "ANGGARAN KAS PER BULAN (Rp)"), (23, "KET")]:  # fmt: skip
        cells[6, col] = text
    labels = ["Uraian", "Indikator Kinerja", "Target", "Uraian", "Indikator Kinerja",
              "Target", "Uraian", "Indikator Kinerja", "Vol. & Sat.", "Target TW",
              *MONTHS.split(), "Ket"]  # fmt: skip
    for col, text in enumerate(labels, start=1):
        cells[7, col] = text
        cells[8, col] = col
    row1 = ["Meningkatnya pemberdayaan desa", "Persentase desa mandiri",
            "Tahunan = 80 Progres TW 1 = 20 TW 2 = 40 TW 3 = 60 TW 4 = 80",
            "Program Pemberdayaan", "Jumlah desa dibina",
            "TW 1 = 1 TW 2 = 2 TW 3 = 3 TW 4 = 4 Rp 24,000,000",
            "Pelatihan aparatur desa", "Jumlah orang dilatih", "40 Orang",
            "TW 1 = 10 TW 2 = 10 TW 3 = 10 TW 4 = 10"]  # fmt: skip
    for col, v in enumerate(row1, start=1):
        cells[9, col] = v
    for col, v in [(7, "Penyusunan laporan"), (8, "Jumlah dokumen"), (9, "4 Dokumen"),
                   (10, "TW 1 = 1 TW 2 = 1 TW 3 = 1 TW 4 = 1")]:  # fmt: skip
        cells[10, col] = v
    for m in range(12):
        cells[9, 11 + m] = 1_000_000
        cells[10, 11 + m] = 1_000_000
    for r, text in [(13, "Martapura, 2 Januari 2020"), (14, "KEPALA DINAS"),
                    (18, "Budi Santoso"), (19, "Pembina Utama Muda"),
                    (20, "NIP. 196501011990031001")]:  # fmt: skip
        cells[r, 18] = text
    return cells


def fill_rak(ws: Worksheet) -> None:
    for (r, c), v in rak_cells().items():
        ws.cell(r, c, v)


def rak_xlsxwriter(path: Path | io.BytesIO) -> None:
    """The same RAK written by XlsxWriter, which (unlike openpyxl) uses sharedStrings."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("RAK")
    for (r, c), v in rak_cells().items():
        ws.write(r - 1, c - 1, v)
    wb.close()


def rak_book(title: str = "RAK") -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    fill_rak(ws)
    return wb


def save(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def patch_part(data: bytes, part: str, edit: Callable[[bytes], bytes]) -> bytes:
    """Rewrite one part of an xlsx (everything else copied unchanged)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, edit(body) if info.filename == part else body)
    return out.getvalue()


# --------------------------------------------------------------------------- builders

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>\n"
)


def b_zero(p: Path) -> None:
    p.write_bytes(b"")


def b_text(p: Path) -> None:
    p.write_text("Ini bukan workbook, hanya teks biasa.\n", encoding="utf-8")


def b_html(p: Path) -> None:
    p.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")


def b_truncated(p: Path) -> None:
    data = save(rak_book())
    p.write_bytes(data[: len(data) // 2])


def b_zip_not_workbook(p: Path) -> None:
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "hello")


def b_empty_zip(p: Path) -> None:
    with zipfile.ZipFile(p, "w"):
        pass


def b_empty_workbook(p: Path) -> None:
    openpyxl.Workbook().save(p)


def b_no_rak(p: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Daftar hadir"
    ws["A2"], ws["B2"] = "Nama", "Tanda tangan"
    wb.save(p)


def _ole(streams: dict[str, bytes]) -> bytes:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from rak_xl.xlsm.cfb import build_compound_file

    return build_compound_file(streams)


def b_encrypted(p: Path) -> None:
    # What Excel writes for "Encrypt with Password": an OLE file, not a zip.
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"
    p.write_bytes(_ole({"EncryptionInfo": info, "EncryptedPackage": b"\0" * 600}))


def b_encrypted_ods(p: Path) -> None:
    """An ODS saved with a password: the manifest lists encryption data."""
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
        b'manifest:full-path="content.xml" manifest:media-type="text/xml">'
        b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
        b"</manifest:encryption-data></manifest:file-entry></manifest:manifest>"
    )
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", bytes(range(256)) * 8)


def b_encrypted_zip_flag(p: Path) -> None:
    """Zip entries flagged as encrypted (traditional PKWARE encryption)."""
    buf = bytearray(save(rak_book()))
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = buf.find(sig)
        while pos != -1:
            buf[pos + off] |= 1
            pos = buf.find(sig, pos + 4)
    p.write_bytes(bytes(buf))


def b_xlsb(p: Path) -> None:
    """An Excel Binary workbook (only its telltale part): calamine reads .xlsb, but the
    pre-scan cannot measure binary sheets, so it is refused with a way out."""
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")


def b_ole_not_workbook(p: Path) -> None:
    p.write_bytes(_ole({"WordDocument": b"\0" * 600}))


def b_laughs_sst(p: Path) -> None:
    def edit(body: bytes) -> bytes:
        body = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body
        return LAUGHS + body.replace(b"<t>Uraian</t>", b"<t>&lol9;</t>", 1)

    buf = io.BytesIO()
    rak_xlsxwriter(buf)
    p.write_bytes(patch_part(buf.getvalue(), "xl/sharedStrings.xml", edit))


def b_laughs_sheet(p: Path) -> None:
    def edit(body: bytes) -> bytes:
        body = body.replace(b"<t>DINAS CONTOH</t>", b"<t>&lol9;</t>", 1)
        return LAUGHS + body.split(b"?>", 1)[-1]

    p.write_bytes(patch_part(save(rak_book()), "xl/worksheets/sheet1.xml", edit))


def b_xxe(p: Path) -> None:
    doctype = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    data = save(rak_book())
    p.write_bytes(patch_part(data, "xl/workbook.xml", lambda b: doctype + b.split(b"?>", 1)[-1]))


def _patch_sizes(data: bytes, part: str, size: int, crc: int | None = None) -> bytes:
    """Change the declared uncompressed size (and CRC) of ``part`` in both headers."""
    buf = bytearray(data)
    name = part.encode()
    pos = buf.find(b"PK\x03\x04")  # local headers
    while pos != -1:
        n = struct.unpack_from("<H", buf, pos + 26)[0]
        if bytes(buf[pos + 30 : pos + 30 + n]) == name:
            struct.pack_into("<I", buf, pos + 22, size)
            if crc is not None:
                struct.pack_into("<I", buf, pos + 14, crc)
        pos = buf.find(b"PK\x03\x04", pos + 4)
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        n = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46 : pos + 46 + n]) == name:
            struct.pack_into("<I", buf, pos + 24, size)
            if crc is not None:
                struct.pack_into("<I", buf, pos + 16, crc)
        pos = buf.find(b"PK\x01\x02", pos + 4)
    return bytes(buf)


def _with_part(data: bytes, part: str, body: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, body if info.filename == part else src.read(info))
    return out.getvalue()


def b_bomb_declared(p: Path) -> None:
    """The sheet declares 3 GB uncompressed: refused from the directory alone."""
    data = save(rak_book())
    p.write_bytes(_patch_sizes(data, "xl/worksheets/sheet1.xml", 3 * 2**30))


def b_bomb_lying(p: Path) -> None:
    """docProps/app.xml inflates to 40 MB but declares 4 KB (with the CRC of those 4 KB)."""
    big = b"<a>" + b" " * (40 * 2**20) + b"</a>"
    data = _with_part(save(rak_book()), "docProps/app.xml", big)
    p.write_bytes(_patch_sizes(data, "docProps/app.xml", 4096, zlib.crc32(big[:4096])))


def b_bomb_ratio(p: Path) -> None:
    """A 24 MB part compressing about 1000:1 (a valid XML comment)."""
    big = b"<?xml version='1.0'?><a><!--" + b"0" * (24 * 2**20) + b"--></a>"
    p.write_bytes(_with_part(save(rak_book()), "docProps/core.xml", big))


def b_duplicate_entry(p: Path) -> None:
    data = save(rak_book())
    src = zipfile.ZipFile(io.BytesIO(data))
    with (
        zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst,
        __import__("warnings").catch_warnings(),
    ):
        __import__("warnings").simplefilter("ignore")
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("xl/worksheets/sheet1.xml", src.read("xl/worksheets/sheet1.xml"))


def b_absurd_dense(p: Path) -> None:
    """Values every row down to 3000 and every 50th column up to 5000: 15 M cells."""
    rows = []
    for r in range(1, 3001):
        cells = "".join(f'<c r="{_col(c)}{r}"><v>1</v></c>' for c in range(1, 5001, 50))
        rows.append(f'<row r="{r}">{cells}</row>')
    body = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    ).encode()
    p.write_bytes(_with_part(save(rak_book()), "xl/worksheets/sheet1.xml", body))


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def b_stray_value(p: Path) -> None:
    wb = rak_book()
    wb.active["XFD1048576"] = "x"
    wb.save(p)


def b_stray_number_far_row(p: Path) -> None:
    wb = rak_book()
    wb.active["A1048576"] = 7
    wb.active["XFD1"] = 8
    wb.save(p)


def b_stray_format(p: Path) -> None:
    from openpyxl.styles import Font, PatternFill

    wb = rak_book()
    ws = wb.active
    assert ws is not None
    ws["XFD1048576"].font = Font(bold=True)
    ws["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(p)


def b_second_sheet(p: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "Petunjuk"
    first["A1"] = "Isi sheet RAK; kolom 1 sampai 23 sesuai format resmi."
    fill_rak(wb.create_sheet("RAK 2020"))
    wb.save(p)


def b_hidden_copy_first(p: Path) -> None:
    wb = openpyxl.Workbook()
    hidden = wb.active
    assert hidden is not None
    hidden.title = "Cadangan"
    fill_rak(hidden)
    hidden["G9"] = "VERSI LAMA"
    hidden.sheet_state = "hidden"
    fill_rak(wb.create_sheet("RAK"))
    wb.save(p)


def b_formula_errors(p: Path) -> None:
    wb = rak_book()
    ws = wb.active
    assert ws is not None
    ws["K9"], ws["L9"] = "PH_REF", "PH_VAL"

    def edit(body: bytes) -> bytes:
        # openpyxl cannot write cached error values; put them into the XML directly.
        for ref, ph, err in ((b"K9", b"PH_REF", b"#REF!"), (b"L9", b"PH_VAL", b"#VALUE!")):
            old = b'<c r="' + ref + b'" t="inlineStr"><is><t>' + ph + b"</t></is></c>"
            assert old in body
            new = b'<c r="' + ref + b'" t="e"><f>1/0</f><v>' + err + b"</v></c>"
            body = body.replace(old, new)
        return body

    p.write_bytes(patch_part(save(wb), "xl/worksheets/sheet1.xml", edit))


def b_dates_bools(p: Path) -> None:
    wb = rak_book()
    ws = wb.active
    assert ws is not None
    ws["K9"] = dt.datetime(2020, 1, 15)
    ws["L9"] = True
    ws["M10"] = dt.date(2020, 3, 1)
    wb.save(p)


def b_long_text(p: Path) -> None:
    wb = rak_book()
    ws = wb.active
    assert ws is not None
    ws["G9"] = ("Pelatihan aparatur desa " * 1400)[:32767]
    ws["W9"] = "x" * 32767
    wb.save(p)


def b_merged_header(p: Path) -> None:
    wb = rak_book()
    ws = wb.active
    assert ws is not None
    ws.merge_cells("A6:C6")  # group row over the sasaran columns
    ws.merge_cells("K6:V6")
    ws.merge_cells("W6:W7")  # KET over group and label row
    ws.merge_cells("A3:XFD4")  # a title merge running to the last column
    ws["A3"] = "KABUPATEN BANJAR"
    wb.save(p)


def b_many_sheets_rak_last(p: Path) -> None:
    wb = openpyxl.Workbook()
    ws0 = wb.active
    assert ws0 is not None
    ws0["A1"] = "kosong"
    for i in range(20):
        wb.create_sheet(f"Lain{i}")["B2"] = i
    fill_rak(wb.create_sheet("RAK"))
    wb.save(p)


# --------------------------------------------------------------------------- LibreOffice


def convert(src: Path, fmt: str, out_dir: Path) -> Path:
    """Convert with LibreOffice headless (private profile so parallel runs do not clash)."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{prof}", "--headless",
             "--convert-to", fmt, "--outdir", str(out_dir), str(src)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    return out_dir / f"{src.stem}.{fmt}"


def lo_cases(out: Path) -> list[Case]:
    work = out / "_lo_src"
    work.mkdir(exist_ok=True)
    rak = work / "rak_old.xlsx"
    rak_book().save(rak)
    stray = work / "stray_old.xlsx"
    wb = rak_book()
    wb.active["IV65536"] = "x"
    wb.save(stray)
    far = work / "stray_far.xlsx"
    b_stray_value(far)
    merged = work / "merged_old.xlsx"
    b_merged_header(merged)
    made: list[Case] = []
    old_ok = {"sheet": "RAK", "max_rows": 30, "cells": {"G10": "Penyusunan laporan"}}
    for src, fmt, case in [
        (rak, "xls", {"what": ".xls (BIFF8) holding a RAK", "outcome": "read",
                      "checks": old_ok}),
        (rak, "ods", {"what": ".ods holding a RAK", "outcome": "read",
                      "checks": old_ok}),
        (merged, "ods", {"what": ".ods with merges over the header", "outcome": "read",
                         "checks": {"sheet": "RAK", "merges": MERGED_SPANS}}),
        (far, "ods", {"what": ".ods with a value at XFD1048576", "outcome": "read",
                      "checks": {**old_ok, "max_cols": 30}}),
        (stray, "xls", {"what": ".xls with a value at IV65536 (last cell)", "outcome": "read",
                        "checks": {**old_ok, "max_cols": 30}}),
    ]:  # fmt: skip
        conv = convert(src, fmt, work)
        dest = out / f"{src.stem}.{fmt}"
        shutil.move(conv, dest)
        made.append({"file": dest.name, **case})
    shutil.rmtree(work)
    return made


# --------------------------------------------------------------------------- manifest

UNREAD = "WorkbookUnreadable"
NORAK = "NoRakTable"
READ_OK: dict[str, Any] = {"sheet": "RAK", "max_rows": 30, "max_cols": 30}
# b_merged_header's merges as read: the A3:XFD4 title merge clipped to the data (col 23)
MERGED_SPANS = [[3, 1, 4, 23], [6, 1, 6, 3], [6, 11, 6, 22], [6, 23, 7, 23]]

CASES: list[tuple[str, Callable[[Path], None], Case]] = [
    ("zero_bytes.xlsx", b_zero, {"what": "zero bytes", "error": UNREAD, "contains": "0 byte"}),
    ("plain_text.xlsx", b_text, {"what": "text file named .xlsx", "error": UNREAD,
                                  "contains": "bukan workbook"}),
    ("html_export.xls", b_html, {"what": "HTML saved as .xls", "error": UNREAD,
                                  "contains": "bukan workbook"}),
    ("truncated.xlsx", b_truncated, {"what": "first half of a valid .xlsx", "error": UNREAD,
                                      "contains": "terpotong"}),
    ("zip_not_workbook.xlsx", b_zip_not_workbook, {"what": "zip holding a text file",
                                                   "error": UNREAD, "contains": "arsip zip"}),
    ("empty_zip.xlsx", b_empty_zip, {"what": "empty zip archive", "error": UNREAD,
                                     "contains": "bukan workbook"}),
    ("empty_workbook.xlsx", b_empty_workbook, {"what": "workbook with one empty sheet",
                                               "error": NORAK, "contains": "kosong"}),
    ("no_rak.xlsx", b_no_rak, {"what": "workbook without a RAK table", "error": NORAK,
                               "contains": "tidak berisi tabel RAK"}),
    ("password.xlsx", b_encrypted, {"what": "password-protected (OLE EncryptionInfo)",
                                    "error": UNREAD, "contains": "kata sandi"}),
    ("password.ods", b_encrypted_ods, {"what": "password-protected .ods (manifest)",
                                       "error": UNREAD, "contains": "kata sandi"}),
    ("zip_encrypted.xlsx", b_encrypted_zip_flag, {"what": "zip entries flagged encrypted",
                                                  "error": UNREAD, "contains": "kata sandi"}),
    ("binary.xlsb", b_xlsb, {"what": "Excel Binary workbook (.xlsb)", "error": UNREAD,
                             "contains": ".xlsb"}),
    ("word_renamed.xls", b_ole_not_workbook, {"what": "OLE file without a Workbook stream",
                                              "error": UNREAD, "contains": "bukan workbook"}),
    ("laughs_sharedstrings.xlsx", b_laughs_sst, {"what": "billion laughs in sharedStrings",
                                                 "error": UNREAD, "contains": "DOCTYPE"}),
    ("laughs_sheet.xlsx", b_laughs_sheet, {"what": "billion laughs in sheet XML",
                                           "error": UNREAD, "contains": "DOCTYPE"}),
    ("xxe_workbook.xlsx", b_xxe, {"what": "external entity in workbook.xml", "error": UNREAD,
                                  "contains": "DOCTYPE"}),
    ("bomb_declared.xlsx", b_bomb_declared, {"what": "part declaring 3 GB uncompressed",
                                             "error": UNREAD, "contains": "terlalu besar"}),
    ("bomb_lying.xlsx", b_bomb_lying, {"what": "part inflating past its declared size",
                                       "error": UNREAD, "contains": "zip bomb"}),
    ("bomb_ratio.xlsx", b_bomb_ratio, {"what": "24 MB part compressed ~1000:1",
                                       "error": UNREAD, "contains": "zip bomb"}),
    ("duplicate_part.xlsx", b_duplicate_entry, {"what": "zip with a part listed twice",
                                                "error": UNREAD, "contains": "dua kali"}),
    ("absurd_dense.xlsx", b_absurd_dense, {"what": "15 M-cell used area, no far outlier",
                                           "error": UNREAD, "contains": "terlalu besar"}),
    ("stray_value_xfd.xlsx", b_stray_value, {"what": "value at XFD1048576", "outcome": "read",
                                             "checks": READ_OK}),
    ("stray_far_row_col.xlsx", b_stray_number_far_row, {
        "what": "values at A1048576 and XFD1", "outcome": "read", "checks": READ_OK}),
    ("stray_format_xfd.xlsx", b_stray_format, {"what": "format only at XFD1048576",
                                               "outcome": "read", "checks": READ_OK}),
    ("rak_second_sheet.xlsx", b_second_sheet, {
        "what": "RAK on the second sheet", "outcome": "read",
        "checks": {"sheet": "RAK 2020", "max_rows": 30}}),
    ("hidden_copy_first.xlsx", b_hidden_copy_first, {
        "what": "hidden older copy before the RAK sheet", "outcome": "read",
        "checks": {"sheet": "RAK", "cells": {"G9": "Pelatihan aparatur desa"}}}),
    ("rak_after_20_sheets.xlsx", b_many_sheets_rak_last, {
        "what": "RAK on the 22nd sheet", "outcome": "read", "checks": {"sheet": "RAK"}}),
    ("formula_errors.xlsx", b_formula_errors, {
        "what": "#REF! and #VALUE! in amount cells", "outcome": "read",
        "checks": {"sheet": "RAK", "cells": {"K9": "#REF!", "L9": "#VALUE!"}}}),
    ("dates_bools.xlsx", b_dates_bools, {
        "what": "date and boolean in amount cells", "outcome": "read",
        "checks": {"sheet": "RAK", "cells": {"K9": "2020-01-15T00:00:00", "L9": True}}}),
    ("long_text.xlsx", b_long_text, {"what": "32767-character texts", "outcome": "read",
                                     "checks": {"sheet": "RAK", "max_rows": 30}}),
    ("merged_header.xlsx", b_merged_header, {
        "what": "merges over the header and a title merge to XFD", "outcome": "read",
        "checks": {"sheet": "RAK", "max_cols": 30, "merges": MERGED_SPANS}}),
]  # fmt: skip


def build(out: Path, soffice: bool = True) -> list[Case]:
    out.mkdir(parents=True, exist_ok=True)
    manifest: list[Case] = []
    for name, builder, case in CASES:
        builder(out / name)
        manifest.append({"file": name, "outcome": "refuse", **case})
    if soffice and shutil.which("soffice"):
        manifest.extend(lo_cases(out))
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("out", type=Path)
    ap.add_argument("--no-soffice", action="store_true", help="skip the .xls/.ods cases")
    args = ap.parse_args(argv)
    for case in build(args.out, soffice=not args.no_soffice):
        print(f"{case['file']:28} {case['outcome']:7} {case['what']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
