"""Findings and the report: frozen data, rendered elsewhere (text, JSON, workbook marks).

A ``Finding`` is one problem at one cell. The fields are exactly the JSON contract of
DESIGN.md (``code, severity, sheet, cell, row, message, path``); grouping and colouring
are done by the renderers from these fields alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["SEVERITIES", "Finding", "Report", "Severity", "row_of"]

Severity = Literal["error", "warning", "info"]
# Most serious first: the order of the summary and of the colour precedence.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def row_of(cell: str | None) -> int | None:
    """Row number of an A1 address (``"G12"`` -> 12), None if there is no cell."""
    if not cell:
        return None
    m = _A1.match(cell)
    return int(m.group(2)) if m else None


@dataclass(frozen=True)
class Finding:
    """One problem: where (sheet, cell, row, path), what (code, severity) and why (message)."""

    code: str
    severity: Severity
    sheet: str
    cell: str | None
    row: int | None
    message: str
    path: str

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "message": self.message,
            "path": self.path,
        }


@dataclass(frozen=True)
class Report:
    """All findings of one sheet, in sheet order (row, then catalogue order)."""

    findings: tuple[Finding, ...] = ()
    sheet: str = ""
    # The summary always lists every severity, even at zero (the JSON contract).
    summary: dict[str, int] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        counts = {sev: 0 for sev in SEVERITIES}
        for f in self.findings:
            counts[f.severity] += 1
        object.__setattr__(self, "summary", counts)

    @classmethod
    def of(cls, findings: Iterable[Finding], sheet: str = "") -> Report:
        return cls(findings=tuple(findings), sheet=sheet)

    @property
    def has_errors(self) -> bool:
        return self.summary["error"] > 0

    @property
    def valid(self) -> bool:
        """True when nothing at all was found."""
        return not self.findings

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def flatten(self, keys: Sequence[str] = ("row", "cell", "code")) -> list[list[Any]]:
        """One list per finding with the values of ``keys``: short assertions in tests."""
        return [[getattr(f, k) for k in keys] for f in self.findings]

    def to_json(self, file: str | None = None) -> dict[str, Any]:
        return {
            "file": file,
            "sheet": self.sheet,
            "findings": [f.to_json() for f in self.findings],
            "summary": dict(self.summary),
        }
