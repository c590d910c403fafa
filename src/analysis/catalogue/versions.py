"""The versions of the libraries and the browser that shape a report, for its fingerprint.

In: the installed distributions and the Chromium the PDFs are printed with (:func:`analysis.render.pdf.chromium_path`).
Out: ``{name: version}``. Upgrading matplotlib (which supplies the charts' font metrics), pandas, nbconvert,
papermill, nbformat, Jinja2, pikepdf, Playwright or Chromium can change a report, so it rebuilds every report.
Cheap, for every build: package metadata, and the browser known by its binary's path, size and modification time
(a new Chromium is a new file), never by starting it. A Dask cluster's workers run their own installs: these are
the build host's.
"""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

from analysis.render.pdf import chromium_path

LIBRARIES = ("matplotlib", "pandas", "nbconvert", "papermill", "nbformat", "jinja2", "pikepdf", "playwright")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def browser() -> str:
    """The Chromium the PDFs are printed with: its resolved path, size and modification time; Playwright's own
    browser (no path: its version follows Playwright's); or what is wrong with the path (reported by the build)."""
    exe = chromium_path()
    if exe is None:
        return "playwright's own"
    try:
        real = Path(exe).resolve()
        st = real.stat()
    except (OSError, RuntimeError) as err:  # missing, a link loop: the build's browser check names it
        return f"{exe}: {type(err).__name__}"
    return f"{real} {st.st_size} {st.st_mtime_ns}"


def versions() -> dict[str, str]:
    """``{library: version}`` for :data:`LIBRARIES`, ``chromium`` (what :func:`browser` says) and ``python``."""
    return {name: _version(name) for name in LIBRARIES} | {"chromium": browser(), "python": platform.python_version()}
