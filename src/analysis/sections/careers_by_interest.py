"""Careers that fit a student's interest code: the sections of ``notebooks/careers_by_interest.ipynb``, the page an
advisor hands a student after the O*NET Interest Profiler.

In: an interest code of 1-3 RIASEC letters (e.g. "CI"), optionally entry-education levels and a state, a
projections vintage and how many to show. Out: displayable sections (HTML with an inline SVG chart): what the code
means, the fitting occupations ranked by the documented fit rule (:func:`analysis.tables.profile.matches`: tier,
then fit score, then SOC code) with BLS growth, openings, pay and entry education, and a growth-against-pay chart.
With ``state`` set, pay and jobs are that state's OEWS estimates (growth and openings stay national).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.errors import ParameterError
from analysis.ingest import onet
from analysis.paths import Paths, project
from analysis.sections import charts
from analysis.sections.formatting import esc, note, source_line, table
from analysis.sections.parameters import NOT_A_PARAMETER, InterestParameters
from analysis.sections.section import EP_SOURCE, OEWS_SOURCE, TOP_CODE_CAPTION, Section, figure
from analysis.soc import TOTAL_CODE
from analysis.tables import profile, store
from analysis.values import fixed, missing, money, people, percent

LABELLED = 8  # points named in the chart
FIT_WORDS = {1: "strong: its code starts with yours", 2: "good: it has all your letters",
             3: "partial: it shares your first letter"}


@dataclass
class CareersByInterest(InterestParameters):
    """The occupations whose O*NET interest code fits ``interest_code``; parameters checked first by the notebook's
    model (sections/parameters.py), one line each."""

    paths: Paths = field(default_factory=project, metadata=NOT_A_PARAMETER)

    def __post_init__(self):
        p = self.paths
        self.check(p)
        self.types = store.table("onet_interest_types", p).set_index("letter")
        proj = store.table("projections", p)
        same = proj[proj["vintage"] == self.vintage]
        self.total = same[same["soc_code"] == TOTAL_CODE].iloc[0]
        self.wage_year = int(self.total["wage_year"])
        fits = profile.matches(self.interest_code, self.vintage, p=p)
        if self.education:
            fits = fits[fits["education"].isin(self.education)]
        if self.state:
            fits = self._with_state_pay(fits)
        fits = fits.reset_index(drop=True)
        fits.insert(0, "rank", range(1, len(fits) + 1))
        self.result = fits
        self.release = onet.DEFAULT_RELEASE
        occ = store.table("onet_occupations", p)
        if not occ.empty:
            self.release = str(occ["onet_release"].iloc[0])

    def _with_state_pay(self, fits: pd.DataFrame) -> pd.DataFrame:
        """The state's latest OEWS jobs and median annual pay beside each fit; fits without an estimate there
        are kept, with no pay (the student may still move)."""
        if not store.has_table("wages", self.paths):
            raise ParameterError("state: no OEWS wages table is on hand")
        w = store.table("wages", self.paths)
        self.oews_year = int(w["wage_year"].max())
        st = w[(w["area_type"] == 2) & (w["state_code"] == self.state) & (w["wage_year"] == self.oews_year)]
        st = st.set_index("soc_code")[["employment_people", "annual_median_usd", "annual_median_usd_top_coded"]]
        self.state_all_median = st["annual_median_usd"].get(TOTAL_CODE)
        return fits.merge(st.rename(columns=lambda c: "state_" + c), left_on="soc_code", right_index=True,
                          how="left")

    # -- helpers ----------------------------------------------------------------------------------
    def spelled(self) -> str:
        """``"CI"`` -> ``"Conventional, Investigative"``."""
        return ", ".join(self.types.loc[letter, "interest"] for letter in self.interest_code)

    def pay(self, r: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        """The pay shown for rows ``r`` and its top-coded flag: the state's OEWS median, or the national one."""
        if self.state:
            return r["state_annual_median_usd"], r["state_annual_median_usd_top_coded"].fillna(False).astype(bool)
        return r["median_wage_usd"], r["median_wage_top_coded"]

    # -- sections ---------------------------------------------------------------------------------
    def header(self) -> Section:
        where = f" · pay in {esc(self.state)} (OEWS May {self.oews_year})" if self.state else ""
        return Section(
            # a wider occupation column, as in the explore notebook's table
            "<style>table.screen td:nth-child(2) { min-width: 14rem; } table.screen { font-size: 0.85rem; }</style>"
            '<div class="report-title"><p class="kicker">Careers by interest</p>'
            f"<h1>Careers for interest code {esc(self.interest_code)} ({esc(self.spelled())})</h1>"
            f'<p class="subtitle">{len(self.result)} fitting occupations · O*NET {esc(self.release)} interests · '
            f"Employment Projections {esc(self.vintage)}{where}</p></div>")

    def code(self) -> Section:
        """What the letters mean, and how occupations were matched to them."""
        items = "".join(f"<li><strong>{esc(self.types.loc[x, 'interest'])} ({esc(x)})</strong>: "
                        f"{esc(self.types.loc[x, 'description'])}</li>" for x in self.interest_code)
        counts = self.result["tier"].value_counts()
        tiers = "".join(f"<li>Fit {t}, {esc(FIT_WORDS[t])}: {int(counts.get(t, 0))} occupation(s)</li>"
                        for t in profile.TIERS)
        crit = (f" Only occupations whose typical entry education is {' or '.join(e.lower() for e in self.education)}."
                if self.education else "")
        return Section(
            f"<p>Your interest code, from the O*NET Interest Profiler, names the kinds of activity you enjoy most, "
            f"strongest first:</p><ul>{items}</ul>"
            "<p>Each occupation has an interest code too: O*NET's high points of its interest profile. An occupation "
            "fits when its code shares your letters:</p>"
            f"<ul>{tiers}</ul>"
            + note("Within each fit, occupations are ranked by their fit score: the mean of the occupation's O*NET "
                   "interest scores (1-7) on your letters, highest first; then by SOC code. O*NET's interest "
                   "scores are machine-learning estimates (Domain Source “Machine Learning”, November 2023)."
                   + crit))

    def ranked(self) -> Section:
        r = self.result.head(self.top)
        if r.empty:
            return Section(note("No occupation fits this interest code under these criteria; drop the education "
                                "filter or try your first letter alone."))
        pay, top = self.pay(r)
        cols = {
            "#": r["rank"].astype(str),
            "Occupation": [f"{t} ({c})" for t, c in zip(r["title"], r["soc_code"], strict=True)],
            "Its code": r["interest_code"],
            "Fit": [f"{t} ({fixed(s, 2)})" for t, s in zip(r["tier"], r["fit_score"], strict=True)],
            "Growth": [percent(v) for v in r["change_percent"]],
            "Openings a year": [people(v) for v in r["openings_per_year"]],
        }
        if self.state:
            cols["Jobs in " + self.state] = [people(v) for v in r["state_employment_people"]]
        cols["Median pay"] = [money(v, t) for v, t in zip(pay, top, strict=True)]
        cols["Entry education"] = r["education"].fillna("—")
        df = pd.DataFrame(cols)
        years = (f"Growth and openings: {self.vintage}, national. "
                 + (f"Jobs and median annual pay: {self.state}, May {self.oews_year}." if self.state
                    else f"Median annual pay: {self.wage_year}."))
        shown = (f"The {len(r)} best fits of {len(self.result)}." if len(self.result) > len(r)
                 else f"All {len(r)} fitting occupations.")
        src = (f"Sources: O*NET {self.release}, Interests; {EP_SOURCE}, {self.vintage}, table 1.2"
               + (f"; {OEWS_SOURCE}, May {self.oews_year}, {self.state}." if self.state else "."))
        num = {"#", "Fit", "Growth", "Openings a year", "Median pay"} | ({"Jobs in " + self.state} if self.state
                                                                         else set())
        return Section(table(df, years, numeric=num, long=True, classes=("screen",), show_caption=True)
                       + note(shown) + source_line(src))

    def chart(self) -> Section:
        r = self.result.head(self.top)
        pay, top = self.pay(r)
        rows = r.assign(median_wage_usd=pay, median_wage_top_coded=top).dropna(subset=["median_wage_usd"])
        if rows.empty:
            return Section(note("None of these occupations has a published median annual pay to chart."))
        allm = self.state_all_median if self.state else self.total["median_wage_usd"]
        fig = charts.growth_pay_scatter(
            rows, None, f"The {len(r)} best fits: growth {self.vintage} against median pay (size = openings)",
            float(self.total["change_percent"]), None if missing(allm) else float(allm),
            label_codes=list(r.head(LABELLED)["soc_code"]))
        dropped = len(r) - len(rows)
        extra = f" {dropped} without a published annual median are not drawn." if dropped else ""
        pay_src = f"{OEWS_SOURCE}, May {self.oews_year}, {self.state}" if self.state else \
            f"{EP_SOURCE}, {self.vintage} (pay of {self.wage_year})"
        return Section(figure(fig, f"Sources: {EP_SOURCE}, {self.vintage}, table 1.2; pay: {pay_src}. Dashed "
                                   "lines: all-occupations growth and median pay. Named: the best "
                                   f"{min(LABELLED, len(r))} fits (labels that would overlap are left out)."
                                   + extra + (TOP_CODE_CAPTION if rows["median_wage_top_coded"].any() else "")))

    def sources(self) -> Section:
        params = (f"interest_code={self.interest_code}, education={self.education or '[]'}, state={self.state}, "
                  f"vintage={self.vintage}, top={self.top}")
        # One block that prints whole: the attribution never strands on a page of its own.
        return Section(
            '<div class="back-matter">'
            f'<p class="citation">{esc(EP_SOURCE)}, “Occupational projections, {esc(self.vintage)}” (table 1.2). '
            + (f"{esc(OEWS_SOURCE)}, May {self.oews_year}. " if self.state else "")
            + f"O*NET {esc(self.release)} Database, Interests (occupational interest high points).</p>"
            + note(f"Parameters: {params}.")
            + f'<p class="attribution">{esc(onet.attribution(self.release))}</p></div>')
