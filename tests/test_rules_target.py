"""Target rules: missing, unreadable, additive sums, level finals and order, %, cash."""

from __future__ import annotations

from rules_model import clean_rak, keg, prog, rak, sas

from rak_xl.model import Number
from rak_xl.rules import check


def _one(**kw: object) -> object:
    """A RAK with one kegiatan (row 10) built from ``keg`` keyword arguments."""
    return rak(sas(10, [prog(10, [keg(10, **kw)])]))  # type: ignore[arg-type]


def _hits(r: object, code: str) -> list[tuple[object, object]]:
    return [(f.cell, f.message) for f in check(r).findings if f.code == code]  # type: ignore[arg-type]


def test_missing_only_without_any_quarter_and_positive_volume() -> None:
    assert _hits(_one(tw=(None,) * 4), "target.missing")[0][0] == "L10"
    assert _hits(_one(tw=(None,) * 4, volume=0), "target.missing") == []
    assert _hits(_one(tw=(None,) * 4, volume=None), "target.missing") == []
    assert _hits(_one(tw=(0, 0, 0, 0)), "target.missing") == []  # zeros were written


def test_missing_sasaran_uses_target_tahunan() -> None:
    r = clean_rak()
    r.sasaran[0].target_tw = [None] * 4
    ((cell, message),) = _hits(r, "target.missing")
    assert cell == "C10" and "target tahunan 80" in str(message)


def test_unparseable() -> None:
    r = clean_rak()
    k = r.sasaran[0].program[0].kegiatan[0]
    k.raw["target_tw"] = "TW 1 = lima  TW 2 = ?"
    k.target_tw = [None] * 4
    ((cell, message),) = _hits(r, "target.unparseable")
    assert cell == "L10" and "'TW 1 = lima TW 2 = ?'" in str(message)
    # nothing is concluded from targets that could not be read
    assert {f.code for f in check(r).findings} == {"target.unparseable"}


def test_additive_sum_message_has_the_numbers() -> None:
    ((cell, message),) = _hits(
        _one(volume=1416, tw=(355, 5, None, None)), "target.additive-sum-mismatch"
    )
    assert cell == "L10"
    assert str(message).startswith(
        "Jumlah target TW 1–4 (360) tidak sama dengan volume (1.416 Orang)."
    )


def test_additive_sum_float_noise_is_equal() -> None:
    assert (
        _hits(
            _one(volume=0.3, satuan="Km", tw=(0.1, 0.2, None, None)), "target.additive-sum-mismatch"
        )
        == []
    )


def test_level_is_not_summed_additive_is_not_finalled() -> None:
    level = _one(volume=100, satuan="%", indikator="Persentase x", tw=(25, 50, 75, 100))
    assert check(level).findings == ()  # type: ignore[arg-type]
    additive = _one(volume=20, tw=(5, 5, 5, 5))
    assert check(additive).findings == ()  # type: ignore[arg-type]


def test_final_mismatch_points_at_tw4() -> None:
    r = _one(volume=100, satuan="%", tw=(25, 50, 75, None))
    ((cell, message),) = _hits(r, "target.final-mismatch")
    assert cell == "L10" and "Target TW 4 (-) tidak sama dengan volume (100 %)" in str(message)


def test_ket_override_changes_the_rule() -> None:
    # "akhir" in KET: an Orang count reported as a level (TW 4 = volume)
    r = _one(volume=20, tw=(5, 10, 15, 20), ket="akhir")
    assert check(r).findings == ()  # type: ignore[arg-type]
    r2 = _one(volume=20, tw=(5, 10, 15, 20))
    assert [f.code for f in check(r2).findings] == ["target.additive-sum-mismatch"]  # type: ignore[arg-type]


def test_unsure_sasaran_reports_only_when_both_readings_fail() -> None:
    def sasaran(tahunan: Number, tw: tuple[Number | None, ...]) -> object:
        return rak(
            sas(
                10,
                [prog(10, [keg(10)])],
                indikator="Meningkatnya kualitas desa",
                tahunan=tahunan,
                tw=tw,
            )
        )

    assert check(sasaran(100, (10, 20, 30, 40))).findings == ()  # type: ignore[arg-type]  # additive
    assert check(sasaran(100, (10, 40, 70, 100))).findings == ()  # type: ignore[arg-type]  # level
    codes = [f.code for f in check(sasaran(100, (10, 20, 30, 50))).findings]  # type: ignore[arg-type]
    assert codes == ["target.final-mismatch"]


