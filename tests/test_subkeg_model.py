"""The 4-level model: its JSON (backward compatible), roll-ups, traversal, pandas view; the
nomenclature codes (``rak_xl.kode``); the 26-column form's vocabulary (``FORM_2021``)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from rak_xl.grid import col_letter
from rak_xl.model import Kegiatan, Program, Rak, Sasaran, SubKegiatan

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "sub_kegiatan_example.json"
SEED = FIXTURES / "rak_banjar_2020.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


# -- JSON ------------------------------------------------------------------------------
def test_three_level_json_is_todays_byte_for_byte() -> None:
    text = SEED.read_text(encoding="utf-8")
    rak = Rak.from_json(json.loads(text))
    assert rak.tingkat == 3
    # Same keys, same order, same values: the serialised text is the same.
    assert json.dumps(rak.to_json(), ensure_ascii=False) == json.dumps(
        json.loads(text), ensure_ascii=False
    )


def test_four_level_json_round_trips() -> None:
    data = example()
    rak = Rak.from_json(data)
    assert rak.tingkat == 4 and rak.to_json() == data
    assert Rak.from_json(rak.to_json()) == rak


def test_kegiatan_cash_in_json_is_the_sum_of_its_sub_kegiatan() -> None:
    """A consumer that adds ``kegiatan.kas_bulanan`` keeps working; the model keeps what
    the kegiatan's own row states (nothing, in the official form)."""
    data = example()
    k = data["sasaran"][0]["program"][0]["kegiatan"][0]
    sums = [sum(sk["kas_bulanan"][m] for sk in k["sub_kegiatan"]) for m in range(12)]
    assert k["kas_bulanan"] == sums and k["kas_bulanan_tertulis"] is None
    model_k = Rak.from_json(data).sasaran[0].program[0].kegiatan[0]
    assert model_k.kas_bulanan == [0] * 12 and model_k.jumlah_kas_bulanan == sums


def test_written_subtotal_is_kept_apart() -> None:
    k = Kegiatan(
        uraian="K",
        kas_bulanan=[7] * 12,
        sub_kegiatan=[
            SubKegiatan("A", kas_bulanan=[1] * 12),
            SubKegiatan("B", kas_bulanan=[2] * 12),
        ],
    )
    rak = Rak(sasaran=[], tingkat=4)
    out = k.to_json(4)
    assert out["kas_bulanan"] == [3] * 12 and out["kas_bulanan_tertulis"] == [7] * 12
    assert Kegiatan.from_json(out) == k
    assert rak.to_json()["tingkat"] == 4


def test_key_order_of_the_four_level_json() -> None:
    rak = Rak.from_json(example())
    p = rak.to_json()["sasaran"][0]["program"][0]
    assert list(rak.to_json()) == [
        "instansi", "kabupaten", "tahun", "tingkat", "penandatangan", "sasaran"
    ]  # fmt: skip
    assert list(p) == ["kode", "uraian", "indikator", "target_tw", "anggaran", "kegiatan"]
    assert list(p["kegiatan"][0]) == [
        "kode", "uraian", "indikator", "volume", "satuan", "target_tw", "anggaran",
        "kas_bulanan", "kas_bulanan_tertulis", "ket", "sub_kegiatan",
    ]  # fmt: skip
    assert list(p["kegiatan"][0]["sub_kegiatan"][0]) == [
        "kode", "uraian", "indikator", "volume", "satuan", "target_tw", "anggaran",
        "kas_bulanan", "ket",
    ]  # fmt: skip


def test_tingkat_guessed_when_the_json_omits_it() -> None:
    data = example()
    del data["tingkat"]
    assert Rak.from_json(data).tingkat == 4
    assert Rak.from_json(json.loads(SEED.read_text(encoding="utf-8"))).tingkat == 3


# -- roll-ups and traversal ------------------------------------------------------------
def test_roll_ups_add_the_sub_kegiatan_not_the_kegiatan_row() -> None:
    subs = [SubKegiatan("A", kas_bulanan=[1] * 12), SubKegiatan("B", kas_bulanan=[2] * 12)]
    k1 = Kegiatan("K1", kas_bulanan=[100] * 12, sub_kegiatan=subs)  # a written subtotal
    k2 = Kegiatan("K2", kas_bulanan=[5] * 12)  # no sub kegiatan: its own months
    assert (k1.kas_setahun, k1.jumlah_kas, k1.jumlah_kas_tw) == (1200, 36, [9, 9, 9, 9])
    p = Program("P", anggaran=96, kegiatan=[k1, k2])
    assert p.jumlah_kas == 96 and p.kas_tw == [24, 24, 24, 24]
    rak = Rak(sasaran=[Sasaran("S", program=[p])], tingkat=4)
    assert rak.jumlah_kas == 96
    assert [(k.uraian, sk and sk.uraian) for _, _, k, sk in rak.cash_items()] == [
        ("K1", "A"),
        ("K1", "B"),
        ("K2", None),
    ]
    assert [sk.uraian for *_, sk in rak.sub_kegiatan_all()] == ["A", "B"]


