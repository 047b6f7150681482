"""Target rules: quarterly targets against the year, the indicator kind and the cash.

Which level each rule looks at:
- sasaran: annual = ``target_tahunan``; kind from the indicator wording only;
- program: no annual figure in the sheet, so only the within-year checks (decreasing,
  percent) apply;
- kegiatan (and sub kegiatan, in the 4-level form): annual = ``volume`` (with its
  ``satuan``); kind from unit, wording and KET. A 4-level kegiatan has no volume of its
  own: only the within-year checks apply to it, as to a program.
Targets whose text could not be read (``raw``) are left to ``target.unparseable`` /
``number.not-a-number``: comparing half-read numbers would only add false alarms.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from rak_xl.excel_error import is_excel_error
from rak_xl.model import Kegiatan, Number, Sasaran, SubKegiatan
from rak_xl.rules.base import (
    Context,
    Item,
    Rule,
    fmt_num,
    has_target,
    is_target_text,
    quarter_amounts,
    quarters,
    raw_has,
    same,
    target_cell,
)
from rak_xl.rules.findings import Finding
from rak_xl.rules.kind import Kind, KindGuess, guess_kind, is_percent

__all__ = [
    "AdditiveSumMismatch",
    "Decreasing",
    "FinalMismatch",
    "PercentOver100",
    "TargetMissing",
    "TargetUnparseable",
    "TargetWithoutCash",
    "annual_of",
    "kind_of",
    "missing_targets",
]


class Annual(NamedTuple):
    """The figure the quarters must reach: its value, field key and how to name it.

    A named tuple rather than a frozen dataclass: built for every item by several rules,
    and a frozen dataclass is several times slower to create.
    """

    value: Number
    key: str
    label: str  # "volume" / "target tahunan"
    satuan: str | None = None

    @property
    def shown(self) -> str:
        """``1.416 Orang``: formatted only for a finding's message (Babel is slow)."""
        return fmt_num(self.value) + (f" {self.satuan.strip()}" if self.satuan else "")


# The items with a volume, a satuan and KET: those holding (or able to hold) a cash plan.
_VOLUME_ITEMS = (Kegiatan, SubKegiatan)


def annual_of(item: Item) -> Annual | None:
    if isinstance(item, _VOLUME_ITEMS) and item.volume is not None:
        return Annual(item.volume, "volume", "volume", item.satuan)
    if isinstance(item, Sasaran) and item.target_tahunan is not None:
        return Annual(item.target_tahunan, "target_tahunan", "target tahunan")
    return None


def kind_of(item: Item) -> KindGuess:
    if isinstance(item, _VOLUME_ITEMS):
        return guess_kind(item.satuan, item.indikator, item.ket)
    return guess_kind(None, item.indikator, None)


def _percent(item: Item) -> bool:
    return is_percent(item.satuan if isinstance(item, _VOLUME_ITEMS) else None, item.indikator)


def _readable(item: Item) -> bool:
    """All targets (and the annual figure) were read as numbers or '-'."""
    return not raw_has(item, ("target_tw", "volume", "target_tahunan"))


_KIND_WORD = {
    Kind.ADDITIVE: "penjumlahan",
    Kind.LEVEL: "capaian (level)",
    Kind.LEVEL_LOWER: "capaian (makin kecil makin baik)",
}


def _sum_ok(item: Item, annual: Annual) -> bool:
    # ``filter(None, ...)``: the numbers other than 0 (None is no target), at C speed.
    return same(sum(filter(None, item.target_tw)), annual.value)


def _final_ok(item: Item, annual: Annual) -> bool:
    tw4 = item.target_tw[3]
    return tw4 is not None and same(tw4, annual.value)


def _checked_items(ctx: Context) -> list[tuple[Item, str, KindGuess, Annual]]:
    """(item, path, kind, annual figure) of the items ``_checked`` passes: both sum rules
    need them, built once per check."""
    got: list[tuple[Item, str, KindGuess, Annual]] | None = ctx.memo.get("target.checked")
    if got is None:
        got = ctx.memo["target.checked"] = [
            (item, path, *checked)
            for item, path in ctx.items
            if (checked := _checked(item)) is not None
        ]
    return got


