"""Exclusive locks on project folders: one catalogue build per reports folder, one fetch and one data
build per project; and a run's own temp folder, held by a lock so the next run can tell it was abandoned.

In: the lock file's path and what it guards ("build", "fetch", "data build"). Out: a context manager
that holds an ``flock`` on the file, writes the holder's pid and start time into it, and, when the lock
is taken, either waits (``wait=True``) or raises :class:`~analysis.errors.Locked` (exit code 75,
EX_TEMPFAIL: cron may simply try again later) naming the folder and the holder. The lock goes with the process: a killed
holder leaves no stale lock behind.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

from analysis.errors import DataError, Locked

_HELD: set = set()  # lock files this process holds open


def _drop_inherited() -> None:
    # A forked worker gets a copy of each held lock's descriptor; were it kept, a worker outliving a
    # killed build would hold the lock and block the next run. Closing the copy leaves the parent's
    # lock in place (flock locks belong to the open file, released when its last descriptor closes).
    for fh in list(_HELD):
        fh.close()
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_inherited)


def _open_lock_file(path: Path):
    """The lock file opened for reading and writing (created if missing), never through a link and only when a
    regular file: a link to /dev/zero, to another user's file, a FIFO planted by that name is refused with a
    one-line DataError naming it (truncating and writing our pid would otherwise go wherever it leads)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as err:
        if err.errno == errno.ELOOP:  # O_NOFOLLOW's answer for a link
            raise DataError(path, f"lock file is a symbolic link (to {os.readlink(path)!r}); remove it") from None
        raise DataError(path, f"lock file cannot be opened ({err.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DataError(path, "lock file is not a regular file (a device, FIFO or socket); remove it")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "r+")


class exclusive:
    """``with exclusive(folder / ".build.lock", "build"):`` one holder at a time (see the module doc)."""

    def __init__(self, path: Path, what: str, wait: bool = False):
        self.path, self.what, self.wait = Path(path), what, wait

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = _open_lock_file(self.path)
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            self.fh.seek(0)
            holder = " ".join(self.fh.read(200).split()) or "another process"  # ours is one short line
            self.fh.close()
            raise Locked(f"{self.path.parent}: another {self.what} is running ({holder}); "
                         "not starting a second one (use $wait to wait for it)") from None
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        self.fh.flush()
        _HELD.add(self.fh)
        return self

    def __exit__(self, *exc):
        _HELD.discard(self.fh)
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


RUN_TEMP_PREFIX = "career-outlook-run-"
HOLDER = ".held"  # the lock file inside a run's temp folder
NEW_FOLDER_GRACE = 60  # seconds a run's temp folder may exist before its lock is taken
RMTREE_SECONDS = 3  # how long a run's end keeps removing its temp folder while killed children finish


def remove_abandoned_temp_dirs(base: Path) -> list[Path]:
    """Remove the run temp folders (``career-outlook-run-*`` in ``base``) whose run is gone: their lock is free
    (its holder died, even by SIGKILL), or they never got one and are older than a minute. A live run's
    folder, another user's, and anything not named ours are left alone. Returns what was removed."""
    removed = []
    for folder in Path(base).glob(RUN_TEMP_PREFIX + "*"):
        try:
            if not folder.is_dir() or folder.is_symlink() or folder.stat().st_uid != os.getuid():
                continue
            holder = folder / HOLDER
            if holder.exists() or holder.is_symlink():
                with _open_lock_file(holder) as fh:
                    try:
                        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue  # its run is alive
            elif time.time() - folder.stat().st_mtime < NEW_FOLDER_GRACE:
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        except (OSError, DataError):
            continue  # vanished meanwhile, not ours to read, or a planted link: left alone
    return removed


class run_temp_dir:
    """``with run_temp_dir():`` everything this process and its children put in the temp folder (Jupyter's
    connection files and sockets, Chromium's profile and crash files, Playwright's artifacts) goes into one
    folder of this run, ``$TMPDIR/career-outlook-run-<pid>-…``, removed at the end. A run killed outright
    (SIGKILL, power loss) cannot clean up; its folder's lock is then free and the next run removes it
    (:func:`remove_abandoned_temp_dirs`). Sets ``TMPDIR`` and :data:`tempfile.tempdir` inside, restores them."""

    def __enter__(self) -> Path:
        base = Path(tempfile.gettempdir())
        remove_abandoned_temp_dirs(base)
        self.path = Path(tempfile.mkdtemp(prefix=f"{RUN_TEMP_PREFIX}{os.getpid()}-", dir=base))
        self.lock = exclusive(self.path / HOLDER, "run")
        self.lock.__enter__()
        self.saved = os.environ.get("TMPDIR"), tempfile.tempdir
        os.environ["TMPDIR"] = tempfile.tempdir = str(self.path)
        return self.path

    def __exit__(self, *exc: object) -> None:
        env, tempfile.tempdir = self.saved
        if env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = env
        self.lock.__exit__()
        # A browser or kernel killed with the run may still be writing its last files here for a moment (a
        # stopped worker's Chromium ends when its driver's pipe closes): try again briefly; what is still left
        # after that is removed by the next run (the lock above is free now).
        deadline = time.monotonic() + RMTREE_SECONDS
        shutil.rmtree(self.path, ignore_errors=True)
        while self.path.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
            shutil.rmtree(self.path, ignore_errors=True)
