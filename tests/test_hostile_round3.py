"""Hostile files and faults of the third round (a red-team pass over issue 16): each test
is one class of problem found by attacking the CLI with files and folders the earlier
rounds did not try, fixed at its root."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from features import build_features as F
from opc_files import rak_book, rewrite_sheet, sheets

from rak_xl.cli import main
from rak_xl.errors import NoRakTable
from rak_xl.regenerate import regenerate_file
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


@pytest.mark.parametrize("cmd", [["validate"], ["validate", "--mark"], ["regenerate"]])
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
