"""Pay charts drawn as SVG: one occupation's percentile strip, and several occupations' ranges on a shared axis.

In: percentiles in USD (NaN = not published) and BLS's top-code flags. Out: SVG markup, an accessible image
whose description gives every percentile in dollars and says which are at BLS's top code.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from analysis.sections.charts.svg import (
    ACCENT,
    ACCENT_LIGHT,
    BAD,
    GRID,
    INK,
    MUTED,
    padded_scale,
    svg_grid,
    svg_open,
    text_width,
)
from analysis.values import missing, money, thousands_usd

# The ranges chart's columns and how its description names them.
RANGE_COLUMNS = {"p10": "10th percentile", "p25": "25th percentile", "median": "median", "p75": "75th percentile",
                 "p90": "90th percentile"}
AT_TOP_CODE = "At BLS's top code (the true value is at or above it)"


def percentile_name(label: str) -> str:
    """A percentile's row label (``10th``, ``Median``) as the description says it."""
    return "median" if label.lower() == "median" else f"{label} percentile"


def pay_desc(pcts: pd.DataFrame, all_median: float | None, unit: str = "year") -> str:
    """The percentile strip in words: every percentile with its value (or "not published"), which are at
    BLS's top code, and the all-occupations median."""
    cents = unit != "year"
    said, topped = [], []
    for r in pcts.itertuples():
        top = not missing(r.value_usd) and bool(r.top_coded)
        said.append(f"{percentile_name(r.label)} {money(r.value_usd, top_coded=top, cents=cents)}")
        if top:
            topped.append(percentile_name(r.label))
    desc = f"Pay {'a year' if unit == 'year' else 'an hour'}: " + ", ".join(said) + "."
    if topped:
        desc += f" {AT_TOP_CODE}: {', '.join(topped)}."
    if all_median:
        desc += f" All occupations median: {money(all_median, cents=cents)}."
    return desc


