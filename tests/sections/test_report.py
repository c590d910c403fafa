"""The career report: built end to end (papermill, nbconvert, Chromium) for occupations of different
shapes, its figures checked against the processed tables, in the HTML and in the PDF's text."""

from __future__ import annotations

import html
import json
import re
import subprocess

import nbformat
import papermill as pm
import pytest
from helpers import SHAPES, own, report_pdf

from analysis import cli
from analysis.tables import store
from analysis.values import money, people, percent


def pdf_text(path, layout: bool = True) -> str:
    """The PDF's text; ``layout=False`` reads side-by-side columns one after the other (a column's wrapped lines
    stay together)."""
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def html_text(path) -> str:
    """The report's visible text, roughly: tags dropped, entities decoded, whitespace folded."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def test_default_report_pdf_shows_the_published_figures(built):
    d = built[("29-2072", "latest", None)]
    text = " ".join(pdf_text(report_pdf(d)).split())
    for figure in ("+7.1%", "14,200", "$50,250", "194,800", "Much faster than average", "+3.1%"):
        assert figure in text, figure
    assert "Medical biller" in text and "Medical coder" in text


def test_default_report_pdf_shows_ten_pros_and_cons_with_citation(built, real):
    text = " ".join(pdf_text(report_pdf(built[("29-2072", "latest", None)]), layout=False).split())
    curated = store.table("careers", real)
    mine = curated[(curated["soc_code"] == "29-2072") & curated["section"].isin(["pros", "cons"])]
    assert len(mine) == 10
    for fact in mine["text"]:  # its first words: at full scale a fact wraps in its narrow column
        assert fact[:20] in text, fact
    assert "Medical Billing & Coding Career Guide [+ 10 Pros & Cons]" in text


def test_report_has_charts_and_no_code(built):
    d = built[("29-2072", "latest", None)]
    page = d.joinpath("report.html").read_text(encoding="utf-8")
    assert page.count('<div class="chart">') >= 6
    text = html_text(d / "report.html") + pdf_text(report_pdf(d))
    for code in ("CareerReport(", "report.quick_facts()", "import ", "In [", "Out["):
        assert code not in text


def test_pdf_is_us_letter_and_several_pages(built):
    info = subprocess.run(["pdfinfo", str(report_pdf(built[("29-2072", "latest", None)]))],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+612 x 792 pts \(letter\)", info)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 4


@pytest.mark.parametrize("shape", sorted(SHAPES, key=str))
def test_pdf_pages_are_not_shrunk_to_fit(built, shape):
    """Chromium scales every page of a PDF down when one element is wider than the page: the text of a
    report must reach, but not pass, the right margin (US Letter 612 pt, 14 mm = 39.7 pt margins)."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(report_pdf(built[shape])), "-"],
                          capture_output=True, text=True, check=True).stdout
    right = max(float(x) for x in re.findall(r'xMax="([0-9.]+)"', bbox))
    assert 612 - 39.7 - 15 <= right <= 612 - 39.7 + 1


def test_html_fetches_nothing_from_the_network(built):
    page = built[("29-2072", "latest", None)].joinpath("report.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?:", page)
    assert "cdn" not in page.lower()


@pytest.mark.parametrize("key", list(SHAPES))
def test_quick_facts_match_the_processed_tables(built, real, key):
    soc, vintage, state = key
    f = store.quick_facts(soc, None if vintage == "latest" else vintage, real)
    text = html_text(built[key] / "report.html")
    assert f["title"] in text
    assert people(f["employment_base"]) in text
    assert people(f["openings_per_year"]) in text
    assert percent(f["change_percent"]) in text
    assert money(f["median_wage_usd"], f["median_wage_top_coded"]) in text
    assert f"Employment Projections {f['vintage']}" in text


def test_top_coded_wage_shown_as_at_least(built):
    text = html_text(built[("29-1211", "latest", None)] / "report.html")
    # The projections' May 2024 median is top-coded: in the note it is "at least", never a plain $239,200; the
    # headline (May 2025, published in full) leads.
    assert "at least $239,200 a year" in text and "$391,490 a year" in text
    assert "$239,200 a year" not in text.replace("at least $239,200 a year", "")


def test_annual_only_and_hourly_only(built, real):
    annual = html_text(built[("25-2021", "latest", None)] / "report.html")
    assert "only annual wages" in annual
    w = store.table("wages", real)
    row = w[(w["area_type"] == 1) & (w["soc_code"] == "27-2011")].iloc[0]
    hourly = html_text(built[("27-2011", "latest", None)] / "report.html")
    assert "only hourly wages" in hourly
    assert money(row["hourly_median_usd"], cents=True) in hourly
    assert "Pay percentiles, May 2025 (hourly)" in hourly


def test_declining_occupation_gets_derived_highlights(built, real):
    f = store.quick_facts("43-9022", None, real)
    assert f["change_percent"] < 0
    text = html_text(built[("43-9022", "latest", None)] / "report.html")
    assert "Derived from the BLS figures, not curated" in text
    assert f"Employment is projected to decline {percent(-f['change_percent'], signed=False)} over" in text
    assert "decline -" not in text


