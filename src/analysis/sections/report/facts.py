"""The report's opening: its title block and the quick-facts table (the Handbook's box).

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: one :class:`Section` per function.

Page 1 is what a student reads, often alone, so every line of it is one statement a student cannot misread:
**one** headline median pay (the newest, :mod:`analysis.tables.headline`; a local report leads with the state's
or area's and labels the nation's "U.S."), counts BLS rounds to hundreds never read as "0" or "+0", each rank
with how many and which way is first, each term explained in the row that uses it. Provenance (mirrors, the
wording's basis) is in the sources section, not here.
"""

from __future__ import annotations

from analysis.sections.formatting import esc, note, source_line
from analysis.sections.report.context import ReportContext
from analysis.sections.section import Section
from analysis.tables import headline, places, store
from analysis.values import change_count, fixed, missing, money, openings_count, people, per_100, percent, place, plural

JOB_ZONE_WORDS = {1: "little or no preparation needed", 2: "some preparation needed",
                  3: "medium preparation needed", 4: "considerable preparation needed",
                  5: "extensive preparation needed"}  # O*NET's names of its five job zones


def read_more(soc_code: str) -> list[tuple[str, str]]:
    """The occupation's pages elsewhere: BLS's wage profile, the Occupational Outlook Handbook's index, O*NET
    OnLine and CareerOneStop (each keyed by the SOC code, so no title lookup can go wrong)."""
    digits = soc_code.replace("-", "")
    return [
        ("BLS wage profile (OEWS)", f"https://www.bls.gov/oes/current/oes{digits}.htm"),
        ("BLS Occupational Outlook Handbook (A–Z index)", "https://www.bls.gov/ooh/a-z-index.htm"),
        ("O*NET OnLine", f"https://www.onetonline.org/link/summary/{soc_code}.00"),
        ("CareerOneStop", "https://www.careeronestop.org/Toolkit/Careers/Occupations/occupation-profile.aspx"
                          f"?keyword={soc_code}&onetcode={soc_code}.00"),
    ]


def pay_text(pay: headline.Pay) -> tuple[str, str]:
    """A headline median as (figure, beside it): ('$51,140 a year', '$24.59 an hour'); for an hourly-only
    occupation ('$35.31 an hour', 'no annual figure: …'); ('not published', why) when BLS publishes none."""
    if pay.value_usd is None:
        return "not published", ""
    if pay.basis == "hourly":
        return (f"{money(pay.value_usd, pay.top_coded, cents=True)} an hour",
                "BLS publishes only hourly pay for this work (it is often not year-round)")
    hourly = ("" if pay.hourly_usd is None else
              f"{money(pay.hourly_usd, pay.hourly_top_coded, cents=True)} an hour")
    return f"{money(pay.value_usd, pay.top_coded)} a year", hourly


def place_name(rep: ReportContext) -> str | None:
    """The report's own place: the area's title, the state's name, or None for a national report."""
    if rep.area_info is not None:
        return str(rep.area_info["area_title"])
    if rep.state:
        return places.state_name(rep.state, rep.paths, rep.wage_year) if rep.wages is not None else rep.state
    return None


def local_row(rep: ReportContext):
    """The OEWS row of the report's own state or area (None when national, or when OEWS publishes none there)."""
    if rep.wages is None:
        return None
    if rep.area_info is not None:
        here = rep.oews_local[rep.oews_local["area_code"] == rep.area]
    elif rep.state:
        here = rep.oews_states[rep.oews_states["state_code"] == rep.state]
    else:
        return None
    return None if here.empty else here.iloc[0]


def header(rep: ReportContext) -> Section:
    f = rep.facts
    where = place_name(rep)
    kicker = "Career report" + (f" for {esc(where)}" if where else " for the United States") + \
        f" · SOC {esc(rep.soc_code)}"
    names = f.get("also_called") or (f["example_titles"] or "").split("; ")
    names = [n for n in names if n][:5]
    other = f'<p class="subtitle">Also called: {esc("; ".join(names))}</p>' if names else ""
    local = (f'<p class="subtitle place">Figures for <strong>{esc(where)}</strong> first, the U.S. beside them; '
             "growth and openings are BLS's national projections.</p>" if where else "")
    return Section(
        f'<div class="report-title"><p class="kicker">{kicker}</p>'
        f"<h1>{esc(rep.title)}</h1>{other}{local}"
        f'<p class="subtitle">BLS Employment Projections {esc(rep.vintage)} · pay from BLS, May '
        f"{rep.wage_year if rep.wages is not None else f['wage_year']}</p>"
        f'<p class="subtitle links">Read more: {" · ".join(_link(u, w) for w, u in read_more(rep.soc_code))}</p>'
        "</div>")


def _link(url: str, text: str) -> str:
    return f'<a href="{esc(url)}">{esc(text)}</a>'


def _missing_pay_why(rep: ReportContext) -> str:
    return ("BLS's wage survey (OEWS) covers workers on employers' payrolls; it leaves out the self-employed "
            "and publishes no estimate where it finds too few payroll jobs")


