"""What every chart shares: the palette (with WCAG contrast), the font's metrics, nice ticks, and the SVG pieces
the charts are made of (the opening tag that makes a chart an accessible image with its title and description,
a labelled grid). Every report chart is drawn as SVG directly; ``to_svg`` still takes a matplotlib Figure (an
analyst's own chart) and gives it the same accessible title and description.

In: numbers, labels, a chart's title and its description in words. Out: SVG markup strings.
"""

from __future__ import annotations

import hashlib
import html
import io
from functools import lru_cache
from typing import TYPE_CHECKING

# No backend is chosen here (no matplotlib.use, no pyplot): the charts need none (text paths and ticks only;
# a Figure given to to_svg saves itself as SVG), and an analyst's notebook importing the sections keeps its own
# (inline figures).
import matplotlib
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONT = "DejaVu Sans"  # what every SVG chart names first; matplotlib ships it, Debian's fonts-dejavu-core too
_TEXT = TextToPath()
TICK_STEPS = [1, 2, 2.5, 5, 10]

# Contrast on white (WCAG 2.1: 4.5:1 for text under 18 px, 3:1 for marks that carry meaning), see ``contrast``.
INK = "#1f2933"  # 14.8:1: every label and value
MUTED = "#5f6b7a"  # 5.4:1: tick labels, notes, reference lines (was #7b8794, 3.7:1); the report CSS's --muted
ACCENT = "#1f6feb"  # 4.6:1: the highlighted bar, the middle half of pay, this occupation's series
# 1.8:1, below 3:1: used only for marks labelled with their value (bars, the 10th-90th line) or outlined in
# ACCENT (the scatter's points), so no information rests on it alone; INK on it is 8.2:1.
ACCENT_LIGHT = "#9cc3ff"
BAD = "#c53030"  # 5.5:1: the all-occupations median line and its label
GRID = "#e4e7eb"  # decorative: grid lines only
# matplotlib's settings for a Figure passed to ``to_svg``.
RC = {"font.family": "DejaVu Sans", "font.size": 9, "axes.edgecolor": MUTED, "axes.labelcolor": INK,
      "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False, "axes.spines.right": False,
      "svg.fonttype": "none", "svg.hashsalt": "career-outlook"}


def to_svg(fig: Figure | str, title: str | None = None, desc: str | None = None) -> str:
    """A chart as standalone SVG markup, an accessible image: a chart already drawn as SVG markup passes
    through; a matplotlib Figure is saved as SVG (fonts as text, no timestamps: same figure, same bytes) and
    named by ``title`` (default: its axes' titles) and ``desc``."""
    if isinstance(fig, str):
        return fig
    buf = io.StringIO()
    with matplotlib.rc_context(RC | {"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    if not title:  # a plain Figure: its axes' titles are the best name it has
        title = " ".join(" ".join(ax.get_title(loc=loc).split()) for ax in fig.axes for loc in ("left", "center")
                         if ax.get_title(loc=loc)) or "Chart"
    return described(svg, title, desc or "")


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour (0 = black, 1 = white)."""
    c = colour.lstrip("#")
    channels = [int(c[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours, 1 to 21 (AA: 4.5 for text, 3 for marks)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def chart_ids(title: str, desc: str) -> tuple[str, str]:
    """The ids of a chart's ``<title>`` and ``<desc>``: a hash of both, so two charts of a page differ and
    the same chart has the same ids (and bytes) on every run."""
    h = hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:12]
    return f"chart-{h}-title", f"chart-{h}-desc"


def accessible(title: str, desc: str) -> tuple[str, str]:
    """The root ``<svg>``'s accessibility attributes and the ``<title>``/``<desc>`` elements that go first
    inside it: ``role="img"`` named by both through ``aria-labelledby`` (no ``aria-label``: one name)."""
    tid, did = chart_ids(title, desc)
    esc = html.escape
    if not desc:
        return f'role="img" aria-labelledby="{tid}"', f'<title id="{tid}">{esc(title)}</title>'
    return (f'role="img" aria-labelledby="{tid} {did}"',
            f'<title id="{tid}">{esc(title)}</title><desc id="{did}">{esc(desc)}</desc>')


def described(svg: str, title: str, desc: str) -> str:
    """SVG markup whose root tag (e.g. matplotlib's) gets ``role="img"``, a ``<title>`` and a ``<desc>``
    referenced by ``aria-labelledby``."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    attrs, elements = accessible(title, desc)
    return f"{svg[:end]} {attrs}>{elements}{svg[end + 1:]}"


@lru_cache(maxsize=8192)
def text_width(text: str, size: float = 12.0, bold: bool = False) -> float:
    """Width of ``text`` in SVG units (px) at ``size`` px in DejaVu Sans, from the font's own metrics (kerning
    included), as matplotlib lays text out: labels are placed by what they measure, not by a guess per
    character."""
    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    width, _, _ = _TEXT.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def nice_ticks(lo: float, hi: float, n: int = 5, steps: list[float] = TICK_STEPS) -> list[float]:
    """At most ``n`` intervals of a round step (``steps``, default 1, 2, 2.5 or 5, times a power of ten)
    covering ``lo``–``hi``: matplotlib's MaxNLocator, keeping the ticks inside the range."""
    span = hi - lo
    eps = 1e-9 * (abs(span) or 1.0)
    locs = MaxNLocator(nbins=n, steps=steps).tick_values(lo, hi)
    return [float(t) for t in locs if lo - eps <= t <= hi + eps]


def padded_scale(values: list[float], left: float, right: float, pad: float):
    """A linear scale over ``values`` (non-negative), widened by ``pad`` of their span each side (never below
    0), onto ``left``..``right``: ``(lo, hi, x)`` with ``x(value)`` the position."""
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    margin = pad * ((hi - lo) or hi or 1.0)
    lo, hi = max(0.0, lo - margin), hi + margin

    def x(v: float) -> float:
        return left + (v - lo) / ((hi - lo) or 1.0) * (right - left)

    return lo, hi, x


def svg_grid(x, lo: float, hi: float, y_top: float, y_axis: float, y_label: float, fmt) -> list[str]:
    """Vertical grid lines at nice ticks between ``lo`` and ``hi``, labelled under the axis (SVG markup);
    ``x`` maps a value to its horizontal position."""
    return [f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{y_top}" y2="{y_axis}" stroke="{GRID}"/>'
            f'<text x="{x(t):.1f}" y="{y_label}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="11">{html.escape(fmt(t))}</text>' for t in nice_ticks(lo, hi)]


def title_lines(title: str, width: float, size: float = 13) -> list[str]:
    """``title`` in lines no wider than ``width`` at ``size`` px (words kept whole; a longer word alone)."""
    if text_width(title, size) <= width:
        return [title]
    lines: list[str] = []
    for word in title.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def svg_open(width: float, height: float, title: str, desc: str = "", wrap: bool = False) -> list[str]:
    """The opening of a hand-drawn chart (SVG markup): the root tag as an accessible image with its
    ``<title>`` and ``<desc>`` (what the chart shows, in words with its numbers), then the visible title;
    with ``wrap``, in lines 17 units apart where it is wider than the chart (``title_lines``: the chart
    leaves room for them)."""
    attrs, elements = accessible(title, desc)
    lines = title_lines(title, width) if wrap else [title]
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" {attrs} '
            f'font-family="DejaVu Sans, sans-serif" font-size="12">{elements}',
            *(f'<text x="0" y="{16 + 17 * i}" font-size="13" fill="{INK}">{html.escape(line)}</text>'
              for i, line in enumerate(lines))]
