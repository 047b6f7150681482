"""``--dpa FILE`` is untrusted input (issue 16.6): Excel's CSV and Unicode Text exports in
their encodings, a size bound, no blocking on FIFOs or devices, every bad amount refused
with its row named, and never a traceback."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from cli_run import SEED, one_sentence, rak_xl

from rak_xl.dpa import MAX_DPA_BYTES, load_dpa
from rak_xl.errors import RakError

MONTHS = "Jan;Feb;Mar;Apr;Mei;Jun;Jul;Agu;Sep;Okt;Nov;Des"
ZEROS = [0] * 10
WANT = {"Pelatihan Aparatur Désa": [1_234_000, 2_656_885_200, *ZEROS]}


def _csv(sep: str = ";") -> str:
    head = "uraian" + sep + MONTHS.replace(";", sep)
    amounts = ["1.234.000", "Rp 2.656.885.200", *["-"] * 5, *[""] * 5]
    return head + "\r\n" + sep.join(["Pelatihan Aparatur Désa", *amounts]) + "\r\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.csv", _csv().encode("utf-8")),
        ("bom.csv", b"\xef\xbb\xbf" + _csv().encode("utf-8")),
        ("cp1252.csv", _csv().encode("cp1252")),  # Excel's "CSV" on Windows
        ("unicode.txt", _csv("\t").encode("utf-16")),  # "Unicode Text": UTF-16 LE, BOM, tabs
        ("utf16be.txt", b"\xfe\xff" + _csv("\t").encode("utf-16-be")),
        ("utf16_no_bom.txt", _csv("\t").encode("utf-16-le")),
    ],
)
def test_encodings(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert load_dpa(path) == WANT


def test_english_separators_and_json(tmp_path: Path) -> None:
    en = tmp_path / "en.csv"
    en.write_text('Kegiatan A,"1,234,000","Rp 2,656,885,200",0,0,0,0,0,0,0,0,0,0\n', "utf-8")
    assert load_dpa(en) == {"Kegiatan A": [1_234_000, 2_656_885_200, *ZEROS]}
    js = tmp_path / "dpa.json"
    js.write_text(json.dumps({"A": [1, "1.234.000", "-", None, 2.5, *[0] * 7]}), "utf-8")
    assert load_dpa(js) == {"A": [1, 1_234_000, 0, 0, 2.5, *[0] * 7]}


REFUSED = {
    # name: (content, words the sentence holds)
    "nan.json": ('{"A": [NaN,0,0,0,0,0,0,0,0,0,0,0]}', ["kegiatan 'A' Januari", "NaN"]),
    "inf.json": ('{"A": [0,-Infinity,0,0,0,0,0,0,0,0,0,0]}', ["Februari", "-Infinity"]),
    "overflow.json": ('{"A": [0,0,1e400,0,0,0,0,0,0,0,0,0]}', ["Maret", "1e400"]),
    "bool.json": ('{"A": [true,0,0,0,0,0,0,0,0,0,0,0]}', ["Januari", "true"]),
    "huge_int.json": ('{"A": [' + "9" * 5000 + ",0,0,0,0,0,0,0,0,0,0,0]}", ["Januari"]),
    "big_int.json": ('{"A": [' + "9" * 19 + ",0,0,0,0,0,0,0,0,0,0,0]}", ["di luar batas"]),
    "text.json": ('{"A": ["tiga juta",0,0,0,0,0,0,0,0,0,0,0]}', ["'tiga juta' bukan angka"]),
    "object.json": ('{"A": [{},0,0,0,0,0,0,0,0,0,0,0]}', ["harus angka"]),
    "short.json": ('{"A": [1, 2]}', ["12 angka"]),
    "list.json": ("[1, 2]", ["JSON harus berbentuk"]),
    "deep.json": ("[" * 100_000, ["bersarang"]),
    "broken.json": ('{"A": [1,', ["JSON tidak sah di baris 1"]),
    "twice.json": (
        '{"A": [1,0,0,0,0,0,0,0,0,0,0,0], "a ": [2,0,0,0,0,0,0,0,0,0,0,0]}',
        ["dua kali"],
    ),
    "short.csv": ("A;1;2\n", ["baris 1 punya 2 angka"]),
    "text.csv": (
        f"uraian;{MONTHS}\nA;1;2;x;0;0;0;0;0;0;0;0;0\n",
        ["baris 2 (Maret): 'x' bukan angka"],
    ),
    "nan.csv": ("A;1;2;3;4;5;6;7;8;9;10;11;NaN\n", ["baris 1 (Desember): 'NaN'"]),
    "e.csv": ("A;1;2;3;4;5;6;7;8;9;10;11;1e400\n", ["'1e400' bukan angka"]),
    "huge.csv": ("A;" + "9" * 30 + ";0;0;0;0;0;0;0;0;0;0;0\n", ["di luar batas"]),
    "extra.csv": ("A;1;2;3;4;5;6;7;8;9;10;11;12;13\n", ["baris 1 punya 13 angka"]),
    "noname.csv": (";1;2;3;4;5;6;7;8;9;10;11;12\n", ["baris 1: uraian kegiatan kosong"]),
    "field.csv": ('A;"' + "x" * 200_000 + '"\n', ["baris 1 tidak bisa dibaca"]),
    "nul.csv": ("A;1\x00;2\n", ["bukan teks"]),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_with_the_row_named(tmp_path: Path, name: str) -> None:
    content, words = REFUSED[name]
    path = tmp_path / name
    path.write_text(content, "utf-8")
    with pytest.raises(RakError) as exc:
        load_dpa(path)
    message = str(exc.value)
    assert message.startswith(f"File DPA {path} ditolak: ") and message.endswith(".")
    for word in words:
        assert word in message, (word, message)


def test_not_text_or_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "dpa.csv"
    bad.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(RakError, match="bukan teks"):
        load_dpa(bad)
    with pytest.raises(RakError, match="workbook Excel, bukan CSV"):
        load_dpa(SEED)


def test_size_bound_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "besar.csv"
    with open(big, "wb") as fh:
        fh.truncate(MAX_DPA_BYTES + 1)  # sparse: nothing to read if the bound holds
    with pytest.raises(RakError, match=r"terlalu besar \(20 MB\); batasnya 20 MB"):
        load_dpa(big)
    empty = tmp_path / "kosong.csv"
    empty.touch()
    with pytest.raises(RakError, match="kosong"):
        load_dpa(empty)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_device_folder_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "dpa.csv"
    os.mkfifo(fifo)  # nobody writes: a plain open() would wait forever
    started = time.monotonic()
    cases = [
        (fifo, "bukan file biasa"),
        (Path("/dev/zero"), "bukan file biasa"),
        (tmp_path, "adalah folder"),
        (tmp_path / "x.csv", "tidak ditemukan"),
    ]
    for path, words in cases:
        with pytest.raises(RakError, match=words):
            load_dpa(path)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("name", ["nan.json", "overflow.json", "text.csv", "huge_int.json"])
def test_cli_refuses_in_one_sentence(tmp_path: Path, name: str) -> None:
    dpa = tmp_path / name
    dpa.write_text(REFUSED[name][0], "utf-8")
    done = rak_xl("validate", SEED, "--dpa", dpa)
    assert done.returncode == 2 and done.stdout == ""
    one_sentence(done.stderr, f"File DPA {dpa} ditolak", *REFUSED[name][1])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_cli_does_not_block_on_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "dpa.csv"
    os.mkfifo(fifo)
    done = rak_xl("validate", SEED, "--dpa", fifo, timeout=60)
    assert done.returncode == 2
    one_sentence(done.stderr, str(fifo), "bukan file biasa")


@pytest.mark.parametrize("content", ["{}", f"uraian;{MONTHS}\n", "\n\n"])
def test_a_dpa_without_kegiatan_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "dpa.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(RakError, match="tidak ada kegiatan di dalamnya"):
        load_dpa(path)
