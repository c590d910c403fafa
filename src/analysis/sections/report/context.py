"""What every section of a career report reads: the validated parameters and the occupation's rows.

In: ``soc_code``, ``vintage``, ``state`` (checked here, before anything else runs, with one-line errors
naming the bad parameter). Out: a :class:`ReportContext` holding the occupation's projections row and
quick facts, the same-vintage rows of its groups, the latest OEWS national and state rows, and accessors
for its O*NET rows. Sections are functions of it (:mod:`.facts`, :mod:`.outlook`, :mod:`.pay`,
:mod:`.work`, :mod:`.back`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.ingest import onet
from analysis.paths import Paths, project
from analysis.sections.formatting import esc, note
from analysis.sections.section import EP_SOURCE, Section
from analysis.tables import store
from analysis.values import missing


@dataclass
class ReportContext:
    """One occupation, one projections vintage, optionally one state."""

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

    def group_row(self, code) -> pd.Series | None:
        """The same-vintage projections row of ``code`` (a group, or the all-occupations total)."""
        if missing(code):
            return None
        g = self.same_vintage[self.same_vintage["soc_code"] == code]
        return None if g.empty else g.iloc[0]

    def oews_row(self, code: str) -> pd.Series | None:
        """The latest national OEWS row of ``code``, or None when BLS publishes none."""
        if self.wages is None or code not in self.oews_nat.index:
            return None
        return self.oews_nat.loc[code]

    def onet_rows(self, name: str) -> pd.DataFrame:
        """This occupation's rows of O*NET table ``name`` (empty when the table is not built)."""
        if not store.has_table(name, self.paths):
            return pd.DataFrame()
        t = store.table(name, self.paths)
        return t[t["soc_code"] == self.soc_code]

    def onet_row(self) -> pd.Series | None:
        """The occupation's ``onet_occupations`` row, or None when O*NET has no match."""
        occ = self.onet_rows("onet_occupations")
        if occ.empty or occ.iloc[0]["match_rule"] == "none":
            return None
        return occ.iloc[0]

    def attribution(self) -> str:
        """O*NET's credit line, for its release, as HTML."""
        occ = self.onet_rows("onet_occupations")
        release = occ.iloc[0]["onet_release"] if not occ.empty else onet.DEFAULT_RELEASE
        return f'<p class="attribution">{esc(onet.attribution(release))}</p>'

    def no_onet(self) -> Section:
        """What an O*NET section says when O*NET has no matching occupation."""
        return Section(note(f"O*NET has no occupation matching SOC {self.soc_code}, so no description, tasks "
                            "or titles can be shown. The figures in this report are BLS's."))

    def job_zone(self):
        """O*NET's job zone (1-5), or None."""
        return self.facts.get("job_zone")
