"""The query layer for "what the work asks of a person" (analysis.tables.profile), on data/processed built from the
real raw files, checked against the raw O*NET files read independently here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.tables import profile, store

VINTAGE = "2024-34"
LETTERS = "RIASEC"


@pytest.fixture(scope="module")
def onet_dir(real):
    return real.raw / "onet" / "29.2"


def records(path) -> list[dict[str, str]]:
    head, *rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    return [dict(zip(head, row, strict=True)) for row in rows]


def mean2(values) -> float:
    """The mean of two-decimal scores, to two decimals, half up (written again here, on the published digits)."""
    values = [Decimal(str(v)) for v in values]
    return float((sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def raw_scores(onet_dir) -> dict[str, dict[str, str]]:
    """O*NET code -> letter -> its OI score as published (text), from Interests.txt."""
    names = {name: LETTERS[i] for i, name in enumerate(
        ["Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional"])}
    out: dict[str, dict[str, str]] = {}
    for r in records(onet_dir / "Interests.txt"):
        if r["Scale ID"] == "OI":
            out.setdefault(r["O*NET-SOC Code"], {})[names[r["Element Name"]]] = r["Data Value"]
    return out


# --- interests ----------------------------------------------------------------------------------------------

def test_interests_of_medical_records_specialists(real, onet_dir):
    got = profile.interests("29-2072", p=real)
    assert (got.code, got.rule, got.onet_soc_codes) == ("CI", "O*NET high points", ("29-2072.00",))
    rows = got.rows.set_index("letter")
    assert list(rows.index) == list(LETTERS)
    assert rows.loc["C", "score"] == 6.97 and rows.loc["C", "high_point_rank"] == 1
    assert rows.loc["I", "score"] == 4.33 and rows.loc["I", "high_point_rank"] == 2
    assert rows["high_point_rank"].isna().sum() == 4
    model = {r["Element ID"]: r["Description"] for r in records(onet_dir / "Content Model Reference.txt")}
    assert rows["description"].tolist() == [model[e] for e in rows["element_id"]]
    assert rows.loc["C", "description"].startswith("Work involves following procedures and regulations")


def test_interests_of_an_aggregate_follow_the_rule(real, raw_scores):
    lab = profile.interests("29-2010", p=real)  # members disagree: the first member's code and scores
    assert lab.code == "IRC" and lab.rule == "first member's; members: 29-2011.00 IRC, 29-2012.00 RIC"
    assert lab.rows.set_index("letter")["score"].to_dict() == {k: float(v) for k, v in raw_scores["29-2011.00"].items()}
    aides = profile.interests("25-9045", p=real)  # members agree: the code they share, their mean scores
    assert aides.code == "SC" and aides.rule.startswith("members agree; ")
    assert aides.onet_soc_codes == ("25-9042.00", "25-9043.00")
    scores = aides.rows.set_index("letter")["score"]
    for letter in LETTERS:
        assert scores[letter] == mean2([raw_scores[c][letter] for c in aides.onet_soc_codes])
    assert aides.rows.set_index("letter")["high_point_rank"].dropna().to_dict() == {"S": 1, "C": 2}


def test_no_interest_profile(real):
    got = profile.interests("15-1299", p=real)  # "All Other": O*NET profiles its sub-codes, not the .00 code
    assert got.code is None and got.rule is None and got.rows.empty


# --- ratings ------------------------------------------------------------------------------------------------

def excel_rows(path, code: str) -> list[dict]:
    """One O*NET code's rows of an O*NET Excel file, read with openpyxl (rows are in code order)."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = book.active.iter_rows(values_only=True)
    head = next(rows)
    out = []
    for row in rows:
        if row[0] == code:
            out.append(dict(zip(head, row, strict=True)))
        elif out:
            break
    book.close()
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("domain", "name"), [("skills", "Skills.xlsx"), ("knowledge", "Knowledge.xlsx")])
def test_registered_nurses_top_ratings_equal_the_excel_file(real, onet_dir, domain, name):
    rows = excel_rows(onet_dir / name, "29-1141.00")
    im = {r["Element Name"]: r for r in rows if r["Scale ID"] == "IM"}
    lv = {r["Element Name"]: r for r in rows if r["Scale ID"] == "LV"}
    shown = sorted((n for n, r in im.items() if r["Recommend Suppress"] != "Y"),
                   key=lambda n: (-im[n]["Data Value"], n))
    got = profile.ratings("29-1141", domain, top=10, p=real)
    assert got.onet_soc_code == "29-1141.00" and got.rated == len(im)
    assert got.left_out == len(im) - len(shown)
    assert got.rows["element_name"].tolist() == shown[:10]
    assert got.rows["importance"].tolist() == [im[n]["Data Value"] for n in shown[:10]]
    hidden = {n for n, r in lv.items() if "Y" in (r["Recommend Suppress"], r["Not Relevant"])}
    assert got.levels_left_out == len(hidden & set(shown))
    for n, level in zip(got.rows["element_name"], got.rows["level"], strict=True):
        assert pd.isna(level) if n in hidden else level == lv[n]["Data Value"], n
    assert got.rows["rank"].tolist() == list(range(1, 11))


