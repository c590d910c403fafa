"""What a student reads cannot be misread (issue: one pay figure, no "0 openings", local versions that are local):
sweeps over every occupation's report sections, and the examples the advisors found, on the real files."""

from __future__ import annotations

import re
from html import unescape

import pytest

from analysis.sections.report import CareerReport
from analysis.tables import places, store

SECTIONS = ("header", "quick_facts", "what_they_do", "work", "suits", "outlook", "openings", "pay", "states",
            "metros", "industries", "preparation", "skills", "tools", "releases", "related", "glossary", "sources")
CHUNKS = 4  # the sweep is split so that xdist runs it on both cores

# A count of 1 with a plural noun ("the 1 detailed occupations", "in the 1 metropolitan areas"): a 1 that is not
# part of a larger number, a decimal, a place (#1), a range (1–17) or money, then up to two words, then a plural
# noun of the kinds the report counts.
ONE_PLURAL = re.compile(r"(?<![\d.,#$–\-/])\b1 (?:[a-z-]+ ){0,2}(?:occupations|areas|industries|tasks|technologies|"
                        r"tools|estimates|levels|states|jobs|openings|careers|releases|activities|titles)\b")
ZERO_COUNTS = [re.compile(p) for p in (
    r"\b(?:About|about) 0 ", r"(?<![\d.])0 openings", r"\+0(?![.,\d])", r"(?<![\d.])0\.0 (?:per|for every) 100",
    r"Openings a year \(average\) 0\b", r"not published (?:per|a) (?:year|hour)")]


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def detailed(real) -> list[str]:
    proj = store.table("projections", real)
    return sorted(proj.loc[(proj["vintage"] == store.resolve_vintage("latest", real))
                           & (proj["soc_level"] == "detailed"), "soc_code"])


def page_one(rep: CareerReport) -> str:
    return rep.header().html + rep.quick_facts().html


def headline_rows(html: str) -> list[str]:
    return re.findall(r"<th scope='row'>(Median pay[^<]*)</th>", html)


def faults(html: str) -> list[str]:
    words = text(re.sub(r"<svg.*?</svg>", lambda m: " " + " ".join(re.findall(r">([^<>]+)<", m.group(0))) + " ",
                        html, flags=re.S))
    found = [m.group(0) for p in ZERO_COUNTS for m in p.finditer(words)]
    found += [m.group(0) for m in ONE_PLURAL.finditer(words)]
    return found


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_report_reads_right(real, chunk):
    """Every occupation's whole report (its sections, as the notebook calls them, charts' text included): no "0"
    or "+0" count, no "0.0 per 100", no "1 …s", "not published" without a unit; page 1 has one median pay and
    every rank there says of how many."""
    codes = detailed(real)[chunk::CHUNKS]
    bad = {}
    for soc in codes:
        rep = CareerReport(soc, paths=real)
        html = "".join(getattr(rep, name)().html for name in SECTIONS)
        if found := faults(html):
            bad[soc] = found
        first = page_one(rep)
        assert len(headline_rows(first)) == 1, (soc, headline_rows(first))
        assert not re.search(r"#\d+(?:–\d+)? for", text(first)), soc  # "#110 for growth" without "of 832"
    assert not bad, bad


@pytest.mark.parametrize("soc", ["29-2072", "29-1243", "45-3031", "29-1211", "15-1252", "27-2042"])
@pytest.mark.parametrize("where", [{"state": "TX"}, {"area": "26420"}, {"state": "WY"}, {"area": "0100001"}])
def test_local_reports_lead_with_the_place_and_label_the_nation(real, soc, where):
    """A state or area report's page 1: the place's median first, then the U.S. one labelled "U.S."; every national
    projection figure labelled "U.S."; the sweep's faults absent from the whole report."""
    rep = CareerReport(soc, paths=real, **where)
    first = page_one(rep)
    rows = headline_rows(first)
    name = places.state_name(rep.state, real) if rep.area_info is None else rep.area_info["area_title"]
    # the place first; an area's state next; the U.S. last, labelled
    assert rows[0].startswith(f"Median pay in {name}") and rows[-1].startswith("Median pay, U.S.")
    if rep.area_info is not None:
        assert len(rows) == 3 and rows[1].startswith(f"Median pay in {places.state_name(rep.state, real)}")
    else:
        assert len(rows) == 2
    words = text(first)
    for label in ("U.S. jobs, 2024", "U.S. job outlook, 2024-34", "U.S. employment change", "U.S. openings a year"):
        assert label in words, label
    assert f"Career report for {name}" in words
    html = "".join(getattr(rep, n)().html for n in SECTIONS)
    assert not faults(html)


