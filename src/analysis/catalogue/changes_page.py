"""The "what changed" page, ``reports/changes.html``: self-contained (no CDN; every text escaped; sources
listed), linking each occupation to its report where one is built. The page is the Jinja2 template
``templates/changes/changes.html.j2``; this module prepares its values.

In: two vintages and the reports folder. Out: the page, written atomically; the same inputs give the same
bytes (no dates), so a rerun changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.catalogue.jobs import report_dir
from analysis.files import write_atomic
from analysis.paths import Paths, project
from analysis.render import pages
from analysis.tables import store
from analysis.tables.changes import detailed_rows, summary
from analysis.values import money, percent, points, signed

TEMPLATE = "changes/changes.html.j2"
PAGE = "changes.html"


def _money(v) -> str:
    return money(v, absent="—")


def _table(df: pd.DataFrame, cols: list[tuple[str, str, Callable, bool]], links: dict[str, str],
           caption: str) -> dict:
    """One table of the page as plain values for the template: caption, header cells, rows of text cells."""
    return {
        "caption": caption,
        "head": [(h, num) for h, _, _, num in cols],
        "rows": [{"title": r.title, "code": r.soc_code, "link": links.get(r.soc_code),
                  "cells": [(fmt(getattr(r, col)), num) for _, col, fmt, num in cols]} for r in df.itertuples()],
    }


def _links(out_dir: Path, codes: set[str], new: str, p: Paths) -> dict[str, str]:
    """Relative links to the national reports of ``new`` that exist in ``out_dir``."""
    latest = store.vintages(p)[0]
    proj = store.table("projections", p)
    det = detailed_rows(proj, new)
    out = {}
    for c in codes:
        if c in det.index:
            rel = report_dir(c, det.loc[c, "title"], new, latest, None)
            if (out_dir / rel / "report.html").exists():
                out[c] = f"{rel}/report.html"
    return out


def render_page(s: dict, p: Paths, links: dict[str, str] | None = None) -> str:
    """The ``changes.html`` text for a :func:`summary` (deterministic: no dates, so reruns give the same bytes)."""
    links = links or {}
    old, new, ao = s["old"], s["new"], s["all_occupations"]
    growth = [(f"Growth {old}", "change_percent_old", percent, True),
              (f"Growth {new}", "change_percent_new", percent, True),
              ("Change", "change_delta_points", points, True)]
    openings = [(f"Openings a year {old}", "openings_old", lambda v: f"{int(v):,}", True),
                (f"Openings a year {new}", "openings_new", lambda v: f"{int(v):,}", True),
                ("Change", "openings_delta", signed, True), ("Change, %", "openings_delta_percent", percent, True)]
    pay = [("Median pay (old)", "median_wage_old", _money, True), ("Year", "wage_year_old", str, True),
           ("Median pay (new)", "median_wage_new", _money, True), ("Year", "wage_year_new", str, True),
           ("Change, %", "median_wage_delta_percent", percent, True)]
    labels = [(f"Wording {old}", "outlook_label_old", str, False), (f"Wording {new}", "outlook_label_new", str, False),
              (f"Growth {new}", "change_percent_new", percent, True)]
    src = store.table("sources", p)
    src = src[(src["dataset"] == "bls-ep") & src["vintage"].isin([old, new])].sort_values("vintage")
    return pages.render(
        TEMPLATE, old=old, new=new, compared=s["compared"], added=s["added"], removed=s["removed"],
        all_occupations={"growth_old": percent(ao["change_percent_old"]),
                         "growth_new": percent(ao["change_percent_new"]),
                         "base_old": f"{ao['employment_base_old']:,}", "base_new": f"{ao['employment_base_new']:,}",
                         "openings_old": f"{ao['openings_old']:,}", "openings_new": f"{ao['openings_new']:,}"},
        computed=[v for v, c in s.get("all_occupations_computed", {}).items() if c],
        growth=[_table(s["growth_up"], growth, links, "Grew most (percentage points)"),
                _table(s["growth_down"], growth, links, "Fell most (percentage points)")],
        openings=[_table(s["openings_up"], openings, links, "Most openings gained"),
                  _table(s["openings_down"], openings, links, "Most openings lost")],
        pay=[_table(s["pay_up"], pay, links, "Rose most (percent)"),
             _table(s["pay_down"], pay, links, "Fell most (percent)")],
        wording=_table(s["label_changes"], labels, links, "Wording changed") if not s["label_changes"].empty else None,
        sources=[{"producer": r.producer, "release": r.release, "url": r.url, "retrieved_on": r.retrieved_on,
                  "sha256": r.sha256[:12]} for r in src.itertuples()])


def write_page(old: str, new: str, out_dir: Path, p: Paths | None = None) -> Path:
    """Write ``out_dir/changes.html`` comparing ``old`` with ``new``; returns its path."""
    p = p or project()
    s = summary(old, new, p)
    out_dir = Path(out_dir)
    shown = set()
    for key in ("growth_up", "growth_down", "openings_up", "openings_down", "pay_up", "pay_down", "label_changes"):
        shown |= set(s[key]["soc_code"])
    path = out_dir / PAGE
    write_atomic(path, render_page(s, p, _links(out_dir, shown, s["new"], p)))
    return path
