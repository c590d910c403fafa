"""The notebooks registry: every ``notebooks/*.ipynb``, its parameters, and running any of them.

- :func:`discover` finds every notebook in ``notebooks/`` (an analyst's own notebook is picked up without
  code changes; one that cannot be read is skipped with one line naming it) and reads its parameters from
  the cell tagged ``parameters`` with papermill's ``inspect_notebook`` (name, type, default, help from the
  comment), plus optional metadata ``career_outlook.title`` and ``career_outlook.examples`` (non-default
  parameter sets, which the tests run).
- :func:`validate` turns ``-p key=value`` strings into typed values and checks them BEFORE any kernel
  starts: unknown names, values parsed by the declared type, then known names checked by the
  ``VALIDATORS`` registry (e.g. ``soc_code`` -> :func:`store.check_soc`); any other number, also inside a
  list, must be finite and within ±10^15.
- :func:`build` renders a notebook with :func:`~analysis.render.outputs.render_report` into
  ``reports/notebooks/<name>/<slug-of-params>/`` (report.ipynb/html/pdf; files the notebook writes, such
  as the explore notebook's results.csv, land beside them: that folder is the kernel's working folder),
  refusing a folder that is or passes through a symbolic link, and marks the output folder as ours.

Value syntax for ``-p``: ``int``/``float`` as numbers; ``bool`` as true/false/yes/no/1/0; ``list`` as JSON
(``["29-2072","43-6013"]``) or a comma list (``29-2072,43-6013``; an empty value is an empty list);
``Optional[...]`` also takes ``None``; ``str`` as is.
"""

from __future__ import annotations

import ast
import hashlib
import json
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm

from analysis import settings
from analysis.errors import DataError, ParameterError
from analysis.files import check_inside, mark_output_folder
from analysis.paths import Paths, project
from analysis.render.outputs import render_report
from analysis.sections import checks
from analysis.tables import places, profile, store


@dataclass(frozen=True)
class Param:
    """One parameter of a notebook, as papermill reads it from the tagged cell."""

    name: str
    type: str  # as declared, e.g. "str", "Optional[float]", "list"; "" when not annotated
    default: str  # the default's source text
    help: str

    @property
    def optional(self) -> bool:
        return self.type.startswith("Optional[") or self.default == "None"

    @property
    def base_type(self) -> str:
        m = re.match(r"^Optional\[(.*)\]$", self.type)
        return (m.group(1) if m else self.type).strip().lower()

    def default_value(self) -> Any:
        try:
            return ast.literal_eval(self.default)
        except (ValueError, SyntaxError):
            return _NO_VALUE


_NO_VALUE = object()


@dataclass(frozen=True)
class NotebookSpec:
    name: str
    path: Path
    title: str
    params: dict[str, Param]
    examples: list[dict] = field(default_factory=list)


def _title(nb) -> str:
    meta = nb.metadata.get("career_outlook", {})
    if meta.get("title"):
        return str(meta["title"])
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return ""


def spec(path: Path) -> NotebookSpec:
    """A notebook's name, title, parameters and example parameter sets; a one-line DataError naming the file
    when it cannot be read as one (not JSON, not a notebook, metadata of the wrong shape)."""
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
        declared = pm.inspect_notebook(str(path))
        params = {n: Param(n, d.get("inferred_type_name") or "", str(d.get("default")), d.get("help") or "")
                  for n, d in declared.items()}
        meta = nb.metadata.get("career_outlook", {})
        examples = meta.get("examples", []) if isinstance(meta, dict) else None
        title = _title(nb)
    # An analyst's file can fail in nbformat, jsonschema, papermill or the file system, each with its own
    # exception types: whichever it is, the message names the file instead of a traceback.
    except Exception as err:
        first = (str(err).strip().splitlines() or [""])[0][:200]
        raise DataError(path, f"not a readable notebook ({type(err).__name__}: {first}); fix or remove it") \
            from None
    if not isinstance(examples, list) or not all(isinstance(e, dict) for e in examples):
        raise DataError(path, "metadata career_outlook.examples: expected a list of parameter sets "
                              '(objects such as {"state": "CA"}); fix or remove it')
    return NotebookSpec(path.stem, path, title or path.stem.replace("_", " ").capitalize(), params, list(examples))


log = logging.getLogger(__name__)


