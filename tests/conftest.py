"""Shared pytest fixtures.

``libreoffice``: one headless LibreOffice for the whole session (tests/lo.py); tests that
need it take the fixture and are skipped with the reason when soffice or python3-uno is
missing. Other helpers may add fixtures here.
"""

from __future__ import annotations

from lo import libreoffice

__all__ = ["libreoffice"]
