"""Charts for the reports: DataFrame or numbers in, matplotlib Figure out. No I/O, no global state.

Figures are created with ``Figure()`` directly (not pyplot), so nothing is left registered in a
kernel between reports; ``to_svg`` turns one into vector markup that stays sharp in print.
"""

from __future__ import annotations

import html
import io
import math
import textwrap

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import Formatter, MaxNLocator  # noqa: E402

from .formatting import missing  # noqa: E402

INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#1f6feb"
ACCENT_LIGHT = "#9cc3ff"
GOOD = "#2f855a"
BAD = "#c53030"
GRID = "#e4e7eb"
PARTS = {"growth_openings_per_year": ("Growth", "#1f6feb"),
         "labor_force_exits_per_year": ("Labor force exits", "#f0a202"),
         "occupational_transfers_per_year": ("Occupational transfers", "#7b61ff")}
RC = {"font.family": "DejaVu Sans", "font.size": 9, "axes.edgecolor": MUTED, "axes.labelcolor": INK,
      "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False, "axes.spines.right": False,
      "svg.fonttype": "none", "svg.hashsalt": "career-outlook"}


def _figure(width: float = 6.8, height: float = 2.6, *, left: float = 0.5, right: float = 0.2,
            top: float = 0.35, bottom: float = 0.4, wspace: float = 0.3) -> Figure:
    """A figure with fixed margins in inches. Fixed, not constrained layout: the layout solver measured
    half of each chart's drawing time, and a catalogue draws thousands of charts."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height, wspace=wspace)
    fig.set_facecolor("white")
    return fig


def to_svg(fig: Figure | str) -> str:
    """The figure as standalone SVG markup (fonts as text, no timestamps: same figure, same bytes);
    a chart already drawn as SVG markup passes through."""
    if isinstance(fig, str):
        return fig
    buf = io.StringIO()
    with matplotlib.rc_context(RC | {"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    raw = (hi - lo) / max(1, n)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step) + 1)]


def _svg_grid(x, lo: float, hi: float, y_top: float, y_axis: float, y_label: float, fmt) -> list[str]:
    """Vertical grid lines at nice ticks between ``lo`` and ``hi``, labelled under the axis (SVG markup);
    ``x`` maps a value to its horizontal position."""
    return [f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{y_top}" y2="{y_axis}" stroke="{GRID}"/>'
            f'<text x="{x(t):.1f}" y="{y_label}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="11">{html.escape(fmt(t))}</text>' for t in _nice_ticks(lo, hi)]


def hbars_svg(labels: list[str], values: list[float], highlight: list[bool], title: str,
              fmt=lambda v: f"{v:+.1f}%", tick_fmt=lambda v: f"{v:+.0f}%" if v else "0%") -> str:
    """Horizontal bars as SVG markup (labels left, value at each bar's end, zero line, light grid).

    Drawn directly rather than through matplotlib: a handful of rectangles and labels cost ~1 ms
    this way against ~40 ms for a matplotlib SVG, for every report of the catalogue.
    """
    esc = html.escape
    n = len(values)
    # ~6.6 px a character at 12 px, ~7.4 in bold (the highlighted labels): long labels are not clipped
    label_w = min(320, 14 + max((len(x) * (7.4 if hl else 6.6) for x, hl in zip(labels, highlight, strict=True)),
                                default=0))
    width, bar_h, gap, top = 650, 22, 10, 30
    plot_l, plot_r = label_w, width - 70
    height = top + n * (bar_h + gap) + 24
    vals = [0.0 if missing(v) else float(v) for v in values]
    lo, hi = min([0.0, *vals]), max([0.0, *vals])
    span = (hi - lo) or 1.0
    hi = hi + 0.05 * span
    # Room left of the most negative bar for its value label.
    inner_l = plot_l + (60 if lo < 0 else 0)

    def x(v: float) -> float:
        return inner_l + (v - lo) / (hi - lo) * (plot_r - inner_l)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{esc(title)}" font-family="DejaVu Sans, sans-serif" font-size="12">',
           f'<text x="0" y="16" font-size="13" fill="{INK}">{esc(title)}</text>']
    axis_y = top + n * (bar_h + gap)
    out += _svg_grid(x, lo, hi, top - 4, axis_y, axis_y + 16, tick_fmt)
    for i, (lab, v, hl) in enumerate(zip(labels, vals, highlight, strict=True)):
        y = top + i * (bar_h + gap)
        x0, x1 = sorted((x(0), x(v)))
        weight = "bold" if hl else "normal"
        out.append(f'<text x="{plot_l - 8}" y="{y + bar_h / 2 + 4}" text-anchor="end" fill="{INK}" '
                   f'font-weight="{weight}">{esc(lab)}</text>'
                   f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.5):.1f}" height="{bar_h}" '
                   f'fill="{ACCENT if hl else ACCENT_LIGHT}"/>'
                   f'<text x="{(x1 + 5) if v >= 0 else (x0 - 5):.1f}" y="{y + bar_h / 2 + 4}" '
                   f'text-anchor="{"start" if v >= 0 else "end"}" fill="{INK}">{esc(fmt(v))}</text>')
    out.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top - 4}" y2="{axis_y}" stroke="{MUTED}"/>')
    out.append("</svg>")
    return "".join(out)


def outlook_bars(rows: pd.DataFrame, title: str) -> str:
    """Rows of ``label``, ``change_percent``, ``highlight`` -> horizontal bars of projected change (SVG)."""
    return hbars_svg(list(rows["label"]), list(rows["change_percent"]), list(rows["highlight"]), title)


def openings_bars(parts: dict[str, float], total: float, title: str) -> str:
    """Annual openings split into growth, exits and transfers (people a year) -> one stacked bar (SVG)
    whose legend gives each part; growth below zero (a declining occupation) is drawn hatched, taken off
    the end of exits + transfers, so the bar nets out at the published total."""
    return stacked_hbars_svg([""], [parts], PARTS, title, totals=[total], legend_values=True)


def pay_range(pcts: pd.DataFrame, all_median: float | None, title: str, unit: str = "year") -> str:
    """Rows ``label`` (10th…90th), ``value_usd``, ``top_coded`` -> a percentile strip (SVG): a thin
    10th–90th line, a thick 25th–75th bar, each percentile a dot with its name and value, and the
    all-occupations median as a dashed line. Top-coded values are drawn at their bound and marked ≥."""
    esc = html.escape
    p = [(r.label, float(r.value_usd), bool(r.top_coded)) for r in pcts.itertuples() if not missing(r.value_usd)]
    width = 650
    if not p:
        out = _svg_open(width, 80, title)
        out.append(f'<text x="{width / 2}" y="56" text-anchor="middle" fill="{MUTED}">pay not published</text>')
        return "".join(out) + "</svg>"
    money = (lambda v: f"${v:,.0f}") if unit == "year" else (lambda v: f"${v:,.2f}")
    vals = [v for _, v, _ in p]
    ends = vals + ([float(all_median)] if all_median else [])
    lo, hi = min(ends), max(ends)
    pad = 0.08 * ((hi - lo) or hi or 1.0)
    lo, hi = max(0.0, lo - pad), hi + pad
    plot_l, plot_r = 40, width - 40

    def x(v: float) -> float:
        return plot_l + (v - lo) / ((hi - lo) or 1.0) * (plot_r - plot_l)

    # Each label goes in the lowest of three rows where it clears the label before it in that row:
    # the percentiles of low-paid occupations sit close together. The strip sits under the rows used.
    row_end = [-math.inf] * 3
    placed = []
    for lab, v, top in p:
        text = f"{'≥ ' if top else ''}{money(v)}"
        half = 4 + 3.5 * max(len(lab), len(text))
        row = next((i for i, end in enumerate(row_end) if x(v) - half > end), len(row_end) - 1)
        row_end[row] = x(v) + half
        placed.append((lab, v, text, row))
    y = 66 + 30 * max(row for *_, row in placed)
    axis_y = y + 28
    labels = [(lab, v, text, y - 18 - 30 * row) for lab, v, text, row in placed]
    out = _svg_open(width, axis_y + 42, title)
    out += _svg_grid(x, lo, hi, 30, axis_y, axis_y + 16,
                     (lambda v: f"${v / 1000:,.0f}k") if unit == "year" else (lambda v: f"${v:,.0f}"))
    for _, v, _, ty in labels:
        out.append(f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{ty + 3}" y2="{y}" stroke="{GRID}"/>')
    if all_median:
        out.append(f'<line x1="{x(all_median):.1f}" x2="{x(all_median):.1f}" y1="{y - 14}" y2="{axis_y}" '
                   f'stroke="{BAD}" stroke-dasharray="4 3"/><text x="{min(max(x(all_median), 120), width - 120):.1f}" '
                   f'y="{axis_y + 34}" text-anchor="middle" font-size="11" fill="{BAD}">all occupations median '
                   f'{esc(money(all_median))}</text>')
    out.append(f'<line x1="{x(min(vals)):.1f}" x2="{x(max(vals)):.1f}" y1="{y}" y2="{y}" '
               f'stroke="{ACCENT_LIGHT}" stroke-width="6"/>')
    by = {lab: v for lab, v, _ in p}
    if "25th" in by and "75th" in by:
        out.append(f'<rect x="{x(by["25th"]):.1f}" y="{y - 8}" width="{x(by["75th"]) - x(by["25th"]):.1f}" '
                   f'height="16" fill="{ACCENT}" rx="2"/>')
    for lab, v, text, ty in labels:
        median = lab == "Median"
        weight = "bold" if median else "normal"
        out.append(f'<circle cx="{x(v):.1f}" cy="{y}" r="5" fill="{INK if median else ACCENT}" stroke="white"/>'
                   f'<text x="{x(v):.1f}" y="{ty - 12}" text-anchor="middle" font-size="10.5" fill="{MUTED}">'
                   f'{esc(lab)}</text><text x="{x(v):.1f}" y="{ty}" text-anchor="middle" font-size="11.5" '
                   f'fill="{INK}" font-weight="{weight}">{esc(text)}</text>')
    out.append("</svg>")
    return "".join(out)


# Tile-grid positions (column, row) of the states, DC and the territories OEWS publishes (Guam, Puerto
# Rico, the Virgin Islands): a map without a map library.
TILES = {
    "AK": (0, 0), "ME": (11, 0), "VT": (10, 1), "NH": (11, 1), "WA": (1, 2), "ID": (2, 2), "MT": (3, 2),
    "ND": (4, 2), "MN": (5, 2), "IL": (6, 2), "WI": (7, 2), "MI": (8, 2), "NY": (9, 2), "RI": (10, 2),
    "MA": (11, 2), "OR": (1, 3), "NV": (2, 3), "WY": (3, 3), "SD": (4, 3), "IA": (5, 3), "IN": (6, 3),
    "OH": (7, 3), "PA": (8, 3), "NJ": (9, 3), "CT": (10, 3), "CA": (1, 4), "UT": (2, 4), "CO": (3, 4),
    "NE": (4, 4), "MO": (5, 4), "KY": (6, 4), "WV": (7, 4), "VA": (8, 4), "MD": (9, 4), "DE": (10, 4),
    "AZ": (2, 5), "NM": (3, 5), "KS": (4, 5), "AR": (5, 5), "TN": (6, 5), "NC": (7, 5), "SC": (8, 5),
    "DC": (9, 5), "OK": (4, 6), "LA": (5, 6), "MS": (6, 6), "AL": (7, 6), "GA": (8, 6), "HI": (0, 7),
    "TX": (4, 7), "FL": (9, 7), "VI": (10, 7), "PR": (11, 7), "GU": (1, 7),
}


def state_tiles(values: pd.DataFrame, title: str, fmt=lambda v: f"${v / 1000:,.0f}k",
                focus: str | None = None, legend: str = "") -> str:
    """Rows ``state_code``, ``value`` -> a tile-grid map as SVG markup, tiles shaded by value (grey = no
    data). Written as SVG directly: ~100 shapes and labels cost ~0.2 s through matplotlib, ~1 ms here."""
    v = values.dropna(subset=["value"]).set_index("state_code")["value"].astype(float)
    cmap = matplotlib.colormaps["Blues"]
    lo, hi = (v.min(), v.max()) if len(v) else (0.0, 1.0)
    size, gap, top = 44, 4, 30
    width, height = 12 * (size + gap), top + 8 * (size + gap) + 14
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html.escape(title)}" font-family="DejaVu Sans, sans-serif">',
           f'<text x="0" y="16" font-size="13" fill="{INK}">{html.escape(title)}</text>']
    for st, (cx, cy) in TILES.items():
        x, y = cx * (size + gap), top + cy * (size + gap)
        has = st in v.index
        shade = 0.2 + 0.75 * ((v[st] - lo) / (hi - lo) if hi > lo else 0.5) if has else 0.0
        fill = matplotlib.colors.to_hex(cmap(shade)) if has else "#eceff1"
        ink = "#ffffff" if has and shade > 0.6 else INK
        stroke = f' stroke="{INK}" stroke-width="3"' if st == focus else ""
        label = html.escape(fmt(v[st])) if has else "n/a"
        out.append(f'<g><title>{st}: {label}</title><rect x="{x}" y="{y}" width="{size}" height="{size}" rx="4" '
                   f'fill="{fill}"{stroke}/><text x="{x + size / 2}" y="{y + 19}" font-size="12" '
                   f'font-weight="bold" text-anchor="middle" fill="{ink}">{st}</text><text x="{x + size / 2}" '
                   f'y="{y + 35}" font-size="10" text-anchor="middle" fill="{ink}">{label}</text></g>')
    if legend:
        out.append(f'<text x="{width}" y="{height - 2}" font-size="10" text-anchor="end" '
                   f'fill="{MUTED}">{html.escape(legend)}</text>')
    out.append("</svg>")
    return "".join(out)


def releases_lines(rows: pd.DataFrame, title: str) -> str:
    """Rows ``vintage``, ``change_percent``, ``openings_per_year``, ``all_change_percent`` (oldest first)
    -> two panels as SVG: projected change by release (with the all-occupations change, dashed) and
    openings a year by release (bars), each point and bar labelled with its value."""
    esc = html.escape
    width, top, bottom = 650, 64, 196
    vint = list(rows["vintage"])
    change = [None if missing(v) else float(v) for v in rows["change_percent"]]
    allc = [None if missing(v) else float(v) for v in rows["all_change_percent"]]
    opens = [0.0 if missing(v) else float(v) for v in rows["openings_per_year"]]
    out = _svg_open(width, bottom + 26, title)

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
        for t in _nice_ticks(lo, hi, 4):
            out.append(f'<line x1="{left}" x2="{right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID}"/>'
                       f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="10.5" '
                       f'fill="{MUTED}">{esc(fmt(t))}</text>')
        for i, v in enumerate(vint):
            out.append(f'<text x="{xs(i):.1f}" y="{bottom + 16}" text-anchor="middle" font-size="11" '
                       f'fill="{INK}">{esc(v)}</text>')
        return xs, y

    known = [v for v in change + allc if v is not None]
    xs, y = panel(50, 300, min(known, default=0.0), max(known, default=0.0), "Projected 10-year change",
                  lambda v: f"{v:+.0f}%" if v else "0%")
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
                       f'font-weight="bold" fill="{INK}">{v:+.1f}%</text>')
    out.append(f'<circle cx="60" cy="{top - 6}" r="4" fill="{ACCENT}"/><text x="68" y="{top - 2}" font-size="10.5" '
               f'fill="{INK}">this occupation</text><rect x="170" y="{top - 10}" width="8" height="8" '
               f'fill="{MUTED}"/><text x="182" y="{top - 2}" font-size="10.5" fill="{INK}">all occupations</text>')

    xs, y = panel(400, 640, 0.0, max(opens, default=0.0), "Openings a year", lambda v: f"{v:,.0f}")
    bar_w = 0.5 * 240 / max(1, len(vint))
    for i, v in enumerate(opens):
        out.append(f'<rect x="{xs(i) - bar_w / 2:.1f}" y="{y(v):.1f}" width="{bar_w:.1f}" '
                   f'height="{y(0) - y(v):.1f}" fill="{ACCENT_LIGHT}"/><text x="{xs(i):.1f}" y="{y(v) - 5:.1f}" '
                   f'text-anchor="middle" font-size="11" fill="{INK}">{v:,.0f}</text>')
    out.append("</svg>")
    return "".join(out)


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


def _pct_ticks() -> _StepFormatter:
    return _StepFormatter(lambda v, d: f"{v:+.{d}f}%" if v else "0%")


def _usd_ticks() -> _StepFormatter:
    return _StepFormatter(lambda v, d: f"${v / 1000:,.{d}f}k" if abs(v) >= 1000 else f"${v:,.0f}", scale=1000)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def growth_pay_scatter(rows: pd.DataFrame, focus: str | None, title: str, all_change: float | None = None,
                       all_median: float | None = None, label_top: int = 5,
                       label_codes: list[str] | None = None) -> Figure:
    """Rows ``soc_code``, ``title``, ``change_percent``, ``median_wage_usd``, ``openings_per_year`` ->
    growth (x) against pay (y), points sized by openings; the focus occupation highlighted. Labelled:
    the focus and the ``label_top`` largest by openings, or exactly ``label_codes`` (in that order).
    Rows without growth or pay are not drawn (the caller says so). A label goes beside its point where
    it covers no other label or point and stays inside the axes, else it is left out (never the focus)."""
    lines = textwrap.wrap(title, 88) or [""]
    fig = _figure(6.8, 3.5 + 0.17 * len(lines), left=0.75, bottom=0.55, top=0.22 + 0.17 * len(lines))
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        ax.set_title("\n".join(lines), loc="left", fontsize=10, color=INK)
        d = rows.dropna(subset=["change_percent", "median_wage_usd"])
        if d.empty:
            ax.text(0.5, 0.5, "no occupation in this group has a published annual median wage", ha="center",
                    va="center", transform=ax.transAxes, color=MUTED)
            ax.set_axis_off()
            return fig
        openings = d["openings_per_year"].astype(float)
        size = 20 + 380 * np.sqrt(openings / max(1.0, float(openings.max())))
        is_focus = d["soc_code"] == focus
        ax.scatter(d.loc[~is_focus, "change_percent"], d.loc[~is_focus, "median_wage_usd"], s=size[~is_focus],
                   color=ACCENT_LIGHT, edgecolor="white", alpha=0.9)
        ax.scatter(d.loc[is_focus, "change_percent"], d.loc[is_focus, "median_wage_usd"], s=size[is_focus],
                   color=ACCENT, edgecolor=INK, zorder=3)
        if not missing(all_change):
            ax.axvline(all_change, color=MUTED, linestyle="--", linewidth=0.8)
        if all_median:
            ax.axhline(all_median, color=BAD, linestyle="--", linewidth=0.8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
        ax.xaxis.set_major_formatter(_pct_ticks())
        ax.yaxis.set_major_formatter(_usd_ticks())
        ax.set_xlabel("projected change over ten years")
        ax.set_ylabel("median annual pay")
        ax.grid(color=GRID)
        ax.set_axisbelow(True)
        if label_codes is None:
            labelled = pd.concat([d[is_focus], d[~is_focus].nlargest(label_top, "openings_per_year")])
        else:
            labelled = d.set_index("soc_code", drop=False).reindex(
                [c for c in label_codes if c in set(d["soc_code"])])
        _label_points(ax, d, size, labelled, focus)
    return fig


def _label_points(ax, d: pd.DataFrame, size: pd.Series, labelled: pd.DataFrame, focus: str | None) -> None:
    """Place labels in display coordinates (points of the figure): each label's box is estimated from
    its length (7 pt DejaVu Sans, ~0.6 em a character) and tried right-above, left-above, right-below,
    left-below, above and below its point; the middle of other points' discs are obstacles, as are the
    labels already placed."""
    pt = ax.figure.dpi / 72  # display units per typographic point
    ax.get_xlim(), ax.get_ylim()  # settles the autoscaled limits the transform below uses
    xy = ax.transData.transform(d[["change_percent", "median_wage_usd"]].to_numpy(dtype=float))
    radius = np.sqrt(size.to_numpy(dtype=float)) / 2 * pt
    frame = ax.get_window_extent()
    codes = list(d["soc_code"])
    taken: list[tuple[float, float, float, float]] = []
    for r in labelled.itertuples():
        i = codes.index(r.soc_code)
        px, py = xy[i]
        name = r.title if len(r.title) <= 34 else r.title[:32] + "…"
        w, h = len(name) * 7 * 0.6 * pt, 7 * 1.25 * pt
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
        # In points, not pixels: the SVG is drawn at another dpi than the one these boxes were computed at.
        ax.annotate(name, (r.change_percent, r.median_wage_usd), xytext=(box[0] / pt, box[1] / pt),
                    textcoords="figure points", ha="left", va="bottom", fontsize=7, color=INK,
                    fontweight="bold" if r.soc_code == focus else "normal")


def share_bars(rows: pd.DataFrame, title: str) -> str:
    """Rows ``label``, ``percent`` -> horizontal bars of shares (e.g. O*NET required education), SVG."""
    return hbars_svg(list(rows["label"]), list(rows["percent"]), [False] * len(rows), title,
                     fmt=lambda v: f"{v:.0f}%", tick_fmt=lambda v: f"{v:.0f}%")


def _svg_open(width: float, height: float, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" role="img" '
            f'aria-label="{html.escape(title)}" font-family="DejaVu Sans, sans-serif" font-size="12">',
            f'<text x="0" y="16" font-size="13" fill="{INK}">{html.escape(title)}</text>']


def stacked_hbars_svg(labels: list[str], rows: list[dict[str, float]], parts: dict[str, tuple[str, str]],
                      title: str, totals: list[float] | None = None,
                      fmt=lambda v: f"{v:,.0f}", legend_values: bool = False) -> str:
    """One horizontal bar per label, split into ``parts`` (key -> (legend label, colour)), all on one
    shared axis (SVG). Positive parts stack from zero; a negative part (openings lost to a decline) is
    drawn hatched over the end of that stack, taken off it, and a dark mark shows where the bar nets
    out. ``totals`` are written at each bar's end (default: the sum of the parts); ``legend_values``
    adds the first bar's value of each part to the legend (for a single bar)."""
    esc = html.escape
    n = len(labels)
    label_w = min(300, 14 + 6.8 * max((len(x) for x in labels), default=0))
    width, bar_h, gap, top = 650, 20, 10, 30
    plot_l, plot_r = label_w, width - 70
    vals = [[0.0 if missing(r.get(k)) else float(r[k]) for k in parts] for r in rows]
    pos = [sum(v for v in vs if v > 0) for vs in vals]
    net = [sum(vs) for vs in vals]
    lo, hi = min(0.0, *net), max(0.0, *pos)
    hi = hi + 0.04 * ((hi - lo) or 1.0)
    inner_l = plot_l + (10 if lo < 0 else 0)

    def x(v: float) -> float:
        return inner_l + (v - lo) / ((hi - lo) or 1.0) * (plot_r - inner_l)

    axis_y = top + n * (bar_h + gap)
    hatched = {colour for vs in vals for (_, colour), v in zip(parts.values(), vs, strict=True) if v < 0}
    height = axis_y + 44 + (16 if hatched else 0)
    out = _svg_open(width, height, title)
    if hatched:  # pattern ids are named after their colour: the same id in two charts of a page is the same
        out.append("<defs>" + "".join(
            f'<pattern id="hatch-{c.lstrip("#")}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/>'
            f'<rect width="3" height="6" fill="{c}"/></pattern>' for c in sorted(hatched)) + "</defs>")
    out += _svg_grid(x, lo, hi, top - 4, axis_y, axis_y + 14, fmt)
    for i, (lab, vs) in enumerate(zip(labels, vals, strict=True)):
        y = top + i * (bar_h + gap)
        right, end = 0.0, pos[i]
        out.append(f'<text x="{plot_l - 8}" y="{y + bar_h / 2 + 4}" text-anchor="end" fill="{INK}">'
                   f'{esc(lab)}</text>')
        # Positive parts first, so the hatched negative ones are drawn over the end of their stack.
        order = sorted(zip(parts.values(), vs, strict=True), key=lambda pv: pv[1] < 0)
        for (name, colour), v in order:
            if v >= 0:
                x0, x1, fill = x(right), x(right + v), colour
                right += v
            else:
                x0, x1, fill = x(end + v), x(end), f"url(#hatch-{colour.lstrip('#')})"
                end += v
            out.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.0):.1f}" height="{bar_h}" '
                       f'fill="{fill}"><title>{esc(name)}: {esc(fmt(v))}</title></rect>')
        if net[i] < pos[i]:
            out.append(f'<line x1="{x(net[i]):.1f}" x2="{x(net[i]):.1f}" y1="{y - 3}" y2="{y + bar_h + 3}" '
                       f'stroke="{INK}" stroke-width="2"/>')
        total = totals[i] if totals is not None else net[i]
        suffix = " net" if net[i] < pos[i] else ""
        out.append(f'<text x="{x(pos[i]) + 5:.1f}" y="{y + bar_h / 2 + 4}" fill="{INK}">{esc(fmt(total))}{suffix}'
                   "</text>")
    out.append(f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top - 4}" y2="{axis_y}" stroke="{MUTED}"/>')
    lx, ly = plot_l, axis_y + 40
    first = vals[0] if vals else [0.0] * len(parts)
    for (name, colour), v in zip(parts.values(), first, strict=True):
        name = f"{name}: {fmt(v)}" if legend_values else name
        fill = f"url(#hatch-{colour.lstrip('#')})" if legend_values and v < 0 else colour
        out.append(f'<rect x="{lx:.0f}" y="{ly - 10}" width="11" height="11" fill="{fill}"/>'
                   f'<text x="{lx + 15:.0f}" y="{ly}" font-size="11" fill="{INK}">{esc(name)}</text>')
        lx += 30 + 6.6 * len(name)
    if hatched:
        out.append(f'<text x="{plot_l}" y="{ly + 16}" font-size="10.5" fill="{MUTED}">Hatched: openings lost to a '
                   "decline, taken off the other parts; the dark mark is where the bar nets out.</text>")
    out.append("</svg>")
    return "".join(out)


