"""Number rules: amounts and targets that are not (usable) numbers."""

from __future__ import annotations

from collections.abc import Iterator

from rak_xl.excel_error import is_excel_error
from rak_xl.model import Kegiatan, Number, Program, Sasaran, SubKegiatan
from rak_xl.numbers import MAX_AMOUNT, in_range, parse_number
from rak_xl.rules.base import Context, Item, Rule, fmt_num, is_target_text
from rak_xl.rules.findings import Finding
from rak_xl.settle import TEXT_KEYS

__all__ = ["BULAN", "Negative", "NotANumber", "field_label"]

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

# A tuple, not ``Kegiatan | SubKegiatan``: that union is built anew at each call, and
# ``isinstance`` takes a tuple faster (both asked for every item of a sheet).
_CASH_TYPES = (Kegiatan, SubKegiatan)
_LABELS = {
    "volume": "volume",
    "anggaran": "anggaran",
    "target_tahunan": "target tahunan",
    "target_tw": "target TW",
}


def field_label(key: str) -> str:
    """Field key -> words a user recognises ("kas_bulanan.2" -> "kas Maret")."""
    name, _, idx = key.partition(".")
    if name == "kas_bulanan" and idx.isdigit() and int(idx) < 12:
        return f"kas {BULAN[int(idx)]}"
    if name == "target_tw" and idx.isdigit():
        return f"target TW {int(idx) + 1}"
    return _LABELS.get(key, key)


class NotANumber(Rule):
    code = "number.not-a-number"
    severity = "error"
    label = "Bukan angka"
    cell_level = True
    title = "Isi sel jumlah uang atau target bukan angka"
    template = (
        "Isi {field} ('{text}') bukan angka{alasan}. Tulis angka saja, '-', atau kosongkan sel."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            for key, text in item.raw.items():
                # A target text that cannot be split into TW 1..4 is target.unparseable;
                # an Excel error value (#N/A) is struct.cell-error.
                # Texts kept for a name or unit (settle.py) are no number either.
                if is_target_text(key, text) or is_excel_error(text) or key in TEXT_KEYS:
                    continue
                yield self.finding(
                    ctx,
                    item.src,
                    item.src.cell(key),
                    path,
                    field=field_label(key),
                    text=_short(text),
                    alasan=_why(text),
                )


def _why(text: str) -> str:
    """Why a text that looks like a number is still none (else "")."""
    t = text.strip()
    if t in ("NaN", "tak hingga", "-tak hingga"):  # ``numbers.number_text`` of a cell
        return " yang terhingga"
    value = parse_number(t)
    if value is None:
        try:
            value = float(t)  # 1e+308, as a number cell too large is shown
        except ValueError:
            return ""
    if not in_range(value):
        return f" yang wajar (lebih dari {fmt_num(MAX_AMOUNT)})"
    return ""


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _numbers(item: Item) -> Iterator[tuple[str, Number | None]]:
    """(field key, value) of every number the item holds."""
    for q, t in enumerate(item.target_tw):
        yield f"target_tw.{q}", t
    if isinstance(item, Sasaran):
        yield "target_tahunan", item.target_tahunan
    if isinstance(item, Program):
        yield "anggaran", item.anggaran
    if isinstance(item, _CASH_TYPES):
        yield "volume", item.volume
        yield "anggaran", item.anggaran  # the 4-level form's (None in the 2020 form)
        for m, v in enumerate(item.kas_bulanan):
            yield f"kas_bulanan.{m}", v


def _any_negative(item: Item) -> bool:
    """Whether ``_numbers(item)`` holds a negative number (its key strings not built)."""
    # At C speed: ``filter(None, ...)`` drops None and zeros (neither is negative);
    # ``0.0 > v`` is ``v < 0`` (float comparison takes ints too; a NaN is never less).
    if isinstance(item, _CASH_TYPES):
        # ``min`` at C speed; a NaN first (never from the reader) would hide what follows
        # it from ``min``: then each month is compared.
        kas = item.kas_bulanan
        if kas and ((m := min(kas)) < 0 or (m != m and any(map((0.0).__gt__, kas)))):
            return True
        if item.anggaran is not None and item.anggaran < 0:  # the 4-level form's
            return True
        extra: Number | None = item.volume
    else:
        extra = item.target_tahunan if isinstance(item, Sasaran) else item.anggaran
    return (extra is not None and extra < 0) or any(map((0.0).__gt__, filter(None, item.target_tw)))


class Negative(Rule):
    code = "number.negative"
    severity = "error"
    label = "Angka negatif"
    cell_level = True
    title = "Kas atau target bernilai negatif"
    template = "Nilai {field} negatif ({value}). Kas dan target tidak boleh kurang dari nol."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            if not _any_negative(item):
                continue  # the common case, told at C speed (no key strings built)
            for key, value in _numbers(item):
                if value is not None and value < 0:
                    cell = item.src.cells.get(key)
                    if cell is None and key.startswith("target_tw."):
                        cell = item.src.cells.get("target_tw")
                    yield self.finding(
                        ctx,
                        item.src,
                        cell or item.src.cell("uraian"),
                        path,
                        field=field_label(key),
                        value=fmt_num(value),
                    )
