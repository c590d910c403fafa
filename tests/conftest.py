"""Shared fixtures: the real project (processed data built once), and throw-away copies of it."""

from __future__ import annotations

from pathlib import Path  # noqa: F401

import pytest
from helpers import copy_project

from analysis import catalogue, dataset, store
from analysis.paths import Paths, project

ROOT = project().root


@pytest.fixture(scope="session")
def real() -> Paths:
    """The repository itself, with data/processed built from data/raw (rebuilt only when stale)."""
    p = project(ROOT)
    dataset.ensure(p)
    return p


@pytest.fixture
def tmp_project(real, tmp_path, monkeypatch) -> Paths:
    """A private copy of the project's data; CAREER_OUTLOOK_ROOT points at it for the CLI."""
    p = copy_project(real, tmp_path / "proj")
    monkeypatch.setenv("CAREER_OUTLOOK_ROOT", str(p.root))
    return p


SHAPES = {  # (soc, vintage, state): what makes it a different shape
    ("29-2072", "latest", None): "the default report, with curated facts",
    ("29-1211", "latest", None): "a top-coded median wage in the projections",
    ("25-2021", "latest", None): "an annual-only OEWS occupation",
    ("27-2011", "latest", None): "an hourly-only OEWS occupation",
    ("43-9022", "latest", None): "a declining occupation, derived highlights",
    ("29-2072", "latest", "CA"): "state set",
    ("29-2072", "2023-33", None): "an older vintage",
    ("11-1021", "latest", None): "back matter that used to spill onto a page of its own",
}


@pytest.fixture(scope="session")
def built_out(tmp_path_factory):
    """The reports folder that ``built`` fills (with its index.html and manifest.json)."""
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="session")
def built(real, built_out):
    """Reports of every shape, built once through the catalogue (two warm workers)."""
    out = built_out
    jobs = []
    for soc, vintage, state in SHAPES:
        jobs += catalogue.plan([soc], vintage, [state], real)
    summary = catalogue.build(jobs, workers=2, out=out, p=real)
    assert summary.ok, summary.failed
    return {(j.soc_code, j.vintage if j.vintage != store.vintages(real)[0] else "latest", j.state): out / j.rel_dir
            for j in jobs}
