"""analysis.changes: what changed between two Employment Projections releases, on the real data."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.catalogue import changes_page, index_page
from analysis.errors import ParameterError
from analysis.tables import changes, store


@pytest.fixture(scope="module")
def cmp(real) -> pd.DataFrame:
    return changes.compare("2023-33", "2024-34", real)


@pytest.fixture(scope="module")
def summ(real) -> dict:
    return changes.summary("2023-33", "2024-34", real)


def test_columns_and_rows(cmp):
    assert list(cmp.columns) == changes.COLUMNS
    assert len(cmp) == 832 and cmp["soc_code"].is_unique and cmp["soc_code"].is_monotonic_increasing
    assert cmp["label_changed"].dtype == bool


def test_medical_records_specialists(cmp):
    r = cmp.set_index("soc_code").loc["29-2072"]
    assert r["title"] == "Medical records specialists"
    assert (r["change_percent_old"], r["change_percent_new"], r["change_delta_points"]) == (8.7, 7.1, -1.6)
    assert (r["openings_old"], r["openings_new"], r["openings_delta"]) == (15_000, 14_200, -800)
    assert r["openings_delta_percent"] == pytest.approx(-800 / 15_000 * 100)
    assert (r["median_wage_old"], r["wage_year_old"], r["median_wage_new"], r["wage_year_new"]) == (
        48_780, 2023, 50_250, 2024)
    assert r["median_wage_delta_percent"] == pytest.approx((50_250 / 48_780 - 1) * 100)
    assert r["outlook_label_old"] is None and r["outlook_label_new"] == "Much faster than average"
    assert not r["label_changed"]  # the old label is unknown: not a change


def test_no_label_change_when_a_label_is_unknown(cmp):
    assert cmp["outlook_label_old"].isna().all()
    assert not cmp["label_changed"].any()


def test_label_change_when_both_are_known(real, monkeypatch):
    proj = store.table("projections", real).copy()
    old = (proj["vintage"] == "2023-33")
    proj.loc[old, "outlook_label"] = proj.loc[old, "soc_code"].map(
        proj[proj["vintage"] == "2024-34"].set_index("soc_code")["outlook_label"])
    proj.loc[old & (proj["soc_code"] == "29-2072"), "outlook_label"] = "Faster than average"
    proj.loc[old & (proj["soc_code"] == "15-1252"), "outlook_label"] = None
    monkeypatch.setattr(changes.store, "table", lambda name, p=None: proj)
    s = changes.summary("2023-33", "2024-34", real)
    lc = s["label_changes"]
    assert lc["soc_code"].tolist() == ["29-2072"]
    assert (lc.iloc[0]["outlook_label_old"], lc.iloc[0]["outlook_label_new"]) == (
        "Faster than average", "Much faster than average")
    assert "29-2072  Medical records specialists: Faster than average -> Much faster than average" in (
        changes.format_summary(s))


def test_summary_all_occupations(summ):
    assert (summ["old"], summ["new"]) == ("2023-33", "2024-34")
    ao = summ["all_occupations"]
    assert (ao["change_percent_old"], ao["change_percent_new"]) == (4.0, 3.1)
    assert (ao["employment_base_old"], ao["employment_base_new"]) == (167_849_800, 169_956_100)
    assert (ao["openings_old"], ao["openings_new"]) == (19_174_800, 18_863_300)


def test_summary_movers(summ):
    up, down = summ["growth_up"], summ["growth_down"]
    assert len(up) == len(down) == 10
    assert (up["change_delta_points"] > 0).all() and up["change_delta_points"].is_monotonic_decreasing
    assert (down["change_delta_points"] < 0).all() and down["change_delta_points"].is_monotonic_increasing
    assert up.iloc[0][["soc_code", "change_percent_old", "change_percent_new", "change_delta_points"]].tolist() == [
        "49-9095", -19.6, 5.9, 25.5]
    assert down.iloc[0]["soc_code"] == "51-9023" and down.iloc[0]["change_delta_points"] == -11.1
    assert summ["openings_up"].iloc[0][["soc_code", "openings_delta"]].tolist() == ["31-1120", 46_900]
    assert summ["openings_down"].iloc[0][["soc_code", "openings_delta"]].tolist() == ["53-7062", -24_700]
    assert (summ["pay_up"]["median_wage_delta_percent"] > 0).all()
    top_coded = set(store.table("projections").query("median_wage_top_coded")["soc_code"])
    assert top_coded and not top_coded & (set(summ["pay_up"]["soc_code"]) | set(summ["pay_down"]["soc_code"]))
    assert list(up.columns) == changes.COLUMNS
    assert summ["label_changes"].empty
    assert changes.summary("2023-33", "2024-34", top=3)["growth_up"].shape[0] == 3


def test_no_codes_added_or_removed_between_real_releases(real):
    # The three releases on hand list the same 832 detailed codes (2018 SOC throughout).
    for old, new in (("2022-32", "2023-33"), ("2023-33", "2024-34"), ("2022-32", "2024-34")):
        s = changes.summary(old, new, real)
        assert (s["added"], s["removed"], s["compared"]) == ([], [], 832)


def test_added_and_removed(real, monkeypatch):
    proj = store.table("projections", real)
    drop = ((proj["vintage"] == "2024-34") & (proj["soc_code"] == "29-2072")) | (
        (proj["vintage"] == "2023-33") & (proj["soc_code"] == "15-1252"))
    monkeypatch.setattr(changes.store, "table", lambda name, p=None: proj[~drop])
    s = changes.summary("2023-33", "2024-34", real)
    assert (s["added"], s["removed"], s["compared"]) == (["15-1252"], ["29-2072"], 830)
    assert "  Added: 15-1252" in changes.format_summary(s)


def test_csv_release_has_no_summary_rows_but_compares(real):
    proj = store.table("projections", real)
    v22 = proj[proj["vintage"] == "2022-32"]
    assert set(v22["soc_level"]) == {"detailed", "total"} and (v22["soc_level"] == "detailed").sum() == 832
    s = changes.summary("2022-32", "2023-33", real)
    assert s["all_occupations"]["change_percent_old"] == 2.8  # computed from the 832 rows
    assert s["all_occupations_computed"] == {"2022-32": True, "2023-33": False}
    r = changes.compare("2022-32", "2023-33", real).set_index("soc_code").loc["29-2072"]
    assert (r["change_percent_old"], r["change_percent_new"], r["wage_year_old"]) == (8.5, 8.7, 2023)


def test_bad_vintage(real):
    with pytest.raises(ParameterError, match="'2019-29' is not on hand"):
        changes.compare("2019-29", "2024-34", real)
    with pytest.raises(ParameterError, match="name both vintages"):
        changes.summary("latest", "2024-34", real)


def test_format_summary(summ):
    text = changes.format_summary(summ)
    lines = text.splitlines()
    assert lines[0] == ("What changed, Employment Projections 2023-33 -> 2024-34 (832 occupations in both; "
                        "0 added, 0 removed)")
    assert lines[1] == "  All occupations: growth +4.0% -> +3.1%; openings a year 19,174,800 -> 18,863,300"
    assert "    49-9095  Manufactured building and mobile home installers: -19.6% -> +5.9% (+25.5 pts)" in lines
    assert "  Growth wording changed: 0 occupation(s)" in lines
    r = summ["pay_up"].iloc[0]
    assert (f"    {r.soc_code}  {r.title}: ${r.median_wage_old:,.0f} (2023) -> ${r.median_wage_new:,.0f} (2024) "
            f"({r.median_wage_delta_percent:+.1f}%)") in lines


def test_write_page(real, tmp_path, monkeypatch):
    (tmp_path / "29-2072-medical-records-specialists").mkdir()
    (tmp_path / "29-2072-medical-records-specialists" / "report.html").write_text("x")
    proj = store.table("projections", real).copy()
    proj.loc[proj["soc_code"] == "49-9095", "title"] = "Installers <script>alert(1)</script> & co"
    orig = store.table
    monkeypatch.setattr(changes.store, "table", lambda name, p=None: proj if name == "projections" else orig(name, p))
    path = changes_page.write_page("2023-33", "2024-34", tmp_path, real)
    assert path == tmp_path / "changes.html"
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page  # nothing to run, nothing fetched
    assert "Installers &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert not re.search(r'(src|href)="(https?:)?//', page.replace('href="https://www.bls.gov', ""))
    assert "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx" in page  # sourced
    assert "BLS rounds projected employment and openings to the nearest" in page
    assert "Employment Projections 2023-33 → 2024-34" in page
    assert "+4.0% (2023-33) → +3.1% (2024-34)" in page
    assert 'href="index.html"' in page
    # 29-2072 is not among the biggest movers, so it is not linked; only shown codes are.
    assert "29-2072-medical-records-specialists/report.html" not in page
    before = path.read_bytes()
    changes_page.write_page("2023-33", "2024-34", tmp_path, real)
    assert path.read_bytes() == before  # deterministic: a rerun changes nothing



def test_links_to_reports_that_exist(real, tmp_path):
    (tmp_path / "49-9095-manufactured-building-and-mobile-home-installers").mkdir()
    (tmp_path / "49-9095-manufactured-building-and-mobile-home-installers" / "report.html").write_text("x")
    page = changes_page.write_page("2023-33", "2024-34", tmp_path, real).read_text(encoding="utf-8")
    assert 'href="49-9095-manufactured-building-and-mobile-home-installers/report.html"' in page


def test_index_links_to_the_changes_page_when_it_exists(real, tmp_path):
    page = index_page.render({"reports": {}}, real, tmp_path)
    assert "changes.html" not in page
    (tmp_path / "changes.html").write_text("x")
    page = index_page.render({"reports": {}}, real, tmp_path)
    assert '<a href="changes.html">What changed since the previous release</a>' in page
