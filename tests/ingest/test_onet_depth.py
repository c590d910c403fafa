"""What the work asks of a person, from O*NET 29.2: interests, ratings (skills, knowledge, work styles, work values),
activities, tools and related occupations joined to BLS 2024-34 detailed occupations, on the real raw files; and
small broken copies of those files refused with a one-line DataError naming the file."""

from __future__ import annotations

import gzip
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.errors import DataError
from analysis.ingest import onet

ONET_DIR = paths.project().raw / "onet" / "29.2"
EP_2024 = paths.project().raw / "bls-ep" / "2024-34" / "occupation.xlsx"
LETTERS = "RIASEC"
NEW_TABLES = {"onet_interests", "onet_interest_types", "onet_ratings", "onet_level_anchors", "onet_activities",
              "onet_tools", "onet_related"}


def text_rows(name: str) -> list[list[str]]:
    """An O*NET text file's rows (header first), read with nothing but the standard library."""
    path = ONET_DIR / name
    data = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    return [line.split("\t") for line in data.decode("utf-8").splitlines()]


def records(name: str) -> list[dict[str, str]]:
    head, *rows = text_rows(name)
    return [dict(zip(head, row, strict=True)) for row in rows]


@pytest.fixture(scope="module")
def bls_occupations() -> pd.DataFrame:
    sheet = pd.read_excel(EP_2024, sheet_name="Table 1.2", header=1, dtype=str, engine="openpyxl")
    sheet = sheet.iloc[:, :3].set_axis(["title", "soc_code", "kind"], axis=1)
    lines = sheet[sheet["kind"] == "Line item"]
    return lines.assign(title=lines["title"].str.strip())[["soc_code", "title"]].reset_index(drop=True)


@pytest.fixture(scope="module")
def tables(bls_occupations) -> dict[str, pd.DataFrame]:
    return onet.build_onet_tables(ONET_DIR, bls_occupations)


def rows_of(tables, name: str, soc: str) -> pd.DataFrame:
    df = tables[name]
    return df[df["soc_code"] == soc]


def occ(tables, soc: str) -> pd.Series:
    return rows_of(tables, "onet_occupations", soc).squeeze()


def test_new_tables_have_their_columns_and_release(tables):
    assert set(tables) >= NEW_TABLES
    for name in NEW_TABLES:
        assert list(tables[name].columns) == onet.COLUMNS[name], name
        assert len(tables[name]), name
    for name in NEW_TABLES - {"onet_interest_types", "onet_level_anchors"}:
        assert (tables[name]["onet_release"] == "29.2").all(), name
    assert len(tables["onet_interests"]) == 923 * 6  # every O*NET code with interests is joined to a BLS line


# --- interests ----------------------------------------------------------------------------------------------

def high_points_of(code: str) -> str:
    """An O*NET code's interest code straight from Interests.txt: the IH rows' element numbers, 0 = none."""
    points = sorted((r["Element ID"], int(Decimal(r["Data Value"]))) for r in records("Interests.txt")
                    if r["O*NET-SOC Code"] == code and r["Scale ID"] == "IH")
    return "".join(LETTERS[n - 1] for _, n in points if n)


def test_medical_records_specialists_interests(tables):
    row = occ(tables, "29-2072")
    assert row["interest_code"] == "CI" and row["interest_code_rule"] == "O*NET high points"
    assert row["interest_onet_soc_codes"] == "29-2072.00"
    ints = rows_of(tables, "onet_interests", "29-2072").set_index("letter")
    assert list(ints.index) == list(LETTERS)
    assert ints.loc["C", "score"] == 6.97 and ints.loc["C", "high_point_rank"] == 1
    assert ints.loc["I", "score"] == 4.33 and ints.loc["I", "high_point_rank"] == 2
    assert ints["high_point_rank"].isna().sum() == 4
    assert ints.loc["R", "interest"] == "Realistic" and (ints["domain_source"] == "Machine Learning").all()


