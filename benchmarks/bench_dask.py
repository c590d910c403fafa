"""Benchmark: the Dask executor on this machine beside the local one, on the same occupations.

Starts a scheduler and ``--workers`` workers (``--nthreads 1`` each) on 127.0.0.1 as separate
processes, builds the sample through them with ``catalogue.build(BuildOptions(executor=DaskExecutor(...)))`` into a
temp folder, then shuts the cluster down. The time counts everything a run pays (connecting, the
shared-folder check, each worker's kernel and browser warm-up, the builds), not the cluster's own
start-up, which an operator pays once.

``benchmarks.bench_catalogue`` (``make bench``) calls :func:`dask_throughput` before its last line.
Usage: python -m benchmarks.bench_dask [--sample 16] [--workers 2] [--jobs N]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from distributed import Client

from analysis.catalogue.build import BuildOptions, build
from analysis.catalogue.cluster import DaskExecutor
from analysis.catalogue.jobs import plan
from analysis.paths import project
from analysis.tables import dataset
from benchmarks.common import BIN, ours, sample


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the benchmark dies, so no cluster outlives it."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def local_cluster(workers: int, folder: Path) -> Iterator[str]:
    """A scheduler and ``workers`` single-thread workers on 127.0.0.1; yields the scheduler's address."""
    env = {**os.environ, "CAREER_OUTLOOK_ROOT": str(project().root)}
    sched_file = folder / "scheduler.json"
    procs: list[subprocess.Popen] = []

    def start(*args: str) -> None:
        procs.append(subprocess.Popen([BIN / "dask", *args], env=env, start_new_session=True, cwd=folder,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      preexec_fn=_die_with_parent))

    try:
        start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(sched_file))
        deadline = time.monotonic() + 60
        while not (sched_file.exists() and sched_file.stat().st_size):
            if time.monotonic() > deadline:
                raise SystemExit("dask scheduler did not start in 60 s")
            time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        for _ in range(workers):
            start("worker", "--scheduler-file", str(sched_file), "--nthreads", "1", "--nworkers", "1",
                  "--no-dashboard", "--host", "127.0.0.1")
        with Client(address, timeout=30, set_as_default=False) as c:
            c.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for p in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)


def dask_throughput(socs: list[str], workers: int = 2, local_per_report: float | None = None) -> float:
    """Build ``socs`` on a fresh local Dask cluster; print and return seconds per report."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        with local_cluster(workers, tmp) as address:
            t_start = time.perf_counter() - t0
            t1 = time.perf_counter()
            summary = build(plan(socs), BuildOptions(executor=DaskExecutor(address), out=tmp / "reports", index=False))
            t_run = time.perf_counter() - t1
    if not summary.ok:
        raise SystemExit(f"dask build failed: {summary.failed}")
    per = t_run / len(socs)
    print(f"dask executor ({workers} workers on 127.0.0.1, --nthreads 1; incl. warm-up, not the "
          f"{t_start:.0f} s cluster start): {per:.2f} s/report, {len(socs) / t_run * 60:.1f} reports/min")
    if local_per_report:
        print(f"dask vs local executor, same sample and machine: {local_per_report / per:.2f}x the local throughput")
    return per


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2, help="Dask workers to start (default 2)")
    ap.add_argument("--jobs", type=int, default=None, help="local executor's processes (default: one per core)")
    args = ap.parse_args()
    dataset.ensure()
    socs = sample(args.sample)
    with tempfile.TemporaryDirectory() as tmp:
        per_local = ours(socs, Path(tmp), args.jobs) / len(socs)
    print(f"local executor ({args.jobs or 'one per core'} workers, incl. start-up): {per_local:.2f} s/report, "
          f"{60 / per_local:.1f} reports/min")
    dask_throughput(socs, args.workers, per_local)


if __name__ == "__main__":
    main()
