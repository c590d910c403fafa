"""What both benchmarks share: the sample of occupations and a timed build with our catalogue builder."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from analysis.catalogue.build import BuildOptions, build
from analysis.catalogue.jobs import plan
from analysis.tables import store

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def sample(n: int) -> list[str]:
    """``n`` detailed occupations spread over the whole list (every k-th code), the same each run."""
    proj = store.table("projections")
    codes = sorted(proj[(proj["vintage"] == store.vintages()[0]) & (proj["soc_level"] == "detailed")]["soc_code"])
    step = len(codes) / n
    return [codes[int(i * step)] for i in range(n)]


def ours(socs: list[str], work: Path, jobs: int | None) -> float:
    """Seconds our builder takes for ``socs`` into ``work`` (start-up included)."""
    t0 = time.perf_counter()
    summary = build(plan(socs), BuildOptions(jobs=jobs, out=work, index=False))
    if not summary.ok:
        raise SystemExit(f"our build failed: {summary.failed}")
    return time.perf_counter() - t0
