"""The backup rule shared by the file writer and the buttons (``rak_xl.backups``)."""

from __future__ import annotations

import pytest

from rak_xl.backups import (
    SheetInfo,
    ambiguous_backup,
    backups_of,
    free_backup_name,
    is_backup,
    mark_reference,
    marked_sheet,
)

A, B = "Rencana Aksi Kinerja 2020", "Rencana Aksi Kinerja 2021"  # share a cut backup name
CUT = "Rencana Aksi Kinerja (cadangan)"


def test_names_are_free_and_at_most_31_characters() -> None:
    assert free_backup_name("RAK", []) == "RAK (cadangan)"
    assert free_backup_name("RAK", ["rak (CADANGAN)"]) == "RAK (cadangan 2)"
    assert free_backup_name(A, []) == CUT
    second = free_backup_name(B, [A, B, CUT])
    assert second != CUT and len(second) <= 31 and second.endswith("(cadangan 2)")


@pytest.mark.parametrize(
    "sheet", ["RAK", "RA 2020", "O'Brien", "Rencana Aksi Kinerja Tahun 2021", 'a"b', "RAK!2020"]
)
def test_the_mark_names_its_sheet(sheet: str) -> None:
    ref = mark_reference(sheet)
    assert marked_sheet(ref) == sheet
    assert marked_sheet(ref.removeprefix("=")) == sheet  # as the file stores it


def test_marks_of_earlier_versions_and_broken_ones() -> None:
    assert marked_sheet('"RAK 2020"') == "RAK 2020"  # text, as earlier versions wrote it
    assert marked_sheet("=RAK!$1:$1048576") == "RAK"  # Excel drops the quotes where it can
    assert marked_sheet("='RAK 2020'!$A$1:$XFD$1048576") == "RAK 2020"  # the remote engine
    assert marked_sheet("=RAK!$A$1") == marked_sheet("RAK!A:C") == "RAK"
    assert marked_sheet("=#REF!$1:$1048576") is None  # the sheet was deleted
    assert marked_sheet("") is None and marked_sheet(None) is None
    assert marked_sheet("=1+1") is None and marked_sheet("=RAK!") is None


def test_marked_backups_belong_to_their_sheet_only() -> None:
    sheets = [
        SheetInfo(A, False),
        SheetInfo(B, False),
        SheetInfo(CUT, True, True, B),
        SheetInfo("Rencana Aksi Kiner (cadangan 2)", True, True, A),
    ]
    assert backups_of(A, sheets) == ["Rencana Aksi Kiner (cadangan 2)"]
    assert backups_of(B, sheets) == [CUT]


def test_a_users_sheet_is_never_a_backup() -> None:
    sheets = [
        SheetInfo("RAK", False),
        SheetInfo("RAK (cadangan)", False),  # the user's own, visible
        SheetInfo("RAK (cadangan 2)", False, True, "RAK"),  # ours once, unhidden by the user
    ]
    assert backups_of("RAK", sheets) == []
    assert not any(is_backup(s) for s in sheets)


def test_an_unmarked_old_backup_counts_only_when_its_name_is_unambiguous() -> None:
    old = SheetInfo("RAK (cadangan)", True)
    assert backups_of("RAK", [SheetInfo("RAK", False), old]) == ["RAK (cadangan)"]
    assert is_backup(old)
    both = [SheetInfo(A, False), SheetInfo(B, False), SheetInfo(CUT, True)]
    assert backups_of(A, both) == backups_of(B, both) == []
    assert ambiguous_backup(A, both) == ambiguous_backup(B, both) == CUT
    assert ambiguous_backup("RAK", [SheetInfo("RAK", False), old]) is None


def test_marked_copies_come_before_unmarked_ones() -> None:
    sheets = [
        SheetInfo("RAK", False),
        SheetInfo("RAK (cadangan)", True),
        SheetInfo("RAK (cadangan 2)", True, True, "RAK"),
    ]
    assert backups_of("RAK", sheets) == ["RAK (cadangan 2)", "RAK (cadangan)"]


def test_a_broken_mark_is_no_mark() -> None:
    """The sheet it named is gone (``#REF!``; Office.js does not even send such a name):
    the copy is judged by its name, as on every engine."""
    sheets = [SheetInfo("RAK", False), SheetInfo("RAK (cadangan)", True, True, None)]
    assert backups_of("RAK", sheets) == ["RAK (cadangan)"]
    assert backups_of("RAK", [sheets[0], SheetInfo("RAK (cadangan 2)", True, True)]) == []
