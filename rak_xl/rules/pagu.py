"""Budget rules of the 4-level form (silent on a 2020 sheet, which states no kegiatan or
sub kegiatan budget): the cash plan against the stated budget (*pagu*) of
each sub kegiatan and kegiatan, and a kegiatan row's own subtotal against its sub kegiatan.

The money sits at the sub kegiatan; kegiatan and program amounts are its totals
(docs/SUB_KEGIATAN.md 2, item 1; SIPD's ``selisih`` = plan - detail must be 0). One wrong
month is reported once, where it is: a total is compared with what its children are
budgeted at (``cash.planned``), so a difference that a child's own finding explains is
not repeated on every level above it. Sums built on unreadable or negative months are not
compared (those months are findings of their own).
"""

from __future__ import annotations

from collections.abc import Iterator

from rak_xl.model import Kegiatan, Number, SubKegiatan
from rak_xl.rules.base import Context, Rule, fmt_rp, path_of, raw_has, same
from rak_xl.rules.cash import planned, sum_known
from rak_xl.rules.findings import Finding
from rak_xl.rules.number import BULAN

__all__ = ["KegiatanSumMismatch", "KegiatanTotalMismatch", "SubKegiatanTotalMismatch"]


def _stated(item: Kegiatan | SubKegiatan) -> Number | None:
    """The item's anggaran when it is written and readable."""
    return None if item.anggaran is None or "anggaran" in item.raw else item.anggaran


def _money_params(jumlah: Number, anggaran: Number) -> dict[str, object]:
    diff = jumlah - anggaran
    return {
        "jumlah": fmt_rp(jumlah),
        "anggaran": fmt_rp(anggaran),
        "arah": "kas lebih" if diff > 0 else "kas kurang",
        "selisih": fmt_rp(abs(diff)),
    }


class KegiatanTotalMismatch(Rule):
    code = "cash.kegiatan-total-mismatch"
    severity = "error"
    label = "Kas tidak sama dengan anggaran kegiatan"
    title = "Jumlah kas sub kegiatan tidak sama dengan anggaran kegiatan"
    template = (
        "Jumlah kas {isi} ({jumlah}) tidak sama dengan anggaran kegiatan ({anggaran}): "
        "{arah} {selisih}. Sesuaikan anggaran kegiatan atau kas {isi}."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.rak.tingkat != 4:
            return
        tol = ctx.settings.money_tolerance
        for s, p, k in ctx.rak.kegiatan_all():
            anggaran = _stated(k)
            if anggaran is None or not sum_known(list(k.sub_kegiatan or (k,))):
                continue
            jumlah = k.jumlah_kas
            if same(jumlah, anggaran, tol):
                continue
            if k.sub_kegiatan and same(sum(planned(sk) for sk in k.sub_kegiatan), anggaran, tol):
                continue  # each difference is a sub kegiatan's own finding
            yield self.finding(
                ctx,
                k.src,
                k.src.cell("anggaran"),
                path_of(s, p, k),
                isi="sub kegiatannya" if k.sub_kegiatan else "per bulannya",
                **_money_params(jumlah, anggaran),
            )


class SubKegiatanTotalMismatch(Rule):
    code = "cash.subkegiatan-total-mismatch"
    severity = "error"
    label = "Kas tidak sama dengan anggaran sub kegiatan"
    title = "Jumlah kas Januari–Desember sub kegiatan tidak sama dengan anggarannya"
    template = (
        "Jumlah kas Januari–Desember ({jumlah}) tidak sama dengan anggaran sub kegiatan "
        "({anggaran}): {arah} {selisih}. Samakan rencana kas per bulan dengan anggaran "
        "kas di DPA."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        tol = ctx.settings.money_tolerance
        for s, p, k, sk in ctx.rak.sub_kegiatan_all():
            anggaran = _stated(sk)
            if anggaran is None or not sum_known([sk]):
                continue
            jumlah = sk.kas_setahun
            if not same(jumlah, anggaran, tol):
                yield self.finding(
                    ctx,
                    sk.src,
                    sk.src.cell("anggaran"),
                    path_of(s, p, k, sk),
                    **_money_params(jumlah, anggaran),
                )


class KegiatanSumMismatch(Rule):
    """A kegiatan row that states month amounts of its own (a tree-style sheet) while it
    has sub kegiatan: those are a subtotal and must be their sum."""

    code = "cash.kegiatan-sum-mismatch"
    severity = "error"
    label = "Kas kegiatan tidak sama dengan rinciannya"
    cell_level = True
    title = "Kas per bulan di baris kegiatan tidak sama dengan jumlah kas sub kegiatannya"
    template = (
        "Kas {bulan} di baris kegiatan ({kas}) tidak sama dengan jumlah kas {bulan} "
        "sub kegiatannya ({jumlah}){lain}. Kosongkan kas di baris kegiatan atau samakan "
        "dengan jumlah sub kegiatannya."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.rak.tingkat != 4:
            return
        tol = ctx.settings.money_tolerance
        for s, p, k in ctx.rak.kegiatan_all():
            if not k.sub_kegiatan or not any(k.kas_bulanan) or raw_has(k, "kas_bulanan"):
                continue
            if not sum_known(list(k.sub_kegiatan)):
                continue
            sums = k.jumlah_kas_bulanan
            bad = [m for m in range(12) if not same(k.kas_bulanan[m], sums[m], tol)]
            if not bad:
                continue
            m = bad[0]
            yield self.finding(
                ctx,
                k.src,
                k.src.cell(f"kas_bulanan.{m}"),
                path_of(s, p, k),
                bulan=BULAN[m],
                kas=fmt_rp(k.kas_bulanan[m]),
                jumlah=fmt_rp(sums[m]),
                lain=f"; {len(bad) - 1} bulan lain juga berbeda" if len(bad) > 1 else "",
            )
