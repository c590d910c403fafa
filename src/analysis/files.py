"""Files written all-or-nothing, temp files that are ours alone, output folders we may write to, checksums.

In: a path and bytes (or a finished temp file). Out: the file in place, complete or not at all: written to a
temp name beside it (same file system), flushed to disk, then ``os.replace``d; readers never see half a file.
Every temp name carries ``.career-outlook-<pid>`` so that clean-up removes only files this project made, and
only when the process that made them is gone (:func:`remove_stale_temp_files`). A failed write is an
:class:`~analysis.errors.OutputError` naming the file, never a traceback.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.errors import DataError, OutputError, ParameterError

if TYPE_CHECKING:  # annotations only: the ground stays free of pandas for the command line's start
    import pandas as pd

PUBLISHED_MODE = 0o644  # mkstemp makes 0600; reports and tables are read by others
BLOCK = 1 << 20
MARK = "career-outlook"
# .<name>.career-outlook-<pid>[-<random>].tmp[<suffix>]: what write_atomic and aside() create, and nothing else.
TEMP_NAME = re.compile(rf"^\..+\.{MARK}-(\d+)(?:-[A-Za-z0-9_]+)?\.tmp(?:\.[A-Za-z0-9]+)?$")
OUTPUT_MARKER = ".career-outlook"  # in every output folder we have written to
MARKER_MAX_BYTES = 4096  # ours is a few bytes; a large file by that name is someone else's


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
    """True while process ``pid`` can still write: it exists and is not a zombie (a killed worker whose parent died
    with it stays one until init reaps it, and may still be listed when the next run starts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    try:  # Linux: the state after the command name in /proc/<pid>/stat; Z = exited, not yet reaped
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS) or gone meanwhile: kill(0) said it exists


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


def marked(folder: Path) -> bool:
    """True when ``folder`` holds our marker as :func:`mark_output_folder` writes it: a regular file (not a
    link to one) whose JSON says it was written by career-outlook. A name alone proves nothing."""
    try:
        data = read_state(Path(folder) / OUTPUT_MARKER, dict, MARKER_MAX_BYTES)
    except (OSError, DataError):
        return False
    return data.get("written_by") == MARK


def is_ours(folder: Path, ours: Callable[[Path], bool] = lambda folder: False) -> bool:
    """An output folder we may write to: missing, empty, marked by us (:func:`marked`), or one ``ours`` says an
    older version of ours wrote (by what its files hold, e.g. a catalogue's manifest). Familiar names
    (``index.html``, ``README.md``) are not enough: a web root has them too."""
    folder = Path(folder)
    if not folder.exists():
        return True
    if not any(folder.iterdir()):
        return True
    return marked(folder) or bool(ours(folder))


def control_characters(text: str) -> bool:
    """True when ``text`` holds a control character (a newline, a tab, an escape): never in a name we accept,
    since it would break the one-line messages and the listings that show the name."""
    return any(unicodedata.category(c) == "Cc" for c in text)


def resolve_folder(path: str | os.PathLike, setting: str = "out") -> Path:
    """``path`` made absolute with every link followed; a one-line ParameterError naming ``$setting`` for a
    path with a control character or a symbolic-link loop (``Path.resolve`` raises RuntimeError for one)."""
    text = os.fspath(path)
    if control_characters(text):
        raise ParameterError(f"${setting} {text!r}: holds a control character (a newline, a tab…); "
                             "name a folder without one")
    try:
        return Path(text).resolve()
    except RuntimeError:  # Python < 3.13: "Symlink loop from ..."
        raise ParameterError(f"${setting} {text!r}: a loop of symbolic links; name a real folder") from None
    except OSError as err:
        raise ParameterError(f"${setting} {text!r}: cannot be resolved ({err.strerror or type(err).__name__})") \
            from None


def check_writable_folder(value: str | os.PathLike, setting: str = "out") -> Path:
    """``value`` as a folder we can write into, or could create: its resolved path, or a one-line
    ParameterError naming ``$setting`` (empty, not a folder, under a file, not writable), so a run fails before
    any work rather than half-way, and leaves no empty folder behind. Probes with a real temp file: permission
    bits do not stop root, and a read-only file system or /proc shows only then."""
    given = os.fspath(value)
    name = f"${setting} {given}" if given else f"${setting} ''"
    if not given.strip():
        raise ParameterError(f"{name}: expected a folder path")
    path = resolve_folder(value, setting)
    if path.exists() and not path.is_dir():
        raise ParameterError(f"{name}: not a folder")
    nearest = next(a for a in (path, *path.parents) if a.exists())
    if not nearest.is_dir():
        raise ParameterError(f"{name}: cannot create the folder ({nearest} is not a folder)")
    try:
        with tempfile.TemporaryFile(dir=nearest, prefix=".career-report-probe-"):
            pass
    except OSError as err:  # /proc answers ENOENT: no reason worth printing for an existing folder
        if nearest != path:
            raise ParameterError(f"{name}: cannot create the folder ({err.strerror or type(err).__name__})") from None
        why = f" ({err.strerror})" if err.strerror and err.errno != errno.ENOENT else ""
        raise ParameterError(f"{name}: folder is not writable{why}") from None
    return path


