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
from analysis.values import missing, money, people

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
                   + table(rows, numeric={"Annual", "Hourly"})
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
    vals = s[["state_code", col]].rename(columns={col: "value"})
    fmt = (lambda v: f"${v:,.2f}") if hourly else (lambda v: f"${v / 1000:,.0f}k")
    fig = charts.state_tiles(vals, f"Median {'hourly' if hourly else 'annual'} pay by state, May "
                                   f"{rep.wage_year}", fmt=fmt, focus=rep.state,
                             legend="darker = higher pay; n/a = not published")
    lq = s[["state_code", "location_quotient"]].rename(columns={"location_quotient": "value"})
    fig2 = charts.state_tiles(lq, f"Concentration of jobs by state (location quotient), May {rep.wage_year}",
                              fmt=lambda v: f"{v:.2f}", focus=rep.state,
                              legend="1.00 = the national share; above 1 = more concentrated")

    def top(by: str, n: int = 5) -> str:
        t = s.dropna(subset=[by]).nlargest(n, by)
        return table(pd.DataFrame({
            "State": t["area_title"], "Jobs": [people(v) for v in t["employment_people"]],
            "Median pay": [money(v, c, cents=hourly) for v, c in zip(t[col], t[f"{col}_top_coded"],
                                                                      strict=True)],
            "Location quotient": [f"{v:.2f}" if not missing(v) else "—" for v in t["location_quotient"]],
        }), numeric={"Jobs", "Median pay", "Location quotient"})

    parts = [figure(fig, f"Source: {OEWS_SOURCE}, May {rep.wage_year}, state estimates."),
             '<div class="two-col"><div><h4>Top-paying states</h4>' + top(col) + "</div>"
             "<div><h4>Highest concentration of jobs</h4>" + top("location_quotient") + "</div></div>",
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
    rows.append(("Jobs per 1,000 jobs", "—" if missing(per_1000) else f"{per_1000:.2f}", ""))
    rows.append(("Location quotient", f"{st['location_quotient']:.2f}" if not missing(st["location_quotient"])
                 else "—", "1.00"))
    rank = rep.oews_states[col].rank(ascending=False, method="min")[st.name]
    df = pd.DataFrame(rows, columns=["", st["area_title"], "United States"])
    return (f"<h3>{esc(st['area_title'])} against the nation</h3>"
            + table(df, numeric={st["area_title"], "United States"})
            + note(f"{st['area_title']} ranks #{int(rank)} of {rep.oews_states[col].notna().sum()} areas "
                   f"for median pay in this occupation (May {rep.wage_year})." if not missing(rank) else ""))
