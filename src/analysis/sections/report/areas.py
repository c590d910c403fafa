"""States and areas: the states (tile maps of pay and concentration, top states, one state against the nation),
the metropolitan areas (where the occupation's jobs are, where they are concentrated and where they pay best:
OEWS's occupation profile, metro part) and, in a report built for an area, that area against its state and the
nation.

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: :func:`states` and :func:`metros`, each a
:class:`Section`. Metro rankings come from :func:`analysis.tables.places.metro_rank` (suppressed values left out,
ties and top codes as ranges).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from analysis.sections import charts
from analysis.sections.charts.svg import text_width
from analysis.sections.formatting import esc, note, table, unbroken
from analysis.sections.report.context import ReportContext
from analysis.sections.report.pay import PERCENTILES
from analysis.sections.section import OEWS_SOURCE, Section, figure
from analysis.soc import TOTAL_CODE
from analysis.tables import places
from analysis.tables.ranks import rank_bounds
from analysis.values import fixed, missing, money, people, place, plural, thousands_usd

CHART_AREAS = 10  # the metro areas with the most jobs, drawn against the national median
LISTED = 5  # rows of the concentration and best-paid tables
FEW_AREAS = 10  # fewer metro areas publishing pay than this: the report says the lists are short
LABEL_PX = 240  # an area's label in the chart at 12 px: longer titles are shortened, the description has them whole


def area_label(title: str, width: float = LABEL_PX) -> str:
    """An area's title for a chart label: whole when it fits ``width``, else its first places and its states
    ("Nashville-Davidson--Murfreesboro--Franklin, TN" -> "Nashville-Davidson…, TN"); a long nonmetropolitan
    area's title cut at a word."""
    if text_width(title, 12) <= width:
        return title
    head, comma, states = title.rpartition(", ")
    if comma and len(states) <= 14:  # a metro area: places, then its state codes
        parts = head.split("-")
        label = parts[0]
        for part in parts[1:]:
            if text_width(f"{label}-{part}…, {states}", 12) > width:
                break
            label += f"-{part}"
        return f"{label}…, {states}"
    label = title.replace(" nonmetropolitan area", " nonmetro")
    words = label.split()
    while len(words) > 1 and text_width(" ".join(words) + "…", 12) > width:
        words.pop()
    return label if text_width(label, 12) <= width else " ".join(words).rstrip(",;") + "…"


def _pay(rep: ReportContext, m: dict) -> tuple[str, bool, float | None]:
    """The pay column the rankings use, whether it is hourly, and the national median in it."""
    hourly = m["pay_basis"] == "hourly"
    nat = rep.oews_row(rep.soc_code)
    return m["pay_column"], hourly, (None if nat is None else nat[m["pay_column"]])


def metros(rep: ReportContext) -> Section:
    """The metro areas with the most jobs (a ranked dot plot of their median pay against the nation's), the
    highest concentration and the best pay (each with its jobs), and how many areas publish estimates. A report
    for a state or an area lists that state's own areas instead (:func:`state_areas`)."""
    if rep.wages is None or rep.oews_row(rep.soc_code) is None:
        return Section(note(f"OEWS May {rep.wage_year if rep.wages is not None else ''} publishes no estimates "
                            f"of SOC {rep.soc_code}, so no metropolitan areas can be shown.".replace("  ", " ")))
    if rep.state:
        return state_areas(rep)
    m = places.metro_rank(rep.soc_code, n=None, p=rep.paths, year=rep.wage_year)
    y = rep.wage_year
    if m["publishing"] == 0:
        return Section(note(f"BLS publishes no estimate of this occupation for any of the {m['metro_areas']:,} "
                            f"metropolitan areas (May {y}): too few jobs, or too unreliable to publish."))
    col, hourly, nat_median = _pay(rep, m)
    kind = "hourly" if hourly else "annual"
    parts = [f"<p>BLS publishes estimates of this occupation for {m['publishing']:,} of the "
             f"{plural(m['metro_areas'], 'metropolitan area')} (May {y}): employment for "
             f"{m['publishing_employment']:,}, median pay for {m['publishing_pay']:,}. For the others it publishes "
             "none: too few jobs there, or an estimate too unreliable to publish.</p>"]
    if m["publishing_pay"] < FEW_AREAS:
        parts.append(note(f"Only {plural(m['publishing_pay'], 'metropolitan area')} "
                          f"{'publishes' if m['publishing_pay'] == 1 else 'publish'} median pay for this occupation, "
                          "so the lists below are short and say little about the areas left out."))
    parts.append(_chart(rep, m, col, hourly, nat_median, kind))
    parts.append('<div class="two-col"><div><h3>Highest concentration of jobs</h3>'
                 + _concentration(m) + "</div><div><h3>Best-paid metropolitan areas</h3>"
                 + _best_paid(m, col, hourly) + "</div></div>")
    parts.append(_range_note(m))
    parts.append(note(f"Source: {OEWS_SOURCE}, May {y}, metropolitan areas, cross-industry. Location quotient: "
                      "the area's share of jobs in this occupation against the nation's (1.00 = the same)."))
    return Section("".join(parts))


