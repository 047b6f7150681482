"""Codes of the 2021+ nomenclature (Permendagri 90/2019, Kepmendagri 050-5889/2021 and its
amendments): ``2.08.01`` program, ``2.08.01.2.01`` kegiatan, ``2.08.01.2.01.0001`` sub
kegiatan (docs/SUB_KEGIATAN.md, section 1).

A code is kept as the user wrote it; ``normalize`` is only how codes are compared (runs of
spaces between segments read as dots, ``x`` as ``X``). Nothing else is repaired: a
zero-padded ``02.01`` kegiatan stays invalid, and the rule says where.

Pure, and imports nothing of this package: every layer may use it.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "EXAMPLE",
    "Level",
    "is_child",
    "is_code_only",
    "kode_level",
    "normalize",
    "split_front",
    "sub_digits",
]

Level = Literal["program", "kegiatan", "sub kegiatan"]

# urusan (1-9 or X) . bidang (2 digits or XX) . program [. kegiatan n.NN [. sub NN|NNNN]]
_PATTERN = re.compile(
    r"(?P<urusan>[1-9X])\.(?P<bidang>\d{2}|XX)\.(?P<program>\d{2})"
    r"(?:\.(?P<kegiatan>[12]\.\d{2})(?:\.(?P<sub>\d{2}|\d{4}))?)?"
)
_SEPARATORS = re.compile(r"\s*\.\s*|\s+")
# A code-like run at the front of a name: segments of digits or X, by dots or spaces.
_FRONT = re.compile(r"[1-9Xx](?:(?:\s*\.\s*|\s+)(?:[0-9]{1,4}|[Xx]{2}))+")
_AFTER = re.compile(r"\s*[.:\-–]?\s*")
EXAMPLE: dict[Level, str] = {
    "program": "2.13.01",
    "kegiatan": "2.13.01.2.01",
    "sub kegiatan": "2.13.01.2.01.0001",
}


def normalize(kode: str) -> str:
    """How codes are compared: trimmed, spaces between segments as dots, upper case."""
    return _SEPARATORS.sub(".", kode.strip()).upper()


def kode_level(kode: str) -> Level | None:
    """The level a well-formed code names; None when it matches no level's pattern."""
    m = _PATTERN.fullmatch(normalize(kode))
    if m is None:
        return None
    if m.group("sub"):
        return "sub kegiatan"
    return "kegiatan" if m.group("kegiatan") else "program"


def sub_digits(kode: str) -> int | None:
    """Digits of a well-formed sub kegiatan code's last segment (2 up to Kepmendagri
    050-5889/2021, 4 since 900.1.15.5-1317/2023); None for other codes."""
    m = _PATTERN.fullmatch(normalize(kode))
    return len(m.group("sub")) if m and m.group("sub") else None


def _segments(kode: str) -> list[str]:
    return normalize(kode).split(".")


def is_child(parent: str, child: str) -> bool:
    """Does ``child`` start with ``parent``'s segments? ``X`` / ``XX`` (the support
    programme written once for every urusan and bidang) match any urusan / bidang."""
    ps, cs = _segments(parent), _segments(child)
    if len(cs) <= len(ps):
        return False
    for i, (a, b) in enumerate(zip(ps, cs, strict=False)):
        if a != b and not (i < 2 and ("X" in a or "X" in b)):
            return False
    return True


def is_code_only(text: str) -> bool:
    """Does ``text`` hold a code and nothing else (a name cell where only the code was
    typed: ``1.02.02.2.01``)? A well-formed code of any level, or a run of at least four
    dot-joined segments (malformed, as ``split_front`` takes it)."""
    t = text.strip()
    if not t or t[0] not in "123456789Xx" or _FRONT.fullmatch(t) is None:
        return False
    return kode_level(t) is not None or (" " not in t and t.count(".") >= 3)


def split_front(text: str) -> tuple[str, str] | None:
    """``"2.08.01.2.01.01 Penyusunan Dokumen"`` -> (code, name), when ``text`` starts with
    a code followed by a name; else None.

    The code is the longest well-formed run of segments (``"X XX 01 2.01 01 Nama"`` too;
    ``"2.08.01.2.01.01 2024 Dokumen"`` keeps ``2024`` in the name). A run joined by dots
    of at least four segments is a code even when malformed (``2.08.01.02.01.0001``: the
    rule reports it; cutting it short would hide the fault). A list number (``1.``,
    ``1.2``) is no code: the pattern needs urusan, bidang and program.
    """
    lead = len(text) - len(text.lstrip())
    m = _FRONT.match(text, lead)
    if m is None:
        return None
    run = m.group(0)
    # Cut only where a space ends a segment: dot-joined segments belong together.
    cuts = [len(run), *(i for i in range(len(run) - 1, 0, -1) if run[i].isspace())]
    first = run.split()[0]
    for end in cuts:
        kode = run[:end].rstrip()
        if kode_level(kode) is None and not (end == len(first) and first.count(".") >= 3):
            continue
        after = _AFTER.match(text, lead + len(kode))
        rest = text[after.end() :].strip() if after else ""
        if rest and after and after.end() > lead + len(kode):  # a separator, then the name
            return kode, rest
    return None
