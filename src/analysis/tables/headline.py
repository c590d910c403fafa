"""The one pay figure a report leads with, and its place among occupations.

In: an occupation's code and projections vintage (and, for local reports, its OEWS rows). Out: a
:class:`Pay`: the newest published median (OEWS's latest national estimate when BLS publishes one, else the
median the projections table carries), whether it is annual or hourly, its year and source, whether it is a
top-coded bound, and its place among the vintage's detailed occupations ranked by the same figure.

Why one figure: the projections table repeats an older May median (May 2024 in 2024-34) beside OEWS's newest
(May 2025). A page that shows both reads as two different answers to "what does it pay"; the newest one leads and
the older one is kept in a note (docs/assumptions.md, "Headline pay").
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.paths import Paths
from analysis.tables import places, store
from analysis.tables.ranks import rank_bounds
from analysis.values import missing

OEWS = "OEWS"
PROJECTIONS = "projections"


@dataclass(frozen=True)
class Pay:
    """One median: ``value_usd`` (None when BLS publishes none), ``basis`` ("annual" or "hourly"), ``top_coded``
    (the value is BLS's bound: the true median is at or above it), ``year`` (May of), ``source`` (:data:`OEWS`
    or :data:`PROJECTIONS`), ``hourly_usd`` beside an annual figure where published, and the place among the
    vintage's detailed occupations by the same kind of figure: ``rank`` to ``rank_worst`` (a range where top
    codes leave it open) of ``ranked`` occupations, #1 the highest; None where the figure is not ranked."""

    value_usd: float | None
    basis: str
    top_coded: bool
    year: int
    source: str
    hourly_usd: float | None = None
    hourly_top_coded: bool = False
    rank: int | None = None
    rank_worst: int | None = None
    ranked: int | None = None


def _ranking(vintage: str, p: Paths | None, year: int) -> pd.DataFrame:
    """Every detailed occupation of ``vintage`` with its national OEWS annual median of ``year`` and that median's
    place (best, worst) among those that publish one: built once per process."""

    def build(proj: pd.DataFrame) -> pd.DataFrame:
        det = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")][["soc_code"]]
        nat = places.national(p, year)
        got = det.join(nat[["annual_median_usd", "annual_median_usd_top_coded"]], on="soc_code")
        best, worst = rank_bounds(got["annual_median_usd"], got["annual_median_usd_top_coded"])
        return got.assign(rank=best, rank_worst=worst).set_index("soc_code")

    return store.derived("projections", ("headline-pay-ranking", vintage, year), build, p)


def national(soc_code: str, vintage: str, p: Paths | None = None) -> Pay:
    """The occupation's headline U.S. median: OEWS's latest national annual median (or hourly, for an occupation
    BLS publishes only hourly) when OEWS publishes the occupation; otherwise the projections table's median
    (with its own May year), unranked."""
    row = store.occupation(soc_code, vintage, p)
    if store.has_table("wages", p):
        year = places.wage_year(None, p)
        nat = places.national(p, year)
        if soc_code in nat.index:
            o = nat.loc[soc_code]
            if not missing(o["annual_median_usd"]):
                r = _ranking(vintage, p, year).loc[soc_code]
                ranked = int(_ranking(vintage, p, year)["annual_median_usd"].notna().sum())
                return Pay(float(o["annual_median_usd"]), "annual", bool(o["annual_median_usd_top_coded"]), year,
                           OEWS, None if missing(o["hourly_median_usd"]) else float(o["hourly_median_usd"]),
                           bool(o["hourly_median_usd_top_coded"]), int(r["rank"]), int(r["rank_worst"]), ranked)
            if not missing(o["hourly_median_usd"]):
                return Pay(float(o["hourly_median_usd"]), "hourly", bool(o["hourly_median_usd_top_coded"]), year,
                           OEWS)
    value = None if missing(row["median_wage_usd"]) else float(row["median_wage_usd"])
    return Pay(value, "annual", bool(row["median_wage_top_coded"]), int(row["wage_year"]), PROJECTIONS)


def local(o: pd.Series | None, year: int) -> Pay:
    """The headline median of one OEWS row (a state or an area): annual where published, else hourly; a Pay with
    no value where the row is missing or publishes neither."""
    if o is None:
        return Pay(None, "annual", False, year, OEWS)
    if not missing(o["annual_median_usd"]):
        hourly = None if missing(o["hourly_median_usd"]) else float(o["hourly_median_usd"])
        return Pay(float(o["annual_median_usd"]), "annual", bool(o["annual_median_usd_top_coded"]), year, OEWS,
                   hourly, bool(o["hourly_median_usd_top_coded"]))
    if not missing(o["hourly_median_usd"]):
        return Pay(float(o["hourly_median_usd"]), "hourly", bool(o["hourly_median_usd_top_coded"]), year, OEWS)
    return Pay(None, "annual", False, year, OEWS)


def medians(vintage: str, p: Paths | None = None) -> pd.DataFrame:
    """Every detailed occupation's headline median, as :func:`national` chooses it, indexed by ``soc_code``:
    ``value_usd``, ``basis`` ("annual"/"hourly"), ``top_coded``, ``year``: for tables that list other
    occupations beside this one (related careers), so that every pay on a page is the same kind of figure."""

    def build(proj: pd.DataFrame) -> pd.DataFrame:
        det = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")].set_index("soc_code")
        out = pd.DataFrame({"value_usd": det["median_wage_usd"].astype("float64"), "basis": "annual",
                            "top_coded": det["median_wage_top_coded"].astype(bool),
                            "year": det["wage_year"].astype(int)}, index=det.index)
        if store.has_table("wages", p):
            year = places.wage_year(None, p)
            nat = places.national(p, year).reindex(det.index)
            annual = nat["annual_median_usd"].notna()
            hourly = ~annual & nat["hourly_median_usd"].notna()
            published = annual | hourly
            out.loc[annual, "value_usd"] = nat.loc[annual, "annual_median_usd"]
            out.loc[annual, "top_coded"] = nat.loc[annual, "annual_median_usd_top_coded"].astype(bool)
            out.loc[hourly, "value_usd"] = nat.loc[hourly, "hourly_median_usd"]
            out.loc[hourly, "top_coded"] = nat.loc[hourly, "hourly_median_usd_top_coded"].astype(bool)
            out.loc[hourly, "basis"] = "hourly"
            out.loc[published, "year"] = year
        return out

    return store.derived("projections", ("headline-medians", vintage), build, p)
