"""Everything the CLI prints goes through here: no cell text reaches a terminal as an
escape sequence, and no character the console cannot encode crashes a run.

A workbook is untrusted input and its texts end up in messages (uraian, the text of an
unreadable cell, a sheet name): OOXML's ``_x001B_`` escapes put any control character in a
cell, so ``ESC[2J`` or a bidi override could clear or disguise a user's terminal.
``guarded()`` wraps ``sys.stdout``/``sys.stderr`` for the length of a command, so every
``print`` of every command (and argparse's own output) passes ``visible()``; JSON goes
through ``write_json``, which escapes the same characters the JSON way instead.

A Windows console or a redirect in cp1252 (or ``PYTHONIOENCODING=cp1252``) cannot encode
``✓`` or Javanese script: text degrades to a close ASCII form or ``?``; JSON stays lossless
(``\\uXXXX`` escapes are JSON).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import sys
from collections.abc import Iterator

from rak_xl.errors import RakError, os_reason

TYPE_CHECKING = False  # type checkers read it as True; no ``typing`` import before the parse
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["OutputLost", "guarded", "visible", "write_json"]


class OutputLost(RakError):
    """The output could not be written: a full disk (one sentence, exit 2) or a reader
    that closed the pipe (``rak-xl export x | head``: silent, exit 141 like SIGPIPE)."""

    def __init__(self, exc: OSError) -> None:
        closed = exc.errno == errno.EPIPE
        super().__init__("" if closed else f"Keluaran tidak bisa ditulis ({os_reason(exc)}).")
        self.exit_code = 141 if closed else 2


# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
# line/paragraph separators and lone surrogates (a non-UTF-8 file name, ``_xD800_``).
# Compiled when first needed: a run that prints only ASCII JSON needs neither.
_UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
# The same in JSON text; C0 controls are escaped by ``json.dumps`` already.
_UNSAFE_JSON = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"

# Close ASCII forms for what a cp1252/ASCII console cannot show (the rest becomes "?").
_ASCII = {
    "✓": "v", "✔": "v", "✗": "x", "✘": "x", "→": "->", "←": "<-", "≥": ">=", "≤": "<=",
    "≠": "!=", "×": "x", "…": "...", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"',
    "”": '"', "•": "*", "∞": "tak hingga", "\u00a0": " ",
}  # fmt: skip


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def visible(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b``-style escapes (tab and newline
    kept): what the user sees is what the cell holds, and the terminal obeys none of it."""
    return re.sub(_UNSAFE, lambda m: _escape(m.group()), text)


def _json_units(ch: str) -> str:
    data = ch.encode("utf-16-be", "surrogatepass")
    return "".join(
        f"\\u{int.from_bytes(data[i : i + 2], 'big'):04x}" for i in range(0, len(data), 2)
    )


def _fallback_text(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError)
    bad = exc.object[exc.start : exc.end]
    return "".join(_ASCII.get(ch, "?") for ch in bad), exc.end


def _fallback_json(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeEncodeError)
    return "".join(map(_json_units, exc.object[exc.start : exc.end])), exc.end


codecs.register_error("rak-xl-text", _fallback_text)
codecs.register_error("rak-xl-json", _fallback_json)


def _encodable(text: str, encoding: str, errors: str) -> str:
    """``text`` reduced to what ``encoding`` can hold (a round trip, only when needed)."""
    if encoding.replace("-", "").replace("_", "").lower() in ("utf8", "utf8sig"):
        return text  # ``visible``/``write_json`` removed the surrogates UTF-8 refuses
    return text.encode(encoding, errors).decode(encoding)


class _Console:
    """A text stream that shows control characters and never fails to encode."""

    def __init__(self, stream: TextIO, *, one_line: bool = False) -> None:
        self._stream = stream
        self.encoding: str = getattr(stream, "encoding", None) or "utf-8"
        self._raw = False  # True while ``write_json`` writes text it made safe itself
        # stderr: every message is one line, so a line break inside one (a file name
        # holding one) is shown as ``\n`` rather than splitting the sentence.
        self._one_line = one_line

    def write(self, text: str) -> int:
        if not self._raw:
            text = visible(text)
            if self._one_line and "\n" in text[:-1]:
                text = text[:-1].replace("\n", "\\n") + text[-1]
            text = _encodable(text, self.encoding, "rak-xl-text")
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise self._lost(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise self._lost(exc) from None

    def _lost(self, exc: OSError) -> OutputLost:
        # What is still buffered would fail again when the interpreter exits ("Exception
        # ignored in ..."): the stream's descriptor now leads nowhere.
        with contextlib.suppress(Exception):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        return OutputLost(exc)

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, buffer ... as the stream's
        return getattr(self._stream, name)


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Route ``sys.stdout`` and ``sys.stderr`` through ``_Console`` for a command."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None:
        sys.stdout = _Console(sys.stdout)
    if sys.stderr is not None:
        sys.stderr = _Console(sys.stderr, one_line=True)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def write_json(text: str) -> None:
    """Write JSON text (from ``json.dumps(..., ensure_ascii=False)``) to stdout: control,
    bidi and surrogate characters and whatever the stream cannot encode become ``\\uXXXX``
    escapes, so the output is standard JSON with the same data in any console encoding."""
    # ASCII text (most RAKs, told at once) holds no unsafe character but DEL: the regex
    # pass (a tenth of ``export`` at 3,000 kegiatan) runs only when one may be there.
    if not text.isascii() or "\x7f" in text:
        text = re.sub(_UNSAFE_JSON, lambda m: _json_units(m.group()), text)
    out = sys.stdout
    if out is None:  # pythonw: no console at all
        return
    console = out if isinstance(out, _Console) else None
    encoding = console.encoding if console else getattr(out, "encoding", None) or "utf-8"
    text = _encodable(text, encoding, "rak-xl-json")
    if console is None:
        out.write(text)
        return
    console._raw = True
    try:
        out.write(text)
    finally:
        console._raw = False
