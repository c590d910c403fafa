"""The career report's sections: parameters in, displayable HTML (with inline SVG charts) out.

The notebook ``notebooks/career_report.ipynb`` makes a :class:`CareerReport` from its parameters and
calls one method per section. Every figure is labelled with its year or vintage and its source; every
text from a data file is escaped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import charts, highlights, onet, store
from .formatting import esc, missing, money, note, people, percent, source_line, table
from .paths import Paths, project

EP_SOURCE = "U.S. Bureau of Labor Statistics, Employment Projections"
OEWS_SOURCE = "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS)"
PERCENTILES = [("10th", "p10"), ("25th", "p25"), ("Median", "median"), ("75th", "p75"), ("90th", "p90")]
HOURS_PER_YEAR = 2080  # BLS's own convention for turning hourly into annual pay


class Section:
    """HTML that Jupyter and nbconvert show as one output (``text/html``)."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _figure(fig, caption: str) -> str:
    return f'<figure class="chart">{charts.to_svg(fig)}<figcaption>{esc(caption)}</figcaption></figure>'


@dataclass
class CareerReport:
    """One occupation, one projections vintage, optionally one state. Parameters are validated here,
    before anything else runs, with one-line errors naming the bad parameter."""

    soc_code: str
    vintage: str = "latest"
    state: str | None = None
    paths: Paths = field(default_factory=project)

    def __post_init__(self):
        self.vintage = store.resolve_vintage(self.vintage, self.paths)
        self.soc_code = store.check_soc(self.soc_code, self.vintage, self.paths)
        self.state = store.check_state(self.state, self.paths)
        p = self.paths
        self.proj = store.table("projections", p)
        self.row = store.occupation(self.soc_code, self.vintage, p)
        self.facts = store.quick_facts(self.soc_code, self.vintage, p)
        self.vintage_info = store.table("vintages", p).set_index("vintage").loc[self.vintage]
        self.same_vintage = self.proj[self.proj["vintage"] == self.vintage]
        self.wages = store.table("wages", p) if store.has_table("wages", p) else None
        if self.wages is not None:
            self.wage_year = int(self.wages["wage_year"].max())
            w = self.wages[self.wages["wage_year"] == self.wage_year]
            self.oews_nat = w[(w["area_type"] == 1)].set_index("soc_code")
            self.oews_states = w[(w["area_type"] == 2) & (w["soc_code"] == self.soc_code)]
        self.title = self.row["title"]
        self.ep_label = f"{EP_SOURCE}, {self.vintage}"

    # -- helpers ------------------------------------------------------------------------------
    def _group(self, code) -> pd.Series | None:
        if missing(code):
            return None
        g = self.same_vintage[self.same_vintage["soc_code"] == code]
        return None if g.empty else g.iloc[0]

    def _oews(self, code: str) -> pd.Series | None:
        if self.wages is None or code not in self.oews_nat.index:
            return None
        return self.oews_nat.loc[code]

    # -- sections -----------------------------------------------------------------------------
    def header(self) -> Section:
        f = self.facts
        state = f" · focus: {esc(self.state)}" if self.state else ""
        names = f.get("also_called") or (f["example_titles"] or "").split("; ")
        names = [n for n in names if n][:8]
        other = f'<p class="subtitle">Also called: {esc("; ".join(names))}</p>' if names else ""
        return Section(
            f'<div class="report-title"><p class="kicker">Career report · SOC {esc(self.soc_code)}</p>'
            f"<h1>{esc(self.title)}</h1>{other}"
            f'<p class="subtitle">Employment Projections {esc(self.vintage)} · OEWS wages May '
            f"{self.wage_year if self.wages is not None else '—'}{state}</p></div>")

    def quick_facts(self) -> Section:
        f = self.facts
        hourly = (f"≈ {money(f['median_wage_usd'] / HOURS_PER_YEAR, cents=True)} per hour (annual ÷ 2,080)"
                  if not missing(f["median_wage_usd"]) and not f["median_wage_top_coded"] else "")
        label = f["outlook_label"] or "wording not on hand for this release"
        rows = [
            ("Median pay, " + str(f["wage_year"]),
             f"{money(f['median_wage_usd'], f['median_wage_top_coded'])} per year", hourly),
        ]
        o = self._oews(self.soc_code)
        if o is not None:
            rows.append((f"Median pay, May {self.wage_year} (latest OEWS)",
                         f"{money(o['annual_median_usd'], o['annual_median_usd_top_coded'])} per year",
                         f"{money(o['hourly_median_usd'], o['hourly_median_usd_top_coded'], cents=True)} per hour"))
        rows += [
            ("Typical entry-level education", f["education"] or "—", ""),
            ("Work experience in a related occupation", f["experience"] or "—", ""),
            ("Typical on-the-job training", f["training"] or "—", ""),
            (f"Number of jobs, {f['base_year']}", people(f["employment_base"]), ""),
            (f"Job outlook, {self.vintage}", f"{percent(f['change_percent'])} ({label})",
             f"all occupations: {percent(f['all_occupations_change_percent'])}"),
            (f"Employment change, {self.vintage}", f"{int(f['employment_change']):+,}", ""),
            ("Openings a year (average)", people(f["openings_per_year"]),
             f"{f['openings_per_100_jobs']:.1f} per 100 jobs" if f["openings_per_100_jobs"] else ""),
        ]
        if f.get("job_zone"):
            rows.append(("O*NET job zone (preparation)", f"{f['job_zone']} of 5", ""))
        body = "".join(f"<tr><th>{esc(a)}</th><td>{esc(b)}</td><td class='note'>{esc(c)}</td></tr>"
                       for a, b, c in rows)
        ranks = (f"Among {f['detailed_count']} detailed occupations in {self.vintage}: "
                 f"#{f['change_percent_rank']} for growth, #{f['openings_rank']} for openings"
                 + (f", #{f['median_wage_rank']} for pay." if f["median_wage_rank"] else "."))
        basis = ("" if f["outlook_label"] else note(f["outlook_label_basis"]))
        return Section(
            f'<table class="facts">{body}</table>{note(ranks)}{basis}'
            + source_line(f"Sources: {self.ep_label}, table 1.2 (median pay: May {f['wage_year']} OEWS as"
                          f" published in the projections); latest pay: {OEWS_SOURCE}, May {self.wage_year}."
                          f" Outlook wording: {f['outlook_label_basis']}."))

    def outlook(self) -> Section:
        r = self.row
        major = self._group(r["major_group_code"])
        minor = self._group(r["minor_group_code"])
        total = self._group("00-0000")
        rows = [(self.title, r["change_percent"], True)]
        for g in (minor, major, total):
            if g is not None:
                rows.append((g["title"], g["change_percent"], False))
        df = pd.DataFrame(rows, columns=["label", "change_percent", "highlight"])
        df["label"] = [lab if len(lab) <= 42 else lab[:40] + "…" for lab in df["label"]]
        fig = charts.outlook_bars(df, f"Projected employment change, {self.row['base_year']}–"
                                      f"{self.row['projected_year']}")
        label = self.facts["outlook_label"]
        words = (f"BLS words this as “{label}”." if label else self.facts["outlook_label_basis"] + ".")
        text = (f"<p>Employment of {esc(self.title.lower())} is projected to change "
                f"{esc(percent(r['change_percent']))} from {r['base_year']} to {r['projected_year']}, against "
                f"{esc(percent(r['all_occupations_change_percent']))} for all occupations. {esc(words)}</p>")
        return Section(text + _figure(fig, f"Source: {self.ep_label}, table 1.2.")
                       + note("Projections are rounded estimates; BLS advises reading them for direction and "
                              "relative size, not as exact values."))

    def openings(self) -> Section:
        r = self.row
        f = self.facts
        text = (f"<p>About <strong>{esc(people(f['openings_per_year']))}</strong> openings a year are projected "
                f"on average over {esc(self.vintage)}: {f['openings_per_100_jobs']:.1f} for every 100 "
                f"jobs in {r['base_year']} (all occupations: "
                f"{esc(self._all_openings_rate())}).</p>")
        if not store.has_table("separations", self.paths):
            return Section(text)
        seps = store.table("separations", self.paths)
        s = seps[(seps["vintage"] == self.vintage) & (seps["soc_code"] == self.soc_code)]
        if s.empty:
            return Section(text + note(f"The {self.vintage} release on hand has no table 1.10, so openings "
                                       "cannot be split into growth, exits and transfers."))
        s = s.iloc[0]
        parts = {k: s[k] for k in charts.PARTS}
        fig = charts.openings_bars(parts, float(s["openings_per_year"]),
                                   f"Where the {int(s['openings_per_year']):,} openings a year come from")
        detail = table(pd.DataFrame([
            ("Labor force exits (retirements and others leaving work)",
             people(s["labor_force_exits_per_year"]), f"{s['labor_force_exit_rate_percent']:.1f}%"),
            ("Occupational transfers (moving to other occupations)",
             people(s["occupational_transfers_per_year"]), f"{s['occupational_transfer_rate_percent']:.1f}%"),
            ("Growth (openings minus exits and transfers)", people(s["growth_openings_per_year"]), ""),
            ("Total openings", people(s["openings_per_year"]), ""),
        ], columns=["Component", "A year", "Rate"]), numeric={"A year", "Rate"})
        return Section(text + _figure(fig, f"Source: {self.ep_label}, table 1.10 (annual averages).") + detail
                       + note(f"Growth is openings minus exits and transfers, so the three parts add up to the "
                              f"published total. Rates are a share of the average of {r['base_year']} and "
                              f"{r['projected_year']} employment, as BLS publishes them; the openings per 100 "
                              f"jobs above are per {r['base_year']} job."))

    def _all_openings_rate(self) -> str:
        t = self._group("00-0000")
        return f"{100 * t['openings_per_year'] / t['employment_base_people']:.1f}" if t is not None else "—"

    def pay(self) -> Section:
        o = self._oews(self.soc_code)
        if o is None:
            return Section(note(f"OEWS May {self.wage_year} publishes no national wage estimate for SOC "
                                f"{self.soc_code}; the projections' median ({money(self.row['median_wage_usd'])}, "
                                f"{self.row['wage_year']}) is shown in the quick facts."))
        unit = "year" if not o["hourly_only"] else "hour"
        kind = "annual" if unit == "year" else "hourly"
        pcts = pd.DataFrame([(lab, o[f"{kind}_{key}_usd"], bool(o[f"{kind}_{key}_usd_top_coded"]))
                             for lab, key in PERCENTILES], columns=["label", "value_usd", "top_coded"])
        allm = self._oews("00-0000")
        all_median = None if allm is None else allm[f"{kind}_median_usd"]
        fig = charts.pay_range(pcts, all_median, f"Pay percentiles, May {self.wage_year} ({kind})", unit)
        rows = pd.DataFrame(
            [(lab, money(o[f"annual_{k}_usd"], o[f"annual_{k}_usd_top_coded"]),
              money(o[f"hourly_{k}_usd"], o[f"hourly_{k}_usd_top_coded"], cents=True)) for lab, k in PERCENTILES]
            + [("Mean", money(o["annual_mean_usd"], o["annual_mean_usd_top_coded"]),
                money(o["hourly_mean_usd"], o["hourly_mean_usd_top_coded"], cents=True))],
            columns=["Percentile", "Annual", "Hourly"])
        notes = []
        if o["annual_only"]:
            notes.append("BLS publishes only annual wages for this occupation (e.g. school-year jobs); hourly "
                         "wages are not published.")
        if o["hourly_only"]:
            notes.append("BLS publishes only hourly wages for this occupation (work is often not year-round); "
                         "annual wages are not published.")
        if pcts["top_coded"].any():
            notes.append("“At least” marks BLS's top code: the true value is at or above $239,200 a year "
                         "($115.00 an hour).")
        return Section(_figure(fig, f"Source: {OEWS_SOURCE}, May {self.wage_year}, national, cross-industry.")
                       + table(rows, numeric={"Annual", "Hourly"})
                       + "".join(note(n) for n in notes)
                       + note(f"Ten percent of workers earn less than the 10th percentile and ten percent more than "
                              f"the 90th. All-occupations median: {money(all_median, cents=unit == 'hour')}."))

    def states(self) -> Section:
        if self.wages is None or self.oews_states.empty:
            return Section(note("No OEWS state estimates are on hand for this occupation."))
        s = self.oews_states
        # Hourly-only occupations (e.g. actors): no state has an annual median, some have an hourly one.
        hourly = bool(s["annual_median_usd"].isna().all() and s["hourly_median_usd"].notna().any())
        col = "hourly_median_usd" if hourly else "annual_median_usd"
        vals = s[["state_code", col]].rename(columns={col: "value"})
        fmt = (lambda v: f"${v:,.2f}") if hourly else (lambda v: f"${v / 1000:,.0f}k")
        fig = charts.state_tiles(vals, f"Median {'hourly' if hourly else 'annual'} pay by state, May "
                                       f"{self.wage_year}", fmt=fmt, focus=self.state,
                                 legend="darker = higher pay; n/a = not published")
        lq = s[["state_code", "location_quotient"]].rename(columns={"location_quotient": "value"})
        fig2 = charts.state_tiles(lq, f"Concentration of jobs by state (location quotient), May {self.wage_year}",
                                  fmt=lambda v: f"{v:.2f}", focus=self.state,
                                  legend="1.00 = the national share; above 1 = more concentrated")

        def top(by: str, n: int = 5) -> str:
            t = s.dropna(subset=[by]).nlargest(n, by)
            return table(pd.DataFrame({
                "State": t["area_title"], "Jobs": [people(v) for v in t["employment_people"]],
                "Median pay": [money(v, c, cents=hourly) for v, c in zip(t[col], t[f"{col}_top_coded"],
                                                                          strict=True)],
                "Location quotient": [f"{v:.2f}" if not missing(v) else "—" for v in t["location_quotient"]],
            }), numeric={"Jobs", "Median pay", "Location quotient"})

        parts = [_figure(fig, f"Source: {OEWS_SOURCE}, May {self.wage_year}, state estimates."),
                 '<div class="two-col"><div><h4>Top-paying states</h4>' + top(col) + "</div>"
                 "<div><h4>Highest concentration of jobs</h4>" + top("location_quotient") + "</div></div>",
                 _figure(fig2, f"Source: {OEWS_SOURCE}, May {self.wage_year}.")]
        if self.state:
            parts.insert(0, self._state_vs_nation(col, hourly))
        return Section("".join(parts))

    def _state_vs_nation(self, col: str, hourly: bool) -> str:
        st = self.oews_states[self.oews_states["state_code"] == self.state]
        nat = self._oews(self.soc_code)
        if st.empty:
            return note(f"OEWS publishes no estimate for this occupation in {self.state}.")
        st = st.iloc[0]
        kind = "hourly" if hourly else "annual"
        rows = [("Jobs", people(st["employment_people"]), people(nat["employment_people"]) if nat is not None else "—")]
        for lab, k in PERCENTILES:
            c = f"{kind}_{k}_usd"
            rows.append((f"{lab} pay", money(st[c], st[f"{c}_top_coded"], cents=hourly),
                         money(nat[c], nat[f"{c}_top_coded"], cents=hourly) if nat is not None else "—"))
        per_1000 = st["jobs_per_1000"]
        rows.append(("Jobs per 1,000 jobs", "—" if missing(per_1000) else f"{per_1000:.2f}", ""))
        rows.append(("Location quotient", f"{st['location_quotient']:.2f}" if not missing(st["location_quotient"])
                     else "—", "1.00"))
        rank = self.oews_states[col].rank(ascending=False, method="min")[st.name]
        df = pd.DataFrame(rows, columns=["", st["area_title"], "United States"])
        return (f"<h3>{esc(st['area_title'])} against the nation</h3>"
                + table(df, numeric={st["area_title"], "United States"})
                + note(f"{st['area_title']} ranks #{int(rank)} of {self.oews_states[col].notna().sum()} areas "
                       f"for median pay in this occupation (May {self.wage_year})." if not missing(rank) else ""))

    def releases(self) -> Section:
        hist = self.proj[(self.proj["soc_code"] == self.soc_code)].sort_values("base_year")
        vint = store.table("vintages", self.paths).set_index("vintage")
        rows = hist.assign(all_change_percent=hist["vintage"].map(vint["all_occupations_change_percent"]))
        fig = charts.releases_lines(rows, "How BLS's projection for this occupation changed between releases")
        tbl = pd.DataFrame({
            "Release": rows["vintage"],
            "Jobs (base year)": [f"{people(e)} ({y})" for e, y in zip(rows["employment_base_people"],
                                                                      rows["base_year"], strict=True)],
            "Change": [percent(v) for v in rows["change_percent"]],
            "All occupations": [percent(v) for v in rows["all_change_percent"]],
            "Openings a year": [people(v) for v in rows["openings_per_year"]],
            "Median pay": [f"{money(w, t)} ({y})" for w, t, y in zip(rows["median_wage_usd"],
                                                                   rows["median_wage_top_coded"],
                                                                   rows["wage_year"], strict=True)],
            "Wording": [w if isinstance(w, str) else "not on hand" for w in rows["outlook_label"]],
        })
        missing_v = sorted(set(vint.index) - set(rows["vintage"]))
        extra = note(f"Not in release(s) {', '.join(missing_v)} under this code (codes change between "
                     "releases).") if missing_v else ""
        return Section(_figure(fig, f"Source: {EP_SOURCE}, releases {', '.join(rows['vintage'])}.")
                       + table(tbl, numeric={"Jobs (base year)", "Change", "All occupations", "Openings a year",
                                             "Median pay"}) + extra
                       + note("Each release re-estimates the base year and the ten years ahead; differences "
                              "between releases are revisions of rounded projections, not measured changes. "
                              "The 2022–32 figures come from BLS's data-tool export, whose pay is for May 2023."))

    def similar(self) -> Section:
        r = self.row
        group_code = r["minor_group_code"] if not missing(r["minor_group_code"]) else r["major_group_code"]
        group = self._group(group_code)
        peers = self.same_vintage[(self.same_vintage["soc_level"] == "detailed")
                                  & (self.same_vintage["minor_group_code" if group_code == r["minor_group_code"]
                                                       else "major_group_code"] == group_code)]
        peers = peers.sort_values("openings_per_year", ascending=False)
        gname = group["title"] if group is not None else group_code
        fig = charts.growth_pay_scatter(peers, self.soc_code, f"{gname}: growth against pay (size = openings)",
                                        r["all_occupations_change_percent"],
                                        self._group("00-0000")["median_wage_usd"])
        tbl = pd.DataFrame({
            "Occupation": [("▶ " if c == self.soc_code else "") + t for c, t in zip(peers["soc_code"],
                                                                                 peers["title"], strict=True)],
            "SOC": peers["soc_code"],
            "Growth": [percent(v) for v in peers["change_percent"]],
            "Openings a year": [people(v) for v in peers["openings_per_year"]],
            "Median pay": [money(w, t) for w, t in zip(peers["median_wage_usd"], peers["median_wage_top_coded"],
                                                       strict=True)],
            "Entry education": peers["education"].fillna("—"),
        })
        undrawn = peers[peers[["change_percent", "median_wage_usd"]].isna().any(axis=1)]
        names = [t + (" (this occupation)" if c == self.soc_code else "")
                 for c, t in zip(undrawn["soc_code"], undrawn["title"], strict=True)]
        left_out = (f" Not drawn, as BLS publishes no annual median pay for them: {'; '.join(names)}."
                    if names else "")
        return Section(f"<p>The {len(peers)} detailed occupations of the SOC group "
                       f"<strong>{esc(gname)}</strong> ({esc(group_code)}), {esc(self.vintage)}:</p>"
                       + _figure(fig, f"Source: {self.ep_label}, table 1.2; pay is the May {r['wage_year']} "
                                      "median. Dashed lines: all-occupations change and median pay." + left_out)
                       + table(tbl, numeric={"SOC", "Growth", "Openings a year", "Median pay"}, long=True))

    def work(self) -> Section:
        """Curated, cited facts when we have them; otherwise highlights derived from the numbers."""
        cur = store.table("careers", self.paths) if store.has_table("careers", self.paths) else pd.DataFrame()
        mine = cur[cur["soc_code"] == self.soc_code] if not cur.empty else cur
        if mine.empty:
            return Section(highlights.render(highlights.derive(self.facts, self._job_zone())))
        return Section(_curated_html(mine))

    def _job_zone(self):
        return self.facts.get("job_zone")

    # -- O*NET: the work itself ----------------------------------------------------------------
    def _onet(self, name: str) -> pd.DataFrame:
        if not store.has_table(name, self.paths):
            return pd.DataFrame()
        t = store.table(name, self.paths)
        return t[t["soc_code"] == self.soc_code]

    def _onet_row(self) -> pd.Series | None:
        occ = self._onet("onet_occupations")
        if occ.empty or occ.iloc[0]["match_rule"] == "none":
            return None
        return occ.iloc[0]

    def _attribution(self) -> str:
        occ = self._onet("onet_occupations")
        release = occ.iloc[0]["onet_release"] if not occ.empty else onet.DEFAULT_RELEASE
        return f'<p class="attribution">{esc(onet.attribution(release))}</p>'

    def _no_onet(self) -> Section:
        return Section(note(f"O*NET has no occupation matching SOC {self.soc_code}, so no description, tasks "
                            "or titles can be shown. The figures in this report are BLS's."))

    def what_they_do(self) -> Section:
        """O*NET's description and tasks (core first where rated) and the titles workers use."""
        o = self._onet_row()
        if o is None:
            return self._no_onet()
        tasks = self._onet("onet_tasks").sort_values("task_order")
        rating = {"rated": "Core tasks first, then supplemental ones, as rated by workers in O*NET's survey.",
                  "unrated": "O*NET's analysts wrote these tasks; workers have not yet rated them core or "
                             "supplemental.",
                  "none": "O*NET lists no task statements for this occupation."}[o["task_rating"]]
        items = "".join(
            f"<li>{esc(t.task)}{' <span class=badge>core</span>' if t.task_type == 'Core' else ''}</li>"
            for t in tasks.drop_duplicates("task").head(20).itertuples())
        more = (note(f"Showing 20 of {tasks['task'].nunique()} tasks.") if tasks["task"].nunique() > 20 else "")
        aggregate = (note(f"BLS code {self.soc_code} combines several O*NET occupations: {o['match_note']}.")
                     if o["match_rule"] == "aggregate" else "")
        titles = self._onet("onet_titles").sort_values("title_rank")
        reported = titles[titles["kind"] == "reported"]["title"].drop_duplicates().tolist()
        alternate = [t for t in titles[titles["kind"] == "alternate"]["title"].drop_duplicates()
                     if t not in reported][:15]
        also = ""
        if reported or alternate:
            also = ("<h3>Also called</h3>"
                    + (f"<p><strong>Titles workers report:</strong> {esc('; '.join(reported))}</p>" if reported
                       else "")
                    + (f"<p><strong>Other titles:</strong> {esc('; '.join(alternate))}</p>" if alternate else ""))
        return Section(f"<p>{esc(o['description'])}</p>{aggregate}<h3>Tasks</h3>"
                       f"<p class='note'>{esc(rating)}</p><ul class='tasks'>{items}</ul>{more}{also}"
                       + self._attribution())

    def tools(self) -> Section:
        """Software and tools workers use, hot technologies first."""
        if self._onet_row() is None:
            return self._no_onet()
        tech = self._onet("onet_technology").drop_duplicates("example")
        if tech.empty:
            return Section(note("O*NET lists no technology for this occupation.") + self._attribution())
        hot = tech[tech["hot_technology"]]["example"].tolist()
        by_kind = (tech.groupby("commodity_title", sort=False)["example"]
                   .agg(lambda s: "; ".join(s.head(6))).head(10))
        rows = pd.DataFrame({"Kind": by_kind.index, "Examples": by_kind.values})
        hot_html = (f"<p><strong>Hot technologies</strong> (frequently in employers' job postings): "
                    f"{esc('; '.join(hot[:20]))}</p>" if hot else "")
        return Section(hot_html + table(rows, long=True) + note(f"{len(tech)} technologies listed in all.")
                       + self._attribution())

    def preparation(self) -> Section:
        """BLS's entry requirements beside O*NET's job zone and, where surveyed, required education."""
        f = self.facts
        bls = table(pd.DataFrame([("Typical entry-level education", f["education"] or "—"),
                                  ("Work experience in a related occupation", f["experience"] or "—"),
                                  ("Typical on-the-job training", f["training"] or "—")],
                                 columns=["BLS, " + self.vintage, ""]))
        o = self._onet_row()
        if o is None:
            return Section(bls + self._no_onet().html)
        zone = ""
        if not missing(o["job_zone"]):
            zone = (f'<div class="zone"><p class="badge">O*NET job zone {int(o["job_zone"])} of 5: '
                    f'{esc(o["job_zone_name"])}</p><p><strong>Education:</strong> {esc(o["job_zone_education"])}'
                    f'</p><p><strong>Experience:</strong> {esc(o["job_zone_experience"])}</p>'
                    f'<p><strong>Training:</strong> {esc(o["job_zone_training"])}</p></div>')
        else:
            zone = note("O*NET assigns no job zone to this occupation.")
        edu = self._onet("onet_education")
        edu = edu[edu["is_primary"] & (edu["recommend_suppress"] != True)]  # noqa: E712 (nullable)
        chart = ""
        shown = edu[edu["percent"] >= 1].sort_values("category")
        if not shown.empty and edu["onet_soc_code"].nunique() == 1:
            # O*NET's labels carry a definition after " - " or " (": the name alone fits a chart axis.
            shown = shown.assign(label=shown["category_label"].str.split(r" - | \(", regex=True).str[0])
            fig = charts.share_bars(shown[["label", "percent"]],
                                    "Education workers say the job requires (O*NET survey)")
            chart = _figure(fig, "Source: O*NET, Education, Training, and Experience (scale RL); "
                                 "categories under 1% left out.")
        else:
            chart = note("O*NET has no usable survey data on required education for this occupation (none yet, "
                         "or every category below 1%).")
        return Section(bls + zone + chart + self._attribution())

    def sources(self) -> Section:
        src = store.table("sources", self.paths)
        used = src[src["dataset"].isin(["bls-ep", "bls-oews"])]
        rows = pd.DataFrame({
            "File": used["path"], "Release": used["release"], "URL": used["url"],
            "sha256 (first 12)": [s[:12] for s in used["sha256"]],
        })
        retrieved = dt.date.fromisoformat(str(self.vintage_info["source_sha256"] and
                                              used.iloc[0]["retrieved_on"]))
        citation = (f"Bureau of Labor Statistics, U.S. Department of Labor, Employment Projections, "
                    f"“Occupational projections, {self.vintage}” (tables 1.2 and 1.10), {self.title}, at "
                    f"https://www.bls.gov/emp/tables.htm (visited {retrieved:%B %-d, %Y}); and Occupational "
                    f"Employment and Wage Statistics, May {self.wage_year}, at https://www.bls.gov/oes/ .")
        man = store.processed_manifest(self.paths)
        params = (f"soc_code={self.soc_code}, vintage={self.vintage}, state={self.state or 'none (national)'}; built "
                  f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by career-outlook "
                  f"{man.get('code_version', {}).get('package', '?')} (data code "
                  f"{man.get('code_version', {}).get('sha256', '?')[:12]}) from data/processed.")
        obtained = "; ".join(f"{Path(r.path).name}: {r.retrieved_from}" for r in used.itertuples())
        # The back matter prints as one block: split, its last two lines often made a page of their own.
        return Section(table(rows, caption="Source files (data/raw)", classes=("sources",))
                       + '<div class="back-matter">' + note(f"How each file was obtained: {obtained}.")
                       + f'<p class="citation">{esc(citation)}</p>'
                       + note("BLS data are in the public domain. Curated facts cite their source; highlights "
                              "marked as derived are computed by career-outlook from the BLS figures.")
                       + note("Parameters: " + params) + self._attribution() + "</div>")


