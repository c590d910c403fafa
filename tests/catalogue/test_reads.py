"""The declaration of what a report reads (`sections/report/reads.py`) against what a report really reads: every
shape of report is built in this process (the notebook's code cells and the handout) while ``tables.store.table``
is watched; a read of a table the declaration leaves out fails: the fingerprint would miss its
changes."""

from __future__ import annotations

import sys

import nbformat
import pytest

from analysis.catalogue.jobs import NOTEBOOK
from analysis.render.handout import handout_html
from analysis.sections.report import preload, reads
from analysis.tables import store

# (soc, vintage, state, area): what makes each a different shape of report
SHAPES = {
    ("29-2072", "latest", None, None): "national, with curated facts",
    ("29-2072", "latest", "TX", None): "a state",
    ("29-2072", "latest", None, "26420"): "a metropolitan area (Houston)",
    ("29-2072", "2023-33", None, None): "an older vintage",
    ("27-2011", "latest", None, None): "hourly-only OEWS pay",
    ("45-3031", "latest", None, None): "an occupation with little OEWS data",
    ("45-3031", "latest", "TX", None): "the same, for a state",
}


def watch(monkeypatch) -> list[str]:
    """The names of the tables read from now on: ``store.table`` is replaced wherever a module of ours holds it
    (``store`` itself, and a module that imported the function by name, as ``tables.profile`` does)."""
    read: list[str] = []
    table = store.table

    def watched(name, p=None):
        read.append(name)
        return table(name, p)

    for module in [m for n, m in sys.modules.items() if n.split(".")[0] == "analysis"]:
        for attr, value in list(vars(module).items()):
            if value is table:
                monkeypatch.setattr(module, attr, watched)
    return read


def _notebook_code(real) -> str:
    nb = nbformat.read(real.notebooks / NOTEBOOK, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize(("soc", "vintage", "state", "area"), list(SHAPES), ids=list(SHAPES.values()))
def test_a_report_reads_only_the_tables_it_declares(real, monkeypatch, soc, vintage, state, area):
    read = watch(monkeypatch)
    monkeypatch.setenv("CAREER_OUTLOOK_ROOT", str(real.root))
    # The notebook as the kernel runs it: its cells, its parameters set as papermill would inject them.
    params = {"soc_code": soc, "vintage": vintage, "state": state, "area": area}
    shown = []
    namespace = {"display": shown.append}
    code = _notebook_code(real).replace("from analysis.sections.report import CareerReport",
                                        "\n".join(f"{k} = {v!r}" for k, v in params.items())
                                        + "\nfrom analysis.sections.report import CareerReport")
    exec(compile(code, NOTEBOOK, "exec"), namespace)  # noqa: S102 - our own notebook's cells
    page = handout_html(params, p=real)
    assert namespace["report"].soc_code == soc and "<html" in page
    assert set(read) >= {"projections", "vintages"}  # the watch saw the report's reads
    undeclared = sorted(set(read) - set(reads.TABLES))
    assert undeclared == [], f"read but not declared in sections/report/reads.py: {undeclared}"


def test_the_declaration_names_tables_that_exist_and_kinds_the_fingerprint_knows(real):
    assert all(store.has_table(t, real) for t in reads.TABLES)
    assert len(set(reads.TABLES)) == len(reads.TABLES)  # each table once
    assert set(reads.HOW) == {h for r in reads.READS for h in r.rows}  # every kind is used, so it is digested
    with pytest.raises(ValueError, match="rows must be kinds of HOW"):
        reads.Read("wages", ("by moon phase",))


def test_the_preload_reads_the_declared_tables_and_no_other(real, monkeypatch):
    read = watch(monkeypatch)
    preload(real)
    assert set(read) == set(reads.TABLES)

