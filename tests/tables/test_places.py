"""`analysis.tables.places` on the real May 2025 tables: areas, one area's row beside its state's and the nation's,
metropolitan rankings, industries."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.tables import places


def test_areas_lists_every_area_in_order(real):
    a = places.areas(p=real)
    assert list(a.columns) == places.AREA_COLUMNS and len(a) == 1 + 54 + 393 + 135
    assert a.iloc[0].to_dict() == {"area_code": "99", "area_title": "U.S.", "area_type": 1,
                                   "area_type_name": "national", "state_code": "US"}
    assert a.area_type.is_monotonic_increasing
    states = a[a.area_type == 2]
    assert states.area_title.tolist() == sorted(states.area_title)


def test_areas_matching_a_code_or_part_of_a_title(real):
    assert places.areas("26420", p=real).area_title.tolist() == ["Houston-Pasadena-The Woodlands, TX"]
    spring = places.areas("springfield", p=real)
    assert spring.area_code.tolist() == ["21660", "44100", "44140", "44180", "44220"]
    assert places.areas("SPRINGFIELD, m", p=real).area_title.tolist() == ["Springfield, MA", "Springfield, MO"]
    assert places.areas("nonmetropolitan area", p=real).area_type.eq(6).all()
    assert places.areas("no such place", p=real).empty


def test_find_area(real):
    assert places.find_area("Houston", p=real) == {
        "area_code": "26420", "area_title": "Houston-Pasadena-The Woodlands, TX", "area_type": 4,
        "area_type_name": "metropolitan", "state_code": "TX"}
    assert places.find_area("26420", p=real)["area_title"].startswith("Houston")
    assert places.find_area("6", p=real)["area_title"] == "California"  # a FIPS code without its zero
    assert places.find_area("new york", p=real)["area_type_name"] == "state"  # the whole title wins
    assert places.find_area("springfield il", p=real)["area_code"] == "44100"  # words that start words
    assert places.find_area("0100001", p=real)["area_type_name"] == "nonmetropolitan"


def test_ambiguous_area_lists_the_candidates(real):
    with pytest.raises(ParameterError) as err:
        places.find_area("Springfield", p=real)
    assert str(err.value) == (
        "area 'Springfield' matches 5 areas: 21660 Eugene-Springfield, OR (metropolitan); 44100 Springfield, IL "
        "(metropolitan); 44140 Springfield, MA (metropolitan); 44180 Springfield, MO (metropolitan); 44220 "
        "Springfield, OH (metropolitan); give its code")
    assert err.value.render({"area": "--area"}).startswith("--area 'Springfield' matches 5 areas")
    with pytest.raises(ParameterError, match=r"^area 'Portland' matches 2 areas: 38860 Portland-South Portland, ME "
                                             r"\(metropolitan\); 38900 Portland-Vancouver-Hillsboro, OR-WA"):
        places.find_area("Portland", p=real)
    with pytest.raises(ParameterError, match=r"^area 'nonmetropolitan' matches 135 areas: 0200006 Alaska "
                                             r"nonmetropolitan area \(nonmetropolitan\); .*; and 127 more; "
                                             r"give its code$"):
        places.find_area("nonmetropolitan", p=real)


def test_unknown_area_names_the_closest(real):
    with pytest.raises(ParameterError) as err:
        places.find_area("Huston", p=real)
    assert str(err.value).startswith("area 'Huston' is not an OEWS area; closest: 26420 Houston-Pasadena-The "
                                     "Woodlands, TX (metropolitan)")
    assert "\n" not in str(err.value)
    with pytest.raises(ParameterError,
                       match=r"^area 'Xyzzy' is not an OEWS area and no area's code or name is close to it$"):
        places.find_area("Xyzzy", p=real)
    with pytest.raises(ParameterError, match=r"^area '12345' is not an OEWS area"):
        places.find_area("12345", p=real)
    with pytest.raises(ParameterError, match="^area is empty"):
        places.find_area("  ", p=real)


def test_area_wages_houston(real):
    got = places.area_wages("29-2072", "26420", p=real)
    assert got.role.tolist() == ["area", "state", "nation"]
    assert got.area_code.tolist() == ["26420", "48", "99"]
    houston = got.iloc[0]
    assert (houston.employment_people, houston.annual_median_usd, houston.location_quotient) == (3_680, 51_250, 0.89)
    assert got.iloc[2].employment_people == 194_720 and got.iloc[2].annual_median_usd == 51_140
    assert places.area_wages("29-2072", "Texas", p=real).role.tolist() == ["area", "nation"]
    assert places.area_wages("29-2072", "99", p=real).role.tolist() == ["area"]


def test_area_wages_nonmetropolitan(real):
    got = places.area_wages("29-2072", "Northwest Alabama", p=real)
    assert got.area_code.tolist() == ["0100001", "01", "99"]
    assert got.iloc[0].employment_people == 110 and got.iloc[0].annual_median_usd == 49_970
    assert got.iloc[0].area_type_name == "nonmetropolitan" and got.iloc[1].area_title == "Alabama"


def test_area_wages_where_the_occupation_is_not_published(real):
    """No estimate in the area: its role is missing, the state's and the nation's are there."""
    w = places.store.table("wages", real)
    have = set(w.loc[w.soc_code == "29-2072", "area_code"])
    missing = next(c for c in places.areas(p=real).query("area_type == 4").area_code if c not in have)
    assert places.area_wages("29-2072", missing, p=real).role.tolist() == ["state", "nation"]


def test_bad_soc_codes(real):
    with pytest.raises(ParameterError, match=r"SOC code '292072' is malformed"):
        places.area_wages("292072", "26420", p=real)
    with pytest.raises(ParameterError, match=r"^SOC code 29-9999 has no OEWS estimates for May 2025$"):
        places.metro_rank("29-9999", p=real)


def test_metro_rank_medical_records_specialists(real):
    r = places.metro_rank("29-2072", p=real)
    assert (r["wage_year"], r["metro_areas"], r["pay_basis"]) == (2025, 393, "annual")
    assert (r["publishing"], r["publishing_employment"], r["publishing_pay"]) == (375, 373, 374)
    top = r["by_pay"].iloc[0]
    assert (top.area_title, top.annual_median_usd, top.employment_people, top["rank"]) == (
        "San Jose-Sunnyvale-Santa Clara, CA", 86_890, 920, 1)
    assert r["by_employment"].iloc[0].area_title == "New York-Newark-Jersey City, NY-NJ"
    assert r["by_location_quotient"].iloc[0].area_code == "21820"
    assert all(len(r[k]) == 10 for k in ("by_employment", "by_location_quotient", "by_pay"))
    everything = places.metro_rank("29-2072", n=None, p=real)
    assert len(everything["by_pay"]) == 374 and len(everything["by_employment"]) == 373


def test_ties_share_the_best_place_and_are_listed_by_title(real):
    lq = places.metro_rank("29-2072", n=None, p=real)["by_location_quotient"]
    tied = lq[lq.duplicated("location_quotient", keep=False)]
    assert not tied.empty
    for _, group in tied.groupby("location_quotient"):
        assert group["rank"].nunique() == 1 and group.area_title.tolist() == sorted(group.area_title)
        assert group["rank"].iloc[0] == 1 + (lq.location_quotient > group.location_quotient.iloc[0]).sum()


def test_suppressed_and_top_coded_metro_values(real):
    """Anesthesiologists (29-1211): employment not released in 20 metro areas, the median top-coded in 28 and not
    published in 6. Suppressed values are left out of each ranking; a top-coded median is ranked with its bound
    ($239,200), after the exact medians above it, and gets a range of places."""
    r = places.metro_rank("29-1211", n=None, p=real)
    assert (r["publishing"], r["publishing_employment"], r["publishing_pay"]) == (71, 51, 65)
    assert r["by_employment"].employment_people.notna().all() and len(r["by_employment"]) == 51
    pay = r["by_pay"]
    top = pay[pay.annual_median_usd_top_coded]
    assert len(top) == 28 and (top.annual_median_usd == 239_200).all()
    above = (pay.annual_median_usd > 239_200).sum()
    assert top.index.tolist() == list(range(above, above + 28))  # right after the exact values above the bound
    assert (top["rank"] == 1).all() and (top["rank_worst"] == above + 28).all()
    exact = pay[~pay.annual_median_usd_top_coded]
    assert (exact["rank_worst"] >= exact["rank"]).all()
    first = pay.iloc[0]
    assert (first["rank"], first["rank_worst"]) == (1, 29)  # any of the 28 top-coded medians may be higher
    assert pd.isna(pay.employment_people).any()  # a median with its employment not released is still ranked


def test_hourly_only_occupation_is_ranked_by_hourly_pay(real):
    r = places.metro_rank("27-2011", n=3, p=real)
    assert r["pay_basis"] == "hourly" and "hourly_median_usd" in r["by_pay"].columns
    assert r["by_pay"].hourly_median_usd.is_monotonic_decreasing


def test_industries_of_medical_records_specialists(real):
    r = places.industries("29-2072", p=real)
    emp = r["by_employment"]
    assert emp.iloc[:2][["naics", "naics_title", "employment_people", "annual_median_usd",
                         "share_of_occupation_percent"]].values.tolist() == [
        ["622100", "General Medical and Surgical Hospitals", 51_740, 59_460, 26.6],
        ["621100", "Offices of Physicians", 34_860, 47_120, 17.9]]
    assert r["level"] == "4-digit" and r["publishing"] == 45 and len(emp) == 10
    assert r["by_pay"].annual_median_usd.is_monotonic_decreasing
    three = places.industries("29-2072", level="3-digit", n=2, p=real)["by_employment"]
    # 621000 Ambulatory Health Care Services 55,630 beats 622000 Hospitals 55,530
    assert three.naics.tolist() == ["621000", "622000"]
    sectors = places.industries("29-2072", level="sector", n=None, p=real)["by_employment"]
    assert not sectors.naics.isin(["999101", "999201", "999301"]).any()  # ownership totals overlap the sectors


def test_industries_never_mix_in_ownership_specific_rows(real):
    r = places.industries("25-2021", level="4-digit", n=None, p=real)
    assert not r["by_employment"].naics.isin(["611002", "611003", "611005"]).any()
    assert r["by_employment"].share_of_occupation_percent.sum() <= 100.5


def test_bad_industry_level(real):
    with pytest.raises(ParameterError, match=r"industry level '2-digit' is not one of sector, 3-digit, 4-digit, "
                                             r"5-digit, 6-digit"):
        places.industries("29-2072", level="2-digit", p=real)
