"""The project's error types: each carries a one-line message that names the file or parameter at fault."""


class CareerOutlookError(Exception):
    """Base class: the CLI prints ``str(err)`` on one line and exits with ``exit_code``."""

    exit_code = 2


class DataError(CareerOutlookError):
    """A raw or processed data file is missing, malformed or fails validation."""

    def __init__(self, path, problem: str, where: str | None = None):
        self.path = str(path)
        self.problem = problem
        self.where = where
        loc = f" ({where})" if where else ""
        super().__init__(f"{self.path}{loc}: {problem}")


class ParameterError(CareerOutlookError):
    """A user-supplied parameter (SOC code, vintage, state, option) is not acceptable."""


class BuildError(CareerOutlookError):
    """A report or catalogue build failed; exit status 1."""

    exit_code = 1