def _range_note(m: dict) -> str:
    shown = m["by_pay"].head(LISTED)
    if (shown["rank"] != shown["rank_worst"]).any():
        return note("A place given as a range (“#1–3”): some area's median is published only as at or above "
                    "BLS's top code (“at least”), so the places around it are not known exactly.")
    return ""


def state_areas(rep: ReportContext) -> Section:
    """A state's (or an area's state's) own metropolitan and nonmetropolitan areas: those with the most jobs drawn
    against the state's median, the highest concentration and the best pay, each with its jobs."""
    st = rep.oews_states[rep.oews_states["state_code"] == rep.state]
    name = places.state_name(rep.state, rep.paths, rep.wage_year)
    m = places.state_area_rank(rep.soc_code, rep.state, p=rep.paths, year=rep.wage_year)
    y = rep.wage_year
    kinds = "metropolitan and nonmetropolitan areas"
    if m["publishing"] == 0:
        return Section(note(f"BLS publishes no estimate of this occupation for any of the {m['areas']:,} {kinds} "
                            f"of {name} (May {y}): too few jobs there, or too unreliable to publish."))
    col = m["pay_column"]
    hourly = m["pay_basis"] == "hourly"
    state_median = None if st.empty else st.iloc[0][col]
    parts = [f"<p>The {kinds} of {esc(name)}: BLS publishes estimates of this occupation for "
             f"{m['publishing']:,} of the {m['areas']:,} (May {y}), median pay for {m['publishing_pay']:,}. An area "
             "that crosses state lines is listed in each state it lies in.</p>"]
    here = rep.area_info
    rows = m["by_employment"].head(CHART_AREAS)
    extra = ""
    if here is not None and here["area_code"] not in set(rows["area_code"]):
        mine = m["by_employment"][m["by_employment"]["area_code"] == here["area_code"]]
        if not mine.empty:
            rows = pd.concat([rows, mine], ignore_index=True)
            extra = f" and {here['area_title']}"
    if m["publishing_pay"]:
        fmt = (lambda v: money(v, cents=True)) if hourly else thousands_usd
        full = (lambda v: money(v, cents=True)) if hourly else money
        top = not st.empty and bool(st.iloc[0][f"{col}_top_coded"])
        ref_label = (f"{name} median {'at least ' if top else ''}{full(state_median)}"
                     if not missing(state_median) else "")
        shown = min(CHART_AREAS, len(m["by_employment"]))
        title = (f"Median {'hourly' if hourly else 'annual'} pay in the {plural(shown, 'area')} of {name} with the "
                 f"most jobs{extra}, May {y}" if shown > 1 else
                 f"Median {'hourly' if hourly else 'annual'} pay in the one area of {name} publishing jobs{extra}, "
                 f"May {y}")
        svg = charts.ranked_dots(
            [area_label(t) for t in rows["area_title"]], list(rows[col]), title, names=list(rows["area_title"]),
            top_coded=[bool(v) for v in rows[f"{col}_top_coded"]], counts=list(rows["employment_people"]),
            ref=state_median, ref_label=ref_label, fmt=fmt, value_text=full,
            highlight=[here is not None and c == here["area_code"] for c in rows["area_code"]])
        parts.append(figure(svg, f"Source: {OEWS_SOURCE}, May {y}. Areas in order of jobs; the dashed line is "
                                 f"{name}'s median; a hollow dot marked ≥ is at or above BLS's top code."))
    parts.append(f'<div class="two-col"><div><h3>Highest concentration of jobs in {esc(name)}</h3>'
                 + _concentration(m, f"Areas of {name} with the highest concentration of jobs", "Area")
                 + f"</div><div><h3>Best-paid areas of {esc(name)}</h3>"
                 + _best_paid(m, col, hourly, "Area", f"Best-paid areas of {name}") + "</div></div>")
    parts.append(_range_note(m))
    parts.append(note(f"Source: {OEWS_SOURCE}, May {y}, metropolitan and nonmetropolitan areas, cross-industry. "
                      "Location quotient: the area's share of jobs in this occupation against the nation's "
                      "(1.00 = the same). The national report lists the metropolitan areas of the whole country."))
    return Section("".join(parts))


