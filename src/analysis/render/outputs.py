"""One report's outputs: the executed notebook, ``report.html`` and ``report.pdf`` in a folder.

In: the notebook, the folder, parameters, formats, and optionally a warm kernel and a browser to reuse.
Out: the files, each written aside and moved into place only once complete (HTML and PDF together, so a
failed build leaves the previous pair as it was), and the seconds each step took. A folder that is a
symbolic link is refused: the outputs would land wherever it points.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from analysis.errors import BuildError, CareerOutlookError, OutputError, ParameterError
from analysis.files import aside, replace_synced, write_atomic
from analysis.render.execute import execute
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
) -> dict:
    """Build ``out_dir/report.ipynb`` and the requested ``report.html`` / ``report.pdf``.

    In: the report notebook, output folder, parameters, formats, optionally a PdfRenderer and a
    WarmKernel to reuse (else one is made for this call), the page title, the kernel's working folder
    (default: this process's; a notebook writing extra files, e.g. a CSV, writes them there), and the PDF's
    paper ('letter' or 'a4').
    Out: ``{"execute_s", "html_s", "pdf_s"}`` in seconds (0.0 for a format not made).
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
    timings = {"execute_s": 0.0, "html_s": 0.0, "pdf_s": 0.0}
    t0 = time.perf_counter()
    nb = execute(notebook, out_dir / "report.ipynb", parameters, kernel=kernel, cwd=cwd)
    t1 = time.perf_counter()
    timings["execute_s"] = t1 - t0

    html_path, pdf_path = out_dir / "report.html", out_dir / "report.pdf"
    html_tmp, pdf_tmp = aside(html_path), aside(pdf_path)
    try:
        write_atomic(html_tmp, to_html(nb, title=title))
        t2 = time.perf_counter()
        timings["html_s"] = t2 - t1
        if "pdf" in formats:
            if pdf is None:
                with PdfRenderer() as own:
                    own.render(html_tmp, pdf_tmp, paper, name=pdf_path)
            else:
                pdf.render(html_tmp, pdf_tmp, paper, name=pdf_path)
            timings["pdf_s"] = time.perf_counter() - t2
            replace_synced(pdf_tmp, pdf_path)
        if "html" in formats:
            replace_synced(html_tmp, html_path)
    except CareerOutlookError:
        raise
    except Exception as err:
        raise BuildError(f"{out_dir}: rendering failed ({type(err).__name__}: {str(err)[:200]})") from err
    finally:
        html_tmp.unlink(missing_ok=True)
        pdf_tmp.unlink(missing_ok=True)
    return timings
