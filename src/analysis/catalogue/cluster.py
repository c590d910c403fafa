"""Report builds on a running Dask cluster (``dask scheduler`` + ``dask worker`` processes, on this machine
or many): one task per report, a warm kernel and browser per worker (a worker plugin), the outputs
written to a folder every worker shares (checked before anything is sent). Imported only when the Dask
executor is chosen, so a local build does not pay for ``distributed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from distributed import Client, WorkerPlugin, as_completed, get_worker
from distributed.scheduler import KilledWorker

from analysis.catalogue.fingerprints import code_fingerprint
from analysis.catalogue.jobs import Job, Result
from analysis.catalogue.worker import Worker
from analysis.errors import ClusterError
from analysis.files import MARK
from analysis.paths import project
from analysis.settings import DEFAULT_PAPER

CONNECT_TIMEOUT = 10.0  # seconds for the scheduler to answer (and for the shared-folder check)
NO_WORKERS_TIMEOUT = 300.0  # seconds with work queued and no worker connected before a run gives up
WATCH_INTERVAL = 5.0  # seconds between looks at the cluster while no report finishes
IDLE_SECONDS = 600.0  # a worker's kernel and browser are closed after this long without a report
TASK_RETRIES = 2  # a task that raises (e.g. its kernel did not start) is tried again, maybe elsewhere


class WarmTools:
    """On one Dask worker: a :class:`~analysis.catalogue.worker.Worker` (warm kernel + browser) made on first use.

    Every call into it runs on one dedicated thread: Playwright's sync API and the kernel's client must
    stay on the thread that made them, whichever of Dask's threads runs the task. With ``--nthreads 1``
    (advised) there is one report at a time per worker anyway; with more threads they queue here.
    """

    def __init__(self, root: str, formats: tuple[str, ...], code: str, paper: str = DEFAULT_PAPER):
        self.root, self.formats, self.code, self.paper = root, formats, code, paper
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="career-report")
        self._worker: Worker | None = None
        self._idle: threading.Timer | None = None

    def build(self, job: Job, notebook: Path, reports: Path) -> Result:
        if self._idle:
            self._idle.cancel()
        try:
            return self._thread.submit(self._build, job, notebook, reports).result()
        finally:
            # A client killed mid-run never unregisters its plugin: after a while with no report, close the
            # kernel and browser (a later task of the same run starts them again).
            self._idle = threading.Timer(IDLE_SECONDS, self._close_idle)
            self._idle.daemon = True
            self._idle.start()

    def _close_idle(self) -> None:
        def close_worker():
            if self._worker is not None:
                self._worker.close()
                self._worker = None

        self._thread.submit(close_worker).result(timeout=120)

    def _build(self, job: Job, notebook: Path, reports: Path) -> Result:
        if self._worker is None:
            problem = _worker_problem(self.root, str(notebook), str(reports), None, self.code)
            if problem:
                raise ClusterError(problem)
            self._worker = Worker(self.root, self.formats, self.paper)
        return self._worker.build(job, notebook, reports, self.formats)

    def close(self) -> None:
        if self._idle:
            self._idle.cancel()

        def _close():
            if self._worker is not None:
                self._worker.close()
                self._worker = None

        try:
            self._thread.submit(_close).result(timeout=120)
        finally:
            self._thread.shutdown(wait=False)


class WarmToolsPlugin(WorkerPlugin):
    """Gives each worker a :class:`WarmTools` for this run; closes it when the run ends or the worker shuts
    down."""

    def __init__(self, root: str, formats: tuple[str, ...], code: str, paper: str = DEFAULT_PAPER):
        self.args = (root, formats, code, paper)
        self.tools: WarmTools | None = None

    def setup(self, worker) -> None:
        self.tools = WarmTools(*self.args)

    def teardown(self, worker):
        if self.tools is not None:  # on a thread: closing waits for a report still running
            return asyncio.get_running_loop().run_in_executor(None, self.tools.close)
        return None


def _dask_build(plugin: str, job: Job, notebook: str, reports: str) -> Result:
    """The task each report is: runs on a Dask worker, with that worker's warm tools."""
    return get_worker().plugins[plugin].tools.build(job, Path(notebook), Path(reports))


def _worker_problem(root: str, notebook: str, reports: str, marker: str | None, code: str) -> str | None:
    """Why this worker cannot build the client's reports (None if it can). Runs on the worker."""
    host = socket.gethostname()
    if not Path(notebook).is_file():
        return f"worker on {host}: {notebook} not found; the project must be on a folder every worker shares"
    if marker and not (Path(reports) / marker).exists():
        return (f"worker on {host}: {reports} is not the client's reports folder (its check file is "
                "missing); outputs must go to a folder every worker shares, at the same path")
    if code_fingerprint(project(root)) != code:
        return (f"worker on {host}: its career-outlook code, templates or notebook differ from the "
                "client's; install the same checkout in every worker's environment")
    return None


