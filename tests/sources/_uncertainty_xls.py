"""A minimal legacy ``.xls`` writer (BIFF8 in an OLE2 compound file), for test fixtures only.

xlwt is not a dependency and no binary fixture is committed, so the tests build the GPR workbook
at run time: one workbook-globals substream (BOF, DATEMODE, one XF, BOUNDSHEETs, EOF) and one
substream per sheet (BOF, DIMENSIONS, NUMBER/LABEL cells, EOF), wrapped in a version-3 compound
file with 512-byte sectors. The stream is padded to 4096 bytes so it lives in regular sectors
(no mini stream). Only what xlrd needs to read numbers and text is written.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FAT_SECTOR = 0xFFFFFFFD
_NO_STREAM = 0xFFFFFFFF
_SECTOR = 512

Cell = float | int | str | None


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(substream: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 6))


def _unicode(text: str, length_bytes: int) -> bytes:
    encoded = text.encode("utf-16-le")
    length = struct.pack("<B" if length_bytes == 1 else "<H", len(text))
    return length + b"\x01" + encoded


def _sheet(rows: Sequence[Sequence[Cell]]) -> bytes:
    width = max((len(row) for row in rows), default=0)
    body = [_bof(0x0010), _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, str):
                body.append(_record(0x0204, struct.pack("<HHH", r, c, 0) + _unicode(cell, 2)))
            else:
                body.append(_record(0x0203, struct.pack("<HHHd", r, c, 0, float(cell))))
    body.append(_record(0x000A, b""))
    return b"".join(body)


def _workbook_stream(sheets: dict[str, Sequence[Sequence[Cell]]]) -> bytes:
    xf = _record(0x00E0, struct.pack("<HHHBBBBIiH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    head = _bof(0x0005) + _record(0x0022, struct.pack("<H", 0)) + xf
    bodies = [_sheet(rows) for rows in sheets.values()]
    bound_sizes = [4 + 6 + len(_unicode(name, 1)) for name in sheets]
    offset = len(head) + sum(bound_sizes) + 4  # + the globals' EOF
    bounds = []
    for name, body in zip(sheets, bodies, strict=True):
        bounds.append(_record(0x0085, struct.pack("<IBB", offset, 0, 0) + _unicode(name, 1)))
        offset += len(body)
    stream = head + b"".join(bounds) + _record(0x000A, b"") + b"".join(bodies)
    return stream.ljust(max(4096, len(stream)), b"\x00")


def _directory_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name.encode("utf-16-le") + b"\x00\x00") if name else b""
    entry = encoded.ljust(64, b"\x00")
    entry += struct.pack("<HBB", len(encoded), kind, 1)
    entry += struct.pack("<III", _NO_STREAM, _NO_STREAM, child)
    entry += b"\x00" * 16 + struct.pack("<I", 0) + b"\x00" * 16
    entry += struct.pack("<IQ", start, size)
    return entry


def write_xls(sheets: dict[str, Sequence[Sequence[Cell]]]) -> bytes:
    """The bytes of an ``.xls`` workbook holding ``sheets`` (name -> rows of numbers/text)."""
    stream = _workbook_stream(sheets)
    stream_sectors = math.ceil(len(stream) / _SECTOR)
    stream = stream.ljust(stream_sectors * _SECTOR, b"\x00")
    directory_sector = stream_sectors
    fat_sector = stream_sectors + 1
    fat = [*range(1, stream_sectors), _END_OF_CHAIN, _END_OF_CHAIN, _FAT_SECTOR]
    if len(fat) > _SECTOR // 4:
        raise ValueError("fixture too large for one FAT sector; keep test workbooks small")
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(_SECTOR, b"\xff")
    directory = (
        _directory_entry("Root Entry", 5, 1, _END_OF_CHAIN, 0)
        + _directory_entry("Workbook", 2, _NO_STREAM, 0, len(stream))
        + _directory_entry("", 0, _NO_STREAM, _FREE, 0) * 2
    )
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack(
        "<IIIIIIIII", 0, 1, directory_sector, 0, 4096, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0
    )
    header += struct.pack("<109I", fat_sector, *([_FREE] * 108))
    assert len(header) == _SECTOR
    return header + stream + directory + fat_bytes
