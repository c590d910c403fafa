"""``reports/manifest.json``: each report's parameters, input fingerprint, status and timings; and, in each
report's folder, the same entry for that report alone (``.build.json``), so the manifest can be rebuilt.

In: the reports folder. Out: the manifest as a dict, verified when read: a manifest that is missing or
damaged (truncated, not JSON, not the shape we write) is rebuilt from the report folders on disk, with one
line saying so, instead of being silently replaced by an empty one (which made the index list one report and
a full catalogue rebuild everything). Written atomically after every report, so an interrupted run loses
nothing; and whether a job's outputs are up to date.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from analysis.catalogue.jobs import Job
from analysis.errors import DataError
from analysis.files import read_state, write_atomic

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
RECORD = ".build.json"  # in each report folder: that report's manifest entry
RECORD_MAX_BYTES = 1 << 20  # one report's entry: a few hundred bytes
ENTRY_KEYS = {"parameters": dict, "status": str}


def _valid_entry(entry) -> bool:
    return isinstance(entry, dict) and all(isinstance(entry.get(k), t) for k, t in ENTRY_KEYS.items())


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


def up_to_date(reports: Path, job: Job, fp: str, entries: dict, formats) -> bool:
    """True when ``job``'s entry says it was built from the same inputs, in these formats, and its files exist."""
    e = entries.get(job.rel_dir)
    if not e or e.get("status") != "ok" or e.get("fingerprint") != fp or set(e.get("formats", [])) < set(formats):
        return False
    return all((reports / job.rel_dir / name).exists() for name in ["report.ipynb", *job.outputs(formats).values()])
