"""Memory and time of reading a RAK whose sheet has a stray cell at XFD1048576.

    python3 bench/stray_cell.py [--big]

Each case runs ``rak_xl.workbook.load_grid`` in a fresh subprocess and prints its peak RSS
(MB) and wall time (s). Without the pre-scan, calamine would try to allocate a dense
1,048,576 x 16,384 range for the first case and abort. ``--big`` adds a 50 MB sheet XML of
styled empty cells (the cost of the streaming pre-scan itself), alone and with the stray
value (the trimmed in-memory copy handed to calamine). ``--write`` also runs the commands that
write, ``validate --mark`` and ``regenerate``, on a copy of each file (issue 16: the write
path must stay as bounded as the read; the package-level writer copies a far cell as one
more ``<c>`` element).
Numbers only, no thresholds: issues 6 and 16 ask for < 1 GiB and < 20 s per file.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import resource, sys
from pathlib import Path
from rak_xl.workbook import load_grid
g = load_grid(Path(sys.argv[1]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
print(f"{g.sheet} rows {g.first_row}..{g.last_row} cols {g.first_col}..{g.last_col}")
"""


CHILD_WRITE = """
import resource, sys
from rak_xl.cli import main
code = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
print(f"exit {code}")
"""


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_hostile", ROOT / "tests" / "hostile" / "build_hostile.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def big_styled_far(path: Path) -> None:
    """As ``big_styled`` plus a value at XFD1048576: the trimmed-copy path on a big sheet."""
    big_styled(path, far=True)


def big_styled(path: Path, megabytes: int = 50, far: bool = False) -> None:
    """The small RAK plus rows of styled empty cells until the sheet XML is ``megabytes``."""
    b = _builder()
    buf = io.BytesIO()
    b.rak_book().save(buf)
    src = zipfile.ZipFile(buf)
    sheet = src.read("xl/worksheets/sheet1.xml").decode()
    head, tail = sheet.split("</sheetData>")
    rows, size, r = [], 0, 100
    while size < megabytes * 2**20:
        row = f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="0"/>' for c in "ABCDEFGHIJ") + "</row>"
        rows.append(row)
        size += len(row)
        r += 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                if far:
                    rows.append('<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>')
                data = (head + "".join(rows) + "</sheetData>" + tail).encode()
            dst.writestr(info.filename, data)


def measure(path: Path, command: tuple[str, ...] = ()) -> tuple[float, float, str]:
    """Peak RSS (MB, reported by the child itself) and wall time of one fresh process:
    reading ``path``, or running ``rak-xl *command`` on a copy of it."""
    args = [CHILD, str(path)]
    if command:
        copy = path.with_name(f"{command[0]}-{path.name}")
        shutil.copy(path, copy)
        args = [CHILD_WRITE, command[0], str(copy), *command[1:]]
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    lines = run.stdout.strip().splitlines()
    if run.returncode != 0 or len(lines) < 2:
        return float("nan"), wall, (run.stderr.strip().splitlines() or ["?"])[-1]
    return int(lines[-2]) / 1024, wall, lines[-1]  # the last two: the command prints too


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", action="store_true")
    ap.add_argument("--write", action="store_true", help="also validate --mark, regenerate")
    args = ap.parse_args()
    b = _builder()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        cases = [
            ("plain RAK (baseline)", "plain.xlsx", lambda p: b.rak_book().save(p)),
            ("format only at XFD1048576", "fmt.xlsx", b.b_stray_format),
            ("value at XFD1048576", "value.xlsx", b.b_stray_value),
            ("values at A1048576 + XFD1", "far.xlsx", b.b_stray_number_far_row),
        ]
        if args.big:
            cases.append(("50 MB of styled empty cells", "big.xlsx", big_styled))
            cases.append(("the same + value at XFD1048576", "bigfar.xlsx", big_styled_far))
        print(f"{'case':32} {'peak RSS MB':>11} {'seconds':>8}  grid")
        for what, name, build in cases:
            path = d / name
            build(path)
            rss, wall, out = measure(path)
            print(f"{what:32} {rss:11.1f} {wall:8.2f}  {out}")
            for command in [("validate", "--mark"), ("regenerate",)] if args.write else []:
                rss, wall, out = measure(path, command)
                print(f"{'  ' + ' '.join(command):32} {rss:11.1f} {wall:8.2f}  {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
