"""Whole-table checks on a converted OEWS table: one row per area and occupation, percentiles in order,
the annual-only and hourly-only flags consistent with the wages published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.ingest.oews.convert import first_true
from analysis.ingest.oews.fields import FIELDS, PERCENTILES, WAGE_COLUMNS
from analysis.ingest.oews.load import Context


def check_unique(ctx: Context, df: pd.DataFrame) -> None:
    dup = df.duplicated(["area_code", "soc_code"], keep=False)
    if not dup.any():
        return
    rows = np.flatnonzero(dup.to_numpy())
    first = df.iloc[rows[0]]
    same = rows[(df["area_code"].iloc[rows] == first["area_code"]).to_numpy()
                & (df["soc_code"].iloc[rows] == first["soc_code"]).to_numpy()]
    raise DataError(ctx.path, f"area {first['area_code']} / SOC {first['soc_code']} appears more than once "
                              f"(also {ctx.locate(int(same[1]))}); a cross-industry file has one row "
                              "per pair",
                    f"{ctx.locate(int(same[0]))}, column {ctx.source_name.get('soc_code', 'OCC_CODE')}")


def check_percentiles(ctx: Context, df: pd.DataFrame) -> None:
    """p10 ≤ p25 ≤ median ≤ p75 ≤ p90 among the values that are present and exact (not top-coded)."""
    for unit in ("hourly", "annual"):
        names = [f"{unit}_{p}_usd" for p in PERCENTILES]
        exact = pd.DataFrame({n: df[n].mask(df[f"{n}_top_coded"]) for n in names})
        # Compare each value with the largest present value to its left (skips gaps left by * / #).
        before = exact.cummax(axis=1).shift(1, axis=1)
        viol = exact.lt(before)
        if viol.to_numpy().any():
            r = int(np.flatnonzero(viol.any(axis=1).to_numpy())[0])
            c = int(np.flatnonzero(viol.iloc[r].to_numpy())[0])
            row = exact.iloc[r]
            prev = next(n for n in reversed(names[:c]) if row[n] == before.iloc[r, c])
            ctx.fail(r, names[c], f"percentiles out of order: {FIELDS[names[c]].source} {row.iloc[c]:g} "
                                  f"< {FIELDS[prev].source} {row[prev]:g}")


def check_unit_flags(ctx: Context, df: pd.DataFrame) -> None:
    """ANNUAL=TRUE rows publish no hourly wage and HOURLY=TRUE rows no annual wage, as BLS defines them."""
    for flag, unit in (("annual_only", "hourly"), ("hourly_only", "annual")):
        cols = [c for c in WAGE_COLUMNS if c.startswith(unit)]
        bad = df[flag] & df[cols].notna().any(axis=1)
        if bad.any():
            i = first_true(bad)
            col = next(c for c in cols if pd.notna(df[c].iloc[i]))
            ctx.fail(i, col, f"{FIELDS[flag].source}=TRUE but {unit} wage {df[col].iloc[i]:g} is published")
    both = df["annual_only"] & df["hourly_only"]
    if both.any():
        ctx.fail(first_true(both), "annual_only", "both ANNUAL and HOURLY are TRUE")