def ranges_svg(labels: list[str], rows: pd.DataFrame, title: str, ref: float | None = None,
               ref_label: str = "", fmt=lambda v: f"${v / 1000:,.0f}k") -> str:
    """Pay percentiles on one shared axis (SVG): per label a thin 10th–90th line, a thick 25th–75th bar
    and the median as a dot with its value. Rows: ``p10``, ``p25``, ``median``, ``p75``, ``p90`` (NaN =
    not published) and ``top_coded`` (any value at BLS's top code: its 90th is marked "≥")."""
    esc = html.escape
    n = len(labels)
    label_w = min(300, 14 + 6.8 * max((len(x) for x in labels), default=0))
    width, row_h, top = 650, 36, 36
    plot_l, plot_r = label_w + 46, width - 50  # room for the 10th percentile's value left of its line
    cols = ["p10", "p25", "median", "p75", "p90"]
    allv = [float(v) for c in cols for v in rows[c] if not missing(v)]
    if ref:
        allv.append(float(ref))
    lo, hi = (min(allv), max(allv)) if allv else (0.0, 1.0)
    pad = 0.04 * ((hi - lo) or hi or 1.0)
    lo, hi = max(0.0, lo - pad), hi + pad

    def x(v: float) -> float:
        return plot_l + (v - lo) / ((hi - lo) or 1.0) * (plot_r - plot_l)

    axis_y = top + n * row_h
    height = axis_y + 34
    out = _svg_open(width, height, title)
    out += _svg_grid(x, lo, hi, top - 6, axis_y, axis_y + 14, fmt)
    for i, (lab, r) in enumerate(zip(labels, rows.itertuples(), strict=True)):
        y = top + i * row_h + row_h / 2
        out.append(f'<text x="{label_w - 8}" y="{y + 4}" text-anchor="end" fill="{INK}">{esc(lab)}</text>')
        v = {c: getattr(r, c) for c in cols}
        ok = {c: not missing(v[c]) for c in cols}
        if not ok["median"]:
            out.append(f'<text x="{plot_l}" y="{y + 4}" fill="{MUTED}">annual pay not published</text>')
            continue
        if ok["p10"] and ok["p90"]:
            out.append(f'<line x1="{x(v["p10"]):.1f}" x2="{x(v["p90"]):.1f}" y1="{y}" y2="{y}" '
                       f'stroke="{ACCENT_LIGHT}" stroke-width="4"/>')
            out.append(f'<text x="{x(v["p10"]) - 4:.1f}" y="{y + 4}" text-anchor="end" font-size="11" '
                       f'fill="{MUTED}">{esc(fmt(v["p10"]))}</text>')
            mark = "≥" if r.top_coded else ""
            out.append(f'<text x="{x(v["p90"]) + 4:.1f}" y="{y + 4}" font-size="11" '
                       f'fill="{MUTED}">{mark}{esc(fmt(v["p90"]))}</text>')
        if ok["p25"] and ok["p75"]:
            out.append(f'<rect x="{x(v["p25"]):.1f}" y="{y - 7}" width="{x(v["p75"]) - x(v["p25"]):.1f}" '
                       f'height="14" fill="{ACCENT}" rx="2"/>')
        out.append(f'<circle cx="{x(v["median"]):.1f}" cy="{y}" r="5" fill="{INK}" stroke="white"/>'
                   f'<text x="{x(v["median"]):.1f}" y="{y - 10}" text-anchor="middle" font-size="11.5" '
                   f'font-weight="bold" fill="{INK}">{esc(fmt(v["median"]))}</text>')
    if ref:
        out.append(f'<line x1="{x(ref):.1f}" x2="{x(ref):.1f}" y1="{top - 6}" y2="{axis_y}" stroke="{BAD}" '
                   f'stroke-dasharray="4 3"/><text x="{x(ref):.1f}" y="{axis_y + 28}" text-anchor="middle" '
                   f'font-size="10.5" fill="{BAD}">{esc(ref_label)}</text>')
    out.append("</svg>")
    return "".join(out)
