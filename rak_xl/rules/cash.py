"""Cash rules: the monthly cash plan against the budget, the targets and the DPA.

They check the items holding a cash plan (``Context.cash_items``): each kegiatan of the
2020 form; each sub kegiatan of the 4-level form (and a kegiatan there without one).
The 4-level form's budget rules per level are in ``rules.pagu``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain

from rak_xl.kode import kode_level, normalize
from rak_xl.model import QUARTER_MONTHS, CashItem, Kegiatan, Number, Program, targets_unreadable
from rak_xl.rules.base import (
    Context,
    Rule,
    fmt_rp,
    has_target,
    item_word,
    path_of,
    quarter_amounts,
    raw_has,
    same,
)
from rak_xl.rules.findings import Finding
from rak_xl.rules.number import BULAN
from rak_xl.rules.target import kind_of, missing_targets

__all__ = [
    "CashEmpty",
    "CashWithoutTarget",
    "DpaMismatch",
    "DpaUnmatched",
    "ProgramTotalMismatch",
    "dpa_key",
    "planned",
    "sum_known",
]


def sum_known(items: list[CashItem]) -> bool:
    """The cash of ``items`` adds up to something meaningful: no unreadable or negative
    month (those are reported on their own cells; a total built on them would only echo
    them)."""
    if any(raw_has(k, "kas_bulanan") for k in items if k.raw):
        return False
    # ``0.0 <= v`` is ``v >= 0`` at C speed (float comparison takes ints too), over all
    # the items' months at once.
    return all(map((0.0).__le__, chain.from_iterable(k.kas_bulanan for k in items)))


def _cash_of(p: Program) -> list[CashItem]:
    """The items holding the program's cash plan (its kegiatan, or their sub kegiatan)."""
    return [item for k in p.kegiatan for item in (k.sub_kegiatan or (k,))]


def planned(item: CashItem) -> Number:
    """What an item is budgeted at: its stated (readable) anggaran, else what its sub
    kegiatan are budgeted at, else its cash. A total compared with this rather than with
    the cash is off only by a fault of its own: a difference that comes from a lower
    item's cash against its own anggaran is that item's finding, not its parent's."""
    if item.anggaran is not None and "anggaran" not in item.raw:
        return item.anggaran
    if isinstance(item, Kegiatan) and item.sub_kegiatan:
        return sum(planned(sk) for sk in item.sub_kegiatan)
    return item.kas_setahun


