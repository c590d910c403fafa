"""What every section of a career report reads: the validated parameters and the occupation's rows.

In: ``soc_code``, ``vintage``, ``state``, ``area`` (checked first by the notebook's parameter model,
:class:`~analysis.sections.parameters.CareerReportParameters`, with one-line errors naming the bad parameter; an
area implies its primary state). Out: a :class:`ReportContext` holding the
occupation's projections row and quick facts, the same-vintage rows of its groups, the latest OEWS national,
state and area rows, and accessors for its O*NET rows. Sections are functions of it (:mod:`.facts`,
:mod:`.outlook`, :mod:`.pay`, :mod:`.areas`, :mod:`.industries`, :mod:`.work`, :mod:`.back`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.ingest import onet
from analysis.paths import Paths, project
from analysis.sections.formatting import esc, note
from analysis.sections.parameters import NOT_A_PARAMETER, CareerReportParameters
from analysis.sections.section import EP_SOURCE, Section
from analysis.tables import places, store
from analysis.values import missing


@dataclass
class ReportContext(CareerReportParameters):
    """One occupation, one projections vintage, optionally one state, or one metropolitan or nonmetropolitan
    area (``area_info``: its code, title, type and primary state) and the state it lies in."""

    paths: Paths = field(default_factory=project, metadata=NOT_A_PARAMETER)

    def __post_init__(self):
        p = self.paths
        self.check(p)  # the notebook's parameter model: the same checks the CLI ran before the kernel started
        self.proj = store.table("projections", p)
        self.row = store.occupation(self.soc_code, self.vintage, p)
        self.facts = store.quick_facts(self.soc_code, self.vintage, p)
        self.vintage_info = store.table("vintages", p).set_index("vintage").loc[self.vintage]
        self.same_vintage = self.proj[self.proj["vintage"] == self.vintage]
        self.wages = store.table("wages", p) if store.has_table("wages", p) else None
        if self.wages is not None:
            self.wage_year = places.wage_year(None, p)
            # Indexes built once per process (a warm kernel's preload), not a scan of every row per report.
            self.oews_nat = places.national(p, self.wage_year)
            here = places.occupation_rows(self.soc_code, p, self.wage_year)
            self.oews_states = here[here["area_type"] == 2]
            self.oews_local = here[here["area_type"].isin(places.LOCAL_TYPES)]  # metro and nonmetro areas
        self.title = self.row["title"]
        self.ep_label = f"{EP_SOURCE}, {self.vintage}"

    def group_row(self, code) -> pd.Series | None:
        """The same-vintage projections row of ``code`` (a group, or the all-occupations total)."""
        if missing(code):
            return None
        g = store.rows_for("projections", "soc_code", code, self.paths)
        g = g[g["vintage"] == self.vintage]
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
        return store.rows_for(name, "soc_code", self.soc_code, self.paths)

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
