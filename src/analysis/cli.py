"""The ``career-report`` command line: the one module that knows flags. One small ``cmd_*`` function per
sub-command, each a few calls into the packages below; :func:`build_parser` declares every flag.

Errors from bad input print one line (``career-report: error: …``) and exit with status 2; a failed build
or download exits with 1; another build or fetch running, 75. Library messages name settings as
``$name``; :data:`FLAGS` shows them as the flag a user types.

Long because it is the one module that knows flags: every sub-command's parser, its small handler and the
terminal wording of ``list``, ``show`` and ``areas`` live here, and nowhere else.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import sys
from pathlib import Path

from analysis import notebooks, settings
from analysis.catalogue import build as catalogue
from analysis.catalogue.build import is_catalogue
from analysis.catalogue.executors import make_executor
from analysis.catalogue.jobs import plan
from analysis.catalogue.local import check_workers
from analysis.catalogue.progress import progress_printer
from analysis.errors import CareerOutlookError, ParameterError, Stopped
from analysis.files import check_output_folder, check_writable_folder
from analysis.ingest import releases
from analysis.lifetime import restore_signals, stop_on_signals, usable_standard_streams
from analysis.locks import run_temp_dir
from analysis.paths import project
from analysis.refresh import pipeline
from analysis.refresh.config import SOURCES, Config, load_config
from analysis.refresh.fetch import Result, fetch
from analysis.tables import dataset, places, profile, store
from analysis.values import fixed, money, people, percent, signed

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


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _ensure_data() -> None:
    if reason := dataset.rebuild_if_stale():
        _stderr(reason)


# --- values of flags -------------------------------------------------------------------------------------

def reports_folder(value: str | os.PathLike, allow_any: bool = False) -> Path:
    """``--out``: the reports folder as an absolute path, checked but not created (the build creates it), before
    any work: writable or creatable, not the root, the home folder or others' folder unless ``allow_any``."""
    return check_output_folder(check_writable_folder(value), is_catalogue, allow_any=allow_any)


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip() for f in value.split(",") if f.strip())
    if not formats or set(formats) - set(FORMATS):
        raise ParameterError(f"--format {value!r}: expected html, pdf or html,pdf")
    return formats


def _jobs(value: int | None) -> int | None:
    return check_workers(value)


def parse_states(spec: str) -> list[str | None]:
    """--states: 'all' (every state-type area with OEWS data) or a comma list; national reports stay too."""
    if spec.strip().lower() == "all":
        w = store.table("wages")
        codes = sorted(set(w.loc[w["area_type"] == 2, "state_code"]))
    else:
        codes = list(dict.fromkeys(c.strip().upper() for c in spec.split(",") if c.strip()))
    if not codes:
        raise ParameterError(f"--states {spec!r}: expected all or postal codes like CA,TX")
    return [None, *codes]  # each code is checked by plan()


def _params(pairs: list[str] | None) -> dict[str, str]:
    """``-p key=value`` pairs -> a dict of raw strings (typed and checked by notebooks.validate)."""
    out: dict[str, str] = {}
    for item in pairs or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"-p {item!r}: expected key=value")
        if key in out:
            raise ParameterError(f"-p {key}: given twice")
        out[key] = value
    return out


def _fetch_config(args) -> Config:
    return load_config(project(), {
        "ep_urls": args.ep_url, "oews_urls": args.oews_url, "user_agent": args.user_agent,
        "timeout": args.timeout, "retries": args.retries, "backoff": args.backoff, "pause": args.pause,
    })


def _sources(args) -> tuple[str, ...]:
    which = tuple(s.strip() for s in (args.sources or ",".join(SOURCES)).split(",") if s.strip())
    if not which or set(which) - set(SOURCES):
        raise ParameterError(f"--sources {args.sources!r}: expected ep, oews or ep,oews")
    return which


# --- sub-commands --------------------------------------------------------------------------------------

def cmd_data(args) -> int:
    man = dataset.run()
    for name, info in sorted(man["tables"].items()):
        print(f"{name:20s} {info['rows']:>8,d} rows")
    print(f"wrote {project().processed}")
    for line in dataset.held_lines(man):
        _stderr(line)
    return 0


def cmd_list(args) -> int:
    _ensure_data()
    v = store.resolve_vintage(args.vintage)
    if args.interest is not None:
        return _list_by_interest(args.interest, args.query, v)
    hits = store.search(args.query, v)
    for r in hits.itertuples():
        how = f"  [{r.matched_on}]" if r.matched_on not in ("", "title", "code") else ""
        print(f"{r.soc_code}  {r.title}{how}")
    _stderr(f"{len(hits)} occupation(s) in {v}")
    return 0 if len(hits) else 1


