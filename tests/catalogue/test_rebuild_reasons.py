"""A build says why it rebuilt reports (which fingerprint parts changed), keeps the parts in each report's
record, still rebuilds from a manifest written before parts were kept, and, after a killed build (its manifest
says it was not complete), finds what it recorded after its last manifest write in the reports' own records."""

from __future__ import annotations

import json
import logging

import nbformat
import pytest

from analysis.catalogue import build as catalogue
from analysis.catalogue import versions
from analysis.catalogue.jobs import plan
from analysis.catalogue.manifest import COMPLETE_KEY, MANIFEST, RECORD, read_manifest, write_manifest


class _Lines(logging.Handler):
    """The messages logged during one build, in a list the test owns."""

    def __init__(self, lines: list[str]):
        super().__init__(logging.INFO)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _build(p, out, lines, **kw):
    """Build two reports into ``out``, the lines the build logs appended to ``lines``."""
    jobs = plan(["29-2072", "27-2011"], None, [None], p)
    logger, handler = logging.getLogger("analysis.catalogue"), _Lines(lines)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        return catalogue.build(jobs, catalogue.BuildOptions(formats=("html",), jobs=1, out=out, **kw), p=p)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.slow
def test_a_build_says_why_it_rebuilt(tmp_project, tmp_path, monkeypatch):
    out, lines = tmp_path / "out", []
    first = _build(tmp_project, out, lines)
    assert first.built == 2 and first.reasons == {"new": 2}
    assert lines[-1] == "why 2 report(s) were built: new 2"
    records = {rel: json.loads((out / rel / RECORD).read_text()) for rel in read_manifest(out)["reports"]}
    assert all(set(r["inputs"]) == {"code", "data", "parameters", "library"} and r["reason"] == "new"
               for r in records.values())

    lines.clear()
    assert _build(tmp_project, out, lines).skipped == 2 and lines == []  # nothing built: nothing to explain

    # A library that shapes the reports is upgraded (here: one more is declared): every report, for that reason.
    monkeypatch.setattr(versions, "LIBRARIES", (*versions.LIBRARIES, "numpy"))
    again = _build(tmp_project, out, lines, paper="a4")
    assert again.built == 2 and again.reasons == {"parameters+library": 2}
    assert lines[-1] == "why 2 report(s) were built: parameters+library 2"
    assert {e["reason"] for e in read_manifest(out)["reports"].values()} == {"parameters+library"}

    # A manifest an older version wrote, without the parts: rebuilt as before, for a reason it cannot know.
    manifest = read_manifest(out)
    for rel, e in manifest["reports"].items():
        e.pop("inputs")
        e["fingerprint"] = "0" * 64
        (out / rel / RECORD).write_text(json.dumps(e))
    write_manifest(out, manifest)
    assert _build(tmp_project, out, lines, paper="a4").reasons == {"unknown": 2}


@pytest.mark.slow
def test_a_report_the_manifest_missed_is_found_in_its_record(tmp_project, tmp_path):
    """A build killed between two manifest writes: its last reports are in their records only. The next build
    takes them from there instead of building them again, and writes them into the manifest."""
    out, lines = tmp_path / "out", []
    _build(tmp_project, out, lines)
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest[COMPLETE_KEY] is True  # the last write of a build that finished
    missed = sorted(manifest["reports"])[0]
    del manifest["reports"][missed]
    write_manifest(out, manifest | {COMPLETE_KEY: False})  # as a build killed after its first write leaves it
    again = _build(tmp_project, out, lines)
    assert again.built == 0 and again.skipped == 2
    manifest = json.loads((out / MANIFEST).read_text())
    assert missed in manifest["reports"] and manifest[COMPLETE_KEY] is True


@pytest.mark.slow
def test_a_failure_replaces_the_record_of_an_older_success(tmp_project, tmp_path):
    """A report that failed after an earlier success (its folder keeps that run's files and the failed run's
    notebook) is not taken for up to date from the older record when the manifest missed the failure."""
    out, lines = tmp_path / "out", []
    _build(tmp_project, out, lines)
    before = json.loads((out / MANIFEST).read_text())
    path = tmp_project.notebooks / "career_report.ipynb"
    original = path.read_bytes()
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell(
        'if soc_code == "27-2011":\n    raise RuntimeError("simulated failure for one occupation")'))
    nbformat.write(nb, path)
    failed = _build(tmp_project, out, lines)
    assert [rel for rel, _ in failed.failed] == ["27-2011-actors"]
    assert json.loads((out / "27-2011-actors" / RECORD).read_text())["status"] == "failed"
    # The failure is in the record only, as after a kill between two manifest writes of that build.
    write_manifest(out, before | {COMPLETE_KEY: False})
    path.write_bytes(original)  # and the inputs are as they were when it last succeeded
    again = _build(tmp_project, out, lines)
    # The other report was built from the changed notebook in the failing run: its record says so, and it is
    # rebuilt for the notebook's sake.
    assert again.built == 2 and again.reasons == {"failed before": 1, "code": 1}
