"""One report's outputs: the executed notebook, ``report.html`` and its PDF in a folder, and its one-sheet handout
(``handout.html`` and its PDF) beside them.

In: the notebook, the folder, parameters, formats, and optionally a warm kernel and a browser to reuse.
Out: the files, each written aside and moved into place only once complete (HTML and PDF together, so a
failed build leaves the previous pair as it was), and the seconds each step took. A folder that is a
symbolic link is refused: the outputs would land wherever it points.
"""

from __future__ import annotations

import contextlib
import html
import os
import time
from collections.abc import Iterable
from pathlib import Path

from analysis.errors import BuildError, CareerOutlookError, OutputError, ParameterError
from analysis.files import aside, replace_synced, write_atomic
from analysis.render import deadlines
from analysis.render.execute import execute
from analysis.render.handout import handout_html
from analysis.render.kernel import WarmKernel
from analysis.render.page import to_html
from analysis.render.pdf import PdfRenderer
from analysis.settings import DEFAULT_PAPER


def render_report(
    notebook: Path,
    out_dir: Path,
    parameters: dict,
    *,
    formats: Iterable[str] = ("html", "pdf"),
    pdf: PdfRenderer | None = None,
    kernel: WarmKernel | None = None,
    title: str | None = None,
    cwd: Path | None = None,
    paper: str = DEFAULT_PAPER,
    files: dict[str, str] | None = None,
    index_href: str | None = None,
) -> dict:
    """Build ``out_dir/report.ipynb`` and the requested ``report.html`` / ``report.pdf``.

    In: the report notebook, output folder, parameters, formats, optionally a PdfRenderer and a
    WarmKernel to reuse (else one is made for this call), the page title, the kernel's working folder
    (default: this process's; a notebook writing extra files, e.g. a CSV, writes them there), and the PDF's
    paper ('letter' or 'a4').
    ``files`` names the outputs (:attr:`analysis.catalogue.jobs.Job.files`: ``html``, ``pdf`` and, for the
    one-sheet handout built beside the report, ``handout_html`` and ``handout_pdf``); default ``report.html`` and
    ``report.pdf``, no handout. ``index_href``, the catalogue's index relative to the folder, puts a link back to it
    at the top of both pages.
    Out: ``{"execute_s", "html_s", "pdf_s", "handout_s"}`` in seconds (0.0 for a format not made).
    On failure, report.ipynb holds the latest attempt (with its traceback) while report.html and
    report.pdf are left exactly as the last successful build wrote them (or absent): the HTML and PDF
    are both written aside and moved into place only after both are complete. BuildError is raised.
    """
    formats = set(formats)
    if not formats <= {"html", "pdf"}:
        raise ParameterError(f"unknown report format(s): {', '.join(sorted(formats - {'html', 'pdf'}))}")
    out_dir = Path(out_dir)
    if out_dir.is_symlink():  # checked by the catalogue too; here for a link planted after its check
        raise OutputError(out_dir, f"is a symbolic link (to {os.readlink(out_dir)}); a report is written only "
                                   "into a real folder")
    names = files or {"html": "report.html", "pdf": "report.pdf"}
    timings = {"execute_s": 0.0, "html_s": 0.0, "pdf_s": 0.0, "handout_s": 0.0}
    t0 = time.perf_counter()
    nb = execute(notebook, out_dir / "report.ipynb", parameters, kernel=kernel, cwd=cwd)
    t1 = time.perf_counter()
    timings["execute_s"] = t1 - t0

    html_path, pdf_path = out_dir / names["html"], out_dir / names["pdf"]
    # The handout: its page beside the report's, its PDF beside the report's (both only with a name for them).
    sheet = "handout_pdf" in names
    sheet_html, sheet_pdf = (out_dir / names["handout_html"], out_dir / names["handout_pdf"]) if sheet else (None, None)
    temps = [aside(f) for f in (html_path, pdf_path, sheet_html, sheet_pdf) if f is not None]
    html_tmp, pdf_tmp = temps[0], temps[1]
    try:
        with deadlines.in_process("html", deadlines.seconds("html"), str(out_dir)):
            page = with_back_link(to_html(nb, title=title), index_href)
        write_atomic(html_tmp, page)
        t2 = time.perf_counter()
        timings["html_s"] = t2 - t1
        if sheet:
            with deadlines.in_process("html", deadlines.seconds("html"), str(out_dir)):
                sheet_page = handout_html(parameters, report_html=names["html"] if "html" in formats else None,
                                          report_pdf=names["pdf"] if "pdf" in formats else None,
                                          index_href=index_href)
            write_atomic(temps[2], sheet_page)
        if "pdf" in formats:
            with contextlib.ExitStack() as stack:
                printer = pdf or stack.enter_context(PdfRenderer())
                printer.render(html_tmp, pdf_tmp, paper, name=pdf_path)
                t3 = time.perf_counter()
                timings["pdf_s"] = t3 - t2
                if sheet:
                    printer.render(temps[2], temps[3], paper, name=sheet_pdf)
                    timings["handout_s"] = time.perf_counter() - t3
            if sheet:
                replace_synced(temps[3], sheet_pdf)
            replace_synced(pdf_tmp, pdf_path)
            if pdf_path.name != "report.pdf":  # an older build's PDF, before PDFs were named after the report
                (out_dir / "report.pdf").unlink(missing_ok=True)
        if "html" in formats:
            if sheet:
                replace_synced(temps[2], sheet_html)
            replace_synced(html_tmp, html_path)
    except CareerOutlookError:
        raise
    except Exception as err:
        raise BuildError(f"{out_dir}: rendering failed ({type(err).__name__}: {str(err)[:200]})") from err
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    return timings


BACK = '<nav class="back" aria-label="Catalogue"><a href="{href}">All career reports</a></nav>'


def with_back_link(page: str, index_href: str | None) -> str:
    """``page`` (our template's HTML) with a link back to the catalogue's index at the top of its ``<main>``."""
    if not index_href:
        return page
    return page.replace('<main class="report">', '<main class="report">' + BACK.format(href=html.escape(index_href)),
                        1)