def pay_range(pcts: pd.DataFrame, all_median: float | None, title: str, unit: str = "year") -> str:
    """Rows ``label`` (10th…90th), ``value_usd``, ``top_coded`` -> a percentile strip (SVG): a thin
    10th–90th line, a thick 25th–75th bar, each percentile a dot with its name and value, and the
    all-occupations median as a dashed line. Top-coded values are drawn at their bound and marked ≥. The
    description says every percentile in dollars (``pay_desc``)."""
    esc = html.escape
    p = [(r.label, float(r.value_usd), bool(r.top_coded)) for r in pcts.itertuples() if not missing(r.value_usd)]
    width = 650
    if not p:
        out = svg_open(width, 80, title, "Pay not published.")
        out.append(f'<text x="{width / 2}" y="56" text-anchor="middle" fill="{MUTED}">pay not published</text>')
        return "".join(out) + "</svg>"
    dollars = (lambda v: money(v)) if unit == "year" else (lambda v: money(v, cents=True))
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
        text = f"{'≥ ' if top else ''}{dollars(v)}"
        half = 4 + max(text_width(lab, 10.5), text_width(text, 11.5, bold=lab == "Median")) / 2
        row = next((i for i, end in enumerate(row_end) if x(v) - half > end), len(row_end) - 1)
        row_end[row] = x(v) + half
        placed.append((lab, v, text, row))
    y = 66 + 30 * max(row for *_, row in placed)
    axis_y = y + 28
    labels = [(lab, v, text, y - 18 - 30 * row) for lab, v, text, row in placed]
    out = svg_open(width, axis_y + 42, title, pay_desc(pcts, all_median, unit))
    out += svg_grid(x, lo, hi, 30, axis_y, axis_y + 16,
                     thousands_usd if unit == "year" else (lambda v: money(v)))
    for _, v, _, ty in labels:
        out.append(f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{ty + 3}" y2="{y}" stroke="{GRID}"/>')
    if all_median:
        out.append(f'<line x1="{x(all_median):.1f}" x2="{x(all_median):.1f}" y1="{y - 14}" y2="{axis_y}" '
                   f'stroke="{BAD}" stroke-dasharray="4 3"/><text x="{min(max(x(all_median), 120), width - 120):.1f}" '
                   f'y="{axis_y + 34}" text-anchor="middle" font-size="11" fill="{BAD}">all occupations median '
                   f'{esc(dollars(all_median))}</text>')
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


def ranges_desc(labels: list[str], rows: pd.DataFrame, ref: float | None = None, ref_label: str = "") -> str:
    """Pay ranges in words: per label every percentile in dollars ("at least" where at BLS's top code) or
    that annual pay is not published; then the reference line."""
    said = []
    for lab, r in zip(labels, rows.itertuples(), strict=True):
        if missing(r.median):
            said.append(f"{lab}: annual pay not published.")
            continue
        said.append(f"{lab}: " + ", ".join(
            f"{name} {money(getattr(r, c), top_coded=bool(getattr(r, f'{c}_top', False)))}"
            for c, name in RANGE_COLUMNS.items()) + ".")
    if ref:
        said.append(f"Dashed line: {ref_label or money(ref)}.")
    return " ".join(said)


def ranges_svg(labels: list[str], rows: pd.DataFrame, title: str, ref: float | None = None,
               ref_label: str = "", fmt=thousands_usd) -> str:
    """Pay percentiles on one shared axis (SVG): per label a thin 10th–90th line, a thick 25th–75th bar
    and the median as a dot with its value. Rows: ``p10``, ``p25``, ``median``, ``p75``, ``p90`` (NaN =
    not published) and, optionally, ``<key>_top`` flags: a value at BLS's top code is drawn at its bound,
    its label marked "≥", and a top-coded median's dot is hollow. The description gives each label's
    percentiles in dollars (``ranges_desc``)."""
    esc = html.escape
    n = len(labels)
    label_w = min(300, 14 + max((text_width(x, 12) for x in labels), default=0))
    width, row_h, top = 650, 36, 36
    plot_l, plot_r = label_w + 46, width - 50  # room for the 10th percentile's value left of its line
    cols = ["p10", "p25", "median", "p75", "p90"]
    allv = [float(v) for c in cols for v in rows[c] if not missing(v)]
    if ref:
        allv.append(float(ref))
    lo, hi, x = padded_scale(allv, plot_l, plot_r, 0.04)

    axis_y = top + n * row_h
    height = axis_y + 34
    out = svg_open(width, height, title, ranges_desc(labels, rows, ref, ref_label))
    out += svg_grid(x, lo, hi, top - 6, axis_y, axis_y + 14, fmt)
    for i, (lab, r) in enumerate(zip(labels, rows.itertuples(), strict=True)):
        y = top + i * row_h + row_h / 2
        out.append(f'<text x="{label_w - 8}" y="{y + 4}" text-anchor="end" fill="{INK}">{esc(lab)}</text>')
        v = {c: getattr(r, c) for c in cols}
        ok = {c: not missing(v[c]) for c in cols}
        at_least = {c: "≥" if bool(getattr(r, f"{c}_top", False)) else "" for c in cols}
        if not ok["median"]:
            out.append(f'<text x="{plot_l}" y="{y + 4}" fill="{MUTED}">annual pay not published</text>')
            continue
        if ok["p10"] and ok["p90"]:
            out.append(f'<line x1="{x(v["p10"]):.1f}" x2="{x(v["p90"]):.1f}" y1="{y}" y2="{y}" '
                       f'stroke="{ACCENT_LIGHT}" stroke-width="4"/>')
            out.append(f'<text x="{x(v["p10"]) - 4:.1f}" y="{y + 4}" text-anchor="end" font-size="11" '
                       f'fill="{MUTED}">{at_least["p10"]}{esc(fmt(v["p10"]))}</text>')
            out.append(f'<text x="{x(v["p90"]) + 4:.1f}" y="{y + 4}" font-size="11" '
                       f'fill="{MUTED}">{at_least["p90"]}{esc(fmt(v["p90"]))}</text>')
        if ok["p25"] and ok["p75"]:
            out.append(f'<rect x="{x(v["p25"]):.1f}" y="{y - 7}" width="{x(v["p75"]) - x(v["p25"]):.1f}" '
                       f'height="14" fill="{ACCENT}" rx="2"/>')
        dot = f'fill="white" stroke="{INK}" stroke-width="2"' if at_least["median"] else \
            f'fill="{INK}" stroke="white"'
        out.append(f'<circle cx="{x(v["median"]):.1f}" cy="{y}" r="5" {dot}/>'
                   f'<text x="{x(v["median"]):.1f}" y="{y - 10}" text-anchor="middle" font-size="11.5" '
                   f'font-weight="bold" fill="{INK}">{at_least["median"]}{esc(fmt(v["median"]))}</text>')
    if ref:
        out.append(f'<line x1="{x(ref):.1f}" x2="{x(ref):.1f}" y1="{top - 6}" y2="{axis_y}" stroke="{BAD}" '
                   f'stroke-dasharray="4 3"/><text x="{x(ref):.1f}" y="{axis_y + 28}" text-anchor="middle" '
                   f'font-size="10.5" fill="{BAD}">{esc(ref_label)}</text>')
    out.append("</svg>")
    return "".join(out)
