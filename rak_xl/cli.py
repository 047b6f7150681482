"""Command line: ``rak-xl export|validate|recalc|regenerate|template``.

The CLI is the exception boundary: a ``RakError`` becomes one Indonesian sentence on
stderr and its exit code; nothing else reaches the user as a traceback. Everything printed
passes ``rak_xl.console`` (cell text made visible, any console encoding). SIGTERM and
SIGHUP unwind like Ctrl+C, so a stopped write removes its temp file and its lock. The
commands that write hold the workbook's lock from before reading to after writing
(``safe_write.exclusive``).

argparse speaks Indonesian through a translation table of its own message ids: argparse
builds every text it shows (usage, help headings, each error) from a msgid passed to its
module-level ``_``/``ngettext`` (its gettext hook), so the table swapped in while the
parser is built and run translates all of them, new Python versions included as long as
they keep the msgid. A subclass would have to re-parse argparse's finished English
sentences instead. The swap lasts only for the parse (``_indonesian``): a host process
(pytest, a notebook) keeps its own argparse texts.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType

from rak_xl import __version__
from rak_xl.console import OutputLost, guarded, write_json
from rak_xl.errors import RakError

TYPE_CHECKING = False  # type checkers read it as True; no ``typing`` import before the parse
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["main"]

# argparse msgid -> Indonesian (Python 3.11-3.13 texts; an unknown msgid stays English).
_ID = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen",
    "options": "pilihan",
    "optional arguments": "pilihan",
    "subcommands": "perintah",
    "show this help message and exit": "tampilkan bantuan ini lalu selesai",
    "show program's version number and exit": "tampilkan versi rak-xl lalu selesai",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "nilai %r tidak dipakai pilihan ini",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "expected %s argument": "perlu %s nilai",
    "expected %s arguments": "perlu %s nilai",
    "ambiguous option: %(option)s could match %(matches)s": (
        "pilihan %(option)s kurang jelas, bisa berarti %(matches)s"
    ),
    "unexpected option string: %s": "pilihan tidak terduga: %s",
    "invalid %(type)s value: %(value)r": "nilai %(value)r tidak sah",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "pilihan %(value)r tidak dikenal (pilih salah satu: %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)"
    ),
    "%(prog)s: error: %(message)s\n": "%(prog)s: %(message)s\n",
}


@contextlib.contextmanager
def _indonesian() -> Iterator[None]:
    """argparse's gettext hook answering from ``_ID`` (see the module docstring)."""

    def gettext(msgid: str) -> str:
        return _ID.get(msgid, msgid)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One sentence and exit 2 (argparse prints the usage and "error:" on two lines)."""
        self.exit(2, f"{self.prog}: {message}; lihat '{self.prog} --help'.\n")


def _tolerance(text: str) -> float:
    """``--money-tolerance``: a finite, non-negative amount (``500``, ``1.000``, ``0,5``)."""
    from rak_xl.numbers import in_range, parse_number  # only when the option is given

    value = parse_number(text)
    if value is None or value < 0 or not in_range(value):
        raise argparse.ArgumentTypeError(
            f"'{text}' bukan jumlah uang yang sah, tulis angka nol atau lebih (misalnya 500)"
        )
    return float(value)


_FILE_HELP = "workbook RAK (.xlsx, .xlsm, .xls, .ods)"
_SHEET_HELP = "nama sheet RAK (bawaan: dicari otomatis)"


_COMMANDS = ("export", "validate", "recalc", "regenerate", "template")


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; ``only``: the command named first, the one sub-parser built (a
    few milliseconds of argparse per command saved; what ``--help`` and any error of that
    command print is the same). Anything else (``--help``, a wrong command) gets all."""

    def wanted(name: str) -> bool:
        return only is None or name == only

    p = _Parser(
        prog="rak-xl",
        description="Periksa, hitung, dan susun ulang lembar Rencana Aksi Kinerja (RAK).",
    )
    p.add_argument("--version", action="version", version=f"rak-xl {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="PERINTAH")

    if wanted("export"):
        e = sub.add_parser("export", help="cetak model RAK sebagai JSON")
        e.add_argument("file", type=Path, metavar="FILE", help=_FILE_HELP)
        e.add_argument("--sheet", metavar="NAMA", help=_SHEET_HELP)
    if wanted("validate"):
        _validate_parser(sub)
    for name, text in [
        ("recalc", "susun ulang rumus jumlah (Hitung Ulang)"),
        ("regenerate", "bangun ulang lembar RAK resmi (Susun Ulang)"),
    ]:
        if not wanted(name):
            continue
        w = sub.add_parser(name, help=text)
        w.add_argument("file", type=Path, metavar="FILE", help=_FILE_HELP)
        w.add_argument("--sheet", metavar="NAMA", help=_SHEET_HELP)
        w.add_argument(
            "-o",
            "--output",
            type=Path,
            metavar="FILE",
            help="simpan hasilnya ke file ini (bawaan: file itu sendiri)",
        )
    if wanted("template"):
        t = sub.add_parser("template", help="bangun workbook_template.xlsm dari sumber")
        t.add_argument(
            "-o",
            "--output",
            type=Path,
            metavar="FILE",
            default=Path("workbook_template.xlsm"),
            help="file template yang dibuat (bawaan: workbook_template.xlsm)",
        )
    return p


def _validate_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    v = sub.add_parser("validate", help="periksa RAK dan laporkan temuan")
    v.add_argument("file", type=Path, metavar="FILE", help=_FILE_HELP)
    v.add_argument("--sheet", metavar="NAMA", help=_SHEET_HELP)
    v.add_argument("--json", action="store_true", help="laporan sebagai JSON")
    v.add_argument(
        "--mark",
        action="store_true",
        help="tandai temuan di dalam file (warna, catatan, sheet Temuan; cadangan disimpan)",
    )
    v.add_argument(
        "--dpa",
        type=Path,
        metavar="FILE",
        help="kas per bulan menurut DPA: JSON {uraian kegiatan: [12 angka]} atau CSV "
        "(uraian;Jan;..;Des), untuk membandingkan kas per bulan",
    )
    v.add_argument(
        "--money-tolerance",
        type=_tolerance,
        default=0.0,
        metavar="RP",
        help="selisih uang yang masih dianggap sama (bawaan 0: harus persis)",
    )


def _run(args: argparse.Namespace) -> int:
    # Imports are per command so that each command loads only what it uses.
    if args.command == "export":
        from rak_xl.api import keep_until_exit, load, paused_gc

        with paused_gc():
            rak = load(args.file, sheet=args.sheet, prefetch=("rak_xl.jsontext",))
            from rak_xl.jsontext import dumps

            # One write: ``json.dump`` hands the stream each of its many small pieces,
            # twice as slow for a large RAK. Standard JSON only (``allow_nan=False``: the
            # reader keeps NaN and infinities out of the model).
            data = rak.to_json()
            text = dumps(data)
        write_json(text + "\n")
        keep_until_exit(rak, data)
        return 0
    if args.command == "validate":
        from rak_xl.validate_cmd import cli_validate

        return cli_validate(
            args.file,
            sheet=args.sheet,
            as_json=args.json,
            mark=args.mark,
            dpa=args.dpa,
            money_tolerance=args.money_tolerance,
        )
    if args.command == "recalc":
        from rak_xl.regenerate import cli_recalc

        return cli_recalc(args.file, sheet=args.sheet, output=args.output)
    if args.command == "regenerate":
        from rak_xl.regenerate import cli_regenerate

        return cli_regenerate(args.file, sheet=args.sheet, output=args.output)
    if args.command == "template":
        from rak_xl.xlsm.template import cli_template

        return cli_template(args.output)
    raise AssertionError(args.command)  # argparse guarantees one of the above


def _locked(args: argparse.Namespace) -> contextlib.AbstractContextManager[None]:
    """The workbook's lock for a command that writes it, from before it is read."""
    if args.command in ("recalc", "regenerate") or (args.command == "validate" and args.mark):
        from rak_xl.safe_write import exclusive

        return exclusive(args.file, getattr(args, "output", None))
    return contextlib.nullcontext()


class _Stopped(KeyboardInterrupt):
    """SIGTERM/SIGHUP: unwinds like Ctrl+C, so every cleanup (temp file, lock) runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set in the main thread
        return
    wanted = [getattr(signal, n) for n in ("SIGTERM", "SIGHUP", "SIGBREAK") if hasattr(signal, n)]
    # A signal the caller ignores (``nohup``) stays ignored.
    signals = [s for s in wanted if signal.getsignal(s) is not signal.SIG_IGN]

    def stop(signum: int, _frame: FrameType | None) -> None:
        for s in signals:  # the cleanup runs once, not interrupted by a second signal
            signal.signal(s, signal.SIG_IGN)
        raise _Stopped(signum)

    saved: dict[int, Callable[[int, FrameType | None], object] | int | None] = {
        s: signal.signal(s, stop) for s in signals
    }
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def _say(text: str) -> None:
    """A line on stderr; a stderr that cannot be written to is not worth a traceback."""
    with contextlib.suppress(Exception):
        print(text, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    with guarded(), _stop_on_signals():
        try:
            argv = sys.argv[1:] if argv is None else list(argv)
            with _indonesian():
                args = _parser(argv[0] if argv and argv[0] in _COMMANDS else None).parse_args(argv)
            with _locked(args):
                code = _run(args)
            sys.stdout.flush()  # a full disk or closed pipe shows here, not at exit
            return code
        except SystemExit as done:  # --help, or a usage error already printed
            return done.code if isinstance(done.code, int) else 2
        except OutputLost as err:
            if err.message:
                _say(f"rak-xl: {err}")
            return err.exit_code
        except RakError as err:
            _say(f"rak-xl: {err}")
            return err.exit_code
        except _Stopped as stop:
            _say("rak-xl: dihentikan sebelum selesai; file yang sedang ditulis tidak diubah.")
            return 128 + stop.signum
        except KeyboardInterrupt:
            _say("rak-xl: dibatalkan.")
            return 130
        except Exception as exc:
            if os.environ.get("RAK_XL_DEBUG"):
                raise
            _say(
                f"rak-xl: kesalahan tak terduga di dalam rak-xl ({type(exc).__name__}); "
                "file yang sedang ditulis tidak diubah, laporkan ini beserta file-nya."
            )
            return 2


def entry() -> None:
    """The console script (and ``python -m rak_xl``): ``main``, then the process ends at
    once (``os._exit``) with its exit code.

    By then ``main`` has flushed the output, closed every file and released the lock
    (its ``with`` blocks have exited): what Python would still do at exit is free each
    object of the model and tear down each module, ~10 ms of a 3,000-kegiatan
    ``validate`` that nobody waits for. When flushing the standard streams fails, the
    ordinary exit runs (and reports what it reports).
    """
    from rak_xl import api

    api.ending_at_once = True
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
