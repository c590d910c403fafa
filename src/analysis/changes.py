"""What changed between two Employment Projections releases: growth, openings, pay and wording.

In: two vintages on hand (e.g. '2023-33', '2024-34') and the processed ``projections`` table. Out: a
comparison table (one row per detailed occupation in both), a summary of the largest moves, and a
self-contained page ``changes.html`` (no CDN; every text escaped; sources listed). Used by
``career-report refresh`` after a new release and by analysts' notebooks (keep the API stable).
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from . import formatting, store
from .errors import ParameterError
from .paths import PACKAGE_DIR, Paths, project

TEMPLATE = PACKAGE_DIR / "templates" / "changes" / "changes.html"
PAGE = "changes.html"
TOTAL = "00-0000"
COLUMNS = ["soc_code", "title", "change_percent_old", "change_percent_new", "change_delta_points",
           "openings_old", "openings_new", "openings_delta", "openings_delta_percent",
           "median_wage_old", "median_wage_new", "wage_year_old", "wage_year_new", "median_wage_delta_percent",
           "outlook_label_old", "outlook_label_new", "label_changed"]


def _vintage(v: str, p: Paths) -> str:
    if v in (None, "", "latest"):
        raise ParameterError("name both vintages to compare, e.g. '2023-33' and '2024-34'")
    return store.resolve_vintage(v, p)


def _detailed(proj: pd.DataFrame, v: str) -> pd.DataFrame:
    return proj[(proj["vintage"] == v) & (proj["soc_level"] == "detailed")].set_index("soc_code")


def _label(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), None)


def _compare(proj: pd.DataFrame, old: str, new: str) -> pd.DataFrame:
    """The comparison from a projections table (pure; ``compare`` reads the table)."""
    a, b = _detailed(proj, old), _detailed(proj, new)
    codes = sorted(set(a.index) & set(b.index))
    a, b = a.loc[codes], b.loc[codes]
    df = pd.DataFrame({"soc_code": codes, "title": b["title"].to_numpy()})
    df["change_percent_old"] = a["change_percent"].to_numpy(dtype=float)
    df["change_percent_new"] = b["change_percent"].to_numpy(dtype=float)
    # Both are published to one decimal: round the difference so 7.1 - 8.7 is -1.6, not -1.5999999.
    df["change_delta_points"] = (df["change_percent_new"] - df["change_percent_old"]).round(1)
    df["openings_old"] = a["openings_per_year"].to_numpy(dtype="int64")
    df["openings_new"] = b["openings_per_year"].to_numpy(dtype="int64")
    df["openings_delta"] = df["openings_new"] - df["openings_old"]
    df["openings_delta_percent"] = (df["openings_delta"] / df["openings_old"].where(df["openings_old"] > 0) * 100)
    df["median_wage_old"] = a["median_wage_usd"].to_numpy(dtype=float)
    df["median_wage_new"] = b["median_wage_usd"].to_numpy(dtype=float)
    df["wage_year_old"] = a["wage_year"].to_numpy(dtype="int64")
    df["wage_year_new"] = b["wage_year"].to_numpy(dtype="int64")
    df["median_wage_delta_percent"] = (df["median_wage_new"] / df["median_wage_old"] - 1) * 100
    df["outlook_label_old"] = _label(a["outlook_label"]).to_numpy()
    df["outlook_label_new"] = _label(b["outlook_label"]).to_numpy()
    known = df["outlook_label_old"].notna() & df["outlook_label_new"].notna()
    df["label_changed"] = (known & (df["outlook_label_old"] != df["outlook_label_new"])).astype(bool)
    return df[COLUMNS]


def compare(old: str, new: str, p: Paths | None = None) -> pd.DataFrame:
    """One row per detailed SOC code present in both vintages (columns :data:`COLUMNS`, sorted by code).

    Percents are BLS's published ones; ``change_delta_points`` is their difference in percentage points.
    Openings are people a year; wages USD (NaN where not published); ``label_changed`` is False when
    either vintage has no growth wording (2022-32, 2023-33).
    """
    p = p or project()
    old, new = _vintage(old, p), _vintage(new, p)
    return _compare(store.table("projections", p), old, new)


def _top(df: pd.DataFrame, col: str, up: bool, top: int) -> pd.DataFrame:
    moved = df[df[col] > 0] if up else df[df[col] < 0]
    return moved.sort_values([col, "soc_code"], ascending=[not up, True]).head(top).reset_index(drop=True)


def _total(proj: pd.DataFrame, v: str) -> pd.Series:
    return proj[(proj["vintage"] == v) & (proj["soc_code"] == TOTAL)].iloc[0]


def summary(old: str, new: str, p: Paths | None = None, top: int = 10) -> dict:
    """The largest moves between two vintages, the all-occupations figures, and codes added or removed.

    Keys: old, new, all_occupations (change_percent_old/new, employment_base_old/new, openings_old/new),
    growth_up, growth_down (by change_delta_points), openings_up, openings_down (by openings_delta, people),
    pay_up, pay_down (by median_wage_delta_percent; top-coded medians left out), label_changes (DataFrames of
    :func:`compare` rows),
    added, removed (SOC codes), compared (occupations in both), all_occupations_computed (per vintage).
    """
    p = p or project()
    old, new = _vintage(old, p), _vintage(new, p)
    proj = store.table("projections", p)
    cmp = _compare(proj, old, new)
    t_old, t_new = _total(proj, old), _total(proj, new)
    da, db = _detailed(proj, old), _detailed(proj, new)
    a, b = set(da.index), set(db.index)
    # A top-coded median is a bound ("at least"), not a value: a change from or to one is not ranked.
    top_coded = set(da.index[da["median_wage_top_coded"]]) | set(db.index[db["median_wage_top_coded"]])
    pay = cmp[~cmp["soc_code"].isin(top_coded)]
    return {
        "old": old, "new": new,
        "all_occupations": {
            "change_percent_old": float(t_old["change_percent"]), "change_percent_new": float(t_new["change_percent"]),
            "employment_base_old": int(t_old["employment_base_people"]),
            "employment_base_new": int(t_new["employment_base_people"]),
            "openings_old": int(t_old["openings_per_year"]), "openings_new": int(t_new["openings_per_year"]),
        },
        "all_occupations_computed": {old: bool(t_old["is_computed"]), new: bool(t_new["is_computed"])},
        "growth_up": _top(cmp, "change_delta_points", True, top),
        "growth_down": _top(cmp, "change_delta_points", False, top),
        "openings_up": _top(cmp, "openings_delta", True, top),
        "openings_down": _top(cmp, "openings_delta", False, top),
        "pay_up": _top(pay, "median_wage_delta_percent", True, top),
        "pay_down": _top(pay, "median_wage_delta_percent", False, top),
        "label_changes": cmp[cmp["label_changed"]].reset_index(drop=True),
        "added": sorted(b - a), "removed": sorted(a - b),
        "compared": len(cmp),
    }


# --- text for the command line -------------------------------------------------------------------

def _pct(v) -> str:
    return formatting.percent(v)


def _pts(v) -> str:
    return f"{float(v):+.1f} pts"


def _n(v) -> str:
    return f"{int(v):+,}"


def format_summary(s: dict, lines_each: int = 5) -> str:
    """The summary as a few plain-text lines for the run's log."""
    ao = s["all_occupations"]
    out = [f"What changed, Employment Projections {s['old']} -> {s['new']} ({s['compared']} occupations in both; "
           f"{len(s['added'])} added, {len(s['removed'])} removed)",
           f"  All occupations: growth {_pct(ao['change_percent_old'])} -> {_pct(ao['change_percent_new'])}; "
           f"openings a year {ao['openings_old']:,} -> {ao['openings_new']:,}"]
    parts = [("Growth, up most", "growth_up", lambda r: f"{_pct(r.change_percent_old)} -> "
              f"{_pct(r.change_percent_new)} ({_pts(r.change_delta_points)})"),
             ("Growth, down most", "growth_down", lambda r: f"{_pct(r.change_percent_old)} -> "
              f"{_pct(r.change_percent_new)} ({_pts(r.change_delta_points)})"),
             ("Openings, up most", "openings_up", lambda r: f"{r.openings_old:,} -> {r.openings_new:,} "
              f"({_n(r.openings_delta)} a year)"),
             ("Openings, down most", "openings_down", lambda r: f"{r.openings_old:,} -> {r.openings_new:,} "
              f"({_n(r.openings_delta)} a year)"),
             ("Median pay, up most", "pay_up", lambda r: f"{_money(r.median_wage_old)} ({r.wage_year_old}) -> "
              f"{_money(r.median_wage_new)} ({r.wage_year_new}) ({_rel(r.median_wage_delta_percent)})"),
             ("Median pay, down most", "pay_down", lambda r: f"{_money(r.median_wage_old)} ({r.wage_year_old}) -> "
              f"{_money(r.median_wage_new)} ({r.wage_year_new}) ({_rel(r.median_wage_delta_percent)})")]
    for name, key, fmt in parts:
        rows = s[key].head(lines_each)
        out.append(f"  {name}:" + ("" if len(rows) else " none"))
        out += [f"    {r.soc_code}  {r.title}: {fmt(r)}" for r in rows.itertuples()]
    lc = s["label_changes"]
    out.append(f"  Growth wording changed: {len(lc)} occupation(s)")
    out += [f"    {r.soc_code}  {r.title}: {r.outlook_label_old} -> {r.outlook_label_new}"
            for r in lc.head(lines_each).itertuples()]
    for key in ("added", "removed"):
        if s[key]:
            out.append(f"  {key.capitalize()}: {', '.join(s[key])}")
    return "\n".join(out)


