"""Regenerate a RAK workbook, mark its findings, and render it to PDF and PNG, for a
human look at the printed form and the Temuan sheet.

    python3 scripts/render_pdf.py [WORKBOOK] [-o OUTDIR] [--dpi 60]

Default workbook: tests/fixtures/seed_banjar_2020.xlsx (the seed RAK with its quirks).
Writes OUTDIR/<name>_susun_ulang.xlsx (the original is not touched: Susun Ulang, then
Validasi's marks and the Temuan sheet), then the PDF that LibreOffice prints from it
(the sheets' own page setup: the form on F4 landscape two pages wide at a fixed scale,
the Temuan sheet landscape one page wide; "Halaman x dari y" footers) and one PNG per
page: ``<name>_halaman-N.png`` (the form's pages come first, then Temuan's).
Needs ``soffice`` (LibreOffice) and ``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rak_xl.cli import main as rak_xl  # noqa: E402  (after the path set-up)
from rak_xl.regenerate import regenerate_file  # noqa: E402


def render(workbook: Path, outdir: Path, dpi: int = 60) -> list[Path]:
    """Regenerate ``workbook`` into ``outdir`` and render it; returns the files made."""
    outdir.mkdir(parents=True, exist_ok=True)
    regenerated = outdir / f"{workbook.stem}_susun_ulang.xlsx"
    regenerate_file(workbook, output=regenerated)
    rak_xl(["validate", str(regenerated), "--mark"])  # exit 1 when it finds errors
    shutil.rmtree(outdir / ".rak-xl-backup", ignore_errors=True)  # --mark's backup
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice (LibreOffice) tidak ditemukan.")
    with tempfile.TemporaryDirectory(prefix="rakxl-render-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(regenerated),
            ],
            check=True,
            capture_output=True,
        )
    pdf = regenerated.with_suffix(".pdf")
    made = [regenerated, pdf]
    if shutil.which("pdftoppm"):
        prefix = outdir / f"{workbook.stem}_halaman"
        for old in outdir.glob(f"{prefix.name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True)
        made += sorted(outdir.glob(f"{prefix.name}-*.png"))
    return made


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "workbook", type=Path, nargs="?", default=ROOT / "tests/fixtures/seed_banjar_2020.xlsx"
    )
    p.add_argument("-o", "--outdir", type=Path, default=ROOT / "build" / "render")
    p.add_argument("--dpi", type=int, default=70)
    args = p.parse_args(argv)
    for path in render(args.workbook, args.outdir, args.dpi):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
