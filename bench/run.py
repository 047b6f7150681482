"""Benchmark: ``python3 bench/run.py [--quick]`` prints one Markdown table.

Everything is measured in the same run on the same machine, against a baseline that
does the least possible work on the same file, so the ratios carry over between
machines:

* whole-process wall time (median of several runs) of ``rak-xl export`` and
  ``rak-xl validate --json`` next to a bare python-calamine read of every sheet
  (``to_python()``) in its own process, the three taking turns so that a slow spell of
  the machine slows them alike; ``rak-xl regenerate`` next to a bare openpyxl
  load + save;
* xlwings actions each button emits on xlwings' remote engine (every action is one round
  trip to Excel), by kind, on a clean generated sheet;
* import time of ``rak_xl.buttons`` / ``rak_xl.udfs`` (``python -X importtime``: summed
  cumulative time of the top-level ``rak_xl`` imports, median of 3 fresh processes);
* each UDF over a 3,000-row range: one call, its time.

Timings are printed, never asserted; the last column says whether each target is met.
``--quick`` runs only the 30-kegiatan size once (CI proves the benchmark works).
Workbooks come from ``bench/gen.py`` (clean data) in two layouts: the official one (four
rows per kegiatan, as Susun Ulang writes it) and the compact one (a row per kegiatan, the
four targets as ``TW 1 = .. TW 4 = ..`` text in one cell, Vol. & Sat. as one text). The
read and validate rows and the work per kegiatan are measured on both; regenerate, the
buttons and the UDFs on the official layout.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import gen  # noqa: E402  (bench/gen.py, after the path above)

PY = sys.executable
TIMEOUT = 900  # seconds for one process; a slower run is reported as such
CALAMINE = (
    "import sys, python_calamine as pc\n"
    "wb = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
    "for name in wb.sheet_names:\n"
    "    wb.get_sheet_by_name(name).to_python()\n"
)
OPENPYXL = "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nwb.save(sys.argv[2])\n"
KINDS = ("values", "colours", "notes", "merges", "formats")
BUTTONS = ("validasi", "hitung_ulang", "susun_ulang", "batalkan")
UDF_ROWS = 3000
READ_REPS_MIN = 15  # runs of the quick read commands (and their baseline), except --quick


@dataclass
class Row:
    measure: str
    size: str = ""
    result: str = ""
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: str = ""

    def cells(self) -> list[str]:
        return [self.measure, self.size, self.result, self.baseline, self.ratio, self.target,
                self.met]  # fmt: skip


def rak_xl_cmd() -> list[str]:
    """The installed console script (what users run), else ``python -m rak_xl``.

    The script next to this interpreter is used directly: a pyenv shim would add its own
    start-up to every measurement.
    """
    script = Path(sysconfig.get_path("scripts")) / "rak-xl"
    return [str(script)] if script.exists() else [PY, "-m", "rak_xl"]


class Failed(Exception):
    pass


# Measured processes run as on a user's machine: with compiled bytecode (pip writes it at
# install). A shell with PYTHONDONTWRITEBYTECODE=1 would recompile every module on every
# run (~0.15 s per process here); the cache goes to a folder of its own, not the tree.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPATH"] = str(ROOT)
ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "rak-bench-pycache")
_WARM: set[tuple[str, ...]] = set()  # commands already run once


def walls(
    cmds: dict[str, tuple[Sequence[str], Sequence[int]]], reps: int
) -> dict[str, float | Failed]:
    """Median whole-process wall time of each command, the commands run in turns.

    Taking turns (rather than all runs of one command, then the next) makes a slow
    spell of a shared machine slow every command alike, so the ratios stay fair.
    """
    times: dict[str, list[float]] = {name: [] for name in cmds}
    out: dict[str, float | Failed] = {}
    warm = {}
    for name, (cmd, _) in cmds.items():
        kind = tuple(a for a in cmd if not a.endswith(".xlsx"))
        warm[name] = 0 if kind in _WARM else 1  # a first, uncounted run writes the bytecode
        _WARM.add(kind)
    for turn in range(reps + max(warm.values())):
        for name, (cmd, ok) in cmds.items():
            if name in out or turn >= reps + warm[name]:
                continue  # failed already, or done
            t0 = time.perf_counter()
            try:
                proc = subprocess.run(
                    cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=TIMEOUT, env=ENV
                )
            except subprocess.TimeoutExpired:
                out[name] = Failed(f"> {TIMEOUT} s")
                continue
            if turn >= warm[name]:
                times[name].append(time.perf_counter() - t0)
            if proc.returncode not in ok:
                last = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
                out[name] = Failed(f"exit {proc.returncode}: {last[0][:80]}")
    for name in cmds:
        out.setdefault(name, statistics.median(times[name]))
    return out


def secs(t: float) -> str:
    return f"{t:.3f} s" if t < 0.1 else f"{t:.2f} s" if t < 100 else f"{t:.0f} s"


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def n_fmt(n: int) -> str:
    return f"{n:,}"


# -- timings ---------------------------------------------------------------------------------


def timings(
    files: dict[int, Path],
    reps_of: Callable[[int], int],
    read_reps: int,
    work: Path,
    layout: str = "official",
    regenerate: bool = True,
) -> list[Row]:
    rows: list[Row] = []
    tool = rak_xl_cmd()
    of = "" if layout == "official" else f" ({layout} layout)"
    for n, path in files.items():
        # The bare read and our commands take turns (``walls``); they are quick, so they get
        # ``read_reps`` runs at every size, more than regenerate.
        got = walls(
            {
                "calamine": ([PY, "-c", CALAMINE, str(path)], (0,)),
                "export": ([*tool, "export", str(path)], (0,)),
                "validate": ([*tool, "validate", "--json", str(path)], (0, 1)),
            },
            read_reps,
        )
        base = got["calamine"]
        if isinstance(base, Failed):
            rows.append(Row(f"bare calamine read{of}", n_fmt(n), f"failed: {base}"))
            continue
        for name in ("export", "validate"):
            label = "`rak-xl export`" if name == "export" else "`rak-xl validate --json`"
            row = Row(f"{label} / calamine read{of}", n_fmt(n), baseline=secs(base))
            t = got[name]
            if isinstance(t, Failed):
                row.result = f"failed: {t}"
            else:
                row.result, row.ratio = secs(t), f"{t / base:.1f}×"
                if name == "validate" and n >= 3000:
                    row.target, row.met = "≤ 3×", yes(t / base <= 3)
            rows.append(row)
        if layout != "official" or not regenerate:
            continue  # regenerate: measured on the official layout
        out = work / f"regen_{n}.xlsx"
        row = Row("`rak-xl regenerate` / openpyxl load+save", n_fmt(n))
        regen = walls(
            {
                "openpyxl": ([PY, "-c", OPENPYXL, str(path), str(work / f"opx_{n}.xlsx")], (0,)),
                "regenerate": ([*tool, "regenerate", str(path), "-o", str(out)], (0,)),
            },
            reps_of(n),
        )
        base, t = regen["openpyxl"], regen["regenerate"]
        if isinstance(base, Failed) or isinstance(t, Failed):
            row.result = f"failed: {base if isinstance(base, Failed) else t}"
        else:
            row.baseline, row.result, row.ratio = secs(base), secs(t), f"{t / base:.1f}×"
        rows.append(row)
    return rows


PER_KEGIATAN = (
    "import statistics, sys, time\n"
    "from rak_xl.api import load\n"
    "from rak_xl.rules import check\n"
    "warm, path, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])\n"
    "check(load(warm))  # lazy imports and caches, not per-kegiatan cost\n"
    "times = []\n"
    "for _ in range(reps):\n"
    "    t0 = time.perf_counter()\n"
    "    check(load(path))\n"
    "    times.append(time.perf_counter() - t0)\n"
    "print(statistics.median(times))\n"
)


def per_kegiatan(
    files: dict[int, Path], reps_of: Callable[[int], int], layout: str = "official"
) -> list[Row]:
    """Linear growth of validate: its work (read + rules, in one process, start-up and
    imports excluded, so the noise of process start does not hide the trend) per kegiatan
    at each size. Linear cost keeps it flat; met when 3,000 costs at most 1.5× per
    kegiatan what 300 does."""
    small = min(files)
    us: dict[int, float] = {}
    rows = []
    of = "" if layout == "official" else f", {layout} layout"
    for n, path in files.items():
        row = Row(f"validate work per kegiatan (in-process read + rules{of})", n_fmt(n))
        proc = subprocess.run(
            [PY, "-c", PER_KEGIATAN, str(files[small]), str(path), str(reps_of(n))],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=ENV,
        )
        if proc.returncode != 0:
            row.result = f"failed: {(proc.stderr.strip().splitlines() or ['?'])[-1][:80]}"
        else:
            us[n] = float(proc.stdout) / n * 1e6
            row.result = f"{us[n]:.0f} µs"
            if n == 3000 and 300 in us:
                row.ratio = f"{us[3000] / us[300]:.2f}× of 300's"
                row.target, row.met = "linear (≤ 1.5× of 300's)", yes(us[3000] <= 1.5 * us[300])
        rows.append(row)
    return rows


# -- xlwings actions ---------------------------------------------------------------------------


@dataclass
class Case:
    """One button pressed on one workbook."""

    button: str
    label: str
    path: Path
    findings: int = 0  # what rak-xl validate finds there (notes Validasi may add)
    in_template: bool = True  # the workbook carries the template's style prototype


def _findings(path: Path) -> int:
    from rak_xl.api import load
    from rak_xl.rules import check

    return len(check(load(path)).findings)


def cases_for(n: int, files: dict[int, Path], work: Path) -> list[Case]:
    """Validasi on the clean sheet and on one with 10 findings; Susun Ulang on the
    generated sheet, and Batalkan after it; Hitung Ulang on the sheet as Susun Ulang wrote
    it (the regenerate output of the timings, so its total rows are where Hitung Ulang
    expects them)."""
    dirty = work / f"rak_{n}_10_findings.xlsx"
    gen.generate(dirty, n, faults=10)
    regen = work / f"regen_{n}.xlsx"
    official = regen if regen.exists() else files[n]
    cases = [
        Case("validasi", "Validasi (clean sheet)", files[n]),
        Case("validasi", "Validasi (10 findings)", dirty, _findings(dirty)),
        Case("hitung_ulang", "Hitung Ulang (sheet as Susun Ulang wrote it)", official),
        Case("susun_ulang", "Susun Ulang (RAK sheet in the template)", files[n]),
        Case("batalkan", "Batalkan (after that Susun Ulang)", files[n]),
    ]
    if n <= 300:  # the fallback paints every format: shown where it is quick to run
        label = "Susun Ulang (no usable style sheet: formats set one by one)"
        cases.append(Case("susun_ulang", label, files[n], in_template=False))
    return cases


def _block_merges(path: Path) -> int:
    """Merged ranges of the sasaran and program blocks in the laid-out sheet (the
    columns left of the kegiatan, merged down over each block)."""
    from rak_xl.api import load
    from rak_xl.layout import COL, plan_sheet

    plan = plan_sheet(load(path))
    first = plan.table.first_row
    return sum(
        1 for r1, c1, r2, _ in plan.merges if r2 > r1 and c1 < COL["k.uraian"] and r1 >= first
    )


def _payload(case: Case) -> dict[str, Any]:
    """The Office.js payload of the case's workbook. Buttons live in the template, so
    Susun Ulang is clicked in a workbook holding the template's very hidden style
    sheet: it is added to the payload (the remote engine sees values only, and that
    sheet holds one, its stamp)."""
    from rak_xl.paint.prototype import PROTOTYPE_SHEET
    from tests.xlwings_remote import payload_from_xlsx

    payload = payload_from_xlsx(case.path)
    if case.in_template:
        template = payload_from_xlsx(ROOT / "workbook_template.xlsm")
        payload["sheets"] += [s for s in template["sheets"] if s["name"] == PROTOTYPE_SHEET]
    return payload


def button_actions(
    files: dict[int, Path], sizes: Sequence[int], counts: dict[int, Any], work: Path
) -> list[Row]:
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    try:
        import xlwings as xw

        from rak_xl import buttons
        from tests.xlwings_remote import count_actions
    except Exception as err:  # a part not landed yet: say so in the table
        return [Row("xlwings actions per button", "", f"n/a: {type(err).__name__}: {err}")]
    rows = []
    for n in sizes:
        blocks = counts[n].sasaran + counts[n].program
        for case in cases_for(n, files, work):
            row = Row(f"{case.label}: xlwings actions", n_fmt(n))
            rows.append(row)
            fn = getattr(buttons, case.button, None)
            if fn is None:
                row.result = f"n/a: no rak_xl.buttons.{case.button}"
                continue
            book = xw.Book(json=_payload(case))
            if case.button == "batalkan":  # what it undoes, then its own actions only
                buttons.susun_ulang(book)
                book.json()["actions"].clear()
            t0 = time.perf_counter()
            try:
                fn(book)
            except Exception as err:
                row.result = f"failed: {type(err).__name__}: {str(err)[:80]}"
                continue
            took = time.perf_counter() - t0
            by_kind: Counter[str] = count_actions(book)
            total = sum(by_kind.values())
            parts = [f"{k} {by_kind.get(k, 0)}" for k in KINDS]
            parts += [f"{k} {v}" for k, v in sorted(by_kind.items()) if k not in KINDS and v]
            row.result = f"{total:,} ({', '.join(parts)})"
            row.baseline = f"Python {secs(took)}"
            notes = by_kind.get("notes", 0)
            if case.button == "validasi":
                row.target = f"≤ 20 + 1 note per finding ({case.findings} findings)"
                row.met = yes(total - notes <= 20 and notes <= case.findings)
            elif case.button == "susun_ulang" and not case.in_template:
                row.target = "none: shown for comparison (an older template's styles)"
            elif case.button == "susun_ulang":
                ranges = _block_merges(case.path)
                row.target = (
                    f"≤ 60 + 1 per merged range of the {blocks:,} sasaran/program blocks: "
                    f"≤ {60 + ranges:,}"
                )
                row.met = yes(total <= 60 + ranges)
    return rows


# -- imports and UDFs --------------------------------------------------------------------------

_IMPORTTIME = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)")


def import_seconds(module: str) -> float:
    """Cumulative import time of ``module`` (its package's top-level entries), seconds."""
    proc = subprocess.run(
        [PY, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        timeout=120,
        env=ENV,
    )
    if proc.returncode != 0:
        raise Failed(proc.stderr.strip().splitlines()[-1][:100])
    total = 0
    for line in proc.stderr.splitlines():
        m = _IMPORTTIME.match(line)
        if m and m.group(3) == " " and m.group(4).split(".")[0] == module.split(".")[0]:
            total += int(m.group(2))
    return total / 1e6


def imports(reps: int) -> list[Row]:
    rows = []
    for module, limit, why in (
        ("rak_xl.buttons", 0.3, ""),
        ("rak_xl.udfs", None, " (once per UDF server)"),
        ("xlwings", None, " (each click: `Book.caller()`)"),
    ):
        row = Row(f"`import {module}`{why}")
        try:
            import_seconds(module)  # warm the bytecode cache
            t = statistics.median(import_seconds(module) for _ in range(reps))
        except Failed as err:
            row.result = f"n/a: {err}"
        else:
            row.result = secs(t)
            if limit is not None:
                row.target, row.met = f"≤ {limit} s", yes(t <= limit)
        rows.append(row)
    return rows


def udf_rows() -> list[Row]:
    try:
        from rak_xl import udfs
    except Exception as err:
        return [Row("UDFs", "", f"n/a: {type(err).__name__}: {err}")]
    rak = gen.make_rak(UDF_ROWS)
    keg = [k for s in rak["sasaran"] for p in s["program"] for k in p["kegiatan"]]
    kas = [k["kas_bulanan"] for k in keg]
    target_text = [[gen._tw_text(k["target_tw"])] for k in keg]
    volume = [[k["volume"], k["satuan"]] for k in keg]
    targets4 = [["-" if v is None else v for v in k["target_tw"]] for k in keg]
    ind = [[k["indikator"]] for k in keg]
    amounts = [[sum(k["kas_bulanan"])] for k in keg]
    calls: list[tuple[str, Callable[[], Any]]] = [
        ("RAK_KAS_TW", lambda: udfs.RAK_KAS_TW(kas, 2)),
        ("RAK_JUMLAH", lambda: udfs.RAK_JUMLAH(kas)),
        ("RAK_TARGET", lambda: udfs.RAK_TARGET(target_text, 4)),
        ("RAK_CEK", lambda: udfs.RAK_CEK(volume, targets4, kas, ind)),
        ("TERBILANG", lambda: udfs.TERBILANG(amounts)),
        ("RUPIAH", lambda: udfs.RUPIAH(amounts)),
    ]
    rows = []
    for name, call in calls:
        row = Row(f"`{name}` over a {UDF_ROWS:,}-row range", n_fmt(UDF_ROWS))
        try:
            t0 = time.perf_counter()
            out = call()
            took = time.perf_counter() - t0
        except Exception as err:
            row.result = f"failed: {type(err).__name__}: {str(err)[:80]}"
        else:
            one_call = isinstance(out, list) and len(out) == UDF_ROWS
            row.result = f"1 call, {secs(took)}"
            row.target, row.met = "one call → one column", yes(one_call)
        rows.append(row)
    return rows


# -- main --------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    head = Row("measure", "kegiatan", "rak-xl", "baseline", "ratio", "target", "met")
    lines = ["| " + " | ".join(head.cells()) + " |", "|" + "---|" * len(head.cells())]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="30 kegiatan, 1 run (CI)")
    ap.add_argument("--sizes", default="30,300,3000", help="kegiatan per workbook")
    ap.add_argument("--reps", type=int, default=5, help="runs per timing (3 at 3,000+)")
    ap.add_argument("--keep", type=Path, help="folder for the generated workbooks")
    ap.add_argument(
        "--layouts", default="official,compact", help="official, compact or both (timings)"
    )
    ap.add_argument(
        "--parts",
        default="timings,regenerate,work,buttons,imports,udfs",
        help="which rows: timings (export/validate processes), regenerate, work (per "
        "kegiatan), buttons, imports, udfs",
    )
    args = ap.parse_args(argv)
    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    parts = {x.strip() for x in args.parts.split(",") if x.strip()}
    sizes = [30] if args.quick else sorted(gen.sizes_of(args.sizes))
    action_sizes = [n for n in sizes if n in (30, 3000)] or sizes[:1]

    def reps_of(n: int) -> int:
        return 1 if args.quick else (min(args.reps, 3) if n >= 3000 else args.reps)

    with tempfile.TemporaryDirectory(prefix="rak-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        files: dict[int, Path] = {}
        counts: dict[int, gen.Counts] = {}
        by_layout: dict[str, dict[int, Path]] = {}
        for layout in layouts:
            suffix = "" if layout == "official" else f"_{layout}"
            by_layout[layout] = {n: work / f"rak_{n}{suffix}.xlsx" for n in sizes}
            for n, path in by_layout[layout].items():
                got = gen.generate(path, n, layout=layout)
                if layout == "official":
                    files[n], counts[n] = path, got
        from rak_xl.api import load

        for layout_files in by_layout.values():
            # The benchmark is meaningless if the reader does not see them all.
            for n, path in layout_files.items():
                read_back = sum(1 for _ in load(path).kegiatan_all())
                if read_back != n:
                    print(
                        f"bench: {path.name} reads back {read_back} kegiatan, not {n}",
                        file=sys.stderr,
                    )
                    return 1
        t0 = time.perf_counter()
        read_reps = 1 if args.quick else max(args.reps, READ_REPS_MIN)
        rows = []
        for layout, layout_files in by_layout.items():
            if "timings" in parts:
                regen = "regenerate" in parts
                rows += timings(layout_files, reps_of, read_reps, work, layout, regen)
        for layout, layout_files in by_layout.items():
            if "work" in parts:
                rows += per_kegiatan(layout_files, reps_of, layout)
        if not files and "buttons" in parts:
            files = {n: work / f"rak_{n}.xlsx" for n in sizes}
            counts = {n: gen.generate(path, n) for n, path in files.items()}
        if "buttons" in parts:
            rows += button_actions(files, action_sizes, counts, work)
        if "imports" in parts:
            rows += imports(1 if args.quick else 3)
        if "udfs" in parts:
            rows += udf_rows()
        took = time.perf_counter() - t0
    print(table(rows))
    print()
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU, "
        + (
            "quick: 1 run; "
            if args.quick
            else f"export/validate and the bare read: median of {read_reps} runs taking turns; "
            f"others: median of {args.reps} runs (3 at 3,000); "
        )
        + f"benchmark took {took:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
