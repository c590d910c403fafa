"""The whole refresh, as cron runs it: fetch BLS's current files, rebuild the data when a release was
added, write the "what changed" page, and rebuild the reports that changed.

In: the project, fetch settings, which sources, and the catalogue build's options (a
:class:`~analysis.catalogue.options.BuildOptions`, checked when made). Out: a
:class:`Refreshed` (what the fetch did, the build's summary, the page written). A fetch fault with nothing
new leaves ``data/`` and ``reports/`` exactly as they were (``summary`` is None). The codes of ``only`` are
checked before anything is downloaded.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.catalogue import changes_page
from analysis.catalogue.build import Summary, build
from analysis.catalogue.jobs import plan
from analysis.catalogue.options import BuildOptions
from analysis.catalogue.progress import progress_printer
from analysis.errors import DataError, ParameterError
from analysis.files import mark_output_folder
from analysis.paths import Paths
from analysis.refresh.config import Config
from analysis.refresh.fetch import Result, fetch
from analysis.soc import is_soc
from analysis.tables import changes, dataset, store


@dataclass
class Refreshed:
    fetched: Result
    summary: Summary | None = None  # None: nothing new and a fetch fault, so nothing was built
    changes_page: Path | None = None


log = logging.getLogger(__name__)


def check_only(only: list[str] | None, p: Paths) -> list[str] | None:
    """``--only``'s codes, checked before any download (a typo must not cost a night's fetch): each of the form
    NN-NNNN, and a detailed occupation of the latest release on hand when the processed tables can be read
    (they are rebuilt after the fetch otherwise, and :func:`plan` checks again then). Repeats dropped."""
    if not only:
        return None
    codes = list(dict.fromkeys(str(c).strip() for c in only))
    for c in codes:
        if not is_soc(c):
            raise ParameterError(f"SOC code {c!r} is malformed: expected the form NN-NNNN, e.g. 29-2072")
    try:
        latest = store.resolve_vintage(None, p)
        return [store.check_soc(c, latest, p) for c in codes]
    except DataError:  # no readable tables yet: the shape is all that can be checked now
        return codes


def refresh(p: Paths, cfg: Config, which: tuple[str, ...], options: BuildOptions | None = None, *,
            only: list[str] | None = None, say: Callable[[str], None] = print) -> Refreshed:
    """Fetch, rebuild the data if need be, write the changes page and build the catalogue incrementally as
    ``options`` say (its ``wait`` also waits for a running fetch). Progress notes are logged; ``say`` gets
    the summary of what a new release changed (stdout)."""
    only = check_only(only, p)
    options = options or BuildOptions()
    reports = options.out or p.reports  # checked when the options were made, before any download
    result = fetch(p, cfg, which, wait=options.wait)
    if result.errors and not result.added:
        return Refreshed(result)  # nothing new and a fault: leave data and reports exactly as they were
    # The changes page is the first file written there, before the build's own check: marked first, so a
    # folder holding only that page is known as ours (by its mark, not by the page's familiar name).
    mark_output_folder(reports)
    if reason := dataset.rebuild_if_stale(p):
        log.info(reason)
    have = store.vintages(p)  # newest first
    for o in result.added:
        if o.dataset == "bls-ep" and o.key in have and have.index(o.key) + 1 < len(have):
            old = have[have.index(o.key) + 1]
            say(changes.format_summary(changes.summary(old, o.key, p)))
    if len(have) > 1:  # before the build, so the index links to it
        changes_page.write_page(have[1], have[0], reports, p)
    jobs = plan(only or None, None, [None], p)
    summary = build(jobs, options, p=p, progress=progress_printer())
    page = None
    if len(have) > 1:  # again, now that it can link to the reports just built (same bytes when none were)
        page = changes_page.write_page(have[1], have[0], reports, p)
        log.info(f"what changed since {have[1]}: {page}")
    return Refreshed(result, summary, page)
