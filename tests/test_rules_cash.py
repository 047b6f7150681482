"""Cash rules: program totals, empty plans, cash before any target, the DPA."""

from __future__ import annotations

from rules_model import clean_rak, kas_cell, keg, prog, rak, sas

from rak_xl.rules import Settings, check


def _hits(r: object, code: str, **kw: object) -> list[tuple[object, object]]:
    report = check(r, **kw)  # type: ignore[arg-type]
    return [(f.cell, f.message) for f in report.findings if f.code == code]


def test_program_total_exact_by_default_tolerance_is_a_setting() -> None:
    r = rak(sas(10, [prog(10, [keg(10)], anggaran=4_000_001)]))
    ((cell, message),) = _hits(r, "cash.program-total-mismatch")
    assert cell == "G10"
    assert "kas kurang Rp1" in str(message)
    assert _hits(r, "cash.program-total-mismatch", settings=Settings(money_tolerance=1)) == []


def test_program_total_skipped_without_anggaran_or_with_unreadable_cash() -> None:
    p = prog(10, [keg(10)])
    p.anggaran = None
    assert _hits(rak(sas(10, [p])), "cash.program-total-mismatch") == []
    p2 = prog(10, [keg(10)], anggaran=1)
    p2.kegiatan[0].raw["kas_bulanan.1"] = "abc"
    assert _hits(rak(sas(10, [p2])), "cash.program-total-mismatch") == []


def test_program_total_skipped_with_a_negative_or_odd_month() -> None:
    """A negative month is reported on its own cell, not echoed by the total; so is a NaN
    (a hostile file's ``<v>NaN</v>``), which no total could be compared with."""
    for odd in (-5, -0.5, float("nan")):
        p = prog(10, [keg(10)], anggaran=1)
        p.kegiatan[0].kas_bulanan[3] = odd
        assert _hits(rak(sas(10, [p])), "cash.program-total-mismatch") == []
    p = prog(10, [keg(10)], anggaran=1)
    p.kegiatan[0].kas_bulanan[3] = 0.5  # a positive fraction is an amount like any other
    assert _hits(rak(sas(10, [p])), "cash.program-total-mismatch")


def test_cash_empty_at_january() -> None:
    r = rak(sas(10, [prog(10, [keg(10, kas=[0] * 12, tw=(None,) * 4, volume=None)])]))
    assert _hits(r, "cash.empty") == [(kas_cell(10, 0), _hits(r, "cash.empty")[0][1])]
    assert "tidak punya anggaran kas" in str(_hits(r, "cash.empty")[0][1])


def test_cash_empty_silent_when_a_cash_cell_holds_text() -> None:
    k = keg(10, kas=[0] * 12)
    k.raw["kas_bulanan.0"] = "nol"
    assert _hits(rak(sas(10, [prog(10, [k])])), "cash.empty") == []


def test_without_target_first_cash_cell_of_first_bad_quarter() -> None:
    kas = [0, 0, 0, 0, 7, 0, 0, 0, 5, 0, 0, 0]
    r = rak(sas(10, [prog(10, [keg(10, kas=kas, tw=(20, None, None, None))])]))
    ((cell, message),) = _hits(r, "cash.without-target")
    assert cell == kas_cell(10, 4)  # May: first month with cash in TW 2
    assert "Ada kas di TW 2 (Rp7) dan TW 3 (Rp5) tetapi" in str(message)


def test_without_target_a_later_target_covers_earlier_cash() -> None:
    kas = [9] + [0] * 11
    r = rak(sas(10, [prog(10, [keg(10, kas=kas, tw=(None, None, None, 20))])]))
    assert _hits(r, "cash.without-target") == []


def test_without_target_zero_is_not_a_target() -> None:
    kas = [0] * 9 + [9, 0, 0]
    r = rak(sas(10, [prog(10, [keg(10, kas=kas, tw=(20, 0, 0, 0))])]))
    assert [c for c, _ in _hits(r, "cash.without-target")] == [kas_cell(10, 9)]


def test_no_targets_at_all_is_one_finding_with_the_cash_per_quarter() -> None:
    r = rak(sas(10, [prog(10, [keg(10, tw=(None,) * 4)])]))
    assert _hits(r, "cash.without-target") == []
    ((_, message),) = _hits(r, "target.missing")
    assert (
        "kas sudah direncanakan di TW 1 (Rp1.000.000), TW 2 (Rp1.000.000), "
        "TW 3 (Rp1.000.000) dan TW 4 (Rp1.000.000)."
    ) in str(message)


def test_no_targets_and_no_volume_is_still_cash_without_target() -> None:
    # target.missing needs a volume to compare with; the cash is then said here.
    r = rak(sas(10, [prog(10, [keg(10, volume=None, satuan=None, tw=(None,) * 4)])]))
    assert _hits(r, "target.missing") == []
    assert len(_hits(r, "cash.without-target")) == 1


def test_dpa_matching_ignores_case_and_spacing_and_skips_unknown() -> None:
    r = clean_rak()
    k = r.sasaran[0].program[0].kegiatan[0]
    ref: dict[str, list[int | float]] = {
        "  pelatihan   APARATUR desa ": list(k.kas_bulanan),
        "Tidak Ada": [1] * 12,
    }
    ref["  pelatihan   APARATUR desa "][2] = 500_000
    ref["  pelatihan   APARATUR desa "][0] = 1_000_001
    hits = _hits(r, "cash.dpa-mismatch", dpa=ref)
    assert [c for c, _ in hits] == [kas_cell(10, 0), kas_cell(10, 2)]
    assert "Kas Maret (Rp0) berbeda dengan DPA (Rp500.000), selisih Rp500.000" in str(hits[1][1])
    tolerant = _hits(r, "cash.dpa-mismatch", dpa=ref, settings=Settings(money_tolerance=1))
    assert len(tolerant) == 1


def test_no_dpa_no_finding() -> None:
    assert _hits(clean_rak(), "cash.dpa-mismatch") == []


def test_dpa_unmatched_is_info_and_only_with_a_dpa() -> None:
    r = clean_rak()
    ref = {"Pelatihan Aparatur Desa": list(r.sasaran[0].program[0].kegiatan[0].kas_bulanan)}
    report = check(r, dpa=ref)
    unmatched = [f for f in report.findings if f.code == "cash.dpa-unmatched"]
    assert len(unmatched) == 6 and {f.severity for f in report.findings} == {"info"}
    assert not report.has_errors
    assert "tidak ditemukan di DPA" in unmatched[0].message
    assert _hits(r, "cash.dpa-unmatched") == []
