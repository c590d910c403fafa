"""Occupations side by side: the sections of ``notebooks/compare_occupations.ipynb`` (two to six
occupations in one release; two releases are :mod:`analysis.sections.release_compare`).

In: parameters (SOC codes, vintage, state). Out: displayable sections (HTML with inline
SVG charts on shared axes); every figure names its release or year and its source, and every text from
a data file is escaped. The occupation comparison is laid out as an advisor's handout: printed, it fits
on two pages (US Letter or A4) for three occupations.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from analysis.ingest import onet
from analysis.paths import Paths, project
from analysis.sections import charts, highlights
from analysis.sections.formatting import esc, note, short, source_line, table
from analysis.sections.parameters import NOT_A_PARAMETER, CompareParameters
from analysis.sections.section import EP_SOURCE, HOURS_PER_YEAR, OEWS_SOURCE, Section, figure
from analysis.soc import TOTAL_CODE
from analysis.tables import store
from analysis.tables.ranks import rank_bounds
from analysis.values import fixed, missing, money, people, percent, place, signed

# Print layout of the handout: smaller type and tighter spacing so three occupations fit two pages (Letter or A4).
HANDOUT_CSS = """<style>
.compare-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 0.7rem; }
.compare-grid > div { padding: 0.5rem 0.7rem; border: 1px solid var(--rule, #d9dee5); border-radius: 6px; }
.compare-grid h3 { margin: 0 0 0.3em; font-size: 1rem; }
.compare-grid ul { font-size: 0.92rem; }
.compare-grid ul { padding-left: 1.1em; margin: 0.2em 0 0.5em; }
.compare-grid li.pro::marker { content: "+ "; color: #1e6b3a; font-weight: bold; }
.compare-grid li.con::marker { content: "\\2212  "; color: #9b2c2c; font-weight: bold; }
.compare-grid p.kind { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em;
  color: var(--muted, #5f6b7a); margin: 0 0 0.3em; }
table.compare { table-layout: fixed; }
table.compare th[scope=col] { vertical-align: bottom; }
table.compare th[scope=row] { width: 10.5rem; font-weight: normal; color: var(--muted, #5f6b7a); text-align: left; }
table.compare td, table.compare th { font-size: 0.88rem; font-variant-numeric: tabular-nums; }
ol.compared { margin: 0.3em 0 0.2em; padding-left: 1.3em; font-size: 1.05rem; font-weight: 600; }
ol.compared .note { font-weight: normal; }
@media print {
  @page { margin: 10mm 11mm 13mm; }
  html { font-size: 12px; }  /* the stylesheet sizes tables, notes and headings in rem */
  body { font-size: 9pt; line-height: 1.35; }
  h1 { font-size: 16pt; }
  h2 { font-size: 11.5pt; margin: 0.7em 0 0.3em; }
  h2::after, h3::after, h4::after { height: 3em; margin-bottom: -3em; }
  .report-title { margin-bottom: 0.5rem; padding-bottom: 0.3rem; }
  .jp-OutputArea-child { margin: 0 0 0.2em; }
  div.chart { margin: 0.2rem 0 0.3rem; }
  div.chart svg { max-width: 44rem; }
  ol.compared { font-size: 10pt; }
  table.data { margin: 0.2rem 0 0.4rem; }
  table.data th, table.data td { padding: 0.15em 0.4em; }
  .note, .source, div.chart p.caption { font-size: 7.2pt; margin: 0.1em 0 0.3em; }
  p { margin: 0 0 0.4em; }
  .compare-grid { grid-template-columns: repeat(3, 1fr); gap: 0.4rem; }
  .compare-grid li { margin: 0; }
  .attribution { margin-top: 0.5rem; padding-top: 0.2rem; font-size: 6.8pt; }
}
</style>"""


@dataclass
class Comparison(CompareParameters):
    """Two to six detailed occupations of one vintage side by side, optionally with one state's pay."""

    paths: Paths = field(default_factory=project, metadata=NOT_A_PARAMETER)

    def __post_init__(self):
        p = self.paths
        self.check(p)  # the notebook's parameter model (sections/parameters.py)
        self.facts = {c: store.quick_facts(c, self.vintage, p) for c in self.soc_codes}
        self.rows = pd.DataFrame([store.occupation(c, self.vintage, p) for c in self.soc_codes])
        self.titles = [self.facts[c]["title"] for c in self.soc_codes]
        self.labels = [short(t) for t in self.titles]
        self.wages = store.table("wages", p) if store.has_table("wages", p) else None
        self.oews_year = int(self.wages["wage_year"].max()) if self.wages is not None else None
        if self.wages is not None:
            w = self.wages[self.wages["wage_year"] == self.oews_year]
            self.nat = w[w["area_type"] == 1].set_index("soc_code")
            self.states_w = w[(w["area_type"] == 2) & w["soc_code"].isin(self.soc_codes + [TOTAL_CODE])]
        f0 = self.facts[self.soc_codes[0]]
        self.base_year, self.projected_year, self.wage_year = f0["base_year"], f0["projected_year"], f0["wage_year"]
        self.ep_label = f"{EP_SOURCE}, {self.vintage}"

    def _oews(self, code: str) -> pd.Series | None:
        if self.wages is None or code not in self.nat.index:
            return None
        return self.nat.loc[code]

    # -- sections ---------------------------------------------------------------------------------
    def header(self) -> Section:
        words = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}[len(self.soc_codes)]
        names = "".join(f"<li>{esc(t)} <span class='note'>(SOC {esc(c)})</span></li>"
                        for c, t in zip(self.soc_codes, self.titles, strict=True))
        focus = f" · state: {esc(self.state)}" if self.state else ""
        return Section(
            HANDOUT_CSS + '<div class="report-title"><p class="kicker">Occupation comparison</p>'
            f"<h1>{words} occupations side by side</h1><ol class='compared'>{names}</ol>"
            f'<p class="subtitle">BLS Employment Projections {esc(self.vintage)} · OEWS wages May {self.oews_year}'
            f"{focus}</p></div>")

    def quick_facts(self) -> Section:
        """One table: a column per occupation, a row per fact (the Handbook's quick-facts box, side by side)."""
        fs = [self.facts[c] for c in self.soc_codes]

        def row(label: str, fn) -> list[str]:
            return [label] + [fn(f) for f in fs]

        def latest_pay(f) -> str:
            o = self._oews(f["soc_code"])
            if o is None:
                return "not published"
            return (f"{money(o['annual_median_usd'], o['annual_median_usd_top_coded'])} a year; "
                    f"{money(o['hourly_median_usd'], o['hourly_median_usd_top_coded'], cents=True)} an hour")

        rows = [
            row("SOC code", lambda f: f["soc_code"]),
            row(f"Median pay, {self.wage_year}", lambda f: money(f["median_wage_usd"], f["median_wage_top_coded"])),
            row(f"Median pay, May {self.oews_year} (OEWS)", latest_pay),
            row("Typical entry education", lambda f: f["education"] or "—"),
            row("Work experience", lambda f: f["experience"] or "—"),
            row("On-the-job training", lambda f: f["training"] or "—"),
            row(f"Number of jobs, {self.base_year}", lambda f: people(f["employment_base"])),
            row(f"Job outlook, {self.vintage}",
                lambda f: f"{percent(f['change_percent'])} ({f['outlook_label'] or 'wording not on hand'})"),
            row("Employment change", lambda f: signed(f["employment_change"])),
            row("Openings a year", lambda f: people(f["openings_per_year"])),
            row(f"Openings per 100 jobs ({self.base_year})",
                lambda f: "—" if missing(f["openings_per_100_jobs"]) else fixed(f["openings_per_100_jobs"], 1)),
            row("O*NET job zone", lambda f: f"{f['job_zone']} of 5" if f.get("job_zone") else "—"),
        ]
        head = "".join(f'<th scope="col">{esc(t)}</th>' for t in self.titles)
        body = "".join(f'<tr><th scope="row">{esc(r[0])}</th>' + "".join(f"<td>{esc(v)}</td>" for v in r[1:])
                       + "</tr>" for r in rows)
        allm = self._oews(TOTAL_CODE)
        f0 = fs[0]
        ref = (f"All occupations: growth {percent(f0['all_occupations_change_percent'])} ({self.vintage}); median "
               f"pay {money(f0['all_occupations_median_wage_usd'])} ({self.wage_year})"
               + (f", {money(allm['annual_median_usd'])} (May {self.oews_year})." if allm is not None else "."))
        return Section('<table class="data compare"><caption class="visually-hidden">Quick facts of the occupations '
                       f'side by side</caption><thead><tr><th scope="col">Fact</th>{head}</tr></thead><tbody>{body}'
                       "</tbody></table>" + note(ref)
                       + source_line(f"Sources: {self.ep_label}, table 1.2 (pay of {self.wage_year} as published "
                                     f"in the projections); {OEWS_SOURCE}, May {self.oews_year}; O*NET job zones."))

    def outlook(self) -> Section:
        total = self.facts[self.soc_codes[0]]["all_occupations_change_percent"]
        labels = self.labels + ["All occupations"]
        values = [self.facts[c]["change_percent"] for c in self.soc_codes] + [total]
        svg = charts.hbars_svg(labels, values, [True] * len(self.soc_codes) + [False],
                               f"Projected employment change, {self.base_year}–{self.projected_year}",
                               names=self.titles + ["All occupations"])
        return Section(figure(svg, f"Source: {self.ep_label}, table 1.2. One axis for all; projections are "
                                   "rounded estimates."))

    def openings(self) -> Section:
        seps = store.table("separations", self.paths) if store.has_table("separations", self.paths) else None
        s = (seps[(seps["vintage"] == self.vintage) & seps["soc_code"].isin(self.soc_codes)].set_index("soc_code")
             if seps is not None else pd.DataFrame())
        totals = [float(self.facts[c]["openings_per_year"]) for c in self.soc_codes]
        title = f"Openings a year, {self.vintage} average"
        if set(self.soc_codes) <= set(s.index):
            rows = [{k: s.loc[c, k] for k in charts.PARTS} for c in self.soc_codes]
            svg = charts.stacked_hbars_svg(self.labels, rows, charts.PARTS, title + ": where they come from",
                                           totals=totals, desc_note=charts.ROUNDED_PARTS)
            src = (f"Source: {self.ep_label}, table 1.10 (annual averages); growth is the annual average change in "
                   "employment (table 1.2). BLS rounds each part separately, so they may not add exactly to the total.")
        else:
            svg = charts.hbars_svg(self.labels, totals, [True] * len(totals), title, fmt=people, tick_fmt=people,
                                   names=self.titles)
            src = f"Source: {self.ep_label}, table 1.2 (this release has no table 1.10 for every occupation)."
        return Section(figure(svg, src))

    def pay(self) -> Section:
        rows, any_hourly_only = [], False
        for c in self.soc_codes:
            o = self._oews(c)
            if o is None:
                rows.append(_percentiles(None))
                continue
            any_hourly_only |= bool(o["hourly_only"])
            rows.append(_percentiles(o))
        allm = self._oews(TOTAL_CODE)
        ref = None if allm is None else float(allm["annual_median_usd"])
        svg = charts.ranges_svg(self.labels, pd.DataFrame(rows),
                                f"Annual pay, May {self.oews_year}: 10th–90th percentile, middle half, median",
                                ref=ref, ref_label=f"all occupations median {money(ref)}" if ref else "")
        extra = (note("An occupation BLS publishes only hourly wages for has no annual figures here (hourly × "
                      f"{HOURS_PER_YEAR:,} is not BLS's estimate).") if any_hourly_only else "")
        return Section(figure(svg, f"Source: {OEWS_SOURCE}, May {self.oews_year}, national, cross-industry. "
                                   "“≥” marks BLS's top code.") + extra)

    def states(self) -> Section:
        """With ``state``: each occupation's pay and jobs there against the nation; otherwise where each
        pays most and is most concentrated."""
        if self.wages is None:
            return Section(note("No OEWS state estimates are on hand."))
        sw = self.states_w
        if self.state:
            return self._one_state(sw[sw["state_code"] == self.state].set_index("soc_code"))
        out = []
        for c, t in zip(self.soc_codes, self.titles, strict=True):
            s = sw[sw["soc_code"] == c]
            pay = s.dropna(subset=["annual_median_usd"])
            top = pay.nlargest(1, "annual_median_usd")
            lq = s.dropna(subset=["location_quotient"]).nlargest(1, "location_quotient")
            out.append((t, f"{len(pay)}",
                        "—" if top.empty else f"{top.iloc[0]['area_title']}: "
                        f"{money(top.iloc[0]['annual_median_usd'], top.iloc[0]['annual_median_usd_top_coded'])}",
                        "—" if lq.empty else
                        f"{lq.iloc[0]['area_title']}: {fixed(lq.iloc[0]['location_quotient'], 2)}"))
        df = pd.DataFrame(out, columns=["Occupation", "States with pay data", "Highest median pay",
                                        "Most concentrated (location quotient)"])
        return Section(table(df, "Where each occupation pays most and is most concentrated, by state",
                             numeric={"States with pay data"})
                       + note("Set the state parameter (e.g. state=\"CA\") to compare pay in one state with the "
                              "nation. A location quotient above 1 means the occupation's share of jobs there is "
                              "above its national share.")
                       + source_line(f"Source: {OEWS_SOURCE}, May {self.oews_year}, state estimates (annual "
                                     "medians; states include DC and territories with estimates)."))

    def _one_state(self, st: pd.DataFrame) -> Section:
        rows, pcts = [], []
        state_all = st.loc[TOTAL_CODE] if TOTAL_CODE in st.index else None
        area = st.iloc[0]["area_title"] if not st.empty else self.state
        for c, t in zip(self.soc_codes, self.titles, strict=True):
            nat = self._oews(c)
            if c not in st.index:
                rows.append((t, "not published", "—", "—", "—", "—"))
                pcts.append(_percentiles(None))
                continue
            r = st.loc[c]
            med, nat_med = r["annual_median_usd"], (None if nat is None else nat["annual_median_usd"])
            nat_top = nat is not None and bool(nat["annual_median_usd_top_coded"])
            if missing(med) or missing(nat_med) or nat_top:  # a national bound gives no definite difference
                diff = "—"
            else:
                diff = ("at least " if r["annual_median_usd_top_coded"] else "") + \
                    fixed(100 * (med - nat_med) / nat_med, 0, sign=True) + "%"
            everywhere = self.states_w[self.states_w["soc_code"] == c].set_index("state_code")
            best, worst = rank_bounds(everywhere["annual_median_usd"], everywhere["annual_median_usd_top_coded"])
            n = int(everywhere["annual_median_usd"].notna().sum())
            rank = place(best[self.state], worst[self.state], n) if not missing(med) else "—"
            rows.append((t, people(r["employment_people"]), money(med, r["annual_median_usd_top_coded"]), diff,
                         rank, "—" if missing(r["location_quotient"]) else fixed(r["location_quotient"], 2)))
            pcts.append(_percentiles(r))
        df = pd.DataFrame(rows, columns=["Occupation", f"Jobs in {self.state}", f"Median pay in {self.state}",
                                         "Against national median", "Rank among states", "Location quotient"])
        ref = None if state_all is None or missing(state_all["annual_median_usd"]) else \
            float(state_all["annual_median_usd"])
        svg = charts.ranges_svg(self.labels, pd.DataFrame(pcts), f"Annual pay in {area}, May {self.oews_year}",
                                ref=ref, ref_label=f"all occupations in {self.state}: {money(ref)}" if ref else "")
        return Section(table(df, f"Each occupation in {area} against the nation",
                             numeric=set(df.columns) - {"Occupation"})
                       + figure(svg, f"Source: {OEWS_SOURCE}, May {self.oews_year}, {area}, cross-industry."))

    def pros_cons(self) -> Section:
        """Each occupation's curated pros and cons (cited) where on hand, else highlights derived from
        the numbers (labelled as derived)."""
        cur = store.table("careers", self.paths) if store.has_table("careers", self.paths) else pd.DataFrame()
        cells, sources = [], {}
        for c, t in zip(self.soc_codes, self.titles, strict=True):
            mine = cur[cur["soc_code"] == c] if not cur.empty else cur
            mine = mine[mine["section"].isin(["pros", "cons"])] if not mine.empty else mine
            if not mine.empty:
                items = []
                for r in mine.sort_values(["section", "position"], ascending=[False, True]).itertuples():
                    n = sources.setdefault(r.source_id, (len(sources) + 1, r))[0]
                    kind = "pro" if r.section == "pros" else "con"
                    items.append(f'<li class="{kind}">{esc(r.text)}<sup class="cite">[{n}]</sup></li>')
                kind = "Curated, cited"
            else:
                items = [f'<li class="{k}">{esc(text)}</li>'
                         for k, text in sorted(highlights.derive(self.facts[c]), key=lambda h: h[0] != "pro")]
                items = items or ["<li>No highlight stands out.</li>"]
                kind = "Derived from the BLS figures, not curated"
            cells.append(f'<div><h3>{esc(t)}</h3><p class="kind">{esc(kind)}</p><ul>{"".join(items)}</ul></div>')
        refs = "".join(f"<li>“{esc(r.source_title)}”. "
                       f"{esc(r.source_publisher) if isinstance(r.source_publisher, str) else ''}</li>"
                       for _, (_, r) in sorted(sources.items(), key=lambda kv: kv[1][0]))
        return Section(f'<div class="compare-grid">{"".join(cells)}</div>'
                       + (f"<ol class='sources note'>{refs}</ol>" if refs else "")
                       + note("+ in favor, − against. Derived points are computed by career-outlook from the "
                              "projections and pay; curated facts are written in our own words from the cited "
                              "source."))

    def sources(self) -> Section:
        params = (f"soc_codes={self.soc_codes}, vintage={self.vintage}, state={self.state}; built "
                  f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC from data/processed")
        cite = (f"Bureau of Labor Statistics, U.S. Department of Labor, Employment Projections, “Occupational "
                f"projections, {self.vintage}” (tables 1.2 and 1.10), https://www.bls.gov/emp/tables.htm; and "
                f"Occupational Employment and Wage Statistics, May {self.oews_year}, https://www.bls.gov/oes/.")
        return Section(f'<p class="note">{esc(cite)} Parameters: {esc(params)}.</p>'
                       f'<p class="attribution">{esc(onet.attribution(onet.DEFAULT_RELEASE))}</p>')


PERCENTILE_KEYS = ("p10", "p25", "median", "p75", "p90")


def _percentiles(row) -> dict:
    """A row's annual percentiles and their top-code flags (``<key>_top``) for ``charts.ranges_svg``."""
    if row is None:
        return {k: math.nan for k in PERCENTILE_KEYS} | {f"{k}_top": False for k in PERCENTILE_KEYS}
    values = {k: math.nan if missing(row[f"annual_{k}_usd"]) else float(row[f"annual_{k}_usd"])
              for k in PERCENTILE_KEYS}
    return values | {f"{k}_top": bool(row[f"annual_{k}_usd_top_coded"]) for k in PERCENTILE_KEYS}
