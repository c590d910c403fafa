"""One worker process's warm tools: a kernel with the report modules and tables preloaded, and a browser;
:meth:`Worker.build` turns a :class:`~analysis.catalogue.jobs.Job` into a
:class:`~analysis.catalogue.jobs.Result` (a failure is a result, never an exception).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis.catalogue.jobs import Job, Result
from analysis.errors import CareerOutlookError
from analysis.files import remove_stale_temp_files
from analysis.render.kernel import WarmKernel
from analysis.render.outputs import render_report
from analysis.render.pdf import PdfRenderer
from analysis.settings import DEFAULT_PAPER


class Worker:
    """One process's warm tools: a kernel with the report modules and tables preloaded, and a browser."""

    PRELOAD = "import analysis.sections.report as _r\n_r.preload()"

    def __init__(self, root: str | Path, formats=("html", "pdf"), paper: str = DEFAULT_PAPER):
        os.environ["CAREER_OUTLOOK_ROOT"] = str(root)
        self.paper = paper
        self.kernel: WarmKernel | None = None
        self.pdf: PdfRenderer | None = None
        self.problem: str | None = None  # why this worker's tools did not start: every report fails with it
        # The browser starts on its own thread while the kernel starts and preloads: both are mostly
        # waiting on other processes, so the worker is ready about a second sooner.
        with ThreadPoolExecutor(1) as starter:
            browser = starter.submit(PdfRenderer) if "pdf" in formats else None
            try:
                self.kernel = WarmKernel(preload=self.PRELOAD)
            except CareerOutlookError as err:
                self.problem = str(err)
            try:
                self.pdf = browser.result() if browser else None
            except CareerOutlookError as err:
                self.problem = self.problem or str(err)

    def build(self, job: Job, notebook: Path, reports: Path, formats) -> Result:
        t0 = time.perf_counter()
        if self.problem:  # a result, not a dead worker: the pool would retry it and say nothing of why
            return Result(job.rel_dir, "failed", 0.0, {}, self.problem)
        remove_stale_temp_files(reports / job.rel_dir)  # left by a worker that died building this report
        try:
            where = f", {job.where}" if job.where else ""
            timings = render_report(notebook, reports / job.rel_dir, job.parameters, formats=formats,
                                    pdf=self.pdf, kernel=self.kernel, paper=self.paper, files=job.files,
                                    index_href=os.path.relpath(reports / "index.html", reports / job.rel_dir),
                                    title=f"{job.title} ({job.soc_code}{where}): career report, {job.vintage}")
            return Result(job.rel_dir, "ok", time.perf_counter() - t0, timings)
        except CareerOutlookError as err:
            return Result(job.rel_dir, "failed", time.perf_counter() - t0, {}, str(err))
        except Exception as err:  # one occupation's surprise must not stop the others
            return Result(job.rel_dir, "failed", time.perf_counter() - t0, {}, f"{type(err).__name__}: {err}")

    def stop_now(self) -> None:
        """For a signal handler: end the kernel at once (the browser ends with this process's pipe to it)."""
        if self.kernel:
            self.kernel.kill_now()

    def close(self) -> None:
        if self.pdf:
            self.pdf.close()
        if self.kernel:
            self.kernel.close()
