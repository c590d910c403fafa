"""Growth against pay, drawn as SVG: one point per occupation, sized by openings, the focus highlighted, a few
points named, with labels placed where they cover no other label or point and stay inside the plot.

In: occupations with growth, median pay and openings. Out: SVG markup, an accessible image whose description
says the axes, the focus, the reference lines and the named points with their numbers (``scatter_desc``).
Drawn directly like the other charts: ~1.5 ms a chart against ~55 ms through matplotlib's Figure and Axes.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

from analysis.sections.charts.svg import (
    ACCENT,
    ACCENT_LIGHT,
    BAD,
    GRID,
    INK,
    MUTED,
    nice_ticks,
    svg_open,
    text_width,
    title_lines,
)
from analysis.values import fixed, missing, money, openings_count, percent

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in SVG units (y grows downwards)

WIDTH, PLOT_H = 650, 260
TICK_STEPS = [1, 2, 5, 10]  # no 2.5: ticks read +5%, +10%, $40k, $60k
# A point's area grows with the square root of its openings a year, from R_MIN to R_MAX (radius, SVG units):
# the largest occupations of a group would otherwise hide the rest.
R_MIN, R_MAX = 3.0, 13.0
# The points' fill, ACCENT_LIGHT, is 1.8:1 on white: each is outlined in ACCENT (4.6:1, WCAG 1.4.11's 3:1 for
# marks). The focus is told by more than its colour: a heavier INK outline and a bold label.
EDGE, TRIANGLE_EDGE, FOCUS_EDGE = 1.0, 1.6, 2.6
LABEL_SIZE = 10.5
# A point's label may cross the rim of a disc (ACCENT, on which INK is only 3.2:1): it sits on a box of mostly
# white. The reference line's label (BAD, 4.2:1 on that blend) sits on opaque white.
LABEL_BOX = {"fill": "#ffffff", "opacity": 0.8, "pad": 2.0}
NO_POINTS = "No occupation in this group has a published annual median wage."


def step_decimals(ticks: list[float], scale: float = 1.0) -> int:
    """As many decimals as the ticks' step needs (in units of ``scale``): 2.5 apart -> 1, 5 apart -> 0."""
    steps = [(b - a) / scale for a, b in zip(ticks, ticks[1:], strict=False)]
    step = min(steps) if steps else 1.0
    return next((d for d in range(4) if abs(step * 10 ** d - round(step * 10 ** d)) < 1e-6), 3)


def pct_ticks(ticks: list[float]) -> list[str]:
    """Percent tick labels, signed, with the decimals their step needs: +2.5%, +5.0%, +7.5%; 0 is 0%."""
    d = step_decimals(ticks)
    return [fixed(v, d, sign=True) + "%" if v else "0%" for v in ticks]


def usd_ticks(ticks: list[float]) -> list[str]:
    """Dollar tick labels in thousands with the decimals their step needs: $40.0k, $42.5k."""
    d = step_decimals(ticks, 1000)
    return ["$" + fixed(v / 1000, d, grouping=True) + "k" if abs(v) >= 1000 else money(v) for v in ticks]


@dataclass(frozen=True)
class Scale:
    """A linear axis: data values ``lo``–``hi`` drawn from ``a`` to ``b`` (SVG units)."""

    lo: float
    hi: float
    a: float
    b: float

    def __call__(self, v: float) -> float:
        return self.a + (v - self.lo) / (self.hi - self.lo) * (self.b - self.a)


def fit(values: list[float], a: float, b: float, pad: float) -> Scale:
    """The scale that draws ``values`` between ``a`` and ``b``, ``pad`` units clear of both ends (room for a
    point's disc), extended back to the plot's edges."""
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:  # one value: a range around it
        half = abs(lo) * 0.1 or 1.0
        lo, hi = lo - half, hi + half
    per_unit = (abs(b - a) - 2 * pad) / (hi - lo)
    return Scale(lo - pad / per_unit, hi + pad / per_unit, a, b)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box: Box, frame: Box) -> bool:
    return frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]


def candidates(px: float, py: float, r: float, w: float, h: float) -> list[Box]:
    """Where a ``w`` x ``h`` label may go around a point of radius ``r``, in order of preference: right, left,
    the four diagonals (upper first), above, below; each clear of the point's own disc."""
    g = r + 3
    d = 0.72 * g  # a diagonal box's corner is ``g`` from the centre
    spots = [(px + g, py - h / 2), (px - g - w, py - h / 2), (px + d, py - d - h), (px - d - w, py - d - h),
             (px + d, py + d), (px - d - w, py + d), (px - w / 2, py - g - h), (px - w / 2, py + g)]
    return [(x0, y0, x0 + w, y0 + h) for x0, y0 in spots]


