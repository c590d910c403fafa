"""Shared fixtures: the real project (processed data built once), and throw-away copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path  # noqa: F401

import pytest
from helpers import SHAPES, copy_project, link_project, linked_files
from playwright.sync_api import sync_playwright

from analysis.catalogue.build import BuildOptions, build
from analysis.catalogue.jobs import plan
from analysis.paths import Paths, project
from analysis.render.pdf import CHROMIUM_ARGS, chromium_path
from analysis.tables import dataset, store

ROOT = project().root

# Tests that start a kernel, a browser, poppler, a Dask cluster, a catalogue build or a full data build (or that
# go through every occupation) are `slow`: `pytest -m "not slow"` (make test-quick) is the inner loop, under two
# minutes and with no system package; `make test` runs everything. A test is slow when it uses one of these
# fixtures, lives in one of these modules (every test there starts one), or is marked by hand.
SLOW_FIXTURES = {"built", "built_out", "rendered", "pdf_renderer", "cluster", "browser", "page", "processed_tables"}
SLOW_MODULES = {"test_render.py", "test_dask.py", "test_catalogue.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.name in SLOW_MODULES or SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def real() -> Paths:
    """The repository itself, with data/processed built from data/raw (rebuilt only when stale)."""
    p = project(ROOT)
    dataset.ensure(p)
    return p


@pytest.fixture(scope="session")
def pristine(real, tmp_path_factory) -> Paths:
    """The session's one copy of the project's data, that each ``tmp_project`` hard-links its big files from."""
    return copy_project(real, tmp_path_factory.mktemp("pristine") / "proj")


@pytest.fixture
def tmp_project(real, pristine, tmp_path, monkeypatch) -> Paths:
    """A private project with the real data; CAREER_OUTLOOK_ROOT points at it for the CLI. Its big files are
    hard links (see helpers.link_project): a test that wrote into one in place fails here, naming the file, and
    the session's copy is made again so no other test sees the edit."""
    before = linked_files(pristine)
    p = link_project(pristine, tmp_path / "proj")
    monkeypatch.setenv("CAREER_OUTLOOK_ROOT", str(p.root))
    yield p
    after = linked_files(pristine)
    if after != before:
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        shutil.rmtree(pristine.root)
        copy_project(real, pristine.root)
        pytest.fail(f"the test edited hard-linked files in place: {changed}; call helpers.own(path) first")


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
        if state and state.startswith("area:"):
            jobs += plan([soc], vintage, [], real, areas=[state.removeprefix("area:")])
        else:
            jobs += plan([soc], vintage, [state], real)
    summary = build(jobs, BuildOptions(jobs=2, out=out), p=real)
    assert summary.ok, summary.failed
    return {(j.soc_code, j.vintage if j.vintage != store.vintages(real)[0] else "latest",
             f"area:{j.area}" if j.area else j.state): out / j.rel_dir for j in jobs}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (the system's, as the reports print with) for the page tests of a session."""
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()