def test_has_ratings(real):
    for soc in ("15-1252", "29-2072"):  # not yet surveyed in 29.2
        assert profile.has_ratings(soc, p=real) == dict.fromkeys(profile.DOMAINS, False)
        got = profile.ratings(soc, "skills", p=real)
        assert got.onet_soc_code is None and got.rows.empty and got.rated == 0
    assert profile.has_ratings("29-1141", p=real) == dict.fromkeys(profile.DOMAINS, True)


def test_suppressed_estimates_are_never_returned(real):
    table = store.table("onet_ratings", real)
    primary = table[table["is_primary"]]
    flagged = primary[primary["importance_suppressed"] | primary["level_suppressed"] | primary["level_not_relevant"]]
    worst = flagged.groupby(["soc_code", "domain"]).size().sort_values(ascending=False)
    cases = list(worst.index[:25]) + list(
        primary.loc[primary["importance_suppressed"], ["soc_code", "domain"]].drop_duplicates().itertuples(index=False))
    assert any(primary["importance_suppressed"]) and len(cases) > 25
    for soc, domain in cases:
        got = profile.ratings(soc, domain, top=None, p=real)
        mine = primary[(primary["soc_code"] == soc) & (primary["domain"] == domain)
                       & (primary["onet_soc_code"] == got.onet_soc_code)].set_index("element_id")
        shown = mine.loc[got.rows["element_id"]]
        assert not shown["importance_suppressed"].any(), (soc, domain)
        hidden = shown["level_suppressed"] | shown["level_not_relevant"]
        assert got.rows.loc[hidden.to_numpy(), "level"].isna().all(), (soc, domain)
        assert got.left_out == int(mine["importance_suppressed"].sum()) == len(mine) - len(got.rows)
        assert got.levels_left_out == int(hidden.sum())


def test_work_values_rank_by_extent_with_high_points(real):
    got = profile.ratings("29-1141", "work_values", top=None, p=real)
    assert got.rows["extent"].is_monotonic_decreasing and len(got.rows) == 6
    assert got.rows["high_point_rank"].dropna().tolist() == [1, 2, 3]


# --- activities, tools, related -----------------------------------------------------------------------------

def test_activities_and_tools(real):
    acts = profile.activities("29-2072", p=real)
    assert acts["activity_order"].tolist() == list(range(1, len(acts) + 1)) and acts["task_count"].sum() == 21
    tools = profile.tools("29-2072", p=real)
    assert len(tools) == 24 and tools["example"].is_unique


def test_related_careers_of_medical_records_specialists(real):
    rel = profile.related("29-2072", VINTAGE, p=real)
    assert rel["related_soc_code"].tolist()[:4] == ["31-9094", "29-9021", "31-9092", "43-6013"]
    assert rel["related_order"].tolist() == list(range(1, len(rel) + 1))
    proj = store.table("projections", real)
    proj = proj[(proj["vintage"] == VINTAGE) & (proj["soc_level"] == "detailed")].set_index("soc_code")
    assert rel["in_vintage"].all()
    for _, r in rel.iterrows():
        p = proj.loc[r["related_soc_code"]]
        assert r["title"] == p["title"]
        for column in profile.OUTLOOK:
            assert r[column] == p[column], (r["related_soc_code"], column)
    first = rel.iloc[0]
    assert (first["change_percent"], first["openings_per_year"]) == (-4.9, 7400)
    assert rel.loc[rel["related_soc_code"] == "29-1214", "median_wage_top_coded"].item()  # shown as "at least"