def test_every_exact_interest_code_is_its_primary_codes_high_points(tables):
    occs = tables["onet_occupations"]
    exact = occs[occs["interest_code_rule"] == "O*NET high points"]
    assert len(exact) == 750 and occs["interest_code"].isna().sum() == 70
    by_code: dict[str, list[tuple[str, int]]] = {}
    for r in records("Interests.txt"):
        if r["Scale ID"] == "IH":
            by_code.setdefault(r["O*NET-SOC Code"], []).append((r["Element ID"], int(Decimal(r["Data Value"]))))
    for soc, code in zip(exact["soc_code"], exact["interest_code"], strict=True):
        points = sorted(by_code[f"{soc}.00"])
        assert code == "".join(LETTERS[n - 1] for _, n in points if n), soc
    # "All Other" lines whose .00 code O*NET does not profile get none, even where sub-codes have one.
    assert pd.isna(occ(tables, "15-1299")["interest_code"])


@pytest.mark.parametrize(("soc", "code", "rule"), [
    ("29-2010", "IRC", "first member's; members: 29-2011.00 IRC, 29-2012.00 RIC"),
    ("25-9045", "SC", "members agree; members: 25-9042.00 SC, 25-9043.00 SC, 25-9049.00 none"),
    ("47-4090", "RC", "only member with high points; members: 47-4091.00 RC, 47-4099.00 none"),
    ("53-1047", "ECR", "first member's; members: 53-1042.00 ECR, 53-1043.00 ERC, 53-1044.00 ECS, 53-1049.00 none"),
])
def test_aggregate_interest_code_by_the_stated_rule(tables, soc, code, rule):
    row = occ(tables, soc)
    assert row["match_rule"] == "aggregate"
    assert (row["interest_code"], row["interest_code_rule"]) == (code, rule)
    members = [c for c in row["onet_soc_codes"].split("; ") if c.endswith(".00")]
    codes = {c: high_points_of(c) for c in members}
    assert rule.endswith(", ".join(f"{c} {codes[c] or 'none'}" for c in members))
    coded = [c for c in members if codes[c]]
    agree = len({codes[c] for c in coded}) == 1
    assert code == codes[coded[0]]
    assert row["interest_onet_soc_codes"] == "; ".join(coded if agree else coded[:1])


def test_interest_types(tables):
    types = tables["onet_interest_types"]
    assert types["letter"].tolist() == list(LETTERS) and types["order"].tolist() == [1, 2, 3, 4, 5, 6]
    model = {r["Element ID"]: r for r in records("Content Model Reference.txt")}
    for _, t in types.iterrows():
        assert t["interest"] == model[t["element_id"]]["Element Name"]
        assert t["description"] == model[t["element_id"]]["Description"]
    assert types.loc[5, "interest"] == "Conventional"


# --- ratings ------------------------------------------------------------------------------------------------

def test_ratings_domains_and_flags(tables):
    ratings = tables["onet_ratings"]
    assert set(ratings["domain"]) == {"skills", "knowledge", "work_styles", "work_values"}
    assert rows_of(tables, "onet_ratings", "29-2072").empty and rows_of(tables, "onet_ratings", "15-1252").empty
    rn = rows_of(tables, "onet_ratings", "29-1141")
    rn = rn[rn["onet_soc_code"] == "29-1141.00"]
    assert rn.groupby("domain").size().to_dict() == {"knowledge": 33, "skills": 35, "work_styles": 16,
                                                     "work_values": 6}
    skills = rn[rn["domain"] == "skills"]
    assert skills["importance"].between(1, 5).all() and skills["level"].between(0, 7).all()
    assert skills["importance"].is_monotonic_decreasing  # sorted for display
    values = rn[rn["domain"] == "work_values"]
    assert values["importance"].isna().all() and values["extent"].between(1, 7).all()
    assert sorted(values["high_point_rank"].dropna()) == [1, 2, 3]
    # Suppressed estimates are kept and flagged, never dropped (a report says how many it left out).
    assert ratings["level_suppressed"].sum() > 0 and ratings["level_not_relevant"].sum() > 0
    assert ratings["importance_suppressed"].sum() > 0


