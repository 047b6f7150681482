"""The RAK model: sasaran -> program -> kegiatan, as plain dataclasses.

Field names keep the sheet's Indonesian terms (see ../shared/DESIGN.md). Equality compares
what the user wrote (values, unparseable raw text, stray values); where a value came from
(``src``) is kept for findings but never compared, so ``read(regenerate(x)) == read(x)``
is a plain ``==``.

Field keys used in ``raw`` and ``Source.cells``: ``uraian``, ``indikator``, ``volume``,
``satuan``, ``target_tahunan``, ``target_tw`` (the cell holding the target text),
``target_tw.0``..``target_tw.3`` (one per quarter), ``anggaran``,
``kas_bulanan.0``..``kas_bulanan.11``, ``ket``, ``stray.0``.. (values that could not be placed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "QUARTER_MONTHS",
    "Kegiatan",
    "Number",
    "Penandatangan",
    "Program",
    "Rak",
    "Sasaran",
    "Source",
    "StrayValue",
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


def targets_unreadable(item: Kegiatan | Program | Sasaran) -> bool:
    """Some of the item's quarterly targets are text the reader could not read (``raw``
    under ``target_tw``): what the sheet says its targets are is unknown, so nothing may
    be concluded from them (no target/cash coherence finding; the text is reported)."""
    return bool(item.raw) and any(key.startswith("target_tw") for key in item.raw)


@dataclass
class Source:
    """Where an item was read from: sheet, first physical row, and the A1 cell of each field."""

    sheet: str = ""
    row: int = 0
    cells: dict[str, str] = field(default_factory=dict)
    # The row sat sideways and was realigned; ``shifted_from`` is the A1 of its uraian as found.
    shifted_from: str | None = None

    def cell(self, key: str, fallback: str = "uraian") -> str | None:
        """A1 of ``key``, else of ``fallback``, else None."""
        return self.cells.get(key) or self.cells.get(fallback)


@dataclass
class Kegiatan:
    uraian: str | None
    indikator: str | None = None
    volume: Number | None = None
    satuan: str | None = None
    target_tw: list[Number | None] = field(default_factory=lambda: [None] * 4)
    kas_bulanan: list[Number] = field(default_factory=lambda: [0] * 12)
    ket: str | None = None
    # Text that could not be read as the number its field needs, by field key (kept verbatim).
    raw: dict[str, str] = field(default_factory=dict)
    # Values found where no column of the table belongs (right of KET, extra cells).
    stray: list[StrayValue] = field(default_factory=list)
    src: Source = field(default_factory=Source, compare=False, repr=False)

    @property
    def kas_setahun(self) -> Number:
        """Year total of the cash plan."""
        return sum(self.kas_bulanan)

    @property
    def kas_tw(self) -> list[Number]:
        """Cash per quarter (TW 1..4)."""
        k = self.kas_bulanan  # slices summed at C speed (QUARTER_MONTHS, three months each)
        return [sum(k[0:3]), sum(k[3:6]), sum(k[6:9]), sum(k[9:12])]

    def to_json(self) -> dict[str, Any]:
        return {
            "uraian": self.uraian,
            "indikator": self.indikator,
            "volume": self.volume,
            "satuan": self.satuan,
            "target_tw": list(self.target_tw),
            "kas_bulanan": list(self.kas_bulanan),
            "ket": self.ket,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Kegiatan:
        return cls(
            uraian=d.get("uraian"),
            indikator=d.get("indikator"),
            volume=d.get("volume"),
            satuan=d.get("satuan"),
            target_tw=list(d.get("target_tw") or [None] * 4),
            kas_bulanan=list(d.get("kas_bulanan") or [0] * 12),
            ket=d.get("ket"),
        )


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

    @property
    def jumlah_kas(self) -> Number:
        """Sum of the year cash of its kegiatan."""
        return sum(k.kas_setahun for k in self.kegiatan)

    @property
    def kas_tw(self) -> list[Number]:
        return [sum(k.kas_tw[q] for k in self.kegiatan) for q in range(4)]

    def to_json(self) -> dict[str, Any]:
        return {
            "uraian": self.uraian,
            "indikator": self.indikator,
            "target_tw": list(self.target_tw),
            "anggaran": self.anggaran,
            "kegiatan": [k.to_json() for k in self.kegiatan],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Program:
        return cls(
            uraian=d.get("uraian"),
            indikator=d.get("indikator"),
            target_tw=list(d.get("target_tw") or [None] * 4),
            anggaran=d.get("anggaran"),
            kegiatan=[Kegiatan.from_json(k) for k in d.get("kegiatan") or []],
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

    def to_json(self) -> dict[str, Any]:
        return {
            "uraian": self.uraian,
            "indikator": self.indikator,
            "target_tahunan": self.target_tahunan,
            "target_tw": list(self.target_tw),
            "program": [p.to_json() for p in self.program],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Sasaran:
        return cls(
            uraian=d.get("uraian"),
            indikator=d.get("indikator"),
            target_tahunan=d.get("target_tahunan"),
            target_tw=list(d.get("target_tw") or [None] * 4),
            program=[Program.from_json(p) for p in d.get("program") or []],
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

    @property
    def jumlah_kas(self) -> Number:
        return sum(s.jumlah_kas for s in self.sasaran)

    # -- JSON (the contract of DESIGN.md, nothing more) ------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "instansi": self.instansi,
            "kabupaten": self.kabupaten,
            "tahun": self.tahun,
            "penandatangan": self.penandatangan.to_json(),
            "sasaran": [s.to_json() for s in self.sasaran],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Rak:
        return cls(
            instansi=d.get("instansi"),
            kabupaten=d.get("kabupaten"),
            tahun=d.get("tahun"),
            penandatangan=Penandatangan.from_json(d.get("penandatangan")),
            sasaran=[Sasaran.from_json(s) for s in d.get("sasaran") or []],
        )

    # -- pandas view (imported lazily: a button click must not pay for pandas) --------
    def to_frame(self) -> pd.DataFrame:
        """One row per kegiatan: path, volume, targets, year and quarter cash."""
        import pandas as pd

        rows = []
        for s, p, k in self.kegiatan_all():
            kas_tw = k.kas_tw
            rows.append(
                {
                    "sasaran": s.uraian,
                    "program": p.uraian,
                    "kegiatan": k.uraian,
                    "indikator": k.indikator,
                    "volume": k.volume,
                    "satuan": k.satuan,
                    **{f"target_tw{q + 1}": k.target_tw[q] for q in range(4)},
                    "kas_setahun": k.kas_setahun,
                    **{f"kas_tw{q + 1}": kas_tw[q] for q in range(4)},
                    "baris": k.src.row or None,
                }
            )
        return pd.DataFrame(rows)
