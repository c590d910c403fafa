"""What the work asks of a person: whom it suits (O*NET interests, work styles, work values) and the skills and
knowledge it needs, each on O*NET's own scales and words.

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: one :class:`Section` per function. Where O*NET
has no ratings for the occupation, the section says so and names what is shown instead; never an empty heading.
Which O*NET code speaks for a BLS line, and what is left out: docs/assumptions.md, "O*NET joins".
"""

from __future__ import annotations

import pandas as pd

from analysis.sections import charts
from analysis.sections.formatting import esc, note, table
from analysis.sections.report.context import ReportContext
from analysis.sections.section import Section, figure
from analysis.tables import profile
from analysis.values import fixed, missing, plural, round_half_up

# The words of O*NET's importance scale, as its questionnaires print them above the numbers 1-5 ("How important
# is READING COMPREHENSION to the performance of your current job?"). A mean is named by the nearest whole
# point, half up (4.12 -> 4, "very important").
IMPORTANCE_WORDS = {1: "not important", 2: "somewhat important", 3: "important", 4: "very important",
                    5: "extremely important"}
TOP_RATINGS = 10  # skills and knowledge shown
TOP_STYLES = 8  # work styles shown
DOMAIN_NAMES = {"skills": "skills", "knowledge": "knowledge areas", "work_styles": "work styles",
                "work_values": "work values"}
COLUMN = {"skills": "Skill", "knowledge": "Knowledge"}


def importance_words(value) -> str:
    """``4.12`` -> ``"4.12 of 5, very important"``."""
    return f"{fixed(value, 2)} of 5, {IMPORTANCE_WORDS[int(round_half_up(value, 0))]}"


def level_words(value) -> str:
    """A level on O*NET's 0-7 scale: ``"4.62 of 7"``. O*NET's example tasks for each level (its Level Scale Anchors)
    are not shown: they are generic across occupations and read absurdly beside a particular one (a physician's
    judgment "about: Evaluate a loan application"), so a student could take them for what the job involves."""
    if missing(value):
        return "not shown (O*NET advises against it)"
    return f"{fixed(value, 2)} of 7"


def _no_ratings(rep: ReportContext, what: str, instead: str) -> str:
    """One line where O*NET has no ratings: no heading, no empty table (a section with nothing to show is one
    line under its parent)."""
    return note(f"{what[0].upper()}{what[1:]}: O*NET has not rated these for this occupation yet. {instead}".strip())


def _interests_html(rep: ReportContext) -> str:
    ints = profile.interests(rep.soc_code, rep.paths)
    if ints.code is None:
        return _no_ratings(rep, "interests", "Its tasks and work activities under “What they do” show what the "
                           "days are made of.")
    rows = ints.rows
    names = [f"{r.interest} ({r.letter})" for r in rows.itertuples()]
    chart = charts.hbars_svg(names, rows["score"].tolist(), [not missing(h) for h in rows["high_point_rank"]],
                             "Interest profile: how well each kind of interest fits the work (1-7)",
                             fmt=lambda v: fixed(v, 2), tick_fmt=lambda v: fixed(v, 0))
    high = rows.dropna(subset=["high_point_rank"]).sort_values("high_point_rank")
    spelled = ", ".join(high["interest"])
    items = "".join(f"<li><strong>{esc(r.interest)}</strong> ({esc(fixed(r.score, 2))}): {esc(r.description)}</li>"
                    for r in high.itertuples())
    rule = "" if ints.rule == "O*NET high points" else note(f"The code of a BLS line that covers several O*NET "
                                                              f"occupations: {ints.rule}.")
    return (f"<h3>Interests</h3><p>Interest code <strong>{esc(ints.code)}</strong> ({esc(spelled)}): the kinds of "
            "activity people in this work tend to enjoy, in the Holland (RIASEC) terms of O*NET's Interest "
            f"Profiler.</p><ul>{items}</ul>"
            + figure(chart, "Source: O*NET 29.2, Interests (occupational interest scores 1-7; bold: the high "
                            "points). O*NET estimates these scores with a statistical model (November 2023); "
                            "workers did not rate them.")
            + rule)


