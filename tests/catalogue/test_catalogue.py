"""The catalogue: incremental, safe to interrupt, failure-isolating, locked, with a working index."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import nbformat
import pytest
from helpers import report_pdf

from analysis import cli
from analysis.catalogue import build as catalogue
from analysis.catalogue import local as executors
from analysis.catalogue.jobs import plan
from analysis.catalogue.manifest import RECORD
from analysis.tables import dataset

SOCS = ["29-2072", "15-1252", "47-2111"]


def run_build(p, socs=SOCS, **kw):
    jobs = plan(socs, None, [None], p)
    return jobs, catalogue.build(jobs, catalogue.BuildOptions(jobs=2, **kw), p=p)


def statuses(reports):
    return {k: v["status"] for k, v in json.loads((reports / "manifest.json").read_text())["reports"].items()}


def test_incremental_skip_and_rebuild_after_an_input_changes(tmp_project):
    jobs, first = run_build(tmp_project)
    assert (first.built, first.skipped) == (3, 0)
    pdf = report_pdf(tmp_project.reports / jobs[1].rel_dir)
    mtime = pdf.stat().st_mtime_ns

    _, again = run_build(tmp_project)
    assert (again.built, again.skipped) == (0, 3)
    assert pdf.stat().st_mtime_ns == mtime

    # A curated fact for one occupation changes: only its report is rebuilt.
    cur = tmp_project.curated / "29-2072.yml"
    cur.write_text(cur.read_text().replace("Job security.", "Steady demand for the work."))
    dataset.run(tmp_project)
    _, after = run_build(tmp_project)
    assert (after.built, after.skipped) == (1, 2)
    assert "Steady demand for the work." in (tmp_project.reports / jobs[0].rel_dir / "report.html").read_text()

    # A deleted output is rebuilt; --force rebuilds everything.
    (report_pdf(tmp_project.reports / jobs[2].rel_dir)).unlink()
    _, missing = run_build(tmp_project)
    assert (missing.built, missing.skipped) == (1, 2)
    _, forced = run_build(tmp_project, force=True)
    assert forced.built == 3


def test_notebook_change_rebuilds_all(tmp_project):
    run_build(tmp_project)
    path = tmp_project.notebooks / "career_report.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A new closing note."))
    nbformat.write(nb, path)
    _, after = run_build(tmp_project)
    assert after.built == 3


def test_a_failing_occupation_does_not_stop_the_others(tmp_project, capsys):
    path = tmp_project.notebooks / "career_report.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell(
        'if soc_code == "15-1252":\n    raise RuntimeError("simulated failure for one occupation")'))
    nbformat.write(nb, path)
    rc = cli.main(["build", *SOCS, "--jobs", "2"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "2 built, 0 up to date, 1 failed" in err
    assert "FAILED 15-1252-software-developers" in err and "simulated failure for one occupation" in err
    st = statuses(tmp_project.reports)
    assert st == {"29-2072-medical-records-specialists": "ok", "15-1252-software-developers": "failed",
                  "47-2111-electricians": "ok"}
    failed = tmp_project.reports / "15-1252-software-developers"
    assert (failed / "report.ipynb").exists() and not list(failed.glob("*.pdf"))
    index = (tmp_project.reports / "index.html").read_text()
    assert "29-2072" in index and "15-1252" in index


def test_second_run_exits_with_a_clear_message_or_waits(tmp_project, capsys):
    tmp_project.reports.mkdir(parents=True, exist_ok=True)
    with catalogue.build_lock(tmp_project.reports):
        rc = cli.main(["build", "29-2072", "--format", "html"])
        err = capsys.readouterr().err
        assert rc == 75
        assert "another build is running (pid" in err and "--wait" in err
        assert not (tmp_project.reports / "manifest.json").exists()

    lock = catalogue.build_lock(tmp_project.reports)
    lock.__enter__()
    threading.Timer(1.5, lock.__exit__, (None, None, None)).start()
    t0 = time.monotonic()
    assert cli.main(["build", "29-2072", "--format", "html", "--wait"]) == 0
    assert time.monotonic() - t0 >= 1.4
    assert statuses(tmp_project.reports) == {"29-2072-medical-records-specialists": "ok"}


def test_a_forked_worker_does_not_keep_the_build_lock(tmp_project):
    """Workers forked by a build get a copy of its lock's descriptor; they must drop it, or a worker
    outliving a killed build would block the next run."""
    tmp_project.reports.mkdir(parents=True, exist_ok=True)
    lock = catalogue.build_lock(tmp_project.reports).__enter__()
    ready, started = os.pipe()
    child = os.fork()
    if child == 0:  # stands for a pool worker still busy after its build was killed
        os.write(started, b"1")  # fork() has returned here: the at-fork handlers have run
        time.sleep(5)
        os._exit(0)
    try:
        assert os.read(ready, 1) == b"1"
        lock.fh.close()  # the build dies: its descriptor closes without unlocking
        with catalogue.build_lock(tmp_project.reports):  # BuildLocked if the child still held the lock
            assert os.waitpid(child, os.WNOHANG) == (0, 0)  # ...while the child is still alive
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        os.close(ready)
        os.close(started)


def test_workers_are_forked_only_from_a_single_threaded_parent():
    code = "from analysis.catalogue import local; print(local.start_method().get_start_method())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "fork"

    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert executors.start_method().get_start_method() == "spawn"
    finally:
        stop.set()
        t.join()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _complete(folder) -> bool:
    """Every output present is whole: a PDF poppler can read, HTML that ends, a notebook that parses."""
    for f in folder.iterdir():
        if f.suffix == ".pdf":
            subprocess.run(["pdfinfo", str(f)], check=True, capture_output=True)
        elif f.suffix == ".html":
            assert f.read_text().rstrip().endswith("</html>")
        elif f.suffix == ".ipynb":
            nbformat.read(f, as_version=4)
    return True


def first_progress_line(proc) -> str:
    """The first per-report line a build prints (after any note such as a data rebuild)."""
    for line in proc.stderr:
        if "] ok " in line or "] FAILED " in line:
            return line
    return ""


def test_worker_killed_mid_report_is_retried_and_leaves_no_partial_file(tmp_project):
    socs = ["29-2072", "15-1252", "47-2111", "29-1141", "11-1011", "43-4051"]
    proc = subprocess.Popen([sys.executable, "-m", "analysis.cli", "build", *socs, "--jobs", "2"],
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    line = first_progress_line(proc)  # the first report finished: workers are warm and busy
    assert "[1/6] ok" in line, line
    workers = [c for c in _children(proc.pid) if _children(c)]  # pool workers own a kernel and a browser
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    rest = proc.stderr.read()
    assert proc.wait(timeout=180) == 0, rest
    assert statuses(tmp_project.reports) == {k: "ok" for k in statuses(tmp_project.reports)}
    assert len(statuses(tmp_project.reports)) == 6
    for d in tmp_project.reports.iterdir():
        if d.is_dir():
            assert _complete(d)
            assert not [f.name for f in d.iterdir() if f.name.startswith(".") and f.name != RECORD]


def test_build_killed_outright_resumes_next_run(tmp_project):
    socs = ["29-2072", "15-1252", "47-2111", "29-1141"]
    proc = subprocess.Popen([sys.executable, "-m", "analysis.cli", "build", *socs, "--jobs", "2"],
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert "[1/4] ok" in first_progress_line(proc)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole build, workers, kernels and browsers: like kill -9 of cron's job
    proc.wait()
    for d in tmp_project.reports.iterdir():
        if d.is_dir():
            assert _complete(d)
    _, summary = run_build(tmp_project, socs=socs)
    assert summary.ok and summary.built + summary.skipped == 4 and summary.skipped >= 1
    for d in tmp_project.reports.iterdir():
        if d.is_dir():
            # stale temp files cleaned
            assert not [f.name for f in d.iterdir() if f.name.startswith(".") and f.name != RECORD]


@pytest.mark.parametrize("bad", [["--all", "29-2072"], [], ["--jobs", "0", "29-2072"]])
def test_bad_build_arguments(bad, capsys):
    assert cli.main(["build", *bad]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
