"""O*NET 29.2 joins to BLS 2024-34 detailed occupations, on the real raw files."""

from __future__ import annotations

import gzip
import shutil

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.errors import DataError
from analysis.ingest import onet
from analysis.ingest.onet import files as onet_files

ONET_DIR = paths.project().raw / "onet" / "29.2"
EP_2024 = paths.project().raw / "bls-ep" / "2024-34" / "occupation.xlsx"
SYNTHETIC = "99-9999"  # no such SOC code: stands in for a BLS line with no O*NET content


@pytest.fixture(scope="session")
def bls_occupations() -> pd.DataFrame:
    sheet = pd.read_excel(EP_2024, sheet_name="Table 1.2", header=1, dtype=str, engine="openpyxl")
    sheet = sheet.iloc[:, :3].set_axis(["title", "soc_code", "kind"], axis=1)
    lines = sheet[sheet["kind"] == "Line item"]
    return lines.assign(title=lines["title"].str.strip())[["soc_code", "title"]]


@pytest.fixture(scope="session")
def tables(bls_occupations) -> dict[str, pd.DataFrame]:
    extra = pd.DataFrame({"soc_code": [SYNTHETIC], "title": ["Synthetic occupation"]})
    return onet.build_onet_tables(ONET_DIR, pd.concat([bls_occupations, extra], ignore_index=True))


def _occ(tables, soc: str) -> pd.Series:
    occ = tables["onet_occupations"]
    return occ[occ["soc_code"] == soc].squeeze()


def _rows(tables, name: str, soc: str) -> pd.DataFrame:
    df = tables[name]
    return df[df["soc_code"] == soc]


def test_shape_keys_and_rule_counts(tables, bls_occupations):
    assert set(tables) == {"onet_occupations", "onet_tasks", "onet_titles", "onet_technology",
                           "onet_education", "onet_job_zones", "onet_interests", "onet_interest_types",
                           "onet_ratings", "onet_level_anchors", "onet_activities", "onet_tools", "onet_related"}
    occ = tables["onet_occupations"]
    assert len(occ) == len(bls_occupations) + 1 == 833
    assert occ["soc_code"].is_unique
    real = occ[occ["soc_code"] != SYNTHETIC]
    assert real["match_rule"].value_counts().to_dict() == {"exact": 820, "aggregate": 12}
    for name, df in tables.items():
        if name not in ("onet_job_zones", "onet_interest_types", "onet_level_anchors"):  # release-free references
            assert (df["onet_release"] == "29.2").all(), name


def test_medical_records_specialists(tables):
    row = _occ(tables, "29-2072")
    assert row["match_rule"] == "exact" and row["onet_soc_codes"] == "29-2072.00"
    assert row["onet_title"] == "Medical Records Specialists"
    assert row["job_zone"] == 3 and row["job_zone_name"] == "Job Zone Three: Medium Preparation Needed"
    assert row["has_tasks"] and row["task_rating"] == "unrated"

    tasks = _rows(tables, "onet_tasks", "29-2072")
    assert len(tasks) == 17 and (tasks["task_type"] == "n/a").all()
    assert tasks["task_id"].tolist() == list(range(22877, 22894))
    assert tasks["task_order"].tolist() == list(range(1, 18))

    tech = _rows(tables, "onet_technology", "29-2072")
    assert len(tech) == 111
    hot = set(tech.loc[tech["hot_technology"], "example"])
    assert {"Epic Systems", "MEDITECH software", "eClinicalWorks EHR software", "Microsoft Excel"} <= hot
    assert tech["hot_technology"].is_monotonic_decreasing  # hot first

    titles = _rows(tables, "onet_titles", "29-2072")
    reported = titles[titles["kind"] == "reported"]
    assert len(reported) == 8 and (titles["kind"] == "alternate").sum() == 53
    assert "Coder" in set(reported["title"])
    assert reported["title"].str.contains("RHIT").any()
    assert titles.sort_values("title_rank")["kind"].iloc[:8].eq("reported").all()
    assert titles["title_rank"].tolist() == sorted(titles["title_rank"]) == list(range(1, 62))

    assert _rows(tables, "onet_education", "29-2072").empty  # not yet surveyed in 29.2


def test_core_tasks_come_before_supplemental(tables):
    tasks = _rows(tables, "onet_tasks", "29-1141").sort_values("task_order")
    assert {"Core", "Supplemental"} <= set(tasks["task_type"])
    rank = tasks["task_type"].map(onet_files.TASK_TYPE_ORDER)
    assert rank.is_monotonic_increasing
    assert _occ(tables, "29-1141")["task_rating"] == "rated"
    # Sub-codes (e.g. 29-1141.01 Acute Care Nurses) contribute tasks too, flagged is_primary False.
    assert set(tasks.loc[~tasks["is_primary"], "onet_soc_code"]) >= {"29-1141.01", "29-1141.02"}


