"""Raw snapshots and their sidecars.

Each file under ``data/raw/`` has a ``<file>.source.yml`` beside it recording where it came from
(producer, release, original URL, where we got it, date, license, sha256). In: a raw file path.
Out: its sidecar as a dict, after checking that the file still has the recorded checksum.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from analysis.errors import DataError
from analysis.files import sha256_file

SIDECAR_SUFFIX = ".source.yml"
REQUIRED_KEYS = ("dataset", "producer", "release", "format", "url", "retrieved_from", "retrieved_on",
                 "license", "sha256")


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
    out.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


def read_sidecar(path: str | Path, verify: bool = True) -> dict:
    """The sidecar of raw file ``path``; with ``verify`` the file's sha256 must match it."""
    path = Path(path)
    side = sidecar_path(path)
    if not path.exists():
        raise DataError(path, "raw file is missing")
    if not side.exists():
        raise DataError(path, f"no sidecar {side.name} records where this file came from")
    try:
        meta = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataError(side, f"sidecar is not valid YAML ({str(exc).splitlines()[0]})") from None
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise DataError(side, f"sidecar lacks {', '.join(missing)}")
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