# --- interest matching --------------------------------------------------------------------------------------

def expected_matches(real, raw_scores, student: str, tiers=(1, 2, 3)) -> list[tuple[str, int, float]]:
    """Interest matching computed again: occupations' codes and whose scores from onet_occupations, the scores
    themselves from Interests.txt."""
    proj = store.table("projections", real)
    detailed = set(proj.loc[(proj["vintage"] == VINTAGE) & (proj["soc_level"] == "detailed"), "soc_code"])
    occs = store.table("onet_occupations", real).dropna(subset=["interest_code"])
    found = []
    for soc, code, sources in zip(occs["soc_code"], occs["interest_code"], occs["interest_onet_soc_codes"],
                                  strict=True):
        if soc not in detailed:
            continue
        if code[:len(student)] == student:
            tier = 1
        elif sorted(x for x in code if x in student) == sorted(student):
            tier = 2
        elif code[0] == student[0]:
            tier = 3
        else:
            continue
        scores = {x: mean2([raw_scores[c][x] for c in sources.split("; ")]) for x in student}
        if tier in tiers:
            found.append((soc, tier, mean2(scores.values())))
    return sorted(found, key=lambda t: (t[1], -t[2], t[0]))


@pytest.mark.parametrize(("student", "tiers"), [("CI", (1, 2, 3)), ("ci", (1, 2, 3)), ("S", (1, 2, 3)),
                                                ("ica", (1, 2, 3)), ("RE", (2, 3)), ("ESC", (1,))])
def test_matches_agree_with_an_independent_computation(real, raw_scores, student, tiers):
    got = profile.matches(student, VINTAGE, tiers=tiers, p=real)
    want = expected_matches(real, raw_scores, student.upper(), tiers)
    assert list(zip(got["soc_code"], got["tier"], got["fit_score"], strict=True)) == want
    assert len(want) > 0
    assert list(got.columns) == ["soc_code", "title", "interest_code", "tier", "fit_score"] + profile.OUTLOOK


def test_matches_carry_the_vintage_figures(real):
    got = profile.matches("CI", VINTAGE, p=real).set_index("soc_code")
    assert got.loc["29-2072", "tier"] == 1 and got.loc["29-2072", "fit_score"] == mean2(["6.97", "4.33"])
    proj = store.table("projections", real)
    row = proj[(proj["vintage"] == VINTAGE) & (proj["soc_code"] == "29-2072")].iloc[0]
    for column in profile.OUTLOOK + ["title"]:
        assert got.loc["29-2072", column] == row[column]


@pytest.mark.parametrize("code", ["X", "CIC", "RIAS", "", "  ", "C1", None, 3])
def test_bad_interest_code_is_a_one_line_parameter_error(real, code):
    with pytest.raises(ParameterError) as caught:
        profile.matches(code, VINTAGE, p=real)
    text = str(caught.value)
    assert text.startswith(f"interest {code!r}: expected 1 to 3 different letters of RIASEC") and "\n" not in text
    assert caught.value.render({"interest": "--interest"}).startswith("--interest ")


@pytest.mark.parametrize("call", [
    lambda p: profile.matches("CI", VINTAGE, tiers=(4,), p=p),
    lambda p: profile.ratings("29-1141", "abilities", p=p),
    lambda p: profile.ratings("29-1141", "skills", top=0, p=p),
    lambda p: profile.interests("99-9999", p=p),
    lambda p: profile.activities("29-207", p=p),
    lambda p: profile.related("29-2072", "1999-09", p=p),
])
def test_other_bad_arguments(real, call):
    with pytest.raises(ParameterError):
        call(real)
