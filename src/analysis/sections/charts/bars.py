"""Bar charts drawn as SVG directly: horizontal bars (projected change, shares) and stacked bars (openings
split into growth, exits and transfers).

In: labels and values. Out: SVG markup, an accessible image whose description gives every bar's value in
words. Drawn without matplotlib: a handful of rectangles and labels cost ~1 ms this way against ~40 ms for a
matplotlib SVG, for every report of the catalogue.
"""

from __future__ import annotations

import html

import pandas as pd

from analysis.sections.charts.svg import ACCENT, ACCENT_LIGHT, INK, MUTED, svg_grid, svg_open, text_width
from analysis.values import fixed, missing, people, percent

# Each part's colour reaches 3:1 on white (WCAG 1.4.11): in the comparison the segments carry no value label.
# Their luminances are close to each other's, so each segment is outlined in white: every one borders white,
# and the legend names each part in text. Exits were #f0a202 (2.1:1), now #b7791f (3.6:1); growth is 4.6:1,
# transfers 4.2:1.
PARTS = {"growth_openings_per_year": ("Growth", "#1f6feb"),
         "labor_force_exits_per_year": ("Labor force exits", "#b7791f"),
         "occupational_transfers_per_year": ("Occupational transfers", "#7b61ff")}
# What the description of a bar of BLS's parts and published total adds (the report's note says the same).
ROUNDED_PARTS = "BLS rounds each part separately, so the parts may not add exactly to the total."


def value_text(v, fmt) -> str:
    """A value for a chart's description: ``fmt(v)``, or "not published" when missing."""
    return "not published" if missing(v) else fmt(v)


def hbars_svg(labels: list[str], values: list[float], highlight: list[bool], title: str,
              fmt=percent, tick_fmt=lambda v: fixed(v, 0, sign=True) + "%" if v else "0%",
              names: list[str] | None = None) -> str:
    """Horizontal bars as SVG markup (labels left, value at each bar's end, zero line, light grid). Its
    description lists every bar with its value, named by ``names`` (e.g. untruncated titles; default: the
    labels). A highlighted bar is bold-labelled as well as darker: not told by colour alone.

    Drawn directly rather than through matplotlib: a handful of rectangles and labels cost ~1 ms
    this way against ~40 ms for a matplotlib SVG, for every report of the catalogue.
    """
    esc = html.escape
    desc = "Bars: " + "; ".join(f"{name} {value_text(v, fmt)}"
                                for name, v in zip(names or labels, values, strict=True)) + "."
    n = len(values)
    # Room for the longest label as the font measures it (bold for the highlighted ones)
    label_w = min(320, 14 + max((text_width(x, 12, bold=hl) for x, hl in zip(labels, highlight, strict=True)),
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

    out = svg_open(width, height, title, desc)
    axis_y = top + n * (bar_h + gap)
    out += svg_grid(x, lo, hi, top - 4, axis_y, axis_y + 16, tick_fmt)
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
    """Rows of ``label``, ``change_percent``, ``highlight`` and optionally ``name`` (the untruncated label,
    for the description) -> horizontal bars of projected change (SVG)."""
    names = list(rows["name"]) if "name" in rows else None
    return hbars_svg(list(rows["label"]), list(rows["change_percent"]), list(rows["highlight"]), title,
                     names=names)


def share_bars(rows: pd.DataFrame, title: str) -> str:
    """Rows ``label``, ``percent`` -> horizontal bars of shares (e.g. O*NET required education), SVG."""
    return hbars_svg(list(rows["label"]), list(rows["percent"]), [False] * len(rows), title,
                     fmt=lambda v: fixed(v, 0) + "%", tick_fmt=lambda v: fixed(v, 0) + "%")


def stacked_desc(labels: list[str], rows: list[dict[str, float]], parts: dict[str, tuple[str, str]],
                 totals: list[float] | None, fmt, note: str = "") -> str:
    """Stacked bars in words: per bar its label, each part with its value (a negative one said to be a
    decline taken off the others) and the total; then ``note``."""
    bars = []
    for i, (lab, r) in enumerate(zip(labels, rows, strict=True)):
        said = []
        for k, (name, _) in parts.items():
            v = r.get(k)
            decline = " (a decline, drawn hatched and taken off the other parts)" if not missing(v) and v < 0 else ""
            said.append(f"{name} {value_text(v, fmt)}{decline}")
        total = totals[i] if totals is not None else sum(0.0 if missing(r.get(k)) else float(r[k]) for k in parts)
        bars.append((f"{lab}: " if lab else "") + ", ".join(said) + f"; total {value_text(total, fmt)}.")
    return " ".join(["Bars split into parts." if len(bars) > 1 else "One bar split into parts.", *bars,
                     *([note] if note else [])])


def stacked_hbars_svg(labels: list[str], rows: list[dict[str, float]], parts: dict[str, tuple[str, str]],
                      title: str, totals: list[float] | None = None,
                      fmt=people, legend_values: bool = False, desc_note: str = "") -> str:
    """One horizontal bar per label, split into ``parts`` (key -> (legend label, colour)), all on one
    shared axis (SVG). Positive parts stack from zero; a negative part (openings lost to a decline) is
    drawn hatched over the end of that stack, taken off it, and a dark mark shows where the bar nets
    out. ``totals`` are written at each bar's end (default: the sum of the parts); ``legend_values``
    adds the first bar's value of each part to the legend (for a single bar). The description gives each
    bar's parts and total in words, then ``desc_note`` (``ROUNDED_PARTS`` when the totals are BLS's)."""
    esc = html.escape
    n = len(labels)
    label_w = min(300, 14 + max((text_width(x, 12) for x in labels), default=0))
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
    out = svg_open(width, height, title, stacked_desc(labels, rows, parts, totals, fmt, desc_note))
    if hatched:  # pattern ids are named after their colour: the same id in two charts of a page is the same
        out.append("<defs>" + "".join(
            f'<pattern id="hatch-{c.lstrip("#")}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/>'
            f'<rect width="3" height="6" fill="{c}"/></pattern>' for c in sorted(hatched)) + "</defs>")
    out += svg_grid(x, lo, hi, top - 4, axis_y, axis_y + 14, fmt)
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
            # Outlined in white: neighbouring parts of close luminance stay apart (see PARTS).
            out.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.0):.1f}" height="{bar_h}" '
                       f'fill="{fill}" stroke="white"><title>{esc(name)}: {esc(fmt(v))}</title></rect>')
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
        lx += 30 + text_width(name, 11)
    if hatched:
        out.append(f'<text x="{plot_l}" y="{ly + 16}" font-size="10.5" fill="{MUTED}">Hatched: openings lost to a '
                   "decline, taken off the other parts; the dark mark is where the bar nets out.</text>")
    out.append("</svg>")
    return "".join(out)


def openings_bars(parts: dict[str, float], total: float, title: str) -> str:
    """Annual openings split into growth, exits and transfers (people a year) -> one stacked bar (SVG)
    whose legend gives each part; growth below zero (a declining occupation) is drawn hatched, taken off
    the end of exits + transfers, so the bar nets out at the published total. The description gives each
    part and the total, and says that BLS rounds each part separately."""
    return stacked_hbars_svg([""], [parts], PARTS, title, totals=[total], legend_values=True,
                             desc_note=ROUNDED_PARTS)