def _list_by_interest(code: str, query: str | None, vintage: str) -> int:
    """``list --interest CI [QUERY]``: the occupations whose O*NET interest code fits, best fit first."""
    hits = profile.matches(code, vintage)
    if query:
        hits = hits[hits["soc_code"].isin(store.search(query, vintage)["soc_code"])]
    for r in hits.itertuples():
        print(f"{r.soc_code}  {r.title}  [{r.interest_code}, fit {r.tier}, score {r.fit_score:.2f}]")
    _stderr(f"{len(hits)} occupation(s) in {vintage} fit interest code {profile.check_interest(code)} (fit 1: "
            "its code starts with yours; 2: has your letters; 3: shares your first letter)")
    return 0 if len(hits) else 1


def cmd_areas(args) -> int:
    """``areas [QUERY]``: the OEWS areas (code, type, primary state, title), as ``list`` lists occupations."""
    _ensure_data()
    year = places.wage_year()
    hits = places.areas(args.query, year=year)
    width = max(hits["area_type_name"].str.len(), default=0)
    for r in hits.itertuples():
        print(f"{r.area_code:<7}  {r.area_type_name:<{width}}  {r.state_code}  {r.area_title}")
    _stderr(f"{len(hits)} area(s) with OEWS estimates for May {year}")
    return 0 if len(hits) else 1


def cmd_show(args) -> int:
    _ensure_data()
    facts = store.quick_facts(args.soc, args.vintage) | profile.json_facts(args.soc, args.vintage)
    if args.area is not None:
        facts |= profile.area_json_facts(facts["soc_code"], args.area)
    if args.json:
        print(json.dumps(facts, ensure_ascii=False))
        return 0
    pay = money(facts["median_wage_usd"], facts["median_wage_top_coded"])
    label = facts["outlook_label"] or "wording not on hand for this vintage"
    rows = [
        (f"Median annual pay, {facts['wage_year']}:", pay),
        ("Typical entry education:", facts["education"]),
        ("Work experience:", facts["experience"]),
        ("On-the-job training:", facts["training"]),
        (f"Jobs, {facts['base_year']}:", people(facts["employment_base"])),
        (f"Job outlook, {facts['vintage']}:", f"{percent(facts['change_percent'])} ({label}; "
         f"all occupations {percent(facts['all_occupations_change_percent'])})"),
        ("Employment change:", signed(facts["employment_change"])),
        ("Openings a year:", people(facts["openings_per_year"])),
    ]
    if facts.get("job_zone"):
        rows.append(("O*NET job zone:", facts["job_zone"]))
    if facts.get("interest_code"):
        rows.append(("O*NET interest code:", facts["interest_code"]))
    if facts.get("related"):
        rows.append(("Related (O*NET):", ", ".join(facts["related"][:6])))
    if "area" in facts:
        rows += area_rows(facts["area"], facts["area_wages"])
    lines = [f"{facts['soc_code']}  {facts['title']}  (Employment Projections {facts['vintage']})"]
    lines += [f"  {name:<30} {value}" for name, value in rows]
    print("\n".join(lines))
    return 0


