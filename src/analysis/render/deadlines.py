"""Per-report deadlines: how long a report's execution, its HTML and its PDF may take, and the watchdogs that end a
step that runs past its deadline, so a runaway page (a megabyte of text to lay out, a script that never ends) fails
that report with one line and the build goes on.

In: the step's name and what ends it. Out: a context manager; after it, :class:`~analysis.errors.ReportTimeout`
when the deadline passed. The watchdogs cost nothing while they wait (a timer thread or an interval timer, never a
polling loop): a report pays microseconds for them.

- ``execute``: a timer kills the kernel (papermill then ends with a dead kernel, and the kernel is restarted).
- ``html``: nbconvert runs in this process: an interval timer (``SIGALRM``) interrupts it, on the main thread only.
- ``pdf``: the caller waits for the browser with a timeout and kills the browser when it passes.

The deadlines: ``CAREER_OUTLOOK_EXECUTE_SECONDS`` (default 300), ``CAREER_OUTLOOK_HTML_SECONDS`` (60),
``CAREER_OUTLOOK_PDF_SECONDS`` (60); a report takes about a second in all.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
from collections.abc import Callable, Iterator

from analysis.errors import ParameterError, ReportTimeout

DEFAULTS = {"execute": 300.0, "html": 60.0, "pdf": 60.0}
WHAT = {"execute": "execution", "html": "its HTML", "pdf": "printing its PDF"}


def seconds(step: str) -> float:
    """The deadline of ``step`` ('execute', 'html', 'pdf') in seconds: ``CAREER_OUTLOOK_<STEP>_SECONDS`` or the
    default; a one-line ParameterError naming the variable for anything but a positive number of seconds."""
    name = f"CAREER_OUTLOOK_{step.upper()}_SECONDS"
    given = os.environ.get(name)
    if given is None or not given.strip():
        return DEFAULTS[step]
    try:
        value = float(given)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= 86_400):
        raise ParameterError(f"{name}={given!r}: expected a number of seconds from 0 to 86,400 (a day)")
    return value


def timed_out(step: str, limit: float, where: str = "") -> ReportTimeout:
    """The one-line error of a step that passed its deadline."""
    return ReportTimeout(f"{where + ': ' if where else ''}{WHAT[step]} passed its deadline of {limit:g} s "
                         f"(CAREER_OUTLOOK_{step.upper()}_SECONDS); stopped, the report is not written")


class Watchdog:
    """``with Watchdog(limit, on_expiry) as dog:`` calls ``on_expiry()`` from a timer thread once ``limit`` seconds
    pass inside the block; ``dog.expired`` tells afterwards. For steps run by another process (a kernel): ending
    that process is what ends the step."""

    def __init__(self, limit: float, on_expiry: Callable[[], object]):
        self.limit, self.on_expiry, self.expired = limit, on_expiry, False
        self.timer = threading.Timer(limit, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        self.expired = True
        with contextlib.suppress(Exception):  # already gone: nothing left to end
            self.on_expiry()

    def __enter__(self) -> Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


class _Alarm(BaseException):
    """Raised into the step by the interval timer (a BaseException: no ``except Exception`` in a library on the
    way swallows it); turned into ReportTimeout on the way out."""


@contextlib.contextmanager
def in_process(step: str, limit: float, where: str = "") -> Iterator[None]:
    """A deadline for Python code running in this process (nbconvert): ``SIGALRM`` after ``limit`` seconds raises
    inside it, and the block ends with ReportTimeout. Off the main thread (signals reach only it) or when something
    else holds SIGALRM, the block runs without one."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN, None):
        yield
        return

    armed = [True]

    def ring(signum: int, frame: object) -> None:
        if armed[0]:  # not once the block has ended: the alarm may ring between its end and the disarming
            raise _Alarm

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    except _Alarm:
        raise timed_out(step, limit, where) from None
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
