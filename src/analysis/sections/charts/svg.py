"""What every chart shares: the palette, matplotlib's settings for the one chart it still draws, and the
SVG pieces the hand-drawn charts are made of (the opening tag with its title, a labelled grid).

In: numbers and labels. Out: SVG markup strings (or, for a matplotlib Figure, its SVG).
"""

from __future__ import annotations

import html
import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # charts never need a screen, in a kernel or a worker
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import TextToPath  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

FONT = "DejaVu Sans"  # what every SVG chart names first; matplotlib ships it, Debian's fonts-dejavu-core too
_TEXT = TextToPath()
TICK_STEPS = [1, 2, 2.5, 5, 10]

INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#1f6feb"
ACCENT_LIGHT = "#9cc3ff"
GOOD = "#2f855a"
BAD = "#c53030"
GRID = "#e4e7eb"
RC = {"font.family": "DejaVu Sans", "font.size": 9, "axes.edgecolor": MUTED, "axes.labelcolor": INK,
      "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False, "axes.spines.right": False,
      "svg.fonttype": "none", "svg.hashsalt": "career-outlook"}


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


@lru_cache(maxsize=8192)
def text_width(text: str, size: float = 12.0, bold: bool = False) -> float:
    """Width of ``text`` in SVG units (px) at ``size`` px in DejaVu Sans, from the font's own metrics (kerning
    included), as matplotlib lays text out: labels are placed by what they measure, not by a guess per
    character."""
    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    width, _, _ = _TEXT.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """At most ``n`` intervals of a round step (1, 2, 2.5 or 5 times a power of ten) covering ``lo``–``hi``:
    matplotlib's MaxNLocator, keeping the ticks inside the range."""
    span = hi - lo
    eps = 1e-9 * (abs(span) or 1.0)
    locs = MaxNLocator(nbins=n, steps=TICK_STEPS).tick_values(lo, hi)
    return [float(t) for t in locs if lo - eps <= t <= hi + eps]


def svg_grid(x, lo: float, hi: float, y_top: float, y_axis: float, y_label: float, fmt) -> list[str]:
    """Vertical grid lines at nice ticks between ``lo`` and ``hi``, labelled under the axis (SVG markup);
    ``x`` maps a value to its horizontal position."""
    return [f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{y_top}" y2="{y_axis}" stroke="{GRID}"/>'
            f'<text x="{x(t):.1f}" y="{y_label}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="11">{html.escape(fmt(t))}</text>' for t in nice_ticks(lo, hi)]


def svg_open(width: float, height: float, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" role="img" '
            f'aria-label="{html.escape(title)}" font-family="DejaVu Sans, sans-serif" font-size="12">',
            f'<text x="0" y="16" font-size="13" fill="{INK}">{html.escape(title)}</text>']
