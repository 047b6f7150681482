"""The command-line boundary (issues 13.7, 16.9): Indonesian argparse, one sentence and
exit 2 for every refusal, cell text that never drives the terminal, any console encoding,
standard JSON, NaN/infinite/absurd numbers as findings, a KET word on its own line."""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_run import env, one_sentence, rak_xl, workbook

from rak_xl import api
from rak_xl.cli import _indonesian, _parser
from rak_xl.rules import check
from rak_xl.rules.kind import Kind, guess_kind, ket_override

# Cell texts with control characters: OOXML's _xHHHH_ escapes put them in a cell.
HOSTILE_TEXT = {
    (9, 7): "Pelatihan ✓ aparatur QESC[2JQESC]0;judulQBEL desa",
    (9, 11): "abcQESC[31m merah",
    (10, 7): "Penyusunan \u202elaporan 中文",
    (10, 12): "xQCSI31m",
}
HOSTILE_XML = {"QESC": "_x001B_", "QBEL": "_x0007_", "QCSI": "\u009b"}
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.fixture
def hostile_text(tmp_path: Path) -> Path:
    return workbook(tmp_path / "teks.xlsx", HOSTILE_TEXT, HOSTILE_XML)


def _no_nan(name: str) -> Any:
    raise AssertionError(f"non-standard JSON constant {name}")


def _kegiatan(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [k for s in doc["sasaran"] for p in s["program"] for k in p["kegiatan"]]


# --------------------------------------------------------------------------- terminal


@pytest.mark.slow
def test_cell_text_is_shown_not_obeyed(hostile_text: Path) -> None:
    text = rak_xl("validate", hostile_text)
    assert text.returncode == 1, text.stderr
    assert not any(ch in text.stdout for ch in RAW)
    assert "aparatur \\x1b[2J\\x1b]0;judul\\x07 desa" in text.stdout  # visible, not lost
    assert "'x\\x9b31m'" in text.stdout and "\\u202elaporan" in text.stdout

    report = rak_xl("validate", "--json", hostile_text)
    assert report.returncode == 1
    assert not any(ch in report.stdout for ch in RAW)
    messages = [f["message"] for f in json.loads(report.stdout)["findings"]]
    assert "Isi kas Januari ('abc\x1b[31m merah') bukan angka" in " ".join(messages)

    export = rak_xl("export", hostile_text)
    assert export.returncode == 0
    assert not any(ch in export.stdout for ch in RAW)
    names = [k["uraian"] for k in _kegiatan(json.loads(export.stdout, parse_constant=_no_nan))]
    assert names == [
        "Pelatihan ✓ aparatur \x1b[2J\x1b]0;judul\x07 desa",
        "Penyusunan \u202elaporan 中文",
    ]


@pytest.mark.slow
def test_cp1252_console_and_pipe(hostile_text: Path) -> None:
    """A Windows console or redirect in cp1252: text degrades, JSON stays exact."""
    cp = {"PYTHONIOENCODING": "cp1252"}
    text = rak_xl("validate", hostile_text, extra_env=cp, encoding="cp1252")
    assert text.returncode == 1 and "Traceback" not in text.stderr, text.stderr
    assert "Kegiatan: Pelatihan v aparatur" in text.stdout  # ✓ -> v
    assert "Penyusunan \\u202elaporan ??" in text.stdout
    export = rak_xl("export", hostile_text, extra_env=cp, encoding="cp1252")
    assert export.returncode == 0, export.stderr
    doc = json.loads(export.stdout, parse_constant=_no_nan)
    assert _kegiatan(doc)[0]["uraian"].startswith("Pelatihan ✓ aparatur")
    assert _kegiatan(doc)[1]["uraian"].endswith("中文")
    # A refusal, its path holding a character cp1252 lacks, is still one sentence.
    missing = hostile_text.parent / "tidak_ada_✓.xlsx"
    refused = rak_xl("validate", missing, extra_env=cp, encoding="cp1252")
    assert refused.returncode == 2
    one_sentence(refused.stderr, "tidak_ada_v.xlsx", "tidak ditemukan")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("cmd", [["export"], ["validate"], ["validate", "--json"]])
def test_output_to_a_full_disk(cmd: list[str]) -> None:
    from cli_run import SEED

    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "rak_xl", cmd[0], str(SEED), *cmd[1:]],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
            timeout=120,
            check=False,
        )
    assert done.returncode == 2
    one_sentence(done.stderr, "disk penuh")


