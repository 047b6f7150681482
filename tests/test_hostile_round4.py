"""Hostile input of the fourth round: cells and rows placed by order (no ``r``), cell
addresses no sheet has, .ods/.xls values the .xlsx format cannot hold, and a ``--dpa``
file with foreign digits or control characters. Each is refused in one Indonesian
sentence naming where (exit 2, nothing written), or handled as the format says."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from cli_run import SEED

from rak_xl.cellref import col_index
from rak_xl.cli import main
from rak_xl.dpa import load_dpa
from rak_xl.errors import RakError
from rak_xl.workbook import load_grids

ODS = SEED.parent / "clean_official.ods"
SHEET = "xl/worksheets/sheet1.xml"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _write(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _edit_sheet(src: Path, dst: Path, fn: object) -> Path:
    parts = _parts(src)
    parts[SHEET] = fn(parts[SHEET])  # type: ignore[operator]
    return _write(dst, parts)


def _refused(capsys: pytest.CaptureFixture[str], *contains: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "pengembang" not in err and "tak terduga" not in err, err
    for text in contains:
        assert text in lines[0], (text, lines[0])
    return lines[0]


# -- 1. rows and cells without r -----------------------------------------------------------
def _by_order(data: bytes) -> bytes:
    """The sheet as a generator writing every row and cell in order writes it: gaps filled
    with empty ``<row/>`` and ``<c/>``, and no ``r`` anywhere (ECMA-376 18.3.1.73/4)."""

    def cells(m: re.Match[bytes]) -> bytes:
        prev = 0

        def cell(c: re.Match[bytes]) -> bytes:
            nonlocal prev
            col = col_index(c.group(1).decode())
            pad, prev = b"<c/>" * (col - prev - 1), col
            return pad + b"<c"

        return re.sub(rb'<c r="([A-Z]+)\d+"', cell, m.group(0))

    data = re.sub(rb"<row[ >].*?</row>", cells, data, flags=re.S)
    prev = 0

    def row(m: re.Match[bytes]) -> bytes:
        nonlocal prev
        r = int(m.group(1))
        pad, prev = b"<row/>" * (r - prev - 1), r
        return pad + b"<row" + m.group(2)

    data = re.sub(rb'<row r="(\d+)"([ >/])', row, data)
    assert b' r="' not in data.split(b"<sheetData>")[1]
    return data


def _values(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's values; our hidden mark record aside (it notes whether a marked cell
    had an element, and the padded sheet has an empty ``<c/>`` for every cell)."""
    return {g.sheet: [list(r) for r in g.rows] for g in load_grids(path) if g.sheet != "_rak_xl"}


