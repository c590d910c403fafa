"""``data/.fetch-state.json``: per URL, the last download's ETag, Last-Modified, sha256 and the raw file it
gave, so an unchanged release costs a 304.
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis.errors import DataError
from analysis.files import read_state as read_json_state
from analysis.files import write_atomic
from analysis.paths import Paths

STATE_FILE = ".fetch-state.json"   # under data/: not raw data, so not under data/raw


def state_path(p: Paths) -> Path:
    return p.data / STATE_FILE


STATE_MAX_BYTES = 1 << 20  # a few entries of a few hundred bytes each
# What each entry may hold, as we write it: a value of another type (an ETag of 5) would reach the request's headers.
ENTRY_TYPES = {"etag": str, "last_modified": str, "sha256": str, "raw_path": str, "checked_on": str, "bytes": int}


def read_state(p: Paths) -> dict:
    """The fetch state: {} when there is none; a DataError naming the file when it is not the state we write (a
    link, not a regular file, over a megabyte, not JSON, nested too deep, an entry of the wrong shape)."""
    path = state_path(p)
    try:
        state = read_json_state(path, dict, STATE_MAX_BYTES)
    except FileNotFoundError:
        return {}
    for url, entry in state.items():
        if not isinstance(entry, dict):
            raise DataError(path, f"entry {url[:80]!r} is a JSON {type(entry).__name__}, not an object")
        for key, value in entry.items():
            want = ENTRY_TYPES.get(key)
            if want is not None and value is not None and (not isinstance(value, want) or isinstance(value, bool)):
                raise DataError(path, f"entry {url[:80]!r}: {key} is a JSON {type(value).__name__}, expected "
                                f"{'text' if want is str else 'a whole number'}")
    return state


def write_state(p: Paths, state: dict) -> None:
    """Write the fetch state atomically."""
    write_atomic(state_path(p), json.dumps(state, indent=1, sort_keys=True) + "\n")


def conditional(p: Paths, entry: dict | None) -> dict:
    """ETag/Last-Modified to send, but only while the raw file they stand for is still on hand."""
    if not entry or not entry.get("raw_path") or not (p.root / entry["raw_path"]).exists():
        return {}
    return {"etag": entry.get("etag"), "last_modified": entry.get("last_modified")}
