"""What every notebook section returns, and what every section shares: a displayable HTML output, a chart
in a figure with its caption, and the sources' names.

In: HTML, a chart (matplotlib Figure or SVG markup), caption text. Out: objects Jupyter and nbconvert show
as one ``text/html`` output.
"""

from __future__ import annotations

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
    (which carries the chart's title and description); one Figure per chart is what a PDF checker wants."""
    return f'<div class="chart">{charts.to_svg(fig)}<p class="caption">{esc(caption)}</p></div>'
