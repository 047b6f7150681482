"""Reading the 4-level form (Sub Kegiatan, numbering 1..26): workbooks written by
``tests/fixtures/gen_subkeg.py`` (XlsxWriter, no rak_xl code) read back as the model they
were written from; the transcribed public example exports its JSON byte for byte; the
form is told by the numbering row; codes come from their sub-column or the front of the
name; nothing is dropped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixture_scripts import fixture_module, json_diff

from rak_xl.api import load
from rak_xl.model import Rak
from rak_xl.read import iter_items

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_JSON = FIXTURES / "sub_kegiatan_example.json"
SEEDS = range(40)
CASES = [s if s < 4 else pytest.param(s, marks=pytest.mark.slow) for s in SEEDS]


def gen() -> Any:
    return fixture_module("gen_subkeg")


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    return data


def unplaced(rak: Rak) -> list[tuple[str | None, object, object]]:
    """Stray values and unreadable text anywhere in the model."""
    return [(i.uraian, i.stray, i.raw) for i in iter_items(rak) if i.stray or i.raw]


@pytest.mark.parametrize("seed", CASES)
def test_generated_workbook_reads_back(seed: int, tmp_path: Path) -> None:
    g = gen()
    path, expected = g.generate4(seed, tmp_path)
    rak = load(path)
    diffs = json_diff(expected, rak.to_json())
    assert not diffs, f"seed {seed}: {g.describe4(seed)}\n" + "\n".join(diffs[:40])
    assert rak.tingkat == 4
    assert not unplaced(rak), g.describe4(seed)


def test_example_exports_its_json_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rak_xl.cli import main

    g = gen()
    path = g.write4(tmp_path / "contoh.xlsx", example(), g.example_layout())
    assert main(["export", str(path)]) == 0
    assert capsys.readouterr().out == EXAMPLE_JSON.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "variant",
    [
        {"kode": "front"},
        {"rows": True},
        {"money": "id", "anggaran_split": False, "vol_split": False},
        {"money": "en", "merge": False, "title": True, "first_row": 3, "first_col": 2},
        {"wide": frozenset({4, 7, 10, 26}), "tree": True},
    ],
    ids=["kode-front", "rows", "text-id-one-cell", "text-en-unmerged", "wide-tree"],
)
@pytest.mark.slow
def test_example_in_other_layouts(variant: dict[str, Any], tmp_path: Path) -> None:
    g = gen()
    layout = g.replace(g.example_layout(), **variant)
    expected = g.for_layout(example(), layout)
    rak = load(g.write4(tmp_path / "contoh.xlsx", expected, layout))
    diffs = json_diff(expected, rak.to_json())
    assert not diffs, "\n".join(diffs[:40])
    assert not unplaced(rak)


def test_code_in_front_of_the_name_reads_as_a_code_column(tmp_path: Path) -> None:
    g = gen()
    base = g.example_layout()
    a = load(g.write4(tmp_path / "a.xlsx", example(), base))
    b = load(g.write4(tmp_path / "b.xlsx", example(), g.replace(base, kode="front")))
    assert a == b
    sk = b.sasaran[0].program[0].kegiatan[0].sub_kegiatan[0]
    assert (sk.kode, sk.uraian) == (
        "2.08.01.2.01.01",
        "Penyusunan Dokumen Perencanaan Perangkat Daerah",
    )


def test_tree_style_kegiatan_keeps_its_own_months(tmp_path: Path) -> None:
    """A kegiatan row stating subtotal months: kept as written (``kas_bulanan_tertulis``);
    ``kas_bulanan`` in the JSON is the sum of its sub kegiatan either way."""
    g = gen()
    model = example()
    k = model["sasaran"][0]["program"][0]["kegiatan"][0]
    k["kas_bulanan_tertulis"] = [
        m + (1000 if i == 3 else 0) for i, m in enumerate(k["kas_bulanan"])
    ]
    rak = load(g.write4(tmp_path / "t.xlsx", model, g.replace(g.example_layout(), tree=True)))
    got = rak.to_json()["sasaran"][0]["program"][0]["kegiatan"][0]
    assert got["kas_bulanan"] == k["kas_bulanan"]
    assert got["kas_bulanan_tertulis"] == k["kas_bulanan_tertulis"]
    assert Rak.from_json(rak.to_json()) == rak


def _write_2020_with_extra_numbers(path: Path) -> Path:
    """A 2020-form sheet (1..23, Januari above 11) whose user numbered 3 more columns."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("RAK")
    first = ["Uraian", "Indikator", "Target", "Uraian", "Indikator", "Target", "Uraian"]
    labels = [*first, "Indikator", "Vol. & Sat.", "Target", *g_months(), "KET", "Cat.", "A", "B"]
    for c, label in enumerate(labels):
        ws.write(0, c, label)
        ws.write(1, c, c + 1)
    ws.write_row(2, 0, ["Sasaran", "Ind", "-", "Program", "Ind P", "TW 4 = 1", "Kegiatan",
                        "Jumlah orang", "5 Orang", "TW 4 = 5", *[1000] * 12])  # fmt: skip
    wb.close()
    return path


def g_months() -> list[str]:
    return list(gen().MONTHS)


