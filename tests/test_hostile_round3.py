"""Hostile files and faults of the third round (a red-team pass over issue 16): each test
is one class of problem found by attacking the CLI with files and folders the earlier
rounds did not try, fixed at its root."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from cli_run import SEED, rak_xl
from features import build_features as F
from opc_files import rak_book, rewrite_sheet, sheets

from rak_xl.cli import main
from rak_xl.errors import NoRakTable
from rak_xl.file_lock import lock_path
from rak_xl.regenerate import regenerate_file
from rak_xl.safe_write import BACKUP_DIR
from rak_xl.workbook import load_grid


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(err: str, *contains: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for text in contains:
        assert text in lines[0], (text, lines[0])


# -- our backup is never taken for the RAK -------------------------------------------------
def _numbering_row_broken(data: bytes) -> bytes:
    """The RAK sheet's numbering row (1, 2, 3 ... as numbers) with its numbers as text."""
    for inner in re.findall(rb"<row [^>]*>(.*?)</row>", data):
        if re.search(rb"<v>1</v></c><c [^>]*><v>2</v></c><c [^>]*><v>3</v>", inner):
            return data.replace(inner, re.sub(rb"<v>\d+</v>", b"<v>0</v>", inner), 1)
    raise AssertionError("no numbering row")


@pytest.mark.parametrize(
    "cmd",
    [
        ["validate", "--mark"],
        *(pytest.param(c, marks=pytest.mark.slow) for c in (["validate"], ["regenerate"])),
    ],
)
def test_a_broken_rak_sheet_is_not_replaced_by_its_backup(
    tmp_path: Path, cmd: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """After Susun Ulang the book holds our hidden backup of the RAK sheet. When the user
    then breaks the RAK sheet's numbering row, the backup must not become "the RAK":
    validate would report its cells, --mark and regenerate would edit it."""
    src = rak_book(tmp_path / "rak.xlsx", F.seed())
    regenerate_file(src)
    assert ("RAK (cadangan)", "hidden") in sheets(src)
    rewrite_sheet(src, _numbering_row_broken)
    with pytest.raises(NoRakTable, match=r"RAK \(cadangan\)"):
        load_grid(src)
    before = _sha(src)
    assert main([cmd[0], str(src), *cmd[1:]]) == 2
    _one_line(capsys.readouterr().err, "RAK (cadangan)", "Unhide")
    assert _sha(src) == before


# -- the lock file is untrusted too ----------------------------------------------------------
@pytest.mark.parametrize(
    "kind",
    ["fifo", *(pytest.param(k, marks=pytest.mark.slow) for k in ("garbage", "dev-zero"))],
)
def test_a_lock_that_is_no_lock_file_neither_blocks_nor_floods(tmp_path: Path, kind: str) -> None:
    """A FIFO in the lock's place blocked the run for ever, a link to /dev/zero read
    without end, and a 50 MB lock of NUL bytes was read whole and printed in the message."""
    src = tmp_path / "rak.xlsx"
    shutil.copy(SEED, src)
    lock = lock_path(src)
    if kind == "fifo":
        os.mkfifo(lock)
    elif kind == "garbage":
        lock.write_bytes(b"\x00\x1b[31m" * (10 * 2**20))
    else:
        os.symlink("/dev/zero", lock)
        os.utime(lock, (1, 1), follow_symlinks=False)  # an old link: stale, broken
    before = _sha(src)
    run = rak_xl("validate", src, "--mark", timeout=60)
    if kind == "dev-zero":
        assert run.returncode == 1, run.stderr
        assert not os.path.lexists(lock)
        return
    assert run.returncode == 2
    _one_line(run.stderr, "proses ?", lock.name)
    assert "\\x00" not in run.stderr and "\x1b" not in run.stderr
    assert _sha(src) == before


# -- a read-only workbook is not written -------------------------------------------------------
@pytest.mark.parametrize(
    "cmd",
    [
        ["validate", "--mark"],
        *(pytest.param(c, marks=pytest.mark.slow) for c in (["regenerate"], ["regenerate", "-o"])),
    ],
)
def test_a_read_only_workbook_is_not_replaced(
    tmp_path: Path, cmd: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A file marked read-only (no write permission for anyone) was replaced by the
    atomic rename all the same; Excel honours the mark, so do we."""
    src = tmp_path / "rak.xlsx"
    shutil.copy(SEED, src)
    target = src
    args = [cmd[0], str(src), *cmd[1:]]
    if cmd[-1] == "-o":
        target = tmp_path / "hasil.xlsx"
        shutil.copy(SEED, target)
        args.append(str(target))
    os.chmod(target, 0o444)
    before, listing = _sha(target), sorted(os.listdir(tmp_path))
    assert main(args) == 2
    _one_line(capsys.readouterr().err, "hanya-baca", target.name)
    assert _sha(target) == before and sorted(os.listdir(tmp_path)) == listing


def test_a_file_where_the_backup_folder_goes_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file named like our backup folder gave "kesalahan sistem EEXIST": now the sentence
    says what is in the way."""
    src = tmp_path / "rak.xlsx"
    shutil.copy(SEED, src)
    (tmp_path / BACKUP_DIR).write_text("bukan folder")
    before, listing = _sha(src), sorted(os.listdir(tmp_path))
    assert main(["validate", str(src), "--mark"]) == 2
    _one_line(capsys.readouterr().err, BACKUP_DIR, "bukan folder", "ganti nama")
    assert _sha(src) == before and sorted(os.listdir(tmp_path)) == listing
