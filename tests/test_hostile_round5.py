"""Hostile input of the fifth round: cell positions that contradict each other under every
writing command (one shared check, ``rak_xl.opc.positions``), merges that no longer match
the cells, and digits of other scripts in the workbook's own text cells."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from cli_run import SEED
from test_hostile_round4 import _edit_sheet, _refused, _sha

from rak_xl.cli import main
from rak_xl.numbers import parse_number, parse_targets, split_volume
from rak_xl.opc.positions import misplaced
from rak_xl.workbook import load_grids


def _in_row(row: int, cell: bytes) -> object:
    """Put ``cell`` at the end of row ``row`` (a new row at the end when there is none)."""

    def edit(data: bytes) -> bytes:
        m = re.search(rb'<row r="%d"[^>]*>.*?</row>' % row, data, re.S)
        if m is None:
            return data.replace(b"</sheetData>", b'<row r="%d">%s</row></sheetData>' % (row, cell))
        return data[: m.end() - 6] + cell + data[m.end() - 6 :]

    return edit


# -- 1. contradicting positions: one check before every write -------------------------------
CONTRADICTIONS = [
    (_in_row(87, b'<c r="A100"><v>5</v></c>'), "sel beralamat 'A100' di dalam baris 87"),
    (_in_row(9, b'<c r="Z10" t="inlineStr"><is><t>x</t></is></c>'), "'Z10' di dalam baris 9"),
    (_in_row(15, b'<c r="J14"><v>777</v></c>'), "'J14' di dalam baris 15"),
    (
        lambda d: d.replace(b"</sheetData>", b'<row r="90"/><row r="90"/></sheetData>'),
        "baris bernomor '90' (tertulis dua kali",
    ),
]


@pytest.mark.parametrize(("edit", "why"), CONTRADICTIONS)
@pytest.mark.parametrize(
    "cmd",
    [
        ["validate", "--mark"],
        *(pytest.param(c, marks=pytest.mark.slow) for c in (["regenerate"], ["recalc"])),
    ],
)
def test_every_writer_refuses_contradicting_positions(
    tmp_path: Path, cmd: list[str], edit: object, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before this round ``regenerate`` rebuilt such a sheet (from calamine's view) and
    ``recalc`` edited around it; now each refuses by the same check, nothing written."""
    official = tmp_path / "resmi.xlsx"
    shutil.copy(SEED, official)
    if cmd == ["recalc"]:  # recalc needs the official totals rows
        assert main(["regenerate", str(official)]) == 0
        shutil.rmtree(tmp_path / ".rak-xl-backup")
    capsys.readouterr()
    src = _edit_sheet(official, tmp_path / "rak.xlsx", edit)
    official.unlink()
    before = _sha(src)
    assert main([cmd[0], str(src), *cmd[1:]]) == 2
    _refused(capsys, why, "Sheet 'RA 2020' di file rak.xlsx rusak", "simpan ulang sebagai .xlsx")
    assert _sha(src) == before and [p.name for p in tmp_path.iterdir()] == ["rak.xlsx"]


def test_reading_places_a_contradicting_cell_by_its_own_address(tmp_path: Path) -> None:
    """export/validate go on: calamine places the cell by its ``r``, as LibreOffice does
    (``test_libreoffice_places_cells_as_calamine_does``)."""
    src = _edit_sheet(SEED, tmp_path / "rak.xlsx", CONTRADICTIONS[0][0])
    grid = next(g for g in load_grids(src) if g.sheet == "RA 2020")
    assert grid.value(100, 1) == 5 and grid.value(87, 1) is None
    assert main(["export", str(src)]) == 0


