"""Atomic, verified writes that never lose the user's workbook.

``atomic_update(src, write)``:

1. ``write(tmp)`` writes the complete new file to a temporary file *in the destination
   folder* (same filesystem, so the final rename is atomic); its name ends with the
   destination's suffix because openpyxl refuses other extensions.
2. The temp file is checked (non-empty, a readable zip) and ``verify(tmp)`` re-reads it.
3. When the destination exists, a timestamped copy of it is kept in a ``.rak-xl-backup``
   folder beside it (``.rak-xl-backup/RAK.20261128-013000.xlsx``). A folder rather than
   siblings, so ``rak-xl validate *.xlsx`` over a folder of RAKs never picks up backups.
4. Right before the replace, ``file_lock.Guard.check()``: the file is not open in Excel
   and ``src`` has not changed since the write began (or since the CLI read it).
5. ``os.replace(tmp, dest)``: the destination switches from old to new in one step.

All of it happens under the workbook's lock (``rak_xl.file_lock``): one rak-xl writer per
file. ``exclusive(src, output)`` takes that lock earlier, for a whole command (read ->
write). Temp files are dot-named with the writer's pid, and a run sweeps those that a
killed run left beside its destination.

Any failure before step 5 completes leaves the destination byte-identical, removes the temp
file (and a backup made for nothing) and raises ``WriteFailed`` with one Indonesian
sentence. ``.xls``/``.ods`` sources are never overwritten: the new workbook is written as a
``.xlsx`` beside them and ``WriteResult.converted`` says so.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rak_xl import file_lock
from rak_xl.errors import RakError, WriteFailed, os_reason

__all__ = [
    "BACKUP_DIR",
    "WriteResult",
    "atomic_update",
    "backup_path",
    "destination_for",
    "exclusive",
]

BACKUP_DIR = ".rak-xl-backup"
_OLD_FORMATS = (".xls", ".ods")


@dataclass(frozen=True)
class WriteResult:
    """Where the new workbook is, and where the previous one was kept."""

    path: Path
    backup: Path | None = None
    converted: bool = False  # the source was .xls/.ods; ``path`` is a new .xlsx beside it
    source: Path | None = None

    def message(self) -> str:
        """One or two Indonesian sentences telling the user where things are."""
        parts = [f"Disimpan ke {self.path.absolute()}."]
        if self.converted and self.source is not None:
            parts = [
                f"{self.source.name} berformat lama, jadi hasilnya disimpan sebagai file baru "
                f"{self.path.absolute()}; file aslinya tidak diubah."
            ]
        if self.backup is not None:
            parts.append(f"Salinan versi sebelumnya: {self.backup.absolute()}.")
        return " ".join(parts)


def destination_for(src: Path, output: Path | None = None) -> Path:
    """The file a write of ``src`` lands in: ``output``, or ``src`` itself, or a new
    ``.xlsx`` beside an ``.xls``/``.ods`` source."""
    if output is not None:
        return Path(output)
    src = Path(src)
    if src.suffix.lower() in _OLD_FORMATS:
        return src.with_suffix(".xlsx")
    return src


def backup_path(dest: Path, now: _dt.datetime | None = None) -> Path:
    """A new, unused backup name for ``dest`` (timestamp to the second, then -2, -3 ...)."""
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = dest.parent / BACKUP_DIR
    stem = dest.stem[:200]  # room for the stamp within a 255-byte name
    candidate = folder / f"{stem}.{stamp}{dest.suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}.{stamp}-{n}{dest.suffix}"
        n += 1
    return candidate


def _target(src: Path, output: Path | None) -> Path:
    dest = destination_for(src, output)
    try:
        if dest.is_symlink():
            dest = dest.resolve()  # update the file the link points to, keep the link
        odd = dest.exists() and not dest.is_file()  # a folder, /dev/null, a FIFO
        # No write permission for anyone: the user (or the office) made it read-only, as
        # Excel honours; a rename would replace it anyway (and root ignores the bits).
        locked = dest.is_file() and not stat.S_IMODE(dest.stat().st_mode) & 0o222
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of links
        reason = os_reason(exc) if isinstance(exc, OSError) else "tautan yang berputar"
        raise WriteFailed(f"File {dest.absolute()} tidak bisa dipakai ({reason}).") from None
    if odd:
        raise WriteFailed(
            f"{dest.absolute()} bukan file biasa, jadi tidak ditimpa; pilih file .xlsx "
            "untuk hasilnya."
        )
    if locked:
        raise WriteFailed(
            f"File {dest.absolute()} bertanda hanya-baca (read-only), jadi tidak ditimpa; "
            "hilangkan tanda itu (Properties file) bila memang boleh diubah, lalu jalankan lagi."
        )
    return dest


@contextlib.contextmanager
def exclusive(src: Path, output: Path | None = None) -> Iterator[None]:
    """Hold the lock of the file a write of ``src`` lands in for a whole command, and
    remember ``src`` as it was before the command read it (``rak_xl.file_lock``)."""
    src = Path(src)
    if os.path.exists(src) and not os.path.isfile(src) and output is None:
        yield  # a folder or a FIFO: the reader refuses it, and nothing is written
        return
    dest = _target(src, output)
    if not dest.parent.is_dir():
        yield  # nothing can be written there; the write says so
        return
    with file_lock.writing(src, dest):
        yield


def atomic_update(
    src: Path,
    write: Callable[[Path], None],
    *,
    verify: Callable[[Path], None] | None = None,
    output: Path | None = None,
) -> WriteResult:
    """Write a new version of ``src`` (or ``output``) without ever damaging the original.

    See the module docstring for the steps. ``output`` given and different from ``src``:
    written there, and a file already at ``output`` is replaced without a backup (it is
    the user's chosen target, not their workbook).
    """
    src = Path(src)
    converted = output is None and destination_for(src, output) != src
    dest = _target(src, output)
    in_place = output is None or _same_file(dest, src)
    if not dest.parent.is_dir():
        raise WriteFailed(f"Folder {dest.parent.absolute()} tidak ada; {dest.name} tidak ditulis.")
    with file_lock.writing(src, dest) as guard:
        file_lock.sweep(dest)
        backup = _replace(dest, write, verify, guard, in_place)
    return WriteResult(path=dest, backup=backup, converted=converted, source=src)


def _replace(
    dest: Path,
    write: Callable[[Path], None],
    verify: Callable[[Path], None] | None,
    guard: file_lock.Guard,
    in_place: bool,
) -> Path | None:
    """Steps 1-5 of the module docstring, under the lock; the backup made, if any."""
    name = str(dest.absolute())
    tmp: Path | None = None
    backup: Path | None = None
    replaced = False
    try:
        holder: list[Path] = []
        _step(name, "menyiapkan file sementara untuk", _make_tmp, dest, holder)
        tmp = holder[0]
        _step(name, "menulis", write, tmp)
        _step(name, "memeriksa", _check_zip, tmp)
        if verify is not None:
            _step(name, "memeriksa", verify, tmp)
        _fsync(tmp)
        _copy_mode(dest if dest.exists() else None, tmp)
        if in_place and dest.exists():
            backup = backup_path(dest)
            _step(name, "membuat cadangan", _copy, dest, backup)
        guard.check()
        _step(name, "mengganti", os.replace, tmp, dest)
        tmp, replaced = None, True
        _fsync_dir(dest.parent)
    except BaseException:
        # Roll back whatever exists of this attempt; the destination was not replaced.
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if backup is not None and not replaced:
            with contextlib.suppress(OSError):
                backup.unlink()
                backup.parent.rmdir()  # only succeeds when the folder is now empty
        raise
    return backup


def _make_tmp(dest: Path, holder: list[Path]) -> None:
    # Dot-named (hidden) with our pid: a run killed mid-write leaves it to be swept.
    fd, tmp_name = tempfile.mkstemp(
        prefix=f"{file_lock.temp_prefix(dest)}{os.getpid()}-", suffix=dest.suffix, dir=dest.parent
    )
    os.close(fd)
    holder.append(Path(tmp_name))


def _step(name: str, what: str, fn: Callable[..., object], *args: object) -> None:
    """Run one step, turning any failure into ``WriteFailed`` with a plain message."""
    try:
        fn(*args)
    except WriteFailed:
        raise
    except RakError as exc:
        raise WriteFailed(f"{exc.message.rstrip('.')}; {name} tidak diubah.") from exc
    except PermissionError as exc:
        raise WriteFailed(
            f"Gagal {what} {name} (akses ditolak); tutup file itu di Excel lalu coba lagi, "
            "file aslinya tidak diubah."
        ) from exc
    except OSError as exc:
        raise WriteFailed(
            f"Gagal {what} {name} ({os_reason(exc)}); file aslinya tidak diubah."
        ) from exc
    except Exception as exc:
        raise WriteFailed(
            f"Gagal {what} {name} ({type(exc).__name__}: {exc}); file aslinya tidak diubah."
        ) from exc


def _check_zip(path: Path) -> None:
    """The least every .xlsx/.xlsm must be: a non-empty zip whose parts all read back."""
    if path.stat().st_size == 0:
        raise ValueError("file hasil kosong")
    with zipfile.ZipFile(path) as zf:
        bad = zf.testzip()
        if bad is not None:
            raise ValueError(f"bagian {bad} rusak")


def _copy(src: Path, dst: Path) -> None:
    folder = dst.parent
    if os.path.lexists(folder) and not folder.is_dir():  # a file (or dead link) of that name
        raise WriteFailed(
            f"Cadangan tidak bisa dibuat: {folder.absolute()} bukan folder; ganti nama atau "
            f"pindahkan file itu lalu jalankan lagi; {src.absolute()} tidak diubah."
        )
    folder.mkdir(exist_ok=True)
    shutil.copy2(src, dst)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _copy_mode(original: Path | None, tmp: Path) -> None:
    """mkstemp makes 0600 files; give the new file the original's (or the usual) mode."""
    if original is not None:
        mode = stat.S_IMODE(original.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError), open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
