"""The model: derived values, the JSON contract, the pandas view."""

from __future__ import annotations

import json
from pathlib import Path

from rak_xl.model import Kegiatan, Program, Rak

SEED = Path(__file__).parent / "fixtures" / "rak_banjar_2020.json"


def test_json_round_trip_is_the_contract() -> None:
    data = json.loads(SEED.read_text(encoding="utf-8"))
    assert Rak.from_json(data).to_json() == data


def test_derived_cash_values() -> None:
    k = Kegiatan(uraian="K", kas_bulanan=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    assert k.kas_setahun == 78 and k.kas_tw == [6, 15, 24, 33]
    p = Program(uraian="P", anggaran=100, kegiatan=[k, Kegiatan(uraian="L", kas_bulanan=[1] * 12)])
    assert p.jumlah_kas == 90 and p.kas_tw == [9, 18, 27, 36]


def test_seed_program_one_exceeds_its_budget() -> None:
    rak = Rak.from_json(json.loads(SEED.read_text(encoding="utf-8")))
    p1 = rak.sasaran[0].program[0]
    assert p1.jumlah_kas - (p1.anggaran or 0) == 32_499_000


def test_pandas_view_one_row_per_kegiatan() -> None:
    rak = Rak.from_json(json.loads(SEED.read_text(encoding="utf-8")))
    df = rak.to_frame()
    assert len(df) == sum(1 for _ in rak.kegiatan_all())
    first = df.iloc[0]
    assert first["kegiatan"].startswith("Pelatihan Aparatur")
    assert (first["target_tw1"], first["target_tw2"], first["volume"]) == (355, 5, 1416)
    assert first["kas_setahun"] == 324_412_000 and first["kas_tw2"] == 162_206_000
    assert df["kas_setahun"].sum() == rak.jumlah_kas


def test_src_is_not_compared() -> None:
    a, b = Kegiatan(uraian="K"), Kegiatan(uraian="K")
    b.src.row = 99
    assert a == b
    b.stray.append(1)
    assert a != b
