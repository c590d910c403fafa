"""The OEWS tables: `wages` (every area, cross-industry) and `wages_industries` (the nation by industry), built from
several OEWS files a year; two files holding the same estimate are refused, naming both."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.errors import DataError
from analysis.ingest import oews, sidecars
from analysis.ingest.oews import fields
from analysis.paths import Paths
from analysis.tables import store, wages

FOLDER = "bls-oews/2025"
STATE = f"{FOLDER}/oews_national_state_M2025.csv.gz"
METRO = f"{FOLDER}/oews_metro_M2025.csv.gz"
INDUSTRY = f"{FOLDER}/oews_national_industry_M2025.csv.gz"


@pytest.fixture(scope="module")
def w(real) -> pd.DataFrame:
    return store.table("wages", real)


@pytest.fixture(scope="module")
def ind(real) -> pd.DataFrame:
    return store.table("wages_industries", real)


def test_wages_holds_every_area(w):
    assert len(w) == 38_512 + 198_287
    assert not w.duplicated(["wage_year", "area_code", "soc_code"]).any()
    areas = w.drop_duplicates("area_code")
    assert areas.area_type_name.value_counts().to_dict() == {"metropolitan": 393, "nonmetropolitan": 135,
                                                             "state": 54, "national": 1}
    # Every column it had, with its meaning; the industry columns stay out (all rows are NAICS 000000, 1235)
    assert list(w.columns) == [c for c in fields.COLUMNS if c not in wages.INDUSTRY_COLUMNS]
    assert w.columns[w.columns.get_loc("area_type") + 1] == "area_type_name"
    # The nation first, then the states in file order, then metropolitan and nonmetropolitan areas
    assert w.area_type.is_monotonic_increasing and w.iloc[0].area_code == "99" and w.iloc[1104].area_code == "01"
    houston = w[(w.area_code == "26420") & (w.soc_code == "29-2072")].iloc[0]
    assert (houston.employment_people, houston.annual_median_usd, houston.state_code) == (3_680, 51_250, "TX")
    ca = w[(w.area_code == "06") & (w.soc_code == "29-2072")].iloc[0]
    assert (ca.employment_people, ca.annual_median_usd, ca.area_type_name) == (18_700, 61_810, "state")


def test_national_and_state_rows_are_unchanged(real, w):
    """The rows `wages` held before the metropolitan file came are the same rows, in the same order."""
    before = oews.read_oews(real.raw / STATE).drop(columns=wages.INDUSTRY_COLUMNS)
    pd.testing.assert_frame_equal(w[w.area_type <= 2].reset_index(drop=True), before)


def test_wages_industries(ind):
    assert len(ind) == 133_373 and "area_code" not in ind.columns and "location_quotient" not in ind.columns
    assert not ind.duplicated(["wage_year", "naics", "own_code", "soc_code"]).any()
    assert set(ind.industry_level) == {"cross-industry", "sector", "3-digit", "4-digit", "5-digit"}
    row = ind[(ind.soc_code == "29-2072") & (ind.naics == "622100")].iloc[0]
    assert (row.naics_title, row.industry_level, row.own_code, row.ownership_specific) == (
        "General Medical and Surgical Hospitals", "4-digit", "1235", False)
    assert (row.employment_people, row.annual_median_usd, row.share_of_occupation_percent) == (51_740, 59_460, 26.6)
    doc = ind[(ind.soc_code == "29-2072") & (ind.naics == "621100")].iloc[0]
    assert (doc.employment_people, doc.annual_median_usd, doc.share_of_occupation_percent) == (34_860, 47_120, 17.9)
    three = ind[(ind.soc_code == "29-2072") & (ind.industry_level == "3-digit")].set_index("naics")
    assert three.loc["622000", "employment_people"] == 55_530 and three.loc["621000", "annual_median_usd"] == 47_730
    owned = ind[ind.ownership_specific]
    assert set(owned.own_code) == {"2", "3", "5", "1235"}
    assert set(owned.loc[owned.own_code == "1235", "naics"]) == {"999001", "999101", "999201", "999301"}


def test_share_of_occupation(ind, w):
    """Employment ÷ the occupation's national cross-industry employment, rounded half up on the exact ratio;
    missing where either is not published."""
    nation = w[w.area_code == "99"].set_index("soc_code")["employment_people"]
    part, whole = ind.employment_people, ind.soc_code.map(nation)
    known = part.notna() & whole.notna()
    assert ind.share_of_occupation_percent[~known].isna().all() and (~known).sum() > 0
    exact = part[known].astype(float) / whole[known].astype(float) * 100
    assert (ind.share_of_occupation_percent[known] - exact).abs().max() <= 0.05 + 1e-9
    # The plain industries of one level never hold more than all of the occupation (give or take the rounding);
    # with the ownership-specific ones, which overlap them, they would (twice over for 25-1065 at 4 digits)
    for level in ("sector", "4-digit"):
        rows = ind[ind.industry_level == level]
        assert rows[~rows.ownership_specific].groupby("soc_code").share_of_occupation_percent.sum().max() <= 100.5
    assert rows.groupby("soc_code").share_of_occupation_percent.sum().max() > 190


def test_share_rounds_half_up_on_the_ratio():
    ind = pd.DataFrame({"wage_year": [2025] * 4, "soc_code": ["11-1011"] * 4,
                        "employment_people": pd.array([1, 3, None, 5], dtype="Int64")})
    nat = pd.DataFrame({"wage_year": [2025], "area_code": ["99"], "soc_code": ["11-1011"],
                        "employment_people": pd.array([8_000], dtype="Int64")})
    # 1/8000 = 0.0125 % -> 0.0; 3/8000 = 0.0375 -> 0.0; 5/8000 = 0.0625 -> 0.1
    got = wages.share_of_occupation(ind, nat).tolist()
    assert got[:2] == [0.0, 0.0] and np.isnan(got[2]) and got[3] == 0.1
    half = pd.DataFrame({"wage_year": [2025], "soc_code": ["11-1011"], "employment_people": pd.array([1], "Int64")})
    assert wages.share_of_occupation(half, nat.assign(employment_people=pd.array([400], "Int64"))).iloc[0] == 0.3
    assert wages.share_of_occupation(half, nat.assign(employment_people=pd.array([2_000], "Int64"))).iloc[0] == 0.1
    assert np.isnan(wages.share_of_occupation(half, nat.assign(soc_code="11-1021")).iloc[0])  # no national row


def frames(real: Paths, *names: str) -> list[tuple[pd.DataFrame, dict]]:
    return [(oews.read_oews(real.raw / n), {"path": real.raw / n}) for n in names]


def test_two_files_with_the_same_estimates_are_refused(real, tmp_path):
    """A BLS national file beside our national-and-state file: the U.S. rows would be there twice."""
    text = gzip.decompress((real.raw / STATE).read_bytes()).decode()
    lines = text.splitlines(keepends=True)
    nat = tmp_path / "national_M2025_dl.csv"
    nat.write_text("".join(lines[:200]))
    files = frames(real, STATE) + [(oews.read_oews(nat), {"path": nat})]
    with pytest.raises(DataError) as err:
        wages.wage_tables(files)
    assert str(err.value) == (f"{nat}: holds OEWS estimates that oews_national_state_M2025.csv.gz holds too "
                              "(first: area 99, NAICS 000000, ownership 1235, SOC 00-0000, May 2025); an estimate "
                              "comes from one file: remove one of them")
    # Other occupations of the same area (a file split by occupation) are no overlap
    rest = tmp_path / "rest_M2025.csv"
    rest.write_text(lines[0] + "".join(lines[200:1105]))
    first = tmp_path / "first_M2025.csv"
    first.write_text("".join(lines[:200]))
    got = wages.wage_tables([(oews.read_oews(p), {"path": p}) for p in (first, rest)])
    assert len(got["wages"]) == 1104 and got["wages_industries"].empty


def test_industry_rows_below_the_nation_are_refused(real, tmp_path):
    text = gzip.decompress((real.raw / INDUSTRY).read_bytes()).decode().splitlines(keepends=True)
    head, rows = text[0], [r for r in text[1:4]]
    state = [r.replace("99,U.S.,1,US,", "06,California,2,CA,", 1) for r in rows]
    path = tmp_path / "state_industry_M2025.csv"
    path.write_text(head + "".join(state))
    with pytest.raises(DataError, match=r"state_industry_M2025\.csv: holds industry estimates for area 06 "
                                        r"'California' \(NAICS 000001, ownership 5\); only the nation's industry "
                                        r"estimates are read"):
        wages.wage_tables([(oews.read_oews(path), {"path": path})])


@pytest.mark.slow
def test_build_refuses_a_second_file_with_the_same_rows(tmp_project: Paths, capsys):
    """`career-report data` with a copy of the metropolitan file under another name: exit 2, one line naming both."""
    raw = tmp_project.raw
    copy = raw / FOLDER / "MSA_M2025_dl.csv.gz"
    shutil.copyfile(raw / METRO, copy)
    meta = {k: v for k, v in sidecars.read_sidecar(raw / METRO).items() if k not in ("path", "sha256", "bytes")}
    sidecars.write_sidecar(copy, meta)
    before = {f.name: f.read_bytes() for f in tmp_project.processed.iterdir()}
    assert main(["data"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"career-report: error: {raw / METRO}: holds OEWS estimates that MSA_M2025_dl.csv.gz holds too "
                   "(first: area 10180, NAICS 000000, ownership 1235, SOC 00-0000, May 2025); an estimate comes from "
                   "one file: remove one of them")
    assert {f.name: f.read_bytes() for f in tmp_project.processed.iterdir()} == before


@pytest.mark.slow
def test_build_checks_the_kind_a_sidecar_records(tmp_project: Paths, capsys):
    side = sidecars.sidecar_path(tmp_project.raw / METRO)
    side.write_text(side.read_text().replace("kind: metro\n", "kind: national-industry\n"))
    assert main(["data"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"career-report: error: {tmp_project.raw / METRO}: its rows give kind metro, but its sidecar records "
        "national-industry")