def check_output_folder(path: Path, ours: Callable[[Path], bool] = lambda folder: False,
                        allow_any: bool = False) -> Path:
    """``path`` as an output folder: refuse a path with a control character or a link loop, the file system's
    root, the home folder, and a folder that holds files of others (not empty, not marked by us, not one
    ``ours`` recognises) unless ``allow_any``; ParameterError naming the setting ``$out`` otherwise. Out: the
    resolved path."""
    path = resolve_folder(path)
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


def check_inside(root: Path, rel: str | os.PathLike) -> Path:
    """``root / rel``, a folder we are about to write into and clean, checked to be really inside ``root``: no
    part of ``rel`` that exists is a symbolic link, and it resolves below ``root``. A link planted there (a
    report folder pointing at ``/elsewhere``) would make a build write and delete outside ``root``: refused,
    as a one-line ParameterError naming the path."""
    root = Path(root)
    target = root / rel
    if control_characters(str(rel)) or Path(rel).is_absolute() or ".." in Path(rel).parts:
        raise ParameterError(f"{target}: not a folder inside {root}")
    part = root
    for name in Path(rel).parts:
        part = part / name
        if part.is_symlink():
            to = os.readlink(part)
            to = repr(to) if control_characters(to) else to  # the message stays one line
            raise ParameterError(f"{part}: is a symbolic link (to {to}); a build writes only inside {root}, so "
                                 "remove the link or choose another output folder")
    try:
        inside = target.resolve().is_relative_to(root.resolve())
    except (RuntimeError, OSError):
        inside = False
    if not inside:
        raise ParameterError(f"{target}: resolves outside {root}; a build writes only inside it")
    return target


def mark_output_folder(path: Path) -> None:
    """Record that ``path`` is an output folder of ours (so a later run may write and clean there). Something
    else already by that name (another tool's file, in a folder given with ``--allow-out``) is left as it is:
    the folder then stays unmarked rather than lose that file."""
    marker = Path(path) / OUTPUT_MARKER
    if not (marker.exists() or marker.is_symlink()):
        write_atomic(marker, json.dumps({"written_by": MARK}) + "\n")


STATE_MAX_BYTES = 256 << 20  # a full catalogue's manifest with every state and area is tens of MB
STATE_MAX_DEPTH = 32  # ours nest four levels; a deeper file is not ours


def open_regular(path: Path, flags: int = os.O_RDONLY, mode: int = 0o644) -> int:
    """A descriptor for ``path`` opened without following a link in its last part, and only when it is a regular
    file: a link (to /dev/zero, to another user's file), a FIFO, a device or a folder by that name is refused with
    an OSError whose message names the file (``O_NONBLOCK`` so that a FIFO cannot hang the open)."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, mode)
    except OSError as err:
        if err.errno == errno.ELOOP:  # O_NOFOLLOW's answer for a link
            raise OSError(errno.ELOOP, f"is a symbolic link (to {os.readlink(path)!r}); refused", str(path)) from None
        raise
    kind = os.fstat(fd).st_mode
    if not stat.S_ISREG(kind):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(kind) else "a device, FIFO or socket"
        raise OSError(errno.EINVAL, f"is {what}, not a regular file; refused", str(path))
    os.set_blocking(fd, True)
    return fd


def _depth(value, limit: int) -> int:
    """How deeply ``value`` (parsed JSON) nests, counted up to ``limit + 1``."""
    if limit < 0 or not isinstance(value, dict | list):
        return 0
    inner = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(v, limit - 1) for v in inner), default=0)


def read_state(path: Path, shape: type = dict, max_bytes: int = STATE_MAX_BYTES) -> dict | list:
    """One of our state files (a manifest, a report's record, the fetch state) read safely: opened without
    following a link and only if a regular file (:func:`open_regular`), at most ``max_bytes``, UTF-8 JSON nested at
    most :data:`STATE_MAX_DEPTH` levels, of type ``shape``. Anything else is a one-line DataError naming the file
    (the caller decides whether to rebuild it or stop); FileNotFoundError passes through for a missing file."""
    try:
        fd = open_regular(path)
    except FileNotFoundError:
        raise
    except OSError as err:
        raise DataError(path, err.strerror if err.filename else f"cannot be read ({err.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DataError(path, f"larger than {max_bytes:,} bytes; not a file we wrote")
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(path, "not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise DataError(path, f"not valid JSON ({err.msg} at line {err.lineno})") from None
    except RecursionError:
        raise DataError(path, f"JSON nested more than {STATE_MAX_DEPTH} levels deep; not a file we wrote") from None
    if _depth(value, STATE_MAX_DEPTH) > STATE_MAX_DEPTH:
        raise DataError(path, f"JSON nested more than {STATE_MAX_DEPTH} levels deep; not a file we wrote")
    if not isinstance(value, shape):
        raise DataError(path, f"holds a JSON {type(value).__name__}, not the {shape.__name__} we write")
    return value


# OWASP's CSV-injection rule: a cell starting with one of these is a formula to Excel, Sheets and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that a spreadsheet would run as a formula (one starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return) prefixed with ``'``, which shows the text as it is. Only text
    cells: a negative number in a numeric column stays a number."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype.kind == "O":  # text: object or pandas' string dtype; numbers, dates, bools are not
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` (no index) as CSV text for people to open in a spreadsheet: every CSV we write goes through
    here, so no data file's text becomes a live formula (:func:`spreadsheet_safe`)."""
    buf = io.StringIO()
    spreadsheet_safe(frame).to_csv(buf, index=False)
    return buf.getvalue()


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
