"""What every rule shares: the context it reads, the way it builds a finding.

A rule is a class with a stable ``code`` (DOMAIN.md), a ``severity``, a short Indonesian
``title`` (for the README table) and a message ``template`` with named placeholders. Its
``check(ctx)`` yields findings and never raises for bad data. The message is rendered in
one place (``Rule.finding``), which also refuses parameters that do not match the
template: a typo in a rule fails its tests instead of printing ``{volume}`` to a user.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rak_xl.cellref import col_index
from rak_xl.model import CashItem, Kegiatan, Number, Program, Rak, Sasaran, Source, SubKegiatan
from rak_xl.rules.findings import Finding, Severity, row_of

__all__ = [
    "CashItem",
    "Context",
    "Item",
    "Rule",
    "Settings",
    "TableColumns",
    "fmt_amount",
    "fmt_num",
    "fmt_rp",
    "has_target",
    "is_target_text",
    "item_word",
    "items",
    "path_of",
    "quarter_amounts",
    "quarters",
    "raw_has",
    "same",
    "target_cell",
]

Item = Sasaran | Program | Kegiatan | SubKegiatan

# Placeholder items (no uraian: a kegiatan before any program) appear in paths as this.
_NO_NAME = {
    "sasaran": "(tanpa sasaran)",
    "program": "(tanpa program)",
    "kegiatan": "(tanpa kegiatan)",
}


@dataclass(frozen=True)
class Settings:
    """Tunable checks. Money is exact by default (Rupiah has no cents to lose)."""

    money_tolerance: float = 0.0


@dataclass(frozen=True)
class Context:
    """Everything a rule may read: the model, the settings, an optional DPA reference."""

    rak: Rak
    settings: Settings = field(default_factory=Settings)
    # Kegiatan uraian -> 12 monthly amounts from the DPA (``--dpa``); empty: no reference.
    dpa: Mapping[str, Sequence[Number]] = field(default_factory=dict)

    @property
    def sheet(self) -> str:
        return self.rak.src.sheet

    # What several rules derive alike, derived once per check (keyed by the deriving module).
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @functools.cached_property
    def items(self) -> list[tuple[Item, str]]:
        """``items(rak)``, built once per check: most rules walk every item with its path."""
        return list(items(self.rak))

    @functools.cached_property
    def cash_items(self) -> list[tuple[CashItem, str]]:
        """The items holding a cash plan (``Rak.cash_items``: each sub kegiatan, each
        kegiatan without sub kegiatan), with their paths: what the cash rules check, in
        either form."""
        return [
            (item, path)
            for item, path in self.items
            if type(item) is SubKegiatan or (type(item) is Kegiatan and not item.sub_kegiatan)
        ]


def fmt_num(n: Number | None) -> str:
    """A number the Indonesian way: 2.656.885.200, 0,5 (Babel id_ID)."""
    if n is None:
        return "-"
    from babel.numbers import format_decimal  # lazy: Babel loads locale data

    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return str(format_decimal(n, locale="id_ID"))


def fmt_rp(n: Number | None) -> str:
    """Money in every message: ``Rp2.656.885.200``, the one Rupiah formatter of the
    package (``rak_xl.terbilang.rupiah``, also the ``RUPIAH`` cell function): Babel's
    ``id_ID`` style, which writes no space after ``Rp`` as the Indonesian spelling
    guide (PUEBI) does."""
    if n is None:
        return "-"
    from rak_xl.terbilang import rupiah  # lazy, like Babel inside it

    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return rupiah(n)


# A loose number at least this large reads as money in a message (a count, a target or a
# percentage stays a plain number).
_MONEY_MIN = 1_000


def fmt_amount(value: object) -> str:
    """A value found in a cell, for a message: money (a number, or text that reads as one,
    from 1.000 up) as ``Rp...``, a smaller number plain, other text quoted."""
    from rak_xl.numbers import detect_convention, parse_number

    n: Number | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        n = value
    elif isinstance(value, str):
        n = parse_number(value, detect_convention([value]))
    if n is None:
        return repr(value) if isinstance(value, str) else str(value)
    return fmt_rp(n) if abs(n) >= _MONEY_MIN else fmt_num(n)


def same(a: Number, b: Number, tolerance: float = 0.0) -> bool:
    """Equal within ``tolerance``; float noise (0.1 + 0.2) never counts as a difference."""
    if a == b:  # most comparisons of a sheet; an infinity is not "same" (inf - inf: NaN)
        return a - a == 0
    return abs(a - b) <= max(tolerance, 1e-9 * max(abs(a), abs(b), 1.0))


@functools.lru_cache(maxsize=8192)
def _name(text: str | None, level: str) -> str:  # cached: every rule asks for every path
    if text is None or not str(text).strip():
        return _NO_NAME.get(level, "(tanpa uraian)")
    return " ".join(str(text).split())


_SEP = " > "


def path_of(
    s: Sasaran | None,
    p: Program | None = None,
    k: Kegiatan | None = None,
    sk: SubKegiatan | None = None,
) -> str:
    """The path "Sasaran > Program > Kegiatan > Sub Kegiatan" of uraian texts
    (whitespace collapsed)."""
    parts: list[str] = []
    if s is not None:
        parts.append(_name(s.uraian, "sasaran"))
    if p is not None:
        parts.append(_name(p.uraian, "program"))
    if k is not None:
        parts.append(_name(k.uraian, "kegiatan"))
    if sk is not None:
        parts.append(_name(sk.uraian, "sub kegiatan"))
    return _SEP.join(parts)


def item_word(item: Item) -> str:
    """What the user calls the item: "Kegiatan", "Sub kegiatan", ... (capitalised)."""
    return _WORDS[type(item)]


_WORDS: dict[type, str] = {
    Sasaran: "Sasaran",
    Program: "Program",
    Kegiatan: "Kegiatan",
    SubKegiatan: "Sub kegiatan",
}


def raw_has(item: Item, prefixes: str | tuple[str, ...]) -> bool:
    """Whether text that could not be read sits in a field starting with ``prefixes``.
    ``raw`` is empty for almost every item: tested first, no generator built."""
    return bool(item.raw) and any(key.startswith(prefixes) for key in item.raw)


def items(rak: Rak) -> Iterator[tuple[Item, str]]:
    """Every sasaran, program, kegiatan and sub kegiatan in sheet order, with its path
    (``path_of``, each built on its parent's rather than from scratch)."""
    for s in rak.sasaran:
        s_path = path_of(s)
        yield s, s_path
        for p in s.program:
            p_path = s_path + _SEP + _name(p.uraian, "program")
            yield p, p_path
            for k in p.kegiatan:
                k_path = p_path + _SEP + _name(k.uraian, "kegiatan")
                yield k, k_path
                for sk in k.sub_kegiatan:
                    yield sk, k_path + _SEP + _name(sk.uraian, "sub kegiatan")


class Rule:
    """Base of every rule; subclasses set the class attributes and ``check``."""

    code: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    # Short title shown with the code ("Target tidak ada (target.missing)"): the Temuan
    # sheet, the text report, the notes.
    label: ClassVar[str]
    template: ClassVar[str]
    # Which row a finding reports. A rule about one cell's content (text, a negative
    # number, a stray value, a month against the DPA) reports that cell's row; a rule
    # about an item as a whole (its targets, its cash plan) reports the item's first row,
    # also when it points at, say, the TW 3 cell of a kegiatan laid out one row per quarter.
    cell_level: ClassVar[bool] = False

    @classmethod
    def fields(cls) -> set[str]:
        """Placeholder names of the template."""
        return {name for _, name, _, _ in string.Formatter().parse(cls.template) if name}

    @classmethod
    def finding(
        cls,
        ctx: Context,
        src: Source,
        cell: str | None,
        path: str,
        **params: object,
    ) -> Finding:
        """Render the template and place the finding at ``cell`` (row: see ``cell_level``)."""
        if set(params) != cls.fields():
            raise ValueError(f"{cls.code}: parameter {sorted(params)} != {sorted(cls.fields())}")
        return Finding(
            code=cls.code,
            severity=cls.severity,
            sheet=src.sheet or ctx.sheet,
            cell=cell,
            row=(row_of(cell) or src.row or None) if cls.cell_level else (src.row or row_of(cell)),
            message=cls.template.format(**params),
            path=path,
        )

    def check(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError


def target_cell(src: Source, quarter: int | None = None) -> str | None:
    """A1 of a target: the quarter's own cell when targets sit one per row, else the cell
    holding the whole target text; the uraian when the reader recorded neither."""
    keys = ["target_tw"] if quarter is None else [f"target_tw.{quarter}", "target_tw"]
    keys += ["target_tw.0", "uraian"]
    for key in keys:
        if src.cells.get(key):
            return src.cells[key]
    return None


# What a cell holds when a number was meant but is unusable: a number too large or not
# finite as the reader shows it (``NaN``, ``tak hingga``, ``1e+308``), digits with broken
# separators (``12,5,3``), a date, TRUE/FALSE.
_BROKEN_NUMBER = re.compile(
    r"[-+(]?\s*(?:rp\.?\s*)?[\d.,\s]*\d[\d.,\s]*%?\)?|[-+]?\d+(?:\.\d+)?e[+-]?\d+"
    r"|-?(?:nan|tak hingga)|true|false|\d{2}/\d{2}/\d{4}(?: \d{2}:\d{2})?",
    re.IGNORECASE,
)


def is_target_text(key: str, text: str) -> bool:
    """Raw text of a target field is ``target.unparseable``, whatever the layout put it in
    (the one target cell, a TW I..IV column, a quarter's row): a target column holds target
    text as well as numbers, so words there (``TW 2 = lima``, an action step such as
    ``Penyusunan laporan``) are a target the sheet states and this tool cannot read, said
    once, the same before and after Susun Ulang (which turns TW columns into one target
    column). A broken number there (``NaN``, ``1e+400``, a date) is ``number.not-a-number``,
    as in a cash cell."""
    if key == "target_tw":
        return True
    return key.startswith("target_tw.") and _BROKEN_NUMBER.fullmatch(text.strip()) is None


def has_target(value: Number | None) -> bool:
    """A quarter has a target when it holds a number other than 0 ('-'/empty is None)."""
    return value is not None and value != 0


def _and(parts: Sequence[str]) -> str:
    """["a", "b", "c"] -> "a, b dan c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " dan " + parts[-1]


def quarters(qs: Sequence[int]) -> str:
    """Quarters in words: [0] -> "TW 1", [0, 2] -> "TW 1 dan TW 3", [0, 1, 2] ->
    "TW 1–3" (a run of three or more as a range)."""
    runs: list[list[int]] = []
    for q in sorted(qs):
        if runs and q == runs[-1][-1] + 1:
            runs[-1].append(q)
        else:
            runs.append([q])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"TW {run[0] + 1}–{run[-1] + 1}")
        else:
            parts.extend(f"TW {q + 1}" for q in run)
    return _and(parts)


def quarter_amounts(qs: Sequence[int], amounts: Sequence[Number]) -> str:
    """Each quarter with its money: "TW 1 (Rp1.000) dan TW 3 (Rp2.500)"."""
    return _and([f"TW {q + 1} ({fmt_rp(amounts[q])})" for q in qs])


@dataclass(frozen=True)
class TableColumns:
    """Where the reader found the table's logical columns (``rak.src.cells["col.N"]``
    and ``"col.end"``, set by the reader); empty for a model built by hand."""

    first: Mapping[int, int]  # logical column -> its first physical column
    end: int | None  # last physical column of KET: right of it lies no header

    @classmethod
    def of(cls, rak: Rak) -> TableColumns:
        cells = rak.src.cells
        first = {
            int(key[4:]): _col(a1)
            for key, a1 in cells.items()
            if key.startswith("col.") and key[4:].isdigit()
        }
        end = cells.get("col.end")
        return cls(first, _col(end) if end else None)

    def under_header(self, a1: str | None) -> bool:
        """Does the cell lie in the table's columns (under one of its headers)?"""
        return bool(a1) and self.end is not None and _col(a1 or "") <= self.end

    def logical_at(self, a1: str) -> int | None:
        """The logical column whose header covers the cell, or None right of the table."""
        if not self.under_header(a1):
            return None
        c = _col(a1)
        return max((n for n, first in self.first.items() if first <= c), default=None)


def _col(a1: str) -> int:
    return col_index(a1.lstrip("$").rstrip("0123456789").rstrip("$"))
