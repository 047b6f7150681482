"""Excel worksheet functions (UDFs) for RAK sheets.

Each function takes whole ranges (``ndim=2``: a list of rows) and returns a list of
rows, so one formula covers a whole column (Excel spills the result): 3,000 kegiatan
cost one call, not 3,000. The docstrings are what Excel's function wizard shows, so
they are in Indonesian.

Where xlwings has no UDF runtime (Linux, no pywin32) its decorators are identities and
these are plain functions, which is how the tests call them. Type hints matter to
xlwings: it reads each annotation's top-level type as a converter, so annotations here
stick to ``list``, ``Any`` and ``bool`` (no unions). Everything else (targets parser,
rules, Babel) is imported inside the functions to keep the module import light.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import xlwings as xw

from rak_xl.sheet_spec import QUARTER_ROMAN
from rak_xl.terbilang import rupiah as _rupiah
from rak_xl.terbilang import terbilang

__all__ = ["RAK_CEK", "RAK_JUMLAH", "RAK_KAS_TW", "RAK_TARGET", "RUPIAH", "TERBILANG"]

Rows = list[list[Any]]


class _CellError(ValueError):
    """A value a UDF cannot use; its message is shown in the cell."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _number(value: Any) -> int | float:
    """A cash or amount cell as a number: empty and ``-`` are 0, text is parsed."""
    if _blank(value):
        return 0
    if isinstance(value, bool):
        raise _CellError(f"#ANGKA? {value!r} bukan angka")
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else value
    if isinstance(value, str):
        text = value.strip()
        if text == "-":
            return 0
        parsed = _parse_text_number(text)
        if parsed is not None:
            return parsed
    raise _CellError(f"#ANGKA? {str(value)[:30]!r} bukan angka")


def _parse_text_number(text: str) -> int | float | None:
    """Text such as ``Rp 2,656,885,200`` or ``1.478.960.200`` as a number (lead's parser)."""
    from rak_xl.numbers import detect_convention, parse_number

    return parse_number(text, detect_convention([text]))


def _quarter(tw: Any) -> int:
    """``tw`` as 1..4: a number, ``"2"``, ``"TW 2"``, ``"TW II"``, ``"Triwulan II"``."""
    if isinstance(tw, int | float) and not isinstance(tw, bool) and float(tw).is_integer():
        q = int(tw)
    else:
        text = str(tw).strip().upper()
        for prefix in ("TRIWULAN", "TW"):
            text = text.removeprefix(prefix).strip()
        if text in QUARTER_ROMAN:
            q = QUARTER_ROMAN.index(text) + 1
        else:
            q = int(text) if text.isascii() and text.isdigit() else 0
    if not 1 <= q <= 4:
        raise _CellError("#TW? triwulan harus 1, 2, 3 atau 4")
    return q


def _each_row(rows: Rows, fn: Callable[[list[Any]], Any]) -> Rows:
    """Apply ``fn(row) -> value`` to every row; a blank row gives ``""``, an error its text."""
    out: Rows = []
    for row in rows:
        if all(_blank(v) for v in row):
            out.append([""])
            continue
        try:
            out.append([fn(row)])
        except _CellError as exc:
            out.append([str(exc)])
    return out


def _each_cell(rows: Rows, fn: Callable[[Any], Any]) -> Rows:
    """Apply ``fn(value)`` to every cell; blank stays ``""``, an error becomes its text."""
    out: Rows = []
    for row in rows:
        new: list[Any] = []
        for value in row:
            if _blank(value):
                new.append("")
                continue
            try:
                new.append(fn(value))
            except (_CellError, ValueError, TypeError) as exc:
                new.append(str(exc) if isinstance(exc, _CellError) else f"#ANGKA? {exc}")
        out.append(new)
    return out


@xw.func
@xw.arg("kas", ndim=2, doc="Kas bulanan: 12 kolom Januari..Desember, satu baris per kegiatan")
@xw.arg("tw", doc="Triwulan: 1, 2, 3 atau 4 (boleh 'TW 2')")
def RAK_KAS_TW(kas: Rows, tw: Any) -> Rows:
    """Anggaran kas satu triwulan per baris: jumlah 3 bulan triwulan itu (TW 1 = Januari-Maret).

    Pilih seluruh kolom Januari..Desember sekaligus; hasilnya satu kolom, satu nilai per
    baris. Sel kosong dan '-' dihitung 0.
    """
    try:
        q = _quarter(tw)
    except _CellError as exc:
        return [[str(exc)]]
    if kas and len(kas[0]) != 12:
        return [["#KOLOM? pilih 12 kolom: Januari sampai Desember"]]
    months = range((q - 1) * 3, q * 3)
    return _each_row(kas, lambda row: sum(_number(row[m]) for m in months))


@xw.func
@xw.arg("kas", ndim=2, doc="Kas bulanan: 12 kolom Januari..Desember, satu baris per kegiatan")
def RAK_JUMLAH(kas: Rows) -> Rows:
    """Jumlah anggaran kas setahun per baris (Januari..Desember). Sel kosong dan '-' = 0."""
    return _each_row(kas, lambda row: sum(_number(v) for v in row))


