"""Where a command's log lines go. The packages log with ``logging.getLogger(__name__)`` and configure nothing;
:func:`to_terminal` gives the ``analysis`` logger one handler for the length of a command: each record is its
message alone, one line on stderr. The fetch's lines (what happened to each file: ``added``, ``unchanged`` …)
are its report and go to stdout, as cron mails them. With debug on (``--debug`` or ``$CAREER_OUTLOOK_DEBUG``),
:func:`explain` logs the traceback and every cause behind a one-line error, those hidden by ``raise … from None``
too."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Iterator

DEBUG_ENV = "CAREER_OUTLOOK_DEBUG"
ROOT = "analysis"
REPORTS = ("analysis.refresh.fetch",)  # loggers whose lines are the command's report: stdout

log = logging.getLogger(__name__)


class StandardStream(logging.StreamHandler):
    """A handler on ``sys.stderr`` or ``sys.stdout`` as they are when a record comes (not when it was made: a test's
    capture, or the /dev/null put in place of a closed stream, replaces them), failing as ``print`` would (a closed
    pipe reaches the command's own handler instead of logging's "--- Logging error ---")."""

    def __init__(self, name: str):
        self.name_of_stream = name
        super().__init__()
        self.setFormatter(logging.Formatter("%(message)s"))

    @property
    def stream(self):
        return getattr(sys, self.name_of_stream)

    @stream.setter
    def stream(self, value) -> None:
        pass  # always the current sys.<name>; StreamHandler.__init__ sets it

    def handleError(self, record: logging.LogRecord) -> None:
        raise  # emit calls this inside its except clause: the write's own error, as print raises it


def debug_from_environment() -> bool:
    """``$CAREER_OUTLOOK_DEBUG`` set to anything but empty, 0, false or no."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


@contextlib.contextmanager
def to_terminal(debug: bool = False) -> Iterator[None]:
    """For the ``with`` block: the ``analysis`` loggers write each message as one line on stderr (the fetch's
    on stdout), DEBUG records too when ``debug``; as they were afterwards."""
    targets = [(logging.getLogger(ROOT), StandardStream("stderr"))]
    targets += [(logging.getLogger(name), StandardStream("stdout")) for name in REPORTS]
    before = [(logger, logger.level, logger.propagate) for logger, _ in targets]
    for logger, handler in targets:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if debug else logging.INFO)
        logger.propagate = False  # each line once: not again by a handler above (root's, or the fetch's on stderr)
    try:
        yield
    finally:
        for (logger, handler), (_, level, propagate) in zip(targets, before, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate


def causes(err: BaseException) -> str:
    """``err``'s traceback after every exception behind it, innermost first, as Python prints a chain, but
    including the context that ``raise … from None`` hides."""
    chain: list[BaseException] = []
    e: BaseException | None = err
    while e is not None and not any(e is seen for seen in chain):
        chain.append(e)
        e = e.__cause__ or e.__context__
    parts = []
    for inner, outer in zip(reversed(chain), [*reversed(chain[:-1]), None], strict=True):
        parts.append("".join(traceback.format_exception(type(inner), inner, inner.__traceback__, chain=False)))
        if outer is not None:
            parts.append("\nThe above exception was the direct cause of the following exception:\n\n"
                         if outer.__cause__ is inner else
                         "\nDuring handling of the above exception, another exception occurred:\n\n")
    return "".join(parts).rstrip("\n")


def explain(err: BaseException) -> None:
    """With debug on, log what led to ``err`` (its traceback and causes) before its one-line message."""
    if log.isEnabledFor(logging.DEBUG):
        log.debug("career-report: debug: what led to the error below\n%s", causes(err))