def place(spots: list[Box], frame: Box, obstacles: list[Box]) -> Box | None:
    """The first of ``spots`` inside ``frame`` that overlaps none of ``obstacles``, else None."""
    return next((b for b in spots if inside(b, frame) and not any(overlaps(b, o) for o in obstacles)), None)


def clamp(box: Box, frame: Box) -> Box:
    """``box`` moved the least to lie inside ``frame`` (it is smaller than the frame)."""
    dx = max(frame[0] - box[0], 0.0) + min(frame[2] - box[2], 0.0)
    dy = max(frame[1] - box[1], 0.0) + min(frame[3] - box[3], 0.0)
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def scatter_desc(d: pd.DataFrame, focus: str | None, named: list[str], all_change: float | None = None,
                 all_median: float | None = None) -> str:
    """The scatter in words, from the rows it draws: its axes and their ranges, how many occupations, the
    focus's growth and pay, the reference lines, the occupations named, those at BLS's top code."""
    if d.empty:
        return NO_POINTS
    top = (d["median_wage_top_coded"].fillna(False).astype(bool).tolist() if "median_wage_top_coded" in d
           else [False] * len(d))
    cols = [d[c].tolist() for c in ("soc_code", "title", "change_percent", "median_wage_usd", "openings_per_year")]
    point = {c: f"{t}, {percent(g)}, {money(w, top_coded=tc)}" for c, t, g, w, _, tc in zip(*cols, top, strict=True)}
    pay = [float(w) for w in cols[3]]
    lo, hi = pay.index(min(pay)), pay.index(max(pay))
    n = len(d)
    desc = (f"{n} occupation{'s' if n != 1 else ''} drawn as points, sized by openings a year. Across: projected "
            f"change over ten years, {percent(min(cols[2]))} to {percent(max(cols[2]))}."
            f" Up: median annual pay, {money(pay[lo], top_coded=top[lo])} to {money(pay[hi], top_coded=top[hi])}.")
    for c, _, _, _, o in zip(*cols, strict=True):
        if c == focus:
            desc += f" Highlighted: {point[c]}, {openings_count(o)} openings a year."
    lines = []
    if not missing(all_change):
        lines.append(f"all occupations' change {percent(all_change)}")
    if not missing(all_median) and all_median:
        lines.append(f"all occupations' median pay {money(all_median)}")
    if lines:
        desc += " Dashed lines: " + " and ".join(lines) + "."
    others = [point[c] for c in named if c != focus and c in point]
    if others:
        desc += " Named: " + "; ".join(others) + "."
    if any(top):
        desc += (" Median at BLS's top code (the true value is at or above it), drawn at that bound as an open "
                 "triangle: " + "; ".join(t for t, tc in zip(cols[1], top, strict=True) if tc) + ".")  # some hold ","
    return desc


def label_svg(box: Box, text: str, colour: str = INK, bold: bool = False, opacity: float = LABEL_BOX["opacity"]) -> str:
    """A label on its box of (mostly) white: ``box`` includes the padding."""
    pad = LABEL_BOX["pad"]
    weight = ' font-weight="bold"' if bold else ""
    return (f'<g class="label"><rect x="{box[0]:.1f}" y="{box[1]:.1f}" width="{box[2] - box[0]:.1f}" '
            f'height="{box[3] - box[1]:.1f}" fill="{LABEL_BOX["fill"]}" fill-opacity="{opacity}"/>'
            f'<text x="{box[0] + pad:.1f}" y="{box[3] - pad - 0.24 * LABEL_SIZE:.1f}" font-size="{LABEL_SIZE}" '
            f'fill="{colour}"{weight}>{html.escape(text)}</text></g>')


def axes_svg(x: Scale, y: Scale, frame: Box) -> list[str]:
    """The grid at nice ticks, the tick labels (as many decimals as the step needs), the left and bottom axes
    and the axis titles (SVG markup)."""
    esc = html.escape
    left, top, right, bottom = frame
    out = []
    xt = nice_ticks(x.lo, x.hi, 8, TICK_STEPS)
    for t, lab in zip(xt, pct_ticks(xt), strict=True):
        half = text_width(lab, 11) / 2
        out.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{bottom}" stroke="{GRID}"/>'
                   f'<text x="{min(max(x(t), half), WIDTH - half):.1f}" y="{bottom + 15}" text-anchor="middle" '
                   f'font-size="11" fill="{MUTED}">{esc(lab)}</text>')
    yt = nice_ticks(y.lo, y.hi, 6, TICK_STEPS)
    for t, lab in zip(yt, usd_ticks(yt), strict=True):
        out.append(f'<line x1="{left:.1f}" x2="{right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID}"/>'
                   f'<text x="{left - 6:.1f}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="11" '
                   f'fill="{MUTED}">{esc(lab)}</text>')
    middle = (top + bottom) / 2
    out.append(f'<line class="axis" x1="{left:.1f}" x2="{left:.1f}" y1="{top}" y2="{bottom}" stroke="{MUTED}"/>'
               f'<line class="axis" x1="{left:.1f}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{MUTED}"/>'
               f'<text x="{(left + right) / 2:.1f}" y="{bottom + 33}" text-anchor="middle" font-size="11.5" '
               f'fill="{INK}">projected change over ten years</text>'
               f'<text x="14" y="{middle:.1f}" transform="rotate(-90 14 {middle:.1f})" text-anchor="middle" '
               f'font-size="11.5" fill="{INK}">median annual pay</text>')
    return out


