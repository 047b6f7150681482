"""Structure rules: the table itself is not where the reader expected it.

The reader (``rak_xl.read``) never guesses silently: it records what it had to do on the
model (placeholder parents, stray values, realigned rows); these rules turn that record
into findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from rak_xl.cellref import col_letter
from rak_xl.excel_error import is_excel_error
from rak_xl.model import Kegiatan, Sasaran, Source, StrayValue, SubKegiatan
from rak_xl.rules.base import (
    Context,
    Item,
    Rule,
    TableColumns,
    fmt_amount,
    item_word,
    path_of,
    target_cell,
)
from rak_xl.rules.findings import Finding
from rak_xl.rules.number import field_label
from rak_xl.settle import is_placeholder
from rak_xl.sheet_spec import LOGICAL_NAME, LogicalCol

__all__ = [
    "CellError",
    "Duplicate",
    "ExtraValue",
    "HeaderNotFound",
    "NameMissing",
    "OrphanRow",
    "RowOverflow",
    "RowShifted",
]


class HeaderNotFound(Rule):
    """Never produced from a model: ``NoRakTable`` is raised instead (CLI exit 2).

    Kept in the catalogue so that the Excel button and the docs can show its message.
    """

    code = "struct.header-not-found"
    severity = "error"
    label = "Kepala tabel tidak ditemukan"
    title = "Kepala tabel RAK tidak ditemukan"
    template = (
        "Kepala tabel RAK (baris nomor kolom 1 sampai 23, atau 1 sampai 26 untuk RAK "
        "dengan Sub Kegiatan) tidak ditemukan {where}. Pastikan baris penomoran kolom ada "
        "di bawah judul kolom."
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
    label = "Baris tanpa induk"
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
                if is_placeholder(s) and not is_placeholder(p):
                    yield self.finding(
                        ctx,
                        p.src,
                        p.src.cell("uraian"),
                        path_of(s, p),
                        level="Program",
                        uraian=p.uraian,
                        parent="sasaran",
                    )
                if is_placeholder(p):
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
                    if is_placeholder(k):  # sub kegiatan came first
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


Stray = tuple[str | None, StrayValue]  # (cell, value)


def _show(values: list[StrayValue], limit: int = 3) -> str:
    shown = ", ".join(fmt_amount(v) for v in values[:limit])
    return shown + (", ..." if len(values) > limit else "")


def _strays(item: Item, columns: TableColumns) -> tuple[list[Stray], list[Stray]]:
    """The item's stray values (blank text left out) with their cells: (under a header of
    the table, right of the table). The header's physical span decides: a value in the
    second column of a merged ``Target`` header, or in a wide ``KET``, lies under it."""
    under: list[Stray] = []
    beyond: list[Stray] = []
    for i, v in enumerate(item.stray):
        if isinstance(v, str) and not v.strip():
            continue
        cell = item.src.cells.get(f"stray.{i}")
        (under if columns.under_header(cell) else beyond).append((cell, v))
    return under, beyond


def _columns(ctx: Context) -> TableColumns:
    found = ctx.memo.get("struct.columns")
    if found is None:
        found = ctx.memo["struct.columns"] = TableColumns.of(ctx.rak)
    assert isinstance(found, TableColumns)
    return found


class RowOverflow(Rule):
    """Values no column of the table takes: right of the table, or (a row sitting
    sideways, realigned) left over once its row is straightened. After Susun Ulang both
    sit in the "Nilai di luar tabel" columns, still this rule's: the same values are told
    by the same code and severity before and after a rebuild."""

    code = "struct.row-overflow"
    severity = "error"
    cell_level = True
    title = "Nilai di luar kolom tabel (di kanan KET, atau sisa baris yang bergeser)"
    label = "Nilai di luar tabel"
    template = (
        "Ada {n} nilai {letak}, di luar kolom mana pun ({values}): baris ini "
        "bergeser atau punya lebih banyak nilai daripada kolomnya. Pindahkan ke kolom "
        "yang benar atau hapus."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        columns = _columns(ctx)
        for item, path in ctx.items:
            if not item.stray:
                continue
            under, beyond = _strays(item, columns)
            letak = "di kanan tabel"
            if item.src.shifted_from and under:
                beyond, letak = under + beyond, "yang tersisa setelah baris diluruskan"
            if beyond:
                values = [v for _, v in beyond]
                cell = beyond[0][0] or item.src.cell("stray.0")
                yield self.finding(
                    ctx, item.src, cell, path, n=len(values), values=_show(values), letak=letak
                )


class ExtraValue(Rule):
    """A value under a table header that the field of that column could not take (a
    number beside the target text under a merged ``Target`` header, a second remark in a
    wide ``KET``). Kept with the row; a shifted row's values left over once it is
    straightened are ``struct.row-overflow``'s."""

    code = "struct.extra-value"
    severity = "error"  # as ``struct.row-overflow``, where Susun Ulang puts such values
    cell_level = True
    title = "Nilai lebih di kolom yang sudah terisi (tidak terbaca)"
    label = "Nilai lebih di kolom"
    template = (
        "Kolom {kolom} di baris ini sudah terisi, jadi {values} di sel ini tidak "
        "terbaca. Gabungkan ke isi kolom itu (misalnya target sebagai 'TW 4 = 3') "
        "atau hapus."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        columns = _columns(ctx)
        for item, path in ctx.items:
            if not item.stray or item.src.shifted_from:
                continue
            under, _ = _strays(item, columns)
            by_col: dict[int | None, list[Stray]] = {}
            for cell, v in under:
                by_col.setdefault(columns.logical_at(cell or ""), []).append((cell, v))
            for n, found in by_col.items():
                yield self.finding(
                    ctx,
                    item.src,
                    found[0][0],
                    path,
                    kolom=LOGICAL_NAME.get(n or 0, "tabel"),
                    values=_show([v for _, v in found]),
                )


class RowShifted(Rule):
    code = "struct.row-shifted"
    severity = "warning"
    title = "Baris bergeser ke samping dan sudah diluruskan saat dibaca"
    label = "Baris bergeser"
    template = (
        "Baris '{uraian}' tertulis mulai {found}, bukan di kolom Uraian Kegiatan, dan "
        "dibaca seolah-olah lurus. Pindahkan isinya: {tujuan}."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        columns = _columns(ctx)
        for item, path in ctx.items:
            found = item.src.shifted_from
            if not found:
                continue
            yield self.finding(
                ctx,
                item.src,
                found,
                path,
                uraian=item.uraian or "",
                found=found,
                tujuan=_destinations(item.src, columns),
            )


def _destinations(src: Source, columns: TableColumns) -> str:
    """Where a realigned kegiatan row's values belong: "uraian ke kolom H, ..."."""

    def at(n: int) -> str:
        first = columns.first.get(n)
        return col_letter(first) if first else LOGICAL_NAME[n]

    parts = [
        f"uraian ke kolom {at(LogicalCol.K_URAIAN)}",
        f"indikator ke {at(LogicalCol.K_INDIKATOR)}",
        f"Vol. & Sat. ke {at(LogicalCol.K_VOLUME)}",
    ]
    if any(key.startswith("target_tw") for key in src.cells) and "target_tw" in src.cells:
        parts.append(f"target ke {at(LogicalCol.K_TARGET)}")
    parts.append(f"kas Januari–Desember ke {at(LogicalCol.JANUARI)}–{at(LogicalCol.DESEMBER)}")
    return ", ".join(parts)


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
    label = "Kegiatan ganda"
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


class NameMissing(Rule):
    """A program, kegiatan or sub kegiatan without a name: its name cell holds only a code
    (``1.02.02.2.01``), or only its Kode cell is filled (4-level form). The name is what
    the signed form and the DPA are read by: an error. Two such items are not
    ``struct.duplicate`` (no name to compare): each is this finding."""

    code = "struct.name-missing"
    severity = "error"
    label = "Nama belum ditulis"
    title = "Program, kegiatan atau sub kegiatan tanpa nama (sel uraian hanya berisi kode)"
    template = "Nama {jenis} belum ditulis: {isi}. Tulis nama {jenis} di sel {sel}."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            if item.uraian is not None or isinstance(item, Sasaran) or is_placeholder(item):
                continue
            text = item.raw.get("uraian")
            if text is not None and is_excel_error(text):
                continue  # struct.cell-error
            cell = item.src.cell("uraian")
            jenis = item_word(item).lower()
            if text is not None:
                isi = f"sel uraiannya hanya berisi kode {text}"
            elif item.src.cells.get("kode") == cell:
                isi = f"sel uraiannya hanya berisi kode {item.kode}"
            else:
                isi = f"hanya kodenya ({item.kode}) yang terisi"
            yield self.finding(ctx, item.src, cell, path, jenis=jenis, isi=isi, sel=cell or "")


_TEXT_FIELDS = {"indikator": "indikator", "satuan": "satuan", "ket": "KET"}


class CellError(Rule):
    """A cell showing an Excel error value (``#N/A``, ``#REF!``, ``#VALUE!`` ...), typed
    or left by a formula: in a name, indikator, satuan or KET (no text of the plan) as in
    an amount or target cell (no number). One finding per cell, whatever the field: the
    cause is the formula, not the field's content (``number.not-a-number`` and
    ``target.unparseable`` leave these cells to this rule)."""

    code = "struct.cell-error"
    severity = "error"
    label = "Sel berisi galat Excel"
    cell_level = True
    title = "Sel menampilkan galat Excel (#N/A, #REF!, #VALUE! ...) bukan isi"
    template = (
        "Sel {field} menampilkan galat Excel {galat}. Perbaiki rumusnya atau ketik {isi} "
        "langsung di sel ini."
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        for item, path in ctx.items:
            if not item.raw:
                continue
            for key, text in item.raw.items():
                if not is_excel_error(text):
                    continue
                if key == "uraian":
                    field, isi = f"nama {item_word(item).lower()}", "namanya"
                elif key in _TEXT_FIELDS:
                    field, isi = _TEXT_FIELDS[key], "isinya"
                else:
                    field, isi = field_label(key), "angkanya"
                cell = item.src.cells.get(key)
                if cell is None and key.startswith("target_tw"):
                    cell = target_cell(item.src, int(key[10:]) if key[10:].isdigit() else None)
                yield self.finding(
                    ctx,
                    item.src,
                    cell or item.src.cell("uraian"),
                    path,
                    field=field,
                    galat=text.strip(),
                    isi=isi,
                )