@xw.func
@xw.arg("target", ndim=2, doc="Sel target, mis. 'TW 1 = 355 TW 2 = - TW 3 = - TW 4 = 5'")
@xw.arg("tw", doc="Triwulan: 1, 2, 3 atau 4 (boleh 'TW 2')")
def RAK_TARGET(target: Rows, tw: Any) -> Rows:
    """Target satu triwulan dari teks target ('TW 1 = 355 ... TW 4 = 5'), satu nilai per sel.

    '-' atau target kosong memberi sel kosong. Sel yang sudah berisi angka dikembalikan apa
    adanya.
    """
    try:
        q = _quarter(tw)
    except _CellError as exc:
        return [[str(exc)]]

    def one(value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        from rak_xl.numbers import parse_targets

        targets = parse_targets(str(value))
        if not targets.ok:
            raise _CellError(f"#TARGET? tidak terbaca: {str(value)[:40]!r}")
        found = targets.tw[q - 1]
        return "" if found is None else found

    return _each_cell(target, one)


@xw.func
@xw.arg("volume", ndim=2, doc="Vol. & Sat.: satu kolom ('1416 Orang') atau dua (1416 | Orang)")
@xw.arg("target", ndim=2, doc="Target: satu kolom teks 'TW 1 = ...' atau 4 kolom TW 1..4")
@xw.arg("kas", ndim=2, doc="Kas bulanan: 12 kolom Januari..Desember")
@xw.arg("indikator", ndim=2, doc="(opsional) Indikator kinerja kegiatan, untuk jenis target")
def RAK_CEK(volume: Rows, target: Rows, kas: Rows, indikator: Any = None) -> Rows:
    """Status satu baris kegiatan: "OK" atau masalah pertama (aturan yang sama dengan Validasi).

    Pilih kolom-kolom untuk banyak kegiatan sekaligus: satu hasil per baris.
    """
    indikator_rows: Rows = indikator if isinstance(indikator, list) else []
    if not len(volume) == len(target) == len(kas):
        return [["#BARIS? volume, target dan kas harus sama banyak barisnya"]]
    out: Rows = []
    for i, (vol_row, target_row, kas_row) in enumerate(zip(volume, target, kas, strict=True)):
        ind_row = indikator_rows[i] if i < len(indikator_rows) else [None]
        if all(_blank(v) for v in [*vol_row, *target_row, *kas_row]):
            out.append([""])
            continue
        try:
            out.append([_check_row(vol_row, target_row, kas_row, ind_row[0])])
        except _CellError as exc:
            out.append([str(exc)])
    return out


def _check_row(vol_row: list[Any], target_row: list[Any], kas_row: list[Any], ind: Any) -> str:
    """Build a one-kegiatan RAK from the cells and run the Validasi rules on it."""
    from rak_xl.model import Kegiatan, Program, Rak, Sasaran
    from rak_xl.numbers import parse_targets, split_volume
    from rak_xl.rules import check

    keg = Kegiatan(uraian="(baris)", indikator=None if _blank(ind) else str(ind))
    if len(vol_row) >= 2:
        keg.volume = None if _blank(vol_row[0]) else _number(vol_row[0])
        keg.satuan = None if _blank(vol_row[1]) else str(vol_row[1])
    elif isinstance(vol_row[0], int | float) and not isinstance(vol_row[0], bool):
        keg.volume = _number(vol_row[0])
    elif not _blank(vol_row[0]):
        keg.volume, keg.satuan = split_volume(str(vol_row[0]))
    if len(target_row) == 4:
        keg.target_tw = [None if _blank(v) or v == "-" else _number(v) for v in target_row]
    elif len(target_row) == 1:
        cell = target_row[0]
        if isinstance(cell, str) and not _blank(cell):
            parsed = parse_targets(cell)
            if parsed.ok:
                keg.target_tw = list(parsed.tw)
            else:
                keg.raw["target_tw"] = cell
        elif not _blank(cell):
            raise _CellError("#TARGET? isi target sebagai teks 'TW 1 = ...' atau 4 sel")
    else:
        raise _CellError("#TARGET? pilih 1 kolom teks target atau 4 kolom TW 1..4")
    if len(kas_row) != 12:
        raise _CellError("#KOLOM? pilih 12 kolom kas: Januari sampai Desember")
    for m, value in enumerate(kas_row):
        try:
            keg.kas_bulanan[m] = _number(value)
        except _CellError:
            keg.raw[f"kas_bulanan.{m}"] = str(value)
    rak = Rak(sasaran=[Sasaran(uraian=None, program=[Program(uraian=None, kegiatan=[keg])])])
    findings = [f for f in check(rak).findings if f.severity in ("error", "warning")]
    # Placeholder sasaran/program exist only to hold the row: their findings are not the
    # row's problem.
    findings = [f for f in findings if f.code != "struct.orphan-row"]
    if not findings:
        return "OK"
    first = next((f for f in findings if f.severity == "error"), findings[0])
    return str(first.message)


@xw.func
@xw.arg("jumlah", ndim=2, doc="Angka atau rentang angka")
@xw.arg("rupiah", doc="(opsional) BENAR untuk menambah kata 'rupiah'")
def TERBILANG(jumlah: Rows, rupiah: bool = False) -> Rows:
    """Angka dalam kata-kata bahasa Indonesia, mis. 1.001.000 = "satu juta seribu".

    Berlaku juga di atas 2.147.483.647 (miliar, triliun); negatif = "minus", desimal =
    "koma". Satu hasil per sel.
    """
    return _each_cell(jumlah, lambda v: terbilang(_number(v), rupiah=bool(rupiah)))


@xw.func
@xw.arg("jumlah", ndim=2, doc="Angka atau rentang angka")
def RUPIAH(jumlah: Rows) -> Rows:
    """Angka sebagai teks Rupiah dengan pemisah Indonesia, mis. Rp2.656.885.200."""
    return _each_cell(jumlah, lambda v: _rupiah(_number(v)))
