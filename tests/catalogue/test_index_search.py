"""The index finds the job: search ranked by relevance, the matched title shown, pay and jobs that follow the picked
state or area. In headless Chromium, on an index of every occupation of the latest release (a manifest listing
every national report and every Texas and Houston one; the search needs no report files)."""

from __future__ import annotations

import pytest

from analysis.catalogue import index_page
from analysis.tables import places, store


def entry(soc: str, vintage: str, **where) -> dict:
    return {"parameters": {"soc_code": soc, "vintage": vintage, "state": where.get("state"), **where},
            "status": "ok", "formats": ["html", "pdf"]}


@pytest.fixture(scope="module")
def page(real, tmp_path_factory, browser):
    vintage = store.vintages(real)[0]
    proj = store.table("projections", real)
    codes = proj.loc[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed"), "soc_code"]
    reports = {}
    for soc in codes:
        reports[f"{soc}-x"] = entry(soc, vintage)
        reports[f"states/TX/{soc}-x"] = entry(soc, vintage, state="TX")
        reports[f"areas/26420/{soc}-x"] = entry(soc, vintage, state="TX", area="26420")
    out = tmp_path_factory.mktemp("index")
    (out / "index.html").write_text(index_page.render({"reports": reports}, real, out), encoding="utf-8")
    pg = browser.new_page()
    pg.goto((out / "index.html").as_uri())
    yield pg
    pg.close()


def search(page, query: str, state: str = "") -> list[str]:
    page.select_option("#state", state)
    page.select_option("#sort", "relevance")
    page.fill("#q", query)
    return page.eval_on_selector_all("#reports tbody tr", "rs => rs.map(r => r.dataset.soc)")


def title_of(real, soc: str) -> str:
    proj = store.table("projections", real)
    return proj.loc[proj["soc_code"] == soc, "title"].iloc[0]


def test_nurse_finds_the_nursing_occupations_first(page, real):
    got = search(page, "nurse")
    nursing = {"29-1141", "29-2061", "29-1171", "29-1151", "29-1161"}  # titles with the word "nurse(s)"
    assert set(got[:5]) == nursing and got[0] == "29-1141"  # registered nurses: the most jobs
    # "nurse" is not "nursery": the farmworkers come after every title that says nurse
    assert got.index("45-2092") > 4
    assert "13-1199" not in got[:10]  # "Business operations specialists, all other" no longer first


def test_short_queries_match_whole_words_and_initials(page, real):
    got = search(page, "RN")
    assert got[0] == "29-1141"  # Registered Nurses, by its initials and its workers' titles
    assert len(got) < 20  # not the 69 titles that merely contain "rn"
    assert title_of(real, "27-3023").startswith("News analysts")
    assert "27-3023" not in got  # News analysts, reporters, and journalists: "jou-rn-alists" is no match


def test_a_match_on_another_title_says_which(page, real):
    got = search(page, "RHIT")
    assert got[0] == "29-2072"
    said = page.inner_text("#reports tbody tr:first-child")
    assert "Matches “Registered Health Information Technician (RHIT)”" in said
    # a match on the occupation's own title needs no such line
    search(page, "medical records")
    assert "Matches" not in page.inner_text("#reports tbody tr:first-child")


def test_codes_and_titles_still_found(page):
    assert search(page, "29-2072") == ["29-2072"]
    assert search(page, "software developers")[0] == "15-1252"
    assert search(page, "no such occupation") == []


def test_pay_and_jobs_follow_the_picked_state_or_area(page, real):
    w = places.occupation_rows("29-2072", real)
    tx = w[(w["area_type"] == 2) & (w["state_code"] == "TX")].iloc[0]
    houston = w[w["area_code"] == "26420"].iloc[0]
    nat = places.national(real).loc["29-2072"]
    for state, row, heading in [("", None, "Median pay, U.S., May"), ("TX", tx, "Median pay in Texas, May"),
                                ("area:26420", houston, "Median pay in Houston-Pasadena-The Woodlands, TX, May")]:
        assert search(page, "29-2072", state) == ["29-2072"]
        cells = page.eval_on_selector_all("#reports tbody tr:first-child td", "ts => ts.map(t => t.innerText)")
        heads = page.eval_on_selector_all("#reports thead th", "ts => ts.map(t => t.innerText)")
        pay = heads.index(next(h for h in heads if h.startswith("Median pay")))
        jobs = heads.index(next(h for h in heads if h.startswith("Jobs")))
        assert heads[pay].startswith(heading), heads
        if row is None:
            assert cells[pay] == f"${int(nat['annual_median_usd']):,}"
            assert cells[jobs] == f"{int(store.quick_facts('29-2072', None, real)['employment_base']):,}"
        else:
            assert cells[pay] == f"${int(row['annual_median_usd']):,}"
            assert cells[jobs] == f"{int(row['employment_people']):,}"


def test_sorting_by_pay_uses_the_picked_places_figures(page, real):
    search(page, "", "TX")
    page.select_option("#sort", "median_wage_usd")
    shown = page.eval_on_selector_all("#reports tbody tr", "rs => rs.map(r => r.dataset.soc)")
    w = store.table("wages", real)
    tx = w[(w["area_type"] == 2) & (w["state_code"] == "TX")].set_index("soc_code")["annual_median_usd"]
    values = [tx.get(s) for s in shown]
    known = [v for v in values if v is not None and v == v]
    assert known == sorted(known, reverse=True) and len(known) > 500
    page.select_option("#state", "")


def test_no_sideways_scroll_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 800})
    search(page, "nurse")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    region = page.locator("div.scroll[role=region]")
    assert region.get_attribute("aria-label") and region.get_attribute("tabindex") == "0"
    page.set_viewport_size({"width": 1280, "height": 900})
