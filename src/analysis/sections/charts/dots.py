"""A ranked dot plot drawn as SVG directly: one row per place (e.g. a metropolitan area), its value as a dot on
a shared axis joined to a reference line (e.g. the national median), the value beside the dot and a count (e.g.
jobs) at the row's end. Reads in print: no colour is needed to tell above from below the reference, the line
to the dot says it.

In: labels, values, optional top-code flags, counts and a reference value. Out: SVG markup, an accessible image
whose description names every row (by its full name) with its value and count.
"""

from __future__ import annotations

import html

from analysis.sections.charts.svg import (
    ACCENT,
    BAD,
    INK,
    MUTED,
    padded_scale,
    svg_grid,
    svg_open,
    text_width,
    title_lines,
)
from analysis.values import missing, money, people, thousands_usd


def dots_desc(names: list[str], values: list, top_coded: list[bool], counts: list, count_label: str,
              ref: float | None, ref_label: str, value_text=money) -> str:
    """The dot plot in words: each row's value ("at least" at BLS's top code, or not published) and count,
    then the reference line."""
    said = []
    for name, v, top, n in zip(names, values, top_coded, counts, strict=True):
        shown = "not published" if missing(v) else ("at least " if top else "") + value_text(v)
        said.append(f"{name}: {shown} ({people(n)} {count_label})" if not missing(n) else f"{name}: {shown}")
    text = "; ".join(said) + "."
    if ref is not None and not missing(ref):
        text += f" Dashed line: {ref_label}."
    return text


def ranked_dots(labels: list[str], values: list, title: str, *, names: list[str] | None = None,
                top_coded: list[bool] | None = None, counts: list | None = None, count_label: str = "jobs",
                ref: float | None = None, ref_label: str = "", highlight: list[bool] | None = None,
                fmt=thousands_usd, value_text=money) -> str:
    """Rows in the order given: ``labels`` (shown) and ``names`` (the description's, default the labels),
    ``values`` (NaN: "not published"), ``top_coded`` (hollow, "≥", no line to
    the reference: a lower bound), ``counts`` (right-aligned at
    the row's end, e.g. jobs), a dashed reference line at ``ref`` labelled ``ref_label``, and ``highlight`` rows
    (bold label, darker dot: told by weight as well as colour)."""
    esc = html.escape
    n = len(labels)
    top_coded = top_coded or [False] * n
    counts = counts if counts is not None else [None] * n
    highlight = highlight or [False] * n
    label_w = min(290, 12 + max((text_width(x, 12, bold=h) for x, h in zip(labels, highlight, strict=True)),
                                default=0))
    count_w = 12 + max((text_width(f"{people(c)} {count_label}", 11) for c in counts if not missing(c)), default=0)
    width, row_h = 650, 24
    top = 32 + 17 * (len(title_lines(title, width)) - 1)  # a long title wraps (the area named last, in full)
    plot_l, plot_r = label_w + 40, width - count_w - 40  # room for a value's label either side of its dot
    have = [float(v) for v in values if not missing(v)]
    if ref is not None and not missing(ref):
        have.append(float(ref))
    lo, hi, x = padded_scale(have, plot_l, plot_r, 0.06)

    axis_y = top + n * row_h
    height = axis_y + (34 if ref_label else 22)
    desc = dots_desc(names or labels, values, top_coded, counts, count_label, ref, ref_label, value_text)
    out = svg_open(width, height, title, desc, wrap=True)
    out += svg_grid(x, lo, hi, top - 6, axis_y, axis_y + 14, fmt)
    has_ref = ref is not None and not missing(ref)
    for i, (lab, v, top_c, c, hl) in enumerate(zip(labels, values, top_coded, counts, highlight, strict=True)):
        y = top + i * row_h + row_h / 2
        weight = "bold" if hl else "normal"
        out.append(f'<text x="{label_w - 8}" y="{y + 4}" text-anchor="end" fill="{INK}" font-weight="{weight}">'
                   f'{esc(lab)}</text>')
        if not missing(c):
            out.append(f'<text x="{width}" y="{y + 4}" text-anchor="end" font-size="11" fill="{MUTED}">'
                       f'{esc(people(c))} {esc(count_label)}</text>')
        if missing(v):
            out.append(f'<text x="{plot_l}" y="{y + 4}" font-size="11" fill="{MUTED}">not published</text>')
            continue
        px = x(float(v))
        if has_ref and not top_c:  # a top-coded value is only a lower bound: no distance to the reference drawn
            out.append(f'<line x1="{x(float(ref)):.1f}" x2="{px:.1f}" y1="{y}" y2="{y}" stroke="{MUTED}" '
                       f'stroke-width="1.5"/>')
        colour = INK if hl else ACCENT
        dot = f'fill="white" stroke="{colour}" stroke-width="2"' if top_c else f'fill="{colour}" stroke="white"'
        right = not has_ref or float(v) >= float(ref) or top_c  # "≥ bound" reads to the right, away from the label
        out.append(f'<circle cx="{px:.1f}" cy="{y}" r="5" {dot}/>'
                   f'<text x="{px + (9 if right else -9):.1f}" y="{y + 4}" text-anchor="{"start" if right else "end"}"'
                   f' font-size="11" fill="{INK}" font-weight="{weight}">{"≥" if top_c else ""}{esc(fmt(v))}</text>')
    if has_ref:
        out.append(f'<line x1="{x(float(ref)):.1f}" x2="{x(float(ref)):.1f}" y1="{top - 6}" y2="{axis_y}" '
                   f'stroke="{BAD}" stroke-dasharray="4 3"/>')
        if ref_label:
            out.append(f'<text x="{x(float(ref)):.1f}" y="{axis_y + 28}" text-anchor="middle" font-size="10.5" '
                       f'fill="{BAD}">{esc(ref_label)}</text>')
    out.append("</svg>")
    return "".join(out)
