"""What a catalogue build is made of: a :class:`Job` per report (parameters and its folder under
``reports/``), planned and validated before anything runs, and a :class:`Result` per job built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from analysis.paths import Paths, project
from analysis.soc import slug
from analysis.tables import places, store

NOTEBOOK = "career_report.ipynb"


@dataclass(frozen=True)
class Job:
    """One report to build: parameters and where it goes (relative to the reports folder)."""

    soc_code: str
    vintage: str
    state: str | None
    title: str
    rel_dir: str
    area: str | None = None  # a metropolitan or nonmetropolitan area's code (its report's state is the area's)
    area_title: str | None = None

    @property
    def parameters(self) -> dict:
        prm = {"soc_code": self.soc_code, "vintage": self.vintage, "state": self.state}
        return prm | {"area": self.area} if self.area else prm  # as before areas came, for the other reports

    @property
    def where(self) -> str | None:
        """The place the report is built for, as its title says it: the area's title, the state, or None."""
        return self.area_title or self.state

    @property
    def files(self) -> dict[str, str]:
        """The names of the report's files in its folder. The PDFs are named after the occupation, its place and an
        older release, so an advisor who downloads several gets several names: ``29-2072-medical-records-
        specialists-tx.pdf`` and ``…-tx-handout.pdf``; the pages stay ``report.html`` and ``handout.html``."""
        folder = self.rel_dir.split("/")
        stem = folder[-1]
        if self.area:
            stem += f"-{slug(self.area_title or self.area)}"
        elif self.state:
            stem += f"-{self.state.lower()}"
        if folder[0] == self.vintage:  # an older release's report (reports/2023-33/…)
            stem += f"-{self.vintage}"
        return {"html": "report.html", "pdf": f"{stem}.pdf", "handout_html": "handout.html",
                "handout_pdf": f"{stem}-handout.pdf"}

    def outputs(self, formats) -> dict[str, str]:
        """The :attr:`files` a build in ``formats`` ("html", "pdf") makes: each format's report and handout."""
        kinds = {"html": ("html", "handout_html"), "pdf": ("pdf", "handout_pdf")}
        return {k: self.files[k] for f in formats for k in kinds[f]}


@dataclass
class Result:
    rel_dir: str
    status: str  # "ok" | "failed" | "skipped"
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    error: str | None = None


def report_dir(soc_code: str, title: str, vintage: str, latest: str, state: str | None,
               area: str | None = None) -> str:
    """reports/<soc>-<slug>/ for the latest vintage; older vintages, states and areas get their own folders
    (``states/CA/…``, ``areas/26420/…``)."""
    name = f"{soc_code}-{slug(title)}"
    if area:
        name = f"areas/{area}/{name}"
    elif state:
        name = f"states/{state}/{name}"
    return name if vintage == latest else f"{vintage}/{name}"


def plan(socs: Iterable[str] | None, vintage: str | None = None, states: Iterable[str | None] = (None,),
         p: Paths | None = None, areas: Iterable[str] = (), state_of_areas: str | None = None) -> list[Job]:
    """Validated jobs (ParameterError on a bad code, vintage, state or area, before anything runs): each
    occupation for each of ``states`` (None: the national report), then for each of ``areas`` (codes or names
    of metropolitan or nonmetropolitan areas; each report's state is the area's primary state, or
    ``state_of_areas`` when given, which must be one the area lies in). A code, state or area given twice
    (``build 29-2072 29-2072``, or once with a space) is planned once, where it first appears."""
    p = p or project()
    v = store.resolve_vintage(vintage, p)
    latest = store.vintages(p)[0]
    proj = store.table("projections", p)
    here = proj[(proj["vintage"] == v) & (proj["soc_level"] == "detailed")].set_index("soc_code")
    codes = list(here.index) if socs is None else [store.check_soc(s, v, p) for s in socs]
    codes = list(dict.fromkeys(codes))  # checked first, so " 29-2072" and "29-2072" are one code
    sts = list(dict.fromkeys(store.check_state(s, p) for s in states))
    where = [(st, None, None, None) for st in sts]  # (state, area code, area title, folder key)
    chosen = store.check_state(state_of_areas, p)
    for a in dict.fromkeys(areas):
        _, info = places.check_place(chosen, a, p)  # the area, lying in the chosen state if one is given
        lies_in = places.area_states(info)
        st, code = chosen or lies_in[0], info["area_code"]
        # An area's report against another state it lies in ("Kansas City" with KS) gets a folder of its own
        # (areas/28140-KS/…), so it never replaces the one against its primary state.
        place = (st, code, info["area_title"], code if st == lies_in[0] else f"{code}-{st}")
        if place not in where:
            where.append(place)
    return [Job(c, v, st, here.loc[c, "title"], report_dir(c, here.loc[c, "title"], v, latest, st, folder), area,
                area_title) for c in codes for st, area, area_title, folder in where]
