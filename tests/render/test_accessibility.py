"""Accessibility, checked with the auditors' tools on the real reports: axe-core (through axe-playwright-python)
in headless Chromium on the pages, pikepdf on the PDF's structure, pdfinfo on its page size and tags.

Zero axe violations at any impact, no rule waived. What automated checks cannot prove is in
docs/accessibility.md."""

from __future__ import annotations

import re
import subprocess
from html import unescape

import pikepdf
import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import report_pdf
from playwright.sync_api import sync_playwright

from analysis import notebooks
from analysis.catalogue.changes_page import write_page
from analysis.render.pdf import CHROMIUM_ARGS, chromium_path

WAIVED: set[str] = set()  # axe rule ids we accept a violation of, each with its reason here (none today)
SECTIONS = ["Quick facts", "What they do", "The work: pros and cons", "Who it suits", "Job outlook", "Openings",
            "Pay", "State and area data", "Metropolitan areas", "Who hires", "How to become one",
            "Skills and knowledge", "Tools and technology", "Outlook across releases", "Related careers",
            "Words used in this report", "Sources and notes"]  # the notebook's ## headings, in order


@pytest.fixture(scope="module")
def handout(real, built_out):
    """The compare notebook's handout, built like an advisor's (three occupations, California)."""
    return notebooks.build("compare_occupations", {"state": "CA"}, out=built_out, p=real) / "report.html"


@pytest.fixture(scope="module")
def analyst_pages(real, built_out):
    """The two other notebooks' pages, at their defaults (what an analyst gets from Run all)."""
    return {name: notebooks.build(name, {}, out=built_out, p=real, formats=("html",)) / "report.html"
            for name in ("explore_occupations", "release_changes")}


@pytest.fixture(scope="module")
def changes(real, built, built_out):
    return write_page("2023-33", "2024-34", built_out, real)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def pages(built, built_out, handout, changes, analyst_pages):
    return analyst_pages | {"report": built[("29-2072", "latest", None)] / "report.html",
            "state report": built[("29-2072", "latest", "CA")] / "report.html",
            "area report": built[("29-2072", "latest", "area:26420")] / "report.html",
            "compare handout": handout, "index": built_out / "index.html", "changes page": changes,
            "career handout": built[("29-2072", "latest", None)] / "handout.html",
            "area career handout": built[("29-2072", "latest", "area:26420")] / "handout.html"}


@pytest.mark.parametrize("name", ["report", "state report", "area report", "compare handout", "index", "changes page",
                                  "explore_occupations", "release_changes", "career handout",
                                  "area career handout"])
def test_axe_finds_no_violation(name, built, built_out, handout, changes, analyst_pages, browser):
    page = browser.new_page()
    try:
        page.goto(pages(built, built_out, handout, changes, analyst_pages)[name].as_uri())
        result = Axe().run(page)
    finally:
        page.close()
    found = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
             for v in result.response["violations"] if v["id"] not in WAIVED]
    assert found == []
    assert result.response["passes"], "axe ran no rule"


def test_every_chart_has_a_text_alternative_and_the_page_its_landmarks(built):
    html = (built[("29-2072", "latest", None)] / "report.html").read_text(encoding="utf-8")
    html = re.sub(r"<style\b.*?</style>", "", html, flags=re.S)  # the stylesheet's comments name tags too
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) >= 7
    for tag in svgs:
        assert 'role="img"' in tag and "aria-labelledby=" in tag, tag[:200]
    assert html.count("<desc") >= len(svgs) and '<html lang="en">' in html
    assert html.count("<h1") == 1 and "<main" in html
    levels = [int(h) for h in re.findall(r"<h([1-6])\b", html)]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels  # no level skipped


def _struct(node, found: dict) -> dict:
    kind = node.get("/S")
    if kind is not None:
        found.setdefault(str(kind), []).append(node)
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary):
            _struct(kid, found)
    return found


def test_the_pdf_is_tagged_with_figures_language_title_and_outline(built):
    path = report_pdf(built[("29-2072", "latest", None)])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Page size:\s+612 x 792 pts \(letter\)$", info, re.M)
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en"
        assert str(pdf.docinfo.Title) == "Medical records specialists (29-2072): career report, 2024-34"
        tags = _struct(pdf.Root.StructTreeRoot, {})
        figures = tags.get("/Figure", [])
        assert len(figures) >= 7  # one per chart, none without its text alternative
        alts = [str(f.get("/Alt", "")) for f in figures]
        assert all(alt.strip() for alt in alts), alts
        assert any("Medical records specialists +7.1%" in alt for alt in alts), alts
        assert {"/H1", "/H2", "/Table", "/TH", "/L", "/P"} <= set(tags)
        with pdf.open_outline() as outline:
            top = list(outline.root)
            assert [t.title for t in top] == ["Medical records specialists"]
            assert [c.title for c in top[0].children] == SECTIONS  # one bookmark per section, in order
        for page in pdf.pages:
            assert [round(float(v)) for v in page.MediaBox] == [0, 0, 612, 792]


@pytest.mark.slow
def test_a4_by_setting(real, tmp_path):
    out = notebooks.build("release_changes", {"top": 3}, out=tmp_path, p=real, paper="a4", formats=("pdf",))
    info = subprocess.run(["pdfinfo", str(out / "report.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Page size:\s+595(\.\d+)? x 842(\.\d+)? pts \(A4\)$", info, re.M), info


def test_no_printed_page_ends_with_a_heading(built):
    """A heading printed at the foot of a page, its text on the next, reads as a broken document."""
    folder = built[("29-2072", "latest", None)]
    html = (folder / "report.html").read_text(encoding="utf-8")
    found = re.findall(r"<h[1-4]\b[^>]*>(.*?)</h[1-4]>", html, re.S)
    headings = {unescape(re.sub(r"<[^>]+>", "", h)).rstrip("¶").strip() for h in found} - {""}  # ¶: nbconvert's anchor
    assert {"Quick facts", "Pros", "Top-paying states"} <= headings
    text = subprocess.run(["pdftotext", "-layout", str(report_pdf(folder)), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 5
    for number, page in enumerate(pages, 1):
        lines = [line.strip() for line in page.splitlines()  # the running footer left out
                 if line.strip() and not re.search(r"Page \d+ of \d+$", line.strip())]
        assert lines[-1] not in headings, f"page {number} ends with the heading {lines[-1]!r}"
        # the heading may share its last line with a neighbouring column's heading (Pros | Cons)
        assert not any(lines[-1].startswith(h + "  ") for h in headings), f"page {number}: {lines[-1]!r}"
