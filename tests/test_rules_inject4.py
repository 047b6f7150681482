"""The 4-level form (Sub Kegiatan): every fault injected into a clean 4-level model is found
at its cell and row, and nothing else is flagged on any other row. The new rules, and the
existing ones where the 4-level form moves the cash plan to the sub kegiatan (one code
path: ``Context.cash_items``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rules_model import SHEET, clean_rak4, kas_cell4, sub

from rak_xl.model import Kegiatan, Program, Rak, Source, SubKegiatan
from rak_xl.rules import check

Inject = Callable[[Rak], tuple[str, dict[str, object]]]  # -> (expected cell, check kwargs)


def _p(r: Rak) -> Program:
    return r.sasaran[0].program[0]


def _k(r: Rak, row: int) -> Kegiatan:
    return next(k for _, _, k in r.kegiatan_all() if k.src.row == row)


def _sk(r: Rak, row: int) -> SubKegiatan:
    return next(sk for *_, sk in r.sub_kegiatan_all() if sk.src.row == row)


# -- the new rules -------------------------------------------------------------------------
def name_missing_kode_only(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 11).uraian = None  # only its Kode cell is filled
    return "P11", {}


def name_missing_in_uraian(r: Rak) -> tuple[str, dict[str, object]]:
    sk = _sk(r, 11)  # the code typed in the name cell, none in the Kode cell
    sk.uraian, sk.src.cells["kode"] = None, "P11"
    return "P11", {}


def cell_error_satuan(r: Rak) -> tuple[str, dict[str, object]]:
    sk = _sk(r, 10)
    sk.satuan, sk.raw["satuan"] = None, "#N/A"
    return "S10", {}


def cell_error_kegiatan_name(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 10)  # a kegiatan's name, left by a broken lookup formula
    k.uraian, k.raw["uraian"] = None, "#NAME?"
    return "K10", {}


def code_invalid(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 11).kode = "2.08.01.2.01.2"  # one digit
    return "O11", {}


def code_invalid_number(r: Rak) -> tuple[str, dict[str, object]]:
    _p(r).kode = "2.1"  # "2.10" that Excel turned into a number
    return "E10", {}


def code_mismatch(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 12).kode = "2.08.01.2.01.0003"  # under kegiatan 2.08.01.2.02
    return "O12", {}


def code_duplicate(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 11).kode = "2.08.01.2.01.0001"  # the code of row 10, another name
    return "O11", {}


def code_old_format(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 10).kode = "2.08.01.2.01.01"  # two digits in a 2025 RAK
    return "O10", {}


def no_sub_kegiatan(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 12)
    moved = k.sub_kegiatan.pop()
    k.kas_bulanan = moved.kas_bulanan  # its cash on its own row: nothing else changes
    k.src.cells.update({f"kas_bulanan.{m}": kas_cell4(12, m) for m in range(12)})
    return "K12", {}


def kegiatan_total(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 10)
    assert k.anggaran is not None
    k.anggaran += 1_000
    return "N10", {}


def kegiatan_total_without_sub(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 12)
    moved = k.sub_kegiatan.pop()
    k.kas_bulanan, k.anggaran = moved.kas_bulanan, 119_000_000
    k.src.cells.update({f"kas_bulanan.{m}": kas_cell4(12, m) for m in range(12)})
    return "N12", {}


def subkegiatan_total(r: Rak) -> tuple[str, dict[str, object]]:
    # One wrong month: found once, at the sub kegiatan, not again on its kegiatan and
    # program (they agree with what their children are budgeted at).
    _sk(r, 11).kas_bulanan[0] += 500_000
    return "U11", {}


def kegiatan_sum(r: Rak) -> tuple[str, dict[str, object]]:
    # A tree-style sheet: the kegiatan on a row of its own (9) with subtotal months.
    k = _k(r, 10)
    k.src = Source(
        SHEET, 9, {"uraian": "K9", **{f"kas_bulanan.{m}": kas_cell4(9, m) for m in range(12)}}
    )
    k.kas_bulanan = k.jumlah_kas_bulanan
    k.kas_bulanan[9] += 1_000_000  # Oktober
    return kas_cell4(9, 9), {}


# -- existing rules, at the sub kegiatan ---------------------------------------------------
def orphan_sub(r: Rak) -> tuple[str, dict[str, object]]:
    s0 = sub(9, None, "Sub Kegiatan Yatim", indikator="Jumlah laporan", volume=None,
             satuan=None, tw=(None,) * 4, kas=[0] * 12, anggaran=0)  # fmt: skip
    s0.kas_bulanan[0] = 0
    _p(r).kegiatan.insert(0, Kegiatan(uraian=None, sub_kegiatan=[s0]))
    return "P9", {}


def duplicate_sub(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 11).uraian = _sk(r, 10).uraian
    return "P11", {}


def not_a_number_sub(r: Rak) -> tuple[str, dict[str, object]]:
    sk = _sk(r, 10)
    sk.kas_bulanan[0] = 0
    sk.raw["kas_bulanan.0"] = "lima juta"
    return kas_cell4(10, 0), {}


def negative_anggaran(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 10).anggaran = -8_000_000
    return "U10", {}


def program_total4(r: Rak) -> tuple[str, dict[str, object]]:
    p = _p(r)
    assert p.anggaran is not None
    p.anggaran += 1_000
    return "I10", {}


def cash_empty_sub(r: Rak) -> tuple[str, dict[str, object]]:
    sk = _sk(r, 11)
    sk.kas_bulanan, sk.anggaran, sk.target_tw = [0] * 12, None, [None] * 4
    sk.volume = None
    k, p = _k(r, 10), _p(r)
    assert k.anggaran is not None and p.anggaran is not None
    k.anggaran -= 4_000_000
    p.anggaran -= 4_000_000
    return kas_cell4(11, 0), {}


def without_target_sub(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 12).target_tw = [25, 50, None, None]
    return kas_cell4(12, 6), {}


def sum_mismatch_sub(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 11).target_tw = [1, 1, 1, 2]
    return "T11", {}


def over_100_sub(r: Rak) -> tuple[str, dict[str, object]]:
    _sk(r, 12).target_tw = [25, 50, 75, 110]
    return "T12", {}


def _dpa(r: Rak) -> dict[str, list[float]]:
    return {sk.kode or "": list(sk.kas_bulanan) for *_, sk in r.sub_kegiatan_all()}


def dpa_by_code(r: Rak) -> tuple[str, dict[str, object]]:
    ref = _dpa(r)
    ref["2.08.01.2.01.0002"][3] = 2_000_000
    return kas_cell4(11, 3), {"dpa": ref}


def dpa_by_name(r: Rak) -> tuple[str, dict[str, object]]:
    # A DPA keyed by uraian (no code for this one): matched by name.
    ref = _dpa(r)
    months = ref.pop("2.08.01.2.02.0001")
    months[5] = 0
    ref["penyediaan gaji dan  tunjangan ASN"] = months
    return kas_cell4(12, 5), {"dpa": ref}


def dpa_unmatched_sub(r: Rak) -> tuple[str, dict[str, object]]:
    ref = _dpa(r)
    del ref["2.08.01.2.02.0001"]
    return "P12", {"dpa": ref}


INJECTIONS4: dict[str, list[Inject]] = {
    "struct.code-invalid": [code_invalid, code_invalid_number],
    "struct.code-mismatch": [code_mismatch],
    "struct.code-duplicate": [code_duplicate],
    "struct.code-old-format": [code_old_format],
    "struct.no-sub-kegiatan": [no_sub_kegiatan],
    "cash.kegiatan-total-mismatch": [kegiatan_total, kegiatan_total_without_sub],
    "cash.subkegiatan-total-mismatch": [subkegiatan_total],
    "cash.kegiatan-sum-mismatch": [kegiatan_sum],
    "struct.orphan-row": [orphan_sub],
    "struct.duplicate": [duplicate_sub],
    "number.not-a-number": [not_a_number_sub],
    "number.negative": [negative_anggaran],
    "cash.program-total-mismatch": [program_total4],
    "cash.empty": [cash_empty_sub],
    "cash.without-target": [without_target_sub],
    "target.additive-sum-mismatch": [sum_mismatch_sub],
    "target.percent-over-100": [over_100_sub],
    "cash.dpa-mismatch": [dpa_by_code, dpa_by_name],
    "cash.dpa-unmatched": [dpa_unmatched_sub],
    "struct.name-missing": [name_missing_kode_only, name_missing_in_uraian],
    "struct.cell-error": [cell_error_satuan, cell_error_kegiatan_name],
}
CASES = [(code, fn) for code, fns in INJECTIONS4.items() for fn in fns]


def test_clean_model4_has_no_finding() -> None:
    assert check(clean_rak4()).findings == ()


def test_clean_model4_with_its_own_dpa_has_no_finding() -> None:
    r = clean_rak4()
    assert check(r, dpa=_dpa(r)).findings == ()


@pytest.mark.parametrize(("code", "inject"), CASES, ids=[f.__name__ for _, f in CASES])
def test_fault_found_at_its_row_and_nowhere_else(code: str, inject: Inject) -> None:
    from test_rules_inject import assert_found_alone

    assert_found_alone(clean_rak4(), code, inject)


def test_findings_carry_the_four_level_path() -> None:
    r = clean_rak4()
    sum_mismatch_sub(r)
    (f,) = check(r).findings
    assert f.path == (
        "Meningkatnya kualitas perencanaan desa > PROGRAM PENUNJANG URUSAN PEMERINTAHAN "
        "DAERAH KABUPATEN/KOTA > Perencanaan, Penganggaran, dan Evaluasi Kinerja > "
        "Evaluasi Kinerja Perangkat Daerah"
    )


def test_messages_name_the_sub_kegiatan() -> None:
    r = clean_rak4()
    cash_empty_sub(r)
    (f,) = [f for f in check(r).findings if f.code == "cash.empty"]
    assert f.message.startswith("Sub kegiatan ini tidak punya anggaran kas")
    r = clean_rak4()
    _, kwargs = dpa_unmatched_sub(r)
    (f,) = check(r, **kwargs).findings  # type: ignore[arg-type]
    assert f.message.startswith("Sub kegiatan 'Penyediaan Gaji dan Tunjangan ASN' tidak")
    assert "uraian sub kegiatan (dan kodenya)" in f.message


def test_a_kegiatan_without_sub_kegiatan_is_a_cash_item() -> None:
    """In the 4-level form a kegiatan without sub kegiatan holds its own cash: the cash
    rules check it (here: cash with no target from TW 3 on)."""
    r = clean_rak4()
    no_sub_kegiatan(r)
    k = _k(r, 12)
    k.target_tw = [25, 50, None, None]
    codes = {(f.code, f.cell) for f in check(r).findings}
    assert ("cash.without-target", kas_cell4(12, 6)) in codes
    assert ("struct.no-sub-kegiatan", "K12") in codes


def test_kegiatan_total_reported_when_the_sub_kegiatan_do_not_explain_it() -> None:
    """A month wrong on a sub kegiatan without a stated anggaran: nothing below says so,
    so the kegiatan (whose anggaran is stated) does."""
    r = clean_rak4()
    sk = _sk(r, 11)
    sk.anggaran = None
    sk.kas_bulanan[0] += 500_000
    assert check(r).flatten(("cell", "code")) == [["N10", "cash.kegiatan-total-mismatch"]]
