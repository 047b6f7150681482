"""Reader on plain grids: every shape of the official sheet seen in real workbooks."""

from __future__ import annotations

import pytest

from rak_xl.errors import NoRakTable
from rak_xl.grid import Grid
from rak_xl.read import find_header, read_rak

MONTHS = "Januari Pebruari Maret April Mei Juni Juli Agustus September Oktober Nopember Desember"
GROUP = (
    [
        "SASARAN",
        None,
        None,
        "PROGRAM",
        None,
        None,
        "KEGIATAN",
        None,
        None,
        None,
        "ANGGARAN KAS PER BULAN (Rp)",
    ]
    + [None] * 11
    + ["KET"]
)
LABELS = [
    "Uraian",
    "Indikator Kinerja",
    "Target",
    "Uraian",
    "Indikator Program",
    "Target dan Anggaran (Rp)",
    "Uraian",
    "Indikator Kinerja",
    "Vol. & Sat.",
    "Target",
    *MONTHS.split(),
    "KET",
]
NUMBERS = list(range(1, 24))
TITLE = [
    ["RENCANA AKSI KINERJA"],
    ["DINAS PEMBERDAYAAN MASYARAKAT DAN DESA"],
    ["KABUPATEN BANJAR"],
    ["TAHUN 2020"],
    [],
]


def row(**cols: object) -> list[object]:
    """A row by logical column number: row(c1="x", c11=5)."""
    out: list[object] = [None] * 23
    for key, value in cols.items():
        out[int(key[1:]) - 1] = value
    return out


def kas(values: list[object]) -> dict[str, object]:
    return {f"c{11 + i}": v for i, v in enumerate(values)}


def grid(*body: list[object], header: bool = True, **kw: object) -> Grid:
    rows = [*TITLE, GROUP, LABELS, NUMBERS] if header else []
    return Grid(rows=[list(r) for r in (*rows, *body)], **kw)  # type: ignore[arg-type]


def test_clean_rows_and_title() -> None:
    g = grid(
        row(
            c1="Sasaran A",
            c2="Skor",
            c3="Tahunan = 431 Progres TW 1 = - TW 2 = - TW 3 = - TW 4 = 431",
            c4="Program A",
            c5="1. Skor A",
            c6="TW 1 = - TW 2 = - TW 3 = - TW 4 = 142 Rp 2.656.885.200",
            c7="Keg A",
            c8="Jumlah BPD",
            c9="1416 Orang",
            c10="TW 1 = 355\nTW 2 = 5",
            **kas([162206000, "-", "-", 162206000] + ["-"] * 8),
            c23="-",
        ),
    )
    rak = read_rak(g)
    assert (rak.instansi, rak.kabupaten, rak.tahun) == (
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "Banjar",
        2020,
    )
    s = rak.sasaran[0]
    assert (s.target_tahunan, s.target_tw) == (431, [None, None, None, 431])
    p = s.program[0]
    assert (p.indikator, p.target_tw, p.anggaran) == ("Skor A", [None, None, None, 142], 2656885200)
    k = p.kegiatan[0]
    assert (k.volume, k.satuan, k.target_tw) == (1416, "Orang", [355, 5, None, None])
    assert k.kas_bulanan == [162206000, 0, 0, 162206000] + [0] * 8
    assert k.ket is None and k.stray == [] and k.raw == {}
    assert k.src.cells["uraian"] == "G9" and k.src.cells["kas_bulanan.3"] == "N9"


def test_targets_one_row_per_quarter_text_and_numbers() -> None:
    g = grid(
        row(
            c1="S",
            c4="P",
            c5="Ind",
            c6="TW 1 = -",
            c7="K1",
            c8="Jumlah",
            c9="10 Desa",
            c10="TW 1 = 4",
            c11=100,
        ),
        row(c6="TW 2 = -", c10="TW 2 = 3"),
        row(c6="TW 3 = -", c10="TW 3 = 3"),
        row(c6="TW 4 = 109", c10="TW 4 = -"),
        row(c7="K2", c8="Jumlah", c9="8 Dokumen", c10=2, c12=50),
        row(c10=2),
        row(c10=None),
        row(c10=4),
    )
    p = read_rak(g).sasaran[0].program[0]
    assert p.target_tw == [None, None, None, 109]
    assert [k.target_tw for k in p.kegiatan] == [[4, 3, 3, None], [2, 2, None, 4]]