def _checked(item: Item) -> tuple[KindGuess, Annual] | None:
    """Kind and annual figure when the quarters can be compared with the year."""
    annual = annual_of(item)
    if annual is None or not _readable(item):
        return None
    if item.target_tw.count(None) == 4:
        return None  # target.missing
    guess = kind_of(item)
    # Unsure kind: report only what is wrong under both readings.
    if not guess.sure and (_sum_ok(item, annual) or _final_ok(item, annual)):
        return None
    return guess, annual


class TargetMissing(Rule):
    code = "target.missing"
    severity = "warning"
    label = "Target tidak ada"
    title = "Tidak ada target triwulan sama sekali padahal volume/target tahunan > 0"
    template = "Target TW 1–4 belum diisi padahal {acuan} {nilai}{kas}. Isi target per triwulan."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            annual = missing_targets(item)
            if annual is None:
                continue
            kas = ""
            if isinstance(item, Kegiatan):
                # One finding per cause: the cash planned without any target is said here,
                # not again by cash.without-target.
                kas_tw = item.kas_tw
                with_cash = [q for q in range(4) if kas_tw[q] > 0]
                if with_cash:
                    kas = f", dan kas sudah direncanakan di {quarter_amounts(with_cash, kas_tw)}"
            yield self.finding(
                ctx,
                item.src,
                target_cell(item.src),
                path,
                acuan=annual.label,
                nilai=annual.shown,
                kas=kas,
            )


def missing_targets(item: Item) -> Annual | None:
    """The volume/annual target of an item that has no quarterly target at all although
    it has one (``target.missing``), else None."""
    if any(t is not None for t in item.target_tw):
        return None  # tested first: most items have targets, and it is the cheapest
    annual = annual_of(item)
    if annual is None or annual.value <= 0 or not _readable(item):
        return None
    return annual


