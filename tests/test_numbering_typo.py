"""A typo in the column-numbering row (``777`` where ``21`` belongs) must not hide the
table: before, the repeated header of page 2 was taken for the table's start, page 1's
rows vanished from the model, and Susun Ulang ended with "Laporkan ... ke pengembang"."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from rak_xl.cli import main
from rak_xl.read.header import _count_length

SEED = Path(__file__).parent / "fixtures" / "seed_banjar_2020.xlsx"


def _numbers(*values: int) -> list[tuple[int, int]]:
    return [(c + 1, v) for c, v in enumerate(values)]


def test_one_mistyped_number_keeps_the_count() -> None:
    assert _count_length(_numbers(*range(1, 21), 777, 22, 23)) == 23
    assert _count_length(_numbers(*range(1, 24))) == 23


def test_a_missing_number_or_two_typos_end_the_count() -> None:
    assert _count_length(_numbers(*range(1, 21), 22, 23)) == 20  # 21 missing: columns shift
    assert _count_length(_numbers(*range(1, 20), 7, 7, 22, 23)) == 19
    assert _count_length(_numbers(*range(1, 23), 99)) == 22  # nothing after to confirm it


def _run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def test_seed_with_a_typo_in_its_numbering_row_reads_as_the_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = openpyxl.load_workbook(SEED)
    ws = wb.worksheets[0]
    assert ws["Z8"].value == 21
    ws["Z8"] = 777
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)

    seed_code, seed_export = _run("export", str(SEED), capsys=capsys)
    code, out = _run("export", str(bad), capsys=capsys)
    assert (code, json.loads(out)) == (seed_code, json.loads(seed_export))

    code, out = _run("validate", "--json", str(bad), capsys=capsys)
    seed_code, seed_out = _run("validate", "--json", str(SEED), capsys=capsys)
    assert code == seed_code
    assert json.loads(out)["findings"] == json.loads(seed_out)["findings"]

    rebuilt = tmp_path / "rebuilt.xlsx"
    assert main(["regenerate", str(bad), "-o", str(rebuilt)]) == 0
    capsys.readouterr()
    _, out = _run("export", str(rebuilt), capsys=capsys)
    assert json.loads(out)["sasaran"] == json.loads(seed_export)["sasaran"]