class ProgramTotalMismatch(Rule):
    code = "cash.program-total-mismatch"
    severity = "error"
    label = "Kas tidak sama dengan anggaran program"
    title = "Jumlah kas kegiatan tidak sama dengan anggaran program"
    template = (
        "Jumlah kas kegiatan ({jumlah}) tidak sama dengan anggaran program ({anggaran}): "
        "{arah} {selisih}. Sesuaikan anggaran program atau kas kegiatannya."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        tol = ctx.settings.money_tolerance
        for s, p in ctx.rak.programs():
            if p.anggaran is None or not p.kegiatan or not sum_known(_cash_of(p)):
                continue
            jumlah = p.jumlah_kas
            if same(jumlah, p.anggaran, tol):
                continue
            if ctx.rak.tingkat == 4 and same(sum(planned(k) for k in p.kegiatan), p.anggaran, tol):
                continue  # each difference is a kegiatan's or sub kegiatan's own finding
            diff = jumlah - p.anggaran
            yield self.finding(
                ctx,
                p.src,
                p.src.cell("anggaran"),
                path_of(s, p),
                jumlah=fmt_rp(jumlah),
                anggaran=fmt_rp(p.anggaran),
                arah="kas lebih" if diff > 0 else "kas kurang",
                selisih=fmt_rp(abs(diff)),
            )


class CashEmpty(Rule):
    code = "cash.empty"
    severity = "warning"
    label = "Kas kosong"
    title = "Kegiatan (sub kegiatan) tanpa anggaran kas di bulan mana pun"
    template = (
        "{item} ini tidak punya anggaran kas di bulan mana pun. "
        "Isi rencana kas per bulan sesuai DPA."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for k, path in ctx.cash_items:
            if any(k.kas_bulanan) or raw_has(k, "kas_bulanan"):
                continue  # text in a cash cell is number.not-a-number, not an empty plan
            cell = k.src.cell("kas_bulanan.0")
            yield self.finding(ctx, k.src, cell, path, item=item_word(k))


class CashWithoutTarget(Rule):
    """Money is planned in a quarter whose output is never targeted from then on."""

    code = "cash.without-target"
    severity = "warning"
    label = "Kas tanpa target"
    title = "Ada kas di suatu triwulan tetapi tidak ada target di triwulan itu atau sesudahnya"
    template = (
        "Ada kas di {kas} tetapi tidak ada target di triwulan itu atau sesudahnya. "
        "Isi target triwulan tersebut atau pindahkan kasnya."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for k, path in ctx.cash_items:
            if targets_unreadable(k):
                continue  # said by target.unparseable / number.not-a-number on their cells
            if has_target(k.target_tw[3]):
                continue  # TW 4 targeted under either reading below (most kegiatan): none bad
            if missing_targets(k) is not None:
                continue  # no target at all: target.missing says it, with the cash
            # For a level indicator 0 is a real level (0 kasus); for a count it is "nothing".
            targeted = _stated if kind_of(k).kind.is_level else has_target
            # A quarter is bad when it has cash and no quarter from it on has a target:
            # when the last targeted quarter is TW 4 (most kegiatan), none is.
            last = max((q for q, t in enumerate(k.target_tw) if targeted(t)), default=-1)
            if last == 3:
                continue
            kas_tw = k.kas_tw
            bad = [q for q in range(4) if kas_tw[q] > 0 and q > last]
            if not bad:
                continue
            first = bad[0]
            month = next(m for m in QUARTER_MONTHS[first] if k.kas_bulanan[m] > 0)
            yield self.finding(
                ctx,
                k.src,
                k.src.cell(f"kas_bulanan.{month}"),
                path,
                kas=quarter_amounts(bad, kas_tw),
            )


def _stated(value: Number | None) -> bool:
    return value is not None


def dpa_key(uraian: str | None) -> str:
    """How a kegiatan is matched to the DPA: case and spacing do not matter."""
    return " ".join(str(uraian or "").casefold().split())


class _Dpa:
    """The DPA reference keyed two ways: by code (a key that is a well-formed code: what
    SIPD exports key by) and by uraian."""

    def __init__(self, ctx: Context) -> None:
        self.by_kode: dict[str, Sequence[Number]] = {}
        self.by_name: dict[str, Sequence[Number]] = {}
        for key, months in ctx.dpa.items():
            if kode_level(key) is not None:
                self.by_kode[normalize(key)] = months
            else:
                self.by_name[dpa_key(key)] = months

    def months(self, item: CashItem) -> Sequence[Number] | None:
        """The item's DPA months: matched by its code first, then by its uraian."""
        if item.kode and self.by_kode:
            found = self.by_kode.get(normalize(item.kode))
            if found is not None:
                return found
        return self.by_name.get(dpa_key(item.uraian))


class DpaMismatch(Rule):
    code = "cash.dpa-mismatch"
    severity = "error"
    label = "Kas berbeda dengan DPA"
    cell_level = True
    title = "Kas per bulan berbeda dengan DPA (bila DPA diberikan)"
    template = (
        "Kas {bulan} ({kas}) berbeda dengan DPA ({dpa}), selisih {selisih}. "
        "Samakan rencana kas dengan DPA."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.dpa:
            return
        reference = _Dpa(ctx)
        tol = ctx.settings.money_tolerance
        for k, path in ctx.cash_items:
            months = reference.months(k)
            if months is None:
                continue
            for m, (kas, dpa) in enumerate(zip(k.kas_bulanan, months, strict=False)):
                if not same(kas, dpa, tol):
                    yield self.finding(
                        ctx,
                        k.src,
                        k.src.cell(f"kas_bulanan.{m}"),
                        path,
                        bulan=BULAN[m],
                        kas=fmt_rp(kas),
                        dpa=fmt_rp(dpa),
                        selisih=fmt_rp(abs(kas - dpa)),
                    )


class DpaUnmatched(Rule):
    """Added to the DOMAIN.md catalogue: with a DPA given, a kegiatan it does not list is
    not compared at all; say so instead of staying silent."""

    code = "cash.dpa-unmatched"
    severity = "info"
    label = "Kegiatan tidak ada di DPA"
    title = "Kegiatan (sub kegiatan) tidak ada di DPA yang diberikan (kasnya tidak dibandingkan)"
    template = (
        "{item} '{uraian}' tidak ditemukan di DPA yang diberikan, jadi kasnya tidak "
        "dibandingkan. Periksa penulisan uraian {jenis} atau isi DPA."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.dpa:
            return
        reference = _Dpa(ctx)
        for k, path in ctx.cash_items:
            if (dpa_key(k.uraian) or k.kode) and reference.months(k) is None:
                word = item_word(k)
                yield self.finding(
                    ctx,
                    k.src,
                    k.src.cell("uraian"),
                    path,
                    item=word,
                    uraian=k.uraian or "",
                    jenis=word.lower() + ("" if k.kode is None else " (dan kodenya)"),
                )
