"""Text measured with the fonts' metrics (``rak_xl.layout.metrics``) and the width table
it uses, generated from the fonts by ``scripts/font_widths.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rak_xl.layout.metrics import (
    EXCEL_UNIT_PX,
    PT_PER_PX,
    column_width,
    row_height,
    text_width,
    wrapped_lines,
)

ROOT = Path(__file__).resolve().parent.parent


def test_digits_are_arials_own_widths() -> None:
    # Arial's digits are 0.556 em, its period 0.278 em: 11 digits and 3 periods at 8 pt.
    assert text_width("99.999.999.999", 8) == pytest.approx((11 * 556 + 3 * 278) * 8 / 1000)
    assert text_width("Kas", 10, bold=True) > text_width("Kas", 10) > text_width("iii", 10)
    assert text_width("abc", 11, font="Calibri") < text_width("abc", 11, font="Arial")


def test_column_width_holds_its_text_in_excels_pixels() -> None:
    for text in ("99.999.999.999", "Pelatihan Aparatur", "TW III"):
        w = column_width([text], 8)
        room_px = int(w * EXCEL_UNIT_PX) - 5  # Excel's margins and grid line
        assert text_width(text, 8) <= room_px * PT_PER_PX < text_width(text, 8) + 3


def test_wrapped_lines_break_at_spaces_and_cut_long_words() -> None:
    one = column_width(["Pelatihan Aparatur"], 8)
    assert wrapped_lines("Pelatihan Aparatur", one, 8) == 1
    assert wrapped_lines("Pelatihan Aparatur Desa", one, 8) == 2
    assert wrapped_lines("a\nb\nc", one, 8) == 3
    assert wrapped_lines("x" * 200, one, 8) >= 5


def test_row_height_grows_by_whole_lines() -> None:
    one, two = row_height(1, 8), row_height(2, 8)
    assert one == pytest.approx(12.0) and two - one == pytest.approx(9.75)


def test_width_table_is_what_the_fonts_give() -> None:
    pytest.importorskip("fontTools")
    fonts = Path("/usr/share/fonts/truetype")
    if not (
        list(fonts.rglob("LiberationSans-Regular.ttf")) and list(fonts.rglob("Carlito-Regular.ttf"))
    ):
        pytest.skip("fonts-liberation / fonts-crosextra-carlito not installed")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "font_widths.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
