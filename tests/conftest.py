"""Shared pytest fixtures, and the rule for the ``slow`` marker.

``libreoffice``: one headless LibreOffice for the whole session (tests/lo.py); tests that
need it take the fixture and are skipped with the reason when soffice or python3-uno is
missing. Other helpers may add fixtures here.

``slow``: tests that use LibreOffice, xlwings' remote engine or big sheets; ``pytest -m
"not slow"`` is the quick inner loop. A test taking the ``libreoffice`` fixture without
the marker is a collection error.
"""

from __future__ import annotations

import pytest
from lo import libreoffice

__all__ = ["libreoffice"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    unmarked = [
        item.nodeid
        for item in items
        if "libreoffice" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"LibreOffice tests without @pytest.mark.slow: {unmarked}")
