"""Exclusive locks on project folders: one catalogue build per reports folder, one fetch and one data
build per project.

In: the lock file's path and what it guards ("build", "fetch", "data build"). Out: a context manager
that holds an ``flock`` on the file, writes the holder's pid and start time into it, and, when the lock
is taken, either waits (``wait=True``) or raises :class:`~analysis.errors.Locked` (exit code 75,
EX_TEMPFAIL: cron may simply try again later) naming the folder and the holder. The lock goes with the process: a killed
holder leaves no stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from analysis.errors import Locked

_HELD: set = set()  # lock files this process holds open


def _drop_inherited() -> None:
    # A forked worker gets a copy of each held lock's descriptor; were it kept, a worker outliving a
    # killed build would hold the lock and block the next run. Closing the copy leaves the parent's
    # lock in place (flock locks belong to the open file, released when its last descriptor closes).
    for fh in list(_HELD):
        fh.close()
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_inherited)


class exclusive:
    """``with exclusive(folder / ".build.lock", "build"):`` one holder at a time (see the module doc)."""

    def __init__(self, path: Path, what: str, wait: bool = False):
        self.path, self.what, self.wait = Path(path), what, wait

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "a+")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "another process"
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
