"""Whole-table checks on a converted OEWS table: one row per area, industry, ownership and occupation; areas of
a known type whose codes and primary state agree with it; industry codes of the form their level gives;
percentiles in order; the annual-only and hourly-only flags consistent with the wages published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.ingest.oews.convert import first_true
from analysis.ingest.oews.fields import (
    ALL_OWNERSHIPS,
    AREA_TYPES,
    CROSS_INDUSTRY,
    CROSS_INDUSTRY_LEVEL,
    FIELDS,
    INDUSTRY_LEVELS,
    NATIONAL_AREA,
    NATIONAL_STATE,
    PERCENTILES,
    STATE_FIPS,
    WAGE_COLUMNS,
)
from analysis.ingest.oews.load import Context

KEY = ["area_code", "naics", "own_code", "soc_code"]  # one estimate per area, industry, ownership, occupation


def check_unique(ctx: Context, df: pd.DataFrame) -> None:
    dup = df.duplicated(KEY, keep=False)
    if not dup.any():
        return
    rows = np.flatnonzero(dup.to_numpy())
    first = df.iloc[rows[0]]
    same = rows[np.logical_and.reduce([(df[k].iloc[rows] == first[k]).to_numpy() for k in KEY])]
    raise DataError(ctx.path, f"area {first['area_code']} / SOC {first['soc_code']} (NAICS {first['naics']}, "
                              f"ownership {first['own_code']}) appears more than once (also "
                              f"{ctx.locate(int(same[1]))}); a file has one row per area, industry, ownership "
                              "and occupation",
                    f"{ctx.locate(int(same[0]))}, column {ctx.source_name.get('soc_code', 'OCC_CODE')}")


def check_areas(ctx: Context, df: pd.DataFrame) -> None:
    """A known AREA_TYPE; an AREA of its form; a known PRIM_STATE that agrees with the AREA where the code holds
    the state's FIPS code (states, territories, nonmetropolitan areas); one title, type and state per area."""
    code, kind, state = df["area_code"], df["area_type"], df["state_code"]
    bad = ~kind.isin(list(AREA_TYPES))
    if bad.any():
        i = first_true(bad)
        known = ", ".join(f"{t} {name}" for t, (name, *_) in AREA_TYPES.items())
        ctx.fail(i, "area_type", f"area type {kind.iloc[i]} is not one of BLS's ({known})")
    name = df["area_type_name"]
    width = kind.map({t: w for t, (_, w, _) in AREA_TYPES.items()})
    bad = ~code.str.fullmatch(r"[0-9]+") | (code.str.len() != width) | ((kind == 1) != (code == NATIONAL_AREA))
    if bad.any():
        i = first_true(bad)
        form = "99" if kind.iloc[i] == 1 else f"{width.iloc[i]} digits"
        ctx.fail(i, "area_code", f"area code {code.iloc[i]!r} is not the code of a {name.iloc[i]} area ({form}"
                                 f"{', and 99 is the U.S.' if code.iloc[i] == NATIONAL_AREA else ''})")
    national = kind == 1
    bad = (national & (state != NATIONAL_STATE)) | (~national & ~state.isin(list(STATE_FIPS)))
    if bad.any():
        i = first_true(bad)
        want = NATIONAL_STATE if national.iloc[i] else "a state or territory postal code (AL … WY, DC, GU, PR, VI)"
        ctx.fail(i, "state_code", f"PRIM_STATE {state.iloc[i]!r} of {name.iloc[i]} area {code.iloc[i]} is not "
                                  f"{want}")
    fips = state.map(STATE_FIPS)
    bad = (kind.isin([2, 3]) & (code != fips)) | ((kind == 6) & (code.str[:2] != fips))
    if bad.any():
        i = first_true(bad)
        ctx.fail(i, "area_code", f"area code {code.iloc[i]} of {name.iloc[i]} area {df['area_title'].iloc[i]!r} "
                                 f"disagrees with its PRIM_STATE {state.iloc[i]} (FIPS code {fips.iloc[i]})")
    cols = ["area_title", "area_type", "state_code"]
    first = df.groupby("area_code", sort=False)[cols].transform("first")
    differs = df[cols].ne(first)
    if differs.to_numpy().any():
        i = first_true(differs.any(axis=1))
        col = next(c for c in cols if differs[c].iloc[i])
        j = first_true(code == code.iloc[i])
        ctx.fail(i, col, f"area {code.iloc[i]} has {df[col].iloc[i]!r} here but {first[col].iloc[i]!r} in "
                         f"{ctx.locate(j)}; an area has one title, type and primary state")


def check_industries(ctx: Context, df: pd.DataFrame) -> None:
    """Each NAICS code of the form its I_GROUP gives (fields.INDUSTRY_LEVELS; only OEWS's cross-industry codes
    start with 00); NAICS 000000 covers all ownerships."""
    naics, level = df["naics"], df["industry_level"]
    for lvl, form in INDUSTRY_LEVELS.items():
        bad = (level == lvl) & ~naics.str.fullmatch(form)
        if lvl != CROSS_INDUSTRY_LEVEL:
            bad |= (level == lvl) & naics.str.startswith("00")
        if bad.any():
            i = first_true(bad)
            ctx.fail(i, "naics", f"NAICS {naics.iloc[i]!r} is not a {lvl} industry code, as its I_GROUP "
                                 f"{lvl!r} says it is")
    bad = (naics == CROSS_INDUSTRY) & (df["own_code"] != ALL_OWNERSHIPS)
    if bad.any():
        i = first_true(bad)
        ctx.fail(i, "own_code", f"OWN_CODE {df['own_code'].iloc[i]} on NAICS {CROSS_INDUSTRY} (all industries), "
                                f"which covers all ownerships ({ALL_OWNERSHIPS})")


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
