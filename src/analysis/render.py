"""Parameterized notebook -> executed notebook, HTML report and PDF.

- :func:`execute` runs a notebook with papermill's Python API (parameters injected after the cell tagged
  ``parameters``) in a fresh kernel, or in a :class:`WarmKernel` that is reset between reports.
- :func:`to_html` renders an executed notebook with nbconvert and the ``career`` template in
  ``templates/`` (outputs only, nothing fetched from the network, print CSS for A4).
- :class:`PdfRenderer` prints that HTML to PDF with one headless Chromium kept open (Playwright).
- :func:`render_report` does all three into a folder; :class:`CareerPDFExporter` offers the same PDF as
  ``jupyter nbconvert --to career_pdf``.

Every file is written aside and moved into place with ``os.replace`` only once complete.
"""

from __future__ import annotations

import atexit
import copy
import functools
import inspect
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
from jupyter_client import AsyncKernelClient, AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_core.utils import run_sync
from nbconvert.exporters import Exporter, HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.log import logger as papermill_logger
from traitlets import default
from traitlets.config import Config

from .errors import BuildError, ParameterError
from .paths import PACKAGE_DIR

TEMPLATES_DIR = PACKAGE_DIR / "templates"
TEMPLATE_NAME = "career"
WARM_ENGINE = "analysis-warm"  # papermill engine name for runs on a WarmKernel
IOPUB_TIMEOUT = 60  # seconds
# Cells dropped from HTML/PDF: 'remove' by convention; the parameters cells only hold assignments.
REMOVE_CELL_TAGS = {"remove", "remove-cell", "parameters", "injected-parameters"}
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed when running as root (containers, CI)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PDF_FOOTER = (
    '<div style="width:100%;font-size:8px;color:#5f6b7a;text-align:center;'
    'font-family:system-ui,sans-serif;">Page <span class="pageNumber"></span> of '
    '<span class="totalPages"></span></div>'
)


