"""A tiny evaluator for the formulas the layout writes (SUM, N, +, -), for pure tests.

It covers exactly the shapes ``rak_xl.layout`` emits: ``=SUM(A1:B2)``, ``=SUM(A1,B2)``,
``=SUM(..)+SUM(..)``, ``=N(H9)``, ``=AA9-AC9``, ``=0``. LibreOffice checks the real thing
(tests/test_regenerate_lo.py); this keeps the layout's own tests fast and offline.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rak_xl.grid import col_index

_REF = re.compile(r"([A-Z]+)(\d+)")
_CALL = re.compile(r"(SUM|N)\(([^()]*)\)")

Lookup = Callable[[int, int], object]


def _cell(ref: str, value_of: Lookup) -> float:
    m = _REF.fullmatch(ref.strip())
    assert m, ref
    v = value_of(int(m.group(2)), col_index(m.group(1)))
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else 0.0


def _args(text: str, value_of: Lookup) -> float:
    total = 0.0
    for part in text.split(","):
        part = part.strip()
        if ":" in part:
            a, b = part.split(":")
            ma, mb = _REF.fullmatch(a), _REF.fullmatch(b)
            assert ma and mb, part
            for r in range(int(ma.group(2)), int(mb.group(2)) + 1):
                for c in range(col_index(ma.group(1)), col_index(mb.group(1)) + 1):
                    total += _cell(f"{_col(c)}{r}", value_of)
        elif part:
            total += _cell(part, value_of)
    return total


def _col(c: int) -> str:
    from rak_xl.grid import col_letter

    return col_letter(c)


def evaluate(formula: str, value_of: Lookup) -> float:
    """Value of ``formula``; ``value_of(row, col)`` gives other cells (evaluated)."""
    expr = formula.lstrip("=")
    expr = _CALL.sub(lambda m: repr(_args(m.group(2), value_of)), expr)
    expr = _REF.sub(lambda m: repr(_cell(m.group(0), value_of)), expr)
    assert re.fullmatch(r"[0-9.eE+\- ]*", expr), expr
    return float(eval(expr))  # only digits and + - remain
