"""The workbook fixtures: committed files match their builder; each exports its model.

* ``seed_banjar_2020.xlsx`` must export exactly ``tests/fixtures/rak_banjar_2020.json``
  (a copy of ../shared/data/rak_banjar_2020.json), field for field.
* ``clean_official.xlsx`` exports the same model; every variant (and the LibreOffice
  ``.ods``/``.xls`` copies) exports exactly what the clean file exports.
Failures list every differing JSON path with expected and actual values.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fixture_scripts import fixture_module, json_diff

FIXTURES = Path(__file__).parent / "fixtures"
SEED_XLSX = FIXTURES / "seed_banjar_2020.xlsx"
CLEAN_XLSX = FIXTURES / "clean_official.xlsx"
SEED_JSON = FIXTURES / "rak_banjar_2020.json"
SHARED_SEED_JSON = Path(__file__).resolve().parents[2] / "shared" / "data" / "rak_banjar_2020.json"
VARIANTS = [
    "variant_wide_merged.xlsx",
    "variant_row_per_quarter.xlsx",
    "variant_text_id.xlsx",
    "variant_text_en.xlsx",
    "variant_vol_sat_split.xlsx",
    "variant_second_sheet.xlsx",
    "clean_official.ods",
    "clean_official.xls",
]


def _num(v: Any) -> Any:
    """'700,000' -> 700000 (stray values are kept as the cell held them)."""
    if isinstance(v, str) and v.replace(",", "").isdigit():
        return int(v.replace(",", ""))
    return v


def assert_same(expected: Any, got: Any, what: str) -> None:
    diffs = json_diff(expected, got)
    assert not diffs, f"{what}: {len(diffs)} difference(s)\n" + "\n".join(diffs[:60])


def export(path: Path) -> dict[str, Any]:
    from rak_xl.api import load

    data: dict[str, Any] = load(path).to_json()
    return data


# -- the committed files are what the builder makes ---------------------------------------


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fixtures")
    fixture_module("build_fixtures").build_all(out, office=False)
    return out


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        values = [
            (c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.value is not None
        ]
        merges = sorted(str(m) for m in ws.merged_cells.ranges)
        out[ws.title] = [*values, *(("merge", m) for m in merges)]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", ["seed_banjar_2020.xlsx", "clean_official.xlsx", *VARIANTS[:6]])
def test_committed_fixture_equals_rebuild(rebuilt: Path, name: str) -> None:
    committed = FIXTURES / name
    assert committed.exists(), f"{name} missing: run python3 tests/fixtures/build_fixtures.py"
    assert _cells(rebuilt / name) == _cells(committed), f"{name} differs from its builder"


def test_rebuild_is_byte_identical(rebuilt: Path) -> None:
    for name in ["seed_banjar_2020.xlsx", "clean_official.xlsx", *VARIANTS[:6]]:
        assert (rebuilt / name).read_bytes() == (FIXTURES / name).read_bytes(), name


def test_seed_json_copy_is_the_shared_one_when_shared_is_beside_the_clone() -> None:
    if not SHARED_SEED_JSON.exists():
        pytest.skip("../shared not present (clean clone)")
    assert json.loads(SEED_JSON.read_text()) == json.loads(SHARED_SEED_JSON.read_text())


def test_office_copies_hold_the_clean_values() -> None:
    """The .ods/.xls made by LibreOffice hold the clean sheet's cell values."""
    from python_calamine import CalamineWorkbook

    def values(path: Path) -> list[list[Any]]:
        wb = CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
        return [[v for v in r if v not in ("", None)] for r in rows]

    clean = values(CLEAN_XLSX)
    for ext in ("ods", "xls"):
        assert values(FIXTURES / f"clean_official.{ext}") == clean, ext


# -- exports -------------------------------------------------------------------------------


def test_seed_workbook_exports_the_seed_json() -> None:
    expected = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    assert_same(expected, export(SEED_XLSX), SEED_XLSX.name)


def test_cli_export_of_seed_workbook() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "rak_xl", "export", str(SEED_XLSX)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    expected = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    assert_same(expected, json.loads(proc.stdout), "rak-xl export " + SEED_XLSX.name)


def test_clean_official_exports_the_seed_model() -> None:
    expected = json.loads(SEED_JSON.read_text(encoding="utf-8"))
    assert_same(expected, export(CLEAN_XLSX), CLEAN_XLSX.name)


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_exports_what_clean_exports(name: str) -> None:
    assert_same(export(CLEAN_XLSX), export(FIXTURES / name), name)


@pytest.mark.parametrize("name", ["clean_official.xlsx", *VARIANTS[:6]])
def test_clean_layouts_leave_nothing_unplaced(name: str) -> None:
    """The clean file and its variants hold no stray value and no unparseable text."""
    from rak_xl.api import load

    rak = load(FIXTURES / name)
    problems = []
    for s in rak.sasaran:
        items: list[Any] = [s, *s.program, *(k for p in s.program for k in p.kegiatan)]
        for it in items:
            if it.stray or it.raw:
                problems.append(f"{it.uraian!r}: stray={it.stray} raw={it.raw}")
    assert not problems, "\n".join(problems)


def test_seed_strays_are_kept() -> None:
    """The seed's values that belong nowhere are strays, not cash: the 7 extra 700,000 of
    Pembangunan Inovasi Desa and the small integers 3/6/5/5/35 beside page-2 targets."""
    from rak_xl.api import load

    rak = load(SEED_XLSX)
    keg = {k.uraian: k for _, _, k in rak.kegiatan_all()}
    # strays are kept verbatim (the cell held the text "700,000")
    assert [_num(v) for v in keg["Pembangunan Inovasi Desa"].stray] == [700000] * 7
    for name, v in [
        ("Fasilitasi Lomba Desa", 3),
        ("Pembinaan Kader Posyandu", 6),
        ("Pembinaan Kelembagaan Adat", 5),
        ("Rapat Koordinasi Kelembagaan Desa", 5),
        ("Pembinaan Pemberdayaan Kesejahteraan Keluarga", 35),
    ]:
        assert v in [_num(x) for x in keg[name].stray], (name, keg[name].stray)
    assert rak.penandatangan.nip == "19650721 198602 1 001"
    assert any("Penjelasan cara pengisian" in str(row[0]) for row in rak.catatan)


def test_seed_shifted_rows_signature_and_notes() -> None:
    """The three left-shifted kegiatan are realigned and recorded as such; the notes and
    the Renstra table below the signature are kept as catatan, row by row."""
    from rak_xl.api import load

    rak = load(SEED_XLSX)
    shifted = {k.uraian: k.src.shifted_from for _, _, k in rak.kegiatan_all() if k.src.shifted_from}
    assert shifted == {
        "Fasilitasi Pengembangan Kawasan Ekonomi Perdesaan": "B35",
        "Pembangunan Produk Unggulan Desa": "B36",
        "Pembangunan Inovasi Desa": "B37",
    }
    notes = [row for row in fixture_module("build_fixtures").SEED_NOTES if row is not None]
    assert [tuple(row) for row in rak.catatan] == notes
    assert rak.catatan_atas == []
