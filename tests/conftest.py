"""Shared fixtures: the real project (processed data built once), and throw-away copies of it."""

from __future__ import annotations

from pathlib import Path  # noqa: F401

import pytest
from helpers import copy_project

from analysis import dataset
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
