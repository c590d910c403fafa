"""What a hostile review tried against a build's output folder and its settings: a foreign web root with familiar
names, a report folder that is a link to elsewhere, a link loop or a control character as ``--out``, the same
code twice, digits of other scripts, a browser named without a path, and a Dask scheduler that does not answer.

Each is refused with one line (the file or setting named) and leaves every file as it was; nothing is mocked:
real folders, real links, a real (fake-named) browser executable and a real Dask client.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
from pathlib import Path

import pytest
from helpers import tree_digest

from analysis import cli, notebooks
from analysis.catalogue import local
from analysis.catalogue.build import FORMAT, FORMAT_KEY, LOCK, BuildOptions, build, is_catalogue, unique
from analysis.catalogue.executors import make_executor
from analysis.catalogue.jobs import plan
from analysis.errors import BuildError, ClusterError, OutputError, ParameterError
from analysis.files import MARK, OUTPUT_MARKER, check_output_folder, mark_output_folder, marked
from analysis.render.outputs import render_report
from analysis.render.pdf import check_browser, chromium_path
from analysis.soc import is_soc
from analysis.tables import store


def _write(folder: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)


def _names(folder: Path) -> set[str]:
    """Every file and folder under ``folder``, hidden ones included."""
    return {str(f.relative_to(folder)) for f in folder.rglob("*")}


def _dead_pid() -> int:
    done = subprocess.Popen(["true"])
    done.wait()
    return done.pid


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


# --- 1. a folder is ours by what it holds, not by the names in it -----------------------------------------

SITE = "<html><body>their own web site</body></html>"
FOREIGN = {
    "an index.html": {"index.html": SITE},
    "a README.md": {"README.md": "# their notes"},
    "a notebooks folder": {"notebooks/mine.ipynb": "{}"},
    "report-like folder names": {"29-2072-medical-records-specialists/notes.txt": "theirs", "2023-33/a.txt": "x"},
    "every catalogue name": {"index.html": SITE, "README.md": "x", "changes.html": "x", "states/CA.txt": "x",
                             ".build.lock": "", "29-2072-x/report.html": SITE},
    "a marker of someone else's": {OUTPUT_MARKER: "some other tool's cache\n", "index.html": SITE},
    "a web app manifest": {"manifest.json": json.dumps({"name": "Their site", "icons": []}), "index.html": SITE},
    "a manifest of our shape not written by us": {
        "manifest.json": json.dumps({"reports": {"a": {"parameters": {}, "status": "ok"}}}), "index.html": SITE},
}


@pytest.mark.parametrize("case", list(FOREIGN))
def test_a_folder_of_familiar_names_is_not_ours(case, tmp_project, tmp_path, capsys):
    """A foreign web root holding index.html (or README.md, notebooks/, 29-2072-… folders, a look-alike marker
    or manifest) was counted as a catalogue and its index.html overwritten."""
    site = tmp_path / "www"
    site.mkdir()
    _write(site, FOREIGN[case])
    before, names = tree_digest(site), _names(site)
    assert cli.main(["build", "29-2072", "--format", "html", "--out", str(site)]) == 2
    line = _one_line(capsys)
    assert line == (f"career-report: error: --out {site.resolve()}: holds files that are not career-outlook's; "
                    "use an empty or new folder, or --allow-out to write there anyway")
    assert tree_digest(site) == before and _names(site) == names
    with pytest.raises(ParameterError, match="not career-outlook's"):
        build(plan(["29-2072"], p=tmp_project), BuildOptions(formats=("html",), out=site), p=tmp_project)
    assert tree_digest(site) == before and _names(site) == names


def test_someone_elses_marker_file_is_never_overwritten(tmp_path):
    """Under --allow-out the folder is marked, but another tool's file by our marker's name is kept."""
    theirs = tmp_path / OUTPUT_MARKER
    theirs.write_text("some other tool's cache\n")
    mark_output_folder(tmp_path)
    assert theirs.read_text() == "some other tool's cache\n" and not marked(tmp_path)
    mark_output_folder(tmp_path / "new")
    assert marked(tmp_path / "new")


OLDER_ENTRY = {"parameters": {"soc_code": "29-2072", "vintage": "2024-34", "state": None}, "status": "ok",
               "title": "Medical records specialists", "built_by": "career-outlook 0.1.0"}
OURS = {
    "missing": None,
    "empty": {},
    "marked by us": {OUTPUT_MARKER: json.dumps({"written_by": MARK}) + "\n", "index.html": SITE},
    "an older catalogue (manifest, no marker)": {
        "manifest.json": json.dumps({"reports": {"29-2072-medical-records-specialists": OLDER_ENTRY}}),
        "index.html": SITE, "29-2072-medical-records-specialists/report.html": SITE},
    "a manifest with our format key": {"manifest.json": json.dumps({FORMAT_KEY: FORMAT, "reports": {}}),
                                       "index.html": SITE},
}


@pytest.mark.parametrize("case", list(OURS))
def test_our_own_folders_stay_ours(case, tmp_path):
    out = tmp_path / "reports"
    if OURS[case] is not None:
        out.mkdir()
        _write(out, OURS[case])
    assert check_output_folder(out, is_catalogue) == out.resolve()


@pytest.mark.slow
def test_a_notebook_build_marks_its_new_output_folder(tmp_project, tmp_path, capsys):
    """A folder holding only notebooks/ used to count as ours by its name; now the notebook build marks it."""
    out = tmp_path / "new"
    assert cli.main(["build", "--notebook", "release_changes", "-p", "top=3", "--format", "html",
                     "--out", str(out)]) == 0, capsys.readouterr().err
    assert marked(out)
    assert check_output_folder(out, is_catalogue) == out.resolve()


# --- 2. a report folder that is a link to elsewhere ----------------------------------------------------------

@pytest.mark.parametrize("link_at", ["the report folder", "the states folder"])
def test_a_report_folder_that_is_a_link_is_refused(link_at, tmp_project, tmp_path, capsys):
    """reports/29-2072-…/ -> /elsewhere made a build clean and write there; now nothing there is touched."""
    out, elsewhere = tmp_path / "reports", tmp_path / "elsewhere"
    out.mkdir()
    mark_output_folder(out)
    elsewhere.mkdir()
    _write(elsewhere, {"precious.txt": "theirs", f".report.{MARK}-{_dead_pid()}.tmp.html": "looks like ours"})
    state = [] if link_at == "the report folder" else ["--state", "CA"]
    job = plan(["29-2072"], None, [state[1] if state else None], tmp_project)[0]
    link = out / (job.rel_dir if link_at == "the report folder" else "states")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere, target_is_directory=True)
    before, names = tree_digest(elsewhere), _names(elsewhere)

    assert cli.main(["build", "29-2072", *state, "--format", "html", "--out", str(out)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"career-report: error: {out.resolve() / link.relative_to(out)}: is a symbolic link "
                           f"(to {elsewhere})"), line
    with pytest.raises(ParameterError, match="is a symbolic link"):
        build([job], BuildOptions(formats=("html",), out=out), p=tmp_project)
    assert tree_digest(elsewhere) == before and _names(elsewhere) == names


def test_a_report_is_not_rendered_into_a_link(real, tmp_path):
    """The renderer itself refuses a folder that is a link (one planted after the catalogue's check)."""
    elsewhere, link = tmp_path / "elsewhere", tmp_path / "link"
    elsewhere.mkdir()
    link.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError, match=f"^{re.escape(str(link))}: is a symbolic link"):
        render_report(real.notebooks / "career_report.ipynb", link, {"soc_code": "29-2072"}, formats=("html",))
    assert list(elsewhere.iterdir()) == []


