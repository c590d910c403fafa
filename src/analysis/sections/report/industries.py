"""Who hires: the industries where the occupation works and those that pay it best (the Handbook's "largest
employers" and OEWS's industry profile in one table and chart).

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: :func:`industries`, a :class:`Section`.
One NAICS level throughout (:data:`LEVEL`), plain industries only: OEWS's ownership-specific industries overlap
them and are never added up with them (:func:`analysis.tables.places.industries`).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from analysis.sections import charts
from analysis.sections.formatting import note, short, table, unbroken
from analysis.sections.report.context import ReportContext
from analysis.sections.section import OEWS_SOURCE, Section, figure
from analysis.tables import places
from analysis.values import fixed, money, people, place, plural, round_half_up

LEVEL = "4-digit"  # NAICS industry groups (e.g. 6221 hospitals): fine enough to say who hires, few enough to list
LEVEL_NAME = "NAICS 4-digit industry groups"
MOST_JOBS = 8  # industries in the chart and its table
BEST_PAID = 5


def _named(title: str, code: str) -> str:
    """An industry's title with its NAICS code: OEWS writes a 4-digit industry group as six digits (622100),
    the code is the first four. OEWS's own designations (99xxxx, e.g. the federal executive branch) are not
    NAICS codes: their titles say so. OEWS's combinations of industry groups (4240A1) are named by the groups
    their titles list."""
    code = str(code)
    if code.startswith("99"):
        return title
    if not code.isdigit():  # an OEWS combination (4240A1): its title names the industries it joins, "(4244 and 4248
        # only)"; there is no NAICS group "4240" to cite
        head, paren, inner = title.rpartition(" (")
        return f"{head} (NAICS {inner}" if paren and inner.endswith("only)") else title
    return f"{title} (NAICS {code[:4]})"


def industries(rep: ReportContext) -> Section:
    """The industries with the most jobs (their share of the occupation's national jobs, computed, as bars and a
    table with median pay) and the best-paying industries (with their jobs)."""
    nat = rep.oews_row(rep.soc_code) if rep.wages is not None else None
    if nat is None:
        return Section(note(f"OEWS publishes no national estimate of SOC {rep.soc_code}, so no industries can be "
                            "shown."))
    ind = places.industries(rep.soc_code, LEVEL, n=None, p=rep.paths, year=rep.wage_year)
    y = rep.wage_year
    if ind["publishing_employment"] == 0:
        return Section(note(f"OEWS publishes no employment of this occupation by industry at the level of "
                            f"{LEVEL_NAME} (May {y})."))
    col = ind["pay_column"]
    hourly = ind["pay_basis"] == "hourly"
    top = ind["by_employment"].head(MOST_JOBS)
    names = [_named(t, c) for t, c in zip(top["naics_title"], top["naics"], strict=True)]
    svg = charts.hbars_svg([short(t, 44) for t in top["naics_title"]], list(top["share_of_occupation_percent"]),
                           [False] * len(top), f"Share of the occupation's U.S. jobs, by industry, May {y} (computed)",
                           fmt=lambda v: fixed(v, 1) + "%", tick_fmt=lambda v: fixed(v, 0) + "%", names=names)
    # The shown industries' share from their jobs (whole numbers), not a sum of rounded shares.
    shown = round_half_up(100 * Decimal(int(top["employment_people"].sum())) / int(nat["employment_people"]), 1)
    most = table(pd.DataFrame({
        "Industry": names,
        "Jobs": [people(v) for v in top["employment_people"]],
        "Share of the occupation's jobs (computed)": [fixed(v, 1) + "%" for v in top["share_of_occupation_percent"]],
        "Median pay": [money(v, c, cents=hourly) for v, c in zip(top[col], top[f"{col}_top_coded"], strict=True)],
    }), "Industries with the most jobs in the U.S.",
        numeric={"Jobs", "Share of the occupation's jobs (computed)", "Median pay"})
    best = ind["by_pay"].head(BEST_PAID)
    paid = table(pd.DataFrame({
        "Place": [unbroken(place(b, w)) for b, w in zip(best["rank"], best["rank_worst"], strict=True)],
        "Industry": [_named(t, c) for t, c in zip(best["naics_title"], best["naics"], strict=True)],
        "Median pay": [money(v, c, cents=hourly) for v, c in zip(best[col], best[f"{col}_top_coded"], strict=True)],
        "Jobs": [people(v) for v in best["employment_people"]],
    }), f"Best-paying industries in the U.S. (of {ind['publishing_pay']:,} publishing pay)",
        numeric={"Median pay", "Jobs"}, row_headers=False)
    notes = [f"Share: computed by career-outlook, not published by BLS: the industry's jobs as a percent of the "
             f"occupation's national jobs across all industries ({people(nat['employment_people'])}), rounded to one "
             f"decimal. The {plural(len(top), 'industry', 'industries')} shown hold {fixed(shown, 1)}% of them; "
             f"{plural(ind['publishing_employment'], 'industry', 'industries')} "
             f"publish{'es' if ind['publishing_employment'] == 1 else ''} employment for this occupation, the rest are "
             "suppressed by BLS.",
             f"Industries are {LEVEL_NAME}. OEWS's ownership-specific industries (e.g. state government hospitals) "
             "overlap these and are left out. OEWS counts wage and salary jobs: the self-employed are not in it.",
             "The best-paying industries are listed with their jobs: a high median from a few hundred jobs says "
             "little about the occupation as a whole."]
    if rep.area_info is not None:
        notes.insert(0, f"These are national figures: OEWS publishes no estimates by industry for "
                        f"{rep.area_info['area_title']} or any other area.")
    if (best["rank"] != best["rank_worst"]).any():
        notes.append("A place given as a range (“#1–2”): some industry's median is published only as at or above "
                     "BLS's top code (“at least”), so the places around it are not known exactly; that industry "
                     "may be one not listed here.")
    return Section(figure(svg, f"Source: {OEWS_SOURCE}, May {y}, national estimates by industry; shares computed.")
                   + "<h3>Industries with the most jobs in the U.S.</h3>" + most
                   + "<h3>Best-paying industries in the U.S.</h3>" + paid
                   + "".join(note(n) for n in notes))