def test_an_empty_excel_cell_is_na(tables):
    """Knowledge.xlsx leaves N blank where the text format writes n/a (Analyst - Transition rows)."""
    k = rows_of(tables, "onet_ratings", "11-3071")
    k = k[(k["onet_soc_code"] == "11-3071.00") & (k["domain"] == "knowledge")]
    assert (k["domain_source"] == "Analyst - Transition").all() and k["n_respondents"].isna().all()


def test_work_value_with_no_third_high_point(tables):
    wv = rows_of(tables, "onet_ratings", "35-3023")
    wv = wv[(wv["onet_soc_code"] == "35-3023.00") & (wv["domain"] == "work_values")]
    assert sorted(wv["high_point_rank"].dropna()) == [1, 2]  # VH 0 = none (Scales Reference says 1-6)


def test_level_anchors(tables):
    anchors = tables["onet_level_anchors"]
    assert len(anchors) == 483 and anchors["anchor_value"].dtype == float
    reading = anchors[anchors["element_id"] == "2.A.1.a"]
    assert reading["element_name"].iloc[0] == "Reading Comprehension" and reading["anchor_value"].tolist() == [2, 4, 6]


# --- activities, tools, related -----------------------------------------------------------------------------

def test_activities_count_tasks(tables):
    acts = rows_of(tables, "onet_activities", "29-2072")
    links = [r for r in records("Tasks to DWAs.txt") if r["O*NET-SOC Code"] == "29-2072.00"]
    assert acts["task_count"].sum() == len(links) == 21
    assert acts["dwa_id"].is_unique and acts["activity_order"].tolist() == list(range(1, len(acts) + 1))
    assert acts["task_count"].is_monotonic_decreasing
    assert acts.iloc[0]["dwa_title"] == "Perform clerical work in medical settings." and acts.iloc[0]["task_count"] == 4
    # Merged across a BLS line's O*NET codes: each DWA once, its task count summed.
    rn = rows_of(tables, "onet_activities", "29-1141")
    counts: dict[str, int] = {}
    for r in records("Tasks to DWAs.txt"):
        if r["O*NET-SOC Code"].startswith("29-1141."):
            counts[r["DWA ID"]] = counts.get(r["DWA ID"], 0) + 1
    assert dict(zip(rn["dwa_id"], rn["task_count"], strict=True)) == counts


def test_tools_once_per_example(tables):
    tools = rows_of(tables, "onet_tools", "29-2072")
    assert len(tools) == 24 and tools["example"].is_unique
    rn = rows_of(tables, "onet_tools", "29-1141")
    examples = {r["Example"] for r in records("Tools Used.txt.gz") if r["O*NET-SOC Code"].startswith("29-1141.")}
    assert set(rn["example"]) == examples and rn["example"].is_unique
    assert rn["commodity_code"].str.fullmatch(r"\d{8}").all()


def test_related_for_medical_records_specialists(tables):
    rel = rows_of(tables, "onet_related", "29-2072")
    assert rel["related_soc_code"].tolist()[:4] == ["31-9094", "29-9021", "31-9092", "43-6013"]
    assert rel["related_order"].tolist() == list(range(1, len(rel) + 1))
    assert rel["related_soc_code"].is_unique and "29-2072" not in set(rel["related_soc_code"])
    # 29-1141 is listed twice by O*NET (29-1141.04 at 13, 29-1141.00 at 18): kept once, at its best place.
    nurse = rel[rel["related_soc_code"] == "29-1141"].squeeze()
    assert (nurse["related_onet_soc_code"], nurse["onet_index"], nurse["tier"]) == ("29-1141.04", 13, "Supplemental")
    assert len(rel) == 19


def test_related_for_an_aggregate_is_its_members_union(tables):
    rel = rows_of(tables, "onet_related", "29-2010")
    tier = {"Primary-Short": 0, "Primary-Long": 1, "Supplemental": 2}
    own = {"29-2011.00", "29-2012.00"}
    listed = sorted((tier[r["Relatedness Tier"]], int(r["Index"]), r["O*NET-SOC Code"], r["Related O*NET-SOC Code"])
                    for r in records("Related Occupations.txt") if r["O*NET-SOC Code"] in own)
    occs = tables["onet_occupations"].dropna(subset=["onet_soc_codes"])
    line_of = {c: soc for soc, codes in zip(occs["soc_code"], occs["onet_soc_codes"], strict=True)
               for c in codes.split("; ")}
    expected, seen = [], set()
    for *_, related in listed:
        line = line_of[related]
        if line != "29-2010" and line not in seen:
            seen.add(line)
            expected.append(line)
    assert rel["related_soc_code"].tolist() == expected
    assert set(rel["onet_soc_code"]) == own


