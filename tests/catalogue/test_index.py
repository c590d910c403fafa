"""reports/index.html in a real headless browser (Playwright driving the system Chromium), from disk."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from helpers import report_pdf
from interests_raw import raw_profiles

from analysis.catalogue import index_page
from analysis.catalogue.jobs import plan
from analysis.tables import headline, store


@pytest.fixture(scope="module")
def page(browser, built, built_out):
    index = built_out / "index.html"
    requests: list[str] = []
    pg = browser.new_page()
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(index.as_uri())
    pg.requests = requests
    yield pg
    pg.close()


def handout_pdf(folder: Path) -> Path:
    (found,) = Path(folder).glob("*-handout.pdf")
    return found


def rows(page) -> list[str]:
    return page.eval_on_selector_all("#reports tbody tr", "rs => rs.map(r => r.dataset.soc)")


def reset(page):
    page.fill("#q", "")
    page.select_option("#edu", "")
    page.select_option("#interest", "")
    page.select_option("#sort", "title")


def test_lists_every_national_report_with_working_links(page, built):
    reset(page)
    national = {k[0] for k in built if k[1] == "latest" and k[2] is None}
    assert set(rows(page)) == national
    assert page.inner_text("#count") == f"{len(national)} of {len(national)} occupations"
    proj = store.table("projections")
    n_all = int(((proj["vintage"] == store.vintages()[0]) & (proj["soc_level"] == "detailed")).sum())
    assert page.inner_text(".lead").startswith(f"{len(national)} of the {n_all:,} detailed occupations in")
    hrefs = page.eval_on_selector_all("#reports a", "as => as.map(a => a.href)")
    assert len(hrefs) == 3 * len(national)  # web page, PDF, handout
    for href in hrefs:
        assert Path(unquote(urlparse(href).path)).is_file(), href


def test_search_by_title_job_title_and_code(page):
    for query, expected in [("medical records", ["29-2072"]), ("medical biller", ["29-2072"]),
                            ("RHIT", ["29-2072"]), ("29-1211", ["29-1211"]), ("actor", ["27-2011"]),
                            ("no such occupation", [])]:
        reset(page)
        page.fill("#q", query)
        assert rows(page) == expected, query


def test_sort_by_growth_openings_and_pay(page, real):
    proj = store.table("projections", real)
    latest = proj[proj["vintage"] == store.vintages(real)[0]].set_index("soc_code")
    # pay: the reports' headline, the newest national median (hourly-only occupations last)
    latest["median_wage_usd"] = headline.medians(store.vintages(real)[0], real)["value_usd"].where(
        headline.medians(store.vintages(real)[0], real)["basis"] == "annual")
    latest["jobs"] = latest["employment_base_people"]
    for key in ("change_percent", "openings_per_year", "median_wage_usd", "jobs"):
        reset(page)
        page.select_option("#sort", key)
        shown = [s for s in rows(page) if latest.loc[s, key] == latest.loc[s, key]]  # NaN (not published) last
        values = [latest.loc[s, key] for s in shown]
        assert values == sorted(values, reverse=True), key
    reset(page)
    page.click("th button[data-sort=median_wage_usd]")
    assert rows(page)[0] == "29-1211"
    assert "$391,490" in page.inner_text("#reports tbody tr:first-child")  # May 2025 publishes it in full


def test_filter_by_entry_education(page):
    reset(page)
    page.select_option("#edu", "Doctoral or professional degree")
    assert rows(page) == ["29-1211"]
    options = page.eval_on_selector_all("#edu option", "os => os.map(o => o.value)")
    assert "Postsecondary nondegree award" in options


def test_link_opens_the_report_and_nothing_is_fetched(page):
    reset(page)
    page.fill("#q", "29-2072")
    page.click("#reports tbody tr:first-child a:text('Web')")
    page.wait_for_load_state()
    assert "Medical records specialists" in page.inner_text("h1")
    assert all(u.startswith(("file:", "data:")) for u in page.requests), page.requests
    page.go_back()


# --- the state picker ------------------------------------------------------------------------------

def link_paths(page, selector: str) -> list[Path]:
    return [Path(unquote(urlparse(h).path)).resolve()
            for h in page.eval_on_selector_all(selector, "as => as.map(a => a.href)")]


def test_state_picker_lists_states_with_built_reports(page, built):
    page.wait_for_selector("#reports tbody tr")
    reset(page)
    page.select_option("#state", "")
    assert page.is_visible("#state")
    options = page.eval_on_selector_all("#state option", "os => os.map(o => [o.value, o.textContent])")
    assert options == [["", "National (all states)"], ["CA", "California (CA)"],  # SHAPES build CA and Houston
                       ["area:26420", "Houston-Pasadena-The Woodlands, TX (26420)"]]
    groups = page.eval_on_selector_all("#state optgroup", "gs => gs.map(g => g.label)")
    assert groups == ["States", "Metropolitan and nonmetropolitan areas"]


def test_picking_a_state_links_to_that_states_reports_where_built(page, built):
    page.wait_for_selector("#reports tbody tr")
    reset(page)
    national = {k[0] for k in built if k[1] == "latest" and k[2] is None}
    page.select_option("#state", "CA")
    try:
        assert set(rows(page)) == national  # picking a state hides no occupation
        n = len(national)
        assert page.inner_text("#count") == f"{n} of {n} occupations; 1 with a report for California"
        ca = built[("29-2072", "latest", "CA")].resolve()
        # the web page, the PDF named after the occupation and state, and the two-page handout
        assert link_paths(page, '#reports tr[data-soc="29-2072"] a') == [ca / "report.html", report_pdf(ca),
                                                                         handout_pdf(ca)]
        assert report_pdf(ca).name == "29-2072-medical-records-specialists-ca.pdf"
        assert all(p.is_file() for p in link_paths(page, "#reports a"))
        for soc in national - {"29-2072"}:  # no CA report: said so, and the national one offered
            row = f'#reports tr[data-soc="{soc}"]'
            assert "no CA report; national:" in page.inner_text(row)
            folder = built[(soc, "latest", None)].resolve()
            assert link_paths(page, row + " a") == [folder / "report.html", report_pdf(folder), handout_pdf(folder)]

        # Search, sort and filter keep working with a state picked.
        page.fill("#q", "medical records")
        assert rows(page) == ["29-2072"]
        assert link_paths(page, "#reports a")[0] == ca / "report.html"
        page.fill("#q", "")
        page.select_option("#sort", "median_wage_usd")
        # the pay column is California's now, and sorts by it
        w = store.table("wages")
        ca_pay = w[(w["area_type"] == 2) & (w["state_code"] == "CA")].set_index("soc_code")["annual_median_usd"]
        shown = [s for s in rows(page) if s in ca_pay.index and ca_pay[s] == ca_pay[s]]  # published in CA
        assert [ca_pay[s] for s in shown] == sorted((ca_pay[s] for s in shown), reverse=True)
        assert "Median pay in California" in page.inner_text("#reports thead")
        page.select_option("#edu", "Doctoral or professional degree")
        assert rows(page) == ["29-1211"]

        reset(page)
        page.fill("#q", "29-2072")
        page.click("#reports tbody tr:first-child a:text('Web')")
        page.wait_for_load_state()
        assert "California" in page.inner_text("body")
        assert all(u.startswith(("file:", "data:")) for u in page.requests)
        page.go_back()
        page.wait_for_selector("#reports tbody tr")
    finally:
        page.select_option("#state", "")
    assert link_paths(page, '#reports tr[data-soc="29-2072"] a')[0] == built[("29-2072", "latest", None)].resolve() \
        / "report.html"


def test_picking_an_area_links_to_that_areas_reports(page, built):
    page.wait_for_selector("#reports tbody tr")
    reset(page)
    national = {k[0] for k in built if k[1] == "latest" and k[2] is None}
    page.select_option("#state", "area:26420")
    try:
        n = len(national)
        assert page.inner_text("#count") == (f"{n} of {n} occupations; 1 with a report for "
                                             "Houston-Pasadena-The Woodlands, TX")
        houston = built[("29-2072", "latest", "area:26420")].resolve()
        assert link_paths(page, '#reports tr[data-soc="29-2072"] a') == [houston / "report.html",
                                                                          report_pdf(houston), handout_pdf(houston)]
        assert report_pdf(houston).name == ("29-2072-medical-records-specialists-houston-pasadena-the-woodlands-"
                                            "tx.pdf")
        assert page.inner_text('#reports tr[data-soc="29-2072"] td:last-child').startswith(
            "Houston-Pasadena-The Woodlands, TX: Web")
        other = sorted(national - {"29-2072"})[0]
        assert "no Houston-Pasadena-The Woodlands, TX report; national:" in page.inner_text(
            f'#reports tr[data-soc="{other}"]')
        # The fallback link opens the national report, and its name says so (no area named).
        names = page.eval_on_selector_all(f'#reports tr[data-soc="{other}"] a', "as => as.map(a => a.textContent)")
        assert names and all("Houston" not in n for n in names), names
        # Open the area's report and come back: what the picker shows is what the rows link to.
        page.fill("#q", "29-2072")
        page.click("#reports tbody tr:first-child a:text('Web')")
        page.wait_for_load_state()
        assert "Houston-Pasadena-The Woodlands, TX" in page.inner_text("body")
        page.go_back()
        page.wait_for_selector("#reports tbody tr")
        picked = page.eval_on_selector("#state", "s => s.value")
        linked = link_paths(page, '#reports tr[data-soc="29-2072"] a')[0]
        assert (picked == "area:26420") == (linked == houston / "report.html"), (picked, linked)
    finally:
        page.fill("#q", "")
        page.select_option("#state", "")


@pytest.mark.parametrize("shape", [("29-2072", "latest", None), ("29-2072", "latest", "CA"),
                                   ("29-2072", "latest", "area:26420")])
def test_report_html_fits_a_phone_screen(browser, built, shape):
    """At 390 px (a phone) the report page does not scroll sideways: wide tables scroll in their own box."""
    pg = browser.new_page(viewport={"width": 390, "height": 800})
    pg.goto((built[shape] / "report.html").as_uri())
    page_width = pg.evaluate("document.documentElement.scrollWidth")
    widest = pg.evaluate("Math.max(...[...document.querySelectorAll('table.data')].map(t => t.scrollWidth))")
    pg.close()
    assert widest > 390  # there are tables wider than the screen...
    assert page_width <= 390  # ...and they do not widen the page


def test_filter_by_interest_code_first_letter_or_two(page, built, real):
    """The interest picker keeps the occupations whose O*NET code starts with the choice (codes from the raw
    Interests.txt here, for the built reports that are O*NET occupations of their own)."""
    profiles = raw_profiles(real.raw)
    national = {k[0] for k in built if k[1] == "latest" and k[2] is None}
    options = page.eval_on_selector_all("#interest option", "os => os.map(o => o.value)")
    assert options[0] == "" and "C" in options and "CI" in options
    assert options.index("C") < options.index("CI")  # each letter, then its two-letter starts
    for choice in ("C", "CI", "S", "A"):
        reset(page)
        page.select_option("#interest", choice)
        shown = set(rows(page))
        want = {s for s in national if s in profiles and profiles[s][0].startswith(choice)}
        assert want <= shown and all(s not in profiles or profiles[s][0].startswith(choice) for s in shown), choice
        assert page.inner_text("#count").startswith(f"{len(shown)} of {len(national)} occupations")
    reset(page)
    page.select_option("#interest", "CI")
    assert "29-2072" in rows(page)
    assert "interests CI" in page.inner_text("#reports tbody tr[data-soc='29-2072']")


def test_an_area_report_for_a_second_state_is_listed_and_picked(browser, real, tmp_path):
    """`build 29-2072 --area 'Kansas City' --state KS` is recorded under areas/28140-KS/…: its row links to it
    and the picker offers it, beside the report against the area's primary state (areas/28140/…)."""
    jobs = (plan(["29-2072"], None, [None], real) + plan(["29-2072"], None, [], real, areas=["Kansas City"])
            + plan(["29-2072"], None, [], real, areas=["Kansas City"], state_of_areas="KS"))
    assert [j.rel_dir.split("/")[:2] for j in jobs[1:]] == [["areas", "28140"], ["areas", "28140-KS"]]
    manifest = {"reports": {}}
    for j in jobs:  # what a build records (the index reads nothing else of a report)
        manifest["reports"][j.rel_dir] = {"parameters": j.parameters, "title": j.title, "status": "ok",
                                          "formats": ["html"]}
        (tmp_path / j.rel_dir).mkdir(parents=True)
        (tmp_path / j.rel_dir / "report.html").write_text(f"<h1>{j.rel_dir}</h1>")
    [row] = index_page.rows(manifest, real)
    page_only = {"html": "report.html", "pdf": None, "handout": None}  # built as HTML only
    assert row["areas"] == {"28140": page_only, "28140-KS": page_only}
    pg = browser.new_page()
    try:
        pg.goto(index_page.write_index(tmp_path, manifest, real).as_uri())
        pg.wait_for_selector("#reports tbody tr")
        options = pg.eval_on_selector_all("#state option", "os => os.map(o => [o.value, o.textContent])")
        assert options[1:] == [["area:28140", "Kansas City, MO-KS (28140)"],
                               ["area:28140-KS", "Kansas City, MO-KS, against KS (28140-KS)"]]
        for key, job in (("28140", jobs[1]), ("28140-KS", jobs[2])):
            pg.select_option("#state", f"area:{key}")
            assert link_paths(pg, '#reports tr[data-soc="29-2072"] a') == [(tmp_path / job.rel_dir).resolve()
                                                                           / "report.html"]
    finally:
        pg.close()
