"""BLS Employment Projections parser, on the real raw files and on broken copies made from them."""

from __future__ import annotations

import copy
import gzip
import math
import zipfile

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.errors import DataError
from analysis.ingest import sniff
from analysis.ingest.projections import detect, read_release
from analysis.ingest.projections.columns import PROJECTION_COLUMNS, SEPARATION_COLUMNS

RAW = paths.project().raw
EP_2024 = RAW / "bls-ep" / "2024-34" / "occupation.xlsx"
EP_2023 = RAW / "bls-ep" / "2023-33" / "occupation.xlsx"
EP_2022 = RAW / "bls-ep" / "2022-32" / "Employment Projections.csv"
FILES = {"2024-34": EP_2024, "2023-33": EP_2023, "2022-32": EP_2022}


@pytest.fixture(scope="session")
def releases():
    return {vintage: read_release(path) for vintage, path in FILES.items()}


def _row(df: pd.DataFrame, soc: str) -> pd.Series:
    hit = df[df["soc_code"] == soc]
    assert len(hit) == 1, soc
    return hit.iloc[0]


# ---------------------------------------------------------------------------------------------------
# Real files
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("vintage", "fmt"), [("2024-34", "ep-workbook"), ("2023-33", "ep-workbook"),
                                              ("2022-32", "ep-csv")])
def test_detect_real_releases(vintage, fmt):
    assert detect(FILES[vintage]) == {"format": fmt, "vintage": vintage}


@pytest.mark.parametrize("name", ["bls-oews/2025/oews_national_state_M2025.csv.gz",
                                  "onet/29.2/Occupation Data.txt",
                                  "onet/29.2/2019_to_SOC_Crosswalk.xlsx",
                                  "bls-ep/2024-34/occupation.xlsx.source.yml"])
def test_detect_other_files_is_none(name):
    assert detect(RAW / name) is None


def test_not_an_ep_release_raises():
    with pytest.raises(DataError, match=r"2019_to_SOC_Crosswalk\.xlsx.*no sheet named 'Table 1\.2'"):
        read_release(RAW / "onet" / "29.2" / "2019_to_SOC_Crosswalk.xlsx")
    with pytest.raises(DataError, match=r"Occupation Data\.txt.*not a BLS Employment Projections CSV"):
        read_release(RAW / "onet" / "29.2" / "Occupation Data.txt")


@pytest.mark.parametrize(("vintage", "base", "projected", "wage_year", "fmt"), [
    ("2024-34", 2024, 2034, 2024, "ep-workbook"),
    ("2023-33", 2023, 2033, 2023, "ep-workbook"),
    ("2022-32", 2022, 2032, 2023, "ep-csv"),  # the tool's wage column is "Median Annual Wage 2023"
])
def test_release_years_come_from_headers(releases, vintage, base, projected, wage_year, fmt):
    rel = releases[vintage]
    assert (rel.vintage, rel.base_year, rel.projected_year, rel.wage_year, rel.format) == (
        vintage, base, projected, wage_year, fmt)
    df = rel.projections
    assert list(df.columns) == PROJECTION_COLUMNS
    assert set(df["vintage"]) == {vintage}
    assert set(df["base_year"]) == {base} and set(df["projected_year"]) == {projected}
    assert set(df["wage_year"]) == {wage_year}
    for col in ("employment_base_people", "employment_projected_people", "employment_change_people",
                "openings_per_year", "hierarchy_depth"):
        assert str(df[col].dtype) == "Int64", col
    assert df["median_wage_top_coded"].dtype == bool and df["is_computed"].dtype == bool
    assert df["soc_code"].is_unique


@pytest.mark.parametrize("vintage", ["2024-34", "2023-33"])
def test_workbook_row_counts(releases, vintage):
    rel = releases[vintage]
    assert len(rel.projections) == 1113
    assert rel.projections["occupation_type"].value_counts().to_dict() == {"Line item": 832, "Summary": 281}
    assert list(rel.separations.columns) == SEPARATION_COLUMNS
    assert len(rel.separations) == 1113
    assert list(rel.separations["soc_code"]) == list(rel.projections["soc_code"])
    # 29-2010 is a Line item although its code looks like a broad group.
    assert _row(rel.projections, "29-2010")["occupation_type"] == "Line item"
    assert not rel.projections["is_computed"].any()