def test_reading_a_contradicting_cell_whichever_path_the_pre_scan_takes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cell written without ``r`` sends the pre-scan down its exact (expat) path: the
    contradicting cell is still read by its own address there, as on the quick path (one
    rule for reading, whichever path the scan takes)."""
    src = _edit_sheet(SEED, tmp_path / "rak.xlsx", CONTRADICTIONS[0][0])
    by_order = _edit_sheet(
        src,
        tmp_path / "by_order.xlsx",
        lambda d: d.replace(b"</sheetData>", b'<row r="300"><c><v>1</v></c></row></sheetData>'),
    )
    for path in (src, by_order):
        grid = next(g for g in load_grids(path) if g.sheet == "RA 2020")
        assert grid.value(100, 1) == 5 and grid.value(87, 1) is None
        assert main(["export", str(path)]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b'<row r="1"><c r="A1"><v>1</v></c><c r="B1"/></row><row r="2"/>', None),
        (b'<row r="1"><c r="A1"/><c\n r="B2"/></row>', ("B2", 1)),
        (b'<row r="1"/><row r="2"><c r="A2"/></row><row r="3"><c r="A30"/></row>', ("A30", 3)),
        (b'<row r="9"><c r="XFD9"/><c r="XFE9"/></row>', ("XFE9", 9)),
        (b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;c r</t></is></c></row>', None),
        (b'<row r="10"><c r="A1"/></row>', ("A1", 10)),  # same digits, other row
        (b'<row r="1"><c r="A1"/></row><row r="11"><c r="A11"/><c r="B1"/></row>', ("B1", 11)),
    ],
)
def test_misplaced_finds_the_first_cell_outside_its_row(
    data: bytes, found: tuple[str, int] | None
) -> None:
    assert misplaced(data, b"") == found
    prefixed = data.replace(b"<", b"<x:").replace(b"<x:/", b"</x:")
    assert misplaced(prefixed, b"x:") == found


@pytest.mark.slow
def test_libreoffice_places_cells_as_calamine_does(tmp_path: Path, libreoffice: object) -> None:
    """The ground for letting read commands go on: LibreOffice too places a cell by its
    own address, and the later of two cells at one address wins, as in calamine."""
    from lo import LibreOffice

    assert isinstance(libreoffice, LibreOffice)

    def edit(data: bytes) -> bytes:
        data = _in_row(87, b'<c r="A100"><v>5</v></c><c r="B14"><v>7</v></c>')(data)
        twice = b'<row r="88"><c r="A88"><v>8</v></c></row>' * 2
        return data.replace(b"</sheetData>", twice + b"</sheetData>")

    src = _edit_sheet(SEED, tmp_path / "rak.xlsx", edit)
    (result,) = libreoffice.run(
        [{"kind": "recalc_values", "path": str(src), "sheet": "RA 2020", "range": "A1:B100"}]
    )
    ours = next(g for g in load_grids(src) if g.sheet == "RA 2020")
    for r, c in [(100, 1), (87, 1), (14, 2), (88, 1)]:
        lo = result["range"][r - 1][c - 1]
        assert (ours.value(r, c) or "") == lo, (r, c, lo)
    assert result["range"][99][0] == 5 and result["range"][13][1] == 7


# -- 2. merges that no longer match the cells -------------------------------------------------
def _merges(*refs: str) -> object:
    def edit(data: bytes) -> bytes:
        extra = b"".join(b'<mergeCell ref="%s"/>' % r.encode() for r in refs)
        return re.sub(rb"(<mergeCells[^>]*>)", lambda m: m.group(1) + extra, data, count=1)

    return edit


@pytest.mark.slow
@pytest.mark.parametrize(
    "refs",
    [
        ("A1:AE1", "A1:AE1"),  # the same merge twice
        ("A1:B2",),  # overlapping the title's merge
        ("H13:L16",),  # over cells holding values
        ("P9:R10", "Q10:S12"),  # overlapping each other
        ("A1:XFE2",),  # beyond XFD
        ("A90:B1048577",),  # beyond row 1,048,576
    ],
)
def test_scrambled_merges_are_rebuilt(
    tmp_path: Path, refs: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """Susun Ulang rebuilds the merges from the plan: what the file's merges were does
    not reach the rebuilt sheet, and its read-back holds (no "Laporkan" sentence)."""
    src = _edit_sheet(SEED, tmp_path / "rak.xlsx", _merges(*refs))
    assert main(["regenerate", str(src)]) == 0
    err = capsys.readouterr().err
    assert "pengembang" not in err and "Traceback" not in err, err
    assert main(["validate", str(src), "--mark"]) in (0, 1)


# -- 3. digits of other scripts in the workbook's cells ---------------------------------------
@pytest.mark.parametrize("text", ["١٢٣", "۱۲۳", "１２３", "12३", "Rp ١٢٣", "(١٢٣)", "١.٢٣٤"])
def test_other_scripts_digits_are_no_number(text: str) -> None:
    assert parse_number(text) is None
    assert parse_targets(f"TW 1 = {text}").ok is False
    if text[0] not in "0123456789":  # "12३ Orang": 12 of the unit "३ Orang", as "12x Orang"
        assert split_volume(f"{text} Orang") == (None, f"{text} Orang")


def test_a_cash_or_target_cell_with_other_digits_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'١٢٣' in a cash cell was read as 123: a number the sheet's font shows as none."""

    def edit(data: bytes) -> bytes:
        for ref, text in [("P14", "١٢٣"), ("N9", "TW 1 = ٣٥٥")]:
            data = re.sub(
                rb'<c r="%s"([^>]*?)(?: t="\w+")?>.*?</c>' % ref.encode(),
                b'<c r="%s"\\1 t="inlineStr"><is><t>%s</t></is></c>'
                % (ref.encode(), text.encode()),
                data,
                count=1,
                flags=re.S,
            )
        return data

    src = _edit_sheet(SEED, tmp_path / "rak.xlsx", edit)
    capsys.readouterr()
    assert main(["validate", str(src), "--json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    at = {(f["code"], f.get("cell")) for f in findings}
    assert ("number.not-a-number", "P14") in at
    assert ("target.unparseable", "N9") in at
