"""What a catalogue build is made of: a :class:`Job` per report (parameters and its folder under
``reports/``), planned and validated before anything runs, and a :class:`Result` per job built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from analysis.paths import Paths, project
from analysis.soc import slug
from analysis.tables import store

NOTEBOOK = "career_report.ipynb"


@dataclass(frozen=True)
class Job:
    """One report to build: parameters and where it goes (relative to the reports folder)."""

    soc_code: str
    vintage: str
    state: str | None
    title: str
    rel_dir: str

    @property
    def parameters(self) -> dict:
        return {"soc_code": self.soc_code, "vintage": self.vintage, "state": self.state}


@dataclass
class Result:
    rel_dir: str
    status: str  # "ok" | "failed" | "skipped"
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    error: str | None = None


def report_dir(soc_code: str, title: str, vintage: str, latest: str, state: str | None) -> str:
    """reports/<soc>-<slug>/ for the latest vintage; older vintages and states get their own folders."""
    name = f"{soc_code}-{slug(title)}"
    if state:
        name = f"states/{state}/{name}"
    return name if vintage == latest else f"{vintage}/{name}"


def plan(socs: Iterable[str] | None, vintage: str | None = None, states: Iterable[str | None] = (None,),
         p: Paths | None = None) -> list[Job]:
    """Validated jobs (ParameterError on a bad code, vintage or state, before anything runs); a code or state
    given twice (``build 29-2072 29-2072``, or once with a space) is planned once, where it first appears."""
    p = p or project()
    v = store.resolve_vintage(vintage, p)
    latest = store.vintages(p)[0]
    proj = store.table("projections", p)
    here = proj[(proj["vintage"] == v) & (proj["soc_level"] == "detailed")].set_index("soc_code")
    codes = list(here.index) if socs is None else [store.check_soc(s, v, p) for s in socs]
    codes = list(dict.fromkeys(codes))  # checked first, so " 29-2072" and "29-2072" are one code
    sts = list(dict.fromkeys(store.check_state(s, p) for s in states))
    return [Job(c, v, st, here.loc[c, "title"], report_dir(c, here.loc[c, "title"], v, latest, st))
            for c in codes for st in sts]
