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

from rak_xl import buttons
from rak_xl.marks import TEMUAN_MARKER
from rak_xl.regenerate import backup_sheet_name
from tests.replay import assert_replays_to
from tests.xlwings_remote import action_cells, count_actions, remote_book

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed_banjar_2020.xlsx"

# Every test drives the buttons through xlwings' remote engine.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEED.exists(), reason="seed fixture not built"),
]


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

    plan = plan_sheet(load(seed), paginate_rows=False)
    book = remote_book(seed)
    name = book.sheets.active.name
    message = buttons.susun_ulang(book)
    assert message.startswith("Lembar RAK disusun ulang")
    funcs = _funcs(book)
    # The hidden, marked copy is made before anything on the sheet changes.
    assert funcs[:5] == [
        "copySheet", "setSheetName", "setSheetVisibility", "namesAdd", "sheetClear"
    ]  # fmt: skip
    rename, mark = book.json()["actions"][1], book.json()["actions"][3]
    assert rename["args"] == [backup_sheet_name(name)]
    assert mark["args"] == ["_rak_xl_cadangan", f"='{name}'!$1:$1048576"]
    assert mark["sheet_position"] == _position(book, backup_sheet_name(name))
    values = [a for a in book.json()["actions"] if a["func"] == "setValues"]
    assert len(values) == 1  # all values and formulas in one block
    assert (values[0]["row_count"], values[0]["column_count"]) == (plan.last_row, plan.last_col)
    flat = [v for row in values[0]["values"] for v in row]
    assert any(isinstance(v, str) and v.startswith("=SUM(") for v in flat)
    counts = count_actions(book)
    # Title lines and signature lines are merged "across" in one action each.
    assert counts["merges"] < len(plan.merges)
    assert sum(counts.values()) - counts["merges"] <= _SEED_BUDGET


# Non-merge actions of the Susun Ulang button on the seed: 102 measured (136 before
# block copies, painter's order and style copies). The target is 60; the seed
# has 10 fixed actions (backup copy, hide, rename, its mark, clear, values, freeze, print
# area, activate, message), 13 column widths and 7 row heights (neither can be copied),
# and 33 distinct cell styles in irregular blocks (3 programs of different sizes).
_SEED_BUDGET = 105


def _empty_book() -> Any:
    import xlwings as xw

    from tests.xlwings_remote import _ensure_remote_engine

    _ensure_remote_engine()
    sheet = {"name": "RAK", "values": [[]], "used_range_address": None, "notes": []}
    sheet |= {k: [] for k in ("pictures", "shapes", "charts", "tables", "pivot_tables")}
    payload = {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": "b.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [sheet],
    }
    return xw.Book(json=payload)


def _seed_times(mult: int) -> Any:
    """The seed's model with every program's kegiatan repeated ``mult`` times."""
    import copy

    from rak_xl.model import Rak

    d = json.loads((FIXTURES / "rak_banjar_2020.json").read_text())
    for s in d["sasaran"]:
        for p in s["program"]:
            p["kegiatan"] = [copy.deepcopy(k) for _ in range(mult) for k in p["kegiatan"]]
    return Rak.from_json(d)


def _generated(n: int, **kwargs: int) -> Any:
    """A clean generated RAK (bench/gen.py) of ``n`` kegiatan."""
    import importlib.util

    from rak_xl.model import Rak

    name = "bench_gen"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, FIXTURES.parent.parent / "bench" / "gen.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return Rak.from_json(sys.modules[name].make_rak(n, **kwargs))


def _susun(rak: Any) -> tuple[Any, Any]:
    """(book, plan): ``rak`` laid out on an empty sheet of the remote engine."""
    from rak_xl.adapters.xlwings_plan import apply_sheet_plan
    from rak_xl.layout import plan_sheet

    plan = plan_sheet(rak, paginate_rows=False)
    book = _empty_book()
    apply_sheet_plan(book.sheets[0], plan)
    return book, plan


