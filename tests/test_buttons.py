"""The Excel buttons driven through xlwings' real remote engine (no Excel, no mocks).

Each test opens a real .xlsx as the JSON payload an Office.js client would send
(``tests/xlwings_remote.py``), presses a button function with that ``book`` and checks the
recorded actions: which cells were painted and noted (parity with ``rak-xl validate
--json``), and how many round trips each button makes, by kind.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rak_xl import buttons
from rak_xl.adapters.xlwings_io import cover
from rak_xl.marks import TEMUAN_MARKER
from rak_xl.regenerate import backup_sheet_name
from tests.xlwings_remote import action_cells, count_actions, remote_book

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed_banjar_2020.xlsx"

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="seed fixture not built")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rak_xl", *args], capture_output=True, text=True, check=False
    )


def _cli_report(path: Path) -> dict[str, Any]:
    return _cli_report_args(str(path))


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    return Path(shutil.copy(SEED, tmp_path / "seed.xlsx"))


@pytest.fixture
def official(tmp_path: Path) -> Path:
    """The seed rebuilt in the official layout by the CLI (what the template holds)."""
    out = tmp_path / "official.xlsx"
    done = _cli("regenerate", str(SEED), "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out


TEMPLATE = Path(__file__).parent.parent / "workbook_template.xlsm"


@pytest.mark.skipif(not TEMPLATE.exists(), reason="template not built")
def test_validasi_on_the_template_example_sheet(tmp_path: Path) -> None:
    """The committed template, its seed-filled example sheet active: same cells as the CLI."""
    report = _cli_report_args("--sheet", "Contoh", str(TEMPLATE))
    cells = {f["cell"] for f in report["findings"] if f["cell"]}
    book = remote_book(TEMPLATE, active="Contoh")
    buttons.validasi(book)
    rak = _position(book, "Contoh")
    assert action_cells(book, ["setRangeColors"], sheet=rak) == cells
    assert action_cells(book, ["addNote"], sheet=rak) == cells
    counts = count_actions(book)
    assert sum(counts.values()) - counts["notes"] <= 20


def _cli_report_args(*args: str) -> dict[str, Any]:
    done = _cli("validate", "--json", *args)
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _position(book: Any, name: str) -> int:
    return [s.name for s in book.sheets].index(name)


def _funcs(book: Any) -> list[str]:
    return [a["func"] for a in book.json()["actions"]]


# --------------------------------------------------------------------------------------
# Validasi
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["seed", "official"])
def test_validasi_marks_exactly_the_cli_findings(
    which: str, request: pytest.FixtureRequest
) -> None:
    path: Path = request.getfixturevalue(which)
    report = _cli_report(path)
    cells = {f["cell"] for f in report["findings"] if f["cell"]}
    assert cells  # the seed has findings: 355 + 5 against 1416 Orang, program total, ...

    book = remote_book(path)
    rak = _position(book, report["sheet"])
    message = buttons.validasi(book)

    assert action_cells(book, ["setRangeColors"], sheet=rak) == cells
    assert action_cells(book, ["addNote"], sheet=rak) == cells
    s = report["summary"]
    assert message == f"{s['error']} kesalahan, {s['warning']} peringatan — lihat sheet Temuan"
    counts = count_actions(book)
    assert counts["notes"] == len(cells)  # one note per marked cell, nothing more
    assert sum(counts.values()) - counts["notes"] <= 20
    # The Temuan sheet: one block of values with every finding and its link.
    temuan = next(a for a in book.json()["actions"] if a["func"] == "setValues")
    assert temuan["values"][0][0] == "'" + TEMUAN_MARKER
    links = [row[3] for row in temuan["values"] if str(row[3]).startswith("=HYPERLINK(")]
    assert len(links) == len(report["findings"])
    assert _funcs(book)[-1] == "alert"


def test_validasi_after_cli_mark_replaces_the_marks(seed: Path) -> None:
    """A file marked by ``validate --mark``: Validasi in Excel removes those marks (the
    state sheet says where) and marks again with one note action per cell."""
    assert _cli("validate", "--mark", str(seed)).returncode == 1
    cells = {f["cell"] for f in _cli_report(seed)["findings"] if f["cell"]}

    book = remote_book(seed)
    buttons.validasi(book)
    funcs = Counter(_funcs(book))
    assert funcs["setNoteText"] == len(cells)
    assert funcs["addNote"] == funcs["deleteNote"] == 0
    assert funcs["sheetDelete"] == 1  # the old Temuan sheet
    assert funcs["sheetClearContents"] == 1  # the state sheet is reused
    assert funcs["addSheet"] == 1  # the new Temuan sheet
    counts = count_actions(book)
    assert sum(counts.values()) - counts["notes"] <= 20
    rak = _position(book, _cli_report(seed)["sheet"])
    paints = [a for a in book.json()["actions"] if a["func"] == "setRangeColors"]
    unmark, mark = (a for a in paints if a["sheet_position"] == rak)
    # First the previous fills go (the seed had none of its own there), then the new ones.
    assert {c for row in unmark["args"][0] for c in row} <= {"keep", None}
    assert action_cells(book, ["setRangeColors"], sheet=rak) == cells
    assert {c.upper() for row in mark["args"][0] for c in row if c != "keep"} <= {
        "#FFC7CE",
        "#FFEB9C",
        "#DDEBF7",
    }


def test_validasi_without_rak_table(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "kosong.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "bukan RAK"
    wb.save(path)
    book = remote_book(path)
    message = buttons.validasi(book)
    assert message.startswith("Tidak ada sheet berisi tabel RAK")
    assert _funcs(book) == ["alert"]


def test_unexpected_error_is_one_sentence(
    seed: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tempfile

    import rak_xl.rules

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(rak_xl.rules, "check", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    book = remote_book(seed)
    message = buttons.validasi(book)
    assert message.startswith("Terjadi kesalahan yang tidak terduga")
    assert "Traceback" not in message and "boom" not in message
    assert "RuntimeError: boom" in (tmp_path / "rak-xl-error.log").read_text()
    assert _funcs(book) == ["alert"]


# --------------------------------------------------------------------------------------
# Susun Ulang, Batalkan, Hitung Ulang
# --------------------------------------------------------------------------------------
def test_susun_ulang_backs_up_then_rebuilds(seed: Path) -> None:
    from rak_xl.api import load
    from rak_xl.layout import plan_sheet

    plan = plan_sheet(load(seed))
    book = remote_book(seed)
    name = book.sheets.active.name
    message = buttons.susun_ulang(book)
    assert message.startswith("Lembar RAK disusun ulang")
    funcs = _funcs(book)
    # The hidden copy is made before anything on the sheet changes.
    assert funcs[:4] == ["copySheet", "setSheetName", "setSheetVisibility", "sheetClear"]
    rename = book.json()["actions"][1]
    assert rename["args"] == [backup_sheet_name(name)]
    values = [a for a in book.json()["actions"] if a["func"] == "setValues"]
    assert len(values) == 1  # all values and formulas in one block
    assert (values[0]["row_count"], values[0]["column_count"]) == (plan.last_row, plan.last_col)
    flat = [v for row in values[0]["values"] for v in row]
    assert any(isinstance(v, str) and v.startswith("=SUM(") for v in flat)
    counts = count_actions(book)
    assert counts["merges"] == len(plan.merges)


def test_susun_ulang_actions_do_not_grow_with_rows() -> None:
    """No action per row: 10x the kegiatan gives the same count apart from merges."""
    import copy

    import xlwings as xw

    from rak_xl.adapters.xlwings_io import apply_sheet_plan
    from rak_xl.layout import plan_sheet
    from rak_xl.model import Rak
    from tests.xlwings_remote import _ensure_remote_engine

    seed_json = json.loads((FIXTURES / "rak_banjar_2020.json").read_text())
    _ensure_remote_engine()

    def actions(mult: int) -> Counter[str]:
        d = copy.deepcopy(seed_json)
        for s in d["sasaran"]:
            for p in s["program"]:
                p["kegiatan"] = [copy.deepcopy(k) for _ in range(mult) for k in p["kegiatan"]]
        sheet = {"name": "RAK", "values": [[]], "used_range_address": None, "notes": []}
        sheet |= {k: [] for k in ("pictures", "shapes", "charts", "tables", "pivot_tables")}
        payload = {
            "client": "Office.js",
            "version": xw.__version__,
            "book": {"name": "b.xlsx", "active_sheet_index": 0, "selection": "A1"},
            "names": [],
            "sheets": [sheet],
        }
        book = xw.Book(json=payload)
        apply_sheet_plan(book.sheets[0], plan_sheet(Rak.from_json(d)))
        counts = count_actions(book)
        del counts["merges"]
        return counts

    small, big = actions(1), actions(10)
    assert big.keys() == small.keys()
    assert sum(big.values()) <= sum(small.values())


def test_batalkan_restores_the_backup(seed: Path) -> None:
    book = remote_book(seed)
    name = book.sheets.active.name
    buttons.susun_ulang(book)
    book.json()["actions"].clear()
    message = buttons.batalkan(book)
    assert message == f"Lembar '{name}' dikembalikan seperti sebelum Susun Ulang terakhir."
    acts = book.json()["actions"]
    assert [a["func"] for a in acts] == ["sheetClear", "copyRange", "activateSheet", "alert"]
    copy_action = acts[1]
    assert copy_action["sheet_position"] == _position(book, backup_sheet_name(name))
    assert copy_action["args"] == [_position(book, name), "$A$1"]


def test_batalkan_without_backup(seed: Path) -> None:
    book = remote_book(seed)
    assert buttons.batalkan(book) == "Belum ada salinan dari Susun Ulang yang bisa dikembalikan."
    assert _funcs(book) == ["alert"]


def test_hitung_ulang_writes_only_formulas(official: Path) -> None:
    from rak_xl.api import load

    rak = load(official)
    book = remote_book(official)
    assert buttons.hitung_ulang(book) == "Rumus jumlah dihitung ulang."
    values = [a for a in book.json()["actions"] if a["func"] == "setValues"]
    total_rows = len(list(rak.programs())) + len(rak.sasaran) + 1
    assert len(values) == 1 + total_rows  # computed columns + one block per total row
    assert _funcs(book) == ["setValues"] * len(values) + ["alert"]
    for act in values:
        for row in act["values"]:
            assert all(v in (None, "") or str(v).startswith("=") for v in row)


def test_hitung_ulang_on_a_messy_sheet_rebuilds_it(seed: Path) -> None:
    book = remote_book(seed)
    message = buttons.hitung_ulang(book)
    assert message.startswith("Baris jumlah tidak sesuai susunan lembar, jadi lembar RAK")
    assert "copySheet" in _funcs(book)


# --------------------------------------------------------------------------------------
# Import cost and the rectangle cover
# --------------------------------------------------------------------------------------
def test_import_is_light() -> None:
    code = (
        "import sys, rak_xl.buttons; "
        "print([m for m in ('xlwings', 'pandas', 'numpy', 'openpyxl', 'babel') "
        "if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


@given(st.sets(st.tuples(st.integers(1, 12), st.integers(1, 8)), max_size=40))
def test_cover_is_exact(cells: set[tuple[int, int]]) -> None:
    rects = cover(cells)
    covered = [
        (r, c) for r1, c1, r2, c2 in rects for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
    ]
    assert sorted(covered) == sorted(cells)  # every cell once, nothing else


def test_cover_uses_free_cells() -> None:
    cells = {(1, 1), (1, 3), (3, 1), (3, 3)}
    assert cover(cells) != [(1, 1, 3, 3)]
    assert cover(cells, lambda cell: True) == [(1, 1, 3, 3)]


# --------------------------------------------------------------------------------------
# Susun Ulang's formats, replayed: every styled cell ends up as the plan says
# --------------------------------------------------------------------------------------
_CLEARED = {
    "font": "Calibri",
    "size": 11,
    "bold": False,
    "italic": False,
    "h_align": "general",
    "v_align": "bottom",
    "wrap": False,
    "number_format": "General",
    "fill": None,
    "border": False,
}


def _cells_of(act: dict[str, Any]) -> list[tuple[int, int]]:
    r0, c0 = act["start_row"] + 1, act["start_column"] + 1
    return [(r0 + i, c0 + j) for i in range(act["row_count"]) for j in range(act["column_count"])]


def _replay(actions: list[dict[str, Any]], sheet: int) -> dict[tuple[int, int], dict[str, Any]]:
    """Apply the recorded format actions of one sheet to a plain dict of cell formats."""
    from rak_xl.grid import col_index

    state: dict[tuple[int, int], dict[str, Any]] = {}

    def at(cell: tuple[int, int]) -> dict[str, Any]:
        return state.setdefault(cell, dict(_CLEARED))

    simple = {
        "setHorizontalAlignment": "h_align",
        "setVerticalAlignment": "v_align",
        "setWrapText": "wrap",
        "setNumberFormat": "number_format",
    }
    font = {"name": "font", "size": "size", "bold": "bold", "italic": "italic"}
    for act in actions:
        if act["sheet_position"] != sheet:
            continue
        func, args = act["func"], act["args"]
        if func == "sheetClear":
            state.clear()
        elif func in simple:
            value = (
                args[0].lower() if isinstance(args[0], str) and "align" in func.lower() else args[0]
            )
            for cell in _cells_of(act):
                at(cell)[simple[func]] = value
        elif func == "setFontProperty":
            for cell in _cells_of(act):
                at(cell)[font[args[0]]] = args[1]
        elif func == "setRangeColor":
            for cell in _cells_of(act):
                at(cell)["fill"] = args[0].lstrip("#").upper() if args[0] else None
        elif func == "setBorderProperty":
            for cell in _cells_of(act):
                at(cell)["border"] = True
        elif func == "copyFromRange":
            first, _, last = args[1].replace("$", "").partition(":")
            letters = "".join(ch for ch in first if ch.isalpha())
            sr, sc = int(first[len(letters) :]), col_index(letters)
            letters2 = "".join(ch for ch in last if ch.isalpha())
            nrows = int(last[len(letters2) :]) - sr + 1
            ncols = col_index(letters2) - sc + 1
            dr, dc = act["start_row"] + 1, act["start_column"] + 1
            snapshot = {k: dict(v) for k, v in state.items()}
            for r, c in _cells_of(act):
                src = (sr + (r - dr) % nrows, sc + (c - dc) % ncols)
                state[(r, c)] = dict(snapshot.get(src, _CLEARED))
    return state


@pytest.mark.parametrize("which", ["seed", "official"])
def test_susun_ulang_formats_match_the_plan(which: str, request: pytest.FixtureRequest) -> None:
    from rak_xl.api import load
    from rak_xl.layout import plan_sheet

    path: Path = request.getfixturevalue(which)
    plan = plan_sheet(load(path))
    book = remote_book(path)
    rak = _position(book, book.sheets.active.name)
    buttons.susun_ulang(book)
    state = _replay(book.json()["actions"], rak)
    wrong = []
    for pos, cell in plan.cells.items():
        st_ = cell.style
        want = {
            "font": st_.font,
            "size": st_.size,
            "bold": st_.bold,
            "italic": st_.italic,
            "h_align": st_.h_align,
            "v_align": st_.v_align,
            "wrap": st_.wrap,
            "number_format": st_.number_format,
            "fill": st_.fill.upper() if st_.fill else None,
            "border": st_.border,
        }
        got = state.get(pos, _CLEARED)
        wrong += [(pos, k, want[k], got[k]) for k in want if want[k] != got[k]]
    assert wrong == []
    # Cells the plan leaves unstyled show neither fill nor border.
    for pos, fmt in state.items():
        if pos not in plan.cells:
            assert (fmt["fill"], fmt["border"]) == (None, False), pos


def test_user_fills_come_back_and_are_never_painted_over(seed: Path) -> None:
    """The user's own fill on a cell that gets marked is recorded by ``validate --mark``
    and painted back by Validasi's unmarking; other user fills are never touched."""
    import openpyxl
    from openpyxl.styles import PatternFill

    from rak_xl.adapters.xlwings_io import _parse_a1
    from rak_xl.grid import a1

    cells = sorted(f["cell"] for f in _cli_report(seed)["findings"] if f["cell"])
    marked = cells[0]
    # A cell inside the block that Validasi paints, but not marked itself.
    coords = [_parse_a1(c) for c in cells]
    r1, r2 = min(r for r, _ in coords), max(r for r, _ in coords)
    c1, c2 = min(c for _, c in coords), max(c for _, c in coords)
    untouched = next(
        a1(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if a1(r, c) not in cells
    )
    wb = openpyxl.load_workbook(seed)
    ws = wb[_cli_report(seed)["sheet"]]
    for ref in (marked, untouched):
        ws[ref].fill = PatternFill("solid", fgColor="FFFFFF00")
    wb.save(seed)
    assert _cli("validate", "--mark", str(seed)).returncode == 1

    book = remote_book(seed)
    rak = _position(book, ws.title)
    buttons.validasi(book)
    paints = [a for a in book.json()["actions"] if a["func"] == "setRangeColors"]
    unmark, mark = (a for a in paints if a["sheet_position"] == rak)

    def colour(act: dict[str, Any], ref: str) -> Any:
        r, c = _parse_a1(ref)
        return act["args"][0][r - 1 - act["start_row"]][c - 1 - act["start_column"]]

    assert str(colour(unmark, marked)).upper() == "#FFFF00"  # the user's fill, restored
    assert colour(mark, marked) != "keep"  # and marked again
    assert untouched not in action_cells(book, ["setRangeColors"], sheet=rak, painted_only=False)
