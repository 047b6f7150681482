"""The buttons keep the file side's promises (issue 16, point 10), on xlwings' remote
engine: a user's sheet is never deleted or overwritten, each RAK sheet keeps its own
backup and Batalkan restores exactly that one, a far stray value keeps every read and
write bounded, and Validasi marks and lists its findings where notes cannot be written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from features import build_features as F
from opc_files import rak_book

from rak_xl import buttons
from rak_xl.adapters.xlsxwriter_plan import apply_plan
from rak_xl.layout import plan_sheet
from rak_xl.marks import USER_NOTE_ONLY, records_from_rows
from rak_xl.regenerate import regenerate_file
from tests.xlwings_remote import (
    action_cells,
    payload_from_xlsx,
    remote_book,
    remote_book_from_payload,
)

pytestmark = pytest.mark.slow  # xlwings' remote engine, and a subprocess per far case

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed_banjar_2020.xlsx"
A, B = "Rencana Aksi Kinerja 2020", "Rencana Aksi Kinerja 2021"  # cut to one backup name


def _names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


def _press(book: Any, button: str, sheet: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """Press ``button`` with ``sheet`` active: its message and its actions only."""
    if sheet is not None:
        book.sheets[sheet].activate()
    book.json()["actions"].clear()
    message = getattr(buttons, button)(book)
    return message, list(book.json()["actions"])


def _funcs(actions: list[dict[str, Any]], func: str) -> list[dict[str, Any]]:
    return [a for a in actions if a["func"] == func]


# -- a sheet of the user's named like our backup ----------------------------------------------
def test_a_users_sheet_named_like_our_backup_is_never_touched(tmp_path: Path) -> None:
    path = rak_book(tmp_path / "rak.xlsx", F.seed(), extra={"RAK (cadangan)": [["milik saya"]]})
    book = remote_book(path, active="RAK")
    for _ in range(2):
        _, acts = _press(book, "susun_ulang")
        # The second press replaces our first backup, never the user's sheet.
        assert [_names(book)[a["sheet_position"]] for a in _funcs(acts, "sheetDelete")] in (
            [],
            ["RAK (cadangan 2)"],
        )
        assert _names(book) == ["RAK", "RAK (cadangan 2)", "RAK (cadangan)"]
    assert [a["args"] for a in _funcs(acts, "setSheetName")] == [["RAK (cadangan 2)"]]
    message, acts = _press(book, "batalkan")
    assert message == "Lembar 'RAK' dikembalikan seperti sebelum Susun Ulang terakhir."
    (copy,) = _funcs(acts, "copyRange")
    assert _names(book)[copy["sheet_position"]] == "RAK (cadangan 2)"
    assert copy["args"] == [0, "$A$1"]
    assert book.sheets["RAK (cadangan)"].visible  # still the user's, visible


# -- two RAK sheets whose names share a prefix --------------------------------------------------
def _two_raks(path: Path, extra: str | None = None) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    second = F.seed()
    second.tahun = "2021"
    for name, rak in ((A, F.seed()), (B, second)):
        apply_plan(wb, wb.add_worksheet(name), plan_sheet(rak))
    if extra is not None:
        wb.add_worksheet(extra).hide()
    wb.close()
    return path


def test_two_rak_sheets_keep_their_own_backups(tmp_path: Path) -> None:
    book = remote_book(_two_raks(tmp_path / "dua.xlsx"), active=A)
    made: dict[str, str] = {}
    for sheet in (A, B):
        _, acts = _press(book, "susun_ulang", sheet)
        assert _funcs(acts, "sheetDelete") == []  # the other sheet's backup stays
        (copy,) = _funcs(acts, "copySheet")
        assert copy["sheet_position"] == _names(book).index(sheet)  # a copy of this sheet
        (name,) = _funcs(acts, "setSheetName")
        made[sheet] = name["args"][0]
    assert made[A] != made[B] and all(len(n) <= 31 for n in made.values())
    for sheet in (A, B, A):
        message, acts = _press(book, "batalkan", sheet)
        assert message == f"Lembar '{sheet}' dikembalikan seperti sebelum Susun Ulang terakhir."
        (copy,) = _funcs(acts, "copyRange")
        assert _names(book)[copy["sheet_position"]] == made[sheet]
        assert copy["args"] == [_names(book).index(sheet), "$A$1"]


def test_batalkan_never_restores_a_sheet_other_than_the_active_one(tmp_path: Path) -> None:
    book = remote_book(_two_raks(tmp_path / "dua.xlsx"), active=B)
    _press(book, "susun_ulang", B)
    message, acts = _press(book, "batalkan", A)
    assert message == (
        f"Lembar '{A}' belum pernah disusun ulang; buka lembar yang ingin dikembalikan, "
        "lalu tekan Batalkan lagi."
    )
    assert [a["func"] for a in acts] == ["alert"]


def test_an_old_unmarked_backup_of_either_sheet_is_left_alone(tmp_path: Path) -> None:
    """An earlier version's backup ``Rencana Aksi Kinerja (cadangan)`` may be 2020's or
    2021's: Batalkan does not guess, Susun Ulang keeps it."""
    cut = "Rencana Aksi Kinerja (cadangan)"
    book = remote_book(_two_raks(tmp_path / "lama.xlsx", extra=cut), active=A)
    message, acts = _press(book, "batalkan")
    assert message.startswith(f"Salinan '{cut}' bisa milik lembar lain")
    assert [a["func"] for a in acts] == ["alert"]
    _, acts = _press(book, "susun_ulang", B)
    assert _funcs(acts, "sheetDelete") == []
    assert cut in _names(book)


