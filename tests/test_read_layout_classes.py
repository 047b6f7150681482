"""Classes of real layouts (issue 14): totals labels in any spacing and case, wide text
columns, text in the quarter columns, and Susun Ulang's check comparing meaning."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from test_read import GROUP, LABELS, grid, kas, row

from rak_xl.grid import Grid
from rak_xl.layout import plan_sheet
from rak_xl.layout.totals import totals_blocks
from rak_xl.model import Rak
from rak_xl.plan_check import plan_grid, reads_back
from rak_xl.read import read_rak
from rak_xl.read.meaning import canonical, same_meaning
from rak_xl.regenerate import regenerate_file
from rak_xl.rules import check
from rak_xl.sheet_spec import COL, is_total_label, starts_like_total, total_label
from rak_xl.workbook import load_grid

M = 1_000_000


def codes(rak: Rak) -> list[tuple[str | None, str]]:
    return [(f.cell, f.code) for f in check(rak).findings]


# -- totals labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "starts", "whole"),
    [
        ("J U M L A H", True, True),
        ("J u m l a h", True, True),
        ("JUMLAH", True, True),
        ("Jumlah Total", True, True),
        ("TOTAL", True, True),
        ("Sub Total", True, True),
        ("S u b   T o t a l", True, True),
        ("Total Anggaran", True, True),
        ("T O T A L   A N G G A R A N", True, True),
        ("JUMLAH PROGRAM 1.2", True, True),
        ("JUMLAH PROGRAM PELAYANAN ADMINISTRASI", True, True),
        ("Grand Total (Rp)", True, True),
        ("Jumlah kegiatan tahun ini: 1", True, False),
        ("Jumlah desa yang dibina", True, False),
        ("Total Quality Management", True, False),
        ("Pelatihan Aparatur", False, False),
    ],
)
def test_totals_labels_in_any_spacing_and_case(label: str, starts: bool, whole: bool) -> None:
    assert starts_like_total(label) is starts
    assert is_total_label(label) is whole


def test_total_label_is_one_canonical_form() -> None:
    assert total_label(" J U M L A H   program 1.1 ") == "JUMLAH PROGRAM 1.1"


def _keg(name: str = "K", **cols: object) -> list[object]:
    return row(
        c7=name, c8="Jumlah desa", c9="4 Desa", c10="TW 1 = 4", **kas([10 * M, 20 * M]), **cols
    )


@pytest.mark.parametrize(
    "total",
    [
        row(c7="J U M L A H", **kas([10 * M, 20 * M])),
        row(c7="Jumlah Total", **kas([10 * M, 20 * M])),
        row(c1="TOTAL", **kas([10 * M, 20 * M])),  # in the first column, merged across
        row(c4="Sub Total", **kas(["10.000.000", "20.000.000"])),  # sums as text
        row(c1="T O T A L   A N G G A R A N"),  # a label alone: sums as formulas not cached
        row(c7="jumlah program", **kas([10 * M, 20 * M])),
    ],
)
def test_a_totals_row_is_neither_a_kegiatan_nor_a_note(total: list[object]) -> None:
    g = grid(
        row(c1="S", c4="P", c6="Rp 30.000.000"),
        _keg(),
        total,
        [],
        ["Jumlah kegiatan tahun ini: 1"],  # a note that starts like a total: kept
    )
    rak = read_rak(g)
    (p,) = [p for _, p in rak.programs()]
    assert [k.uraian for k in p.kegiatan] == ["K"]
    assert p.jumlah_kas == p.anggaran == 30 * M  # not "overspent" by the totals row
    assert rak.catatan == [("Jumlah kegiatan tahun ini: 1",)]
    assert "cash.program-total-mismatch" not in [c for _, c in codes(rak)]


def test_hitung_ulang_finds_its_totals_rows_in_any_spacing() -> None:
    rak = read_rak(grid(row(c1="S", c4="P", c6="Rp 30.000.000"), _keg()))
    plan = plan_sheet(rak)
    g = plan_grid(plan)
    col = COL["k.uraian"] - 1
    for r in (*plan.table.program_total_rows, *plan.table.sasaran_total_rows):
        label = g.rows[r - 1][col]
        assert isinstance(label, str)
        g.rows[r - 1][col] = " ".join(label.replace("JUMLAH", "J U M L A H").lower().split(" "))
    found = totals_blocks(g, read_rak(g))
    assert found is not None
    blocks, sasaran_rows, grand = found
    assert [b.total_row for b in blocks] == list(plan.table.program_total_rows)
    assert sasaran_rows == list(plan.table.sasaran_total_rows)
    assert grand == plan.table.grand_total_row


# -- wide text columns ----------------------------------------------------------------------


def _wide_ket_grid(extra_label: str | None, values: list[object], title: bool = False) -> Grid:
    """KET merged over three physical columns (W:Y), then one more column Z; ``title``:
    a title merged over the whole sheet right above the header (a header row by its
    words)."""
    group = [*GROUP[:22], "KET", None, None, None]
    labels = [*LABELS[:22], "KET", None, None, extra_label]
    numbers = [*range(1, 24), None, None, None]
    data = [*row(c1="S", c4="P", c7="K", c9="4 Desa", c11=5)[:22], *values]
    top = [["TABEL RENCANA AKSI KINERJA"]] if title else [["RENCANA AKSI KINERJA"], []]
    merges = [(3, 23, 3, 25), (4, 23, 4, 25)]
    if title:
        merges = [(1, 1, 1, 30), (2, 23, 2, 25), (3, 23, 3, 25)]
    return Grid(rows=[*top, group, labels, numbers, data], merges=merges)


def test_every_text_of_a_wide_ket_is_ket() -> None:
    g = _wide_ket_grid(None, ["Kasubbag Umum", None, "Drs. H. Ahmad, M.Si\nNIP 1965"])
    k = read_rak(g).sasaran[0].program[0].kegiatan[0]
    assert k.ket == "Kasubbag Umum\nDrs. H. Ahmad, M.Si\nNIP 1965" and k.stray == []
    assert k.src.cells["ket"] == "W6"


def test_a_labelled_column_after_ket_is_ket_and_the_table_ends_there() -> None:
    g = _wide_ket_grid("Penanggung Jawab", ["Seksi PMD", None, None, "Ir. Ahmad Fauzi", "lagi"])
    k = read_rak(g).sasaran[0].program[0].kegiatan[0]
    assert k.ket == "Seksi PMD\nIr. Ahmad Fauzi" and k.stray == ["lagi"]
    assert codes(read_rak(g)).count(("AA6", "struct.row-overflow")) == 1


def test_a_number_in_ket_and_a_value_past_the_last_header_stay_stray() -> None:
    g = _wide_ket_grid(None, ["Seksi PMD", 125, None, "di luar"])
    k = read_rak(g).sasaran[0].program[0].kegiatan[0]
    assert k.ket == "Seksi PMD" and k.stray == [125, "di luar"]


def test_a_title_merged_over_the_sheet_does_not_widen_ket() -> None:
    g = _wide_ket_grid(None, ["Seksi PMD", None, None, "di luar"], title=True)
    k = read_rak(g).sasaran[0].program[0].kegiatan[0]
    assert k.ket == "Seksi PMD" and k.stray == ["di luar"]


# -- text in the quarter columns --------------------------------------------------------------

QUARTER_GROUP = [*GROUP[:9], None, None, None, *GROUP[9:]]
QUARTER_LABELS = [*LABELS[:9], "TW I", "TW II", "TW III", "TW IV", *LABELS[10:]]
QUARTER_NUMBERS = [*range(1, 11), None, None, None, *range(11, 24)]


def _quarter_rows(*quarters: object) -> list[list[object]]:
    data = ["S", None, None, "P", None, None, "K", "Jumlah dokumen", "12 Dokumen", *quarters]
    return [QUARTER_GROUP, QUARTER_LABELS, QUARTER_NUMBERS, [*data, *([100] * 12)]]


def test_action_steps_in_the_quarter_columns_are_said_once_per_cell() -> None:
    g = Grid(
        rows=_quarter_rows("Persiapan dan koordinasi", "Pelaksanaan", "-", "Penyusunan laporan")
    )
    rak = read_rak(g)
    k = rak.sasaran[0].program[0].kegiatan[0]
    assert k.target_tw == [None] * 4
    assert codes(rak) == [
        ("J4", "target.unparseable"),
        ("K4", "target.unparseable"),
        ("M4", "target.unparseable"),
    ]  # no number.not-a-number, no cash.without-target / target.missing beside them


def test_a_labelled_text_in_its_quarter_column_is_its_number() -> None:
    k = read_rak(Grid(rows=_quarter_rows("TW 1 = 3", 2, "TW 3 = -", "TW IV = 7"))).sasaran[0]
    keg = k.program[0].kegiatan[0]
    assert keg.target_tw == [3, 2, None, 7] and keg.raw == {}


# -- Susun Ulang compares meaning -------------------------------------------------------------


def _quarter_file(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "RAK"
    for r in [
        ["RENCANA AKSI KINERJA"],
        ["TAHUN 2020"],
        [],
        *_quarter_rows("Persiapan  dan koordinasi", "Pelaksanaan", "TW 3 = 5", "Laporan"),
    ]:
        ws.append(r)
    wb.save(path)
    return path


def test_susun_ulang_keeps_action_steps_and_checks_their_meaning(tmp_path: Path) -> None:
    src = _quarter_file(tmp_path / "tw.xlsx")
    before = read_rak(load_grid(src))
    out = tmp_path / "out.xlsx"
    regenerate_file(src, output=out)
    after = read_rak(load_grid(out))
    k0, k1 = before.sasaran[0].program[0].kegiatan[0], after.sasaran[0].program[0].kegiatan[0]
    # The form has a column per quarter: each text comes back in its own quarter.
    assert k0.raw["target_tw.0"] == k1.raw["target_tw.0"] == "Persiapan  dan koordinasi"
    assert k1.target_tw == k0.target_tw == [None, None, 5, None]
    assert after == before and same_meaning(after, before)
    assert [c for _, c in codes(after)] == [c for _, c in codes(before)]


@pytest.mark.parametrize(
    "lose",
    [
        lambda k: k.raw.pop("target_tw.1"),  # a text lost
        lambda k: k.raw.update({"target_tw.1": "Pelaksanaan lain"}),  # a text changed
        lambda k: k.raw.update({"target_tw.2": k.raw.pop("target_tw.1")}),  # another quarter
        lambda k: k.target_tw.__setitem__(2, 6),  # a number changed
        lambda k: k.raw.update({"target_tw": "Persiapan"}),  # a whole-cell text beside TW 1
    ],
)
def test_a_real_loss_is_still_refused(lose: object) -> None:
    rak = read_rak(Grid(rows=_quarter_rows("Persiapan", "Pelaksanaan", "TW 3 = 5", "Laporan")))
    plan = plan_sheet(rak)
    assert reads_back(plan, rak)
    back = read_rak(plan_grid(plan))
    k = back.sasaran[0].program[0].kegiatan[0]
    lose(k)  # type: ignore[operator]
    assert not same_meaning(back, rak)


def test_canonical_form_leaves_the_model_alone() -> None:
    rak = read_rak(Grid(rows=_quarter_rows("Persiapan  x", "-", "-", "-")))
    k = rak.sasaran[0].program[0].kegiatan[0]
    assert canonical(rak).sasaran[0].program[0].kegiatan[0].raw == {"target_tw": "Persiapan x"}
    assert k.raw == {"target_tw.0": "Persiapan  x"}
