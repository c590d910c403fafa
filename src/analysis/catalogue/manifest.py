"""``reports/manifest.json``: each report's parameters, input fingerprint, status and timings; and, in each
report's folder, the same entry for that report alone (``.build.json``), so the manifest can be rebuilt.

In: the reports folder. Out: the manifest as a dict, verified when read: a manifest that is missing or
damaged (truncated, not JSON, not the shape we write) is rebuilt from the report folders on disk, with one
line saying so, instead of being silently replaced by an empty one (which made the index list one report and
a full catalogue rebuild everything); whether a folder holds a manifest we wrote (:func:`is_catalogue`); and
whether a job's outputs are up to date. The manifest is written atomically in batches (:class:`BatchedWriter`):
every few reports or seconds, at the end and when a run is stopped; ``complete`` is False in every write but a
build's last. Each report's record is written as it finishes: the durable log, so a killed run loses nothing (a
manifest left not complete is caught up from the records, :func:`rescan`).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from analysis.catalogue.jobs import Job
from analysis.errors import DataError
from analysis.files import read_state, write_atomic

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
RECORD = ".build.json"  # in each report folder: that report's manifest entry
RECORD_MAX_BYTES = 1 << 20  # one report's entry: a few hundred bytes
ENTRY_KEYS = {"parameters": dict, "status": str}
# The manifest says what wrote it, so a folder whose marker was lost is still known by its content.
FORMAT_KEY, FORMAT = "format", "career-outlook catalogue manifest 1"
MANIFEST_MAX_BYTES = 256 << 20  # a full catalogue with every state is tens of MB; more is not ours
# How often a build rewrites the manifest: a whole file of tens of MB after each of 45,000 reports was most of a
# state catalogue's bookkeeping. The records are the log in between.
EVERY_REPORTS = 200
EVERY_SECONDS = 10.0
# False while a build is running (set by its first write, True again by its last): a manifest left False was
# written by a build that was killed, whose last reports are in their records only.
COMPLETE_KEY = "complete"


def _valid_entry(entry) -> bool:
    return isinstance(entry, dict) and all(isinstance(entry.get(k), t) for k, t in ENTRY_KEYS.items())


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


def _problem(path: Path) -> tuple[dict | None, str | None]:
    """The manifest at ``path`` and None, or None and what is wrong with it."""
    try:
        data = read_state(path)  # no link followed, a size cap, a depth cap
    except DataError as err:
        return None, err.problem
    except OSError as err:
        return None, f"cannot be read ({err.strerror})"
    if not isinstance(data.get("reports"), dict):
        return None, "not a manifest (no 'reports' mapping)"
    bad = next((rel for rel, e in data["reports"].items() if not _valid_entry(e)), None)
    if bad is not None:
        return None, f"entry {bad!r} is damaged"
    return data, None


def rescan(reports: Path) -> dict:
    """A manifest made from the ``.build.json`` records in the report folders under ``reports``."""
    entries = {}
    for record in sorted(Path(reports).rglob(RECORD)):
        try:
            entry = read_state(record, dict, RECORD_MAX_BYTES)  # a link to /dev/zero is refused, not read
        except (OSError, DataError):
            continue  # that report is rebuilt: it is as if it had never been built
        if _valid_entry(entry):
            entries[str(record.parent.relative_to(reports))] = entry
    return {"reports": entries}


def read_manifest(reports: Path) -> dict:
    """The verified manifest of ``reports`` (see the module docstring); a damaged or missing one is rebuilt, and
    that said in one warning."""
    path = Path(reports) / MANIFEST
    if path.exists() or path.is_symlink():
        data, problem = _problem(path)
        if data is not None:
            return data
    else:
        problem = "missing"
    found = rescan(reports)
    if path.exists() or found["reports"]:
        log.warning(f"{path}: {problem}; rebuilt from the {len(found['reports'])} report folder(s) on disk")
    return found


def write_manifest(reports: Path, manifest: dict) -> None:
    """Write the whole manifest atomically."""
    write_atomic(Path(reports) / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def write_record(reports: Path, rel_dir: str, entry: dict) -> None:
    """Write one report's entry into its own folder (what :func:`rescan` reads back)."""
    write_atomic(Path(reports) / rel_dir / RECORD, json.dumps(entry, indent=1, sort_keys=True) + "\n")


class BatchedWriter:
    """Writes ``manifest`` into ``reports`` when :meth:`changed` has been called ``every`` times or ``seconds``
    have passed since the last write, and on :meth:`flush` (the end of a run, or a stop)."""

    def __init__(self, reports: Path, manifest: dict, every: int = EVERY_REPORTS, seconds: float = EVERY_SECONDS):
        self.reports, self.manifest, self.every, self.seconds = Path(reports), manifest, every, seconds
        self.pending = 0
        self.last = time.monotonic()
        self.writes = 0

    def changed(self) -> None:
        """One entry changed: write now if the batch is full or old enough."""
        self.pending += 1
        if self.pending >= self.every or time.monotonic() - self.last >= self.seconds:
            self.flush()

    def flush(self, always: bool = False) -> None:
        """Write the manifest if any entry changed since the last write (or ``always``)."""
        if self.pending or always:
            write_manifest(self.reports, self.manifest)
            self.pending, self.last, self.writes = 0, time.monotonic(), self.writes + 1


def up_to_date(reports: Path, job: Job, fp: str, entries: dict, formats) -> bool:
    """True when ``job``'s entry says it was built from the same inputs, in these formats, and its files exist."""
    e = entries.get(job.rel_dir)
    if not e or e.get("status") != "ok" or e.get("fingerprint") != fp or set(e.get("formats", [])) < set(formats):
        return False
    return all((reports / job.rel_dir / name).exists() for name in ["report.ipynb", *job.outputs(formats).values()])
