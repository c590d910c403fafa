"""PDF/UA-1, checked as a school's accessibility office would, with two validators: `page` (veraPDF's PDF/UA-1
rules, profile ua1) and outloud (the Matterhorn Protocol and WCAG 2.2, with semantic checks a validator cannot make).

Every kind of PDF the project writes (PDF_KINDS), on Letter and A4, passes both with nothing reported; each repair
of ``analysis.render.pdfua`` and each page fix of ``analysis.render.pdf`` is shown to be needed (left out, its rule
fails); the repairs change nothing on paper and keep Chromium's outline, alternative texts and language.
"""

from __future__ import annotations

import io
import subprocess

import outloud
import page
import pikepdf
import pytest
from PIL import Image, ImageChops

from analysis import notebooks
from analysis.catalogue.worker import Worker
from analysis.errors import BuildError
from analysis.render.handout import handout_html
from analysis.render.kernel import WarmKernel
from analysis.render.pdf import PAGE_FIXES, PdfRenderer
from analysis.render.pdftags import Tags
from analysis.render.pdfua import FIXES, fix_untagged_content, make_pdfua

# Every kind of PDF the project writes: kind -> (notebook, parameters). A new kind (a handout) is one line here, and
# every test below runs on it.
PDF_KINDS = {
    "career report": ("career_report", {"soc_code": "29-2072"}),
    "state report": ("career_report", {"soc_code": "29-2072", "state": "TX"}),
    "area report": ("career_report", {"soc_code": "29-2072", "area": "Houston"}),
    "compare handout": ("compare_occupations", {"soc_codes": ["29-2072", "43-6013", "29-9021"]}),
    "careers by interest": ("careers_by_interest", {"interest_code": "CI", "state": "TX"}),
    "explore": ("explore_occupations", {"area": "Houston", "min_location_quotient": 1.0}),
    "release changes": ("release_changes", {}),
    "career handout": ("handout", {"soc_code": "29-2072"}),
    "area career handout": ("handout", {"soc_code": "29-1211", "area": "Chicago"}),
}
HANDOUT = "handout"  # a kind that is a career report's one-sheet handout (render/handout.py), not a notebook
PAPERS = {"letter": [612, 792], "a4": [595, 842]}  # points; Chromium's A4 is 595.9 x 842.9
NOT_DECLARED = ({"PDFUA1-ID-PART-001", "PDFUA1-ID-SCHEMA-001"}, {"DOC-012"})  # no pdfuaid:part: (page, outloud)

# Each repair, left out, and what the validators then report beyond the missing PDF/UA declaration (a PDF made with
# a repair left out does not claim PDF/UA): (the page printed, page's failed rules, outloud's errors and warnings).
# "awkward" is AWKWARD_HTML below, for markup no report has today.
FAMILIES = {
    "untagged-content": ("career report", {"PDFUA1-CONTENT-TAGGING-001"}, {"TAG-001"}),
    "lists": ("career report", {"PDFUA1-LI-KIDS-001"}, {"LST-002"}),
    "role-map": ("career report", {"PDFUA1-STRUCT-TREE-ROLE-MAP-001"}, {"TAG-010"}),
    "table-cells": ("career report", {"PDFUA1-TABLE-ROW-COLUMNSPAN-001", "PDFUA1-TABLE-COLUMN-ROWSPAN-001"},
                    {"TBL-004"}),
    "table-headers": ("career report", set(), {"TBL-010"}),  # a semantic check: veraPDF's rules do not look at it
    "bare-urls": ("career report", set(), {"LNK-010"}),  # semantic too
    "link-descriptions": ("career report", {"PDFUA1-LINK-CONTENTS-001"}, {"LNK-002"}),
    "metadata": ("career report", {"PDFUA1-METADATA-STRUCTURE-001", "PDFUA1-METADATA-TITLE-001"}, {"DOC-010"}),
    "figure-groups": ("awkward", {"PDFUA1-FIGURE-ALTERNATIVE-TEXT-001"}, {"FIG-001"}),
    "repeated-headers": ("awkward", set(), {"PAG-001"}),  # a long table's header printed atop each page
}


@pytest.fixture(scope="module")
def pdf_renderer():
    with PdfRenderer() as renderer:
        yield renderer