def test_a_notebook_is_not_built_through_a_link(real, tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "notebooks").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ParameterError, match=f"^{re.escape(str(out / 'notebooks'))}: is a symbolic link"):
        notebooks.build("release_changes", {"top": 3}, out=out, formats=("html",), p=real)
    assert list(elsewhere.iterdir()) == [] and _names(out) == {"notebooks"}


# --- 3. a link loop or a control character as --out ---------------------------------------------------------

def test_a_link_loop_as_out_is_one_line(tmp_project, tmp_path):
    """Path.resolve raised RuntimeError ("Symlink loop from …") through check_output_folder and build."""
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    before = _names(tmp_path)
    for out in (tmp_path / "a", tmp_path / "a" / "reports"):
        with pytest.raises(ParameterError) as err:
            check_output_folder(out, is_catalogue)
        assert str(err.value) == f"out {str(out)!r}: a loop of symbolic links; name a real folder"
        with pytest.raises(ParameterError, match="a loop of symbolic links"):
            build(plan(["29-2072"], p=tmp_project), BuildOptions(formats=("html",), out=out), p=tmp_project)
        assert cli.main(["build", "29-2072", "--out", str(out)]) == 2
    assert _names(tmp_path) == before


@pytest.mark.parametrize("name", ["two\nlines", "a\ttab", "colour\x1b[31m", "bell\x07"])
def test_an_out_with_a_control_character_is_refused(name, tmp_project, tmp_path, capsys):
    before = _names(tmp_path)
    out = tmp_path / name
    assert cli.main(["build", "29-2072", "--format", "html", "--out", str(out)]) == 2
    line = _one_line(capsys)
    assert line == (f"career-report: error: --out {str(out)!r}: holds a control character (a newline, a tab…); "
                    "name a folder without one")
    assert _names(tmp_path) == before


