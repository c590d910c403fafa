"""The one-sheet handout of a career report: what a student needs, front and back.

In: a :class:`~analysis.sections.report.context.ReportContext` (an occupation, its vintage, optionally a state or an
area) and where the full report's files are. Out: :class:`Handout`, the sheet's content as plain values (texts,
rows of figures, links) for the template ``templates/handout/handout.html.j2``, which escapes them.

Every figure is one the full report shows, worded the same way (one headline median, :mod:`analysis.tables.headline`;
"fewer than 50" for BLS's published zero; places with how many); nothing here is computed anew.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from analysis.ingest import onet
from analysis.sections.report.context import ReportContext
from analysis.sections.report.facts import JOB_ZONE_WORDS, local_row, pay_text, place_name, read_more
from analysis.sections.report.related import median_texts
from analysis.tables import headline, places, profile, store
from analysis.values import change_count, fixed, missing, money, openings_count, people, per_100, percent

TASKS = 4  # tasks shown, core ones first
AREAS = 5  # areas with the most jobs
INDUSTRIES = 5  # industries with the most jobs
RELATED = 3  # related careers
CREDENTIALS = 4  # job titles that name a credential
# A job title that names a credential: a certification, registration or licence ("Certified Professional Coder
# (CPC)", "Registered Health Information Technician (RHIT)", "Licensed Practical Nurse (LPN)").
CREDENTIAL_WORDS = re.compile(r"\b(Certified|Registered|Licensed|Board Certified|Accredited)\b")


@dataclass
class Handout:
    """The sheet's content: each field plain text or rows of plain text (the template escapes them)."""

    title: str
    soc_code: str
    vintage: str
    wage_year: int
    place: str | None
    also_called: list[str]
    description: str
    tasks: list[str]
    entry: list[tuple[str, str]]  # (what, BLS's words)
    credentials: list[str]
    entry_notes: list[str]  # curated "how people get in", with their source's name
    pay: list[tuple[str, str, str]]  # (label, median, range)
    outlook: list[tuple[str, str]]
    where_title: str
    areas: list[tuple[str, str, str]]  # (area, jobs, median)
    industries: list[tuple[str, str]]  # (industry, share of jobs)
    related: list[tuple[str, str, str, str]]  # (title, SOC, median, growth and wording)
    links: list[tuple[str, str]]  # (what, URL)
    sources: str
    attribution: str
    notes: list[str] = field(default_factory=list)


def _range(o: pd.Series | None, basis: str) -> str:
    """'$37,000 to $81,150 (middle 80% of workers)': the 10th to the 90th percentile, or '' where either end is not
    published."""
    if o is None:
        return ""
    lo, hi = o[f"{basis}_p10_usd"], o[f"{basis}_p90_usd"]
    if missing(lo) or missing(hi):
        return ""
    cents = basis == "hourly"
    return (f"{money(lo, bool(o[f'{basis}_p10_usd_top_coded']), cents=cents)} to "
            f"{money(hi, bool(o[f'{basis}_p90_usd_top_coded']), cents=cents)} (middle 80% of workers)")


def _pay(rep: ReportContext) -> list[tuple[str, str, str]]:
    nat = headline.national(rep.soc_code, rep.vintage, rep.paths)
    rows = []
    where = place_name(rep)
    if where is not None:
        here = local_row(rep)
        mine = headline.local(here, rep.wage_year)
        figure, _ = pay_text(mine)
        rows.append((f"Median pay in {where}, May {rep.wage_year}", figure, _range(here, mine.basis)))
    figure, _ = pay_text(nat)
    label = "Median pay, U.S." if where is not None else "Median pay"
    rows.append((f"{label}, May {nat.year}" if nat.value_usd is not None else label, figure,
                 _range(rep.oews_row(rep.soc_code), nat.basis) if nat.source == headline.OEWS else ""))
    return rows


def _outlook(rep: ReportContext) -> list[tuple[str, str]]:
    f = rep.facts
    us = "U.S. jobs" if place_name(rep) is not None else "Jobs"
    label = f["outlook_label"] or "BLS's wording not on hand"
    rate = per_100(f["openings_per_year"], f["openings_per_100_jobs"], f["employment_base"])
    return [
        (f"{us}, {f['base_year']}", people(f["employment_base"])),
        (f"Growth, {rep.vintage}", f"{percent(f['change_percent'])}: {label} (all occupations "
                                   f"{percent(f['all_occupations_change_percent'])})"),
        ("Change in jobs", change_count(f["employment_change"])),
        ("Openings a year", openings_count(f["openings_per_year"]) + (f" ({rate})" if rate else "")),
    ]


