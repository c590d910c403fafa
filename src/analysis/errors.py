"""The project's error types and exit codes: each carries a one-line message naming the file or parameter.

Library code names a setting as ``$name`` (``"$scheduler is for the Dask executor"``), for the names in
:data:`SETTINGS`: ``str(err)`` shows the setting's own name, and the command line, the one place that knows
flags, shows its flag instead (:meth:`CareerOutlookError.render`). So no module below ``cli`` needs to know
how a flag is spelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Template

EX_USAGE = 2  # bad input: a file, a parameter, a download that is not a release
EX_FAILED = 1  # the network failed or a report failed to build
EX_TEMPFAIL = 75  # another build or fetch holds the lock: cron may simply try again later

# Settings library messages may name as $name (each is a keyword argument or configuration key).
SETTINGS = frozenset({"executor", "scheduler", "jobs", "wait", "out", "force", "user_agent", "contact",
                      "ep_urls", "oews_urls", "sources", "format", "paper", "timeout", "max_bytes",
                      "max_seconds", "max_unpacked_bytes", "allow_out", "interest", "area"})


class CareerOutlookError(Exception):
    """Base class: the CLI prints the message on one line and exits with ``exit_code``."""

    exit_code = EX_USAGE

    def render(self, names: Mapping[str, str] | None = None) -> str:
        """The message with each ``$setting`` written as ``names[setting]`` (default: the setting's name)."""
        text = str(self.args[0]) if self.args else ""
        return Template(text).safe_substitute(_Names(names or {}))

    def __str__(self) -> str:
        return self.render()


class _Names(dict):
    """``$setting`` -> its display name; any other ``$word`` (in a file name, a value) is left as it is."""

    def __missing__(self, key: str) -> str:
        return key if key in SETTINGS else "$" + key


class DataError(CareerOutlookError):
    """A raw or processed data file is missing, malformed or fails validation."""

    def __init__(self, path, problem: str, where: str | None = None):
        self.path = str(path)
        self.problem = problem
        self.where = where
        loc = f" ({where})" if where else ""
        super().__init__(f"{self.path}{loc}: {problem}")

    def render(self, names: Mapping[str, str] | None = None) -> str:
        return self.args[0]  # file names and data may hold '$': never substituted


class ParameterError(CareerOutlookError):
    """A user-supplied parameter (SOC code, vintage, state, option) is not acceptable."""


class BuildError(CareerOutlookError):
    """A report or catalogue build failed; exit status 1."""

    exit_code = EX_FAILED


class ReportTimeout(BuildError):
    """One step of a report (execution, HTML, PDF) ran past its deadline: that report fails, the build goes on."""


class OutputError(CareerOutlookError):
    """A file could not be written (a full disk, a read-only folder): exit status 1, the file named."""

    exit_code = EX_FAILED

    def __init__(self, path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(f"{self.path}: {problem}")

    def render(self, names: Mapping[str, str] | None = None) -> str:
        return self.args[0]


class Locked(CareerOutlookError):
    """Another build, fetch or data build of the same folder is running."""

    exit_code = EX_TEMPFAIL


class FetchError(CareerOutlookError):
    """The network or the server failed (refused, timed out, HTTP error, cut off): exit status 1."""

    exit_code = EX_FAILED


class ContentError(CareerOutlookError):
    """A download arrived but is not a BLS release we can read: exit status 2."""


class ClusterError(CareerOutlookError):
    """The Dask cluster cannot be used: unreachable scheduler, no workers, outputs not on a shared folder."""


class Stopped(KeyboardInterrupt):
    """A stop asked for by a signal other than Ctrl-C (SIGTERM from ``kill``, systemd or a CI timeout; SIGHUP
    from a closed terminal): raised like Ctrl-C's KeyboardInterrupt, so a build stops the same clean way
    (workers shut down, the manifest already written after each report, the lock released). The command
    line exits with 128 + the signal's number, as a shell reports a process killed by it."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signum)
