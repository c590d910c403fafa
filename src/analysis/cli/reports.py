"""``career-report build``, ``notebooks``, ``fetch`` and ``refresh``: the commands that run notebooks and build
reports (papermill, nbconvert, Chromium are imported here, never for the quick look-ups)."""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
from pathlib import Path

from analysis import notebooks, settings
from analysis.catalogue import build as catalogue
from analysis.catalogue.build import is_catalogue
from analysis.catalogue.executors import make_executor
from analysis.catalogue.jobs import plan
from analysis.catalogue.local import check_workers
from analysis.catalogue.progress import progress_printer
from analysis.cli.parser import FLAGS, FORMATS
from analysis.cli.query import ensure_data
from analysis.errors import ParameterError
from analysis.files import check_output_folder, check_writable_folder
from analysis.paths import project
from analysis.refresh import pipeline
from analysis.refresh.config import SOURCES, Config, load_config
from analysis.refresh.fetch import Result, fetch
from analysis.tables import store

log = logging.getLogger(__name__)


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
    ensure_data()
    states = parse_states(args.states) if args.states else [args.state]
    if args.area:  # that area's reports only (in --state when given: one the area lies in)
        jobs = plan(None if args.all else args.soc, args.vintage, [], project(), areas=[args.area],
                    state_of_areas=args.state)
    else:
        jobs = plan(None if args.all else args.soc, args.vintage, states, project(), areas=_areas(args.areas))
    summary = catalogue.build(jobs, options, progress=progress_printer())
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
    ensure_data()
    params = notebooks.validate(nb, raw)  # once, before any kernel starts; the notebook gets the checked values
    folder = notebooks.build_validated(nb, params, formats=formats, out=out, paper=paper)
    print(folder / ("report.pdf" if "pdf" in formats else "report.html"))
    for extra in sorted(folder.glob("*.csv")):
        print(extra)
    return 0


def _print_summary(summary: catalogue.Summary, reports: Path) -> None:
    log.info(f"{summary.built} built, {summary.skipped} up to date, {len(summary.failed)} failed "
             f"in {summary.seconds:.1f} s; index: {reports / 'index.html'}")
    for rel, err in summary.failed:
        log.error(f"FAILED {rel}: {err}")


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
    log.info(f"{len(specs)} notebook(s); run one with: career-report build --notebook NAME -p key=value …")
    return 0


def _report_errors(result: Result) -> int:
    for err in result.errors:
        log.error(f"career-report: error: {err.render(FLAGS)}")
    return result.exit_code


def cmd_fetch(args) -> int:
    result = fetch(project(), _fetch_config(args), _sources(args), wait=args.wait)
    if not result.errors and not result.added:
        log.info("nothing new: every release is already on hand")
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
