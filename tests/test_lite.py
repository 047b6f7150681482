"""rak-xl as an xlwings Lite plugin, in CPython: what Lite sees and what its scripts do.

The driver (``tests/pyodide/driver.py``) makes the workbook's ``main`` module from the one
line ``from rak_xl.lite import *`` and goes through xlwings' own Lite dispatch
(``custom_scripts_meta`` / ``custom_scripts_call`` / ``custom_functions_call``). The
Pyodide test runs the same driver in real Pyodide and compares with this run.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest

from rak_xl import buttons, lite, udfs
from rak_xl.xlsm.vba_project import BUTTON_MACROS
from tests.lite_cases import cases, run_driver

pytestmark = pytest.mark.slow  # xlwings' remote engine through the Lite dispatch

UNEXPECTED = buttons._UNEXPECTED.split("{", 1)[0]


@pytest.fixture(scope="module")
def lite_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    given = cases()
    return given, run_driver(given, tmp_path_factory.mktemp("lite"))


def test_lite_lists_the_four_buttons_with_indonesian_docstrings(lite_run: Any) -> None:
    _, out = lite_run
    shown = {m["function_name"]: m["name"] for m in out["scripts_meta"]}
    assert shown == {
        "validasi": "Validasi",
        "hitung_ulang": "Hitung Ulang",
        "susun_ulang": "Susun Ulang",
        "batalkan": "Batalkan",
    }
    assert set(shown.values()) == set(BUTTON_MACROS)  # the same captions as the .xlsm
    # App Mode shows each script's docstring under its button.
    assert out["docs"] == {name: inspect.getdoc(getattr(lite, name)) for name in lite.SCRIPTS}
    assert all(len(doc) > 40 for doc in out["docs"].values())


def test_lite_registers_the_six_cell_functions(lite_run: Any) -> None:
    _, out = lite_run
    assert out["functions"] == sorted(udfs.__all__) == sorted(lite.FUNCTIONS)
    for name in lite.FUNCTIONS:  # the classic UDFs themselves, not copies
        assert getattr(lite, name) is getattr(udfs, name)


def test_lite_scripts_emit_exactly_the_classic_buttons_actions(lite_run: Any) -> None:
    """Each Lite script is its .xlsm button: same actions on the same book, step by step."""
    from tests.xlwings_remote import remote_book_from_payload

    given, out = lite_run
    for case, run in zip(given["scripts"], out["runs"], strict=True):
        book = remote_book_from_payload(json.loads(json.dumps(case["payload"])))
        for name, step in zip(case["press"], run["steps"], strict=True):
            book.json()["actions"].clear()
            getattr(buttons, name)(book)
            assert json.loads(json.dumps(book.json()["actions"])) == step["actions"], name
            alert = step["actions"][-1]
            assert alert["func"] == "alert" and not alert["args"][0].startswith(UNEXPECTED)


def test_lite_functions_answer_through_xlwings_dispatch(lite_run: Any) -> None:
    _, out = lite_run
    kas_tw, jumlah, target, cek, terbilang, rupiah = out["calls"]
    assert kas_tw == [[15_000_000], [0]]
    assert jumlah == [[51_192_500], [1000]]
    assert target == [[5], [12]]
    assert cek[0][0].startswith("Jumlah target TW 1–4 (360) tidak sama dengan volume")
    assert terbilang == [
        ["satu juta seribu rupiah", "dua miliar enam ratus lima puluh enam juta delapan ratus "
         "delapan puluh lima ribu dua ratus rupiah"],
    ]  # fmt: skip
    assert rupiah == [["Rp2.656.885.200", "-Rp33.692.500,5"]]


def test_lite_path_loads_nothing_compiled(lite_run: Any) -> None:
    _, out = lite_run
    assert out["forbidden_loaded"] == []
