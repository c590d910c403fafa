"""The ``career-report`` command line: the one package that knows flags. :mod:`~analysis.cli.parser` declares
every sub-command and flag; each sub-command's handler (``cmd_*``, a few calls into the packages below) lives in
the module of its group: :mod:`~analysis.cli.query` (``list``, ``show``, ``areas``), :mod:`~analysis.cli.data`
(``data``, ``add-release``) and :mod:`~analysis.cli.reports` (``build``, ``notebooks``, ``fetch``, ``refresh``).

:func:`main` imports only the module of the command it runs (:func:`handler`, the one import by name): a look-up
must not pay seconds for papermill, nbformat and jsonschema, which only the report commands use. Those modules are
all in this package, the top layer, so the import contract (``lint-imports``) is not dodged: every import they make
is an ordinary one it checks.

Errors from bad input print one line (``career-report: error: …``) and exit with status 2; a failed build
or download exits with 1; another build or fetch running, 75. Library messages name settings as
``$name``; :data:`~analysis.cli.parser.FLAGS` shows them as the flag a user types.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable

from analysis.cli import logs
from analysis.cli.parser import FLAGS, build_parser
from analysis.errors import CareerOutlookError, Stopped
from analysis.lifetime import restore_signals, stop_on_signals, usable_standard_streams
from analysis.locks import run_temp_dir

__all__ = ["build_parser", "handler", "main"]

log = logging.getLogger(__name__)


def handler(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    """The ``cmd_*`` function of the parsed command, its module imported now (``handler`` set by the parser as
    ``"module.cmd_name"``, a module of this package)."""
    module, _, name = args.handler.rpartition(".")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def _never_unencodable() -> None:
    """Text our terminal's (or cron's) encoding cannot hold (an area title with a 'ü' under PYTHONIOENCODING=ascii
    or LANG=C) is written as an escape (``\\xfc``), as Python already does on stderr, instead of failing the command
    with a UnicodeEncodeError traceback half-way through its output."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    usable_standard_streams()
    _never_unencodable()
    args = build_parser().parse_args(argv)
    previous = stop_on_signals()
    with logs.to_terminal(debug=args.debug or logs.debug_from_environment()):
        try:
            with run_temp_dir():  # what kernels and browsers leave in the temp folder goes with this run
                code = handler(args)(args)
            sys.stdout.flush()  # here, where a closed pipe is caught, not in the interpreter's exit
            return code
        except BrokenPipeError:  # `career-report list | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail again
            return 128 + signal.SIGPIPE
        except CareerOutlookError as err:
            logs.explain(err)
            log.error("career-report: error: %s", err.render(FLAGS))
            return err.exit_code
        except OSError as err:  # the last net for the file system (a full disk, a vanished folder): one line, exit 1
            logs.explain(err)
            where = f"{err.filename}: " if err.filename else ""
            log.error("career-report: error: %s%s", where, err.strerror or err)
            return 1
        except KeyboardInterrupt as err:  # Ctrl-C, or Stopped by SIGTERM/SIGHUP
            logs.explain(err)
            signum = err.signum if isinstance(err, Stopped) else signal.SIGINT
            log.error("career-report: stopped by %s; finished reports and data are kept, nothing is half-written; "
                      "run the same command again to finish", signal.Signals(signum).name)
            return 128 + signum
        finally:
            restore_signals(previous)
