"""Test helpers shared by several test modules (importable as `helpers`)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import shutil
import sys
import time
from pathlib import Path

from analysis.cli import main
from analysis.ingest import sidecars
from analysis.ingest.yaml_files import load_yaml
from analysis.paths import Paths, project

DATA_FOLDERS = ("raw", "reference", "curated")
LINK_BYTES = 100_000  # files this big are hard-linked into a test's project (the 50 MB are ~40 files), not copied


def copy_project(real: Paths, dest: Path, with_processed: bool = True) -> Paths:
    """A copy of the project's data (raw, reference, curated and, optionally, processed) under ``dest``."""
    for sub in DATA_FOLDERS + (("processed",) if with_processed else ()):
        shutil.copytree(real.data / sub, dest / "data" / sub)
    shutil.copytree(real.notebooks, dest / "notebooks")
    return project(dest)


def link_project(pristine: Paths, dest: Path) -> Paths:
    """A project under ``dest`` like :func:`copy_project`'s, made in milliseconds: the big files of ``pristine``
    (a session's own copy, never written) are hard-linked, the small ones (sidecars, curated YAML, notebooks,
    the manifest) copied. Our code replaces files (write, then rename), which leaves ``pristine`` as it was; a
    test that edits a big file in place calls :func:`own` on it first (the ``tmp_project`` fixture fails a test
    that forgot)."""
    for sub in [*(f"data/{s}" for s in (*DATA_FOLDERS, "processed")), "notebooks"]:
        src = pristine.root / sub
        for f in sorted(src.rglob("*")):
            target = dest / sub / f.relative_to(src)
            if f.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if f.stat().st_size >= LINK_BYTES:
                os.link(f, target)
            else:
                shutil.copy2(f, target)
    return project(dest)


def linked_files(pristine: Paths) -> dict[str, tuple]:
    """The files of ``pristine`` that :func:`link_project` links, with what an in-place edit would change (size,
    modification time, mode): equal before and after a test means no test's project wrote through a link."""
    found = {}
    for f in sorted(pristine.root.rglob("*")):
        st = f.lstat()
        if f.is_file() and st.st_size >= LINK_BYTES:
            found[str(f.relative_to(pristine.root))] = (st.st_size, st.st_mtime_ns, st.st_mode)
    return found


def own(path: Path) -> Path:
    """``path`` (in a test's project) as a file of its own, no longer a hard link shared with other tests: call it
    before editing a big file in place (open for writing, append, truncate, chmod)."""
    private = path.with_name(path.name + ".own")
    shutil.copy2(path, private)
    private.replace(path)
    return path


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its sha256: equal digests mean the folder is untouched."""
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(folder.rglob("*")) if f.is_file()}


SHAPES = {  # (soc, vintage, state or area:CODE): what makes it a different shape
    ("29-2072", "latest", None): "the default report, with curated facts",
    ("29-1211", "latest", None): "a top-coded median wage in the projections",
    ("25-2021", "latest", None): "an annual-only OEWS occupation",
    ("27-2011", "latest", None): "an hourly-only OEWS occupation",
    ("43-9022", "latest", None): "a declining occupation, derived highlights",
    ("29-2072", "latest", "CA"): "state set",
    ("29-2072", "latest", "area:26420"): "a report for a metropolitan area (Houston)",
    ("29-2072", "2023-33", None): "an older vintage",
    ("11-1021", "latest", None): "back matter that used to spill onto a page of its own",
}


CLI = [sys.executable, "-m", "analysis.cli"]


def processes_left(mark: str, seconds: float = 60) -> list[str]:
    """The processes carrying ``mark`` still alive after waiting up to ``seconds`` for them to go (children of a
    stopped build leave on their own, a moment after it; on a busy machine that moment can last seconds, so the
    bound is generous: the wait ends as soon as none is left)."""
    left = marked_processes(mark)
    for _ in range(int(seconds / 0.2)):
        if not left:
            break
        time.sleep(0.2)
        left = marked_processes(mark)
    return left


def marked_processes(mark: str) -> list[str]:
    """Every live process whose environment carries ``mark`` (all descendants of a run inherit it)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if f"CAREER_OUTLOOK_TEST_MARK={mark}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                state = (proc / "stat").read_text().split(") ", 1)[1].split()[0]
                if state != "Z":  # a zombie is already dead, waiting for its parent to read its status
                    found.append(f"{proc.name} {(proc / 'cmdline').read_bytes()[:120]!r}")
        except OSError:
            continue
    return found


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """``career-report ARGV`` in this process: its exit status, stdout and stderr."""
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def data_command(p: Paths, capsys) -> tuple[int, str, str]:
    """`career-report data` on the copy ``p``: (status, stdout, stderr), after checking that it left data/
    (processed, raw, curated, reference) exactly as it was, but for the data lock's holder line, and no
    half-built processed folder behind."""
    before = tree_digest(p.data)
    rc = main(["data"])
    out, err = capsys.readouterr()
    after = tree_digest(p.data)
    after.pop(".processed.lock")  # the lock file the build takes: it records who held it
    assert after == before
    assert not list(p.data.glob(".processed-*"))
    return rc, out, err


def report_pdf(folder: Path) -> Path:
    """A built career report's PDF in ``folder``: named after its occupation and place (``29-2072-….pdf``), the
    one that is not the handout."""
    found = [f for f in Path(folder).glob("*.pdf") if not f.name.endswith("-handout.pdf")]
    assert len(found) == 1, (folder, found)
    return found[0]


def rewrite_csv_gz(src: Path, dest: Path, edit) -> Path:
    """``dest``: the real gzip'd CSV ``src`` with ``edit(header, row)`` applied to each data row (it returns the
    row, changed or not, or None to drop it), written gzip'd; for small broken copies of real raw files."""
    with gzip.open(src, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    kept = [r for r in (edit(rows[0], list(row)) for row in rows[1:]) if r is not None]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([rows[0], *kept])
    dest.unlink(missing_ok=True)  # a new file, not written through a hard link into other tests' projects
    dest.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), mtime=0))
    return dest


def replace_raw(p: Paths, rel: str, edit) -> Path:
    """Rewrite the raw file ``data/raw/<rel>`` of the copy ``p`` with ``edit`` (:func:`rewrite_csv_gz`) and record
    its new checksum in its sidecar, as if that file had been published so."""
    path = p.raw / rel
    rewrite_csv_gz(path, path, edit)
    meta = load_yaml(sidecars.sidecar_path(path))
    sidecars.write_sidecar(path, meta)  # with the new sha256 and size
    return path
