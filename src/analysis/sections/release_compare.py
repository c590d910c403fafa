"""Two releases of the projections compared: the sections of ``notebooks/release_changes.ipynb``.

In: two vintages on hand (``old`` may be 'previous', ``new`` 'latest') and how many of the largest revisions
to show. Out: displayable sections (HTML with inline SVG); every figure names its release and source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analysis.paths import Paths, project
from analysis.sections import charts
from analysis.sections.formatting import esc, note, short, source_line, table
from analysis.sections.parameters import NOT_A_PARAMETER, ReleaseChangesParameters
from analysis.sections.section import EP_SOURCE, Section, figure
from analysis.tables import changes, store
from analysis.values import fixed, missing, money, people, percent


def _measure_format(name: str):
    if "percent" in name:
        return lambda v: percent(v)
    if "wage" in name or "usd" in name:
        return lambda v: money(v)
    if "year" in name or "count" in name:
        return lambda v: "—" if missing(v) else str(int(v))
    return lambda v: people(v)


MEASURE_NAMES = {"change_percent": "Projected change, all occupations", "employment_base": "Jobs in the base year",
                 "employment_projected": "Jobs in the projected year", "openings": "Openings a year",
                 "openings_per_year": "Openings a year", "median_wage": "Median pay",
                 "median_wage_usd": "Median pay", "detailed_count": "Detailed occupations",
                 "base_year": "Base year", "projected_year": "Projected year", "wage_year": "Pay year"}


@dataclass
class ReleaseComparison(ReleaseChangesParameters):
    """Two releases of the projections: what BLS revised (uses :mod:`analysis.tables.changes`)."""

    paths: Paths = field(default_factory=project, metadata=NOT_A_PARAMETER)

    def __post_init__(self):
        self.check(self.paths)  # the notebook's parameter model (sections/parameters.py)
        self.changes = changes.compare(self.old, self.new, self.paths)
        self.summary = changes.summary(self.old, self.new, self.paths, top=self.top)
        self.label = f"{EP_SOURCE}, releases {self.old} and {self.new}"

    def header(self) -> Section:
        return Section('<div class="report-title"><p class="kicker">Between two releases</p>'
                       f"<h1>What changed: Employment Projections {esc(self.old)} → {esc(self.new)}</h1>"
                       f'<p class="subtitle">{len(self.changes)} detailed occupations in both releases · the '
                       f"{self.top} largest revisions each way</p></div>")

    def overall(self) -> Section:
        a = self.summary["all_occupations"]
        measures = list(dict.fromkeys(k[:-4] for k in a if k.endswith(("_old", "_new"))))
        rows = []
        for m in measures:
            fmt = _measure_format(m)
            o, n = a.get(f"{m}_old"), a.get(f"{m}_new")
            delta = "—"
            if not (missing(o) or missing(n)) and isinstance(o, int | float) and "year" not in m:
                delta = (f"{fixed(n - o, 1, sign=True)} points" if "percent" in m
                         else f"{fixed(100 * (n - o) / o, 1, sign=True)}%" if o else "—")
            rows.append((MEASURE_NAMES.get(m, m.replace("_", " ")), fmt(o), fmt(n), delta))
        df = pd.DataFrame(rows, columns=["All occupations", self.old, self.new, "Change"])
        co, cn = a.get("change_percent_old"), a.get("change_percent_new")
        text = ""
        if not (missing(co) or missing(cn)):
            text = (f"<p>BLS projected all occupations to grow {esc(percent(co))} over {esc(self.old)} and "
                    f"{esc(percent(cn))} over {esc(self.new)}: {fixed(cn - co, 1, sign=True)} percentage points.</p>")
        computed = [v for v, yes in self.summary.get("all_occupations_computed", {}).items() if yes]
        if computed:
            text += note(f"The {', '.join(computed)} all-occupations figures are computed by adding up the "
                         "detailed occupations (that release has no published total row).")
        return Section(text + table(df, "All occupations in the two releases", numeric={self.old, self.new, "Change"})
                       + source_line(f"Source: {self.label}, table 1.2 (total, all occupations)."))

    def _revisions(self, up: pd.DataFrame, down: pd.DataFrame, col: str, title: str, fmt, cols: dict) -> str:
        both = pd.concat([up, down]).drop_duplicates("soc_code")
        both = both.sort_values(col, ascending=False)
        svg = charts.hbars_svg([short(t, 44) for t in both["title"]], list(both[col]), [v > 0 for v in both[col]],
                               title, fmt=fmt, tick_fmt=lambda v: fmt(v) if v else "0", names=list(both["title"]))
        tbl = pd.DataFrame({"Occupation": both["title"], "SOC": both["soc_code"]}
                           | {name: [f(v) for v in both[c]] for name, (c, f) in cols.items()})
        return (figure(svg, f"Source: {self.label}, table 1.2.")
                + table(tbl, title, numeric=set(tbl.columns) - {"Occupation"}, long=True))

    def growth(self) -> Section:
        s = self.summary
        html = self._revisions(
            s["growth_up"], s["growth_down"], "change_delta_points",
            f"Largest revisions of projected growth, {self.old} → {self.new} (percentage points)",
            lambda v: fixed(v, 1, sign=True), {f"Growth {self.old}": ("change_percent_old", percent),
                                    f"Growth {self.new}": ("change_percent_new", percent),
                                    "Revision (points)": ("change_delta_points", lambda v: fixed(v, 1, sign=True))})
        return Section(html + note("Each release projects a different ten years from a different base year, so "
                                   "a revision mixes new data, new methods and a shifted period."))

    def openings(self) -> Section:
        s = self.summary
        html = self._revisions(
            s["openings_up"], s["openings_down"], "openings_delta",
            f"Largest revisions of openings a year, {self.old} → {self.new}",
            lambda v: f"{v:+,.0f}", {f"Openings {self.old}": ("openings_old", people),
                                     f"Openings {self.new}": ("openings_new", people),
                                     "Revision": ("openings_delta", lambda v: f"{v:+,.0f}"),
                                     "Revision %": ("openings_delta_percent", lambda v: percent(v))})
        return Section(html)

    def wording(self) -> Section:
        lc = self.summary["label_changes"]
        c = self.changes
        unknown = [v for v, col in ((self.old, "outlook_label_old"), (self.new, "outlook_label_new"))
                   if c[col].isna().all()]
        if unknown:
            return Section(note(f"BLS's growth wording for {' and '.join(unknown)} is not on hand (its cut-offs for "
                                "that release are not in data/reference), so wording cannot be compared; the "
                                "revisions of the percentages above still show what moved."))
        if lc.empty:
            return Section(note("No occupation's growth wording changed between these releases."))
        total = len(lc)
        lc = lc.reindex(lc["change_delta_points"].abs().sort_values(ascending=False, kind="mergesort").index)
        lc = lc.head(3 * self.top)
        tbl = pd.DataFrame({
            "Occupation": lc["title"], "SOC": lc["soc_code"],
            self.old: [f"{percent(v)} {w}" for v, w in zip(lc["change_percent_old"], lc["outlook_label_old"],
                                                             strict=True)],
            self.new: [f"{percent(v)} {w}" for v, w in zip(lc["change_percent_new"], lc["outlook_label_new"],
                                                             strict=True)],
        })
        shown = f"Showing {len(lc)} of {total} occupations whose wording changed." if total > len(lc) else \
            f"All {total} occupations whose wording changed."
        return Section("<p>BLS words each occupation's growth against the all-occupations average of its release "
                       "(“Much faster than average”, “Decline” …), so wording can change when the average moves "
                       "even if the occupation's own projection does not.</p>"
                       + table(tbl, "Occupations whose growth wording changed", numeric={"SOC"}) + note(shown)
                       + source_line(f"Source: {self.label}; wording per BLS's cut-offs for each release."))

    def coverage(self) -> Section:
        s = self.summary
        parts = []
        for key, words in (("added", f"new in {self.new}"), ("removed", f"not in {self.new}")):
            codes = list(s.get(key) or [])
            parts.append(f"<p><strong>{len(codes)} occupation code(s) {esc(words)}</strong>"
                         + (f": {esc('; '.join(map(str, codes[:40])))}" + ("…" if len(codes) > 40 else "")
                            if codes else ".") + "</p>")
        return Section("".join(parts) + note("Codes can be split, merged or renamed between releases; such "
                                             "occupations are not compared above."))

    def sources(self) -> Section:
        v = store.table("vintages", self.paths).set_index("vintage")
        rows = pd.DataFrame([(x, v.loc[x, "release"], v.loc[x, "source_file"], v.loc[x, "source_sha256"][:16] + "…")
                             for x in (self.old, self.new)], columns=["Vintage", "Release", "File", "sha256"])
        return Section(table(rows, "Source files (data/raw)", show_caption=True)
                       + note(f"Parameters: old={self.old}, new={self.new}, top={self.top}; built "
                              f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC from data/processed."))
