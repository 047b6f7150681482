"""The seed RAK (Kabupaten Banjar 2020): the known inconsistencies must be found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rak_xl.model import Rak
from rak_xl.rules import check

HERE = Path(__file__).parent
SEED_JSON = HERE / "fixtures" / "rak_banjar_2020.json"


@pytest.fixture(scope="module")
def seed() -> Rak:
    return Rak.from_json(json.loads(SEED_JSON.read_text(encoding="utf-8")))


def test_program_1_exceeds_its_budget_by_32_499_000(seed: Rak) -> None:
    report = check(seed)
    first = seed.sasaran[0].program[0]
    hits = [
        f
        for f in report.findings
        if f.code == "cash.program-total-mismatch" and f.path.endswith(first.uraian or "")
    ]
    assert len(hits) == 1
    assert "Rp32.499.000" in hits[0].message
    assert "Rp2.656.885.200" in hits[0].message
    assert hits[0].severity == "error"


def test_355_plus_5_is_not_1416_orang(seed: Rak) -> None:
    report = check(seed)
    k = seed.sasaran[0].program[0].kegiatan[0]
    hits = [f for f in report.findings if f.path.endswith(k.uraian or "")]
    assert [f.code for f in hits] == ["target.additive-sum-mismatch"]
    assert "Jumlah target TW 1–4 (360) tidak sama dengan volume (1.416 Orang)." in hits[0].message


def test_kegiatan_with_cash_but_no_target(seed: Rak) -> None:
    report = check(seed)
    no_target = [k for _, _, k in seed.kegiatan_all() if all(t is None for t in k.target_tw)]
    assert len(no_target) > 20
    for k in no_target:
        codes = {f.code for f in report.findings if f.path.endswith(f"> {k.uraian}")}
        # One finding per cause: the cash is said inside target.missing.
        assert "target.missing" in codes and "cash.without-target" not in codes, k.uraian


def test_seed_totals(seed: Rak) -> None:
    report = check(seed)
    assert report.has_errors
    # The two program totals and the 355 + 5 kegiatan; the signature NIP is valid.
    assert report.summary["error"] == 3
    assert "sign.nip-invalid" not in report.codes()


def test_seed_workbook_finds_the_same_at_cells(tmp_path: Path) -> None:
    """The seed rebuilt as a messy workbook (fixtures builder), read by the real reader."""
    import sys

    sys.path.insert(0, str(HERE / "fixtures"))
    build_fixtures = pytest.importorskip("build_fixtures")
    from rak_xl.api import load

    path = build_fixtures.build_seed(tmp_path / "seed.xlsx")
    report = check(load(path))
    flat = report.flatten(("code", "row"))
    assert ["cash.program-total-mismatch", 9] in flat
    assert ["target.additive-sum-mismatch", 9] in flat
    assert all(f.cell and f.row for f in report.findings if f.code != "sign.nip-invalid")


def test_seed_workbook_one_finding_per_cause() -> None:
    """Issue 13: the seed's 31 cash.without-target + 30 target.missing were 28 causes said
    twice; values under a table header are not 'outside the table'."""
    from rak_xl.api import load

    report = check(load(HERE / "fixtures" / "seed_banjar_2020.xlsx"))
    by_row: dict[int | None, set[str]] = {}
    for f in report.findings:
        by_row.setdefault(f.row, set()).add(f.code)
    assert not any({"target.missing", "cash.without-target"} <= c for c in by_row.values())
    # Every stray lies under a header: only the values a sideways row has left once
    # straightened are outside every column.
    overflow = [(f.cell, f.message) for f in report.findings if f.code == "struct.row-overflow"]
    assert [c for c, _ in overflow] == ["V37"]
    assert overflow[0][1].startswith("Ada 7 nilai yang tersisa setelah baris diluruskan")
    extra = [(f.cell, f.message) for f in report.findings if f.code == "struct.extra-value"]
    assert [c for c, _ in extra] == ["O44", "O48", "O49", "O50", "O51"]
    assert "Kolom Target Kegiatan di baris ini sudah terisi, jadi 3 di sel ini" in extra[0][1]
    shifted = {f.cell: f.message for f in report.findings if f.code == "struct.row-shifted"}
    assert "uraian ke kolom H, indikator ke K, Vol. & Sat. ke M" in shifted["B37"]
    assert shifted["B37"].endswith("kas Januari–Desember ke P–AA.")
    assert report.summary == {"error": 9, "warning": 34, "info": 0}


def test_seed_errors_same_after_susun_ulang(tmp_path: Path) -> None:
    """A value no column takes is an error before and after a rebuild (where it sits in
    the "Nilai di luar tabel" columns): Susun Ulang changes no count of errors."""
    import shutil

    from rak_xl.api import load
    from rak_xl.regenerate import regenerate_file

    path = tmp_path / "seed.xlsx"
    shutil.copy(HERE / "fixtures" / "seed_banjar_2020.xlsx", path)
    before = check(load(path)).summary["error"]
    regenerate_file(path)
    after = check(load(path))
    assert before == after.summary["error"] == 9
    assert [f.code for f in after.findings if f.code.startswith("struct.")] == [
        "struct.row-overflow"
    ] * 6