def test_sub_columns_by_label_and_wide_merges() -> None:
    # Logical 6 and 9 span two physical columns told apart by their labels; 7 spans two merged.
    group = [*GROUP[:6], None, *GROUP[6:9], None, None, *GROUP[9:]]
    labels = [
        *LABELS[:5],
        "Target TW",
        "Anggaran (Rp)",
        "Uraian",
        None,
        "Indikator Kinerja",
        "Vol.",
        "Sat.",
        *LABELS[9:],
    ]
    numbers = [1, 2, 3, 4, 5, 6, None, 7, None, 8, 9, None, *range(10, 24)]
    data = [
        "S",
        None,
        None,
        "P",
        "Ind",
        7,
        2656885200,
        "K",
        None,
        "Jumlah",
        1416,
        "Orang",
        355,
        *([1000] * 12),
        "catatan",
    ]
    g = Grid(rows=[group, labels, numbers, data, [None] * 5 + [8]], merges=[(1, 8, 3, 9)])
    rak = read_rak(g)
    p = rak.sasaran[0].program[0]
    assert (p.target_tw, p.anggaran) == ([7, 8, None, None], 2656885200)
    k = p.kegiatan[0]
    assert (k.uraian, k.volume, k.satuan, k.target_tw[0], k.ket) == (
        "K",
        1416,
        "Orang",
        355,
        "catatan",
    )
    assert k.kas_setahun == 12000


def test_shifted_row_realigned_and_overflow_kept() -> None:
    g = grid(
        row(c1="S", c4="P", c7="K1", c9="1 Kali", **kas([1] * 12)),
        [
            None,
            "Fasilitasi Kawasan",
            "Jumlah peserta Rakor 140, Kawasan 180",
            "20 Kerjasama",
            *range(1, 11),
            None,
            20300000,
        ],
        [None, "Inovasi Desa", "Jumlah Inovasi", "3 Inovasi", *([700000] * 19)],
    )
    p = read_rak(g).sasaran[0].program[0]
    kawasan, inovasi = p.kegiatan[1], p.kegiatan[2]
    assert kawasan.indikator == "Jumlah peserta Rakor 140, Kawasan 180"  # numbers never scraped
    assert (kawasan.volume, kawasan.satuan) == (20, "Kerjasama")
    assert kawasan.kas_bulanan == [*range(1, 11), 0, 20300000]
    assert kawasan.src.shifted_from == "B10"
    assert inovasi.kas_bulanan == [700000] * 12 and inovasi.stray == [700000] * 7
    assert inovasi.src.cells["stray.0"] == "Q11"


def test_repeated_header_spacers_signature_and_notes() -> None:
    g = grid(
        row(c1="S", c4="P1", c7="K1", c9="1 Kali", c11="1,478,960,200"),
        [],
        GROUP,
        LABELS,
        NUMBERS,
        row(c4="P2", c6="Rp 1,167,508,000", c7="K2", c9="2 Kali", c12="33,692,500"),
        [],
        [None] * 18 + ["Martapura, Februari 2020"],
        [None] * 18 + ["Kepala Dinas"],
        [],
        [],
        [None] * 18 + ["H. Syahrilludin, S.Sos, M.AP"],
        [None] * 18 + ["Pembina Utama Muda (IV/c)"],
        [None] * 18 + ["NIP. 19650721 198602 1 001"],
        [],
        ["Penjelasan cara pengisian :"],
        ["Nilai rata-rata SAKIP", "71.78"],
    )
    rak = read_rak(g)
    s = rak.sasaran[0]
    assert [p.uraian for p in s.program] == ["P1", "P2"]
    assert s.program[0].kegiatan[0].kas_bulanan[0] == 1478960200
    assert (
        s.program[1].anggaran == 1167508000 and s.program[1].kegiatan[0].kas_bulanan[1] == 33692500
    )
    assert rak.penandatangan.to_json() == {
        "tempat_tanggal": "Martapura, Februari 2020",
        "jabatan": "Kepala Dinas",
        "nama": "H. Syahrilludin, S.Sos, M.AP",
        "pangkat": "Pembina Utama Muda (IV/c)",
        "nip": "19650721 198602 1 001",
    }
    assert rak.catatan == [("Penjelasan cara pengisian :",), ("Nilai rata-rata SAKIP", "71.78")]


