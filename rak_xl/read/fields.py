"""The fields of a sasaran, program, kegiatan or sub kegiatan from the cells of its row:
indikator, volume and satuan, targets (numbers, ``TW 1 = ..`` text, one column per
quarter), the anggaran (the program's; in the 4-level form the kegiatan's and the sub
kegiatan's too), the monthly cash and KET. What does not fit is kept as ``stray`` or,
when unreadable, as ``raw`` text."""

from __future__ import annotations

from collections.abc import Iterable

from rak_xl.grid import CellValue
from rak_xl.model import CashItem, Kegiatan, Number, Program, Rak, Sasaran, SubKegiatan
from rak_xl.numbers import (
    MAX_AMOUNT,
    Convention,
    Targets,
    in_range,
    is_dash,
    normalize,
    number_text,
    parse_number,
    parse_targets,
    split_volume,
    strip_list_number,
)
from rak_xl.read.cells import SheetCells, clean, keep, text_of
from rak_xl.read.header import Header
from rak_xl.read.rows import Row
from rak_xl.sheet_spec import KAS_COLS, LogicalCol

__all__ = ["MAX_FLOAT", "Fields", "Item", "float_number"]

Item = Sasaran | Program | Kegiatan | SubKegiatan
# Inline bounds of the fast paths (``in_range`` without the call); NaN fails them too.
MAX_FLOAT = float(MAX_AMOUNT)
_KAS_KEYS = tuple(f"kas_bulanan.{i}" for i in range(12))
_TW_KEYS = tuple(f"target_tw.{q}" for q in range(4))
_MONEY_MIN = 100_000  # a lone number at least this large in a program's target cell: Rp


def float_number(value: float) -> Number:
    """A float cell's number (the common case of every reading of a number)."""
    return int(value) if value.is_integer() else normalize(value)


