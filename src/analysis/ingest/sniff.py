"""What a file is, from its first bytes: a zip (an .xlsx is one), gzip, an old binary .xls, an HTML page,
text or other binary data; and how far a compressed file may unpack. Every reader and the downloader ask
here, so a saved error page, or a zip or gzip bomb, is recognised the same way everywhere.

In: a path (or its first bytes, or an open compressed stream). Out: a kind name, a zip's declared size, the
words for a file that unpacks too far; :class:`TooBig` from :func:`copy_capped` is the one thing raised,
and each reader words its own error.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

HEAD_BYTES = 512
BOM_AND_SPACE = b"\xef\xbb\xbf \t\r\n"
# The most a zip (an .xlsx) or gzip file may unpack to, for every reader. BLS's largest download,
# all_data_M_<year>.zip (~90 MB), holds a workbook whose XML is about ten times that; a CSV is smaller.
# A file past it is refused, not read: a "zip bomb" must not fill the memory or the disk. Read when a
# function runs (a ``limit`` of None), not when it is defined, so a test may lower it.
MAX_UNPACKED_BYTES = 2_000_000_000
BLOCK = 1 << 20


class TooBig(Exception):
    """More than ``limit`` bytes came out of a compressed stream."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


def head(path: Path, n: int = HEAD_BYTES) -> bytes:
    """The first ``n`` bytes of ``path``."""
    with open(path, "rb") as f:
        return f.read(n)


def is_markup(first: bytes) -> bool:
    """An HTML or XML page (<!DOCTYPE html>, <html>, <?xml …>): no data file of ours starts with '<'.
    A failed download (BLS blocks scripted clients) is often saved as such a page."""
    return first.lstrip(BOM_AND_SPACE).startswith(b"<")


def kind(first: bytes) -> str:
    """'empty', 'gzip', 'zip', 'xls' (old binary workbook), 'markup', 'binary' or 'text'."""
    if not first.strip():
        return "empty"
    if first.startswith(b"\x1f\x8b"):
        return "gzip"
    if first.startswith(b"PK"):
        return "zip"
    if first.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if is_markup(first):
        return "markup"
    if b"\x00" in first:
        return "binary"
    return "text"


def too_big(limit: int, declared: int | None = None, whose: str = "the readers'") -> str:
    """The words for a file that unpacks past ``limit`` bytes; ``declared``: what a zip's members say they hold."""
    if declared is None:
        return f"unpacks to more than {whose} limit of {limit:,} bytes; stopped there (a gzip bomb?)"
    return f"unpacks to {declared:,} bytes, more than {whose} limit of {limit:,} (a zip bomb?)"


ENCRYPTED = 0x1  # a zip member's general-purpose flag bit 0: encrypted
READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


def zip_problem(path: Path, limit: int | None = None, whose: str = "the readers'") -> str | None:
    """Why the zip (or .xlsx) at ``path`` must not be opened, judged from the uncompressed sizes its members
    declare, without unpacking anything; None if they fit in ``limit`` or it is no readable zip (the reader
    then says what is wrong). The declared sizes are a true bound: Python's zipfile, which openpyxl uses,
    stops a member at its declared size (and fails its CRC check) however much more the data would give.
    ``limit`` None: :data:`MAX_UNPACKED_BYTES`."""
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    # A member Python cannot unpack would end in a traceback when read (RuntimeError "is encrypted",
    # NotImplementedError for a compression method zipfile lacks): no BLS file has one.
    locked = next((i for i in members if i.flag_bits & ENCRYPTED), None)
    if locked is not None:
        return f"zip member {locked.filename} is encrypted (password-protected); BLS publishes no such file"
    odd = next((i for i in members if i.compress_type not in READABLE_METHODS), None)
    if odd is not None:
        return (f"zip member {odd.filename} is compressed with a method that cannot be read "
                f"({zipfile.compressor_names.get(odd.compress_type, odd.compress_type)})")
    declared = sum(i.file_size for i in members)
    return too_big(limit, declared, whose) if declared > limit else None


def copy_capped(src: BinaryIO, limit: int | None = None, write: Callable[[bytes], object] | None = None) -> int:
    """Read ``src`` (a gzip or zip member stream) to its end a block at a time, handing each block to
    ``write``; the number of bytes, or :class:`TooBig` as soon as more than ``limit`` (None:
    :data:`MAX_UNPACKED_BYTES`) have come out."""
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    n = 0
    while block := src.read(BLOCK):
        n += len(block)
        if n > limit:
            raise TooBig(limit)
        if write is not None:
            write(block)
    return n


def gunzip_capped(path: Path, limit: int | None = None) -> bytes:
    """The content of the gzip file at ``path``, decompressed a block at a time: :class:`TooBig` past ``limit``
    bytes (None: :data:`MAX_UNPACKED_BYTES`); gzip's own errors (EOFError for a truncated file) otherwise."""
    blocks: list[bytes] = []
    with gzip.open(path, "rb") as f:
        copy_capped(f, limit, blocks.append)
    return b"".join(blocks)