@pytest.fixture(scope="module")
def kinds(real, tmp_path_factory, pdf_renderer):
    """Each kind built as the command line builds it (HTML, and the Letter PDF the build writes), warm kernel."""
    out = tmp_path_factory.mktemp("pdfua")
    preload = Worker.PRELOAD + ("\nimport analysis.sections.explore, analysis.sections.compare, "
                                "analysis.sections.release_compare, analysis.sections.careers_by_interest")
    with WarmKernel(preload=preload) as kernel:
        built = {kind: notebooks.build(name, params, out=out, kernel=kernel, pdf=pdf_renderer, p=real,
                                       paper="letter")
                 for kind, (name, params) in PDF_KINDS.items() if name != HANDOUT}
    for kind, (name, params) in PDF_KINDS.items():  # a career report's handout, as the catalogue prints it
        if name == HANDOUT:
            folder = out / kind.replace(" ", "-")
            folder.mkdir()
            (folder / "report.html").write_text(handout_html(params, real), encoding="utf-8")
            pdf_renderer.render(folder / "report.html", folder / "report.pdf", "letter")
            built[kind] = folder
    return built


def validate(path) -> tuple[set[str], list[str]]:
    """(page's failed rule ids, outloud's errors and warnings as 'RULE: message'), after checking both ran."""
    checked = page.validate_pdf(str(path), profile="ua1")
    assert checked.rules.total >= 100, "page ran no PDF/UA-1 rules"
    failed = {f.rule_id for f in checked.failures}
    assert checked.is_compliant == (not failed)
    result = outloud.check(str(path))
    assert result.error is None, result.error
    assert result.stats["tagged"] and result.criteria["pdfua1"], "outloud did not check the structure"
    found = [f"{f.rule}: {f.message}" for f in result.findings if f.severity in ("error", "warning")]
    return failed, found


def rules_of(found: list[str]) -> set[str]:
    return {f.split(":", 1)[0] for f in found}


def xmp(path) -> dict:
    with pikepdf.open(path) as pdf, pdf.open_metadata() as meta:
        return {"title": meta.get("dc:title"), "part": meta.get("pdfuaid:part"), "info": str(pdf.docinfo.Title)}


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("kind", PDF_KINDS)
def test_every_pdf_passes_both_validators(kind, paper, kinds, pdf_renderer, tmp_path):
    if paper == "letter":
        path = kinds[kind] / "report.pdf"  # the file the build wrote
    else:
        path = tmp_path / "report.pdf"
        pdf_renderer.render(kinds[kind] / "report.html", path, paper)
    failed, found = validate(path)
    assert failed == set()
    assert found == []
    meta = xmp(path)
    assert meta["part"] == "1"  # declared, and (above) true
    assert meta["title"] == meta["info"] and meta["title"].strip()
    with pikepdf.open(path) as pdf:
        sizes = [[float(v) for v in p.MediaBox[2:]] for p in pdf.pages]
    assert all(abs(w - PAPERS[paper][0]) < 1.5 and abs(h - PAPERS[paper][1]) < 1.5 for w, h in sizes), sizes


def _alts_outline_lang(path) -> tuple:
    with pikepdf.open(path) as pdf:
        alts, stack = [], [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == pikepdf.Name.Figure:
                    alts.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        with pdf.open_outline() as outline:
            titles = [(item.title, [c.title for c in item.children]) for item in outline.root]
        return sorted(alts), titles, str(pdf.Root.Lang), len(pdf.pages)


def _page_images(path, folder) -> list[Image.Image]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(folder / "p")], check=True)
    return [Image.open(f).convert("L") for f in sorted(folder.iterdir())]


