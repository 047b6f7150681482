"""Signature block: the NIP (Nomor Induk Pegawai) of the signing official.

A NIP has 18 digits: birth date YYYYMMDD (1-8), TMT CPNS YYYYMM (9-14, the month the
official became a civil servant), sex 1/2 (15), serial (16-18). It is written with
spaces ("19650721 198602 1 001"); spaces, dots and a leading "NIP" are ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from rak_xl.rules.base import Context, Rule
from rak_xl.rules.findings import Finding

__all__ = ["NipInvalid", "nip_problem"]

_PREFIX = re.compile(r"^\s*nip\b[\s.:]*", re.IGNORECASE)
# The youngest a civil servant can be appointed (CPNS minimum age is 18; one year of slack
# for the month granularity of the TMT).
_MIN_AGE = 17


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def nip_problem(nip: str, year: int | None = None) -> str | None:
    """Why ``nip`` cannot be a real NIP (Indonesian, for the message), or None."""
    digits = re.sub(r"[\s.\-]", "", _PREFIX.sub("", nip))
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 18:
        count = len(re.sub(r"[^0-9]", "", digits))
        return f"harus 18 angka, tertulis {count} angka"
    ref = year or dt.date.today().year
    birth = _date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    if birth is None or not 1930 <= birth.year <= ref - _MIN_AGE:
        return f"tanggal lahir {digits[6:8]}-{digits[4:6]}-{digits[0:4]} tidak mungkin"
    tmt_y, tmt_m = int(digits[8:12]), int(digits[12:14])
    if not 1 <= tmt_m <= 12 or tmt_y > ref + 1:
        return f"TMT {digits[12:14]}-{digits[8:12]} tidak mungkin"
    if (tmt_y - birth.year) * 12 + (tmt_m - birth.month) < _MIN_AGE * 12:
        return f"TMT {digits[12:14]}-{digits[8:12]} terlalu dekat dengan tahun lahir {birth.year}"
    if digits[14] not in "12":
        return f"angka ke-15 (jenis kelamin) harus 1 atau 2, tertulis {digits[14]}"
    return None


class NipInvalid(Rule):
    code = "sign.nip-invalid"
    severity = "warning"
    label = "NIP tidak valid"
    cell_level = True
    title = "NIP penandatangan tidak valid (bukan 18 angka, tanggal lahir/TMT tidak mungkin)"
    template = "NIP '{nip}' tidak valid: {alasan}. Periksa NIP penandatangan."

    def check(self, ctx: Context) -> Iterator[Finding]:
        ttd = ctx.rak.penandatangan
        if ttd.nip is None or not str(ttd.nip).strip():
            return
        nip = str(ttd.nip).strip()
        problem = nip_problem(nip, ctx.rak.tahun)
        if problem is not None:
            src = ttd.src
            yield self.finding(
                ctx, src, src.cells.get("nip"), "Penandatangan", nip=nip, alasan=problem
            )