def test_csv_row_counts(releases):
    rel = releases["2022-32"]
    assert rel.separations is None
    df = rel.projections
    assert len(df) == 833
    assert (df["occupation_type"] == "Line item").sum() == 832
    assert df["is_computed"].sum() == 1 and df.loc[df["is_computed"], "soc_code"].item() == "00-0000"
    assert df["hierarchy_depth"].isna().all()
    assert df["self_employed_percent"].isna().all()


# Published figures (data/shared SOURCES.md): base, projected, change (people), %, openings, wage, ETE.
MEDICAL_RECORDS = {
    "2024-34": (194_800, 208_600, 13_800, 7.1, 14_200, 50_250.0),
    "2023-33": (191_500, 208_200, 16_700, 8.7, 15_000, 48_780.0),
    "2022-32": (194_300, 210_900, 16_500, 8.5, 15_000, 48_780.0),
}


@pytest.mark.parametrize("vintage", list(MEDICAL_RECORDS))
def test_medical_records_specialists(releases, vintage):
    row = _row(releases[vintage].projections, "29-2072")
    base, projected, change, pct, openings, wage = MEDICAL_RECORDS[vintage]
    assert row["title"] == "Medical records specialists"
    assert row["occupation_type"] == "Line item"
    assert (row["employment_base_people"], row["employment_projected_people"],
            row["employment_change_people"], row["openings_per_year"]) == (base, projected, change, openings)
    assert row["change_percent"] == pct
    assert row["median_wage_usd"] == wage and not row["median_wage_top_coded"]
    # 'None' is BLS's value for "no experience / no training needed", not missing data.
    assert (row["education"], row["experience"], row["training"]) == (
        "Postsecondary nondegree award", "None", "None")
    assert not row["is_computed"]


@pytest.mark.parametrize(("vintage", "soc", "base", "projected", "pct", "openings", "wage"), [
    ("2024-34", "29-1141", 3_391_000, 3_557_100, 4.9, 189_100, 93_600),
    ("2024-34", "15-1252", 1_693_800, 1_961_400, 15.8, 115_200, 133_080),
    ("2024-34", "47-2111", 818_700, 896_100, 9.5, 81_000, 62_350),
    ("2023-33", "29-1141", 3_300_100, 3_497_300, 6.0, 194_500, 86_070),
    ("2023-33", "15-1252", 1_692_100, 1_995_700, 17.9, 125_100, 132_270),
    ("2023-33", "47-2111", 779_800, 864_100, 10.8, 80_200, 61_590),
    ("2022-32", "29-1141", 3_172_500, 3_349_900, 5.6, 193_100, None),
    ("2022-32", "15-1252", 1_594_500, 2_004_900, 25.7, 136_300, None),
    ("2022-32", "47-2111", 762_600, 811_800, 6.4, 73_500, None),
])
def test_other_checked_figures(releases, vintage, soc, base, projected, pct, openings, wage):
    row = _row(releases[vintage].projections, soc)
    assert (row["employment_base_people"], row["employment_projected_people"], row["change_percent"],
            row["openings_per_year"]) == (base, projected, pct, openings)
    if wage is not None:
        assert row["median_wage_usd"] == wage


@pytest.mark.parametrize(("vintage", "base", "projected", "change", "pct", "openings", "wage"), [
    ("2024-34", 169_956_100, 175_167_900, 5_211_800, 3.1, 18_863_300, 49_500.0),
    ("2023-33", 167_849_800, 174_589_000, 6_739_200, 4.0, 19_174_800, 48_060.0),
])
def test_workbook_total_row(releases, vintage, base, projected, change, pct, openings, wage):
    df = releases[vintage].projections
    total = df.iloc[0]
    assert (total["soc_code"], total["title"], total["occupation_type"]) == (
        "00-0000", "Total, all occupations", "Summary")
    assert total["hierarchy_depth"] == 0 and not total["is_computed"]
    assert (total["employment_base_people"], total["employment_projected_people"],
            total["employment_change_people"], total["openings_per_year"]) == (
        base, projected, change, openings)
    assert total["change_percent"] == pct and total["median_wage_usd"] == wage
    # Summary rows carry '—' for education etc.: missing, unlike the value 'None'.
    assert total["education"] is None and total["experience"] is None and total["training"] is None


