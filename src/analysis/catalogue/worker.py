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
from analysis.render.kernel import WarmKernel
from analysis.render.outputs import render_report
from analysis.render.pdf import PdfRenderer


class Worker:
    """One process's warm tools: a kernel with the report modules and tables preloaded, and a browser."""

    PRELOAD = "import analysis.sections.report as _r\n_r.preload()"

    def __init__(self, root: str | Path, formats=("html", "pdf")):
        os.environ["CAREER_OUTLOOK_ROOT"] = str(root)
        # The browser starts on its own thread while the kernel starts and preloads: both are mostly
        # waiting on other processes, so the worker is ready about a second sooner.
        with ThreadPoolExecutor(1) as starter:
            browser = starter.submit(PdfRenderer) if "pdf" in formats else None
            self.kernel = WarmKernel(preload=self.PRELOAD)
            self.pdf = browser.result() if browser else None

    def build(self, job: Job, notebook: Path, reports: Path, formats) -> Result:
        t0 = time.perf_counter()
        remove_temp_files(reports / job.rel_dir)  # left by a worker that died building this report before
        try:
            where = f", {job.state}" if job.state else ""
            timings = render_report(notebook, reports / job.rel_dir, job.parameters, formats=formats,
                                    pdf=self.pdf, kernel=self.kernel,
                                    title=f"{job.title} ({job.soc_code}{where}): career report, {job.vintage}")
            return Result(job.rel_dir, "ok", time.perf_counter() - t0, timings)
        except CareerOutlookError as err:
            return Result(job.rel_dir, "failed", time.perf_counter() - t0, {}, str(err))
        except Exception as err:  # one occupation's surprise must not stop the others
            return Result(job.rel_dir, "failed", time.perf_counter() - t0, {}, f"{type(err).__name__}: {err}")

    def close(self) -> None:
        if self.pdf:
            self.pdf.close()
        self.kernel.close()


def remove_temp_files(folder: Path) -> None:
    """Temp files a killed build or worker left beside its outputs under ``folder``. Safe while the build
    lock is held: at the start of a build nothing is writing, and a report's folder is written by one
    worker at a time (a retried report's earlier worker is dead)."""
    if folder.is_dir():
        for f in folder.rglob(".*.tmp*"):
            if f.is_file():
                f.unlink(missing_ok=True)
