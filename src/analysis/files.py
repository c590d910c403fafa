"""Files written all-or-nothing, temp files that are ours alone, output folders we may write to, checksums.

In: a path and bytes (or a finished temp file). Out: the file in place, complete or not at all: written to a
temp name beside it (same file system), flushed to disk, then ``os.replace``d; readers never see half a file.
Every temp name carries ``.career-outlook-<pid>`` so that clean-up removes only files this project made, and
only when the process that made them is gone (:func:`remove_stale_temp_files`). A failed write is an
:class:`~analysis.errors.OutputError` naming the file, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.errors import OutputError, ParameterError

PUBLISHED_MODE = 0o644  # mkstemp makes 0600; reports and tables are read by others
BLOCK = 1 << 20
MARK = "career-outlook"
# .<name>.career-outlook-<pid>[-<random>].tmp[<suffix>]: what write_atomic and aside() create, and nothing else.
TEMP_NAME = re.compile(rf"^\..+\.{MARK}-(\d+)(?:-[A-Za-z0-9_]+)?\.tmp(?:\.[A-Za-z0-9]+)?$")
OUTPUT_MARKER = ".career-outlook"  # in every output folder we have written to


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` all-or-nothing: temp file in the same folder, fsync, ``os.replace``."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{MARK}-{os.getpid()}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fchmod(fh.fileno(), PUBLISHED_MODE)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:
        raise OutputError(path, f"cannot be written ({err.strerror or type(err).__name__})") from None
    finally:
        if tmp is not None and Path(tmp).exists():
            Path(tmp).unlink(missing_ok=True)


def aside(path: Path) -> Path:
    """A temp name next to ``path`` (same file system, so ``os.replace`` is atomic); the suffix is kept
    because tools sniff it (Chromium opens ``.html``)."""
    return path.with_name(f".{path.stem}.{MARK}-{os.getpid()}.tmp{path.suffix}")


def replace_synced(tmp: Path, path: Path) -> None:
    """Flush the finished ``tmp`` to disk, then move it over ``path``."""
    try:
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:
        raise OutputError(path, f"cannot be written ({err.strerror or type(err).__name__})") from None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove, in ``folder`` itself (not below it), the temp files this project made whose process is gone
    (a killed build or worker); returns them. Another program's files and a running build's are left alone."""
    removed = []
    if Path(folder).is_dir():
        for f in Path(folder).iterdir():
            m = TEMP_NAME.match(f.name)
            if m and f.is_file() and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))):
                f.unlink(missing_ok=True)
                removed.append(f)
    return removed


def is_ours(folder: Path, ours: Callable[[str], bool] = lambda name: False) -> bool:
    """An output folder we may write to: missing, empty, marked by us, or holding only names ``ours`` accepts."""
    folder = Path(folder)
    if not folder.exists():
        return True
    entries = [e.name for e in folder.iterdir()]
    return not entries or OUTPUT_MARKER in entries or all(ours(n) for n in entries)


def check_output_folder(path: Path, ours: Callable[[str], bool] = lambda name: False,
                        allow_any: bool = False) -> Path:
    """``path`` as an output folder: refuse the file system's root, the home folder, and a folder that holds
    files of others (not empty, not marked by us, not only names ``ours`` accepts) unless ``allow_any``;
    ParameterError naming the setting ``$out`` otherwise. Out: the resolved path."""
    path = Path(path).resolve()
    home = Path.home().resolve()
    if not allow_any:
        if path == Path(path.anchor):
            raise ParameterError(f"$out {path}: the root of the file system is not a reports folder")
        if path == home:
            raise ParameterError(f"$out {path}: the home folder is not a reports folder; name a folder in it")
        if not is_ours(path, ours):
            raise ParameterError(f"$out {path}: holds files that are not career-outlook's; use an empty or new "
                                 "folder, or $allow_out to write there anyway")
    return path


def mark_output_folder(path: Path) -> None:
    """Record that ``path`` is an output folder of ours (so a later run may write and clean there)."""
    marker = Path(path) / OUTPUT_MARKER
    if not marker.exists():
        write_atomic(marker, json.dumps({"written_by": MARK}) + "\n")


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
