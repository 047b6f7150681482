"""No false alarms: any consistent RAK (random, hypothesis) gives no finding at all."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_model import keg, prog, rak, sas

from rak_xl.model import Kegiatan, Number
from rak_xl.rules import check

COUNT_UNITS = ("Orang", "Desa", "Dokumen", "Kali", "Kelompok", "Laporan", "Paket", "UEM", "Unit")
KETS = (None, "Dana DAK", "Lanjutan 2019", "dilaksanakan akhir tahun", "turun lapangan")


@st.composite
def additive(draw: st.DrawFn, row: int, name: str) -> Kegiatan:
    volume = draw(st.integers(1, 3000))
    cuts = sorted(draw(st.lists(st.integers(0, volume), min_size=3, max_size=3)))
    parts = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], volume - cuts[2]]
    zero = draw(st.sampled_from((None, 0)))
    tw: list[Number | None] = [p if p else zero for p in parts]
    first = min(q for q in range(4) if parts[q])
    last = max(q for q in range(4) if parts[q])
    kas: list[Number] = [0] * 12
    # money before the first target is due, and never after the last target's quarter
    kas[draw(st.integers(0, 3 * first + 2))] = draw(st.integers(1, 10**9))
    for m in draw(st.lists(st.integers(0, 3 * last + 2), max_size=6)):
        kas[m] = draw(st.integers(1, 10**9))
    return keg(
        row,
        name,
        indikator=draw(st.sampled_from(("Jumlah peserta terlatih", "Terlaksananya rapat"))),
        volume=volume,
        satuan=draw(st.sampled_from(COUNT_UNITS)),
        tw=tw,
        kas=kas,
        ket=draw(st.sampled_from((*KETS, "kumulatif"))),
    )


@st.composite
def level(draw: st.DrawFn, row: int, name: str) -> Kegiatan:
    lower = draw(st.booleans())
    final = draw(st.integers(0, 100))
    if lower:
        steps = sorted(
            draw(st.lists(st.integers(final, 100), min_size=3, max_size=3)), reverse=True
        )
        indikator = "Angka kemiskinan"
    else:
        steps = sorted(draw(st.lists(st.integers(0, final), min_size=3, max_size=3)))
        indikator = "Persentase desa mandiri"
    tw: list[Number | None] = [*steps, final]
    for q in draw(st.lists(st.integers(0, 2), max_size=2)):
        tw[q] = None  # a level may skip early quarters
    kas: list[Number] = [draw(st.integers(0, 10**8)) for _ in range(12)]
    kas[draw(st.integers(0, 11))] = draw(st.integers(1, 10**8))
    return keg(
        row,
        name,
        indikator=indikator,
        volume=final,
        satuan=draw(st.sampled_from(("%", "Persen"))),
        tw=tw,
        kas=kas,
        ket=draw(st.sampled_from((*KETS, "akhir"))),
    )


@st.composite
def clean_models(draw: st.DrawFn) -> object:
    row = 10
    sasaran = []
    for si in range(draw(st.integers(1, 2))):
        programs = []
        for pi in range(draw(st.integers(1, 2))):
            start = row
            kegiatan = []
            for ki in range(draw(st.integers(1, 4))):
                kind = draw(st.sampled_from((additive, level)))
                kegiatan.append(draw(kind(row, f"Kegiatan {si}.{pi}.{ki}")))
                row += draw(st.sampled_from((1, 4)))
            ptw = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4)))
            programs.append(
                prog(
                    start,
                    kegiatan,
                    uraian=f"Program {si}.{pi}",
                    indikator="Persentase layanan tepat waktu",
                    tw=ptw,
                )
            )
        tahunan = draw(st.integers(1, 500))
        stw = sorted(draw(st.lists(st.integers(0, tahunan), min_size=3, max_size=3)))
        sasaran.append(
            sas(
                programs[0].src.row,
                programs,
                uraian=f"Sasaran {si}",
                indikator="Indeks Desa Membangun",
                tahunan=tahunan,
                tw=[*stw, tahunan],
            )
        )
    return rak(*sasaran)


@pytest.mark.slow  # a property over many cases: the full suite runs it
@settings(max_examples=60, deadline=None)
@given(clean_models())
def test_consistent_rak_has_no_finding(model: object) -> None:
    report = check(model)  # type: ignore[arg-type]
    assert report.findings == (), report.flatten(("cell", "code", "message"))