# -- a backup made by the command line, restored in Excel ------------------------------------------
def test_a_backup_made_by_the_cli_is_found_through_its_mark(tmp_path: Path) -> None:
    """The file writer's mark refers to the sheet, so the Office.js payload carries it:
    ``RAK (cadangan 2)`` (the user has a ``RAK (cadangan)``) is found by its mark, not by
    its name."""
    path = rak_book(tmp_path / "rak.xlsx", F.seed(), extra={"RAK (cadangan)": [["milik saya"]]})
    regenerate_file(path)
    payload = payload_from_xlsx(path, active="RAK")
    assert [n["name"] for n in payload["names"]] == ["_rak_xl_cadangan"]
    book = remote_book_from_payload(payload)
    backup = next(n for n in _names(book) if n.startswith("RAK (cadangan 2"))
    _, acts = _press(book, "batalkan")
    (copy,) = _funcs(acts, "copyRange")
    assert _names(book)[copy["sheet_position"]] == backup
    before = _names(book)
    _, acts = _press(book, "susun_ulang")
    assert [before[a["sheet_position"]] for a in _funcs(acts, "sheetDelete")] == [backup]


def test_names_the_engine_cannot_describe_do_not_stop_a_button(tmp_path: Path) -> None:
    """A mark whose sheet is gone (no position in the payload: the copy is judged by its
    name, as where Office.js does not send such a name at all) and a sheet-scoped name
    without its scope: no failure."""
    path = rak_book(tmp_path / "rak.xlsx", F.seed(), extra={"RAK (cadangan)": [["x"]]},
                    hidden=frozenset({"RAK (cadangan)"}))  # fmt: skip
    payload = payload_from_xlsx(path, active="RAK")
    payload["names"] += [
        {"name": "_rak_xl_cadangan", "sheet_index": None, "address": None,
         "scope_sheet_name": "RAK (cadangan)", "scope_sheet_index": 1, "book_scope": False},
        {"name": "lain", "sheet_index": 0, "address": "A1", "scope_sheet_name": None,
         "scope_sheet_index": 0, "book_scope": False},
    ]  # fmt: skip
    book = remote_book_from_payload(payload)
    message, acts = _press(book, "batalkan")
    assert message == "Lembar 'RAK' dikembalikan seperti sebelum Susun Ulang terakhir."
    (copy,) = _funcs(acts, "copyRange")
    assert _names(book)[copy["sheet_position"]] == "RAK (cadangan)"


