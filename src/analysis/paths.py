"""The one module that knows folder names.

Everything else asks ``paths.project()`` for a :class:`Paths`. The root is the repository that holds
this package, or ``$CAREER_OUTLOOK_ROOT`` when set (tests use that to work on a copy).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import ParameterError

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def curated(self) -> Path:
        """Hand-written, cited qualitative facts (one YAML file per occupation)."""
        return self.data / "curated"

    @property
    def reference(self) -> Path:
        """Small cited lookup tables kept as data (e.g. BLS growth wording cut-offs)."""
        return self.data / "reference"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def templates(self) -> Path:
        return PACKAGE_DIR / "templates"


def default_root() -> Path:
    """``$CAREER_OUTLOOK_ROOT`` when set, else this checkout. A set root must look like a project (a
    ``data/raw`` or a ``notebooks`` folder): a mistyped one (``/etc``) is refused before anything is created
    there (the processed data's lock, ``data/processed``)."""
    env = os.environ.get("CAREER_OUTLOOK_ROOT")
    if not env:
        return PACKAGE_DIR.parents[1]
    if any(ord(c) < 32 for c in env):
        raise ParameterError("CAREER_OUTLOOK_ROOT holds a control character; set it to a career-outlook checkout")
    root = Path(env).resolve()
    if not ((root / "data" / "raw").is_dir() or (root / "notebooks").is_dir()):
        raise ParameterError(f"CAREER_OUTLOOK_ROOT={env}: not a career-outlook checkout (no data/raw or "
                             "notebooks folder in it)")
    return root


def project(root: str | os.PathLike | None = None) -> Paths:
    """Paths of the project at ``root`` (default: ``$CAREER_OUTLOOK_ROOT`` or this checkout)."""
    return Paths(Path(root).resolve() if root else default_root())
