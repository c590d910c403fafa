"""Derived numbers as exact as the published ones, swept over every occupation of every release: places with
top-codes and ties, 'more than X% of occupations', the growth part of openings, openings per 100 jobs; each
checked against an independent computation from the processed tables (brute force, exact fractions)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analysis.sections import charts, highlights
from analysis.sections.charts.tiles import TOP_CODE_PATTERN
from analysis.sections.report import CareerReport
from analysis.tables import headline, places, store
from analysis.tables.ranks import rank_bounds
from analysis.values import fixed, thousands_usd


def brute_places(values: list[float | None], top: list[bool]) -> list[tuple[int, int] | None]:
    """Best and worst place (1 = largest) of each value, by trying every case: a top-coded value is anywhere
    at or above its bound."""
    out = []
    for i, (v, t) in enumerate(zip(values, top, strict=True)):
        if v is None:
            out.append(None)
            continue
        certainly_above = possibly_above = 0
        for j, (w, u) in enumerate(zip(values, top, strict=True)):
            if j == i or w is None:
                continue
            if not t and not u:
                certainly_above += w > v
                possibly_above += w > v
            elif not t and u:  # j >= w, unbounded: certainly above if w > v; possibly above always
                certainly_above += w > v
                possibly_above += 1
            elif t and not u:  # i >= v, unbounded: never certainly below w; possibly if w > v
                possibly_above += w > v
            else:
                possibly_above += 1
        out.append((1 + certainly_above, 1 + possibly_above))
    return out


def test_rank_bounds_on_constructed_ties_and_top_codes():
    values = [239_200, 478_680, 239_200, 100_000, 250_000, None, 100_000, 90_000]
    top = [True, False, True, False, False, False, False, False]
    best, worst = rank_bounds(pd.Series(values, dtype="float64"), pd.Series(top))
    got = [None if pd.isna(b) else (int(b), int(w)) for b, w in zip(best, worst, strict=True)]
    assert got == [(1, 4), (1, 3), (1, 4), (5, 5), (2, 4), None, (5, 5), (7, 7)]
    assert got == brute_places(values, top)


@pytest.mark.parametrize("vintage", ["2024-34", "2023-33", "2022-32"])
def test_pay_places_of_every_occupation_match_a_brute_force_count(real, vintage):
    proj = store.table("projections", real)
    det = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")]
    values = [None if pd.isna(v) else float(v) for v in det["median_wage_usd"]]
    expected = brute_places(values, list(det["median_wage_top_coded"]))
    got = [None if pd.isna(b) else (int(b), int(w))
           for b, w in zip(det["median_wage_rank"], det["median_wage_rank_worst"], strict=True)]
    assert got == expected
    topped = det[det["median_wage_top_coded"]]
    n_top = {"2024-34": 17, "2023-33": 15, "2022-32": 15}[vintage]
    assert len(topped) == n_top  # the audit's count: none of them is a definite '#1 for pay'
    assert (topped["median_wage_rank"] == 1).all() and (topped["median_wage_rank_worst"] == n_top).all()


def test_the_pay_place_is_the_headline_medians_place_among_all_occupations(real):
    """Page 1 ranks pay by the figure it shows (the newest national median), with how many and which way: every
    occupation's place is the brute-force place of its May median among the vintage's detailed occupations."""
    proj = store.table("projections", real)
    det = proj[(proj["vintage"] == "2024-34") & (proj["soc_level"] == "detailed")]
    nat = places.national(real).reindex(det["soc_code"])
    values = [None if pd.isna(v) else float(v) for v in nat["annual_median_usd"]]
    expected = brute_places(values, list(nat["annual_median_usd_top_coded"].fillna(False)))
    ranked = sum(v is not None for v in values)
    for soc, want in zip(det["soc_code"], expected, strict=True):
        pay = headline.national(soc, "2024-34", real)
        got = None if pay.rank is None else (pay.rank, pay.rank_worst)
        assert got == want, soc
        assert pay.rank is None or pay.ranked == ranked
    text = CareerReport("29-1211", paths=real).quick_facts().html
    # May 2025 publishes the anesthesiologists' median in full ($391,490): a definite place, not a range
    assert "$391,490 a year" in text and f"#5 of {ranked} for pay (#1 pays the most" in text
    assert "#1–17" not in text


@pytest.mark.parametrize("soc,state", [("29-1023", "IN"), ("29-1023", "CT"), ("29-2072", "CA")])
def test_state_places_never_come_from_a_top_code_bound(real, soc, state):
    text = CareerReport(soc, state=state, paths=real).states().html
    w = store.table("wages", real)
    s = w[(w["area_type"] == 2) & (w["soc_code"] == soc)]
    expected = brute_places([None if pd.isna(v) else float(v) for v in s["annual_median_usd"]],
                            list(s["annual_median_usd_top_coded"]))
    best, worst = expected[list(s["state_code"]).index(state)]
    n = int(s["annual_median_usd"].notna().sum())
    if best == worst:
        assert f"ranks #{best} of {n} states and territories" in text
    else:
        assert f"ranks between #{best} and #{worst} of {n} states and territories" in text
        assert "exact place is not known" in text
    if (soc, state) == ("29-1023", "IN"):
        assert best != worst and "#15 of 22" not in text  # the audit's example: top-coded, so a range


def test_every_top_coded_state_median_is_drawn_hatched_with_at_least(real):
    """The tile map of every occupation with a top-coded state median (the audit found 26 tiles in four
    occupations): each such tile is hatched and labelled '≥', every other tile is not."""
    w = store.table("wages", real)
    states = w[w["area_type"] == 2]
    topped = states[states["annual_median_usd_top_coded"]]
    assert {"29-1023", "29-1022", "29-1214", "29-1222"} <= set(topped["soc_code"])
    for soc, rows in states[states["soc_code"].isin(set(topped["soc_code"]))].groupby("soc_code"):
        vals = rows[["state_code", "annual_median_usd", "annual_median_usd_top_coded"]].set_axis(
            ["state_code", "value", "top_coded"], axis=1)
        svg = charts.state_tiles(vals, soc, fmt=thousands_usd)
        n_top = int(vals["top_coded"].sum())
        assert svg.count(f'fill="url(#{TOP_CODE_PATTERN})"') == n_top, soc
        assert svg.count(">≥$") == n_top, soc  # each such tile's label, and no other
        for st in vals.loc[vals["top_coded"], "state_code"]:
            assert f"<title>{st}: ≥$" in svg  # and its tooltip
    audit = topped[topped["soc_code"].isin(["29-1023", "29-1022", "29-1214", "29-1222"])]
    assert len(audit) == 26


@pytest.mark.slow
@pytest.mark.parametrize("vintage", ["2024-34", "2023-33", "2022-32"])
def test_more_than_x_percent_counts_ties_as_not_fewer(real, vintage):
    proj = store.table("projections", real)
    det = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")]
    openings = det["openings_per_year"].to_numpy(dtype=float)
    n = len(det)
    for soc in det["soc_code"]:
        facts = store.quick_facts(soc, vintage, real)
        fewer = int((openings < facts["openings_per_year"]).sum())
        assert facts["openings_fewer_count"] == fewer
        h = [t for k, t in highlights.derive(facts) if t.startswith("Many openings")]
        if h:  # the count with fewer openings and its exact share: never a floored "more than X%"
            assert f"{fewer:,} of the {n:,} detailed occupations ({fixed(100 * fewer / n, 1)}%) have fewer" in h[0]
            assert "more than" not in h[0]
    if vintage == "2024-34":
        text = next(t for k, t in highlights.derive(store.quick_facts("11-1011", vintage, real))
                    if t.startswith("Many openings"))
        assert "673 of the 832 detailed occupations (80.9%) have fewer" in text


def test_an_exact_whole_share_is_not_said_to_be_more_than_itself(real):
    """The audit's case: exactly 75.000% of occupations with fewer openings must not read "more than 75%"; the
    facts are a real occupation's with the counts set so the share is whole."""
    facts = dict(store.quick_facts("29-2072", "2024-34", real), openings_rank=1, openings_fewer_count=624,
                 detailed_count=832)
    (text,) = [t for k, t in highlights.derive(facts) if t.startswith("Many openings")]
    assert "624 of the 832 detailed occupations (75.0%) have fewer" in text and "more than" not in text
    facts = dict(facts, openings_rank=833 - 208, openings_per_year=0)  # 624 have more: a "few openings" con
    (text,) = [t for k, t in highlights.derive(facts) if t.startswith("Few openings")]
    assert text.startswith("Few openings: fewer than 50 a year; 624 of the 832 detailed occupations (75.0%) have more")


