"""Charts for the reports: DataFrames or numbers in, SVG markup out, drawn directly (no matplotlib Figure).
No I/O, no global state. One module per kind of chart; this package names them all, so a section writes
``charts.pay_range(...)``. Every chart is an accessible image: ``role="img"`` named by a ``<title>`` and a
``<desc>`` that says what it shows in words, with its numbers.
"""

from __future__ import annotations

from analysis.sections.charts.bars import (
    PARTS,
    ROUNDED_PARTS,
    hbars_svg,
    openings_bars,
    outlook_bars,
    share_bars,
    stacked_hbars_svg,
)
from analysis.sections.charts.dots import ranked_dots
from analysis.sections.charts.pay import pay_range, ranges_svg
from analysis.sections.charts.releases import releases_lines
from analysis.sections.charts.scatter import growth_pay_scatter
from analysis.sections.charts.svg import INK, contrast, to_svg
from analysis.sections.charts.tiles import STATE_NAMES, TILES, state_tiles

__all__ = ["INK", "PARTS", "ROUNDED_PARTS", "STATE_NAMES", "TILES", "contrast", "growth_pay_scatter", "hbars_svg",
           "openings_bars", "outlook_bars", "pay_range", "ranked_dots", "ranges_svg", "releases_lines", "share_bars",
           "stacked_hbars_svg", "state_tiles", "to_svg"]