def test_a_2020_sheet_numbered_to_26_stays_a_2020_sheet(tmp_path: Path) -> None:
    rak = load(_write_2020_with_extra_numbers(tmp_path / "x.xlsx"))
    assert rak.tingkat == 3
    (k,) = [k for _, _, k in rak.kegiatan_all()]
    assert (k.uraian, k.volume, k.kas_setahun) == ("Kegiatan", 5, 12_000)
    assert "tingkat" not in rak.to_json()


def test_code_typed_as_a_number_is_kept_as_its_text(tmp_path: Path) -> None:
    g = gen()
    model = example()
    model["sasaran"][0]["program"][0]["kode"] = 2.1  # Excel turned "2.10" into a number
    where: dict[int, dict[str, str]] = {}
    program = model["sasaran"][0]["program"][0]
    rak = load(g.write4(tmp_path / "n.xlsx", model, g.example_layout(), where))
    p = rak.sasaran[0].program[0]
    assert p.kode == "2.1" and p.src.cells["kode"] == where[id(program)]["kode"]


def test_sub_kegiatan_before_any_kegiatan_gets_a_placeholder(tmp_path: Path) -> None:
    g = gen()
    model = example()
    k = model["sasaran"][0]["program"][0]["kegiatan"][0]
    k["uraian"], k["kode"], k["indikator"], k["anggaran"] = None, None, None, None
    k["target_tw"] = [None] * 4
    rak = load(g.write4(tmp_path / "o.xlsx", model, g.example_layout()))
    placeholder = rak.sasaran[0].program[0].kegiatan[0]
    assert placeholder.uraian is None and len(placeholder.sub_kegiatan) == 8
    assert not unplaced(rak)


def test_a_kode_without_a_name_starts_its_sub_kegiatan(tmp_path: Path) -> None:
    g = gen()
    model = example()
    sk = model["sasaran"][0]["program"][0]["kegiatan"][0]["sub_kegiatan"][7]
    sk["uraian"] = None
    where: dict[int, dict[str, str]] = {}
    rak = load(g.write4(tmp_path / "k.xlsx", model, g.example_layout(), where))
    # The row is that sub kegiatan's, without a name (struct.name-missing at its uraian
    # cell): its code, anggaran and months are its own, nothing is left over.
    got = rak.sasaran[0].program[0].kegiatan[0].sub_kegiatan[7]
    assert (got.uraian, got.kode, got.anggaran) == (None, "2.08.01.2.01.08", sk["anggaran"])
    assert got.kas_bulanan == sk["kas_bulanan"] and not unplaced(rak)
    assert got.src.cells["uraian"] == where[id(sk)]["uraian"]
    assert got.src.cells["kode"] == where[id(sk)]["kode"]


def test_a_name_cell_holding_only_a_code(tmp_path: Path) -> None:
    """The code is the item's code when its Kode cell is empty, else kept as written
    (``raw``); never the name. The JSON shows what the cells hold."""
    g = gen()
    model = example()
    k = model["sasaran"][0]["program"][0]["kegiatan"][1]
    k["uraian"], k["kode"] = k["kode"], None  # "2.08.01.2.02", Kode cell empty
    sk = k["sub_kegiatan"][0]
    sk["uraian"] = sk["kode"]  # the code in both cells
    rak = load(g.write4(tmp_path / "c.xlsx", model, g.example_layout()))
    got_k = rak.sasaran[0].program[0].kegiatan[1]
    assert (got_k.uraian, got_k.kode, got_k.raw) == (None, "2.08.01.2.02", {})
    assert got_k.src.cells["kode"] == got_k.src.cells["uraian"]
    got_sk = got_k.sub_kegiatan[0]
    assert (got_sk.uraian, got_sk.kode) == (None, sk["kode"])
    assert got_sk.raw == {"uraian": sk["kode"]}
    out = rak.to_json()["sasaran"][0]["program"][0]["kegiatan"][1]
    assert (out["kode"], out["uraian"]) == ("2.08.01.2.02", None)
    assert out["sub_kegiatan"][0]["uraian"] == sk["kode"]
    assert Rak.from_json(rak.to_json()) == rak


def test_header_and_columns_of_the_four_level_form(tmp_path: Path) -> None:
    from rak_xl.forms import FORM_2021
    from rak_xl.read import find_header
    from rak_xl.sheet_spec import KegiatanCol, LogicalCol
    from rak_xl.workbook import locate

    g = gen()
    path = g.write4(tmp_path / "h.xlsx", example(), g.example_layout())
    grid, header = locate(path, None)
    assert header is not None and header == find_header(grid)
    assert header.form is FORM_2021
    # The generator's layout (one column per target, docs/SUB_KEGIATAN.md 3.2): the
    # reader ids land on its columns.
    assert header.cols[LogicalCol.P_URAIAN] == [5, 6]  # E:F Kode | Uraian
    assert header.cols[KegiatanCol.URAIAN] == [10, 11]
    assert header.cols[LogicalCol.K_URAIAN] == [15, 16]
    assert header.cols[LogicalCol.JANUARI] == [22]  # V
    assert {header.role[c] for c in (5, 10, 15)} == {"kode"}
    assert header.role[21] == "anggaran"  # U: the sub kegiatan's Anggaran (Rp)