def test_csv_computed_total(releases):
    df = releases["2022-32"].projections
    total = df.iloc[0]
    assert (total["soc_code"], total["title"], total["occupation_type"]) == (
        "00-0000", "Total, all occupations", "Summary")
    assert total["is_computed"]
    # Sum of the 832 rows: 164,483.2 -> 169,147.2 thousand (published: 164,482.6 -> 169,151.1).
    assert total["employment_base_people"] == 164_483_200
    assert total["employment_projected_people"] == 169_147_200
    assert total["employment_change_people"] == 4_664_000
    assert total["change_percent"] == 2.8
    lines = df[~df["is_computed"]]
    assert total["openings_per_year"] == lines["openings_per_year"].sum()
    assert math.isnan(total["median_wage_usd"]) and not total["median_wage_top_coded"]
    assert total["education"] is None and total["experience"] is None and total["training"] is None
    assert total["example_titles"] == ""


def test_hierarchy_depth_and_titles(releases):
    df = releases["2024-34"].projections
    depths = {soc: _row(df, soc)["hierarchy_depth"] for soc in
              ("00-0000", "11-0000", "11-1000", "11-1011", "53-7060", "53-7061")}
    # Chief executives sit right under "Top executives"; hand laborers under a broad group.
    assert depths == {"00-0000": 0, "11-0000": 1, "11-1000": 2, "11-1011": 3, "53-7060": 3, "53-7061": 4}
    assert _row(df, "11-0000")["title"] == "Management occupations"
    assert not df["title"].str.startswith(" ").any()
    assert (df["example_titles"] == "").all()


@pytest.mark.parametrize(("vintage", "n_top"), [("2024-34", 19), ("2023-33", 17), ("2022-32", 15)])
def test_top_coded_wages_flagged(releases, vintage, n_top):
    df = releases[vintage].projections
    # Anesthesiologists are published as '>=$239,200' (workbooks) / '>=239,200' (CSV).
    row = _row(df, "29-1211")
    assert row["median_wage_top_coded"] and row["median_wage_usd"] == 239_200.0
    assert df["median_wage_top_coded"].sum() == n_top  # as many as the '>=' cells in the file
    assert (df.loc[df["median_wage_top_coded"], "median_wage_usd"] == 239_200.0).all()


def test_percent_check_allows_for_rounded_employment(releases):
    # BLS computes percents from unrounded employment: 0.2 -> 0.2 thousand is published as -17.5%.
    # A fixed tolerance on the recomputed percent would reject the real file; the parser must not.
    row = _row(releases["2024-34"].projections, "51-2061")
    assert (row["employment_base_people"], row["employment_projected_people"]) == (200, 200)
    assert row["employment_change_people"] == 0 and row["change_percent"] == -17.5


def test_missing_wages_are_nan(releases):
    df = releases["2022-32"].projections
    actors = _row(df, "27-2011")  # 'N/A' in the CSV: BLS publishes no annual wage for actors
    assert math.isnan(actors["median_wage_usd"]) and not actors["median_wage_top_coded"]
    assert actors["experience"] == "None"


def test_none_is_a_value(releases):
    for vintage in FILES:
        df = releases[vintage].projections
        lines = df[df["occupation_type"] == "Line item"]
        assert (lines["experience"] == "None").sum() > 700
        assert lines["education"].notna().all() and lines["training"].notna().all()


def test_csv_example_titles_and_registered_mark(releases):
    df = releases["2022-32"].projections
    acc = _row(df, "13-2011")
    assert acc["title"] == "Accountants and auditors"
    assert acc["example_titles"].startswith("Account Auditor; Accountant; Auditor; Auditor-In-Charge; CPA")
    assert acc["example_titles"].endswith("Tax Accountant")
    assert "GED® Instructor" in _row(df, "25-3011")["example_titles"]
    assert not df["title"].str.contains("¿").any() and not df["example_titles"].str.contains("¿").any()
    assert _row(df, "27-2011")["title"] == "Actors"


