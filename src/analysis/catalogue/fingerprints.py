"""A report's input fingerprint, in four parts: its ``code`` (the notebook, the code the report runs and its
templates), its ``data`` (only the processed rows its report reads), its ``parameters`` (and the paper size) and the
``library`` versions that shape it (:mod:`.versions`). A report is rebuilt only when its fingerprint changed; the
parts that changed say why.

The code part is computed, not listed: every module of ours the notebook imports (and the rendering and
worker code that turn it into HTML and PDF), found by reading imports (:mod:`analysis.codehash`), so a new
section module is in it the day the report imports it. The data part follows the one declaration of what a
report reads (:mod:`analysis.sections.report.reads`), which the kernel's preload follows too.
"""

from __future__ import annotations

import hashlib
import json

import nbformat

from analysis import codehash
from analysis.catalogue.jobs import NOTEBOOK, Job
from analysis.catalogue.versions import versions
from analysis.files import sha256_named
from analysis.paths import Paths
from analysis.sections.report import reads
from analysis.settings import DEFAULT_PAPER
from analysis.soc import TOTAL_CODE
from analysis.tables import digests, places, store
from analysis.tables.dataset import DIGESTS

PARTS = ("code", "data", "parameters", "library")
UNKNOWN = "unknown"  # why an entry from before the parts were kept was rebuilt
# Beyond what the notebook imports: the code that turns an executed notebook into HTML and PDF and names
# the report's title (the worker), and its template. The index and changes pages are not here: they do not
# change what a report shows.
RENDER_MODULES = ("analysis.render.outputs", "analysis.catalogue.worker")
TEMPLATES = ("career", "handout")  # the report's page and its handout's
# The national median pay columns every report reads (tables/headline.py): its pay rank, related careers' pay.
NATIONAL_MEDIANS = ["soc_code", *(f"{k}_median_usd{t}" for k in ("annual", "hourly") for t in ("", "_top_coded"))]


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


def _hash(*texts: str) -> str:
    return hashlib.sha256("|".join(texts).encode()).hexdigest()[:20]


def library_fingerprint() -> str:
    """The versions of the libraries and the browser that shape a report (:mod:`.versions`), in one hash."""
    return _hash(json.dumps(versions(), sort_keys=True))


def _shared_data(dig: dict, p: Paths) -> list[str]:
    """The digests of the rows every report reads alike: whole tables, the all-occupations rows, the list of
    areas and every occupation's national median (:mod:`analysis.sections.report.reads`)."""
    out = []
    for r in reads.READS:
        for how in r.rows:
            if how == reads.WHOLE:
                out.append(f"{r.table}:{dig.get((r.table, ''), {}).get('')}")
            elif how == reads.ALL_OCCUPATIONS:
                out.append(f"{r.table}:total:{dig.get((r.table, 'soc_code'), {}).get(TOTAL_CODE)}")
            elif how == reads.AREAS and store.has_table(r.table, p):  # the OEWS areas (tables/places.py)
                out.append(f"{r.table}:areas:{digests.digest(places.areas(p=p))}")
            elif how == reads.NATIONAL_MEDIANS and store.has_table(r.table, p):
                out.append(f"{r.table}:medians:{digests.digest(places.national(p=p).reset_index()[NATIONAL_MEDIANS])}")
    return out


def _related(p: Paths) -> dict[str, list[str]]:
    """Each occupation's related occupations (onet_related), sorted."""
    if not store.has_table("onet_related", p):
        return {}
    rel = store.table("onet_related", p).dropna(subset=["related_soc_code"])
    return rel.groupby("soc_code")["related_soc_code"].agg(sorted).to_dict()


def inputs(jobs: list[Job], p: Paths, paper: str = DEFAULT_PAPER) -> dict[str, dict[str, str]]:
    """Each job's fingerprint parts (:data:`PARTS`), by its folder: ``{"code": …, "data": …, …}``.

    The data part digests the rows :mod:`analysis.sections.report.reads` declares: of each table, its
    occupation's rows, its SOC major group's, the all-occupations rows, its related occupations' rows, the list
    of OEWS areas, every occupation's national median, or the whole table.
    """
    code, library = code_fingerprint(p)[:20], library_fingerprint()
    # Row digests the data build computed (tables/digests.py): no hashing here, so a no-change run is quick.
    dig = digests.lookup(store.table(DIGESTS, p))
    shared = _shared_data(dig, p)
    related = _related(p) if reads.reading(reads.RELATED) else {}
    out = {}
    for j in jobs:
        keys = {reads.OCCUPATION: [("soc_code", j.soc_code)], reads.MAJOR_GROUP: [("major_group_code",
                j.soc_code[:3] + "0000")], reads.RELATED: [("soc_code", r) for r in related.get(j.soc_code, [])]}
        own = [f"{r.table}:{how}:{key}:{dig.get((r.table, column), {}).get(key)}"
               for r in reads.READS for how in r.rows for column, key in keys.get(how, [])]
        out[j.rel_dir] = {"code": code, "data": _hash(*shared, *own),
                          "parameters": _hash(json.dumps(j.parameters, sort_keys=True), f"paper={paper}"),
                          "library": library}
    return out


def combined(parts: dict[str, str]) -> str:
    """One fingerprint of a job's parts (what the manifest compares)."""
    return hashlib.sha256("|".join(f"{k}={parts[k]}" for k in PARTS).encode()).hexdigest()


def fingerprints(jobs: list[Job], p: Paths, paper: str = DEFAULT_PAPER) -> dict[str, str]:
    """Each job's fingerprint (:func:`combined` of its :func:`inputs`), by its folder."""
    return {rel: combined(parts) for rel, parts in inputs(jobs, p, paper).items()}


def changed(old: dict | None, new: dict[str, str]) -> list[str]:
    """The parts of ``new`` that differ from ``old`` (a manifest entry's ``inputs``), in :data:`PARTS` order;
    ``[UNKNOWN]`` when ``old`` has no parts (written before they were kept)."""
    if not isinstance(old, dict) or set(PARTS) - set(old):
        return [UNKNOWN]
    return [k for k in PARTS if old[k] != new[k]]