# --- broken copies ------------------------------------------------------------------------------------------

def small_excel(name: str, dest: Path, keep: int = 2, edit=None) -> None:
    """The header and the rows of the first ``keep`` O*NET codes of a real Excel file; ``edit(row_number, row)``
    may change a row (a list) before it is written."""
    book = openpyxl.load_workbook(ONET_DIR / name, read_only=True)
    rows = book.active.iter_rows(values_only=True)
    out = openpyxl.Workbook(write_only=True)
    sheet = out.create_sheet(name.removesuffix(".xlsx"))
    codes: list[str] = []
    for number, row in enumerate(rows, start=1):
        row = list(row)
        if number > 1 and row[0] not in codes:
            if len(codes) == keep:
                break
            codes.append(row[0])
        sheet.append(edit(number, row) if edit else row)
    book.close()
    out.save(dest)


@pytest.fixture(scope="module")
def small_release(tmp_path_factory) -> Path:
    """The real release with small copies of Skills.xlsx and Knowledge.xlsx (two O*NET codes each)."""
    folder = tmp_path_factory.mktemp("onet")
    for src in ONET_DIR.iterdir():
        if src.name not in ("Skills.xlsx", "Knowledge.xlsx"):
            (folder / src.name).symlink_to(src)
    small_excel("Skills.xlsx", folder / "Skills.xlsx")
    small_excel("Knowledge.xlsx", folder / "Knowledge.xlsx")
    return folder


def broken_text(release: Path, folder: Path, name: str, edit, codes: int = 3) -> Path:
    """``release`` with ``name`` replaced by its header and first ``codes`` O*NET codes' lines, ``edit(lines)``
    applied (lines are lists of fields, the header first)."""
    for src in release.iterdir():
        if src.name != name:
            (folder / src.name).symlink_to(src.resolve())
    head, *rows = text_rows(name)
    first = list(dict.fromkeys(r[0] for r in rows))[:codes]
    lines = edit([head] + [r for r in rows if r[0] in first])
    data = ("\n".join("\t".join(line) for line in lines) + "\n").encode("utf-8")
    (folder / name).write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)
    return folder / name


def set_field(column: str, value: str, line: int = 1):
    """An edit setting ``column`` of data line ``line`` (1 = the first after the header)."""
    def edit(lines):
        lines[line][lines[0].index(column)] = value
        return lines
    return edit


def drop_column(column: str):
    def edit(lines):
        i = lines[0].index(column)
        return [line[:i] + line[i + 1:] for line in lines]
    return edit


def swap_high_points(lines):
    """29.2's first code, 11-1011.00, has high points 5, 6, 0: make them 0, 6, 5 (a gap before a high point)."""
    for line in lines:
        if line[0] == "11-1011.00" and line[3] == "IH":
            line[4] = {"5.00": "0.00", "0.00": "5.00"}.get(line[4], line[4])
    return lines