# --- 7. small ones ------------------------------------------------------------------------------------------

def test_the_same_report_asked_twice_is_planned_once(tmp_project):
    jobs = plan(["29-2072", "15-1252", " 29-2072", "29-2072"], p=tmp_project)
    assert [j.soc_code for j in jobs] == ["29-2072", "15-1252"]
    jobs = plan(["29-2072"], None, [None, "CA", "ca", None], tmp_project)
    assert [j.state for j in jobs] == [None, "CA"]
    a, b = jobs
    assert unique([a, b, a, b, a]) == [a, b]


@pytest.mark.parametrize("code", ["２９-２０７２", "٢٩-٢٠٧٢", "29-２０７２"])
def test_digits_of_other_scripts_are_not_a_soc_code(code, tmp_project, capsys):
    """Python's \\d matches any script's digits; a SOC code is ASCII digits only."""
    assert not is_soc(code) and is_soc("29-2072") and not is_soc("29-2072\n")
    with pytest.raises(ParameterError, match="is malformed: expected the form NN-NNNN"):
        store.check_soc(code, store.vintages(tmp_project)[0], tmp_project)
    assert cli.main(["show", code]) == 2
    assert "is malformed" in _one_line(capsys)


def test_a_bare_chromium_name_is_looked_up_on_path(tmp_path, monkeypatch):
    """CHROMIUM_PATH=chromium passed the check (the shell finds it) but not Playwright (it wants a path)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "my-chromium"
    fake.write_text("#!/bin/sh\necho 'Chromium 140.0'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("CHROMIUM_PATH", "my-chromium")
    assert chromium_path() == str(fake)
    check_browser()
    monkeypatch.setenv("CHROMIUM_PATH", "no-such-chromium")
    with pytest.raises(BuildError) as err:
        check_browser()
    assert str(err.value).startswith("Chromium 'no-such-chromium' (CHROMIUM_PATH) is not a path and is not found "
                                     "on PATH; install it")


@pytest.mark.slow  # the Dask client waits its 10 s connect timeout
def test_a_dask_build_that_cannot_connect_leaves_no_new_folder(tmp_project, tmp_path, capsys):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    out = tmp_path / "new" / "reports"
    rc = cli.main(["build", "29-2072", "--format", "html", "--executor", "dask", "--scheduler",
                   f"tcp://127.0.0.1:{port}", "--out", str(out)])
    assert rc == ClusterError.exit_code
    assert "no Dask scheduler answered" in _one_line(capsys)
    assert not (tmp_path / "new").exists()
    # A folder that was there before keeps what it had; only a folder the build made is removed.
    kept = tmp_path / "kept"
    kept.mkdir()
    with pytest.raises(ClusterError):
        build(plan(["29-2072"], p=tmp_project), BuildOptions(formats=("html",), out=kept, executor=make_executor(
            "dask", f"tcp://127.0.0.1:{port}")), p=tmp_project)
    assert {f.name for f in kept.iterdir()} <= {OUTPUT_MARKER, LOCK}


@pytest.mark.parametrize("argv", [["build", "--all"], ["refresh", "--only", "29-2072"]])
def test_jobs_is_bounded(tmp_path, capsys, monkeypatch, argv):
    """`--jobs 1000` would start a thousand kernels and browsers at once: refused, exit 2, before anything runs."""
    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(local, "ProcessPoolExecutor", no_pool)
    out = tmp_path / "reports"
    assert cli.main([*argv, "--jobs", "1000", "--out", str(out)]) == 2
    most = max(4, 2 * local.default_workers())
    assert capsys.readouterr().err == (f"career-report: error: --jobs 1000: expected a whole number from 1 to {most} "
                                       f"(twice the {local.default_workers()} core(s) here; each worker runs a "
                                       "kernel and a browser)\n")
    assert not out.exists()
    with pytest.raises(ParameterError, match="jobs 1000: expected a whole number from 1 to"):
        build(plan(["29-2072"]), BuildOptions(jobs=1000, out=out))
    assert not out.exists()