def _pay_rows(rep: ReportContext, nat: headline.Pay) -> list[tuple[str, str, str]]:
    where = place_name(rep)
    rows = []
    if where is not None:
        mine = headline.local(local_row(rep), rep.wage_year)
        figure, beside = pay_text(mine)
        if mine.value_usd is None:
            beside = f"BLS publishes no estimate for {where}: too few jobs there, or too unreliable to publish"
        rows.append((f"Median pay in {where}" + ("" if mine.value_usd is None else f", May {rep.wage_year}"),
                     figure, beside))
    if rep.area_info is not None:  # an area report: the area, then its state, then the U.S.
        st = rep.oews_states[rep.oews_states["state_code"] == rep.state]
        state = headline.local(None if st.empty else st.iloc[0], rep.wage_year)
        figure, beside = pay_text(state)
        name = places.state_name(rep.state, rep.paths, rep.wage_year)
        rows.append((f"Median pay in {name}" + ("" if state.value_usd is None else f", May {rep.wage_year}"),
                     figure, beside))
    figure, beside = pay_text(nat)
    if nat.value_usd is None:
        beside = _missing_pay_why(rep)
    label = "Median pay, U.S." if where is not None else "Median pay"
    rows.append((label if nat.value_usd is None else f"{label}, May {nat.year}", figure, beside))
    return rows


def _local_rows(rep: ReportContext) -> list[tuple[str, str, str]]:
    """Jobs and concentration in the report's state or area (where OEWS publishes them)."""
    where, o = place_name(rep), local_row(rep)
    if where is None or o is None:
        return []
    rows = [(f"Jobs in {where}, May {rep.wage_year}", people(o["employment_people"]),
             "" if missing(o["jobs_per_1000"]) else f"{fixed(o['jobs_per_1000'], 1)} of every 1,000 jobs there")]
    if not missing(o["location_quotient"]):
        rows.append((f"Concentration in {where}", fixed(o["location_quotient"], 2),
                     "location quotient: the share of jobs in this work there against the U.S. share "
                     "(1.00 = the same)"))
    return rows


def quick_facts(rep: ReportContext) -> Section:
    f = rep.facts
    nat = headline.national(rep.soc_code, rep.vintage, rep.paths)
    where = place_name(rep)
    def us(label: str) -> str:  # national figures in a local report say they are the nation's
        return f"U.S. {label}" if where is not None else label[0].upper() + label[1:]

    label = f["outlook_label"] or "BLS's wording not on hand for this release"
    rows = _pay_rows(rep, nat) + _local_rows(rep) + [
        ("Typical entry-level education", f["education"] or "—", ""),
        ("Work experience in a related occupation", f["experience"] or "—", ""),
        ("Typical on-the-job training", f["training"] or "—", ""),
        (us(f"jobs, {f['base_year']}"), people(f["employment_base"]), ""),
        (us(f"job outlook, {rep.vintage}"), f"{percent(f['change_percent'])} ({label})",
         f"all occupations: {percent(f['all_occupations_change_percent'])}"),
        (us(f"employment change, {rep.vintage}"), change_count(f["employment_change"]), ""),
        (us("openings a year (average)"), openings_count(f["openings_per_year"]),
         per_100(f["openings_per_year"], f["openings_per_100_jobs"], f["employment_base"])),
    ]
    z = f.get("job_zone")
    if z:
        rows.append(("Job zone (O*NET)", f"{z} of 5: {JOB_ZONE_WORDS[int(z)]}",
                     "how much preparation the work needs, from 1 (little) to 5 (extensive)"))
    o = rep.onet_row()
    if o is not None and isinstance(o["interest_code"], str):
        types = store.table("onet_interest_types", rep.paths)
        names = dict(zip(types["letter"], types["interest"], strict=True))
        rows.append(("Interest code (O*NET)", o["interest_code"],
                     ", ".join(names[letter] for letter in o["interest_code"])
                     + ": the kinds of activity the work suits"))
    body = "".join(f"<tr><th scope='row'>{esc(a)}</th><td>{esc(b)}</td><td class='note'>{esc(c)}</td></tr>"
                   for a, b, c in rows)
    pay_year = rep.wage_year if rep.wages is not None else nat.year
    return Section(
        f'<table class="facts"><caption class="visually-hidden">Quick facts</caption>{body}</table>'
        + note(ranks_sentence(f, nat)) + _older_pay_note(f, nat)
        + source_line(f"Sources: BLS Employment Projections {rep.vintage}, table 1.2; pay: BLS Occupational "
                      f"Employment and Wage Statistics (OEWS), May {pay_year}."))


def ranks_sentence(f: dict, nat: headline.Pay) -> str:
    """Where the occupation stands among the vintage's detailed occupations, each place with how many and which
    way is first: 'Among the 832 … : #110 of 832 for growth (#1 grows fastest), …'."""
    n = f["detailed_count"]
    parts = [f"{place(f['change_percent_rank'], n=n)} for growth (#1 grows fastest)",
             f"{place(f['openings_rank'], n=n)} for openings (#1 has the most)"]
    if nat.rank is not None:
        parts.append(f"{place(nat.rank, nat.rank_worst, n=nat.ranked)} for pay (#1 pays the most; among the "
                     f"{nat.ranked:,} with a May {nat.year} annual median)")
    text = f"Among the {plural(n, 'detailed occupation')} in BLS's {f['vintage']} projections: {'; '.join(parts)}."
    if nat.rank is not None and nat.rank != nat.rank_worst:
        text += (" The place for pay is a range: BLS publishes this median only as “at least” its top code, so it "
                 "may sit anywhere among the other occupations published that way.")
    if nat.rank is None and nat.value_usd is not None and nat.basis == "hourly":
        text += " Not placed for pay: BLS publishes only an hourly median for it."
    return text


def _older_pay_note(f: dict, nat: headline.Pay) -> str:
    """The projections table's own (older) median, as a note, when the headline is a newer OEWS figure."""
    if nat.source != headline.OEWS or missing(f["median_wage_usd"]) or f["wage_year"] == nat.year:
        return ""
    return note(f"BLS's {f['vintage']} projections table lists the May {f['wage_year']} median, "
                f"{money(f['median_wage_usd'], f['median_wage_top_coded'])} a year; the pay above is the newer "
                f"May {nat.year} figure.")