# -- notes where the client cannot write them ------------------------------------------------------
@pytest.mark.parametrize("client", ["VBA", "Office.js without notes"])
def test_validasi_without_notes_marks_and_lists_and_says_so(client: str) -> None:
    payload = payload_from_xlsx(SEED)
    if client == "VBA":  # xlwings Server's VBA client: the engine refuses notes
        payload["client"] = "VBA"
        for sheet in payload["sheets"]:
            del sheet["notes"]
    else:  # an Excel whose API has no notes (ExcelApi 1.18)
        for sheet in payload["sheets"]:
            sheet["notes_supported"] = False
    with_notes = remote_book(SEED)
    expected = buttons.validasi(with_notes)
    book = remote_book_from_payload(payload)
    rak = book.sheets.active.index - 1
    message = buttons.validasi(book)
    assert message == expected + ". Catatan sel tidak ditambahkan: Excel ini belum mendukungnya."
    cells = action_cells(with_notes, ["addNote"], sheet=rak)
    assert action_cells(book, ["setRangeColors"], sheet=rak) == cells
    funcs = [a["func"] for a in book.json()["actions"]]
    assert "addNote" not in funcs and "addSheet" in funcs  # the Temuan sheet is written
    state = next(a for a in book.json()["actions"][::-1] if a["func"] == "setValues")
    records = records_from_rows([[str(v).lstrip("'") for v in row] for row in state["values"]])
    assert {r.cell for r in records} == cells
    assert all(r.note_before == {USER_NOTE_ONLY: True} for r in records)


# -- a value far beyond the table --------------------------------------------------------------
_FAR = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))
from pathlib import Path
from tests.xlwings_remote import (
    action_cells, payload_from_xlsx, remote_book_from_payload, with_far_value)
from rak_xl import buttons

payload = payload_from_xlsx(Path(sys.argv[1]))
name = payload["sheets"][payload["book"]["active_sheet_index"]]["name"]
with_far_value(payload, name, 1_048_576, 16_384, "jauh")
book = remote_book_from_payload(payload)
rak = book.sheets[name].index - 1
message = getattr(buttons, sys.argv[2])(book)
acts = book.json()["actions"]
print(json.dumps({
    "message": message,
    "painted": sorted(action_cells(book, ["setRangeColors"], sheet=rak)),
    "rects": [(a["func"], a["sheet_position"], a["start_row"], a["start_column"],
               a["row_count"], a["column_count"]) for a in acts],
    "rak": rak,
}))
"""


def _far(path: Path, button: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _FAR, str(path), button],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _far_file(tmp_path: Path, source: Path) -> Path:
    path = Path(shutil.copy(source, tmp_path / "jauh.xlsx"))
    wb = openpyxl.load_workbook(path)
    wb.active["XFD1048576"] = "jauh"
    wb.save(path)
    return path


def _touches_the_far_cell(result: dict[str, Any]) -> list[Any]:
    return [
        r for r in result["rects"]
        if r[1] == result["rak"] and (r[2] is None or (
            r[2] + r[4] >= 1_048_576 and r[3] + r[5] >= 16_384))
    ]  # fmt: skip


@pytest.mark.parametrize("button", ["validasi", "susun_ulang", "hitung_ulang"])
def test_a_far_value_keeps_every_button_bounded(tmp_path: Path, button: str) -> None:
    """A value at XFD1048576: under 1 GiB, the same findings as ``rak-xl validate``, no
    action on the far cell (Susun Ulang clears only the area it rebuilds)."""
    source = SEED
    if button == "hitung_ulang":
        source = tmp_path / "resmi.xlsx"
        regenerate_file(SEED, output=source)
    result = _far(source, button)
    if button == "validasi":
        done = subprocess.run(
            [sys.executable, "-m", "rak_xl", "validate", "--json", str(_far_file(tmp_path, SEED))],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        cells = {f["cell"] for f in json.loads(done.stdout)["findings"] if f["cell"]}
        assert set(result["painted"]) == cells
    if button == "hitung_ulang":
        assert result["message"] == "Rumus jumlah dihitung ulang."
    if button == "susun_ulang":
        assert result["message"].startswith("Lembar RAK disusun ulang.")
        funcs = [r[0] for r in result["rects"]]
        assert "sheetClear" not in funcs and funcs.count("rangeClear") == 1
    # Sheet-level actions (copy, activate, views) touch no cell; none may clear the sheet.
    assert [r for r in _touches_the_far_cell(result) if r[0] not in _SHEET_LEVEL] == []


_SHEET_LEVEL = {"copySheet", "activateSheet", "freezePaneAtRange", "setPrintArea", "alert"}
