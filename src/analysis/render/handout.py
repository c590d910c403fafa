"""A career report's one-sheet handout as an HTML page (printed to PDF beside the report).

In: the report's parameters (``soc_code``, ``vintage``, ``state``, ``area``), the project's paths, and the names of
the full report's files in the same folder. Out: the page's text: :mod:`analysis.sections.handout`'s content in the
Jinja2 template ``templates/handout/handout.html.j2`` (autoescaped: no text from a data file can become markup).
Built in the worker process from ``data/processed`` (no kernel: it runs no notebook code).
"""

from __future__ import annotations

from analysis.paths import Paths, project
from analysis.render import pages
from analysis.sections import handout
from analysis.sections.report.context import ReportContext
from analysis.sections.report.facts import read_more

TEMPLATE = "handout/handout.html.j2"


def handout_html(parameters: dict, p: Paths | None = None, report_html: str | None = "report.html",
                 report_pdf: str | None = None, index_href: str | None = None) -> str:
    """The handout page for ``parameters``; it links the full report (``report_html`` or else ``report_pdf``, both
    names in the same folder) and each related career's O*NET OnLine page (live in a PDF wherever it is read)."""
    p = p or project()
    rep = ReportContext(parameters["soc_code"], parameters.get("vintage", "latest"), parameters.get("state"),
                        parameters.get("area"), paths=p)
    h = handout.build(rep)
    where = f", {h.place}" if h.place else ""
    link = report_html or report_pdf
    return pages.render(
        TEMPLATE, h=h, page_title=f"{h.title} ({h.soc_code}{where}): career handout, {h.vintage}",
        report_link=link, report_link_text=f"{h.title}{where}, career report ({link})" if link else "",
        related_links={soc: read_more(soc)[2][1] for _, soc, _, _ in h.related}, index_href=index_href)