def test_the_growth_part_of_openings_is_blss_annual_average_change(real):
    seps = store.table("separations", real)
    proj = store.table("projections", real).set_index(["vintage", "soc_code"])
    keyed = seps.set_index(["vintage", "soc_code"])
    change = proj.loc[keyed.index, "employment_change_people"].to_numpy(dtype=float)
    years = (proj.loc[keyed.index, "projected_year"] - proj.loc[keyed.index, "base_year"]).to_numpy(dtype=float)
    growth = keyed["growth_openings_per_year"].to_numpy(dtype=float)
    assert len(growth) > 2000  # two workbook releases of 1,113 rows each
    assert np.array_equal(growth, change / years)
    assert (np.sign(growth) == np.sign(change)).all()  # the audit found 15 of the wrong sign before
    assert keyed.loc[("2024-34", "19-3011"), "growth_openings_per_year"] == 20  # +200 jobs over ten years


def test_openings_per_100_jobs_are_rounded_half_up_on_the_exact_ratio(real):
    proj = store.table("projections", real)
    rows = proj.dropna(subset=["openings_per_100_jobs"])
    halves = 0
    for o, e, got in zip(rows["openings_per_year"], rows["employment_base_people"], rows["openings_per_100_jobs"],
                         strict=True):
        exact = Fraction(100 * int(o), int(e))
        want = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        halves += (exact * 20).denominator == 1 and (exact * 10).denominator != 1  # exactly x.x5
        assert Decimal(repr(got)) == want, (o, e, got, want)
    assert halves > 0  # the sweep meets real half-way cases