def test_pandas_view_one_row_per_cash_item() -> None:
    rak = Rak.from_json(example())
    df = rak.to_frame()
    assert len(df) == 14
    first = df.iloc[0]
    assert first["sub_kegiatan"] == "Penyusunan Dokumen Perencanaan Perangkat Daerah"
    assert (first["kode_program"], first["kode_kegiatan"], first["kode_sub_kegiatan"]) == (
        "2.08.01",
        "2.08.01.2.01",
        "2.08.01.2.01.01",
    )
    assert first["anggaran"] == first["kas_setahun"] == 53_235_200
    assert df["kas_setahun"].sum() == rak.jumlah_kas == 12_805_295_320


def test_pandas_view_of_a_three_level_rak_keeps_its_columns_and_values() -> None:
    rak = Rak.from_json(json.loads(SEED.read_text(encoding="utf-8")))
    df = rak.to_frame()
    old = ["sasaran", "program", "kegiatan", "indikator", "volume", "satuan",
           *[f"target_tw{q}" for q in range(1, 5)], "kas_setahun",
           *[f"kas_tw{q}" for q in range(1, 5)], "baris"]  # fmt: skip
    new = ["kode_program", "kode_kegiatan", "sub_kegiatan", "kode_sub_kegiatan", "anggaran"]
    assert list(df.columns) == old + new
    assert df[new].isna().all().all()
    assert len(df) == sum(1 for _ in rak.kegiatan_all())


# -- the text report names the sub kegiatan --------------------------------------------
def test_text_report_shows_the_sub_kegiatan() -> None:
    from rak_xl.report import render_text
    from rak_xl.rules.findings import Finding, Report

    f = Finding("cash.empty", "warning", "RAK", "V9", 9, "Pesan.", "S > P > K > SK")
    text = render_text(Report.of([f], "RAK"))
    assert "          Kegiatan: K\n          Sub kegiatan: SK\n" in text


# -- codes -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kode", "level"),
    [
        ("2.08.01", "program"),
        ("X.XX.01", "program"),
        ("2.08.01.2.01", "kegiatan"),
        ("4.01.05.1.01", "kegiatan"),
        ("2.08.01.2.01.01", "sub kegiatan"),
        ("x.xx.01.2.01.0001", "sub kegiatan"),
        ("X XX 01 2.01 01", "sub kegiatan"),
        ("2.08.01.02.01.0001", None),  # zero-padded kegiatan digit: not repaired
        ("2.08.01.3.01", None),
        ("2.8.01", None),
        ("2.08.01.2.01.001", None),
        ("2.1", None),
        ("0.08.01", None),
    ],
)
def test_kode_level(kode: str, level: str | None) -> None:
    from rak_xl.kode import kode_level

    assert kode_level(kode) == level


def test_kode_parent_and_digits() -> None:
    from rak_xl.kode import is_child, normalize, sub_digits

    assert is_child("2.08.01", "2.08.01.2.01") and is_child("2.08.01.2.01", "2.08.01.2.01.0001")
    assert is_child("X.XX.01", "5.01.01.2.01") and is_child("2.23.01", "X.XX.01.2.01")
    assert not is_child("2.08.01", "2.08.02.2.01") and not is_child("2.08.01", "2.08.01")
    assert (sub_digits("2.08.01.2.01.01"), sub_digits("2.08.01.2.01.0001")) == (2, 4)
    assert sub_digits("2.08.01") is None
    assert normalize(" x xx 01  2.01 ") == "X.XX.01.2.01"


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("2.08.01.2.01.01 Penyusunan Dokumen", ("2.08.01.2.01.01", "Penyusunan Dokumen")),
        ("X.XX.01.1.01.0003 Koordinasi", ("X.XX.01.1.01.0003", "Koordinasi")),
        ("1.01.01.PROGRAM PENUNJANG", ("1.01.01", "PROGRAM PENUNJANG")),
        ("2.08.01 - Program X", ("2.08.01", "Program X")),
        ("X XX 01 2.01 01 Penyusunan", ("X XX 01 2.01 01", "Penyusunan")),
        ("2.08.01.2.01.01 2024 Dokumen", ("2.08.01.2.01.01", "2024 Dokumen")),
        ("2.08.01.02.01.0001 Nama", ("2.08.01.02.01.0001", "Nama")),  # kept for the rule
        ("1. Pelatihan Aparatur", None),
        ("1.2 Rapat", None),
        ("1.2.3 Sub bagian", None),
        ("2.08.01", None),
        ("2.08.01Program", None),
        ("Pelatihan 2.08.01", None),
    ],
)
def test_code_at_the_front_of_a_name(text: str, split: tuple[str, str] | None) -> None:
    from rak_xl.kode import split_front

    assert split_front(text) == split


