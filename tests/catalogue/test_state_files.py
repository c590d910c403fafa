"""The catalogue's state files (reports/manifest.json, each report's .build.json, the .career-outlook marker,
.build.lock) and data/processed/manifest.json, planted as a hostile operator would: a link to /dev/zero or to a file
elsewhere, a FIFO, JSON nested 100,000 deep, the wrong types. Each is refused without being followed or read
without bound, with one line naming the file; a manifest is rebuilt from the report folders, as when damaged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from analysis import cli
from analysis.catalogue.build import LOCK, is_catalogue
from analysis.catalogue.manifest import MANIFEST, RECORD, read_manifest, rescan
from analysis.errors import DataError
from analysis.files import OUTPUT_MARKER, marked, read_state
from analysis.tables import dataset

ENTRY = {"parameters": {"soc_code": "29-2072", "vintage": "2024-34", "state": None}, "status": "ok",
         "built_by": "career-outlook 0.1.0"}
DEEP = "[" * 100_000 + "]" * 100_000


def catalogue(folder: Path) -> Path:
    """A reports folder as a build leaves it: marker, manifest and one report's record."""
    rel = folder / "29-2072-medical-records-specialists"
    rel.mkdir(parents=True)
    (rel / RECORD).write_text(json.dumps(ENTRY))
    (folder / MANIFEST).write_text(json.dumps({"format": "career-outlook catalogue manifest 1",
                                               "reports": {rel.name: ENTRY}}))
    (folder / OUTPUT_MARKER).write_text('{"written_by": "career-outlook"}')
    return folder


@pytest.mark.parametrize("plant", ["dev-zero", "elsewhere", "fifo", "deep", "wrong-type", "huge"])
def test_a_planted_manifest_is_refused_and_rebuilt_from_the_report_folders(tmp_path, plant, caplog):
    reports = catalogue(tmp_path / "reports")
    man = reports / MANIFEST
    man.unlink()
    outside = tmp_path / "elsewhere.json"  # a manifest-shaped file outside: never to be followed
    outside.write_text(json.dumps({"reports": {"x": {"parameters": {}, "status": "ok"}}}))
    {"dev-zero": lambda: man.symlink_to("/dev/zero"), "elsewhere": lambda: man.symlink_to(outside),
     "fifo": lambda: os.mkfifo(man), "deep": lambda: man.write_text(DEEP),
     "wrong-type": lambda: man.write_text('{"reports": [1, 2]}'),
     "huge": lambda: man.write_bytes(b" " * (256 << 20) + b"{}")}[plant]()
    got = read_manifest(reports)
    assert got == {"reports": {"29-2072-medical-records-specialists": ENTRY}}
    problem = {"dev-zero": "is a symbolic link (to '/dev/zero'); refused",
               "elsewhere": f"is a symbolic link (to {str(outside)!r}); refused",
               "fifo": "is a device, FIFO or socket, not a regular file; refused",
               "deep": "JSON nested more than 32 levels deep; not a file we wrote",
               "wrong-type": "not a manifest (no 'reports' mapping)",
               "huge": "larger than 268,435,456 bytes; not a file we wrote"}[plant]
    assert caplog.messages == [f"{man}: {problem}; rebuilt from the 1 report folder(s) on disk"]
    assert not is_catalogue(reports)  # and a folder is not known as ours by such a file
    assert outside.read_text().startswith('{"reports"')  # untouched


def test_a_planted_report_record_is_skipped_not_read(tmp_path):
    reports = catalogue(tmp_path / "reports")
    record = reports / "29-2072-medical-records-specialists" / RECORD
    record.unlink()
    record.symlink_to("/dev/zero")
    other = reports / "states/CA/29-2072-medical-records-specialists"
    other.mkdir(parents=True)
    (other / RECORD).write_text(DEEP)
    assert rescan(reports) == {"reports": {}}  # both reports are rebuilt, as if never built


def test_a_planted_marker_is_not_ours(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / OUTPUT_MARKER).symlink_to("/dev/zero")
    assert not marked(folder)


@pytest.mark.parametrize("plant", ["dev-zero", "fifo"])
def test_a_planted_build_lock_is_one_line_exit_2(real, tmp_path, capsys, plant):
    reports = catalogue(tmp_path / "reports")
    lock = reports / LOCK
    if plant == "dev-zero":
        lock.symlink_to("/dev/zero")
        why = "lock file is a symbolic link (to '/dev/zero'); remove it"
    else:
        os.mkfifo(lock)
        why = "lock file is not a regular file (a device, FIFO or socket); remove it"
    before = sorted(p.name for p in reports.iterdir())
    assert cli.main(["build", "29-2072", "--format", "html", "--out", str(reports)]) == 2
    assert capsys.readouterr().err == f"career-report: error: {lock}: {why}\n"
    assert sorted(p.name for p in reports.iterdir()) == before


def test_a_planted_processed_manifest_or_table_is_stale_not_followed(tmp_project):
    man = tmp_project.processed / "manifest.json"
    kept = man.read_bytes()
    man.unlink()
    man.symlink_to("/dev/zero")
    assert dataset.stale_reason(tmp_project) == ("data/processed/manifest.json: unreadable (is a symbolic link "
                                                 "(to '/dev/zero'); refused)")
    man.unlink()
    man.write_bytes(kept)
    table = tmp_project.processed / "wages.parquet"
    table.unlink()
    table.symlink_to("/dev/zero")
    assert dataset.stale_reason(tmp_project) == ("data/processed/wages.parquet: a symbolic link, not the table "
                                                 "manifest.json lists")


def test_read_state_refuses_what_we_never_write(tmp_path):
    path = tmp_path / "state.json"
    for text, problem in (("[1]", "holds a JSON list, not the dict we write"), ("\xff", None),
                          ("[" * 40 + "]" * 40, "JSON nested more than 32 levels deep; not a file we wrote")):
        path.write_bytes(text.encode("latin-1"))
        with pytest.raises(DataError) as err:
            read_state(path)
        assert str(err.value) == f"{path}: {problem or 'not UTF-8 text'}"
    path.write_text('{"a": {"b": [1, 2]}}')
    assert read_state(path) == {"a": {"b": [1, 2]}}