def _chart(rep: ReportContext, m: dict, col: str, hourly: bool, nat_median, kind: str) -> str:
    rows = m["by_employment"].head(CHART_AREAS)
    extra = ""
    here = rep.area_info
    if here is not None and here["area_code"] not in set(rows["area_code"]):
        mine = rep.oews_local[rep.oews_local["area_code"] == here["area_code"]]
        if not mine.empty:  # the report's own area joins the chart, last, highlighted
            rows = pd.concat([rows, mine.assign(rank=pd.NA)[rows.columns]], ignore_index=True)
            extra = f" and in {here['area_title']}"
    fmt = (lambda v: money(v, cents=True)) if hourly else thousands_usd
    full = (lambda v: money(v, cents=True)) if hourly else money
    shown = min(CHART_AREAS, len(m["by_employment"]))
    title = (f"Median {kind} pay in the {plural(shown, 'metropolitan area')} with the most jobs{extra}, May "
             f"{rep.wage_year}" if shown > 1 else f"Median {kind} pay in the one metropolitan area publishing "
             f"jobs{extra}, May {rep.wage_year}")
    nat = rep.oews_row(rep.soc_code)
    nat_top = nat is not None and bool(nat[f"{col}_top_coded"])  # then the line is BLS's bound, and says so
    ref_label = f"U.S. median {'at least ' if nat_top else ''}{full(nat_median)}" if not missing(nat_median) else ""
    svg = charts.ranked_dots(
        [area_label(t) for t in rows["area_title"]], list(rows[col]), title, names=list(rows["area_title"]),
        top_coded=[bool(v) for v in rows[f"{col}_top_coded"]], counts=list(rows["employment_people"]),
        ref=nat_median, ref_label=ref_label, fmt=fmt, value_text=full,
        highlight=[here is not None and c == here["area_code"] for c in rows["area_code"]])
    caption = (f"Source: {OEWS_SOURCE}, May {rep.wage_year}. Areas in order of jobs; a hollow dot marked ≥ is at "
               "or above BLS's top code.")
    return figure(svg, caption)


def _concentration(m: dict, caption: str = "Metropolitan areas with the highest concentration of jobs",
                   column: str = "Metropolitan area") -> str:
    t = m["by_location_quotient"].head(LISTED)
    return table(pd.DataFrame({
        column: t["area_title"],
        "Location quotient": [fixed(v, 2) for v in t["location_quotient"]],
        "Jobs": [people(v) for v in t["employment_people"]]}),
        caption, numeric={"Location quotient", "Jobs"})


def _best_paid(m: dict, col: str, hourly: bool, column: str = "Metropolitan area",
               caption: str = "Best-paid metropolitan areas") -> str:
    t = m["by_pay"].head(LISTED)
    n = m["publishing_pay"]
    return table(pd.DataFrame({
        "Place": [unbroken(place(b, w)) for b, w in zip(t["rank"], t["rank_worst"], strict=True)],
        column: t["area_title"],
        "Median pay": [money(v, c, cents=hourly) for v, c in zip(t[col], t[f"{col}_top_coded"], strict=True)],
        "Jobs": [people(v) for v in t["employment_people"]]}),
        f"{caption} (of {n:,} publishing pay)", numeric={"Median pay", "Jobs"},
        row_headers=False)


