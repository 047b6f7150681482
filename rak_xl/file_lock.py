"""One writer per workbook, and none while Excel has it open.

``writing(src, dest)`` is held around every write of ``dest`` (``safe_write`` takes it;
the CLI takes it earlier, before reading, so the whole read -> write of a command is
covered):

- **Lock file** ``.{name}.rak-xl-lock`` beside ``dest``, created with ``O_EXCL`` and
  holding ``pid host time``: a second rak-xl process on the same workbook refuses with a
  sentence instead of silently undoing the first one's work. A lock whose process is gone
  (same host, POSIX) or older than ``STALE_AFTER`` is broken; the lock is removed on every
  way out (exceptions, Ctrl+C, SIGTERM through the CLI's handler).
- **Excel's owner file** ``~$name.xlsx`` (LibreOffice: ``.~lock.name.xlsx#``) beside the
  workbook means it is open there; on macOS and Linux nothing else stops a replace under
  Excel's feet, so the write is refused and the user told to close it.
- **Fingerprint**: size and SHA-256 of ``src`` when the lock was taken; ``Guard.check()``,
  right before the atomic replace, refuses when they changed (Excel, a sync client or a
  colleague saved the file meanwhile).

``sweep(dest)`` removes temporary files left by a killed run: every temp of ``dest``
(the lock is ours, so none is live) and other rak-xl temps in the folder whose process is
gone or which are older than ``STALE_AFTER``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from rak_xl.errors import WriteFailed, os_reason

__all__ = ["STALE_AFTER", "TEMP_MARK", "Guard", "excel_owner", "lock_path", "sweep", "writing"]

STALE_AFTER = 3600.0  # seconds; the longest write (Susun Ulang at 3,000 kegiatan) is ~1 min
TEMP_MARK = ".rak-xl-"  # in every temp name: ``.{stem}.rak-xl-{pid}-XXXXXXXX{suffix}``
_LOCK_SUFFIX = ".rak-xl-lock"
_TEMP_PID = re.compile(r"^\..*\.rak-xl-(\d+)-[^/]*$")
_held = threading.local()  # resolved dest -> Guard, per thread


# Names are cut so that a workbook whose own name is near the 255-byte limit still gets a
# lock and a temp file (two long names sharing a cut prefix only serialise their writes).
_KEEP = 120


def lock_path(dest: Path) -> Path:
    return dest.parent / f".{dest.name[:_KEEP]}{_LOCK_SUFFIX}"


def temp_prefix(dest: Path) -> str:
    """How temp files of ``dest`` begin (``safe_write`` adds the pid and mkstemp's part)."""
    return f".{dest.stem[:_KEEP]}{TEMP_MARK}"


def excel_owner(path: Path) -> Path | None:
    """The owner file Excel (or LibreOffice) keeps beside an open workbook, if any."""
    for name in (f"~${path.name}", f".~lock.{path.name}#"):
        owner = path.parent / name
        if os.path.lexists(owner):  # False, not an error, for a name too long to exist
            return owner
    return None


def _fingerprint(path: Path) -> tuple[int, str] | None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a FIFO would block the open; the reader refuses it anyway
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return size, digest.hexdigest()


class Guard:
    """What was true when the write began; ``check()`` refuses if it no longer is."""

    def __init__(self, src: Path, dest: Path) -> None:
        self.src, self.dest = src, dest
        self.before = _fingerprint(src)

    def check(self) -> None:
        _refuse_if_open(self.dest)
        if _fingerprint(self.src) != self.before:
            raise WriteFailed(
                f"File {self.src.absolute()} diubah program lain selama rak-xl bekerja; "
                "hasil rak-xl tidak disimpan agar perubahan itu tidak hilang, jalankan "
                "perintahnya lagi."
            )


def _refuse_if_open(dest: Path) -> None:
    owner = excel_owner(dest)
    if owner is not None:
        raise WriteFailed(
            f"File {dest.absolute()} sedang dibuka di Excel; tutup file itu lalu jalankan "
            f"lagi (bila Excel sudah ditutup, hapus file {owner.name} di folder yang sama)."
        )


@contextlib.contextmanager
def writing(src: Path, dest: Path) -> Iterator[Guard]:
    """Hold the lock of ``dest`` (see the module docstring); re-entrant in a thread."""
    held: dict[Path, Guard] = _held.__dict__.setdefault("guards", {})
    key = dest.absolute()
    if key in held:  # the CLI took it before reading: keep its fingerprint
        yield held[key]
        return
    _refuse_if_open(dest)
    lock = lock_path(dest)
    token = _acquire(lock, dest)
    try:
        guard = held[key] = Guard(src, dest)
        yield guard
    finally:
        held.pop(key, None)
        _release(lock, token)


# --------------------------------------------------------------------------- the lock


def _acquire(lock: Path, dest: Path) -> str:
    token = f"{os.getpid()} {socket.gethostname()} {time.time():.0f} {os.urandom(4).hex()}"
    for attempt in (1, 2):
        try:
            _create(lock, token)
        except FileExistsError:
            holder = _read(lock)
            if attempt == 1 and _stale(lock, holder):
                _break(lock, holder)
                continue
            pid = holder.split()[0] if holder[:1].isdigit() else "?"
            pid = pid if pid.isdigit() else "?"  # never the lock's raw bytes in a message
            raise WriteFailed(
                f"File {dest.absolute()} sedang diubah oleh perintah rak-xl lain (proses "
                f"{pid}); tunggu sampai selesai lalu jalankan lagi (bila tidak ada yang "
                f"berjalan, hapus file {lock.name} di folder itu)."
            ) from None
        except OSError as exc:
            raise WriteFailed(
                f"Folder {dest.parent.absolute()} tidak bisa ditulisi ({os_reason(exc)}); "
                f"{dest.name} tidak diubah."
            ) from None
        return token
    raise AssertionError("unreachable")  # the second attempt returns or raises


def _create(lock: Path, token: str) -> None:
    fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, token.encode())
    except BaseException:  # a full disk, or Ctrl+C: no half-made lock stays behind
        os.close(fd)
        lock.unlink(missing_ok=True)
        raise
    os.close(fd)