# -- the 26-column form's vocabulary ---------------------------------------------------
def test_form_2021_columns() -> None:
    from rak_xl.forms import FORM_2021, SubLogicalCol
    from rak_xl.sheet_spec import KAS_COLS

    f = FORM_2021
    assert (f.tingkat, f.n_cols, f.januari) == (4, 26, 14)
    assert [int(n) for n in SubLogicalCol] == list(range(1, 27))
    letters = {key: col_letter(c) for key, c in f.col.items()}
    # Column A numbers the rows; the 2020 form's columns with a Kode before each uraian
    # but the sasaran's, quarters and a text column per level, an Anggaran at program,
    # kegiatan and sub kegiatan.
    assert [letters[k] for k in ("s.uraian", "s.target_tahunan", "s.tw.0", "s.target_text")] == [
        "B", "D", "E", "I"
    ]  # fmt: skip
    fields = ("kode", "uraian", "indikator", "tw.0", "tw.3", "target_text", "anggaran")
    assert [letters[f"p.{k}"] for k in fields] == ["J", "K", "L", "M", "P", "Q", "R"]
    assert [letters[f"k.{k}"] for k in fields] == ["S", "T", "U", "V", "Y", "Z", "AA"]
    assert [letters[f"sk.{k}"] for k in ("kode", "uraian", "indikator", "volume", "satuan")] == [
        "AB", "AC", "AD", "AE", "AF"
    ]  # fmt: skip
    assert (letters["sk.target_tw"], letters["sk.anggaran"]) == ("AG", "AL")
    assert [col_letter(c) for c in f.kas_cols] == [col_letter(39 + i) for i in range(12)]
    assert (letters["setahun"], letters["sk.ket"]) == ("AY", "AZ")
    computed = ("setahun", *(f"kas_tw.{q}" for q in range(4)), "anggaran", "selisih")
    assert [col_letter(f.computed_cols[k]) for k in computed] == [
        "AY", "BA", "BB", "BC", "BD", "BE", "BF"
    ]  # fmt: skip
    assert col_letter(f.first_stray_col) == "BG" and f.last_official_col == 52
    # Three pages wide: sasaran and program; kegiatan and sub kegiatan; the cash plan.
    assert [(col_letter(a), col_letter(b)) for a, b in f.pages] == [
        ("B", "R"), ("S", "AL"), ("AM", "AZ")
    ]  # fmt: skip
    # Each number's span starts where the next one's ends, and the reader ids of the sub
    # kegiatan and the months are the 2020 kegiatan's.
    spans = [f.span[n] for n in range(1, 27)]
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(spans))
    assert f.read_id[SubLogicalCol.JANUARI - 1] == KAS_COLS[0]
    assert [g[2] for g in f.groups][:5] == [
        "SASARAN", "PROGRAM", "KEGIATAN", "SUB KEGIATAN", "ANGGARAN KAS PER BULAN (Rp)"
    ]  # fmt: skip
    assert f.labels[f.col["sk.kode"]] == "Kode" and f.labels[f.kas_cols[0]] == "Januari"


def test_form_2020_is_the_existing_vocabulary() -> None:
    from rak_xl import sheet_spec as spec
    from rak_xl.forms import FORM_2020

    f = FORM_2020
    assert (f.tingkat, f.n_cols, f.januari) == (3, 23, 11)
    assert f.col == spec.COL and f.kas_cols == spec.OFFICIAL_KAS_COLS
    assert f.groups == spec.HEADER_GROUPS and f.labels == spec.HEADER_LABELS
    assert f.first_stray_col == spec.FIRST_STRAY_COL
    assert f.last_official_col == spec.LAST_OFFICIAL_COL
    assert f.read_id == tuple(range(1, 24))
    assert spec.kegiatan_total_label(0, 1, 2) == "JUMLAH KEGIATAN 1.2.3"
