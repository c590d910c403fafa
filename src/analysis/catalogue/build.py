"""Many reports: skip what is up to date, build the rest on an executor, record each as it finishes (its own
record at once, the manifest in batches), write the index. One build per reports folder at a time (a lock).

In: planned jobs, :class:`~analysis.catalogue.options.BuildOptions` and the project. Out: the reports,
``manifest.json``, ``index.html`` and a :class:`Summary`, which says why each stale report was rebuilt (which
fingerprint parts changed: code, data, parameters, library). The folder must be one of ours (empty, new, marked
by us, or a catalogue an older version built, told by its manifest's content, not by familiar names; checked
when the options are made): the build refuses a report folder that is a symbolic link or leads outside the
reports folder, and deletes nothing but its own temp files whose writer is gone, in the folders it writes. A
build that fails before any report (a Dask scheduler that does not answer) removes the folder it created.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import __version__, settings
from analysis.catalogue.fingerprints import changed, combined, inputs
from analysis.catalogue.index_page import write_index
from analysis.catalogue.jobs import NOTEBOOK, Job, Result
from analysis.catalogue.manifest import (
    COMPLETE_KEY,
    FORMAT,
    FORMAT_KEY,
    MANIFEST_MAX_BYTES,
    RECORD,
    BatchedWriter,
    is_catalogue,
    read_manifest,
    rescan,
    up_to_date,
    write_record,
)
from analysis.catalogue.options import BuildOptions
from analysis.errors import BuildError
from analysis.files import (
    OUTPUT_MARKER,
    check_inside,
    mark_output_folder,
    remove_stale_temp_files,
)
from analysis.locks import exclusive
from analysis.paths import Paths, project
from analysis.render.pdf import check_browser

log = logging.getLogger(__name__)

__all__ = ["FORMAT", "FORMAT_KEY", "LOCK", "MANIFEST_MAX_BYTES", "BuildOptions", "Summary", "build", "build_lock",
           "is_catalogue", "raise_for", "unique"]

LOCK = ".build.lock"
# Why a report is built when no fingerprint part is to blame (the parts themselves are fingerprints.PARTS).
NEW, FORCED, FAILED, FILES = "new", "forced", "failed before", "files missing"


def build_lock(reports: Path, wait: bool = False) -> exclusive:
    """An exclusive lock on ``reports/``; a second build waits (``wait=True``) or stops with a message."""
    return exclusive(reports / LOCK, "build", wait)


@dataclass
class Summary:
    built: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    reasons: Counter = field(default_factory=Counter)  # why the reports were built: "data", "code+library", "new", …

    @property
    def ok(self) -> bool:
        return not self.failed


def unique(jobs: list[Job]) -> list[Job]:
    """``jobs`` without repeats (the same report asked for twice), in their order: two workers writing one
    folder at once would race."""
    return list(dict.fromkeys(jobs))  # a Job is a frozen dataclass: equal jobs hash alike


def _created_folders(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, deepest first: what a build would create."""
    return [f for f in (folder, *folder.parents) if not f.exists() and not f.is_symlink()]


def _remove_created(created: list[Path]) -> None:
    """Undo a failed first build in a folder it created: our marker and lock, then each folder it made if
    now empty. Nothing else is touched (another process's file there keeps the folder)."""
    if not created:
        return
    for name in (OUTPUT_MARKER, LOCK):
        (created[0] / name).unlink(missing_ok=True)
    for folder in created:
        with contextlib.suppress(OSError):  # not empty, or already gone: left as it is
            folder.rmdir()


def build(jobs: list[Job], options: BuildOptions | None = None, *, p: Paths | None = None,
          progress: Callable[[Result, int, int], None] | None = None) -> Summary:
    """Build what is out of date among ``jobs`` as ``options`` say; returns counts, failures, why the reports were
    built and wall time. Repairs (a manifest rebuilt from disk) and the line saying why reports were built are
    logged."""
    p = p or project()
    options = options or BuildOptions()
    paper = options.paper or settings.paper(None, p)  # the environment or [tool.career-outlook], else letter
    reports = options.out or p.reports
    jobs = unique(jobs)
    t0 = time.perf_counter()
    created = _created_folders(reports)
    with build_lock(reports, wait=options.wait):
        try:
            summary = _build(jobs, reports, options, p=p, paper=paper, progress=progress)
        except BaseException:
            # Nothing was built (a scheduler that never answered, a refused report folder, Ctrl-C): a folder
            # this build created is removed again, so a mistyped --out or --scheduler leaves nothing behind
            # (not even a lock-only folder a later run would refuse as someone else's). Done by the lock's
            # holder alone: a second build turned away by the lock never removes the first one's files.
            if created and set(_names(created[0])) <= {OUTPUT_MARKER, LOCK}:
                _remove_created(created)
            raise
    summary.seconds = time.perf_counter() - t0
    return summary


def _names(folder: Path) -> list[str]:
    try:
        return [e.name for e in folder.iterdir()]
    except OSError:
        return []


def why_built(job: Job, entry: dict | None, parts: dict[str, str], fp: str, force: bool) -> str:
    """Why ``job`` is built: forced, new, failed before, the fingerprint parts that changed ("data",
    "code+library"; "unknown" for an entry from before parts were kept), or its files are missing."""
    if force:
        return FORCED
    if not entry:
        return NEW
    if entry.get("status") != "ok":
        return FAILED
    if entry.get("fingerprint") != fp:
        return "+".join(changed(entry.get("inputs"), parts)) or FILES
    return FILES  # same inputs, but a format not built before or a file gone