def test_broad_group_aggregate(tables):
    row = _occ(tables, "29-2010")
    assert row["match_rule"] == "aggregate"
    codes = row["onet_soc_codes"].split("; ")
    assert {"29-2011.00", "29-2012.00", "29-2011.01"} <= set(codes)
    assert row["onet_title"] == ("Medical and Clinical Laboratory Technologists; "
                                 "Medical and Clinical Laboratory Technicians")
    assert row["description"].startswith("Covers 2 O*NET occupations:")
    assert 1 <= row["job_zone"] <= 5 and row["has_tasks"]
    tasks = _rows(tables, "onet_tasks", "29-2010")
    assert set(tasks["onet_soc_code"]) <= set(codes) and tasks["onet_title"].notna().all()


def test_table_aggregate_excludes_separate_bls_line(tables):
    row = _occ(tables, "25-9045")
    assert row["match_rule"] == "aggregate"
    assert row["onet_soc_codes"] == "25-9042.00; 25-9043.00; 25-9049.00"  # not 25-9044 (own BLS line)


def test_no_match(tables):
    row = _occ(tables, SYNTHETIC)
    assert row["match_rule"] == "none" and row["task_rating"] == "none" and not row["has_tasks"]
    assert pd.isna(row["job_zone"]) and pd.isna(row["onet_title"]) and pd.isna(row["onet_soc_codes"])
    for name in ("onet_tasks", "onet_titles", "onet_technology", "onet_education"):
        assert _rows(tables, name, SYNTHETIC).empty


def test_education_percentages(tables):
    edu = _rows(tables, "onet_education", "29-1141")
    assert set(edu["onet_soc_code"]) == {"29-1141.00", "29-1141.01", "29-1141.02", "29-1141.03", "29-1141.04"}
    edu = edu[edu["is_primary"]]  # one distribution per O*NET code; the .00 one speaks for the SOC code
    assert set(edu["onet_soc_code"]) == {"29-1141.00"}
    assert edu["category"].tolist() == list(range(1, 13))
    assert edu["percent"].sum() == pytest.approx(100, abs=0.1)
    assert edu["category_label"].iloc[5] == "Bachelor's Degree"
    assert _rows(tables, "onet_education", "15-1252").empty  # no ETE rows for 15-1252.00 in 29.2


def test_job_zone_reference(tables):
    ref = tables["onet_job_zones"]
    assert ref["job_zone"].tolist() == [1, 2, 3, 4, 5]
    assert ref.loc[4, "svp_range"] == "(8.0 and above)"


def test_attribution_and_detect():
    assert onet.attribution("29.2") == onet.ATTRIBUTION
    assert onet.ATTRIBUTION.startswith("This report incorporates information from the O*NET 29.2 Database")
    assert "CC BY 4.0" in onet.ATTRIBUTION and "O*NET® is a trademark of USDOL/ETA." in onet.ATTRIBUTION
    assert onet.detect(ONET_DIR) == {"format": "onet", "release": "29.2"}
    assert onet.detect(ONET_DIR / "Job Zones.txt") == {"format": "onet", "release": "29.2"}
    assert onet.detect(EP_2024) is None


def _copy_release(tmp_path):
    """A scratch O*NET folder: links to the real files, so one can be replaced with a broken copy."""
    for src in ONET_DIR.iterdir():
        (tmp_path / src.name).symlink_to(src)
    return tmp_path


def test_missing_column_names_file_and_column(tmp_path, bls_occupations):
    folder = _copy_release(tmp_path)
    target = folder / "Job Zones.txt"
    text = target.read_text(encoding="utf-8").replace("\tJob Zone\t", "\tZone\t", 1)
    target.unlink()
    target.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"Job Zones\.txt.*Job Zone"):
        onet.build_onet_tables(folder, bls_occupations)


@pytest.mark.slow
def test_crosswalk_disagreement_is_an_error(tmp_path, bls_occupations):
    folder = _copy_release(tmp_path)
    target = folder / onet_files.CROSSWALK
    target.unlink()
    shutil.copy(ONET_DIR / onet_files.CROSSWALK, target)
    book = openpyxl.load_workbook(target)
    book.active["C5"] = "11-1099"  # 11-1011.00's SOC code
    book.save(target)
    with pytest.raises(DataError, match=r"11-1011\.00 maps to SOC 11-1099"):
        onet.build_onet_tables(folder, bls_occupations)


@pytest.mark.parametrize("name", ["Task Statements.txt.gz", "Job Zones.txt"])
def test_header_only_file_is_an_error(tmp_path, bls_occupations, name):
    """A file cut off after its header: before, read as "O*NET has no tasks (or zones) for anyone" and saved as an
    empty table. Every file of a release has rows, so this is a broken copy, named as such."""
    folder = _copy_release(tmp_path)
    target = folder / name
    target.unlink()
    with gzip.open(ONET_DIR / name) if name.endswith(".gz") else open(ONET_DIR / name, "rb") as real:
        header = real.readline()
    target.write_bytes(gzip.compress(header, mtime=0) if name.endswith(".gz") else header)
    with pytest.raises(DataError) as caught:
        onet.build_onet_tables(folder, bls_occupations)
    assert str(caught.value) == f"{target}: has a header row but no data rows"
