"""Amounts in Indonesian words (*terbilang*) and Rupiah formatting.

Pure Python on arbitrary-precision integers: unlike the usual VBA terbilang macros, which
overflow above 2,147,483,647 (below a single program budget in the seed), any ``int``
works. Spelling follows the standard forms: ``sebelas``, ``dua belas``, ``seratus``,
``seribu`` (also for a thousands group of one inside a larger number:
1.001.000 = ``satu juta seribu``), ``miliar``, ``triliun``; ``minus`` for negatives and
``koma`` followed by the digits one by one for decimals.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

__all__ = ["rupiah", "terbilang", "terbilang_rupiah"]

Amount = int | float | Decimal

_DIGITS = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
)

# Scale words per power of 1000, from 10^3 up. Larger numbers repeat the last word
# (e.g. "seribu desiliun"), so no integer is out of range.
_SCALES = (
    "ribu",
    "juta",
    "miliar",
    "triliun",
    "kuadriliun",
    "kuintiliun",
    "sekstiliun",
    "septiliun",
    "oktiliun",
    "noniliun",
    "desiliun",
)
_TOP = 1000 ** len(_SCALES)


def _below_thousand(n: int) -> list[str]:
    """Words for 1..999 (empty for 0)."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_DIGITS[hundreds], "ratus"]
    if rest == 0:
        return words
    if rest < 10:
        words.append(_DIGITS[rest])
    elif rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif rest < 20:
        words += [_DIGITS[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_DIGITS[tens], "puluh"]
        if ones:
            words.append(_DIGITS[ones])
    return words


def _whole(n: int) -> list[str]:
    """Words for a non-negative integer, empty for 0."""
    if n >= _TOP:
        high, low = divmod(n, _TOP)
        return [*_whole(high), _SCALES[-1], *_whole(low)]
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for power in range(len(groups) - 1, -1, -1):
        group = groups[power]
        if group == 0:
            continue
        if power == 1 and group == 1:
            words.append("seribu")
            continue
        words += _below_thousand(group)
        if power:
            words.append(_SCALES[power - 1])
    return words


def _as_decimal(amount: Amount) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal):
        raise TypeError(f"terbilang butuh angka, bukan {type(amount).__name__}")
    if isinstance(amount, int):
        return Decimal(amount)
    if isinstance(amount, float) and not math.isfinite(amount):
        raise ValueError("terbilang: angka tidak terhingga atau bukan angka (NaN)")
    # str() gives the shortest repr of a float: 0.1 reads "nol koma satu", not its
    # binary expansion.
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:  # pragma: no cover - str(float) always parses
        raise ValueError(f"terbilang: {amount!r} bukan angka") from exc
    if not value.is_finite():
        raise ValueError("terbilang: angka tidak terhingga atau bukan angka (NaN)")
    return value


def terbilang(amount: Amount, *, rupiah: bool = False) -> str:
    """The amount in Indonesian words, lowercase.

    >>> terbilang(1_001_000)
    'satu juta seribu'
    >>> terbilang(-2.5)
    'minus dua koma lima'
    >>> terbilang(1500, rupiah=True)
    'seribu lima ratus rupiah'
    """
    if isinstance(amount, int) and not isinstance(amount, bool):
        negative, whole, fraction = amount < 0, abs(amount), ""
    else:
        value = _as_decimal(amount)
        text = format(abs(value), "f")
        whole_text, _, fraction = text.partition(".")
        negative, whole = value < 0, int(whole_text)
        fraction = fraction.rstrip("0")
    words = _whole(whole) or ["nol"]
    if fraction:
        words += ["koma", *(_DIGITS[int(d)] for d in fraction)]
    if negative and (whole or fraction):
        words.insert(0, "minus")
    if rupiah:
        words.append("rupiah")
    return " ".join(words)


def terbilang_rupiah(amount: Amount) -> str:
    """``terbilang(amount) + " rupiah"``: the usual wording on a payment document."""
    return terbilang(amount, rupiah=True)


def rupiah(amount: Amount) -> str:
    """Rupiah with Indonesian separators: ``Rp2.656.885.200``, ``-Rp1.500``, ``Rp1.234,5``.

    Babel (CLDR ``id_ID``) is imported here, not at module import, so that the Excel
    buttons and UDFs start fast.
    """
    from babel.numbers import format_currency

    if isinstance(amount, float):
        _as_decimal(amount)  # rejects NaN/inf with a clear message
    elif isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise TypeError(f"rupiah butuh angka, bukan {type(amount).__name__}")
    text: str = format_currency(
        amount, "IDR", locale="id_ID", format="¤#,##0.##", currency_digits=False
    )
    return text