def _catch_up(reports: Path, entries: dict) -> int:
    """Take every report's record into ``entries`` where they differ: after a killed build, whose manifest
    missed what it recorded after its last write. Out: how many entries changed."""
    adopted = 0
    for rel, record in rescan(reports)["reports"].items():
        if record != entries.get(rel):
            entries[rel] = record
            adopted += 1
    return adopted


def _stale(jobs: list[Job], reports: Path, entries: dict, parts: dict, fps: dict, options: BuildOptions
           ) -> dict[str, str]:
    """The jobs to build, by folder, with why."""
    return {j.rel_dir: why_built(j, entries.get(j.rel_dir), parts[j.rel_dir], fps[j.rel_dir], options.force)
            for j in jobs
            if options.force or not up_to_date(reports, j, fps[j.rel_dir], entries, options.formats)}


def _build(jobs: list[Job], reports: Path, options: BuildOptions, *, p: Paths, paper: str, progress
           ) -> Summary:
    """The build, under the lock (see :func:`build`)."""
    # Every folder the build writes and cleans is really inside the reports folder: checked before the first
    # write, so a planted link (reports/29-2072-… -> /elsewhere) stops the whole run.
    for j in jobs:
        check_inside(reports, j.rel_dir)
    mark_output_folder(reports)
    for folder in {reports, *(reports / j.rel_dir for j in jobs)}:
        remove_stale_temp_files(folder)
    manifest = read_manifest(reports)
    killed = manifest.get(COMPLETE_KEY) is False  # its last reports are in their records only
    manifest[FORMAT_KEY] = FORMAT
    entries = manifest.setdefault("reports", {})
    adopted = _catch_up(reports, entries) if killed else 0
    formats = options.formats
    parts = inputs(jobs, p, paper)
    fps = {rel: combined(v) for rel, v in parts.items()}
    why = _stale(jobs, reports, entries, parts, fps, options)
    todo = [j for j in jobs if j.rel_dir in why]
    writer = BatchedWriter(reports, manifest)
    manifest[COMPLETE_KEY] = not todo  # False in every write but the last: a killed build's next run reads records
    summary = Summary(skipped=len(jobs) - len(todo), reasons=Counter(why.values()))
    executor = options.executor
    if todo and "pdf" in formats and executor.runs_here:  # a cluster's browsers are its own
        check_browser()  # once, here, rather than every worker failing on it
    notebook = p.notebooks / NOTEBOOK
    results = executor.run(todo, notebook=notebook, reports=reports, formats=formats, root=p.root, paper=paper)
    try:
        for i, res in enumerate(results, start=1):
            job = next(j for j in todo if j.rel_dir == res.rel_dir)
            ok = res.status == "ok"
            entries[res.rel_dir] = {
                "parameters": job.parameters, "title": job.title, "fingerprint": fps[res.rel_dir] if ok else None,
                "inputs": parts[res.rel_dir] if ok else None, "reason": why[res.rel_dir], "status": res.status,
                "seconds": round(res.seconds, 3), "timings": {k: round(v, 3) for k, v in res.timings.items()},
                "error": res.error, "formats": sorted(formats), "paper": paper,
                "built_by": f"career-outlook {__version__}",
                "files": job.outputs(formats),  # the index links them by these names
            }
            # The durable log, at once. A failure replaces an older success's record (so a killed run's next
            # build cannot take that for current); a report that never succeeded gets no folder for it.
            if ok or (reports / res.rel_dir / RECORD).exists():
                write_record(reports, res.rel_dir, entries[res.rel_dir])
            writer.changed()  # the manifest, in batches
            if i == 1:  # and at once after the first report, saying a build is under way
                writer.flush()
            if ok:
                summary.built += 1
            else:
                summary.failed.append((res.rel_dir, res.error or "failed"))
            if progress:
                progress(res, i, len(todo))
    except BaseException:
        # Stopped (Ctrl-C, SIGTERM) or failed mid-run: the local executor has shut its workers down; one killed
        # while writing (a whole process group told to stop) leaves its temp file, removed here rather than by
        # the next run. Not for a cluster: its workers' pids mean nothing here and they may still be writing.
        # Closed first, so a stop that came while a report was being recorded ends the workers now, not whenever
        # the interrupted generator is collected.
        if hasattr(results, "close"):
            results.close()
        if executor.runs_here:
            for j in todo:
                remove_stale_temp_files(reports / j.rel_dir)
        manifest[COMPLETE_KEY] = True  # what finished is in the manifest too, not only in the records
        with contextlib.suppress(OSError):  # a full disk must not hide why the run stopped
            writer.flush(always=writer.writes > 0)  # none: nothing finished, and a folder we made is removed
        raise
    manifest[COMPLETE_KEY] = True
    writer.flush(always=bool(todo or adopted or killed))
    if summary.reasons:
        log.info(f"why {len(todo)} report(s) were built: {describe(summary.reasons)}")
    if options.index:
        write_index(reports, manifest, p)
    return summary


def describe(reasons: Counter) -> str:
    """``Counter({"data": 10, "code": 2})`` as ``data 10, code 2`` (most first)."""
    return ", ".join(f"{why} {n}" for why, n in reasons.most_common())


def raise_for(summary: Summary) -> None:
    if summary.failed:
        raise BuildError(f"{len(summary.failed)} report(s) failed; first: {summary.failed[0][0]}: "
                         f"{summary.failed[0][1]}")
