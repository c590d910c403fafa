"""A report's input fingerprint: only the processed rows its report reads, the notebook, the code the report
runs and its template, and its parameters. A report is rebuilt only when its fingerprint changed.

The code part is computed, not listed: every module of ours the notebook imports (and the rendering and
worker code that turn it into HTML and PDF), found by reading imports (:mod:`analysis.codehash`), so a new
section module is in it the day the report imports it.
"""

from __future__ import annotations

import hashlib
import json

import nbformat

from analysis import codehash
from analysis.catalogue.jobs import NOTEBOOK, Job
from analysis.files import sha256_named
from analysis.paths import Paths
from analysis.settings import DEFAULT_PAPER
from analysis.soc import TOTAL_CODE
from analysis.tables import digests, places, store
from analysis.tables.dataset import DIGESTS

# Beyond what the notebook imports: the code that turns an executed notebook into HTML and PDF and names
# the report's title (the worker), and its template. The index and changes pages are not here: they do not
# change what a report shows.
# Tables whose rows of the occupation itself a report reads, and small tables it reads whole.
PER_OCCUPATION = ("separations", "careers", "onet_occupations", "onet_tasks", "onet_titles", "onet_technology",
                  "onet_education", "onet_interests", "onet_ratings", "onet_activities", "onet_tools", "onet_related",
                  "wages_industries")
WHOLE = ("vintages", "sources", "onet_job_zones", "onet_interest_types")
RENDER_MODULES = ("analysis.render.outputs", "analysis.catalogue.worker")
TEMPLATES = ("career", "handout")  # the report's page and its handout's


def report_modules(p: Paths) -> list[str]:
    """Every module of ours a career report runs: what the notebook's code cells import, the rendering and
    worker code, and everything those import in turn."""
    nb = nbformat.read(p.notebooks / NOTEBOOK, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return codehash.closure(sorted(codehash.imports_in(source)) + list(RENDER_MODULES))


def code_fingerprint(p: Paths) -> str:
    """The notebook, the code a report runs (:func:`report_modules`) and its templates, in one hash."""
    h = hashlib.sha256()
    h.update((p.notebooks / NOTEBOOK).read_bytes())
    h.update(codehash.fingerprint(report_modules(p)).encode())
    h.update(sha256_named(f for t in TEMPLATES for f in (p.templates / t).rglob("*") if f.is_file()).encode())
    return h.hexdigest()


def fingerprints(jobs: list[Job], p: Paths, paper: str = DEFAULT_PAPER) -> dict[str, str]:
    """Each job's input fingerprint: only the processed rows its report reads, plus code and params.

    A report reads its occupation's rows, its SOC major group (outlook bars, the group's chart) and
    the all-occupations rows from the projections, and the projections rows of its related occupations (their
    growth, openings and pay in the related-careers table); its own separations, wages in every area (and the
    national all-occupations wage), wages by industry, O*NET and curated rows; every occupation's national median
    (its pay rank and its related careers' pay); the list of OEWS areas (it counts and names them); and the small
    vintages, sources and O*NET reference tables.
    """
    code = code_fingerprint(p)
    # Row digests the data build computed (tables/digests.py): no hashing here, so a no-change run is quick.
    dig = digests.lookup(store.table(DIGESTS, p))
    by_major = dig.get(("projections", "major_group_code"), {})
    by_soc = dig.get(("projections", "soc_code"), {})
    per_soc: dict[str, list[str]] = {}
    for name in PER_OCCUPATION + ("wages",):
        for soc, d in dig.get((name, "soc_code"), {}).items():
            per_soc.setdefault(soc, []).append(f"{name}:{d}")
    small = "".join(dig.get((n, ""), {}).get("", "") for n in WHOLE)
    if store.has_table("wages", p):  # every report counts the metro areas and names the ones it lists
        small += digests.digest(places.areas(p=p))
        # Every report places its pay among all occupations' national medians (tables/headline.py) and shows its
        # related careers' medians: the national pay of every occupation.
        small += digests.digest(places.national(p=p).reset_index()[
            ["soc_code", *(f"{k}_median_usd{t}" for k in ("annual", "hourly") for t in ("", "_top_coded"))]])
    related: dict[str, list[str]] = {}
    if store.has_table("onet_related", p):
        rel = store.table("onet_related", p).dropna(subset=["related_soc_code"])
        related = rel.groupby("soc_code")["related_soc_code"].agg(sorted).to_dict()
    wage_total = dig.get(("wages", "soc_code"), {}).get(TOTAL_CODE)
    out = {}
    for j in jobs:
        major = j.soc_code[:3] + "0000"
        parts = [code, small, str(by_soc.get(TOTAL_CODE)), str(by_major.get(major)), *per_soc.get(j.soc_code, []),
                 *(f"related:{r}:{by_soc.get(r)}" for r in related.get(j.soc_code, [])),
                 f"wages-total:{wage_total}", json.dumps(j.parameters, sort_keys=True), f"paper={paper}"]
        out[j.rel_dir] = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return out
