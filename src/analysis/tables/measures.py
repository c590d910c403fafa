"""Derived measures on top of the projections: SOC hierarchy, BLS growth wording, comparisons, ranks.

In: the tidy projections table (all vintages) and the growth-wording cut-offs kept as cited data in
``data/reference/growth_wording.csv`` (read by :mod:`analysis.ingest.reference`). Out: the same rows with
derived columns, each derived from rows of its own vintage only.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.soc import TOTAL_CODE, group_codes, soc_level
from analysis.tables.ranks import rank_bounds
from analysis.values import round_half_up

RANKED = {  # derived rank column -> source column (larger is rank 1)
    "change_percent": "change_percent",
    "openings": "openings_per_year",
    "median_wage": "median_wage_usd",
}
TOP_CODED = {"median_wage": "median_wage_top_coded"}  # rank -> its top-code flag: a range, not a place


def growth_label(change_percent: float, vintage: str, wording: pd.DataFrame) -> tuple[str | None, str]:
    """BLS's wording for a projected change in ``vintage``, and where the cut-offs come from."""
    bands = wording[wording["vintage"] == vintage]
    if bands.empty:
        return None, f"BLS's wording cut-offs for {vintage} are not on hand; no label is given"
    if change_percent is None or pd.isna(change_percent):
        return None, "no projected change published"
    whole = round_half_up(float(change_percent))  # BLS's whole percents: 4.5 -> 5, -4.5 -> -5
    for band in bands.itertuples():
        lo = -math.inf if pd.isna(band.min_percent) else band.min_percent
        hi = math.inf if pd.isna(band.max_percent) else band.max_percent
        if lo <= whole <= hi:
            return band.label, band.source
    raise DataError("data/reference/growth_wording.csv", f"no band covers {whole:.0f}%", f"vintage {vintage}")


def derive(projections: pd.DataFrame, wording: pd.DataFrame) -> pd.DataFrame:
    """Projections in -> projections with hierarchy, wording, comparisons, ranks and percentiles."""
    df = projections.copy()
    summary = set(df.loc[df["occupation_type"] == "Summary", "soc_code"])
    df["soc_level"] = [soc_level(c, t) for c, t in zip(df["soc_code"], df["occupation_type"], strict=True)]
    groups = [group_codes(c, summary) for c in df["soc_code"]]
    df["major_group_code"] = [g[0] for g in groups]
    df["minor_group_code"] = [g[1] for g in groups]
    df["broad_group_code"] = [g[2] for g in groups]

    totals = df[df["soc_code"] == TOTAL_CODE].set_index("vintage")
    missing = sorted(set(df["vintage"]) - set(totals.index))
    if missing:
        raise DataError("projections", f"no all-occupations row for vintage(s) {', '.join(missing)}")
    df["all_occupations_change_percent"] = df["vintage"].map(totals["change_percent"])
    df["all_occupations_basis"] = df["vintage"].map(
        totals["is_computed"].map({True: "computed by us from the detailed rows",
                                   False: "published total row"}))
    df["change_vs_all_points"] = _half_up(df["change_percent"] - df["all_occupations_change_percent"], 1)
    labels = [growth_label(p, v, wording) for p, v in zip(df["change_percent"], df["vintage"], strict=True)]
    df["outlook_label"] = [lab for lab, _ in labels]
    df["outlook_label_basis"] = [basis for _, basis in labels]
    with np.errstate(divide="ignore", invalid="ignore"):
        df["openings_per_100_jobs"] = _half_up(100 * df["openings_per_year"].astype("float64")
                                               / df["employment_base_people"].astype("float64"), 1)

    detailed = df["soc_level"] == "detailed"
    for name, col in RANKED.items():
        top = TOP_CODED.get(name)
        df[f"{name}_rank"] = pd.Series(pd.NA, index=df.index, dtype="Int64")
        df[f"{name}_rank_worst"] = pd.Series(pd.NA, index=df.index, dtype="Int64")
        df[f"{name}_percentile"] = np.nan
        for _, rows in df[detailed].groupby("vintage"):
            flags = rows[top] if top else pd.Series(False, index=rows.index)
            best, worst = rank_bounds(rows[col], flags)
            df.loc[rows.index, f"{name}_rank"] = best
            df.loc[rows.index, f"{name}_rank_worst"] = worst
            # Share of occupations at or below: unknown for a top-coded value, so left out.
            at_or_below = rows[col].astype("float64").rank(pct=True, method="max") * 100
            df.loc[rows.index, f"{name}_percentile"] = _half_up(at_or_below.where(~flags.astype(bool)), 1)
    grouped = df.loc[detailed, "openings_per_year"].astype("float64").groupby(df.loc[detailed, "vintage"])
    # Occupations with strictly fewer openings (ties are not fewer): what "more than X% of occupations" counts.
    df["openings_fewer_count"] = pd.Series(pd.NA, index=df.index, dtype="Int64")
    df.loc[detailed, "openings_fewer_count"] = (grouped.transform("size")
                                                - grouped.rank(ascending=False, method="max")).astype("Int64")
    df["detailed_count"] = df["vintage"].map(df[detailed].groupby("vintage").size()).astype("int64")
    return df


def _half_up(values: pd.Series, digits: int) -> pd.Series:
    """The house rounding (:func:`analysis.values.round_half_up`) over a column."""
    return values.astype("float64").map(lambda v: round_half_up(v, digits))


def vintages_table(releases: list, totals: pd.DataFrame) -> pd.DataFrame:
    """One row per EP release: years, format, source file and the all-occupations change."""
    rows = []
    for rel, meta in releases:
        total = totals[(totals["vintage"] == rel.vintage) & (totals["soc_code"] == TOTAL_CODE)].iloc[0]
        rows.append({
            "vintage": rel.vintage, "base_year": rel.base_year, "projected_year": rel.projected_year,
            "wage_year": rel.wage_year, "format": rel.format, "has_separations": rel.separations is not None,
            "release": meta["release"], "source_file": str(Path(meta["path"]).name),
            "source_url": meta["url"], "source_sha256": meta["sha256"],
            "all_occupations_change_percent": float(total["change_percent"]),
            "all_occupations_basis": ("computed by us from the detailed rows" if total["is_computed"]
                                      else "published total row"),
            "detailed_count": int((totals[totals["vintage"] == rel.vintage]["occupation_type"]
                                   == "Line item").sum()),
        })
    return pd.DataFrame(rows).sort_values("base_year", ascending=False, ignore_index=True)