def _release(lock: Path, token: str) -> None:
    with contextlib.suppress(OSError):
        if _read(lock) == token:  # never remove a lock that is no longer ours
            lock.unlink()


def _read(lock: Path) -> str:
    """The lock's token; "" for anything that is not a small regular file. The lock is
    untrusted too: a FIFO in its place must not block, a link to /dev/zero or a huge
    file must not be read whole (only a regular file is read, at most 200 bytes)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(lock, flags)
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        return os.read(fd, 200).decode("ascii", errors="replace")
    except OSError:
        return ""
    finally:
        os.close(fd)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _stale(lock: Path, holder: str) -> bool:
    parts = holder.split()
    if len(parts) < 2 or not parts[0].isdigit():
        return _age(lock) > 10  # created but never written: its process died at once
    if parts[1] == socket.gethostname() and _dead(int(parts[0])):
        return True
    return _age(lock) > STALE_AFTER


def _dead(pid: int) -> bool:
    """Whether no process ``pid`` runs here (POSIX; elsewhere unknown: False)."""
    if os.name != "posix":
        return False  # os.kill(pid, 0) would terminate the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # exists, owned by another user
    return False


def _break(lock: Path, holder: str) -> None:
    """Remove a stale lock, unless another process replaced it meanwhile."""
    aside = lock.with_name(f"{lock.name}.{os.getpid()}-{os.urandom(4).hex()}")
    try:
        os.rename(lock, aside)
    except OSError:
        return  # gone already: the retry creates ours
    with contextlib.suppress(OSError):  # not a file (a folder in its place): the retry says so
        if _read(aside) != holder:
            os.link(aside, lock)  # a fresh lock after all: put it back (never over another)
        aside.unlink()


# --------------------------------------------------------------------------- temp files


def sweep(dest: Path) -> None:
    """Remove temp files of killed runs beside ``dest`` (call while holding its lock)."""
    own = temp_prefix(dest)
    try:
        entries = list(os.scandir(dest.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if TEMP_MARK not in name or not name.startswith(".") or name.endswith(_LOCK_SUFFIX):
            continue
        m = _TEMP_PID.match(name)
        mine = name.startswith(own) and name.endswith(dest.suffix)
        if mine or (m and _left_behind(Path(entry.path), int(m.group(1)))):
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)


def _left_behind(path: Path, pid: int) -> bool:
    """Another workbook's temp: its run is over (pid gone, and not just started on another
    host sharing the folder) or it is older than any run."""
    age = _age(path)
    return (age > 600 and _dead(pid)) or age > STALE_AFTER
