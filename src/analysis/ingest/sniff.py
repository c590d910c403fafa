"""What a file is, from its first bytes: a zip (an .xlsx is one), gzip, an old binary .xls, an HTML page,
text or other binary data. Every reader and the downloader ask here, so a saved error page is recognised
the same way everywhere.

In: a path (or its first bytes). Out: a kind name; nothing is raised, each reader words its own error.
"""

from __future__ import annotations

from pathlib import Path

HEAD_BYTES = 512
BOM_AND_SPACE = b"\xef\xbb\xbf \t\r\n"


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
