"""Every notebook in notebooks/: executed with its defaults and its example parameter sets, rendered to HTML
and PDF by the report machinery, and checked against the processed tables; plus the registry and CLI.

The notebooks are found by listing the folder, so an analyst's new notebook is executed here without
editing this file (its non-default run comes from ``metadata.career_outlook.examples``). The career
report's runs come from the session fixture ``built`` (conftest), which already builds several shapes.
"""

from __future__ import annotations

import json
import re
import subprocess
from html import unescape

import nbformat
import pandas as pd
import pytest
from helpers import report_pdf
from interests_raw import expected_order

from analysis import cli, notebooks
from analysis.catalogue.worker import Worker
from analysis.errors import ParameterError
from analysis.paths import project
from analysis.render import kernel, outputs
from analysis.render.kernel import WarmKernel
from analysis.render.pdf import PdfRenderer
from analysis.sections.formatting import esc
from analysis.tables import changes, store
from analysis.values import money, people, percent

P = project()
SPECS = notebooks.discover(P)
CAREER = "career_report"
# (notebook, run id, parameters): defaults and each example parameter set, for every notebook but the report
RUNS = [(name, "defaults", {}) for name in SPECS if name != CAREER] + [
    (name, f"example{i}", ex) for name, s in SPECS.items() if name != CAREER for i, ex in enumerate(s.examples, 1)]


@pytest.fixture(scope="session")
def rendered(real, tmp_path_factory):
    """Every run in RUNS rendered once (HTML and PDF) with one warm kernel and one Chromium."""
    out = tmp_path_factory.mktemp("notebook-reports")
    results = {}
    preload = (Worker.PRELOAD + "\nimport analysis.sections.explore, analysis.sections.compare, "
               "analysis.sections.release_compare, analysis.sections.careers_by_interest")
    with WarmKernel(preload=preload) as kernel, PdfRenderer() as pdf:
        for name, run, params in RUNS:
            try:
                results[(name, run)] = notebooks.build(name, params, out=out, kernel=kernel, pdf=pdf, p=real)
            except Exception as err:  # reported by the test of that run, not as a fixture error
                results[(name, run)] = err
    return results


def _folder(rendered, name, run):
    got = rendered[(name, run)]
    if isinstance(got, Exception):
        pytest.fail(f"{name} {run} failed: {got}")
    return got


def _html(rendered, name, run) -> str:
    return (_folder(rendered, name, run) / "report.html").read_text(encoding="utf-8")


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


# --- every notebook runs ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name,run,params", RUNS, ids=[f"{n}-{r}" for n, r, _ in RUNS])
def test_notebook_executes_and_renders(rendered, name, run, params):
    folder = _folder(rendered, name, run)
    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    assert nb.metadata["papermill"]["parameters"] == notebooks.validate(SPECS[name], params, P)
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Traceback" not in html and "<svg" in html
    assert "Source" in html  # every figure carries its source
    assert _pages(folder / "report.pdf") >= 1


def test_career_report_runs_with_defaults_and_other_parameters(built):
    if CAREER not in SPECS:
        pytest.skip("no career report notebook")
    for key in (("29-2072", "latest", None), ("29-2072", "latest", "CA"), ("29-2072", "2023-33", None)):
        assert report_pdf(built[key]).exists(), key


def test_every_notebook_has_a_non_default_example():
    """The tests run each notebook with non-default parameters taken from its metadata (the career report's
    come from the catalogue fixture)."""
    for name, s in SPECS.items():
        if name != CAREER:
            assert s.examples, f"{name}: add metadata.career_outlook.examples (see docs/analysts.md)"
            for ex in s.examples:
                notebooks.validate(s, ex, P)


# --- figures against the processed tables ---------------------------------------------------------------
def _latest_detailed():
    proj = store.table("projections", P)
    return proj[(proj["vintage"] == store.vintages(P)[0]) & (proj["soc_level"] == "detailed")]


