"""A tile-grid map of the states, DC and the territories OEWS publishes, drawn as SVG: a map without a map
library. In: one value per postal code (and, optionally, the names to say them by). Out: SVG markup, an
accessible image whose description gives every state's value, highest first.
"""

from __future__ import annotations

import html

import matplotlib
import pandas as pd

from analysis.sections.charts.svg import INK, MUTED, contrast, svg_open
from analysis.values import thousands_usd

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

# How the description names each tile (OEWS's area titles for the same postal codes).
STATE_NAMES = {
    "AK": "Alaska", "AL": "Alabama", "AR": "Arkansas", "AZ": "Arizona", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DC": "District of Columbia", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "GU": "Guam", "HI": "Hawaii", "IA": "Iowa", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "MA": "Massachusetts", "MD": "Maryland", "ME": "Maine", "MI": "Michigan",
    "MN": "Minnesota", "MO": "Missouri", "MS": "Mississippi", "MT": "Montana", "NC": "North Carolina",
    "ND": "North Dakota", "NE": "Nebraska", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NV": "Nevada", "NY": "New York", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VA": "Virginia", "VI": "Virgin Islands", "VT": "Vermont", "WA": "Washington",
    "WI": "Wisconsin", "WV": "West Virginia", "WY": "Wyoming",
}

TOP_CODE_PATTERN = "tile-top-code"
# The top-coded tiles' stripes: INK reaches 4.5:1 on both (10.4:1 and 5.3:1), under the labels' white halo
# too. The darker stripe was #2171b5, on which INK is 2.9:1.
TOP_CODE_STRIPES = ("#c6dbef", "#5ba3d0")
NO_DATA = "#eceff1"
# A tile's label is INK where that reaches 4.5:1 on its shade, else white where that does, else black. Black
# closes the gap between the two: on the mid blues (luminance 0.18–0.27) neither INK nor white reaches 4.5:1,
# and black or white always does (they cross at luminance 0.18, both 4.58:1).
TEXT_CHOICES = (INK, "#ffffff", "#000000")


def tile_ink(fill: str) -> str:
    """The text colour for a label on a tile of colour ``fill``: the first of ``TEXT_CHOICES`` that reaches
    4.5:1 (WCAG AA for text under 18 px), else the one of most contrast."""
    return next((c for c in TEXT_CHOICES if contrast(c, fill) >= 4.5),
                max(TEXT_CHOICES, key=lambda c: contrast(c, fill)))


def tiles_desc(v: pd.Series, topped: set[str], fmt, names: dict[str, str], focus: str | None = None) -> str:
    """The map in words: every tile's value, highest first (a top-coded one as "at least" its bound),
    then the places with no published value, which values are top-coded and the outlined place."""
    def name(st: str) -> str:
        return names.get(st, st)

    drawn = [st for st in TILES if st in v.index]
    # A top-coded value is ranked at its bound: what is published is "at least" that.
    order = sorted(drawn, key=lambda st: (-float(v[st]), st not in topped, name(st)))
    said = [f"{name(st)} {'at least ' if st in topped else ''}{fmt(v[st])}" for st in order]
    desc = f"{len(order)} of {len(TILES)} states and territories, highest first: " + "; ".join(said) + "."
    absent = sorted(name(st) for st in TILES if st not in v.index)
    if absent:
        desc += " Not published: " + ", ".join(absent) + "."
    if topped & set(drawn):
        desc += (" At BLS's top code (the true value is at or above it): "
                 + ", ".join(name(st) for st in order if st in topped) + ".")
    if focus in TILES:
        desc += f" Outlined: {name(focus)}."
    return desc


def state_tiles(values: pd.DataFrame, title: str, fmt=thousands_usd,
                focus: str | None = None, legend: str = "", names: dict[str, str] | None = None) -> str:
    """Rows ``state_code``, ``value`` and optionally ``top_coded`` -> a tile-grid map as SVG markup, tiles
    shaded by value (grey = no data). A top-coded value (BLS's ``#``: at or above the bound) is drawn hatched,
    labelled "≥" and shaded at its bound, so it never reads as a plain value. The description says every
    tile's value highest first, named by ``names`` (postal code -> name; default ``STATE_NAMES``). Written as
    SVG directly: ~100 shapes and labels cost ~0.2 s through matplotlib, ~1 ms here."""
    known = values.dropna(subset=["value"]).set_index("state_code")
    v = known["value"].astype(float)
    topped = set(known.index[known["top_coded"].astype(bool)]) if "top_coded" in known else set()
    cmap = matplotlib.colormaps["Blues"]
    lo, hi = (v.min(), v.max()) if len(v) else (0.0, 1.0)
    size, gap, top = 44, 4, 30
    width, height = 12 * (size + gap), top + 8 * (size + gap) + 14
    out = svg_open(width, height, title, tiles_desc(v, topped, fmt, names or STATE_NAMES, focus))
    if topped:  # the same id and definition wherever it appears on a page
        light, dark = TOP_CODE_STRIPES
        out.append(f'<defs><pattern id="{TOP_CODE_PATTERN}" width="6" height="6" patternUnits="userSpaceOnUse" '
                   f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{light}"/>'
                   f'<rect width="3" height="6" fill="{dark}"/></pattern></defs>')
    for st, (cx, cy) in TILES.items():
        x, y = cx * (size + gap), top + cy * (size + gap)
        has = st in v.index
        shade = 0.2 + 0.75 * ((v[st] - lo) / (hi - lo) if hi > lo else 0.5) if has else 0.0
        fill = matplotlib.colors.to_hex(cmap(shade)) if has else NO_DATA
        ink = tile_ink(fill)
        stroke = f' stroke="{INK}" stroke-width="3"' if st == focus else ""
        label = html.escape(fmt(v[st])) if has else "n/a"
        halo = ""
        if st in topped:  # hatched, "≥", dark text on a white halo: a bound, not a value
            fill, ink, label = f"url(#{TOP_CODE_PATTERN})", INK, "≥" + label
            halo = ' stroke="white" stroke-width="3" paint-order="stroke"'
        out.append(f'<g><title>{st}: {label}</title><rect x="{x}" y="{y}" width="{size}" height="{size}" rx="4" '
                   f'fill="{fill}"{stroke}/><text x="{x + size / 2}" y="{y + 19}" font-size="12" '
                   f'font-weight="bold" text-anchor="middle" fill="{ink}"{halo}>{st}</text><text x="{x + size / 2}" '
                   f'y="{y + 35}" font-size="10" text-anchor="middle" fill="{ink}"{halo}>{label}</text></g>')
    if legend:
        out.append(f'<text x="{width}" y="{height - 2}" font-size="10" text-anchor="end" '
                   f'fill="{MUTED}">{html.escape(legend)}</text>')
    out.append("</svg>")
    return "".join(out)
