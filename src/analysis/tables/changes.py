"""What changed between two Employment Projections releases: growth, openings, pay and wording.

In: two vintages on hand (e.g. '2023-33', '2024-34') and the processed ``projections`` table. Out: a
comparison table (one row per detailed occupation in both), a summary of the largest moves and its text
lines for a log. The page is :mod:`analysis.catalogue.changes_page`; the notebook sections are
:mod:`analysis.sections.release_compare` (keep the API stable: analysts call it).
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import ParameterError
from analysis.paths import Paths, project
from analysis.soc import TOTAL_CODE
from analysis.tables import store
from analysis.values import money, percent, points, round_half_up, signed

COLUMNS = ["soc_code", "title", "change_percent_old", "change_percent_new", "change_delta_points",
           "openings_old", "openings_new", "openings_delta", "openings_delta_percent",
           "median_wage_old", "median_wage_new", "wage_year_old", "wage_year_new", "median_wage_delta_percent",
           "outlook_label_old", "outlook_label_new", "label_changed"]


def _vintage(v: str, p: Paths) -> str:
    if v in (None, "", "latest"):
        raise ParameterError("name both vintages to compare, e.g. '2023-33' and '2024-34'")
    return store.resolve_vintage(v, p)


def detailed_rows(proj: pd.DataFrame, v: str) -> pd.DataFrame:
    return proj[(proj["vintage"] == v) & (proj["soc_level"] == "detailed")].set_index("soc_code")


def _label(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), None)


def _compare(proj: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    """The comparison from a projections table (pure; ``compare`` reads the table)."""
    a, b = detailed_rows(proj, old), detailed_rows(proj, new)
    codes = sorted(set(a.index) & set(b.index))
    a, b = a.loc[codes], b.loc[codes]
    df = pd.DataFrame({"soc_code": codes, "title": b["title"].to_numpy()})
    df["change_percent_old"] = a["change_percent"].to_numpy(dtype=float)
    df["change_percent_new"] = b["change_percent"].to_numpy(dtype=float)
    # Both are published to one decimal: round the difference so 7.1 - 8.7 is -1.6, not -1.5999999.
    df["change_delta_points"] = [round_half_up(v, 1) for v in df["change_percent_new"] - df["change_percent_old"]]
    df["openings_old"] = a["openings_per_year"].to_numpy(dtype="int64")
    df["openings_new"] = b["openings_per_year"].to_numpy(dtype="int64")
    df["openings_delta"] = df["openings_new"] - df["openings_old"]
    df["openings_delta_percent"] = (df["openings_delta"] / df["openings_old"].where(df["openings_old"] > 0) * 100)
    df["median_wage_old"] = a["median_wage_usd"].to_numpy(dtype=float)
    df["median_wage_new"] = b["median_wage_usd"].to_numpy(dtype=float)
    df["wage_year_old"] = a["wage_year"].to_numpy(dtype="int64")
    df["wage_year_new"] = b["wage_year"].to_numpy(dtype="int64")
    df["median_wage_delta_percent"] = (df["median_wage_new"] / df["median_wage_old"] - 1) * 100
    df["outlook_label_old"] = _label(a["outlook_label"]).to_numpy()
    df["outlook_label_new"] = _label(b["outlook_label"]).to_numpy()
    known = df["outlook_label_old"].notna() & df["outlook_label_new"].notna()
    df["label_changed"] = (known & (df["outlook_label_old"] != df["outlook_label_new"])).astype(bool)
    return df[COLUMNS]


def compare(old: str, new: str, p: Paths | None = None) -> pd.DataFrame:
    """One row per detailed SOC code present in both vintages (columns :data:`COLUMNS`, sorted by code).

    Percents are BLS's published ones; ``change_delta_points`` is their difference in percentage points.
    Openings are people a year; wages USD (NaN where not published); ``label_changed`` is False when
    either vintage has no growth wording (2022-32, 2023-33).
    """
    p = p or project()
    old, new = _vintage(old, p), _vintage(new, p)
    return _compare(store.table("projections", p), old, new)


def _top(df: pd.DataFrame, col: str, up: bool, top: int) -> pd.DataFrame:
    moved = df[df[col] > 0] if up else df[df[col] < 0]
    return moved.sort_values([col, "soc_code"], ascending=[not up, True]).head(top).reset_index(drop=True)


def _total(proj: pd.DataFrame, v: str) -> pd.Series:
    return proj[(proj["vintage"] == v) & (proj["soc_code"] == TOTAL_CODE)].iloc[0]


def summary(old: str, new: str, p: Paths | None = None, top: int = 10) -> dict:
    """The largest moves between two vintages, the all-occupations figures, and codes added or removed.

    Keys: old, new, all_occupations (change_percent_old/new, employment_base_old/new, openings_old/new),
    growth_up, growth_down (by change_delta_points), openings_up, openings_down (by openings_delta, people),
    pay_up, pay_down (by median_wage_delta_percent; top-coded medians left out), label_changes (DataFrames of
    :func:`compare` rows),
    added, removed (SOC codes), compared (occupations in both), all_occupations_computed (per vintage).
    """
    p = p or project()
    old, new = _vintage(old, p), _vintage(new, p)
    proj = store.table("projections", p)
    cmp = _compare(proj, old, new)
    t_old, t_new = _total(proj, old), _total(proj, new)
    da, db = detailed_rows(proj, old), detailed_rows(proj, new)
    a, b = set(da.index), set(db.index)
    # A top-coded median is a bound ("at least"), not a value: a change from or to one is not ranked.
    top_coded = set(da.index[da["median_wage_top_coded"]]) | set(db.index[db["median_wage_top_coded"]])
    pay = cmp[~cmp["soc_code"].isin(top_coded)]
    return {
        "old": old, "new": new,
        "all_occupations": {
            "change_percent_old": float(t_old["change_percent"]), "change_percent_new": float(t_new["change_percent"]),
            "employment_base_old": int(t_old["employment_base_people"]),
            "employment_base_new": int(t_new["employment_base_people"]),
            "openings_old": int(t_old["openings_per_year"]), "openings_new": int(t_new["openings_per_year"]),
        },
        "all_occupations_computed": {old: bool(t_old["is_computed"]), new: bool(t_new["is_computed"])},
        "growth_up": _top(cmp, "change_delta_points", True, top),
        "growth_down": _top(cmp, "change_delta_points", False, top),
        "openings_up": _top(cmp, "openings_delta", True, top),
        "openings_down": _top(cmp, "openings_delta", False, top),
        "pay_up": _top(pay, "median_wage_delta_percent", True, top),
        "pay_down": _top(pay, "median_wage_delta_percent", False, top),
        "label_changes": cmp[cmp["label_changed"]].reset_index(drop=True),
        "added": sorted(b - a), "removed": sorted(a - b),
        "compared": len(cmp),
    }


def format_summary(s: dict, lines_each: int = 5) -> str:
    """The summary as a few plain-text lines for the run's log."""

    def dash_money(v) -> str:
        return money(v, absent="—")

    ao = s["all_occupations"]
    out = [f"What changed, Employment Projections {s['old']} -> {s['new']} ({s['compared']} occupations in both; "
           f"{len(s['added'])} added, {len(s['removed'])} removed)",
           f"  All occupations: growth {percent(ao['change_percent_old'])} -> {percent(ao['change_percent_new'])}; "
           f"openings a year {ao['openings_old']:,} -> {ao['openings_new']:,}"]
    parts = [("Growth, up most", "growth_up", lambda r: f"{percent(r.change_percent_old)} -> "
              f"{percent(r.change_percent_new)} ({points(r.change_delta_points)})"),
             ("Growth, down most", "growth_down", lambda r: f"{percent(r.change_percent_old)} -> "
              f"{percent(r.change_percent_new)} ({points(r.change_delta_points)})"),
             ("Openings, up most", "openings_up", lambda r: f"{r.openings_old:,} -> {r.openings_new:,} "
              f"({signed(r.openings_delta)} a year)"),
             ("Openings, down most", "openings_down", lambda r: f"{r.openings_old:,} -> {r.openings_new:,} "
              f"({signed(r.openings_delta)} a year)"),
             ("Median pay, up most", "pay_up", lambda r: f"{dash_money(r.median_wage_old)} ({r.wage_year_old}) -> "
              f"{dash_money(r.median_wage_new)} ({r.wage_year_new}) ({percent(r.median_wage_delta_percent)})"),
             ("Median pay, down most", "pay_down", lambda r: f"{dash_money(r.median_wage_old)} ({r.wage_year_old}) -> "
              f"{dash_money(r.median_wage_new)} ({r.wage_year_new}) ({percent(r.median_wage_delta_percent)})")]
    for name, key, fmt in parts:
        rows = s[key].head(lines_each)
        out.append(f"  {name}:" + ("" if len(rows) else " none"))
        out += [f"    {r.soc_code}  {r.title}: {fmt(r)}" for r in rows.itertuples()]
    lc = s["label_changes"]
    out.append(f"  Growth wording changed: {len(lc)} occupation(s)")
    out += [f"    {r.soc_code}  {r.title}: {r.outlook_label_old} -> {r.outlook_label_new}"
            for r in lc.head(lines_each).itertuples()]
    for key in ("added", "removed"):
        if s[key]:
            out.append(f"  {key.capitalize()}: {', '.join(s[key])}")
    return "\n".join(out)
