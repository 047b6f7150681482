"""Validating 4-level workbooks: the transcribed example is clean but for what its source
lacks; each fault written into a workbook (by ``tests/fixtures/gen_subkeg.py``, which
records where it wrote every field) is found at that cell; Hitung Ulang asks for Susun
Ulang on a 4-level sheet not in the official layout, writing nothing, and Susun Ulang
rebuilds it (tests/test_layout4.py: lossless, idempotent)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fixture_scripts import fixture_module

from rak_xl.api import load
from rak_xl.rules import check
from rak_xl.rules.findings import Report, row_of

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_JSON = FIXTURES / "sub_kegiatan_example.json"
Model = dict[str, Any]
Where = dict[int, dict[str, str]]
# A fault: changes the model, returns (code, the item dict(s) whose cell, which field).
Fault = Callable[[Model], tuple[str, Model | list[Model], str]]


def gen() -> Any:
    return fixture_module("gen_subkeg")


def example() -> Model:
    data: Model = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    return data


def _program(m: Model) -> Model:
    p: Model = m["sasaran"][0]["program"][0]
    return p


def _kegiatan(m: Model, i: int) -> Model:
    k: Model = _program(m)["kegiatan"][i]
    return k


def _sub(m: Model, k: int, i: int) -> Model:
    sk: Model = _kegiatan(m, k)["sub_kegiatan"][i]
    return sk


def validate(model: Model, tmp_path: Path, **layout: Any) -> tuple[Report, Where]:
    g = gen()
    where: Where = {}
    path = g.write4(tmp_path / "rak.xlsx", model, g.replace(g.example_layout(), **layout), where)
    return check(load(path)), where


def test_the_transcribed_example_is_clean_but_for_what_its_source_lacks(tmp_path: Path) -> None:
    """No targets in the source: cash without target on each of the 14 sub kegiatan; its
    two-digit codes in a 2025 RAK: one info each (tests/fixtures/*.notes.md)."""
    model = example()
    report, where = validate(model, tmp_path)
    assert report.summary == {"error": 0, "warning": 14, "info": 14}
    assert Counter(report.codes()) == {"cash.without-target": 14, "struct.code-old-format": 14}
    first = _sub(model, 0, 0)
    assert report.flatten(("code", "cell", "path"))[:2] == [
        ["struct.code-old-format", where[id(first)]["kode"], report.findings[0].path],
        ["cash.without-target", where[id(first)]["kas.0"], report.findings[0].path],
    ]
    assert report.findings[0].path == (
        "(sasaran tidak tercantum di sumber) > PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH "
        "KABUPATEN/KOTA > Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah > "
        "Penyusunan Dokumen Perencanaan Perangkat Daerah"
    )


def month_changed(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 0, 1)
    sk["kas_bulanan"][4] += 250_000
    return "cash.subkegiatan-total-mismatch", sk, "anggaran"


def kegiatan_budget_off(m: Model) -> tuple[str, Model, str]:
    k = _kegiatan(m, 1)
    k["anggaran"] += 1_000_000
    return "cash.kegiatan-total-mismatch", k, "anggaran"


def program_budget_off(m: Model) -> tuple[str, Model, str]:
    p = _program(m)
    p["anggaran"] = 12_805_295_320 - 1_000
    return "cash.program-total-mismatch", p, "anggaran"


def code_of_another_kegiatan(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 1, 2)
    sk["kode"] = "2.08.01.2.01.09"  # under kegiatan 2.08.01.2.02
    return "struct.code-mismatch", sk, "kode"


def code_as_number(m: Model) -> tuple[str, Model, str]:
    p = _program(m)
    p["kode"] = 2.08  # "2.08" typed where "2.08.01" belongs, kept by Excel as a number
    return "struct.code-invalid", p, "kode"


def duplicated_row(m: Model) -> tuple[str, Model, str]:
    subs = _kegiatan(m, 0)["sub_kegiatan"]
    again = json.loads(json.dumps(subs[2]))
    subs.insert(5, again)
    _kegiatan(m, 0)["anggaran"] += again["anggaran"]
    return "struct.duplicate", again, "uraian"


def same_code_other_name(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 0, 4)
    sk["kode"] = _sub(m, 0, 3)["kode"]
    return "struct.code-duplicate", sk, "kode"


def kegiatan_without_sub(m: Model) -> tuple[str, Model, str]:
    k = _kegiatan(m, 1)
    k["sub_kegiatan"] = []
    k["kas_bulanan"] = [k["anggaran"] // 12] * 11 + [k["anggaran"] - 11 * (k["anggaran"] // 12)]
    k["target_tw"] = [None, None, None, 100]
    return "struct.no-sub-kegiatan", k, "uraian"


def sub_before_kegiatan(m: Model) -> tuple[str, list[Model], str]:
    k = _kegiatan(m, 0)
    for key in ("uraian", "kode", "indikator", "anggaran"):
        k[key] = None
    return "struct.orphan-row", k["sub_kegiatan"], "uraian"  # each of them, as in 2020


def text_in_a_month(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 1, 0)
    sk["kas_bulanan"][2] = "tiga juta"
    return "number.not-a-number", sk, "kas.2"


def wrong_subtotal(m: Model) -> tuple[str, Model, str]:
    k = _kegiatan(m, 0)
    k["kas_bulanan_tertulis"] = list(k["kas_bulanan"])
    k["kas_bulanan_tertulis"][6] += 100_000
    return "cash.kegiatan-sum-mismatch", k, "kas.6"


def sub_named_by_its_code(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 0, 2)  # the code typed in the name cell, the Kode cell left empty
    sk["uraian"], sk["kode"] = sk["kode"], None
    return "struct.name-missing", sk, "uraian"


def sub_name_repeats_its_code(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 0, 2)
    sk["uraian"] = sk["kode"]
    return "struct.name-missing", sk, "uraian"


def kegiatan_named_by_its_code(m: Model) -> tuple[str, Model, str]:
    k = _kegiatan(m, 1)
    k["uraian"], k["kode"] = k["kode"], None
    return "struct.name-missing", k, "uraian"


def two_subs_named_by_one_code(m: Model) -> tuple[str, list[Model], str]:
    # Not struct.duplicate nor struct.code-duplicate: neither has a name to compare.
    subs = _kegiatan(m, 0)["sub_kegiatan"]
    for sk in subs[2:4]:
        sk["uraian"] = subs[2]["kode"]
    return "struct.name-missing", subs[2:4], "uraian"


def only_the_kode_cell(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 0, 2)
    sk["uraian"] = None
    return "struct.name-missing", sk, "uraian"


def error_in_a_name(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 0, 1)
    sk["uraian"] = "#N/A"
    return "struct.cell-error", sk, "uraian"


def error_in_an_indikator(m: Model) -> tuple[str, Model, str]:
    k = _kegiatan(m, 0)
    k["indikator"] = "#REF!"
    return "struct.cell-error", k, "indikator"


def error_in_ket(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 1, 0)
    sk["ket"] = "#VALUE!"
    return "struct.cell-error", sk, "ket"


def error_in_a_month(m: Model) -> tuple[str, Model, str]:
    sk = _sub(m, 1, 0)  # no number.not-a-number besides
    sk["kas_bulanan"][2] = "#DIV/0!"
    return "struct.cell-error", sk, "kas.2"


FAULTS: list[Fault] = [
    month_changed,
    kegiatan_budget_off,
    program_budget_off,
    code_of_another_kegiatan,
    code_as_number,
    duplicated_row,
    same_code_other_name,
    kegiatan_without_sub,
    sub_before_kegiatan,
    text_in_a_month,
    wrong_subtotal,
    sub_named_by_its_code,
    sub_name_repeats_its_code,
    kegiatan_named_by_its_code,
    two_subs_named_by_one_code,
    only_the_kode_cell,
    error_in_a_name,
    error_in_an_indikator,
    error_in_ket,
    error_in_a_month,
]
LAYOUTS = {"official": {}, "rows": {"rows": True}, "front-text": {"kode": "front", "money": "id"}}
# A number cannot sit in front of a name: that fault needs a Kode column.
# Nor a code without a name (the name cell holds the code: sub_named_by_its_code).
PAIRS = [
    (f, lay)
    for f in FAULTS
    for lay in LAYOUTS
    if (f, lay) not in ((code_as_number, "front-text"), (only_the_kode_cell, "front-text"))
]
# The official layout in the quick run, the others with the slow tests.
CASES = [p if p[1] == "official" else pytest.param(*p, marks=pytest.mark.slow) for p in PAIRS]


@pytest.mark.parametrize(
    ("fault", "layout"), CASES, ids=[f"{f.__name__}-{lay}" for f, lay in PAIRS]
)
def test_fault_in_the_example_found_at_its_cell(fault: Fault, layout: str, tmp_path: Path) -> None:
    model = example()
    code, item, key = fault(model)
    kw = dict(LAYOUTS[layout], tree=code == "cash.kegiatan-sum-mismatch")
    report, where = validate(model, tmp_path, **kw)
    cells = [where[id(x)][key] for x in (item if isinstance(item, list) else [item])]
    hits = [f for f in report.findings if f.code == code]
    assert [f.cell for f in hits] == cells, report.flatten(("cell", "code", "message"))
    assert hits[0].row == row_of(cells[0]) or code == "cash.program-total-mismatch"
    # Nothing else is wrong: no other error, no warning but the source's own (no targets).
    others = [
        f.code
        for f in report.findings
        if f not in hits and f.severity != "info" and f.code != "cash.without-target"
    ]
    assert not others, report.flatten(("cell", "code", "message"))


@pytest.mark.parametrize("seed", [3, pytest.param(11, marks=pytest.mark.slow), 27])
def test_fault_in_a_generated_workbook_found_at_its_cell(seed: int, tmp_path: Path) -> None:
    """A month changed on the last sub kegiatan with a stated anggaran of a random
    workbook in a random layout: found there once, not again on its kegiatan/program."""
    import random

    g = gen()
    rng = random.Random(seed)
    model, layout = g.random_model4(rng), g.random_layout4(rng)
    model = g.for_layout(model, layout)
    subs = [sk for s in model["sasaran"] for p in s["program"] for k in p["kegiatan"]
            for sk in k["sub_kegiatan"] if sk["anggaran"] is not None]  # fmt: skip
    sk = subs[-1]
    month = next(m for m in range(12) if sk["kas_bulanan"][m])
    sk["kas_bulanan"][month] += 1_000
    where: Where = {}
    report = check(load(g.write4(tmp_path / "r.xlsx", model, layout, where)))
    money = [f for f in report.findings if f.code.startswith("cash.") and "mismatch" in f.code]
    assert [(f.code, f.cell) for f in money] == [
        ("cash.subkegiatan-total-mismatch", where[id(sk)]["anggaran"])
    ], g.describe4(seed)


# -- Hitung Ulang wants the official layout; Susun Ulang gives it --------------------------
def test_recalc_asks_for_susun_ulang_then_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rak_xl.cli import main

    g = gen()
    path = g.write4(tmp_path / "rak.xlsx", example(), g.example_layout())
    before = path.read_bytes()
    assert main(["recalc", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Susun Ulang" in err and "tidak diubah" in err and "Traceback" not in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rak.xlsx"]
    assert main(["regenerate", str(path)]) == 0
    assert main(["recalc", str(path)]) == 0
    assert load(path) == load(g.write4(tmp_path / "lagi.xlsx", example(), g.example_layout()))


def test_mark_a_four_level_workbook(tmp_path: Path) -> None:
    """``validate --mark``: the findings marked at their cells, the Temuan sheet lists
    the path down to the sub kegiatan, and the 4-level model reads back the same."""
    import openpyxl

    from rak_xl.validate_cmd import mark_workbook

    g = gen()
    model = example()
    month_changed(model)
    where: Where = {}
    path = g.write4(tmp_path / "rak.xlsx", model, g.example_layout(), where)
    rak = load(path)
    report = check(rak)
    mark_workbook(path, report, rak)
    assert load(path) == rak
    wb = openpyxl.load_workbook(path)
    cell = where[id(_sub(model, 0, 1))]["anggaran"]
    assert wb["RAK Sub Kegiatan"][cell].comment.text.startswith("rak-xl:")
    rows = [
        r
        for r in wb["Temuan"].iter_rows(values_only=True)
        if isinstance(r[2], str) and r[2].endswith("(cash.subkegiatan-total-mismatch)")
    ]
    assert [(r[3], r[5].count(" > ")) for r in rows] == [(cell, 3)]
