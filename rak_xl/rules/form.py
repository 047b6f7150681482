"""Form rules: the RAK's levels against the year (docs/SUB_KEGIATAN.md).

Since budget year 2021 (Permendagri 90/2019) targets, budget and cash are planned per sub
kegiatan: a kegiatan of the 4-level form without one is not yet planned the way its DPA
is, and a 3-level RAK for 2021 or later is the old form.
"""

from __future__ import annotations

from collections.abc import Iterator

from rak_xl.model import Source
from rak_xl.rules.base import Context, Rule, path_of
from rak_xl.rules.findings import Finding
from rak_xl.settle import is_placeholder

__all__ = ["FormOutdated", "NoSubKegiatan"]

SUB_KEGIATAN_FROM = 2021


class NoSubKegiatan(Rule):
    code = "struct.no-sub-kegiatan"
    severity = "warning"
    label = "Kegiatan tanpa sub kegiatan"
    title = "Kegiatan belum dirinci ke sub kegiatan (RAK 4 tingkat)"
    template = (
        "Kegiatan ini belum dirinci ke sub kegiatan. Sejak 2021 target, anggaran, dan kas "
        "dirinci per sub kegiatan: tulis sub kegiatannya di bawah kegiatan ini sesuai DPA."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.rak.tingkat != 4:
            return
        for s, p, k in ctx.rak.kegiatan_all():
            if not k.sub_kegiatan and not is_placeholder(k):
                yield self.finding(ctx, k.src, k.src.cell("uraian"), path_of(s, p, k))


class FormOutdated(Rule):
    """Once per sheet, at the year in its title."""

    code = "struct.form-outdated"
    severity = "info"
    label = "Bentuk RAK lama"
    cell_level = True
    title = "RAK tahun 2021 atau sesudahnya masih 3 tingkat (tanpa sub kegiatan)"
    template = (
        "RAK tahun {tahun} masih 3 tingkat (sampai kegiatan). Sejak 2021 target dan kas "
        "dirinci per sub kegiatan (Permendagri 90/2019): gunakan bentuk RAK dengan kolom "
        "Sub Kegiatan (nomor kolom 1 sampai 26) agar sama dengan DPA."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        rak = ctx.rak
        if rak.tingkat != 3 or rak.tahun is None or rak.tahun < SUB_KEGIATAN_FROM:
            return
        if not any(True for _ in rak.kegiatan_all()):
            return  # an empty sheet: nothing planned the old way yet
        cell = rak.src.cells.get("tahun")
        src = Source(rak.src.sheet, 0, {})
        yield self.finding(ctx, src, cell, "", tahun=str(rak.tahun))
