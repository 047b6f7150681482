"""Small RAK models built directly in Python for the rule tests (no workbook involved).

Cells follow a one-line layout: sasaran A-C, program D-G (G = anggaran), kegiatan H-L
(J volume, K satuan, L targets), cash M..X (Januari..Desember), KET Y, stray from Z.
``clean_rak()`` is consistent in every respect: the rules must find nothing in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rak_xl.grid import col_letter
from rak_xl.model import (
    Kegiatan,
    Number,
    Penandatangan,
    Program,
    Rak,
    Sasaran,
    Source,
    SubKegiatan,
)

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


# -- the 4-level form (Sub Kegiatan) -------------------------------------------------------
# Cells follow the form's official layout (rak_xl.forms.FORM_2021): sasaran A-D,
# program E (kode) F (uraian) G H I (anggaran), kegiatan J K L M N (anggaran), sub
# kegiatan O P Q R (volume) S (satuan) T (targets) U (anggaran), cash V..AG, KET AH.
KAS_COL4 = 22  # V


def kas_cell4(row: int, month: int) -> str:
    return f"{col_letter(KAS_COL4 + month)}{row}"


def sub(
    row: int,
    kode: str | None,
    uraian: str,
    *,
    indikator: str,
    volume: Number | None,
    satuan: str | None,
    tw: Sequence[Number | None],
    kas: Sequence[Number],
    anggaran: Number | None = None,
) -> SubKegiatan:
    cells = {
        "kode": f"O{row}",
        "uraian": f"P{row}",
        "indikator": f"Q{row}",
        "volume": f"R{row}",
        "satuan": f"S{row}",
        "target_tw": f"T{row}",
        "anggaran": f"U{row}",
        "ket": f"AH{row}",
        **{f"target_tw.{q}": f"T{row}" for q in range(4)},
        **{f"kas_bulanan.{m}": kas_cell4(row, m) for m in range(12)},
    }
    return SubKegiatan(
        uraian=uraian,
        kode=kode,
        indikator=indikator,
        volume=volume,
        satuan=satuan,
        target_tw=list(tw),
        anggaran=sum(kas) if anggaran is None else anggaran,
        kas_bulanan=list(kas),
        src=Source(SHEET, row, cells),
    )


def keg4(
    row: int, kode: str, uraian: str, subs: list[SubKegiatan], *, stated: bool = True
) -> Kegiatan:
    cells = {
        "kode": f"J{row}",
        "uraian": f"K{row}",
        "indikator": f"L{row}",
        "target_tw": f"M{row}",
        "anggaran": f"N{row}",
        **{f"target_tw.{q}": f"M{row}" for q in range(4)},
    }
    return Kegiatan(
        uraian=uraian,
        kode=kode,
        indikator="Persentase dokumen tepat waktu",
        target_tw=[None, None, None, 100],
        anggaran=sum(sk.anggaran or 0 for sk in subs) if stated else None,
        sub_kegiatan=subs,
        src=Source(SHEET, row, cells),
    )


def clean_rak4() -> Rak:
    """A 4-level RAK (2025, four-digit codes), consistent in every respect."""
    s1 = sub(
        10,
        "2.08.01.2.01.0001",
        "Penyusunan Dokumen Perencanaan Perangkat Daerah",
        indikator="Jumlah Dokumen Perencanaan Perangkat Daerah",
        volume=2,
        satuan="Dokumen",
        tw=(1, None, None, 1),
        kas=[5_000_000, 0, 0, 0, 0, 0, 0, 0, 0, 3_000_000, 0, 0],
    )
    s2 = sub(
        11,
        "2.08.01.2.01.0002",
        "Evaluasi Kinerja Perangkat Daerah",
        indikator="Jumlah Laporan Evaluasi Kinerja",
        volume=4,
        satuan="Laporan",
        tw=(1, 1, 1, 1),
        kas=[1_000_000 if m % 3 == 0 else 0 for m in range(12)],
    )
    s3 = sub(
        12,
        "2.08.01.2.02.0001",
        "Penyediaan Gaji dan Tunjangan ASN",
        indikator="Persentase ASN menerima gaji tepat waktu",
        volume=100,
        satuan="%",
        tw=(25, 50, 75, 100),
        kas=[10_000_000] * 12,
    )
    k1 = keg4(10, "2.08.01.2.01", "Perencanaan, Penganggaran, dan Evaluasi Kinerja", [s1, s2])
    k2 = keg4(12, "2.08.01.2.02", "Administrasi Keuangan Perangkat Daerah", [s3], stated=False)
    p = Program(
        uraian="PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
        kode="2.08.01",
        indikator="Persentase kinerja perangkat daerah",
        target_tw=[None, None, None, 90],
        anggaran=k1.jumlah_kas + k2.jumlah_kas,
        kegiatan=[k1, k2],
        src=Source(
            SHEET,
            10,
            {
                "kode": "E10",
                "uraian": "F10",
                "indikator": "G10",
                "target_tw": "H10",
                "anggaran": "I10",
                **{f"target_tw.{q}": "H10" for q in range(4)},
            },
        ),
    )
    r = rak(sas(10, [p]))
    r.tahun, r.tingkat = 2025, 4
    return r
