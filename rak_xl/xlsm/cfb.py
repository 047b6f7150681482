"""A minimal MS-CFB (OLE compound file) writer: enough for ``vbaProject.bin``.

``build_compound_file({"PROJECT": b"...", "VBA/dir": b"..."})`` returns the bytes of a
version 3 compound file (512-byte sectors) holding those streams; storages are implied by
the paths. Streams shorter than 4096 bytes live in the mini stream (64-byte sectors), as
the specification requires. Everything is deterministic: no timestamps, zero CLSIDs.

Layout written: header | regular streams | mini stream | directory | mini FAT | FAT.
The FAT is listed in the header's 109 DIFAT slots (files up to ~7 MB; far beyond a VBA
project). Olefile and oletools read the result; the tests check both.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["build_compound_file"]

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_ENTRIES_PER_FAT_SECTOR = SECTOR // 4
_HEADER_DIFAT = 109


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    black: bool = True
    start: int = ENDOFCHAIN


def _sort_key(name: str) -> tuple[int, str]:
    """Directory order (MS-CFB 2.6.4): shorter names first, then by uppercase text."""
    return len(name.encode("utf-16-le")), name.upper()


def _tree(entries: list[_Entry], depth: int, max_depth: list[int]) -> int:
    """Link sorted ``entries`` as a balanced binary tree; return the root's SID."""
    if not entries:
        return NOSTREAM
    mid = len(entries) // 2
    node = entries[mid]
    node.left = _tree(entries[:mid], depth + 1, max_depth)
    node.right = _tree(entries[mid + 1 :], depth + 1, max_depth)
    max_depth.append(depth)
    return node.sid


def _color(entries: list[_Entry], depth: int, deepest: int) -> None:
    """Red-black colouring of a midpoint-balanced tree: the deepest level red, rest black.

    Every path from a node to a leaf then passes the same number of black nodes, because
    a midpoint-balanced tree has all its empty links on its last two levels.
    """
    if not entries:
        return
    mid = len(entries) // 2
    entries[mid].black = not (depth == deepest and depth > 0)
    _color(entries[:mid], depth + 1, deepest)
    _color(entries[mid + 1 :], depth + 1, deepest)


def _link_children(parent: _Entry) -> None:
    kids = sorted(parent.children.values(), key=lambda e: _sort_key(e.name))
    depths: list[int] = []
    parent.child = _tree(kids, 0, depths)
    full_levels = (len(kids) + 1).bit_length() - 1  # levels a perfect tree of len(kids) fills
    deepest = max(depths, default=0)
    # Colour the last level red only when it is incomplete; a perfect tree stays all black.
    _color(kids, 0, deepest if deepest >= full_levels else -1)
    for kid in kids:
        _link_children(kid)


def _dir_entry(e: _Entry) -> bytes:
    encoded = e.name.encode("utf-16-le")
    if len(encoded) > 62:
        raise ValueError(f"compound file name too long: {e.name!r}")
    size = len(e.data) if e.kind != 1 else 0
    start = e.start if e.kind != 1 else 0
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded) + 2, e.kind, 1 if e.black else 0)
        + struct.pack("<III", e.left, e.right, e.child)
        + bytes(16)  # CLSID
        + bytes(4)  # state bits
        + bytes(16)  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i + 1 < count else ENDOFCHAIN


def _pad(data: bytes, unit: int) -> bytes:
    return data + bytes(-len(data) % unit)


