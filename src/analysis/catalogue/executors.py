"""Where report builds run, chosen by name: ``EXECUTORS`` maps a name to a factory checking its settings.

Every executor is an :class:`Executor`: one method, ``run(jobs, notebook=, reports=, formats=, root=, paper=)``,
yielding a :class:`~analysis.catalogue.jobs.Result` per job as each finishes, and ``runs_here``, whether its
workers are processes of this machine; :func:`analysis.catalogue.build.build` does the rest (skip, manifest,
index) the same way for all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from analysis.catalogue.jobs import Job, Result
from analysis.catalogue.local import LocalExecutor
from analysis.errors import ParameterError

if TYPE_CHECKING:  # for the annotation only: the module is imported when the Dask executor is chosen
    from analysis.catalogue.cluster import DaskExecutor


class Executor(Protocol):
    """Where a build's reports are made. ``runs_here``: its workers are processes of this machine, so the build
    checks this machine's browser before the first PDF and, when stopped, removes the temp files their ended
    workers left; a cluster's browsers are its own and its workers may still be writing."""

    runs_here: bool

    def run(self, jobs: list[Job], *, notebook: Path, reports: Path, formats, root: Path,
            paper: str) -> Iterator[Result]: ...


_ADDRESS = re.compile(r"^((tcp|tls|ws|wss|ucx)://)?[\w.\-\[\]:]+:\d+$")


def _local(scheduler: str | None, workers: int | None) -> LocalExecutor:
    if scheduler:
        raise ParameterError("$scheduler is for $executor dask")
    return LocalExecutor(workers)


def _check_scheduler_file(path: Path) -> None:
    """A scheduler file (``dask scheduler --scheduler-file``) is JSON holding the scheduler's ``address``:
    anything else is a one-line error now, not a 20-second wait and a traceback from Dask's client."""
    try:
        address = json.loads(path.read_text(encoding="utf-8")).get("address")
    except (OSError, ValueError, AttributeError) as err:  # unreadable, not JSON (or not UTF-8), not an object
        raise ParameterError(f"$scheduler {path}: not a Dask scheduler file ({type(err).__name__})") from None
    if not (isinstance(address, str) and _ADDRESS.match(address)):
        raise ParameterError(f"$scheduler {path}: not a Dask scheduler file (no scheduler address in it)")


def _dask(scheduler: str | None, workers: int | None) -> DaskExecutor:
    if not scheduler:
        raise ParameterError("$executor dask needs $scheduler tcp://HOST:8786 (or a scheduler file)")
    if workers is not None:
        raise ParameterError("$jobs is for the local executor; a Dask cluster's size is set by its workers")
    if Path(scheduler).is_file():
        _check_scheduler_file(Path(scheduler))
    elif not _ADDRESS.match(scheduler):
        raise ParameterError(f"$scheduler {scheduler!r}: expected an address like tcp://HOST:8786 "
                             "or a scheduler file")
    # Imported here, for start-up speed: `distributed` costs ~1 s and only the Dask executor needs it (and it is
    # an optional extra, so a missing Dask is one line here, not a traceback).
    try:
        from analysis.catalogue.cluster import DaskExecutor  # noqa: PLC0415
    except ModuleNotFoundError as err:
        if (err.name or "").partition(".")[0] not in ("dask", "distributed"):
            raise
        raise ParameterError("$executor dask needs Dask, an optional extra: pip install 'career-outlook[dask]'") \
            from err
    return DaskExecutor(scheduler)


EXECUTORS = {"local": _local, "dask": _dask}


def make_executor(name: str = "local", scheduler: str | None = None, workers: int | None = None) -> Executor:
    """An executor by name (``EXECUTORS``); ParameterError on a bad combination, before anything runs."""
    if name not in EXECUTORS:
        raise ParameterError(f"$executor {name!r}: expected one of {', '.join(EXECUTORS)}")
    return EXECUTORS[name](scheduler, workers)