def area_rows(area: dict, figures: dict) -> list[tuple[str, str]]:
    """``show --area``'s lines: the area, its jobs and concentration, its median pay beside its state's and the
    nation's, and its pay range (annual pay; hourly for an occupation BLS publishes only hourly)."""
    here = figures["area"]
    # Annual pay, or hourly where BLS publishes no annual median for the area itself (work not year-round):
    # then every place is shown hourly, so the three medians compare like with like.
    # The first place that publishes a median decides (an area that publishes none must not make the nation's
    # hourly-only median read "not published").
    mine = next((f for f in (here, figures.get("state"), figures.get("nation"))
                 if f is not None and (f["annual_median_usd"] is not None or f["hourly_median_usd"] is not None)),
                None)
    hourly = mine is not None and mine["annual_median_usd"] is None and mine["hourly_median_usd"] is not None
    basis = "hourly" if hourly else "annual"

    def pay(f: dict, stat: str) -> str:
        other = "annual" if hourly else "hourly"
        if f[f"{basis}_{stat}_usd"] is None and f[f"{other}_{stat}_usd"] is not None:
            # e.g. the nation published only hourly: say that figure, never "not published"
            unit = "a year" if other == "annual" else "an hour"
            return (f"{money(f[f'{other}_{stat}_usd'], f[f'{other}_{stat}_usd_top_coded'], cents=not hourly)} "
                    f"{unit} (no {basis} figure published)")
        return money(f[f"{basis}_{stat}_usd"], f[f"{basis}_{stat}_usd_top_coded"], cents=hourly)

    others = [f"{f['area_title']} {pay(f, 'median')}" for role in ("state", "nation")
              if (f := figures[role]) is not None and (here is None or f["area_code"] != here["area_code"])]
    beside = f" ({'; '.join(others)})" if others else ""
    rows = [(f"Area (OEWS May {area['wage_year']}):",
             f"{area['area_title']} ({area['area_code']}, {area['area_type_name']})")]
    if here is None:
        return rows + [("In the area:", "no OEWS estimate of this occupation" + beside)]
    jobs = people(here["employment_people"]) if here["employment_people"] is not None else "not published"
    concentration = [shape.format(fixed(here[key], digits)) for shape, key, digits in
                     (("location quotient {}", "location_quotient", 2), ("{} per 1,000 jobs", "jobs_per_1000", 3))
                     if here[key] is not None]
    return rows + [
        ("Jobs in the area:", jobs + (f" ({'; '.join(concentration)})" if concentration else "")),
        (f"Median {basis} pay in the area:", pay(here, "median") + beside),
        ("Pay range in the area:", f"{pay(here, 'p10')} to {pay(here, 'p90')} (10th to 90th percentile)"
         if here[f"{basis}_p10_usd"] is not None or here[f"{basis}_p90_usd"] is not None else "not published"),
    ]


def cmd_add_release(args) -> int:
    built: list[dict] = []
    dest = releases.add_release(args.path, url=args.url, rebuild=lambda p: built.append(dataset.run(p)))
    print(f"stored {dest.relative_to(project().root)} and rebuilt data/processed")
    for line in dataset.held_lines(built[0]) if built else ():
        _stderr(line)
    return 0


def cmd_build(args) -> int:
    if args.notebook:
        return _build_notebook(args)
    if not args.all and not args.soc:
        raise ParameterError("name one or more SOC codes, or --all")
    if args.all and args.soc:
        raise ParameterError("give SOC codes or --all, not both")
    formats = _formats(args.format)
    _jobs(args.jobs)
    if args.state and args.states:
        raise ParameterError("give --state (that state's reports only) or --states (national and states), not both")
    if args.area and args.areas:
        raise ParameterError("give --area (that area's reports only) or --areas (national and areas), not both")
    if args.areas and args.state:
        raise ParameterError("--areas: each area's report is for the area's own state; drop --state")
    if args.area is not None and not args.area.strip():
        raise ParameterError("--area is empty: give an area code (e.g. 26420) or a part of its name "
                             "(list them with `career-report areas`)")
    if args.area and args.states:
        raise ParameterError("give --area (that area's reports only) or --states (national and states), not both")
    options = _build_options(args, formats)  # every option checked once, before any work
    _ensure_data()
    states = parse_states(args.states) if args.states else [args.state]
    if args.area:  # that area's reports only (in --state when given: one the area lies in)
        jobs = plan(None if args.all else args.soc, args.vintage, [], project(), areas=[args.area],
                    state_of_areas=args.state)
    else:
        jobs = plan(None if args.all else args.soc, args.vintage, states, project(), areas=_areas(args.areas))
    summary = catalogue.build(jobs, options, progress=progress_printer(), log=_stderr)
    reports = options.out or project().reports
    _print_summary(summary, reports)
    failed = {rel for rel, _ in summary.failed}
    if len(jobs) <= 5:  # the files built (or up to date), for a script to open; a failed one is not there
        for j in jobs:
            if j.rel_dir not in failed:
                files = j.outputs(formats)
                print(reports / j.rel_dir / (files["pdf"] if "pdf" in formats else files["html"]))
    catalogue.raise_for(summary)
    return 0


def _build_options(args, formats: tuple[str, ...], p=None) -> catalogue.BuildOptions:
    """``build``'s and ``refresh``'s options, each checked once: --out (writable, and ours unless --allow-out),
    --paper (else the project's setting), --executor and --jobs."""
    out = check_writable_folder(args.out) if args.out is not None else None
    return catalogue.BuildOptions(
        formats=formats, out=out, allow_any_out=args.allow_out, paper=settings.paper(args.paper, p),
        executor=make_executor(getattr(args, "executor", "local"), getattr(args, "scheduler", None), args.jobs),
        force=getattr(args, "force", False), wait=args.wait, jobs=args.jobs)