@pytest.mark.parametrize(("vintage", "exits", "transfers", "separations", "openings", "growth"), [
    ("2024-34", 7_100, 5_800, 12_900, 14_200, 1_380),  # +13.8 thousand over ten years
    ("2023-33", 7_000, 6_300, 13_300, 15_000, 1_670),  # +16.7 thousand
])
def test_separations_medical_records(releases, vintage, exits, transfers, separations, openings, growth):
    sep = releases[vintage].separations
    row = _row(sep, "29-2072")
    assert (row["labor_force_exits_per_year"], row["occupational_transfers_per_year"],
            row["separations_per_year"], row["openings_per_year"]) == (
        exits, transfers, separations, openings)
    assert row["growth_openings_per_year"] == growth  # BLS's growth part: the annual average change
    if vintage == "2024-34":
        assert (row["labor_force_exit_rate_percent"], row["occupational_transfer_rate_percent"],
                row["separations_rate_percent"]) == (3.5, 2.9, 6.4)
    proj = releases[vintage].projections.set_index("soc_code")
    change = sep["soc_code"].map(proj["employment_change_people"])
    assert (sep["growth_openings_per_year"] * 10 == change).all()  # every row: a tenth of the ten-year change
    assert (sep["growth_openings_per_year"] < 0).any()  # declining occupations


# ---------------------------------------------------------------------------------------------------
# Broken copies of the real files
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sheets_2024() -> dict[str, list[list]]:
    """The 2024-34 Table 1.2 and 1.10 cell values, read once, as lists a test may copy and edit."""
    wb = openpyxl.load_workbook(EP_2024, read_only=True, data_only=True)
    try:
        return {name: [list(r) for r in wb[name].iter_rows(values_only=True)]
                for name in ("Table 1.2", "Table 1.10")}
    finally:
        wb.close()


@pytest.fixture
def sheets(sheets_2024):
    return copy.deepcopy(sheets_2024)


T12 = "Table 1.2"


def _write(path, sheets: dict[str, list[list]], only: str | None = None):
    """Save ``sheets`` as an .xlsx. ``only="Table 1.2"`` skips Table 1.10 for speed: the parser checks
    Table 1.2 completely before it looks for Table 1.10, so a Table 1.2 fault is reported either way."""
    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        if only and name != only:
            continue
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def _find(rows, soc: str) -> int:
    return next(i for i, r in enumerate(rows) if len(r) > 1 and r[1] == soc)


def _col(rows, header: str) -> int:
    return rows[1].index(header)


def _raises(path, *fragments: str) -> str:
    with pytest.raises(DataError) as info:
        read_release(path)
    msg = str(info.value)
    assert str(path) in msg
    assert "\n" not in msg
    for frag in fragments:
        assert frag in msg, (frag, msg)
    return msg


def test_rebuilt_copy_parses_like_the_original(sheets, tmp_path, releases):
    rel = read_release(_write(tmp_path / "copy.xlsx", sheets))
    pd.testing.assert_frame_equal(rel.projections, releases["2024-34"].projections)
    pd.testing.assert_frame_equal(rel.separations, releases["2024-34"].separations)


def test_next_release_needs_no_code_change(sheets, tmp_path):
    # Shift every year in the titles and headers by one, as the 2025-35 release will.
    for rows in sheets.values():
        for i in (0, 1):
            rows[i] = [v.replace("2034", "2035").replace("2024", "2025").replace("–34", "–35")
                       if isinstance(v, str) else v for v in rows[i]]
    path = _write(tmp_path / "occupation.xlsx", sheets)
    assert detect(path) == {"format": "ep-workbook", "vintage": "2025-35"}
    rel = read_release(path)
    assert (rel.vintage, rel.base_year, rel.projected_year, rel.wage_year) == ("2025-35", 2025, 2035, 2025)