def build_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """Bytes of a compound file with ``streams`` (``"STORAGE/NAME"`` paths)."""
    root = _entries(streams)
    order = _in_sid_order(root)
    _link_children(root)
    root.black = True
    mini, mini_fat, big, big_runs = _sectors(order)
    at = _Layout.of(len(big) // SECTOR, len(mini), len(order), len(mini_fat))
    fat = _fat(at, big_runs, has_mini=bool(mini))
    if mini:
        root.start = at.ministream_start
    root.data = bytes(mini)  # the root entry's size is the mini stream's size
    body = (
        bytes(big)
        + _pad(bytes(mini), SECTOR)
        + _directory(order, at.dir_sectors)
        + _pad(b"".join(struct.pack("<I", x) for x in mini_fat), SECTOR)
        + b"".join(struct.pack("<I", x) for x in fat)
    )
    return _header(at) + body


def _entries(streams: Mapping[str, bytes]) -> _Entry:
    """The directory tree of ``streams``: storages implied by the paths."""
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        node = root
        *dirs, leaf = path.split("/")
        for d in dirs:
            node = node.children.setdefault(d.upper(), _Entry(d, 1))
            if node.kind != 1:
                raise ValueError(f"{path!r}: {d!r} is a stream")
        if leaf.upper() in node.children:
            raise ValueError(f"duplicate compound file entry: {path!r}")
        node.children[leaf.upper()] = _Entry(leaf, 2, data=bytes(data))
    return root


def _in_sid_order(root: _Entry) -> list[_Entry]:
    """SIDs in a fixed order: root first, then depth-first by directory order."""
    order: list[_Entry] = []

    def visit(e: _Entry) -> None:
        e.sid = len(order)
        order.append(e)
        for kid in sorted(e.children.values(), key=lambda k: _sort_key(k.name)):
            visit(kid)

    visit(root)
    return order


def _sectors(
    order: list[_Entry],
) -> tuple[bytearray, list[int], bytearray, list[tuple[_Entry, int, int]]]:
    """Small streams into the mini stream (their mini FAT chains and start set), the
    rest into regular sectors: (mini stream, mini FAT, regular sectors, (entry, first
    sector relative to the regular ones, sector count) per regular stream)."""
    mini = bytearray()
    mini_fat: list[int] = []
    big = bytearray()
    big_runs: list[tuple[_Entry, int, int]] = []
    for e in order:
        if e.kind != 2 or not e.data:
            continue
        if len(e.data) < MINI_CUTOFF:
            first, count = len(mini) // MINI_SECTOR, -(-len(e.data) // MINI_SECTOR)
            mini_fat += [0] * count
            _chain(mini_fat, first, count)
            e.start = first
            mini += _pad(e.data, MINI_SECTOR)
        else:
            first, count = len(big) // SECTOR, -(-len(e.data) // SECTOR)
            big_runs.append((e, first, count))
            big += _pad(e.data, SECTOR)
    return mini, mini_fat, big, big_runs


@dataclass(frozen=True)
class _Layout:
    """Where each part of the file starts and how many sectors it takes."""

    big_sectors: int
    ministream_sectors: int
    dir_sectors: int
    minifat_sectors: int
    fat_sectors: int

    @classmethod
    def of(cls, big_sectors: int, mini_bytes: int, entries: int, mini_fat: int) -> _Layout:
        ministream_sectors = -(-mini_bytes // SECTOR)
        dir_sectors = -(-entries // 4) * 4 * 128 // SECTOR
        minifat_sectors = -(-mini_fat * 4 // SECTOR)
        data_sectors = big_sectors + ministream_sectors + dir_sectors + minifat_sectors
        fat_sectors = 1
        while fat_sectors * _ENTRIES_PER_FAT_SECTOR < data_sectors + fat_sectors:
            fat_sectors += 1
        if fat_sectors > _HEADER_DIFAT:
            raise ValueError("compound file too large for this writer (no DIFAT sectors)")
        return cls(big_sectors, ministream_sectors, dir_sectors, minifat_sectors, fat_sectors)

    @property
    def ministream_start(self) -> int:
        return self.big_sectors

    @property
    def dir_start(self) -> int:
        return self.ministream_start + self.ministream_sectors

    @property
    def minifat_start(self) -> int:
        return self.dir_start + self.dir_sectors

    @property
    def fat_start(self) -> int:
        return self.minifat_start + self.minifat_sectors


def _fat(at: _Layout, big_runs: list[tuple[_Entry, int, int]], has_mini: bool) -> list[int]:
    """The FAT: the chains of the regular streams (their start set), the mini stream,
    the directory and the mini FAT, and the FAT's own sectors."""
    fat = [FREESECT] * (at.fat_sectors * _ENTRIES_PER_FAT_SECTOR)
    for e, first, count in big_runs:
        e.start = first
        _chain(fat, first, count)
    if has_mini:
        _chain(fat, at.ministream_start, at.ministream_sectors)
    _chain(fat, at.dir_start, at.dir_sectors)
    if at.minifat_sectors:
        _chain(fat, at.minifat_start, at.minifat_sectors)
    for i in range(at.fat_sectors):
        fat[at.fat_start + i] = FATSECT
    return fat


def _directory(order: list[_Entry], sectors: int) -> bytes:
    """The directory entries in SID order, padded with unused entries."""
    directory = b"".join(_dir_entry(e) for e in order)
    unused = bytes(64) + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", *[NOSTREAM] * 3)
    unused = unused.ljust(128, b"\x00")
    return directory + unused * ((sectors * SECTOR - len(directory)) // 128)


def _header(at: _Layout) -> bytes:
    difat = list(range(at.fat_start, at.fat_start + at.fat_sectors))
    difat += [FREESECT] * (_HEADER_DIFAT - len(difat))
    first_minifat = at.minifat_start if at.minifat_sectors else ENDOFCHAIN
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)  # CLSID
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)  # versions, byte order, shifts
        + bytes(6)
        + struct.pack("<II", 0, at.fat_sectors)  # directory sectors (0 in v3), FAT sectors
        + struct.pack("<II", at.dir_start, 0)  # first directory sector, transaction signature
        + struct.pack("<I", MINI_CUTOFF)
        + struct.pack("<II", first_minifat, at.minifat_sectors)
        + struct.pack("<II", ENDOFCHAIN, 0)  # no DIFAT sectors
        + struct.pack(f"<{_HEADER_DIFAT}I", *difat)
    )
    assert len(header) == SECTOR
    return header
