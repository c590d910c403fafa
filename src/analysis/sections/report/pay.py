"""Pay: the national percentiles, annual and hourly (the states and areas are in :mod:`.areas`).

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: one :class:`Section` per function.
"""

from __future__ import annotations

import pandas as pd

from analysis.sections import charts
from analysis.sections.formatting import note, table
from analysis.sections.report.context import ReportContext
from analysis.sections.section import OEWS_SOURCE, Section, figure
from analysis.soc import TOTAL_CODE
from analysis.values import money

# What OEWS's May 2025 file does above $239,200 a year: it publishes most such wages in full (388 rows) and marks
# some only as "$239,200 or more" (footnote 5, 94 rows): only those are lower bounds.
TOP_CODE_NOTE = ("“At least”: BLS published this figure only as $239,200 or more a year ($115.00 or more an hour), "
                 "its top code; the true value is higher. BLS publishes most pay above that amount in full, so a "
                 "figure over $239,200 elsewhere in this report is exact.")
PERCENTILES = [("10th", "p10"), ("25th", "p25"), ("Median", "median"), ("75th", "p75"), ("90th", "p90")]


def pay(rep: ReportContext) -> Section:
    o = rep.oews_row(rep.soc_code)
    if o is None:
        return Section(note(f"BLS publishes no pay for this occupation (May {rep.wage_year}): its wage survey covers "
                            "workers on employers' payrolls, leaves out the self-employed and publishes nothing "
                            "where it finds too few payroll jobs."))
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
        notes.append(TOP_CODE_NOTE)
    return Section(figure(fig, f"Source: {OEWS_SOURCE}, May {rep.wage_year}, national, cross-industry.")
                   + table(rows, "Pay percentiles, annual and hourly", numeric={"Annual", "Hourly"})
                   + "".join(note(n) for n in notes)
                   + note(f"Ten percent of workers earn less than the 10th percentile and ten percent more than "
                          f"the 90th. All-occupations median: {money(all_median, cents=unit == 'hour')}."))