def _compared(columns: list[tuple[str, pd.Series | None]], hourly: bool) -> pd.DataFrame:
    """Places side by side, one column each (``(name, OEWS row or None)``, the nation last as "United States"):
    jobs, the five pay percentiles (annual, or hourly), jobs per 1,000 and the location quotient, formatted; "—"
    where a place has no estimate, and the nation's location quotient 1.00 by definition."""
    kind = "hourly" if hourly else "annual"

    def ratio(r, c):
        return "—" if missing(r[c]) else fixed(r[c], 2)

    measures = [("Jobs", "employment_people", lambda r, c: people(r[c]))]
    measures += [(f"{lab} pay", f"{kind}_{k}_usd",
                  lambda r, c: money(r[c], bool(r[f"{c}_top_coded"]), cents=hourly)) for lab, k in PERCENTILES]
    measures += [("Jobs per 1,000 jobs", "jobs_per_1000", ratio), ("Location quotient", "location_quotient", ratio)]
    df = pd.DataFrame([[lab, *("—" if r is None else f(r, c) for _, r in columns)] for lab, c, f in measures],
                      columns=["Measure", *(name for name, _ in columns)])
    df.loc[df["Measure"] == "Location quotient", "United States"] = "1.00"
    return df


def area_vs_state(rep: ReportContext, col: str, hourly: bool) -> str:
    """The report's area against its state and the nation: jobs, pay percentiles, jobs per 1,000, location
    quotient; then where the area stands among areas of its kind for pay."""
    here = rep.area_info
    area = rep.oews_local[rep.oews_local["area_code"] == here["area_code"]]
    st = rep.oews_states[rep.oews_states["state_code"] == rep.state]
    nat = rep.oews_row(rep.soc_code)
    title = here["area_title"]
    if area.empty:
        lead = note(f"OEWS publishes no estimate for this occupation in {title} (May {rep.wage_year}): too few jobs "
                    "there, or an estimate too unreliable to publish. Its state and the nation are shown.")
    else:
        lead = ""
    columns = [(title, None if area.empty else area.iloc[0]),
               (places.state_name(rep.state, rep.paths, rep.wage_year), None if st.empty else st.iloc[0]),
               ("United States", nat)]
    df = _compared(columns, hourly)
    df.loc[df["Measure"] == "Jobs per 1,000 jobs", "United States"] = us_per_1000(rep)
    heading = f"{title} against {columns[1][0]} and the nation"
    out = (f"<h3>{esc(heading)}</h3>" + lead
           + table(df, heading, numeric={name for name, _ in columns}))
    if not area.empty:
        kin = rep.oews_local[rep.oews_local["area_type"] == here["area_type"]]
        kind_name = f"{here['area_type_name']} areas"
        out += note(pay_place(kin, col, area.index[0], title, kind_name, rep.wage_year))
    return out


def states(rep: ReportContext) -> Section:
    """The states: median pay and concentration as tile maps, the top states, and the report's state (or area)
    against the nation."""
    if rep.wages is None or rep.oews_states.empty:
        return Section(note("No OEWS state estimates are on hand for this occupation."))
    s = rep.oews_states
    # Hourly-only occupations (e.g. actors): no state has an annual median, some have an hourly one.
    hourly = bool(s["annual_median_usd"].isna().all() and s["hourly_median_usd"].notna().any())
    col = "hourly_median_usd" if hourly else "annual_median_usd"
    vals = s[["state_code", col, f"{col}_top_coded"]].set_axis(["state_code", "value", "top_coded"], axis=1)
    fmt = (lambda v: money(v, cents=True)) if hourly else thousands_usd
    topped = bool(vals["top_coded"].any())
    fig = charts.state_tiles(vals, f"Median {'hourly' if hourly else 'annual'} pay by state, May "
                                   f"{rep.wage_year}", fmt=fmt, focus=rep.state,
                             legend="darker = higher pay; n/a = not published"
                                    + ("; hatched ≥ = at or above BLS's top code" if topped else ""))
    lq = s[["state_code", "location_quotient"]].rename(columns={"location_quotient": "value"})
    fig2 = charts.state_tiles(lq, f"Concentration of jobs by state (location quotient), May {rep.wage_year}",
                              fmt=lambda v: fixed(v, 2), focus=rep.state,
                              legend="1.00 = the national share; above 1 = more concentrated")

    def top(by: str, caption: str, n: int = 5) -> str:
        rows = s if by != col else s[~s[f"{col}_top_coded"].astype(bool)]  # a bound is not a value to rank
        # Ties by title, as every other ranked list in the report (not in file order).
        t = rows.dropna(subset=[by]).sort_values([by, "area_title"], ascending=[False, True], kind="stable").head(n)
        return table(pd.DataFrame({
            "State": t["area_title"], "Jobs": [people(v) for v in t["employment_people"]],
            "Median pay": [money(v, c, cents=hourly) for v, c in zip(t[col], t[f"{col}_top_coded"],
                                                                      strict=True)],
            "Location quotient": [fixed(v, 2) if not missing(v) else "—" for v in t["location_quotient"]],
        }), caption, numeric={"Jobs", "Median pay", "Location quotient"})

    caption = f"Source: {OEWS_SOURCE}, May {rep.wage_year}, state estimates."
    if topped:
        caption += (" Hatched tiles marked ≥: BLS publishes the median only as at or above its top code "
                    f"({money(vals.loc[vals['top_coded'], 'value'].min(), cents=hourly)}); shaded at that bound.")
    at_code = s.loc[s[f"{col}_top_coded"].astype(bool), "area_title"]
    unranked = (note(f"Not placed in this list: {', '.join(at_code)}, whose median BLS publishes only as at or "
                     "above its top code (it may be higher than those shown).") if len(at_code) else "")
    # The top states first, then the two maps: the tables can fill a printed page's foot, a map cannot split.
    parts = ['<div class="two-col"><div><h3>Top-paying states</h3>' + top(col, "Top-paying states") + unranked
             + "</div>"
             "<div><h3>Highest concentration of jobs</h3>" + top("location_quotient", "Highest concentration of jobs")
             + "</div></div>",
             figure(fig, caption),
             figure(fig2, f"Source: {OEWS_SOURCE}, May {rep.wage_year}.")]
    if rep.area_info is not None:
        parts.insert(0, area_vs_state(rep, col, hourly))
    elif rep.state:
        parts.insert(0, _state_vs_nation(rep, col, hourly))
    return Section("".join(parts))

