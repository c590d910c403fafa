"""The Dask executor: a real scheduler and two workers as separate processes on 127.0.0.1.

Checks that reports built on the cluster match the local executor's, that a worker killed mid-run
loses no report, that the cluster's processes are all gone afterwards, and the CLI's bad inputs.
Every wait is bounded; a test that would hang fails instead.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import report_pdf

from analysis import cli
from analysis.catalogue import build as catalogue
from analysis.catalogue import cluster as dask_cluster
from analysis.catalogue import executors
from analysis.catalogue.jobs import plan
from analysis.catalogue.manifest import RECORD
from analysis.cli.reports import parse_states
from analysis.errors import ClusterError

BIN = Path(sys.executable).parent
SOCS = ["29-2072", "15-1252", "47-2111"]
BUILT_AT = re.compile(r"built \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


# --- a throw-away cluster ------------------------------------------------------------------------

def _all_pids() -> dict[int, int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True, check=True).stdout
    return {int(a): int(b) for a, b in (line.split() for line in out.splitlines())}


def descendants(pid: int) -> set[int]:
    """``pid`` and every process below it (kernels and browsers of a worker included)."""
    parents = _all_pids()
    found, todo = {pid}, [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parents.items() if pp == p} - found
        found |= kids
        todo += kids
    return found


def alive(pids) -> set[int]:
    """Those of ``pids`` still running (zombies count as gone)."""
    left = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            continue
        if state != "Z":
            left.add(pid)
    return left


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies, so no cluster outlives a killed run."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Cluster:
    """``dask scheduler`` and ``n`` × ``dask worker --nthreads 1`` on 127.0.0.1, each in its own session."""

    def __init__(self, folder: Path, root: Path, n: int = 2):
        self.folder, self.procs, self.seen = folder, [], set()
        folder.mkdir(parents=True, exist_ok=True)
        self.file = folder / "scheduler.json"
        self.logs = []
        try:
            self._launch(root, n)
        except BaseException:
            self.stop()
            raise

    def _launch(self, root: Path, n: int) -> None:
        env = {**os.environ, "CAREER_OUTLOOK_ROOT": str(root), "PYTHONUNBUFFERED": "1"}
        self._start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(self.file)], env, "scheduler")
        deadline = time.monotonic() + 60
        while not (self.file.exists() and self.file.stat().st_size):
            assert time.monotonic() < deadline, "the scheduler did not start in 60 s"
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        for i in range(n):
            self._start(["worker", "--scheduler-file", str(self.file), "--nthreads", "1", "--nworkers", "1",
                         "--no-dashboard", "--host", "127.0.0.1", "--death-timeout", "60"], env, f"worker{i}")
        if n:
            self.wait_for_workers(n)

    def _start(self, args, env, name):
        log = self.folder / f"{name}.log"
        self.logs.append(log)
        with open(log, "w") as fh:
            self.procs.append(subprocess.Popen([BIN / "dask", *args], stdout=fh, stderr=subprocess.STDOUT, env=env,
                                               start_new_session=True, preexec_fn=_die_with_parent, cwd=self.folder))

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=20, set_as_default=False)

    def wait_for_workers(self, n: int) -> None:
        with self.client() as c:
            c.wait_for_workers(n, timeout=90)

    def note_processes(self) -> set[int]:
        """Remember every process of the cluster now (the final check needs those that left the tree)."""
        for p in self.procs:
            self.seen |= descendants(p.pid)
        return self.seen

    def stop(self) -> set[int]:
        """SIGTERM (graceful: workers close their kernels and browsers), then SIGKILL; what is left."""
        self.note_processes()
        for p in reversed(self.procs):  # workers first, then the scheduler
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while alive(self.seen) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = alive(self.seen)
        for pid in left:  # the test then fails, but leaves nothing running behind it
            os.kill(pid, signal.SIGKILL)
        for p in self.procs:
            p.wait(timeout=10)
        return left


@pytest.fixture
def cluster(tmp_project, tmp_path):
    c = Cluster(tmp_path / "cluster", tmp_project.root)
    try:
        yield c
    finally:
        left = c.stop()
    assert not left, f"processes left after the cluster was shut down: {sorted(left)}"


def build_cli(*args, timeout=240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.cli", "build", *args], capture_output=True, text=True,
                          timeout=timeout, env=os.environ.copy())


def statuses(reports: Path) -> dict[str, str]:
    return {k: v["status"] for k, v in json.loads((reports / "manifest.json").read_text())["reports"].items()}


def normalised_html(path: Path) -> str:
    return BUILT_AT.sub("built <time> UTC", path.read_text(encoding="utf-8"))


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return BUILT_AT.sub("built <time> UTC", out)


# --- through the cluster --------------------------------------------------------------------------

def test_cluster_builds_the_same_reports_as_the_local_executor(cluster, tmp_project, tmp_path):
    on_dask, on_local = tmp_path / "dask", tmp_path / "local"
    r = build_cli(*SOCS, "--states", "CA", "--executor", "dask", "--scheduler", cluster.address, "--out", str(on_dask))
    assert r.returncode == 0, r.stderr
    assert "6 built, 0 up to date, 0 failed" in r.stderr
    cluster.note_processes()
    # Incremental through the cluster too: nothing changed, nothing is sent.
    r = build_cli(*SOCS, "--states", "CA", "--executor", "dask", "--scheduler", cluster.address, "--out", str(on_dask))
    assert r.returncode == 0 and "0 built, 6 up to date" in r.stderr, r.stderr
    # The run's warm kernels and browsers were closed when it ended: each worker process has no
    # children left (nanny -> worker process -> nothing of ours).
    with cluster.client() as c:
        pids = list(c.run(os.getpid).values())
    assert all(not (descendants(pid) - {pid}) for pid in pids), [descendants(p) for p in pids]

    r = build_cli(*SOCS, "--states", "CA", "--jobs", "2", "--out", str(on_local))
    assert r.returncode == 0, r.stderr

    jobs = plan(SOCS, None, [None, "CA"], tmp_project)
    assert statuses(on_dask) == statuses(on_local) == {j.rel_dir: "ok" for j in jobs}
    for j in jobs:
        a, b = on_dask / j.rel_dir, on_local / j.rel_dir
        assert sorted(f.name for f in a.iterdir()) == sorted([RECORD, "report.ipynb", *j.files.values()])
        assert normalised_html(a / "report.html") == normalised_html(b / "report.html"), j.rel_dir
        assert pdf_text(report_pdf(a)) == pdf_text(report_pdf(b)), j.rel_dir
    assert "California" in (on_dask / jobs[1].rel_dir / "report.html").read_text()


def test_a_worker_killed_mid_run_loses_no_report(cluster, tmp_project):
    socs = ["29-2072", "15-1252", "47-2111", "29-1141"]
    proc = subprocess.Popen([sys.executable, "-m", "analysis.cli", "build", *socs, "--executor", "dask",
                             "--scheduler", cluster.address], stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        line = proc.stderr.readline()  # the first report finished: both workers are warm and busy
        assert "[1/4] ok" in line, line + proc.stderr.read()
        with cluster.client() as c:
            busy = [addr for addr, keys in c.processing().items() if keys]
            victim = c.run(os.getpid, workers=busy[:1])[busy[0]]
        cluster.note_processes()  # its kernel and browser are among these: they must go too
        its_own = descendants(victim)  # its kernel, Playwright driver and Chromium
        assert len(its_own) >= 3, its_own
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while alive(its_own) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(its_own), "the killed worker's kernel or browser outlived it"
        rest = proc.stderr.read()
        assert proc.wait(timeout=180) == 0, rest
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "4 built, 0 up to date, 0 failed" in rest
    st = statuses(tmp_project.reports)
    assert len(st) == 4 and set(st.values()) == {"ok"}
    for rel in st:
        d = tmp_project.reports / rel
        # no temp files
        names = sorted(f.name for f in d.iterdir())  # no temp files: the record, the notebook, two pages, two PDFs
        assert len(names) == 6 and RECORD in names and "report.ipynb" in names and "handout.html" in names, d
        subprocess.run(["pdfinfo", str(report_pdf(d))], check=True, capture_output=True)
        assert (d / "report.html").read_text().rstrip().endswith("</html>")
    assert "killed by signal 9" in "".join(log.read_text() for log in cluster.logs)  # it did die mid-run
    cluster.wait_for_workers(2)  # its nanny started a fresh one


def test_no_worker_for_too_long_stops_the_run(tmp_project, tmp_path, monkeypatch):
    c = Cluster(tmp_path / "cluster", tmp_project.root, n=0)
    try:
        monkeypatch.setattr(dask_cluster, "NO_WORKERS_TIMEOUT", 1.0)
        monkeypatch.setattr(dask_cluster, "WATCH_INTERVAL", 0.5)
        jobs = plan(["29-2072"], None, [None], tmp_project)
        outcome = {}

        def run():
            try:
                catalogue.build(jobs, catalogue.BuildOptions(executor=executors.make_executor("dask", c.address)),
                                p=tmp_project)
            except Exception as err:
                outcome["err"] = err

        t = threading.Thread(target=run, daemon=True)
        t.start()
        t.join(timeout=60)
        assert not t.is_alive(), "the run did not give up"
        assert isinstance(outcome.get("err"), ClusterError)
        assert "no Dask worker connected" in str(outcome["err"]) and "1 report(s) not built" in str(outcome["err"])
    finally:
        left = c.stop()
    assert not left


# --- planning and bad input --------------------------------------------------------------------------

def test_states_plan_national_and_each_state(real):
    jobs = plan(["29-2072", "15-1252"], None, [None, "CA", "TX"], real)
    assert [j.rel_dir for j in jobs] == [
        "29-2072-medical-records-specialists", "states/CA/29-2072-medical-records-specialists",
        "states/TX/29-2072-medical-records-specialists", "15-1252-software-developers",
        "states/CA/15-1252-software-developers", "states/TX/15-1252-software-developers"]
    assert [j.state for j in jobs[:3]] == [None, "CA", "TX"]
    every = parse_states("all")
    assert every[0] is None and len(every) == 1 + 54  # 50 states, DC, Guam, Puerto Rico, Virgin Islands
    assert {"DC", "PR", "GU", "VI", "CA", "WY"} <= set(every)
    assert parse_states(" ca, TX,ca ") == [None, "CA", "TX"]


@pytest.mark.parametrize("bad, message", [
    (["--executor", "dask"], "--executor dask needs --scheduler"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler is for --executor dask"),
    (["--executor", "spark"], "--executor 'spark': expected one of local, dask"),
    (["--executor", "dask", "--scheduler", "not an address"], "expected an address like tcp://HOST:8786"),
    (["--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--jobs", "2"], "--jobs is for the local"),
    (["--state", "CA", "--states", "TX"], "not both"),
    (["--states", "ZZ"], "state 'ZZ' is not a state postal code"),
    (["--states", ","], "expected all or postal codes"),
])
def test_bad_cluster_arguments(bad, message, tmp_project, capsys):
    assert cli.main(["build", "29-2072", *bad]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err


@pytest.mark.parametrize(("content", "why"), [("garbage", "JSONDecodeError"), ("[1, 2]", "AttributeError"),
                                               ('{"type": "Scheduler"}', "no scheduler address in it"),
                                               ('{"address": "not an address"}', "no scheduler address in it")])
def test_a_scheduler_file_that_is_not_one_is_refused_at_once(content, why, tmp_project, tmp_path, capsys):
    path = tmp_path / "scheduler.json"
    path.write_text(content)
    assert cli.main(["build", "29-2072", "--executor", "dask", "--scheduler", str(path)]) == 2
    assert capsys.readouterr().err == f"career-report: error: --scheduler {path}: not a Dask scheduler file ({why})\n"


def test_unreachable_scheduler_is_a_quick_one_line_error(tmp_project, capsys, monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(dask_cluster, "CONNECT_TIMEOUT", 2.0)
    t0 = time.monotonic()
    rc = cli.main(["build", "29-2072", "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1, err
    assert f"--scheduler tcp://127.0.0.1:{port}: no Dask scheduler answered within 2 s" in err[0]
    assert time.monotonic() - t0 < 20
    assert not (tmp_project.reports / "manifest.json").exists()
