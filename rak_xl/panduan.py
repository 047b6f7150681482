"""The staff guide (``docs/PANDUAN.md``) as the rows of the template's Petunjuk sheet.

One text for both: the Markdown file is shipped in the package (``rak_xl/data/PANDUAN.md``
links to ``docs/PANDUAN.md``) and this pure function turns it into rows, one per heading,
paragraph, list item or code line, each with its kind (``h1``, ``h2``, ``h3``, ``p``,
``li``, ``code``) for the sheet's formats. Only the Markdown the guide uses is read:
ATX headings, paragraphs, ``-`` and ``1.`` list items (one line each), fenced code
blocks, and inline ``**bold**`` / backtick code, whose marks are dropped.
"""

from __future__ import annotations

import re
from importlib import resources

__all__ = ["guide_text", "petunjuk_rows"]

_HEADING = re.compile(r"^(#{1,3}) (.+)$")
_NUMBERED = re.compile(r"^(\d+)\. (.+)$")
_INLINE = re.compile(r"\*\*|`")


def guide_text() -> str:
    """The guide as shipped with the package."""
    return resources.files("rak_xl").joinpath("data", "PANDUAN.md").read_text("utf-8")


def _plain(text: str) -> str:
    return _INLINE.sub("", text).strip()


def petunjuk_rows(markdown: str) -> list[tuple[str, str]]:
    """``(kind, text)`` per block of ``markdown``, in order; code lines keep their text."""
    rows: list[tuple[str, str]] = []
    paragraph: list[str] = []
    in_code = False

    def flush() -> None:
        if paragraph:
            rows.append(("p", _plain(" ".join(paragraph))))
            paragraph.clear()

    for line in markdown.splitlines():
        if line.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            rows.append(("code", line))
            continue
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        numbered = _NUMBERED.match(stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            rows.append((f"h{len(heading.group(1))}", _plain(heading.group(2))))
        elif stripped.startswith("- "):
            flush()
            rows.append(("li", "• " + _plain(stripped[2:])))
        elif numbered:
            flush()
            rows.append(("li", f"{numbered.group(1)}. {_plain(numbered.group(2))}"))
        else:
            paragraph.append(stripped)
    if in_code:
        raise ValueError("PANDUAN.md: a code block is not closed")
    flush()
    return rows
