"""The report's metropolitan areas, industries and a report for an area, on the real May 2025 files. Expected
values come from the raw OEWS files read here with the csv module, not through the code under test."""

from __future__ import annotations

import csv
import gzip
import re
from html import unescape

import pandas as pd
import pytest

from analysis.catalogue.jobs import plan
from analysis.errors import ParameterError
from analysis.sections.report import CareerReport
from analysis.sections.report.areas import area_label
from analysis.tables import places

RAW = "data/raw/bls-oews/2025"
SUPPRESSED = {"*", "**", "#", ""}


def text(html: str) -> str:
    """What a reader sees: tags out, entities decoded, word joiners (invisible) dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace("\u2060", "")


def tables(html: str) -> list[pd.DataFrame]:
    """Each table of ``html`` as text cells (header row as the columns), as a reader sees them."""
    out = []
    for t in re.findall(r"<table.*?</table>", html, re.S):
        rows = [[text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
                for tr in re.findall(r"<tr.*?</tr>", t, re.S)]
        out.append(pd.DataFrame(rows[1:], columns=rows[0]))
    return out


@pytest.fixture(scope="module")
def raw(real):
    """The raw metro and industry rows of 29-2072 and the nonmetro rows of every occupation, as BLS wrote them."""
    def rows(name, keep):
        with gzip.open(real.root / RAW / name, "rt", encoding="utf-8", newline="") as f:
            return [r for r in csv.DictReader(f) if keep(r)]
    metro = rows("oews_metro_M2025.csv.gz", lambda r: r["OCC_CODE"] == "29-2072")
    industry = rows("oews_national_industry_M2025.csv.gz", lambda r: r["OCC_CODE"] == "29-2072")
    nation = rows("oews_national_state_M2025.csv.gz", lambda r: r["OCC_CODE"] == "29-2072" and r["AREA"] == "99")
    return {"metro": metro, "industry": industry, "nation": nation}


def test_metro_section_of_medical_records_specialists(real, raw):
    metros = [r for r in raw["metro"] if r["AREA_TYPE"] == "4"]
    paid = [r for r in metros if r["A_MEDIAN"] not in SUPPRESSED]
    best = max(paid, key=lambda r: int(r["A_MEDIAN"]))
    assert (best["AREA_TITLE"], best["A_MEDIAN"]) == ("San Jose-Sunnyvale-Santa Clara, CA", "86890")
    html = CareerReport("29-2072", paths=real).metros().html
    said = text(html)
    assert f"BLS publishes estimates of this occupation for {len(metros)} of the 393 metropolitan areas" in said
    best_paid = next(t for t in tables(html) if "Place" in t.columns)
    first = best_paid.iloc[0]
    assert (first["Place"], first["Metropolitan area"], first["Median pay"]) == ("#1", best["AREA_TITLE"], "$86,890")
    assert first["Jobs"] == f"{int(best['TOT_EMP']):,}"
    # The chart: the ten metro areas with the most jobs, each named whole in its description with pay and jobs.
    most = sorted((r for r in metros if r["TOT_EMP"] not in SUPPRESSED), key=lambda r: -int(r["TOT_EMP"]))[:10]
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", html, re.S).group(1)
    for r in most:
        assert f"{unescape(r['AREA_TITLE'])}: ${int(r['A_MEDIAN']):,} ({int(r['TOT_EMP']):,} jobs)" in unescape(desc)
    assert "Dashed line: U.S. median $51,140" in unescape(desc)


def test_industry_section_of_medical_records_specialists(real, raw):
    html = CareerReport("29-2072", paths=real).industries().html
    most = next(t for t in tables(html) if "Share of the occupation's jobs (computed)" in t.columns)
    for naics, title in (("622100", "General Medical and Surgical Hospitals"), ("621100", "Offices of Physicians")):
        r = next(r for r in raw["industry"] if r["NAICS"] == naics and r["I_GROUP"] == "4-digit")
        row = most[most["Industry"] == f"{title} (NAICS {naics[:4]})"].iloc[0]
        assert (row["Jobs"], row["Median pay"]) == (f"{int(r['TOT_EMP']):,}", f"${int(r['A_MEDIAN']):,}")
    assert most.iloc[0]["Industry"].startswith("General Medical and Surgical Hospitals")
    assert most.iloc[:2][["Jobs", "Median pay"]].values.tolist() == [["51,740", "$59,460"], ["34,860", "$47,120"]]
    national = raw["nation"][0]
    share = 100 * 51740 / int(national["TOT_EMP"])
    assert most.iloc[0]["Share of the occupation's jobs (computed)"] == f"{share:.1f}%"
    assert "computed by career-outlook, not published by BLS" in text(html)
    # One NAICS level, plain industries only: no ownership-specific rows, no 3- or 5-digit codes.
    assert all(re.search(r"\(NAICS \d{4}\)$", s) for s in most["Industry"])


def test_report_for_houston(real):
    rep = CareerReport("29-2072", area="Houston", paths=real)
    assert (rep.area, rep.state) == ("26420", "TX")
    said = text(rep.states().html)
    assert "Houston-Pasadena-The Woodlands, TX against Texas and the nation" in said
    table = next(t for t in tables(rep.states().html) if "Measure" in t.columns)
    row = table.set_index("Measure")
    assert row.loc["Jobs", "Houston-Pasadena-The Woodlands, TX"] == "3,680"
    assert row.loc["Median pay", "Houston-Pasadena-The Woodlands, TX"] == "$51,250"
    assert row.loc["Median pay", "United States"] == "$51,140"
    assert re.search(r"ranks #\d+ of 37\d metropolitan areas for median pay", said)
    header = text(rep.header().html)
    assert "Career report for Houston-Pasadena-The Woodlands, TX" in header
    facts = text(rep.quick_facts().html)
    # The area's pay leads; the nation's is labelled U.S.; the nation's jobs say they are the nation's.
    assert "Median pay in Houston-Pasadena-The Woodlands, TX, May 2025 $51,250 a year" in facts
    assert facts.index("Houston-Pasadena-The Woodlands, TX, May 2025") < facts.index("Median pay, U.S., May 2025")
    assert "U.S. jobs, 2024 194,800" in facts
    # The metro section lists the areas of Texas (not the nation's top ten), the report's own area highlighted.
    metros = rep.metros().html
    assert 'font-weight="bold">Houston-Pasadena-The Woodlands, TX</text>' in metros
    assert "areas of Texas" in text(metros) and "New York-Newark" not in metros


def test_report_for_a_nonmetropolitan_area(real):
    raw = places.occupation_rows("29-2072", real)
    mine = raw[raw["area_code"] == "0100001"].iloc[0]
    rep = CareerReport("29-2072", area="0100001", paths=real)
    html = rep.states().html
    said = text(html)
    assert "Northwest Alabama nonmetropolitan area against Alabama and the nation" in said
    assert re.search(r"ranks (between )?#\d+.* nonmetropolitan areas for median pay", said)
    table = next(t for t in tables(html) if "Measure" in t.columns).set_index("Measure")
    assert table.loc["Jobs", "Northwest Alabama nonmetropolitan area"] == f"{int(mine['employment_people']):,}"
    # The areas of its state are listed, this one among them and highlighted in the chart.
    metros = rep.metros().html
    assert "Northwest Alabama" in metros and "areas of Alabama" in text(metros)
    assert re.search(r'font-weight="bold">Northwest Alabama[^<]*</text>', metros)


def test_an_area_that_publishes_no_estimate_of_the_occupation(real):
    w = places.occupation_rows("29-1023", real)
    listed = places.areas(p=real)
    missing = listed[listed["area_type"].eq(4) & ~listed["area_code"].isin(w["area_code"])].iloc[0]
    rep = CareerReport("29-1023", area=missing["area_code"], paths=real)
    said = text(rep.states().html)
    assert f"OEWS publishes no estimate for this occupation in {missing['area_title']}" in said
    assert "not published" in text(rep.quick_facts().html)


def test_suppressed_and_top_coded_metro_values_and_few_areas(real):
    """29-1243 (pediatric surgeons): two metro areas, one with suppressed employment, one median top-coded."""
    w = places.occupation_rows("29-1243", real)
    metros = w[w["area_type"] == 4]
    assert len(metros) == 2 and metros["employment_people"].isna().any()
    assert metros["annual_median_usd_top_coded"].any()
    html = CareerReport("29-1243", paths=real).metros().html
    said = text(html)
    assert "Only 2 metropolitan areas publish median pay" in said or "Only 1 metropolitan area" in said
    assert "at least $239,200" in said
    best = next(t for t in tables(html) if "Place" in t.columns)
    assert "—" in best["Jobs"].tolist()  # suppressed employment shown as a dash, not as zero
    # The exact median lies above the bound, so either may be first: both places are "#1–2", and a note says why.
    exact = metros.loc[~metros["annual_median_usd_top_coded"], "annual_median_usd"].iloc[0]
    assert exact > 239_200 and best["Place"].tolist() == ["#1–2", "#1–2"]
    assert "A place given as a range" in said
    # 29-1211 (anesthesiologists): 28 top-coded metro medians, so places are ranges, and the note says why.
    many = text(CareerReport("29-1211", paths=real).metros().html)
    assert "#1–" in many and "A place given as a range (“#1–3”)" in many


def test_area_parameter_errors(real):
    with pytest.raises(ParameterError, match=r"^area 'Springfield' matches 5 areas: 21660 Eugene-Springfield"):
        CareerReport("29-2072", area="Springfield", paths=real)
    with pytest.raises(ParameterError, match=r"is a state, not a metropolitan .* give it as the state \(CA\)"):
        CareerReport("29-2072", area="6", paths=real)
    with pytest.raises(ParameterError, match=r"lies in TX, not in state CA"):
        CareerReport("29-2072", state="CA", area="26420", paths=real)
    rep = CareerReport("29-2072", state="KS", area="Kansas City", paths=real)  # a metro area across two states
    assert (rep.area, rep.state) == ("28140", "KS")
    assert CareerReport("29-2072", area="None", paths=real).area is None


def test_plan_for_areas(real):
    jobs = plan(["29-2072"], None, [None], real, areas=["26420", "Houston", "0100001"])
    assert [(j.state, j.area, j.rel_dir) for j in jobs] == [
        (None, None, "29-2072-medical-records-specialists"),
        ("TX", "26420", "areas/26420/29-2072-medical-records-specialists"),
        ("AL", "0100001", "areas/0100001/29-2072-medical-records-specialists")]
    assert jobs[1].parameters == {"soc_code": "29-2072", "vintage": "2024-34", "state": "TX", "area": "26420"}
    assert jobs[1].where == "Houston-Pasadena-The Woodlands, TX"
    with pytest.raises(ParameterError, match="lies in TX, not in state CA"):
        plan(["29-2072"], None, [], real, areas=["26420"], state_of_areas="CA")
    # Kansas City against Kansas (not its primary state, Missouri) gets its own folder.
    ks, mo = (plan(["29-2072"], None, [], real, areas=["Kansas City"], state_of_areas=st)[0] for st in ("KS", None))
    assert (ks.rel_dir, mo.rel_dir) == ("areas/28140-KS/29-2072-medical-records-specialists",
                                        "areas/28140/29-2072-medical-records-specialists")
    assert (ks.state, ks.area, mo.state, mo.area) == ("KS", "28140", "MO", "28140")


def test_area_labels_fit_the_chart():
    assert area_label("Houston-Pasadena-The Woodlands, TX") == "Houston-Pasadena-The Woodlands, TX"
    long = area_label("Nashville-Davidson--Murfreesboro--Franklin-Somewhere-Elsewhere-Overthere, TN-KY")
    assert long.endswith("…, TN-KY") and long.startswith("Nashville")
    assert area_label("North Valley-Northern Mountains Region of California nonmetropolitan area").endswith("…")