BROKEN_TEXT = {  # id: (file, edit, where, problem)
    "missing column": ("Interests.txt", drop_column("Scale ID"), None, "missing required column(s): Scale ID"),
    "score above its scale": ("Interests.txt", set_field("Data Value", "7.50"), "row 2, column 'Data Value'",
                              "Data Value 7.50 is outside scale OI's range 1-7"),
    "not a number": ("Work Styles.txt", set_field("Data Value", "4,69"), "row 2, column 'Data Value'",
                     "Data Value '4,69' is not a number"),
    "unknown scale": ("Work Styles.txt", set_field("Scale ID", "IJ"), "row 2", "unexpected Scale ID value 'IJ'"),
    "high point beyond 6": ("Work Values.txt", set_field("Data Value", "7.00", line=7), "row 8, column 'Data Value'",
                            "Data Value 7.00 is outside scale VH's range 0-6"),
    "high points out of order": ("Interests.txt", swap_high_points, "rows 8-10, column 'Data Value'",
                                 "11-1011.00's high points [0, 6, 5] are not distinct and in order (0 = none last)"),
    "bad tier": ("Related Occupations.txt", set_field("Relatedness Tier", "Primary-Medium"), "row 2",
                 "unexpected Relatedness Tier value 'Primary-Medium'"),
    "index beyond 20": ("Related Occupations.txt", set_field("Index", "21"), "row 2", "unexpected Index value '21'"),
    "unknown DWA": ("Tasks to DWAs.txt", set_field("DWA ID", "4.A.9.z.9.I99.D99"), "row 2, column 'DWA ID'",
                    "DWA ID '4.A.9.z.9.I99.D99' is not in its reference file"),
    "malformed code": ("Tools Used.txt.gz", set_field("O*NET-SOC Code", "11-1011"), "row 2",
                       "malformed O*NET-SOC code '11-1011' in column 'O*NET-SOC Code'"),
}


@pytest.mark.parametrize("case", list(BROKEN_TEXT))
def test_broken_text_file_is_a_one_line_error(small_release, tmp_path, bls_occupations, case):
    name, edit, where, problem = BROKEN_TEXT[case]
    path = broken_text(small_release, tmp_path, name, edit)
    with pytest.raises(DataError) as caught:
        onet.build_onet_tables(tmp_path, bls_occupations)
    assert str(caught.value) == f"{path}{f' ({where})' if where else ''}: {problem}"
    assert "\n" not in str(caught.value)


def set_cell(column: int, value, row: int = 2):
    def edit(number, cells):
        if number == row:
            cells[column] = value
        return cells
    return edit


BROKEN_EXCEL = {  # id: (file, edit, where, problem); columns: 4 Scale ID, 6 Data Value, 7 N, 12 Not Relevant
    "importance above 5": ("Skills.xlsx", set_cell(6, 5.5), "row 2, column 'Data Value'",
                           "Data Value 5.5 is outside scale IM's range 1-5"),
    "level above 7": ("Knowledge.xlsx", set_cell(6, 7.25, row=3), "row 3, column 'Data Value'",
                      "Data Value 7.25 is outside scale LV's range 0-7"),
    "unknown scale": ("Skills.xlsx", set_cell(4, "IJ"), "row 2", "unexpected Scale ID value 'IJ'"),
    "not relevant as a word": ("Knowledge.xlsx", set_cell(12, "Yes", row=3), "row 3",
                               "unexpected Not Relevant value 'Yes'"),
    "N not whole": ("Skills.xlsx", set_cell(7, 8.5), "row 2, column 'N'", "N '8.5' is not a whole number"),
    "missing column": ("Knowledge.xlsx", lambda number, cells: cells[:12] + cells[13:], None,
                       "missing required column(s): Not Relevant"),
}


@pytest.mark.parametrize("case", list(BROKEN_EXCEL))
def test_broken_excel_file_is_a_one_line_error(small_release, tmp_path, bls_occupations, case):
    name, edit, where, problem = BROKEN_EXCEL[case]
    for src in small_release.iterdir():
        if src.name != name:
            (tmp_path / src.name).symlink_to(src.resolve())
    small_excel(name, tmp_path / name, edit=edit)
    with pytest.raises(DataError) as caught:
        onet.build_onet_tables(tmp_path, bls_occupations)
    assert str(caught.value) == f"{tmp_path / name}{f' ({where})' if where else ''}: {problem}"


def test_not_a_workbook(small_release, tmp_path, bls_occupations):
    for src in small_release.iterdir():
        if src.name != "Skills.xlsx":
            (tmp_path / src.name).symlink_to(src.resolve())
    (tmp_path / "Skills.xlsx").write_text("O*NET-SOC Code\tElement ID\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"Skills\.xlsx: not a readable Excel workbook"):
        onet.build_onet_tables(tmp_path, bls_occupations)
