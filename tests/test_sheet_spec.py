"""The official sheet's vocabulary (``rak_xl.sheet_spec``): one definition, pinned here."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rak_xl.numbers import parse_targets
from rak_xl.sheet_spec import (
    BEYOND,
    COL,
    COMPUTED_COLS,
    FIRST_STRAY_COL,
    KAS_COLS,
    LAST_OFFICIAL_COL,
    OFFICIAL_KAS_COLS,
    OFFICIAL_SPAN,
    LogicalCol,
    caps_if_lossless,
    quarter_index,
    title_case,
)


def test_logical_columns_are_the_numbering_row() -> None:
    assert [int(n) for n in LogicalCol] == list(range(1, 24))
    assert tuple(LogicalCol(n) for n in range(11, 23)) == KAS_COLS
    assert BEYOND == 24


def test_the_official_physical_columns() -> None:
    """What Susun Ulang writes (and the template holds): changing it changes every
    regenerated sheet, so it is spelled out."""
    assert dict(COL) == {
        "s.uraian": 1, "s.indikator": 2, "s.target_tahunan": 3, "s.target_tw": 4,
        "p.uraian": 5, "p.indikator": 6, "p.target_tw": 7, "p.anggaran": 8,
        "k.uraian": 9, "k.indikator": 10, "k.volume": 11, "k.satuan": 12,
        "k.target_tw": 13, "k.kas.0": 14, "k.ket": 26,
    }  # fmt: skip
    assert tuple(range(14, 26)) == OFFICIAL_KAS_COLS
    assert dict(COMPUTED_COLS) == {"setahun": 27, "kas_tw": 28, "anggaran": 29, "selisih": 30}
    assert (LAST_OFFICIAL_COL, FIRST_STRAY_COL) == (26, 31)
    # Every physical column of the official table belongs to exactly one logical column.
    spans = [c for c1, c2 in OFFICIAL_SPAN.values() for c in range(c1, c2 + 1)]
    assert spans == list(range(1, LAST_OFFICIAL_COL + 1))


def test_quarter_names() -> None:
    for q, names in enumerate([("1", "i", "I"), ("2", "ii", "II", "Ii"), ("3", "iii", "III"),
                               ("4", "iv", "IV", "iV")]):  # fmt: skip
        assert all(quarter_index(n) == q for n in names)
    assert quarter_index("5") is None and quarter_index("v") is None


def test_a_turkish_i_reads_as_i() -> None:
    """A case-insensitive regex takes the dotless and dotted I for "i": such a label is
    read as TW 1 (it stopped the reader with a KeyError before)."""
    assert parse_targets("TW \u0131 = 5").tw == [5, None, None, None]
    assert parse_targets("TW \u0130V = 7").tw == [None, None, None, 7]


def test_title_case_keeps_particles_small() -> None:
    assert title_case("DINAS PEMBERDAYAAN MASYARAKAT DAN DESA") == (
        "Dinas Pemberdayaan Masyarakat dan Desa"
    )
    assert title_case("Dinas PMD") == "Dinas PMD"  # not all capitals: as it is


@given(st.text(alphabet="abcdeDANIKE -", max_size=30))
def test_caps_only_when_the_reader_gives_the_text_back(text: str) -> None:
    caps = caps_if_lossless(text)
    assert caps == text or (caps == text.upper() and title_case(caps) == text)
