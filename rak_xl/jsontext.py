"""Indented JSON text, byte for byte what ``json.dumps(obj, ensure_ascii=False, indent=2,
allow_nan=False)`` writes, at the speed of json's own C encoder.

Why not ``json.dumps`` itself: given ``indent``, the standard library leaves its C encoder
(which ignores indentation) for its pure-Python one, about half of ``rak-xl export`` at
3,000 kegiatan. Here every list or dict whose items are all scalars (the RAK's leaves: the
months and targets of each kegiatan) is written by the C encoder in one call, its item
separator carrying the newline and indentation of its depth (a JSON text holds no raw
newline: in strings it is escaped); only the containers above the leaves are walked
here. Anything unusual (a key that is not a ``str``, a subclass of a JSON type, no C
encoder) is left to ``json.dumps`` itself. ``tests/test_jsontext.py`` compares the two.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import repeat
from typing import Any

_make_encoder: Any
try:
    from _json import encode_basestring as _encode_str
    from _json import make_encoder as _make_encoder
except ImportError:  # pragma: no cover  (CPython has it)
    _make_encoder = None

__all__ = ["dumps"]

_SCALAR = frozenset({str, int, float, bool, type(None)})
_STR = frozenset({str})
_STEP = "  "  # indent=2


def dumps(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False)``, faster."""
    if _make_encoder is None:  # pragma: no cover
        return _slow(obj)
    out: list[str] = []
    _put(obj, 0, out)
    return "".join(out)


def _slow(obj: Any, depth: int = 0) -> str:
    import json  # only for the unusual (module doc)

    text = json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False)
    return text.replace("\n", "\n" + _STEP * depth) if depth else text


@lru_cache(maxsize=64)
def _flat(depth: int) -> Callable[[Any, int], list[str]]:
    """The C encoder for a container of scalars at ``depth``: items apart by a comma,
    a newline and the indentation of the items."""
    assert _make_encoder is not None
    return _make_encoder(  # type: ignore[no-any-return]
        None, _no_default, _encode_str, None, ": ", ",\n" + _STEP * (depth + 1), False, False,
        False,
    )  # fmt: skip


def _no_default(o: Any) -> Any:
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _put(o: Any, depth: int, out: list[str]) -> None:
    t = type(o)
    if t is not dict and t is not list:
        out.append("".join(_flat(depth)(o, 0)) if t in _SCALAR else _slow(o, depth))
        return
    if not o:
        out.append("{}" if t is dict else "[]")
        return
    if t is dict and not _STR.issuperset(map(type, o)):
        out.append(_slow(o, depth))  # keys that json.dumps turns into text
        return
    inner = "\n" + _STEP * (depth + 1)
    close = "\n" + _STEP * depth + ("}" if t is dict else "]")
    if _SCALAR.issuperset(map(type, o.values() if t is dict else o)):
        text = "".join(_flat(depth)(o, 0))  # "[a,\n    b]": the brackets need the newlines
        out.append(text[0] + inner + text[1:-1] + close)
        return
    out.append("{" if t is dict else "[")
    keys = _keys(depth + 1)  # "," newline, indentation, key, colon: every kegiatan has the same
    first = len(out)
    for k, v in o.items() if t is dict else zip(repeat(None), o):
        if k is None:
            out.append("," + inner)
        else:
            out.append(keys.get(k) or _key(keys, k, inner))
        if type(v) is str:
            out.append(_encode_str(v))
        elif v is None:
            out.append("null")
        else:
            _put(v, depth + 1, out)
    out[first] = out[first][1:]  # no comma before the first item
    out.append(close)


@lru_cache(maxsize=64)
def _keys(depth: int) -> dict[str, str]:
    """What comes before a value at ``depth``, by key (filled by ``_key``)."""
    return {}


def _key(keys: dict[str, str], k: str, inner: str) -> str:
    keys[k] = text = f",{inner}{_encode_str(k)}: "
    return text