def _changed_share(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels that differ by more than a shade: anti-aliasing moves when a link splits a line of text
    into two runs (a sub-pixel shift of the words after it), nothing else may."""
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 48 else 0)
    return sum(diff.histogram()[255:]) / (a.size[0] * a.size[1])


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("kind", PDF_KINDS)
def test_the_repairs_change_nothing_on_paper_and_keep_outline_alt_texts_and_language(kind, kinds, pdf_renderer,
                                                                                      tmp_path):
    html = kinds[kind] / "report.html"
    plain = tmp_path / "plain.pdf"  # what Chromium prints with no repair at all
    plain.write_bytes(pdf_renderer.print_tagged(html, "letter", page_fixes=()))
    repaired = tmp_path / "repaired.pdf"
    repaired.write_bytes(pdf_renderer.pdf_bytes(html, "letter"))
    before, after = _alts_outline_lang(plain), _alts_outline_lang(repaired)
    assert after == before
    alts, outline, lang, _ = after
    assert lang == "en" and outline and all(a.strip() for a in alts)
    if kind.endswith("report"):
        assert len(alts) >= 7 and len(outline[0][1]) >= 10  # a Figure per chart; a bookmark per section
    assert _text(repaired) == _text(plain)
    before_pages, after_pages = _page_images(plain, tmp_path / "before"), _page_images(repaired, tmp_path / "after")
    assert len(after_pages) == len(before_pages)
    assert max(_changed_share(a, b) for a, b in zip(before_pages, after_pages, strict=True)) < 0.002


@pytest.mark.parametrize("repair", FAMILIES)
def test_each_repair_is_needed(repair, kinds, awkward, pdf_renderer, tmp_path):
    """A page made with one repair left out: the validators report that repair's rules (and, as the file no longer
    claims PDF/UA, the missing declaration), and nothing else."""
    assert set(FAMILIES) == set(FIXES) | set(PAGE_FIXES)  # every repair has its family here
    subject, page_rules, outloud_rules = FAMILIES[repair]
    html = awkward if subject == "awkward" else kinds[subject] / "report.html"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_renderer.pdf_bytes(html, "letter", skip=[repair]))
    failed, found = validate(path)
    assert failed == page_rules | NOT_DECLARED[0]
    assert rules_of(found) == outloud_rules | NOT_DECLARED[1]
    assert xmp(path)["part"] is None


def test_pdfua_is_declared_only_when_asked_and_then_the_identification_rules_pass(kinds, pdf_renderer, tmp_path):
    printed = pdf_renderer.print_tagged(kinds["career report"] / "report.html", "letter")
    undeclared, declared = tmp_path / "undeclared.pdf", tmp_path / "declared.pdf"
    undeclared.write_bytes(make_pdfua(printed, "undeclared.pdf", declare=False))
    declared.write_bytes(make_pdfua(printed, "declared.pdf"))
    failed, found = validate(undeclared)
    assert (failed, rules_of(found)) == NOT_DECLARED
    assert validate(declared) == (set(), [])


AWKWARD_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Awkward markup for the PDF/UA repairs</title>
<style>td, th { border: 1px solid #555; padding: 2px 6px; } .box { border-left: 4px solid #1d4e89; padding: 4px; }
p.dash::before { content: "— "; }</style></head>
<body><main>
<h1 id="top">Awkward markup</h1>
<p class="dash">A paragraph with <strong>strong</strong>, <em>emphasis</em>, <code>code</code>, H<sub>2</sub>O and
a <a href="#lists">link to the lists</a>.</p>
<table><caption>Spans, an empty cell in the middle and a short row</caption>
<thead><tr><th scope="col">Name</th><th scope="col" colspan="2">Pay</th><th scope="col">Note</th></tr></thead>
<tbody><tr><th scope="row">First</th><td>1</td><td></td><td>note</td></tr>
<tr><th scope="row" rowspan="2">Second</th><td>2</td><td>3</td><td></td></tr>
<tr><td>4</td><td>5</td></tr>
<tr><th scope="row">Third</th><td colspan="3"></td></tr></tbody></table>
<table><tr><th scope="row">Key</th><td>value</td><td></td></tr><tr><th scope="row">Other key</th><td>x</td>
<td>y</td></tr></table>
<table><thead><tr><th scope="col">Kind</th><th scope="col">Examples</th></tr></thead><tbody>
<tr><th scope="row">One</th><td>a; b</td></tr><tr><th scope="row">Two</th><td>c</td></tr>
<tr><th scope="row">Three</th><td>d</td></tr></tbody></table>
<h2 id="lists">Lists</h2>
<ul><li>plain</li><li><strong>bold</strong> then text<ul><li>nested <em>one</em></li><li>nested two</li></ul></li></ul>
<ol><li><p>a paragraph in an item</p></li><li>two</li></ol>
<div class="box"><p>A boxed note quoting <q>someone</q>.</p><blockquote>A quotation.</blockquote></div>
<figure><svg role="img" aria-labelledby="t d" width="120" height="40" viewBox="0 0 120 40"><title id="t">Bars</title>
<desc id="d">Two bars: 30 and 90.</desc><rect x="0" y="5" width="30" height="12" fill="#1d4e89"/>
<rect x="0" y="22" width="90" height="12" fill="#1d4e89"/></svg><figcaption>Two bars</figcaption></figure>
<p>Sources: https://www.bls.gov/emp/tables.htm, www.onetcenter.org and help@example.org.</p>
<table><caption>A table over four pages</caption><thead><tr><th scope="col">Row</th><th scope="col">Square</th>
</tr></thead><tbody>
""" + "".join(f'<tr><th scope="row">{i}</th><td>{i * i}</td></tr>' for i in range(1, 161)) + """
</tbody></table>
</main></body></html>
"""


@pytest.fixture(scope="module")
def awkward(tmp_path_factory):
    html = tmp_path_factory.mktemp("awkward") / "awkward.html"
    html.write_text(AWKWARD_HTML, encoding="utf-8")
    return html


