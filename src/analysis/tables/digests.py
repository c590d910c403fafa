"""Row digests of the processed tables, computed once when they are built, so a catalogue build tells which
reports' inputs changed without hashing a quarter of a million rows every time it starts.

In: the processed tables as read back from their Parquet files. Out: one table, ``row_digests``: for every table,
a digest of all its rows (``key_column`` and ``key`` empty) and, for each column in :data:`KEY_COLUMNS` it has, a
digest of the rows holding each value (e.g. every ``wages`` row of ``soc_code`` 29-2072). A digest is the sha256
(first 20 hex digits) of the rows' pandas hashes in table order: equal digests mean equal rows.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

KEY_COLUMNS = ("soc_code", "major_group_code")
COLUMNS = ["table", "key_column", "key", "digest"]


def digest(df: pd.DataFrame) -> str:
    """All of ``df``'s rows, in order, as one digest."""
    return hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy(dtype="<u8").tobytes()).hexdigest()[:20]


def digests_by(df: pd.DataFrame, key: str) -> dict[str, str]:
    """One digest per value of ``key`` over the rows holding it (in table order), vectorised: the rows' pandas
    hashes, grouped by a stable sort, each group's bytes hashed once. An empty table has no digests."""
    df = df[df[key].notna()]
    if df.empty:
        return {}
    hashes = pd.util.hash_pandas_object(df, index=False).to_numpy(dtype="<u8")
    keys = df[key].astype(str).to_numpy()
    order = np.argsort(keys, kind="stable")
    keys, raw = keys[order], hashes[order].tobytes()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    return {keys[a]: hashlib.sha256(raw[a * 8:b * 8]).hexdigest()[:20] for a, b in zip(starts, ends, strict=True)}


def row_digests(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ``row_digests`` table of ``tables`` (see the module docstring), sorted."""
    rows = []
    for name in sorted(tables):
        df = tables[name]
        rows.append((name, "", "", digest(df)))
        for col in KEY_COLUMNS:
            if col in df.columns:
                rows += [(name, col, k, d) for k, d in sorted(digests_by(df, col).items())]
    return pd.DataFrame(rows, columns=COLUMNS).astype(str)


def lookup(row_digests_table: pd.DataFrame) -> dict[tuple[str, str], dict[str, str]]:
    """``(table, key_column) -> {key: digest}``; the whole table's digest under ``(table, "")``, key ``""``."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for (table, col), g in row_digests_table.groupby(["table", "key_column"], sort=False):
        out[(table, col)] = dict(zip(g["key"], g["digest"], strict=True))
    return out
