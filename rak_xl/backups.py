"""Our backup copies of a RAK sheet: how they are named and how they are recognised
again. One rule for the file writer (``rak-xl regenerate``, ``opc.rebuild``) and the
buttons (Susun Ulang, Batalkan).

Before a rebuild the sheet is copied to a hidden sheet named ``backup_sheet_name(sheet)``
(``RAK (cadangan)``), or ``RAK (cadangan 2)`` ... when a sheet of that name exists: a
sheet of the user's is never touched. The copy carries a sheet-scoped defined name
``BACKUP_MARK`` referring to the whole sheet it keeps (``'RAK'!$1:$1048576``). A
reference rather than the sheet's name as text, because Excel rewrites a reference when
the user renames the RAK sheet (the link survives), and because the Office.js client of
xlwings Lite / Server sends only names that refer to a range: as text the buttons there
could not see it. The whole sheet, because a reference to one cell breaks (``#REF!``)
when its row or column is deleted; the sheet's full rows stay. The file writer and
desktop Excel hide the name; xlwings has no action that hides a name in Office.js, so
there it stays visible in Name Manager.

A sheet is our backup of ``sheet`` when it is hidden (a backup the user unhid is theirs
from then on) and either carries the mark naming ``sheet``, or carries no readable mark
(copies made before the mark existed; a mark broken by deleting the sheet it named,
which the Office.js client does not even send), is named exactly
``backup_sheet_name(sheet)``, and no other sheet has that backup name: names are cut to
31 characters, so ``Rencana Aksi Kinerja 2020`` and ``... 2021`` share one, and such a
copy cannot be told apart and is left alone. Marks written as text (``"RAK"``) by earlier
versions are read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rak_xl.sheet_spec import BACKUP_SUFFIX, backup_sheet_name

__all__ = [
    "BACKUP_MARK",
    "SheetInfo",
    "ambiguous_backup",
    "backups_of",
    "free_backup_name",
    "is_backup",
    "mark_reference",
    "marked_sheet",
]

BACKUP_MARK = "_rak_xl_cadangan"
_SHAPED = re.compile(r" \(cadangan(?: \d+)?\)$")
_AREA = r"!(?=[$A-Za-z\d])\$?[A-Za-z]{0,3}\$?\d*(?::\$?[A-Za-z]{0,3}\$?\d*)?"  # A1, A1:B2, 1:9, A:C
_QUOTED_REF = re.compile(r"'((?:[^']|'')+)'" + _AREA)
_PLAIN_REF = re.compile(r"([^'!\s\"=#][^'!\s\"=]*)" + _AREA)


@dataclass(frozen=True)
class SheetInfo:
    """What the rule needs of one sheet: its name, whether it is hidden, and the mark it
    carries (``marked``; ``target``: the sheet the mark names, None when that sheet is
    gone, e.g. ``=#REF!$A$1``)."""

    name: str
    hidden: bool
    marked: bool = False
    target: str | None = None


def mark_reference(sheet: str) -> str:
    """The mark's value: all of ``sheet`` (``='RAK'!$1:$1048576``; the file writer drops
    the ``=``)."""
    return "='" + sheet.replace("'", "''") + "'!$1:$1048576"


def marked_sheet(text: str | None) -> str | None:
    """The sheet a mark names: a reference (``='RAK 2020'!$1:$1048576``, ``RAK!$A$1``) or,
    as earlier versions wrote it, the name as text (``"RAK"``); None for anything else."""
    if not text:
        return None
    text = text.strip().removeprefix("=")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"') or None
    m = _QUOTED_REF.fullmatch(text)
    if m:
        return m.group(1).replace("''", "'")
    m = _PLAIN_REF.fullmatch(text)
    return m.group(1) if m else None


def free_backup_name(sheet: str, taken: Iterable[str]) -> str:
    """``RAK (cadangan)``, or ``RAK (cadangan 2)`` ... when a sheet has that name (Excel
    compares names without case; 31 characters at most)."""
    used = {t.casefold() for t in taken}
    name, n = backup_sheet_name(sheet), 2
    while name.casefold() in used:
        tail = f"{BACKUP_SUFFIX[:-1]} {n})"
        name, n = sheet[: 31 - len(tail)] + tail, n + 1
    return name


def _legacy_of(candidate: SheetInfo, sheets: Sequence[SheetInfo]) -> list[str]:
    """The sheets a hidden copy without a readable mark could be the backup of (by its
    name)."""
    if candidate.target is not None or not candidate.hidden:
        return []
    return [
        s.name
        for s in sheets
        if s.name != candidate.name and backup_sheet_name(s.name) == candidate.name
    ]


def backups_of(sheet: str, sheets: Sequence[SheetInfo]) -> list[str]:
    """Our backups of ``sheet`` among ``sheets`` (the book's sheets in order), marked ones
    first, each group in book order."""
    marked = [s.name for s in sheets if s.hidden and s.marked and s.target == sheet]
    legacy = [s.name for s in sheets if _legacy_of(s, sheets) == [sheet]]
    return marked + legacy


def ambiguous_backup(sheet: str, sheets: Sequence[SheetInfo]) -> str | None:
    """An old unmarked copy that may be ``sheet``'s backup or another sheet's (their
    names share the cut backup name): the name of that copy, else None."""
    for s in sheets:
        owners = _legacy_of(s, sheets)
        if len(owners) > 1 and sheet in owners:
            return s.name
    return None


def is_backup(info: SheetInfo) -> bool:
    """A sheet that is one of our backups, of whichever sheet: hidden, and marked or
    named as our backups are. Never a place to look for the RAK table."""
    return info.hidden and (info.marked or bool(_SHAPED.search(info.name)))
