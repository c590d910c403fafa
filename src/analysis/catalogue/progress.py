"""Progress of a catalogue build: a bar on a terminal, one line per report otherwise (cron, CI logs).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from analysis.catalogue.jobs import Result


def progress_printer(stream=None) -> Callable[[Result, int, int], None]:
    """A progress bar (count, rate, time left) on a terminal; one plain line per report otherwise."""
    stream = stream or sys.stderr
    tty = stream.isatty()
    start = time.perf_counter()

    def show(res: Result, i: int, n: int) -> None:
        elapsed = time.perf_counter() - start
        rate = i / elapsed if elapsed else 0.0
        left = (n - i) / rate if rate else 0.0
        if tty:
            width = 30
            filled = int(width * i / n) if n else width
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {i}/{n} {rate:.2f} reports/s, "
                         f"{left / 60:.1f} min left ")
            if i == n:
                stream.write("\n")
        else:
            mark = "ok" if res.status == "ok" else "FAILED"
            extra = f": {res.error}" if res.error else ""
            stream.write(f"{time.strftime('%H:%M:%S')} [{i}/{n}] {mark} {res.rel_dir} ({res.seconds:.1f}s){extra}\n")
        stream.flush()

    return show
