"""Pay: national percentiles, and the states (tile maps, top states, one state against the nation).

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: one :class:`Section` per function.
"""

from __future__ import annotations

import pandas as pd

from analysis.sections import charts
from analysis.sections.formatting import esc, note, table
from analysis.sections.report.context import ReportContext
from analysis.sections.section import OEWS_SOURCE, Section, figure
from analysis.soc import TOTAL_CODE
from analysis.tables.ranks import rank_bounds
from analysis.values import fixed, missing, money, people, place, thousands_usd

PERCENTILES = [("10th", "p10"), ("25th", "p25"), ("Median", "median"), ("75th", "p75"), ("90th", "p90")]


def pay(rep: ReportContext) -> Section:
    o = rep.oews_row(rep.soc_code)
    if o is None:
        return Section(note(f"OEWS May {rep.wage_year} publishes no national wage estimate for SOC "
                            f"{rep.soc_code}; the projections' median ({money(rep.row['median_wage_usd'])}, "
                            f"{rep.row['wage_year']}) is shown in the quick facts."))
    unit = "year" if not o["hourly_only"] else "hour"
    kind = "annual" if unit == "year" else "hourly"
    pcts = pd.DataFrame([(lab, o[f"{kind}_{key}_usd"], bool(o[f"{kind}_{key}_usd_top_coded"]))
                         for lab, key in PERCENTILES], columns=["label", "value_usd", "top_coded"])
    allm = rep.oews_row(TOTAL_CODE)
    all_median = None if allm is None else allm[f"{kind}_median_usd"]
    fig = charts.pay_range(pcts, all_median, f"Pay percentiles, May {rep.wage_year} ({kind})", unit)
    rows = pd.DataFrame(
        [(lab, money(o[f"annual_{k}_usd"], o[f"annual_{k}_usd_top_coded"]),
          money(o[f"hourly_{k}_usd"], o[f"hourly_{k}_usd_top_coded"], cents=True)) for lab, k in PERCENTILES]
        + [("Mean", money(o["annual_mean_usd"], o["annual_mean_usd_top_coded"]),
            money(o["hourly_mean_usd"], o["hourly_mean_usd_top_coded"], cents=True))],
        columns=["Percentile", "Annual", "Hourly"])
    notes = []
    if o["annual_only"]:
        notes.append("BLS publishes only annual wages for this occupation (e.g. school-year jobs); hourly "
                     "wages are not published.")
    if o["hourly_only"]:
        notes.append("BLS publishes only hourly wages for this occupation (work is often not year-round); "
                     "annual wages are not published.")
    if pcts["top_coded"].any():
        notes.append("“At least” marks BLS's top code: the true value is at or above $239,200 a year "
                     "($115.00 an hour).")
    return Section(figure(fig, f"Source: {OEWS_SOURCE}, May {rep.wage_year}, national, cross-industry.")
                   + table(rows, "Pay percentiles, annual and hourly", numeric={"Annual", "Hourly"})
                   + "".join(note(n) for n in notes)
                   + note(f"Ten percent of workers earn less than the 10th percentile and ten percent more than "
                          f"the 90th. All-occupations median: {money(all_median, cents=unit == 'hour')}."))

