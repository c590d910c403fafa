"""``reports/manifest.json``: each report's parameters, input fingerprint, status and timings.

In: the reports folder. Out: the manifest as a dict (read), written atomically after every report, so
an interrupted run loses nothing; whether a job's outputs are up to date.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.catalogue.jobs import Job
from analysis.files import write_atomic

MANIFEST = "manifest.json"


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


def up_to_date(reports: Path, job: Job, fp: str, entries: dict, formats) -> bool:
    e = entries.get(job.rel_dir)
    if not e or e.get("status") != "ok" or e.get("fingerprint") != fp or set(e.get("formats", [])) < set(formats):
        return False
    return all((reports / job.rel_dir / f"report.{ext}").exists() for ext in ("ipynb", *formats))
