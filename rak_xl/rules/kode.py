"""Code rules (4-level form): the program, kegiatan and sub kegiatan codes of the 2021+
nomenclature (``rak_xl.kode``; docs/SUB_KEGIATAN.md, section 1).

A code is the key by which a RAK is matched with the DPA and SIPD: a wrong one makes the
match fail or, worse, match the wrong item. Items without a code are not checked (a code
is optional); a code is checked against its level's pattern, against its parent's code,
and against the codes of its siblings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from rak_xl.kode import EXAMPLE, Level, is_child, kode_level, normalize, sub_digits
from rak_xl.model import Kegiatan, Program, SubKegiatan
from rak_xl.rules.base import Context, Rule, path_of
from rak_xl.rules.findings import Finding

__all__ = ["CodeDuplicate", "CodeInvalid", "CodeMismatch", "CodeOldFormat", "coded"]

Coded = Program | Kegiatan | SubKegiatan
_PARENT: dict[Level, Level] = {"kegiatan": "program", "sub kegiatan": "kegiatan"}
# Sub kegiatan codes have 4 final digits since Kepmendagri 900.1.15.5-1317/2023 (June
# 2023): plans for budget year 2024 on (docs/SUB_KEGIATAN.md 1.2, an inference).
FOUR_DIGITS_FROM = 2024


def coded(ctx: Context) -> list[tuple[Coded, Level, Coded | None, str]]:
    """(item, its level, its parent (None for a program), path) of every program,
    kegiatan and sub kegiatan that has a code, in sheet order; built once per check,
    and only for the 4-level form (the 2020 form has no code columns)."""
    got: list[tuple[Coded, Level, Coded | None, str]] | None = ctx.memo.get("kode.coded")
    if got is not None:
        return got
    got = ctx.memo["kode.coded"] = []
    if ctx.rak.tingkat != 4:
        return got
    program: Program | None = None
    kegiatan: Kegiatan | None = None
    for item, path in ctx.items:
        if isinstance(item, Program):
            program = item
            if item.kode:
                got.append((item, "program", None, path))
        elif isinstance(item, Kegiatan):
            kegiatan = item
            if item.kode:
                got.append((item, "kegiatan", program, path))
        elif isinstance(item, SubKegiatan) and item.kode:
            got.append((item, "sub kegiatan", kegiatan, path))
    return got


def _valid(item: Coded | None, level: Level) -> str | None:
    """The item's code when it is well-formed for ``level``."""
    if item is None or not item.kode or kode_level(item.kode) != level:
        return None
    return item.kode


class CodeInvalid(Rule):
    code = "struct.code-invalid"
    severity = "warning"
    label = "Kode tidak sesuai pola"
    title = "Kode program, kegiatan atau sub kegiatan tidak sesuai pola nomenklatur"
    template = (
        "Kode {kode} bukan kode {level} yang benar (contoh: {contoh}). Perbaiki "
        "penulisannya; bila Excel mengubahnya menjadi angka, isi sel kode sebagai teks."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, level, _, path in coded(ctx):
            if item.kode and kode_level(item.kode) != level:
                yield self.finding(
                    ctx,
                    item.src,
                    item.src.cell("kode"),
                    path,
                    kode=item.kode,
                    level=level,
                    contoh=EXAMPLE[level],
                )


class CodeMismatch(Rule):
    code = "struct.code-mismatch"
    severity = "warning"
    label = "Kode tidak sesuai induknya"
    title = "Kode kegiatan atau sub kegiatan tidak diawali kode induknya"
    template = (
        "Kode {level} {kode} tidak diawali kode {induk} di atasnya ({kode_induk}). "
        "Perbaiki kodenya, atau pindahkan baris ini ke bawah {induk} yang benar."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, level, parent, path in coded(ctx):
            if parent is None:
                continue
            kode, induk = _valid(item, level), _PARENT[level]
            kode_induk = _valid(parent, induk)
            if kode and kode_induk and not is_child(kode_induk, kode):
                yield self.finding(
                    ctx,
                    item.src,
                    item.src.cell("kode"),
                    path,
                    level=level,
                    kode=kode,
                    induk=induk,
                    kode_induk=kode_induk,
                )


class CodeDuplicate(Rule):
    """The same code on two kegiatan of one program, or on two sub kegiatan of one
    kegiatan, under different names (the same name too is ``struct.duplicate``). Across
    programs or kegiatan a code may recur (a sub kegiatan planned for two sub-units)."""

    code = "struct.code-duplicate"
    severity = "warning"
    label = "Kode ganda"
    title = "Kode yang sama dipakai dua kegiatan (sub kegiatan) berbeda"
    template = "Kode {kode} sudah dipakai {level} '{lain}' {first}. Perbaiki kode salah satunya."

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not coded(ctx):
            return  # no code anywhere (every 2020 sheet)
        for s, p in ctx.rak.programs():
            for again, first in _same_code(p.kegiatan):
                yield self._found(ctx, again, "kegiatan", first, path_of(s, p, again))
            for k in p.kegiatan:
                for sk, first_sk in _same_code(k.sub_kegiatan):
                    yield self._found(ctx, sk, "sub kegiatan", first_sk, path_of(s, p, k, sk))

    def _found(self, ctx: Context, item: Coded, level: Level, first: Coded, path: str) -> Finding:
        return self.finding(
            ctx,
            item.src,
            item.src.cell("kode"),
            path,
            kode=item.kode or "",
            level=level,
            lain=first.uraian or "",
            first=f"di baris {first.src.row}" if first.src.row else "sebelumnya",
        )


_Sibling = TypeVar("_Sibling", Kegiatan, SubKegiatan)


def _same_code(items: Sequence[_Sibling]) -> Iterator[tuple[_Sibling, _Sibling]]:
    """Each item whose code an earlier one with another name has, with that one."""
    seen: dict[str, _Sibling] = {}
    for item in items:
        if not item.kode:
            continue
        first = seen.setdefault(normalize(item.kode), item)
        if first is not item and _name(first) != _name(item):
            yield item, first


def _name(item: Coded) -> str:
    return " ".join(str(item.uraian or "").casefold().split())


class CodeOldFormat(Rule):
    code = "struct.code-old-format"
    severity = "info"
    label = "Kode sub kegiatan lama"
    cell_level = True
    title = "Kode sub kegiatan masih 2 angka terakhir (nomenklatur sejak 2024: 4 angka)"
    template = (
        "Kode sub kegiatan {kode} berakhiran 2 angka, padahal nomenklatur terbaru "
        "(Kepmendagri 900.1.15.5-1317/2023) memakai 4 angka, mis. {contoh}. "
        "Samakan dengan kode di DPA tahun {tahun}."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        tahun = ctx.rak.tahun
        if tahun is None or tahun < FOUR_DIGITS_FROM:
            return
        for item, level, _, path in coded(ctx):
            if level != "sub kegiatan" or not item.kode or sub_digits(item.kode) != 2:
                continue
            head, _, last = normalize(item.kode).rpartition(".")
            yield self.finding(
                ctx,
                item.src,
                item.src.cell("kode"),
                path,
                kode=item.kode,
                contoh=f"{head}.{last.zfill(4)}",
                tahun=str(tahun),
            )
