"""Worksheet functions as plain Python (xlwings' decorators are identities on Linux)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from rak_xl import udfs
from rak_xl.rules import rule_for
from rak_xl.udfs import RAK_CEK, RAK_JUMLAH, RAK_KAS_TW, RAK_TARGET, RUPIAH, TERBILANG

MONTHS = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200]


def test_kas_tw_one_row() -> None:
    assert RAK_KAS_TW([MONTHS], 1) == [[600]]
    assert RAK_KAS_TW([MONTHS], "TW 4") == [[3300]]
    assert RAK_KAS_TW([MONTHS], "II") == [[1500]]
    assert RAK_KAS_TW([MONTHS], 3.0) == [[2400]]


def test_kas_tw_dash_empty_and_text_numbers() -> None:
    row = ["-", None, "1.500.000", "Rp 2,000,000", "", 0, 0, 0, 0, 0, 0, 0]
    assert RAK_KAS_TW([row], 1) == [[1_500_000]]
    assert RAK_KAS_TW([row], 2) == [[2_000_000]]


def test_kas_tw_bad_input_is_a_cell_message() -> None:
    assert RAK_KAS_TW([MONTHS], 5)[0][0].startswith("#TW?")
    assert RAK_KAS_TW([MONTHS[:11]], 1)[0][0].startswith("#KOLOM?")
    bad = ["abc", *MONTHS[1:]]
    assert RAK_KAS_TW([bad, MONTHS], 1) == [["#ANGKA? 'abc' bukan angka"], [600]]


def test_blank_rows_stay_blank() -> None:
    assert RAK_JUMLAH([[None] * 12, MONTHS]) == [[""], [7800]]


def test_3000_rows_in_one_call() -> None:
    rows = [[i + m for m in range(12)] for i in range(3000)]
    jumlah = RAK_JUMLAH(rows)
    tw1 = RAK_KAS_TW(rows, 1)
    assert len(jumlah) == len(tw1) == 3000
    assert jumlah[2999] == [sum(2999 + m for m in range(12))]
    assert tw1[10] == [30 + 0 + 1 + 2]
    targets = RAK_TARGET([["TW 1 = 355 TW 2 = - TW 3 = - TW 4 = 5"]] * 3000, 4)
    assert targets == [[5]] * 3000


def test_target_text() -> None:
    cells = [
        ["TW 1 = 355 TW 2 = - TW 3 = - TW 4 = 5"],
        ["TW 1 = - TW 2 = - TW 3 = - TW 4 = 180"],
        [None],
        [12],
        ["entah"],
    ]
    assert RAK_TARGET(cells, 1) == [[355], [""], [""], [12], ["#TARGET? tidak terbaca: 'entah'"]]
    assert RAK_TARGET(cells, 4)[:2] == [[5], [180]]


def test_terbilang_and_rupiah_keep_the_shape() -> None:
    cells = [[1_001_000, 2_147_483_648], [None, "1.500"]]
    words = TERBILANG(cells)
    assert words[0][0] == "satu juta seribu"
    assert words[0][1].startswith("dua miliar seratus empat puluh tujuh juta")
    assert words[1] == ["", "seribu lima ratus"]
    assert TERBILANG([[1500]], True) == [["seribu lima ratus rupiah"]]
    assert RUPIAH(cells) == [["Rp1.001.000", "Rp2.147.483.648"], ["", "Rp1.500"]]
    assert TERBILANG([["abc"]])[0][0].startswith("#ANGKA?")


def test_cek_ok_and_first_problem() -> None:
    kas = [[0, 0, 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0] * 12, [0, 0, 1000, *[0] * 9]]
    status = RAK_CEK(
        [["1416 Orang"], ["10 Dokumen"], ["4 Dokumen"]],
        [
            ["TW 1 = 355 TW 2 = - TW 3 = - TW 4 = 5"],
            ["TW 1 = 10 TW 2 = - TW 3 = - TW 4 = -"],
            ["TW 1 = 4 TW 2 = - TW 3 = - TW 4 = -"],
        ],
        kas,
    )
    sum_mismatch = rule_for("target.additive-sum-mismatch").template.format(
        jumlah="360", acuan="volume", nilai="1.416 Orang"
    )
    assert status == [
        [sum_mismatch],  # 355 + 5 against a volume of 1416
        [rule_for("cash.empty").template.format(item="Kegiatan")],  # no cash at all
        ["OK"],
    ]


def test_cek_two_volume_columns_and_four_target_columns() -> None:
    status = RAK_CEK([[4, "Dokumen"]], [[4, "-", None, "-"]], [[0, 0, 1000, *[0] * 9]])
    assert status == [["OK"]]


def test_cek_rows_must_match() -> None:
    assert RAK_CEK([["1 Orang"]], [["TW 1 = 1"], ["x"]], [MONTHS])[0][0].startswith("#BARIS?")


def test_public_names() -> None:
    assert udfs.__all__ == sorted(udfs.__all__)


@pytest.mark.slow
def test_real_xlwings_decorators_accept_the_signatures() -> None:
    """With xlwings' Windows decorators (pywin32 stubbed), every UDF registers cleanly:
    annotations map to registered converters and range arguments are 2-D."""
    script = textwrap.dedent(
        """
        import json, sys, types
        for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
            sys.modules[name] = types.ModuleType(name)
        sys.modules["win32com.client"].Dispatch = object
        sys.modules["pythoncom"].CoInitialize = lambda: None
        import xlwings as xw
        import xlwings.udfs as u
        xw.func, xw.arg, xw.ret = u.xlfunc, u.xlarg, u.xlret
        import rak_xl.udfs as m
        out = {}
        for name in m.__all__:
            info = getattr(m, name).__xlfunc__
            out[name] = {
                "doc": info["ret"]["doc"],
                "args": {a["name"]: [a["options"].get("ndim"), a["doc"]] for a in info["args"]},
            }
        print(json.dumps(out))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    info = json.loads(done.stdout)
    assert set(info) == set(udfs.__all__)
    for name, meta in info.items():
        assert meta["doc"] and not meta["doc"].startswith("Python function"), name
        for arg, (_ndim, doc) in meta["args"].items():
            assert not doc.startswith("Positional argument"), (name, arg)
    assert info["RAK_CEK"]["args"]["kas"][0] == 2
    assert info["TERBILANG"]["args"]["jumlah"][0] == 2
