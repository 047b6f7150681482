"""Running ``python -m rak_xl`` as a user would (a real process), and what its stderr
must look like when it refuses: one Indonesian sentence, no traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
from hostile import build_hostile as B

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed_banjar_2020.xlsx"


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def rak_xl(
    *args: str | Path,
    cwd: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
    timeout: float = 120,
    encoding: str = "utf-8",
    **kw: Any,
) -> subprocess.CompletedProcess[str]:
    """A real ``rak-xl`` process; its output decoded strictly (a stray byte fails)."""
    return subprocess.run(
        [sys.executable, "-m", "rak_xl", *map(str, args)],
        capture_output=True,
        text=True,
        encoding=encoding,
        errors="strict",
        cwd=cwd,
        env=env(**(extra_env or {})),
        timeout=timeout,
        check=False,
        **kw,
    )


def one_sentence(stderr: str, *contains: str) -> str:
    """The single line ``rak-xl...: <sentence>.`` of a refusal, checked."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    line = lines[0]
    assert re.match(r"^rak-xl( \w+)?: \S", line), line
    assert line.endswith("."), line
    for text in contains:
        assert text in line, (text, line)
    return line


def workbook(
    path: Path,
    cells: Mapping[tuple[int, int], Any] | None = None,
    xml: Mapping[str, str] | None = None,
) -> Path:
    """The hostile corpus' small RAK with ``cells`` set (openpyxl), then each placeholder
    of ``xml`` replaced in the sheet XML (values openpyxl refuses: ``NaN``, ``_x001B_``)."""
    wb = B.rak_book()
    ws = wb["RAK"]
    for (r, c), v in (cells or {}).items():
        ws.cell(r, c).value = v
    data = B.save(wb)

    def edit(body: bytes) -> bytes:
        text = body.decode()
        for old, new in (xml or {}).items():
            assert old in text, old
            text = text.replace(old, new)
        return text.encode()

    path.write_bytes(B.patch_part(data, "xl/worksheets/sheet1.xml", edit))
    return path


def sheet_names(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()
