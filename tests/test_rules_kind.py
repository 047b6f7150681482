"""Indicator kind: guessed from unit and wording, overridden by whole words in KET."""

from __future__ import annotations

import pytest

from rak_xl.rules.kind import Kind, guess_kind, is_percent, ket_override

A, L, LL = Kind.ADDITIVE, Kind.LEVEL, Kind.LEVEL_LOWER


@pytest.mark.parametrize(
    ("satuan", "indikator", "kind"),
    [
        ("Orang", "Jumlah BPD yang terlatih", A),
        ("Desa", "Peningkatan pengetahuan peserta", A),
        ("Kelembagaan desa", "Jumlah kelembagaan desa yang terkoordinasi", A),
        ("UEM", "Jumlah UEM yang terlatih", A),
        ("Inovasi", "Terlaksananya inovasi desa", A),  # unknown count noun
        ("%", "Jumlah desa", L),  # a percentage cannot be added up
        ("Persen", "Cakupan layanan", L),
        ("Skor", "Evaluasi perkembangan desa", L),
        ("Indeks", "Kepuasan masyarakat", L),
        (None, "Skor Evaluasi Perkembangan Desa", L),
        (None, "Nilai rata-rata SAKIP SKPD", L),
        (None, "Rata-rata lama sekolah", L),
        ("%", "Angka kemiskinan", LL),
        (None, "Angka kemiskinan", LL),
        ("%", "Prevalensi stunting", LL),
        (None, "Persentase penurunan angka kemiskinan", L),  # the reduction: higher is better
        (None, "Persentase penduduk miskin yang tertangani", L),
        (None, "Jumlah dokumen", A),
    ],
)
def test_guess(satuan: str | None, indikator: str, kind: Kind) -> None:
    assert guess_kind(satuan, indikator).kind is kind


def test_sasaran_without_clue_is_an_unsure_level() -> None:
    g = guess_kind(None, "Meningkatnya kualitas perencanaan")
    assert (g.kind, g.sure, g.source) == (L, False, "bawaan")
    assert guess_kind("Orang", "x").sure


@pytest.mark.parametrize(
    ("ket", "kind"),
    [
        ("kumulatif", A),
        ("Kumulatif.", A),
        ("Dana DAK; akhir", L),
        ("(posisi akhir)", L),
        ("jenis: level", L),
        ("non-kumulatif", L),
        ("tidak kumulatif", L),
        ("menurun", LL),
        ("akhir, turun", LL),
        ("Semakin kecil semakin baik", LL),
        ("dilaksanakan akhir tahun", None),  # only a whole part counts
        ("turun lapangan", None),
        ("Dana DAK", None),
        (None, None),
    ],
)
def test_ket_override(ket: str | None, kind: Kind | None) -> None:
    assert ket_override(ket) is kind


def test_ket_overrides_unit() -> None:
    assert guess_kind("Orang", "Jumlah peserta", "akhir").kind is L
    assert guess_kind("%", "Persentase desa", "kumulatif").kind is A
    assert guess_kind("Orang", "Jumlah peserta", "akhir").source == "ket"


def test_percent() -> None:
    assert is_percent("%", None)
    assert is_percent("persen", "Jumlah")
    assert not is_percent("Orang", "Persentase peserta")  # the unit decides when given
    assert is_percent(None, "Persentase desa mandiri")
    assert is_percent(None, "Capaian layanan (%)")
    assert not is_percent(None, "Skor desa")