def test_the_examples_the_advisors_found(real):
    rep = CareerReport("29-2072", paths=real)
    words = text(page_one(rep))
    # one headline pay, the newest, with source and date; the projections' older one only in a note
    assert "Median pay, May 2025 $51,140 a year $24.59 an hour" in words
    assert "#527 of 825 for pay (#1 pays the most" in words and "#110 of 832 for growth (#1 grows fastest)" in words
    assert "lists the May 2024 median, $50,250 a year; the pay above is the newer May 2025 figure" in words
    assert "public copy" not in words and "live BLS page" not in words  # provenance is in the sources
    # 29-1243: BLS's 0.0 thousand is "fewer than 50", never 0 or +0
    small = CareerReport("29-1243", paths=real)
    words = text(page_one(small) + small.openings().html)
    assert "Openings a year (average) fewer than 50 fewer than 4.6 per 100 jobs" in words
    assert "Employment change, 2024-34 fewer than 50 jobs either way" in words
    assert "Fewer than 50 openings a year" in words and "<svg" not in small.openings().html  # no chart of zeros
    # 45-3031: no pay, and why (the self-employed are not surveyed), without a unit
    fish = CareerReport("45-3031", paths=real)
    words = text(page_one(fish))
    assert "Median pay not published" in words and "leaves out the self-employed" in words
    assert "self-employed" in text(fish.pay().html)


def test_a_state_report_lists_that_states_own_areas(real):
    rep = CareerReport("29-2072", state="TX", paths=real)
    said = text(rep.metros().html)
    m = places.state_area_rank("29-2072", "TX", p=real)
    assert f"BLS publishes estimates of this occupation for {m['publishing']} of the {m['areas']}" in said
    assert "New York" not in said and "Los Angeles" not in said
    assert m["by_employment"].iloc[0]["area_title"] in said  # the Texas area with the most jobs
    # nonmetropolitan areas count as the state's areas too
    assert (m["by_employment"]["area_type"] == 6).any()
    states = text(rep.states().html)
    assert "of 53 states and territories" in states and "Texas against the nation" in states
    # the U.S. jobs per 1,000 is computed, not left blank
    nat, total = places.national(real).loc["29-2072"], places.national(real).loc["00-0000"]
    ratio = 1000 * nat["employment_people"] / total["employment_people"]
    assert f"Jobs per 1,000 jobs 1.22 {ratio:.2f}" in states


def test_an_area_report_lists_the_other_areas_of_its_state(real):
    rep = CareerReport("29-2072", area="Kansas City", state="KS", paths=real)
    said = text(rep.metros().html)
    assert "areas of Kansas" in said and "Wichita, KS" in said
    assert text(page_one(rep)).count("Median pay") == 3  # Kansas City, then Kansas (the state asked for), the U.S.
    assert "Median pay in Kansas, May 2025" in text(page_one(rep))


def test_state_tables_break_ties_by_title(real):
    """29-2072: Puerto Rico and South Dakota share a location quotient of 1.57; the table lists them by title,
    as the report's other ranked lists do."""
    html = CareerReport("29-2072", paths=real).states().html
    part = html.split("Highest concentration of jobs</h3>")[1]
    pr, sd = part.find("Puerto Rico"), part.find("South Dakota")
    w = store.table("wages", real)
    s = w[(w["area_type"] == 2) & (w["soc_code"] == "29-2072")].set_index("area_title")["location_quotient"]
    assert s["Puerto Rico"] == s["South Dakota"]
    assert pr >= 0 and (sd < 0 or pr < sd)


def test_combination_industries_are_named_by_the_groups_they_join(real):
    """OEWS's 4240A1 is not NAICS 4240: 41-4012's industries name the groups each combination joins."""
    html = CareerReport("41-4012", paths=real).industries().html
    words = text(html)
    assert "(NAICS 4240)" not in words
    assert "(NAICS 4244 and 4248 only)" in words or "(NAICS 4242 and 4246 only)" in words


def test_links_to_related_reports_sources_and_the_occupations_pages(real):
    """Related careers link to their reports in the same catalogue (the sibling folder, as the catalogue names it),
    the sources' URLs are links, and page 1 links BLS, O*NET OnLine and CareerOneStop for the occupation."""
    rep = CareerReport("29-2072", paths=real)
    related = rep.related().html
    assert '<a href="../31-9094-medical-transcriptionists/report.html">Medical transcriptionists</a>' in related
    assert 'href="../29-2072-' not in related  # never the report itself
    sources = rep.sources().html
    assert re.search(r'<td><a href="https://www\.bls\.gov/[^"]+">https://www\.bls\.gov/', sources)
    header = rep.header().html
    for site in ("https://www.bls.gov/oes/current/oes292072.htm", "https://www.onetonline.org/link/summary/29-2072.00",
                 "https://www.careeronestop.org/"):
        assert f'href="{site}' in header, site
