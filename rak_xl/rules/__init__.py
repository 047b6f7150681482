"""The rule engine: ``check(rak) -> Report``, and the catalogue of rules as data.

Rules are pure functions of the model (``rak_xl.model``) and its cell map: no Excel, no
I/O. The catalogue order is the order of DOMAIN.md (codes added here come last); findings
come out in sheet order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rak_xl.model import Number, Rak
from rak_xl.rules.base import Context, Rule, Settings
from rak_xl.rules.cash import (
    CashEmpty,
    CashWithoutTarget,
    DpaMismatch,
    DpaUnmatched,
    ProgramTotalMismatch,
)
from rak_xl.rules.findings import SEVERITIES, Finding, Report, Severity
from rak_xl.rules.form import FormOutdated, NoSubKegiatan
from rak_xl.rules.kode import CodeDuplicate, CodeInvalid, CodeMismatch, CodeOldFormat
from rak_xl.rules.number import Negative, NotANumber
from rak_xl.rules.pagu import KegiatanSumMismatch, KegiatanTotalMismatch, SubKegiatanTotalMismatch
from rak_xl.rules.sign import NipInvalid
from rak_xl.rules.struct import (
    CellError,
    Duplicate,
    ExtraValue,
    HeaderNotFound,
    NameMissing,
    OrphanRow,
    RowOverflow,
    RowShifted,
)
from rak_xl.rules.target import (
    AdditiveSumMismatch,
    Decreasing,
    FinalMismatch,
    PercentOver100,
    TargetMissing,
    TargetUnparseable,
    TargetWithoutCash,
)

__all__ = [
    "CATALOGUE",
    "SEVERITIES",
    "Finding",
    "Report",
    "Rule",
    "Settings",
    "Severity",
    "catalogue_markdown",
    "check",
    "rule_for",
]

CATALOGUE: tuple[type[Rule], ...] = (
    HeaderNotFound,
    OrphanRow,
    RowOverflow,
    RowShifted,
    Duplicate,
    NotANumber,
    Negative,
    ProgramTotalMismatch,
    CashEmpty,
    CashWithoutTarget,
    TargetMissing,
    TargetUnparseable,
    AdditiveSumMismatch,
    FinalMismatch,
    Decreasing,
    PercentOver100,
    TargetWithoutCash,
    DpaMismatch,
    NipInvalid,
    # Added beyond DOMAIN.md:
    DpaUnmatched,
    ExtraValue,
    # The 4-level form (Sub Kegiatan, since 2021; docs/SUB_KEGIATAN.md):
    CodeInvalid,
    CodeMismatch,
    CodeDuplicate,
    CodeOldFormat,
    NoSubKegiatan,
    FormOutdated,
    KegiatanTotalMismatch,
    SubKegiatanTotalMismatch,
    KegiatanSumMismatch,
    # Cells that show no content: a name that is only a code, an Excel error value.
    NameMissing,
    CellError,
)

_ORDER = {rule.code: i for i, rule in enumerate(CATALOGUE)}


def rule_for(code: str) -> type[Rule]:
    """The rule class of a code (KeyError for an unknown code)."""
    return CATALOGUE[_ORDER[code]]


def _sort_key(f: Finding) -> tuple[int, int, int]:
    # Sheet order; findings without a row (signature) go last; then catalogue order.
    return (f.row if f.row is not None else 1 << 30, _column(f.cell), _ORDER[f.code])


def _column(cell: str | None) -> int:
    n = 0
    for ch in (cell or "").lstrip("$"):
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - 64
    return n


def check(
    rak: Rak,
    *,
    settings: Settings | None = None,
    dpa: Mapping[str, Sequence[Number]] | None = None,
) -> Report:
    """Run every rule of the catalogue on ``rak``.

    ``dpa`` maps kegiatan (sub kegiatan) uraian or codes to their 12 monthly DPA amounts
    (``cash.dpa-mismatch``; a code is matched first); without it that rule stays silent.
    """
    ctx = Context(rak=rak, settings=settings or Settings(), dpa=dpa or {})
    found = [f for rule in CATALOGUE for f in rule().check(ctx)]
    return Report.of(sorted(found, key=_sort_key), sheet=rak.src.sheet)


_SEVERITY_ID = {"error": "error (kesalahan)", "warning": "warning (peringatan)", "info": "info"}


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table (code | tingkat | arti) for the README."""
    lines = ["| kode | tingkat | arti |", "|---|---|---|"]
    for rule in CATALOGUE:
        lines.append(f"| `{rule.code}` | {_SEVERITY_ID[rule.severity]} | {rule.title} |")
    return "\n".join(lines) + "\n"
