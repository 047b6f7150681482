"""The buttons on the template's 2021+ sheet (``RAK Sub Kegiatan``), driven through
xlwings' real remote engine on a book made from ``workbook_template.xlsm``: the user's
4-level RAK typed (pasted) into that sheet. Each button acts on the sheet it is clicked
on (the active one) and touches only that sheet, its own backup and our own sheets
(Temuan, the state sheet); the 2020 sheets RAK and Contoh stay as they are.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fixture_scripts import fixture_module

from rak_xl import buttons
from rak_xl.api import load
from rak_xl.backups import BACKUP_MARK
from rak_xl.layout import plan_sheet
from rak_xl.marks import STATE_SHEET, TEMUAN_SHEET
from rak_xl.paint.prototype import PROTOTYPE_SHEET, STAMP_CELL, prototype_rows
from rak_xl.regenerate import backup_sheet_name, regenerate_file
from rak_xl.xlsm.template import RAK4_SHEET, SHEETS
from tests.replay import assert_replays_to
from tests.test_prototype import _template_formats
from tests.xlwings_remote import payload_from_xlsx, remote_book_from_payload

TEMPLATE = Path(__file__).parent.parent / "workbook_template.xlsm"
FIXTURES = Path(__file__).parent / "fixtures"
RAK4 = list(SHEETS).index(RAK4_SHEET)  # remote engine: 0-based position
OTHERS = {list(SHEETS).index(n) for n in ("RAK", "Contoh")}

pytestmark = [
    pytest.mark.slow,  # the remote engine
    pytest.mark.skipif(not TEMPLATE.exists(), reason="template not built"),
]


def _example(tmp_path: Path, *, official: bool) -> Path:
    g = fixture_module("gen_subkeg")
    model = json.loads((FIXTURES / "sub_kegiatan_example.json").read_text(encoding="utf-8"))
    path = Path(g.write4(tmp_path / "contoh4.xlsx", model, g.example_layout()))
    if official:
        return regenerate_file(path, output=tmp_path / "susun4.xlsx").path
    return path


@cache
def _template_payload() -> str:
    return json.dumps(payload_from_xlsx(TEMPLATE, active=RAK4_SHEET))


def _book_with(
    rak4: Path | None,
    *,
    stale: bool = False,
    rak3: Path | None = None,
    active: str = RAK4_SHEET,
) -> Any:
    """The template as Excel would send it, ``active`` active, ``RAK Sub Kegiatan``
    holding the cells of the active sheet of ``rak4`` (and ``RAK`` those of ``rak3``);
    ``stale``: its prototype of another version."""
    payload = json.loads(_template_payload())
    if stale:
        r, c = STAMP_CELL
        proto = payload["sheets"][list(SHEETS).index(PROTOTYPE_SHEET)]
        proto["values"][r - 1][c - 1] = "rak-xl gaya 0000"
    for path, name in ((rak4, RAK4_SHEET), (rak3, "RAK")):
        if path is None:
            continue
        source = payload_from_xlsx(path)
        typed = source["sheets"][source["book"]["active_sheet_index"]]
        sheet = payload["sheets"][list(SHEETS).index(name)]
        assert sheet["name"] == name
        sheet["values"], sheet["used_range_address"] = typed["values"], typed["used_range_address"]
    payload["book"]["active_sheet_index"] = list(SHEETS).index(active)
    return remote_book_from_payload(payload)


def _positions(book: Any) -> set[int]:
    return {a["sheet_position"] for a in book.json()["actions"] if a["sheet_position"] is not None}


def _names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


def test_validasi_marks_the_4_level_sheet_only(tmp_path: Path) -> None:
    path = _example(tmp_path, official=False)
    book = _book_with(path)
    message = buttons.validasi(book)
    assert message.endswith("lihat sheet Temuan")
    names = _names(book)
    assert names.index(TEMUAN_SHEET) == RAK4 + 1  # beside the sheet it lists
    ours = {RAK4, names.index(TEMUAN_SHEET), names.index(STATE_SHEET)}
    assert _positions(book) <= ours and not _positions(book) & OTHERS
    notes = [a for a in book.json()["actions"] if a["func"] == "addNote"]
    assert notes and {a["sheet_position"] for a in notes} == {RAK4}
    # the same findings as the command line reports for that sheet
    from rak_xl.rules import check

    report = check(load(path))
    assert len(notes) == len({f.cell for f in report.findings})


def test_validasi_on_the_2020_sheet_reads_that_sheet(tmp_path: Path) -> None:
    """The button acts on the sheet it is clicked on: with RAK active, the empty 2020
    sheet is checked, not the filled 4-level one beside it."""
    book = _book_with(_example(tmp_path, official=False))
    book.sheets["RAK"].activate()
    book.json()["actions"].clear()
    assert buttons.validasi(book) == "Tidak ada temuan: target dan anggaran kas sudah konsisten."
    assert not [a for a in book.json()["actions"] if a["func"] == "addNote"]


def test_susun_ulang_rebuilds_the_4_level_sheet_after_its_own_backup(tmp_path: Path) -> None:
    path = _example(tmp_path, official=False)
    plan = plan_sheet(load(path), paginate_rows=False)
    assert plan.tingkat == 4
    book = _book_with(path)
    assert buttons.susun_ulang(book).startswith("Lembar RAK disusun ulang")
    names = _names(book)
    backup = names.index(backup_sheet_name(RAK4_SHEET))
    assert backup == RAK4 + 1
    assert _positions(book) == {RAK4, backup}
    (mark,) = [a for a in book.json()["actions"] if a["func"] == "namesAdd"]
    assert mark["args"][:2] == [BACKUP_MARK, f"='{RAK4_SHEET}'!$1:$1048576"]
    proto = names.index(PROTOTYPE_SHEET)
    assert_replays_to(book, RAK4, plan, {proto: _template_formats()})
    # the formats come from the prototype's 4-level rows (each form copies its own)
    first, last = prototype_rows(4)
    sources = [
        a["args"][1] for a in book.json()["actions"]
        if a["func"] == "copyFromRange" and a["args"][0] == proto
    ]  # fmt: skip
    assert sources
    for address in sources:
        top, bottom = (int(part.split("$")[-1]) for part in address.split(":"))
        assert first <= top <= bottom <= last, address


def test_the_4_level_prototype_saves_round_trips(tmp_path: Path) -> None:
    """Susun Ulang on the 4-level sheet with the prototype and with a stale one (every
    format set directly): the same sheet, fewer actions with it."""
    path = _example(tmp_path, official=False)
    plan = plan_sheet(load(path), paginate_rows=False)
    counts = []
    for stale in (False, True):
        book = _book_with(path, stale=stale)
        buttons.susun_ulang(book)
        proto = _names(book).index(PROTOTYPE_SHEET)
        assert_replays_to(book, RAK4, plan, {proto: _template_formats()})
        counts.append(len(book.json()["actions"]))
    assert counts[0] < counts[1]


def test_hitung_ulang_writes_the_4_level_sheets_formulas_only(tmp_path: Path) -> None:
    book = _book_with(_example(tmp_path, official=True))
    assert buttons.hitung_ulang(book) == "Rumus jumlah dihitung ulang."
    acts = book.json()["actions"]
    values = [a for a in acts if a["func"] == "setValues"]
    assert values and {a["sheet_position"] for a in values} == {RAK4}
    assert [a["func"] for a in acts] == ["setValues"] * len(values) + ["alert"]
    flat = [v for a in values for row in a["values"] for v in row]
    assert all(v in (None, "") or str(v).startswith("=") for v in flat)


def test_batalkan_restores_each_sheet_from_its_own_backup(tmp_path: Path) -> None:
    """Susun Ulang on both RAK sheets, then Batalkan on each: each from its own copy."""
    book = _book_with(_example(tmp_path, official=False))
    book.sheets["RAK"].activate()
    buttons.susun_ulang(book)
    book.sheets[RAK4_SHEET].activate()
    buttons.susun_ulang(book)
    names = _names(book)
    for sheet in (RAK4_SHEET, "RAK"):
        book.sheets[sheet].activate()
        book.json()["actions"].clear()
        message = buttons.batalkan(book)
        assert message == f"Lembar '{sheet}' dikembalikan seperti sebelum Susun Ulang terakhir."
        acts = book.json()["actions"]
        assert [a["func"] for a in acts] == ["sheetClear", "copyRange", "activateSheet", "alert"]
        assert acts[0]["sheet_position"] == names.index(sheet)
        assert acts[1]["sheet_position"] == names.index(backup_sheet_name(sheet))
        assert acts[1]["args"] == [names.index(sheet), "$A$1"]


# -- a button clicked on a sheet without a table (Petunjuk) ---------------------------------
def _notes_at(book: Any) -> set[int]:
    return {a["sheet_position"] for a in book.json()["actions"] if a["func"] == "addNote"}


def test_on_petunjuk_the_filled_form_is_checked(tmp_path: Path) -> None:
    """As the command line: the empty 2020 sheet comes first, the filled 2021+ one wins
    (the filled example Contoh, of the 2020 form, does not)."""
    book = _book_with(_example(tmp_path, official=False), active="Petunjuk")
    assert buttons.validasi(book).endswith("lihat sheet Temuan")
    assert _notes_at(book) == {RAK4}


def test_on_petunjuk_the_filled_2020_sheet_is_checked(tmp_path: Path) -> None:
    book = _book_with(None, rak3=FIXTURES / "clean_official.xlsx", active="Petunjuk")
    buttons.validasi(book)
    assert _notes_at(book) == {list(SHEETS).index("RAK")}


@pytest.mark.parametrize("button", [buttons.validasi, buttons.hitung_ulang, buttons.susun_ulang])
def test_on_petunjuk_with_both_forms_filled_the_user_is_asked(tmp_path: Path, button: Any) -> None:
    book = _book_with(
        _example(tmp_path, official=False),
        rak3=FIXTURES / "clean_official.xlsx",
        active="Petunjuk",
    )
    message = button(book)
    assert message == (
        "Lembar 'Petunjuk' tidak berisi tabel RAK, sedangkan dua lembar RAK sudah terisi: "
        f"'RAK' dan '{RAK4_SHEET}'. Buka lembar RAK yang dimaksud, lalu klik tombol ini lagi."
    )
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]  # nothing written


def test_with_both_forms_filled_the_active_sheet_is_checked(tmp_path: Path) -> None:
    book = _book_with(_example(tmp_path, official=False), rak3=FIXTURES / "clean_official.xlsx")
    buttons.validasi(book)
    assert _notes_at(book) == {RAK4}