class DaskExecutor:
    """Report builds as tasks on a running Dask cluster (``distributed.Client(scheduler)``).

    Each worker keeps one warm kernel and one browser for the whole run (a worker plugin), so run
    workers with ``--nthreads 1``. Outputs are written by the workers straight into ``reports``: it
    must be a folder every worker shares, at the same path (checked before anything is sent). A worker
    that dies loses nothing: the scheduler runs its tasks elsewhere; a report whose workers die three
    times (``distributed.scheduler.allowed-failures``) is recorded as failed. Results are yielded as
    tasks finish, so ``catalogue.build`` records each in the manifest at once.
    """

    runs_here = False  # its workers' browsers and pids are the cluster's own (see executors.Executor)

    def __init__(self, scheduler: str, *, retries: int = TASK_RETRIES):
        self.scheduler = scheduler
        self.retries = retries

    def _connect(self):
        timeout = CONNECT_TIMEOUT
        where = {"scheduler_file": self.scheduler} if Path(self.scheduler).is_file() else {"address": self.scheduler}
        try:
            return Client(**where, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise ClusterError(f"$scheduler {self.scheduler}: no Dask scheduler answered within {timeout:g} s "
                               f"({type(err).__name__})") from None

    def run(self, jobs: list[Job], *, notebook: Path, reports: Path, formats, root: Path,
            paper: str = DEFAULT_PAPER) -> Iterator[Result]:
        if not jobs:
            return
        formats = tuple(formats)
        client = self._connect()
        run_id = uuid.uuid4().hex[:8]
        plugin = f"career-outlook-{run_id}"
        futures: dict = {}
        try:
            code = code_fingerprint(project(root))
            self._check_workers(client, root, notebook, reports, code, run_id)
            client.register_plugin(WarmToolsPlugin(str(root), formats, code, paper), name=plugin)
            for job in jobs:
                fut = client.submit(_dask_build, plugin, job, str(notebook), str(reports),
                                    key=f"career-report-{run_id}-{job.rel_dir}", retries=self.retries)
                futures[fut] = job
            yield from self._results(client, futures)
        finally:
            for fut in futures:
                fut.cancel()
            with contextlib.suppress(Exception):
                client.unregister_worker_plugin(plugin)  # each worker closes its kernel and browser
            client.close(timeout=CONNECT_TIMEOUT)

    def _check_workers(self, client, root: Path, notebook: Path, reports: Path, code: str, run_id: str) -> None:
        """Every connected worker sees this project and this reports folder (a check file written here)."""
        marker = f".dask-check.{MARK}-{os.getpid()}-{run_id}.tmp"  # a temp name of ours: swept if left behind
        reports.mkdir(parents=True, exist_ok=True)
        (reports / marker).write_text("career-outlook: shared-folder check\n")
        try:
            answers = client.run(_worker_problem, str(root), str(notebook), str(reports), marker, code,
                                 on_error="return")
        finally:
            (reports / marker).unlink(missing_ok=True)
        for addr, problem in sorted(answers.items()):
            if isinstance(problem, BaseException):
                raise ClusterError(f"worker {addr}: check failed ({type(problem).__name__}: {problem})")
            if problem:
                raise ClusterError(problem)

    def _results(self, client, futures: dict) -> Iterator[Result]:
        pending = as_completed(list(futures), loop=client.loop)
        idle_since, last_check = None, 0.0
        while not pending.is_empty():
            batch = pending.next_batch(block=False)
            if not batch:
                now = time.monotonic()
                if now - last_check >= WATCH_INTERVAL:  # a queue no worker will ever take must not hang cron
                    last_check = now
                    try:
                        workers = len(client.nthreads())
                    except Exception as err:
                        raise ClusterError(f"lost the Dask scheduler {self.scheduler} "
                                           f"({type(err).__name__}); run again to build the rest") from None
                    idle_since = None if workers else (idle_since or now)
                    if idle_since is not None and now - idle_since >= NO_WORKERS_TIMEOUT:
                        raise ClusterError(f"no Dask worker connected to {self.scheduler} for "
                                           f"{NO_WORKERS_TIMEOUT:g} s; {pending.count()} report(s) not built")
                time.sleep(0.05)
                continue
            for fut in batch:
                job = futures.pop(fut)
                yield self._result(fut, job)
                fut.release()

    def _result(self, fut, job: Job) -> Result:
        if fut.status == "finished":
            return fut.result()
        if fut.status == "cancelled":
            raise ClusterError(f"the Dask scheduler {self.scheduler} dropped the run (connection lost?); "
                               "run again to build the rest")
        err = fut.exception()
        if isinstance(err, KilledWorker):  # the scheduler gave up after allowed-failures worker deaths
            return Result(job.rel_dir, "failed", 0.0, {}, f"its Dask workers died while building it: {err}")
        return Result(job.rel_dir, "failed", 0.0, {}, f"{type(err).__name__}: {err}")
