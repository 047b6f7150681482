"""Numbers and target texts as agencies type them (pure, no I/O).

Money arrives as numbers or as text in either convention: ``Rp 2,656,885,200`` (English
separators), ``1.478.960.200`` (Indonesian), ``33,692,500``. Targets arrive as
``TW 1 = 355``, ``TW 1 = - TW 2 = - TW 3 = - TW 4 = 180 Rp 1,167,508,000``,
``Tahunan = 431 Progres TW 1 = - ...``, ``TW I``, ``Triwulan I``.

Convention rule: a group separator is always followed by exactly three digits, so
``1,478,960,200`` and ``1.478.960.200`` are unambiguous, ``71.78`` and ``1,5`` are decimals.
Only a single separator followed by three digits (``1.416``) is ambiguous: it is read as
thousands unless the workbook's convention (``detect_convention``) says that separator is
the decimal mark and the integer part is ``0`` — Rupiah amounts and counts have no
three-decimal values in practice.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from rak_xl.sheet_spec import QUARTER_ID, QUARTER_INDEX, QUARTER_WORD

__all__ = [
    "MAX_AMOUNT",
    "Convention",
    "Targets",
    "detect_convention",
    "in_range",
    "is_dash",
    "normalize",
    "number_text",
    "parse_number",
    "parse_targets",
    "split_volume",
    "strip_list_number",
    "to_number",
]

Number = int | float
Convention = Literal["id", "en"]

_DASHES = {"-", "–", "—", "--", "- -"}
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*$")
# Compiled once: parse_number runs for every text cell of a sheet.
_DIGITS = re.compile(r"[0-9][0-9.,]*")
_VOTER = re.compile(r"[0-9] *[.,] *[0-9]")  # what every vote of ``detect_convention`` holds


# Excel keeps 15 significant digits, so a larger amount cannot be exact, and no RAK comes
# near it (a province's whole budget is about 10**13 Rupiah). A cell beyond it, NaN or
# infinite is unreadable (``number.not-a-number``); below it every sum stays finite
# (1e308 + 1e308 would overflow).
MAX_AMOUNT = 10**15


def in_range(x: float | int) -> bool:
    """A usable amount: finite and within ``MAX_AMOUNT`` (NaN fails both comparisons)."""
    return -MAX_AMOUNT <= x <= MAX_AMOUNT


def number_text(x: float | int) -> str:
    """An out-of-range number as a user reads it: ``NaN``, ``tak hingga``, ``1e+308``."""
    if isinstance(x, float):
        if math.isnan(x):
            return "NaN"
        if math.isinf(x):
            return "-tak hingga" if x < 0 else "tak hingga"
        return f"{x:.6g}"
    return str(x)


def is_dash(text: str) -> bool:
    """``-`` (and en/em dashes): Excel's accounting zero and the sheet's "nothing"."""
    return text.strip() in _DASHES


def normalize(x: float | int) -> Number:
    """5.0 -> 5; keeps true fractions; rounds float noise (0.1+0.2) to 9 decimals."""
    if isinstance(x, bool):
        raise TypeError("bool is not a number here")
    if isinstance(x, int):
        return x
    if not math.isfinite(x):
        return x
    if x.is_integer():
        return int(x)
    return round(x, 9)


def detect_convention(texts: Iterable[str]) -> Convention:
    """Decide per workbook whether text numbers use ``.`` (id) or ``,`` (en) for thousands."""
    votes = {"id": 0, "en": 0}
    # Only a text with a separator between digits can vote (most are units such as
    # "Orang", or "140 Orang"): told by one search, before the per-text work below.
    for raw in filter(_VOTER.search, texts):
        t = _CURRENCY.sub("", raw.strip()).replace(" ", "")
        if not _NUMBER.match(t):
            continue
        if re.fullmatch(r"[+-]?[0-9]{1,3}(\.[0-9]{3}){2,}(,[0-9]+)?", t) or re.fullmatch(
            r"[+-]?[0-9]{1,3}(\.[0-9]{3})+,[0-9]+", t
        ):
            votes["id"] += 1
        elif re.fullmatch(r"[+-]?[0-9]{1,3}(,[0-9]{3}){2,}(\.[0-9]+)?", t) or re.fullmatch(
            r"[+-]?[0-9]{1,3}(,[0-9]{3})+\.[0-9]+", t
        ):
            votes["en"] += 1
        elif re.fullmatch(r"[+-]?[0-9]+,[0-9]{1,2}", t):
            votes["id"] += 1
        elif re.fullmatch(r"[+-]?[0-9]+\.[0-9]{1,2}", t):
            votes["en"] += 1
    return "en" if votes["en"] > votes["id"] else "id"


def parse_number(text: str, convention: Convention = "id") -> Number | None:
    """Text -> number, or None when the text is not a number.

    Accepts an ``Rp``/``IDR`` prefix, spaces, ``(1.000)`` and ``-1.000`` negatives and a
    trailing ``%`` (the value stays in percent: ``70%`` -> 70). A dash is *not* a number
    here; callers decide what a dash means.
    """
    t = text.strip().replace("\u00a0", " ")
    if not t or len(t) > 40:
        return None
    # Told at once (most texts a sheet holds are words, or plain digits): a number starts
    # with a digit, a sign, "(" or Rp/IDR.
    if t.isdecimal() and t.isascii():
        return int(t)
    if t[0] not in "0123456789(-+RrIi":  # ASCII digits only, as --dpa (rak_xl.dpa)
        return None
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1].strip()
    t = _CURRENCY.sub("", t)
    if t.endswith("%"):
        t = t[:-1].strip()
    t = t.replace(" ", "")
    if t.startswith("-"):
        negative, t = not negative, t[1:]
    elif t.startswith("+"):
        t = t[1:]
    t = _CURRENCY.sub("", t)  # "-Rp 5" as well as "Rp -5"
    if t.startswith("-"):
        negative, t = not negative, t[1:]
    if not t or not _DIGITS.fullmatch(t) or t[-1] in ".,":
        return None
    value = _digits_to_number(t, convention)
    if value is None:
        return None
    return normalize(-value if negative else value)


def _digits_to_number(t: str, convention: Convention) -> float | int | None:
    dots, commas = t.count("."), t.count(",")
    if dots and commas:
        # The later separator is the decimal mark; the other groups thousands.
        dec, grp = (",", ".") if t.rfind(",") > t.rfind(".") else (".", ",")
        whole, _, frac = t.rpartition(dec)
        if whole.count(dec) or not _grouped(whole, grp):
            return None
        return float(whole.replace(grp, "") + "." + frac)
    sep = "." if dots else "," if commas else ""
    if not sep:
        return int(t)
    parts = t.split(sep)
    if len(parts) > 2:
        return int(t.replace(sep, "")) if _grouped(t, sep) else None
    whole, frac = parts
    if len(frac) == 3 and not (whole == "0" and _decimal_mark(convention) == sep):
        return int(whole + frac)  # a thousands group
    return float(whole + "." + frac)


def _grouped(t: str, sep: str) -> bool:
    return re.fullmatch(rf"[0-9]{{1,3}}(\{sep}[0-9]{{3}})*", t) is not None


def _decimal_mark(convention: Convention) -> str:
    return "," if convention == "id" else "."


def to_number(value: object, convention: Convention = "id") -> Number | None:
    """A raw cell value -> number, or None (empty, dash, text that is no number, dates)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return normalize(value) if math.isfinite(value) else None
    if isinstance(value, str):
        if is_dash(value):
            return None
        return parse_number(value, convention)
    return None


