"""The report's short glossary: the few terms a student meets in it, in plain words.

In: a :class:`~analysis.sections.report.context.ReportContext` (for the release years). Out: a :class:`Section`, a
definition list. Each term is also explained where it first appears (the quick facts' third column); this is the
place to look one up again.
"""

from __future__ import annotations

from analysis.sections.formatting import esc
from analysis.sections.report.context import ReportContext
from analysis.sections.section import Section

TERMS = (
    ("Median pay", "Half of the workers in the occupation earn more than this, half earn less. From BLS's wage "
                   "survey (Occupational Employment and Wage Statistics, OEWS), which counts workers on employers' "
                   "payrolls, not the self-employed."),
    ("Openings", "Jobs expected to need a new worker each year, on average over the ten years of the projection: "
                 "from growth, and from workers who retire, leave work or move to another occupation. BLS rounds "
                 "them to the nearest hundred, so “fewer than 50” is how a published zero reads."),
    ("Job outlook", "BLS's projected percent change in the number of jobs over ten years, worded against the "
                    "average for all occupations (“Much faster than average” … “Decline”)."),
    ("SOC code", "The occupation's code in the Standard Occupational Classification, the list BLS and O*NET use "
                 "(29-2072 is medical records specialists)."),
    ("Location quotient", "How concentrated the occupation's jobs are in a place: its share of the place's jobs "
                          "against its share of all U.S. jobs. 1.00 is the same as the nation; 2.00, twice as "
                          "concentrated."),
    ("Top code", "A cap BLS puts on some pay figures: in May 2025 it published some only as “$239,200 or more” "
                 "a year ($115.00 or more an hour). Shown here as “at least”: the true figure is higher, by an "
                 "unknown amount. Most pay above the cap is published in full."),
    ("Job zone", "O*NET's group for how much preparation an occupation needs: education, training and "
                 "experience, from 1 (little or none) to 5 (extensive)."),
    ("Interest code", "Up to three letters for the kinds of activity the work suits, in the Holland (RIASEC) terms "
                      "of O*NET's Interest Profiler: Realistic, Investigative, Artistic, Social, Enterprising, "
                      "Conventional."),
    ("Place (#)", "A rank among occupations or places: #1 is the highest (fastest growth, most openings, best "
                  "pay); “#1–17” is a range, where top-coded pay leaves the exact place unknown."),
)


def glossary(rep: ReportContext) -> Section:
    """The terms used in the report, each in one or two plain sentences."""
    items = "".join(f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>" for term, text in TERMS)
    return Section(f'<dl class="glossary">{items}</dl>')
