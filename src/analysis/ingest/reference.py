"""Small cited lookup tables kept as data in ``data/reference/``: BLS's growth wording by projection cycle.

In: the CSV's path. Out: a validated DataFrame; a DataError naming the file (and vintage) otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError

WORDING_FILE = "growth_wording.csv"
WORDING_COLUMNS = ["vintage", "label", "min_percent", "max_percent", "basis", "source"]


def read_wording(path: str | Path) -> pd.DataFrame:
    """The cut-off table: one row per vintage and label, bounds in whole percent (blank = open)."""
    path = Path(path)
    df = pd.read_csv(path, dtype={"vintage": str, "label": str, "basis": str, "source": str})
    missing = [c for c in WORDING_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(path, f"missing column(s) {', '.join(missing)}")
    for col in ("min_percent", "max_percent"):
        df[col] = pd.to_numeric(df[col], errors="raise").astype("Float64")
    for vintage, bands in df.groupby("vintage"):
        both = bands.dropna(subset=["min_percent", "max_percent"])
        if (both["min_percent"] > both["max_percent"]).any():
            raise DataError(path, "a band's min_percent exceeds its max_percent", f"vintage {vintage}")
        if bands["label"].duplicated().any():
            raise DataError(path, "a label is listed twice", f"vintage {vintage}")
    return df[WORDING_COLUMNS]
