"""Titles no release would hold (a megabyte of text, a NUL) are refused when the file is read, naming the file, row
and column: `career-report data` says so in one line, exit 2, and data/processed is left as it was. On copies of
the real raw files, with one title changed."""

from __future__ import annotations

import pytest
from helpers import data_command, own, replace_raw

from analysis.files import sha256_file
from analysis.ingest import sidecars
from analysis.ingest.yaml_files import load_yaml
from analysis.paths import Paths

METRO = "bls-oews/2025/oews_metro_M2025.csv.gz"
NATIONAL = "bls-oews/2025/oews_national_state_M2025.csv.gz"


def set_title(column: str, where: tuple[str, str], value: str):
    def edit(header, row):
        if row[header.index(where[0])] == where[1]:
            row[header.index(column)] = value
        return row
    return edit


@pytest.mark.parametrize(("rel", "column", "where", "value", "problem"), [
    (METRO, "AREA_TITLE", ("AREA", "26420"), "Houston " + "x" * 1_000_000,
     "title of 1,000,008 characters (a published title has at most 300)"),
    (METRO, "AREA_TITLE", ("AREA", "26420"), "Houston\0, TX",
     "title holds the control character '\\x00' at character 8"),
    (NATIONAL, "OCC_TITLE", ("OCC_CODE", "29-2072"), "Medical records " + "w" * 300_000,
     "title of 300,016 characters (a published title has at most 300)"),
    (NATIONAL, "NAICS_TITLE", ("AREA", "99"), "Cross-industry\x1b[2J",
     "title holds the control character '\\x1b' at character 15"),
])
@pytest.mark.slow
def test_an_implausible_oews_title_is_refused(tmp_project: Paths, capsys, rel, column, where, value, problem):
    replace_raw(tmp_project, rel, set_title(column, where, value))
    rc, out, err = data_command(tmp_project, capsys)
    assert rc == 2
    assert err.startswith(f"career-report: error: {tmp_project.raw / rel} (row ")
    assert err.endswith(f", column {column}): {problem}\n") and err.count("\n") == 1


def test_an_implausible_projections_title_is_refused(tmp_project: Paths, capsys):
    path = own(tmp_project.raw / "bls-ep/2022-32/Employment Projections.csv")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"Actors    *', '"Act\0ors    *', 1), encoding="utf-8")
    meta = load_yaml(sidecars.sidecar_path(path))
    sidecars.write_sidecar(path, meta)
    assert meta["sha256"] != sha256_file(path)  # the file really changed
    rc, out, err = data_command(tmp_project, capsys)
    assert rc == 2
    assert err.startswith(f"career-report: error: {path} (line ")
    assert err.endswith("column 'Occupation Title'): title holds the control character '\\x00' at character 4\n")


@pytest.mark.slow
def test_an_implausible_onet_title_is_refused(tmp_project: Paths, capsys):
    path = own(tmp_project.raw / "onet/29.2/Occupation Data.txt")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    code, title, rest = lines[1].split("\t", 2)
    lines[1] = "\t".join([code, title + "\x07" + "y" * 400, rest])
    path.write_text("".join(lines), encoding="utf-8")
    sidecars.write_sidecar(path, load_yaml(sidecars.sidecar_path(path)))
    rc, out, err = data_command(tmp_project, capsys)
    assert rc == 2
    assert err == (f"career-report: error: {path} (row 2, column 'Title'): title of {len(title) + 401} characters "
                   "(a published title has at most 300)\n")
