"""The catalogue's progress output: a tqdm bar on a terminal (a real pseudo-terminal here), plain lines in a log."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import select
import struct
import termios

from analysis.catalogue.jobs import Result
from analysis.catalogue.progress import progress_printer

RESULTS = [Result("a", "ok", 0.4), Result("b", "failed", 0.2, {}, "cell In [3] raised ValueError"),
           Result("c", "ok", 0.3)]


def test_log_gets_one_line_per_report():
    log = io.StringIO()
    show = progress_printer(log)
    for i, r in enumerate(RESULTS, start=1):
        show(r, i, len(RESULTS))
    lines = log.getvalue().splitlines()
    assert len(lines) == 3 and "\r" not in log.getvalue()
    assert lines[0].endswith("[1/3] ok a (0.4s)")
    assert lines[1].endswith("[2/3] FAILED b (0.2s): cell In [3] raised ValueError")


def test_terminal_gets_a_bar_and_failures_above_it():
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    out = b""
    with os.fdopen(slave, "w") as tty:
        show = progress_printer(tty)
        for i, r in enumerate(RESULTS, start=1):
            show(r, i, len(RESULTS))
            tty.flush()
            while select.select([master], [], [], 0.1)[0]:
                out += os.read(master, 65536)
    os.close(master)
    text = out.decode()
    assert "3/3" in text and "report/s" in text and "\r" in text
    assert "[2/3] FAILED b (0.2s): cell In [3] raised ValueError" in text