def _areas(spec: str | None) -> list[str]:
    """--areas: a comma list of area codes (or unique parts of their names); checked by ``plan``."""
    if spec is None:
        return []
    codes = [c.strip() for c in spec.split(",") if c.strip()]
    if not codes:
        raise ParameterError(f"--areas {spec!r}: expected area codes like 26420,12060 (list them with "
                             "`career-report areas`)")
    return codes


def _build_notebook(args) -> int:
    """``career-report build --notebook NAME -p key=value …``: any notebook of notebooks/."""
    out = reports_folder(args.out, args.allow_out) if args.out is not None else None
    if args.soc or args.all:
        raise ParameterError("--notebook: give its parameters with -p key=value, not SOC codes or --all")
    if args.state is not None or args.states or args.area or args.areas or args.vintage != "latest":
        raise ParameterError("--notebook: give state, area and vintage as -p state=… -p area=… -p vintage=…")
    formats = _formats(args.format)
    paper = settings.paper(args.paper)
    raw = _params(args.param)
    nb = notebooks.find(args.notebook)
    _ensure_data()
    notebooks.validate(nb, raw)  # before any kernel; build() checks again (cheap) and renders
    folder = notebooks.build(nb.name, raw, formats=formats, out=out, paper=paper)
    print(folder / ("report.pdf" if "pdf" in formats else "report.html"))
    for extra in sorted(folder.glob("*.csv")):
        print(extra)
    return 0


def _print_summary(summary: catalogue.Summary, reports: Path) -> None:
    _stderr(f"{summary.built} built, {summary.skipped} up to date, {len(summary.failed)} failed "
            f"in {summary.seconds:.1f} s; index: {reports / 'index.html'}")
    for rel, err in summary.failed:
        _stderr(f"FAILED {rel}: {err}")


def describe(nb: notebooks.NotebookSpec) -> str:
    """A notebook's name, title, path and parameters, and an example command line."""
    lines = [f"{nb.name}  {nb.title}", f"  {nb.path}"]
    width = max((len(f"{q.name}: {q.type or 'untyped'} = {q.default}") for q in nb.params.values()), default=0)
    for q in nb.params.values():
        head = f"{q.name}: {q.type or 'untyped'} = {q.default}"
        lines.append(f"    {head:<{width}}  {q.help}")
    if not nb.params:
        lines.append("    (no parameters cell)")
    for ex in nb.examples[:1]:
        args = " ".join(f"-p {k}={_shell_word(v)}" for k, v in ex.items())
        lines.append(f"  e.g. career-report build --notebook {nb.name} {args}")
    return "\n".join(lines)


def _shell_word(v) -> str:
    """A value as one shell word for an example command line (lists as a comma list where they can be)."""
    if isinstance(v, list):
        s = ",".join(map(str, v)) if all("," not in str(x) for x in v) else json.dumps(v)
    else:
        s = str(v)
    if re.fullmatch(r"[\w.,+:/-]+", s):
        return s
    return f'"{s}"' if not re.search(r'["$`\\!]', s) else shlex.quote(s)


def cmd_notebooks(args) -> int:
    specs = {args.name: notebooks.find(args.name)} if args.name else notebooks.discover()
    print("\n\n".join(describe(s) for s in specs.values()))
    _stderr(f"{len(specs)} notebook(s); run one with: career-report build --notebook NAME -p key=value …")
    return 0


def _report_errors(result: Result) -> int:
    for err in result.errors:
        _stderr(f"career-report: error: {err.render(FLAGS)}")
    return result.exit_code


def cmd_fetch(args) -> int:
    result = fetch(project(), _fetch_config(args), _sources(args), wait=args.wait)
    if not result.errors and not result.added:
        _stderr("nothing new: every release is already on hand")
    return _report_errors(result)


def cmd_refresh(args) -> int:
    formats = _formats(args.format)
    _jobs(args.jobs)
    p = project()
    options = _build_options(args, formats, p)  # before any download
    reports = options.out or p.reports
    done = pipeline.refresh(p, _fetch_config(args), _sources(args), options, only=args.only)
    if done.summary is None:
        return _report_errors(done.fetched)
    _print_summary(done.summary, reports)
    code = _report_errors(done.fetched)
    catalogue.raise_for(done.summary)
    return code