def test_explore_defaults_csv_is_every_occupation_by_openings(rendered):
    folder = _folder(rendered, "explore_occupations", "defaults")
    got = pd.read_csv(folder / "results.csv", dtype={"soc_code": str})
    want = _latest_detailed().sort_values(["openings_per_year", "soc_code"], ascending=[False, True])
    assert got["soc_code"].tolist() == want["soc_code"].tolist()
    assert got["openings_per_year"].tolist() == want["openings_per_year"].astype(int).tolist()
    assert got["rank"].tolist() == list(range(1, len(want) + 1))
    html = _html(rendered, "explore_occupations", "defaults")
    first = want.iloc[0]
    assert esc(first["title"]) in html and people(first["openings_per_year"]) in html
    assert f"{len(want)} of {len(want)}" in html


def test_explore_example_csv_equals_a_pandas_filter(rendered):
    ex = SPECS["explore_occupations"].examples[0]
    folder = _folder(rendered, "explore_occupations", "example1")
    got = pd.read_csv(folder / "results.csv", dtype={"soc_code": str})
    d = _latest_detailed()
    w = store.table("wages", P)
    st = w[(w["area_type"] == 2) & (w["state_code"] == ex["state"]) & (w["wage_year"] == w["wage_year"].max())]
    d = d.merge(st[["soc_code", "annual_median_usd", "employment_people"]], on="soc_code")
    want = d[d["education"].isin(ex["education"]) & (d["major_group_code"] == f"{ex['major_group']}-0000")
             & (d["change_percent"] >= ex["min_growth"]) & (d["annual_median_usd"] >= ex["min_pay"])]
    want = want.sort_values(["annual_median_usd", "soc_code"], ascending=[False, True])
    assert len(want) > ex["top"]  # the table shows a top slice, the CSV every match
    assert got["soc_code"].tolist() == want["soc_code"].tolist()
    assert got["state_annual_median_usd"].tolist() == want["annual_median_usd"].tolist()
    html = _html(rendered, "explore_occupations", "example1")
    for r in want.head(ex["top"]).itertuples():
        assert esc(r.title) in html and money(r.annual_median_usd) in html
    outside = want.iloc[ex["top"]]
    assert f"{esc(outside['title'])} ({outside['soc_code']})" not in html


def test_careers_by_interest_ranks_as_the_raw_file_says(rendered, real):
    """The defaults (CI, national, top 20): the table's occupations in the documented order, as computed from
    O*NET's raw Interests.txt for those that are O*NET occupations of their own."""
    html = _html(rendered, "careers_by_interest", "defaults")
    listed = re.findall(r"<td>[^<]*\((\d\d-\d{4})\)</td>", html)
    assert len(listed) == 20
    occ = store.table("onet_occupations", real)
    exact = set(occ.loc[occ["match_rule"] == "exact", "soc_code"])
    proj = store.table("projections", real)
    exact &= set(proj.loc[(proj["vintage"] == "2024-34") & (proj["soc_level"] == "detailed"), "soc_code"])
    want = expected_order(real.raw, "CI", exact)
    assert [s for s in listed if s in exact] == want[:len([s for s in listed if s in exact])]
    assert "Careers for interest code CI (Conventional, Investigative)" in html
    assert "machine-learning estimates" in html


