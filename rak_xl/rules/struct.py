"""Structure rules: the table itself is not where the reader expected it.

The reader (``rak_xl.read``) never guesses silently: it records what it had to do on the
model (placeholder parents, stray values, realigned rows); these rules turn that record
into findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from rak_xl.model import Kegiatan, StrayValue, SubKegiatan
from rak_xl.rules.base import Context, Rule, item_word, path_of
from rak_xl.rules.findings import Finding

__all__ = ["Duplicate", "HeaderNotFound", "OrphanRow", "RowOverflow", "RowShifted"]


class HeaderNotFound(Rule):
    """Never produced from a model: ``NoRakTable`` is raised instead (CLI exit 2).

    Kept in the catalogue so that the Excel button and the docs can show its message.
    """

    code = "struct.header-not-found"
    severity = "error"
    title = "Kepala tabel RAK tidak ditemukan"
    template = (
        "Kepala tabel RAK (baris nomor kolom 1 sampai 23) tidak ditemukan {where}. "
        "Pastikan baris penomoran kolom 1..23 ada di bawah judul kolom."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        return iter(())

    @classmethod
    def for_sheet(cls, sheet: str | None) -> Finding:
        """The finding shown when no RAK table was found (``sheet``: where we looked)."""
        where = f"di sheet '{sheet}'" if sheet else "di sheet mana pun"
        return Finding(
            cls.code, cls.severity, sheet or "", None, None, cls.template.format(where=where), ""
        )


class OrphanRow(Rule):
    code = "struct.orphan-row"
    severity = "error"
    title = (
        "Baris tanpa induk (sub kegiatan sebelum kegiatan, kegiatan sebelum program, "
        "program sebelum sasaran)"
    )
    template = (
        "{level} '{uraian}' berada sebelum {parent} mana pun. "
        "Pindahkan baris ini ke bawah {parent} induknya."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for s in ctx.rak.sasaran:
            for p in s.program:
                if s.uraian is None and p.uraian is not None:
                    yield self.finding(
                        ctx,
                        p.src,
                        p.src.cell("uraian"),
                        path_of(s, p),
                        level="Program",
                        uraian=p.uraian,
                        parent="sasaran",
                    )
                if p.uraian is None:
                    for k in p.kegiatan:
                        yield self.finding(
                            ctx,
                            k.src,
                            k.src.cell("uraian"),
                            path_of(s, p, k),
                            level="Kegiatan",
                            uraian=k.uraian or "",
                            parent="program",
                        )
                for k in p.kegiatan:
                    if k.uraian is None:  # the reader's placeholder: sub kegiatan came first
                        for sk in k.sub_kegiatan:
                            yield self.finding(
                                ctx,
                                sk.src,
                                sk.src.cell("uraian"),
                                path_of(s, p, k, sk),
                                level="Sub kegiatan",
                                uraian=sk.uraian or "",
                                parent="kegiatan",
                            )


def _show(values: list[StrayValue], limit: int = 3) -> str:
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values[:limit])
    return shown + (", ..." if len(values) > limit else "")


class RowOverflow(Rule):
    code = "struct.row-overflow"
    severity = "error"
    cell_level = True
    title = "Nilai di luar kolom tabel (baris bergeser atau kelebihan nilai)"
    template = (
        "Ada {n} nilai di luar kolom tabel ({values}): baris ini bergeser atau punya "
        "lebih banyak nilai daripada kolomnya. Pindahkan ke kolom yang benar atau hapus."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            stray = [v for v in item.stray if not (isinstance(v, str) and not v.strip())]
            if stray:
                cell = item.src.cell("stray.0")
                yield self.finding(ctx, item.src, cell, path, n=len(stray), values=_show(stray))


class RowShifted(Rule):
    code = "struct.row-shifted"
    severity = "warning"
    title = "Baris bergeser ke samping dan sudah diluruskan saat dibaca"
    template = (
        "Baris '{uraian}' tertulis di kolom yang salah (mulai {found}) dan dibaca "
        "seolah-olah lurus. Pindahkan isinya ke kolom yang benar."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            found = item.src.shifted_from
            if found:
                yield self.finding(
                    ctx, item.src, found, path, uraian=item.uraian or "", found=found
                )


def _key(text: str | None) -> str:
    return " ".join(str(text or "").casefold().split())


def _where(row: int) -> str:
    return f"di baris {row}" if row else "sebelumnya"


class Duplicate(Rule):
    """The same kegiatan twice in one program (DOMAIN.md), the same sub kegiatan twice in
    one kegiatan. Programs are not compared: the same program name may legitimately
    serve several sasaran, and is no catalogue fault."""

    code = "struct.duplicate"
    severity = "warning"
    title = "Kegiatan (sub kegiatan) yang sama tertulis dua kali dalam satu program (kegiatan)"
    template = (
        "{item} '{uraian}' sudah ada {first} dalam {induk} yang sama. "
        "Gabungkan atau hapus salah satunya."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for s, p in ctx.rak.programs():
            for k, first in _repeated(p.kegiatan):
                yield self._found(ctx, k, path_of(s, p, k), first, "program")
            for k in p.kegiatan:
                for sk, first in _repeated(k.sub_kegiatan):
                    yield self._found(ctx, sk, path_of(s, p, k, sk), first, "kegiatan")

    def _found(
        self, ctx: Context, item: Kegiatan | SubKegiatan, path: str, first: int, induk: str
    ) -> Finding:
        return self.finding(
            ctx,
            item.src,
            item.src.cell("uraian"),
            path,
            item=item_word(item),
            uraian=item.uraian or "",
            first=_where(first),
            induk=induk,
        )


_Named = TypeVar("_Named", Kegiatan, SubKegiatan)


def _repeated(items: Sequence[_Named]) -> Iterator[tuple[_Named, int]]:
    """Each item whose uraian an earlier one of ``items`` has, with that one's row."""
    seen: dict[str, int] = {}
    for item in items:
        key = _key(item.uraian)
        if not key:
            continue
        if key in seen:
            yield item, seen[key]
        else:
            seen[key] = item.src.row
