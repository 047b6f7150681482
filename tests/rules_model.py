"""Small RAK models built directly in Python for the rule tests (no workbook involved).

Cells follow a one-line layout: sasaran A-C, program D-G (G = anggaran), kegiatan H-L
(J volume, K satuan, L targets), cash M..X (Januari..Desember), KET Y, stray from Z.
``clean_rak()`` is consistent in every respect: the rules must find nothing in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rak_xl.grid import col_letter
from rak_xl.model import Kegiatan, Number, Penandatangan, Program, Rak, Sasaran, Source

SHEET = "RAK"
KAS_COL = 13  # M


def kas_cell(row: int, month: int) -> str:
    return f"{col_letter(KAS_COL + month)}{row}"


def keg(
    row: int,
    uraian: str = "Pelatihan Aparatur Desa",
    *,
    indikator: str = "Jumlah peserta yang terlatih",
    volume: Number | None = 20,
    satuan: str | None = "Orang",
    tw: Sequence[Number | None] = (5, 5, 5, 5),
    kas: Sequence[Number] | None = None,
    ket: str | None = None,
) -> Kegiatan:
    default: list[Number] = [1_000_000 if m % 3 == 0 else 0 for m in range(12)]
    kas_list: list[Number] = list(kas) if kas is not None else default
    cells = {
        "uraian": f"H{row}",
        "indikator": f"I{row}",
        "volume": f"J{row}",
        "satuan": f"K{row}",
        "target_tw": f"L{row}",
        "ket": f"Y{row}",
        **{f"target_tw.{q}": f"L{row}" for q in range(4)},
        **{f"kas_bulanan.{m}": kas_cell(row, m) for m in range(12)},
    }
    return Kegiatan(
        uraian=uraian,
        indikator=indikator,
        volume=volume,
        satuan=satuan,
        target_tw=list(tw),
        kas_bulanan=kas_list,
        ket=ket,
        src=Source(SHEET, row, cells),
    )


def prog(
    row: int,
    kegiatan: list[Kegiatan],
    uraian: str | None = "Program Pembinaan Desa",
    *,
    indikator: str = "Skor evaluasi perkembangan desa",
    tw: Sequence[Number | None] = (None, None, None, 142),
    anggaran: Number | None = None,
) -> Program:
    cells = {
        "uraian": f"D{row}",
        "indikator": f"E{row}",
        "target_tw": f"F{row}",
        "anggaran": f"G{row}",
    }
    cells.update({f"target_tw.{q}": f"F{row}" for q in range(4)})
    if uraian is None:
        cells = {}
    total = sum(k.kas_setahun for k in kegiatan)
    return Program(
        uraian=uraian,
        indikator=indikator if uraian is not None else None,
        target_tw=list(tw) if uraian is not None else [None] * 4,
        anggaran=(total if anggaran is None else anggaran) if uraian is not None else None,
        kegiatan=kegiatan,
        src=Source(SHEET, row if uraian is not None else 0, cells),
    )


def sas(
    row: int,
    program: list[Program],
    uraian: str | None = "Meningkatnya kualitas perencanaan desa",
    *,
    indikator: str = "Persentase desa berkembang",
    tahunan: Number | None = 80,
    tw: Sequence[Number | None] = (20, 40, 60, 80),
) -> Sasaran:
    cells = {"uraian": f"A{row}", "indikator": f"B{row}", "target_tw": f"C{row}"}
    cells.update({f"target_tw.{q}": f"C{row}" for q in range(4)} | {"target_tahunan": f"C{row}"})
    if uraian is None:
        return Sasaran(uraian=None, program=program, src=Source(SHEET, 0, {}))
    return Sasaran(
        uraian=uraian,
        indikator=indikator,
        target_tahunan=tahunan,
        target_tw=list(tw),
        program=program,
        src=Source(SHEET, row, cells),
    )


def rak(*sasaran: Sasaran, nip: str | None = "19650721 198602 1 001") -> Rak:
    pen = Penandatangan(
        tempat_tanggal="Martapura, 3 Januari 2020",
        jabatan="Kepala Dinas",
        nama="H. Syahrilludin",
        pangkat="Pembina",
        nip=nip,
        src=Source(SHEET, 40, {"nip": "U44"}),
    )
    return Rak(
        instansi="Dinas PMD",
        kabupaten="Banjar",
        tahun=2020,
        penandatangan=pen,
        sasaran=list(sasaran),
        src=Source(SHEET, 1, {}),
    )


def clean_rak() -> Rak:
    """Two sasaran, three programs, additive and level kegiatan, all consistent."""
    return rak(
        sas(
            10,
            [
                prog(
                    10,
                    [
                        keg(10),
                        keg(
                            11,
                            "Pembinaan Administrasi Desa",
                            indikator="Jumlah desa lengkap administrasi",
                            volume=277,
                            satuan="Desa",
                            tw=(None, 100, None, 177),
                            kas=[0, 0, 0, 5_000_000, 0, 0, 0, 0, 0, 2_500_000, 0, 0],
                        ),
                        keg(
                            12,
                            "Fasilitasi Tata Batas Desa",
                            indikator="Persentase desa selesai tata batas",
                            volume=100,
                            satuan="%",
                            tw=(25, 50, 75, 100),
                        ),
                    ],
                ),
                prog(
                    13,
                    [
                        keg(
                            13,
                            "Rapat Koordinasi",
                            indikator="Jumlah dokumen tindak lanjut",
                            volume=2,
                            satuan="Dokumen",
                            tw=(0, 1, None, 1),
                            kas=[0, 3_000_000, 0, 0, 0, 0, 0, 0, 0, 0, 3_000_000, 0],
                        ),
                        keg(
                            14,
                            "Pembangunan Usaha Ekonomi",
                            indikator="Jumlah UEM yang terlatih",
                            volume=40,
                            satuan="UEM",
                            tw=(40, None, None, None),
                            kas=[0, 27_286_000, 14_000_000] + [0] * 9,
                            ket="Dana DAK",
                        ),
                    ],
                    uraian="Program Kewilayahan Desa",
                    indikator="Persentase desa mandiri",
                    tw=(10, 20, 30, 40),
                ),
            ],
        ),
        sas(
            15,
            [
                prog(
                    15,
                    [
                        keg(
                            15,
                            "Pendataan Keluarga Miskin",
                            indikator="Indeks kepuasan layanan",
                            volume=82.5,
                            satuan="Indeks",
                            tw=(80, 80.5, 81, 82.5),
                        ),
                        keg(
                            16,
                            "Penurunan Stunting",
                            indikator="Prevalensi stunting",
                            volume=14,
                            satuan="%",
                            tw=(20, 18, 16, 14),
                        ),
                    ],
                    uraian="Program Pengentasan Kemiskinan",
                    indikator="Angka kemiskinan",
                    tw=(9, 8.5, 8, 7.5),
                ),
            ],
            uraian="Menurunnya angka kemiskinan",
            indikator="Angka kemiskinan",
            tahunan=7.5,
            tw=(9, 8.5, 8, 7.5),
        ),
    )