def mark_svg(px: float, py: float, r: float, focus: bool, topped: bool, tip: str) -> str:
    """One point with its tooltip: a disc of ACCENT_LIGHT outlined in ACCENT, or, for a median at BLS's top
    code (a bound), an open triangle pointing up; the focus's filled with ACCENT, outlined heavier in INK."""
    edge = f'stroke="{INK}" stroke-width="{FOCUS_EDGE}"' if focus else \
        f'stroke="{ACCENT}" stroke-width="{TRIANGLE_EDGE if topped else EDGE}"'
    if topped:
        mark = (f'<path d="M{px:.1f},{py - r:.1f}L{px - r:.1f},{py + r:.1f}L{px + r:.1f},{py + r:.1f}Z" '
                f'fill="{ACCENT if focus else "#ffffff"}" {edge}/>')
    else:
        mark = (f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{r:.1f}" fill="{ACCENT if focus else ACCENT_LIGHT}" '
                f'fill-opacity="{1 if focus else 0.9}" {edge}/>')
    return f"<g><title>{html.escape(tip)}</title>{mark}</g>"


def label_height() -> float:
    """A label's box height: one line of ``LABEL_SIZE`` text and its padding."""
    return LABEL_SIZE * 1.2 + 2 * LABEL_BOX["pad"]


def reference_lines(x: Scale, y: Scale, frame: Box, all_change: float | None, all_median: float | None,
                    middles: list[Box]) -> tuple[list[str], list[str], list[Box]]:
    """The dashed lines at all occupations' change and median pay, each labelled with what it is: the change's
    above the plot, over its line where it fits; the median pay's on its line, at the right end, else the left,
    else between, above the line, else below, where it covers no point's middle (else left out: the caption
    and the description say what the line is). Returns the lines, the labels and the labels' boxes."""
    left, top, right, bottom = frame
    lines, labels, boxes = [], [], []
    if not missing(all_change):
        text, at = f"all occupations {percent(all_change)}", x(all_change)
        half = text_width(text, LABEL_SIZE) / 2
        lines.append(f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{top - 4}" y2="{bottom}" stroke="{MUTED}" '
                     f'stroke-dasharray="4 3"/><text x="{min(max(at, left + half), right - half):.1f}" '
                     f'y="{top - 7}" text-anchor="middle" font-size="{LABEL_SIZE}" fill="{MUTED}">'
                     f'{html.escape(text)}</text>')
    if not missing(all_median) and all_median:
        text, at = f"all occupations {money(all_median)}", y(all_median)
        lines.append(f'<line x1="{left:.1f}" x2="{right}" y1="{at:.1f}" y2="{at:.1f}" stroke="{BAD}" '
                     f'stroke-dasharray="4 3"/>')
        w, h = text_width(text, LABEL_SIZE) + 2 * LABEL_BOX["pad"], label_height()
        along = [right - 2 - w, left + 2] + [left + 2 + k / 4 * (right - left - 4 - w) for k in (3, 2, 1)]
        box = place([(x0, y0, x0 + w, y0 + h) for x0 in along for y0 in (at - 1 - h, at + 1)], frame, middles)
        if box is not None:
            boxes.append(box)
            labels.append(label_svg(box, text, BAD, opacity=1))  # opaque: BAD is 4.2:1 on a disc's blend
    return lines, labels, boxes