def _state_vs_nation(rep: ReportContext, col: str, hourly: bool) -> str:
    st = rep.oews_states[rep.oews_states["state_code"] == rep.state]
    nat = rep.oews_row(rep.soc_code)
    if st.empty:
        return note(f"OEWS publishes no estimate for this occupation in "
                    f"{places.state_name(rep.state, rep.paths, rep.wage_year)}: too few jobs there, or an estimate "
                    "too unreliable to publish. The U.S. figures follow.")
    st = st.iloc[0]
    df = _compared([(st["area_title"], st), ("United States", nat)], hourly)
    df.loc[df["Measure"] == "Jobs per 1,000 jobs", "United States"] = us_per_1000(rep)
    return (f"<h3>{esc(st['area_title'])} against the nation</h3>"
            + table(df, f"{st['area_title']} against the nation", numeric={st["area_title"], "United States"})
            + note(pay_place(rep.oews_states, col, st.name, st["area_title"], "states and territories",
                             rep.wage_year))
            + note("The U.S. jobs per 1,000 is computed by career-outlook (BLS publishes none for the nation): the "
                   "occupation's U.S. jobs per 1,000 jobs in all occupations."))


def us_per_1000(rep: ReportContext) -> str:
    """The occupation's U.S. jobs per 1,000 jobs of all occupations (BLS publishes the ratio for states and areas,
    not the nation), computed from the two national employment counts; '—' when either is not published."""
    nat, total = rep.oews_row(rep.soc_code), rep.oews_row(TOTAL_CODE)
    if nat is None or total is None or missing(nat["employment_people"]) or missing(total["employment_people"]):
        return "—"
    return fixed(1000 * Decimal(int(nat["employment_people"])) / int(total["employment_people"]), 2)


def pay_place(areas: pd.DataFrame, col: str, key, name: str, kind: str, year: int) -> str:
    """Where ``areas.loc[key]`` stands for median pay among ``areas``, as a sentence: a definite place, or a
    range when BLS's top code leaves it open (never a single place drawn from a top-code bound)."""
    best, worst = rank_bounds(areas[col], areas[f"{col}_top_coded"])
    if missing(best[key]):
        return ""
    n = int(areas[col].notna().sum())
    if best[key] == worst[key]:
        return f"{name} ranks {place(best[key], n=n)} {kind} for median pay in this occupation (May {year})."
    why = ("its median is published only as at or above BLS's top code" if areas.loc[key, f"{col}_top_coded"]
           else "some areas' medians are published only as at or above BLS's top code")
    return (f"{name} ranks between {place(best[key])} and {place(worst[key], n=n)} {kind} for median pay in this "
            f"occupation (May {year}): {why}, so its exact place is not known.")
