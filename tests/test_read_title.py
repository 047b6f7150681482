"""The title block in the forms agencies head their RAK with: letterheads, the agency and
the year inside the title line, label and value; and nothing above the table lost."""

from __future__ import annotations

import pytest
from test_read import GROUP, LABELS, row

from rak_xl.grid import Grid
from rak_xl.model import Rak
from rak_xl.read import read_rak

NUMBERS = list(range(1, 24))
BODY = [row(c1="S", c4="P", c7="K", c9="4 Desa", c11=5)]


def read_above(*lines: list[object]) -> Rak:
    return read_rak(Grid(rows=[*[list(x) for x in lines], [], GROUP, LABELS, NUMBERS, *BODY]))


ADDRESS = "Jl. Jend. A. Yani Km. 5 Martapura Telp. (0511) 4721234 Kode Pos 70614"


@pytest.mark.parametrize(
    ("lines", "instansi", "kabupaten", "tahun", "notes"),
    [
        (  # letterhead, address, rule, then the title with the year
            [
                ["PEMERINTAH KABUPATEN BANJAR"],
                ["DINAS PEMBERDAYAAN MASYARAKAT DAN DESA"],
                [ADDRESS],
                ["________________________________"],
                [],
                ["RENCANA AKSI KINERJA TAHUN 2020"],
            ],
            "Dinas Pemberdayaan Masyarakat dan Desa",
            "Banjar",
            2020,
            [(ADDRESS,), ("________________________________",)],
        ),
        (  # the title naming another form of the agency: kept as a note
            [
                ["PEMERINTAH KABUPATEN BANJAR"],
                ["DINAS PEMBERDAYAAN MASYARAKAT DAN DESA"],
                ["RENCANA AKSI KINERJA DINAS PMD TAHUN 2020"],
            ],
            "Dinas Pemberdayaan Masyarakat dan Desa",
            "Banjar",
            2020,
            [("RENCANA AKSI KINERJA DINAS PMD TAHUN 2020",)],
        ),
        (
            [["RENCANA AKSI (RENAKSI) TAHUN ANGGARAN 2021"], ["DINAS KESEHATAN KABUPATEN TAPIN"]],
            "Dinas Kesehatan",
            "Tapin",
            2021,
            [],
        ),
        (
            [["RAK TAHUN 2020"], ["Perangkat Daerah", ": Dinas Sosial"], ["Tahun", ":", 2020]],
            "Dinas Sosial",
            None,
            2020,
            [],
        ),
        (
            [["RENCANA AKSI KINERJA INSPEKTORAT DAERAH KOTA BANJARBARU TAHUN 2022"]],
            "Inspektorat Daerah",
            "Kota Banjarbaru",
            2022,
            [],
        ),
        (
            [
                ["PEMERINTAH PROVINSI KALIMANTAN SELATAN"],
                ["BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH"],
                ["Jalan Dharma Praja No. 1, Banjarbaru 70711"],
                ["RENCANA AKSI KINERJA 2023"],
            ],
            "Badan Pengelolaan Keuangan dan Aset Daerah",
            "Provinsi Kalimantan Selatan",
            2023,
            [("Jalan Dharma Praja No. 1, Banjarbaru 70711",)],
        ),
        (  # the official layout: any agency name right after the title
            [["Rencana Aksi Kinerja"], ["Sekretariat DPRD"], ["Kabupaten Banjar"], ["Tahun 2020"]],
            "Sekretariat DPRD",
            "Banjar",
            2020,
            [],
        ),
        (
            [["RENCANA AKSI KINERJA"], ["BAGIAN ORGANISASI SETDA"], ["TAHUN 2019"]],
            "Bagian Organisasi Setda",
            None,
            2019,
            [],
        ),
        (  # one cell; "Tata Kota" is part of the agency's name
            [["RENCANA AKSI KINERJA\nDINAS TATA KOTA BANJARMASIN\nTAHUN 2020"]],
            "Dinas Tata Kota Banjarmasin",
            None,
            2020,
            [],
        ),
        (
            [
                ["OPD : Dinas Pertanian"],
                ["Tahun Anggaran : 2024"],
                ["RENCANA AKSI KINERJA PERUBAHAN"],
            ],
            "Dinas Pertanian",
            None,
            2024,
            [("RENCANA AKSI KINERJA PERUBAHAN",)],
        ),
        (  # a note before the title stays a note
            [["Lampiran Perjanjian Kinerja"], ["RENCANA AKSI KINERJA TAHUN 2020"]],
            None,
            None,
            2020,
            [("Lampiran Perjanjian Kinerja",)],
        ),
        (
            [
                ["PEMERINTAH KOTA BANJARMASIN"],
                ["KECAMATAN BANJARMASIN UTARA"],
                ["Telp. 0511-3300000, email: kec@banjarmasinkota.go.id"],
                ["RENCANA AKSI KINERJA KECAMATAN BANJARMASIN UTARA TAHUN 2021"],
            ],
            "Kecamatan Banjarmasin Utara",
            "Kota Banjarmasin",
            2021,
            [("Telp. 0511-3300000, email: kec@banjarmasinkota.go.id",)],
        ),
    ],
)
def test_title_forms(
    lines: list[list[object]],
    instansi: str | None,
    kabupaten: str | None,
    tahun: int | None,
    notes: list[tuple[object, ...]],
) -> None:
    rak = read_above(*lines)
    assert (rak.instansi, rak.kabupaten, rak.tahun) == (instansi, kabupaten, tahun)
    assert rak.catatan_atas == notes


def test_a_year_in_an_address_or_phone_is_never_the_tahun() -> None:
    rak = read_above(
        ["DINAS KESEHATAN"],
        ["Jl. Pramuka No. 2020 Telp. 2021 2022"],
        ["RENCANA AKSI KINERJA"],
        ["Nomor 2019"],
    )
    assert rak.tahun is None
    assert rak.catatan_atas == [("Jl. Pramuka No. 2020 Telp. 2021 2022",), ("Nomor 2019",)]


def test_where_each_field_was_read() -> None:
    rak = read_above(["PEMERINTAH KABUPATEN BANJAR"], ["DINAS SOSIAL"], ["Tahun", ":", 2020])
    title = {k: v for k, v in rak.src.cells.items() if not k.startswith("col.")}
    assert title == {"kabupaten": "A1", "instansi": "A2", "tahun": "C3"}


def test_agency_line_is_whole_when_a_line_of_its_own_names_the_region() -> None:
    """ "Dinas PMD Kabupaten Banjar" is that agency's own name when KABUPATEN BANJAR has a
    line of its own; without such a line the region comes off the agency's line."""
    whole = read_above(["DINAS SOSIAL KABUPATEN TAPIN"], ["KABUPATEN BANJAR"])
    assert (whole.instansi, whole.kabupaten) == ("Dinas Sosial Kabupaten Tapin", "Banjar")
    split = read_above(["DINAS SOSIAL KABUPATEN TAPIN"], ["TAHUN 2021"])
    assert (split.instansi, split.kabupaten) == ("Dinas Sosial", "Tapin")
