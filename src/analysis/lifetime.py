"""Processes we start die with their parent, whatever kills the parent; a stop asked for by a signal is
handled once, by the main process; closed standard streams are replaced by /dev/null for us and our children.

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
from collections.abc import Callable

from analysis.errors import Stopped

PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


def stop_on_signals() -> dict:
    """In the main process: SIGTERM and SIGHUP raise :class:`~analysis.errors.Stopped`, as Ctrl-C raises
    KeyboardInterrupt, so the code unwinds (pools shut down, locks released) instead of dying mid-write. A
    signal the caller chose to ignore (``nohup`` ignores SIGHUP) stays ignored. Returns the handlers it
    replaced, for :func:`restore_signals`."""
    previous = {}
    for sig in STOP_SIGNALS:
        if signal.getsignal(sig) is not signal.SIG_IGN:
            previous[sig] = signal.signal(sig, _stop)
    return previous


def restore_signals(previous: dict) -> None:
    """Put back the handlers :func:`stop_on_signals` replaced (the CLI called in-process, e.g. by a test)."""
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def leave_stopping_to_parent(on_term: Callable[[], None] = lambda: None) -> None:
    """In a worker process: ignore SIGINT and SIGHUP, which a terminal sends to every process of the
    foreground group (Ctrl-C, a closed window); the build process acts on them and shuts its workers down,
    so the run ends with one line, not a traceback per worker. SIGTERM (systemd stops a whole group with
    it; an operator may aim it at one worker) ends the worker at once: ``on_term()`` first (kill the
    kernel, so it does not linger to report its parent gone), then exit with 128 + SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)

    def _terminate(signum: int, frame: object) -> None:
        try:
            on_term()
        finally:
            os._exit(128 + signum)

    signal.signal(signal.SIGTERM, _terminate)


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


def usable_standard_streams() -> None:
    """Started with stdin, stdout or stderr closed (``>&-``, some daemons), Python has None there, every print
    fails and the kernels we start die on the missing descriptor: open /dev/null in its place, at the
    descriptor itself so our children inherit it too (the exit status still tells how the run went)."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            os.set_inheritable(fd, True)  # os.open makes descriptors close-on-exec; 0-2 must reach our children
            setattr(sys, name, open(fd, mode, encoding="utf-8", closefd=False))  # noqa: SIM115 (process-long)