def _curated_html(rows: pd.DataFrame) -> str:
    srcs = rows.drop_duplicates("source_id").reset_index(drop=True)
    num = {sid: i + 1 for i, sid in enumerate(srcs["source_id"])}

    def cite(r) -> str:
        return f'<sup class="cite">[{num[r.source_id]}]</sup>'

    def items(section: str) -> list:
        return list(rows[rows["section"] == section].sort_values("position").itertuples())

    out = ['<div class="curated">']
    for r in items("summary"):
        out.append(f"<p>{esc(r.text)}{cite(r)}</p>")
    if items("roles"):
        out.append('<h3>The roles</h3><div class="two-col">')
        out += [f"<div><h4>{esc(r.heading)}</h4><p>{esc(r.text)}{cite(r)}</p></div>" for r in items("roles")]
        out.append("</div>")
    if items("entry_path"):
        out.append("<h3>How people get in</h3><ul>")
        out += [f"<li>{esc(r.text)}{cite(r)}</li>" for r in items("entry_path")]
        out.append("</ul>")
    if items("pros") or items("cons"):
        out.append('<div class="pros-cons"><div class="pros"><h3>Pros</h3><ul>')
        out += [f"<li>{esc(r.text)}{cite(r)}</li>" for r in items("pros")]
        out.append('</ul></div><div class="cons"><h3>Cons</h3><ul>')
        out += [f"<li>{esc(r.text)}{cite(r)}</li>" for r in items("cons")]
        out.append("</ul></div></div>")
    if items("figures"):
        out.append("<h4>Figures the source gives</h4><ul class='figures'>")
        out += [f"<li>{esc(r.heading)}: {esc(r.value if hasattr(r, 'value') else r.text)}{cite(r)}</li>"
                for r in items("figures")]
        out.append("</ul>")
    out.append("<ol class='sources'>")
    for s in srcs.itertuples():
        extra = ". ".join(esc(x) for x in (s.source_publisher, s.source_note) if isinstance(x, str))
        out.append(f"<li>“{esc(s.source_title)}”. {extra}</li>")
    out.append("</ol>")
    out.append(note("Curated facts: written in our own words from the cited source; the figures are the "
                    "source's, for the years it names."))
    out.append("</div>")
    return "".join(out)


PRELOADED_TABLES = ("projections", "vintages", "separations", "wages", "careers", "sources", "onet_occupations",
                    "onet_tasks", "onet_titles", "onet_technology", "onet_education")


def preload(p: Paths | None = None) -> None:
    """Read the processed tables into the process-wide cache (a warm kernel does this once, before any
    report: the tables are read-only inputs, so what a report shows cannot depend on this)."""
    p = p or project()
    for name in PRELOADED_TABLES:
        if store.has_table(name, p):
            store.table(name, p)
    import matplotlib.figure  # noqa: F401  (the charts' import cost, paid once)
