"""The report's O*NET depth on the real files: whom the work suits (interests, work styles and values), skills and
knowledge, detailed work activities, tools, and related careers with BLS's figures. Values are checked against the
raw files read here with the standard library and openpyxl, not through the code under test."""

from __future__ import annotations

import gzip
import re
from html import escape, unescape

import openpyxl
import pytest

from analysis.sections.report import CareerReport
from analysis.sections.report.person import IMPORTANCE_WORDS, importance_words, level_words
from analysis.tables import places, store
from analysis.values import plural

VINTAGE = "2024-34"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def records(path) -> list[dict[str, str]]:
    head, *rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    return [dict(zip(head, row, strict=True)) for row in rows]


@pytest.fixture(scope="module")
def onet_dir(real):
    return real.raw / "onet" / "29.2"


@pytest.fixture(scope="module")
def workbooks(onet_dir) -> dict[str, list[dict]]:
    """Skills.xlsx and Knowledge.xlsx read once with openpyxl (not the reader under test): file -> rows."""
    out = {}
    for name in ("Skills.xlsx", "Knowledge.xlsx"):
        book = openpyxl.load_workbook(onet_dir / name, read_only=True)
        it = book.worksheets[0].iter_rows(values_only=True)
        head = next(it)
        out[name] = [dict(zip(head, r, strict=True)) for r in it]
        book.close()  # a read-only workbook keeps its file open until closed
    return out


def no_empty_headings(html: str) -> None:
    """Every h3 is followed by something other than another heading or the end."""
    for m in re.finditer(r"</h3>\s*(<[a-z0-9]+)?", html):
        assert m.group(1) not in (None, "<h3", "<h2"), html[max(0, m.start() - 80):m.end() + 80]


def test_medical_records_specialists_suit_ci_with_onet_scores(real, onet_dir):
    html = CareerReport("29-2072", paths=real).suits().html
    raw = {r["Element Name"]: r["Data Value"] for r in records(onet_dir / "Interests.txt")
           if r["O*NET-SOC Code"] == "29-2072.00" and r["Scale ID"] == "OI"}
    assert raw["Conventional"] == "6.97"
    words = text(html)
    assert "Interest code CI (Conventional, Investigative)" in words
    assert "Conventional (6.97)" in words and "Investigative (4.33)" in words
    for name, score in raw.items():  # the chart's description gives all six, as published
        assert f"{name} ({name[0]}) {score}" in words, name
    assert "O*NET estimates these scores with a statistical model" in words
    # 29.2 has no work styles or values for it: one plain line, no heading of its own
    assert "Work styles and work values: O*NET has not rated these for this occupation yet." in words
    assert "<h3>Work styles and work values</h3>" not in html
    no_empty_headings(html)
    assert "O*NET 29.2 Database" not in words  # the attribution: once, under "What they do", and in the sources


@pytest.mark.slow
@pytest.mark.parametrize(("domain", "file"), [("skills", "Skills.xlsx"), ("knowledge", "Knowledge.xlsx")])
def test_registered_nurses_top_skills_and_knowledge_are_the_excel_values(real, workbooks, domain, file):
    rows = [r for r in workbooks[file] if r["O*NET-SOC Code"] == "29-1141.00"]
    imp = {r["Element Name"]: r for r in rows if r["Scale ID"] == "IM" and r["Recommend Suppress"] != "Y"}
    lvl = {r["Element Name"]: r for r in rows if r["Scale ID"] == "LV"}
    top = sorted(imp.values(), key=lambda r: (-r["Data Value"], r["Element Name"]))[:10]
    html = CareerReport("29-1141", paths=real).skills().html
    part = html.split("<h3>Knowledge</h3>")[0 if domain == "skills" else 1]
    shown = re.findall(r'<tr><th scope="row">([^<]+)</th><td>[^<]*</td><td>([^<]+)</td><td>([^<]+)</td></tr>', part)
    assert [unescape(s[0]) for s in shown] == [r["Element Name"] for r in top]
    for (_, importance, level), r in zip(shown, top, strict=True):
        assert importance.startswith(f"{r['Data Value']:.2f} of 5, ")
        lv = lvl[r["Element Name"]]
        if lv["Recommend Suppress"] != "Y" and lv["Not Relevant"] != "Y":
            # the level alone: O*NET's generic anchor examples are not shown (they contradict the occupation)
            assert level == f"{lv['Data Value']:.2f} of 7", level


