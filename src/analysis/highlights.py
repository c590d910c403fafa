"""Highlights derived from the numbers, for occupations without curated facts.

In: an occupation's quick facts (``store.quick_facts``) and its O*NET job zone. Out: a list of
(kind, text) highlights, each rule one entry in ``RULES``; the report labels them as derived.
"""

from __future__ import annotations

from collections.abc import Callable

from .formatting import esc, money, percent

SHORT_ENTRY = {"No formal educational credential", "High school diploma or equivalent",
               "Postsecondary nondegree award"}
LONG_ENTRY = {"Doctoral or professional degree", "Master's degree"}
LONG_TRAINING = {"Long-term on-the-job training", "Apprenticeship", "Internship/residency"}
ALL_OCCUPATIONS_MEDIAN_KEY = "all_occupations_median_wage_usd"


def _growth(f: dict):
    label, ch, allc = f["outlook_label"], f["change_percent"], f["all_occupations_change_percent"]
    if ch is None:
        return None
    if ch < 0:
        return ("con", f"Employment is projected to decline {percent(ch)} over {f['vintage']} "
                       f"(all occupations: {percent(allc)}).")
    if ch > allc:
        words = f" — “{label}” in BLS's wording" if label else ""
        return ("pro", f"Faster-than-average growth: {percent(ch)} over {f['vintage']} against {percent(allc)} "
                       f"for all occupations{words}.")
    return ("con", f"Growth of {percent(ch)} over {f['vintage']} is not above the all-occupations "
                   f"{percent(allc)}.")


def _openings(f: dict):
    rank, n = f["openings_rank"], f["detailed_count"]
    if rank is None:
        return None
    if rank <= n / 4:
        return ("pro", f"Many openings: about {f['openings_per_year']:,} a year, more than "
                       f"{100 * (1 - rank / n):.0f}% of detailed occupations.")
    if rank > 3 * n / 4:
        return ("con", f"Few openings: about {f['openings_per_year']:,} a year, fewer than "
                       f"{100 * (rank - 1) / n:.0f}% of detailed occupations.")
    return None


def _pay(f: dict):
    pay, allm = f["median_wage_usd"], f.get(ALL_OCCUPATIONS_MEDIAN_KEY)
    if pay is None or not allm:
        return None
    diff = 100 * (pay - allm) / allm
    kind = "pro" if diff > 0 else "con"
    side = "above" if diff > 0 else "below"
    top = " (BLS's top code: the true median is higher)" if f["median_wage_top_coded"] else ""
    return (kind, f"Median pay of {money(pay, f['median_wage_top_coded'])} ({f['wage_year']}) is "
                  f"{abs(diff):.0f}% {side} the all-occupations median of {money(allm)}{top}.")


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
    if not z:
        return None
    if z <= 2:
        return ("pro", f"O*NET job zone {z} of 5: little or some preparation needed.")
    if z >= 4:
        return ("con", f"O*NET job zone {z} of 5: considerable or extensive preparation needed.")
    return None


RULES: list[Callable[[dict], tuple[str, str] | None]] = [_growth, _openings, _pay, _entry, _job_zone]


def derive(facts: dict, job_zone: int | None = None) -> list[tuple[str, str]]:
    """Quick facts -> [(\"pro\"|\"con\", text)], one per rule that applies, in rule order."""
    f = dict(facts, job_zone=job_zone if job_zone is not None else facts.get("job_zone"))
    return [h for rule in RULES if (h := rule(f))]


def render(items: list[tuple[str, str]]) -> str:
    pros = "".join(f"<li>{esc(t)}</li>" for k, t in items if k == "pro") or "<li>None stand out.</li>"
    cons = "".join(f"<li>{esc(t)}</li>" for k, t in items if k == "con") or "<li>None stand out.</li>"
    return ('<div class="derived"><p class="badge">Derived from the BLS figures, not curated</p>'
            f'<div class="pros-cons"><div class="pros"><h3>Points in favour</h3><ul>{pros}</ul></div>'
            f'<div class="cons"><h3>Points against</h3><ul>{cons}</ul></div></div>'
            '<p class="note">No curated description of this occupation is on hand yet. These points are '
            "computed by career-outlook from the projections and pay figures above; add curated, cited facts "
            "with a file in data/curated/.</p></div>")
