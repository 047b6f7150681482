"""A zip writer that copies parts as their compressed bytes (ECMA-376 packages are zips).

Python's ``zipfile`` can only write a part by compressing it again: the copy would hold
the same bytes once inflated, but not the same stream, and re-deflating every picture and
``vbaProject.bin`` costs time for nothing. Copying the stored stream (local header
rewritten, data untouched, central directory written anew) keeps each part we do not own
exactly as it was. No zip64: the reader's limits (``rak_xl.workbook._limits``: 200 MB
file, 256 MB inflated, 10,000 parts) stay far below its 4 GB / 65,535 thresholds.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO

__all__ = ["FIXED_TIME", "ZipOut"]

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # new parts: the same bytes on every run
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_CHUNK = 1 << 20


def _dos(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    y = min(max(y, 1980), 2107)
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


class ZipOut:
    """Write a zip part by part: ``copy`` (stored stream) or ``add`` (new bytes)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.offset = 0
        self.central: list[bytes] = []

    def _entry(
        self,
        name: str,
        *,
        method: int,
        flags: int,
        date_time: tuple[int, int, int, int, int, int],
        crc: int,
        csize: int,
        usize: int,
    ) -> None:
        try:
            raw_name = name.encode("ascii")
        except UnicodeEncodeError:
            raw_name, flags = name.encode("utf-8"), flags | 0x800
        flags &= ~0x8  # sizes are in the local header: no data descriptor
        t, d = _dos(date_time)
        version = 20
        header = _LOCAL.pack(
            b"PK\x03\x04", version, flags, method, t, d, crc, csize, usize, len(raw_name), 0
        )
        central = _CENTRAL.pack(
            b"PK\x01\x02", version, version, flags, method, t, d, crc, csize, usize,
            len(raw_name), 0, 0, 0, 0, 0, self.offset,
        )  # fmt: skip
        self.central.append(central + raw_name)
        self.fh.write(header + raw_name)
        self.offset += len(header) + len(raw_name) + csize

    def copy(self, src: BinaryIO, info: zipfile.ZipInfo) -> None:
        """Copy ``info``'s compressed stream from the open source zip file ``src``."""
        src.seek(info.header_offset)
        head = src.read(_LOCAL.size)
        if len(head) != _LOCAL.size or head[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        fields = _LOCAL.unpack(head)
        src.seek(fields[-2] + fields[-1], 1)  # name and extra field of the source
        self._entry(
            info.filename,
            method=info.compress_type,
            flags=info.flag_bits & 0x6,  # deflate option bits describe the stream
            date_time=info.date_time,
            crc=info.CRC,
            csize=info.compress_size,
            usize=info.file_size,
        )
        left = info.compress_size
        while left:
            chunk = src.read(min(left, _CHUNK))
            if not chunk:
                raise zipfile.BadZipFile(f"{info.filename} is truncated")
            self.fh.write(chunk)
            left -= len(chunk)

    def add(self, name: str, data: bytes) -> None:
        """A new or changed part, deflated."""
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        packed = comp.compress(data) + comp.flush()
        self._entry(
            name,
            method=zipfile.ZIP_DEFLATED,
            flags=0,
            date_time=FIXED_TIME,
            crc=zlib.crc32(data),
            csize=len(packed),
            usize=len(data),
        )
        self.fh.write(packed)

    def close(self) -> None:
        start = self.offset
        directory = b"".join(self.central)
        n = len(self.central)
        self.fh.write(directory + _END.pack(b"PK\x05\x06", 0, 0, n, n, len(directory), start, 0))
