"""Charts for the reports: DataFrame or numbers in, matplotlib Figure out. No I/O, no global state.

Figures are created with ``Figure()`` directly (not pyplot), so nothing is left registered in a
kernel between reports; ``to_svg`` turns one into vector markup that stays sharp in print.
"""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

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

usd = FuncFormatter(lambda v, _: f"${v / 1000:,.0f}k" if abs(v) >= 1000 else f"${v:,.0f}")
pct = FuncFormatter(lambda v, _: f"{v:+.0f}%" if v else "0%")


def _figure(width: float = 6.8, height: float = 2.6) -> Figure:
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height), layout="constrained")
    fig.set_facecolor("white")
    return fig


def to_svg(fig: Figure) -> str:
    """The figure as standalone SVG markup (fonts as text, no timestamps: same figure, same bytes)."""
    buf = io.StringIO()
    with matplotlib.rc_context(RC | {"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _style(ax) -> None:
    ax.tick_params(length=0)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def outlook_bars(rows: pd.DataFrame, title: str) -> Figure:
    """Rows of ``label``, ``change_percent``, ``highlight`` -> horizontal bars of projected change."""
    fig = _figure(6.8, 0.55 + 0.42 * len(rows))
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        y = np.arange(len(rows))[::-1]
        vals = rows["change_percent"].astype(float).to_numpy()
        colors = [ACCENT if h else ACCENT_LIGHT for h in rows["highlight"]]
        ax.barh(y, vals, color=colors, height=0.62)
        ax.set_yticks(y, rows["label"])
        ax.axvline(0, color=MUTED, linewidth=0.8)
        span = max(1.0, np.nanmax(np.abs(vals)))
        for yi, v in zip(y, vals, strict=True):
            ax.text(v + (0.02 * span if v >= 0 else -0.02 * span), yi, f"{v:+.1f}%", va="center",
                    ha="left" if v >= 0 else "right", fontsize=9, color=INK)
        lo = min(0, np.nanmin(vals)) - 0.25 * span
        ax.set_xlim(lo, max(0, np.nanmax(vals)) + 0.3 * span)
        ax.xaxis.set_major_formatter(pct)
        ax.set_title(title, loc="left", fontsize=10, color=INK)
        _style(ax)
    return fig


def openings_bars(parts: dict[str, float], total: float, title: str) -> Figure:
    """Annual openings split into growth, exits and transfers (people a year) -> one stacked bar."""
    fig = _figure(6.8, 1.9)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        left_pos, left_neg = 0.0, 0.0
        for key, (label, color) in PARTS.items():
            v = float(parts.get(key, 0) or 0)
            start = left_pos if v >= 0 else left_neg + v
            ax.barh(0, v, left=left_pos if v >= 0 else left_neg, color=color, height=0.5,
                    label=f"{label}: {v:,.0f}")
            if v >= 0:
                left_pos += v
            else:
                left_neg = start
        ax.set_yticks([])
        ax.set_xlim(min(0, left_neg) * 1.05, max(total, left_pos) * 1.02)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_xlabel("openings a year")
        fig.legend(loc="outside lower center", ncol=3, frameon=False, fontsize=8.5)
        ax.set_title(title, loc="left", fontsize=10, color=INK)
        _style(ax)
    return fig


def pay_range(pcts: pd.DataFrame, all_median: float | None, title: str, unit: str = "year") -> Figure:
    """Rows ``label`` (10th…90th), ``value_usd``, ``top_coded`` -> a percentile strip with the
    all-occupations median for reference. Top-coded values are drawn at their bound and marked ≥."""
    fig = _figure(6.8, 1.9)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        p = pcts.dropna(subset=["value_usd"])
        if p.empty:
            ax.text(0.5, 0.5, "pay not published", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            return fig
        vals = p["value_usd"].astype(float).to_numpy()
        ax.hlines(0, vals.min(), vals.max(), color=ACCENT_LIGHT, linewidth=6)
        iqr = p[p["label"].isin(["25th", "75th"])]["value_usd"].astype(float)
        if len(iqr) == 2:
            ax.hlines(0, iqr.min(), iqr.max(), color=ACCENT, linewidth=12)
        for row, v in zip(p.itertuples(), vals, strict=True):
            mark = "≥ " if row.top_coded else ""
            money = f"${v:,.0f}" if unit == "year" else f"${v:,.2f}"
            ax.plot([v], [0], "o", color=INK if row.label == "Median" else ACCENT, markersize=6, zorder=3)
            ax.annotate(f"{row.label}\n{mark}{money}", (v, 0), xytext=(0, 11), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color=INK,
                        fontweight="bold" if row.label == "Median" else "normal")
        if all_median:
            ax.axvline(all_median, color=BAD, linestyle="--", linewidth=1)
            ax.annotate(f"all occupations median ${all_median:,.0f}", (all_median, 0), xytext=(3, -18),
                        textcoords="offset points", fontsize=8, color=BAD)
        lo = min(vals.min(), all_median or vals.min())
        hi = max(vals.max(), all_median or vals.max())
        pad = 0.08 * (hi - lo or hi)
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(-1, 1.6)
        ax.set_yticks([])
        ax.xaxis.set_major_formatter(usd)
        ax.spines["left"].set_visible(False)
        ax.set_title(title, loc="left", fontsize=10, color=INK)
        _style(ax)
    return fig


# Tile-grid positions (column, row) of the states, DC and Puerto Rico: a map without a map library.
TILES = {
    "AK": (0, 0), "ME": (11, 0), "VT": (10, 1), "NH": (11, 1), "WA": (1, 2), "ID": (2, 2), "MT": (3, 2),
    "ND": (4, 2), "MN": (5, 2), "IL": (6, 2), "WI": (7, 2), "MI": (8, 2), "NY": (9, 2), "RI": (10, 2),
    "MA": (11, 2), "OR": (1, 3), "NV": (2, 3), "WY": (3, 3), "SD": (4, 3), "IA": (5, 3), "IN": (6, 3),
    "OH": (7, 3), "PA": (8, 3), "NJ": (9, 3), "CT": (10, 3), "CA": (1, 4), "UT": (2, 4), "CO": (3, 4),
    "NE": (4, 4), "MO": (5, 4), "KY": (6, 4), "WV": (7, 4), "VA": (8, 4), "MD": (9, 4), "DE": (10, 4),
    "AZ": (2, 5), "NM": (3, 5), "KS": (4, 5), "AR": (5, 5), "TN": (6, 5), "NC": (7, 5), "SC": (8, 5),
    "DC": (9, 5), "OK": (4, 6), "LA": (5, 6), "MS": (6, 6), "AL": (7, 6), "GA": (8, 6), "HI": (0, 7),
    "TX": (4, 7), "FL": (9, 7), "PR": (11, 7),
}


def state_tiles(values: pd.DataFrame, title: str, fmt=lambda v: f"${v / 1000:,.0f}k",
                focus: str | None = None, legend: str = "") -> Figure:
    """Rows ``state_code``, ``value`` -> a tile-grid map, tiles shaded by value (grey = no data)."""
    fig = _figure(6.8, 4.0)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        v = values.dropna(subset=["value"]).set_index("state_code")["value"].astype(float)
        cmap = matplotlib.colormaps["Blues"]
        lo, hi = (v.min(), v.max()) if len(v) else (0, 1)
        for st, (cx, cy) in TILES.items():
            has = st in v.index
            shade = 0.2 + 0.75 * ((v[st] - lo) / (hi - lo) if hi > lo else 0.5) if has else 0
            color = cmap(shade) if has else "#eceff1"
            ax.add_patch(matplotlib.patches.FancyBboxPatch(
                (cx + 0.05, -cy + 0.05), 0.9, 0.9, boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=color, edgecolor=INK if st == focus else "white", linewidth=2 if st == focus else 1))
            txt = "white" if has and shade > 0.6 else INK
            ax.text(cx + 0.5, -cy + 0.62, st, ha="center", va="center", fontsize=8, fontweight="bold", color=txt)
            ax.text(cx + 0.5, -cy + 0.3, fmt(v[st]) if has else "n/a", ha="center", va="center",
                    fontsize=6.5, color=txt)
        ax.set_xlim(-0.1, 12.1)
        ax.set_ylim(-7.1, 1.1)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(title, loc="left", fontsize=10, color=INK)
        if legend:
            ax.text(12.0, -7.05, legend, ha="right", va="bottom", fontsize=7.5, color=MUTED)
    return fig


def releases_lines(rows: pd.DataFrame, title: str) -> Figure:
    """Rows ``vintage``, ``change_percent``, ``openings_per_year``, ``all_change_percent`` (oldest first)
    -> two panels: projected change (with the all-occupations average) and openings a year."""
    fig = _figure(6.8, 2.3)
    with matplotlib.rc_context(RC):
        a1, a2 = fig.subplots(1, 2)
        x = np.arange(len(rows))
        a1.plot(x, rows["change_percent"], "o-", color=ACCENT, label="this occupation")
        a1.plot(x, rows["all_change_percent"], "s--", color=MUTED, label="all occupations")
        for xi, v in zip(x, rows["change_percent"], strict=True):
            a1.annotate(f"{v:+.1f}%", (xi, v), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=8)
        a1.set_title("Projected 10-year change", loc="left", fontsize=9.5)
        a1.yaxis.set_major_formatter(pct)
        a1.legend(frameon=False, fontsize=7.5, loc="best")
        a2.bar(x, rows["openings_per_year"], color=ACCENT_LIGHT, width=0.55)
        for xi, v in zip(x, rows["openings_per_year"], strict=True):
            a2.annotate(f"{v:,.0f}", (xi, v), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=8)
        a2.set_title("Openings a year", loc="left", fontsize=9.5)
        a2.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        a2.set_ylim(0, max(rows["openings_per_year"]) * 1.2)
        for ax in (a1, a2):
            ax.set_xticks(x, rows["vintage"])
            ax.set_xlim(-0.5, len(rows) - 0.5)
            ax.tick_params(length=0)
            ax.grid(axis="y", color=GRID)
            ax.set_axisbelow(True)
        a1.margins(y=0.3)
        fig.suptitle(title, x=0.01, ha="left", fontsize=10, color=INK)
    return fig


def growth_pay_scatter(rows: pd.DataFrame, focus: str, title: str, all_change: float | None = None,
                       all_median: float | None = None, label_top: int = 5) -> Figure:
    """Rows ``soc_code``, ``title``, ``change_percent``, ``median_wage_usd``, ``openings_per_year`` ->
    growth (x) against pay (y), points sized by openings; the focus occupation highlighted."""
    fig = _figure(6.8, 3.6)
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        d = rows.dropna(subset=["change_percent", "median_wage_usd"])
        size = 20 + 380 * np.sqrt(d["openings_per_year"].astype(float) / max(1.0, d["openings_per_year"].max()))
        is_focus = d["soc_code"] == focus
        ax.scatter(d.loc[~is_focus, "change_percent"], d.loc[~is_focus, "median_wage_usd"], s=size[~is_focus],
                   color=ACCENT_LIGHT, edgecolor="white", alpha=0.9)
        ax.scatter(d.loc[is_focus, "change_percent"], d.loc[is_focus, "median_wage_usd"], s=size[is_focus],
                   color=ACCENT, edgecolor=INK, zorder=3)
        if all_change is not None and not math.isnan(all_change):
            ax.axvline(all_change, color=MUTED, linestyle="--", linewidth=0.8)
        if all_median:
            ax.axhline(all_median, color=BAD, linestyle="--", linewidth=0.8)
        labelled = pd.concat([d[is_focus], d[~is_focus].nlargest(label_top, "openings_per_year")])
        placed: list[tuple[float, float]] = []
        xspan = float(d["change_percent"].max() - d["change_percent"].min()) or 1.0
        yspan = float(d["median_wage_usd"].max() - d["median_wage_usd"].min()) or 1.0
        for r in labelled.itertuples():
            # Skip a label that would sit on one already placed (focus first, so it always shows).
            x, y = r.change_percent / xspan, r.median_wage_usd / yspan
            if any(abs(x - px) < 0.18 and abs(y - py) < 0.06 for px, py in placed):
                continue
            placed.append((x, y))
            name = r.title if len(r.title) <= 30 else r.title[:28] + "…"
            ax.annotate(name, (r.change_percent, r.median_wage_usd), xytext=(5, 3), textcoords="offset points",
                        fontsize=7, color=INK, fontweight="bold" if r.soc_code == focus else "normal")
        ax.xaxis.set_major_formatter(pct)
        ax.yaxis.set_major_formatter(usd)
        ax.set_xlabel("projected change over ten years")
        ax.set_ylabel("median annual pay")
        ax.set_title(title, loc="left", fontsize=10, color=INK)
        ax.grid(color=GRID)
        ax.set_axisbelow(True)
    return fig


def share_bars(rows: pd.DataFrame, title: str) -> Figure:
    """Rows ``label``, ``percent`` -> horizontal bars of shares (e.g. O*NET required education)."""
    fig = _figure(6.8, 0.5 + 0.3 * len(rows))
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
        y = np.arange(len(rows))[::-1]
        ax.barh(y, rows["percent"], color=ACCENT, height=0.6)
        ax.set_yticks(y, rows["label"], fontsize=8)
        for yi, v in zip(y, rows["percent"], strict=True):
            ax.text(v + 1, yi, f"{v:.0f}%", va="center", fontsize=8)
        ax.set_xlim(0, max(100, rows["percent"].max() + 10))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}%"))
        ax.set_title(title, loc="left", fontsize=10, color=INK)
        _style(ax)
    return fig
