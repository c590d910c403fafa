"""Many reports: skip what is up to date, build the rest on an executor, record each in the manifest as it
finishes, write the index. One build per reports folder at a time (a lock).

In: planned jobs and the reports folder. Out: the reports, ``manifest.json``, ``index.html`` and a
:class:`Summary`. The folder must be one of ours (empty, new, or already a catalogue): the build refuses
another program's folder unless ``allow_any_out``, and deletes nothing but its own temp files whose writer is
gone, in the folders it writes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import __version__, settings
from analysis.catalogue.fingerprints import fingerprints
from analysis.catalogue.index_page import write_index
from analysis.catalogue.jobs import NOTEBOOK, Job, Result
from analysis.catalogue.local import LocalExecutor
from analysis.catalogue.manifest import MANIFEST, read_manifest, up_to_date, write_manifest, write_record
from analysis.errors import BuildError
from analysis.files import OUTPUT_MARKER, check_output_folder, mark_output_folder, remove_stale_temp_files
from analysis.locks import exclusive
from analysis.paths import Paths, project
from analysis.render.pdf import check_browser

LOCK = ".build.lock"
# What a catalogue holds at its top: its own files and folders, report folders (29-2072-medical-…) and
# older vintages' folders (2023-33).
CATALOGUE_NAMES = {LOCK, MANIFEST, "index.html", "changes.html", "states", "notebooks", "README.md", OUTPUT_MARKER}
REPORT_FOLDER = re.compile(r"^(\d{2}-\d{4}-[a-z0-9-]+|\d{4}-\d{2})$")


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


def is_catalogue_name(name: str) -> bool:
    """A name the catalogue writes at the top of a reports folder (so an older catalogue counts as ours)."""
    return name in CATALOGUE_NAMES or bool(REPORT_FOLDER.match(name))


def build(jobs: list[Job], *, workers: int | None = None, force: bool = False, formats=("html", "pdf"),
          p: Paths | None = None, out: Path | None = None, executor=None, wait: bool = False,
          progress: Callable[[Result, int, int], None] | None = None, index: bool = True,
          allow_any_out: bool = False, log: Callable[[str], None] | None = None,
          paper: str | None = None) -> Summary:
    """Build what is out of date among ``jobs``; returns counts, failures and wall time. ``log`` gets the
    lines about repairs (a manifest rebuilt from disk)."""
    p = p or project()
    paper = settings.paper(paper, p)  # the argument, else the environment or [tool.career-outlook], else letter
    reports = Path(out) if out else p.reports
    if out is not None:  # the project's own reports/ is ours by definition
        check_output_folder(reports, is_catalogue_name, allow_any=allow_any_out)
    t0 = time.perf_counter()
    with build_lock(reports, wait=wait):
        mark_output_folder(reports)
        for folder in {reports, *(reports / j.rel_dir for j in jobs)}:
            remove_stale_temp_files(folder)
        manifest = read_manifest(reports, log)
        entries = manifest.setdefault("reports", {})
        fps = fingerprints(jobs, p, paper)
        todo = [j for j in jobs if force or not up_to_date(reports, j, fps[j.rel_dir], entries, formats)]
        summary = Summary(skipped=len(jobs) - len(todo))
        executor = executor or LocalExecutor(workers)
        if todo and "pdf" in formats and isinstance(executor, LocalExecutor):  # a cluster's browsers are its own
            check_browser()  # once, here, rather than every worker failing on it
        notebook = p.notebooks / NOTEBOOK
        for i, res in enumerate(executor.run(todo, notebook=notebook, reports=reports, formats=formats,
                                             root=p.root, paper=paper), start=1):
            job = next(j for j in todo if j.rel_dir == res.rel_dir)
            entries[res.rel_dir] = {
                "parameters": job.parameters, "title": job.title, "fingerprint": fps[res.rel_dir]
                if res.status == "ok" else None, "status": res.status, "seconds": round(res.seconds, 3),
                "timings": {k: round(v, 3) for k, v in res.timings.items()}, "error": res.error,
                "formats": sorted(formats), "paper": paper, "built_by": f"career-outlook {__version__}",
            }
            if res.status == "ok":
                write_record(reports, res.rel_dir, entries[res.rel_dir])
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