def growth_pay_scatter(rows: pd.DataFrame, focus: str | None, title: str, all_change: float | None = None,
                       all_median: float | None = None, label_top: int = 5,
                       label_codes: list[str] | None = None) -> str:
    """Rows ``soc_code``, ``title``, ``change_percent``, ``median_wage_usd``, ``openings_per_year`` ->
    growth (x) against pay (y) as SVG markup, points sized by openings; the focus occupation highlighted (a
    heavier outline and a bold label). Labelled: the focus and the ``label_top`` largest by openings, or
    exactly ``label_codes`` (in that order). Rows without growth or pay are not drawn (the caller says so). A
    row whose ``median_wage_top_coded`` is true is drawn at the bound as an open triangle pointing up (the
    caller's caption says what it means: ``TOP_CODE_CAPTION``). The dashed lines (all occupations' change and
    median pay) are labelled. A label goes beside its point where it covers no other label or point's middle
    and stays inside the plot, else it is left out (never the focus's). The description: ``scatter_desc``."""
    d = rows.dropna(subset=["change_percent", "median_wage_usd"])
    title_h = 16 + 17 * (len(title_lines(title, WIDTH)) - 1)
    if d.empty:
        out = svg_open(WIDTH, title_h + 60, title, NO_POINTS, wrap=True)
        out.append(f'<text x="{WIDTH / 2}" y="{title_h + 38}" text-anchor="middle" fill="{MUTED}">'
                   "no occupation in this group has a published annual median wage</text></svg>")
        return "".join(out)
    has_change, has_median = not missing(all_change), not missing(all_median) and bool(all_median)
    codes, names = list(d["soc_code"]), list(d["title"])
    gx = d["change_percent"].astype(float).tolist()
    gy = d["median_wage_usd"].astype(float).tolist()
    openings = d["openings_per_year"].astype(float).tolist()
    most = max([1.0, *(o for o in openings if o > 0)])
    radius = [R_MIN if missing(o) else math.sqrt(R_MIN ** 2 + (R_MAX ** 2 - R_MIN ** 2) * math.sqrt(max(o, 0.0) / most))
              for o in openings]
    topped = (d["median_wage_top_coded"].fillna(False).astype(bool).tolist() if "median_wage_top_coded" in d
              else [False] * len(d))

    # The frame: y first (its tick labels' width sets the left margin), then x; the dashed lines inside it.
    top = title_h + 24
    bottom = top + PLOT_H
    y = fit(gy + ([float(all_median)] if has_median else []), bottom, top, R_MAX + 3)
    left = 28 + max((text_width(t, 11) for t in usd_ticks(nice_ticks(y.lo, y.hi, 6, TICK_STEPS))), default=0)
    right = WIDTH - 16
    x = fit(gx + ([float(all_change)] if has_change else []), left, right, R_MAX + 3)
    frame = (left, top, right, bottom)
    out = axes_svg(x, y, frame)  # the chart's body; its opening names the points labelled, known at the end

    # The middle of every point: a label may cross a disc's rim, not its middle; nor the focus's disc.
    keep = [r if c == focus else max(2.0, r / 2) for c, r in zip(codes, radius, strict=True)]
    middles = [(x(a) - k, y(b) - k, x(a) + k, y(b) + k) for a, b, k in zip(gx, gy, keep, strict=True)]
    lines, labels, taken = reference_lines(x, y, frame, all_change, all_median, middles)
    out += lines

    # Points: larger first, so a small one is never hidden under a large one; the focus last, on top.
    for i in sorted(range(len(d)), key=lambda i: (codes[i] == focus, -radius[i], i)):
        tip = (f"{names[i]}: {percent(gx[i])}, {money(gy[i], top_coded=topped[i])}, "
               + ("openings not published" if missing(openings[i])
                  else f"{openings_count(openings[i])} openings a year"))
        out.append(mark_svg(x(gx[i]), y(gy[i]), radius[i], codes[i] == focus, topped[i], tip))

    if label_codes is None:
        big = sorted((i for i in range(len(d)) if codes[i] != focus and not missing(openings[i])),
                     key=lambda i: -openings[i])[:label_top]
        wanted = [i for i in range(len(d)) if codes[i] == focus] + big
    else:
        wanted = [codes.index(c) for c in dict.fromkeys(label_codes) if c in codes]
    named = []
    h = label_height()
    for i in wanted:
        me, px, py = codes[i] == focus, x(gx[i]), y(gy[i])
        name = names[i] if len(names[i]) <= 34 else names[i][:32] + "…"
        w = text_width(name, LABEL_SIZE, bold=me) + 2 * LABEL_BOX["pad"]
        points = [m for j, m in enumerate(middles) if j != i]
        # Beside its point; the focus, always named, next a step farther out, else where it covers the fewest
        # labels, then the fewest points' middles. Another label that fits nowhere is left out (the
        # description and the table still name it).
        spots = [b for r in ((radius[i], radius[i] + h) if me else (radius[i],)) for b in candidates(px, py, r, w, h)]
        box = place(spots, frame, taken + points)
        if box is None and me:
            fits = [b for b in spots if inside(b, frame)] or [clamp(spots[0], frame)]
            box = min(fits, key=lambda b: (sum(overlaps(b, t) for t in taken), sum(overlaps(b, m) for m in points)))
        if box is not None:
            taken.append(box)
            named.append(codes[i])
            labels.append(label_svg(box, name, bold=me))
    desc = scatter_desc(d, focus, named, all_change, all_median)
    return "".join([*svg_open(WIDTH, bottom + 40, title, desc, wrap=True), *out, *labels, "</svg>"])
