"""``career-report data`` and ``add-release``: rebuild data/processed, add a BLS file and rebuild."""

from __future__ import annotations

import logging

from analysis.ingest import releases
from analysis.paths import project
from analysis.tables import dataset

log = logging.getLogger(__name__)


def cmd_data(args) -> int:
    man = dataset.run()
    for name, info in sorted(man["tables"].items()):
        print(f"{name:20s} {info['rows']:>8,d} rows")
    print(f"wrote {project().processed}")
    for line in dataset.held_lines(man):
        log.info(line)
    return 0


def cmd_add_release(args) -> int:
    built: list[dict] = []
    dest = releases.add_release(args.path, url=args.url, rebuild=lambda p: built.append(dataset.run(p)))
    print(f"stored {dest.relative_to(project().root)} and rebuilt data/processed")
    for line in dataset.held_lines(built[0]) if built else ():
        log.info(line)
    return 0
