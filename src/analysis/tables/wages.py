"""The OEWS tables: ``wages`` (every area's cross-industry estimates) and ``wages_industries`` (the nation's
estimates by industry, with each industry's share of the occupation computed by us).

In: the tables :func:`analysis.ingest.oews.read_oews` gave for the OEWS files on hand, each with its sidecar. Out:
the two tables. Several files of one year are normal (national and state, metropolitan, by industry); two files
that hold the same estimate (area, industry, ownership and occupation) are refused, naming both, and so are
industry estimates below the nation, which no table holds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.ingest import oews
from analysis.ingest.oews.fields import ALL_OWNERSHIPS, COLUMNS, CROSS_INDUSTRY, NATIONAL_AREA

ESTIMATE = ["area_code", "naics", "own_code", "soc_code"]  # what one row of a file estimates
INDUSTRY_COLUMNS = ["naics", "naics_title", "industry_level", "own_code", "ownership_specific"]
WAGES_COLUMNS = [c for c in COLUMNS if c not in INDUSTRY_COLUMNS]
# National by industry: no area columns (all U.S.), and none of the columns BLS leaves blank for the nation.
NATIONAL_ONLY = ["area_code", "area_title", "area_type", "area_type_name", "state_code", "jobs_per_1000",
                 "location_quotient"]
SHARE = "share_of_occupation_percent"
INDUSTRIES_COLUMNS = [c for c in COLUMNS if c not in NATIONAL_ONLY]
INDUSTRIES_COLUMNS.insert(INDUSTRIES_COLUMNS.index("employment_rse_percent") + 1, SHARE)


def _name(meta: dict) -> str:
    return Path(meta["path"]).name


def check_overlap(files: list[tuple[pd.DataFrame, dict]]) -> None:
    """DataError naming both files if two files of one year hold the same estimate (area, NAICS, ownership, SOC).

    Compares the (area, NAICS, ownership) groups of the files first (a few hundred per file), then the
    occupations of the groups two files share."""
    seen: dict[tuple, list[int]] = {}  # (year, area, naics, own) -> the files holding estimates of it
    cols = ["wage_year", *ESTIMATE]
    for j, (df, meta) in enumerate(files):
        groups = df[cols[:-1]].drop_duplicates()
        for key in groups.itertuples(index=False, name=None):
            holders = seen.setdefault(key, [])
            for i in holders:
                other, other_meta = files[i]
                mine = df.loc[(df[cols[:-1]] == list(key)).all(axis=1), cols]
                both = mine.merge(other[cols], on=cols)
                if both.empty:
                    continue
                first = both.iloc[0]
                raise DataError(meta["path"], f"holds OEWS estimates that {_name(other_meta)} holds too (first: "
                                f"area {first['area_code']}, NAICS {first['naics']}, ownership {first['own_code']}, "
                                f"SOC {first['soc_code']}, May {first['wage_year']}); an estimate comes from one "
                                "file: remove one of them")
            holders.append(j)


def share_of_occupation(industries: pd.DataFrame, wages: pd.DataFrame) -> pd.Series:
    """Each industry row's employment as a percent of the occupation's national cross-industry employment in the
    same year, rounded half up to one decimal on the exact ratio of the two whole numbers; NaN where either is
    not published (or the national row is not on hand)."""
    nation = wages.loc[wages["area_code"] == NATIONAL_AREA, ["wage_year", "soc_code", "employment_people"]]
    total = industries[["wage_year", "soc_code"]].merge(nation, on=["wage_year", "soc_code"], how="left")
    part = industries["employment_people"].to_numpy(dtype="float64", na_value=np.nan)
    whole = total["employment_people"].to_numpy(dtype="float64", na_value=np.nan)
    ok = ~np.isnan(part) & ~np.isnan(whole) & (whole > 0)
    p, w = np.where(ok, part, 0).astype("int64"), np.where(ok, whole, 1).astype("int64")
    tenths = (p * 2000 + w) // (2 * w)  # round(1000 p / w) half up, in integers: no binary-float halves
    return pd.Series(np.where(ok, tenths / 10, np.nan), index=industries.index, dtype="float64")


def _kinds(df: pd.DataFrame) -> set[str]:
    return {k for k, mask in oews.row_kinds(df).items() if mask.any()}


def held_back(files: list[tuple[pd.DataFrame, dict]], root: Path | None = None
              ) -> tuple[list[tuple[pd.DataFrame, dict]], list[str]]:
    """The OEWS files to use, and one line for each year held back because it is partial.

    BLS publishes a May's estimates (nation and states, metropolitan areas, national industries) together; a year
    on hand with fewer kinds than the year before it (a metro file added alone) would otherwise become "the
    latest" and hide the nation, the states and the industries from every report. Such a year is held: its files
    stay in data/raw and are used once its other kinds are added. Out: the files of the other years, and a line
    per held year naming its folder (relative to ``root`` when given), what it lacks and the year the reports use
    instead."""
    by_year: dict[int, list[tuple[pd.DataFrame, dict]]] = {}
    for df, meta in files:
        for year in sorted({int(y) for y in df["wage_year"].unique()}):
            by_year.setdefault(year, []).append((df, meta))
    kinds = {y: set().union(*(_kinds(df[df["wage_year"] == y]) for df, _ in fs)) for y, fs in by_year.items()}
    used, lines, before = [], [], None
    for year in sorted(by_year):
        lacks = sorted(kinds[before] - kinds[year]) if before is not None else []
        if lacks:
            folder = Path(by_year[year][0][1]["path"]).parent
            folder = folder.relative_to(root) if root and folder.is_relative_to(root) else folder
            lines.append(f"{folder}: OEWS May {year} has only {', '.join(sorted(kinds[year]))} estimates (no "
                         f"{', '.join(lacks)}); held until they are added: the reports use May {before}")
            continue
        used.append(year)
        before = year
    if not lines:
        return files, []
    keep = [(df[df["wage_year"].isin(used)].reset_index(drop=True), meta) for df, meta in files]
    return [(df, meta) for df, meta in keep if not df.empty], lines


def wage_tables(files: list[tuple[pd.DataFrame, dict]]) -> dict[str, pd.DataFrame]:
    """``wages`` and ``wages_industries`` from the OEWS files on hand (each a read table and its sidecar)."""
    check_overlap(files)
    for df, meta in files:
        below = oews.row_kinds(df)["area-industry"]
        if below.any():
            r = df[below].iloc[0]
            raise DataError(meta["path"], f"holds industry estimates for area {r['area_code']} {r['area_title']!r} "
                            f"(NAICS {r['naics']}, ownership {r['own_code']}); only the nation's industry "
                            "estimates are read")
    cross = [(df["naics"] == CROSS_INDUSTRY) & (df["own_code"] == ALL_OWNERSHIPS) for df, _ in files]
    # Each file's part of each table, then one concatenation each (not all rows at once: half the memory).
    wages = pd.concat([df.loc[c, WAGES_COLUMNS] for (df, _), c in zip(files, cross, strict=True)], ignore_index=True)
    # National first, then states and territories, metropolitan and nonmetropolitan areas; file order within an area.
    wages = wages.sort_values(["wage_year", "area_type", "area_code"], kind="stable", ignore_index=True)
    industries = pd.concat([df.loc[~c] for (df, _), c in zip(files, cross, strict=True)], ignore_index=True)
    industries = industries.sort_values(["wage_year"], kind="stable", ignore_index=True)
    industries = industries.assign(**{SHARE: share_of_occupation(industries, wages)})[INDUSTRIES_COLUMNS]
    return {"wages": wages, "wages_industries": industries}
