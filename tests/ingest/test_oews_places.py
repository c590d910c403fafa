"""The OEWS reader on the metropolitan/nonmetropolitan file and the national-by-industry file, and on small broken
copies of them: one reader, no case per file; every failure one line naming the file, row and column."""

from __future__ import annotations

import csv
import gzip
import io

import pandas as pd
import pytest

from analysis import paths
from analysis.errors import DataError
from analysis.ingest import oews
from analysis.ingest.oews import fields

FOLDER = paths.project().raw / "bls-oews" / "2025"
METRO = FOLDER / "oews_metro_M2025.csv.gz"
INDUSTRY = FOLDER / "oews_national_industry_M2025.csv.gz"
STATE = FOLDER / "oews_national_state_M2025.csv.gz"

pytestmark = pytest.mark.skipif(not (METRO.exists() and INDUSTRY.exists()), reason="OEWS snapshots not present")


def text_rows(path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture(scope="session")
def metro_rows() -> list[list[str]]:
    return text_rows(METRO)


@pytest.fixture(scope="session")
def industry_rows() -> list[list[str]]:
    return text_rows(INDUSTRY)


@pytest.fixture(scope="session")
def metro() -> pd.DataFrame:
    return oews.read_oews(METRO)


@pytest.fixture(scope="session")
def industry() -> pd.DataFrame:
    return oews.read_oews(INDUSTRY)


def cut(rows: list[list[str]], picks) -> list[list[str]]:
    """The header and the data rows whose 0-based indices are ``picks``, as new lists (safe to edit)."""
    return [list(rows[0])] + [list(rows[i + 1]) for i in picks]


def set_cell(rows, r: int, col: str, value: str) -> list[list[str]]:
    """``rows`` with data row ``r`` (1-based) of column ``col`` set to ``value``."""
    rows[r][rows[0].index(col)] = value
    return rows


def write(tmp_path, rows, name="MSA_M2025_dl.csv"):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def first_rows(rows, n, **where) -> list[int]:
    """0-based indices of the first ``n`` data rows whose columns equal ``where``."""
    idx = [rows[0].index(c) for c in where]
    want = list(where.values())
    return [i for i, r in enumerate(rows[1:]) if [r[j] for j in idx] == want][:n]


# --------------------------------------------------------------------------------------------------
# The real files
# --------------------------------------------------------------------------------------------------


def test_metro_file(metro):
    assert list(metro.columns) == fields.COLUMNS
    assert len(metro) == 198_287 and oews.kind(metro) == "metro"
    areas = metro.drop_duplicates("area_code")
    assert areas["area_type"].value_counts().to_dict() == {4: 393, 6: 135}
    assert set(areas["area_type_name"]) == {"metropolitan", "nonmetropolitan"}
    assert (areas.loc[areas.area_type == 4, "area_code"].str.len() == 5).all()
    assert (areas.loc[areas.area_type == 6, "area_code"].str.len() == 7).all()
    # Filled in the file as BLS fills its cross-industry rows
    assert set(metro.naics) == {"000000"} and set(metro.own_code) == {"1235"} and not metro.ownership_specific.any()
    assert set(metro.industry_level) == {"cross-industry"}
    abilene = metro[(metro.area_code == "10180") & (metro.soc_code == "29-2072")].iloc[0]
    assert (abilene.area_title, abilene.state_code, abilene.employment_people, abilene.annual_median_usd) == (
        "Abilene, TX", "TX", 80, 48_390)
    assert metro.loc[metro.area_code == "0100001", "area_title"].iloc[0] == "Northwest Alabama nonmetropolitan area"
    assert metro[metro.soc_code == "29-2072"].area_code.nunique() == 507


def test_industry_file(industry):
    assert len(industry) == 133_373 and oews.kind(industry) == "national-industry"
    assert set(industry.area_code) == {"99"} and set(industry.state_code) == {"US"}
    hosp = industry[(industry.naics == "622100") & (industry.soc_code == "29-2072")].iloc[0]
    assert (hosp.naics_title, hosp.industry_level, hosp.own_code) == (
        "General Medical and Surgical Hospitals", "4-digit", "1235")
    assert (hosp.employment_people, hosp.annual_median_usd, hosp.ownership_specific) == (51_740, 59_460, False)
    assert industry[industry.soc_code == "29-2072"].shape[0] == 120  # SOURCES.md says 121; the file holds 120
    levels = industry.drop_duplicates(["naics", "own_code"]).set_index(["naics", "own_code"])
    # Ownership-specific: an ownership's part of an industry, or OEWS's ownership totals coded 1235
    assert levels.loc[("622105", "5"), "ownership_specific"] and levels.loc[("000001", "5"), "ownership_specific"]
    assert levels.loc[("999201", "1235"), "ownership_specific"]
    assert not levels.loc[("62--63", "1235"), "ownership_specific"] and levels.loc[("62--63", "1235"),
                                                                                   "industry_level"] == "sector"
    assert not levels.loc[("3250A1", "1235"), "ownership_specific"]


def test_cross_industry_file_without_industry_columns(tmp_path, metro_rows):
    """An older cross-industry layout (no NAICS, NAICS_TITLE, I_GROUP, OWN_CODE): filled as BLS fills them."""
    drop = {"NAICS", "NAICS_TITLE", "I_GROUP", "OWN_CODE"}
    keep = [j for j, h in enumerate(metro_rows[0]) if h not in drop]
    rows = [[r[j] for j in keep] for r in metro_rows[:31]]
    got = oews.read_oews(write(tmp_path, rows))
    assert (set(got.naics), set(got.naics_title), set(got.industry_level), set(got.own_code)) == (
        {"000000"}, {"Cross-industry"}, {"cross-industry"}, {"1235"})


def test_xlsx_metro_codes_that_lost_their_zeros(tmp_path, metro_rows):
    """BLS's .xlsx with lower-case headers and codes stored as numbers: 0100001 comes back from 100001."""
    picks = first_rows(metro_rows, 5, AREA="0100001") + first_rows(metro_rows, 5, AREA="10180")
    rows = cut(metro_rows, picks)
    frame = pd.DataFrame(rows[1:], columns=[h.lower() for h in rows[0]])
    for col in ("area", "naics", "own_code", "area_type"):
        frame[col] = frame[col].astype(int)
    xl = tmp_path / "MSA_M2025_dl.xlsx"
    frame.to_excel(xl, index=False, engine="openpyxl")
    got = oews.read_oews(xl)
    assert got.area_code.tolist() == ["0100001"] * 5 + ["10180"] * 5
    assert set(got.naics) == {"000000"} and set(got.own_code) == {"1235"}


# --------------------------------------------------------------------------------------------------
# Broken copies: (file, rows to keep, edit) -> the message, with the row and column it names
# --------------------------------------------------------------------------------------------------


def test_missing_column(tmp_path, metro_rows):
    rows = cut(metro_rows, range(5))
    rows[0][rows[0].index("AREA_TITLE")] = "AREA_TITEL"
    with pytest.raises(DataError, match=r"MSA_M2025_dl\.csv: required column AREA_TITLE is missing"):
        oews.read_oews(write(tmp_path, rows))


def test_industry_file_without_i_group(tmp_path, industry_rows):
    picks = first_rows(industry_rows, 3, NAICS="622100")
    rows = cut(industry_rows, picks)
    at = rows[0].index("I_GROUP")
    rows = [r[:at] + r[at + 1:] for r in rows]
    with pytest.raises(DataError, match=r"nat4d_M2025_dl\.csv \(row 1, line 2, column NAICS\): required column "
                                        r"I_GROUP is missing \(needed where NAICS is not 000000, here '622100'\)"):
        oews.read_oews(write(tmp_path, rows, "nat4d_M2025_dl.csv"))


def test_duplicate_area_rows(tmp_path, metro_rows):
    rows = cut(metro_rows, [0, 1, 2, 3, 1])
    with pytest.raises(DataError) as err:
        oews.read_oews(write(tmp_path, rows))
    assert str(err.value) == (
        f"{tmp_path}/MSA_M2025_dl.csv (row 2, line 3, column OCC_CODE): area 10180 / SOC 11-0000 (NAICS 000000, "
        "ownership 1235) appears more than once (also row 5, line 6); a file has one row per area, industry, "
        "ownership and occupation")


def test_same_occupation_in_two_industries_is_no_duplicate(industry_rows):
    """The key is area, industry, ownership and occupation: 29-2072 has one row in each of 120 industries."""
    assert len(first_rows(industry_rows, 500, OCC_CODE="29-2072")) == 120


@pytest.mark.parametrize(("edit", "message"), [
    (("AREA_TYPE", "5"), r"\(row 3, line 4, column AREA_TYPE\): area type 5 is not one of BLS's \(1 national, "
                         r"2 state, 3 territory, 4 metropolitan, 6 nonmetropolitan\)"),
    (("AREA_TYPE", "6"), r"\(row 3, line 4, column AREA\): area code '10180' is not the code of a nonmetropolitan "
                         r"area \(7 digits\)"),
    (("AREA", "1018"), r"\(row 3, line 4, column AREA\): area code '1018' is not the code of a metropolitan area "
                       r"\(5 digits\)"),
    (("PRIM_STATE", "XX"), r"\(row 3, line 4, column PRIM_STATE\): PRIM_STATE 'XX' of metropolitan area 10180 is not "
                           r"a state or territory postal code"),
    (("PRIM_STATE", "US"), r"\(row 3, line 4, column PRIM_STATE\): PRIM_STATE 'US' of metropolitan area 10180"),
    (("AREA_TITLE", "Abilene, KS"), r"\(row 3, line 4, column AREA_TITLE\): area 10180 has 'Abilene, KS' here but "
                                    r"'Abilene, TX' in row 1, line 2; an area has one title, type and primary state"),
    (("I_GROUP", "4-digit"), r"\(row 3, line 4, column NAICS\): NAICS '000000' is not a 4-digit industry code, as "
                             r"its I_GROUP '4-digit' says it is"),
    (("I_GROUP", "7-digit"), r"\(row 3, line 4, column I_GROUP\): industry level '7-digit' is not one of"),
    (("OWN_CODE", "4"), r"\(row 3, line 4, column OWN_CODE\): ownership code '4' is not one of BLS's 1, 2, 3, 5"),
    (("OWN_CODE", "5"), r"\(row 3, line 4, column OWN_CODE\): OWN_CODE 5 on NAICS 000000 \(all industries\), which "
                        r"covers all ownerships \(1235\)"),
])
def test_bad_metro_row(tmp_path, metro_rows, edit, message):
    rows = set_cell(cut(metro_rows, range(6)), 3, *edit)
    with pytest.raises(DataError, match=r"MSA_M2025_dl\.csv " + message):
        oews.read_oews(write(tmp_path, rows))


def test_unknown_state_of_a_nonmetropolitan_area(tmp_path, metro_rows):
    """A nonmetropolitan area's code starts with its state's FIPS code: 0100001 is in Alabama, not Georgia."""
    rows = cut(metro_rows, first_rows(metro_rows, 3, AREA="0100001"))
    for r in rows[1:]:
        r[rows[0].index("PRIM_STATE")] = "GA"
    with pytest.raises(DataError, match=r"\(row 1, line 2, column AREA\): area code 0100001 of nonmetropolitan area "
                                        r"'Northwest Alabama nonmetropolitan area' disagrees with its PRIM_STATE GA "
                                        r"\(FIPS code 13\)"):
        oews.read_oews(write(tmp_path, rows))


def test_state_code_must_match_its_fips(tmp_path):
    rows = text_rows(STATE)[:1] + [r for r in text_rows(STATE)[1:] if r[0] == "06"][:3]
    rows[2][rows[0].index("PRIM_STATE")] = "OR"
    with pytest.raises(DataError, match=r"\(row 2, line 3, column AREA\): area code 06 of state area 'California' "
                                        r"disagrees with its PRIM_STATE OR \(FIPS code 41\)"):
        oews.read_oews(write(tmp_path, rows, "state_M2025_dl.csv"))


@pytest.mark.parametrize(("naics", "level", "ok"), [
    ("622100", "3-digit", False), ("622000", "4-digit", True),  # BLS lists 3-digit industries as 4-digit too
    ("62--63", "sector", True), ("31-33", "sector", True), ("62", "sector", True), ("622100", "sector", False),
    ("3250A1", "4-digit", True), ("622105", "5-digit", True), ("622100", "5-digit", False),
    ("000001", "cross-industry", True), ("622100", "cross-industry", False),
])
def test_inconsistent_industry_level(tmp_path, industry_rows, naics, level, ok):
    rows = cut(industry_rows, first_rows(industry_rows, 3, NAICS="622100"))
    for r in rows[1:]:
        r[rows[0].index("NAICS")], r[rows[0].index("I_GROUP")] = naics, level
    path = write(tmp_path, rows, "nat4d_M2025_dl.csv")
    if ok:
        assert set(oews.read_oews(path).naics) == {naics}
    else:
        with pytest.raises(DataError, match=rf"nat4d_M2025_dl\.csv \(row 1, line 2, column NAICS\): NAICS '{naics}' "
                                            rf"is not a {level} industry code"):
            oews.read_oews(path)
