"""Reports and handouts that print right: full scale on Letter and A4, no half-empty pages, a running footer, a
handout of two pages at most, and pages that fit a phone. On the built reports of every shape (conftest's
``built``), in headless Chromium and with poppler's pdftotext, as an advisor would see them."""

from __future__ import annotations

import collections
import re
import subprocess
from pathlib import Path

import pytest
from helpers import SHAPES, report_pdf

from analysis.render.pdf import PdfRenderer

MM = 96 / 25.4  # CSS px per mm
# The printable width in CSS px: the paper less report.css's @page margins (14 mm each side; the handout 13 mm).
PRINTABLE = {"letter": 8.5 * 96 - 28 * MM, "a4": (210 - 28) * MM}
BODY_PT = 10.5  # report.css prints body text at 10.5 pt; a word box is about 1.15 times the font size
BLANK = 0.3  # a page whose content ends with more than this share of it empty is "half empty"
SHAPE_KEYS = sorted(SHAPES, key=str)


def too_wide(page, width: float) -> list[str]:
    """The elements whose box passes ``width`` (CSS px) in the print layout (hidden texts for screen readers are
    positioned absolutely and clipped: not printed, not counted)."""
    return page.evaluate("""(w) => { const out = [];
        document.querySelectorAll('body *').forEach(e => {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > w + 0.5 && getComputedStyle(e).position !== 'absolute')
                out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right)); });
        return out.slice(0, 5); }""", width)


def word_heights(pdf: Path) -> collections.Counter:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return collections.Counter(round(float(b) - float(a), 1)
                               for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out))


def blank_shares(pdf: Path, top_mm: float = 14, bottom_mm: float = 16) -> list[float]:
    """Each page's empty share below its last line of content (the footer left out)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    shares = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S):
        top, bottom = top_mm / 25.4 * 72, float(height) - bottom_mm / 25.4 * 72
        ys = [float(y) for y in re.findall(r'yMax="([\d.]+)"', body) if float(y) < bottom]
        shares.append((bottom - max(ys, default=top)) / (bottom - top))
    return shares


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.mark.parametrize("shape", SHAPE_KEYS)
def test_nothing_is_wider_than_the_printed_page(browser, built, shape):
    """Chromium shrinks every page when one element is wider than the paper's printable width: in the print
    layout at that width, no element of the report or its handout passes it, on Letter or A4."""
    page = browser.new_page()
    page.emulate_media(media="print")
    try:
        for name in ("report.html", "handout.html"):
            for paper, width in PRINTABLE.items():
                page.set_viewport_size({"width": int(width), "height": 1000})
                page.goto((built[shape] / name).as_uri())
                assert not too_wide(page, width), (shape, name, paper, too_wide(page, width))
    finally:
        page.close()


@pytest.mark.parametrize("shape", SHAPE_KEYS)
def test_pdfs_print_at_full_scale(built, shape):
    """The most common word height in the PDF is body text at 10.5 pt, not shrunk (at the old 78% scale it was
    9.5 pt): in the report and in the handout (10 pt)."""
    for pdf, size in ((report_pdf(built[shape]), BODY_PT), (next(built[shape].glob("*-handout.pdf")), 10)):
        height, _ = word_heights(pdf).most_common(1)[0]
        assert height >= 1.1 * size, (pdf.name, word_heights(pdf).most_common(3))


@pytest.mark.parametrize("shape", SHAPE_KEYS)
def test_at_most_one_half_empty_page(built, shape):
    """Page discipline: besides the last page, at most one page ends with more than 30% of it empty."""
    shares = blank_shares(report_pdf(built[shape]))
    half_empty = [i + 1 for i, s in enumerate(shares[:-1]) if s > BLANK]
    assert len(half_empty) <= 1, (shape, half_empty, [round(s, 2) for s in shares])


@pytest.mark.parametrize("shape", SHAPE_KEYS)
def test_every_page_names_its_report(built, shape):
    """A running footer: every page of the report and of the handout carries the document's title (occupation,
    SOC code, place, release) and its page number."""
    for pdf in built[shape].glob("*.pdf"):
        title = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        title = re.search(r"Title:\s+(.+)", title).group(1).strip()
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout.split("\f")
        text = [t for t in text if t.strip()]
        for n, page in enumerate(text, start=1):
            assert title[:60] in " ".join(page.split()), (pdf.name, n)
            assert f"Page {n} of {len(text)}" in page, (pdf.name, n)


@pytest.mark.parametrize("shape", SHAPE_KEYS)
def test_the_handout_is_one_sheet(built, shape):
    """The handout: front and back of one sheet (two Letter pages at most), one headline pay, the ways to read
    more, linked."""
    folder = built[shape]
    handout = next(folder.glob("*-handout.pdf"))
    assert pages(handout) <= 2, (shape, pages(handout))
    html = (folder / "handout.html").read_text(encoding="utf-8")
    rows = re.findall(r'<th scope="row">(Median pay[^<]*)', html)  # the pay table's rows: one median (and the U.S.)
    assert len([r for r in rows if not r.startswith("Median pay, U.S.")]) == 1, rows
    for site in ("https://www.bls.gov/oes/current/oes", "https://www.onetonline.org/link/summary/",
                 "https://www.careeronestop.org/"):
        assert f'href="{site}' in html, site
    assert 'href="report.html"' in html and 'href="../' in html  # the full report; back to the index


def test_the_handout_fits_two_a4_pages_too(built, tmp_path):
    """On A4 (narrower and taller than Letter) the longest handouts still fit one sheet."""
    with PdfRenderer() as printer:
        for shape in SHAPE_KEYS:
            out = tmp_path / f"{abs(hash(shape))}.pdf"
            printer.render(built[shape] / "handout.html", out, "a4")
            assert pages(out) <= 2, shape


@pytest.mark.parametrize("name", ["report.html", "handout.html"])
def test_pages_fit_a_phone(browser, built, name):
    """At 390 px no page scrolls sideways, and chart text renders at least 11 px tall (a wide chart or table
    scrolls inside its own labelled box)."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    try:
        for shape in SHAPE_KEYS:
            page.goto((built[shape] / name).as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, (shape, name)
            smallest = page.evaluate("""() => { let m = 99;
                document.querySelectorAll('svg[viewBox]').forEach(s => {
                    const k = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
                    s.querySelectorAll('text').forEach(t => { m = Math.min(m,
                        parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * k); });
                }); return m; }""")
            assert smallest >= 11 - 0.01, (shape, name, smallest)
            for box in page.query_selector_all(".chart-scroll, .table-scroll"):
                assert box.get_attribute("aria-label") and box.get_attribute("tabindex") == "0"
    finally:
        page.close()