def _height_runs(plan: Any) -> int:
    """Runs of adjacent rows with the same planned height: row heights cannot be
    copied, and rows without one must stay as Excel sizes them, so each such run costs
    at most an action."""
    h = plan.row_heights
    return sum(1 for r in h if h.get(r - 1) != h[r])


# Growing with the sheet for a reason: row heights (see _height_runs), and the value and
# fill blocks, which xlwings cuts into chunks (some 100,000 cells of values; set_colors
# takes at most 10,000 cells). Merges do not: block copies carry them.
_GROWING = ("setRowHeight", "setValues", "setRangeColors")


@pytest.mark.parametrize(
    "small, big",
    [
        (lambda: _seed_times(1), lambda: _seed_times(10)),
        (lambda: _generated(300), lambda: _generated(3000)),
    ],
    ids=["seed x10", "generated 300 -> 3000"],
)
def test_susun_ulang_actions_do_not_grow_with_rows(small: Any, big: Any) -> None:
    """No action per row: apart from row heights, many more kegiatan cost no more
    actions, merges included (equal blocks are formatted and merged once, and copied)."""

    def actions(rak: Any) -> tuple[Counter[str], Any]:
        book, plan = _susun(rak)
        return Counter(a["func"] for a in book.json()["actions"]), plan

    (few, few_plan), (many, many_plan) = actions(small()), actions(big())
    for counts, plan in ((few, few_plan), (many, many_plan)):
        assert counts["setRowHeight"] <= _height_runs(plan)
        assert counts["rangeMerge"] <= len(plan.merges)
        cells = plan.last_row * plan.last_col
        assert counts["setValues"] <= 1 + cells // 100_000
        assert counts["setRangeColors"] <= 1 + cells // 10_000
        # Widths come from the content (font metrics): at most one action per column.
        assert counts["setColumnWidth"] <= plan.last_col
    fixed = (*_GROWING, "setColumnWidth")
    rest = sum(v for k, v in many.items() if k not in fixed)
    assert rest <= sum(v for k, v in few.items() if k not in fixed)
    assert rest <= 90 + 40  # the merges: title, header and the first of each block


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
    # The formula columns right of KET, the year total beside December (KET lies between:
    # never written), one block per total row.
    assert len(values) == 2 + total_rows
    assert _funcs(book) == ["setValues"] * len(values) + ["alert"]
    for act in values:
        for row in act["values"]:
            assert all(v in (None, "") or str(v).startswith("=") for v in row)


def test_hitung_ulang_on_a_messy_sheet_asks_for_susun_ulang(seed: Path) -> None:
    """As ``rak-xl recalc``: no silent rebuild; one sentence, nothing written."""
    book = remote_book(seed)
    name = book.sheets.active.name
    message = buttons.hitung_ulang(book)
    assert message == (
        f"Baris jumlah di lembar '{name}' tidak sesuai susunan resmi; "
        "tekan Susun Ulang dulu (lembar tidak diubah)."
    )
    assert _funcs(book) == ["alert"]


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


# --------------------------------------------------------------------------------------
# Susun Ulang's formats, replayed: every styled cell ends up as the plan says
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["seed", "official"])
def test_susun_ulang_formats_match_the_plan(which: str, request: pytest.FixtureRequest) -> None:
    from rak_xl.api import load
    from rak_xl.layout import plan_sheet

    path: Path = request.getfixturevalue(which)
    plan = plan_sheet(load(path), paginate_rows=False)
    book = remote_book(path)
    rak = _position(book, book.sheets.active.name)
    buttons.susun_ulang(book)
    assert_replays_to(book, rak, plan)


@pytest.mark.parametrize(
    "rak",
    [
        lambda: _seed_times(3),
        lambda: _generated(130, per_program=4, per_sasaran=3),  # equal blocks, odd ends
        lambda: _generated(300),
    ],
    ids=["seed x3", "generated 130", "generated 300"],
)
def test_susun_ulang_on_bigger_sheets_matches_the_plan(rak: Any) -> None:
    """Program and sasaran blocks copied whole: the result is still the plan, cell by
    cell."""
    book, plan = _susun(rak())
    assert_replays_to(book, 0, plan)


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
