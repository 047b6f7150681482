"""Zip directory checks, bounded streaming of parts, and a DTD-refusing expat parser."""

from __future__ import annotations

import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Callable, Iterator

from rak_xl.errors import WorkbookUnreadable
from rak_xl.workbook import _limits
from rak_xl.workbook._limits import (
    MAX_ENTRIES,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    RATIO_CHECK_BYTES,
)


def _corrupt(name: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} rusak atau terpotong (arsip zip tidak lengkap); salin ulang atau "
        "simpan ulang dari Excel lalu coba lagi."
    )


def _password(name: str, app: str = "Excel") -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} dilindungi kata sandi; buka di {app}, hapus kata sandinya, lalu coba lagi."
    )


def _check_directory(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """Bounds that need only the central directory: nothing is decompressed yet."""
    if len(infos) > MAX_ENTRIES:
        raise WorkbookUnreadable(
            f"File {name} ditolak: berisi {len(infos)} bagian (terlalu banyak)."
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in seen:
            raise WorkbookUnreadable(
                f"File {name} ditolak: bagian {info.filename} muncul dua kali di arsip."
            )
        seen.add(info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkbookUnreadable(
                f"File {name} memakai kompresi yang tidak didukung; simpan ulang dari Excel."
            )
        if info.flag_bits & 0x1:
            raise _password(name)
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise _bomb(name, info.filename)
        if info.file_size > RATIO_CHECK_BYTES and ratio > MAX_RATIO:
            raise WorkbookUnreadable(
                f"File {name} ditolak: bagian {info.filename} terlalu besar dan dikompresi "
                f"secara tidak wajar (lebih dari {MAX_RATIO}:1; kemungkinan zip bomb)."
            )


def _bomb(name: str, part: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} ditolak: bagian {part} mengembang terlalu besar saat dibuka "
        f"(batas {MAX_PART_BYTES // 2**20} MB per bagian, {MAX_TOTAL_BYTES // 2**20} MB total)."
    )


def _read_small(zf: zipfile.ZipFile, part: str, name: str) -> bytes:
    return b"".join(_stream(zf, zf.getinfo(part), name))


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """Decompress one part in chunks, refusing it when it inflates past its declared size.

    Python's zipfile stops at the declared size; a zip bomb can declare a small size while
    its deflate stream runs on (other readers would follow the stream). Asking for one byte
    more than declared tells the two apart.
    """
    probe = zipfile.ZipInfo(info.filename, info.date_time)
    for attr in ("compress_type", "compress_size", "header_offset", "flag_bits", "extra"):
        setattr(probe, attr, getattr(info, attr))
    probe.file_size = info.file_size + 1
    # zipfile would fail on the CRC before handing over the extra byte; checked below.
    setattr(probe, "CRC", None)  # noqa: B010 (typeshed types CRC as int)
    got = crc = 0
    try:
        with zf.open(probe) as fh:
            while chunk := fh.read(_limits._CHUNK):
                got += len(chunk)
                if got > info.file_size:
                    raise WorkbookUnreadable(
                        f"File {name} ditolak: bagian {info.filename} mengembang terlalu "
                        "besar, melebihi ukuran yang tercatat di arsip (kemungkinan zip bomb)."
                    )
                crc = zlib.crc32(chunk, crc)
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, zlib.error) as exc:
        raise _corrupt(name) from exc
    if got != info.file_size or crc != info.CRC:
        raise _corrupt(name)


# --------------------------------------------------------------------------- XML scanning


class _Forbidden(Exception):
    """A DOCTYPE or entity declaration in a workbook part."""


def _forbid(*_args: object) -> None:
    raise _Forbidden


def _parser() -> xml.parsers.expat.XMLParserType:
    """An expat parser that refuses DTDs, as defusedxml's ``forbid_dtd`` does."""
    p = xml.parsers.expat.ParserCreate()
    p.StartDoctypeDeclHandler = _forbid
    p.EntityDeclHandler = _forbid
    p.UnparsedEntityDeclHandler = _forbid
    p.ExternalEntityRefHandler = _forbid  # type: ignore[assignment]
    p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.buffer_text = True
    return p


def _parse_part(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    setup: Callable[[xml.parsers.expat.XMLParserType], None] | None = None,
) -> None:
    """Stream one XML part through a DTD-refusing expat parser."""
    p = _parser()
    if setup is not None:
        setup(p)
    try:
        for chunk in _stream(zf, info, name):
            p.Parse(chunk, False)
        p.Parse(b"", True)
    except _Forbidden as exc:
        raise _dtd(name, info.filename) from exc
    except xml.parsers.expat.ExpatError as exc:
        raise _bad_xml(name, info.filename) from exc


def _dtd(name: str, part: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} ditolak: bagian {part} memuat deklarasi DOCTYPE/entitas XML yang tidak "
        "diizinkan (kemungkinan file berbahaya)."
    )


def _bad_xml(name: str, part: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"File {name} rusak: bagian {part} bukan XML yang sah; simpan ulang dari Excel lalu "
        "coba lagi."
    )
