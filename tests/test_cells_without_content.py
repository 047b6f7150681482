"""Cells that show no content, in a real 2020 workbook (the 2021+ form's cases are in
tests/test_subkeg_validate.py): a program's or kegiatan's name cell holding only a code
(``struct.name-missing``) and cells showing an Excel error value, typed or the cached
result of a formula (``struct.cell-error``). One finding per cell, nothing else changes;
the export JSON shows the cells' texts; Susun Ulang writes them back and finds the same."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rak_xl.api import load
from rak_xl.cli import main
from rak_xl.model import Rak
from rak_xl.read.meaning import same_meaning
from rak_xl.rules import check

CLEAN = Path(__file__).parent / "fixtures" / "clean_official.xlsx"
# (cell, value typed) in the clean 2020 sheet "RAK" -> the finding expected there.
TYPED = {
    "E24": ("2.08.02", "struct.name-missing"),  # a program's name
    "I11": ("1.02.02.2.01", "struct.name-missing"),  # a kegiatan's name
    "J12": ("#N/A", "struct.cell-error"),  # an indikator
    "Y13": ("#REF!", "struct.cell-error"),  # KET
    "R15": ("#VALUE!", "struct.cell-error"),  # a month (was 38,050,000)
}
FORMULA = ("I14", "NA()", "#N/A")  # a kegiatan's name from a broken lookup


def _write(tmp_path: Path) -> Path:
    """The clean workbook with ``TYPED`` typed in and ``FORMULA`` as a formula whose
    cached result is its error, as Excel saves it (openpyxl writes no cached values: the
    cell is given one in the sheet XML)."""
    path = tmp_path / "rak.xlsx"
    wb = load_workbook(CLEAN)
    ws = wb["RAK"]
    for cell, (value, _) in TYPED.items():
        ws[cell] = value
    cell, formula, shown = FORMULA
    ws[cell] = f"={formula}"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    xml = parts[name].decode()
    plain = re.compile(rf'<c r="{cell}"( s="\d+")?><f>{re.escape(formula)}</f><v ?/>')
    assert plain.search(xml)
    cached = rf'<c r="{cell}"\1 t="e"><f>{formula}</f><v>{shown}</v>'
    parts[name] = plain.sub(cached, xml).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return path


def _found(path: Path, capsys: pytest.CaptureFixture[str]) -> set[tuple[str, str]]:
    main(["validate", str(path), "--json"])
    return {(f["code"], f["cell"]) for f in json.loads(capsys.readouterr().out)["findings"]}


def test_each_cell_is_one_finding_and_nothing_else_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _found(CLEAN, capsys)
    path = _write(tmp_path)
    after = _found(path, capsys)
    expected = {(code, cell) for cell, (_, code) in TYPED.items()}
    expected.add(("struct.cell-error", FORMULA[0]))
    assert after - before == expected
    # The program's cash holds a month that is no number: its total is not compared (as
    # with any month that is no number), so its mismatch is no longer said.
    assert before - after == {("cash.program-total-mismatch", "H9")}


def test_messages_say_what_to_fix(tmp_path: Path) -> None:
    report = check(load(_write(tmp_path)))
    by_cell = {f.cell: f.message for f in report.findings if f.code.startswith("struct.")}
    assert by_cell["I11"] == (
        "Nama kegiatan belum ditulis: sel uraiannya hanya berisi kode 1.02.02.2.01. "
        "Tulis nama kegiatan di sel I11."
    )
    assert by_cell["E24"].startswith("Nama program belum ditulis")
    assert by_cell["J12"] == (
        "Sel indikator menampilkan galat Excel #N/A. Perbaiki rumusnya atau ketik isinya "
        "langsung di sel ini."
    )
    assert by_cell["R15"].startswith("Sel kas Juni menampilkan galat Excel #VALUE!")
    assert by_cell["I14"].startswith("Sel nama kegiatan menampilkan galat Excel #N/A")


def test_no_text_becomes_a_name_and_the_json_keeps_every_text(tmp_path: Path) -> None:
    rak = load(_write(tmp_path))
    keg = {k.src.cells["uraian"]: k for _, _, k in rak.kegiatan_all()}
    assert keg["I11"].uraian is None and keg["I11"].raw == {"uraian": "1.02.02.2.01"}
    assert keg["I14"].uraian is None and keg["I14"].raw == {"uraian": "#N/A"}
    assert keg["I12"].indikator is None and keg["I13"].ket is None
    out = json.dumps(rak.to_json())
    for value in [v for v, _ in TYPED.values() if v != "#VALUE!"] + ["#N/A"]:
        assert f'"{value}"' in out
    # Read back from the JSON, the texts are again no name (the JSON holds no notes and
    # no unreadable numbers: compared as JSON).
    back = Rak.from_json(rak.to_json())
    assert back.to_json() == rak.to_json()
    assert [k.raw for _, _, k in back.kegiatan_all() if k.uraian is None] == [
        {"uraian": "1.02.02.2.01"},
        {"uraian": "#N/A"},
    ]


def test_susun_ulang_writes_them_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path)
    before = check(load(path))
    copy = tmp_path / "copy.xlsx"
    shutil.copy(path, copy)
    assert main(["regenerate", str(copy), "-o", str(tmp_path / "out.xlsx")]) == 0
    capsys.readouterr()
    again = load(tmp_path / "out.xlsx")
    assert same_meaning(again, load(path))
    assert [k.raw.get("uraian") for _, _, k in again.kegiatan_all() if k.uraian is None] == [
        "1.02.02.2.01",
        "#N/A",
    ]
    assert sorted(f.code for f in check(again).findings) == sorted(f.code for f in before.findings)