def test_any_html_chromium_prints_comes_out_conformant(awkward, pdf_renderer, tmp_path):
    """The repairs know nothing of the reports: markup the reports do not use today (spans, an empty cell in the
    middle of a row, a short row, nested lists, PDF 2.0 types, quotes, a figure with its caption, e-mail addresses,
    an internal link, a table over several pages) comes out conformant too; printed without them it fails."""
    html = awkward
    for paper in PAPERS:
        path = tmp_path / f"awkward-{paper}.pdf"
        pdf_renderer.render(html, path, paper)
        assert validate(path) == (set(), [])
        assert xmp(path)["part"] == "1"
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf_renderer.print_tagged(html, page_fixes=()))
    failed, found = validate(plain)
    assert {"PDFUA1-CONTENT-TAGGING-001", "PDFUA1-LI-KIDS-001", "PDFUA1-TABLE-ROW-COLUMNSPAN-001",
            "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001", "PDFUA1-STRUCT-TREE-ROLE-MAP-001"} <= failed
    assert {"TBL-004", "TBL-010", "LNK-010", "LNK-002", "FIG-001", "PAG-001"} <= rules_of(found)
    with pikepdf.open(tmp_path / "awkward-letter.pdf") as pdf:
        described = {str(a.Contents) for p in pdf.pages for a in p.get("/Annots", []) if "/Contents" in a}
    assert {"https://www.bls.gov/emp/tables.htm", "https://www.onetcenter.org/", "mailto:help@example.org",
            "Go to page 1"} <= described


def _page_operators(data: bytes, scan: bool) -> list[bytes]:
    """Each page's operators after marking untagged content as artifacts, by the byte scan or by parsing whole."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fix_untagged_content(pdf, Tags(pdf), scan=scan)
        return [pikepdf.unparse_content_stream(pikepdf.parse_content_stream(p)) for p in pdf.pages]


@pytest.mark.parametrize("kind", PDF_KINDS)
def test_the_scan_marks_what_parsing_every_operator_would(kind, kinds, pdf_renderer):
    """The repair parses only the stretches of a page outside tags, found by a scan of its bytes; the result is
    the one parsing every operator with pikepdf gives, operator for operator."""
    printed = pdf_renderer.print_tagged(kinds[kind] / "report.html", "a4")
    scanned = _page_operators(printed, scan=True)
    assert scanned == _page_operators(printed, scan=False)
    assert all(b"/Artifact BMC" in page for page in scanned)  # every page has its footer, at least


def test_the_scan_leaves_pages_it_cannot_read_surely_to_the_parser():
    """Operators inside literal strings, comments and hex strings with spaces are not operators: where the scan
    meets one it cannot close or skip surely, the page is parsed whole. Either way the result is the same."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    streams = {  # content: how many untagged paintings it holds
        b"0 0 9 9 re f /P <</MCID 0 /ActualText (a EMC (b) BDC) >>BDC BT /F1 9 Tf (x EMC y) Tj ET EMC 1 1 5 5 re f": 2,
        b"/P <</MCID 0>> BDC 0 0 9 9 re f EMC % EMC a comment\n0 0 1 1 re S": 1,
        b"/P <</MCID 0>> BDC <00 EMC 11> Tj EMC BT <0041> Tj ET": 1,
        b"/Span <</ActualText ((((deep)))) >>BDC EMC 0 0 1 1 re f": 1,
    }
    for content, untagged in streams.items():
        pdf.pages[0].obj.Contents = pdf.make_stream(content)
        out = io.BytesIO()
        pdf.save(out)
        scanned, parsed = _page_operators(out.getvalue(), True), _page_operators(out.getvalue(), False)
        assert scanned == parsed, content
        assert scanned[0].count(b"/Artifact BMC") == untagged, content


def _untagged_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_bad_pdf_is_a_one_line_error_naming_the_file():
    with pytest.raises(BuildError) as err:
        make_pdfua(b"%PDF-1.4 this is not a PDF", "reports/x/report.pdf")
    assert str(err.value).startswith("reports/x/report.pdf: ") and "\n" not in str(err.value)
    with pytest.raises(BuildError) as err:
        make_pdfua(_untagged_pdf(), "reports/y/report.pdf")
    assert str(err.value).startswith("reports/y/report.pdf: the printed PDF has no structure tree")
    with pytest.raises(ValueError, match="unknown PDF/UA repair"):
        make_pdfua(_untagged_pdf(), "z.pdf", skip=["no-such-repair"])
