"""How a catalogue build runs, as one value: :class:`BuildOptions`, resolved once (by the CLI, or by whoever calls
:func:`analysis.catalogue.build.build` or :func:`analysis.refresh.pipeline.refresh`) and passed down whole.

In: formats, paper, reports folder, force, wait, workers or an executor, and whether any folder may be written.
Out: the options, checked when made: formats known, paper known, workers in range, and the reports folder one
of ours (or ``allow_any_out``), so neither the build nor the refresh checks them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analysis.catalogue.executors import Executor
from analysis.catalogue.local import LocalExecutor
from analysis.catalogue.manifest import is_catalogue
from analysis.errors import ParameterError
from analysis.files import check_output_folder
from analysis.settings import PAPERS

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class BuildOptions:
    """A build's options. ``out`` None: the project's ``reports/``; ``paper`` None: the project's setting
    (:func:`analysis.settings.paper`); ``executor`` None: a local pool of ``jobs`` workers (None: one per core).
    ``index`` False leaves ``index.html`` unwritten (benchmarks)."""

    formats: tuple[str, ...] = FORMATS
    paper: str | None = None
    out: Path | None = None
    allow_any_out: bool = False
    force: bool = False
    wait: bool = False
    jobs: int | None = None
    executor: Executor | None = field(default=None, compare=False)
    index: bool = True

    def __post_init__(self):
        formats = tuple(self.formats)
        if not formats or set(formats) - set(FORMATS):
            raise ParameterError(f"$format {','.join(formats)!r}: expected html, pdf or html,pdf")
        object.__setattr__(self, "formats", formats)
        if self.paper is not None and self.paper not in PAPERS:
            raise ParameterError(f"$paper {self.paper!r}: expected one of {', '.join(PAPERS)}")
        if self.executor is None:
            object.__setattr__(self, "executor", LocalExecutor(self.jobs))  # checks $jobs
        if self.out is not None:  # the project's own reports/ is ours by definition
            object.__setattr__(self, "out", check_output_folder(Path(self.out), is_catalogue,
                                                                allow_any=self.allow_any_out))