@pytest.mark.parametrize(
    "cmd",
    [
        ["validate", "--mark"],
        *(pytest.param(c, marks=pytest.mark.slow) for c in (["regenerate"], ["recalc"])),
    ],
)
def test_positions_by_order_are_edited_where_they_are(tmp_path: Path, cmd: list[str]) -> None:
    """A sheet without ``r`` addresses reads and is written exactly as the same sheet
    with them: the same values in the same cells after every writing command, and the
    parts the command does not own kept byte for byte."""
    explicit = tmp_path / "explicit.xlsx"
    shutil.copy(SEED, explicit)
    if cmd == ["recalc"]:  # recalc needs the official totals rows
        assert main(["regenerate", str(explicit)]) == 0
    implicit = _edit_sheet(explicit, tmp_path / "implicit.xlsx", _by_order)
    assert _values(implicit) == _values(explicit)
    before = _parts(implicit)
    codes = [main([cmd[0], str(p), *cmd[1:]]) for p in (explicit, implicit)]
    assert codes[0] == codes[1] and codes[0] in (0, 1)
    assert _values(implicit) == _values(explicit)
    after = _parts(implicit)
    for name in ("xl/theme/theme1.xml", "docProps/core.xml", "_rels/.rels"):
        assert after[name] == before[name], name


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        # a row without r after row 86 is row 87: its cell cannot be A100
        (b'<row><c r="A100"><v>5</v></c></row></sheetData>', "'A100' di dalam baris 87"),
        (b'<row r="90"/><row r="90"/></sheetData>', "baris bernomor '90' (tertulis dua kali"),
    ],
)
def test_contradicting_positions_are_refused_on_write(
    tmp_path: Path, edit: bytes, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Positions the file states twice and differently: an edit would land elsewhere than
    where a reader shows the cell, so a writing command refuses, naming it."""
    src = _edit_sheet(SEED, tmp_path / "rak.xlsx", lambda d: d.replace(b"</sheetData>", edit))
    in_row_9 = _edit_sheet(SEED, tmp_path / "row9.xlsx", _cell_in_row_9("Z10"))
    for path, words in [(src, why), (in_row_9, "'Z10' di dalam baris 9")]:
        before = _sha(path)
        assert main(["validate", str(path), "--mark"]) == 2
        _refused(capsys, words, "Sheet 'RA 2020'", "rusak", "simpan ulang")
        assert _sha(path) == before


@pytest.mark.slow
def test_libreoffice_opens_what_was_written_from_positions_by_order(
    tmp_path: Path, libreoffice: object
) -> None:
    from lo import LibreOffice

    assert isinstance(libreoffice, LibreOffice)
    src = _edit_sheet(SEED, tmp_path / "implicit.xlsx", _by_order)
    assert main(["regenerate", str(src)]) == 0
    (result,) = libreoffice.run(
        [{"kind": "recalc_values", "path": str(src), "sheet": "RA 2020", "range": "A1:H20"}]
    )
    ours = next(g for g in load_grids(src) if g.sheet == "RA 2020")
    texts = [
        (r, c, v)
        for r, row in enumerate(result["range"])
        for c, v in enumerate(row)
        if isinstance(v, str) and v
    ]
    assert len(texts) > 20
    assert all(ours.value(r + 1, c + 1) == v for r, c, v in texts), texts


# -- 2. addresses no sheet has ---------------------------------------------------------------
def _cell_in_row_9(ref: str) -> object:
    def edit(data: bytes) -> bytes:
        m = re.search(rb'<row r="9"[^>]*>.*?</row>', data, re.S)
        assert m is not None
        cell = b'<c r="' + ref.encode() + b'" t="inlineStr"><is><t>x</t></is></c>'
        return data[: m.end() - 6] + cell + data[m.end() - 6 :]

    return edit


@pytest.mark.parametrize("ref", ["XFE9", "AAAA9", "A1048577", "A0", "$Z$9"])
@pytest.mark.parametrize("cmd", [["export"], ["validate", "--mark"], ["regenerate"]])
def test_an_address_no_sheet_has_is_named(
    tmp_path: Path, ref: str, cmd: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    src = _edit_sheet(SEED, tmp_path / "rak.xlsx", _cell_in_row_9(ref))
    before = _sha(src)
    assert main([cmd[0], str(src), *cmd[1:]]) == 2
    _refused(capsys, f"'{ref}'", "Sheet 'RA 2020'", "rusak", "simpan ulang")
    assert _sha(src) == before and [p.name for p in tmp_path.iterdir()] == ["rak.xlsx"]


def test_a_lower_case_address_is_the_same_cell(tmp_path: Path) -> None:
    """``b2`` is unambiguous (calamine and the writer both read it as B2): accepted."""
    lower = _edit_sheet(SEED, tmp_path / "lower.xlsx", lambda d: d.replace(b'r="B9"', b'r="b9"', 1))
    assert _values(lower) == _values(SEED)
    assert main(["validate", str(lower), "--mark"]) in (0, 1)
    explicit = tmp_path / "explicit.xlsx"
    shutil.copy(SEED, explicit)
    assert main(["validate", str(explicit), "--mark"]) in (0, 1)
    assert _values(lower) == _values(explicit)


# -- 3. .ods values an .xlsx cannot hold -----------------------------------------------------
def _ods_with(tmp_path: Path, table: str) -> Path:
    parts = _parts(ODS)
    parts["content.xml"] = parts["content.xml"].replace(
        b"</office:spreadsheet>", table.encode() + b"</office:spreadsheet>"
    )
    path = tmp_path / "rak.ods"
    with zipfile.ZipFile(path, "w") as z:  # mimetype first and stored, as ODS requires
        for name, data in parts.items():
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(name, data, compress_type=kind)
    return path


def _text_cell(text: str) -> str:
    return (
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'
    )


@pytest.mark.parametrize(
    ("table", "words"),
    [
        (
            '<table:table table:name="Lain"><table:table-row>'
            + _text_cell("x" * 40_000)
            + "</table:table-row></table:table>",
            ["sel A1 di lembar 'Lain'", "32.767 karakter"],
        ),
        (
            '<table:table table:name="Jauh"><table:table-row table:number-rows-repeated='
            '"1048576"><table:table-cell/></table:table-row><table:table-row>'
            + _text_cell("jauh")
            + "</table:table-row></table:table>",
            ["lembar 'Jauh' punya isi di baris 1.048.577"],
        ),
        (
            '<table:table table:name="Lebar"><table:table-row><table:table-cell '
            'table:number-columns-repeated="16384"/>'
            + _text_cell("lebar")
            + "</table:table-row></table:table>",
            ["lembar 'Lebar' punya isi di kolom XFE"],
        ),
    ],
)
def test_an_ods_is_not_converted_with_values_lost(
    tmp_path: Path, table: str, words: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """XlsxWriter cuts a text over 32,767 characters and drops a cell beyond XFD1048576
    without a word; the new .xlsx is what the user keeps, so the conversion is refused.
    Reading (validate, export) loses nothing and goes on."""
    src = _ods_with(tmp_path, table)
    assert main(["validate", str(src)]) in (0, 1)
    capsys.readouterr()
    before = _sha(src)
    for cmd in (["validate", "--mark"], ["regenerate"]):
        assert main([cmd[0], str(src), *cmd[1:]]) == 2
        _refused(capsys, "tidak diubah ke .xlsx", "isinya akan hilang", *words)
    assert _sha(src) == before and [p.name for p in tmp_path.iterdir()] == ["rak.ods"]


# -- 4. the --dpa file ---------------------------------------------------------------------
def _row(name: str, january: str) -> str:
    return ";".join([name, january, *["0"] * 11])


HEAD = "uraian;" + ";".join(f"b{m}" for m in range(1, 13))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (_row("A", "١٢٣"), "baris 1 (Januari): '١٢٣' memakai angka selain 0-9"),  # Arabic-Indic
        (_row("A", "۱۲۳"), "angka selain 0-9"),  # extended Arabic-Indic
        (_row("A", "１２３"), "angka selain 0-9"),  # fullwidth
        (_row("A", "1.23४"), "angka selain 0-9"),  # Devanagari, one digit
        (
            f"{HEAD}\n{_row('A', '1')}\n{_row('B', '2')}\x00\n",
            "baris 3 berisi karakter kendali (NUL)",
        ),
        (
            f"{_row('A', '1')}\r{_row('B', '2')}\x0c\r",
            "baris 2 berisi karakter kendali (kode 0x0c)",
        ),
        (f"{_row('A', '1')}\r{_row('B', 'x')}\r", "baris 2 (Januari): 'x' bukan angka"),  # CR only
        ('{"A": ["١", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}', "kegiatan 'A' Januari: '١' memakai"),
    ],
)
def test_dpa_refusals_name_the_row(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "dpa.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(RakError) as exc:
        load_dpa(path)
    assert str(exc.value).startswith(f"File DPA {path} ditolak: ") and words in str(exc.value)


@pytest.mark.parametrize(
    "data",
    [
        f"{_row('A', '1')}\n\ufeff{_row('B', '2')}\n".encode(),  # two exports pasted together
        f"{_row('A', '1')}\r{_row('B', '2')}\r".encode(),  # old Mac line ends
        f"{_row('A', '1')}\r\n{_row('B', '2')}\r\n".encode("utf-16"),
        f"{_row('A', '1')}\r\n{_row('B', '2')}\r\n".encode("utf-16-le"),
    ],
)
def test_dpa_forms_that_are_read(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "dpa.csv"
    path.write_bytes(data)
    zeros = [0] * 11
    assert load_dpa(path) == {"A": [1, *zeros], "B": [2, *zeros]}


def test_dpa_large_renamed_or_empty_is_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "besar.csv"
    with big.open("wb") as fh:
        fh.truncate(300 * 2**20)  # sparse: the size is refused from stat, nothing is read
    renamed = tmp_path / "rak.csv"
    shutil.copy(SEED, renamed)
    empty = tmp_path / "kosong.csv"
    empty.touch()
    for path, words in [(big, "terlalu besar (300 MB)"), (renamed, "workbook Excel"),
                        (empty, "kosong")]:  # fmt: skip
        with pytest.raises(RakError) as exc:
            load_dpa(path)
        assert words in str(exc.value)
