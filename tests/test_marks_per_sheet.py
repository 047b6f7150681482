"""Marks are per RAK sheet: a workbook with both forms filled keeps the marks of each.

``validate --mark --sheet`` on one sheet, then on the other: each sheet has its fills,
notes and its own findings sheet (``Lembar: <sheet>`` in C1); marking one again, or
``regenerate`` of one (which unmarks it: its cells move), leaves the other's marks as they
were, byte for byte. The Validasi button (xlwings' remote engine) on a file the command
line marked: it removes and rewrites only its own sheet's marks, and keeps the other
sheet's records in the state sheet.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fixture_scripts import fixture_module
from openpyxl import load_workbook

from rak_xl import buttons
from rak_xl.marks import NOTE_PREFIX, STATE_SHEET, TEMUAN_MARKER, records_from_rows
from tests.xlwings_remote import remote_book

pytestmark = pytest.mark.slow  # the command line in subprocesses, the remote engine

FIXTURES = Path(__file__).parent / "fixtures"
S3, S4 = "RAK 2020", "RAK Sub Kegiatan"


def _two_forms(tmp_path: Path) -> Path:
    """The clean 2020 RAK (values) on ``S3`` and the 4-level example on ``S4``."""
    g = fixture_module("gen_subkeg")
    model = json.loads((FIXTURES / "sub_kegiatan_example.json").read_text(encoding="utf-8"))
    four = Path(g.write4(tmp_path / "contoh4.xlsx", model, g.example_layout()))
    wb = load_workbook(four)
    wb.active.title = S4
    ws = wb.create_sheet(S3, 0)
    for row in load_workbook(FIXTURES / "clean_official.xlsx").active.iter_rows():
        for c in row:
            if c.value is not None:
                ws.cell(c.row, c.column, c.value)
    path = tmp_path / "dua_bentuk.xlsx"
    wb.save(path)
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rak_xl", *args], capture_output=True, text=True, check=False
    )


def _part_of(path: Path, sheet: str) -> bytes:
    """The sheet's XML part (its cells and their formats), as stored."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = dict(re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book))[sheet]
        rel = next(r for r in re.findall(r"<Relationship [^>]*>", rels) if f'Id="{rid}"' in r)
        target = re.search(r'Target="([^"]+)"', rel)
        assert target is not None
        name = target.group(1).lstrip("/")
        return z.read(name if name.startswith("xl/") else "xl/" + name)


def _marks(path: Path) -> dict[str, Any]:
    wb = load_workbook(path)
    temuan = {
        ws["C1"].value: ws.title
        for ws in wb.worksheets
        if ws.title.startswith("Temuan") and ws["A1"].value == TEMUAN_MARKER
    }
    state = wb[STATE_SHEET] if STATE_SHEET in wb.sheetnames else None
    rows = [[c.value for c in r] for r in state.iter_rows()] if state is not None else []
    records = records_from_rows(rows)
    notes = {
        name: {
            c.coordinate
            for r in wb[name].iter_rows()
            for c in r
            if c.comment is not None and c.comment.text.startswith(NOTE_PREFIX)
        }
        for name in (S3, S4)
    }
    return {
        "temuan": temuan,
        "records": {n: {r.cell for r in records if r.sheet == n} for n in (S3, S4)},
        "notes": notes,
    }


def _findings(path: Path, sheet: str) -> set[str]:
    out = _cli("validate", "--json", "--sheet", sheet, str(path)).stdout
    return {f["cell"] for f in json.loads(out)["findings"] if f["cell"]}


def test_each_sheet_keeps_its_own_marks(tmp_path: Path) -> None:
    path = _two_forms(tmp_path)
    cells3, cells4 = _findings(path, S3), _findings(path, S4)
    assert cells3 and cells4
    assert _cli("validate", "--mark", "--sheet", S3, str(path)).returncode == 1  # errors
    assert _cli("validate", "--mark", "--sheet", S4, str(path)).returncode == 0  # warnings
    got = _marks(path)
    assert got["temuan"] == {f"Lembar: {S3}": "Temuan", f"Lembar: {S4}": "Temuan 2"}
    assert got["records"] == got["notes"] == {S3: cells3, S4: cells4}

    # Marking the 2020 sheet again: the 4-level sheet's marks stay, byte for byte.
    sheet4 = _part_of(path, S4)
    assert _cli("validate", "--mark", "--sheet", S3, str(path)).returncode == 1
    again = _marks(path)
    assert again["records"] == again["notes"] == {S3: cells3, S4: cells4}
    assert sorted(again["temuan"]) == [f"Lembar: {S3}", f"Lembar: {S4}"]
    assert _part_of(path, S4) == sheet4

    # Susun Ulang of the 4-level sheet removes its marks (its cells move), not the others.
    out = tmp_path / "susun.xlsx"
    done = _cli("regenerate", "--sheet", S4, "-o", str(out), str(path))
    assert done.returncode == 0, done.stderr
    after = _marks(out)
    assert after["records"] == after["notes"] == {S3: cells3, S4: set()}
    assert list(after["temuan"]) == [f"Lembar: {S3}"]
    assert _part_of(out, S3) == _part_of(path, S3)


def test_validasi_keeps_the_other_sheets_marks(tmp_path: Path) -> None:
    """Both sheets marked by the command line; Validasi on the 4-level sheet: it undoes
    and redoes only that sheet's marks, deletes only its findings sheet, and writes the
    state sheet with the 2020 sheet's records kept."""
    path = _two_forms(tmp_path)
    _cli("validate", "--mark", "--sheet", S3, str(path))
    _cli("validate", "--mark", "--sheet", S4, str(path))
    before = _marks(path)
    book = remote_book(path, active=S4)
    names = [s.name for s in book.sheets]
    buttons.validasi(book)
    actions = book.json()["actions"]
    # The 2020 sheet is left alone; of the findings sheets only the 4-level one goes.
    assert not [a for a in actions if a["sheet_position"] == names.index(S3)]
    deleted = [a["sheet_position"] for a in actions if a["func"] == "sheetDelete"]
    assert deleted == [names.index(before["temuan"][f"Lembar: {S4}"])]
    state = names.index(STATE_SHEET)
    (written,) = [a for a in actions if a["sheet_position"] == state and a["func"] == "setValues"]
    # Texts are written with Excel's text prefix (').
    rows = [[v[1:] if isinstance(v, str) else v for v in row] for row in written["values"]]
    records = records_from_rows(rows)
    assert {r.cell for r in records if r.sheet == S3} == before["records"][S3]
    assert {r.cell for r in records if r.sheet == S4} == before["records"][S4]
    # Its fills undone and done again, on the 4-level sheet only.
    painted = {a["sheet_position"] for a in actions if a["func"] == "setRangeColors"}
    assert names.index(S4) in painted and names.index(S3) not in painted
