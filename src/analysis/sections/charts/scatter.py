"""Growth against pay, the one chart still drawn by matplotlib (label placement needs its transforms).

In: occupations with growth, median pay and openings. Out: a matplotlib Figure (a ``ChartFigure`` carrying
its title and its description in words; ``svg.to_svg`` makes it SVG, an accessible image). Figures are
created directly (not through pyplot), so nothing is left registered in a kernel between reports.
"""

from __future__ import annotations

import textwrap

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.ticker import Formatter, MaxNLocator

from analysis.sections.charts.svg import ACCENT, ACCENT_LIGHT, BAD, GRID, INK, MUTED, RC, ChartFigure, text_width
from analysis.values import fixed, missing, money, people, percent

# The points' fill, ACCENT_LIGHT, is 1.8:1 on white: each is outlined in ACCENT (4.6:1, WCAG 1.4.11's 3:1 for
# marks). The focus is told by more than its colour: a heavier INK outline and a bold label.
EDGE, FOCUS_EDGE = 0.8, 2.0
# A label may cross the rim of a disc (ACCENT, on which INK is only 3.2:1): it sits on a box of mostly white.
LABEL_BOX = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}


def _figure(width: float = 6.8, height: float = 2.6, *, left: float = 0.5, right: float = 0.2,
            top: float = 0.35, bottom: float = 0.4, wspace: float = 0.3) -> ChartFigure:
    """A figure with fixed margins in inches. Fixed, not constrained layout: the layout solver measured
    half of each chart's drawing time, and a catalogue draws thousands of charts."""
    with matplotlib.rc_context(RC):
        fig = ChartFigure(figsize=(width, height))
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height, wspace=wspace)
    fig.set_facecolor("white")
    return fig


class _StepFormatter(Formatter):
    """Tick labels with as many decimals as the tick step needs: ticks 2.5 apart read +2.5%, +5.0%, not
    +2%, +5%. ``fmt(value, decimals)`` writes one label; ``scale`` is the label's unit (1000 for $k)."""

    def __init__(self, fmt, scale: float = 1.0):
        self.fmt, self.scale, self.decimals = fmt, scale, 0

    def set_locs(self, locs):
        super().set_locs(locs)
        steps = np.diff(np.sort(np.asarray(locs, dtype=float))) / self.scale
        step = float(steps.min()) if len(steps) else 1.0
        self.decimals = next((d for d in range(4) if abs(step * 10 ** d - round(step * 10 ** d)) < 1e-6), 3)

    def __call__(self, x, pos=None):
        return self.fmt(x, self.decimals)


def pct_ticks() -> _StepFormatter:
    return _StepFormatter(lambda v, d: fixed(v, d, sign=True) + "%" if v else "0%")


def usd_ticks() -> _StepFormatter:
    return _StepFormatter(lambda v, d: "$" + fixed(v / 1000, d, grouping=True) + "k" if abs(v) >= 1000
                          else money(v), scale=1000)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def scatter_desc(d: pd.DataFrame, focus: str | None, named: list[str], all_change: float | None = None,
                 all_median: float | None = None) -> str:
    """The scatter in words, from the rows it draws: its axes and their ranges, how many occupations, the
    focus's growth and pay, the reference lines, the occupations named, those at BLS's top code."""
    if d.empty:
        return "No occupation in this group has a published annual median wage."
    top = (d["median_wage_top_coded"].astype(bool) if "median_wage_top_coded" in d
           else pd.Series(False, index=d.index))
    point = {r.soc_code: f"{r.title}, {percent(r.change_percent)}, {money(r.median_wage_usd, top_coded=t)}"
             for r, t in zip(d.itertuples(), top, strict=True)}
    pay = d["median_wage_usd"].to_numpy(dtype=float)
    lo, hi = int(pay.argmin()), int(pay.argmax())
    n = len(d)
    desc = (f"{n} occupation{'s' if n != 1 else ''} drawn as points, sized by openings a year. Across: projected "
            f"change over ten years, {percent(d['change_percent'].min())} to {percent(d['change_percent'].max())}."
            f" Up: median annual pay, {money(pay[lo], top_coded=bool(top.iloc[lo]))} to "
            f"{money(pay[hi], top_coded=bool(top.iloc[hi]))}.")
    for r in d[d["soc_code"] == focus].itertuples():
        desc += f" Highlighted: {point[r.soc_code]}, {people(r.openings_per_year)} openings a year."
    lines = []
    if not missing(all_change):
        lines.append(f"all occupations' change {percent(all_change)}")
    if all_median:
        lines.append(f"all occupations' median pay {money(all_median)}")
    if lines:
        desc += " Dashed lines: " + " and ".join(lines) + "."
    others = [point[c] for c in named if c != focus and c in point]
    if others:
        desc += " Named: " + "; ".join(others) + "."
    if top.any():
        desc += (" Median at BLS's top code (the true value is at or above it), drawn at that bound as an open "
                 "triangle: " + "; ".join(d.loc[top, "title"]) + ".")  # "; ": some titles hold commas
    return desc


