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
from analysis.errors import CareerOutlookError, ReportTimeout
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
        """Build one report. A browser or kernel found dead (killed, crashed) is replaced first; one that dies
        under the report is replaced and the report tried once more. A step past its deadline fails the report
        (the page itself is the cause: not retried); its kernel or browser was ended and is replaced next time."""
        t0 = time.perf_counter()
        if self.problem:  # a result, not a dead worker: the pool would retry it and say nothing of why
            return Result(job.rel_dir, "failed", 0.0, {}, self.problem)
        remove_stale_temp_files(reports / job.rel_dir)  # left by a worker that died building this report
        where = f", {job.where}" if job.where else ""
        for attempt in (1, 2):
            try:
                self._replace_dead_tools(formats)
                restarts = self.kernel.restarts if self.kernel else 0
                timings = render_report(notebook, reports / job.rel_dir, job.parameters, formats=formats,
                                        pdf=self.pdf, kernel=self.kernel, paper=self.paper, files=job.files,
                                        index_href=os.path.relpath(reports / "index.html", reports / job.rel_dir),
                                        title=f"{job.title} ({job.soc_code}{where}): career report, {job.vintage}")
                return Result(job.rel_dir, "ok", time.perf_counter() - t0, timings)
            except ReportTimeout as err:
                return Result(job.rel_dir, "failed", time.perf_counter() - t0, {}, str(err))
            except Exception as err:  # one occupation's surprise must not stop the others
                problem = str(err) if isinstance(err, CareerOutlookError) else f"{type(err).__name__}: {err}"
                if attempt == 1 and self._died_under_it(restarts):
                    continue  # a new browser or kernel, and the report once more
                return Result(job.rel_dir, "failed", time.perf_counter() - t0, {}, problem)
        raise AssertionError("unreachable: the second attempt returns")

    def _died_under_it(self, restarts: int) -> bool:
        """True when the browser is dead now, or the kernel died (or was restarted) during the report."""
        return bool((self.pdf is not None and not self.pdf.alive())
                    or (self.kernel is not None and (self.kernel.restarts != restarts or not self.kernel.is_alive())))

    def _replace_dead_tools(self, formats) -> None:
        """A new browser for one that died or was killed (a PDF past its deadline), a new kernel for a dead one."""
        if self.pdf is not None and not self.pdf.alive():
            self.pdf.kill()  # whatever is left of it (a driver without its Chromium)
            self.pdf = None
        if self.pdf is None and "pdf" in formats:
            self.pdf = PdfRenderer()
        if self.kernel is not None and not self.kernel.is_alive():
            self.kernel.restart()

    def stop_now(self) -> None:
        """For a signal handler: end the kernel at once (the browser ends with this process's pipe to it)."""
        if self.kernel:
            self.kernel.kill_now()

    def close(self) -> None:
        if self.pdf:
            self.pdf.close()
        if self.kernel:
            self.kernel.close()
