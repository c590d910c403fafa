"""The career report the notebook ``notebooks/career_report.ipynb`` builds: one method per section.

In: parameters (``soc_code``, ``vintage``, ``state``), validated by :class:`ReportContext` before anything
else runs. Out: displayable sections (HTML with inline SVG charts). Every figure is labelled with its year
or vintage and its source; every text from a data file is escaped. The sections themselves are functions
in :mod:`.facts`, :mod:`.outlook`, :mod:`.pay`, :mod:`.areas`, :mod:`.industries`, :mod:`.work`, :mod:`.person`,
:mod:`.related` and :mod:`.back`.
"""

from __future__ import annotations

from analysis.paths import Paths, project
from analysis.sections.report import areas, back, facts, glossary, industries, outlook, pay, person, related, work
from analysis.sections.report.context import ReportContext
from analysis.sections.report.reads import TABLES
from analysis.sections.section import Section
from analysis.tables import places, store


class CareerReport(ReportContext):
    """One occupation, one projections vintage, optionally one state: ``CareerReport("29-2072")``."""

    def header(self) -> Section:
        return facts.header(self)

    def quick_facts(self) -> Section:
        return facts.quick_facts(self)

    def outlook(self) -> Section:
        return outlook.outlook(self)

    def openings(self) -> Section:
        return outlook.openings(self)

    def pay(self) -> Section:
        return pay.pay(self)

    def states(self) -> Section:
        return areas.states(self)

    def metros(self) -> Section:
        return areas.metros(self)

    def industries(self) -> Section:
        return industries.industries(self)

    def releases(self) -> Section:
        return outlook.releases(self)

    def related(self) -> Section:
        return related.related(self)

    def suits(self) -> Section:
        return person.suits(self)

    def skills(self) -> Section:
        return person.skills(self)

    def work(self) -> Section:
        return work.work(self)

    def what_they_do(self) -> Section:
        return work.what_they_do(self)

    def tools(self) -> Section:
        return work.tools(self)

    def preparation(self) -> Section:
        return work.preparation(self)

    def glossary(self) -> Section:
        return glossary.glossary(self)

    def sources(self) -> Section:
        return back.sources(self)


def preload(p: Paths | None = None) -> None:
    """Read the processed tables into the process-wide cache (a warm kernel does this once, before any
    report: the tables are read-only inputs, so what a report shows cannot depend on this). The tables are those
    :mod:`.reads` declares, the same the catalogue's fingerprint digests."""
    p = p or project()
    for name in TABLES:
        if store.has_table(name, p):
            store.table(name, p)
    if store.has_table("wages", p):
        places.preload(p)  # the indexes of areas and industries by occupation
