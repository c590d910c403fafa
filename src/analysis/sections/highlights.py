"""Highlights derived from the numbers, for occupations without curated facts.

In: an occupation's quick facts (``store.quick_facts``) and its O*NET job zone. Out: a list of
(kind, text) highlights, each rule one entry in ``RULES``; the report labels them as derived.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.sections.formatting import esc
from analysis.values import UNDER, fixed, money, percent, round_half_up

SHORT_ENTRY = {"No formal educational credential", "High school diploma or equivalent",
               "Postsecondary nondegree award"}
LONG_ENTRY = {"Doctoral or professional degree", "Master's degree"}
LONG_TRAINING = {"Long-term on-the-job training", "Apprenticeship", "Internship/residency"}
ALL_OCCUPATIONS_MEDIAN_KEY = "all_occupations_median_wage_usd"


# BLS's growth wording -> pro/con; "As fast as average" (None here) goes by the all-occupations rate.
LABEL_KIND = {"Much faster than average": "pro", "Faster than average": "pro", "As fast as average": None,
              "Slower than average": "con", "Little or no change": "con", "Decline": "con"}
JOB_ZONES = {1: "little or no preparation needed", 2: "some preparation needed",
             4: "considerable preparation needed", 5: "extensive preparation needed"}  # O*NET's zone names


def _growth(f: dict):
    """Never words growth against BLS: its label leads when on hand; without one, only above/below."""
    label, ch, allc, v = f["outlook_label"], f["change_percent"], f["all_occupations_change_percent"], f["vintage"]
    if ch is None:
        return None
    if ch < 0 and label in (None, "Decline"):
        return ("con", f"Employment is projected to decline {percent(-ch, signed=False)} over {v} "
                       f"(all occupations: {percent(allc)}).")
    side = "above" if ch > allc else "below" if ch < allc else "level with"
    kind = LABEL_KIND.get(label) or ("pro" if ch > allc else "con")
    lead = ("Growth" if ch > 0 else "Employment change") + (f" BLS calls “{label}”:" if label else " of")
    return (kind, f"{lead} {percent(ch)} over {v}, {side} the all-occupations {percent(allc)}.")


def _openings(f: dict):
    rank, n, k = f["openings_rank"], f["detailed_count"], f["openings_per_year"]
    if rank is None:
        return None
    about = f"fewer than {UNDER}" if k == 0 else f"about {k:,}"  # published in thousands: 0.0 is under 50 people
    if rank <= n / 4:
        # Occupations with strictly fewer openings (a tie is not "fewer"), as a count and its exact share: a share
        # floored into "more than 75%" is false when it is exactly 75%.
        fewer = f["openings_fewer_count"]
        return ("pro", f"Many openings: {about} a year; {fewer:,} of the {n:,} detailed occupations "
                       f"({fixed(100 * fewer / n, 1)}%) have fewer.")
    if rank > 3 * n / 4:
        more = rank - 1  # occupations with strictly more openings (ties share the best place)
        return ("con", f"Few openings: {about} a year; {more:,} of the {n:,} detailed occupations "
                       f"({fixed(100 * more / n, 1)}%) have more.")
    return None


def _pay(f: dict):
    pay, allm, top = f["median_wage_usd"], f.get(ALL_OCCUPATIONS_MEDIAN_KEY), f["median_wage_top_coded"]
    if pay is None or not allm:
        return None
    diff = int(round_half_up(100 * (pay - allm) / allm))
    if diff == 0:  # within half a percent: neither "0% above" nor "0% below"
        return None
    side = "above" if diff > 0 else "below"
    note = " (BLS's top code: the true median is higher)" if top else ""
    return ("pro" if diff > 0 else "con", f"Median pay of {money(pay, top)} ({f['wage_year']}) is "
            f"{'at least ' if top else ''}{abs(diff)}% {side} the all-occupations median of {money(allm)}{note}.")


def _entry(f: dict):
    edu, training = f["education"], f["training"]
    if edu in SHORT_ENTRY and training not in LONG_TRAINING:
        return ("pro", f"A short entry path: typically {edu.lower()}, with "
                       f"{'no on-the-job training' if training == 'None' else (training or '').lower()}.")
    if edu in LONG_ENTRY:
        return ("con", f"A long entry path: typically a {edu.lower()}.")
    return None


def _job_zone(f: dict):
    z = f.get("job_zone")
    if not z or z == 3:
        return None
    return ("pro" if z <= 2 else "con", f"O*NET job zone {z} of 5: {JOB_ZONES[z]}.")


RULES: list[Callable[[dict], tuple[str, str] | None]] = [_growth, _openings, _pay, _entry, _job_zone]


def derive(facts: dict, job_zone: int | None = None) -> list[tuple[str, str]]:
    """Quick facts -> [(\"pro\"|\"con\", text)], one per rule that applies, in rule order."""
    f = dict(facts, job_zone=job_zone if job_zone is not None else facts.get("job_zone"))
    return [h for rule in RULES if (h := rule(f))]


def render(items: list[tuple[str, str]]) -> str:
    pros = "".join(f"<li>{esc(t)}</li>" for k, t in items if k == "pro") or "<li>None stand out.</li>"
    cons = "".join(f"<li>{esc(t)}</li>" for k, t in items if k == "con") or "<li>None stand out.</li>"
    return ('<div class="derived"><p class="badge">Derived from the BLS figures, not curated</p>'
            f'<div class="pros-cons"><div class="pros"><h3>Points in favor</h3><ul>{pros}</ul></div>'
            f'<div class="cons"><h3>Points against</h3><ul>{cons}</ul></div></div>'
            '<p class="note">No curated description of this occupation is on hand yet. These points are '
            "computed by career-outlook from the projections and pay figures above; add curated, cited facts "
            "with a file in data/curated/.</p></div>")
