"""Every catalogue fault injected into a clean model is found at its row, and nothing else
is flagged on any other row (the acceptance criterion of the validation engine)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rules_model import clean_rak, kas_cell, keg

from rak_xl.model import Kegiatan, Program, Rak, Sasaran, Source
from rak_xl.rules import CATALOGUE, check
from rak_xl.rules.findings import row_of

Inject = Callable[[Rak], tuple[str, dict[str, object]]]  # -> (expected cell, check kwargs)


def _k(r: Rak, row: int) -> Kegiatan:
    return next(k for _, _, k in r.kegiatan_all() if k.src.row == row)


def _p(r: Rak, row: int) -> Program:
    return next(p for _, p in r.programs() if p.src.row == row)


def orphan_kegiatan(r: Rak) -> tuple[str, dict[str, object]]:
    placeholder = Program(uraian=None, kegiatan=[keg(9, "Kegiatan Yatim")])
    r.sasaran[0].program.insert(0, placeholder)
    return "H9", {}


def orphan_program(r: Rak) -> tuple[str, dict[str, object]]:
    p = r.sasaran[1].program.pop()
    r.sasaran.insert(0, Sasaran(uraian=None, program=[p]))
    return "D15", {}


def overflow(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 11)
    k.stray.append(12_345_000)
    k.src.cells["stray.0"] = "Z11"
    return "Z11", {}


def _header_as_seed(r: Rak) -> None:
    """The header positions the reader records, as in the seed: Target N:O, months
    P..AA, KET AB:AC (``col.end``)."""
    r.src.cells.update({"col.10": "N8", "col.11": "P8", "col.22": "AA8", "col.23": "AB8"})
    r.src.cells["col.end"] = "AC8"


def overflow_right_of_table(r: Rak) -> tuple[str, dict[str, object]]:
    _header_as_seed(r)
    k = _k(r, 11)
    k.stray.extend([5, "catatan"])
    k.src.cells.update({"stray.0": "AC11", "stray.1": "AE11"})  # AC: under the wide KET
    return "AE11", {}


def extra_value(r: Rak) -> tuple[str, dict[str, object]]:
    """A number beside the target under the merged Target header (seed row 44)."""
    _header_as_seed(r)
    k = _k(r, 11)
    k.stray.append(3)
    k.src.cells["stray.0"] = "O11"
    return "O11", {}


def shifted(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 13).src.shifted_from = "E13"
    return "E13", {}


def duplicate(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 11).uraian = "pelatihan  aparatur desa"  # same as row 10, other case/spacing
    return "H11", {}


def not_a_number(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 10)
    k.kas_bulanan[3] = 0
    k.raw["kas_bulanan.3"] = "satu juta"
    return kas_cell(10, 3), {}


def not_a_number_target(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 12)
    k.target_tw[1] = None
    k.raw["target_tw.1"] = "1.5e+20"  # a number too large, as the reader shows it
    k.src.cells["target_tw.1"] = "L13"  # one physical row per quarter
    return "L13", {}


def name_missing(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 11)  # the name cell held only a code (the reader keeps it in raw)
    k.uraian, k.raw["uraian"] = None, "1.02.02.2.01"
    return "H11", {}


def cell_error_name(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 12)
    k.uraian, k.raw["uraian"] = None, "#VALUE!"
    return "H12", {}


def cell_error_indikator(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 10)
    k.indikator, k.raw["indikator"] = None, "#N/A"
    return "I10", {}


def cell_error_cash(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 10)  # not number.not-a-number too: one finding per cell
    k.kas_bulanan[3] = 0
    k.raw["kas_bulanan.3"] = "#REF!"
    return kas_cell(10, 3), {}


def cell_error_target(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 12)  # not target.unparseable too
    k.target_tw[1] = None
    k.raw["target_tw.1"] = "#DIV/0!"
    k.src.cells["target_tw.1"] = "L13"
    return "L13", {}


def negative(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 10).kas_bulanan[0] = -1_000_000
    return kas_cell(10, 0), {}


def program_total(r: Rak) -> tuple[str, dict[str, object]]:
    p = _p(r, 13)
    assert p.anggaran is not None
    p.anggaran += 1_000
    return "G13", {}


def cash_empty(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 16)
    k.kas_bulanan = [0] * 12
    _p(r, 15).anggaran = sum(x.kas_setahun for x in _p(r, 15).kegiatan)
    return kas_cell(16, 0), {}


def without_target(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 10).target_tw = [10, 10, None, None]
    return kas_cell(10, 6), {}


def missing(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 11).target_tw = [None] * 4
    return "L11", {}


def unparseable(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 13)
    k.target_tw = [None] * 4
    k.raw["target_tw"] = "TW satu = lima"
    return "L13", {}


def sum_mismatch(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 10).target_tw = [5, 5, 5, 6]
    return "L10", {}


def final_mismatch(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 12).target_tw = [25, 50, 75, 90]
    return "L12", {}


def decreasing(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 12).target_tw = [25, 60, 50, 100]
    return "L12", {}


def decreasing_lower(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 16).target_tw = [20, 18, 19, 14]  # prevalence going up in TW 3
    return "L16", {}


def over_100(r: Rak) -> tuple[str, dict[str, object]]:
    k = _k(r, 12)
    k.target_tw = [25, 50, 75, 100]
    k.target_tw[2] = 175
    k.target_tw[3] = 100
    return "L12", {}


def without_cash(r: Rak) -> tuple[str, dict[str, object]]:
    _k(r, 10).kas_bulanan = [0, 0, 0, 0, 0, 0, 0, 0, 0, 4_000_000, 0, 0]
    _p(r, 10).anggaran = sum(x.kas_setahun for x in _p(r, 10).kegiatan)
    return "L10", {}


def dpa(r: Rak) -> tuple[str, dict[str, object]]:
    ref = {k.uraian or "": list(k.kas_bulanan) for _, _, k in r.kegiatan_all()}
    ref["Pembinaan Administrasi Desa"][3] = 4_000_000
    return kas_cell(11, 3), {"dpa": ref}


def dpa_unmatched(r: Rak) -> tuple[str, dict[str, object]]:
    ref = {k.uraian or "": list(k.kas_bulanan) for _, _, k in r.kegiatan_all()}
    del ref["Rapat Koordinasi"]
    return "H13", {"dpa": ref}


def form_outdated(r: Rak) -> tuple[str, dict[str, object]]:
    r.tahun = 2023  # a 3-level RAK for a year planned per sub kegiatan
    r.src.cells["tahun"] = "A4"
    return "A4", {}


def nip(r: Rak) -> tuple[str, dict[str, object]]:
    r.penandatangan.nip = "19651321 198602 1 001"
    return "U44", {}


INJECTIONS: dict[str, list[Inject]] = {
    "struct.orphan-row": [orphan_kegiatan, orphan_program],
    "struct.row-overflow": [overflow, overflow_right_of_table],
    "struct.extra-value": [extra_value],
    "struct.row-shifted": [shifted],
    "struct.duplicate": [duplicate],
    "number.not-a-number": [not_a_number, not_a_number_target],
    "number.negative": [negative],
    "cash.program-total-mismatch": [program_total],
    "cash.empty": [cash_empty],
    "cash.without-target": [without_target],
    "target.missing": [missing],
    "target.unparseable": [unparseable],
    "target.additive-sum-mismatch": [sum_mismatch],
    "target.final-mismatch": [final_mismatch],
    "target.decreasing": [decreasing, decreasing_lower],
    "target.percent-over-100": [over_100],
    "target.without-cash": [without_cash],
    "cash.dpa-mismatch": [dpa],
    "cash.dpa-unmatched": [dpa_unmatched],
    "sign.nip-invalid": [nip],
    "struct.form-outdated": [form_outdated],
    "struct.name-missing": [name_missing],
    "struct.cell-error": [
        cell_error_name,
        cell_error_indikator,
        cell_error_cash,
        cell_error_target,
    ],
}

CASES = [(code, fn) for code, fns in INJECTIONS.items() for fn in fns]


def test_clean_model_has_no_finding() -> None:
    assert check(clean_rak()).findings == ()


def test_clean_model_with_its_own_dpa_has_no_finding() -> None:
    r = clean_rak()
    ref = {k.uraian or "": list(k.kas_bulanan) for _, _, k in r.kegiatan_all()}
    assert check(r, dpa=ref).findings == ()


@pytest.mark.parametrize(("code", "inject"), CASES, ids=[f.__name__ for _, f in CASES])
def test_fault_found_at_its_row_and_nowhere_else(code: str, inject: Inject) -> None:
    assert_found_alone(clean_rak(), code, inject)


def assert_found_alone(r: Rak, code: str, inject: Inject) -> None:
    """``inject`` into the clean ``r``: ``code`` found once, at the cell ``inject`` names,
    and no error or warning on any other row."""
    cell, kwargs = inject(r)
    report = check(r, **kwargs)  # type: ignore[arg-type]
    hits = [f for f in report.findings if f.code == code]
    assert [f.cell for f in hits] == [cell], report.flatten(("cell", "code", "message"))
    assert hits[0].row == row_of(cell)
    others = {f.row for f in report.findings if f.severity in ("error", "warning")}
    expected = set() if hits[0].severity == "info" else {row_of(cell)}
    assert others == expected, report.flatten(("cell", "code", "message"))


def test_every_model_code_is_injected() -> None:
    from test_rules_inject4 import INJECTIONS4  # the 4-level form's faults

    model_codes = {rule.code for rule in CATALOGUE} - {"struct.header-not-found"}
    assert set(INJECTIONS) | set(INJECTIONS4) == model_codes


def test_source_is_not_compared() -> None:
    # Findings must not depend on equality of Source: two identical models, same report.
    a, b = clean_rak(), clean_rak()
    _k(b, 10).src = Source("Other", 99, {})
    assert a == b
