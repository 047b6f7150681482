"""Structure rules: orphan rows, stray values, realigned rows, duplicates."""

from __future__ import annotations

from rules_model import clean_rak, keg, prog, rak, sas

from rak_xl.model import Program, Sasaran
from rak_xl.rules import check
from rak_xl.rules.struct import HeaderNotFound


def _codes(r: object, code: str) -> list[list[object]]:
    report = check(r)  # type: ignore[arg-type]
    return [x[1:] for x in report.flatten(("code", "cell", "message")) if x[0] == code]


def test_orphan_kegiatan_each_reported_placeholder_itself_not() -> None:
    placeholder = Program(uraian=None, kegiatan=[keg(8, "A"), keg(9, "B")])
    r = rak(Sasaran(uraian=None, program=[placeholder]))
    hits = _codes(r, "struct.orphan-row")
    assert [h[0] for h in hits] == ["H8", "H9"]
    assert "Kegiatan 'A' berada sebelum program mana pun" in str(hits[0][1])


def test_empty_placeholder_is_silent() -> None:
    r = clean_rak()
    r.sasaran[0].program.insert(0, Program(uraian=None))
    assert _codes(r, "struct.orphan-row") == []


def test_overflow_ignores_blank_stray_and_lists_values() -> None:
    r = clean_rak()
    k = r.sasaran[0].program[0].kegiatan[0]
    k.stray.extend(["  "])
    assert _codes(r, "struct.row-overflow") == []
    k.stray.extend([1, "x", 3, 4])
    k.src.cells["stray.0"] = "Z10"
    hits = _codes(r, "struct.row-overflow")
    assert hits[0][0] == "Z10"
    assert "Ada 4 nilai" in str(hits[0][1]) and "1, 'x', 3, ..." in str(hits[0][1])


def test_overflow_on_program_without_stray_cell_points_at_uraian() -> None:
    r = clean_rak()
    r.sasaran[0].program[0].stray.append(99)
    assert _codes(r, "struct.row-overflow")[0][0] == "D10"


def test_shifted_row_points_at_the_cell_as_found() -> None:
    r = clean_rak()
    r.sasaran[1].program[0].kegiatan[1].src.shifted_from = "B16"
    hits = _codes(r, "struct.row-shifted")
    assert hits[0][0] == "B16"
    assert "Penurunan Stunting" in str(hits[0][1])


def test_duplicate_within_program_only() -> None:
    p1 = prog(10, [keg(10, "Rakor BPD"), keg(11, "Rakor  bpd")])
    p2 = prog(12, [keg(12, "Rakor BPD")], uraian="Program Lain")
    r = rak(sas(10, [p1, p2]))
    hits = _codes(r, "struct.duplicate")
    assert [h[0] for h in hits] == ["H11"]
    assert "sudah ada di baris 10" in str(hits[0][1])


def test_duplicate_program_names_are_not_a_finding() -> None:
    r = rak(sas(10, [prog(10, [keg(10)]), prog(11, [keg(11, "Lain")])]))
    assert _codes(r, "struct.duplicate") == []


def test_header_not_found_is_catalogued_but_never_from_a_model() -> None:
    assert _codes(clean_rak(), HeaderNotFound.code) == []
    f = HeaderNotFound.for_sheet("Sheet1")
    assert f.code == "struct.header-not-found" and f.severity == "error"
    assert "di sheet 'Sheet1'" in f.message and "1 sampai 23, atau 1 sampai 26" in f.message
    assert "di sheet mana pun" in HeaderNotFound.for_sheet(None).message


def test_item_paths_built_once_match_path_of() -> None:
    """``items`` builds each path on its parent's; the same text as ``path_of``, also for
    placeholders without uraian and uraian with odd spacing."""
    from rak_xl.rules.base import Context, items, path_of

    r = clean_rak()
    r.sasaran.append(Sasaran(uraian=None, program=[Program(uraian=None, kegiatan=[keg(30, "Z")])]))
    r.sasaran[0].program[0].kegiatan[0].uraian = "  Dua   spasi \n baris "
    expected = []
    for s in r.sasaran:
        expected.append(path_of(s))
        for p in s.program:
            expected.append(path_of(s, p))
            expected.extend(path_of(s, p, k) for k in p.kegiatan)
    assert [path for _, path in items(r)] == expected
    ctx = Context(rak=r)
    assert ctx.items == list(items(r)) and ctx.items is ctx.items  # once per check


def test_quarters_in_words() -> None:
    from rak_xl.rules.base import quarter_amounts, quarters

    assert quarters([0]) == "TW 1"
    assert quarters([0, 2]) == "TW 1 dan TW 3"
    assert quarters([0, 1, 2]) == "TW 1–3"
    assert quarters([0, 1, 3]) == "TW 1, TW 2 dan TW 4"
    assert quarter_amounts([1, 3], [0, 7, 0, 1_500_000]) == "TW 2 (Rp7) dan TW 4 (Rp1.500.000)"


def test_amounts_in_messages_use_the_one_rupiah_style() -> None:
    from rak_xl.rules.base import fmt_amount, fmt_rp

    assert fmt_rp(2_656_885_200.0) == "Rp2.656.885.200"
    assert fmt_amount(700_000) == "Rp700.000"
    assert fmt_amount("700,000") == "Rp700.000"
    assert fmt_amount(3) == "3"
    assert fmt_amount("catatan") == "'catatan'"
