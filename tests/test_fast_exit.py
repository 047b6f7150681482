"""The console script ends the process at once after flushing (``rak_xl.cli.entry``):
what a user's process prints and returns is what ``main`` printed and returned, and a
library caller (a test, the buttons) keeps nothing alive for it."""

from __future__ import annotations

import json

import pytest
from cli_run import SEED, rak_xl

from rak_xl import api
from rak_xl.cli import main


@pytest.mark.parametrize("command", [["validate", "--json"], ["export"]])
def test_process_prints_and_returns_what_main_does(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*command, str(SEED)])
    expected = capsys.readouterr().out
    done = rak_xl(*command, SEED)
    assert done.returncode == code
    assert done.stdout == expected
    assert json.loads(done.stdout)  # complete: the end of the output was flushed
    assert "Traceback" not in done.stderr


def test_library_callers_keep_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert not api.ending_at_once
    main(["validate", "--json", str(SEED)])
    main(["export", str(SEED)])
    capsys.readouterr()
    assert api._kept == []
