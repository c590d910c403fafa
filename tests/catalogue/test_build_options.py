"""A build's options as one checked value, the executors' protocol, the fingerprint's parts and why a report is
rebuilt, and the manifest written in batches: the parts of a build that need no kernel or browser."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest

from analysis.catalogue import build as catalogue
from analysis.catalogue import fingerprints, versions
from analysis.catalogue.cluster import DaskExecutor
from analysis.catalogue.jobs import plan
from analysis.catalogue.local import LocalExecutor
from analysis.catalogue.manifest import MANIFEST, BatchedWriter, read_manifest
from analysis.catalogue.options import BuildOptions
from analysis.errors import ParameterError


def test_options_are_checked_once_when_made(tmp_path):
    assert BuildOptions().formats == ("html", "pdf") and BuildOptions().out is None
    assert isinstance(BuildOptions().executor, LocalExecutor)
    assert BuildOptions(formats=["html"]).formats == ("html",)
    with pytest.raises(ParameterError, match="expected html, pdf or html,pdf"):
        BuildOptions(formats=("html", "docx"))
    with pytest.raises(ParameterError, match=r"paper 'a5': expected one of letter, a4"):
        BuildOptions(paper="a5")
    with pytest.raises(ParameterError, match=r"jobs 0: expected a whole number"):
        BuildOptions(jobs=0)
    theirs = tmp_path / "site"
    theirs.mkdir()
    (theirs / "index.html").write_text("<p>someone's web site</p>")
    with pytest.raises(ParameterError, match="not career-outlook's"):
        BuildOptions(out=theirs)
    assert BuildOptions(out=theirs, allow_any_out=True).out == theirs.resolve()
    new = tmp_path / "a" / ".." / "new"
    options = BuildOptions(out=new)
    assert options.out == (tmp_path / "new").resolve() and not options.out.exists()  # checked, not created
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.force = True  # type: ignore[misc]


def test_each_executor_says_whether_its_workers_run_here():
    """What the build asks instead of ``isinstance``: a local pool's browsers are checked before the first PDF and
    its temp files removed when stopped; a cluster's are its own."""
    assert LocalExecutor(1).runs_here is True
    assert DaskExecutor("tcp://127.0.0.1:8786").runs_here is False


def test_the_fingerprint_has_four_parts_and_the_versions_that_shape_a_report(real):
    jobs = plan(["29-2072", "27-2011"], None, [None, "TX"], real)
    parts = fingerprints.inputs(jobs, real)
    assert all(set(v) == set(fingerprints.PARTS) for v in parts.values())
    national, texas = parts[jobs[0].rel_dir], parts[jobs[1].rel_dir]
    assert national["data"] == texas["data"] and national["parameters"] != texas["parameters"]
    assert parts[jobs[2].rel_dir]["data"] != national["data"]  # another occupation's rows
    assert fingerprints.fingerprints(jobs, real) == {rel: fingerprints.combined(v) for rel, v in parts.items()}
    assert fingerprints.inputs(jobs[:1], real, "a4")[jobs[0].rel_dir]["parameters"] != national["parameters"]
    found = versions.versions()
    assert set(versions.LIBRARIES) | {"chromium", "python"} == set(found)
    assert all(found[name] != "not installed" for name in versions.LIBRARIES)


def test_the_browser_is_known_without_starting_it(tmp_path, monkeypatch):
    ran = tmp_path / "ran"
    fake = tmp_path / "chromium"
    fake.write_text(f"#!/bin/sh\ntouch {ran}\necho 'Chromium 1.0'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHROMIUM_PATH", str(fake))
    first = versions.browser()
    assert first.startswith(str(fake)) and not ran.exists()
    fake.write_text(f"#!/bin/sh\ntouch {ran}\necho 'Chromium 2.0, a new build'\n")  # an upgrade: a new file
    os.utime(fake, ns=(1, 1))
    assert versions.browser() != first
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "gone"))
    assert versions.browser() == f"{tmp_path / 'gone'}: FileNotFoundError"  # the build's browser check names it


def test_why_a_report_is_rebuilt():
    job = plan(["29-2072"])[0]
    parts = {"code": "c", "data": "d", "parameters": "p", "library": "l"}
    entry = {"status": "ok", "fingerprint": "old", "inputs": dict(parts, data="d0", library="l0")}
    assert catalogue.why_built(job, entry, parts, "new", force=False) == "data+library"
    assert catalogue.why_built(job, entry, parts, "new", force=True) == "forced"
    assert catalogue.why_built(job, None, parts, "new", force=False) == "new"
    assert catalogue.why_built(job, dict(entry, status="failed"), parts, "new", force=False) == "failed before"
    old = {"status": "ok", "fingerprint": "old"}  # a manifest from before the parts were kept: rebuilt as before
    assert catalogue.why_built(job, old, parts, "new", force=False) == "unknown"
    assert catalogue.why_built(job, dict(entry, fingerprint="new"), parts, "new", force=False) == "files missing"
    assert fingerprints.changed(None, parts) == ["unknown"]
    assert fingerprints.changed({"code": "c"}, parts) == ["unknown"]
    assert fingerprints.changed(parts, parts) == []
    assert catalogue.describe(catalogue.Counter({"code": 2, "data": 10})) == "data 10, code 2"


def test_the_manifest_is_written_in_batches_and_at_the_end(tmp_path):
    manifest = {"reports": {}}
    path = tmp_path / MANIFEST
    writer = BatchedWriter(tmp_path, manifest, every=3, seconds=3600)
    writer.flush()
    assert not path.exists()  # nothing changed: nothing written
    for i in range(7):
        manifest["reports"][f"r{i}"] = {"parameters": {}, "status": "ok"}
        writer.changed()
    assert writer.writes == 2 and len(json.loads(path.read_text())["reports"]) == 6
    writer.flush()
    assert writer.writes == 3 and len(read_manifest(tmp_path)["reports"]) == 7
    timed = BatchedWriter(tmp_path, manifest, every=1000, seconds=0)
    timed.changed()
    assert timed.writes == 1  # a batch is also written when it is old enough
