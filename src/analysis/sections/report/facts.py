"""The report's opening: its title block and the quick-facts table (the Handbook's box, with the latest
OEWS pay beside the projections' own).

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: one :class:`Section` per function.
"""

from __future__ import annotations

from analysis.sections.formatting import esc, note, source_line
from analysis.sections.report.context import ReportContext
from analysis.sections.section import HOURS_PER_YEAR, OEWS_SOURCE, Section
from analysis.tables import store
from analysis.values import fixed, missing, money, people, percent, place, signed


def header(rep: ReportContext) -> Section:
    f = rep.facts
    state = f" · focus: {esc(rep.state)}" if rep.state else ""
    kicker = f"Career report · SOC {esc(rep.soc_code)}"
    if rep.area_info is not None:  # a report built for an area names it on its cover
        kind = "" if "metropolitan" in rep.area_info["area_title"] else f" ({rep.area_info['area_type_name']} area)"
        state = f" · area: {esc(rep.area_info['area_title'])}{esc(kind)}"
        kicker += f" · {esc(rep.area_info['area_title'])}"
    names = f.get("also_called") or (f["example_titles"] or "").split("; ")
    names = [n for n in names if n][:8]
    other = f'<p class="subtitle">Also called: {esc("; ".join(names))}</p>' if names else ""
    return Section(
        f'<div class="report-title"><p class="kicker">{kicker}</p>'
        f"<h1>{esc(rep.title)}</h1>{other}"
        f'<p class="subtitle">Employment Projections {esc(rep.vintage)} · OEWS wages May '
        f"{rep.wage_year if rep.wages is not None else '—'}{state}</p></div>")

def quick_facts(rep: ReportContext) -> Section:
    f = rep.facts
    hourly = (f"≈ {money(f['median_wage_usd'] / HOURS_PER_YEAR, cents=True)} per hour (annual ÷ 2,080)"
              if not missing(f["median_wage_usd"]) and not f["median_wage_top_coded"] else "")
    label = f["outlook_label"] or "wording not on hand for this release"
    rows = [
        ("Median pay, " + str(f["wage_year"]),
         f"{money(f['median_wage_usd'], f['median_wage_top_coded'])} per year", hourly),
    ]
    o = rep.oews_row(rep.soc_code)
    if o is not None:
        rows.append((f"Median pay, May {rep.wage_year} (latest OEWS)",
                     f"{money(o['annual_median_usd'], o['annual_median_usd_top_coded'])} per year",
                     f"{money(o['hourly_median_usd'], o['hourly_median_usd_top_coded'], cents=True)} per hour"))
    here = rep.oews_local[rep.oews_local["area_code"] == rep.area] if rep.area_info is not None else None
    if here is not None:  # a report for an area: the area's pay next to the nation's
        name = rep.area_info["area_title"]
        if here.empty:
            rows.append((f"Median pay, May {rep.wage_year}, {name}", "not published", ""))
        else:
            a = here.iloc[0]
            yearly = ("annual pay not published" if missing(a["annual_median_usd"]) else
                      f"{money(a['annual_median_usd'], a['annual_median_usd_top_coded'])} per year")
            hourly = ("" if missing(a["hourly_median_usd"]) else
                      f"{money(a['hourly_median_usd'], a['hourly_median_usd_top_coded'], cents=True)} per hour")
            rows.append((f"Median pay, May {rep.wage_year}, {name}", yearly, hourly))
            rows.append((f"Number of jobs, May {rep.wage_year}, {name}", people(a["employment_people"]), ""))
    rows += [
        ("Typical entry-level education", f["education"] or "—", ""),
        ("Work experience in a related occupation", f["experience"] or "—", ""),
        ("Typical on-the-job training", f["training"] or "—", ""),
        (f"Number of jobs, {f['base_year']}", people(f["employment_base"]), ""),
        (f"Job outlook, {rep.vintage}", f"{percent(f['change_percent'])} ({label})",
         f"all occupations: {percent(f['all_occupations_change_percent'])}"),
        (f"Employment change, {rep.vintage}", signed(f["employment_change"]), ""),
        ("Openings a year (average)", people(f["openings_per_year"]),
         f"{fixed(f['openings_per_100_jobs'], 1)} per 100 jobs" if f["openings_per_100_jobs"] else ""),
    ]
    if f.get("job_zone"):
        rows.append(("O*NET job zone (preparation)", f"{f['job_zone']} of 5", ""))
    o = rep.onet_row()
    if o is not None and isinstance(o["interest_code"], str):
        types = store.table("onet_interest_types", rep.paths)
        names = dict(zip(types["letter"], types["interest"], strict=True))
        rows.append(("O*NET interest code", o["interest_code"],
                     ", ".join(names[letter] for letter in o["interest_code"])))
    body = "".join(f"<tr><th scope='row'>{esc(a)}</th><td>{esc(b)}</td><td class='note'>{esc(c)}</td></tr>"
                   for a, b, c in rows)
    ranks = (f"Among {f['detailed_count']} detailed occupations in {rep.vintage}: "
             f"{place(f['change_percent_rank'])} for growth, {place(f['openings_rank'])} for openings"
             + (f", {place(f['median_wage_rank'], f['median_wage_rank_worst'])} for pay" if f["median_wage_rank"]
                else "") + ".")
    if f["median_wage_rank"] and f["median_wage_rank_worst"] != f["median_wage_rank"]:
        ranks += (" The place for pay is a range: BLS publishes this median only as at or above its top code, "
                  "so it may sit anywhere among the other top-coded occupations.")
    basis = ("" if f["outlook_label"] else note(f["outlook_label_basis"]))
    return Section(
        f'<table class="facts"><caption class="visually-hidden">Quick facts</caption>{body}</table>'
        f'{note(ranks)}{basis}'
        + source_line(f"Sources: {rep.ep_label}, table 1.2 (median pay: May {f['wage_year']} OEWS as"
                      f" published in the projections); latest pay: {OEWS_SOURCE}, May {rep.wage_year}."
                      f" Outlook wording: {f['outlook_label_basis']}."))
