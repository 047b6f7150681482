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
    first = {key: col for key, col in COL.items() if "." not in key[2:] or key.endswith(".0")}
    assert first == {
        "s.uraian": 2, "s.indikator": 3, "s.target_tahunan": 4, "s.tw.0": 5, "s.target_tw": 5,
        "p.uraian": 10, "p.indikator": 11, "p.tw.0": 12, "p.target_tw": 12, "p.anggaran": 17,
        "k.uraian": 18, "k.indikator": 19, "k.volume": 20, "k.satuan": 21, "k.tw.0": 22,
        "k.target_tw": 22, "k.kas.0": 27, "setahun": 39, "k.ket": 40,
        "s.target_text": 9, "p.target_text": 16, "k.target_text": 26,
    }  # fmt: skip
    assert tuple(range(27, 39)) == OFFICIAL_KAS_COLS
    assert dict(COMPUTED_COLS) == {
        "setahun": 39, "kas_tw.0": 41, "kas_tw.1": 42, "kas_tw.2": 43, "kas_tw.3": 44,
        "anggaran": 45, "selisih": 46,
    }  # fmt: skip
    assert (LAST_OFFICIAL_COL, FIRST_STRAY_COL) == (40, 47)
    # Every physical column of the official table belongs to exactly one logical column.
    # Column A (row numbers) lies left of the table.
    spans = [c for c1, c2 in OFFICIAL_SPAN.values() for c in range(c1, c2 + 1)]
    assert spans == list(range(2, LAST_OFFICIAL_COL + 1))


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
