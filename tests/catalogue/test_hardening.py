"""The unhappy path of a build run unattended: a killed parent leaves no process behind, only our own temp
files are ever removed, implausible output folders are refused, a damaged manifest is rebuilt from disk, a
full disk and a browser that cannot start are one line each, and no text in the data can break the index."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from helpers import CLI, marked_processes, processes_left, tree_digest

from analysis import cli
from analysis.catalogue import index_page
from analysis.catalogue.build import BuildOptions, build
from analysis.catalogue.jobs import plan
from analysis.catalogue.manifest import MANIFEST, read_manifest
from analysis.files import MARK, mark_output_folder, remove_stale_temp_files
from analysis.render.pdf import CHROMIUM_ARGS, chromium_path
from analysis.tables import store


@pytest.mark.slow
def test_sigkill_of_the_build_leaves_no_process_then_a_rerun_completes(tmp_project):
    """kill -9 of `career-report build` (what `timeout -s KILL` or the OOM killer does) mid-catalogue: within
    a few seconds no worker, kernel, Playwright driver or Chromium of that run is left."""
    mark = uuid.uuid4().hex
    env = {**os.environ, "CAREER_OUTLOOK_TEST_MARK": mark}
    socs = ["29-2072", "15-1252", "47-2111", "29-1141", "11-1011", "43-4051"]
    proc = subprocess.Popen([*CLI, "build", *socs, "--jobs", "2"], env=env, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until workers have their kernels and browsers
        names = " ".join(marked_processes(mark))
        if "ipykernel" in names and "chromium" in names:
            break
        time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the build never started its kernels and browsers")
    os.kill(proc.pid, signal.SIGKILL)  # the parent only: its children must follow it on their own
    proc.wait()
    left = processes_left(mark)
    assert left == [], f"{len(left)} processes outlived the build: {left[:5]}"

    done = subprocess.run([*CLI, "build", *socs, "--jobs", "2", "--format", "html"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert all((tmp_project.reports / j.rel_dir / "report.html").exists() for j in plan(socs, p=tmp_project))


def _dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


@pytest.mark.slow
def test_only_our_own_stale_temp_files_are_removed(tmp_project, tmp_path):
    out = tmp_path / "reports"
    job = plan(["29-2072"], p=tmp_project)[0]
    folder = out / job.rel_dir
    folder.mkdir(parents=True)
    mark_output_folder(out)  # an established catalogue folder
    sleeper = subprocess.Popen(["sleep", "60"])  # a build still running elsewhere
    try:
        dead, live = _dead_pid(), sleeper.pid
        keep = [out / ".index.html.tmp", folder / ".notes.tmp.txt", folder / ".report.12345.tmp.pdf",  # not ours
                folder / f".report.{MARK}-{live}.tmp.html", out / f".manifest.json.{MARK}-{live}-abc.tmp"]  # live
        gone = [folder / f".report.{MARK}-{dead}.tmp.html", out / f".index.html.{MARK}-{dead}-x1y2.tmp"]
        for f in keep + gone:
            f.write_text("x")
        (out / "nested" / job.rel_dir).mkdir(parents=True)
        nested_live = out / "nested" / job.rel_dir / f".report.{MARK}-{dead}.tmp.pdf"  # not a folder it writes
        nested_live.write_text("x")
        (out / "nested" / "manifest.json").write_text('{"reports": {}}')
        summary = build([job], BuildOptions(formats=("html",), out=out), p=tmp_project)
        assert summary.ok
        assert all(f.exists() for f in keep), [f.name for f in keep if not f.exists()]
        assert not any(f.exists() for f in gone)
        assert nested_live.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_zombie_writers_temp_files_are_removed(tmp_path):
    """A worker killed with its build stays a zombie until init reaps it; it can write nothing more, so its temp
    files are stale (a run that started while one was still listed left them behind once)."""
    zombie = subprocess.Popen(["true"])  # exits at once; not waited for, so it stays a zombie
    deadline = time.monotonic() + 60  # a bound for a machine that never schedules it; the loop ends at once
    while Path(f"/proc/{zombie.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        stale = tmp_path / f".report.{MARK}-{zombie.pid}.tmp.html"
        live = tmp_path / f".report.{MARK}-{sleeper.pid}.tmp.html"
        for f in (stale, live):
            f.write_text("x")
        assert remove_stale_temp_files(tmp_path) == [stale]
        assert live.exists() and not stale.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
        zombie.wait()


@pytest.mark.parametrize("where", ["root", "home", "foreign"])
def test_implausible_output_folders_are_refused(where, tmp_project, tmp_path, monkeypatch, capsys):
    foreign = tmp_path / "someone-elses"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    target = {"root": "/", "home": str(tmp_path / "home"), "foreign": str(foreign)}[where]
    before = tree_digest(tmp_path)
    assert cli.main(["build", "29-2072", "--format", "html", "--out", target]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"career-report: error: --out {Path(target).resolve()}: "), err
    assert {"root": "root of the file system", "home": "home folder",
            "foreign": "not career-outlook's; use an empty or new folder, or --allow-out"}[where] in err[0]
    assert tree_digest(tmp_path) == before


@pytest.mark.slow
def test_allow_out_writes_into_a_foreign_folder_and_touches_nothing_else(tmp_project, tmp_path, capsys):
    foreign = tmp_path / "site"
    foreign.mkdir()
    (foreign / "about.html").write_text("theirs")
    assert cli.main(["build", "29-2072", "--format", "html", "--out", str(foreign), "--allow-out"]) == 0
    assert (foreign / "about.html").read_text() == "theirs"
    assert (foreign / "index.html").exists()
    # marked as ours now: a later build there needs no flag
    assert cli.main(["build", "29-2072", "--format", "html", "--out", str(foreign)]) == 0


@pytest.mark.parametrize("value", ["../escaped.csv", "/tmp/career-outlook-escaped.csv", "sub/x.csv", ".hidden.csv"])
def test_a_notebook_parameter_cannot_write_outside_its_folder(value, tmp_project, tmp_path, capsys):
    before = tree_digest(tmp_path)
    rc = cli.main(["build", "--notebook", "explore_occupations", "-p", f"results_csv={value}", "--out",
                   str(tmp_path / "out")])
    assert rc == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "results_csv" in err[0] and "plain file name" in err[0], err
    assert tree_digest(tmp_path) == before and not (tmp_path / "out").exists()
    assert not Path("/tmp/career-outlook-escaped.csv").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_number_parameter_must_be_finite(value, tmp_project, capsys):
    assert cli.main(["build", "--notebook", "explore_occupations", "-p", f"min_pay={value}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "min_pay" in err[0] and "is not a float" in err[0], err


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncated", "not json", "wrong shape", "deleted"])
def test_a_damaged_manifest_is_rebuilt_from_the_report_folders(damage, tmp_project, capsys):
    socs = ["29-2072", "11-1011", "15-1252"]
    assert cli.main(["build", *socs, "--format", "html"]) == 0
    capsys.readouterr()
    path = tmp_project.reports / MANIFEST
    whole = path.read_text()
    {"truncated": lambda: path.write_text(whole[: len(whole) // 2]),
     "not json": lambda: path.write_bytes(b"\x00\xff garbage"),
     "wrong shape": lambda: path.write_text(json.dumps({"reports": {"x": "y"}})),
     "deleted": path.unlink}[damage]()
    assert cli.main(["build", *socs, "--format", "html"]) == 0
    err = capsys.readouterr().err
    assert f"{path}: " in err and "rebuilt from the 3 report folder(s) on disk" in err
    assert "0 built, 3 up to date" in err  # nothing rebuilt: the records in the folders say what each is
    assert len(read_manifest(tmp_project.reports)["reports"]) == 3
    page = (tmp_project.reports / "index.html").read_text()
    assert all(f'"soc_code":"{s}"' in page for s in socs)


def _unshare() -> list[str]:
    """A private mount namespace for a test's tmpfs (as root; with a user namespace otherwise)."""
    return ["unshare", "--mount", "--propagation", "private"] + ([] if os.geteuid() == 0 else ["--map-root-user"])


