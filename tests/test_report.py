"""Renderers: text grouped by program with totals, JSON exactly as DESIGN.md says."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from rules_model import clean_rak

from rak_xl.cli import main
from rak_xl.dpa import load_dpa
from rak_xl.errors import RakError
from rak_xl.model import Rak
from rak_xl.report import render_json, render_text
from rak_xl.rules import Report, check
from rak_xl.rules.findings import Finding


def _faulty_report() -> Report:
    r = clean_rak()
    r.sasaran[0].program[0].kegiatan[0].target_tw = [5, 5, 5, 6]
    r.sasaran[0].program[1].kegiatan[1].target_tw = [None] * 4
    r.penandatangan.nip = "123"
    return check(r)


def test_json_shape_is_the_contract() -> None:
    data = json.loads(render_json(_faulty_report(), "RAK.xlsx"))
    assert list(data) == ["file", "sheet", "findings", "summary"]
    assert data["file"] == "RAK.xlsx" and data["sheet"] == "RAK"
    # The kegiatan without targets: one target.missing (its cash inside), not two findings.
    assert data["summary"] == {"error": 1, "warning": 2, "info": 0}
    for f in data["findings"]:
        assert list(f) == ["code", "severity", "sheet", "cell", "row", "message", "path"]
    first = data["findings"][0]
    assert first["code"] == "target.additive-sum-mismatch"
    assert first["cell"] == "L10" and first["row"] == 10
    assert first["path"] == (
        "Meningkatnya kualitas perencanaan desa > Program Pembinaan Desa > Pelatihan Aparatur Desa"
    )


def test_json_keeps_indonesian_text_readable() -> None:
    text = render_json(_faulty_report(), "x.xlsx")
    assert "TW 1–4" in text  # not \u2013


def test_findings_in_sheet_order() -> None:
    rows = [f.row for f in _faulty_report().findings]
    assert rows == sorted(rows, key=lambda r: r if r is not None else 1 << 30)


def test_text_grouped_by_program_with_totals() -> None:
    text = render_text(_faulty_report(), "RAK.xlsx")
    lines = text.splitlines()
    assert lines[0] == "Temuan pada sheet 'RAK' di RAK.xlsx:"
    assert "Meningkatnya kualitas perencanaan desa > Program Pembinaan Desa  [1 kesalahan]" in lines
    assert (
        "Meningkatnya kualitas perencanaan desa > Program Kewilayahan Desa  [1 peringatan]" in lines
    )
    assert "Penandatangan  [1 peringatan]" in lines
    assert lines[-1] == "Ringkasan: 1 kesalahan, 2 peringatan, 0 info."
    assert any("Kegiatan: Pembangunan Usaha Ekonomi" in line for line in lines)


def test_text_without_findings() -> None:
    assert (
        render_text(check(clean_rak()), "a.xlsx")
        == "Tidak ada temuan pada sheet 'RAK' di a.xlsx.\n"
    )


def test_report_record() -> None:
    f = Finding("cash.empty", "warning", "RAK", "M3", 3, "m", "S > P > K")
    report = Report.of([f, f], sheet="RAK")
    assert report.summary == {"error": 0, "warning": 2, "info": 0}
    assert not report.has_errors and not report.valid
    assert report.flatten(("row", "code")) == [[3, "cash.empty"], [3, "cash.empty"]]
    assert Report().valid and Report().summary["error"] == 0


# -- the CLI: exit codes, JSON on stdout, --dpa -------------------------------------------
def _workbook(tmp_path: Path, model: Rak, name: str = "rak.xlsx") -> Path:
    sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
    gen = pytest.importorskip("gen_unseen")
    path: Path = gen.write_workbook(tmp_path / name, model.to_json(), gen.Layout(sheet_name="RAK"))
    return path


def test_cli_clean_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path, clean_rak())
    assert main(["validate", str(path)]) == 0
    assert "Tidak ada temuan" in capsys.readouterr().out


def test_cli_errors_exit_1_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = clean_rak()
    r.sasaran[0].program[0].kegiatan[0].target_tw = [5, 5, 5, 6]
    path = _workbook(tmp_path, r)
    assert main(["validate", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["error"] == 1 and data["file"] == str(path)
    (f,) = data["findings"]
    assert f["code"] == "target.additive-sum-mismatch" and f["sheet"] == "RAK"


def test_cli_no_rak_exits_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    path = tmp_path / "bukan.xlsx"
    wb = Workbook()
    wb.active["A1"] = "Daftar hadir"
    wb.save(path)
    before = path.read_bytes()
    assert main(["validate", str(path), "--json", "--mark"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("rak-xl: ") and len(err.strip().splitlines()) == 1
    assert json.loads(out)["findings"][0]["code"] == "struct.header-not-found"
    assert path.read_bytes() == before
    assert not (tmp_path / ".rak-xl-backup").exists()


def test_cli_dpa_json_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = clean_rak()
    path = _workbook(tmp_path, r)
    ref = {k.uraian: list(k.kas_bulanan) for _, _, k in r.kegiatan_all()}
    ref["Pelatihan Aparatur Desa"][1] = 250_000
    dpa_json = tmp_path / "dpa.json"
    dpa_json.write_text(json.dumps(ref), encoding="utf-8")
    assert main(["validate", str(path), "--json", "--dpa", str(dpa_json)]) == 1
    (f,) = json.loads(capsys.readouterr().out)["findings"]
    assert f["code"] == "cash.dpa-mismatch" and "Februari" in f["message"]

    lines = ["uraian;Jan;Feb;Mar;Apr;Mei;Jun;Jul;Agu;Sep;Okt;Nov;Des"]
    for name, months in ref.items():
        lines.append(";".join([str(name), *(f"{int(v):,}".replace(",", ".") for v in months)]))
    dpa_csv = tmp_path / "dpa.csv"
    dpa_csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", str(path), "--json", "--dpa", str(dpa_csv)]) == 1
    (f2,) = json.loads(capsys.readouterr().out)["findings"]
    assert f2["cell"] == f["cell"]


def test_load_dpa_rejects_short_rows(tmp_path: Path) -> None:
    bad = tmp_path / "dpa.json"
    bad.write_text('{"A": [1, 2, 3]}', encoding="utf-8")
    with pytest.raises(RakError, match="12 angka"):
        load_dpa(bad)
    # The amounts go through the reader's own number parser (rak_xl.numbers.parse_number).
    good = tmp_path / "dpa.csv"
    good.write_text('A;1.234.000;"Rp 2.656.885.200";12,5;-;;0;0;0;0;0;0;0\n', encoding="utf-8")
    assert load_dpa(good) == {"A": [1_234_000, 2_656_885_200, 12.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]}
    good.write_text('A,"1,234,000","Rp 2,656,885,200",0,0,0,0,0,0,0,0,0,0\n', encoding="utf-8")
    assert load_dpa(good)["A"][:2] == [1_234_000, 2_656_885_200]


def test_cli_money_tolerance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = clean_rak()
    p = r.sasaran[0].program[0]
    assert p.anggaran is not None
    p.anggaran += 500
    path = _workbook(tmp_path, r)
    assert main(["validate", str(path), "--json"]) == 1
    capsys.readouterr()
    assert main(["validate", str(path), "--json", "--money-tolerance", "500"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