def test_reader_gone_is_silent() -> None:
    """``rak-xl export x | head``: the reader closed the pipe; no traceback, exit 141."""
    from cli_run import SEED

    proc = subprocess.Popen(
        [sys.executable, "-m", "rak_xl", "export", str(SEED)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_unexpected_error_is_one_sentence(tmp_path: Path) -> None:
    """A bug of our own (faked here) still ends in one sentence, not a traceback."""
    from cli_run import SEED

    script = (
        "import sys, rak_xl.report as r\n"
        "def broken(*a, **k):\n    raise RuntimeError('bug')\n"
        "r.render_text = broken\n"
        "from rak_xl.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "validate", str(SEED)],
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    one_sentence(done.stderr, "kesalahan tak terduga", "RuntimeError")


# --------------------------------------------------------------------------- numbers


@pytest.mark.slow
def test_nan_infinite_and_absurd_numbers_are_findings(tmp_path: Path) -> None:
    cells = {(9, 11): 111, (9, 12): 112, (9, 13): 113, (10, 14): 114, (10, 15): 115, (10, 9): 99}
    xml = {
        "<v>111</v>": "<v>NaN</v>",
        "<v>112</v>": "<v>INF</v>",
        "<v>113</v>": "<v>1e400</v>",  # overflows to infinity when parsed
        "<v>114</v>": "<v>1e308</v>",  # finite, but two of them sum to infinity
        "<v>115</v>": "<v>1e308</v>",
        "<v>99</v>": "<v>-Infinity</v>",  # the volume
    }
    path = workbook(tmp_path / "angka.xlsx", cells, xml)
    report = check(api.load(path))
    found = {str(f.cell): f.message for f in report.findings if f.code == "number.not-a-number"}
    assert sorted(found) == ["I10", "K9", "L9", "M9", "N10", "O10"]
    assert "Isi kas Januari ('NaN') bukan angka yang terhingga." in found["K9"]
    assert "('tak hingga') bukan angka yang terhingga" in found["L9"]
    assert "Isi kas Maret ('tak hingga')" in found["M9"]
    assert "('1e+308') bukan angka yang wajar (lebih dari 1.000.000.000.000.000)" in found["N10"]
    assert "Isi volume ('-tak hingga')" in found["I10"]

    done = rak_xl("validate", "--json", path)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    export = rak_xl("export", path)
    assert export.returncode == 0, export.stderr
    doc = json.loads(export.stdout, parse_constant=_no_nan)
    for k in _kegiatan(doc):
        assert all(math.isfinite(v) for v in k["kas_bulanan"])


# --------------------------------------------------------------------------- KET


def test_ket_word_on_a_line_of_its_own(tmp_path: Path) -> None:
    assert ket_override("Bidang PMD\nkumulatif") is Kind.ADDITIVE
    assert ket_override("Bidang PMD\r\nposisi akhir") is Kind.LEVEL
    assert ket_override("Bidang PMD kumulatif") is None  # not a whole part
    path = workbook(tmp_path / "ket.xlsx", {(9, 9): "40 %", (9, 23): "Bidang PMD\n  kumulatif"})
    k = api.load(path).sasaran[0].program[0].kegiatan[0]
    assert k.ket == "Bidang PMD\nkumulatif"  # the line break kept, spaces tidied
    guess = guess_kind(k.satuan, k.indikator, k.ket)
    assert (guess.kind, guess.source) == (Kind.ADDITIVE, "ket")  # "%" alone says level


# --------------------------------------------------------------------------- argparse


ENGLISH = ("usage", "error:", "invalid", "required", "unrecognized", "expected", "choose")


@pytest.mark.parametrize(
    ("argv", "contains"),
    [
        ([], "argumen berikut wajib diisi: PERINTAH"),
        (["periksa"], "pilihan 'periksa' tidak dikenal"),
        (["validate"], "argumen berikut wajib diisi: FILE"),
        (["validate", "x.xlsx", "--zzz"], "argumen tidak dikenal: --zzz"),
        (["validate", "x.xlsx", "--dpa"], "--dpa: perlu satu nilai"),
        (["validate", "x.xlsx", "--money-tolerance", "-5"], "--money-tolerance: '-5'"),
        (["validate", "x.xlsx", "--money-tolerance", "1e400"], "--money-tolerance"),
        (["validate", "x.xlsx", "--money-tolerance", "nan"], "--money-tolerance"),
        (["validate", "x.xlsx", "--money-tolerance", "Infinity"], "--money-tolerance"),
        (["validate", "x.xlsx", "--money-tolerance", "lima"], "bukan jumlah uang yang sah"),
        (["regenerate", "x.xlsx", "-o"], "argumen -o/--output: perlu satu nilai"),
        (["export", "x.xlsx", "--she", "A", "--sheet", "B", "extra"], "argumen tidak dikenal"),
    ],
)
@pytest.mark.slow
def test_usage_errors_in_indonesian(tmp_path: Path, argv: list[str], contains: str) -> None:
    done = rak_xl(*argv, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    line = one_sentence(done.stderr, contains, "lihat 'rak-xl")
    assert not any(word in line.lower() for word in ENGLISH), line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv", [[], ["export"], ["validate"], ["recalc"], ["regenerate"], ["template"]]
)
def test_help_in_indonesian(argv: list[str]) -> None:
    done = rak_xl(*argv, "--help")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("penggunaan: rak-xl")
    assert "pilihan:" in done.stdout and "tampilkan bantuan ini lalu selesai" in done.stdout
    lowered = done.stdout.lower()
    assert not any(word in lowered for word in ("usage", "options:", "show this help")), lowered


def test_every_option_has_indonesian_help() -> None:
    with _indonesian():
        parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        for action in command._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
            assert "show this" not in action.help, (name, action.dest)


def test_money_tolerance_accepts_indonesian_amounts() -> None:
    with _indonesian():
        parser = _parser()
    for text, value in [("500", 500.0), ("1.000", 1000.0), ("0,5", 0.5), ("0", 0.0)]:
        args = parser.parse_args(["validate", "x.xlsx", "--money-tolerance", text])
        assert args.money_tolerance == value


def test_argparse_is_english_again_after_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    """The translation lasts for rak-xl's own parse only (a host process keeps its texts)."""
    from rak_xl.cli import main

    assert main(["validate"]) == 2
    assert "wajib diisi" in capsys.readouterr().err
    other = argparse.ArgumentParser(prog="lain")
    assert other.format_usage().startswith("usage: ")


@pytest.mark.parametrize(
    "cmd", [["export"], ["validate"], ["validate", "--mark"], ["recalc"], ["regenerate"]]
)
def test_file_errors_name_the_full_path(tmp_path: Path, cmd: list[str]) -> None:
    done = rak_xl(cmd[0], "tidak_ada.xlsx", *cmd[1:], cwd=tmp_path)
    assert done.returncode == 2
    one_sentence(done.stderr, str(tmp_path / "tidak_ada.xlsx"), "tidak ditemukan")
    assert list(tmp_path.iterdir()) == []  # no lock or temp file left
