"""Screening occupations: the sections of ``notebooks/explore_occupations.ipynb``.

In: a projections vintage and screening criteria (entry education, SOC major group, minimum growth,
openings and pay, optionally one state or one metropolitan or nonmetropolitan area, and a minimum location
quotient there). Out: the matching detailed occupations, ranked (:func:`screen`, a pure function of the
processed tables), displayable sections (HTML with inline SVG) and the full result as CSV. With ``state`` or
``area`` set, pay, employment and location quotient are that place's latest OEWS estimates (table ``wages``);
growth and openings stay national (BLS projects occupations for the nation only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.files import csv_text, write_atomic
from analysis.paths import Paths, project
from analysis.sections import charts
from analysis.sections.checks import (
    SORT_KEYS,
    check_file_name,
)
from analysis.sections.formatting import esc, note, source_line, table
from analysis.sections.parameters import NOT_A_PARAMETER, ExploreParameters
from analysis.sections.section import EP_SOURCE, OEWS_SOURCE, TOP_CODE_CAPTION, Section, figure
from analysis.soc import TOTAL_CODE
from analysis.tables import store
from analysis.values import fixed, missing, money, people, percent

LABELLED = 8  # points named in the growth-against-pay chart
# A place's OEWS figures in the result, named "<state_|area_><column>" (a top-coded flag drops "_usd").
STATE_FIGURES = ["employment_people", "annual_median_usd", "annual_median_usd_top_coded", "hourly_median_usd",
                 "location_quotient", "wage_year"]
AREA_FIGURES = ["employment_people", "jobs_per_1000", "annual_median_usd", "annual_median_usd_top_coded",
                "hourly_median_usd", "location_quotient", "wage_year"]
NOT_PUBLISHED = "not published"
INTERNAL = ["pay_usd", "employment_people", "location_quotient"]  # what the criteria used; not in the CSV
AREA_NOTE = ("In an area, an occupation OEWS has no estimate for is left out, and a value BLS does not release "
             "there reads “not published”: it meets no minimum and sorts last. A median "
             "“at least” a figure is top-coded by BLS and is compared and sorted by that figure. The location "
             "quotient is the occupation's share of the area's jobs over its share of the nation's (1: as common "
             "as in the U.S.).")


def place_pay(r: pd.DataFrame, prefix: str) -> list[str]:
    """The place's median annual pay as text ("at least $239,200" where top-coded); for an occupation BLS
    publishes only hourly there, the hourly median ("$35.31 an hour"); else "not published"."""
    return [money(h, cents=True) + " an hour" if missing(v) and not missing(h) else money(v, t)
            for v, t, h in zip(r[f"{prefix}annual_median_usd"], r[f"{prefix}annual_median_top_coded"],
                               r[f"{prefix}hourly_median_usd"], strict=True)]


# --- the screen ----------------------------------------------------------------------------------
def _place_figures(wages: pd.DataFrame, rows, prefix: str, columns: list[str]) -> pd.DataFrame:
    """The latest OEWS year's rows of one place (``rows``: a mask of ``wages``), by SOC code, as ``prefix`` +
    column (``state_annual_median_top_coded``)."""
    w = wages[rows & (wages["wage_year"] == wages["wage_year"].max())]
    return w.set_index("soc_code")[columns].rename(columns=lambda c: prefix + c.replace("_usd_top_coded", "_top_coded"))


def screen(proj: pd.DataFrame, wages: pd.DataFrame | None, criteria: ExploreParameters,
           area: dict | None = None) -> pd.DataFrame:
    """Detailed occupations of ``criteria.vintage`` meeting every criterion (``criteria``: checked, see
    :meth:`ExploreParameters.check`), ranked by ``criteria.sort_by`` (largest first, then SOC code). Pay and
    employment are national (the projections' median of ``wage_year``, jobs in the base year), or the latest OEWS
    estimates of ``area`` (a dict of :data:`places.AREA_COLUMNS`; it wins over ``criteria.state``) or of the state
    when one is set; occupations without an OEWS estimate there are left out, those with a suppressed value keep it
    missing (NaN: it meets no minimum and sorts last). ``pay_usd``, ``employment_people`` and ``location_quotient``
    hold the figures the criteria and sorting used (the location quotient only for a place: the nation's is 1 by
    definition)."""
    c, vintage, state = criteria, criteria.vintage, criteria.state
    d = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")].copy()
    majors = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "major")].set_index("soc_code")["title"]
    d["major_group"] = d["major_group_code"].map(majors)
    d["pay_usd"] = d["median_wage_usd"]
    d["employment_people"] = d["employment_base_people"]
    d["location_quotient"] = float("nan")
    if area:
        fig = _place_figures(wages, wages["area_code"] == area["area_code"], "area_", AREA_FIGURES)
        d = d.merge(fig, left_on="soc_code", right_index=True, how="inner")
        d.insert(0, "area_title", area["area_title"])
        d.insert(0, "area_code", area["area_code"])
        prefix = "area_"
    elif state:
        fig = _place_figures(wages, (wages["area_type"] == 2) & (wages["state_code"] == state), "state_",
                             STATE_FIGURES)
        d = d.merge(fig, left_on="soc_code", right_index=True, how="inner")
        d.insert(0, "state_code", state)
        prefix = "state_"
    if area or state:
        d["pay_usd"] = d[f"{prefix}annual_median_usd"]
        d["employment_people"] = d[f"{prefix}employment_people"]
        d["location_quotient"] = d[f"{prefix}location_quotient"]
    if c.education:
        d = d[d["education"].isin(list(c.education))]
    if c.major_group:
        d = d[d["major_group_code"] == c.major_group]
    if c.min_growth is not None:
        d = d[d["change_percent"] >= c.min_growth]
    if c.min_openings:
        d = d[d["openings_per_year"] >= c.min_openings]
    if c.min_pay is not None:
        d = d[d["pay_usd"] >= c.min_pay]
    if c.min_location_quotient is not None:
        d = d[d["location_quotient"] >= c.min_location_quotient]
    col = SORT_KEYS[c.sort_by][0]
    d = d.sort_values([col, "soc_code"], ascending=[False, True], na_position="last", kind="mergesort")
    d.insert(0, "rank", range(1, len(d) + 1))
    keep = ["rank", "vintage", "soc_code", "title", "major_group_code", "major_group", "education", "experience",
            "training", "base_year", "employment_base_people", "change_percent", "outlook_label",
            "openings_per_year", "openings_per_100_jobs", "median_wage_usd", "median_wage_top_coded", "wage_year"]
    if area:
        keep += ["area_code", "area_title", "area_wage_year", "area_employment_people", "area_jobs_per_1000",
                 "area_annual_median_usd", "area_annual_median_top_coded", "area_hourly_median_usd",
                 "area_location_quotient"]
    elif state:
        keep += ["state_code", "state_wage_year", "state_employment_people", "state_annual_median_usd",
                 "state_annual_median_top_coded", "state_hourly_median_usd", "state_location_quotient"]
    return d[keep + INTERNAL].reset_index(drop=True)


@dataclass
class Explorer(ExploreParameters):
    """A screen of one vintage's detailed occupations. Parameters are checked here, with one-line errors."""

    paths: Paths = field(default_factory=project, metadata=NOT_A_PARAMETER)

    def __post_init__(self):
        p = self.paths
        self.check(p)  # the notebook's parameter model (sections/parameters.py)
        self.proj = store.table("projections", p)
        self.wages = store.table("wages", p) if store.has_table("wages", p) else None
        self.oews_year = int(self.wages["wage_year"].max()) if self.wages is not None else None
        same = self.proj[self.proj["vintage"] == self.vintage]
        self.total = same[same["soc_code"] == TOTAL_CODE].iloc[0]
        self.detailed_count = int((same["soc_level"] == "detailed").sum())
        self.wage_year = int(self.total["wage_year"])
        self.result = screen(self.proj, self.wages, self, self.area_info)  # an Explorer is its criteria

    # -- helpers --------------------------------------------------------------------------------
    @property
    def where(self) -> str:
        return self.place or "the U.S."

    @property
    def place(self) -> str | None:
        """The area's title or the state's postal code whose OEWS figures the screen uses; None: national."""
        return self.area_info["area_title"] if self.area_info else self.state

    @property
    def prefix(self) -> str:
        """The result's columns of the place's figures: ``area_…`` or ``state_…``."""
        return "area_" if self.area_info else "state_"

    def pay_label(self) -> str:
        return (f"median annual pay in {self.place}, May {self.oews_year}" if self.place
                else f"median annual pay, {self.wage_year}")

    def criteria(self) -> list[str]:
        c = []
        if self.education:
            c.append("typical entry education: " + " or ".join(e.lower() for e in self.education))
        if self.major_group:
            title = self.proj[(self.proj["vintage"] == self.vintage)
                              & (self.proj["soc_code"] == self.major_group)].iloc[0]["title"]
            c.append(f"SOC major group {self.major_group[:2]} ({title.lower()})")
        if self.min_growth is not None:
            c.append(f"projected growth of at least {percent(self.min_growth)}")
        if self.min_openings:
            c.append(f"at least {people(self.min_openings)} openings a year")
        if self.min_pay is not None:
            c.append(f"{self.pay_label()} of at least {money(self.min_pay)}")
        if self.min_location_quotient is not None:
            c.append(f"location quotient in {self.place} of at least {fixed(self.min_location_quotient, 2)}")
        if self.place:
            c.append(f"with an OEWS estimate for {self.place}")
        return c

    # -- sections -------------------------------------------------------------------------------
    def header(self) -> Section:
        focus = f" · pay and jobs in {esc(self.place)} (OEWS May {self.oews_year})" if self.place else ""
        return Section(
            "<style>table.screen td:nth-child(2) { min-width: 15rem; } table.screen { font-size: 0.85rem; }</style>"
            '<div class="report-title"><p class="kicker">Occupation screen</p>'
            f"<h1>Occupations that match: {len(self.result)} of {self.detailed_count}</h1>"
            f'<p class="subtitle">Employment Projections {esc(self.vintage)}{focus} · ranked by '
            f"{esc(SORT_KEYS[self.sort_by][1])}</p></div>")

    def summary(self) -> Section:
        crit = self.criteria()
        items = "".join(f"<li>{esc(c)}</li>" for c in crit) or "<li>none: every detailed occupation</li>"
        r = self.result
        facts = ""
        if len(r):
            facts = note(f"Matching occupations: {people(r['openings_per_year'].sum())} openings a year in all; "
                         f"median growth {percent(r['change_percent'].median())} (all occupations: "
                         f"{percent(self.total['change_percent'])}, {self.vintage}).")
        return Section(f"<p>Criteria ({len(crit)}):</p><ul>{items}</ul>"
                       f"<p><strong>{len(r)}</strong> of the {self.detailed_count} detailed occupations in the "
                       f"{esc(self.vintage)} projections match.</p>" + facts)

    def ranked(self) -> Section:
        r = self.result.head(self.top)
        if r.empty:
            return Section(note("No occupation meets every criterion; loosen one of them."))
        cols = {
            "#": r["rank"].astype(str),
            "Occupation": [f"{t} ({c})" for t, c in zip(r["title"], r["soc_code"], strict=True)],
            "Growth": [percent(v) for v in r["change_percent"]],
            "Openings a year": [people(v) for v in r["openings_per_year"]],
        }
        if self.area_info:
            a = self.prefix
            cols["Jobs"] = [NOT_PUBLISHED if missing(v) else people(v) for v in r[f"{a}employment_people"]]
            cols["Median pay"] = place_pay(r, a)
            cols["Location quotient"] = [NOT_PUBLISHED if missing(v) else fixed(v, 2)
                                         for v in r[f"{a}location_quotient"]]
            years = (f"Growth and openings: {self.vintage}, national. Jobs, median annual pay and location "
                     f"quotient: {self.place}, May {self.oews_year}.")
        elif self.state:
            cols["Jobs"] = [people(v) for v in r["state_employment_people"]]
            cols["Median pay"] = place_pay(r, "state_")
            years = (f"Growth and openings: {self.vintage}, national. Jobs and median annual pay: "
                     f"{self.state}, May {self.oews_year}.")
        else:
            cols["Jobs"] = [people(v) for v in r["employment_base_people"]]
            cols["Median pay"] = [money(v, t) for v, t in zip(r["median_wage_usd"], r["median_wage_top_coded"],
                                                              strict=True)]
            years = (f"Growth and openings: {self.vintage}. Jobs: {int(r['base_year'].iloc[0])}. Median annual "
                     f"pay: {self.wage_year}.")
        cols["Entry education"] = r["education"].fillna("—")
        df = pd.DataFrame(cols)
        shown = (f"Top {len(r)} of {len(self.result)}, by {SORT_KEYS[self.sort_by][1]}; every match is in the "
                 "CSV." if len(self.result) > len(r) else f"All {len(r)} matches.")
        src = (f"Sources: {EP_SOURCE}, {self.vintage}, table 1.2 (growth, openings, education"
               + (f"); {OEWS_SOURCE}, May {self.oews_year}, {self.place} (jobs, pay"
                  + (", location quotient)." if self.area_info else ").") if self.place
                  else f", jobs in {int(r['base_year'].iloc[0])}, median pay of {self.wage_year})."))
        num = {c for c in df.columns if c not in ("Occupation", "Entry education")}
        return Section(table(df, years, numeric=num, long=True, classes=("screen",), show_caption=True)
                       + note(shown) + source_line(src))

    def chart(self) -> Section:
        r = self.result.dropna(subset=["pay_usd"])
        if r.empty:
            return Section(note("No matching occupation has a published median annual pay to chart."))
        top = r[f"{self.prefix}annual_median_top_coded"] if self.place else r["median_wage_top_coded"]
        rows = r.assign(median_wage_usd=r["pay_usd"], median_wage_top_coded=top.fillna(False).astype(bool))
        label = list(self.result.head(min(self.top, LABELLED))["soc_code"])
        allm = self._place_all_median() if self.place else self.total["median_wage_usd"]
        fig = charts.growth_pay_scatter(
            rows, None, f"Growth {self.vintage} against {self.pay_label()} (size = openings a year)",
            float(self.total["change_percent"]), None if missing(allm) else float(allm), label_codes=label)
        dropped = len(self.result) - len(r)
        extra = (f" {dropped} matching occupation(s) without a published annual median are not drawn."
                 if dropped else "")
        pay_src = f"{OEWS_SOURCE}, May {self.oews_year}, {self.place}" if self.place else \
            f"{EP_SOURCE}, {self.vintage} (pay of {self.wage_year})"
        return Section(figure(fig, f"Sources: {EP_SOURCE}, {self.vintage}, table 1.2; pay: {pay_src}. Dashed "
                                   f"lines: all-occupations growth and median pay. Named: the top "
                                   f"{len(label)} of the ranking (labels that would overlap are left out)."
                                   + extra + (TOP_CODE_CAPTION if rows["median_wage_top_coded"].any() else "")))

    def _place_all_median(self):
        """All occupations' median annual pay in the area or state (the chart's dashed line)."""
        w = self.wages
        here = ((w["area_code"] == self.area) if self.area_info
                else (w["area_type"] == 2) & (w["state_code"] == self.state))
        row = w[here & (w["soc_code"] == TOTAL_CODE) & (w["wage_year"] == self.oews_year)]
        return None if row.empty else row.iloc[0]["annual_median_usd"]

    def to_csv(self) -> str:
        """The whole result (every match, not only the top rows shown), as CSV text."""
        return csv_text(self.result.drop(columns=INTERNAL))

    def save_csv(self, path: str | Path | None = "results.csv") -> Section:
        """Write :meth:`to_csv` to ``path`` (relative to the working folder: the report's folder when built
        by ``career-report build --notebook``); None writes nothing."""
        name = check_file_name("results_csv", str(path) if isinstance(path, Path) else path)
        if not name:
            return Section(note("Result not saved (results_csv is None)."))
        path = Path(name)
        write_atomic(path, self.to_csv())
        return Section(note(f"All {len(self.result)} matching occupations, with every column, were saved as "
                            f"{path.name} beside this report."))

    def sources(self) -> Section:
        params = (f"vintage={self.vintage}, education={self.education or '[]'}, major_group={self.major_group}, "
                  f"min_growth={self.min_growth}, min_openings={self.min_openings}, min_pay={self.min_pay}, "
                  f"state={self.state}, area={self.area}, min_location_quotient={self.min_location_quotient}, "
                  f"sort_by={self.sort_by}, top={self.top}")
        return Section(
            f'<p class="citation">{esc(EP_SOURCE)}, “Occupational projections, {esc(self.vintage)}” (table 1.2), '
            "https://www.bls.gov/emp/tables.htm"
            + (f"; {esc(OEWS_SOURCE)}, May {self.oews_year}, https://www.bls.gov/oes/" if self.place else "")
            + ".</p>"
            + note("Projections are rounded estimates of the ten years ahead; growth and openings are national "
                   "even when a state or an area is chosen. Median pay is for all industries.")
            + (note(AREA_NOTE) if self.area_info else "")
            + note(f"Parameters: {params}; built {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC from "
                   "data/processed."))