def _where(rep: ReportContext) -> tuple[str, list[tuple[str, str, str]]]:
    if rep.wages is None or rep.oews_row(rep.soc_code) is None:
        return "Where the jobs are", []
    if rep.state:
        name = places.state_name(rep.state, rep.paths, rep.wage_year)
        m = places.state_area_rank(rep.soc_code, rep.state, p=rep.paths, year=rep.wage_year)
        title = f"Areas of {name} with the most jobs"
    else:
        m = places.metro_rank(rep.soc_code, n=None, p=rep.paths, year=rep.wage_year)
        title = "Metropolitan areas with the most jobs"
    col = m["pay_column"]
    cents = m["pay_basis"] == "hourly"
    rows = [(r.area_title, people(r.employment_people), money(getattr(r, col), bool(getattr(r, f"{col}_top_coded")),
                                                               cents=cents))
            for r in m["by_employment"].head(AREAS).itertuples()]
    return title, rows


def _industries(rep: ReportContext) -> list[tuple[str, str]]:
    if rep.wages is None or rep.oews_row(rep.soc_code) is None:
        return []
    ind = places.industries(rep.soc_code, "4-digit", n=INDUSTRIES, p=rep.paths, year=rep.wage_year)
    return [(r.naics_title, "" if missing(r.share_of_occupation_percent) else fixed(r.share_of_occupation_percent, 1)
             + "%") for r in ind["by_employment"].itertuples()]  # the house rounding, as the report's table


def _related(rep: ReportContext) -> list[tuple[str, str, str, str]]:
    if not store.has_table("onet_related", rep.paths):
        return []
    rel = profile.related(rep.soc_code, rep.vintage, rep.paths)
    rel = rel[rel["in_vintage"]].head(RELATED)
    # the same median texts as the report's related-careers table
    medians = median_texts(rel.rename(columns={"related_soc_code": "soc_code"}), headline.medians(rep.vintage,
                                                                                                  rep.paths))
    out = []
    for r, median in zip(rel.itertuples(), medians, strict=True):
        label = store.occupation(r.related_soc_code, rep.vintage, rep.paths)["outlook_label"]
        wording = f" ({label})" if isinstance(label, str) else ""
        out.append((r.title, r.related_soc_code, median, f"{percent(r.change_percent)}{wording}"))
    return out


def _entry(rep: ReportContext) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    f = rep.facts
    entry = [("Education", f["education"] or "—"), ("Experience in a related job", f["experience"] or "—"),
             ("On-the-job training", f["training"] or "—")]
    z = f.get("job_zone")
    if z:
        entry.append(("Preparation (O*NET job zone)", f"{z} of 5: {JOB_ZONE_WORDS[int(z)]}"))
    titles = rep.onet_rows("onet_titles")
    creds = [] if titles.empty else list(dict.fromkeys(
        t for t in titles.sort_values("title_rank")["title"] if CREDENTIAL_WORDS.search(str(t))))[:CREDENTIALS]
    notes = []
    if store.has_table("careers", rep.paths):
        cur = store.table("careers", rep.paths)
        mine = cur[(cur["soc_code"] == rep.soc_code) & (cur["section"] == "entry_path")].sort_values("position")
        notes = [f"{r.text} ({r.source_title})" for r in mine.itertuples()]
    return entry, creds, notes


def build(rep: ReportContext) -> Handout:
    """The handout's content for the report ``rep``."""
    o = rep.onet_row()
    description, tasks = "", []
    if o is not None:
        description = str(o["description"])
        t = rep.onet_rows("onet_tasks")
        if not t.empty:
            t = t.assign(core=t["task_type"] != "Core").sort_values(["core", "task_order"])
            tasks = t["task"].drop_duplicates().head(TASKS).tolist()
    entry, creds, entry_notes = _entry(rep)
    where_title, areas = _where(rep)
    f = rep.facts
    names = [n for n in (f.get("also_called") or []) if n][:5]
    notes = []
    if rep.wages is not None and rep.oews_row(rep.soc_code) is None:
        notes.append("BLS publishes no pay or places for this occupation: its wage survey covers workers on "
                     "employers' payrolls and leaves out the self-employed.")
    return Handout(
        title=rep.title, soc_code=rep.soc_code, vintage=rep.vintage, wage_year=rep.wage_year,
        place=place_name(rep), also_called=names, description=description, tasks=tasks, entry=entry,
        credentials=creds, entry_notes=entry_notes, pay=_pay(rep), outlook=_outlook(rep), where_title=where_title,
        areas=areas, industries=_industries(rep), related=_related(rep), links=read_more(rep.soc_code),
        sources=(f"Sources: U.S. Bureau of Labor Statistics, Employment Projections {rep.vintage} and Occupational "
                 f"Employment and Wage Statistics, May {rep.wage_year}; O*NET. Built by career-outlook."),
        attribution=onet.attribution(o["onet_release"]) if o is not None else "",
        notes=notes)
