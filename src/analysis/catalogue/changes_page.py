"""The "what changed" page, ``reports/changes.html``: self-contained (no CDN; every text escaped; sources
listed), linking each occupation to its report where one is built.

In: two vintages and the reports folder. Out: the page, written atomically; the same inputs give the same
bytes (no dates), so a rerun changes nothing.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from analysis.catalogue.jobs import report_dir
from analysis.files import write_atomic
from analysis.paths import PACKAGE_DIR, Paths, project
from analysis.sections import formatting
from analysis.tables import store
from analysis.tables.changes import detailed_rows, summary
from analysis.values import money, percent, points, signed

TEMPLATE = PACKAGE_DIR / "templates" / "changes" / "changes.html"
PAGE = "changes.html"


def _money(v) -> str:
    return money(v, absent="—")


def _table(df: pd.DataFrame, cols: list[tuple[str, str, callable, bool]], links: dict[str, str], caption: str) -> str:
    esc = formatting.esc
    if df.empty:
        return f"<h3>{esc(caption)}</h3><p class=\"none\">None.</p>"
    head = "".join(f'<th class="{"num" if num else ""}">{esc(h)}</th>' for h, _, _, num in cols)
    body = []
    for r in df.itertuples():
        name = esc(r.title)
        if r.soc_code in links:
            name = f'<a href="{html.escape(links[r.soc_code], quote=True)}">{name}</a>'
        cells = [f'<td>{name} <span class="code">{esc(r.soc_code)}</span></td>']
        cells += [f'<td class="{"num" if num else ""}">{esc(fmt(getattr(r, col)))}</td>' for _, col, fmt, num in cols]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<h3>{esc(caption)}</h3><table><thead><tr><th>Occupation</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


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
    esc, links = formatting.esc, links or {}
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
    computed = [v for v, c in s.get("all_occupations_computed", {}).items() if c]
    comp_note = (f" The all-occupations figures for {', '.join(computed)} are computed by adding up the detailed "
                 "occupations (that release has no total row)." if computed else "")
    sections = [
        "<h2>All occupations</h2>",
        f"<p>Projected growth {esc(percent(ao['change_percent_old']))} ({esc(old)}) → "
        f"{esc(percent(ao['change_percent_new']))} ({esc(new)}); employment in the base year "
        f"{ao['employment_base_old']:,} → {ao['employment_base_new']:,}; openings a year "
        f"{ao['openings_old']:,} → {ao['openings_new']:,}.{esc(comp_note)}</p>",
        f"<p>{s['compared']:,} detailed occupations are in both releases; "
        f"{len(s['added'])} only in {esc(new)}, {len(s['removed'])} only in {esc(old)}.</p>",
        "<h2>Projected growth</h2>",
        _table(s["growth_up"], growth, links, "Grew most (percentage points)"),
        _table(s["growth_down"], growth, links, "Fell most (percentage points)"),
        "<h2>Openings a year</h2>",
        _table(s["openings_up"], openings, links, "Most openings gained"),
        _table(s["openings_down"], openings, links, "Most openings lost"),
        "<h2>Median pay</h2>",
        "<p class=\"note\">Each release carries the median wage of its own OEWS year, so part of a change is "
        "ordinary wage growth between those years.</p>",
        _table(s["pay_up"], pay, links, "Rose most (percent)"),
        _table(s["pay_down"], pay, links, "Fell most (percent)"),
        "<h2>Growth wording</h2>",
        _table(s["label_changes"], labels, links, "Wording changed")
        if not s["label_changes"].empty else
        "<p class=\"none\">No wording changed, or one of the releases has no wording on hand (BLS's cut-offs for "
        "2022–32 and 2023–33 are not on hand, so those occupations are not compared).</p>",
    ]
    for key, where in (("added", new), ("removed", old)):
        if s[key]:
            sections.append(f"<h2>{'New' if key == 'added' else 'No longer'} in the projections</h2>"
                            f"<p>Only in {esc(where)}: {esc(', '.join(s[key]))}.</p>")
    src = store.table("sources", p)
    src = src[(src["dataset"] == "bls-ep") & src["vintage"].isin([old, new])].sort_values("vintage")
    items = "".join(f"<li>{esc(r.producer)}, {esc(r.release)}: <a href=\"{html.escape(r.url, quote=True)}\">"
                    f"{esc(r.url)}</a> (retrieved {esc(r.retrieved_on)}; sha256 {esc(r.sha256[:12])}…)</li>"
                    for r in src.itertuples())
    page = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"__OLD__": esc(old), "__NEW__": esc(new), "__CONTENT__": "\n".join(sections),
                       "__SOURCES__": items}.items():
        page = page.replace(key, value)
    return page


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
