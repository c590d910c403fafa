"""Raw snapshots and their sidecars.

Each file under ``data/raw/`` has a ``<file>.source.yml`` beside it recording where it came from
(producer, release, original URL, where we got it, date, license, sha256). In: a raw file path.
Out: its sidecar as a dict, after checking that the file still has the recorded checksum. Sidecars are read
and written by :mod:`analysis.ingest.yaml_files` (bounded size, strict UTF-8, no anchors or aliases).
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.errors import DataError
from analysis.files import sha256_file
from analysis.ingest.yaml_files import dump_yaml, load_yaml

SIDECAR_SUFFIX = ".source.yml"
REQUIRED_KEYS = ("dataset", "producer", "release", "format", "url", "retrieved_from", "retrieved_on",
                 "license", "sha256")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def sidecar_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def write_sidecar(path: str | Path, meta: dict) -> Path:
    """Write ``meta`` (plus the file's sha256 and size) beside ``path``; returns the sidecar's path."""
    path = Path(path)
    record = dict(meta)
    record["sha256"] = sha256_file(path)
    record["bytes"] = path.stat().st_size
    out = sidecar_path(path)
    out.write_text(dump_yaml(record), encoding="utf-8")
    return out


def read_sidecar(path: str | Path, verify: bool = True) -> dict:
    """The sidecar of raw file ``path``; with ``verify`` the file's sha256 must match it."""
    path = Path(path)
    side = sidecar_path(path)
    if not path.exists():
        raise DataError(path, "raw file is missing")
    if not side.exists():
        raise DataError(path, f"no sidecar {side.name} records where this file came from")
    meta = load_yaml(side)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise DataError(side, f"sidecar must be a mapping of {', '.join(REQUIRED_KEYS)}, not a {type(meta).__name__}")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise DataError(side, f"sidecar lacks {', '.join(missing)}")
    if not isinstance(meta["sha256"], str) or not SHA256_RE.match(meta["sha256"]):
        raise DataError(side, "must be 64 lowercase hex digits", "sha256")
    if not isinstance(meta["dataset"], str):
        raise DataError(side, "must be text", "dataset")
    if verify:
        actual = sha256_file(path)
        if actual != meta["sha256"]:
            raise DataError(path, f"sha256 {actual[:12]}… does not match its sidecar ({meta['sha256'][:12]}…);"
                            " raw files must not be edited")
    meta["path"] = path
    return meta


def raw_snapshots(raw_dir: str | Path, dataset: str | None = None, verify: bool = True) -> list[dict]:
    """Every sidecar-described file under ``raw_dir`` (optionally one dataset), sorted by path."""
    out = []
    for side in sorted(Path(raw_dir).rglob("*" + SIDECAR_SUFFIX)):
        meta = read_sidecar(side.with_name(side.name[: -len(SIDECAR_SUFFIX)]), verify=verify)
        if dataset is None or meta["dataset"] == dataset:
            out.append(meta)
    return out
