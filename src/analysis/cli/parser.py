"""The ``career-report`` parser: every sub-command and flag, declared once, and the flag each setting named in a
library message (``$name``) stands for. Imports argparse only, so ``--help`` and the look-ups start fast."""

from __future__ import annotations

import argparse

# Settings named in library messages ($name) -> the flag that sets them here.
FLAGS = {"executor": "--executor", "scheduler": "--scheduler", "jobs": "--jobs", "wait": "--wait", "out": "--out",
         "force": "--force", "user_agent": "--user-agent", "ep_urls": "--ep-url", "oews_urls": "--oews-url",
         "sources": "--sources", "format": "--format", "timeout": "--timeout", "allow_out": "--allow-out",
         "paper": "--paper", "interest": "--interest", "area": "--area"}
FORMATS = ("html", "pdf")
VINTAGE_HELP = "Employment Projections release, e.g. 2024-34 (default: the latest on hand)"
PAPER_HELP = ("the PDFs' paper (default: paper in [tool.career-outlook] of pyproject.toml, or "
              "$CAREER_OUTLOOK_PAPER, or letter)")
ALLOW_OUT_HELP = ("write into --out even if it is /, the home folder or a folder holding files that are not "
                  "career-outlook's (refused otherwise)")


def _add_fetch_options(s) -> None:
    s.add_argument("--ep-url", action="append", metavar="URL",
                   help="Employment Projections occupation.xlsx URL (repeatable; default: BLS's)")
    s.add_argument("--oews-url", action="append", metavar="URL",
                   help="OEWS download URL: .zip, .xlsx, .csv or .csv.gz (repeatable; default: BLS's national "
                        "and state zips of the configured year)")
    s.add_argument("--sources", default=None, metavar="LIST", help="ep, oews or ep,oews (default)")
    s.add_argument("--user-agent", default=None, help="User-Agent sent to BLS (default names the tool and "
                   "$CAREER_OUTLOOK_CONTACT)")
    s.add_argument("--timeout", type=float, default=None, help="seconds without a byte before giving up, not retried "
                   "(default 60)")
    s.add_argument("--retries", type=int, default=None, help="retries after 5xx, 429, refused or cut-off connections; "
                   "not after a timeout (default 3)")
    s.add_argument("--backoff", type=float, default=None, help="first retry delay in seconds, doubling (default 5)")
    s.add_argument("--pause", type=float, default=None, help="seconds between requests (default 5)")
    s.add_argument("--wait", action="store_true", help="wait for a running fetch (or, for refresh, build) "
                   "instead of exiting with code 75")


def _add_output_options(s) -> None:
    """What ``build`` and ``refresh`` both take to make reports (:class:`~analysis.catalogue.options.BuildOptions`):
    formats, paper, the reports folder and the workers."""
    s.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf (default)")
    s.add_argument("--paper", default=None, metavar="letter|a4", help=PAPER_HELP)
    s.add_argument("--out", default=None, help="reports folder, created if need be (default: reports/)")
    s.add_argument("--allow-out", action="store_true", help=ALLOW_OUT_HELP)
    s.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")


