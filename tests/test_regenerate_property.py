"""Property: model -> plan -> real .xlsx (openpyxl) -> reader -> the same model.

Generated models stay inside what the reader can produce (texts as the reader cleans
them, signature lines it recognises, a placeholder sasaran/program only first and bare),
since regenerate always starts from a model the reader made.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_files import plan_file

from rak_xl.model import Kegiatan, Penandatangan, Program, Rak, Sasaran
from rak_xl.read import read_rak
from rak_xl.workbook import load_grid

WORDS = [
    "desa",
    "Jumlah",
    "total",
    "aparatur",
    "pelatihan",
    "pembinaan",
    "kegiatan",
    "peningkatan",
    "kualitas",
    "dokumen",
    "laporan",
    "kelompok",
    "orang",
    "rapat",
    "koordinasi",
    "fasilitasi",
    "kabupaten",
    "kecamatan",
    "usaha",
    "ekonomi",
    "Masyarakat",
    "BPD",
    "BUMDesa",
    "Siskeudes",
    "Monev",
    "(sosialisasi)",
    "persen%",
    "a/b",
]

text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(
    lambda ws: (ws[0][:1].upper() + ws[0][1:] + " " + " ".join(ws[1:])).strip()
)
maybe_text = st.none() | text
number = st.integers(min_value=-1_000, max_value=5_000_000_000) | st.sampled_from(
    [0.5, 12.75, 99.9, 1234.5]
)
maybe_number = st.none() | number
targets = st.lists(maybe_number, min_size=4, max_size=4)
stray = st.lists(text | number, max_size=3)
note_row = st.lists(text | number, min_size=1, max_size=4).map(tuple)
# Above the table, a row with a text starting "Kabupaten"/"Kota"/"Tahun" ... is the
# title's labelled field to the reader ("Kabupaten | Banjar"), never a note: a model read
# from a sheet holds no such note above the table, so none is drawn there.
_TITLE_LABELS = ("kabupaten", "kota", "provinsi", "tahun", "pemerintah")


def _no_title_label(row: tuple[object, ...]) -> bool:
    return not any(isinstance(v, str) and v.casefold().startswith(_TITLE_LABELS) for v in row)


note_above = note_row.filter(lambda r: len(r) > 1 and _no_title_label(r))


@st.composite
def kegiatan(draw: st.DrawFn) -> Kegiatan:
    kas = draw(st.lists(number, min_size=12, max_size=12))
    raw: dict[str, str] = {}
    tw = draw(targets)
    for m in draw(st.sets(st.integers(0, 11), max_size=2)):
        kas[m] = 0
        raw[f"kas_bulanan.{m}"] = draw(text) + " rupiah"
    if draw(st.booleans()) and draw(st.booleans()):
        raw["target_tw"] = "belum " + draw(text)
        tw[0] = None
    return Kegiatan(
        uraian=draw(text),
        indikator=draw(maybe_text),
        volume=draw(maybe_number),
        satuan=draw(maybe_text),
        target_tw=tw,
        kas_bulanan=kas,
        ket=draw(maybe_text),
        raw=raw,
        stray=draw(stray),
    )


@st.composite
def program(draw: st.DrawFn, placeholder: bool = False) -> Program:
    kg = draw(st.lists(kegiatan(), min_size=1 if placeholder else 0, max_size=3))
    if placeholder:
        return Program(uraian=None, kegiatan=kg)
    return Program(
        uraian=draw(text),
        indikator=draw(maybe_text),
        target_tw=draw(targets),
        anggaran=draw(maybe_number),
        kegiatan=kg,
        stray=draw(stray),
    )


@st.composite
def sasaran(draw: st.DrawFn, placeholder: bool = False) -> Sasaran:
    first = [draw(program(placeholder=True))] if draw(st.booleans()) and draw(st.booleans()) else []
    progs = first + draw(st.lists(program(), min_size=1 if placeholder else 0, max_size=2))
    if placeholder:
        return Sasaran(uraian=None, program=progs)
    return Sasaran(
        uraian=draw(text),
        # A last sasaran with nothing but its uraian reads as a note (reader convention).
        indikator=draw(maybe_text if progs else text),
        target_tahunan=draw(maybe_number),
        target_tw=draw(targets),
        program=progs,
        stray=draw(stray),
    )


@st.composite
def penandatangan(draw: st.DrawFn) -> Penandatangan:
    if not draw(st.booleans()):
        return Penandatangan()
    nama = draw(maybe_text)
    return Penandatangan(
        tempat_tanggal=draw(st.none() | st.just("Martapura, 3 Februari 2020")),
        # The reader takes the line above the pangkat for the nama: no jabatan without it.
        jabatan=draw(st.none() | st.sampled_from(["Kepala Dinas", "Sekretaris Dinas"]))
        if nama
        else None,
        nama=nama,
        pangkat=draw(st.none() | st.just("Pembina Utama Muda (IV/c)")) if nama else None,
        nip=draw(st.none() | st.just("19650721 198602 1 001")),
    )


@st.composite
def rak(draw: st.DrawFn) -> Rak:
    first = [draw(sasaran(placeholder=True))] if draw(st.booleans()) and draw(st.booleans()) else []
    return Rak(
        instansi="Dinas " + draw(text),
        kabupaten=draw(st.sampled_from(["Banjar", "Tanah Laut", "Kota Banjarmasin", None])),
        tahun=draw(st.none() | st.integers(2019, 2030)),
        penandatangan=draw(penandatangan()),
        sasaran=first + draw(st.lists(sasaran(), max_size=2)),
        catatan_atas=draw(st.lists(note_above, max_size=2)),
        catatan=draw(st.lists(note_row, max_size=3)),
    )


@pytest.mark.slow  # a workbook written and read back per example
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(model=rak())
def test_model_plan_file_read_is_identity(model: Rak, tmp_path: Path) -> None:
    path = plan_file(tmp_path / "rak.xlsx", model)
    back = read_rak(load_grid(path))
    assert back.to_json() == model.to_json()
    assert back == model


def _one(k: Kegiatan, **kw: object) -> Rak:
    return Rak(
        instansi="Dinas Uji",
        sasaran=[Sasaran("Sasaran", indikator="Skor", program=[Program("Program", kegiatan=[k])])],
        **kw,  # type: ignore[arg-type]
    )


TRICKY = {
    # Unreadable target text beside a TW 1 number: TW 1 moves to a labelled text.
    "raw_target_and_tw1": _one(
        Kegiatan("Keg", target_tw=[40, 5, None, 7], raw={"target_tw": "12 Orang"})
    ),
    # Unreadable text in TW 2's row beside TW 2's number.
    "raw_tw2_and_tw2": _one(
        Kegiatan("Keg", target_tw=[355, 5, None, None], raw={"target_tw.1": "12 Orang"})
    ),
    # Raw values the reader only makes from a date or boolean cell.
    "raw_from_date_and_bool": _one(
        Kegiatan("Keg", raw={"target_tw.0": "15/03/2020", "target_tw.2": "TRUE"})
    ),
    # Uraian and target text that read like total labels ("Jumlah ...").
    "jumlah_like_texts": _one(
        Kegiatan("Jumlah orang", raw={"target_tw.1": "Jumlah orang"}),
        catatan=[("Jumlah akhir", 3)],
    ),
    "text_like_a_formula": _one(Kegiatan("=SUM(A1)", ket="=1+1", stray=["=x"])),
    # A note below the grand total whose one text in the table's columns is a totals
    # label ("Jumlah"): a note, not a totals row (found by Hypothesis).
    "note_reading_like_a_total": Rak(instansi="Dinas Desa", catatan=[("Desa", "Jumlah")]),
    "note_reading_like_a_total_after_kegiatan": _one(
        Kegiatan("Keg"), catatan=[("Desa", "Jumlah"), ("TOTAL",)]
    ),
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_models_round_trip(name: str, tmp_path: Path) -> None:
    model = TRICKY[name]
    path = plan_file(tmp_path / "rak.xlsx", model)
    assert read_rak(load_grid(path)) == model