# --- the page ------------------------------------------------------------------------------------

def _money(v) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"${float(v):,.0f}"


def _rel(v) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{float(v):+.1f}%"


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
    from .catalogue import report_dir  # lazy: the catalogue pulls in the rendering stack

    latest = store.vintages(p)[0]
    proj = store.table("projections", p)
    det = _detailed(proj, new)
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
    growth = [(f"Growth {old}", "change_percent_old", _pct, True), (f"Growth {new}", "change_percent_new", _pct, True),
              ("Change", "change_delta_points", _pts, True)]
    openings = [(f"Openings a year {old}", "openings_old", lambda v: f"{int(v):,}", True),
                (f"Openings a year {new}", "openings_new", lambda v: f"{int(v):,}", True),
                ("Change", "openings_delta", _n, True), ("Change, %", "openings_delta_percent", _rel, True)]
    pay = [("Median pay (old)", "median_wage_old", _money, True), ("Year", "wage_year_old", str, True),
           ("Median pay (new)", "median_wage_new", _money, True), ("Year", "wage_year_new", str, True),
           ("Change, %", "median_wage_delta_percent", _rel, True)]
    labels = [(f"Wording {old}", "outlook_label_old", str, False), (f"Wording {new}", "outlook_label_new", str, False),
              (f"Growth {new}", "change_percent_new", _pct, True)]
    computed = [v for v, c in s.get("all_occupations_computed", {}).items() if c]
    comp_note = (f" The all-occupations figures for {', '.join(computed)} are computed by adding up the detailed "
                 "occupations (that release has no total row)." if computed else "")
    sections = [
        "<h2>All occupations</h2>",
        f"<p>Projected growth {esc(_pct(ao['change_percent_old']))} ({esc(old)}) → "
        f"{esc(_pct(ao['change_percent_new']))} ({esc(new)}); employment in the base year "
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
    from .render import write_atomic  # lazy, as above

    p = p or project()
    s = summary(old, new, p)
    out_dir = Path(out_dir)
    shown = set()
    for key in ("growth_up", "growth_down", "openings_up", "openings_down", "pay_up", "pay_down", "label_changes"):
        shown |= set(s[key]["soc_code"])
    path = out_dir / PAGE
    write_atomic(path, render_page(s, p, _links(out_dir, shown, s["new"], p)))
    return path
