"""Report builds on this machine: a process pool, one warm kernel and one browser per worker process.

A worker that dies (killed, out of memory) is replaced and its report retried; a report that kills its
worker three times is recorded as failed. A worker dies with the build (:mod:`analysis.lifetime`), and its
kernel and browser with it. Yields a Result per job as each finishes.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.util import Finalize
from pathlib import Path

from analysis.catalogue.jobs import Job, Result
from analysis.catalogue.worker import Worker
from analysis.errors import ParameterError
from analysis.lifetime import die_with_parent, leave_stopping_to_parent
from analysis.settings import DEFAULT_PAPER

MAX_ATTEMPTS = 3
STOP_GRACE_SECONDS = 3  # for the reports in flight to finish when a run is stopped; then their workers are ended
_worker: Worker | None = None


def _init(root: str, formats: tuple[str, ...], paper: str, parent: int) -> None:
    global _worker
    # Ctrl-C reaches every process of the group; the build process alone acts on it
    leave_stopping_to_parent(on_term=lambda: _worker and _worker.stop_now())
    die_with_parent(parent)  # a killed build (even kill -9) takes its workers, their kernels and browsers along
    _worker = Worker(root, formats, paper)
    # Pool workers leave through os._exit, skipping atexit: a Finalize still closes kernel and browser.
    Finalize(_worker, _worker.close, exitpriority=10)


def _build(job: Job, notebook: str, reports: str, formats: tuple[str, ...]) -> Result:
    assert _worker is not None
    return _worker.build(job, Path(notebook), Path(reports), formats)


def stop_workers(pool: ProcessPoolExecutor, running: dict, grace: float = STOP_GRACE_SECONDS) -> None:
    """End a run that is stopping: the reports in flight get ``grace`` seconds to finish (one takes about a
    second), then every worker is sent SIGTERM, on which it kills its kernel and exits at once, its browser ending
    with it. So a stop takes seconds whatever a page is doing, never as long as a runaway report would."""
    try:
        wait(running, timeout=grace)
    finally:  # a second Ctrl-C or SIGTERM during the grace cuts it short, never the ending
        # ProcessPoolExecutor names its processes only in this attribute (CPython 3.8-3.13); a worker that already
        # left is skipped.
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            if process.is_alive():
                process.terminate()


def start_method() -> mp.context.BaseContext:
    """``fork`` from a single-threaded parent (the CLI): workers inherit its imports, saving each ~1.5 s
    of start-up. ``spawn`` otherwise: forking a process that has other threads (a test runner, a Jupyter
    kernel) can leave the child waiting forever on a lock one of those threads held."""
    if "fork" in mp.get_all_start_methods() and threading.active_count() == 1:
        return mp.get_context("fork")
    return mp.get_context("spawn")


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def max_workers() -> int:
    """The most worker processes a build may start here: twice the cores, at least 4. Each runs a kernel and a
    browser (a few hundred MB); more than the cores can run buys nothing, and a thousand would exhaust memory."""
    return max(4, 2 * default_workers())


def check_workers(workers: int | None) -> int | None:
    """``workers`` (None: one per core) when from 1 to :func:`max_workers`; else a ParameterError naming $jobs."""
    if workers is not None and not (1 <= workers <= max_workers()):
        raise ParameterError(f"$jobs {workers}: expected a whole number from 1 to {max_workers()} (twice the "
                             f"{default_workers()} core(s) here; each worker runs a kernel and a browser)")
    return workers


class LocalExecutor:
    """A pool of ``workers`` processes (default: one per core; at most :func:`max_workers`)."""

    runs_here = True  # its workers, kernels and browsers are this machine's (see executors.Executor)

    def __init__(self, workers: int | None = None):
        self.workers = check_workers(workers) or default_workers()

    def run(self, jobs: list[Job], *, notebook: Path, reports: Path, formats, root: Path,
            paper: str = DEFAULT_PAPER) -> Iterator[Result]:
        formats = tuple(formats)
        attempts = {j.rel_dir: 0 for j in jobs}
        queue = list(reversed(jobs))
        while queue:
            n = min(self.workers, len(queue))
            pool = ProcessPoolExecutor(n, mp_context=start_method(), initializer=_init,
                                       initargs=(str(root), formats, paper, os.getpid()))
            running: dict = {}
            broken = False
            try:
                # At most one job per worker in flight: when a worker dies, only the jobs then running
                # are lost (and retried), not everything queued behind them.
                while (queue or running) and not broken:
                    while queue and len(running) < n:
                        job = queue.pop()
                        attempts[job.rel_dir] += 1
                        running[pool.submit(_build, job, str(notebook), str(reports), formats)] = job
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for f in done:
                        job = running.pop(f)
                        try:
                            yield f.result()
                        except BrokenProcessPool:
                            broken = True
                            if attempts[job.rel_dir] < MAX_ATTEMPTS:
                                queue.append(job)
                            else:
                                yield Result(job.rel_dir, "failed", 0.0, {},
                                             f"its worker process died {MAX_ATTEMPTS} times while building it")
                if broken:  # the pool is unusable: the other jobs in flight go back in the queue
                    for f, job in running.items():
                        if not f.done() or f.exception() is not None:
                            queue.append(job)
                        else:
                            yield f.result()
            except BaseException:  # stopped (Ctrl-C, SIGTERM, the caller leaving early) or failed
                stop_workers(pool, running)
                raise
            finally:
                pool.shutdown(wait=not broken, cancel_futures=True)