@pytest.mark.slow
def test_suppressed_estimates_are_not_shown(real, workbooks):
    """The first occupation (by code) whose .00 knowledge ratings include importances O*NET advises not to show
    (in 29.2 only Knowledge has such importances), and which BLS publishes under the same code: none of those
    reaches its table; a level O*NET advises against is not printed either."""
    proj = store.table("projections", real)
    bls = set(proj.loc[(proj["vintage"] == VINTAGE) & (proj["soc_level"] == "detailed"), "soc_code"])
    rows = workbooks["Knowledge.xlsx"]
    code = next(r["O*NET-SOC Code"] for r in rows if r["Scale ID"] == "IM" and r["Recommend Suppress"] == "Y"
                and r["O*NET-SOC Code"].endswith(".00") and r["O*NET-SOC Code"][:7] in bls)
    mine = [r for r in rows if r["O*NET-SOC Code"] == code]
    suppressed = {r["Element Name"] for r in mine if r["Scale ID"] == "IM" and r["Recommend Suppress"] == "Y"}
    html = CareerReport(code[:7], paths=real).skills().html
    part = html.split("<h3>Knowledge</h3>")[1]
    shown = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>[^<]*</td><td>[^<]+</td><td>([^<]+)</td>', part))
    assert shown and not set(shown) & suppressed
    assert f"{plural(len(suppressed), 'estimate')} O*NET recommends not to show" in text(part)
    hidden = {r["Element Name"] for r in mine if r["Scale ID"] == "LV"
              and (r["Recommend Suppress"] == "Y" or r["Not Relevant"] == "Y")}
    for name, level in shown.items():
        assert (level == "not shown (O*NET advises against it)") == (unescape(name) in hidden), name


def test_an_occupation_without_ratings_says_so_and_what_to_read_instead(real):
    for soc in ("29-2072", "15-1252"):
        html = CareerReport(soc, paths=real).skills().html
        words = text(html)
        assert "Skills and knowledge: O*NET has not rated these for this occupation yet." in words
        assert "“What they do”" in words and "<h3>" not in html


def test_related_careers_start_with_onets_order_and_carry_the_releases_figures(real):
    html = CareerReport("29-2072", paths=real).related().html
    first = html.split("<h3>In its SOC group</h3>")[0]
    # each title a link to its report in the catalogue (test_student_reading checks where it points)
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]+">([^<]+)</a></th><td class="num">(\d\d-\d{4})</td>'
                      r'<td class="num">([^<]+)</td>'
                      r'<td class="num">([^<]+)</td><td class="num">([^<]+)</td><td>([^<]+)</td></tr>', first)
    assert [r[1] for r in rows[:4]] == ["31-9094", "29-9021", "31-9092", "43-6013"]
    proj = store.table("projections", real)
    latest = proj[proj["vintage"] == VINTAGE].set_index("soc_code")
    nat = places.national(real)  # their pay: the same newest median as the report's own headline
    for title, soc, growth, openings, pay, education in rows:
        p = latest.loc[soc]
        assert unescape(title) == p["title"]
        assert growth == f"{p['change_percent']:+.1f}%"
        assert openings == f"{int(p['openings_per_year']):,}"
        assert pay == f"${int(nat.loc[soc, 'annual_median_usd']):,}"
        assert unescape(education) == p["education"]
    assert "29-2072" not in [r[1] for r in rows]  # never itself
    assert "growth against pay" in html  # the SOC-group chart stays


def test_detailed_work_activities_and_tools_used(real, onet_dir):
    rep = CareerReport("29-2072", paths=real)
    dwa_titles = {r["DWA ID"]: r["DWA Title"] for r in records(onet_dir / "DWA Reference.txt")}
    mine = {dwa_titles[r["DWA ID"]] for r in records(onet_dir / "Tasks to DWAs.txt")
            if r["O*NET-SOC Code"] == "29-2072.00"}
    html = rep.what_they_do().html
    shown = re.findall(r"<li>([^<]+)</li>", html.split("<h3>Detailed work activities</h3>")[1].split("</ul>")[0])
    assert shown and {unescape(s) for s in shown} <= mine and len(shown) == min(12, len(mine))
    with gzip.open(onet_dir / "Tools Used.txt.gz", "rt", encoding="utf-8") as fh:
        head, *rows = [line.rstrip("\n").split("\t") for line in fh]
    tools = {r[1] for r in rows if r[0] == "29-2072.00"}
    tools_html = rep.tools().html.split("<h3>Tools and equipment</h3>")[1]
    assert f"{len(tools)} tools listed in all" in text(tools_html)
    assert "Barcode scanners" in tools_html


def test_quick_facts_name_the_interest_code(real):
    words = text(CareerReport("29-2072", paths=real).quick_facts().html)
    assert "Interest code (O*NET) CI Conventional, Investigative" in re.sub(r"\s+", " ", words)


def test_importance_and_level_in_onets_words(real):
    assert importance_words(4.12) == "4.12 of 5, very important"
    assert importance_words(4.5) == "4.50 of 5, extremely important"  # half up
    assert importance_words(1.49) == "1.49 of 5, not important"
    assert set(IMPORTANCE_WORDS) == {1, 2, 3, 4, 5}
    assert level_words(4.624) == "4.62 of 7" and level_words(None).startswith("not shown")
    # O*NET's generic level anchors never reach a report: an RN's "Medicine and Dentistry" is not "Fill a tooth
    # cavity", a physician's judgment not "Evaluate a loan application".
    anchors = store.table("onet_level_anchors", real)
    for soc in ("29-1141", "29-1211", "29-1215"):
        html = CareerReport(soc, paths=real).skills().html
        assert "about:" not in html
        assert not any(a in html for a in anchors["anchor_text"].map(escape)), soc
