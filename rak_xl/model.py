"""The RAK model: sasaran -> program -> kegiatan (-> sub kegiatan), as plain dataclasses.

Field names keep the sheet's Indonesian terms (see ../shared/DESIGN.md). Equality compares
what the user wrote (values, unparseable raw text, stray values); where a value came from
(``src``) is kept for findings but never compared, so ``read(regenerate(x)) == read(x)``
is a plain ``==``.

Field keys used in ``raw`` and ``Source.cells``: ``uraian``, ``indikator``, ``volume``,
``satuan``, ``target_tahunan``, ``target_tw`` (the cell holding the target text),
``target_tw.0``..``target_tw.3`` (one per quarter), ``anggaran``,
``kas_bulanan.0``..``kas_bulanan.11``, ``ket``, ``stray.0``.. (values that could not be placed),
``kode`` (4-level form).

Two forms (``Rak.tingkat``): 3, the 2020 form, where each kegiatan holds its cash plan; 4,
the form since 2021, where kegiatan hold sub kegiatan and the sub kegiatan hold the cash
plan (docs/SUB_KEGIATAN.md). Every field keeps what the sheet states: a kegiatan's
``kas_bulanan`` and ``anggaran`` are what its own row says, never a sum; the sums are
properties (``jumlah_kas_bulanan``, ``jumlah_kas``). ``cash_items()`` walks the items that
hold a cash plan in either form, so the rules about cash have one code path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add
from typing import TYPE_CHECKING, Any, TypeVar

from rak_xl.settle import settle_texts, shown

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "QUARTER_MONTHS",
    "CashItem",
    "Kegiatan",
    "Number",
    "Penandatangan",
    "Program",
    "Rak",
    "Sasaran",
    "Source",
    "StrayValue",
    "SubKegiatan",
    "quarter_of_month",
    "targets_unreadable",
]

Number = int | float
# A value kept verbatim because it could not be placed: text or a number.
StrayValue = str | int | float

# TW 1 = Jan-Mar, ... as 0-based month indexes.
QUARTER_MONTHS: tuple[range, ...] = (range(0, 3), range(3, 6), range(6, 9), range(9, 12))


def quarter_of_month(month: int) -> int:
    """0-based month -> 0-based quarter."""
    return month // 3


def targets_unreadable(item: SubKegiatan | Kegiatan | Program | Sasaran) -> bool:
    """Some of the item's quarterly targets are text the reader could not read (``raw``
    under ``target_tw``): what the sheet says its targets are is unknown, so nothing may
    be concluded from them (no target/cash coherence finding; the text is reported)."""
    return bool(item.raw) and any(key.startswith("target_tw") for key in item.raw)


class Source:
    """Where an item was read from: sheet, first physical row, and the A1 cell of each field.

    A plain class rather than a dataclass: the reader makes one per item, and most of a
    large sheet's addresses (the twelve months, the four quarters) are never asked for
    (only a finding needs its cell). ``defer`` records such fields as column letters;
    they join ``cells`` (letters + row) the first time ``cells`` is read, before any
    later write to it, so a deferred field never overrides a field written after it.
    """

    __slots__ = ("_cells", "_deferred", "row", "sheet", "shifted_from")

    def __init__(
        self,
        sheet: str = "",
        row: int = 0,
        cells: dict[str, str] | None = None,
        shifted_from: str | None = None,
    ) -> None:
        self.sheet = sheet
        self.row = row
        self._cells = {} if cells is None else cells
        # The row sat sideways and was realigned: the A1 of its uraian as found.
        self.shifted_from = shifted_from
        self._deferred: list[tuple[Sequence[str], Sequence[str]]] | None = None

    @property
    def cells(self) -> dict[str, str]:
        """The A1 cell of each field (the deferred ones included)."""
        if self._deferred is not None:
            rs = str(self.row)
            for keys, letters in self._deferred:
                self._cells.update(zip(keys, map(add, letters, repeat(rs)), strict=True))
            self._deferred = None
        return self._cells

    @cells.setter
    def cells(self, value: dict[str, str]) -> None:
        self._cells, self._deferred = value, None

    def defer(self, keys: Sequence[str], letters: Sequence[str]) -> None:
        """Fields ``keys`` sit on this item's row in columns ``letters`` (one each)."""
        if self._deferred is None:
            self._deferred = [(keys, letters)]
        else:
            self._deferred.append((keys, letters))

    def cell(self, key: str, fallback: str = "uraian") -> str | None:
        """A1 of ``key``, else of ``fallback``, else None."""
        cells = self.cells
        return cells.get(key) or cells.get(fallback)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Source):
            return NotImplemented
        return (self.sheet, self.row, self.cells, self.shifted_from) == (
            other.sheet,
            other.row,
            other.cells,
            other.shifted_from,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaced

    def __repr__(self) -> str:
        return (
            f"Source(sheet={self.sheet!r}, row={self.row!r}, cells={self.cells!r}, "
            f"shifted_from={self.shifted_from!r})"
        )


class _CashPlan:
    """What an item holding a monthly cash plan derives from it (kegiatan, sub kegiatan)."""

    kas_bulanan: list[Number]

    @property
    def kas_setahun(self) -> Number:
        """Year total of the cash plan (the item's own months)."""
        return sum(self.kas_bulanan)

    @property
    def kas_tw(self) -> list[Number]:
        """Cash per quarter (TW 1..4) of the item's own months."""
        k = self.kas_bulanan  # slices summed at C speed (QUARTER_MONTHS, three months each)
        return [sum(k[0:3]), sum(k[3:6]), sum(k[6:9]), sum(k[9:12])]


def _months(d: dict[str, Any], key: str) -> list[Number]:
    return list(d.get(key) or [0] * 12)


def _head_json(item: Kegiatan | SubKegiatan) -> dict[str, Any]:
    """The 4-level JSON keys a kegiatan and a sub kegiatan share, up to ``anggaran``."""
    raw = item.raw
    return {
        "kode": item.kode,
        "uraian": shown(item.uraian, raw, "uraian"),
        "indikator": shown(item.indikator, raw, "indikator"),
        "volume": item.volume,
        "satuan": shown(item.satuan, raw, "satuan"),
        "target_tw": list(item.target_tw),
        "anggaran": item.anggaran,
    }


def _head_fields(d: dict[str, Any]) -> dict[str, Any]:
    """The constructor arguments a kegiatan and a sub kegiatan read alike from JSON."""
    return {
        "uraian": d.get("uraian"),
        "kode": d.get("kode"),
        "indikator": d.get("indikator"),
        "volume": d.get("volume"),
        "satuan": d.get("satuan"),
        "target_tw": list(d.get("target_tw") or [None] * 4),
        "anggaran": d.get("anggaran"),
        "ket": d.get("ket"),
    }


@dataclass
class SubKegiatan(_CashPlan):
    """A sub kegiatan (4-level form): the item holding targets, budget and cash plan."""

    uraian: str | None
    kode: str | None = None
    indikator: str | None = None
    volume: Number | None = None
    satuan: str | None = None
    target_tw: list[Number | None] = field(default_factory=lambda: [None] * 4)
    anggaran: Number | None = None  # the stated budget (pagu); None: not written
    kas_bulanan: list[Number] = field(default_factory=lambda: [0] * 12)
    ket: str | None = None
    raw: dict[str, str] = field(default_factory=dict)
    stray: list[StrayValue] = field(default_factory=list)
    src: Source = field(default_factory=Source, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            **_head_json(self),
            "kas_bulanan": list(self.kas_bulanan),
            "ket": shown(self.ket, self.raw, "ket"),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SubKegiatan:
        return _settled(cls(**_head_fields(d), kas_bulanan=_months(d, "kas_bulanan")))


@dataclass
class Kegiatan(_CashPlan):
    uraian: str | None
    indikator: str | None = None
    volume: Number | None = None
    satuan: str | None = None
    target_tw: list[Number | None] = field(default_factory=lambda: [None] * 4)
    # What the kegiatan's own row states. In the 4-level form a kegiatan with sub
    # kegiatan has no month cells of its own (all 0), unless a tree-style sheet writes
    # subtotals there: kept as written (``cash.kegiatan-sum-mismatch`` compares them).
    kas_bulanan: list[Number] = field(default_factory=lambda: [0] * 12)
    ket: str | None = None
    # Text that could not be read as the number its field needs, by field key (kept verbatim).
    raw: dict[str, str] = field(default_factory=dict)
    # Values found where no column of the table belongs (right of KET, extra cells).
    stray: list[StrayValue] = field(default_factory=list)
    src: Source = field(default_factory=Source, compare=False, repr=False)
    # The 4-level form's (always None / empty in the 2020 form):
    kode: str | None = None
    anggaran: Number | None = None  # the stated budget (pagu)
    sub_kegiatan: list[SubKegiatan] = field(default_factory=list)

    @property
    def jumlah_kas_bulanan(self) -> list[Number]:
        """Cash per month of the kegiatan: the sum of its sub kegiatan when it has any
        (its own row's months are a subtotal, not added on top), else its own."""
        if not self.sub_kegiatan:
            return list(self.kas_bulanan)
        return [sum(sk.kas_bulanan[m] for sk in self.sub_kegiatan) for m in range(12)]

    @property
    def jumlah_kas(self) -> Number:
        """Year total of ``jumlah_kas_bulanan``."""
        if not self.sub_kegiatan:
            return sum(self.kas_bulanan)
        return sum(sk.kas_setahun for sk in self.sub_kegiatan)

    @property
    def jumlah_kas_tw(self) -> list[Number]:
        """Cash per quarter of ``jumlah_kas_bulanan``."""
        if not self.sub_kegiatan:
            return self.kas_tw
        return [sum(sk.kas_tw[q] for sk in self.sub_kegiatan) for q in range(4)]

    def to_json(self, tingkat: int = 3) -> dict[str, Any]:
        if tingkat == 3:  # the 2020 contract, byte for byte
            raw = self.raw
            return {
                "uraian": shown(self.uraian, raw, "uraian"),
                "indikator": shown(self.indikator, raw, "indikator"),
                "volume": self.volume,
                "satuan": shown(self.satuan, raw, "satuan"),
                "target_tw": list(self.target_tw),
                "kas_bulanan": list(self.kas_bulanan),
                "ket": shown(self.ket, raw, "ket"),
            }
        # ``kas_bulanan`` is the sum, so a consumer adding kegiatan cash keeps working; a
        # subtotal written on the kegiatan's own row is ``kas_bulanan_tertulis``.
        written = self.sub_kegiatan and any(self.kas_bulanan)
        return {
            **_head_json(self),
            "kas_bulanan": self.jumlah_kas_bulanan,
            "kas_bulanan_tertulis": list(self.kas_bulanan) if written else None,
            "ket": shown(self.ket, self.raw, "ket"),
            "sub_kegiatan": [sk.to_json() for sk in self.sub_kegiatan],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Kegiatan:
        sub = [SubKegiatan.from_json(x) for x in d.get("sub_kegiatan") or []]
        own = _months(d, "kas_bulanan_tertulis" if sub else "kas_bulanan")
        return _settled(cls(**_head_fields(d), kas_bulanan=own, sub_kegiatan=sub))


# An item holding a cash plan: a sub kegiatan, or a kegiatan without sub kegiatan.
CashItem = Kegiatan | SubKegiatan


@dataclass
class Program:
    uraian: str | None
    indikator: str | None = None
    target_tw: list[Number | None] = field(default_factory=lambda: [None] * 4)
    anggaran: Number | None = None
    kegiatan: list[Kegiatan] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)
    stray: list[StrayValue] = field(default_factory=list)
    src: Source = field(default_factory=Source, compare=False, repr=False)
    kode: str | None = None  # 4-level form

    @property
    def jumlah_kas(self) -> Number:
        """Sum of the year cash of its kegiatan (of their sub kegiatan, where they have any)."""
        return sum(k.jumlah_kas for k in self.kegiatan)

    @property
    def kas_tw(self) -> list[Number]:
        return [sum(k.jumlah_kas_tw[q] for k in self.kegiatan) for q in range(4)]

    def to_json(self, tingkat: int = 3) -> dict[str, Any]:
        return {
            **({"kode": self.kode} if tingkat == 4 else {}),
            "uraian": shown(self.uraian, self.raw, "uraian"),
            "indikator": shown(self.indikator, self.raw, "indikator"),
            "target_tw": list(self.target_tw),
            "anggaran": self.anggaran,
            "kegiatan": [k.to_json(tingkat) for k in self.kegiatan],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Program:
        return _settled(
            cls(
                uraian=d.get("uraian"),
                indikator=d.get("indikator"),
                target_tw=list(d.get("target_tw") or [None] * 4),
                anggaran=d.get("anggaran"),
                kegiatan=[Kegiatan.from_json(k) for k in d.get("kegiatan") or []],
                kode=d.get("kode"),
            )
        )


@dataclass
class Sasaran:
    uraian: str | None
    indikator: str | None = None
    target_tahunan: Number | None = None
    target_tw: list[Number | None] = field(default_factory=lambda: [None] * 4)
    program: list[Program] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)
    stray: list[StrayValue] = field(default_factory=list)
    src: Source = field(default_factory=Source, compare=False, repr=False)

    @property
    def jumlah_kas(self) -> Number:
        return sum(p.jumlah_kas for p in self.program)

    @property
    def jumlah_anggaran(self) -> Number:
        return sum(p.anggaran or 0 for p in self.program)

    def to_json(self, tingkat: int = 3) -> dict[str, Any]:
        return {
            "uraian": shown(self.uraian, self.raw, "uraian"),
            "indikator": shown(self.indikator, self.raw, "indikator"),
            "target_tahunan": self.target_tahunan,
            "target_tw": list(self.target_tw),
            "program": [p.to_json(tingkat) for p in self.program],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Sasaran:
        return _settled(
            cls(
                uraian=d.get("uraian"),
                indikator=d.get("indikator"),
                target_tahunan=d.get("target_tahunan"),
                target_tw=list(d.get("target_tw") or [None] * 4),
                program=[Program.from_json(p) for p in d.get("program") or []],
            )
        )


@dataclass
class Penandatangan:
    tempat_tanggal: str | None = None
    jabatan: str | None = None
    nama: str | None = None
    pangkat: str | None = None
    nip: str | None = None
    src: Source = field(default_factory=Source, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "tempat_tanggal": self.tempat_tanggal,
            "jabatan": self.jabatan,
            "nama": self.nama,
            "pangkat": self.pangkat,
            "nip": self.nip,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any] | None) -> Penandatangan:
        d = d or {}
        return cls(
            tempat_tanggal=d.get("tempat_tanggal"),
            jabatan=d.get("jabatan"),
            nama=d.get("nama"),
            pangkat=d.get("pangkat"),
            nip=d.get("nip"),
        )


@dataclass
class Rak:
    instansi: str | None = None
    kabupaten: str | None = None
    tahun: int | None = None
    penandatangan: Penandatangan = field(default_factory=Penandatangan)
    sasaran: list[Sasaran] = field(default_factory=list)
    # Free text found above the table (besides the title) and below it (besides the
    # signature), one tuple of non-empty cell values per sheet row, in order: user data.
    catatan_atas: list[tuple[StrayValue, ...]] = field(default_factory=list)
    catatan: list[tuple[StrayValue, ...]] = field(default_factory=list)
    src: Source = field(default_factory=Source, compare=False, repr=False)
    # 3: the 2020 form; 4: with sub kegiatan (since 2021). Set by the reader from the
    # numbering row: an empty 4-level sheet has no sub kegiatan to tell it by.
    tingkat: int = 3

    # -- traversal -------------------------------------------------------------------
    def programs(self) -> Iterator[tuple[Sasaran, Program]]:
        for s in self.sasaran:
            for p in s.program:
                yield s, p

    def kegiatan_all(self) -> Iterator[tuple[Sasaran, Program, Kegiatan]]:
        for s in self.sasaran:
            for p in s.program:
                for k in p.kegiatan:
                    yield s, p, k

    def sub_kegiatan_all(self) -> Iterator[tuple[Sasaran, Program, Kegiatan, SubKegiatan]]:
        for s, p, k in self.kegiatan_all():
            for sk in k.sub_kegiatan:
                yield s, p, k, sk

    def cash_items(self) -> Iterator[tuple[Sasaran, Program, Kegiatan, SubKegiatan | None]]:
        """Every item holding a cash plan, in sheet order, with its parents: each sub
        kegiatan ``(s, p, k, sk)``; each kegiatan without sub kegiatan ``(s, p, k, None)``
        (every kegiatan of the 2020 form)."""
        for s, p, k in self.kegiatan_all():
            if not k.sub_kegiatan:
                yield s, p, k, None
            for sk in k.sub_kegiatan:
                yield s, p, k, sk

    @property
    def jumlah_kas(self) -> Number:
        return sum(s.jumlah_kas for s in self.sasaran)

    # -- JSON (the contract of DESIGN.md, nothing more) ------------------------------
    def to_json(self) -> dict[str, Any]:
        """The 2020 form: exactly the DESIGN.md keys. The 4-level form adds ``tingkat``,
        ``kode``, the kegiatan's ``anggaran`` and ``kas_bulanan_tertulis`` and the
        ``sub_kegiatan`` lists, on every item (null / [] when empty): one fixed shape."""
        four = self.tingkat == 4
        return {
            "instansi": self.instansi,
            "kabupaten": self.kabupaten,
            "tahun": self.tahun,
            **({"tingkat": 4} if four else {}),
            "penandatangan": self.penandatangan.to_json(),
            "sasaran": [s.to_json(self.tingkat) for s in self.sasaran],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Rak:
        return cls(
            instansi=d.get("instansi"),
            kabupaten=d.get("kabupaten"),
            tahun=d.get("tahun"),
            penandatangan=Penandatangan.from_json(d.get("penandatangan")),
            sasaran=[Sasaran.from_json(s) for s in d.get("sasaran") or []],
            tingkat=int(d.get("tingkat") or (4 if _has_four_levels(d) else 3)),
        )

    # -- pandas view (imported lazily: a button click must not pay for pandas) --------
    def to_frame(self) -> pd.DataFrame:
        """One row per item holding a cash plan (``cash_items``): path, codes, volume,
        targets, stated budget, year and quarter cash. The 4-level columns
        (``kode_*``, ``sub_kegiatan``, ``anggaran``) come last; None in a 2020 sheet."""
        import pandas as pd

        rows = []
        for s, p, k, sk in self.cash_items():
            item: CashItem = sk if sk is not None else k
            kas_tw = item.kas_tw
            rows.append(
                {
                    "sasaran": s.uraian,
                    "program": p.uraian,
                    "kegiatan": k.uraian,
                    "indikator": item.indikator,
                    "volume": item.volume,
                    "satuan": item.satuan,
                    **{f"target_tw{q + 1}": item.target_tw[q] for q in range(4)},
                    "kas_setahun": item.kas_setahun,
                    **{f"kas_tw{q + 1}": kas_tw[q] for q in range(4)},
                    "baris": item.src.row or None,
                    "kode_program": p.kode,
                    "kode_kegiatan": k.kode,
                    "sub_kegiatan": sk.uraian if sk is not None else None,
                    "kode_sub_kegiatan": sk.kode if sk is not None else None,
                    "anggaran": item.anggaran,
                }
            )
        return pd.DataFrame(rows)


_Item = TypeVar("_Item", "Sasaran", "Program", "Kegiatan", "SubKegiatan")


def _settled(item: _Item) -> _Item:
    """An item read from JSON, its texts in ``raw`` as the reader keeps them."""
    texts = (getattr(item, key, None) for key in ("uraian", "indikator", "satuan", "ket"))
    if all(t is None or isinstance(t, str) for t in texts):  # JSON may hold anything
        settle_texts(item, kode_from_name=False)
    return item


def _has_four_levels(d: dict[str, Any]) -> bool:
    """A JSON without ``tingkat`` that carries 4-level keys (``sub_kegiatan``, ``kode``)."""
    return any(
        "kode" in p or any("sub_kegiatan" in k or "kode" in k for k in p.get("kegiatan") or [])
        for s in d.get("sasaran") or []
        for p in s.get("program") or []
    )
