"""atomic_update: the new file replaces the old in one step, with a backup; a failure at
any step leaves the original byte-identical and no temp file behind."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from rak_xl import safe_write
from rak_xl.errors import NoRakTable, WriteFailed
from rak_xl.safe_write import BACKUP_DIR, WriteResult, atomic_update, backup_path
from rak_xl.workbook import load_grid


def _book(path: Path, text: str = "lama") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "RAK"
    ws["A1"] = text
    wb.save(path)
    return path


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _writer(text: str = "baru") -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        _book(tmp, text)  # openpyxl writes the whole new file to the temp path

    return write


def _verify_a1(text: str) -> Callable[[Path], None]:
    def verify(tmp: Path) -> None:
        assert _a1(tmp) == text

    return verify


def _a1(path: Path) -> object:
    return load_grid(path, sheet="RAK").value(1, 1)


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_in_place_with_backup(tmp_path: Path) -> None:
    src = _book(tmp_path / "src.xlsx")
    original = src.read_bytes()
    res = atomic_update(src, _writer(), verify=_verify_a1("baru"))
    assert res.path == src and not res.converted
    assert _a1(src) == "baru"
    assert res.backup is not None and res.backup.parent == tmp_path / BACKUP_DIR
    assert res.backup.read_bytes() == original
    assert res.backup.suffix == ".xlsx" and res.backup.name.startswith("src.")
    assert _listing(tmp_path) == [BACKUP_DIR, "src.xlsx"]  # no temp file left
    assert str(res.backup) in res.message()


def test_backups_never_overwrite_each_other(tmp_path: Path) -> None:
    src = _book(tmp_path / "src.xlsx")
    first = atomic_update(src, _writer("satu"))
    second = atomic_update(src, _writer("dua"))
    assert first.backup != second.backup
    assert first.backup is not None and second.backup is not None
    assert _a1(second.backup) == "satu"
    now = dt.datetime(2026, 11, 28, 1, 30)
    a = backup_path(src, now)
    a.write_bytes(b"x")
    assert backup_path(src, now).name == "src.20261128-013000-2.xlsx"


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o664])
def test_keeps_file_mode(tmp_path: Path, mode: int) -> None:
    src = _book(tmp_path / "src.xlsx")
    os.chmod(src, mode)
    atomic_update(src, _writer())
    assert stat.S_IMODE(src.stat().st_mode) == mode


def test_output_elsewhere_no_backup(tmp_path: Path) -> None:
    src = _book(tmp_path / "src.xlsx")
    before = _sha(src)
    out = tmp_path / "hasil" / "keluar.xlsx"
    out.parent.mkdir()
    res = atomic_update(src, _writer(), output=out)
    assert res == WriteResult(path=out, backup=None, converted=False, source=src)
    assert _sha(src) == before and _a1(out) == "baru"
    assert _listing(out.parent) == ["keluar.xlsx"]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_old_format_gets_new_xlsx_beside(tmp_path: Path, suffix: str) -> None:
    _book(tmp_path / "src.xlsx")
    old = tmp_path / f"rak{suffix}"
    old.write_bytes(b"old format bytes")
    res = atomic_update(old, _writer())
    assert res.path == tmp_path / "rak.xlsx" and res.converted and res.backup is None
    assert old.read_bytes() == b"old format bytes"
    assert "format lama" in res.message() and "rak.xlsx" in res.message()
    again = atomic_update(old, _writer("lagi"))  # the .xlsx now exists: it is backed up
    assert again.backup is not None and _a1(again.backup) == "baru"


# --------------------------------------------------------------------------- failures


def _partial_then_enospc(tmp: Path) -> None:
    with open(tmp, "wb") as fh:
        fh.write(b"PK\x03\x04" + b"\0" * 5000)
    raise OSError(errno.ENOSPC, "No space left on device")


def _garbage(tmp: Path) -> None:
    tmp.write_bytes(b"not a zip at all")


def _empty(tmp: Path) -> None:
    tmp.write_bytes(b"")


def _rak_error(tmp: Path) -> None:
    raise NoRakTable("File src.xlsx tidak berisi tabel RAK.")


def _boom(_tmp: Path) -> None:
    raise ValueError("boom")


FAILING_WRITES: dict[str, Callable[[Path], None]] = {
    "write raises": _boom,
    "disk full midway": _partial_then_enospc,
    "writes garbage": _garbage,
    "writes nothing": _empty,
    "RakError while writing": _rak_error,
}


@pytest.mark.parametrize("name", list(FAILING_WRITES))
def test_failed_write_leaves_original(tmp_path: Path, name: str) -> None:
    src = _book(tmp_path / "src.xlsx")
    before = _sha(src)
    with pytest.raises(WriteFailed) as exc:
        atomic_update(src, FAILING_WRITES[name])
    assert _sha(src) == before
    assert _listing(tmp_path) == ["src.xlsx"]
    assert "src.xlsx" in str(exc.value) and "tidak diubah" in str(exc.value)
    if name == "disk full midway":
        assert "disk penuh" in str(exc.value)


def test_verify_failure(tmp_path: Path) -> None:
    src = _book(tmp_path / "src.xlsx")
    before = _sha(src)
    with pytest.raises(WriteFailed):
        atomic_update(src, _writer(), verify=_verify_a1("lain"))
    assert _sha(src) == before and _listing(tmp_path) == ["src.xlsx"]


def test_backup_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _book(tmp_path / "src.xlsx")
    before = _sha(src)

    def half_copy(a: Path, b: Path) -> None:
        b.write_bytes(Path(a).read_bytes()[:100])
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(shutil, "copy2", half_copy)
    with pytest.raises(WriteFailed, match="membuat cadangan"):
        atomic_update(src, _writer())
    assert _sha(src) == before and _listing(tmp_path) == ["src.xlsx"]


def test_replace_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """E.g. the workbook is open in Excel on Windows: the rename is refused."""
    src = _book(tmp_path / "src.xlsx")
    before = _sha(src)

    def refuse(a: object, b: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(safe_write.os, "replace", refuse)
    with pytest.raises(WriteFailed, match="tutup file itu di Excel"):
        atomic_update(src, _writer())
    assert _sha(src) == before and _listing(tmp_path) == ["src.xlsx"]


def test_temp_file_cannot_be_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _book(tmp_path / "src.xlsx")
    before = _sha(src)

    def read_only(*_args: object, **_kw: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(safe_write.tempfile, "mkstemp", read_only)
    with pytest.raises(WriteFailed, match="file sementara"):
        atomic_update(src, _writer())
    assert _sha(src) == before and _listing(tmp_path) == ["src.xlsx"]


def test_missing_output_folder(tmp_path: Path) -> None:
    src = _book(tmp_path / "src.xlsx")
    with pytest.raises(WriteFailed, match="tidak ada"):
        atomic_update(src, _writer(), output=tmp_path / "nope" / "x.xlsx")


def test_keyboard_interrupt_cleans_up(tmp_path: Path) -> None:
    src = _book(tmp_path / "src.xlsx")
    before = _sha(src)

    def interrupted(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_update(src, interrupted)
    assert _sha(src) == before and _listing(tmp_path) == ["src.xlsx"]


def test_temp_file_is_in_destination_folder(tmp_path: Path) -> None:
    src = _book(tmp_path / "src.xlsx")
    seen: list[Path] = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        _writer()(tmp)

    atomic_update(src, write)
    assert seen[0].parent == tmp_path and seen[0].suffix == ".xlsx"
    assert seen[0].name.startswith(".src.") and not seen[0].exists()


def test_symlink_target_is_updated(tmp_path: Path) -> None:
    real = _book(tmp_path / "asli.xlsx")
    link = tmp_path / "tautan.xlsx"
    link.symlink_to(real)
    res = atomic_update(link, _writer())
    assert link.is_symlink() and res.path == real
    assert _a1(real) == "baru"
