"""A VBA project (``xl/vbaProject.bin``) built from source text: MS-OVBA, the parts we need.

Excel compiles a module from its source when the project carries no p-code for it. So
each module stream holds only the compressed source (MODULEOFFSET 0) and
``_VBA_PROJECT`` is the bare 7-byte header with version 0xFFFF, exactly as in the
``xlwings`` module of xlwings' own quickstart workbook. What this module writes:

- ``compress``: the MS-OVBA 2.4.1 compression (LZ77 in 4096-byte chunks); oletools'
  ``decompress_stream`` is the inverse the tests check against;
- ``VBA/dir`` (2.3.4.2): project information, two references (OLE Automation, Office),
  one record group per module; compressed;
- ``PROJECT`` (2.3.1), with the CMG/DPB/GC values encrypted as 2.4.3 asks
  ("not protected", "no password", "visible"), and ``PROJECTwm`` (2.3.3);
- the compound file around them (``rak_xl.xlsm.cfb``).

No library maintained today writes this (``ms-ovba`` on PyPI corrupts its output).
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rak_xl.xlsm.cfb import build_compound_file

__all__ = [
    "Module",
    "ModuleKind",
    "build_vba_project",
    "compress",
    "encrypt_project_value",
    "project_stream",
]

ModuleKind = Literal["procedural", "document", "class"]
CODEPAGE = 1252  # the MBCS code page of names and source text (Western European)
ENCODING = "cp1252"
LCID = 0x0409
_CHUNK = 4096
# Project ID: fixed so that two builds are byte-identical.
PROJECT_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "https://rak-xl/vbaproject")).upper() + "}"

# References every new Excel workbook carries; resolved by GUID on the user's machine.
_REFERENCES = (
    (
        "stdole",
        "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
        "C:\\Windows\\System32\\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL"
        "#Microsoft Office 16.0 Object Library",
    ),
)


@dataclass(frozen=True)
class Module:
    """One VBA module: its name (also its stream name), kind and full source text.

    ``source`` is what the VBA editor stores, ``Attribute VB_Name`` lines included
    (the text of an exported ``.bas``; for a ``.cls`` without the ``VERSION``/``BEGIN``
    header). Line endings are normalised to CRLF when stored.
    """

    name: str
    kind: ModuleKind
    source: str


# -- MS-OVBA 2.4.1 compression ---------------------------------------------------------


def _copy_token_layout(difference: int) -> tuple[int, int]:
    """(offset bit count, maximum length) at ``difference`` bytes into a chunk (2.4.1.3.19.1)."""
    bit_count = max((difference - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(chunk: bytes) -> bytes:
    """The token sequences of one decompressed chunk (at most 4096 bytes)."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> earlier positions, newest last
    pos = 0
    end = len(chunk)
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len, best_off = 0, 0
            bit_count, max_len = _copy_token_layout(pos)
            key = chunk[pos : pos + 3]
            if pos and len(key) == 3:
                # Newest candidates first: the nearest match wins ties. Bounded search keeps
                # big modules fast; any valid match decodes identically.
                for cand in reversed(heads.get(key, [])[-256:]):
                    length = 0
                    limit = min(max_len, end - pos)
                    while length < limit and chunk[cand + length] == chunk[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            step = best_len if best_len >= 3 else 1
            for p in range(pos, pos + step):
                if p + 3 <= end:
                    heads.setdefault(chunk[p : p + 3], []).append(p)
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
            else:
                out.append(chunk[pos])
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1 CompressedContainer of ``data``.

    A chunk that does not shrink below 4096 bytes is stored raw (flag 0, 4096 bytes);
    only a final partial chunk of incompressible bytes is stored raw and short, which
    never happens for source text.
    """
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        chunk = data[start : start + _CHUNK]
        packed = _compress_chunk(chunk)
        if len(packed) <= _CHUNK:
            out += struct.pack("<H", 0xB000 | (len(packed) + 2 - 3)) + packed
        else:
            out += struct.pack("<H", 0x3000 | (_CHUNK + 2 - 3)) + chunk
    return bytes(out)


# -- PROJECT stream and its encrypted values (2.3.1, 2.4.3) -------------------------------


def encrypt_project_value(data: bytes, project_id: str, seed: int) -> str:
    """MS-OVBA 2.4.3.2 data encryption, as the hex text of CMG/DPB/GC.

    ``seed`` is a byte chosen by the writer; fixing it keeps builds reproducible.
    """
    version = 2
    proj_key = sum(project_id.encode(ENCODING)) & 0xFF
    version_enc, proj_key_enc = seed ^ version, seed ^ proj_key
    out = bytearray([seed, version_enc, proj_key_enc])
    unencrypted_1, encrypted_1, encrypted_2 = proj_key, proj_key_enc, version_enc
    ignored = bytes((seed & 6) // 2)  # IgnoredLength zero bytes
    for byte in ignored + struct.pack("<I", len(data)) + data:
        enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, enc, byte
    return out.hex().upper()


def project_stream(modules: Sequence[Module], project_id: str = PROJECT_ID) -> bytes:
    """The ``PROJECT`` stream: module list, project name, protection state, workspace."""
    lines = [f'ID="{project_id}"']
    for m in modules:
        if m.kind == "document":
            lines.append(f"Document={m.name}/&H00000000")
        elif m.kind == "class":
            lines.append(f"Class={m.name}")
        else:
            lines.append(f"Module={m.name}")
    cmg = encrypt_project_value(bytes(4), project_id, 0x11)  # not protected
    dpb = encrypt_project_value(bytes(1), project_id, 0x13)  # no password
    gc = encrypt_project_value(bytes([0xFF]), project_id, 0x15)  # visible
    lines += [
        'Name="VBAProject"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{cmg}"',
        f'DPB="{dpb}"',
        f'GC="{gc}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING)


def projectwm_stream(modules: Sequence[Module]) -> bytes:
    """``PROJECTwm``: each module name in MBCS and UTF-16, then a 0x0000 terminator."""
    out = bytearray()
    for m in modules:
        out += m.name.encode(ENCODING) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


# -- dir stream (2.3.4.2) -------------------------------------------------------------


def _rec(rec_id: int, body: bytes) -> bytes:
    return struct.pack("<HI", rec_id, len(body)) + body


def _text_rec(rec_id: int, unicode_id: int, text: str) -> bytes:
    """A record holding MBCS text followed by its UTF-16 twin (names, doc strings)."""
    return _rec(rec_id, text.encode(ENCODING)) + _rec(unicode_id, text.encode("utf-16-le"))


def dir_stream(modules: Sequence[Module]) -> bytes:
    """The decompressed ``dir`` stream."""
    out = bytearray()
    out += _rec(0x0001, struct.pack("<I", 3))  # PROJECTSYSKIND: 64-bit Windows
    out += _rec(0x0002, struct.pack("<I", LCID))  # PROJECTLCID
    out += _rec(0x0014, struct.pack("<I", LCID))  # PROJECTLCIDINVOKE
    out += _rec(0x0003, struct.pack("<H", CODEPAGE))  # PROJECTCODEPAGE
    out += _rec(0x0004, b"VBAProject")  # PROJECTNAME
    out += _text_rec(0x0005, 0x0040, "")  # PROJECTDOCSTRING
    out += _text_rec(0x0006, 0x003D, "")  # PROJECTHELPFILEPATH (twice, same text)
    out += _rec(0x0007, struct.pack("<I", 0))  # PROJECTHELPCONTEXT
    out += _rec(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    # PROJECTVERSION: Reserved (=4), VersionMajor, VersionMinor; no size field of its own.
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)
    out += _text_rec(0x000C, 0x003C, "")  # PROJECTCONSTANTS
    for name, libid in _REFERENCES:
        out += _text_rec(0x0016, 0x003E, name)  # REFERENCENAME
        lib = libid.encode(ENCODING)
        # REFERENCEREGISTERED: SizeOfLibid, Libid, Reserved1 (4), Reserved2 (2).
        out += _rec(0x000D, struct.pack("<I", len(lib)) + lib + bytes(6))
    out += _rec(0x000F, struct.pack("<H", len(modules)))  # PROJECTMODULES count
    out += _rec(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for m in modules:
        out += _text_rec(0x0019, 0x0047, m.name)  # MODULENAME + MODULENAMEUNICODE
        out += _text_rec(0x001A, 0x0032, m.name)  # MODULESTREAMNAME
        out += _text_rec(0x001C, 0x0048, "")  # MODULEDOCSTRING
        out += _rec(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source only, no p-code
        out += _rec(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        out += _rec(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        out += _rec(0x0021 if m.kind == "procedural" else 0x0022, b"")  # MODULETYPE
        out += _rec(0x002B, b"")  # module terminator
    out += _rec(0x0010, b"")  # dir terminator (Id 0x0010, Reserved 0)
    return bytes(out)


# -- the whole project ----------------------------------------------------------------


def normalise_source(text: str) -> bytes:
    """Source text as VBA stores it: CRLF line ends, code page 1252, ending with CRLF."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING)


def build_vba_project(modules: Sequence[Module]) -> bytes:
    """The bytes of ``vbaProject.bin`` holding ``modules`` (compiled by Excel on open)."""
    names = [m.name.upper() for m in modules]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate module names: {[m.name for m in modules]}")
    streams = {
        "PROJECT": project_stream(modules),
        "PROJECTwm": projectwm_stream(modules),
        # Reserved1 0x61CC, Version 0xFFFF (no p-code: compile from source), Reserved2/3.
        "VBA/_VBA_PROJECT": bytes.fromhex("cc61ffff000100"),
        "VBA/dir": compress(dir_stream(modules)),
    }
    for m in modules:
        streams[f"VBA/{m.name}"] = compress(normalise_source(m.source))
    return build_compound_file(streams)