def test_careers_by_interest_example_uses_state_pay_and_education(rendered, real):
    ex = SPECS["careers_by_interest"].examples[0]
    html = _html(rendered, "careers_by_interest", "example1")
    w = store.table("wages", real)
    st = w[(w["area_type"] == 2) & (w["state_code"] == ex["state"])].set_index("soc_code")
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("</tr>") == ex["top"]
    for tr in body.split("</tr>")[:-1]:
        soc = re.search(r"\((\d\d-\d{4})\)", tr).group(1)
        cells = [unescape(c) for c in re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", tr)]
        assert cells[-1] in ex["education"]
        if soc in st.index and not st.loc[soc, "annual_median_usd_top_coded"]:
            assert cells[-2] == f"${int(st.loc[soc, 'annual_median_usd']):,}", soc


def test_compare_defaults_show_each_occupations_figures(rendered):
    codes = json.loads(SPECS["compare_occupations"].params["soc_codes"].default)
    html = _html(rendered, "compare_occupations", "defaults")
    for c in codes:
        f = store.quick_facts(c, None, P)
        for shown in (percent(f["change_percent"]), people(f["openings_per_year"]),
                      money(f["median_wage_usd"], f["median_wage_top_coded"]), esc(f["title"])):
            assert shown in html, (c, shown)
    assert "Curated, cited" in html and "Derived from the BLS figures" in html


def test_compare_handout_prints_on_two_pages(rendered):
    pdf = _folder(rendered, "compare_occupations", "defaults") / "report.pdf"
    assert _pages(pdf) <= 2
    text = _pdf_text(pdf)
    assert "Medical records specialists" in text and "Pros and cons" in text


def test_compare_example_state_pay(rendered):
    ex = SPECS["compare_occupations"].examples[0]
    html = _html(rendered, "compare_occupations", "example1")
    w = store.table("wages", P)
    st = w[(w["area_type"] == 2) & (w["state_code"] == ex["state"]) & (w["wage_year"] == w["wage_year"].max())]
    for c in ex["soc_codes"]:
        r = st[st["soc_code"] == c].iloc[0]
        assert money(r["annual_median_usd"], r["annual_median_usd_top_coded"]) in html
        f = store.quick_facts(c, ex["vintage"], P)
        assert percent(f["change_percent"]) in html and people(f["openings_per_year"]) in html


@pytest.mark.parametrize("run", ["defaults", "example1"])
def test_release_changes_largest_revisions_match_changes_compare(rendered, run):
    s = SPECS["release_changes"]
    params = notebooks.validate(s, s.examples[0] if run == "example1" else {}, P)
    have = store.vintages(P)
    new = params.get("new", have[0])
    old = params.get("old", have[have.index(new) + 1])
    cmp = changes.compare(old, new, P)
    html = _html(rendered, "release_changes", run)
    up = cmp.sort_values(["change_delta_points", "soc_code"], ascending=[False, True]).iloc[0]
    down = cmp.sort_values(["change_delta_points", "soc_code"]).iloc[0]
    for r in (up, down):
        assert f"{esc(r['title'])}</th><td class=\"num\">{r['soc_code']}" in html
        assert f"{r['change_delta_points']:+.1f}" in html
    big = cmp.loc[cmp["openings_delta"].abs().idxmax()]
    assert f"{int(big['openings_delta']):+,}" in html
    assert f"{old} → {new}" in html


# --- the registry and the command line ------------------------------------------------------------------
def test_notebooks_command_lists_every_notebook_and_parameter(capsys):
    assert cli.main(["notebooks"]) == 0
    out = capsys.readouterr().out
    assert {"career_report", "explore_occupations", "compare_occupations", "release_changes"} <= set(SPECS)
    for name, s in SPECS.items():
        assert name in out
        for q in s.params.values():
            assert f"{q.name}: {q.type}" in out and q.help in out


BAD = [
    (["--notebook", "compare_occupations", "-p", "colour=red"], "unknown parameter(s) colour"),
    (["--notebook", "compare_occupations", "-p", "soc_codes=29-2072,99-9999"], "SOC code 99-9999"),
    (["--notebook", "compare_occupations", "-p", "soc_codes=29-2072"], "compare 2 to 6"),
    (["--notebook", "explore_occupations", "-p", "top=lots"], "is not an int"),
    (["--notebook", "explore_occupations", "-p", "min_pay=cheap"], "is not a float"),
    (["--notebook", "explore_occupations", "-p", "education=PhD"], "not a BLS entry-education"),
    (["--notebook", "explore_occupations", "-p", "state=XX"], "state 'XX'"),
    (["--notebook", "career_report", "-p", "soc_code=29-20"], "malformed"),
    (["--notebook", "release_changes", "-p", "old=2024-34", "-p", "new=2023-33"], "earlier release"),
    (["--notebook", "release_changes", "-p", "vintage=2024-34"], "unknown parameter(s) vintage"),
    (["--notebook", "nope"], "available: "),
    (["--notebook", "explore_occupations", "-p", "top"], "expected key=value"),
]


@pytest.mark.parametrize("args,message", BAD, ids=[m for _, m in BAD])
def test_bad_parameters_exit_2_before_any_kernel(monkeypatch, capsys, args, message):
    def no_kernel(*a, **k):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(outputs, "execute", no_kernel)
    monkeypatch.setattr(notebooks, "render_report", no_kernel)
    monkeypatch.setattr(kernel, "WarmKernel", no_kernel)
    assert cli.main(["build", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err


def test_values_are_parsed_by_declared_type():
    q = notebooks.Param
    assert notebooks.parse_value(q("a", "list", "[]", ""), "29-2072, 43-6013") == ["29-2072", "43-6013"]
    assert notebooks.parse_value(q("a", "list", "[]", ""), '["x, y", "z"]') == ["x, y", "z"]
    assert notebooks.parse_value(q("a", "list", "[]", ""), "") == []
    assert notebooks.parse_value(q("a", "Optional[float]", "None", ""), "None") is None
    assert notebooks.parse_value(q("a", "Optional[float]", "None", ""), "3") == 3.0
    assert notebooks.parse_value(q("a", "bool", "False", ""), "yes") is True
    assert notebooks.parse_value(q("a", "int", "0", ""), 5) == 5
    with pytest.raises(ParameterError):
        notebooks.parse_value(q("a", "int", "0", ""), "None")
    with pytest.raises(ParameterError):
        notebooks.parse_value(q("a", "list", "[]", ""), "[1,")


def test_output_folder_names_are_short_and_stable():
    assert notebooks.slug({}) == "defaults"
    assert notebooks.slug({"state": "CA", "soc_codes": ["29-2072", "43-6013"]}) == \
        "soc_codes-29-2072+43-6013_state-ca"
    long = notebooks.slug({"education": ["Associate's degree", "Postsecondary nondegree award"], "top": 10})
    assert len(long) <= 60 and long == notebooks.slug({"top": 10, "education": ["Associate's degree",
                                                                                "Postsecondary nondegree award"]})


def test_an_analysts_new_notebook_is_picked_up(tmp_path, capsys, monkeypatch):
    """Dropping a notebook into notebooks/ is enough for the registry, the CLI (and this test module)."""
    (tmp_path / "notebooks").mkdir()
    src = nbformat.read(P.notebooks / "compare_occupations.ipynb", as_version=4)
    nbformat.write(src, tmp_path / "notebooks" / "my_shortlist.ipynb")
    monkeypatch.setenv("CAREER_OUTLOOK_ROOT", str(tmp_path))
    assert "my_shortlist" in notebooks.discover(project(tmp_path))
    assert cli.main(["notebooks", "my_shortlist"]) == 0
    assert "soc_codes: list" in capsys.readouterr().out


def _new_notebook(cells=()) -> nbformat.NotebookNode:
    """A minimal valid notebook, with the kernelspec papermill needs to read its parameters."""
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _wrong_examples() -> str:
    nb = _new_notebook()
    nb.metadata["career_outlook"] = {"examples": "CA"}
    return nbformat.writes(nb)


BROKEN = {  # what an analyst's half-saved or hand-edited notebook can hold
    "not JSON": b'{"cells": [',
    "JSON but not a notebook": b'{"hello": 1}',
    "not UTF-8": b"\xff\xfe\x00{",
    "examples of the wrong shape": _wrong_examples().encode(),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_notebook_is_named_and_the_others_still_work(kind, tmp_project, capsys):
    """One damaged notebooks/*.ipynb broke every notebook command with nbformat's NotJSONError traceback."""
    broken = tmp_project.notebooks / "mine.ipynb"
    broken.write_bytes(BROKEN[kind])

    assert cli.main(["notebooks"]) == 0
    out, err = capsys.readouterr()
    assert "compare_occupations  Compare occupations" in out and "mine" not in out
    named = [line for line in err.splitlines() if "mine.ipynb" in line]
    assert len(named) == 1 and named[0].startswith(f"{broken}: "), err
    assert "fix or remove it" in named[0] and f"{len(SPECS)} notebook(s)" in err

    assert cli.main(["build", "--notebook", "mine"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"career-report: error: {broken}: "), err
    # `notebooks mine`: cli lists (and so names the damage) before it looks the name up; it ends with the error
    assert cli.main(["notebooks", "mine"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith(f"career-report: error: {broken}: ")
    # the good one is still found and checked (a bad parameter, so no kernel is needed to see it)
    assert cli.main(["build", "--notebook", "compare_occupations", "-p", "colour=red"]) == 2
    assert "unknown parameter(s) colour" in capsys.readouterr().err


HUGE = [  # (parameter, value, the range the message must give)
    ("min_growth", "1e308", "from -100 to 1,000 (percent change)"),
    ("min_growth", "-1e308", "from -100 to 1,000 (percent change)"),
    ("min_pay", "1e308", "from 0 to 10,000,000 (US dollars a year)"),
    ("min_pay", "1e400", "from 0 to 10,000,000 (US dollars a year)"),
    ("min_openings", "1" + "0" * 40, "from 0 to 10,000,000 (openings a year)"),
]


@pytest.mark.parametrize("name,value,accepted", HUGE, ids=[f"{n}={v[:8]}" for n, v, _ in HUGE])
def test_huge_numbers_are_refused_before_any_kernel(name, value, accepted, tmp_project, tmp_path, capsys):
    """1e308 reached the kernel and failed in the report's rounding (decimal.InvalidOperation, exit 1)."""
    out = tmp_path / "out"
    assert cli.main(["build", "--notebook", "explore_occupations", "-p", f"{name}={value}", "--format", "html",
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0] and accepted in err[0], err
    assert not out.exists()  # refused before anything was written, let alone a kernel started


def test_any_number_parameter_is_bounded(tmp_path):
    """A number parameter with no check of its own (an analyst's notebook) is still finite and bounded, also
    inside a list (JSON's Infinity too)."""
    nb = _new_notebook([nbformat.v4.new_code_cell("scale: float = 1.0  # a factor\nweights: list = []  # numbers",
                                                  metadata={"tags": ["parameters"]})])
    nbformat.write(nb, tmp_path / "mine.ipynb")
    s = notebooks.spec(tmp_path / "mine.ipynb")
    assert notebooks.validate(s, {"scale": "2.5", "weights": "[1, 2]"}, P) == {"scale": 2.5, "weights": [1, 2]}
    for raw in ({"scale": "1e308"}, {"scale": "1e400"}, {"weights": "[1, 1e308]"}, {"weights": "[Infinity]"},
                {"weights": '[[1e300]]'}):
        with pytest.raises(ParameterError) as err:
            notebooks.validate(s, raw, P)
        assert next(iter(raw)) in str(err.value) and "from -1,000,000,000,000,000 to 1,000,000,000,000,000" \
            in str(err.value), str(err.value)


# --- committed notebooks are clean and documented -------------------------------------------------------
@pytest.mark.parametrize("path", sorted(P.notebooks.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_is_committed_clean_with_one_documented_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "clear outputs before committing"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assigned = [m.group(1) for m in re.finditer(r"^(\w+)\s*(?::[^=]+)?=", tagged[0].source, re.M)]
    declared = SPECS[path.stem].params
    assert assigned == list(declared), "papermill must read every parameter (no '=' in a comment)"
    assert all(q.help for q in declared.values()), "comment each parameter: it is its --help-notebook text"
