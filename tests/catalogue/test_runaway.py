"""A report that never ends (a cell that sleeps, a page whose script never yields, so Chromium never prints), a
browser, driver or kernel killed under a running build, and SIGTERM while a page is stuck.

Each report step has a deadline (execute, HTML, PDF): past it, that report fails with one line and the build goes
on; a dead browser or kernel is replaced and the report tried once more; a stop takes seconds whatever a page is
doing, and every process of the run goes with it. The reports are the real career report, on a copy of the
project whose notebook has one more cell, which hangs for the occupation named in CAREER_OUTLOOK_TEST_HANG.
Nothing here depends on timing but the deadlines themselves: the runaway steps would run for an hour.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest
from helpers import CLI, marked_processes, processes_left, report_pdf

from analysis.catalogue.jobs import NOTEBOOK
from analysis.catalogue.manifest import read_manifest
from analysis.errors import ReportTimeout
from analysis.paths import Paths
from analysis.render import deadlines, outputs

pytestmark = pytest.mark.slow
SOCS = ["29-2072", "15-1252", "47-2111"]
HANG_CELL = '''\
import os as _os, time as _time
from IPython.display import HTML as _HTML, display as _display
_hang = _os.environ.get("CAREER_OUTLOOK_TEST_HANG", "")
if _hang == f"execute:{soc_code}":
    _time.sleep(3600)
if _hang == f"pdf:{soc_code}":  # the page loads, then its script never lets Chromium print
    _display(_HTML("<script>setTimeout(function () { for (;;) {} }, 0)</script>"))
_once = _os.environ.get("CAREER_OUTLOOK_TEST_ONCE", "")  # the same, on the first attempt only (a marker file)
if _once and _once.split(":", 2)[1] == soc_code and not _os.path.exists(_once.split(":", 2)[2]):
    open(_once.split(":", 2)[2], "w").close()
    if _once.startswith("execute:"):
        _time.sleep(3600)
    else:
        _display(_HTML("<script>setTimeout(function () { for (;;) {} }, 0)</script>"))
'''


@pytest.fixture
def hostile(tmp_project: Paths) -> Paths:
    """The project copy, its career report notebook with the hanging cell at the end."""
    path = tmp_project.notebooks / NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(HANG_CELL))
    nbformat.write(nb, path)
    return tmp_project


def start(out: Path, env: dict, *socs: str) -> tuple[subprocess.Popen, str]:
    mark = uuid.uuid4().hex
    proc = subprocess.Popen([*CLI, "build", *(socs or SOCS), "--jobs", "1", "--out", str(out)],
                            env={**os.environ, "CAREER_OUTLOOK_TEST_MARK": mark, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    return proc, mark


def finish(proc: subprocess.Popen, timeout: float = 300) -> tuple[str, str]:
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"the build did not end within {timeout} s")


def gone(mark: str) -> list[str]:
    return processes_left(mark)


def report_dir(out: Path, soc: str) -> Path:
    return next(out.glob(f"{soc}-*"))


def statuses(out: Path) -> dict[str, tuple[str, str | None]]:
    return {rel.split("-", 2)[0] + "-" + rel.split("-", 2)[1]: (e["status"], e.get("error"))
            for rel, e in read_manifest(out)["reports"].items()}


@pytest.mark.parametrize(("step", "what"), [("execute", "career_report.ipynb: execution"),
                                            ("pdf", "printing its PDF")])
def test_a_runaway_report_fails_at_its_deadline_and_the_build_goes_on(hostile, tmp_path, step, what):
    out = tmp_path / "out"
    proc, mark = start(out, {"CAREER_OUTLOOK_TEST_HANG": f"{step}:15-1252",
                             f"CAREER_OUTLOOK_{step.upper()}_SECONDS": "4"})
    stdout, stderr = finish(proc)
    assert proc.returncode == 1, stderr[-2000:]
    assert "Traceback" not in stderr
    error = (f"{what} passed its deadline of 4 s (CAREER_OUTLOOK_{step.upper()}_SECONDS); stopped, the report is "
             "not written")
    got = statuses(out)
    assert got["15-1252"] == ("failed", error)
    assert got["29-2072"] == got["47-2111"] == ("ok", None)  # after it, on the same worker: tools replaced
    assert f"FAILED {report_dir(out, '15-1252').name}: {error}" in stderr
    assert not list(report_dir(out, "15-1252").glob("*.pdf"))
    assert all(report_pdf(report_dir(out, s)).stat().st_size > 10_000 for s in ("29-2072", "47-2111"))
    assert gone(mark) == []


def test_sigterm_stops_a_build_stuck_on_a_page_within_seconds(hostile, tmp_path):
    """The page's PDF would never print and its deadline is an hour away: SIGTERM still ends the run at once."""
    out = tmp_path / "out"
    proc, mark = start(out, {"CAREER_OUTLOOK_TEST_HANG": "pdf:29-2072", "CAREER_OUTLOOK_PDF_SECONDS": "3600"},
                       "29-2072", "15-1252")
    limit = time.monotonic() + 180
    while not (out.exists() and list(out.glob("29-2072-*/report.ipynb"))):  # executed: now at HTML, then PDF
        assert proc.poll() is None and time.monotonic() < limit, proc.stderr.read()[-2000:]
        time.sleep(0.1)
    time.sleep(1)  # well into printing (HTML takes milliseconds); the print itself would never end
    os.kill(proc.pid, signal.SIGTERM)
    t0 = time.monotonic()
    stdout, stderr = finish(proc)
    # the page would hold the run for an hour: a bound far below that and far above a stop on a busy machine
    assert time.monotonic() - t0 < 120, "the stop waited for the page"
    assert proc.returncode == 143, stderr[-2000:]
    assert stderr.strip().splitlines()[-1].startswith("career-report: stopped by SIGTERM;")
    assert "Traceback" not in stderr
    assert gone(mark) == []
    assert not [f for f in out.rglob("*") if ".tmp" in f.name]


