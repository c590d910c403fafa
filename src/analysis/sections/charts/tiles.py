"""A tile-grid map of the states, DC and the territories OEWS publishes, drawn as SVG: a map without a map
library. In: one value per postal code. Out: SVG markup.
"""

from __future__ import annotations

import html

import matplotlib
import pandas as pd

from analysis.sections.charts.svg import INK, MUTED
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

TOP_CODE_PATTERN = "tile-top-code"


def state_tiles(values: pd.DataFrame, title: str, fmt=thousands_usd,
                focus: str | None = None, legend: str = "") -> str:
    """Rows ``state_code``, ``value`` and optionally ``top_coded`` -> a tile-grid map as SVG markup, tiles
    shaded by value (grey = no data). A top-coded value (BLS's ``#``: at or above the bound) is drawn hatched,
    labelled "≥" and shaded at its bound, so it never reads as a plain value. Written as SVG directly: ~100
    shapes and labels cost ~0.2 s through matplotlib, ~1 ms here."""
    known = values.dropna(subset=["value"]).set_index("state_code")
    v = known["value"].astype(float)
    topped = set(known.index[known["top_coded"].astype(bool)]) if "top_coded" in known else set()
    cmap = matplotlib.colormaps["Blues"]
    lo, hi = (v.min(), v.max()) if len(v) else (0.0, 1.0)
    size, gap, top = 44, 4, 30
    width, height = 12 * (size + gap), top + 8 * (size + gap) + 14
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html.escape(title)}" font-family="DejaVu Sans, sans-serif">',
           f'<text x="0" y="16" font-size="13" fill="{INK}">{html.escape(title)}</text>']
    if topped:  # the same id and definition wherever it appears on a page
        out.append(f'<defs><pattern id="{TOP_CODE_PATTERN}" width="6" height="6" patternUnits="userSpaceOnUse" '
                   'patternTransform="rotate(45)"><rect width="6" height="6" fill="#c6dbef"/>'
                   '<rect width="3" height="6" fill="#2171b5"/></pattern></defs>')
    for st, (cx, cy) in TILES.items():
        x, y = cx * (size + gap), top + cy * (size + gap)
        has = st in v.index
        shade = 0.2 + 0.75 * ((v[st] - lo) / (hi - lo) if hi > lo else 0.5) if has else 0.0
        fill = matplotlib.colors.to_hex(cmap(shade)) if has else "#eceff1"
        ink = "#ffffff" if has and shade > 0.6 else INK
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
