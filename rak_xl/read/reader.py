"""Reader: a sheet's grid -> the RAK model, with the cell each value came from.

The column-numbering row (1..23) is the landmark: templates differ in physical layout,
never in that row. Each logical column maps to the physical columns from its number up
to the next number, so wide merged columns and blank separator columns need no special
case. Everything the reader cannot place is kept in the model (``raw`` text, ``stray``
values, ``catatan`` rows) for the rules to report and for regenerate to write back.

The 4-level form (numbering 1..26, with Sub Kegiatan) is read by ``subkeg.Reader4``, a
subclass: the sub kegiatan's columns carry the 2020 kegiatan's ids (``header.py``), so
what this class does with ``self.k`` (continuation rows, stray values) serves it as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from rak_xl.errors import NoRakTable
from rak_xl.grid import CellValue, Grid
from rak_xl.model import CashItem, Kegiatan, Program, Rak, Sasaran, Source, SubKegiatan
from rak_xl.numbers import detect_convention, is_dash, normalize
from rak_xl.read.blocks import Note, read_signature
from rak_xl.read.cells import Cells, SheetCells, clean, keep, text_of
from rak_xl.read.fastrow import FastKegiatan, PlainRow, QuarterRow
from rak_xl.read.fields import MAX_FLOAT, Fields, Item
from rak_xl.read.header import Header, find_header
from rak_xl.read.rows import (
    Row,
    RowSplitter,
    is_data,
    is_grand_total,
    is_layout_total,
    is_total,
    shift,
)
from rak_xl.read.title import read_title
from rak_xl.settle import settle_texts
from rak_xl.sheet_spec import BEYOND, COMPUTED, KegiatanCol, LogicalCol, continued

__all__ = ["iter_items", "read_rak"]

# The members by module name: a global lookup per use, not an enum attribute lookup
# (these are asked for every row of a sheet).
S_URAIAN, S_INDIKATOR, S_TARGET = LogicalCol.S_URAIAN, LogicalCol.S_INDIKATOR, LogicalCol.S_TARGET
P_URAIAN, P_INDIKATOR, P_TARGET = LogicalCol.P_URAIAN, LogicalCol.P_INDIKATOR, LogicalCol.P_TARGET
K_URAIAN, K_INDIKATOR, K_TARGET = LogicalCol.K_URAIAN, LogicalCol.K_INDIKATOR, LogicalCol.K_TARGET
# The 4-level form's kegiatan columns: never in a 2020 sheet's rows.
KG_INDIKATOR, KG_TARGET = KegiatanCol.INDIKATOR, KegiatanCol.TARGET
_ALL = range(S_URAIAN, BEYOND + 1)
_SASARAN_COLS = range(S_URAIAN, P_URAIAN)
_PROGRAM_COLS = range(P_URAIAN, K_URAIAN)
_INDIKATOR_COLS = (S_INDIKATOR, P_INDIKATOR, KG_INDIKATOR, K_INDIKATOR)
_TW_KEYS = tuple(f"target_tw.{q}" for q in range(4))


def read_rak(grid: Grid, header: Header | None = None) -> Rak:
    """Read the RAK table of ``grid``; raises NoRakTable when there is none.

    ``header``: ``find_header(grid)`` when the caller already has it (``load_grid`` finds it
    to choose the sheet); it is searched for otherwise.
    """
    if header is None:
        header = find_header(grid)
    if header is None:
        raise NoRakTable(
            f"Sheet '{grid.sheet}' tidak berisi tabel RAK: baris penomoran kolom 1 sampai 23 "
            "(1 sampai 26 untuk RAK dengan Sub Kegiatan) "
            "tidak ditemukan."
        )
    if header.form.tingkat == 4:
        from rak_xl.read.subkeg import Reader4  # it subclasses the reader below

        rak = Reader4(grid, header).read()
    else:
        rak = _Reader(grid, header).read()
    four = rak.tingkat == 4
    for item in iter_items(rak):
        settle_texts(item, kode_from_name=four)
    return rak


def iter_items(rak: Rak) -> Iterator[Sasaran | Program | Kegiatan | SubKegiatan]:
    """Every sasaran, program, kegiatan and sub kegiatan in sheet order."""
    for s in rak.sasaran:
        yield s
        for p in s.program:
            yield p
            for k in p.kegiatan:
                yield k
                yield from k.sub_kegiatan


class _Reader:
    """Builds the model from the table rows between the header and the signature."""

    def __init__(self, grid: Grid, header: Header) -> None:
        self.grid = grid
        self.h = header
        self.sheet = grid.sheet
        self.cells = SheetCells(grid)
        self.addr = self.cells.addr
        self.rows = RowSplitter(grid, header)
        self.rak = Rak(
            src=Source(sheet=grid.sheet, row=header.numbering_row), tingkat=header.form.tingkat
        )
        # Where each logical column starts and where the table ends (KET's last physical
        # column), on the numbering row: the rules tell a value under a header from one
        # right of the table, and say where a shifted row's values belong.
        at = self.rak.src.cells
        for n, cols in header.cols.items():
            at[f"col.{n}"] = self.addr(header.numbering_row, cols[0])
        at["col.end"] = self.addr(header.numbering_row, header.cols[LogicalCol.KET][-1])
        self.f = Fields(self.cells, header, self.rak)
        self.fast = FastKegiatan(self.cells, header, self.f, self.rows.logical)
        self.s: Sasaran | None = None
        self.p: Program | None = None
        # The item owning the kegiatan columns 7..23 of the 2020 form: the kegiatan; in
        # the 4-level form the sub kegiatan (None on its kegiatan's own rows).
        self.k: CashItem | None = None
        self.kg: Kegiatan | None = None  # 4-level form: the kegiatan
        # Sort key of a row's logical columns in sheet order (None: their ids are).
        self.order: Callable[[int], int] | None = None
        # Rows below the table that are not the signature: (sheet row, values), user data.
        self.notes_below: list[Note] = []

    # -- top level -----------------------------------------------------------------------
    def read(self) -> Rak:
        h = self.h
        last = self.grid.last_row
        read_title(self.cells, self.rak, h.top_row)
        sig_rows, sig_notes = read_signature(
            self.cells, self.rak, h.header_rows, h.numbering_row + 1, last
        )
        self.notes_below.extend(sig_notes)
        body = [
            r
            for r in range(h.numbering_row + 1, last + 1)
            if r not in h.header_rows and r not in sig_rows
        ]
        # Plain rows (most of a large sheet: kegiatan rows, a quarter's target on a row of
        # its own, empty rows) are told from the grid row and read in one pass
        # (``fastrow``); every other row is split by logical column.
        rows: dict[int, Row | PlainRow | QuarterRow] = {
            r: self.fast.quick(r) or self.rows.split(r) for r in body
        }
        sig_top = min(sig_rows, default=last + 1)
        table_end = self._table_end(body, rows, sig_top)
        self.f.conv = detect_convention(  # votes: the order of the texts does not matter
            [  # a list, built faster than a generator is resumed per text
                v for r in body if r <= table_end and (texts := rows[r].number_texts) for v in texts
            ]
        )
        for r in body:
            row = rows[r]
            if r > table_end:
                self._note_below(row if isinstance(row, Row) else self.rows.split(r))
            elif isinstance(row, PlainRow):
                self._plain(row)
            elif isinstance(row, QuarterRow):
                self._quarter(row)
            else:
                self._row(row)
        self.rak.catatan = [values for _, values in sorted(self.notes_below, key=lambda x: x[0])]
        return self.rak

    def _table_end(
        self, body: list[int], rows: dict[int, Row | PlainRow | QuarterRow], sig_top: int
    ) -> int:
        """The last data row, searched from the bottom (no need to classify every row).
        A row that is data only as a totals row is taken tentatively: when our layout's
        grand total lies above it with no other data row between, the table ends there
        and the row is a note that reads like a label (``Jumlah``), kept as a note."""
        tentative: int | None = None
        for r in reversed(body):
            row = rows[r]
            if r >= sig_top:
                continue
            if isinstance(row, Row):
                if not is_data(row, self.addr):
                    continue
                if is_grand_total(row):
                    return r
                if is_total(row):
                    tentative = r if tentative is None else tentative
                    continue
            return r if tentative is None else tentative
        return self.h.numbering_row if tentative is None else tentative

    def _plain(self, plain: PlainRow) -> None:
        """A plain kegiatan row: read in one pass, or (not plain after all, or below the
        table) split and read as any other row."""
        k = self.fast.read_plain(plain) if self.p is not None else None
        if k is None or self.p is None:
            self._row(self.rows.split(plain.row))
        else:
            self.p.kegiatan.append(k)
            self.k = k

    def _quarter(self, row: QuarterRow) -> None:
        """A quarter's target on a row of its own: the kegiatan above's (as ``_row`` reads
        such a row, without splitting it)."""
        cells: Cells = [(row.col, row.value)]
        if self.k is None:
            self._row(Row(row.row, {K_TARGET: cells}, None, False, None))
        else:
            self._targets_below(self.k, cells, row.row)

    def _note_below(self, row: Row) -> None:
        """A row below the table: the user's note, unless a total row of our layout."""
        r, logical_of = row.row, self.h.logical_of
        # Our own formula columns hold no user text: a row of only those is not a note.
        values = tuple(keep(v) for c, v in self.cells.cells(r) if logical_of.get(c) != COMPUTED)
        if values and not is_layout_total(row):
            self.notes_below.append((r, values))

    # -- one row of the table ------------------------------------------------------------
    def _row(self, row: Row) -> None:
        if not row.by_col:
            return
        if not row.has_text:
            # What every test below needs (a heading, a totals label, a sideways row's
            # uraian) is text: a row of numbers only is a continuation row, and the
            # tests would only say so row by row.
            self._continuation(row, _ALL)
            return
        if is_total(row):
            return
        if min(row.by_col) >= K_URAIAN and (t7 := row.first_text(K_URAIAN)):
            # Nothing in the sasaran and program columns (most kegiatan rows): neither
            # starts there, and their continuation has no cell to read.
            self._new_kegiatan(row, t7)
            return
        t1 = self._unless_continued(row, S_URAIAN, self.s)
        t4 = self._unless_continued(row, P_URAIAN, self.p)
        t7 = row.first_text(K_URAIAN)
        if not t7:
            shifted = shift(row, self.addr)
            if shifted is not None:
                row, t1, t4, t7 = shifted, None, None, shifted.first_text(K_URAIAN)
        if not (t1 or t4 or t7):
            self._continuation(row, _ALL)
            return
        if t1:
            self._new_sasaran(row, t1)
        else:
            self._continuation(row, _SASARAN_COLS)
        if t4:
            self._new_program(row, t4)
        elif t1:
            self.f.stray_cells(self.s, self._cells_of(row, _PROGRAM_COLS), row.row)
        else:
            self._continuation(row, _PROGRAM_COLS)
        if t7:
            self._new_kegiatan(row, t7)
        else:
            self.k = None
            rest = self._cells_of(row, range(K_URAIAN, BEYOND + 1))
            self.f.stray_cells(self.p or self.s, rest, row.row)

    @staticmethod
    def _unless_continued(
        row: Row, n: int, item: Sasaran | Program | None
    ) -> tuple[int, str] | None:
        """The first text of uraian column ``n``, unless it is the current item's name as
        the layout repeats it on a new page (``continued``): that cell is neither a new
        item nor a value, and is dropped from the row."""
        found = row.first_text(n)
        if found is None or item is None or clean(found[1]) != continued(item.uraian):
            return found
        row.by_col[n] = [cv for cv in row.by_col[n] if cv[0] != found[0]]
        return row.first_text(n)

    @staticmethod
    def _cells_of(row: Row, logical: Sequence[int]) -> Cells:
        return [cv for n in logical for cv in row.by_col.get(n, [])]

    # -- new items -------------------------------------------------------------------------
    def _src(self, r: int) -> Source:
        return Source(sheet=self.sheet, row=r)

    def _new_sasaran(self, row: Row, t1: tuple[int, str]) -> None:
        r = row.row
        s = Sasaran(uraian=clean(t1[1]), src=self._src(r))
        s.src.cells["uraian"] = self.addr(r, t1[0])
        self._extra_texts(s, row, S_URAIAN, skip=t1[0])
        s.indikator = self.f.indikator(s, row, S_INDIKATOR)
        self.f.targets_sasaran(s, row)
        self.rak.sasaran.append(s)
        self.s, self.p, self.k, self.kg = s, None, None, None

    def _ensure_sasaran(self, r: int, c: int) -> Sasaran:
        if self.s is None:
            self.s = Sasaran(uraian=None, src=self._src(r))
            self.s.src.cells["uraian"] = self.addr(r, c)
            self.rak.sasaran.append(self.s)
        return self.s

    def _new_program(self, row: Row, t4: tuple[int, str]) -> None:
        r = row.row
        s = self._ensure_sasaran(r, t4[0])
        p = Program(uraian=clean(t4[1]) or None, src=self._src(r))
        p.src.cells["uraian"] = self.addr(r, t4[0])
        self._extra_texts(p, row, P_URAIAN, skip=t4[0])
        p.indikator = self.f.indikator(p, row, P_INDIKATOR)
        self.f.targets_program(p, row)
        s.program.append(p)
        self.p, self.k, self.kg = p, None, None

    def _ensure_program(self, r: int, c: int) -> Program:
        if self.p is None:
            s = self._ensure_sasaran(r, c)
            self.p = Program(uraian=None, src=self._src(r))
            self.p.src.cells["uraian"] = self.addr(r, c)
            s.program.append(self.p)
        return self.p

    def _new_kegiatan(self, row: Row, t7: tuple[int, str]) -> None:
        r = row.row
        p = self._ensure_program(r, t7[0])
        if row.shifted_from is None and (fast := self.fast.read(row, t7)) is not None:
            p.kegiatan.append(fast)
            self.k = fast
            return
        k = Kegiatan(uraian=clean(t7[1]), src=self._src(r))
        k.src.cells["uraian"] = self.addr(r, t7[0])
        k.src.shifted_from = row.shifted_from
        self._extra_texts(k, row, K_URAIAN, skip=t7[0])
        k.indikator = self.f.indikator(k, row, K_INDIKATOR)
        self.f.volume(k, row)
        self.f.targets_kegiatan(k, row)
        self.f.cash(k, row)
        self.f.ket(k, row)
        self.f.stray_cells(k, row.by_col.get(BEYOND, []), r)
        p.kegiatan.append(k)
        self.k = k

    def _extra_texts(self, item: Item, row: Row, n: int, skip: int) -> None:
        self.f.stray_cells(item, [(c, v) for c, v in row.by_col.get(n, []) if c != skip], row.row)

    # -- continuation rows (TW 2..4 on rows of their own, stray values) ---------------------
    def _continuation(self, row: Row, logical: Sequence[int]) -> None:
        """The cells of ``logical`` columns on a row that starts no item of theirs."""
        r = row.row
        by_col = row.by_col
        if len(logical) < len(by_col):
            # A few columns of a full row (the sasaran/program columns of a kegiatan row):
            # look those up rather than sort and skip the whole row. Same order.
            keys: Iterable[int] = [n for n in logical if n in by_col]
        else:
            keys = sorted(by_col, key=self.order) if len(by_col) > 1 else by_col
        for n in keys:
            if n not in logical:
                continue
            owner = (
                self.s
                if n == S_TARGET
                else self.p
                if n == P_TARGET
                else self.k
                if n == K_TARGET
                else self.kg
                if n == KG_TARGET
                else None
            )
            if owner is None:
                self._beside_targets(n, by_col[n], r)
            else:
                self._targets_below(owner, by_col[n], r)

    def _beside_targets(self, n: int, cells: Cells, r: int) -> None:
        """Cells of a column without targets: another indikator line of the item above,
        or stray values of the deepest item."""
        deepest = self.k or self.kg or self.p or self.s
        if n in _INDIKATOR_COLS and deepest is not None:
            item = (
                self.s
                if n == S_INDIKATOR
                else self.p
                if n == P_INDIKATOR
                else self.k
                if n == K_INDIKATOR
                else self.kg
            )
            texts = [clean(str(v)) for _, v in cells if isinstance(v, str) and text_of(v)]
            if item is not None and texts:
                item.indikator = "; ".join([*([item.indikator] if item.indikator else []), *texts])
                cells = [(c, v) for c, v in cells if not (isinstance(v, str) and text_of(v))]
        self.f.stray_cells(deepest, cells, r)

    def _targets_below(self, owner: Item, cells: Cells, r: int) -> None:
        """A target column's cells on row ``q`` of ``owner``'s block: TW q+1."""
        q = r - owner.src.row
        role_of, tw, addr = self.h.role, owner.target_tw, self.addr
        for c, v in cells:
            if type(v) is float and 0 < q < 4 and -MAX_FLOAT <= v <= MAX_FLOAT:
                # The common case (most cells of a large sheet): ``_number_below`` inlined.
                # tests/test_read_props.py checks that both ways read alike.
                if role_of.get(c) in ("anggaran", "tahunan") or tw[q] is not None:
                    self.f.stray_cells(owner, [(c, v)], r)
                else:
                    tw[q] = int(v) if v.is_integer() else normalize(v)
                    owner.src.cells[_TW_KEYS[q]] = addr(r, c)
            elif not (isinstance(v, str) and self._text_below(owner, q, c, v, r)):
                self._number_below(owner, q, c, v, r)

    def _text_below(self, owner: Item, q: int, c: int, v: str, r: int) -> bool:
        """Target text (``TW 3 = 5``, or unreadable text of TW q+1), else a stray value; a
        dash means nothing. False when ``v`` is a number written as text."""
        if is_dash(v):
            return True
        if not text_of(v):
            return False
        where = self.addr(r, c)
        quarter = q if 0 < q < 4 else None
        if self.f.apply_text_targets(owner, v, where, quarter):
            return True
        if quarter is not None and f"target_tw.{q}" not in owner.raw:
            owner.raw[f"target_tw.{q}"] = v.strip()  # unreadable target text
            owner.src.cells[f"target_tw.{q}"] = where
        else:
            self.f.stray_cells(owner, [(c, v)], r)
        return True

    def _number_below(self, owner: Item, q: int, c: int, v: CellValue, r: int) -> None:
        """TW q+1's target, unless it is set already, the row is not TW 2..4 or the cell
        is the anggaran/tahunan sub-column: then a stray value."""
        if (
            self.h.role.get(c) in ("anggaran", "tahunan")
            or not 0 < q < 4
            or owner.target_tw[q] is not None
        ):
            self.f.stray_cells(owner, [(c, v)], r)
        else:
            self.f.quarter_value(owner, q, v, self.addr(r, c))
