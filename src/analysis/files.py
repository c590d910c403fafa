"""Files written all-or-nothing, and checksums.

In: a path and bytes (or a finished temp file). Out: the file in place, complete or not at all: written
to a temp name beside it (same file system), flushed to disk, then ``os.replace``d. Readers never see
half a file, and a killed writer leaves only a temp file behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

PUBLISHED_MODE = 0o644  # mkstemp makes 0600; reports and tables are read by others
BLOCK = 1 << 20


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` all-or-nothing: temp file in the same folder, fsync, ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fchmod(fh.fileno(), PUBLISHED_MODE)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def aside(path: Path) -> Path:
    """A temp name next to ``path`` (same file system, so ``os.replace`` is atomic); the suffix is kept
    because tools sniff it (Chromium opens ``.html``)."""
    return path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")


def replace_synced(tmp: Path, path: Path) -> None:
    """Flush the finished ``tmp`` to disk, then move it over ``path``."""
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def sha256_file(path: str | Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def sha256_named(files: Iterable[Path]) -> str:
    """One sha256 over several files, each as its name and bytes, in sorted order."""
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()