def states(rep: ReportContext) -> Section:
    if rep.wages is None or rep.oews_states.empty:
        return Section(note("No OEWS state estimates are on hand for this occupation."))
    s = rep.oews_states
    # Hourly-only occupations (e.g. actors): no state has an annual median, some have an hourly one.
    hourly = bool(s["annual_median_usd"].isna().all() and s["hourly_median_usd"].notna().any())
    col = "hourly_median_usd" if hourly else "annual_median_usd"
    vals = s[["state_code", col, f"{col}_top_coded"]].set_axis(["state_code", "value", "top_coded"], axis=1)
    fmt = (lambda v: money(v, cents=True)) if hourly else thousands_usd
    topped = bool(vals["top_coded"].any())
    fig = charts.state_tiles(vals, f"Median {'hourly' if hourly else 'annual'} pay by state, May "
                                   f"{rep.wage_year}", fmt=fmt, focus=rep.state,
                             legend="darker = higher pay; n/a = not published"
                                    + ("; hatched ≥ = at or above BLS's top code" if topped else ""))
    lq = s[["state_code", "location_quotient"]].rename(columns={"location_quotient": "value"})
    fig2 = charts.state_tiles(lq, f"Concentration of jobs by state (location quotient), May {rep.wage_year}",
                              fmt=lambda v: fixed(v, 2), focus=rep.state,
                              legend="1.00 = the national share; above 1 = more concentrated")

    def top(by: str, caption: str, n: int = 5) -> str:
        rows = s if by != col else s[~s[f"{col}_top_coded"].astype(bool)]  # a bound is not a value to rank
        t = rows.dropna(subset=[by]).nlargest(n, by)
        return table(pd.DataFrame({
            "State": t["area_title"], "Jobs": [people(v) for v in t["employment_people"]],
            "Median pay": [money(v, c, cents=hourly) for v, c in zip(t[col], t[f"{col}_top_coded"],
                                                                      strict=True)],
            "Location quotient": [fixed(v, 2) if not missing(v) else "—" for v in t["location_quotient"]],
        }), caption, numeric={"Jobs", "Median pay", "Location quotient"})

    caption = f"Source: {OEWS_SOURCE}, May {rep.wage_year}, state estimates."
    if topped:
        caption += (" Hatched tiles marked ≥: BLS publishes the median only as at or above its top code "
                    f"({money(vals.loc[vals['top_coded'], 'value'].min(), cents=hourly)}); shaded at that bound.")
    at_code = s.loc[s[f"{col}_top_coded"].astype(bool), "area_title"]
    unranked = (note(f"Not placed in this list: {', '.join(at_code)}, whose median BLS publishes only as at or "
                     "above its top code (it may be higher than those shown).") if len(at_code) else "")
    parts = [figure(fig, caption),
             '<div class="two-col"><div><h3>Top-paying states</h3>' + top(col, "Top-paying states") + unranked
             + "</div>"
             "<div><h3>Highest concentration of jobs</h3>" + top("location_quotient", "Highest concentration of jobs")
             + "</div></div>",
             figure(fig2, f"Source: {OEWS_SOURCE}, May {rep.wage_year}.")]
    if rep.state:
        parts.insert(0, _state_vs_nation(rep, col, hourly))
    return Section("".join(parts))

def _state_vs_nation(rep: ReportContext, col: str, hourly: bool) -> str:
    st = rep.oews_states[rep.oews_states["state_code"] == rep.state]
    nat = rep.oews_row(rep.soc_code)
    if st.empty:
        return note(f"OEWS publishes no estimate for this occupation in {rep.state}.")
    st = st.iloc[0]
    kind = "hourly" if hourly else "annual"
    rows = [("Jobs", people(st["employment_people"]), people(nat["employment_people"]) if nat is not None else "—")]
    for lab, k in PERCENTILES:
        c = f"{kind}_{k}_usd"
        rows.append((f"{lab} pay", money(st[c], st[f"{c}_top_coded"], cents=hourly),
                     money(nat[c], nat[f"{c}_top_coded"], cents=hourly) if nat is not None else "—"))
    per_1000 = st["jobs_per_1000"]
    rows.append(("Jobs per 1,000 jobs", "—" if missing(per_1000) else fixed(per_1000, 2), ""))
    rows.append(("Location quotient", fixed(st["location_quotient"], 2) if not missing(st["location_quotient"])
                 else "—", "1.00"))
    df = pd.DataFrame(rows, columns=["Measure", st["area_title"], "United States"])
    return (f"<h3>{esc(st['area_title'])} against the nation</h3>"
            + table(df, f"{st['area_title']} against the nation", numeric={st["area_title"], "United States"})
            + note(pay_place(rep.oews_states, col, st.name, st["area_title"], "areas", rep.wage_year)))


def pay_place(areas: pd.DataFrame, col: str, key, name: str, kind: str, year: int) -> str:
    """Where ``areas.loc[key]`` stands for median pay among ``areas``, as a sentence: a definite place, or a
    range when BLS's top code leaves it open (never a single place drawn from a top-code bound)."""
    best, worst = rank_bounds(areas[col], areas[f"{col}_top_coded"])
    if missing(best[key]):
        return ""
    n = int(areas[col].notna().sum())
    if best[key] == worst[key]:
        return f"{name} ranks {place(best[key], n=n)} {kind} for median pay in this occupation (May {year})."
    why = ("its median is published only as at or above BLS's top code" if areas.loc[key, f"{col}_top_coded"]
           else "some areas' medians are published only as at or above BLS's top code")
    return (f"{name} ranks between {place(best[key])} and {place(worst[key], n=n)} {kind} for median pay in this "
            f"occupation (May {year}): {why}, so its exact place is not known.")
