"""A build says why it rebuilt reports (which fingerprint parts changed), keeps the parts in each report's
record, still rebuilds from a manifest written before parts were kept, and finds a report a killed build finished
after its last manifest write in that report's own record."""

from __future__ import annotations

import json

import pytest

from analysis.catalogue import build as catalogue
from analysis.catalogue import versions
from analysis.catalogue.jobs import plan
from analysis.catalogue.manifest import MANIFEST, RECORD, read_manifest, write_manifest


def _build(p, out, lines, **kw):
    jobs = plan(["29-2072", "27-2011"], None, [None], p)
    return catalogue.build(jobs, catalogue.BuildOptions(formats=("html",), jobs=1, out=out, **kw), p=p,
                           log=lines.append)


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
    missed = sorted(manifest["reports"])[0]
    del manifest["reports"][missed]
    write_manifest(out, manifest)
    again = _build(tmp_project, out, lines)
    assert again.built == 0 and again.skipped == 2
    assert missed in json.loads((out / MANIFEST).read_text())["reports"]
