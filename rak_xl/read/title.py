"""The title block above the RAK table: the judul, the agency, the region, the year.

Agencies head the sheet in many ways: the bare official title (RENCANA AKSI KINERJA /
the agency / KABUPATEN .. / TAHUN ..), a letterhead first (PEMERINTAH KABUPATEN BANJAR /
DINAS .. / address and phone / a rule), the agency and the year inside the title line
(``RENCANA AKSI KINERJA DINAS KESEHATAN TAHUN 2020``, ``RENCANA AKSI (RENAKSI) TAHUN
ANGGARAN 2021``, ``RAK TAHUN 2020``), or label and value (``Tahun : 2020``, ``Perangkat
Daerah : Dinas ..``, over one to three cells). Each line is classified by what it says,
never by where it sits, so the official title Susun Ulang writes reads back the same:

* ``instansi`` from a line starting with an agency word (DINAS, BADAN, KANTOR,
  SEKRETARIAT, INSPEKTORAT, KECAMATAN, ...), a label (Perangkat Daerah, OPD, SKPD, Unit
  Kerja), what the title line names besides the title and the year, or (the official
  layout) the first other line right after the title;
* ``kabupaten`` from a KABUPATEN / KOTA / PROVINSI line (``PEMERINTAH`` before it or not),
  also at the end of the agency's line;
* ``tahun`` from a TAHUN (ANGGARAN) phrase or the title line's closing year, and only a
  plausible budget year: a number in an address or a phone number is never read.

The first value of each field wins. Every row that says something else (the address, a
rule, a second agency line, ``Lampiran ..``) is kept in ``rak.catatan_atas``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rak_xl.grid import CellValue
from rak_xl.model import Rak
from rak_xl.read.cells import SheetCells, clean, keep
from rak_xl.sheet_spec import is_placeholder, title_case

__all__ = ["read_title"]

_YEAR = r"(?P<year>(?:19[89]|20\d)\d)"  # a plausible budget year: 1980..2099
# The words of the patterns below, each said once.
_TAHUN_WORD = r"TAHUN(?:\s+ANGGARAN)?|T\.?\s?A\.?"  # "TAHUN", "Tahun Anggaran", "T.A."
_REGION_WORD = r"KABUPATEN|KAB\.|KOTA|PROVINSI"
_AGENCY_LABEL_WORD = r"(?:NAMA\s+)?(?:PERANGKAT\s+DAERAH|OPD|SKPD|UNIT\s+KERJA|INSTANSI)"
_REGION_LABEL_WORD = r"KABUPATEN(?:\s*/\s*KOTA)?|KOTA|PEMERINTAH\s+DAERAH"
# "TAHUN 2020", "Tahun Anggaran : 2021", "T.A. 2020", "TA 2020"
_TAHUN_PHRASE = rf"\b(?:{_TAHUN_WORD})\s*:?\s*{_YEAR}"
_TAHUN_LINE = re.compile(rf"{_TAHUN_PHRASE}\.?", re.IGNORECASE)
_ENDS_WITH_TAHUN = re.compile(rf"(?P<rest>.*?)[\s,]*(?:{_TAHUN_PHRASE})\s*\.?", re.IGNORECASE)
_JUDUL = re.compile(
    r"(?:RENCANA\s+AKSI(?:\s+KINERJA)?(?:\s*\((?:RENAKSI|RAK)\))?|RENAKSI|RAK"
    r"|RENCANA\s+KINERJA(?:\s+TAHUNAN)?)(?![A-Z])\s*[-:]?\s*(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
_BARE_YEAR = re.compile(rf"(?P<rest>.*?)\s*{_YEAR}", re.DOTALL)
# Words a title line may carry besides the agency that are no agency ("RENCANA AKSI
# KINERJA PERUBAHAN TAHUN 2020"): such a line stays a note after giving its year.
_NOT_AN_AGENCY = re.compile(r"(?:PERUBAHAN|\(?P\)?|REVISI)", re.IGNORECASE)
_REGION = re.compile(
    rf"(?:PEMERINTAH(?:\s+DAERAH)?\s+)?(?P<kind>{_REGION_WORD})\s+(?P<name>\S.*)", re.IGNORECASE
)
# The region at the end of an agency's line: "DINAS KESEHATAN KABUPATEN BANJAR". "Dinas
# Tata Kota" keeps its "Kota": a region needs a name after it.
_REGION_AT_END = re.compile(
    rf"(?P<agency>.+?)\s+(?<!TATA\s)(?P<region>(?:{_REGION_WORD})\s+\S.*)", re.IGNORECASE
)
_AGENCY = re.compile(
    r"(?:DINAS|BADAN|KANTOR|SEKRETARIAT|INSPEKTORAT|KECAMATAN|KELURAHAN|SATUAN\s+POLISI"
    r"|SATPOL|RSUD|RUMAH\s+SAKIT|UPTD?|PUSKESMAS|BIRO|BAGIAN|BAPPEDA|BAPPELITBANGDA"
    r"|BKPSDM|BPKAD|BPBD|DPMPTSP)\b",
    re.IGNORECASE,
)
_REGION_PLACEHOLDER = re.compile(r"\s*(?:KABUPATEN|KOTA)\s*\[", re.IGNORECASE)
_AGENCY_LABEL = re.compile(rf"{_AGENCY_LABEL_WORD}\s*:\s*(?P<value>\S.*)", re.IGNORECASE)
_REGION_LABEL = re.compile(rf"(?:{_REGION_LABEL_WORD})\s*:\s*(?P<value>\S.*)", re.IGNORECASE)
# A label cell of a row written over several cells ("Tahun" | ":" | 2020).
_LABEL_CELL = re.compile(
    rf"(?:{_TAHUN_WORD}|{_AGENCY_LABEL_WORD}|{_REGION_LABEL_WORD})\s*:?", re.IGNORECASE
)
# A letterhead's address, phone, mail or web line: a note, never a field.
_ADDRESS = re.compile(
    r"^(?:JL\b|JLN\b|JALAN\b|ALAMAT\b|TELP|TELEPON|FAX|FAKS|E-?MAIL|WEBSITE|LAMAN|KODE\s+POS)"
    r"|\bTELP\b|\bTELEPON\b|\bKODE\s+POS\b|\bE-?MAIL\b|WWW\.|@",
    re.IGNORECASE,
)


@dataclass
class _State:
    rak: Rak
    # The line just read was the title and the next line follows it directly (the next
    # line of its cell, or the first line of the next sheet row): the official layout
    # puts the agency there, whatever its name.
    after_judul: bool = False
    # A line of the block names the region by itself (``KABUPATEN BANJAR``, a label, or
    # the template's ``KABUPATEN [..]``): the agency's line is then its name whole, region
    # words and all ("Dinas PMD Kabupaten Banjar" is that agency's own name).
    region_line: bool = False


def read_title(sheet: SheetCells, rak: Rak, top_row: int) -> None:
    """The title lines above the table (row ``top_row``) into ``rak``; other rows there
    into ``rak.catatan_atas``. A row with a line that is no title line is kept whole as a
    note (what its title lines say is read all the same)."""
    state = _State(rak)
    state.region_line = any(
        _REGION.fullmatch(line) or _REGION_LABEL.fullmatch(line) or _REGION_PLACEHOLDER.match(line)
        for r in range(sheet.grid.first_row, top_row)
        for line in _lines(sheet.cells(r))
    )
    for r in range(sheet.grid.first_row, top_row):
        cells = sheet.cells(r)
        if not cells:
            state.after_judul = False
            continue
        lines = _lines(cells)
        where = sheet.addr(r, cells[-1][0])  # the value's cell (a label may precede it)
        read = [_title_line(state, line, where) for line in lines]
        if not (read and all(read)):
            state.after_judul = False
            rak.catatan_atas.append(tuple(keep(v) for _, v in cells))


def _lines(cells: list[tuple[int, CellValue]]) -> list[str]:
    """The title lines a row holds: the lines of its one text cell, or one line from a
    label and its value over two or three cells; none for any other row (a note)."""
    values = [v for _, v in cells]
    if len(values) == 1 and isinstance(values[0], str):
        return [t for ln in values[0].splitlines() if (t := clean(ln))]
    if (
        2 <= len(values) <= 3
        and isinstance(values[0], str)
        and _LABEL_CELL.fullmatch(clean(values[0]))
        and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values)
    ):
        parts = [clean(str(keep(v))) for v in values]
        label = parts[0].rstrip(":").strip()
        rest = " ".join(p for p in parts[1:] if p != ":").lstrip(":").strip()
        return [f"{label} : {rest}"] if rest else []
    return []


def _title_line(state: _State, line: str, where: str) -> bool:
    """One line: True when it is read into the model (it says nothing else to keep)."""
    after_judul, state.after_judul = state.after_judul, False
    rak = state.rak
    if is_placeholder(line):
        return True  # the template's line still to be filled in: no value yet
    if _ADDRESS.search(line):
        return False
    m = _JUDUL.fullmatch(line)
    if m is not None:
        state.after_judul = read = _judul_rest(state, m.group("rest"), where)
        return read
    if m := _TAHUN_LINE.fullmatch(line):
        return _set_tahun(rak, m.group("year"), where)
    if m := _AGENCY_LABEL.fullmatch(line):
        return _agency(state, m.group("value"), where)
    if m := _REGION_LABEL.fullmatch(line):
        return _region(rak, m.group("value"), where, labelled=True)
    rest, year = _split_year(line)
    if year is not None and rest:  # "KABUPATEN BANJAR TAHUN 2020": two lines in one
        state.after_judul = after_judul
        return _title_line(state, rest, where) and _set_tahun(rak, year, where)
    if _REGION.fullmatch(line):
        return _region(rak, line, where)
    if _AGENCY.match(line) or (after_judul and rak.instansi is None):
        return _agency(state, line, where)
    return False


def _split_year(line: str) -> tuple[str, str | None]:
    m = _ENDS_WITH_TAHUN.fullmatch(line)
    return (m.group("rest"), m.group("year")) if m else (line, None)


def _judul_rest(state: _State, rest: str, where: str) -> bool:
    """What a title line says after its title words (the year, the agency, the region):
    False when it says something else (a note)."""
    rak = state.rak
    rest, year = _split_year(rest)
    if year is None and (m := _BARE_YEAR.fullmatch(rest)):
        rest, year = m.group("rest"), m.group("year")
    rest = rest.strip(" ,-:")
    if year is not None and not _set_tahun(rak, year, where):
        return False
    if not rest:
        return True
    if _NOT_AN_AGENCY.fullmatch(rest):
        return False
    if _REGION.fullmatch(rest):
        return _region(rak, rest, where)
    if _AGENCY.match(rest) or rest.isupper():  # an agency, by its word or as a heading
        return _agency(state, rest, where)
    return False


def _set_tahun(rak: Rak, year: str, where: str) -> bool:
    if rak.tahun is not None:
        return rak.tahun == int(year)  # the same year again is no news; another is a note
    rak.tahun = int(year)
    rak.src.cells["tahun"] = where
    return True


def _agency(state: _State, text: str, where: str) -> bool:
    """The agency (with its region split off the end when no line of its own names the
    region): False when the model already names another agency."""
    rak = state.rak
    name = clean(text)
    m = None if state.region_line else _REGION_AT_END.fullmatch(name)
    if m is not None and _region(rak, m.group("region"), where):
        name = m.group("agency")
    name = title_case(name)
    if rak.instansi is not None:
        return rak.instansi.casefold() == name.casefold()
    rak.instansi = name
    rak.src.cells["instansi"] = where
    return True


def _region_name(text: str, labelled: bool = False) -> str | None:
    """``KABUPATEN BANJAR`` -> ``Banjar``; ``PEMERINTAH KOTA X`` -> ``Kota X``; a labelled
    value (``Kabupaten : Banjar``) as it is; None when ``text`` names no region."""
    if labelled:
        return title_case(clean(text))
    m = _REGION.fullmatch(clean(text))
    if m is None:
        return None
    kind, name = m.group("kind").upper(), m.group("name")
    if kind in ("KABUPATEN", "KAB."):
        return title_case(name)
    return title_case(f"{m.group('kind')} {name}")


def _region(rak: Rak, text: str, where: str, labelled: bool = False) -> bool:
    name = _region_name(text, labelled)
    if name is None:
        return False
    if rak.kabupaten is not None:
        return rak.kabupaten.casefold() == name.casefold()
    rak.kabupaten = name
    rak.src.cells["kabupaten"] = where
    return True