def growth_pay_scatter(rows: pd.DataFrame, focus: str | None, title: str, all_change: float | None = None,
                       all_median: float | None = None, label_top: int = 5,
                       label_codes: list[str] | None = None) -> ChartFigure:
    """Rows ``soc_code``, ``title``, ``change_percent``, ``median_wage_usd``, ``openings_per_year`` ->
    growth (x) against pay (y), points sized by openings; the focus occupation highlighted. Labelled:
    the focus and the ``label_top`` largest by openings, or exactly ``label_codes`` (in that order).
    Rows without growth or pay are not drawn (the caller says so). A row whose ``median_wage_top_coded``
    is true is drawn at the bound as an open triangle pointing up (the caller's caption says what it means:
    ``TOP_CODE_CAPTION``). A label goes beside its point where
    it covers no other label or point and stays inside the axes, else it is left out (never the focus).
    The figure carries ``title`` and a description of what it draws (``scatter_desc``) for ``to_svg``."""
    lines = textwrap.wrap(title, 88) or [""]
    fig = _figure(6.8, 3.5 + 0.17 * len(lines), left=0.75, bottom=0.55, top=0.22 + 0.17 * len(lines))
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        ax.set_title("\n".join(lines), loc="left", fontsize=10, color=INK)
        d = rows.dropna(subset=["change_percent", "median_wage_usd"])
        fig.chart_title = title
        if d.empty:
            fig.chart_desc = scatter_desc(d, focus, [], all_change, all_median)
            ax.text(0.5, 0.5, "no occupation in this group has a published annual median wage", ha="center",
                    va="center", transform=ax.transAxes, color=MUTED)
            ax.set_axis_off()
            return fig
        openings = d["openings_per_year"].astype(float)
        size = 20 + 380 * np.sqrt(openings / max(1.0, float(openings.max())))
        is_focus = d["soc_code"] == focus
        # A median at BLS's top code is a bound: an open triangle pointing up, at the bound, not a plain dot.
        topped = (d["median_wage_top_coded"].astype(bool) if "median_wage_top_coded" in d
                  else pd.Series(False, index=d.index))
        for sel, marker, face in ((~topped, "o", None), (topped, "^", "white")):
            rest, mine = sel & ~is_focus, sel & is_focus
            ax.scatter(d.loc[rest, "change_percent"], d.loc[rest, "median_wage_usd"], s=size[rest], marker=marker,
                       color=face or ACCENT_LIGHT, edgecolor=ACCENT, alpha=0.9, linewidths=1.2 if face else EDGE)
            ax.scatter(d.loc[mine, "change_percent"], d.loc[mine, "median_wage_usd"], s=size[mine], marker=marker,
                       color=face or ACCENT, edgecolor=INK, zorder=3, linewidths=FOCUS_EDGE)
        if not missing(all_change):
            ax.axvline(all_change, color=MUTED, linestyle="--", linewidth=0.8)
        if all_median:
            ax.axhline(all_median, color=BAD, linestyle="--", linewidth=0.8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
        ax.xaxis.set_major_formatter(pct_ticks())
        ax.yaxis.set_major_formatter(usd_ticks())
        ax.set_xlabel("projected change over ten years")
        ax.set_ylabel("median annual pay")
        ax.grid(color=GRID)
        ax.set_axisbelow(True)
        if label_codes is None:
            labelled = pd.concat([d[is_focus], d[~is_focus].nlargest(label_top, "openings_per_year")])
        else:
            labelled = d.set_index("soc_code", drop=False).reindex(
                [c for c in label_codes if c in set(d["soc_code"])])
        named = _label_points(ax, d, size, labelled, focus)
    fig.chart_desc = scatter_desc(d, focus, named, all_change, all_median)
    return fig


def _label_points(ax, d: pd.DataFrame, size: pd.Series, labelled: pd.DataFrame, focus: str | None) -> list[str]:
    """Place labels in display coordinates (points of the figure): each label's box is its text as the
    font measures it (7 pt DejaVu Sans) and is tried right-above, left-above, right-below,
    left-below, above and below its point; the middle of other points' discs are obstacles, as are the
    labels already placed. Returns the SOC codes labelled, in order."""
    pt = ax.figure.dpi / 72  # display units per typographic point
    ax.get_xlim(), ax.get_ylim()  # settles the autoscaled limits the transform below uses
    xy = ax.transData.transform(d[["change_percent", "median_wage_usd"]].to_numpy(dtype=float))
    radius = np.sqrt(size.to_numpy(dtype=float)) / 2 * pt
    frame = ax.get_window_extent()
    codes = list(d["soc_code"])
    taken: list[tuple[float, float, float, float]] = []
    named: list[str] = []
    for r in labelled.itertuples():
        i = codes.index(r.soc_code)
        px, py = xy[i]
        name = r.title if len(r.title) <= 34 else r.title[:32] + "…"
        w, h = text_width(name, 7) * pt, 7 * 1.25 * pt
        gap = radius[i] * 0.7 + 2 * pt
        for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1), (0, -1)):
            x0 = px + gap if dx > 0 else px - gap - w if dx < 0 else px - w / 2
            y0 = py + gap * (0.6 if dx else 1.1) if dy > 0 else py - gap * (0.6 if dx else 1.1) - h
            box = (x0, y0, x0 + w, y0 + h)
            inside = frame.x0 <= box[0] and box[2] <= frame.x1 and frame.y0 <= box[1] and box[3] <= frame.y1
            # A label may cross the rim of a disc, not its middle: the point stays visible.
            hits_point = any(_overlaps(box, (qx - qr / 2, qy - qr / 2, qx + qr / 2, qy + qr / 2))
                             for j, ((qx, qy), qr) in enumerate(zip(xy, radius, strict=True)) if j != i)
            if inside and not hits_point and not any(_overlaps(box, t) for t in taken):
                break
        else:
            if r.soc_code != focus:
                continue
            dx, dy = (-1 if px > (frame.x0 + frame.x1) / 2 else 1), 1
            x0 = px + gap if dx > 0 else px - gap - w
            box = (x0, py + gap * 0.6, x0 + w, py + gap * 0.6 + h)
        taken.append(box)
        named.append(r.soc_code)
        # In points, not pixels: the SVG is drawn at another dpi than the one these boxes were computed at.
        ax.annotate(name, (r.change_percent, r.median_wage_usd), xytext=(box[0] / pt, box[1] / pt),
                    textcoords="figure points", ha="left", va="bottom", fontsize=7, color=INK,
                    fontweight="bold" if r.soc_code == focus else "normal", bbox=LABEL_BOX)
    return named
