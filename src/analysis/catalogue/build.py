"""Many reports: skip what is up to date, build the rest on an executor, record each in the manifest as it
finishes, write the index. One build per reports folder at a time (a lock).

In: planned jobs and the reports folder. Out: the reports, ``manifest.json``, ``index.html`` and a
:class:`Summary`. The folder must be one of ours (empty, new, marked by us, or a catalogue an older version
built, told by its manifest's content, not by familiar names): the build refuses another program's folder
unless ``allow_any_out``, refuses a report folder that is a symbolic link or leads outside the reports
folder, and deletes nothing but its own temp files whose writer is gone, in the folders it writes. A build
that fails before any report (a Dask scheduler that does not answer) removes the folder it created.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import __version__, settings
from analysis.catalogue.fingerprints import fingerprints
from analysis.catalogue.index_page import write_index
from analysis.catalogue.jobs import NOTEBOOK, Job, Result
from analysis.catalogue.local import LocalExecutor
from analysis.catalogue.manifest import (
    ENTRY_KEYS,
    MANIFEST,
    read_manifest,
    up_to_date,
    write_manifest,
    write_record,
)
from analysis.errors import BuildError, DataError
from analysis.files import (
    OUTPUT_MARKER,
    check_inside,
    check_output_folder,
    mark_output_folder,
    read_state,
    remove_stale_temp_files,
)
from analysis.locks import exclusive
from analysis.paths import Paths, project
from analysis.render.pdf import check_browser

LOCK = ".build.lock"
# The manifest says what wrote it, so a folder whose marker was lost is still known by its content.
FORMAT_KEY, FORMAT = "format", "career-outlook catalogue manifest 1"
MANIFEST_MAX_BYTES = 256 << 20  # a full catalogue with every state is tens of MB; more is not ours


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


def is_catalogue(folder: Path) -> bool:
    """True when ``folder`` holds a ``manifest.json`` a career-outlook build wrote: one carrying our format key,
    or (an older version's, from before folders were marked) a non-empty ``reports`` mapping whose every entry
    has our shape and says ``built_by: career-outlook …``. Names alone (``index.html``, ``29-2072-…``) prove
    nothing: a web root has an ``index.html`` too."""
    path = Path(folder) / MANIFEST
    try:
        data = read_state(path, dict, MANIFEST_MAX_BYTES)  # not through a link, capped, depth-limited
    except (OSError, DataError):
        return False
    if not isinstance(data.get("reports"), dict):
        return False
    if data.get(FORMAT_KEY) == FORMAT:
        return True
    entries = list(data["reports"].values())
    return bool(entries) and all(
        isinstance(e, dict) and all(isinstance(e.get(k), t) for k, t in ENTRY_KEYS.items())
        and str(e.get("built_by", "")).startswith("career-outlook ") for e in entries)


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


def build(jobs: list[Job], *, workers: int | None = None, force: bool = False, formats=("html", "pdf"),
          p: Paths | None = None, out: Path | None = None, executor=None, wait: bool = False,
          progress: Callable[[Result, int, int], None] | None = None, index: bool = True,
          allow_any_out: bool = False, paper: str | None = None) -> Summary:
    """Build what is out of date among ``jobs``; returns counts, failures and wall time. Repairs (a manifest
    rebuilt from disk) are logged."""
    p = p or project()
    paper = settings.paper(paper, p)  # the argument, else the environment or [tool.career-outlook], else letter
    reports = Path(out) if out else p.reports
    if out is not None:  # the project's own reports/ is ours by definition
        check_output_folder(reports, is_catalogue, allow_any=allow_any_out)
    jobs = unique(jobs)
    t0 = time.perf_counter()
    created = _created_folders(reports)
    with build_lock(reports, wait=wait):
        try:
            summary = _build(jobs, reports, workers=workers, force=force, formats=formats, p=p, executor=executor,
                             progress=progress, index=index, paper=paper)
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


def _build(jobs: list[Job], reports: Path, *, workers, force, formats, p: Paths, executor, progress, index,
           paper) -> Summary:
    """The build, under the lock (see :func:`build`)."""
    # Every folder the build writes and cleans is really inside the reports folder: checked before the first
    # write, so a planted link (reports/29-2072-… -> /elsewhere) stops the whole run.
    for j in jobs:
        check_inside(reports, j.rel_dir)
    mark_output_folder(reports)
    for folder in {reports, *(reports / j.rel_dir for j in jobs)}:
        remove_stale_temp_files(folder)
    manifest = read_manifest(reports)
    manifest[FORMAT_KEY] = FORMAT
    entries = manifest.setdefault("reports", {})
    fps = fingerprints(jobs, p, paper)
    todo = [j for j in jobs if force or not up_to_date(reports, j, fps[j.rel_dir], entries, formats)]
    summary = Summary(skipped=len(jobs) - len(todo))
    executor = executor or LocalExecutor(workers)
    if todo and "pdf" in formats and isinstance(executor, LocalExecutor):  # a cluster's browsers are its own
        check_browser()  # once, here, rather than every worker failing on it
    notebook = p.notebooks / NOTEBOOK
    results = executor.run(todo, notebook=notebook, reports=reports, formats=formats, root=p.root, paper=paper)
    try:
        for i, res in enumerate(results, start=1):
            job = next(j for j in todo if j.rel_dir == res.rel_dir)
            entries[res.rel_dir] = {
                "parameters": job.parameters, "title": job.title, "fingerprint": fps[res.rel_dir]
                if res.status == "ok" else None, "status": res.status, "seconds": round(res.seconds, 3),
                "timings": {k: round(v, 3) for k, v in res.timings.items()}, "error": res.error,
                "formats": sorted(formats), "paper": paper, "built_by": f"career-outlook {__version__}",
                "files": job.outputs(formats),  # the index links them by these names
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
    except BaseException:
        # Stopped (Ctrl-C, SIGTERM) or failed mid-run: the local executor has shut its workers down; one killed
        # while writing (a whole process group told to stop) leaves its temp file, removed here rather than by
        # the next run. Not for a cluster: its workers' pids mean nothing here and they may still be writing.
        # Closed first, so a stop that came while a report was being recorded ends the workers now, not whenever
        # the interrupted generator is collected.
        if hasattr(results, "close"):
            results.close()
        if isinstance(executor, LocalExecutor):
            for j in todo:
                remove_stale_temp_files(reports / j.rel_dir)
        raise
    if index:
        write_index(reports, manifest, p)
    return summary


def raise_for(summary: Summary) -> None:
    if summary.failed:
        raise BuildError(f"{len(summary.failed)} report(s) failed; first: {summary.failed[0][0]}: "
                         f"{summary.failed[0][1]}")