def processes(mark: str, name: str) -> list[psutil.Process]:
    found = []
    for line in marked_processes(mark):
        try:
            process = psutil.Process(int(line.split(" ", 1)[0]))
            if name in " ".join(process.cmdline()):
                found.append(process)
        except psutil.Error:
            continue
    return found


@pytest.mark.parametrize(("victim", "when"), [
    ("chrom", "between"), ("run-driver", "between"), ("ipykernel_launcher", "between"),
    ("chrom", "pdf"), ("run-driver", "pdf"), ("ipykernel_launcher", "execute")],
    ids=["chromium-between-reports", "driver-between-reports", "kernel-between-reports",
         "chromium-while-printing", "driver-while-printing", "kernel-while-executing"])
def test_a_tool_killed_under_a_build_is_replaced(hostile, tmp_path, victim, when):
    """Chromium, Playwright's driver or the kernel killed while the build runs: after the first report (so
    between reports or in one), or while 15-1252 is stuck executing or printing (its first attempt only). The
    worker notices, starts another, retries the report it was on once; every report is built."""
    out, marker = tmp_path / "out", tmp_path / "first-attempt"
    socs = [*SOCS, "29-1141", "11-1011"]
    env = {} if when == "between" else {"CAREER_OUTLOOK_TEST_ONCE": f"{when}:15-1252:{marker}"}
    proc, mark = start(out, env, *socs)
    limit = time.monotonic() + 180
    if when == "between":
        while not (out.exists() and list(out.glob("*/.build.json"))):
            assert proc.poll() is None and time.monotonic() < limit, proc.stderr.read()[-2000:]
            time.sleep(0.1)
    else:
        ready = (lambda: marker.exists()) if when == "execute" else \
            (lambda: marker.exists() and list(out.glob("15-1252-*/report.ipynb")))
        while not ready():
            assert proc.poll() is None and time.monotonic() < limit, proc.stderr.read()[-2000:]
            time.sleep(0.1)
        time.sleep(1)  # into the sleep or the print, which would last an hour
    killed = processes(mark, victim)
    assert killed, marked_processes(mark)
    for p in killed:
        p.kill()
    stdout, stderr = finish(proc)
    assert proc.returncode == 0, stderr[-2000:]
    assert f"{len(socs)} built, 0 up to date, 0 failed" in stderr
    assert all(s == ("ok", None) for s in statuses(out).values())
    assert all(report_pdf(report_dir(out, s)).stat().st_size > 10_000 for s in socs)
    assert gone(mark) == []


def test_the_html_deadline_interrupts_nbconvert(tmp_path, monkeypatch):
    """nbconvert runs in the build's own process: an interval timer ends it at its deadline, and nothing is
    written."""
    def forever(nb, title=None):
        while True:
            pass

    monkeypatch.setattr(outputs, "to_html", forever)
    monkeypatch.setenv("CAREER_OUTLOOK_HTML_SECONDS", "0.5")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})],
                                  metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ReportTimeout) as err:
        outputs.render_report(path, tmp_path / "out", {}, formats=("html",))
    assert str(err.value) == (f"{tmp_path / 'out'}: its HTML passed its deadline of 0.5 s "
                              "(CAREER_OUTLOOK_HTML_SECONDS); stopped, the report is not written")
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == ["report.ipynb"]


@pytest.mark.parametrize("value", ["0", "-1", "nan", "soon", "1e9"])
def test_a_bad_deadline_is_one_line(value, monkeypatch):
    monkeypatch.setenv("CAREER_OUTLOOK_PDF_SECONDS", value)
    with pytest.raises(Exception) as err:
        deadlines.seconds("pdf")
    assert str(err.value) == (f"CAREER_OUTLOOK_PDF_SECONDS={value!r}: expected a number of seconds from 0 to "
                              "86,400 (a day)")
