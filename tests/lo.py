"""One headless LibreOffice per test session, driven through ``tests/unoclient.py``.

``libreoffice`` (session fixture) starts ``soffice`` with a private profile listening on
a named pipe; ``lo.run([{"kind": ..., "path": ...}])`` runs jobs in a ``/usr/bin/python3``
subprocess (the only interpreter with ``uno``) and returns their JSON results. Tests are
skipped, with the reason, when LibreOffice or python3-uno is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

UNO_PYTHON = "/usr/bin/python3"
CLIENT = Path(__file__).with_name("unoclient.py")


def missing() -> str | None:
    """Why LibreOffice cannot be used here, or None."""
    if shutil.which("soffice") is None:
        return "soffice not installed (Debian: libreoffice-calc-nogui)"
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    if probe.returncode != 0:
        return "python3-uno not installed for /usr/bin/python3"
    return None


class LibreOffice:
    """A running soffice and the means to send it jobs."""

    def __init__(self, workdir: Path) -> None:
        # Unique per instance: a test module that imports the fixture gets its own
        # session instance beside conftest's, and two soffice cannot share a pipe.
        self.pipe = f"rak_xl_tests_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        profile = (workdir / "profile").as_uri()
        self.proc = subprocess.Popen(
            [
                "soffice",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                "--nodefault",
                f"-env:UserInstallation={profile}",
                f"--accept=pipe,name={self.pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def run(self, jobs: list[dict[str, Any]]) -> list[Any]:
        """Run ``jobs`` (see unoclient.py); a failed job raises with LibreOffice's trace."""
        done = subprocess.run(
            [UNO_PYTHON, str(CLIENT), self.pipe],
            input=json.dumps(jobs),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"unoclient failed:\n{done.stderr}")
        results: list[Any] = json.loads(done.stdout)
        for result in results:
            if isinstance(result, dict) and "error" in result:
                print(result.get("trace", ""), file=sys.stderr)
                raise RuntimeError(result["error"])
        return results

    def close(self) -> None:
        try:
            self.run([{"kind": "terminate"}])
            self.proc.wait(timeout=30)
        except (RuntimeError, subprocess.SubprocessError, json.JSONDecodeError):
            self.proc.kill()
            self.proc.wait()


def require_real_client(reason: str) -> None:
    """Skip with the reason; in CI (RAK_XL_REQUIRE_LO=1, set by .ci/run) fail instead, so a
    missing LibreOffice can never turn the real-client checks into silent skips."""
    if os.environ.get("RAK_XL_REQUIRE_LO"):
        pytest.fail(f"LibreOffice is required here: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibreOffice]:
    reason = missing()
    if reason:
        require_real_client(reason)
    office = LibreOffice(tmp_path_factory.mktemp("libreoffice"))
    try:
        yield office
    finally:
        office.close()