@pytest.mark.slow
def test_a_full_disk_while_writing_the_index_is_one_line_and_keeps_the_old_index(tmp_project, tmp_path):
    out = tmp_path / "reports"
    done = subprocess.run([*CLI, "build", "29-2072", "--format", "html", "--out", str(out)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    old_index = (out / "index.html").read_bytes()
    (out / "index.html").write_bytes(old_index[:-100] + b"<!-- old -->\n")  # so a rewrite would show
    before = tree_digest(out)
    # In a private mount namespace: a tmpfs holding a copy of the folder with almost no room left.
    script = (f"set -e; mkdir -p {tmp_path}/full; mount -t tmpfs -o size=8m tmpfs {tmp_path}/full; "
              f"cp -a {out} {tmp_path}/full/reports; "
              # leave one 4 kB block: the lock file's few bytes fit, a new index does not
              f"avail=$(df --output=avail -k {tmp_path}/full | tail -1); "
              f"dd if=/dev/zero of={tmp_path}/full/filler bs=4k count=$((avail / 4 - 1)) 2>/dev/null || true; set +e; "
              f"{sys.executable} -m analysis.cli build 29-2072 --format html --out {tmp_path}/full/reports; "
              f"echo rc=$?; sha256sum {tmp_path}/full/reports/index.html")
    done = subprocess.run([*_unshare(), "sh", "-c", script], capture_output=True, text=True, timeout=300)
    err = [ln for ln in done.stderr.splitlines() if ln.startswith("career-report: error:")]
    assert len(err) == 1, done.stderr[-2000:]
    assert "No space left on device" in err[0] and "/full/reports/" in err[0], err[0]
    assert "rc=1" in done.stdout
    assert "Traceback" not in done.stderr
    assert hashlib.sha256((out / "index.html").read_bytes()).hexdigest() in done.stdout  # the old index, whole
    assert tree_digest(out) == before  # the original folder (outside the namespace) untouched


@pytest.mark.slow
def test_a_browser_that_cannot_start_is_named_once(tmp_project, tmp_path):
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'error while loading shared libraries: libnss3.so' >&2\nexit 127\n")
    broken.chmod(0o755)
    t0 = time.monotonic()
    done = subprocess.run([*CLI, "build", "29-2072", "11-1011", "--out", str(tmp_path / "out")], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "CHROMIUM_PATH": str(broken)})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1] == (f"career-report: error: Chromium {broken} cannot start (exit 127: error while loading shared "
                         "libraries: libnss3.so); install it with `make setup` (Debian's chromium) or point "
                         "CHROMIUM_PATH at a Chromium"), lines
    assert "died" not in done.stderr and time.monotonic() - t0 < 30