def test_program_has_no_annual_figure() -> None:
    r = clean_rak()
    r.sasaran[0].program[0].target_tw = [1, 2, 3, 99]
    assert check(r).findings == ()


def test_decreasing_level_and_lower_is_better() -> None:
    r = _one(volume=100, satuan="%", tw=(50, 40, 30, 100))
    ((cell, message),) = _hits(r, "target.decreasing")
    assert cell == "L10"
    assert "Target TW 2 (40) lebih rendah dari target TW 1 (50)" in str(message)
    lower = _one(volume=5, satuan="%", indikator="Angka kemiskinan", tw=(8, 6, 7, 5))
    ((_, message2),) = _hits(lower, "target.decreasing")
    assert "Target TW 3 (7) lebih tinggi dari target TW 2 (6)" in str(message2)
    # equal quarters and gaps are fine
    assert _hits(_one(volume=100, satuan="%", tw=(50, None, 50, 100)), "target.decreasing") == []


def test_decreasing_program_level() -> None:
    r = clean_rak()
    r.sasaran[0].program[1].target_tw = [10, 30, 20, 40]  # "Persentase desa mandiri"
    ((cell, _),) = _hits(r, "target.decreasing")
    assert cell == "F13"


def test_percent_over_100() -> None:
    r = _one(volume=120, satuan="%", tw=(30, 60, 90, 120))
    cells = [c for c, _ in _hits(r, "target.percent-over-100")]
    assert cells == ["J10", "L10"]
    assert (
        _hits(_one(volume=120, satuan="Orang", tw=(30, 30, 30, 30)), "target.percent-over-100")
        == []
    )


def test_without_cash() -> None:
    kas = [0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0]  # June only
    ((cell, message),) = _hits(_one(kas=kas, tw=(5, 5, 5, 5)), "target.without-cash")
    assert cell == "L10" and "Ada target di TW 1 tetapi" in str(message)
    kas2 = [0] * 11 + [9]
    ((_, message2),) = _hits(_one(kas=kas2, tw=(5, 5, 5, 5)), "target.without-cash")
    assert "Ada target di TW 1–3 tetapi" in str(message2) and "akhir TW 3" in str(message2)


def test_without_cash_ignores_zero_targets_and_levels() -> None:
    kas = [0] * 11 + [9]
    assert _hits(_one(kas=kas, tw=(0, None, 0, 20)), "target.without-cash") == []
    level = _one(kas=kas, volume=100, satuan="%", tw=(25, 50, 75, 100))
    assert _hits(level, "target.without-cash") == []


def test_quarter_cell_text_or_a_broken_number() -> None:
    """Words in a quarter's cell are target text (one target.unparseable per cell); a
    broken number there is number.not-a-number. Either way nothing is concluded from the
    kegiatan's targets: no target/cash finding besides them."""
    r = clean_rak()
    k = r.sasaran[0].program[0].kegiatan[0]
    k.target_tw[1] = k.target_tw[2] = k.target_tw[3] = None
    k.src.cells["target_tw.1"], k.src.cells["target_tw.2"] = "L11", "L12"
    k.src.cells["target_tw.3"] = "L13"
    k.raw["target_tw.1"] = "TW 2 = lima"
    k.raw["target_tw.2"] = "Pelaksanaan kegiatan"
    k.raw["target_tw.3"] = "1e+400"
    report = check(r)
    assert report.flatten(("cell", "code")) == [
        ["L11", "target.unparseable"],
        ["L12", "target.unparseable"],
        ["L13", "number.not-a-number"],
    ]


def test_row_is_the_items_first_row_for_item_rules_and_the_cells_for_cell_rules() -> None:
    """One physical row per quarter: item rules point at the quarter's cell but report the
    kegiatan's row; a rule about one cell's content reports that cell's row."""
    r = _one(volume=100, satuan="%", tw=(50, 60, 40, 100))
    k = r.sasaran[0].program[0].kegiatan[0]  # type: ignore[attr-defined]
    for q in range(4):
        k.src.cells[f"target_tw.{q}"] = f"L{10 + q}"
    k.raw["kas_bulanan.5"] = "x"
    flat = check(r).flatten(("code", "cell", "row"))  # type: ignore[arg-type]
    assert ["target.decreasing", "L12", 10] in flat
    assert ["number.not-a-number", "R10", 10] in flat
    k.target_tw[3] = None
    k.raw["target_tw.3"] = "NaN"
    flat = check(r).flatten(("code", "cell", "row"))  # type: ignore[arg-type]
    assert ["number.not-a-number", "L13", 13] in flat
