"""``jupyter nbconvert --to career_pdf executed.ipynb``: the report PDF through nbconvert's exporter
registry (entry point ``career_pdf`` in ``pyproject.toml``), same template, CSS and Chromium.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from nbconvert.exporters import Exporter
from traitlets import default

from analysis.render.page import to_html
from analysis.render.pdf import PdfRenderer


class CareerPDFExporter(Exporter):
    """``jupyter nbconvert --to career_pdf executed.ipynb``: the report PDF (same template, CSS, Chromium).

    Renders the notebook as it is (it does not execute it). Starts a browser per call; for many files
    use :class:`PdfRenderer` directly.
    """

    export_from_notebook = "Career report PDF"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        """Notebook in, (PDF bytes, resources) out."""
        nb, resources = super().from_notebook_node(nb, resources, **kw)
        title = (resources.get("metadata") or {}).get("name")
        with tempfile.TemporaryDirectory(prefix="career-pdf-") as tmp:
            html_path = Path(tmp) / "report.html"
            html_path.write_text(to_html(nb, title=nb.metadata.get("title") or title), encoding="utf-8")
            with PdfRenderer() as renderer:
                data = renderer.pdf_bytes(html_path)
        resources["output_extension"] = ".pdf"
        return data, resources
