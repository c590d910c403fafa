"""What every notebook section returns, and what every section shares: a displayable HTML output, a chart
in a figure with its caption, and the sources' names.

In: HTML, a chart (matplotlib Figure or SVG markup), caption text. Out: objects Jupyter and nbconvert show
as one ``text/html`` output.
"""

from __future__ import annotations

import math
import re

from analysis.sections import charts
from analysis.sections.formatting import esc

EP_SOURCE = "U.S. Bureau of Labor Statistics, Employment Projections"
OEWS_SOURCE = "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS)"
HOURS_PER_YEAR = 2080  # BLS's own convention for turning hourly into annual pay
# What the open triangles of a growth-against-pay chart mean (charts.growth_pay_scatter).
TOP_CODE_CAPTION = (" Open triangles: medians BLS publishes only as at or above its top code, drawn at that bound "
                    "(the true value is higher).")


class Section:
    """HTML that Jupyter and nbconvert show as one output (``text/html``)."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def figure(fig, caption: str) -> str:
    """A chart (matplotlib Figure or SVG markup) with its source line as a caption. A ``div``, not ``<figure>``:
    Chromium tags a ``<figure>`` as a PDF Figure of its own, without alternative text, around the chart's
    (which carries the chart's title and description); one Figure per chart is what a PDF checker wants.

    On a phone the chart keeps the width at which its smallest text is :data:`PHONE_TEXT_PX` tall and scrolls
    sideways in its own box (``--phone-width``, read by the stylesheet); the page itself never does."""
    svg = charts.to_svg(fig)
    return (f'<div class="chart"><div class="chart-scroll" role="group" tabindex="0" aria-label="Chart (scrolls '
            f'sideways on a narrow screen)" style="--phone-width: {phone_width(svg)}px">{svg}</div>'
            f'<p class="caption">{esc(caption)}</p></div>')


PHONE_TEXT_PX = 11  # the smallest chart text a phone shows (WCAG's spirit: readable without zooming)


def phone_width(svg: str) -> int:
    """The width (CSS px) at which ``svg``'s smallest text (its ``font-size`` attributes or styles, in viewBox
    units) renders :data:`PHONE_TEXT_PX` tall: the chart's narrowest width on a phone."""
    box = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)', svg)
    sizes = [float(v) for v in re.findall(r'font-size(?:="|:\s*)([\d.]+)', svg)]
    if not box or not sizes:
        return 0
    return math.ceil(float(box.group(1)) * PHONE_TEXT_PX / min(sizes))