def _styles_values_html(rep: ReportContext) -> str:
    styles = profile.ratings(rep.soc_code, "work_styles", TOP_STYLES, rep.paths)
    values = profile.ratings(rep.soc_code, "work_values", None, rep.paths)
    out = ["<h3>Work styles and work values</h3>"]
    if styles.onet_soc_code is None and values.onet_soc_code is None:
        return _no_ratings(rep, "work styles and work values", "The interests above are the nearest guide to "
                           "whom the work suits.")
    if styles.onet_soc_code is not None:
        tbl = pd.DataFrame({"Work style": styles.rows["element_name"], "What it means": styles.rows["description"],
                            "Importance": [importance_words(v) for v in styles.rows["importance"]]})
        out.append(table(tbl, "The work styles that matter most in this work", long=True)
                   + _left_out(styles, f"Showing the {len(styles.rows)} most important of {styles.rated} "
                                       "work styles. "))
    if values.onet_soc_code is not None:
        top = values.rows.dropna(subset=["high_point_rank"]).sort_values("high_point_rank")
        # O*NET's description, first sentence: the rest names the "corresponding needs" of another instrument.
        names = "; ".join(f"{r.element_name} ({r.description.split('. ')[0].rstrip('.')})" for r in top.itertuples())
        out.append(f"<p><strong>What the work offers</strong> (its work values' high points): {esc(names)}.</p>"
                   if names else "")
    out.append(note(f"Source: O*NET 29.2, Work Styles (importance 1-5) and Work Values (extent 1-7), as rated for "
                    f"{styles.onet_soc_code or values.onet_soc_code}."))
    return "".join(out)


def _left_out(r: profile.Ratings, shown: str) -> str:
    extra = ""
    if r.left_out:
        extra += (f"{plural(r.left_out, 'estimate')} O*NET recommends not to show (too uncertain) "
                  f"{'is' if r.left_out == 1 else 'are'} left out. ")
    if r.levels_left_out and "level" in r.rows.columns and r.domain in ("skills", "knowledge"):
        extra += (f"{plural(r.levels_left_out, 'level')} O*NET marks not relevant or advises against "
                  f"{'is' if r.levels_left_out == 1 else 'are'} not shown. ")
    return note(shown + extra)


def suits(rep: ReportContext) -> Section:
    """Whom the work suits: the interest profile and code, then the work styles and values O*NET rates."""
    if rep.onet_row() is None:
        return rep.no_onet()
    return Section(_interests_html(rep) + _styles_values_html(rep))


def _ratings_table(rep: ReportContext, domain: str, heading: str) -> str:
    r = profile.ratings(rep.soc_code, domain, TOP_RATINGS, rep.paths)
    if r.onet_soc_code is None:
        return _no_ratings(rep, DOMAIN_NAMES[domain], "")
    tbl = pd.DataFrame({
        COLUMN[domain]: r.rows["element_name"],
        "What it is": r.rows["description"],
        "Importance": [importance_words(v) for v in r.rows["importance"]],
        "Level needed": [level_words(v) for v in r.rows["level"]],
    })
    return (f"<h3>{heading}</h3>" + table(tbl, f"The {len(tbl)} most important {DOMAIN_NAMES[domain]}", long=True)
            + _left_out(r, f"Showing the {len(tbl)} most important of {r.rated} {DOMAIN_NAMES[domain]} rated "
                           f"for {r.onet_soc_code}. "))


def skills(rep: ReportContext) -> Section:
    """The skills and knowledge the work needs most (O*NET importance, with the level needed and O*NET's example
    of that level); or, where O*NET has not rated them, a plain note saying what to read instead."""
    if rep.onet_row() is None:
        return rep.no_onet()
    rated = profile.has_ratings(rep.soc_code, rep.paths)
    if not (rated["skills"] or rated["knowledge"]):
        return Section(_no_ratings(rep, "skills and knowledge", "The tasks and detailed work activities under "
                                   "“What they do” and the tools and technology below show what the work "
                                   "involves; BLS's entry requirements are under “How to become one”."))
    return Section(_ratings_table(rep, "skills", "Skills")
                   + _ratings_table(rep, "knowledge", "Knowledge")
                   + note("Importance is O*NET's mean rating on its 1-5 scale, named by the nearest whole point; "
                          "the level needed is on its 0-7 scale (higher: more of it), as rated for this "
                          "occupation."))
