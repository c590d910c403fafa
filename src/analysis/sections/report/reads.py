"""What a career report reads from ``data/processed``, declared once: each table and which of its rows.

In: nothing (a declaration). Out: :data:`READS`, a :class:`Read` per table, and :data:`TABLES`. The kernel's
preload (:func:`analysis.sections.report.career.preload`) reads these tables; the catalogue's fingerprint
(:mod:`analysis.catalogue.fingerprints`) digests exactly these rows, so a report is rebuilt when, and only when,
something it reads changed. A test builds every shape of report while watching ``tables.store`` and fails on a
read of a table not declared here: a section that starts reading a new table must say so here first.
"""

from __future__ import annotations

from dataclasses import dataclass

# Which rows of a table a report reads (the fingerprint digests each kind in its own way).
OCCUPATION = "occupation"  # the rows whose soc_code is the report's occupation
MAJOR_GROUP = "major group"  # the rows of its SOC major group (major_group_code): the group's bars and chart
ALL_OCCUPATIONS = "all occupations"  # the rows of the all-occupations total (00-0000)
RELATED = "related"  # the rows of its related occupations (onet_related): their growth, openings and pay
AREAS = "areas"  # the list of OEWS areas, every report counts them and names the ones it lists
NATIONAL_MEDIANS = "national medians"  # every occupation's national median pay: its pay rank, related careers' pay
WHOLE = "whole"  # the whole table (small reference tables)
HOW = (OCCUPATION, MAJOR_GROUP, ALL_OCCUPATIONS, RELATED, AREAS, NATIONAL_MEDIANS, WHOLE)


@dataclass(frozen=True)
class Read:
    """One processed table a report reads (``table``) and which of its rows (``rows``, kinds of :data:`HOW`)."""

    table: str
    rows: tuple[str, ...]

    def __post_init__(self):
        if not self.rows or set(self.rows) - set(HOW):
            raise ValueError(f"{self.table}: rows must be kinds of HOW, got {self.rows}")


READS = (
    Read("projections", (OCCUPATION, MAJOR_GROUP, ALL_OCCUPATIONS, RELATED)),
    Read("wages", (OCCUPATION, ALL_OCCUPATIONS, AREAS, NATIONAL_MEDIANS)),
    *(Read(name, (OCCUPATION,)) for name in (
        "separations", "careers", "onet_occupations", "onet_tasks", "onet_titles", "onet_technology",
        "onet_education", "onet_interests", "onet_ratings", "onet_activities", "onet_tools", "onet_related",
        "wages_industries")),
    *(Read(name, (WHOLE,)) for name in ("vintages", "sources", "onet_job_zones", "onet_interest_types")),
)
TABLES = tuple(r.table for r in READS)


def reading(how: str) -> tuple[str, ...]:
    """The tables of which a report reads rows of kind ``how`` (e.g. every table read by occupation)."""
    if how not in HOW:
        raise ValueError(f"{how!r}: expected one of {', '.join(HOW)}")
    return tuple(r.table for r in READS if how in r.rows)
