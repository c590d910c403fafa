"""``data/.fetch-state.json``: per URL, the last download's ETag, Last-Modified, sha256 and the raw file it
gave, so an unchanged release costs a 304.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.files import write_atomic
from analysis.paths import Paths

STATE_FILE = ".fetch-state.json"   # under data/: not raw data, so not under data/raw


def state_path(p: Paths) -> Path:
    return p.data / STATE_FILE


def read_state(p: Paths) -> dict:
    try:
        state = json.loads(state_path(p).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return state if isinstance(state, dict) else {}


def write_state(p: Paths, state: dict) -> None:
    """Write the fetch state atomically."""
    write_atomic(state_path(p), json.dumps(state, indent=1, sort_keys=True) + "\n")


def conditional(p: Paths, entry: dict | None) -> dict:
    """ETag/Last-Modified to send, but only while the raw file they stand for is still on hand."""
    if not entry or not entry.get("raw_path") or not (p.root / entry["raw_path"]).exists():
        return {}
    return {"etag": entry.get("etag"), "last_modified": entry.get("last_modified")}
