"""Indicator kind: how the quarterly targets relate to the year.

- ``additive`` (counts: Orang, Desa, Dokumen, ...): TW1+TW2+TW3+TW4 = volume.
- ``level`` (%, skor, indeks, ...): each quarter is a level; TW4 = annual; non-decreasing.
- ``level-lower`` (angka kemiskinan, AKI, ...): a level where lower is better: non-increasing.

The guess, in order (the first that speaks wins):

1. **KET override.** The KET cell is split at ``; , / |`` and new lines; a part that is
   exactly one of these words (case-insensitive, optional ``jenis:``/``sifat:`` prefix,
   brackets and a final full stop ignored) decides:

   - additive: ``kumulatif``, ``penjumlahan``, ``dijumlah``
   - level: ``akhir``, ``posisi``, ``posisi akhir``, ``nilai akhir``, ``level``,
     ``non kumulatif``, ``non-kumulatif``, ``nonkumulatif``, ``tidak kumulatif``
   - level, lower is better: ``turun``, ``menurun``, ``makin kecil makin baik``,
     ``semakin kecil semakin baik``, ``lebih rendah lebih baik``

   Only a whole part counts, so a remark such as "dilaksanakan akhir tahun" or "turun
   lapangan" changes nothing. A level override keeps the direction the wording gives
   (``akhir`` on "Angka kemiskinan" stays lower-is-better).
2. **Unit** (``satuan``): ``%``/``persen`` and level units (skor, nilai, indeks, poin,
   predikat, rasio, angka, peringkat, ...) -> level; known count units -> additive.
3. **Indicator wording**: ``Jumlah``/``Banyaknya``... -> additive; ``Persentase``,
   ``Indeks``, ``Skor``, ``Nilai``, ``Rata-rata``, ``Tingkat``, ``Rasio``, ``Angka``,
   ``Cakupan``, ``Prevalensi``... -> level.
4. Otherwise a kegiatan with a unit is additive (its unit is a count noun such as ``UEM``);
   a sasaran/program (no unit) is taken as level but *unsure*: rules then only report
   what is wrong under both readings.

Lower-is-better is recognised for level indicators naming a bad thing (kemiskinan,
kematian, pengangguran, stunting, ...), unless the wording measures its reduction
(``penurunan``, ``berkurangnya``, ``penanganan`` ...), which is higher-is-better.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass

__all__ = ["Kind", "KindGuess", "guess_kind", "is_percent", "ket_override"]


class Kind(enum.Enum):
    ADDITIVE = "additive"
    LEVEL = "level"
    LEVEL_LOWER = "level-lower"

    @property
    def is_level(self) -> bool:
        return self is not Kind.ADDITIVE


@dataclass(frozen=True)
class KindGuess:
    kind: Kind
    # False when nothing in the row told the kind: rules must not rely on it alone.
    sure: bool
    # What decided: "ket", "satuan", "indikator" or "bawaan" (default).
    source: str


KET_WORDS: dict[str, Kind] = {
    **dict.fromkeys(("kumulatif", "penjumlahan", "dijumlah"), Kind.ADDITIVE),
    **dict.fromkeys(
        (
            "akhir",
            "posisi",
            "posisi akhir",
            "nilai akhir",
            "level",
            "non kumulatif",
            "non-kumulatif",
            "nonkumulatif",
            "tidak kumulatif",
        ),
        Kind.LEVEL,
    ),
    **dict.fromkeys(
        (
            "turun",
            "menurun",
            "makin kecil makin baik",
            "semakin kecil semakin baik",
            "lebih rendah lebih baik",
        ),
        Kind.LEVEL_LOWER,
    ),
}

LEVEL_UNITS = frozenset(
    (
        "%",
        "persen",
        "persentase",
        "prosentase",
        "skor",
        "nilai",
        "indeks",
        "index",
        "poin",
        "point",
        "predikat",
        "rasio",
        "angka",
        "peringkat",
        "ranking",
        "level",
        "kategori",
        "opini",
        "ipm",
        "permil",
        "promil",
    )
)
COUNT_UNITS = frozenset(
    (
        "orang",
        "desa",
        "dokumen",
        "kali",
        "buah",
        "kelompok",
        "kegiatan",
        "laporan",
        "paket",
        "unit",
        "kecamatan",
        "kelurahan",
        "lembaga",
        "jiwa",
        "kk",
        "keluarga",
        "rumah",
        "bulan",
        "hari",
        "tahun",
        "lokasi",
        "titik",
        "set",
        "eksemplar",
        "exemplar",
        "berkas",
        "naskah",
        "kasus",
        "peserta",
        "sekolah",
        "ha",
        "hektar",
        "km",
        "meter",
        "m",
        "m2",
        "m3",
        "ton",
        "kg",
        "liter",
        "rp",
        "rupiah",
        "bumdes",
        "bumdesa",
        "posyandu",
        "kader",
        "pasar",
        "usaha",
        "ukm",
        "umkm",
        "koperasi",
        "perda",
        "perbup",
        "sk",
        "surat",
        "aplikasi",
        "sistem",
        "ruas",
        "jembatan",
    )
)
COUNT_WORDS = frozenset(("jumlah", "banyaknya", "total", "terbentuknya"))
LEVEL_WORDS = frozenset(
    (
        "persentase",
        "presentase",
        "prosentase",
        "indeks",
        "index",
        "skor",
        "nilai",
        "rata-rata",
        "ratarata",
        "rasio",
        "tingkat",
        "angka",
        "predikat",
        "opini",
        "cakupan",
        "proporsi",
        "prevalensi",
        "laju",
        "pertumbuhan",
        "capaian",
        "peringkat",
        "level",
        "kategori",
    )
)
_LOWER_BAD = (
    "kemiskinan",
    "miskin",
    "kematian",
    "pengangguran",
    "stunting",
    "gizi buruk",
    "putus sekolah",
    "buta aksara",
    "buta huruf",
    "gini",
    "inflasi",
    "kumuh",
    "kriminalitas",
    "kecelakaan",
    "kesakitan",
    "peringkat",
    "ranking",
    "aki",
    "akb",
)
_LOWER_NEGATED = (
    "penurunan",
    "menurunnya",
    "turunnya",
    "berkurangnya",
    "pengurangan",
    "penanganan",
    "penanggulangan",
    "tertangani",
    "terentaskan",
    "pengentasan",
)

_LOWER_NEGATED_SET = frozenset(_LOWER_NEGATED)
# One word is looked up among the indicator's words; a phrase is searched in its text.
_LOWER_BAD_WORDS = frozenset(bad for bad in _LOWER_BAD if " " not in bad)
_LOWER_BAD_PHRASES = tuple(bad for bad in _LOWER_BAD if " " in bad)

_SPLIT = re.compile(r"[;,/|\n\r\v\f\u2028]+")
_PREFIX = re.compile(r"^(jenis|sifat|indikator|target)\s*:\s*")
_WORD = re.compile(r"[a-z0-9%]+(?:-[a-z0-9]+)*")


def _norm(text: str | None) -> str:
    return " ".join(str(text or "").lower().split())


def ket_override(ket: str | None) -> Kind | None:
    """The kind named by a whole part of KET (see module docstring), else None."""
    if not ket or not str(ket).strip():
        return None  # most rows: nothing to split (the loop below would find nothing)
    found: Kind | None = None
    # Split before ``_norm``, which would join the lines into one part.
    for part in map(_norm, _SPLIT.split(str(ket))):
        word = _PREFIX.sub("", part.strip().strip("()[]").rstrip(".").strip())
        kind = KET_WORDS.get(word)
        if kind is None:
            continue
        # "turun" together with "akhir" means a lower-is-better level: keep the most specific.
        if found is None or kind is Kind.LEVEL_LOWER:
            found = kind
    return found


def _words(text: str | None) -> list[str]:
    return _WORD.findall(_norm(text))


def _lower_is_better(indikator: str | None) -> bool:
    found = _words(indikator)
    words, text = set(found), " ".join(found)
    if not _LOWER_NEGATED_SET.isdisjoint(words):
        return False
    return not _LOWER_BAD_WORDS.isdisjoint(words) or any(bad in text for bad in _LOWER_BAD_PHRASES)


@functools.lru_cache(maxsize=4096)
def is_percent(satuan: str | None, indikator: str | None) -> bool:
    """A percentage: by its unit, or (no unit given) by its wording. Cached as
    ``guess_kind`` is: asked for every row, and units and wordings repeat."""
    unit = _norm(satuan)
    if unit:
        return "%" in unit or "persen" in unit
    words = _words(indikator)
    return "%" in _norm(indikator) or bool(
        words and words[0] in LEVEL_WORDS and "sentase" in words[0]
    )


@functools.lru_cache(maxsize=4096)
def guess_kind(satuan: str | None, indikator: str | None, ket: str | None = None) -> KindGuess:
    """The indicator kind of one row (module docstring: the order of evidence).

    Cached: a pure function of three texts that every target rule asks again for each
    row, and large sheets repeat the same unit and wording many times.
    """
    override = ket_override(ket)
    level = Kind.LEVEL_LOWER if _lower_is_better(indikator) else Kind.LEVEL
    if override is not None:
        # "akhir" says level; whether lower is better still comes from the wording.
        return KindGuess(level if override is Kind.LEVEL else override, True, "ket")
    unit = _norm(satuan)
    unit_words = _words(satuan)
    if unit:
        if "%" in unit or (unit_words and unit_words[0] in LEVEL_UNITS):
            return KindGuess(level, True, "satuan")
        if unit_words and unit_words[0] in COUNT_UNITS:
            return KindGuess(Kind.ADDITIVE, True, "satuan")
    words = _words(indikator)
    if words and words[0] in COUNT_WORDS:
        return KindGuess(Kind.ADDITIVE, True, "indikator")
    if words and (words[0] in LEVEL_WORDS or " ".join(words[:2]) == "rata rata"):
        return KindGuess(level, True, "indikator")
    if unit:
        return KindGuess(Kind.ADDITIVE, True, "satuan")
    return KindGuess(level, False, "bawaan")
