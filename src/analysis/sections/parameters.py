"""The notebooks' parameters: one model per notebook, stating once what it takes, its defaults and its checks.

In: values of the declared types (papermill's injected values, or ``-p`` strings the CLI has parsed by the type the
notebook's tagged cell declares). Out: :meth:`Parameters.check` normalises every value in place (the vintage
resolved, a SOC code stripped, an area as its code, ...) or raises a one-line ParameterError naming the first bad
parameter.

Who checks: the CLI, once, before any kernel starts (:func:`analysis.notebooks.validate`); and the notebook's
class, which *is* its model plus what it computes (``class Explorer(ExploreParameters)``), so a notebook run by
hand with papermill or Jupyter gets exactly the same checks. :data:`MODELS` maps a notebook's file stem to its
model; ``tests/test_notebooks.py`` holds each model to its notebook's tagged cell (names, order, defaults), so the
two cannot drift apart. An analyst's own notebook has no model: the CLI parses its values by type and bounds its
numbers (:mod:`analysis.notebooks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from analysis.errors import ParameterError
from analysis.paths import Paths
from analysis.sections.checks import (
    MAX_TOP,
    check_education,
    check_file_name,
    check_major_group,
    check_minimum,
    check_soc_codes,
    check_sort_by,
    check_top,
    resolve_pair,
)
from analysis.tables import places, profile, store

NOT_A_PARAMETER = {"parameter": False}  # a field of a model (or of a notebook's class) that is no parameter
RELEASE_TOP = 50  # revisions shown each way in the release comparison: two tables of at most 50 rows


@dataclass
class Parameters:
    """A notebook's parameters (subclasses declare them as fields, in the notebook's order)."""

    def check(self, p: Paths) -> None:
        """Normalise every value in place; a one-line ParameterError naming the first bad one."""
        raise NotImplementedError

    @classmethod
    def names(cls) -> list[str]:
        """The parameters' names, in the notebook's order (a notebook class's own fields, marked
        :data:`NOT_A_PARAMETER`, such as ``paths`` or ``area_info``, left out)."""
        return [f.name for f in fields(cls) if f.metadata.get("parameter", True)]


@dataclass
class CareerReportParameters(Parameters):
    """``notebooks/career_report.ipynb``: one occupation, one release, optionally a state or an area (which implies
    its primary state)."""

    soc_code: str = "29-2072"
    vintage: str = "latest"
    state: str | None = None
    area: str | None = None
    # What check found the area to be (code, title, type, primary state), kept so no one looks it up again.
    area_info: dict | None = field(default=None, init=False, repr=False, compare=False, metadata=NOT_A_PARAMETER)

    def check(self, p: Paths) -> None:
        self.vintage = store.resolve_vintage(self.vintage, p)
        self.soc_code = store.check_soc(self.soc_code, self.vintage, p)
        # Without OEWS wages there are no areas: the report is national or the state's, as before the wages came.
        if store.has_table("wages", p):
            self.state, self.area_info = places.check_place(self.state, self.area, p)
            self.area = None if self.area_info is None else self.area_info["area_code"]
            if self.area_info is not None and self.state is None:
                self.state = places.area_states(self.area_info)[0]
        else:
            self.state = store.check_state(self.state, p)
            self.area = None


@dataclass
class CompareParameters(Parameters):
    """``notebooks/compare_occupations.ipynb``: two to six occupations of one release, optionally one state."""

    soc_codes: list = field(default_factory=lambda: ["29-2072", "43-6013", "29-9021"])
    vintage: str = "latest"
    state: str | None = None

    def check(self, p: Paths) -> None:
        self.vintage = store.resolve_vintage(self.vintage, p)
        self.soc_codes = check_soc_codes(self.soc_codes, self.vintage, p)
        self.state = store.check_state(self.state, p)


@dataclass
class InterestParameters(Parameters):
    """``notebooks/careers_by_interest.ipynb``: a student's interest code and what to keep."""

    interest_code: str = "CI"
    education: list = field(default_factory=list)
    state: str | None = None
    vintage: str = "latest"
    top: int = 20

    def check(self, p: Paths) -> None:
        self.interest_code = profile.check_interest(self.interest_code, "parameter interest_code")
        self.education = check_education(self.education, p)
        self.state = store.check_state(self.state, p)
        self.vintage = store.resolve_vintage(self.vintage, p)
        self.top = check_top(self.top)


@dataclass
class ExploreParameters(Parameters):
    """``notebooks/explore_occupations.ipynb``: the criteria of a screen. A place (state or area) is where pay, jobs
    and the location quotient come from; an area wins over its state and must lie in it."""

    vintage: str = "latest"
    education: list = field(default_factory=list)
    major_group: str | None = None
    min_growth: float | None = None
    min_openings: int = 0
    min_pay: float | None = None
    state: str | None = None
    area: str | None = None
    min_location_quotient: float | None = None
    sort_by: str = "openings"
    top: int = 25
    results_csv: str | None = "results.csv"
    area_info: dict | None = field(default=None, init=False, repr=False, compare=False, metadata=NOT_A_PARAMETER)

    def check(self, p: Paths) -> None:
        self.vintage = store.resolve_vintage(self.vintage, p)
        self.education = check_education(self.education, p)
        self.major_group = check_major_group(self.major_group, self.vintage, p)
        self.min_growth = check_minimum("min_growth", self.min_growth, allow_negative=True)
        self.min_openings = check_minimum("min_openings", self.min_openings)
        self.min_pay = check_minimum("min_pay", self.min_pay)
        if not store.has_table("wages", p) and (self.state or self.area not in (None, "", "None")):
            raise ParameterError(f"{'state' if self.state else 'area'}: no OEWS wages table is on hand")
        self.state, self.area_info = places.check_place(self.state, self.area, p) if store.has_table("wages", p) \
            else (None, None)
        self.area = None if self.area_info is None else self.area_info["area_code"]
        if self.min_location_quotient is not None and not (self.state or self.area):
            raise ParameterError(f"min_location_quotient {self.min_location_quotient!r}: needs a state or an area "
                                 "(the nation's location quotient is 1 by definition)")
        self.min_location_quotient = check_minimum("min_location_quotient", self.min_location_quotient)
        self.sort_by = check_sort_by(self.sort_by)
        self.top = check_top(self.top, MAX_TOP)
        self.results_csv = check_file_name("results_csv", self.results_csv)


@dataclass
class ReleaseChangesParameters(Parameters):
    """``notebooks/release_changes.ipynb``: two releases (``old`` earlier than ``new``) and how many revisions to
    show each way."""

    old: str = "previous"
    new: str = "latest"
    top: int = 10

    def check(self, p: Paths) -> None:
        self.old, self.new = resolve_pair(self.old, self.new, p)
        self.top = check_top(self.top, RELEASE_TOP)


# A notebook's file stem -> its model (an analyst's own notebook has none).
MODELS: dict[str, type[Parameters]] = {
    "career_report": CareerReportParameters,
    "compare_occupations": CompareParameters,
    "careers_by_interest": InterestParameters,
    "explore_occupations": ExploreParameters,
    "release_changes": ReleaseChangesParameters,
}


def checked(model: type[Parameters], values: dict, p: Paths) -> Parameters:
    """``model`` with ``values`` (the rest at their defaults), checked: what the CLI runs before any kernel."""
    params = model(**values)
    params.check(p)
    return params