# --------------------------------------------------------------------------------------------- files
PUBLISHED_MODE = 0o644


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` all-or-nothing: temp file in the same folder, fsync, ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fchmod(fh.fileno(), PUBLISHED_MODE)  # mkstemp makes 0600; reports are served to readers
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _aside(path: Path) -> Path:
    """A temp name next to ``path`` (same filesystem, so ``os.replace`` is atomic)."""
    return path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")  # suffix kept: tools sniff it


def _fsync_replace(tmp: Path, path: Path) -> None:
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------- kernels
class _VenvKernelSpecManager(KernelSpecManager):
    """'python3' is always this interpreter (this venv), whatever kernelspecs are installed."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name in ("python3", "python"):
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                      # no history database: nothing to lock when many kernels run at once
                      "--HistoryManager.enabled=False"],
                display_name=f"Python 3 ({sys.executable})",
                language="python",
            )
        return super().get_kernel_spec(kernel_name)


class _VenvKernelManager(AsyncKernelManager):
    """Kernel manager for reports: this venv's python, IPC sockets in a private folder.

    TCP ports are picked in the parent and bound later by the kernel, so kernels started at the same
    time can collide ("Address already in use", papermill issue #511); IPC socket files in a folder
    of their own cannot. Clients made through :meth:`client` are remembered so that the warm kernel
    can close the ones nbclient leaves open when it does not own the kernel.
    """

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        return _VenvKernelSpecManager(data_dir=self.data_dir)

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    def _ip_default(self) -> str:  # ipc "ip" is a socket path prefix; keep it short (108-byte limit)
        if self.transport != "ipc":
            return super()._ip_default()
        self._ipc_dir = tempfile.mkdtemp(prefix="ak-")
        return os.path.join(self._ipc_dir, "k")

    def client(self, **kwargs: Any):
        kc = super().client(**kwargs)
        # Clients share the manager's session id, which is also their ZMQ identity: a second client with
        # the same identity steals (or loses) the kernel's replies. One fresh identity per client.
        kc.session.session = uuid.uuid4().hex
        self.__dict__.setdefault("_clients", []).append(kc)
        return kc

    def close_clients(self) -> None:
        for kc in self.__dict__.pop("_clients", []):
            kc.stop_channels()

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and getattr(self, "_ipc_dir", None):
            shutil.rmtree(self._ipc_dir, ignore_errors=True)

    # AsyncKernelManager binds the base function object, so re-point the public name at the override
    cleanup_resources = _async_cleanup_resources


# The two functions below run INSIDE the kernel: WarmKernel sends their source (inspect.getsource) into
# a private module there, so they are linted here but import nothing from this package in the kernel.
def _k_snapshot() -> None:
    """(kernel) Record the state a report may change, just after the preload ran."""
    import gc
    import os
    import sys
    import warnings

    import matplotlib
    import matplotlib.pyplot  # noqa: F401  -- activates the inline backend so its settings are recorded
    from IPython import get_ipython
    from matplotlib_inline.config import InlineBackend

    state = globals()
    ip = get_ipython()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        state["rc"] = {k: copy.deepcopy(matplotlib.rcParams[k]) for k in matplotlib.rcParams}
    cfg = InlineBackend.instance()
    state["inline"] = {n: copy.deepcopy(getattr(cfg, n))
                       for n in ("figure_formats", "print_figure_kwargs", "close_figures", "rc")}
    state["formatters"] = {mime: (f.enabled, dict(f.type_printers), dict(f.deferred_printers))
                           for mime, f in ip.display_formatter.formatters.items()}
    state["warnings"] = list(warnings.filters)
    state["sys_path"] = list(sys.path)
    state["environ"] = dict(os.environ)
    # What exists now (modules, preloaded tables) lives as long as the kernel: keep it out of every later
    # garbage collection. IPython's reset runs a full one before each report: 64 ms, then 2 ms.
    gc.freeze()


def _k_reset(cwd: str) -> None:
    """(kernel) Put the kernel back to the snapshot: namespace, counters, figures, rcParams, options."""
    import os
    import sys
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt
    from IPython import get_ipython
    from matplotlib_inline.config import InlineBackend

    state = globals()
    ip = get_ipython()
    plt.close("all")
    ip.reset(new_session=False)  # user namespace, In/Out, _ ; keeps sys.modules (imports stay paid)
    ip.execution_count = 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        changed = {k: v for k, v in state["rc"].items() if matplotlib.rcParams[k] != v}
        matplotlib.rcParams.update(copy.deepcopy(changed))
    cfg = InlineBackend.instance()
    for name, value in state["inline"].items():
        if getattr(cfg, name) != value:
            setattr(cfg, name, copy.deepcopy(value))
    for mime, (enabled, printers, deferred) in state["formatters"].items():
        f = ip.display_formatter.formatters[mime]
        f.enabled = enabled
        f.type_printers.clear()
        f.type_printers.update(printers)
        f.deferred_printers.clear()
        f.deferred_printers.update(deferred)
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["pandas"].reset_option("all")
    warnings.filters[:] = state["warnings"]
    getattr(warnings, "_filters_mutated", lambda: None)()  # invalidate the "already warned" caches
    sys.path[:] = state["sys_path"]
    for key in set(os.environ) - set(state["environ"]):
        del os.environ[key]
    os.environ.update(state["environ"])
    os.chdir(cwd)


class WarmKernel:
    """One python3 kernel (this venv) started once and reused for many reports, reset between them.

    ``preload`` runs once after start (e.g. ``"import analysis.report"``) so imports are paid once.
    Before every report the kernel is reset to the state right after preload: user namespace and
    In/Out history cleared, execution count back to 1, figures closed, matplotlib rcParams, inline
    backend settings and display formatters restored, pandas options reset, warnings filters,
    ``sys.path``, ``os.environ`` and the working directory restored. Imported modules are KEPT.

    Assumption (to record in docs/assumptions.md): modules imported by reports are
    stateless, or cache only pure functions of files that do not change during a build. Module-level
    state a report mutates (e.g. a global list in a module, ``random``/numpy seeds) is not reset.
    If a run times out or the kernel dies, the kernel is restarted (and preloaded) before the next one.
    """

    def __init__(self, preload: str = "", *, startup_timeout: int = 60, start_attempts: int = 3):
        self.preload = preload
        self.startup_timeout = startup_timeout
        self.start_attempts = start_attempts
        self.km: _VenvKernelManager | None = None
        self.kc: AsyncKernelClient | None = None
        self.reports_run = 0
        self._start()
        atexit.register(self.close)

    # -- lifecycle
    def _start(self) -> None:
        for attempt in range(1, self.start_attempts + 1):
            km = _VenvKernelManager(kernel_name="python3")
            try:
                run_sync(km.start_kernel)()
                # One client for the kernel's whole life: preload/reset go through it and papermill gets
                # it too (see _WarmEngine), which saves nbclient's ~0.2 s client start-up per report.
                kc = km.client()
                kc.start_channels()
                run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
            except (RuntimeError, OSError) as err:  # ZMQ/port trouble or a kernel that died at start
                km.close_clients()
                run_sync(km.shutdown_kernel)(now=True)
                if attempt == self.start_attempts:
                    raise BuildError(f"kernel did not start after {attempt} attempts: {err}") from err
                time.sleep(0.2 * attempt)
                continue
            self.km, self.kc = km, kc
            break
        if self.preload:
            self._run(self.preload, "preload")
        src = "\n\n".join(inspect.getsource(f) for f in (_k_snapshot, _k_reset))
        self._run(
            "import copy, sys, types\n"
            "_m = types.ModuleType('_analysis_warm')\n"
            "_m.copy = copy\n"
            f"exec({src!r}, _m.__dict__)\n"
            "sys.modules['_analysis_warm'] = _m\n"
            "_m._k_snapshot()\n",
            "snapshot",
        )
        self.reports_run = 0

    def close(self) -> None:
        """Shut the kernel down (idempotent)."""
        self.kc = None
        if self.km is not None:
            self.km.close_clients()
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None
        atexit.unregister(self.close)

    def restart(self) -> None:
        """A new kernel process (used when a run timed out or the kernel died)."""
        self.close()
        self._start()
        atexit.register(self.close)

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_alive(self) -> bool:
        return self.km is not None and run_sync(self.km.is_alive)()

    # -- running
    def _run(self, code: str, what: str, timeout: int = 120) -> None:
        assert self.kc is not None
        reply = run_sync(self.kc.execute_interactive)(
            code, silent=True, store_history=False, timeout=timeout, output_hook=lambda msg: None
        )
        content = reply["content"]
        if content["status"] != "ok":
            raise BuildError(f"warm kernel {what} failed: {content.get('ename')}: {content.get('evalue')}")

    def reset(self, cwd: Path | str | None = None) -> None:
        """Reset to the post-preload state and chdir to ``cwd`` (default: this process's cwd)."""
        if not self.is_alive():
            self.restart()
        cwd = str(Path(cwd).resolve() if cwd else Path.cwd())
        self._run(f"__import__('sys').modules['_analysis_warm']._k_reset({cwd!r})", "reset")

    def run(self, fn: Callable[..., Any], cwd: Path | str | None = None) -> Any:
        """Reset, then ``fn(km=…, kc=…)`` (papermill with the 'analysis-warm' engine); out: what fn returns."""
        self.reset(cwd)
        try:
            return fn(km=self.km, kc=self.kc)
        finally:
            self.reports_run += 1


class _WarmEngine(NBClientEngine):
    """papermill engine: NBClientEngine, but on a WarmKernel's kernel AND client (``km=``, ``kc=``).

    papermill forwards extra keyword arguments to the engine; nbclient accepts ``km`` but would start a
    new client per notebook, so the client is set on it here. Mirrors NBClientEngine (papermill 2.7).
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, *,
                                 km, kc, **kwargs):
        kwargs.pop("input_path", None)
        kwargs.pop("startup_timeout", None)
        kwargs.pop("timeout", None)
        client = PapermillNotebookClient(
            nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=papermill_logger, log_output=log_output, stdout_file=stdout_file,
            stderr_file=stderr_file, **kwargs,
        )
        client.kc = kc
        return client.execute()


papermill_engines.register(WARM_ENGINE, _WarmEngine)

# -------------------------------------------------------------------------------------- execute
def _check_parameters(notebook: Path, parameters: dict) -> None:
    declared = pm.inspect_notebook(str(notebook))
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ParameterError(
            f"{notebook}: unknown parameter(s) {', '.join(unknown)}; "
            f"its parameters cell declares {', '.join(sorted(declared)) or 'none'}"
        )


def execute(
    notebook: Path,
    output: Path,
    parameters: dict,
    *,
    kernel: WarmKernel | None = None,
    cwd: Path | None = None,
    timeout: int = 300,
) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters`` and write the executed notebook to ``output`` (atomically).

    In: the notebook path, where to write, parameters (names must be declared in its ``parameters``
    cell, else ParameterError before any kernel runs), an optional WarmKernel (default: a fresh kernel
    of this venv's python), the kernel's working directory (default: this process's), and a per-cell
    timeout in seconds. Out: the executed notebook. If a cell raises, the executed notebook with the
    traceback is still written to ``output`` and BuildError is raised naming the cell and that path.
    """
    notebook, output = Path(notebook), Path(output)
    _check_parameters(notebook, parameters)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = _aside(output)
    options = dict(
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        request_save_on_cell_execute=False,  # one write at the end: per-cell saves cost time
        execution_timeout=timeout,
        # nbclient waits 4 s by default for a cell's output messages after its reply, and papermill turns
        # that wait into an error: on a loaded machine (a catalogue run, CI) 4 s is not enough.
        iopub_timeout=IOPUB_TIMEOUT,
        cwd=str(cwd) if cwd else None,
    )
    try:
        if kernel is None:
            nb = pm.execute_notebook(str(notebook), str(tmp), kernel_manager_class=_VenvKernelManager,
                                     **options)
        else:
            nb = kernel.run(functools.partial(pm.execute_notebook, str(notebook), str(tmp),
                                              engine_name=WARM_ENGINE, **options), cwd)
    except PapermillExecutionError as err:
        _fsync_replace(tmp, output)  # papermill wrote the notebook with the traceback to tmp
        evalue = (str(err.evalue).strip().splitlines() or [""])[0][:200]
        raise BuildError(
            f"{notebook.name}: cell In [{err.exec_count}] raised {err.ename}: {evalue} "
            f"(executed notebook: {output})"
        ) from err
    except Exception as err:  # timeout, dead kernel: papermill wrote nothing usable
        tmp.unlink(missing_ok=True)
        if kernel is not None:
            kernel.restart()  # stopped mid-cell (or dead): its state is unknown
        raise BuildError(
            f"{notebook.name}: execution did not finish ({type(err).__name__}: {str(err)[:200]}); "
            f"no executed notebook written to {output}"
        ) from err
    _fsync_replace(tmp, output)
    return nb


# ----------------------------------------------------------------------------------------- html
class _ReportHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter without its final BeautifulSoup pass.

    That pass (nbconvert 7.x) only adds alt text to <img> without one and tabindex to cells; our
    outputs are inline SVG with their own aria-label, and re-parsing a report's ~200 kB of SVG cost
    ~0.15 s a report, a quarter of the catalogue's per-report time. Everything else is nbconvert's.
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
def _html_exporter() -> HTMLExporter:
    """Built once per process: building the Jinja environment is most of nbconvert's cost."""
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = REMOVE_CELL_TAGS
    return _ReportHTMLExporter(
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
    html, _ = _html_exporter().from_notebook_node(nb, resources=resources)
    return html


# ------------------------------------------------------------------------------------------ pdf
def _chromium_path() -> str | None:
    """$CHROMIUM_PATH, else Debian's /usr/bin/chromium, else None (Playwright's own browser)."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class PdfRenderer:
    """One headless Chromium kept open; :meth:`render` prints a local HTML file to PDF.

    Playwright gives each launch a new empty profile (user-data-dir). Every request other than
    ``file:`` and ``data:`` URLs is aborted, so a report can never fetch anything.

    Playwright's sync API runs its own asyncio event loop on the thread that starts it, and jupyter's
    kernel clients use asyncio on the caller's thread too: sharing one thread, a kernel started after
    the browser stopped receiving its output messages. So every Playwright call runs on one private
    thread of this object, and the caller's asyncio state is never touched.
    """

    def __init__(self, executable_path: str | None = None):
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="pdf-renderer")
        self._pw = None
        try:
            self._call(self._start, executable_path)
        except BaseException:
            self._thread.shutdown(wait=True)
            raise
        self.pages_rendered = 0

    def _call(self, fn, *args):
        return self._thread.submit(fn, *args).result()

    def _start(self, executable_path: str | None) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=executable_path or _chromium_path(), args=CHROMIUM_ARGS, headless=True
            )
            self._context = self._browser.new_context(java_script_enabled=True)
            self._context.route("**/*", _only_local)
            self._page = None
        except BaseException:
            self._pw.stop()
            self._pw = None
            raise

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the browser (idempotent)."""
        if self._pw is not None:
            self._call(self._stop)
            self._thread.shutdown(wait=True)

    def _stop(self) -> None:
        self._browser.close()
        self._pw.stop()
        self._pw = None

    def pdf_bytes(self, html_path: Path, paper: str = "A4") -> bytes:
        """Local HTML file in, PDF bytes out (page size from the CSS @page, else ``paper``)."""
        return self._call(self._pdf_bytes, html_path, paper)

    def _pdf_bytes(self, html_path: Path, paper: str) -> bytes:
        # One tab reused for every file: a new tab per file costs ~0.2 s; goto() replaces the document.
        if self._page is None or self._page.is_closed():
            self._page = self._context.new_page()
        try:
            self._page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            return self._page.pdf(
                format=paper,
                print_background=True,
                prefer_css_page_size=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=PDF_FOOTER,
            )
        except Exception:
            self._page.close()  # a tab in an unknown state is not reused
            self._page = None
            raise

    def render(self, html_path: Path, pdf_path: Path, paper: str = "A4") -> None:
        """Print ``html_path`` to ``pdf_path`` (written aside, then moved into place)."""
        write_atomic(Path(pdf_path), self.pdf_bytes(html_path, paper))
        self.pages_rendered += 1


def _only_local(route) -> None:
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort("blockedbyclient")


# --------------------------------------------------------------------------------------- report
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
) -> dict:
    """Build ``out_dir/report.ipynb`` and the requested ``report.html`` / ``report.pdf``.

    In: the report notebook, output folder, parameters, formats, optionally a PdfRenderer and a
    WarmKernel to reuse (else one is made for this call), the page title, the kernel's working folder
    (default: this process's; a notebook writing extra files, e.g. a CSV, writes them there).
    Out: ``{"execute_s", "html_s", "pdf_s"}`` in seconds (0.0 for a format not made).
    On failure, report.ipynb holds the latest attempt (with its traceback) while report.html and
    report.pdf are left exactly as the last successful build wrote them (or absent): the HTML and PDF
    are both written aside and moved into place only after both are complete. BuildError is raised.
    """
    formats = set(formats)
    if not formats <= {"html", "pdf"}:
        raise ParameterError(f"unknown report format(s): {', '.join(sorted(formats - {'html', 'pdf'}))}")
    out_dir = Path(out_dir)
    timings = {"execute_s": 0.0, "html_s": 0.0, "pdf_s": 0.0}
    t0 = time.perf_counter()
    nb = execute(notebook, out_dir / "report.ipynb", parameters, kernel=kernel, cwd=cwd)
    t1 = time.perf_counter()
    timings["execute_s"] = t1 - t0

    html_path, pdf_path = out_dir / "report.html", out_dir / "report.pdf"
    html_tmp, pdf_tmp = _aside(html_path), _aside(pdf_path)
    try:
        write_atomic(html_tmp, to_html(nb, title=title))
        t2 = time.perf_counter()
        timings["html_s"] = t2 - t1
        if "pdf" in formats:
            if pdf is None:
                with PdfRenderer() as own:
                    own.render(html_tmp, pdf_tmp)
            else:
                pdf.render(html_tmp, pdf_tmp)
            timings["pdf_s"] = time.perf_counter() - t2
            os.replace(pdf_tmp, pdf_path)
        if "html" in formats:
            os.replace(html_tmp, html_path)
    except Exception as err:
        raise BuildError(f"{out_dir}: rendering failed ({type(err).__name__}: {str(err)[:200]})") from err
    finally:
        html_tmp.unlink(missing_ok=True)
        pdf_tmp.unlink(missing_ok=True)
    return timings


# ------------------------------------------------------------------------------------- exporter
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
