"""The VBA project writer (MS-OVBA compression, dir/PROJECT streams, MS-CFB) against
real readers: oletools' decompressor and VBA parser, olefile, and xlwings' own
quickstart workbook (written by Excel) as the reference for the encrypted values."""

from __future__ import annotations

import io
import random
import struct
from pathlib import Path

import olefile
import pytest
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from rak_xl.xlsm.cfb import _Entry, _link_children, _sort_key, build_compound_file
from rak_xl.xlsm.ovba import (
    PROJECT_ID,
    Module,
    build_vba_project,
    compress,
    dir_stream,
    encrypt_project_value,
    normalise_source,
    project_stream,
)
from rak_xl.xlsm.vba_project import DOCUMENT_MODULES, project_modules, udf_wrapper_source

XLWINGS_DIR = Path(xlwings.__file__).parent


def _roundtrip(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(compress(data))))


# -- compression -------------------------------------------------------------------------

_rng = random.Random(20200101)
_CASES = {
    "empty": b"",
    "one": b"a",
    "three": b"abc",
    "run": b"a" * 5000,
    "zeros_one_chunk": bytes(4096),
    "zeros_two_chunks": bytes(8192),
    "chunk_minus_one": b"Sub X()\r\n" * 455,  # 4095 bytes
    "chunk_plus_one": (b"abcdefgh" * 512) + b"!",
    "random_partial": _rng.randbytes(3000),
    "random_exact": _rng.randbytes(4096),
    "random_long": _rng.randbytes(10000),
    "mixed": _rng.randbytes(2000) + b"x" * 3000 + _rng.randbytes(2000),
    "periodic_17": bytes(range(17)) * 700,
}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_compression_round_trips_through_oletools(name: str) -> None:
    assert _roundtrip(_CASES[name]) == _CASES[name]


def test_incompressible_full_chunk_is_stored_raw() -> None:
    data = _CASES["random_exact"]
    packed = compress(data)
    assert packed[0] == 1
    assert struct.unpack_from("<H", packed, 1)[0] == 0x3FFF  # raw chunk header
    assert len(packed) == 1 + 2 + 4096


def test_text_compresses_like_excel() -> None:
    source = (XLWINGS_DIR / "xlwings.bas").read_bytes()
    packed = compress(source)
    assert _roundtrip(source) == source
    # Excel's own stream for this module (quickstart workbook) is 19,531 bytes.
    assert len(packed) < 21000


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=9000))
def test_compression_property_binary(data: bytes) -> None:
    assert _roundtrip(data) == data


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab \r\n'\"()=", max_size=12000))
def test_compression_property_repetitive(text: str) -> None:
    data = text.encode()
    assert _roundtrip(data) == data


# -- compound file -----------------------------------------------------------------------


def _rb_check(entries: list[_Entry], sid: int) -> int:
    """Black height of the subtree at ``sid``; asserts order and red-black rules."""
    if sid == 0xFFFFFFFF:
        return 1
    node = entries[sid]
    for side, child in (("left", node.left), ("right", node.right)):
        if child != 0xFFFFFFFF:
            kid = entries[child]
            if not node.black:
                assert kid.black, "red node with a red child"
            before = _sort_key(kid.name) < _sort_key(node.name)
            assert before == (side == "left")
    left, right = _rb_check(entries, node.left), _rb_check(entries, node.right)
    assert left == right, "unequal black heights"
    return left + (1 if node.black else 0)


@pytest.mark.parametrize("n", range(1, 40))
def test_directory_tree_is_a_valid_red_black_tree(n: int) -> None:
    root = _Entry("Root Entry", 5)
    names = [f"S{i:02d}" + "x" * (i % 3) for i in range(n)]
    for sid, name in enumerate(names):
        root.children[name.upper()] = _Entry(name, 2, sid=sid)
    _link_children(root)
    entries = sorted(root.children.values(), key=lambda e: e.sid)
    assert entries[root.child].black
    _rb_check(entries, root.child)
    # every entry reachable exactly once
    seen: list[int] = []

    def walk(sid: int) -> None:
        if sid != 0xFFFFFFFF:
            seen.append(sid)
            walk(entries[sid].left)
            walk(entries[sid].right)

    walk(root.child)
    assert sorted(seen) == list(range(n))


def test_names_sort_by_length_then_uppercase() -> None:
    names = ["dir", "_VBA_PROJECT", "Sheet1", "xlwings", "ThisWorkbook", "a", "B"]
    assert sorted(names, key=_sort_key) == [
        "a", "B", "dir", "Sheet1", "xlwings", "ThisWorkbook", "_VBA_PROJECT",
    ]  # fmt: skip


