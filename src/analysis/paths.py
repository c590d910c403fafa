"""The one module that knows folder names.

Everything else asks ``paths.project()`` for a :class:`Paths`. The root is the repository that holds
this package, or ``$CAREER_OUTLOOK_ROOT`` when set (tests use that to work on a copy).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
    env = os.environ.get("CAREER_OUTLOOK_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parents[1]


def project(root: str | os.PathLike | None = None) -> Paths:
    """Paths of the project at ``root`` (default: ``$CAREER_OUTLOOK_ROOT`` or this checkout)."""
    return Paths(Path(root).resolve() if root else default_root())