def test_repeated_block_after_notes_is_ignored(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    sheets["Table 1.2"] = t12 + [[None] * 16] + t12[1:50]  # header and some rows again, below the notes
    rel = read_release(_write(tmp_path / "repeat.xlsx", sheets))
    assert len(rel.projections) == 1113
    # ...but an occupation that only appears down there means the table has a gap: refused.
    stray = list(t12[_find(t12, "29-2072")])
    stray[1] = "29-2098"
    sheets["Table 1.2"].append(stray)
    _raises(_write(tmp_path / "stray.xlsx", sheets, only=T12), "29-2098 appears below the end of the table")


def test_renamed_column_is_reported_by_meaning(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    t12[1][_col(t12, "Employment, 2024")] = "Jobs, 2024"
    _raises(_write(tmp_path / "renamed.xlsx", sheets, only=T12), "Table 1.2", "employment in the base year 2024",
            "'Employment, 2024'")


def test_bad_number_names_row_and_column(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    i = _find(t12, "29-2072")
    t12[i][_col(t12, "Employment, 2024")] = "abc"
    _raises(_write(tmp_path / "abc.xlsx", sheets, only=T12), f"Table 1.2, row {i + 1}, column 'Employment, 2024'",
            "'abc'", "not a number")


def test_duplicate_soc_code(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    i = _find(t12, "29-2072")
    t12.insert(i + 1, list(t12[i]))
    _raises(_write(tmp_path / "dup.xlsx", sheets, only=T12), "29-2072 appears twice", f"row {i + 2}")


def test_malformed_soc_code(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    i = _find(t12, "29-2072")
    t12[i][1] = "29-207"
    _raises(_write(tmp_path / "code.xlsx", sheets, only=T12), "'29-207'", "NN-NNNN", f"row {i + 1}")


def test_unknown_occupation_type(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    i = _find(t12, "29-2072")
    t12[i][2] = "Detail"
    _raises(_write(tmp_path / "type.xlsx", sheets, only=T12), "'Detail'", f"row {i + 1}, column 'Occupation type'")


def test_negative_employment(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    i = _find(t12, "29-2072")
    t12[i][_col(t12, "Employment, 2024")] = -194.8
    _raises(_write(tmp_path / "neg.xlsx", sheets, only=T12), "negative employment_base_people",
            f"row {i + 1}, column 'Employment, 2024'")


def test_change_percent_inconsistent(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    i = _find(t12, "29-2072")
    t12[i][_col(t12, "Employment change, percent, 2024–34")] = 7.4  # published 7.1; rounding allows 7.0-7.2
    _raises(_write(tmp_path / "pct.xlsx", sheets, only=T12), "change_percent 7.4",
            f"row {i + 1}, column 'Employment change, percent, 2024–34'")


def test_line_items_must_add_up_to_total(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    base, proj = _col(t12, "Employment, 2024"), _col(t12, "Employment, 2034")
    t12[2][base] += 100.0  # 100 thousand more on the total row, far beyond 832 rounding steps
    t12[2][proj] += 100.0
    _raises(_write(tmp_path / "total.xlsx", sheets, only=T12), "Line items sum to",
            "column 'Employment, 2024'")


def test_unit_comes_from_the_title(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    t12[0][0] = t12[0][0].replace("in thousands", "in millions")
    _raises(_write(tmp_path / "millions.xlsx", sheets, only=T12), "implausible", "wrong unit")
    t12[0][0] = t12[0][0].replace(" (Employment in millions)", "")
    _raises(_write(tmp_path / "nounit.xlsx", sheets, only=T12), "does not state the unit", "Table 1.2, row 1")


def test_row_without_code_is_not_dropped(sheets, tmp_path):
    t12 = sheets["Table 1.2"]
    i = _find(t12, "29-2072")
    t12[i][1] = None
    _raises(_write(tmp_path / "gap.xlsx", sheets, only=T12), "no SOC code", f"row {i + 1}")


def test_separations_sheet_is_checked(sheets, tmp_path):
    t110 = sheets["Table 1.10"]
    i = _find(t110, "29-2072")
    t110[i][_col(t110, "Labor force exits, 2024–34 annual average")] = 9.9
    _raises(_write(tmp_path / "sep.xlsx", sheets), "do not add up",
            f"Table 1.10, row {i + 1}, column 'Total occupational separations, 2024–34 annual average'")


def test_missing_separations_sheet(sheets, tmp_path):
    del sheets["Table 1.10"]
    _raises(_write(tmp_path / "no110.xlsx", sheets), "no sheet named 'Table 1.10'")


def test_truncated_workbook(tmp_path):
    path = tmp_path / "occupation.xlsx"
    path.write_bytes(EP_2024.read_bytes()[:100_000])
    assert detect(path) is None
    _raises(path, "not a readable .xlsx workbook")


def test_html_saved_as_xlsx(tmp_path):
    path = tmp_path / "occupation.xlsx"
    path.write_text("<!DOCTYPE html><html><body>Access Denied</body></html>")
    assert detect(path) is None
    _raises(path, "HTML")


def test_empty_file(tmp_path):
    path = tmp_path / "occupation.xlsx"
    path.write_bytes(b"")
    assert detect(path) is None
    _raises(path, "empty")


def test_missing_file(tmp_path):
    _raises(tmp_path / "nope.csv", "does not exist")


def test_zip_bomb_is_refused_before_openpyxl_opens_it(tmp_path, monkeypatch):
    """The real workbook (3.1 MB unpacked) with one more member declaring 20 MB of zeros (20 kB on disk),
    against a readers' limit lowered to 5 MB: refused from the declared sizes, nothing unpacked."""
    monkeypatch.setattr(sniff, "MAX_UNPACKED_BYTES", 5_000_000)
    assert detect(EP_2024) == {"format": "ep-workbook", "vintage": "2024-34"}  # the real one still opens
    path = tmp_path / "occupation.xlsx"
    path.write_bytes(EP_2024.read_bytes())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("xl/media/padding.bin", "w") as out:
        for _ in range(20):
            out.write(bytes(1 << 20))
    assert path.stat().st_size < 500_000
    assert detect(path) is None
    msg = _raises(path, "unpacks to 24,0", "bytes, more than the readers' limit of 5,000,000 (a zip bomb?)")
    assert msg.startswith(f"{path}: unpacks to ")


@pytest.fixture(scope="session")
def csv_text() -> str:
    return EP_2022.read_text(encoding="utf-8")


def test_csv_renamed_column(csv_text, tmp_path):
    path = tmp_path / "ep.csv"
    path.write_text(csv_text.replace('"Employment 2032"', '"Jobs 2032"', 1), encoding="utf-8")
    assert detect(path) == {"format": "ep-csv", "vintage": "2022-32"}  # still an EP file, just broken
    _raises(path, "employment in the projected year 2032", "'Employment 2032'", "line 1")


def test_csv_bad_number(csv_text, tmp_path):
    lines = csv_text.split("\n")
    n = next(i for i, line in enumerate(lines) if '="29-2072"' in line.replace('""', '"'))
    lines[n] = lines[n].replace('"194.3"', '"19a4.3"')
    path = tmp_path / "ep.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    _raises(path, f"line {n + 1}, column 'Employment 2022'", "'19a4.3'")


def test_csv_duplicate_row(csv_text, tmp_path):
    lines = csv_text.split("\n")
    path = tmp_path / "ep.csv"
    path.write_text("\n".join([*lines[:3], lines[2], *lines[3:]]), encoding="utf-8")
    _raises(path, "appears twice", "line 4")


def test_a_gzipped_csv_that_unpacks_past_the_limit_is_refused(tmp_path, monkeypatch):
    """The data tool's CSV, gzipped with a long run of commas after its rows: refused at the readers' limit
    (lowered here), not read into memory; the same file without the padding reads."""
    monkeypatch.setattr(sniff, "MAX_UNPACKED_BYTES", 2_000_000)
    good, bomb = tmp_path / "Employment Projections.csv.gz", tmp_path / "bomb.csv.gz"
    good.write_bytes(gzip.compress(EP_2022.read_bytes()))
    bomb.write_bytes(gzip.compress(EP_2022.read_bytes() + b"," * 5_000_000))
    assert read_release(good).vintage == "2022-32"
    with pytest.raises(DataError) as err:
        read_release(bomb)
    assert str(err.value) == f"{bomb}: unpacks to more than the readers' limit of 2,000,000 bytes; stopped there " \
                             "(a gzip bomb?)"
