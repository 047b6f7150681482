"""Command line: ``rak-xl export|validate|recalc|regenerate|template``.

The CLI is the exception boundary: a ``RakError`` becomes one Indonesian sentence on
stderr and its exit code; nothing else reaches the user as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rak_xl import __version__
from rak_xl.errors import RakError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="rak-xl",
        description="Periksa, hitung, dan susun ulang lembar Rencana Aksi Kinerja (RAK).",
    )
    p.add_argument("--version", action="version", version=f"rak-xl {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("export", help="cetak model RAK sebagai JSON")
    e.add_argument("file", type=Path)
    e.add_argument("--sheet", help="nama sheet RAK (bawaan: dicari otomatis)")

    v = sub.add_parser("validate", help="periksa RAK dan laporkan temuan")
    v.add_argument("file", type=Path)
    v.add_argument("--sheet")
    v.add_argument("--json", action="store_true", help="laporan sebagai JSON")
    v.add_argument("--mark", action="store_true", help="tandai temuan di dalam file")
    v.add_argument(
        "--dpa",
        type=Path,
        metavar="FILE",
        help="kas per bulan menurut DPA: JSON {uraian kegiatan: [12 angka]} atau CSV "
        "(uraian;Jan;..;Des), untuk membandingkan kas per bulan",
    )
    v.add_argument(
        "--money-tolerance",
        type=float,
        default=0.0,
        metavar="RP",
        help="selisih uang yang masih dianggap sama (bawaan 0: harus persis)",
    )

    r = sub.add_parser("recalc", help="susun ulang rumus jumlah (Hitung Ulang)")
    r.add_argument("file", type=Path)
    r.add_argument("--sheet")
    r.add_argument("-o", "--output", type=Path)

    g = sub.add_parser("regenerate", help="bangun ulang lembar RAK resmi (Susun Ulang)")
    g.add_argument("file", type=Path)
    g.add_argument("--sheet")
    g.add_argument("-o", "--output", type=Path)

    t = sub.add_parser("template", help="bangun workbook_template.xlsm dari sumber")
    t.add_argument("-o", "--output", type=Path, default=Path("workbook_template.xlsm"))
    return p


def _run(args: argparse.Namespace) -> int:
    # Imports are per command so that each command loads only what it uses.
    if args.command == "export":
        import json

        from rak_xl.api import load, paused_gc

        with paused_gc():
            rak = load(args.file, sheet=args.sheet)
            # One write: ``json.dump`` hands the stream each of its many small pieces,
            # twice as slow for a large RAK.
            text = json.dumps(rak.to_json(), ensure_ascii=False, indent=2)
        sys.stdout.write(text + "\n")
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
        from rak_xl.template import cli_template

        return cli_template(args.output)
    raise AssertionError(args.command)  # argparse guarantees one of the above


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except RakError as err:
        print(f"rak-xl: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("rak-xl: dibatalkan.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
