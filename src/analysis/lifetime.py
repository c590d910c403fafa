"""Processes we start die with their parent, whatever kills the parent.

In: the pid a worker process was started by. Out: on Linux, the kernel sends the worker SIGKILL the moment
that parent ends (``prctl(PR_SET_PDEATHSIG)``), even when the parent was killed with SIGKILL and ran no
clean-up; a worker whose parent is already gone exits at once. The worker's own children follow it: its
Jupyter kernel polls for its parent (``JPY_PARENT_PID``, ipykernel's ParentPollerUnix, about a second) and
Playwright's driver ends when its pipe closes, taking Chromium with it. Elsewhere (macOS) it does nothing:
the catalogue's workers are then only stopped by a clean exit.

The signal is tied to the *thread* that started the child; our pools start their workers from the main
thread, which lives as long as the process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``sig`` to this process when its parent ends; exit now if ``parent_pid`` is gone
    already. True when the request was made (Linux), False where it is not supported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
        return False
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)
    return True