def _files(p: Paths) -> list[Path]:
    return [f for f in sorted(p.notebooks.glob("*.ipynb")) if not f.name.startswith((".", "_"))]


def discover(p: Paths | None = None) -> dict[str, NotebookSpec]:
    """Every notebook in ``notebooks/`` by name (file stem), sorted; checkpoints and hidden files skipped. One
    that cannot be read (an analyst's half-saved file) is left out and named in one logged warning, so the
    others are still listed and built."""
    p = p or project()
    found = {}
    for f in _files(p):
        try:
            found[f.stem] = spec(f)
        except DataError as err:
            log.warning(str(err))
    return found


def find(name: str, p: Paths | None = None) -> NotebookSpec:
    """Notebook ``name`` of ``notebooks/`` (only that file is read, so another one's damage does not matter);
    ParameterError listing the names on hand when there is none by that name, DataError when it is damaged."""
    p = p or project()
    key = Path(str(name)).name.removesuffix(".ipynb")
    path = p.notebooks / f"{key}.ipynb"
    if not key or key.startswith((".", "_")) or not path.is_file():
        raise ParameterError(f"notebook {name!r} is not in {p.notebooks}; available: "
                             f"{', '.join(f.stem for f in _files(p)) or 'none'}")
    return spec(path)


# --- values ------------------------------------------------------------------------------------------
TRUE, FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


def parse_value(param: Param, raw: Any) -> Any:
    """``raw`` (a ``-p`` string, or an already typed value) -> a value of the declared type."""
    t, where = param.base_type, f"parameter {param.name} ({param.type or 'untyped'})"
    if raw is None or (isinstance(raw, str) and raw.strip() in ("None", "none", "null")):
        if param.optional:
            return None
        raise ParameterError(f"{where}: None is not allowed")
    if not isinstance(raw, str):
        ok = {"int": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
              "bool": lambda v: isinstance(v, bool), "str": lambda v: isinstance(v, str),
              "list": lambda v: isinstance(v, list), "dict": lambda v: isinstance(v, dict)}.get(t)
        if ok and not ok(raw):
            raise ParameterError(f"{where}: {raw!r} is not a {t}")
        return float(raw) if t == "float" else raw
    s = raw.strip()
    try:
        if t == "int":
            return int(s)
        if t == "float":
            number = float(s)
            if math.isinf(number) and not re.search(r"inf", s, re.I):  # '1e400': a number too large for a float
                raise ParameterError(f"{where}: {raw!r} is out of range; expected {checks.range_text(param.name)}")
            if not math.isfinite(number):
                raise ValueError(s)
            return number
    except ValueError:
        also = f"; expected {checks.range_text(param.name)}" if t == "float" else ""
        raise ParameterError(f"{where}: {raw!r} is not a{'n' if t == 'int' else ''} {t}{also}") from None
    if t == "bool":
        if s.lower() in TRUE | FALSE:
            return s.lower() in TRUE
        raise ParameterError(f"{where}: {raw!r} is not a bool (true/false, yes/no, 1/0)")
    if t in ("list", "dict"):
        if s.startswith(("[", "{")):
            try:
                v = json.loads(s)
            except json.JSONDecodeError as err:
                raise ParameterError(f"{where}: {raw!r} is not valid JSON ({err.msg})") from None
            if not isinstance(v, list if t == "list" else dict):
                raise ParameterError(f"{where}: {raw!r} is not a JSON {t}")
            return v
        if t == "dict":
            raise ParameterError(f"{where}: expected a JSON object, e.g. '{{\"a\": 1}}'")
        return [x.strip() for x in s.split(",") if x.strip()]
    if t in ("str", ""):
        return raw
    try:  # another annotation: a Python literal if it is one, else the text
        return ast.literal_eval(s)
    except (ValueError, SyntaxError):
        return raw


# --- validators: parameter name -> check (value, context) -> normalised value -----------------------
@dataclass
class Context:
    p: Paths
    notebook: str
    vintage: str | None = None  # the resolved vintage the other checks use


def _vintage(v, ctx: Context):
    return store.resolve_vintage(v, ctx.p)


def _old(v, ctx: Context):
    return v if v in (None, "", "previous") else store.resolve_vintage(v, ctx.p)


def _soc(v, ctx: Context):
    return store.check_soc(v, ctx.vintage, ctx.p)


def _soc_codes(v, ctx: Context):
    return checks.check_soc_codes(v, ctx.vintage, ctx.p)