# -- targets -----------------------------------------------------------------------------

_VALUE = r"(?P<val>-|–|—|[+-]?[0-9](?:[0-9.,]*[0-9])?\s*%?)?"
_LABEL = re.compile(
    r"(?P<label>"
    r"(?:target\s+)?tahunan|"
    rf"{QUARTER_WORD}\s*\.?\s*(?P<q>{QUARTER_ID})(?![a-z0-9])"
    r")\s*(?:[:=]\s*)?" + _VALUE,
    re.IGNORECASE,
)
_RP = re.compile(r"rp\.?\s*(?P<amt>[+-]?[0-9](?:[0-9.,]*[0-9])?)", re.IGNORECASE)
_FILLER = re.compile(r"\b(?:progres|progress|target|kumulatif)\b|[\s:=;,./()\-–—*]+", re.IGNORECASE)


@dataclass
class Targets:
    """What a target cell says. ``ok`` is False when some of the text could not be read."""

    tw: list[Number | None] = field(default_factory=lambda: [None] * 4)
    tahunan: Number | None = None
    anggaran: Number | None = None
    labelled: set[int] = field(default_factory=set)  # quarters named in the text (0-based)
    ok: bool = True
    found: bool = False  # any TW/Tahunan label or Rp amount found


# The form almost every target cell takes: labelled quarters, each with a dash or plain
# digits, between blanks, ``;`` or ``,`` (``TW 1 = - TW 2 = 5 TW 3 = - TW 4 = 12``). Such a
# text is told whole by one match at C speed and read without the general parser below,
# which handles everything else (Tahunan, Rp, separators, %, words). A value followed by a
# separator or % is left to the general parser: "5,5" is a decimal there.
_PLAIN_ITEM = (
    rf"{QUARTER_WORD}\s*\.?\s*({QUARTER_ID})(?![a-z0-9])"  # the label: TW 1, Triwulan IV
    r"\s*(?:[:=]\s*)?(-|[0-9]{1,40})(?![0-9.,%])"  # its value: a dash or plain digits
)
_PLAIN_TARGETS = re.compile(rf"[\s;,]*(?:{_PLAIN_ITEM}[\s;,]*)+", re.IGNORECASE)
_PLAIN_ITEMS = re.compile(_PLAIN_ITEM, re.IGNORECASE)