def test_state_report_compares_state_with_nation(built, real):
    text = html_text(built[("29-2072", "latest", "CA")] / "report.html")
    assert "California against the nation" in text
    w = store.table("wages", real)
    ca = w[(w["state_code"] == "CA") & (w["soc_code"] == "29-2072")].iloc[0]
    assert money(ca["annual_median_usd"]) in text and people(ca["employment_people"]) in text


def test_area_report_names_the_area_and_compares_it(built, real):
    """`build 29-2072 --area 26420`: the cover, the PDF's title and the state section are the area's."""
    folder = built[("29-2072", "latest", "area:26420")]
    assert folder.relative_to(folder.parents[2]).as_posix() == "areas/26420/29-2072-medical-records-specialists"
    text = html_text(folder / "report.html")
    assert "Career report for Houston-Pasadena-The Woodlands, TX · SOC 29-2072" in text
    assert "Houston-Pasadena-The Woodlands, TX against Texas and the nation" in text
    assert "3,680" in text and "$51,250" in text
    info = subprocess.run(["pdfinfo", str(report_pdf(folder))], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Title:\s+Medical records specialists \(29-2072, Houston-Pasadena-The Woodlands, TX\)", info)
    pdf = " ".join(pdf_text(report_pdf(folder)).split())
    assert "Metropolitan areas" in pdf and "Who hires" in pdf
    # the metro section lists the areas of Texas: the best-paid is Midland
    assert "#1 Midland, TX" in pdf and "$52,740" in pdf and "San Jose" not in pdf


def test_older_vintage_report(built):
    text = html_text(built[("29-2072", "2023-33", None)] / "report.html")
    assert "Employment Projections 2023-33" in text
    assert "+8.7%" in text and "$48,780" in text and "191,500" in text
    assert "wording cut-offs for 2023-33 are not on hand" in text


def test_releases_and_sources_sections(built):
    text = html_text(built[("29-2072", "latest", None)] / "report.html")
    for v in ("2022-32", "2023-33", "2024-34"):
        assert v in text
    assert "rounded projections" in text
    assert "05103e6770b8" in text  # the 2024-34 workbook's checksum
    assert "Bureau of Labor Statistics, U.S. Department of Labor" in text
    assert "O*NET 29.2 Database" in text


@pytest.mark.parametrize("shape", sorted(SHAPES, key=str))
def test_back_matter_prints_on_one_page_with_the_last_lines(built, shape):
    """How the files were obtained, the citation, the parameters and the O*NET attribution print as one
    block on the last page: split, their last two lines made a page of their own in 111 of 832 PDFs."""
    pages = pdf_text(report_pdf(built[shape])).split("\f")
    pages = [p for p in pages if p.strip()]
    last = " ".join(pages[-1].split())
    for words in ("How each file was obtained", "Parameters: soc_code=", "O*NET 29.2 Database"):
        assert words in last, words
    assert "obtained: " in last and "Used under the CC BY 4.0 license" in last


def test_executed_notebook_carries_its_parameters(built):
    nb = nbformat.read(built[("29-2072", "latest", "CA")] / "report.ipynb", as_version=4)
    assert nb.metadata["papermill"]["parameters"] == {"soc_code": "29-2072", "vintage": "2024-34", "state": "CA"}


def test_notebook_is_committed_clean_and_documents_its_parameters(real):
    path = real.notebooks / "career_report.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    params = pm.inspect_notebook(str(path))
    assert params["soc_code"]["default"] == '"29-2072"'
    assert params["vintage"]["default"] == '"latest"'
    assert params["state"]["default"] == "None"
    assert all(params[k]["help"] for k in ("soc_code", "vintage", "state"))
    assert "data/raw" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, expected", [
    (["build", "29-2079"], "SOC code 29-2079 is not in the 2024-34 projections; closest: 29-2072"),
    (["build", "29-2072", "--vintage", "2031-41"], "vintage '2031-41' is not on hand; available: 2024-34"),
    (["build", "29-2072", "--state", "ZZ"], "state 'ZZ' is not a state postal code"),
    (["build", "29-2072", "--format", "docx"], "--format 'docx'"),
])
def test_bad_parameters_fail_before_any_kernel(tmp_path, capsys, args, expected):
    rc = cli.main(args + ["--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert expected in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()  # nothing ran, nothing written


@pytest.mark.slow
def test_failing_notebook_keeps_executed_notebook_and_writes_no_html_or_pdf(tmp_project, capsys):
    path = tmp_project.notebooks / "career_report.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(6, nbformat.v4.new_code_cell('raise RuntimeError("simulated failure mid-report")'))
    nbformat.write(nb, path)
    out = tmp_project.root / "reports"
    rc = cli.main(["build", "29-2072", "--format", "html,pdf"])
    err = capsys.readouterr().err
    folder = out / "29-2072-medical-records-specialists"
    assert rc == 1
    assert "RuntimeError: simulated failure mid-report" in err and str(folder / "report.ipynb") in err
    executed = nbformat.read(folder / "report.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in executed.cells for o in c.get("outputs", []))
    assert not (folder / "report.html").exists() and not list(folder.glob("*.pdf"))
    assert not [f for f in folder.iterdir() if f.name.startswith(".")]  # no temp files left
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["reports"]["29-2072-medical-records-specialists"]["status"] == "failed"


@pytest.mark.slow
def test_curated_text_is_escaped(tmp_project, capsys):
    from analysis.tables import dataset

    f = tmp_project.curated / "29-2072.yml"
    f.write_text(f.read_text().replace("  - text: Job security.", "  - text: \"<script>alert(1)</script>\""))
    dataset.run(tmp_project)
    assert cli.main(["build", "29-2072", "--format", "html"]) == 0
    page = (tmp_project.root / "reports/29-2072-medical-records-specialists/report.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


# --- O*NET content --------------------------------------------------------------------------------

def test_onet_sections_in_the_default_report(built, real):
    text = " ".join(pdf_text(report_pdf(built[("29-2072", "latest", None)])).split())
    tasks = store.table("onet_tasks", real)
    mine = tasks[tasks["soc_code"] == "29-2072"]
    assert len(mine) == 17
    for task in mine["task"]:
        assert task[:50] in text, task
    assert "workers have not yet rated them core or supplemental" in text
    for tool in ("Epic Systems", "MEDITECH software", "eClinicalWorks EHR software"):
        assert tool in text
    for title in ("Registered Health Information Technician (RHIT)", "Coder", "Medical Records Clerk"):
        assert title in text
    assert "O*NET job zone 3 of 5" in text


def test_onet_attribution_once_where_onet_content_begins_and_in_the_sources(built, built_out):
    """O*NET's CC BY credit line where its content begins ("What they do") and in the sources; not repeated in
    every section (it was printed seven times)."""
    page = built[("29-2072", "latest", None)].joinpath("report.html").read_text(encoding="utf-8")
    from analysis.ingest import onet

    line = html.escape(onet.attribution("29.2"))
    sections = {s.split('"', 2)[1]: s for s in page.split('<h2 id=')[1:]}
    assert [name for name, text in sections.items() if line in text] == ["What-they-do", "Sources-and-notes"]
    assert page.count(line) == 2
    index = (built_out / "index.html").read_text(encoding="utf-8")
    assert line in index


def test_aggregate_code_gets_onet_content_by_the_rule(real):
    from analysis.sections.report import CareerReport

    r = CareerReport("29-2010", paths=real)
    part = r.what_they_do().html
    assert "combines several O*NET occupations" in part and "29-2011" in part
    assert "<li>" in part  # tasks of its members


def test_occupation_without_onet_match_says_so(tmp_project):
    import pandas as pd

    from analysis.sections.report import CareerReport

    path = own(tmp_project.processed / "onet_occupations.parquet")
    occ = pd.read_parquet(path)
    occ.loc[occ["soc_code"] == "15-1252", ["match_rule", "description", "job_zone"]] = ["none", None, pd.NA]
    occ.to_parquet(path, index=False)
    r = CareerReport("15-1252", paths=tmp_project)
    for part in (r.what_they_do(), r.tools(), r.preparation()):
        assert "O*NET has no occupation matching SOC 15-1252" in part.html
    assert html.escape("Bachelor's degree") in r.preparation().html  # BLS's entry requirements still shown


# --- kernel reuse -------------------------------------------------------------------------------

def _normalised(path) -> str:
    """report.html without the one volatile part: the build time in the Sources section."""
    return re.sub(r"built \d{4}-\d\d-\d\d \d\d:\d\d UTC", "built <time> UTC", path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_report_in_a_reused_kernel_equals_a_fresh_kernel(real, tmp_path):
    """The catalogue reuses one kernel for many reports: what ran before must not show in the next one."""
    from analysis.catalogue.worker import Worker
    from analysis.render.kernel import WarmKernel
    from analysis.render.outputs import render_report

    nb = real.notebooks / "career_report.ipynb"
    target = {"soc_code": "29-1211", "vintage": "latest", "state": "TX"}
    render_report(nb, tmp_path / "fresh", target, formats=("html",))
    with WarmKernel(preload=Worker.PRELOAD) as kernel:
        for before in ({"soc_code": "29-2072", "vintage": "2023-33", "state": "CA"},
                       {"soc_code": "27-2011", "vintage": "latest", "state": None}):
            render_report(nb, tmp_path / f"before-{before['soc_code']}", before, formats=("html",),
                                 kernel=kernel)
        render_report(nb, tmp_path / "reused", target, formats=("html",), kernel=kernel)
    assert _normalised(tmp_path / "reused" / "report.html") == _normalised(tmp_path / "fresh" / "report.html")


def test_onet_education_of_all_zeros_is_no_survey_data(real):
    """O*NET 29.2 lists every education category at 0% for a few occupations: no chart, a note."""
    from analysis.sections.report import CareerReport

    part = CareerReport("25-1125", paths=real).preparation().html
    assert "no usable survey data on required education" in part
    assert "<svg" not in part
