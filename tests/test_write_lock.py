"""One writer at a time and nothing left behind (issue 16.3, 16.11), with real processes:
two commands on one workbook, Excel's owner file, a file changed between read and write,
SIGTERM, a killed run, a full disk."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_run import SEED, env, one_sentence, rak_xl, sheet_names

from rak_xl import file_lock
from rak_xl.errors import WriteFailed
from rak_xl.safe_write import BACKUP_DIR, atomic_update, exclusive

pytestmark = pytest.mark.slow  # real processes racing for one workbook

BUSY = "sedang diubah oleh perintah rak-xl lain"


@pytest.fixture
def rak(tmp_path: Path) -> Path:
    folder = tmp_path / "kantor"
    folder.mkdir()
    return Path(shutil.copy(SEED, folder / "rak.xlsx"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(done.stdout)


# --------------------------------------------------------------------------- two writers


@pytest.mark.parametrize("turn", range(3))
def test_regenerate_and_mark_started_together(rak: Path, turn: int) -> None:
    """The issue's scenario: either both effects are in the file, or one command refused
    with a sentence and the other's effect is there; never both "done" and marks gone."""
    procs = {
        cmd[0]: subprocess.Popen(
            [sys.executable, "-m", "rak_xl", *cmd, str(rak)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        for cmd in (["regenerate"], ["validate", "--mark"])
    }
    codes, errs = {}, {}
    for name, proc in procs.items():
        _, errs[name] = proc.communicate(timeout=120)
        codes[name] = proc.returncode
    assert codes["regenerate"] in (0, 2) and codes["validate"] in (1, 2), (codes, errs)
    sheets = sheet_names(rak)
    regenerated = any(s.endswith("(cadangan)") for s in sheets)
    marked = "Temuan" in sheets
    if codes["regenerate"] == 0:
        assert regenerated, sheets
    else:
        one_sentence(errs["regenerate"], BUSY)
    if codes["validate"] == 1:
        assert marked, sheets
    else:
        one_sentence(errs["validate"], BUSY)
    assert codes != {"regenerate": 2, "validate": 2}
    assert _listing(rak.parent) == [BACKUP_DIR, "rak.xlsx"]  # no lock, no temp file


def test_lock_of_a_running_command_refuses(rak: Path) -> None:
    lock = file_lock.lock_path(rak)
    lock.write_text(f"{os.getpid()} {socket.gethostname()} {time.time():.0f} abcd")
    before = _sha(rak)
    for cmd in (["regenerate"], ["recalc"], ["validate", "--mark"]):
        done = rak_xl(cmd[0], rak, *cmd[1:])
        assert done.returncode == 2
        one_sentence(done.stderr, str(rak), BUSY, f"(proses {os.getpid()})", "tunggu")
    assert _sha(rak) == before and lock.exists()  # another's lock is not ours to remove
    assert rak_xl("validate", rak).returncode == 1  # reading needs no lock


@pytest.mark.parametrize("holder", ["dead pid", "old, other host", "empty, old"])
def test_stale_lock_is_broken(rak: Path, holder: str) -> None:
    lock = file_lock.lock_path(rak)
    if holder == "dead pid":
        lock.write_text(f"{_dead_pid()} {socket.gethostname()} {time.time():.0f} abcd")
    else:
        lock.write_text("" if holder.startswith("empty") else "1 komputer-lain 0 abcd")
        old = time.time() - file_lock.STALE_AFTER - 60
        os.utime(lock, (old, old))
    done = rak_xl("regenerate", rak)
    assert done.returncode == 0, done.stderr
    assert _listing(rak.parent) == [BACKUP_DIR, "rak.xlsx"]


@pytest.mark.parametrize("owner", ["~$rak.xlsx", ".~lock.rak.xlsx#"])
def test_workbook_open_in_excel_is_not_written(rak: Path, owner: str) -> None:
    (rak.parent / owner).write_bytes(b"\x00" * 165)  # what Excel / LibreOffice keep
    before = _sha(rak)
    for cmd in (["regenerate"], ["recalc"], ["validate", "--mark"]):
        done = rak_xl(cmd[0], rak, *cmd[1:])
        assert done.returncode == 2
        one_sentence(done.stderr, str(rak), "sedang dibuka di Excel", "tutup", owner)
    assert _sha(rak) == before
    assert _listing(rak.parent) == sorted([owner, "rak.xlsx"])
    assert rak_xl("validate", rak).returncode == 1  # reading it is fine
    out = rak.parent / "salinan.xlsx"  # writing elsewhere is fine too
    assert rak_xl("regenerate", rak, "-o", out).returncode == 0


def _edit(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data + b"\0")  # "saved by Excel" while rak-xl worked


def test_file_changed_between_read_and_write(rak: Path) -> None:
    """The CLI's lock covers the read: a change after it refuses the replace."""
    with exclusive(rak):
        _edit(rak)  # after the command read the file
        changed = _sha(rak)
        with pytest.raises(WriteFailed, match="diubah program lain selama rak-xl bekerja"):
            atomic_update(rak, lambda tmp: shutil.copy(SEED, tmp))
    assert _sha(rak) == changed  # the other program's save is kept
    assert _listing(rak.parent) == ["rak.xlsx"]


def test_file_changed_during_the_write(rak: Path) -> None:
    def write(tmp: Path) -> None:
        _edit(rak)
        shutil.copy(SEED, tmp)

    with pytest.raises(WriteFailed, match="diubah program lain"):
        atomic_update(rak, write)
    assert _listing(rak.parent) == ["rak.xlsx"]


def test_lock_is_reentrant_and_removed(rak: Path) -> None:
    lock = file_lock.lock_path(rak)
    with exclusive(rak):
        assert lock.exists() and lock.name.startswith(".")
        atomic_update(rak, lambda tmp: shutil.copy(SEED, tmp))  # the CLI's lock is reused
        assert lock.exists()
    assert not lock.exists()
    with pytest.raises(KeyboardInterrupt), exclusive(rak):
        raise KeyboardInterrupt
    assert not lock.exists()


# --------------------------------------------------------------------------- interrupted


# A command slowed down right after its temp file is complete (a fake of our own code):
# the marker file says the temp file and the lock exist now.
SLOW = """
import sys, time
from pathlib import Path
import rak_xl.safe_write as sw
marker, check = Path(sys.argv[1]), sw._check_zip
def slow(tmp):
    check(tmp)
    marker.write_text(str(tmp))
    time.sleep(60)
sw._check_zip = slow
from rak_xl.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.fixture
def slow_run(rak: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    marker = tmp_path / "temp-file-written"
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW, str(marker), "regenerate", str(rak)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), proc.communicate()
    tmp = Path(marker.read_text())
    assert tmp.exists() and tmp.parent == rak.parent and tmp.name.startswith(".rak.rak-xl-")
    assert file_lock.lock_path(rak).exists()
    try:
        yield proc, tmp
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_cleans_up(
    rak: Path, slow_run: tuple[subprocess.Popen[str], Path], signum: int
) -> None:
    proc, _tmp = slow_run
    before = _sha(SEED)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == (130 if signum == signal.SIGINT else 128 + signum)
    one_sentence(err, "dibatalkan" if signum == signal.SIGINT else "dihentikan")
    assert out == ""
    assert _sha(rak) == before
    assert _listing(rak.parent) == ["rak.xlsx"]  # temp file and lock removed


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_killed_run_is_swept_by_the_next(
    rak: Path, slow_run: tuple[subprocess.Popen[str], Path]
) -> None:
    proc, tmp = slow_run
    proc.kill()  # SIGKILL: no cleanup can run
    proc.wait(timeout=60)
    lock = file_lock.lock_path(rak)
    assert _listing(rak.parent) == sorted([lock.name, tmp.name, "rak.xlsx"])
    assert all(name.startswith(".") for name in (lock.name, tmp.name))  # hidden
    done = rak_xl("regenerate", rak)
    assert done.returncode == 0, done.stderr
    assert _listing(rak.parent) == [BACKUP_DIR, "rak.xlsx"]


def test_sweep_leaves_live_temps_of_other_workbooks(tmp_path: Path) -> None:
    dest = tmp_path / "a.xlsx"
    dead = _dead_pid()
    ages = {  # name: (age in seconds, swept?)
        f".a.rak-xl-{os.getpid()}-x1.xlsx": (0, True),  # dest's own: its lock is held
        ".a.rak-xl-x2.xlsx": (0, True),  # an older version's name, dest's own
        f".b.rak-xl-{dead}-x3.xlsx": (900, True),  # its process is gone
        f".b.rak-xl-{dead}-x4.xlsx": (5, False),  # just started, perhaps on another host
        f".c.rak-xl-{os.getpid()}-x5.xlsx": (900, False),  # its process runs
        f".c.rak-xl-{os.getpid()}-x6.xlsx": (file_lock.STALE_AFTER + 60, True),  # too old
        ".a.xlsx.rak-xl-lock": (0, False),  # a lock is not a temp file
        "laporan.rak-xl-1-x.xlsx": (900, False),  # not hidden: not ours
    }
    now = time.time()
    for name, (age, _) in ages.items():
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (now - age, now - age))
    file_lock.sweep(dest)
    assert _listing(tmp_path) == sorted(n for n, (_, swept) in ages.items() if not swept)


# --------------------------------------------------------------------------- full disk

FULL_DISK = """
set -e
mount -t tmpfs -o size=20k tmpfs "$1"
cp "$2" "$1/rak.xlsx"
set +e
"$3" -m rak_xl regenerate "$1/rak.xlsx" 2>"$4/err.txt"
echo "$?" > "$4/rc.txt"
ls -A "$1" > "$4/listing.txt"
cmp -s "$2" "$1/rak.xlsx" && echo same > "$4/same.txt"
"""


def test_disk_full_is_one_sentence(tmp_path: Path) -> None:
    """A real full disk: a 20 KB tmpfs (in a user namespace) holding the 11 KB workbook."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) not installed: no tmpfs without root")
    mnt, out = tmp_path / "mnt", tmp_path / "out"
    mnt.mkdir()
    out.mkdir()
    done = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            FULL_DISK,
            "sh",
            str(mnt),
            str(SEED),
            sys.executable,
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
        check=False,
    )
    if not (out / "rc.txt").exists():
        pytest.skip(f"no user namespace with tmpfs here: {done.stderr.strip()}")
    assert (out / "rc.txt").read_text().strip() == "2"
    one_sentence((out / "err.txt").read_text(), "disk penuh", "file aslinya tidak diubah")
    assert (out / "same.txt").exists()  # the workbook is byte-identical
    assert (out / "listing.txt").read_text().split() == ["rak.xlsx"]


