"""Project-wide settings of the reports, read from ``[tool.career-outlook]`` in the project's ``pyproject.toml``
and the environment: today the paper size of every PDF.

In: the project's folders and, optionally, a value given on the command line. Out: the setting, checked; a
one-line ParameterError naming the setting otherwise. Lowest to highest precedence: the default here, the
``pyproject.toml`` table, the environment (``CAREER_OUTLOOK_PAPER``), an explicit value.
"""

from __future__ import annotations

import os
import tomllib

from analysis.errors import ParameterError
from analysis.paths import Paths, project

# Paper names -> Chromium's page formats. US Letter by default: nearly every U.S. printer holds it.
PAPERS = {"letter": "Letter", "a4": "A4"}
DEFAULT_PAPER = "letter"


def _table(p: Paths) -> dict:
    path = p.root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: not valid TOML ({exc})") from None
    table = data.get("tool", {}).get("career-outlook", {})
    return table if isinstance(table, dict) else {}


def paper(value: str | None = None, p: Paths | None = None) -> str:
    """The paper size of the PDFs: ``value`` if given, else ``CAREER_OUTLOOK_PAPER``, else ``paper`` in
    ``[tool.career-outlook]``, else letter. Out: 'letter' or 'a4'."""
    p = p or project()
    chosen = value or os.environ.get("CAREER_OUTLOOK_PAPER") or _table(p).get("paper") or DEFAULT_PAPER
    key = str(chosen).strip().lower()
    if key not in PAPERS:
        raise ParameterError(f"$paper {chosen!r}: expected one of {', '.join(PAPERS)}")
    return key