HOSTILE = ['<!--<script>alert(1)</script>', '</script><script>alert(2)</script>', '"><img src=x onerror=alert(3)>',
           "\u2028 line separator & ampersand </title>"]


@pytest.mark.slow
def test_hostile_titles_cannot_break_the_index(real, tmp_path, monkeypatch):
    """Titles and job titles crafted to end the data's <script>, open a comment or inject markup: in a real
    browser the page lists every report, shows the text as text, and no script of theirs runs."""
    from playwright.sync_api import sync_playwright

    proj = store.table("projections", real).copy()
    socs = ["29-2072", "11-1011", "15-1252", "47-2111"]
    latest = store.vintages(real)[0]
    for soc, text in zip(socs, HOSTILE, strict=True):
        proj.loc[(proj["soc_code"] == soc) & (proj["vintage"] == latest), "title"] = text
    manifest = {"reports": {j.rel_dir: {"parameters": j.parameters, "title": j.title, "status": "ok",
                                        "formats": ["html"]} for j in plan(socs, p=real)}}
    original = store.table
    monkeypatch.setattr(store, "table", lambda name, p=None: proj if name == "projections" else original(name, p))
    (tmp_path / "index.html").write_text(index_page.render(manifest, real, tmp_path))
    dialogs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto((tmp_path / "index.html").as_uri())
        rows = page.locator("#reports tbody tr")
        assert rows.count() == 4
        shown = page.locator("#reports tbody td strong").all_inner_texts()
        assert set(HOSTILE[:3]) <= set(shown) and any("ampersand" in t for t in shown), shown
        assert page.locator("#count").inner_text().startswith("4 of 4")
        assert page.locator("img").count() == 0
        browser.close()
    assert dialogs == []


def test_state_files_of_a_checkout_are_ignored_by_git():
    """What fetch, data and build leave in a checkout never shows up as a change to commit."""
    root = Path(__file__).resolve().parents[2]
    names = ["data/.fetch-state.json", "data/.fetch.lock", "data/.incoming/fetch-x/a.part", "data/.processed.lock",
             "data/processed/wages.parquet", "reports/index.html", "reports/.career-outlook"]
    done = subprocess.run(["git", "check-ignore", *names], cwd=root, capture_output=True, text=True)
    assert done.stdout.split() == names
