"""Property tests for rak_xl.numbers: the parsers never raise on any text, and numbers
and target texts written the Indonesian or the English way read back equal."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rak_xl.numbers import (
    detect_convention,
    parse_number,
    parse_targets,
    split_volume,
    to_number,
)

CONVENTIONS = st.sampled_from(["id", "en"])
# Text that looks like what agencies type: digits, separators, Rp, TW labels, dashes...
ALPHABET = st.sampled_from([*"0123456789.,-–— =:%()+RrpPTWtwIVivahunanq\n\t\u00a0", "Rp"])
NUMBERISH = st.lists(ALPHABET, max_size=40).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=200), NUMBERISH)
# A decorator, not a global profile: other test modules keep their own settings.
props = settings(deadline=None, max_examples=300)


def _id(n: int) -> str:
    """1478960200 -> '1.478.960.200'."""
    return f"{n:,}".replace(",", ".")


def _en(n: int) -> str:
    return f"{n:,}"


@pytest.mark.slow  # fuzzing for robustness
@props
@given(ANY_TEXT, CONVENTIONS)
def test_parse_number_never_raises(text: str, convention: str) -> None:
    value = parse_number(text, convention)  # type: ignore[arg-type]
    assert value is None or (isinstance(value, int | float) and not isinstance(value, bool))


@props
@given(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        ANY_TEXT,
    ),
    CONVENTIONS,
)
def test_to_number_never_raises(value: object, convention: str) -> None:
    got = to_number(value, convention)  # type: ignore[arg-type]
    assert got is None or math.isfinite(got)


@pytest.mark.slow  # fuzzing for robustness
@props
@given(ANY_TEXT, CONVENTIONS)
def test_parse_targets_never_raises(text: str, convention: str) -> None:
    t = parse_targets(text, convention)  # type: ignore[arg-type]
    assert len(t.tw) == 4


@pytest.mark.slow  # fuzzing for robustness
@props
@given(ANY_TEXT, CONVENTIONS)
def test_split_volume_never_raises(text: str, convention: str) -> None:
    _num, unit = split_volume(text, convention)  # type: ignore[arg-type]
    assert unit is None or unit == unit.strip()


@pytest.mark.slow  # fuzzing for robustness
@props
@given(st.lists(ANY_TEXT, max_size=20))
def test_detect_convention_never_raises(texts: list[str]) -> None:
    assert detect_convention(texts) in ("id", "en")


@props
@given(st.integers(min_value=-(10**15), max_value=10**15), CONVENTIONS)
def test_int_round_trip(n: int, convention: str) -> None:
    """An integer written with thousands separators either way parses back equal, in
    either workbook convention, with or without ``Rp``."""
    for text in (_id(n), _en(n), f"Rp {_id(n)}", f"Rp{_en(n)}", str(n)):
        assert parse_number(text, convention) == n, text  # type: ignore[arg-type]


@props
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=99))
def test_decimal_round_trip(whole: int, cents: int) -> None:
    want = whole + cents / 100
    id_text = f"{_id(whole)},{cents:02d}"
    en_text = f"{_en(whole)}.{cents:02d}"
    for convention in ("id", "en"):
        got_id = parse_number(id_text, convention)  # type: ignore[arg-type]
        got_en = parse_number(en_text, convention)  # type: ignore[arg-type]
        assert got_id is not None and math.isclose(got_id, want, rel_tol=1e-12)
        assert got_en is not None and math.isclose(got_en, want, rel_tol=1e-12)


QUARTER = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9))


@props
@given(st.lists(QUARTER, min_size=4, max_size=4), st.sampled_from(["id", "en"]))
def test_targets_round_trip(tw: list[int | None], style: str) -> None:
    fmt = _id if style == "id" else _en
    text = " ".join(f"TW {i + 1} = {'-' if v is None else fmt(v)}" for i, v in enumerate(tw))
    got = parse_targets(text, style)  # type: ignore[arg-type]
    assert got.ok and got.tw == tw


@props
@given(
    st.lists(QUARTER, min_size=4, max_size=4),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**13),
)
def test_targets_with_tahunan_and_budget_round_trip(
    tw: list[int | None], tahunan: int, budget: int
) -> None:
    quarters = "\n".join(f"TW {i + 1} = {'-' if v is None else v}" for i, v in enumerate(tw))
    text = f"Tahunan = {tahunan} Progres {quarters} Rp {_en(budget)}"
    got = parse_targets(text, "en")
    assert got.ok and got.tw == tw and got.tahunan == tahunan and got.anggaran == budget


@props
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["Orang", "Kelembagaan desa"]))
def test_split_volume_round_trip(n: int, unit: str) -> None:
    assert split_volume(f"{_id(n)} {unit}") == (n, unit)


# Texts near the plain "TW 1 = 5 TW 2 = -" form that ``parse_targets`` reads by one
# match: labels, values, separators, and what must send a text to the general parser
# (decimals, %, words, a label glued to a digit).
_LABEL_WORD = st.sampled_from(["TW", "tw", "Triwulan", "TRIWULAN", "trw", "Tri wulan", "Q", "TW."])
_LABEL_ID = st.sampled_from(["1", "2", "3", "4", "I", "II", "III", "IV", "iv", "\u0131", "5", "12"])
_VALUE = st.sampled_from(["-", "5", "0", "12", "007", "1.416", "5,5", "5%", "–", "", "x", "9" * 41])
_SEP = st.sampled_from([" ", "\n", "; ", ", ", "", "\t", " = ", ":"])
_ITEM = st.tuples(_LABEL_WORD, st.sampled_from(["", " "]), _LABEL_ID, _SEP, _VALUE, _SEP).map(
    "".join
)


@settings(deadline=None, max_examples=100)
@given(st.lists(_ITEM, min_size=1, max_size=5).map("".join), CONVENTIONS)
def test_plain_target_text_reads_as_the_general_parser_reads_it(text: str, conv: str) -> None:
    from rak_xl.numbers import parse_targets_general

    assert parse_targets(text, conv) == parse_targets_general(text, conv)  # type: ignore[arg-type]


# The usual spelling (``TW 1 = 5 TW 2 = - TW 3 = 5 TW 4 = 10``), read by one match of its
# own, and texts one step from it (another space, case, order, a value it must not take).
_USUAL_VALUE = st.sampled_from(["-", "0", "5", "007", "9" * 40, "9" * 41, "1.416", "5,5", "5%"])


@settings(deadline=None, max_examples=100)
@given(
    st.lists(_USUAL_VALUE, min_size=4, max_size=4),
    st.sampled_from(["TW {q} = {v}", "TW {q} =  {v}", "tw {q} = {v}", "TW {q}= {v}"]),
    st.sampled_from([" ", "  ", "\n"]),
    st.booleans(),
    CONVENTIONS,
)
def test_usual_target_spelling_reads_as_the_general_parser_reads_it(
    values: list[str], item: str, sep: str, reverse: bool, conv: str
) -> None:
    from rak_xl.numbers import parse_targets_general

    quarters = [(q, v) for q, v in zip(range(1, 5), values, strict=True)]
    text = sep.join(item.format(q=q, v=v) for q, v in (quarters[::-1] if reverse else quarters))
    assert parse_targets(text, conv) == parse_targets_general(text, conv)  # type: ignore[arg-type]


@settings(deadline=None, max_examples=100)
@given(st.lists(NUMBERISH, max_size=8), st.lists(NUMBERISH, max_size=8))
def test_only_texts_with_a_separator_between_digits_vote(votes: list[str], more: list[str]) -> None:
    """``detect_convention`` passes over texts without ``1.2``/``1,2`` (spaces allowed
    around the separator) at once: adding such texts never changes its answer."""
    import re

    voter = re.compile(r"\d *[.,] *\d")
    silent = [t for t in more if voter.search(t) is None]
    assert detect_convention(votes + silent) == detect_convention(votes)


@props
@given(
    st.one_of(st.integers(-(10**15), 10**15), st.floats(allow_nan=True, allow_infinity=True)),
    st.one_of(st.integers(-(10**15), 10**15), st.floats(allow_nan=True, allow_infinity=True)),
    st.sampled_from([0.0, 0.5, 1000.0]),
)
def test_same_amount_is_told_as_by_its_difference(a: float, b: float, tolerance: float) -> None:
    """``rules.base.same`` tells equal amounts at once: as the difference would tell them
    (an infinity, or NaN, is never the same as anything)."""
    from rak_xl.rules.base import same

    by_difference = abs(a - b) <= max(tolerance, 1e-9 * max(abs(a), abs(b), 1.0))
    assert same(a, b, tolerance) is by_difference