class Fields:
    """Reads row cells into an item's fields, in the number convention ``conv``."""

    def __init__(self, sheet: SheetCells, header: Header, rak: Rak) -> None:
        self.h = header
        self.rak = rak
        self.addr = sheet.addr
        self.letters = sheet.letters
        self.conv: Convention = "id"
        # Items whose target text may carry their budget ("TW 4 = 5 Rp 1.000.000"): the
        # program's; in the 4-level form the kegiatan's and sub kegiatan's too.
        self.with_anggaran: tuple[type, ...] = (
            (Program, Kegiatan, SubKegiatan) if header.form.tingkat == 4 else (Program,)
        )
        # Target texts read so far (in ``_targets_conv``): a sheet repeats the same texts
        # ("TW 1 = - TW 2 = - TW 3 = - TW 4 = 1") many times. Read only, never changed.
        self._targets: dict[str, Targets] = {}
        self._targets_conv: Convention = "id"
        # Per month: index, model key, logical column, and the column letters of its first
        # physical column ("" when beyond the cached letters), for ``cash``.
        self._months = [
            (
                i,
                _KAS_KEYS[i],
                n,
                self.letters[c] if 0 < (c := header.first(n)) < len(self.letters) else "",
            )
            for i, n in enumerate(KAS_COLS)
        ]

    def stray_cells(
        self, item: Item | None, cells: Iterable[tuple[int, CellValue]], r: int
    ) -> None:
        """Values kept as they are: the item's ``stray``, or notes above the table when
        there is no item yet. Dashes mean nothing."""
        for c, v in cells:
            if isinstance(v, str) and is_dash(v):
                continue
            if item is None:
                self.rak.catatan_atas.append((keep(v),))
                continue
            item.src.cells.setdefault(f"stray.{len(item.stray)}", self.addr(r, c))
            item.stray.append(keep(v))

    def number(self, value: CellValue) -> tuple[Number | None, str | None]:
        """(number, None) | (None, None) for empty/dash | (None, raw text) when unreadable."""
        if type(value) is float:  # the common case first (exact type: bool is an int)
            if -MAX_FLOAT <= value <= MAX_FLOAT:
                return float_number(value), None
            return None, number_text(value)  # NaN, infinite or absurd: unreadable
        if isinstance(value, bool):
            return None, keep(value).__str__()
        if isinstance(value, int | float):
            return (normalize(value), None) if in_range(value) else (None, number_text(value))
        if isinstance(value, str):
            if is_dash(value) or not value.strip():
                return None, None
            num = parse_number(value, self.conv)
            return (num, None) if num is not None and in_range(num) else (None, value.strip())
        if value is None:
            return None, None
        return None, str(keep(value))

    # -- texts -----------------------------------------------------------------------------
    def indikator(self, item: Item, row: Row, n: int) -> str | None:
        cells = row.by_col.get(n, [])
        item.src.cells["indikator"] = self.addr(row.row, cells[0][0] if cells else self.h.first(n))
        texts = [
            strip_list_number(clean(str(v)))
            for _, v in cells
            if isinstance(v, str) and not is_dash(v)
        ]
        others = [(c, v) for c, v in cells if not isinstance(v, str)]
        self.stray_cells(item, others, row.row)
        return "; ".join(texts) if texts else None

    def volume(self, k: CashItem, row: Row) -> None:
        cells = row.by_col.get(LogicalCol.K_VOLUME, [])
        first = cells[0][0] if cells else self.h.first(LogicalCol.K_VOLUME)
        k.src.cells["volume"] = self.addr(row.row, first)
        for c, v in cells:
            role = self.h.role.get(c)
            if isinstance(v, str) and is_dash(v):
                continue
            if role == "satuan" and isinstance(v, str) and k.satuan is None:
                k.satuan = clean(v)
                k.src.cells["satuan"] = self.addr(row.row, c)
            elif isinstance(v, str) and k.volume is None and k.satuan is None:
                k.volume, k.satuan = split_volume(v, self.conv)
            elif isinstance(v, str) and k.volume is not None and k.satuan is None and text_of(v):
                k.satuan = clean(v)
            elif isinstance(v, int | float) and not isinstance(v, bool) and k.volume is None:
                k.volume, raw = self.number(v)
                if raw is not None:
                    k.raw["volume"] = raw
                k.src.cells["volume"] = self.addr(row.row, c)
            else:
                self.stray_cells(k, [(c, v)], row.row)

    def ket(self, k: CashItem, row: Row) -> None:
        cells = row.by_col.get(LogicalCol.KET, [])
        first = cells[0][0] if cells else self.h.first(LogicalCol.KET)
        k.src.cells["ket"] = self.addr(row.row, first)
        lines: list[str] = []
        for c, v in cells:
            if isinstance(v, str) and text_of(v):
                # Every text of a wide KET (a remark, the official responsible, ...) is
                # KET's, one after the other; lines kept: a KET word on a line of its own
                # overrides the kind. Numbers there are no remark: stray values.
                if not lines:
                    k.src.cells["ket"] = self.addr(row.row, c)
                lines.extend(filter(None, map(clean, v.splitlines())))
            else:
                self.stray_cells(k, [(c, v)], row.row)
        if lines:
            k.ket = "\n".join(lines)

    # -- targets ---------------------------------------------------------------------------
    def targets_of(self, text: str) -> Targets:
        """``parse_targets(text, self.conv)``, each text read once per sheet."""
        if self._targets_conv != self.conv:
            self._targets, self._targets_conv = {}, self.conv
        t = self._targets.get(text)
        if t is None:
            t = self._targets[text] = parse_targets(text, self.conv)
        return t

    def apply_text_targets(
        self, item: Item, text: str, where: str, quarter: int | None, t: Targets | None = None
    ) -> bool:
        """Apply ``TW n = x`` text (``t``: its parse, when the caller has it); False when
        it is not target text at all."""
        if t is None:
            t = self.targets_of(text)
        if not t.found:
            return False
        for q in t.labelled:
            item.target_tw[q] = t.tw[q]
            item.src.cells[_TW_KEYS[q]] = where
        if t.tahunan is not None and isinstance(item, Sasaran):
            item.target_tahunan = t.tahunan
            item.src.cells["target_tahunan"] = where
        if t.anggaran is not None and isinstance(item, self.with_anggaran):
            item.anggaran = t.anggaran  # type: ignore[union-attr]  # with_anggaran's types
            item.src.cells["anggaran"] = where
        if not t.ok:
            key = "target_tw" if quarter is None else f"target_tw.{quarter}"
            item.raw[key] = text.strip()
        return True

    def quarter_value(self, item: Item, q: int, value: CellValue, where: str) -> None:
        num, raw = self.number(value)
        if raw is not None:
            item.raw[f"target_tw.{q}"] = raw
        elif num is not None:
            item.target_tw[q] = num
        item.src.cells[f"target_tw.{q}"] = where

    def quarter_column(self, item: Item, c: int, v: CellValue, where: str) -> bool:
        """A value in a sub-column labelled with its quarter (TW I .. TW IV)."""
        role = self.h.role.get(c, "")
        if not role.startswith("q"):
            return False
        q = int(role[1])
        if isinstance(v, str) and (is_dash(v) or self._labelled_text(item, q, v, where)):
            return True
        self.quarter_value(item, q, v, where)
        return True

    def _labelled_text(self, item: Item, q: int, v: str, where: str) -> bool:
        """``TW 2 = 5`` in a quarter's own cell: read as target text (as a TW row's cell
        is), so it means what the number 5 there means. False for other text."""
        if not text_of(v):
            return False
        t = self.targets_of(v)
        return bool(t.labelled) and self.apply_text_targets(item, v, where, q, t)

    def _target_text(self, item: Item, v: CellValue, where: str) -> bool:
        """A text in a target cell: its targets, or (unreadable) kept as raw target text;
        a dash means nothing. False when ``v`` is no text (a number, a number as text)."""
        if not isinstance(v, str):
            return False
        if text_of(v):
            if not self.apply_text_targets(item, v, where, None):
                item.raw["target_tw"] = v.strip()
            return True
        return is_dash(v)

    def targets_kegiatan(self, k: CashItem, row: Row) -> None:
        r, cells = row.row, row.by_col.get(LogicalCol.K_TARGET, [])
        first = self.addr(r, cells[0][0] if cells else self.h.first(LogicalCol.K_TARGET))
        k.src.cells["target_tw"] = first
        k.src.cells["target_tw.0"] = first
        # Each text parsed once: whether any is target text decides where numbers go.
        parsed = {c: self.targets_of(v) for c, v in cells if isinstance(v, str) and text_of(v)}
        has_text = any(t.found for t in parsed.values())
        numbers_used = False
        for c, v in cells:
            where = self.addr(r, c)
            if self.quarter_column(k, c, v, where):
                continue
            if isinstance(v, str):
                t = parsed.get(c)
                if t is not None:  # text: its targets, or kept as unreadable target text
                    if not self.apply_text_targets(k, v, where, None, t):
                        k.raw["target_tw"] = v.strip()
                    continue
                if is_dash(v):
                    continue
            if not has_text and not numbers_used:
                self.quarter_value(k, 0, v, where)
                numbers_used = True
            else:
                self.stray_cells(k, [(c, v)], r)

    def targets_sasaran(self, s: Sasaran, row: Row) -> None:
        r, cells = row.row, row.by_col.get(LogicalCol.S_TARGET, [])
        first = self.addr(r, cells[0][0] if cells else self.h.first(LogicalCol.S_TARGET))
        s.src.cells.update({"target_tw": first, "target_tahunan": first, "target_tw.0": first})
        for c, v in cells:
            where, role = self.addr(r, c), self.h.role.get(c)
            if self.quarter_column(s, c, v, where) or self._target_text(s, v, where):
                continue
            if role == "tw" or (role is None and s.target_tahunan is not None):
                self.quarter_value(s, 0, v, where)
                continue
            num, raw = self.number(v)
            if raw is not None:
                s.raw["target_tahunan"] = raw
            s.target_tahunan = num
            s.src.cells["target_tahunan"] = where

    def targets_program(self, p: Program, row: Row) -> None:
        self.targets_anggaran(p, row, LogicalCol.P_TARGET)

    def targets_anggaran(self, p: Program | Kegiatan | SubKegiatan, row: Row, n: int) -> None:
        """Targets and anggaran of logical column ``n`` (``Target TW | Anggaran``, or both
        in one cell): the program's; in the 4-level form the kegiatan's and the sub
        kegiatan's."""
        r, cells = row.row, row.by_col.get(n, [])
        first = self.addr(r, cells[0][0] if cells else self.h.first(n))
        p.src.cells.update({"target_tw": first, "target_tw.0": first, "anggaran": first})
        role_of = self.h.role
        anggaran_cols = [c for c in self.h.cols[n] if role_of.get(c) == "anggaran"]
        if anggaran_cols:
            p.src.cells["anggaran"] = self.addr(r, anggaran_cols[0])
        plain = [
            (c, v)
            for c, v in cells
            if not (isinstance(v, str) and (text_of(v) or is_dash(v)))
            and not role_of.get(c, "").startswith("q")
        ]
        for c, v in cells:
            where, role = self.addr(r, c), role_of.get(c)
            if self.quarter_column(p, c, v, where) or self._target_text(p, v, where):
                continue
            num, raw = self.number(v)
            is_money = role == "anggaran" or (
                role is None
                and (
                    (len(plain) >= 2 and (c, v) == plain[-1])
                    or (len(plain) == 1 and num is not None and abs(num) >= _MONEY_MIN)
                )
            )
            if is_money and p.anggaran is None:
                p.anggaran = num
                if raw is not None:
                    p.raw["anggaran"] = raw
                p.src.cells["anggaran"] = where
            elif p.target_tw[0] is None and "target_tw.0" not in p.raw:
                self.quarter_value(p, 0, v, where)
            else:
                self.stray_cells(p, [(c, v)], r)

    # -- money -----------------------------------------------------------------------------
    def cash(self, k: CashItem, row: Row) -> None:
        r = row.row
        at, kas, letters, rs, by_col = k.src.cells, k.kas_bulanan, self.letters, str(r), row.by_col
        for i, key, n, empty in self._months:
            cells = by_col.get(n)
            if not cells:  # else the first cell below names it (one address, not two)
                at[key] = empty + rs if empty else self.addr(r, self.h.first(n))
                continue
            if len(cells) == 1 and type(v := cells[0][1]) is float and -MAX_FLOAT <= v <= MAX_FLOAT:
                # The common case (one number), as the loop below would do it, minus its
                # bookkeeping and calls: ``float_number`` inlined (12 cells per kegiatan;
                # tests/test_read_props.py checks both ways read alike).
                c = cells[0][0]
                at[key] = letters[c] + rs if 0 < c < len(letters) else self.addr(r, c)
                kas[i] = int(v) if v.is_integer() else normalize(v)
                continue
            placed = False
            for c, v in cells:
                if placed:
                    self.stray_cells(k, [(c, v)], r)
                    continue
                num, raw = self.number(v)
                k.src.cells[key] = self.addr(r, c)
                k.kas_bulanan[i] = num if num is not None else 0
                if raw is not None:
                    k.raw[key] = raw
                placed = not (isinstance(v, str) and is_dash(v))
