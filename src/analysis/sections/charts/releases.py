"""The projection across releases, drawn as SVG: projected change (with the all-occupations change) and
openings a year, one point or bar per release. In: rows by release, oldest first. Out: SVG markup, an
accessible image whose description gives each release's change and openings in words.
"""

from __future__ import annotations

import html

import pandas as pd

from analysis.sections.charts.svg import ACCENT, ACCENT_LIGHT, GRID, INK, MUTED, nice_ticks, svg_open
from analysis.values import fixed, missing, openings_count, people, percent


def releases_desc(rows: pd.DataFrame) -> str:
    """The releases chart in words: per release (oldest first) the projected change, the all-occupations
    change and the openings a year."""
    said = []
    for r in rows.itertuples():
        change = "not published" if missing(r.change_percent) else percent(r.change_percent)
        allc = "" if missing(r.all_change_percent) else f" (all occupations {percent(r.all_change_percent)})"
        opens = "openings not published" if missing(r.openings_per_year) else \
            f"{openings_count(r.openings_per_year)} openings a year"
        said.append(f"{r.vintage}: projected 10-year change {change}{allc}, {opens}.")
    return "By release, oldest first. " + " ".join(said)


def releases_lines(rows: pd.DataFrame, title: str) -> str:
    """Rows ``vintage``, ``change_percent``, ``openings_per_year``, ``all_change_percent`` (oldest first)
    -> two panels as SVG: projected change by release (with the all-occupations change, dashed) and
    openings a year by release (bars), each point and bar labelled with its value. The legend names both
    series in text, and they differ by marker and dash as well as colour."""
    esc = html.escape
    width, top, bottom = 650, 64, 196
    vint = list(rows["vintage"])
    change = [None if missing(v) else float(v) for v in rows["change_percent"]]
    allc = [None if missing(v) else float(v) for v in rows["all_change_percent"]]
    opens = [0.0 if missing(v) else float(v) for v in rows["openings_per_year"]]
    out = svg_open(width, bottom + 26, title, releases_desc(rows))

    def panel(left: float, right: float, lo: float, hi: float, name: str, fmt):
        """Axes of one panel: its title, horizontal grid with labels; returns (x of slot i, y of value)."""
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        span = (hi - lo) or 1.0
        lo, hi = lo - (0.12 * span if lo < 0 else 0), hi + 0.2 * span

        def y(v: float) -> float:
            return bottom - (v - lo) / (hi - lo) * (bottom - top)

        def xs(i: int) -> float:
            return left + (i + 0.5) * (right - left) / max(1, len(vint))

        out.append(f'<text x="{left - 44}" y="{top - 20}" font-size="12" fill="{INK}">{esc(name)}</text>')
        for t in nice_ticks(lo, hi, 4):
            out.append(f'<line x1="{left}" x2="{right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID}"/>'
                       f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="10.5" '
                       f'fill="{MUTED}">{esc(fmt(t))}</text>')
        for i, v in enumerate(vint):
            out.append(f'<text x="{xs(i):.1f}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
                       f'fill="{INK}">{esc(v)}</text>')
        return xs, y

    known = [v for v in change + allc if v is not None]
    xs, y = panel(50, 300, min(known, default=0.0), max(known, default=0.0), "Projected 10-year change",
                  lambda v: fixed(v, 0, sign=True) + "%" if v else "0%")
    out.append(f'<line x1="50" x2="300" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{MUTED}"/>')
    lines = ((allc, MUTED, ' stroke-dasharray="5 3"', "rect"), (change, ACCENT, "", "circle"))
    for series, colour, dash, marker in lines:
        pts = [(xs(i), y(v)) for i, v in enumerate(series) if v is not None]
        if len(pts) > 1:
            out.append(f'<polyline points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in pts)}" fill="none" '
                       f'stroke="{colour}" stroke-width="2"{dash}/>')
        for a, b in pts:
            out.append(f'<rect x="{a - 4:.1f}" y="{b - 4:.1f}" width="8" height="8" fill="{colour}"/>'
                       if marker == "rect" else f'<circle cx="{a:.1f}" cy="{b:.1f}" r="4.5" fill="{colour}"/>')
    for i, v in enumerate(change):
        if v is not None:
            out.append(f'<text x="{xs(i):.1f}" y="{y(v) - 9:.1f}" text-anchor="middle" font-size="11" '
                       f'font-weight="bold" fill="{INK}">{percent(v)}</text>')
    out.append(f'<circle cx="60" cy="{top - 6}" r="4" fill="{ACCENT}"/><text x="68" y="{top - 2}" font-size="10.5" '
               f'fill="{INK}">this occupation</text><rect x="170" y="{top - 10}" width="8" height="8" '
               f'fill="{MUTED}"/><text x="182" y="{top - 2}" font-size="10.5" fill="{INK}">all occupations</text>')

    xs, y = panel(400, 640, 0.0, max(opens, default=0.0), "Openings a year", people)
    labels = ["n/a" if missing(v) else openings_count(v) for v in rows["openings_per_year"]]
    bar_w = 0.5 * 240 / max(1, len(vint))
    for i, v in enumerate(opens):
        out.append(f'<rect x="{xs(i) - bar_w / 2:.1f}" y="{y(v):.1f}" width="{bar_w:.1f}" '
                   f'height="{y(0) - y(v):.1f}" fill="{ACCENT_LIGHT}"/><text x="{xs(i):.1f}" y="{y(v) - 5:.1f}" '
                   f'text-anchor="middle" font-size="11" fill="{INK}">{labels[i]}</text>')
    out.append("</svg>")
    return "".join(out)