class TargetUnparseable(Rule):
    code = "target.unparseable"
    severity = "warning"
    label = "Target tidak terbaca"
    title = "Teks target tidak bisa dibaca sebagai TW 1..4"
    template = (
        "Target '{text}' tidak bisa dibaca sebagai TW 1..4. Tulis misalnya "
        "'TW 1 = 5 TW 2 = 10 TW 3 = - TW 4 = 20', atau satu angka per triwulan."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            for key, text in item.raw.items():
                if not is_target_text(key, text) or is_excel_error(text):
                    continue  # an Excel error value (#N/A) is struct.cell-error
                quarter = int(key.split(".")[1]) if "." in key else None
                short = " ".join(text.split())
                short = short if len(short) <= 60 else short[:59] + "…"
                cell = target_cell(item.src, quarter)
                yield self.finding(ctx, item.src, cell, path, text=short)


class AdditiveSumMismatch(Rule):
    code = "target.additive-sum-mismatch"
    severity = "error"
    label = "Jumlah target tidak sama dengan volume"
    title = "Indikator penjumlahan: TW 1 + TW 2 + TW 3 + TW 4 tidak sama dengan volume"
    template = (
        "Jumlah target TW 1–4 ({jumlah}) tidak sama dengan {acuan} ({nilai}). "
        "Sesuaikan target per triwulan agar jumlahnya sama dengan {acuan}."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path, guess, annual in _checked_items(ctx):
            if guess.kind is not Kind.ADDITIVE or _sum_ok(item, annual):
                continue
            yield self.finding(
                ctx,
                item.src,
                target_cell(item.src),
                path,
                jumlah=fmt_num(sum(t or 0 for t in item.target_tw)),
                acuan=annual.label,
                nilai=annual.shown,
            )


class FinalMismatch(Rule):
    code = "target.final-mismatch"
    severity = "error"
    label = "Target TW 4 tidak sama dengan target tahunan"
    title = "Indikator capaian (level): target TW 4 tidak sama dengan target tahunan"
    template = (
        "Target TW 4 ({tw4}) tidak sama dengan {acuan} ({nilai}). Untuk indikator "
        "{jenis}, target TW 4 adalah capaian akhir tahun: samakan keduanya."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path, guess, annual in _checked_items(ctx):
            if not guess.kind.is_level or _final_ok(item, annual):
                continue
            yield self.finding(
                ctx,
                item.src,
                target_cell(item.src, 3),
                path,
                tw4=fmt_num(item.target_tw[3]),
                acuan=annual.label,
                nilai=annual.shown,
                jenis=_KIND_WORD[guess.kind],
            )


class Decreasing(Rule):
    code = "target.decreasing"
    severity = "warning"
    label = "Target menurun"
    title = (
        "Indikator capaian: target triwulan berikutnya lebih rendah "
        "(lebih tinggi bila makin kecil makin baik)"
    )
    template = (
        "Target {tw} ({nilai}) {arah} target {tw_awal} ({nilai_awal}), padahal indikator "
        "{jenis} tidak boleh {mundur}. Periksa urutan target triwulan."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            guess = kind_of(item)
            if not (guess.sure and guess.kind.is_level) or not _readable(item):
                continue
            lower = guess.kind is Kind.LEVEL_LOWER
            best: tuple[int, Number] | None = None  # the quarter that set the bar so far
            for q, t in enumerate(item.target_tw):
                if t is None:
                    continue
                if best is not None and (t > best[1] if lower else t < best[1]):
                    yield self.finding(
                        ctx,
                        item.src,
                        target_cell(item.src, q),
                        path,
                        tw=f"TW {q + 1}",
                        nilai=fmt_num(t),
                        arah="lebih tinggi dari" if lower else "lebih rendah dari",
                        tw_awal=f"TW {best[0] + 1}",
                        nilai_awal=fmt_num(best[1]),
                        jenis=_KIND_WORD[guess.kind],
                        mundur="naik" if lower else "turun",
                    )
                    break  # one finding per row: the first quarter that goes back
                if best is None or (t < best[1] if lower else t > best[1]):
                    best = (q, t)


class PercentOver100(Rule):
    code = "target.percent-over-100"
    severity = "error"
    label = "Target di atas 100%"
    title = "Indikator persentase dengan target di atas 100"
    template = "{field} ({nilai}%) melebihi 100% untuk indikator persentase. Perbaiki targetnya."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            if not _percent(item):
                continue
            annual = annual_of(item)
            if annual is not None and annual.value > 100:
                field = "Volume" if annual.key == "volume" else "Target tahunan"
                yield self.finding(
                    ctx,
                    item.src,
                    item.src.cell(annual.key),
                    path,
                    field=field,
                    nilai=fmt_num(annual.value),
                )
            for q, t in enumerate(item.target_tw):
                if t is not None and t > 100:
                    yield self.finding(
                        ctx,
                        item.src,
                        target_cell(item.src, q),
                        path,
                        field=f"Target TW {q + 1}",
                        nilai=fmt_num(t),
                    )


class TargetWithoutCash(Rule):
    """An additive output promised in a quarter before any money is planned for it."""

    code = "target.without-cash"
    severity = "warning"
    label = "Target tanpa kas"
    title = (
        "Indikator penjumlahan: ada target di suatu triwulan tetapi belum ada kas "
        "sampai akhir triwulan itu"
    )
    template = (
        "Ada target di {tw} tetapi belum ada kas dari Januari sampai akhir {tw_akhir}. "
        "Jadwalkan kas paling lambat di triwulan target atau geser targetnya."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for k, path in ctx.cash_items:
            if any(k.kas_bulanan[:3]):
                continue  # cash from TW 1 on covers every quarter's target (most kegiatan)
            guess = kind_of(k)
            if guess.kind is not Kind.ADDITIVE or not _readable(k):
                continue
            if raw_has(k, "kas_bulanan"):
                continue
            bad = [
                q for q, t in enumerate(k.target_tw)
                if has_target(t) and not any(k.kas_bulanan[: 3 * q + 3])
            ]  # fmt: skip
            if bad:
                yield self.finding(
                    ctx,
                    k.src,
                    target_cell(k.src, bad[0]),
                    path,
                    tw=quarters(bad),
                    tw_akhir=f"TW {bad[-1] + 1}",
                )
