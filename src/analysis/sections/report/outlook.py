"""Job outlook: projected change against the occupation's groups and all occupations, openings split into
growth, exits and transfers, the projection across releases, and the occupation among its SOC group.

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: one :class:`Section` per function.
"""

from __future__ import annotations

import pandas as pd

from analysis.sections import charts
from analysis.sections.formatting import esc, note, table
from analysis.sections.report.context import ReportContext
from analysis.sections.section import EP_SOURCE, Section, figure
from analysis.soc import TOTAL_CODE
from analysis.tables import store
from analysis.values import UNDER, change_count, fixed, money, openings_count, people, per_100, percent


def outlook(rep: ReportContext) -> Section:
    r = rep.row
    major = rep.group_row(r["major_group_code"])
    minor = rep.group_row(r["minor_group_code"])
    total = rep.group_row(TOTAL_CODE)
    rows = [(rep.title, r["change_percent"], True)]
    for g in (minor, major, total):
        if g is not None:
            rows.append((g["title"], g["change_percent"], False))
    df = pd.DataFrame(rows, columns=["label", "change_percent", "highlight"])
    df["name"] = df["label"]  # the whole title, for the chart's description
    df["label"] = [lab if len(lab) <= 42 else lab[:40] + "…" for lab in df["label"]]
    fig = charts.outlook_bars(df, f"Projected employment change, {rep.row['base_year']}–"
                                  f"{rep.row['projected_year']}")
    label = rep.facts["outlook_label"]
    words = (f"BLS words this as “{label}”." if label else rep.facts["outlook_label_basis"] + ".")
    text = (f"<p>Employment of {esc(rep.title.lower())} is projected to change "
            f"{esc(percent(r['change_percent']))} from {r['base_year']} to {r['projected_year']}, against "
            f"{esc(percent(r['all_occupations_change_percent']))} for all occupations. {esc(words)}</p>")
    return Section(text + figure(fig, f"Source: {rep.ep_label}, table 1.2.")
                   + note("Projections are rounded estimates; BLS advises reading them for direction and "
                          "relative size, not as exact values."))

def openings(rep: ReportContext) -> Section:
    r = rep.row
    f = rep.facts
    rate = per_100(f["openings_per_year"], f["openings_per_100_jobs"], f["employment_base"])
    if f["openings_per_year"] == 0:  # BLS's 0.0 thousand: under 50, never "0 openings"
        lead = (f"<p>Fewer than {UNDER} openings a year are projected on average over {esc(rep.vintage)} ({esc(rate)} "
                f"in {r['base_year']}; all occupations: {esc(_all_openings_rate(rep))} per 100). BLS rounds openings "
                "to the nearest hundred, so a small occupation's figures read as zero in its tables.</p>")
    else:
        lead = (f"<p>About <strong>{esc(people(f['openings_per_year']))}</strong> openings a year are projected "
                f"on average over {esc(rep.vintage)}: {esc(rate)} in {r['base_year']} (all occupations: "
                f"{esc(_all_openings_rate(rep))} per 100 jobs).</p>")
    if not store.has_table("separations", rep.paths):
        return Section(lead)
    seps = store.table("separations", rep.paths)
    s = seps[(seps["vintage"] == rep.vintage) & (seps["soc_code"] == rep.soc_code)]
    if s.empty:
        return Section(lead + note(f"The {rep.vintage} release on hand has no table 1.10, so openings "
                                   "cannot be split into growth, exits and transfers."))
    s = s.iloc[0]
    detail = table(pd.DataFrame([
        ("Labor force exits (retirements and others leaving work)",
         openings_count(s["labor_force_exits_per_year"]), percent(s["labor_force_exit_rate_percent"], signed=False)),
        ("Occupational transfers (moving to other occupations)",
         openings_count(s["occupational_transfers_per_year"]),
         percent(s["occupational_transfer_rate_percent"], signed=False)),
        ("Growth (the average change in employment a year)", change_count(s["growth_openings_per_year"]), ""),
        ("Total openings", openings_count(s["openings_per_year"]), ""),
    ], columns=["Component", "A year", "Rate"]), "Openings a year by component", numeric={"A year", "Rate"})
    if s["openings_per_year"] == 0:  # a chart of zeros says nothing: the rates are the information
        chart = ""
    else:
        fig = charts.openings_bars({k: s[k] for k in charts.PARTS}, float(s["openings_per_year"]),
                                   f"Where the {int(s['openings_per_year']):,} openings a year come from")
        chart = figure(fig, f"Source: {rep.ep_label}, table 1.10 (annual averages).")
    return Section(lead + chart + detail
                   + note("Growth is BLS's annual average change in employment "
                          f"({change_count(r['employment_change_people'])} over {r['base_year']}–"
                          f"{r['projected_year']}, a tenth a year). BLS rounds each part "
                          "separately, so they may not add exactly to the total. Rates are a share of the average "
                          f"of {r['base_year']} and "
                          f"{r['projected_year']} employment, as BLS publishes them; the openings per 100 "
                          f"jobs above are per {r['base_year']} job."))

def _all_openings_rate(rep: ReportContext) -> str:
    t = rep.group_row(TOTAL_CODE)
    return fixed(100 * t["openings_per_year"] / t["employment_base_people"], 1) if t is not None else "—"

def releases(rep: ReportContext) -> Section:
    hist = rep.proj[(rep.proj["soc_code"] == rep.soc_code)].sort_values("base_year")
    vint = store.table("vintages", rep.paths).set_index("vintage")
    rows = hist.assign(all_change_percent=hist["vintage"].map(vint["all_occupations_change_percent"]))
    fig = charts.releases_lines(rows, "How BLS's projection for this occupation changed between releases")
    tbl = pd.DataFrame({
        "Release": rows["vintage"],
        "Jobs (base year)": [f"{people(e)} ({y})" for e, y in zip(rows["employment_base_people"],
                                                                  rows["base_year"], strict=True)],
        "Change": [percent(v) for v in rows["change_percent"]],
        "All occupations": [percent(v) for v in rows["all_change_percent"]],
        "Openings a year": [openings_count(v) for v in rows["openings_per_year"]],
        "Median pay": [f"{money(w, t)} ({y})" for w, t, y in zip(rows["median_wage_usd"],
                                                               rows["median_wage_top_coded"],
                                                               rows["wage_year"], strict=True)],
        "Wording": [w if isinstance(w, str) else "not on hand" for w in rows["outlook_label"]],
    })
    missing_v = sorted(set(vint.index) - set(rows["vintage"]))
    extra = note(f"Not in release(s) {', '.join(missing_v)} under this code (codes change between "
                 "releases).") if missing_v else ""
    return Section(figure(fig, f"Source: {EP_SOURCE}, releases {', '.join(rows['vintage'])}.")
                   + table(tbl, "The projection for this occupation in each release",
                           numeric={"Jobs (base year)", "Change", "All occupations", "Openings a year",
                                         "Median pay"}) + extra
                   + note("Each release re-estimates the base year and the ten years ahead; differences "
                          "between releases are revisions of rounded projections, not measured changes. "
                          "The 2022–32 figures come from BLS's data-tool export, whose pay is for May 2023."))
