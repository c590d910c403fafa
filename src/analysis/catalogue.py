"""Many reports: plan, skip what is up to date, build the rest in parallel, record, index.

In: a vintage, SOC codes (or all detailed occupations), states. Out: ``reports/<soc>-<slug>/`` for
each report, ``reports/manifest.json`` (parameters, input fingerprint, status, timings) and
``reports/index.html``. A report is rebuilt only when its fingerprint (its rows of the processed
tables, the notebook, the rendering code and templates, its parameters) changed. Every file is
written aside and moved into place; a lock keeps two builds from overlapping.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__, store
from .errors import BuildError, CareerOutlookError
from .locks import exclusive
from .paths import PACKAGE_DIR, Paths, project
from .render import write_atomic

NOTEBOOK = "career_report.ipynb"
MANIFEST = "manifest.json"
LOCK = ".build.lock"
# Code that decides what a report looks like: a change to any of it rebuilds every report.
RENDER_CODE = ("report.py", "charts.py", "formatting.py", "highlights.py", "render.py", "store.py",
               "catalogue.py", "onet.py")


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]


@dataclass(frozen=True)
class Job:
    """One report to build: parameters and where it goes (relative to the reports folder)."""

    soc_code: str
    vintage: str
    state: str | None
    title: str
    rel_dir: str

    @property
    def parameters(self) -> dict:
        return {"soc_code": self.soc_code, "vintage": self.vintage, "state": self.state}


@dataclass
class Result:
    rel_dir: str
    status: str  # "ok" | "failed" | "skipped"
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    error: str | None = None


def report_dir(soc_code: str, title: str, vintage: str, latest: str, state: str | None) -> str:
    """reports/<soc>-<slug>/ for the latest vintage; older vintages and states get their own folders."""
    name = f"{soc_code}-{slug(title)}"
    if state:
        name = f"states/{state}/{name}"
    return name if vintage == latest else f"{vintage}/{name}"


def plan(socs: Iterable[str] | None, vintage: str | None = None, states: Iterable[str | None] = (None,),
         p: Paths | None = None) -> list[Job]:
    """Validated jobs (ParameterError on a bad code, vintage or state, before anything runs)."""
    p = p or project()
    v = store.resolve_vintage(vintage, p)
    latest = store.vintages(p)[0]
    proj = store.table("projections", p)
    here = proj[(proj["vintage"] == v) & (proj["soc_level"] == "detailed")].set_index("soc_code")
    codes = list(here.index) if socs is None else [store.check_soc(s, v, p) for s in socs]
    sts = [store.check_state(s, p) for s in states]
    return [Job(c, v, st, here.loc[c, "title"], report_dir(c, here.loc[c, "title"], v, latest, st))
            for c in codes for st in sts]


# --- fingerprints ------------------------------------------------------------------------------

def _hash_files(files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def code_fingerprint(p: Paths) -> str:
    """The notebook, the rendering code and the templates, in one hash."""
    files = [p.notebooks / NOTEBOOK] + [PACKAGE_DIR / m for m in RENDER_CODE]
    # Only the report's own template: the index and changes pages do not change what a report shows.
    files += [f for f in (PACKAGE_DIR / "templates" / "career").rglob("*") if f.is_file()]
    return _hash_files(files)


def _row_hashes(df: pd.DataFrame) -> pd.Series:
    return pd.util.hash_pandas_object(df, index=False)


def _digest(values: Iterable[int]) -> str:
    return hashlib.sha256(b"".join(int(v).to_bytes(8, "little") for v in values)).hexdigest()[:20]


def fingerprints(jobs: list[Job], p: Paths) -> dict[str, str]:
    """Each job's input fingerprint: only the processed rows its report reads, plus code and params.

    A report reads its occupation's rows, its SOC major group (outlook bars, similar occupations) and
    the all-occupations rows from the projections; its own separations, wages (and the national
    all-occupations wage), O*NET and curated rows; and the small vintages and sources tables.
    """
    code = code_fingerprint(p)
    proj = store.table("projections", p)
    ph = _row_hashes(proj)
    by_major = ph.groupby(proj["major_group_code"]).agg(lambda s: _digest(s))
    total = _digest(ph[proj["soc_code"] == "00-0000"])
    per_soc: dict[str, list[str]] = {}
    for name in ("separations", "careers", "onet_occupations", "onet_tasks", "onet_titles", "onet_technology",
                 "onet_education"):
        if store.has_table(name, p):
            t = store.table(name, p)
            for soc, d in _row_hashes(t).groupby(t["soc_code"]).agg(lambda s: _digest(s)).items():
                per_soc.setdefault(soc, []).append(f"{name}:{d}")
    wages = store.table("wages", p) if store.has_table("wages", p) else None
    if wages is not None:
        wh = _row_hashes(wages)
        wage_by_soc = wh.groupby(wages["soc_code"]).agg(lambda s: _digest(s))
    small = _digest(pd.concat([_row_hashes(store.table(n, p)) for n in ("vintages", "sources", "onet_job_zones")
                               if store.has_table(n, p)]))
    out = {}
    for j in jobs:
        major = j.soc_code[:3] + "0000"
        parts = [code, small, total, str(by_major.get(major)), *per_soc.get(j.soc_code, []),
                 str(wage_by_soc.get(j.soc_code)) if wages is not None else "",
                 str(wage_by_soc.get("00-0000")) if wages is not None else "",
                 json.dumps(j.parameters, sort_keys=True)]
        out[j.rel_dir] = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return out


# --- manifest and lock -------------------------------------------------------------------------

def read_manifest(reports: Path) -> dict:
    path = reports / MANIFEST
    if not path.exists():
        return {"reports": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {"reports": {}}  # written atomically, so only a hand edit can break it: rebuild


def write_manifest(reports: Path, manifest: dict) -> None:
    write_atomic(reports / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def build_lock(reports: Path, wait: bool = False) -> exclusive:
    """An exclusive lock on ``reports/``; a second build waits (``wait=True``) or stops with a message."""
    return exclusive(reports / LOCK, "build", wait)


# --- building ----------------------------------------------------------------------------------

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
    from .executors import LocalExecutor

    p = p or project()
    reports = Path(out) if out else p.reports
    t0 = time.perf_counter()
    with build_lock(reports, wait=wait):
        remove_temp_files(reports)
        manifest = read_manifest(reports)
        entries = manifest.setdefault("reports", {})
        fps = fingerprints(jobs, p)
        todo = [j for j in jobs if force or not _up_to_date(reports, j, fps[j.rel_dir], entries, formats)]
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
            from .index_page import write_index
            write_index(reports, manifest, p)
    summary.seconds = time.perf_counter() - t0
    return summary


def remove_temp_files(folder: Path) -> None:
    """Temp files a killed build or worker left beside its outputs under ``folder``. Safe while the build
    lock is held: at the start of a build nothing is writing, and a report's folder is written by one
    worker at a time (a retried report's earlier worker is dead)."""
    if folder.is_dir():
        for f in folder.rglob(".*.tmp*"):
            if f.is_file():
                f.unlink(missing_ok=True)


def _up_to_date(reports: Path, job: Job, fp: str, entries: dict, formats) -> bool:
    e = entries.get(job.rel_dir)
    if not e or e.get("status") != "ok" or e.get("fingerprint") != fp or set(e.get("formats", [])) < set(formats):
        return False
    return all((reports / job.rel_dir / f"report.{ext}").exists() for ext in ("ipynb", *formats))


# --- worker side (runs in each worker process) -------------------------------------------------

class Worker:
    """One process's warm tools: a kernel with the report modules and tables preloaded, and a browser."""

    PRELOAD = "import analysis.report as _r\n_r.preload()"

    def __init__(self, root: str | Path, formats=("html", "pdf")):
        from .render import PdfRenderer, WarmKernel

        os.environ["CAREER_OUTLOOK_ROOT"] = str(root)
        # The browser starts on its own thread while the kernel starts and preloads: both are mostly
        # waiting on other processes, so the worker is ready about a second sooner.
        with ThreadPoolExecutor(1) as starter:
            browser = starter.submit(PdfRenderer) if "pdf" in formats else None
            self.kernel = WarmKernel(preload=self.PRELOAD)
            self.pdf = browser.result() if browser else None

    def build(self, job: Job, notebook: Path, reports: Path, formats) -> Result:
        from .render import render_report

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


def progress_printer(stream=None) -> Callable[[Result, int, int], None]:
    """A progress bar (count, rate, time left) on a terminal; one plain line per report otherwise."""
    stream = stream or sys.stderr
    tty = stream.isatty()
    start = time.perf_counter()

    def show(res: Result, i: int, n: int) -> None:
        elapsed = time.perf_counter() - start
        rate = i / elapsed if elapsed else 0.0
        left = (n - i) / rate if rate else 0.0
        if tty:
            width = 30
            filled = int(width * i / n) if n else width
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {i}/{n} {rate:.2f} reports/s, "
                         f"{left / 60:.1f} min left ")
            if i == n:
                stream.write("\n")
        else:
            mark = "ok" if res.status == "ok" else "FAILED"
            extra = f": {res.error}" if res.error else ""
            stream.write(f"{time.strftime('%H:%M:%S')} [{i}/{n}] {mark} {res.rel_dir} ({res.seconds:.1f}s){extra}\n")
        stream.flush()

    return show


def raise_for(summary: Summary) -> None:
    if summary.failed:
        raise BuildError(f"{len(summary.failed)} report(s) failed; first: {summary.failed[0][0]}: "
                         f"{summary.failed[0][1]}")