def build_parser() -> argparse.ArgumentParser:
    # The usage line stays as it was (an error's first line, which scripts and the docs show); --help lists --debug.
    ap = argparse.ArgumentParser(prog="career-report", description="Career reports from BLS occupation data.",
                                 usage="%(prog)s [-h] COMMAND ...")
    ap.add_argument("--debug", action="store_true",
                    help="after a one-line error, also show what led to it: the traceback and the exceptions behind "
                         "it (or set $CAREER_OUTLOOK_DEBUG=1); give it before COMMAND")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("data", help="rebuild data/processed from data/raw")
    s.set_defaults(handler="data.cmd_data")

    s = sub.add_parser("list", help="find occupations by title words, example titles or code prefix")
    s.add_argument("query", nargs="?", default=None,
                   help="title words, an example job title or a SOC code prefix, e.g. 29-20 (default: all)")
    s.add_argument("--vintage", default="latest", help=VINTAGE_HELP)
    s.add_argument("--interest", metavar="CODE", help="an O*NET interest code of 1-3 RIASEC letters, e.g. CI: the "
                   "occupations it fits, best first (with QUERY: only those matching it too)")
    s.set_defaults(handler="query.cmd_list")

    s = sub.add_parser("show", help="an occupation's quick facts")
    s.add_argument("soc", help="SOC code of a detailed occupation, e.g. 29-2072")
    s.add_argument("--vintage", default="latest", help=VINTAGE_HELP)
    s.add_argument("--json", action="store_true", help="one JSON object")
    s.add_argument("--area", default=None, metavar="CODE|NAME",
                   help="also the occupation's OEWS figures in this area (a code such as 26420 or a unique part of "
                        "its name; see `career-report areas`) beside its state's and the nation's")
    s.set_defaults(handler="query.cmd_show")

    s = sub.add_parser("areas", help="find OEWS areas (the nation, states, metropolitan and nonmetropolitan areas)")
    s.add_argument("query", nargs="?", default=None,
                   help="an area code, or a part of its name or words that start words of it, e.g. houston or "
                        "'springfield il' (default: all)")
    s.set_defaults(handler="query.cmd_areas")

    s = sub.add_parser("add-release", help="add a BLS file (format and vintage detected) and rebuild")
    s.add_argument("path", help="the file as BLS publishes it: EP workbook or CSV, OEWS CSV, CSV.gz or xlsx")
    s.add_argument("--url", default=None, help="the file's original URL, for its sidecar")
    s.set_defaults(handler="data.cmd_add_release")

    s = sub.add_parser("build", help="build career reports (HTML, PDF, executed notebook) and the index")
    s.add_argument("soc", nargs="*", help="SOC codes of detailed occupations, e.g. 29-2072")
    s.add_argument("--all", action="store_true", help="every detailed occupation of the vintage")
    s.add_argument("--vintage", default="latest", help=VINTAGE_HELP)
    s.add_argument("--state", default=None, help="a state's postal code: focus the state section on it")
    s.add_argument("--states", default=None, metavar="all|CA,TX,…",
                   help="also build each occupation's report for these states (all: every state, DC, PR, GU, VI)")
    s.add_argument("--area", default=None, metavar="CODE|NAME",
                   help="a metropolitan or nonmetropolitan area (code like 26420, or a unique part of its name "
                        "like Houston): build the reports for that area (and its state); list them with `areas`")
    s.add_argument("--areas", default=None, metavar="CODE,CODE,…",
                   help="also build each occupation's report for these areas (reports/areas/CODE/…)")
    _add_output_options(s)
    s.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    s.add_argument("--wait", action="store_true", help="wait for a running build instead of exiting")
    s.add_argument("--executor", default="local", metavar="local|dask",
                   help="where reports are built: local processes (default) or a Dask cluster")
    s.add_argument("--scheduler", default=None, metavar="tcp://HOST:8786",
                   help="the Dask scheduler's address (or its scheduler file), for --executor dask")
    s.add_argument("--notebook", default=None, metavar="NAME",
                   help="build a notebook of notebooks/ instead (see `career-report notebooks`)")
    s.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a parameter of --notebook (repeatable; lists as JSON or a,b,c)")
    s.set_defaults(handler="reports.cmd_build")

    s = sub.add_parser("notebooks", help="list the notebooks in notebooks/ with their parameters")
    s.add_argument("name", nargs="?", default=None, help="one notebook (default: all)")
    s.set_defaults(handler="reports.cmd_notebooks")

    s = sub.add_parser("fetch", help="download the current BLS files and add any new release (then rebuild data)")
    _add_fetch_options(s)
    s.set_defaults(handler="reports.cmd_fetch")

    s = sub.add_parser("refresh", help="fetch + data rebuild + incremental catalogue build + what-changed page "
                       "(what `make regenerate` runs)")
    _add_fetch_options(s)
    s.add_argument("--only", nargs="+", metavar="SOC", default=None,
                   help="build only these SOC codes' reports (testing and partial runs; default: all)")
    _add_output_options(s)
    s.set_defaults(handler="reports.cmd_refresh")
    return ap
