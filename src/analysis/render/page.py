"""Executed notebook -> standalone HTML page with nbconvert and the ``career`` template in ``templates/``:
outputs only (input cells and prompts dropped), nothing fetched from the network, print CSS.
"""

from __future__ import annotations

import functools

import nbformat
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets.config import Config

from analysis.paths import PACKAGE_DIR

TEMPLATES_DIR = PACKAGE_DIR / "templates"


TEMPLATE_NAME = "career"


# Cells dropped from HTML/PDF: 'remove' by convention; the parameters cells only hold assignments.
REMOVE_CELL_TAGS = {"remove", "remove-cell", "parameters", "injected-parameters"}


class ReportHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter without its final BeautifulSoup pass.

    That pass (nbconvert 7.x) only adds alt text to <img> without one and tabindex to cells; our
    outputs are inline SVG with their own text alternative, and re-parsing a report's ~200 kB of SVG cost
    ~0.15 s a report, a quarter of the catalogue's per-report time. This override is
    ``HTMLExporter.from_notebook_node`` of nbconvert 7.16-7.17 up to its ``super()`` call (the two filters it
    registers), then ``TemplateExporter``'s. ``pyproject.toml`` pins nbconvert to those versions and
    ``tests/render/test_pins.py`` checks the output equals nbconvert's own apart from that pass.
    """

    def from_notebook_node(self, nb, resources=None, **kw):
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        resources = self._init_resources(resources)
        self.register_filter("highlight_code",
                             self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        self.register_filter("filter_data_type",
                             WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                   resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@functools.cache
def html_exporter() -> HTMLExporter:
    """Built once per process: building the Jinja environment is most of nbconvert's cost."""
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = REMOVE_CELL_TAGS
    return ReportHTMLExporter(
        config=c,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


def to_html(nb: nbformat.NotebookNode, title: str | None = None) -> str:
    """Executed notebook in, standalone HTML page out (outputs only, no network references).

    ``title`` sets <title>; default the notebook's ``metadata.title``, else "Report".
    Outputs of type text/html are inserted as-is: escaping values in them is the caller's job.
    """
    resources = {"metadata": {"name": title or nb.metadata.get("title") or "Report"}}
    html, _ = html_exporter().from_notebook_node(nb, resources=resources)
    return html
