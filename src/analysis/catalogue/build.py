"""Many reports: skip what is up to date, build the rest on an executor, record each in the manifest as it
finishes, write the index. One build per reports folder at a time (a lock).

In: planned jobs. Out: the reports, ``manifest.json``, ``index.html`` and a :class:`Summary`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import __version__
from analysis.catalogue.fingerprints import fingerprints
from analysis.catalogue.index_page import write_index
from analysis.catalogue.jobs import NOTEBOOK, Job, Result
from analysis.catalogue.local import LocalExecutor
from analysis.catalogue.manifest import read_manifest, up_to_date, write_manifest
from analysis.catalogue.worker import remove_temp_files
from analysis.errors import BuildError
from analysis.locks import exclusive
from analysis.paths import Paths, project

LOCK = ".build.lock"


def build_lock(reports: Path, wait: bool = False) -> exclusive:
    """An exclusive lock on ``reports/``; a second build waits (``wait=True``) or stops with a message."""
    return exclusive(reports / LOCK, "build", wait)


@dataclass
class Summary:
    built: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def build(jobs: list[Job], *, workers: int | None = None, force: bool = False, formats=("html", "pdf"),
          p: Paths | None = None, out: Path | None = None, executor=None, wait: bool = False,
          progress: Callable[[Result, int, int], None] | None = None, index: bool = True) -> Summary:
    """Build what is out of date among ``jobs``; returns counts, failures and wall time."""
    p = p or project()
    reports = Path(out) if out else p.reports
    t0 = time.perf_counter()
    with build_lock(reports, wait=wait):
        remove_temp_files(reports)
        manifest = read_manifest(reports)
        entries = manifest.setdefault("reports", {})
        fps = fingerprints(jobs, p)
        todo = [j for j in jobs if force or not up_to_date(reports, j, fps[j.rel_dir], entries, formats)]
        summary = Summary(skipped=len(jobs) - len(todo))
        executor = executor or LocalExecutor(workers)
        notebook = p.notebooks / NOTEBOOK
        for i, res in enumerate(executor.run(todo, notebook=notebook, reports=reports, formats=formats,
                                             root=p.root), start=1):
            job = next(j for j in todo if j.rel_dir == res.rel_dir)
            entries[res.rel_dir] = {
                "parameters": job.parameters, "title": job.title, "fingerprint": fps[res.rel_dir]
                if res.status == "ok" else None, "status": res.status, "seconds": round(res.seconds, 3),
                "timings": {k: round(v, 3) for k, v in res.timings.items()}, "error": res.error,
                "formats": sorted(formats), "built_by": f"career-outlook {__version__}",
            }
            write_manifest(reports, manifest)  # after every report, so an interrupted run loses nothing
            if res.status == "ok":
                summary.built += 1
            else:
                summary.failed.append((res.rel_dir, res.error or "failed"))
            if progress:
                progress(res, i, len(todo))
        if index:
            write_index(reports, manifest, p)
    summary.seconds = time.perf_counter() - t0
    return summary


def raise_for(summary: Summary) -> None:
    if summary.failed:
        raise BuildError(f"{len(summary.failed)} report(s) failed; first: {summary.failed[0][0]}: "
                         f"{summary.failed[0][1]}")
