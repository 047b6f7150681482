"""The NIP of the signing official."""

from __future__ import annotations

import pytest
from rules_model import rak

from rak_xl.rules import check
from rak_xl.rules.sign import nip_problem


@pytest.mark.parametrize(
    "nip",
    [
        "19650721 198602 1 001",
        "196507211986021001",
        "NIP. 19650721 198602 1 001",
        "19800229 200312 2 004",
    ],
)
def test_valid(nip: str) -> None:
    assert nip_problem(nip, 2020) is None


@pytest.mark.parametrize(
    ("nip", "why"),
    [
        ("19650721 198602 1 01", "harus 18 angka, tertulis 17"),
        ("19650721 198602 1 00A", "harus 18 angka"),
        ("19651321 198602 1 001", "tanggal lahir 21-13-1965"),
        ("19810229 200312 2 004", "tanggal lahir 29-02-1981"),
        ("19650721 197502 1 001", "terlalu dekat"),
        ("19650721 198613 1 001", "TMT 13-1986"),
        ("19650721 203002 1 001", "TMT 02-2030"),
        ("19650721 198602 3 001", "angka ke-15"),
        ("20150721 203502 1 001", "tanggal lahir"),
    ],
)
def test_invalid(nip: str, why: str) -> None:
    problem = nip_problem(nip, 2020)
    assert problem is not None and why in problem


def test_finding_at_nip_cell_and_silent_without_nip() -> None:
    report = check(rak(nip="1965"))
    assert report.flatten(("code", "cell", "severity")) == [["sign.nip-invalid", "U44", "warning"]]
    assert "NIP '1965' tidak valid" in report.findings[0].message
    assert check(rak(nip=None)).findings == ()
    assert check(rak(nip="  ")).findings == ()
