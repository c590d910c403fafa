"""How a run ends when it is stopped or its surroundings are odd: Ctrl-C (SIGINT to the whole process group,
as a terminal sends it), SIGTERM (kill, systemd, a CI timeout), SIGKILL; closed standard streams; a reader
that leaves a pipe early. Each is one line and an exit status, no traceback, no process and no temp file
left behind, and the next run picks up where the stopped one left off."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from helpers import CLI, processes_left, report_pdf

from analysis.catalogue.manifest import read_manifest
from analysis.locks import RUN_TEMP_PREFIX

F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Linux; Python names it from 3.10
SOCS = ["29-2072", "15-1252", "47-2111", "29-1141", "11-1011", "43-4051", "29-1171", "25-2021"]


@pytest.fixture
def short_tmp():
    """A private temp folder with a short path, like /tmp: kernels then talk over Unix sockets in it."""
    tmp = Path(tempfile.mkdtemp(prefix="co-", dir="/tmp"))
    yield tmp
    shutil.rmtree(tmp, ignore_errors=True)


def start(tmp: Path, out: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """A build in its own session (so a signal to its group reaches it and its children, as from a
    terminal), with a private TMPDIR we can inspect."""
    mark = uuid.uuid4().hex
    env = {**os.environ, "CAREER_OUTLOOK_TEST_MARK": mark, "TMPDIR": str(tmp)}
    proc = subprocess.Popen([*CLI, "build", *SOCS, "--jobs", "2", "--out", str(out), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    return proc, mark


def finished(out: Path) -> set[str]:
    """The reports the manifest of ``out`` lists as built: what a rerun counts as up to date."""
    if not out.exists():
        return set()
    return {rel for rel, e in read_manifest(out)["reports"].items() if e["status"] == "ok"}


def wait_for_reports(proc: subprocess.Popen, out: Path, n: int = 2) -> set[str]:
    """Until the manifest lists ``n`` reports of this run as built (workers, kernels and browsers are all up and
    busy): the reports that count as finished when the signal is sent, whatever the load. (Waiting for ``n``
    ``.build.json`` records instead raced the manifest, written just after each record: a signal between the two
    left one finished report fewer than expected.)"""
    deadline = time.monotonic() + 600  # only a bound for a build that hangs; nothing is timed
    while time.monotonic() < deadline:
        done = finished(out)
        if len(done) >= n:
            return done
        if proc.poll() is not None:
            pytest.fail(f"the build ended early: {proc.stderr.read()[-2000:]}")
        time.sleep(0.2)
    proc.kill()
    pytest.fail("the build never got going")


def gone(mark: str) -> list[str]:
    return processes_left(mark)


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "to_group", "status"), [(signal.SIGINT, True, 130), (signal.SIGTERM, False, 143),
                                                          (signal.SIGTERM, True, 143), (signal.SIGHUP, True, 129)],
                         ids=["ctrl-c to the group", "sigterm to the build", "sigterm to the group (systemd)",
                              "sighup to the group"])
def test_a_stopped_build_says_so_in_one_line_and_leaves_nothing(sig, to_group, status, tmp_project, tmp_path,
                                                               short_tmp):
    out, tmp = tmp_path / "out", short_tmp
    proc, mark = start(tmp, out)
    before = wait_for_reports(proc, out)
    (os.killpg if to_group else os.kill)(proc.pid, sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == status, stderr[-2000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    assert stderr.strip().splitlines()[-1] == (
        f"career-report: stopped by {signal.Signals(sig).name}; finished reports and data are kept, nothing is "
        "half-written; run the same command again to finish")
    assert stdout == ""  # no report path printed as if the run had finished
    assert gone(mark) == []
    assert list(tmp.iterdir()) == []  # kernels' sockets, Chromium's profile: all went with the run
    assert not [f for f in out.rglob("*") if ".tmp" in f.name]
    built = finished(out)
    assert built >= before and len(built) >= 2 and all((report_pdf(out / rel)).stat().st_size > 10_000 for rel in built)

    rerun = subprocess.run([*CLI, "build", *SOCS, "--jobs", "2", "--out", str(out)], capture_output=True, text=True,
                           timeout=300, env={**os.environ, "TMPDIR": str(tmp)})
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"{len(SOCS) - len(built)} built, {len(built)} up to date, 0 failed" in rerun.stderr


@pytest.mark.slow
def test_the_temp_folder_of_a_killed_run_is_removed_by_the_next(tmp_project, tmp_path, short_tmp):
    out, tmp = tmp_path / "out", short_tmp
    proc, mark = start(tmp, out)
    wait_for_reports(proc, out, 1)
    os.kill(proc.pid, signal.SIGKILL)  # no clean-up can run
    proc.communicate(timeout=60)
    assert gone(mark) == []
    left = list(tmp.iterdir())
    assert [p.name.startswith(RUN_TEMP_PREFIX) for p in left] == [True]  # everything inside the run's folder
    foreign = tmp / f"{RUN_TEMP_PREFIX}not-a-run.txt"
    foreign.write_text("a file, not a run's folder")
    others = tmp / "someone-elses"
    others.mkdir()
    done = subprocess.run([*CLI, "list", "medical records"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "TMPDIR": str(tmp)})
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp.iterdir()) == sorted([foreign.name, others.name])


@pytest.mark.slow
def test_a_build_with_its_standard_streams_closed_still_builds(tmp_project, tmp_path):
    """Cron or a daemon may start us with stdout, stderr or stdin closed: the work is done, the status tells."""
    out = tmp_path / "out"
    done = subprocess.run(" ".join([*CLI, "build", "29-2072", "--out", str(out)]) + " >&- 2>&- <&-", shell=True,
                          timeout=300)
    assert done.returncode == 0
    assert (report_pdf(out / "29-2072-medical-records-specialists")).stat().st_size > 10_000


def test_a_reader_that_leaves_the_pipe_early_gets_no_traceback(tmp_project):
    """`career-report list | head -1`, made deterministic: the pipe is shrunk to 4 KiB (F_SETPIPE_SZ), so the
    ~50 KB listing cannot all be written before the reader leaves (with a 64 KiB pipe it sometimes was, and the
    run then ended normally, printing its count: a race, not the case under test)."""
    r, w = os.pipe()
    fcntl.fcntl(w, F_SETPIPE_SZ, 4096)
    proc = subprocess.Popen([*CLI, "list"], stdout=w, stderr=subprocess.PIPE, text=True)
    os.close(w)
    with os.fdopen(r) as reader:
        first = reader.readline()
    _, err = proc.communicate(timeout=60)
    assert first.startswith("11-1011")
    assert err == ""
    assert proc.returncode == 141  # 128 + SIGPIPE, as a shell tool ends (docs/operations.md)


@pytest.mark.slow
def test_a_failed_report_is_not_printed_as_built(tmp_project, tmp_path):
    """A browser that answers --version but cannot be launched: every report fails; stdout names none of them."""
    fake = tmp_path / "chromium"
    fake.write_text('#!/bin/sh\ncase "$*" in *--version*) echo "Chromium 1.0"; exit 0;; esac\nexit 1\n')
    fake.chmod(0o755)
    done = subprocess.run([*CLI, "build", "29-2072", "--out", str(tmp_path / "out")], capture_output=True,
                          text=True, timeout=180, env={**os.environ, "CHROMIUM_PATH": str(fake)})
    assert done.returncode == 1
    assert "1 failed" in done.stderr and done.stdout == ""


def test_a_root_that_is_not_a_checkout_is_refused_before_anything_is_written(tmp_path):
    elsewhere = tmp_path / "etc"
    elsewhere.mkdir()
    done = subprocess.run([*CLI, "show", "29-2072"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "CAREER_OUTLOOK_ROOT": str(elsewhere)})
    assert done.returncode == 2
    assert done.stderr.strip() == (f"career-report: error: CAREER_OUTLOOK_ROOT={elsewhere}: not a career-outlook "
                                   "checkout (no data/raw or notebooks folder in it)")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow
def test_a_long_temp_folder_path_still_starts_kernels(tmp_project, tmp_path):
    """A Unix socket path may not pass 108 bytes: under a long $TMPDIR the kernel talks TCP on 127.0.0.1."""
    tmp = tmp_path / ("long-" * 12)
    tmp.mkdir()
    done = subprocess.run([*CLI, "build", "29-2072", "--format", "html", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=180, env={**os.environ, "TMPDIR": str(tmp)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(str(tmp)) + len("/career-outlook-run-12345-abcdefgh/ak-12345678/k-1") > 107
    assert list(tmp.iterdir()) == []
