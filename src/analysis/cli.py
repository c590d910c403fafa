"""The ``career-report`` command line: one small ``cmd_*`` function per sub-command.

Feature modules that bring their own sub-commands expose ``register(subparsers)`` and are listed in
``PLUGINS``; ``main`` imports each and lets it add its parsers (no growing if-chain here).

Errors from bad input print one line (``career-report: error: …``) and exit with status 2; a failed
build exits with 1.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import json
import os
import sys
import tempfile
from pathlib import Path

from . import dataset, release, store
from .errors import CareerOutlookError, ParameterError
from .paths import project


def _ensure_data() -> None:
    if dataset.ensure():
        print("data/processed rebuilt from data/raw", file=sys.stderr)


def reports_folder(value: str | os.PathLike) -> Path:
    """``--out``: the reports folder as an absolute path, checked but not created (the build creates it).

    Raises a one-line ParameterError (exit status 2) unless it is a folder we can write to, or one we
    could create, so a build fails before any work instead of with a traceback half-way through, and a
    run stopped by another bad parameter leaves no empty folder behind. Reusable by any sub-command
    taking ``--out`` (``refresh`` in analysis.fetch).
    """
    given = os.fspath(value)
    name = f"--out {given}" if given else "--out ''"
    if not given.strip():
        raise ParameterError(f"{name}: expected a folder path")
    path = Path(value).resolve()
    if path.exists() and not path.is_dir():
        raise ParameterError(f"{name}: not a folder")
    nearest = next(a for a in (path, *path.parents) if a.exists())
    if not nearest.is_dir():
        raise ParameterError(f"{name}: cannot create the folder ({nearest} is not a folder)")
    try:  # permission bits do not stop root; a real file shows read-only file systems, /proc and the like
        with tempfile.TemporaryFile(dir=nearest, prefix=".career-report-probe-"):
            pass
    except OSError as err:  # /proc answers ENOENT: no reason worth printing for an existing folder
        if nearest != path:
            raise ParameterError(f"{name}: cannot create the folder ({err.strerror or type(err).__name__})") from None
        why = f" ({err.strerror})" if err.strerror and err.errno != errno.ENOENT else ""
        raise ParameterError(f"{name}: folder is not writable{why}") from None
    return path


def cmd_data(args) -> int:
    man = dataset.run()
    for name, info in sorted(man["tables"].items()):
        print(f"{name:20s} {info['rows']:>8,d} rows")
    print(f"wrote {project().processed}")
    return 0


def cmd_list(args) -> int:
    _ensure_data()
    v = store.resolve_vintage(args.vintage)
    hits = store.search(args.query, v)
    for r in hits.itertuples():
        how = f"  [{r.matched_on}]" if r.matched_on not in ("", "title", "code") else ""
        print(f"{r.soc_code}  {r.title}{how}")
    print(f"{len(hits)} occupation(s) in {v}", file=sys.stderr)
    return 0 if len(hits) else 1


def cmd_show(args) -> int:
    _ensure_data()
    facts = store.quick_facts(args.soc, args.vintage)
    if args.json:
        print(json.dumps(facts, ensure_ascii=False))
        return 0
    pay = f"${facts['median_wage_usd']:,}" if facts["median_wage_usd"] is not None else "not published"
    if facts["median_wage_top_coded"]:
        pay = f"at least {pay}"
    label = facts["outlook_label"] or "wording not on hand for this vintage"
    rows = [
        (f"Median annual pay, {facts['wage_year']}:", pay),
        ("Typical entry education:", facts["education"]),
        ("Work experience:", facts["experience"]),
        ("On-the-job training:", facts["training"]),
        (f"Jobs, {facts['base_year']}:", f"{facts['employment_base']:,}"),
        (f"Job outlook, {facts['vintage']}:", f"{facts['change_percent']:+.1f}% ({label}; "
         f"all occupations {facts['all_occupations_change_percent']:+.1f}%)"),
        ("Employment change:", f"{facts['employment_change']:+,}"),
        ("Openings a year:", f"{facts['openings_per_year']:,}"),
    ]
    if facts.get("job_zone"):
        rows.append(("O*NET job zone:", facts["job_zone"]))
    lines = [f"{facts['soc_code']}  {facts['title']}  (Employment Projections {facts['vintage']})"]
    lines += [f"  {name:<30} {value}" for name, value in rows]
    print("\n".join(lines))
    return 0


def cmd_add_release(args) -> int:
    dest = release.add_release(args.path, url=args.url)
    print(f"stored {dest.relative_to(project().root)} and rebuilt data/processed")
    return 0


def cmd_build(args) -> int:
    from . import catalogue

    if args.notebook:  # any notebook in notebooks/, parameters from -p (analysis.notebooks)
        from . import notebooks

        if args.out is not None:
            args.out = reports_folder(args.out)
        return notebooks.cmd_build(args)
    if not args.all and not args.soc:
        raise ParameterError("name one or more SOC codes, or --all")
    if args.all and args.soc:
        raise ParameterError("give SOC codes or --all, not both")
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    bad = sorted(set(formats) - {"html", "pdf"})
    if bad or not formats:
        raise ParameterError(f"--format {args.format!r}: expected html, pdf or html,pdf")
    if args.jobs is not None and args.jobs < 1:
        raise ParameterError(f"--jobs {args.jobs}: expected a whole number of at least 1")
    if args.state and args.states:
        raise ParameterError("give --state (that state's reports only) or --states (national and states), not both")
    out = reports_folder(args.out) if args.out is not None else None  # before any data, executor or build
    from .executors import make_executor

    executor = make_executor(args.executor, args.scheduler, args.jobs)
    _ensure_data()
    states = _states(args.states) if args.states else [args.state]
    jobs = catalogue.plan(None if args.all else args.soc, args.vintage, states, project())
    summary = catalogue.build(jobs, workers=args.jobs, force=args.force, formats=formats, out=out,
                              wait=args.wait, progress=catalogue.progress_printer(), executor=executor)
    reports = out or project().reports
    print(f"{summary.built} built, {summary.skipped} up to date, {len(summary.failed)} failed "
          f"in {summary.seconds:.1f} s; index: {reports / 'index.html'}", file=sys.stderr)
    for rel, err in summary.failed:
        print(f"FAILED {rel}: {err}", file=sys.stderr)
    if len(jobs) <= 5:
        for j in jobs:
            print(reports / j.rel_dir / ("report.pdf" if "pdf" in formats else "report.html"))
    catalogue.raise_for(summary)
    return 0


def _states(spec: str) -> list[str | None]:
    """--states: 'all' (every state-type area with OEWS data) or a comma list; national reports stay too."""
    if spec.strip().lower() == "all":
        w = store.table("wages")
        codes = sorted(set(w.loc[w["area_type"] == 2, "state_code"]))
    else:
        codes = list(dict.fromkeys(c.strip().upper() for c in spec.split(",") if c.strip()))
    if not codes:
        raise ParameterError(f"--states {spec!r}: expected all or postal codes like CA,TX")
    return [None, *codes]  # each code is checked by catalogue.plan


VINTAGE_HELP = "Employment Projections release, e.g. 2024-34 (default: the latest on hand)"


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="career-report",
                                 description="Career reports from BLS occupation data.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("data", help="rebuild data/processed from data/raw")
    s.set_defaults(func=cmd_data)

    s = sub.add_parser("list", help="find occupations by title words, example titles or code prefix")
    s.add_argument("query", nargs="?", default=None,
                   help="title words, an example job title or a SOC code prefix, e.g. 29-20 (default: all)")
    s.add_argument("--vintage", default="latest", help=VINTAGE_HELP)
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="an occupation's quick facts")
    s.add_argument("soc", help="SOC code of a detailed occupation, e.g. 29-2072")
    s.add_argument("--vintage", default="latest", help=VINTAGE_HELP)
    s.add_argument("--json", action="store_true", help="one JSON object")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("add-release", help="add a BLS file (format and vintage detected) and rebuild")
    s.add_argument("path", help="the file as BLS publishes it: EP workbook or CSV, OEWS CSV, CSV.gz or xlsx")
    s.add_argument("--url", default=None, help="the file's original URL, for its sidecar")
    s.set_defaults(func=cmd_add_release)

    s = sub.add_parser("build", help="build career reports (HTML, PDF, executed notebook) and the index")
    s.add_argument("soc", nargs="*", help="SOC codes of detailed occupations, e.g. 29-2072")
    s.add_argument("--all", action="store_true", help="every detailed occupation of the vintage")
    s.add_argument("--vintage", default="latest", help=VINTAGE_HELP)
    s.add_argument("--state", default=None, help="a state's postal code: focus the state section on it")
    s.add_argument("--states", default=None, metavar="all|CA,TX,…",
                   help="also build each occupation's report for these states (all: every state, DC, PR, GU, VI)")
    s.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf (default)")
    s.add_argument("--out", default=None, help="reports folder, created if need be (default: reports/)")
    s.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
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
    s.set_defaults(func=cmd_build)
    for name in PLUGINS:
        importlib.import_module(f"{__package__}.{name}").register(sub)
    return ap


# Modules (under analysis/) with a register(subparsers) function adding their own sub-commands.
PLUGINS: list[str] = ["fetch", "notebooks"]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CareerOutlookError as err:
        print(f"career-report: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("career-report: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
