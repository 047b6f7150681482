"""Terbilang (amount in words) and Rupiah formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rak_xl.terbilang import rupiah, terbilang, terbilang_rupiah

TABLE = [
    (0, "nol"),
    (1, "satu"),
    (10, "sepuluh"),
    (11, "sebelas"),
    (12, "dua belas"),
    (19, "sembilan belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (100, "seratus"),
    (101, "seratus satu"),
    (110, "seratus sepuluh"),
    (111, "seratus sebelas"),
    (999, "sembilan ratus sembilan puluh sembilan"),
    (1000, "seribu"),
    (1001, "seribu satu"),
    (1100, "seribu seratus"),
    (2000, "dua ribu"),
    (11_000, "sebelas ribu"),
    (100_000, "seratus ribu"),
    (1_000_000, "satu juta"),
    (1_001_000, "satu juta seribu"),
    (1_000_000_000, "satu miliar"),
    (
        2_147_483_648,
        "dua miliar seratus empat puluh tujuh juta empat ratus delapan puluh tiga ribu "
        "enam ratus empat puluh delapan",
    ),
    (
        2_656_885_200,
        "dua miliar enam ratus lima puluh enam juta delapan ratus delapan puluh lima ribu "
        "dua ratus",
    ),
    (10**12, "satu triliun"),
    (1_000_001_000_000, "satu triliun satu juta"),
    (10**15, "satu kuadriliun"),
    (10**36, "seribu desiliun"),
    (-5, "minus lima"),
    (-1_001_000, "minus satu juta seribu"),
    (2.5, "dua koma lima"),
    (0.1, "nol koma satu"),
    (-0.05, "minus nol koma nol lima"),
    (1234.56, "seribu dua ratus tiga puluh empat koma lima enam"),
    (Decimal("7.50"), "tujuh koma lima"),
    (3.0, "tiga"),
    (-0.0, "nol"),
]


@pytest.mark.parametrize(("amount", "words"), TABLE)
def test_table(amount: int | float | Decimal, words: str) -> None:
    assert terbilang(amount) == words


def test_rupiah_suffix() -> None:
    assert terbilang(1500, rupiah=True) == "seribu lima ratus rupiah"
    assert terbilang_rupiah(1_001_000) == "satu juta seribu rupiah"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN")])
def test_not_finite(bad: float | Decimal) -> None:
    with pytest.raises(ValueError):
        terbilang(bad)


@pytest.mark.parametrize("bad", ["12", None, True])
def test_not_a_number(bad: object) -> None:
    with pytest.raises(TypeError):
        terbilang(bad)  # type: ignore[arg-type]  # the point: wrong types are refused


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (2_656_885_200, "Rp2.656.885.200"),
        (0, "Rp0"),
        (-1500, "-Rp1.500"),
        (1234.5, "Rp1.234,5"),
        (10**15, "Rp1.000.000.000.000.000"),
    ],
)
def test_rupiah(amount: int | float, text: str) -> None:
    assert rupiah(amount) == text


BIG = st.integers(min_value=-(10**40), max_value=10**40)


@given(BIG)
def test_never_raises_on_big_ints(n: int) -> None:
    words = terbilang(n)
    assert words
    assert words.startswith("minus ") == (n < 0)
    assert "  " not in words
    # A thousands group of exactly one is "seribu", never "satu ribu" ("... puluh satu
    # ribu" is a group of 21 etc. and fine).
    tokens = words.split()
    for i, token in enumerate(tokens[1:], start=1):
        if token == "ribu" and tokens[i - 1] == "satu":
            assert i >= 2 and tokens[i - 2] in {"puluh", "ratus", "seratus"}


@settings(max_examples=200)
@given(st.lists(BIG, min_size=2, max_size=30, unique=True))
def test_different_numbers_different_words(numbers: list[int]) -> None:
    assert len({terbilang(n) for n in numbers}) == len(numbers)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_never_raises_on_finite_floats(x: float) -> None:
    assert terbilang(x)
