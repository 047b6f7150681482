"""Library entry points: one call from a file to the model."""

from __future__ import annotations

from pathlib import Path

from rak_xl.model import Rak

__all__ = ["load"]


def load(path: str | Path, sheet: str | None = None) -> Rak:
    """Read the RAK of a workbook file (``.xlsx .xlsm .xls .ods``)."""
    from rak_xl.read import read_rak
    from rak_xl.workbook import load_grid

    return read_rak(load_grid(Path(path), sheet))