def test_unreadable_values_kept_raw_and_orphans_placeholder() -> None:
    g = grid(
        row(c7="K0", c9="5 Desa", c10="TW satu = lima", c11="abc", c12="1.000.000"),
        row(c4="P", c7="K1", c9="banyak", c11=-5, c23=12),
    )
    rak = read_rak(g)
    orphan = rak.sasaran[0].program[0]
    assert rak.sasaran[0].uraian is None and orphan.uraian is None
    k0 = orphan.kegiatan[0]
    assert k0.raw == {"target_tw": "TW satu = lima", "kas_bulanan.0": "abc"}
    assert k0.kas_bulanan[:2] == [0, 1000000]
    k1 = rak.sasaran[0].program[1].kegiatan[0]
    assert (k1.volume, k1.satuan, k1.kas_bulanan[0], k1.stray) == (None, "banyak", -5, [12])


def test_total_rows_and_computed_columns_ignored() -> None:
    group = [*GROUP, "PERHITUNGAN", None]
    labels = [*LABELS, "Jumlah Setahun (Rp)", "Nilai di luar tabel"]
    numbers = [*NUMBERS, None, None]
    g = Grid(
        rows=[
            group,
            labels,
            numbers,
            [*row(c1="S", c4="P", c7="K", c9="1 Kali", c11=5), 5, "stray!"],
            [*row(c7="JUMLAH PROGRAM", c11=5), 5],
        ]
    )
    k = read_rak(g).sasaran[0].program[0].kegiatan
    assert len(k) == 1 and k[0].stray == ["stray!"]


def test_no_header() -> None:
    g = Grid(rows=[["a", "b"], [1, 2, 3]], sheet="Data")
    assert find_header(g) is None
    with pytest.raises(NoRakTable, match="Data"):
        read_rak(g)


def test_one_physical_column_per_quarter() -> None:
    group = [*GROUP[:9], None, None, None, *GROUP[9:]]
    labels = [*LABELS[:9], "TW I", "TW II", "TW III", "TW IV", *LABELS[10:]]
    numbers = [*range(1, 11), None, None, None, *range(11, 24)]
    data = [None] * 3 + [
        "P",
        None,
        "Rp 100.000.000",
        "K",
        "Jumlah",
        "12 Dokumen",
        3,
        "-",
        4,
        5,
        *([100] * 12),
    ]
    g = Grid(
        rows=[
            ["RENCANA AKSI KINERJA"],
            ["BADAN X KABUPATEN BANJAR TAHUN 2021"],
            group,
            labels,
            numbers,
            data,
        ]
    )
    rak = read_rak(g)
    k = rak.sasaran[0].program[0].kegiatan[0]
    assert k.target_tw == [3, None, 4, 5] and k.kas_setahun == 1200 and k.stray == []
    assert rak.tahun == 2021


def test_unreadable_text_in_a_quarter_row_is_raw() -> None:
    g = grid(
        row(c1="S", c4="P", c7="K", c9="4 Desa", c10=1, c11=10),
        row(c10="abc"),
    )
    k = read_rak(g).sasaran[0].program[0].kegiatan[0]
    assert (
        k.raw == {"target_tw.1": "abc"} and k.stray == [] and k.target_tw == [1, None, None, None]
    )
    assert k.src.cells["target_tw.1"] == "J10"


def test_a_note_starting_with_jumlah_is_kept_and_user_totals_skipped() -> None:
    g = grid(
        row(c1="S", c4="P", c7="K", c9="4 Desa", c11=10),
        row(c1="Jumlah", c11=10),  # the agency's own total row: sums, no indikator
        [],
        ["Jumlah kegiatan tahun ini: 1"],
    )
    rak = read_rak(g)
    assert len(rak.sasaran) == 1 and len(rak.sasaran[0].program[0].kegiatan) == 1
    assert rak.catatan == [("Jumlah kegiatan tahun ini: 1",)]
