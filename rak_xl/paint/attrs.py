"""Style attributes as Susun Ulang sets them through xlwings: one action each (a border
one per side), some not at all (no portable setter)."""

from __future__ import annotations

from dataclasses import fields, replace
from functools import lru_cache
from typing import Any

from rak_xl.layout import Style

__all__ = ["CLEARED", "NOT_SET", "applied", "style_attrs"]

# What a cell looks like right after ``sheet.clear()``: attributes with these values
# need no action.
CLEARED: dict[str, Any] = {
    "bold": False,
    "italic": False,
    "underline": False,
    "h_align": "general",
    "v_align": "bottom",
    "wrap": False,
    "number_format": "General",
    "fill": None,
    "border": False,
}
NOT_SET = ("underline", "indent", "box")  # no portable xlwings setter: left out


@lru_cache(maxsize=256)
def applied(style: Style) -> Style:
    """``style`` as Susun Ulang applies it (without the attributes it leaves out)."""
    return replace(style, underline=False, indent=0, box="all")


def style_attrs(style: Style) -> dict[str, Any]:
    return {f.name: getattr(style, f.name) for f in fields(style)}