def test_compound_file_read_back_by_olefile() -> None:
    sizes = [0, 1, 63, 64, 65, 4095, 4096, 4097, 70000]  # mini stream, regular, 2 FAT sectors
    streams = {f"S/s{size}": _rng.randbytes(size) for size in sizes}
    streams["TOP"] = b"top"
    blob = build_compound_file(streams)
    assert len(blob) % 512 == 0
    ole = olefile.OleFileIO(io.BytesIO(blob))
    for path, data in streams.items():
        assert ole.openstream(path).read() == data
        assert ole.get_size(path) == len(data)
    assert ole.get_type("S") == olefile.STGTY_STORAGE
    assert sorted("/".join(p) for p in ole.listdir()) == sorted(streams)


def test_compound_file_rejects_clashes() -> None:
    with pytest.raises(ValueError):
        build_compound_file({"A/b": b"1", "a/B": b"2"})
    with pytest.raises(ValueError):
        build_compound_file({"A": b"1", "A/b": b"2"})


# -- PROJECT stream encryption (MS-OVBA 2.4.3) ---------------------------------------------


def _decrypt(hex_text: str) -> tuple[int, bytes]:
    """MS-OVBA 2.4.3.3 decryption: (project key, data)."""
    enc = bytes.fromhex(hex_text)
    seed, version_enc, proj_key_enc = enc[0], enc[1], enc[2]
    assert seed ^ version_enc == 2
    proj_key = seed ^ proj_key_enc
    unencrypted_1, encrypted_1, encrypted_2 = proj_key, proj_key_enc, version_enc
    out = bytearray()
    for byte_enc in enc[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    ignored = (seed & 6) // 2
    length = struct.unpack_from("<I", out, ignored)[0]
    data = bytes(out[ignored + 4 :])
    assert len(data) == length
    return proj_key, data


def test_decryption_matches_excel_quickstart() -> None:
    """Our reading of 2.4.3 decrypts what Excel wrote in xlwings' quickstart workbook."""
    qs_id = "{5CF9CDAB-B77B-4FE4-BD7E-D29900070E1B}"
    key = sum(qs_id.encode()) & 0xFF
    assert _decrypt("8D8FA61394EA98EA98EA98EA98") == (key, bytes(4))
    assert _decrypt("8D8FA61394EF95EF95EF") == (key, b"\x00")
    assert _decrypt("8D8FA61394EF95EF9510") == (key, b"\xff")


@pytest.mark.parametrize("seed", [0x00, 0x02, 0x06, 0x11, 0x8D, 0xFF])
@pytest.mark.parametrize("data", [bytes(4), b"\x00", b"\xff", b"secret!"])
def test_encryption_round_trip(seed: int, data: bytes) -> None:
    key, plain = _decrypt(encrypt_project_value(data, PROJECT_ID, seed))
    assert plain == data
    assert key == sum(PROJECT_ID.encode()) & 0xFF


# -- project streams -----------------------------------------------------------------------

_SAMPLE = [
    Module("ThisWorkbook", "document", 'Attribute VB_Name = "ThisWorkbook"\n'),
    Module("Sheet1", "document", 'Attribute VB_Name = "Sheet1"\n'),
    Module("Tools", "procedural", 'Attribute VB_Name = "Tools"\nSub A()\nEnd Sub\n'),
    Module("Dict", "class", 'Attribute VB_Name = "Dict"\n'),
]


def test_project_stream_lists_modules_by_kind() -> None:
    text = project_stream(_SAMPLE).decode("cp1252")
    lines = text.split("\r\n")
    assert lines[0] == f'ID="{PROJECT_ID}"'
    assert lines[1:5] == [
        "Document=ThisWorkbook/&H00000000",
        "Document=Sheet1/&H00000000",
        "Module=Tools",
        "Class=Dict",
    ]
    assert 'Name="VBAProject"' in lines
    assert "[Host Extender Info]" in lines
    assert text.endswith("\r\n")


def _records(data: bytes) -> list[tuple[int, bytes]]:
    out, i = [], 0
    while i < len(data):
        rec_id, size = struct.unpack_from("<HI", data, i)
        if rec_id == 0x0009:  # PROJECTVERSION: its "size" is a reserved 4, body is 6 bytes
            size = 6
        out.append((rec_id, data[i + 6 : i + 6 + size]))
        i += 6 + size
    return out


def test_dir_stream_records() -> None:
    recs = _records(dir_stream(_SAMPLE))
    first = dict(recs[:5])
    assert first[0x0003] == struct.pack("<H", 1252)  # PROJECTCODEPAGE
    assert first[0x0002] == struct.pack("<I", 0x409)  # PROJECTLCID
    assert recs[-1] == (0x0010, b"")
    names = [body.decode() for rid, body in recs if rid == 0x0019]
    assert names == ["ThisWorkbook", "Sheet1", "Tools", "Dict"]
    assert [body for rid, body in recs if rid == 0x0031] == [bytes(4)] * 4  # MODULEOFFSET 0
    types = [rid for rid, _ in recs if rid in (0x0021, 0x0022)]
    assert types == [0x0022, 0x0022, 0x0021, 0x0022]
    assert dict(recs)[0x000F] == struct.pack("<H", 4)


def test_sample_project_read_back_by_olevba(tmp_path: Path) -> None:
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(build_vba_project(_SAMPLE))
    parser = VBA_Parser(str(path))
    got = {stream: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    assert got == {f"VBA/{m.name}": normalise_source(m.source).decode() for m in _SAMPLE}


def test_vba_project_streams() -> None:
    blob = build_vba_project(_SAMPLE)
    ole = olefile.OleFileIO(io.BytesIO(blob))
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000100")
    wm = ole.openstream("PROJECTwm").read()
    assert wm.startswith(b"ThisWorkbook\x00T\x00h\x00") and wm.endswith(b"\x00\x00\x00\x00")
    listed = sorted("/".join(p) for p in ole.listdir())
    expected = ["PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir"]
    assert listed == sorted(expected + [f"VBA/{m.name}" for m in _SAMPLE])


def test_duplicate_module_names_are_rejected() -> None:
    with pytest.raises(ValueError):
        build_vba_project([_SAMPLE[2], Module("TOOLS", "procedural", "")])


def test_normalise_source() -> None:
    assert normalise_source("a\nb\r\nc\rd") == b"a\r\nb\r\nc\r\nd\r\n"
    assert normalise_source("a\r\n\r\n") == b"a\r\n\r\n"


# -- the template's modules ----------------------------------------------------------------


def test_runtime_modules_are_the_pinned_xlwings_text() -> None:
    modules = {m.name: m for m in project_modules(udf_module=None)}
    shipped = (XLWINGS_DIR / "xlwings.bas").read_bytes()
    assert normalise_source(modules["xlwings"].source) == shipped
    assert f"'Version: {xlwings.__version__}" in modules["xlwings"].source
    assert modules["Dictionary"].kind == "class"
    assert modules["RakButtons"].kind == "procedural"
    assert [m.name for m in modules.values() if m.kind == "document"] == list(DOCUMENT_MODULES)


def test_every_module_names_itself() -> None:
    for m in project_modules():
        assert m.source.splitlines()[0] == f'Attribute VB_Name = "{m.name}"'


def test_udf_wrappers_cover_every_udf_and_leave_no_trace() -> None:
    import sys

    import rak_xl.udfs as udfs

    before = {n: sys.modules.get(n) for n in ("pythoncom", "xlwings.udfs", "rak_xl.udfs")}
    decorators = (xlwings.func, xlwings.arg, xlwings.ret)
    source = udf_wrapper_source()
    assert {n: sys.modules.get(n) for n in before} == before
    assert (xlwings.func, xlwings.arg, xlwings.ret) == decorators
    for name in udfs.__all__:
        assert f"Function {name}(" in source
        assert f'XLPy.CallUDF("rak_xl.udfs", "{name}", ' in source
        assert f"Attribute {name}.VB_Description = " in source


def test_udf_wrapper_from_a_sample_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sample_udfs_a.py").write_text(
        "import xlwings as xw\n\n"
        "@xw.func\n"
        "def DOUBLE(x):\n"
        '    """Dua kali "x".\n\n    Detail."""\n'
        "    return 2 * x\n\n"
        "def helper():\n"
        "    return 1\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    source = udf_wrapper_source("sample_udfs_a")
    lines = source.split("\r\n")
    assert lines[0] == 'Attribute VB_Name = "xlwings_udfs"'
    assert "Function DOUBLE(x)" in lines
    assert lines[lines.index("Function DOUBLE(x)") + 1] == (
        "Attribute DOUBLE.VB_Description = \"Dua kali 'x'.\""
    )
    assert "helper" not in source
    assert "\n" not in source.replace("\r\n", "")  # CRLF only
