"""HTML file -> PDF/UA-1 PDF with one headless Chromium kept open (Playwright driving the system browser).

In: a local HTML file. Out: PDF bytes, or the PDF written atomically: tagged and with an outline by Chromium,
then repaired to PDF/UA-1 (``render/pdfua.py``), so every PDF the project writes passes through one place. Every
request other than ``file:`` and ``data:`` URLs is aborted, so a report can never fetch anything.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import psutil

from analysis.errors import BuildError
from analysis.files import write_atomic
from analysis.render import deadlines
from analysis.render.pdfua import FIXES, make_pdfua
from analysis.settings import DEFAULT_PAPER, PAPERS

VERSION_TIMEOUT = 30  # seconds for `chromium --version`
START_SECONDS = 60  # for Playwright's driver and Chromium to start
STOP_SECONDS = 10  # for them to close; then they are killed
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed when running as root (containers, CI)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


# A running footer on every page: the document's title (the occupation, its SOC code, the place and the release,
# as the page's <title> says them), so a loose page can be matched to its report, then the page number.
PDF_FOOTER = (
    '<div style="width:100%;font-size:8px;color:#5f6b7a;font-family:system-ui,sans-serif;'
    'display:flex;justify-content:space-between;padding:0 14mm;">'
    '<span class="title"></span><span>Page <span class="pageNumber"></span> of '
    '<span class="totalPages"></span></span></div>'
)


# Changes to the page just before it is printed, for PDF/UA rules Chromium's tags would break and only the page
# can fix (render/pdfua.py repairs the rest after printing). Nothing changes on paper. Each is named, so a test can
# leave one out (`skip`) and see its rule fail.
# - "table-cells": Chromium leaves a cell that paints nothing out of the tags, so a row with an empty cell holds
#   fewer cells than the others and the table's grid does not close (TABLE-ROW-COLUMNSPAN, TBL-004). Empty cells
#   get a no-break space (painted, so tagged, and blank); rows shorter than the table get empty cells at their end.
# - "bare-urls": an address printed as text has no link annotation (outloud LNK-010). Bare URLs, www. addresses and
#   e-mail addresses in the text become links, in the text's own colour, so the page prints as before.
PAGE_FIXES = ("table-cells", "bare-urls")
PAGE_FIXES_JS = r"""
(fixes) => {
  if (fixes.includes("table-cells")) {
    for (const table of document.querySelectorAll("table")) {
      const widths = [], covered = [];  // covered[r]: columns of row r taken by rowspans from rows above
      Array.from(table.rows).forEach((row, r) => {
        let width = covered[r] || 0;
        for (const cell of row.cells) {
          width += cell.colSpan;
          for (let k = 1; k < cell.rowSpan; k++) covered[r + k] = (covered[r + k] || 0) + cell.colSpan;
        }
        widths.push(width);
      });
      const columns = Math.max(0, ...widths);
      Array.from(table.rows).forEach((row, r) => {
        for (let k = widths[r]; k < columns; k++) row.appendChild(document.createElement("td"));
      });
    }
    for (const cell of document.querySelectorAll("td, th")) {
      if (!cell.textContent.trim() && !cell.querySelector("img, svg, canvas, video, object, input")) {
        cell.append("\u00a0");
      }
    }
  }
  if (fixes.includes("bare-urls")) {
    const address = new RegExp([
      String.raw`\bhttps?://[^\s<>"]*[^\s<>".,;:!?)\]]`,  // up to its last character that is not punctuation
      String.raw`\bwww\.[a-z0-9-]+\.[a-z]{2,}(?:[^\s<>"]*[^\s<>".,;:!?)\]])?`,
      String.raw`[\w.+-]+@[\w-]+\.[\w.-]*\w`,  // an e-mail address
    ].join("|"), "gi");
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => node.parentElement.closest("a, script, style, svg, textarea, title, button")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const texts = [];
    while (walker.nextNode()) if (walker.currentNode.data.search(address) >= 0) texts.push(walker.currentNode);
    for (const node of texts) {
      const parts = document.createDocumentFragment();
      let done = 0;
      for (const match of node.data.matchAll(address)) {
        const text = match[0];
        const link = document.createElement("a");
        link.href = text.includes("@") && !text.includes("/") ? "mailto:" + text
          : /^www\./i.test(text) ? "https://" + text : text;
        link.textContent = text;
        link.style.color = "inherit";
        link.style.textDecoration = "inherit";
        parts.append(node.data.slice(done, match.index), link);
        done = match.index + text.length;
      }
      parts.append(node.data.slice(done));
      node.replaceWith(parts);
    }
  }
}
"""


# Debian's Chromium builds, best first. The headless shell (package chromium-headless-shell: the same Chromium
# version without the desktop browser around it) starts in 0.34 s instead of 0.44 and prints a report in 0.20 s
# instead of 0.27, the same PDF page for page (tagged, with its outline). Its binary, not /usr/bin's wrapper
# script, which would stay between Playwright and the browser as a shell that does not pass signals on.
CHROMIUM_BUILDS = ("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium")


def chromium_path() -> str | None:
    """$CHROMIUM_PATH, else the first of :data:`CHROMIUM_BUILDS` installed, else None (Playwright's own browser).
    A bare name (``chromium``) is looked up on PATH, as a shell would: Playwright takes a path, not a name, so a
    name that passed ``--version`` would still fail in every worker. A name not found is returned as given, so
    :func:`check_browser` reports it rather than passing over it."""
    given = os.environ.get("CHROMIUM_PATH")
    if given:
        return given if os.sep in given else (shutil.which(given) or given)
    return next((exe for exe in CHROMIUM_BUILDS if Path(exe).exists()), None)


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip() and not set(ln.strip()) <= set("=-╔╗╚╝║")]
    return lines[0][:300] if lines else "no message"


def check_browser(executable: str | None = None) -> None:
    """Raise a one-line BuildError naming Chromium when it cannot run at all (missing, not executable, missing
    libraries): asked once, before any worker starts, instead of every worker dying on it. Runs
    ``chromium --version`` (a tenth of a second); a browser that runs but cannot render is reported by the
    renderer itself, per report."""
    exe = executable or chromium_path()
    if exe is None:
        return  # Playwright's own browser: reported when it starts
    fix = "install it with `make setup` (Debian's chromium) or point CHROMIUM_PATH at a Chromium"
    if os.sep not in exe:  # a bare name chromium_path() did not find on PATH
        raise BuildError(f"Chromium {exe!r} (CHROMIUM_PATH) is not a path and is not found on PATH; {fix}")
    try:
        done = subprocess.run([exe, "--headless", "--no-sandbox", "--version"], capture_output=True, text=True,
                              timeout=VERSION_TIMEOUT, stdin=subprocess.DEVNULL)
    except OSError as err:
        raise BuildError(f"Chromium {exe} cannot start ({err.strerror or type(err).__name__}); {fix}") from None
    except subprocess.TimeoutExpired:
        raise BuildError(f"Chromium {exe} did not answer --version within {VERSION_TIMEOUT} s; {fix}") from None
    if done.returncode != 0:
        raise BuildError(f"Chromium {exe} cannot start (exit {done.returncode}: "
                         f"{_first_line(done.stderr or done.stdout)}); {fix}")


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
        self._driver: psutil.Process | None = None  # Playwright's driver; Chromium runs below it
        self._chromium: list[psutil.Process] = []
        self.deadline = deadlines.seconds("pdf")  # for each call on the browser once started
        before = {c.pid for c in psutil.Process().children()}
        try:
            self._call(self._start, executable_path, timeout=START_SECONDS)
            self._driver = next((c for c in psutil.Process().children() if c.pid not in before
                                 and _is_driver(c)), None)
            # Chromium's own process, under the driver: watched by pid, a read of /proc (no scan of every process)
            self._chromium = self._driver.children() if self._driver is not None else []
        except Exception as err:
            self._thread.shutdown(wait=not self.dead)  # a start past its deadline was killed: its thread may hang
            exe = executable_path or chromium_path() or "(Playwright's own)"
            raise BuildError(f"Chromium {exe} did not start: {_first_line(err)}") from err
        except BaseException:
            self._thread.shutdown(wait=True)
            raise
        self.pages_rendered = 0

    def _call(self, fn, *args, timeout: float | None = None):
        """``fn(*args)`` on the browser's thread, waited for at most ``timeout`` seconds (default: the PDF
        deadline). Past it the browser is killed, so the call ends, and ReportTimeout is raised: a page that never
        finishes printing fails its report instead of hanging the build."""
        if self.dead:
            raise BuildError("Chromium was stopped after a report passed its deadline or died; a new one is needed")
        future = self._thread.submit(fn, *args)
        limit = self.deadline if timeout is None else timeout
        try:
            return future.result(timeout=limit)
        except FutureTimeout:
            self.kill()
            raise deadlines.timed_out("pdf", limit) from None

    @property
    def dead(self) -> bool:
        return getattr(self, "_killed", False)

    def alive(self) -> bool:
        """True while the browser can still print: not killed by us, its driver running and Chromium below it (a
        read of /proc: microseconds). A browser or driver killed from outside makes every later call fail."""
        if self.dead or self._pw is None:
            return False
        if self._driver is None:  # not found at start (not Linux?): nothing to watch, assume alive
            return True
        try:
            return all(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in (self._driver, *self._chromium))
        except psutil.Error:
            return False

    def kill(self) -> None:
        """End the browser at once, from any thread, however busy its own thread is: SIGKILL to Chromium and the
        driver (the call under way then fails). The renderer is unusable afterwards; its owner starts another."""
        self._killed = True
        if self._driver is not None:
            with contextlib.suppress(psutil.Error):
                for child in self._driver.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        child.kill()
                self._driver.kill()
        self._thread.shutdown(wait=False, cancel_futures=True)

    def _start(self, executable_path: str | None) -> None:
        # Lazy, for start-up speed: a process that renders no PDF does not pay for Playwright.
        from playwright.sync_api import sync_playwright  # noqa: PLC0415

        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=executable_path or chromium_path(), args=CHROMIUM_ARGS, headless=True,
                # Signals are the build process's to act on (it shuts the workers down, and each closes its
                # browser): Playwright's own handlers would close the browser under a report on Ctrl-C.
                handle_sigint=False, handle_sigterm=False, handle_sighup=False,
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
        """Close the browser (idempotent); one that does not close within seconds (its thread stuck on a page) is
        killed."""
        if self._pw is not None and not self.dead:
            with contextlib.suppress(BuildError):  # ReportTimeout: killed instead
                self._call(self._stop, timeout=STOP_SECONDS)
            self._thread.shutdown(wait=not self.dead)

    def _stop(self) -> None:
        # The browser or its driver may have died first (killed): then there is nothing left to close.
        with contextlib.suppress(Exception):
            self._browser.close()
        with contextlib.suppress(Exception):
            self._pw.stop()
        self._pw = None

    def pdf_bytes(self, html_path: Path, paper: str = DEFAULT_PAPER, *, skip: Iterable[str] = (),
                  name: str | Path | None = None) -> bytes:
        """Local HTML file in, PDF bytes out: on ``paper`` ('letter' or 'a4'; the CSS sets only margins),
        tagged (a structure tree a screen reader follows, charts as Figures with their text alternative),
        with an outline (bookmarks) from the headings, the title and language from the page, and repaired to
        PDF/UA-1 (:data:`PAGE_FIXES` before printing, ``render.pdfua.FIXES`` after). ``skip`` names repairs to
        leave out, for tests that show a rule failing without its repair; a PDF made with any left out does not
        claim PDF/UA. ``name`` is the file errors name (default: ``html_path``)."""
        skip = set(skip)
        if skip - set(PAGE_FIXES) - set(FIXES):
            raise ValueError(f"unknown PDF repair(s): {', '.join(sorted(skip - set(PAGE_FIXES) - set(FIXES)))}; "
                             f"known: {', '.join((*PAGE_FIXES, *FIXES))}")
        printed = self.print_tagged(html_path, paper, page_fixes=[f for f in PAGE_FIXES if f not in skip])
        return make_pdfua(printed, str(name or html_path), skip=skip & set(FIXES), declare=not skip)

    def print_tagged(self, html_path: Path, paper: str = DEFAULT_PAPER, *,
                     page_fixes: Iterable[str] = PAGE_FIXES) -> bytes:
        """What Chromium prints, before the repairs of ``render.pdfua``: the page with ``page_fixes`` made,
        tagged, with its outline. :meth:`pdf_bytes` is this and the repairs; tests use it to repair in steps."""
        return self._call(self._pdf_bytes, html_path, paper, list(page_fixes))

    def _pdf_bytes(self, html_path: Path, paper: str, page_fixes: list[str]) -> bytes:
        # One tab reused for every file: a new tab per file costs ~0.2 s; goto() replaces the document.
        if self._page is None or self._page.is_closed():
            self._page = self._context.new_page()
        try:
            self._page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            self._page.evaluate(PAGE_FIXES_JS, page_fixes)
            return self._page.pdf(
                format=PAPERS[paper],
                print_background=True,
                prefer_css_page_size=False,
                tagged=True,
                outline=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=PDF_FOOTER,
            )
        except Exception:
            self._page.close()  # a tab in an unknown state is not reused
            self._page = None
            raise

    def render(self, html_path: Path, pdf_path: Path, paper: str = DEFAULT_PAPER, *,
               name: str | Path | None = None) -> None:
        """Print ``html_path`` to ``pdf_path`` (written aside, then moved into place), every repair made; errors
        name ``name`` (default: ``pdf_path``; a caller writing to a temporary name gives the final one)."""
        write_atomic(Path(pdf_path), self.pdf_bytes(html_path, paper, name=name or pdf_path))
        self.pages_rendered += 1


def _is_driver(process: psutil.Process) -> bool:
    """Playwright's driver (``node …/cli.js run-driver``), which this process starts and Chromium runs under."""
    with contextlib.suppress(psutil.Error):
        return "run-driver" in process.cmdline()
    return False


def _only_local(route) -> None:
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort("blockedbyclient")
