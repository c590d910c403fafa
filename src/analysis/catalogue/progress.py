"""Progress of a catalogue build: a tqdm bar on a terminal (count, rate, time left; a failed report is
written above it), one plain line per report otherwise (cron, CI logs: a bar's carriage returns would
make one unreadable line of a log file).

In: the stream (default stderr). Out: a callback ``show(result, i, n)`` for ``catalogue.build``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from tqdm import tqdm

from analysis.catalogue.jobs import Result


def _line(res: Result, i: int, n: int) -> str:
    mark = "ok" if res.status == "ok" else "FAILED"
    extra = f": {res.error}" if res.error else ""
    return f"{time.strftime('%H:%M:%S')} [{i}/{n}] {mark} {res.rel_dir} ({res.seconds:.1f}s){extra}"


def progress_printer(stream=None) -> Callable[[Result, int, int], None]:
    """A progress bar on a terminal; one plain line per report otherwise."""
    stream = stream or sys.stderr
    if not stream.isatty():
        def log(res: Result, i: int, n: int) -> None:
            stream.write(_line(res, i, n) + "\n")
            stream.flush()
        return log

    bar: tqdm | None = None

    def show(res: Result, i: int, n: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=n, file=stream, unit="report", dynamic_ncols=True, smoothing=0.1)
        if res.status != "ok":
            bar.write(_line(res, i, n), file=stream)
        bar.update(i - bar.n)
        if i == n:
            bar.close()

    return show
