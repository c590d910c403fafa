"""The notebooks' parameter models (src/analysis/sections/parameters.py): one per notebook, held to the notebook's
tagged cell, the base of the class the notebook builds, and the one place a rule is checked, so the CLI (before any
kernel) and the notebook's class (in the kernel, or a papermill run by hand) refuse the same values with the same
line. Real processed tables; no kernel is started."""

from __future__ import annotations

import ast
import re
from dataclasses import fields

import nbformat
import pytest

from analysis import notebooks
from analysis.catalogue import jobs
from analysis.errors import ParameterError
from analysis.paths import project
from analysis.sections import careers_by_interest, compare, explore, parameters, release_compare
from analysis.sections.report.career import CareerReport

P = project()
SPECS = notebooks.discover(P)
# The class each notebook's code builds (its first code cell after the parameters imports it).
CLASSES = {"career_report": CareerReport, "compare_occupations": compare.Comparison,
           "careers_by_interest": careers_by_interest.CareersByInterest, "explore_occupations": explore.Explorer,
           "release_changes": release_compare.ReleaseComparison}


def _annotation(declared: str) -> str:
    """A tagged cell's annotation as the model writes it: ``Optional[str]`` -> ``str | None``."""
    m = re.fullmatch(r"Optional\[(.+)\]", declared)
    return f"{m.group(1)} | None" if m else declared


def test_every_notebook_has_a_model_and_every_model_a_notebook():
    assert set(parameters.MODELS) == set(SPECS) == set(CLASSES)


@pytest.mark.parametrize("name", sorted(parameters.MODELS))
def test_a_model_states_what_its_notebooks_tagged_cell_does(name):
    """Names in the same order, the same types and the same defaults: a parameter added to one and not the other
    fails here, not in a kernel."""
    model, spec = parameters.MODELS[name], SPECS[name]
    assert model.names() == list(spec.params)
    for f in (f for f in fields(model) if f.name in model.names()):
        declared = spec.params[f.name]
        assert str(f.type) == _annotation(declared.type), f.name
        default = f.default_factory() if callable(f.default_factory) else f.default
        assert default == ast.literal_eval(declared.default), f.name


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_the_notebooks_class_is_its_model(name):
    """The class the notebook builds inherits its model, so a notebook run by hand is checked by the same code, and
    its extra fields (``paths``) are not parameters."""
    cls = CLASSES[name]
    assert issubclass(cls, parameters.MODELS[name])
    assert cls.names() == parameters.MODELS[name].names()
    assert f"import {cls.__name__}" in SPECS[name].path.read_text()


BAD = [  # notebook, values, what the one line says
    ("career_report", {"soc_code": "29-0000"}, "is a summary group"),
    ("career_report", {"area": "Houston", "state": "CA"}, "lies in TX, not in state CA; give one of them"),
    ("career_report", {"state": "ZZ"}, "state 'ZZ' is not a state postal code"),
    ("compare_occupations", {"soc_codes": ["29-2072"]}, "soc_codes: 1 given"),
    ("careers_by_interest", {"interest_code": "SAS"}, "interest_code 'SAS'"),
    ("careers_by_interest", {"top": 201}, "top 201: expected a whole number from 1 to 200"),
    ("explore_occupations", {"min_location_quotient": 1.5}, "min_location_quotient 1.5: needs a state or an area"),
    ("explore_occupations", {"area": "26420", "state": "CA"}, "lies in TX, not in state CA; give one of them"),
    ("explore_occupations", {"results_csv": "../x.csv"}, "results_csv '../x.csv'"),
    ("release_changes", {"top": 51}, "top 51: expected a whole number from 1 to 50"),
    ("release_changes", {"old": "2024-34", "new": "2022-32"}, "must be an earlier release"),
]


@pytest.mark.parametrize("name,values,says", BAD, ids=[f"{n}-{'-'.join(v)}" for n, v, _ in BAD])
def test_the_cli_and_the_notebooks_class_refuse_alike(name, values, says):
    """The same value is refused before any kernel (notebooks.validate, with -p strings) and by the notebook's class
    (what a papermill run by hand builds), each in one line saying the same thing."""
    raw = {k: ",".join(v) if isinstance(v, list) else str(v) for k, v in values.items()}
    with pytest.raises(ParameterError) as cli_err:
        notebooks.validate(SPECS[name], raw, P)
    with pytest.raises(ParameterError) as kernel_err:
        CLASSES[name](**values, paths=P)
    for err in (str(cli_err.value), str(kernel_err.value)):
        assert says in err and "\n" not in err, err


def test_checked_values_are_normalised_the_same_way_in_the_cli_and_the_class():
    """What the CLI passes to papermill is what the class would make of the raw value: an area by name becomes its
    code, a state's postal code is upper case, an area implies its state in a career report."""
    given = notebooks.validate(SPECS["career_report"], {"area": "Houston", "soc_code": " 29-2072"}, P)
    assert given == {"area": "26420", "soc_code": "29-2072"}
    report = CareerReport(soc_code=" 29-2072", area="Houston", paths=P)
    assert (report.soc_code, report.area, report.state, report.vintage) == ("29-2072", "26420", "TX", "2024-34")
    screen = explore.Explorer(state="tx", area="Houston", paths=P)
    assert (screen.state, screen.area, screen.area_info["area_code"]) == ("TX", "26420", "26420")


def test_the_catalogue_checks_an_area_against_its_state_with_the_same_rule():
    """``build --state CA --area Houston`` is refused by the same check (places.check_place) as the notebooks."""
    with pytest.raises(ParameterError, match="lies in TX, not in state CA; give one of them"):
        jobs.plan(["29-2072"], states=(None,), areas=["Houston"], state_of_areas="CA", p=P)
    planned = jobs.plan(["29-2072"], states=(None,), areas=["Houston"], state_of_areas="TX", p=P)
    assert [j.area for j in planned] == [None, "26420"]


def test_an_analysts_notebook_without_a_model_is_typed_and_bounded_only(tmp_path):
    """No model: the CLI types the values by the tagged cell and bounds numbers; nothing else is assumed."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "soc_code: str = 'x'  # any text\ntop: int = 5  # a count", metadata={"tags": ["parameters"]})])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "mine.ipynb")
    spec = notebooks.spec(tmp_path / "mine.ipynb")
    assert spec.name not in parameters.MODELS
    assert notebooks.validate(spec, {"soc_code": "not a code", "top": "0"}, P) == {"soc_code": "not a code", "top": 0}
    with pytest.raises(ParameterError, match="top"):
        notebooks.validate(spec, {"top": "x"}, P)