def _major_group(v, ctx: Context):
    return checks.check_major_group(v, ctx.vintage, ctx.p)


def _sort_by(v, ctx: Context):
    return checks.check_sort_by(v)


def _education(v, ctx: Context):
    return checks.check_education(v, ctx.p)


def _minimum(name: str, allow_negative: bool = False) -> Callable:
    def check(v, ctx: Context):
        return checks.check_minimum(name, v, allow_negative)
    return check


def _positive_int(limit: int) -> Callable:
    def check(v, ctx: Context):
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= limit:
            raise ParameterError(f"top {v!r}: expected a whole number from 1 to {limit}")
        return v
    return check


def _area(value, ctx: Context):
    """A metropolitan or nonmetropolitan area, by code or a unique part of its name -> its code."""
    try:
        area = places.check_area(value, ctx.p)
    except ParameterError as err:  # a notebook's parameter: named as such, not as build's --area flag
        raise ParameterError(err.render({"area": "parameter area"})) from None
    return None if area is None else area["area_code"]


VALIDATORS: dict[str, Callable[[Any, Context], Any]] = {
    "vintage": _vintage,
    "new": _vintage,
    "old": _old,
    "soc_code": _soc,
    "soc_codes": _soc_codes,
    "state": lambda v, ctx: store.check_state(v, ctx.p),
    "area": _area,
    "education": _education,
    "major_group": _major_group,
    "sort_by": _sort_by,
    "min_growth": _minimum("min_growth", allow_negative=True),
    "min_openings": _minimum("min_openings"),
    "min_pay": _minimum("min_pay"),
    "min_location_quotient": _minimum("min_location_quotient"),
    "top": _positive_int(200),
    "results_csv": lambda v, ctx: checks.check_file_name("results_csv", v),
    "interest_code": lambda v, ctx: profile.check_interest(v, "parameter interest_code"),
}
# The same name can mean something narrower in one notebook: (notebook, parameter) -> check.
NOTEBOOK_VALIDATORS: dict[tuple[str, str], Callable[[Any, Context], Any]] = {
    ("release_changes", "top"): _positive_int(50),
}


def _pair(values: dict, ctx: Context) -> dict:
    """old/new together: old defaults to the release before new, and must be earlier than it."""
    if "old" in values and "new" in values:
        checks.resolve_pair(values["old"], values["new"], ctx.p)
    return values


def _area_in_state(values: dict, ctx: Context) -> dict:
    """area and state together: the area must lie in the state (an area implies its primary state); a minimum
    location quotient needs one of them (the nation's is 1 by definition)."""
    area, state = values.get("area"), values.get("state")
    if isinstance(area, str) and isinstance(state, str):
        found = places.find_area(area, ctx.p)
        if state not in places.area_states(found):
            raise ParameterError(f"parameter area {area} ({found['area_title']}) lies in "
                                 f"{', '.join(places.area_states(found))}, not in state {state}; give one of them")
    if values.get("min_location_quotient") is not None and not (isinstance(area, str) or isinstance(state, str)):
        raise ParameterError("parameter min_location_quotient needs a state or an area (the nation's location "
                             "quotient is 1 by definition)")
    return values


CROSS_CHECKS: list[Callable[[dict, Context], dict]] = [_pair, _area_in_state]


def _check_numbers(param: Param, value) -> None:
    """Every number in ``value`` (itself, or inside a list or dict) finite and within ±MAX_NUMBER: a value
    such as 1e308 (or JSON's Infinity) would otherwise reach the kernel and fail there, in the report's
    rounding, after the kernel started."""
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
    for v in items:
        if isinstance(v, list | dict):
            _check_numbers(param, v)
        elif isinstance(v, int | float) and not isinstance(v, bool) and \
                not checks.in_range(v, -checks.MAX_NUMBER, checks.MAX_NUMBER):
            raise ParameterError(f"parameter {param.name} ({param.type or 'untyped'}): {checks.shown(v)} is out of "
                                 f"range; expected {checks.range_text(param.name)}")


