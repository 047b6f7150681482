"""``--dpa FILE``: the DPA cash plan to compare with, read as untrusted input.

Two forms:

- JSON ``{"<uraian kegiatan>": [12 amounts Januari..Desember], ...}``; an amount is a
  number, a text such as ``"1.234.000"`` or ``"Rp 2,656,885,200"``, ``"-"``/``""``/``null``
  (0);
- CSV (what Excel saves as "CSV" or "Unicode Text"): one kegiatan per line, its uraian,
  then 12 amounts; an optional header line; ``;``, tab or ``,`` between cells (told by the
  first line); amounts as the workbook reader takes them (``rak_xl.numbers.parse_number``,
  the separator convention decided over the whole file).

Refused with one Indonesian sentence naming the file (and the line or kegiatan): a file
that is not a regular file (a FIFO or device is never opened for a blocking read), larger
than ``MAX_DPA_BYTES``, not text in UTF-8, UTF-16 (with or without BOM) or cp1252, a row
without 12 amounts, booleans, ``NaN``/``Infinity``/``1e400``, integers no float holds,
amounts beyond ``MAX_AMOUNT`` and texts that are no number, and one kegiatan listed twice
with different amounts.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from rak_xl.errors import RakError, os_reason
from rak_xl.numbers import Convention, Number, in_range, is_dash, parse_number

__all__ = ["MAX_DPA_BYTES", "load_dpa"]

MAX_DPA_BYTES = 20 * 2**20  # a DPA of thousands of kegiatan is well under 1 MB
_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
_HOW = "tiap kegiatan: uraian lalu 12 angka kas Januari..Desember"


class _Refused(Exception):
    """A problem inside the file; ``load_dpa`` adds the file name to the sentence."""


def load_dpa(path: Path) -> dict[str, list[Number]]:
    """The DPA of ``path``: kegiatan uraian -> 12 monthly amounts (RakError when refused)."""
    shown = Path(path).absolute()
    data = _read_bounded(Path(path), shown)
    try:
        text = _decode(data)
        plan = _from_json(text) if text.lstrip().startswith(("{", "[")) else _from_csv(text)
        if not plan:
            raise _Refused(f"tidak ada kegiatan di dalamnya; {_HOW}")
        return plan
    except _Refused as exc:
        raise RakError(f"File DPA {shown} ditolak: {exc}.") from None


# --------------------------------------------------------------------------- the bytes


def _read_bounded(path: Path, shown: Path) -> bytes:
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise RakError(f"File DPA {shown} adalah folder; berikan file CSV atau JSON.")
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block, a device never end
            raise RakError(f"File DPA {shown} bukan file biasa, jadi tidak dibaca.")
        _check_size(st.st_size, shown)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)  # non-blocking: swapped for a FIFO since the stat
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise RakError(f"File DPA {shown} bukan file biasa, jadi tidak dibaca.")
            chunks, size = [], 0
            while size <= MAX_DPA_BYTES and (chunk := os.read(fd, 1 << 20)):
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise RakError(f"File DPA {shown} tidak ditemukan.") from None
    except OSError as exc:
        raise RakError(f"File DPA {shown} tidak bisa dibaca ({os_reason(exc)}).") from None
    _check_size(size, shown)  # it grew while being read
    if size == 0:
        raise RakError(f"File DPA {shown} kosong; {_HOW}.")
    return b"".join(chunks)


def _check_size(size: int, shown: Path) -> None:
    if size > MAX_DPA_BYTES:
        raise RakError(
            f"File DPA {shown} terlalu besar ({size / 2**20:.0f} MB); batasnya "
            f"{MAX_DPA_BYTES // 2**20} MB."
        )


def _decode(data: bytes) -> str:
    """Text by BOM (UTF-8, UTF-16), else UTF-16 told by its zero bytes, UTF-8, cp1252;
    with control characters refused and stray BOMs dropped (``_clean``)."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise _Refused("itu workbook Excel, bukan CSV atau JSON; simpan sebagai CSV dari Excel")
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif (utf16 := _utf16_without_bom(data[:4096])) is not None:
        encodings = [utf16]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            return _clean(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise _Refused("isinya bukan teks (CSV atau JSON)")


def _utf16_without_bom(head: bytes) -> str | None:
    """Excel's "Unicode Text" saved without its BOM: one byte of every pair is zero (the
    text is nearly all Latin letters and digits). A few NUL bytes in 8-bit text are not
    that: they are refused by ``_clean`` with their line named."""
    odd, even = head[1::2].count(0), head[0::2].count(0)
    half = len(head) // 2
    if half and max(odd, even) >= 0.8 * half and min(odd, even) <= 0.1 * half:
        return "utf-16-le" if odd > even else "utf-16-be"
    return None


# Control characters have no place in a CSV or JSON of amounts (tab, CR, LF excepted): a
# NUL or form feed there means a damaged file or one that is not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _clean(text: str) -> str:
    # A BOM inside the text (two exports pasted together) is an invisible zero-width
    # character staff cannot see to delete; it means nothing in a cell, so it is dropped.
    text = text.replace("\ufeff", "")
    bad = _CONTROL.search(text)
    if bad is not None:
        line = 1 + len(_LINE_BREAK.findall(text, 0, bad.start()))
        code = ord(bad.group())
        what = "NUL" if code == 0 else f"kode {code:#04x}"
        raise _Refused(
            f"baris {line} berisi karakter kendali ({what}), jadi file ini rusak atau bukan "
            "teks; simpan ulang sebagai CSV dari Excel"
        )
    return text


# --------------------------------------------------------------------------- amounts


def _amount(value: Any, where: str, convention: Convention = "id") -> Number:
    """One month's amount, or ``_Refused`` naming ``where``."""
    if value is None:
        return 0
    if isinstance(value, bool | _Unreadable):
        shown = value.text if isinstance(value, _Unreadable) else str(value).lower()
        raise _Refused(f"{where}: {shown} bukan jumlah uang")
    if isinstance(value, int | float):
        if not in_range(value):
            raise _Refused(f"{where}: {_big(value)} di luar batas (paling besar 10^15)")
        return value
    if isinstance(value, str):
        if not value.strip() or is_dash(value):
            return 0
        if any(ch.isdigit() and not ch.isascii() for ch in value):
            # A DPA is typed or exported with the digits 0-9. Other digits (Arabic-Indic,
            # fullwidth ...) mean a pasted or forged amount; one that looks like 0-9 but
            # is not would be compared unseen, so it is refused, not converted.
            raise _Refused(f"{where}: '{_short(value)}' memakai angka selain 0-9")
        num = parse_number(value, convention)
        if num is None:
            raise _Refused(f"{where}: '{_short(value)}' bukan angka")
        if not in_range(num):
            raise _Refused(f"{where}: '{_short(value)}' di luar batas (paling besar 10^15)")
        return num
    raise _Refused(f"{where}: harus angka")


def _big(value: float | int) -> str:
    return f"{value:.6g}" if isinstance(value, float) else f"angka {len(str(abs(value)))} digit"


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Unreadable:
    """A JSON literal no amount can be: NaN, Infinity, an integer of absurd length."""

    def __init__(self, text: str) -> None:
        self.text = text


def _parse_int(text: str) -> int | _Unreadable:
    # Bounded before ``int()``: 100,000 digits take seconds and overflow every float.
    return int(text) if len(text.lstrip("-")) <= 20 else _Unreadable(f"{text[:12]}...")


def _parse_float(text: str) -> float | _Unreadable:
    value = float(text)
    return _Unreadable(text[:20]) if not in_range(value) else value


# --------------------------------------------------------------------------- JSON


def _from_json(text: str) -> dict[str, list[Number]]:
    import json

    try:
        data = json.loads(
            text,
            parse_constant=_Unreadable,  # NaN, Infinity, -Infinity
            parse_int=_parse_int,
            parse_float=_parse_float,
            object_pairs_hook=list,  # duplicates are seen, not silently merged
        )
    except json.JSONDecodeError as exc:
        raise _Refused(f"JSON tidak sah di baris {exc.lineno} kolom {exc.colno}") from None
    except RecursionError:
        raise _Refused("JSON bersarang terlalu dalam") from None
    if not isinstance(data, list) or (data and not isinstance(data[0], tuple)):
        raise _Refused('JSON harus berbentuk {"uraian kegiatan": [12 angka], ...}')
    plan = _Plan()
    for name, months in data:
        label = f"kegiatan '{_short(name)}'"
        if not isinstance(months, list) or len(months) != 12:
            raise _Refused(f"{label} harus punya tepat 12 angka (Januari..Desember)")
        values = [_amount(v, f"{label} {_MONTHS[m]}") for m, v in enumerate(months)]
        plan.add(name, values, label)
    return plan.months


# --------------------------------------------------------------------------- CSV


def _from_csv(text: str) -> dict[str, list[Number]]:
    import csv
    import io

    from rak_xl.numbers import detect_convention

    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, [cell.strip() for cell in row]))
    except csv.Error:
        raise _Refused(f"baris {max(reader.line_num, 1)} tidak bisa dibaca sebagai CSV") from None
    convention = detect_convention(cell for _, row in rows for cell in row[1:13])
    if rows and _is_header(rows[0][1], convention):
        rows = rows[1:]
    plan = _Plan()
    for line, row in rows:
        label = f"baris {line}"
        if len(row) < 13 or any(row[13:]):
            raise _Refused(f"{label} punya {len([c for c in row[1:] if c])} angka; {_HOW}")
        if not row[0]:
            raise _Refused(f"{label}: uraian kegiatan kosong")
        values = [
            _amount(v, f"{label} ({_MONTHS[m]})", convention) for m, v in enumerate(row[1:13])
        ]
        plan.add(row[0], values, f"{label}: kegiatan '{_short(row[0])}'")
    return plan.months


def _is_header(row: list[str], convention: Convention) -> bool:
    """The first line names the columns: text in its month cells, and no amount (a row of
    amounts with one bad cell is refused, not skipped as a header)."""
    cells = [cell for cell in row[1:13] if cell and not is_dash(cell)]
    return bool(cells) and all(parse_number(cell, convention) is None for cell in cells)


class _Plan:
    """The DPA being collected; one kegiatan twice with different amounts is refused."""

    def __init__(self) -> None:
        from rak_xl.rules.cash import dpa_key  # how the check matches kegiatan to the DPA

        self.key = dpa_key
        self.months: dict[str, list[Number]] = {}
        self._by_key: dict[str, list[Number]] = {}

    def add(self, name: str, values: list[Number], label: str) -> None:
        earlier = self._by_key.setdefault(self.key(name), values)
        if earlier != values:
            raise _Refused(f"{label} tertulis dua kali dengan kas berbeda")
        self.months[name] = values