# --- the parser ------------------------------------------------------------------------------------------

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


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="career-report", description="Career reports from BLS occupation data.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("data", help="rebuild data/processed from data/raw")
    s.set_defaults(func=cmd_data)

    s = sub.add_parser("list", help="find occupations by title words, example titles or code prefix")
    s.add_argument("query", nargs="?", default=None,
                   help="title words, an example job title or a SOC code prefix, e.g. 29-20 (default: all)")
    s.add_argument("--vintage", default="latest", help=VINTAGE_HELP)
    s.add_argument("--interest", metavar="CODE", help="an O*NET interest code of 1-3 RIASEC letters, e.g. CI: the "
                   "occupations it fits, best first (with QUERY: only those matching it too)")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="an occupation's quick facts")
    s.add_argument("soc", help="SOC code of a detailed occupation, e.g. 29-2072")
    s.add_argument("--vintage", default="latest", help=VINTAGE_HELP)
    s.add_argument("--json", action="store_true", help="one JSON object")
    s.add_argument("--area", default=None, metavar="CODE|NAME",
                   help="also the occupation's OEWS figures in this area (a code such as 26420 or a unique part of "
                        "its name; see `career-report areas`) beside its state's and the nation's")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("areas", help="find OEWS areas (the nation, states, metropolitan and nonmetropolitan areas)")
    s.add_argument("query", nargs="?", default=None,
                   help="an area code, or a part of its name or words that start words of it, e.g. houston or "
                        "'springfield il' (default: all)")
    s.set_defaults(func=cmd_areas)

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
    s.add_argument("--area", default=None, metavar="CODE|NAME",
                   help="a metropolitan or nonmetropolitan area (code like 26420, or a unique part of its name "
                        "like Houston): build the reports for that area (and its state); list them with `areas`")
    s.add_argument("--areas", default=None, metavar="CODE,CODE,…",
                   help="also build each occupation's report for these areas (reports/areas/CODE/…)")
    s.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf (default)")
    s.add_argument("--paper", default=None, metavar="letter|a4", help=PAPER_HELP)
    s.add_argument("--out", default=None, help="reports folder, created if need be (default: reports/)")
    s.add_argument("--allow-out", action="store_true", help=ALLOW_OUT_HELP)
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

    s = sub.add_parser("notebooks", help="list the notebooks in notebooks/ with their parameters")
    s.add_argument("name", nargs="?", default=None, help="one notebook (default: all)")
    s.set_defaults(func=cmd_notebooks)

    s = sub.add_parser("fetch", help="download the current BLS files and add any new release (then rebuild data)")
    _add_fetch_options(s)
    s.set_defaults(func=cmd_fetch)

    s = sub.add_parser("refresh", help="fetch + data rebuild + incremental catalogue build + what-changed page "
                       "(what `make regenerate` runs)")
    _add_fetch_options(s)
    s.add_argument("--only", nargs="+", metavar="SOC", default=None,
                   help="build only these SOC codes' reports (testing and partial runs; default: all)")
    s.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf (default)")
    s.add_argument("--paper", default=None, metavar="letter|a4", help=PAPER_HELP)
    s.add_argument("--out", default=None, help="reports folder (default: reports/)")
    s.add_argument("--allow-out", action="store_true", help=ALLOW_OUT_HELP)
    s.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    s.set_defaults(func=cmd_refresh)
    return ap


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
    try:
        with run_temp_dir():  # what kernels and browsers leave in the temp folder goes with this run
            code = args.func(args)
        sys.stdout.flush()  # here, where a closed pipe is caught, not in the interpreter's exit
        return code
    except BrokenPipeError:  # `career-report list | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail again
        return 128 + signal.SIGPIPE
    except CareerOutlookError as err:
        _stderr(f"career-report: error: {err.render(FLAGS)}")
        return err.exit_code
    except OSError as err:  # the last net for the file system (a full disk, a vanished folder): one line, exit 1
        where = f"{err.filename}: " if err.filename else ""
        _stderr(f"career-report: error: {where}{err.strerror or err}")
        return 1
    except KeyboardInterrupt as err:  # Ctrl-C, or Stopped by SIGTERM/SIGHUP
        signum = err.signum if isinstance(err, Stopped) else signal.SIGINT
        _stderr(f"career-report: stopped by {signal.Signals(signum).name}; finished reports and data are kept, "
                "nothing is half-written; run the same command again to finish")
        return 128 + signum
    finally:
        restore_signals(previous)


if __name__ == "__main__":
    sys.exit(main())
