"""``rak_xl.jsontext.dumps`` writes exactly what ``json.dumps(..., ensure_ascii=False,
indent=2, allow_nan=False)`` writes, and refuses what it refuses."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rak_xl.api import load
from rak_xl.console import write_json
from rak_xl.jsontext import dumps

FIXTURES = Path(__file__).parent / "fixtures"


def reference(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),  # control characters, quotes, backslashes, line separators, astral planes
)
keys = st.one_of(
    st.text(max_size=5),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=5), inner, max_size=5),
        st.dictionaries(keys, inner, max_size=3),
    ),
    max_leaves=40,
)


@pytest.mark.slow  # 400 examples, 1.4 s: the full suite runs it
@settings(max_examples=400, deadline=None)
@given(json_like)
def test_same_text_as_json_dumps(obj: Any) -> None:
    assert dumps(obj) == reference(obj)


@pytest.mark.parametrize(
    "obj", [math.nan, [1.0, math.inf], {"a": [-math.inf]}, {"a": {1, 2}}, [[object()]]]
)
def test_refuses_what_json_dumps_refuses(obj: Any) -> None:
    with pytest.raises((ValueError, TypeError)) as theirs:
        reference(obj)
    with pytest.raises(theirs.type):
        dumps(obj)


@pytest.mark.parametrize("name", ["seed_banjar_2020.xlsx", "variant_text_id.xlsx"])
def test_same_export_of_a_workbook(name: str) -> None:
    model = load(FIXTURES / name).to_json()
    assert dumps(model) == reference(model)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('{"a": "x\x7fy"}', '{"a": "x\\u007fy"}'),  # ASCII text holding DEL
        ('{"a": "x\x9by\u202e"}', '{"a": "x\\u009by\\u202e"}'),
        ('{"a": "plain"}', '{"a": "plain"}'),
    ],
)
def test_json_output_escapes_unsafe_characters(
    text: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_json(text)
    assert capsys.readouterr().out == shown