# The plain form in its usual spelling (``TW 1 = 5 TW 2 = - TW 3 = 5 TW 4 = 10``: all four
# quarters, in order, single spaces): read by one match, without searching for labels.
_WRITTEN_TARGETS = re.compile(
    " ".join(f"TW {q} = (-|[0-9]{{1,40}})" for q in range(1, 5))
)


def parse_targets(text: str, convention: Convention = "id") -> Targets:
    """Read ``TW 1 = 355 TW 2 = -`` style text (and ``Tahunan = ..``, ``Rp ..``)."""
    if (m := _WRITTEN_TARGETS.fullmatch(text)) is not None:
        return Targets(
            tw=[None if v == "-" else int(v) for v in m.groups()], labelled={0, 1, 2, 3}, found=True
        )
    if len(text) <= 2000 and _PLAIN_TARGETS.fullmatch(text) is not None:
        # The plain form: what the general parser gives for it, without its passes
        # (tests/test_numbers_props.py checks both ways read alike).
        tw: list[Number | None] = [None] * 4
        labelled = set()
        for q_text, value in _PLAIN_ITEMS.findall(text):
            q = QUARTER_INDEX[q_text]
            tw[q] = None if value == "-" else int(value)
            labelled.add(q)
        return Targets(tw=tw, labelled=labelled, found=True)
    return parse_targets_general(text, convention)


def parse_targets_general(text: str, convention: Convention = "id") -> Targets:
    """``parse_targets`` for any text (the plain form included)."""
    result = Targets()
    if len(text) > 2000:
        result.ok = False
        return result
    rest = text
    for m in _RP.finditer(text):
        amt = parse_number(m.group("amt"), convention)
        if amt is None:
            result.ok = False
        else:
            result.anggaran = amt
            result.found = True
    rest = _RP.sub(" ", rest)
    for m in _LABEL.finditer(rest):
        result.found = True
        raw_val = (m.group("val") or "").strip()
        value: Number | None
        if not raw_val or is_dash(raw_val):
            value = None
        else:
            value = parse_number(raw_val, convention)
            if value is None:
                result.ok = False
        q_text = m.group("q")
        if q_text is None:
            result.tahunan = value
        else:
            q = QUARTER_INDEX[q_text]
            result.tw[q] = value
            result.labelled.add(q)
    leftover = _FILLER.sub("", _LABEL.sub(" ", rest))
    if leftover:
        result.ok = False
    return result


# -- volume & satuan ---------------------------------------------------------------------

_VOL = re.compile(r"^\s*(?P<num>[+-]?[0-9][0-9.,]*)\s*(?P<unit>.*?)\s*$", re.DOTALL)


def split_volume(text: str, convention: Convention = "id") -> tuple[Number | None, str | None]:
    """``73 Kelembagaan desa`` -> (73, 'Kelembagaan desa'); ``Orang`` -> (None, 'Orang')."""
    t = " ".join(text.split())
    if not t or is_dash(t):
        return None, None
    m = _VOL.match(t)
    if m:
        num = parse_number(m.group("num"), convention)
        if num is not None:
            unit = m.group("unit").strip() or None
            return num, unit
    return None, t


_LIST_NUMBER = re.compile(r"^\s*[0-9]{1,2}[.)]\s+(?=\S)")


def strip_list_number(text: str) -> str:
    """``1. Skor evaluasi ...`` -> ``Skor evaluasi ...`` (a list number, not data)."""
    return _LIST_NUMBER.sub("", text, count=1)


def date_text(value: _dt.date | _dt.datetime | _dt.time | _dt.timedelta) -> str:
    """A date found where a number belongs, as the user would read it."""
    if isinstance(value, _dt.datetime):
        return (
            value.strftime("%d/%m/%Y %H:%M")
            if value.time() != _dt.time()
            else value.strftime("%d/%m/%Y")
        )
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
