"""Number rules: text where a number belongs, negative amounts and targets."""

from __future__ import annotations

from rules_model import clean_rak, kas_cell

from rak_xl.rules import check
from rak_xl.rules.number import field_label


def _hits(r: object, code: str) -> list[tuple[object, object]]:
    return [(f.cell, f.message) for f in check(r).findings if f.code == code]  # type: ignore[arg-type]


def test_not_a_number_in_every_kind_of_field() -> None:
    r = clean_rak()
    s = r.sasaran[0]
    p = s.program[0]
    k = p.kegiatan[0]
    k.raw["kas_bulanan.2"] = "tiga juta"
    k.raw["volume"] = "dua puluh"
    p.raw["anggaran"] = "Rp dua milyar"
    s.raw["target_tahunan"] = "delapan puluh"
    hits = _hits(r, "number.not-a-number")
    cells = sorted(str(c) for c, _ in hits)
    assert cells == sorted([kas_cell(10, 2), "J10", "G10", "C10"])
    messages = " ".join(str(m) for _, m in hits)
    assert "Isi kas Maret ('tiga juta') bukan angka" in messages
    assert "target tahunan" in messages


def test_target_text_goes_to_unparseable_not_here() -> None:
    r = clean_rak()
    r.sasaran[0].program[0].kegiatan[0].raw["target_tw"] = "TW satu"
    assert _hits(r, "number.not-a-number") == []
    assert len(_hits(r, "target.unparseable")) == 1


def test_long_text_is_shortened() -> None:
    r = clean_rak()
    r.sasaran[0].program[0].kegiatan[0].raw["kas_bulanan.0"] = "x" * 200
    ((_, message),) = _hits(r, "number.not-a-number")
    assert "…" in str(message) and len(str(message)) < 150


def test_negative_cash_target_volume_anggaran() -> None:
    r = clean_rak()
    p = r.sasaran[0].program[0]
    k = p.kegiatan[0]
    k.kas_bulanan[5] = -500
    k.target_tw[0] = -1
    p.anggaran = -1
    r.sasaran[0].program[1].kegiatan[0].volume = -2
    hits = _hits(r, "number.negative")
    assert sorted(str(c) for c, _ in hits) == sorted([kas_cell(10, 5), "L10", "G10", "J13"])
    assert any("kas Juni negatif (-500)" in str(m) for _, m in hits)


def test_zero_and_empty_are_not_negative() -> None:
    r = clean_rak()
    r.sasaran[0].program[0].kegiatan[0].target_tw = [0, None, 10, 10]
    assert _hits(r, "number.negative") == []


def test_field_labels() -> None:
    assert field_label("kas_bulanan.11") == "kas Desember"
    assert field_label("target_tw.3") == "target TW 4"
    assert field_label("volume") == "volume"
    assert field_label("other") == "other"


def test_negative_fractions_and_odd_floats() -> None:
    """The C-speed test finds what ``v < 0`` finds: small fractions, floats next to ints,
    and a NaN (a hostile file's ``<v>NaN</v>``) is neither negative nor hiding one."""
    r = clean_rak()
    k = r.sasaran[0].program[0].kegiatan[0]
    k.kas_bulanan[0] = float("nan")
    k.kas_bulanan[7] = -0.25
    k.target_tw = [10, 0.0, None, 10]
    assert [str(c) for c, _ in _hits(r, "number.negative")] == [kas_cell(10, 7)]
    k.kas_bulanan[7] = 0
    assert _hits(r, "number.negative") == []
