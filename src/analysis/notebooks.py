"""The notebooks registry: every ``notebooks/*.ipynb``, its parameters, and running any of them.

- :func:`discover` finds every notebook in ``notebooks/`` (an analyst's own notebook is picked up without
  code changes; one that cannot be read is skipped with one line naming it) and reads its parameters from
  the cell tagged ``parameters`` with papermill's ``inspect_notebook`` (name, type, default, help from the
  comment), plus optional metadata ``career_outlook.title`` and ``career_outlook.examples`` (non-default
  parameter sets, which the tests run).
- :func:`validate` turns ``-p key=value`` strings into typed values and checks them BEFORE any kernel
  starts: unknown names, values parsed by the declared type, then the notebook's parameter model
  (:mod:`analysis.sections.parameters`, the same checks the notebook's class runs); in an analyst's notebook
  without a model, any number, also inside a list, must be finite and within ±10^15.
- :func:`build` (or :func:`build_validated`, for values :func:`validate` returned) renders a notebook with
  :func:`~analysis.render.outputs.render_report` into ``reports/notebooks/<name>/<slug-of-params>/``
  (report.ipynb/html/pdf; files the notebook writes, such as the explore notebook's results.csv, land beside them:
  that folder is the kernel's working folder), refusing a folder that is or passes through a symbolic link, and
  marks the output folder as ours.

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
from analysis.sections import checks, parameters
from analysis.tables import store


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
    any kernel starts, on an unknown name, a value not of the declared type, or a value the notebook's parameter
    model refuses (:data:`~analysis.sections.parameters.MODELS`: the same checks its class runs in the kernel).
    The model checks the defaults too, with the given vintage, so e.g. default SOC codes missing from an older
    vintage are caught here. An analyst's notebook without a model gets its values typed and its numbers bounded."""
    p = p or project()
    unknown = sorted(set(raw) - set(nb.params))
    if unknown:
        raise ParameterError(f"{nb.name}: unknown parameter(s) {', '.join(unknown)}; it has "
                             f"{', '.join(nb.params) or 'no parameters'}")
    given = {k: parse_value(nb.params[k], v) for k, v in raw.items()}
    model = parameters.MODELS.get(nb.name)
    if model is None:
        for k, v in given.items():
            _check_numbers(nb.params[k], v)
        return given
    try:
        checked = parameters.checked(model, given, p)
    except ParameterError as err:  # a notebook's parameter: named as such, not as build's --area flag
        raise ParameterError(err.render({"area": "parameter area"})) from None
    return {k: getattr(checked, k) for k in given}


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
    """Find notebook ``name``, :func:`validate` ``raw`` and :func:`build_validated` it; returns the output folder."""
    p = p or project()
    nb = find(name, p)
    return build_validated(nb, validate(nb, raw, p), formats=formats, out=out, paper=paper, kernel=kernel, pdf=pdf,
                           p=p)


def build_validated(nb: NotebookSpec, params: dict[str, Any], *, formats=("html", "pdf"), out: Path | None = None,
                    paper: str | None = None, kernel=None, pdf=None, p: Paths | None = None) -> Path:
    """Render ``nb`` with ``params`` as :func:`validate` returned them (not checked again here; the notebook's class
    checks them in the kernel with the same model) into ``<out or reports>/notebooks/<name>/<slug>/``; returns that
    folder. ``kernel``/``pdf``: a WarmKernel / PdfRenderer to reuse (else started for this call)."""
    p = p or project()
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
