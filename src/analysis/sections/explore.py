"""Screening occupations: the sections of ``notebooks/explore_occupations.ipynb``.

In: a projections vintage and screening criteria (entry education, SOC major group, minimum growth,
openings and pay, optionally one state). Out: the matching detailed occupations, ranked
(:func:`screen`, a pure function of the processed tables), displayable sections (HTML with inline
SVG) and the full result as CSV. With ``state`` set, pay and employment are that state's OEWS
estimates (table ``wages``, ``area_type`` 2); growth and openings stay national (BLS projects
occupations for the nation only).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import ParameterError
from analysis.files import write_atomic
from analysis.paths import Paths, project
from analysis.sections import charts
from analysis.sections.checks import (
    SORT_KEYS,
    check_education,
    check_file_name,
    check_major_group,
    check_minimum,
    check_sort_by,
    check_top,
)
from analysis.sections.formatting import esc, note, source_line, table
from analysis.sections.section import EP_SOURCE, OEWS_SOURCE, TOP_CODE_CAPTION, Section, figure
from analysis.soc import TOTAL_CODE
from analysis.tables import store
from analysis.values import missing, money, people, percent

LABELLED = 8  # points named in the growth-against-pay chart


# --- the screen ----------------------------------------------------------------------------------
def screen(proj: pd.DataFrame, wages: pd.DataFrame | None, vintage: str, *, education: list[str] = (),
           major_group: str | None = None, min_growth: float | None = None, min_openings: int | None = None,
           min_pay: float | None = None, state: str | None = None, sort_by: str = "openings") -> pd.DataFrame:
    """Detailed occupations of ``vintage`` meeting every criterion, ranked by ``sort_by`` (largest first,
    then SOC code). Pay and employment are national (the projections' median of ``wage_year``, jobs in
    the base year), or the state's latest OEWS estimates when ``state`` is set; occupations without an
    OEWS estimate for that state are left out. ``pay_usd`` and ``employment_people`` hold the figures the
    pay and employment criteria and sorting used."""
    d = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")].copy()
    majors = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "major")].set_index("soc_code")["title"]
    d["major_group"] = d["major_group_code"].map(majors)
    d["pay_usd"] = d["median_wage_usd"]
    d["employment_people"] = d["employment_base_people"]
    if state:
        w = wages[(wages["area_type"] == 2) & (wages["state_code"] == state)]
        w = w[w["wage_year"] == wages["wage_year"].max()]
        st = w.set_index("soc_code")[["employment_people", "annual_median_usd", "annual_median_usd_top_coded",
                                      "hourly_median_usd", "location_quotient", "wage_year"]]
        st = st.rename(columns=lambda c: "state_" + c.replace("_usd_top_coded", "_top_coded"))
        d = d.merge(st, left_on="soc_code", right_index=True, how="inner")
        d.insert(0, "state_code", state)
        d["pay_usd"] = d["state_annual_median_usd"]
        d["employment_people"] = d["state_employment_people"]
    if education:
        d = d[d["education"].isin(list(education))]
    if major_group:
        d = d[d["major_group_code"] == major_group]
    if min_growth is not None:
        d = d[d["change_percent"] >= min_growth]
    if min_openings:
        d = d[d["openings_per_year"] >= min_openings]
    if min_pay is not None:
        d = d[d["pay_usd"] >= min_pay]
    col = SORT_KEYS[sort_by][0]
    d = d.sort_values([col, "soc_code"], ascending=[False, True], na_position="last", kind="mergesort")
    d.insert(0, "rank", range(1, len(d) + 1))
    keep = ["rank", "vintage", "soc_code", "title", "major_group_code", "major_group", "education", "experience",
            "training", "base_year", "employment_base_people", "change_percent", "outlook_label",
            "openings_per_year", "openings_per_100_jobs", "median_wage_usd", "median_wage_top_coded", "wage_year"]
    if state:
        keep += ["state_code", "state_wage_year", "state_employment_people", "state_annual_median_usd",
                 "state_annual_median_top_coded", "state_hourly_median_usd", "state_location_quotient"]
    return d[keep + ["pay_usd", "employment_people"]].reset_index(drop=True)


@dataclass
class Explorer:
    """A screen of one vintage's detailed occupations. Parameters are checked here, with one-line errors."""

    vintage: str = "latest"
    education: list = field(default_factory=list)
    major_group: str | None = None
    min_growth: float | None = None
    min_openings: int | None = None
    min_pay: float | None = None
    state: str | None = None
    sort_by: str = "openings"
    top: int = 25
    paths: Paths = field(default_factory=project)

    def __post_init__(self):
        p = self.paths
        self.vintage = store.resolve_vintage(self.vintage, p)
        self.education = check_education(self.education, p)
        self.major_group = check_major_group(self.major_group, self.vintage, p)
        self.min_growth = check_minimum("min_growth", self.min_growth, allow_negative=True)
        self.min_openings = check_minimum("min_openings", self.min_openings)
        self.min_pay = check_minimum("min_pay", self.min_pay)
        self.state = store.check_state(self.state, p)
        self.sort_by = check_sort_by(self.sort_by)
        self.top = check_top(self.top)
        self.proj = store.table("projections", p)
        self.wages = store.table("wages", p) if store.has_table("wages", p) else None
        if self.state and self.wages is None:
            raise ParameterError("state: no OEWS wages table is on hand")
        self.oews_year = int(self.wages["wage_year"].max()) if self.wages is not None else None
        same = self.proj[self.proj["vintage"] == self.vintage]
        self.total = same[same["soc_code"] == TOTAL_CODE].iloc[0]
        self.detailed_count = int((same["soc_level"] == "detailed").sum())
        self.wage_year = int(self.total["wage_year"])
        self.result = screen(self.proj, self.wages, self.vintage, education=self.education,
                             major_group=self.major_group, min_growth=self.min_growth,
                             min_openings=self.min_openings, min_pay=self.min_pay, state=self.state,
                             sort_by=self.sort_by)

    # -- helpers --------------------------------------------------------------------------------
    @property
    def where(self) -> str:
        return self.state or "the U.S."

    def pay_label(self) -> str:
        return (f"median annual pay in {self.state}, May {self.oews_year}" if self.state
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
        if self.state:
            c.append(f"with an OEWS estimate for {self.state}")
        return c

    # -- sections -------------------------------------------------------------------------------
    def header(self) -> Section:
        focus = f" · pay and jobs in {esc(self.state)} (OEWS May {self.oews_year})" if self.state else ""
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
        if self.state:
            cols["Jobs"] = [people(v) for v in r["state_employment_people"]]
            cols["Median pay"] = [money(v, t) for v, t in zip(r["state_annual_median_usd"],
                                                              r["state_annual_median_top_coded"], strict=True)]
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
               + (f"); {OEWS_SOURCE}, May {self.oews_year}, {self.state} (jobs, pay)." if self.state
                  else f", jobs in {int(r['base_year'].iloc[0])}, median pay of {self.wage_year})."))
        num = {c for c in df.columns if c not in ("Occupation", "Entry education")}
        return Section(table(df, years, numeric=num, long=True, classes=("screen",), show_caption=True)
                       + note(shown) + source_line(src))

    def chart(self) -> Section:
        r = self.result.dropna(subset=["pay_usd"])
        if r.empty:
            return Section(note("No matching occupation has a published median annual pay to chart."))
        top = r["state_annual_median_top_coded"] if self.state else r["median_wage_top_coded"]
        rows = r.assign(median_wage_usd=r["pay_usd"], median_wage_top_coded=top.fillna(False).astype(bool))
        label = list(self.result.head(min(self.top, LABELLED))["soc_code"])
        allm = self._state_all_median() if self.state else self.total["median_wage_usd"]
        fig = charts.growth_pay_scatter(
            rows, None, f"Growth {self.vintage} against {self.pay_label()} (size = openings a year)",
            float(self.total["change_percent"]), None if missing(allm) else float(allm), label_codes=label)
        dropped = len(self.result) - len(r)
        extra = (f" {dropped} matching occupation(s) without a published annual median are not drawn."
                 if dropped else "")
        pay_src = f"{OEWS_SOURCE}, May {self.oews_year}, {self.state}" if self.state else \
            f"{EP_SOURCE}, {self.vintage} (pay of {self.wage_year})"
        return Section(figure(fig, f"Sources: {EP_SOURCE}, {self.vintage}, table 1.2; pay: {pay_src}. Dashed "
                                   f"lines: all-occupations growth and median pay. Named: the top "
                                   f"{len(label)} of the ranking (labels that would overlap are left out)."
                                   + extra + (TOP_CODE_CAPTION if rows["median_wage_top_coded"].any() else "")))

    def _state_all_median(self):
        w = self.wages
        row = w[(w["area_type"] == 2) & (w["state_code"] == self.state) & (w["soc_code"] == TOTAL_CODE)
                & (w["wage_year"] == self.oews_year)]
        return None if row.empty else row.iloc[0]["annual_median_usd"]

    def to_csv(self) -> str:
        """The whole result (every match, not only the top rows shown), as CSV text."""
        buf = io.StringIO()
        self.result.drop(columns=["pay_usd", "employment_people"]).to_csv(buf, index=False)
        return buf.getvalue()

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
                  f"state={self.state}, sort_by={self.sort_by}, top={self.top}")
        return Section(
            f'<p class="citation">{esc(EP_SOURCE)}, “Occupational projections, {esc(self.vintage)}” (table 1.2), '
            "https://www.bls.gov/emp/tables.htm"
            + (f"; {esc(OEWS_SOURCE)}, May {self.oews_year}, https://www.bls.gov/oes/" if self.state else "")
            + ".</p>"
            + note("Projections are rounded estimates of the ten years ahead; growth and openings are national "
                   "even when a state is chosen. Median pay is for all industries.")
            + note(f"Parameters: {params}; built {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC from "
                   "data/processed."))
