"""Benchmark: the naive loop against our catalogue builder, on the same occupations, in one run.

Naive = for each occupation, the papermill CLI, then `jupyter nbconvert --to html`, then a PDF export
through nbconvert's CLI (`--to career_pdf`, the same Chromium route: nbconvert's own webpdf exporter
cannot use the system Chromium), then the handout (one Python process writes its page and prints it with a browser
of its own), one after another: the outputs our builder makes. Ours = `catalogue.build` (warm kernels and browsers,
one worker per core). Then the whole catalogue, built into an empty temporary folder, and a no-change
rebuild of it (the CLI, as cron runs it). First, the start time of the quick look-ups (``list``, ``show``,
``areas``: a whole CLI process each, median of a few runs), which import no notebook library.

Prints the look-ups' start times, seconds per report for each, the ratio, the projected catalogue time, and a last line:
``speedup: <ratio>x; catalogue: <minutes> min; no-change rebuild: <seconds> s``.
Usage: python -m benchmarks.bench_catalogue [--sample 16] [--jobs N] [--start-only]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from analysis.catalogue.build import BuildOptions, build
from analysis.catalogue.jobs import plan
from analysis.tables import dataset
from benchmarks.bench_dask import dask_throughput
from benchmarks.common import BIN, ROOT, ours, sample


def naive(socs: list[str], work: Path) -> float:
    nb = ROOT / "notebooks" / "career_report.ipynb"
    t0 = time.perf_counter()
    for soc in socs:
        out = work / soc
        out.mkdir(parents=True)
        executed = out / "report.ipynb"
        subprocess.run([BIN / "papermill", str(nb), str(executed), "-p", "soc_code", soc, "-k", "python3",
                        "--no-progress-bar"], check=True, capture_output=True, cwd=ROOT)
        subprocess.run([BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", str(executed)],
                       check=True, capture_output=True)
        subprocess.run([BIN / "jupyter", "nbconvert", "--to", "career_pdf", str(executed)],
                       check=True, capture_output=True)
        # The same outputs as ours: the report's one-sheet handout too, its page written by one Python process and
        # printed by a browser started for it, as the PDF export above prints the report.
        subprocess.run([BIN / "python", "-c", NAIVE_HANDOUT, soc, str(out)], check=True, capture_output=True)
    return time.perf_counter() - t0


LOOK_UPS = (["list", "nurse"], ["show", "29-2072"], ["areas", "Houston"])


def start_times(runs: int = 5) -> dict[str, float]:
    """Wall seconds of each look-up in ``LOOK_UPS`` as a user runs it (a new ``career-report`` process, data on
    hand), the median of ``runs`` after one untimed run (so the first does not pay for a cold disk cache)."""
    times = {}
    for argv in LOOK_UPS:
        command = [BIN / "career-report", *argv]
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
            samples.append(time.perf_counter() - t0)
        times[" ".join(argv)] = statistics.median(samples)
    return times


NAIVE_HANDOUT = """
import sys
from pathlib import Path
from analysis.render.handout import handout_html
from analysis.render.pdf import PdfRenderer
soc, out = sys.argv[1], Path(sys.argv[2])
(out / "handout.html").write_text(handout_html({"soc_code": soc}), encoding="utf-8")
with PdfRenderer() as printer:
    printer.render(out / "handout.html", out / "handout.pdf")
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=16)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--start-only", action="store_true", help="only the look-ups' start times")
    args = ap.parse_args()
    dataset.ensure()
    looked = start_times()
    print("start time of a look-up (whole CLI process, median of 5): "
          + "; ".join(f"{cmd} {s:.2f} s" for cmd, s in looked.items()))
    if args.start_only:
        return
    socs = sample(args.sample)
    n_all = len(plan(None))
    print(f"sample: {len(socs)} occupations ({', '.join(socs[:4])}, …); catalogue: {n_all} reports")
    with tempfile.TemporaryDirectory() as tmp:
        t_naive = naive(socs, Path(tmp) / "naive")
        per_naive = t_naive / len(socs)
        print(f"naive loop (papermill CLI + nbconvert html CLI + PDF CLI + handout): {per_naive:.2f} s/report")
        t_ours = ours(socs, Path(tmp) / "ours", args.jobs)
        per_ours = t_ours / len(socs)
        print(f"our builder ({args.jobs or 'one per core'} workers, incl. start-up): {per_ours:.2f} s/report")
    ratio = per_naive / per_ours

    full = plan(None)
    with tempfile.TemporaryDirectory() as tmp:
        # A fresh folder, so the whole catalogue is built and timed whatever reports/ holds.
        folder = Path(tmp) / "catalogue"
        t0 = time.perf_counter()
        first = build(full, BuildOptions(jobs=args.jobs, out=folder))
        t_first = time.perf_counter() - t0
        print(f"catalogue: built {first.built} of {len(full)} reports into an empty folder in {t_first / 60:.1f} min"
              + (f"; {len(first.failed)} failed, first: {first.failed[0]}" if first.failed else ""))
        catalogue_min = t_first / 60
        t0 = time.perf_counter()
        subprocess.run([BIN / "career-report", "build", "--all", "--out", str(folder)], check=True, capture_output=True)
        t_noop = time.perf_counter() - t0
        print(f"no-change rebuild of those {len(full)} reports: {t_noop:.1f} s (whole CLI process)")
    print(f"naive projected for the catalogue: {per_naive * n_all / 60:.0f} min")
    _dask(socs, per_ours)
    print(f"speedup: {ratio:.1f}x; catalogue: {catalogue_min:.1f} min; no-change rebuild: {t_noop:.1f} s")


def _dask(socs: list[str], local_per_report: float) -> None:
    """The same sample on a Dask cluster this benchmark starts (scheduler + 2 workers on 127.0.0.1), beside our
    local builder's s/report; see bench_dask.py. A failure is reported, not fatal."""
    try:
        dask_throughput(socs, workers=2, local_per_report=local_per_report)
    except (Exception, SystemExit) as err:
        print(f"dask executor: not measured ({type(err).__name__}: {err})")


if __name__ == "__main__":
    main()
