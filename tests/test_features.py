"""What each write command keeps, part by part, on workbooks full of features
(tests/features/build_features.py): ``validate --mark``, ``regenerate`` and ``recalc`` on
an ``.xlsx`` and an ``.xlsm``. Every part a command does not own is copied as the same
compressed bytes; inside the RAK sheet, what the command does not own stays byte for
byte (or, for ``regenerate``, stays at its address and is named in the output)."""

from __future__ import annotations

import re
import shutil
import struct
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from features import build_features as F
from lo import LibreOffice
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from rak_xl.api import load
from rak_xl.cli import main
from rak_xl.marks import STATE_SHEET, TEMUAN_MARKER
from rak_xl.opc import _xml as X
from rak_xl.opc.package import Package, rels_name
from rak_xl.opc.sheet import Sheet
from rak_xl.opc.workbook import Workbook

pytestmark = pytest.mark.slow  # the XlsxWriter feature corpus, built and written part by part

COMMANDS = ("mark", "regenerate", "recalc")
VARIANTS = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Run:
    src: Path
    out: Path
    command: str
    stdout: str
    stderr: str
    built: F.Built


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, F.Built]:
    out = tmp_path_factory.mktemp("features")
    return {s: F.build(out / f"features{s}") for s in VARIANTS}


def _cli(command: str, path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    args = ["validate", str(path), "--mark"] if command == "mark" else [command, str(path)]
    code = main(args)
    got = capsys.readouterr()
    return code, got.out, got.err


@pytest.fixture(params=[(c, v) for c in COMMANDS for v in VARIANTS], ids=lambda p: f"{p[0]}{p[1]}")
def ran(
    request: pytest.FixtureRequest,
    corpus: dict[str, F.Built],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    return _run(corpus, *request.param, tmp_path, capsys)


def _run(
    corpus: dict[str, F.Built],
    command: str,
    variant: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    built = corpus[variant]
    out = tmp_path / built.path.name
    shutil.copy(built.path, out)
    code, stdout, stderr = _cli(command, out, capsys)
    assert code == (1 if command == "mark" else 0), stderr
    return Run(built.path, out, command, stdout, stderr, built)


# -- parts -------------------------------------------------------------------------------------
def _raw(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The stored (compressed) bytes of a part."""
    with open(zf.filename, "rb") as fh:  # type: ignore[arg-type]
        fh.seek(info.header_offset)
        head = fh.read(30)
        n, m = struct.unpack("<HH", head[26:30])
        fh.seek(info.header_offset + 30 + n + m)
        return fh.read(info.compress_size)


def _rak_parts(path: Path) -> dict[str, str]:
    """Parts of the RAK sheet: sheet, its rels, comments, note drawing, workbook parts."""
    pkg = Package.open(path)
    try:
        wb = Workbook(pkg)
        rak = wb.sheet(F.RAK)
        assert rak is not None and rak.part is not None
        rels = {r.kind: r.part for r in pkg.rels(rak.part) if r.part}
        sheet = Sheet(pkg.file, rak.part, pkg.read(rak.part))
        legacy = sheet.child("legacyDrawing") or b""
        rid = re.search(rb':id="([^"]+)"', legacy)
        vml = next(
            (r.part for r in pkg.rels(rak.part) if rid and r.id == rid.group(1).decode()), None
        )
        return {
            "sheet": rak.part,
            "sheet_rels": rels_name(rak.part),
            "comments": rels.get("comments", ""),
            "vml": vml or "",
            "drawing": rels.get("drawing", ""),
            "workbook": wb.part,
            "workbook_rels": rels_name(wb.part),
            "styles": "xl/styles.xml",
            "types": "[Content_Types].xml",
        }
    finally:
        pkg.close()


# What each command may change (the rest must be the same stored bytes).
OWNED = {
    "mark": {"sheet", "comments", "vml", "workbook", "workbook_rels", "styles", "types"},
    "regenerate": {"sheet", "workbook", "workbook_rels", "styles", "types"},
    "recalc": {"sheet", "styles", "workbook"},
}


def test_parts_not_owned_are_copied_as_stored(ran: Run) -> None:
    parts = _rak_parts(ran.src)
    owned = {parts[k] for k in OWNED[ran.command]}
    with zipfile.ZipFile(ran.src) as a, zipfile.ZipFile(ran.out) as b:
        after = {i.filename: i for i in b.infolist()}
        for info in a.infolist():
            if info.filename in owned:
                continue
            assert info.filename in after, f"{ran.command}: {info.filename} dropped"
            new = after[info.filename]
            assert b.read(new) == a.read(info), info.filename
            assert _raw(b, new) == _raw(a, info), f"{info.filename}: not the same stored bytes"
        added = set(after) - {i.filename for i in a.infolist()}
    with zipfile.ZipFile(ran.out) as b:
        for name in b.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                X.check_xml(ran.out.name, name, b.read(name))  # well formed, no DOCTYPE
    expected_new = {"mark": 2, "regenerate": 4, "recalc": 0}[ran.command]
    assert len(added) == expected_new, sorted(added)


def _children(path: Path) -> dict[str, list[bytes]]:
    pkg = Package.open(path)
    try:
        ref = Workbook(pkg).sheet(F.RAK)
        assert ref is not None and ref.part is not None
        sheet = Sheet(pkg.file, ref.part, pkg.read(ref.part))
        out: dict[str, list[bytes]] = {}
        for name, raw in sheet.children:
            out.setdefault(name, []).append(raw)
        out["sheetData"] = [sheet.data]
        return out
    finally:
        pkg.close()


def _cells(path: Path) -> dict[str, bytes]:
    data = _children(path)["sheetData"][0]
    return {
        m.group(1).decode(): m.group(0)
        for m in re.finditer(rb'<c r="([A-Z]+\d+)"(?:[^>]*/>|[^>]*>.*?</c>)', data)
    }


KEPT_CHILDREN = ("drawing", "legacyDrawingHF", "extLst", "conditionalFormatting",
                 "dataValidations", "hyperlinks", "sheetProtection")  # fmt: skip


def test_rak_sheet_keeps_what_the_command_does_not_own(ran: Run) -> None:
    before, after = _children(ran.src), _children(ran.out)
    for name in KEPT_CHILDREN:
        assert after.get(name) == before.get(name), name
    if ran.command == "regenerate":
        assert after["legacyDrawing"] == before["legacyDrawing"]  # buttons and notes
        return
    # mark / recalc: the only cells that change are the marked or recalculated ones
    old, new = _cells(ran.src), _cells(ran.out)
    changed = {ref for ref in old.keys() | new.keys() if old.get(ref) != new.get(ref)}
    if ran.command == "mark":
        report = load(ran.out)
        from rak_xl.rules import check

        marked = {f.cell for f in check(report).findings if f.cell}
        assert changed <= marked
        for ref in changed:  # only the style attribute moved
            strip = re.compile(rb'\ss="\d+"')
            assert strip.sub(b"", old.get(ref, b"")) == strip.sub(b"", new[ref]) or ref not in old
    else:
        computed = {c for c in changed if re.match(r"A[A-T]\d+$", c)}
        assert changed == computed and changed
    for r, c in (F.RICH_CELL, F.FORMULA_CELL):  # rich text, a formula with its cached value
        ref = f"{get_column_letter(c)}{r}"
        assert new[ref] == old[ref]
    assert b"<v>162206000</v>" in new["AA10"] and b"<f>" in new["AA10"]
    for name in before:
        if name != "sheetData":
            assert after.get(name) == before[name] or name in ("legacyDrawing",), name


@pytest.mark.parametrize("variant", VARIANTS)
def test_regenerate_says_what_stayed_in_place(
    corpus: dict[str, F.Built], variant: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _run(corpus, "regenerate", variant, tmp_path, capsys).stdout
    assert "(B2)" in said  # the logo inside the table area
    assert "BH3" not in said and "BH20" not in said  # outside: nothing to say
    assert "R14" in said  # the user's note
    assert "format bersyarat (AA10:AL25)" in said and "validasi data (T10:T13)" in said
    assert "tautan (A1)" in said and "AA10:AL10" in said  # the sparklines' data


def test_readers_open_the_result(ran: Run) -> None:
    with warnings.catch_warnings():  # openpyxl: "extension is not supported" (sparklines)
        warnings.simplefilter("ignore", UserWarning)
        wb = openpyxl.load_workbook(ran.out, keep_vba=ran.out.suffix == ".xlsm")
    other = wb[F.OTHER]
    assert other["B6"].value == "=SUM(B2:B5)" and other["A8"].value == "=1+1"
    assert other["A8"].data_type == "s"
    cal = CalamineWorkbook.from_path(str(ran.out))
    for name in cal.sheet_names:
        cal.get_sheet_by_name(name).to_python()
    assert load(ran.out) == load(ran.src)
    names = wb.sheetnames
    if ran.command == "mark":
        assert names[:2] == [F.RAK, F.OTHER] and names[2] == "Temuan" and names[3] == STATE_SHEET
        assert wb["Temuan"]["A1"].value == TEMUAN_MARKER
    if ran.command == "regenerate":
        assert names == [F.RAK, F.OTHER, "RAK (cadangan)"]
        assert wb["RAK (cadangan)"].sheet_state == "hidden"
    with zipfile.ZipFile(ran.out) as z:
        types = z.read("[Content_Types].xml").decode()
        if ran.out.suffix == ".xlsm":
            assert "sheet.macroEnabled.main+xml" in types
            assert z.read("xl/vbaProject.bin") == zipfile.ZipFile(ran.src).read("xl/vbaProject.bin")


@pytest.mark.slow
def test_libreoffice_opens_every_result(
    corpus: dict[str, F.Built],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    libreoffice: LibreOffice,
) -> None:
    """One LibreOffice reads all six results: values of both sheets, formulas computed,
    the form buttons of the .xlsm still bound to their macros."""
    jobs: list[dict[str, Any]] = []
    outs = []
    for command in COMMANDS:
        for variant in VARIANTS:
            out = tmp_path / f"{command}{variant}"
            shutil.copy(corpus[variant].path, out)
            _cli(command, out, capsys)
            outs.append(out)
            jobs.append({"kind": "recalc_values", "path": str(out), "sheet": F.OTHER,
                         "cells": ["B6", "A8", "A10"]})  # fmt: skip
            jobs.append({"kind": "recalc_values", "path": str(out), "sheet": F.RAK,
                         "cells": ["A1", "AA10", "AM10"]})  # fmt: skip
            if variant == ".xlsm":
                jobs.append({"kind": "form_buttons", "path": str(out)})
    jobs.append({"kind": "form_buttons", "path": str(corpus[".xlsm"].path)})
    done = libreoffice.run(jobs)
    original = done[-1]

    def macros(result: dict[str, Any], sheet: str) -> list[tuple[str, list[str]]]:
        return [(b["label"], b["macros"]) for b in result[sheet]["buttons"]]

    results = iter(done[:-1])
    for out in outs:
        other, rak = next(results), next(results)
        assert other["cells"]["B6"]["value"] == 75
        assert other["cells"]["A8"]["string"] == "=1+1"  # text: a formula would show 2
        assert other["cells"]["A10"]["string"] == "Penting: teks kaya"
        assert rak["cells"]["A1"]["string"] == "RENCANA AKSI KINERJA"
        assert rak["cells"]["AA10"]["value"] == 162206000
        assert rak["cells"]["AM10"]["value"] == 324412000, out.name  # =SUM(AA10:AL10), computed
        if out.suffix == ".xlsm":
            buttons = next(results)
            for sheet in (F.RAK, F.OTHER):
                assert macros(buttons, sheet) == macros(original, sheet), (out.name, sheet)
            assert [label for label, _ in macros(buttons, F.RAK)] == ["Validasi"]
            assert all(m for _, m in macros(buttons, F.RAK) + macros(buttons, F.OTHER))


@pytest.mark.slow
def test_template_buttons_survive_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], libreoffice: LibreOffice
) -> None:
    """The template's own buttons (VML form controls in the sheets' drawings) and VBA
    modules, as LibreOffice sees them, after --mark, regenerate and recalc on Contoh."""
    template = Path(__file__).resolve().parents[1] / "workbook_template.xlsm"
    out = tmp_path / "rak.xlsm"
    shutil.copy(template, out)
    assert main(["validate", str(out), "--sheet", "Contoh", "--mark"]) == 1
    marked = tmp_path / "marked.xlsm"
    shutil.copy(out, marked)
    assert main(["regenerate", str(out), "--sheet", "Contoh"]) == 0
    assert main(["recalc", str(out), "--sheet", "Contoh"]) == 0
    capsys.readouterr()
    jobs = [
        {"kind": kind, "path": str(p)}
        for p in (template, marked, out)
        for kind in ("vba_project", "form_buttons")
    ]
    vba0, buttons0, vba1, buttons1, vba2, buttons2 = libreoffice.run(jobs)

    def macros(result: dict[str, Any]) -> dict[str, list[tuple[str, list[str]]]]:
        return {
            s: sorted((b["label"], b["macros"]) for b in v["buttons"]) for s, v in result.items()
        }

    expected = {s: m for s, m in macros(buttons0).items() if m}
    assert set(expected) == {"RAK", "RAK Sub Kegiatan", "Contoh"}
    assert all(m for ms in expected.values() for _, m in ms)
    for got in (buttons1, buttons2):
        assert {s: m for s, m in macros(got).items() if m} == expected
    assert vba1["libraries"] == vba0["libraries"] == vba2["libraries"]