def validate(nb: NotebookSpec, raw: dict[str, Any], p: Paths | None = None) -> dict[str, Any]:
    """``-p`` values -> typed, checked parameters for papermill (only those given); ParameterError, before
    any kernel starts, on an unknown name, a value not of the declared type, or a value a validator
    refuses. Defaults are checked too (with the given vintage), so e.g. default SOC codes missing from an
    older vintage are caught here."""
    p = p or project()
    unknown = sorted(set(raw) - set(nb.params))
    if unknown:
        raise ParameterError(f"{nb.name}: unknown parameter(s) {', '.join(unknown)}; it has "
                             f"{', '.join(nb.params) or 'no parameters'}")
    given = {k: parse_value(nb.params[k], v) for k, v in raw.items()}
    for k, v in given.items():  # a parameter with a check of its own gets that check's range and message
        if not (NOTEBOOK_VALIDATORS.get((nb.name, k)) or VALIDATORS.get(k)):
            _check_numbers(nb.params[k], v)
    values = {k: (given[k] if k in given else prm.default_value()) for k, prm in nb.params.items()}
    ctx = Context(p, nb.name)
    order = sorted(values, key=lambda k: (k not in ("vintage", "new"), list(values).index(k)))
    for k in order:
        check = NOTEBOOK_VALIDATORS.get((nb.name, k)) or VALIDATORS.get(k)
        v = values[k]
        if check is None or v is _NO_VALUE:
            continue
        if v is None and k not in ("vintage", "new", "old"):
            continue
        values[k] = check(v, ctx)
        if k in ("vintage", "new"):
            ctx.vintage = values[k]
    ctx.vintage = ctx.vintage or store.resolve_vintage(None, p)
    for cross in CROSS_CHECKS:
        values = cross(values, ctx)
    return {k: values[k] for k in given}


def slug(params: dict[str, Any]) -> str:
    """A short folder name for a parameter set: ``defaults``, or ``key-value_…`` (hash-shortened)."""
    if not params:
        return "defaults"
    parts = []
    for k in sorted(params):
        v = params[k]
        v = "+".join(map(str, v)) if isinstance(v, list) else str(v)
        parts.append(f"{k}-{v}")
    text = re.sub(r"[^a-z0-9.+_-]+", "-", "_".join(parts).lower()).strip("-")
    if len(text) <= 60:
        return text
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:8]
    return text[:50].rstrip("-_+.") + "-" + digest


def out_dir(nb: NotebookSpec, params: dict, reports: Path) -> Path:
    return Path(reports) / "notebooks" / nb.name / slug(params)


def build(name: str, raw: dict[str, Any], *, formats=("html", "pdf"), out: Path | None = None, paper: str | None = None,
          kernel=None, pdf=None, p: Paths | None = None) -> Path:
    """Validate, then render notebook ``name`` into ``<out or reports>/notebooks/<name>/<slug>/``; returns
    that folder. ``kernel``/``pdf``: a WarmKernel / PdfRenderer to reuse (else started for this call)."""
    p = p or project()
    nb = find(name, p)
    params = validate(nb, raw, p)
    reports = Path(out or p.reports)
    # Really inside the output folder (no part of notebooks/<name>/<slug> a link to elsewhere), then marked
    # as ours like a catalogue's folder, so a later build there is not refused as someone else's.
    folder = check_inside(reports, out_dir(nb, params, reports).relative_to(reports))
    mark_output_folder(reports)
    folder.mkdir(parents=True, exist_ok=True)
    shown = shown_parameters(params, p)
    render_report(nb.path, folder, params, formats=formats, pdf=pdf, kernel=kernel, paper=settings.paper(paper, p),
                         title=f"{nb.title}{f': {shown}' if shown else ''}", cwd=folder)
    return folder


def shown_parameters(params: dict, p: Paths | None = None) -> str:
    """A notebook's parameters as its page title says them to a reader: SOC codes by their titles ("Medical records
    specialists, Registered nurses"), lists as lists, other values as ``key value``; never Python's repr."""
    vintage = store.vintages(p)[0]

    def said(v) -> str:
        if isinstance(v, list | tuple):
            return ", ".join(said(x) for x in v)
        if isinstance(v, str) and re.fullmatch(r"\d{2}-\d{4}", v):
            row = store.rows_for("projections", "soc_code", v, p)
            row = row[row["vintage"] == vintage]
            return str(row.iloc[0]["title"]) if not row.empty else v
        return str(v)

    return "; ".join(said(v) if k == "soc_codes" else f"{k.replace('_', ' ')} {said(v)}" for k, v in params.items()
                     if v not in (None, "", [], ()))