# --------------------------------------------------------------------------- odd paths


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("cmd", [["regenerate"], ["recalc"], ["validate", "--mark"]])
def test_fifo_or_folder_in_place_of_the_workbook(tmp_path: Path, cmd: list[str]) -> None:
    fifo = tmp_path / "rak.xlsx"
    os.mkfifo(fifo)  # nobody writes: opening it to hash or read would wait forever
    folder = tmp_path / "map.xlsx"
    folder.mkdir()
    for path, words in [(fifo, "bukan file biasa"), (folder, "adalah folder")]:
        done = rak_xl(cmd[0], path, *cmd[1:], timeout=60)
        assert done.returncode == 2
        one_sentence(done.stderr, str(path), words)
    assert _listing(tmp_path) == ["map.xlsx", "rak.xlsx"]


@pytest.mark.parametrize("target", ["folder", "/dev/null"])
def test_output_that_is_no_file_is_refused(rak: Path, target: str) -> None:
    out = rak.parent / "hasil" if target == "folder" else Path(target)
    if target == "folder":
        out.mkdir()
    done = rak_xl("regenerate", rak, "-o", out)
    assert done.returncode == 2
    one_sentence(done.stderr, str(out), "bukan file biasa")
    assert not file_lock.lock_path(out).exists()


def test_name_near_the_length_limit(tmp_path: Path) -> None:
    rak = Path(shutil.copy(SEED, tmp_path / ("r" * 245 + ".xlsx")))  # 250 of 255 bytes
    done = rak_xl("validate", "--mark", rak)
    assert done.returncode == 1, done.stderr
    assert _listing(tmp_path) == [BACKUP_DIR, rak.name]


def test_file_name_with_a_line_break_stays_one_line(tmp_path: Path) -> None:
    odd = tmp_path / "rak\nbaru\x1b[2J.xlsx"
    done = rak_xl("regenerate", odd)
    assert done.returncode == 2
    one_sentence(done.stderr, "rak\\nbaru\\x1b[2J.xlsx", "tidak ditemukan")


def test_unusable_names_are_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").symlink_to(tmp_path / "b.xlsx")
    (tmp_path / "b.xlsx").symlink_to(tmp_path / "a.xlsx")  # a loop of links
    long = tmp_path / ("a" * 300 + ".xlsx")
    for args, words in [
        (["regenerate", long], "nama file terlalu panjang"),
        (["regenerate", SEED, "-o", long], "nama file terlalu panjang"),
        (["validate", long], "nama file terlalu panjang"),
        (["regenerate", tmp_path / "a.xlsx"], "tautan yang berputar"),
        (["validate", "--mark", tmp_path / "a.xlsx"], "tautan yang berputar"),
    ]:
        done = rak_xl(*args)
        assert done.returncode == 2
        one_sentence(done.stderr, words)
    assert _listing(tmp_path) == ["a.xlsx", "b.xlsx"]
