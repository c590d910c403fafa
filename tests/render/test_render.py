"""analysis.render: execute (cold and warm kernel), HTML, PDF, failure handling, nbconvert exporter."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.errors import BuildError, ParameterError
from analysis.render import execute as execute_mod
from analysis.render.exporter import CareerPDFExporter  # noqa: F401
from analysis.render.kernel import WarmKernel
from analysis.render.outputs import render_report
from analysis.render.page import to_html
from analysis.render.pdf import PdfRenderer

VENV_BIN = Path(sys.executable).parent
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")

HTML_CELL = "from IPython.display import HTML, display\ndisplay(HTML(f'<p class=\"note\">x is {x}</p>'))"
SVG_CELL = (
    "import io\nimport matplotlib.pyplot as plt\nfrom IPython.display import SVG\n"
    "fig, ax = plt.subplots(figsize=(4, 2.5))\nax.plot([1, 3, 2])\nax.set_title('Chart title')\n"
    "buf = io.StringIO()\nfig.savefig(buf, format='svg')\nplt.close(fig)\ndisplay(SVG(buf.getvalue()))"
)


def make_notebook(path: Path, cells: list) -> Path:
    nb = new_notebook(
        cells=cells,
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, path)
    return path


def params_cell(src: str = "x = 1"):
    return new_code_cell(src, metadata={"tags": ["parameters"]})


@pytest.fixture
def report_nb(tmp_path) -> Path:
    return make_notebook(tmp_path / "small.ipynb", [
        params_cell(),
        new_markdown_cell("## Section heading\n\nSome prose with a [link](https://www.bls.gov/)."),
        new_code_cell(HTML_CELL),
        new_code_cell(SVG_CELL),
        new_code_cell("print('SECRET-REMOVED')", metadata={"tags": ["remove"]}),
    ])


@pytest.fixture
def failing_nb(tmp_path) -> Path:
    return make_notebook(tmp_path / "fails.ipynb", [params_cell(), new_code_cell("1 / 0")])


@pytest.fixture(scope="module")
def pdf_renderer():
    with PdfRenderer() as renderer:
        yield renderer


def pdf_text(path: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pages, text


def outputs_text(nb) -> str:
    return json.dumps([c.get("outputs", []) for c in nb.cells])


# ------------------------------------------------------------------------------------ execute
def test_execute_injects_parameters_and_writes_output(report_nb, tmp_path):
    out = tmp_path / "out" / "executed.ipynb"
    nb = execute_mod.execute(report_nb, out, {"x": 7})
    on_disk = nbformat.read(out, as_version=4)
    tags = [c.metadata.get("tags", []) for c in on_disk.cells]
    assert ["injected-parameters"] in tags
    injected = next(c for c in on_disk.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "x = 7" in injected.source
    assert "x is 7" in outputs_text(on_disk) and "x is 7" in outputs_text(nb)
    assert on_disk.metadata.papermill.parameters == {"x": 7}
    assert not list(out.parent.glob(".*tmp*")), "no temp files left behind"


def test_unknown_parameter_is_rejected_before_running(report_nb, tmp_path):
    with pytest.raises(ParameterError, match="unknown parameter.*nope"):
        execute_mod.execute(report_nb, tmp_path / "x.ipynb", {"nope": 1})
    assert not (tmp_path / "x.ipynb").exists()


def test_failing_notebook_keeps_executed_notebook_and_previous_report(failing_nb, tmp_path, pdf_renderer):
    out_dir = tmp_path / "report"
    out_dir.mkdir()
    (out_dir / "report.html").write_text("OLD COMPLETE REPORT")
    with pytest.raises(BuildError) as err:
        render_report(failing_nb, out_dir, {"x": 2}, pdf=pdf_renderer)
    message = str(err.value)
    assert "\n" not in message
    assert "ZeroDivisionError" in message and str(out_dir / "report.ipynb") in message
    executed = nbformat.read(out_dir / "report.ipynb", as_version=4)
    assert "ZeroDivisionError" in outputs_text(executed)
    assert (out_dir / "report.html").read_text() == "OLD COMPLETE REPORT"
    assert not (out_dir / "report.pdf").exists()
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.html", "report.ipynb"]


# --------------------------------------------------------------------------------------- html
def test_to_html_outputs_only_and_offline(report_nb, tmp_path):
    nb = execute_mod.execute(report_nb, tmp_path / "e.ipynb", {"x": 3})
    html = to_html(nb, title="Small report")
    assert "<title>Small report</title>" in html
    assert '<p class="note">x is 3</p>' in html
    assert "data:image/svg+xml;base64," in html  # figure embedded
    assert 'name="viewport"' in html and "@page" in html and ".derived" in html
    # no code, no prompts, removed cell gone, parameters cells gone
    body = html.split("<body", 1)[1]
    for absent in ("display(HTML", "plt.subplots", "x = 3", "SECRET-REMOVED", "In&nbsp;[", "Out[",
                   "jp-InputPrompt", "jp-OutputPrompt", "jp-CodeMirrorEditor", "highlight"):
        assert absent not in body, absent
    # nothing fetched: no remote scripts/styles/fonts/images; a link in prose is fine
    assert re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html, re.I) is None
    assert re.search(r"@import|url\(\s*[\"']?(https?:)?//", html, re.I) is None
    assert "require.js" not in html and "mathjax" not in html.lower()
    assert 'href="https://www.bls.gov/"' in html


def test_plain_text_output_is_escaped(tmp_path):
    src = make_notebook(tmp_path / "t.ipynb", [
        params_cell(),
        new_code_cell("print('<script>alert(1)</script>')\n'<b>repr</b>'"),
    ])
    html = to_html(execute_mod.execute(src, tmp_path / "e.ipynb", {}))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html and "<b>repr</b>" not in html


# ---------------------------------------------------------------------------------------- pdf
@needs_poppler
def test_render_report_html_and_pdf(report_nb, tmp_path, pdf_renderer):
    out_dir = tmp_path / "report"
    timings = render_report(report_nb, out_dir, {"x": 11}, pdf=pdf_renderer)
    # no handout without a name for it (a catalogue build names one): its time is 0
    assert set(timings) == {"execute_s", "html_s", "pdf_s", "handout_s"} and timings["handout_s"] == 0
    assert all(timings[k] > 0 for k in ("execute_s", "html_s", "pdf_s"))
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.html", "report.ipynb", "report.pdf"]
    pages, text = pdf_text(out_dir / "report.pdf")
    assert pages >= 1
    assert "x is 11" in text and "Section heading" in text and "Page 1 of" in text
    assert "SECRET-REMOVED" not in text


@needs_poppler
def test_pdf_renderer_blocks_network(tmp_path, pdf_renderer):
    page = tmp_path / "remote.html"
    page.write_text('<p>offline</p><img src="http://127.0.0.1:9/x.png"><script src="https://example.org/a.js"></script>')
    pdf_renderer.render(page, tmp_path / "remote.pdf")
    pages, text = pdf_text(tmp_path / "remote.pdf")
    assert pages == 1 and "offline" in text


@needs_poppler
def test_nbconvert_exporter_entry_point(report_nb, tmp_path):
    executed = tmp_path / "executed.ipynb"
    execute_mod.execute(report_nb, executed, {"x": 5})
    subprocess.run(
        [str(VENV_BIN / "jupyter"), "nbconvert", "--to", "career_pdf", str(executed), "--output-dir",
         str(tmp_path / "cli")],
        check=True, capture_output=True, text=True, timeout=120,
    )
    pages, text = pdf_text(tmp_path / "cli" / "executed.pdf")
    assert pages >= 1 and "x is 5" in text and "Page 1 of" in text


# ------------------------------------------------------------------------------------ warm kernel
PROBE_CELL = (
    "import json, os, sys, warnings\nimport matplotlib\nimport matplotlib.pyplot as plt\n"
    "from IPython.display import display\n"
    "print(json.dumps({'leak': globals().get('leak'), 'leak_fn': 'leak_fn' in globals(),\n"
    "  'lw': matplotlib.rcParams['lines.linewidth'], 'style_color': matplotlib.rcParams['axes.facecolor'],\n"
    "  'figs': plt.get_fignums(), 'env': os.environ.get('LEAK_ENV'), 'cwd': os.getcwd(),\n"
    "  'path_leak': '/leak' in sys.path, 'n_warn_filters': len(warnings.filters),\n"
    "  'out_hist': len(Out), 'pid': os.getpid()}))"
)
LEAK_CELL = (
    "import os, sys, warnings\nimport matplotlib\nimport matplotlib.pyplot as plt\n"
    "leak = 42\ndef leak_fn(): return leak\n"
    "matplotlib.rcParams['lines.linewidth'] = 9.0\nmatplotlib.rcParams['axes.facecolor'] = 'red'\n"
    "plt.figure()  # left open on purpose\n"
    "os.environ['LEAK_ENV'] = '1'\nsys.path.append('/leak')\nwarnings.simplefilter('ignore')\n"
    "os.chdir('/')\n'some result'"
)


def probe(nb) -> dict:
    return json.loads(nb.cells[-1].outputs[0]["text"])


def test_warm_kernel_reset_removes_state(tmp_path):
    leak_nb = make_notebook(tmp_path / "leak.ipynb", [params_cell(), new_code_cell(LEAK_CELL), new_code_cell("1")])
    probe_nb = make_notebook(tmp_path / "probe.ipynb", [params_cell(), new_code_cell(PROBE_CELL)])
    cold = probe(execute_mod.execute(probe_nb, tmp_path / "cold.ipynb", {}, cwd=tmp_path))

    with WarmKernel(preload="import matplotlib.pyplot") as kernel:
        first = probe(execute_mod.execute(probe_nb, tmp_path / "w1.ipynb", {}, kernel=kernel, cwd=tmp_path))
        leaked = execute_mod.execute(leak_nb, tmp_path / "w2.ipynb", {}, kernel=kernel, cwd=tmp_path)
        warm_nb = execute_mod.execute(probe_nb, tmp_path / "w3.ipynb", {}, kernel=kernel, cwd=tmp_path)
        assert kernel.reports_run == 3
    warm = probe(warm_nb)

    assert leaked.cells[-1].execution_count == 3  # the leak run itself did run in that kernel
    assert warm["pid"] == first["pid"], "the same kernel process was reused"
    assert warm["leak"] is None and warm["leak_fn"] is False
    assert warm["lw"] == cold["lw"] == 1.5
    assert warm["style_color"] == cold["style_color"] == "white"
    assert warm["figs"] == [] and warm["env"] is None and warm["path_leak"] is False
    assert warm["cwd"] == cold["cwd"] == str(tmp_path)
    assert warm["n_warn_filters"] == first["n_warn_filters"]
    assert warm["out_hist"] == cold["out_hist"] == 0
    # execution counts restart at 1 like in a fresh kernel, so executed notebooks are reproducible
    assert [c.execution_count for c in warm_nb.cells if c.cell_type == "code"] == [1, 2]
    assert {k: v for k, v in warm.items() if k != "pid"} == {k: v for k, v in cold.items() if k != "pid"}


def test_warm_kernel_survives_a_failing_report(failing_nb, report_nb, tmp_path):
    with WarmKernel() as kernel:
        with pytest.raises(BuildError, match="ZeroDivisionError"):
            execute_mod.execute(failing_nb, tmp_path / "f.ipynb", {}, kernel=kernel)
        nb = execute_mod.execute(report_nb, tmp_path / "ok.ipynb", {"x": 4}, kernel=kernel)
    assert "x is 4" in outputs_text(nb)


def test_warm_kernel_restarts_after_timeout(tmp_path):
    slow = make_notebook(tmp_path / "slow.ipynb", [params_cell(), new_code_cell("import time\ntime.sleep(30)")])
    quick = make_notebook(tmp_path / "quick.ipynb", [params_cell(), new_code_cell("print(x)")])
    with WarmKernel() as kernel:
        with pytest.raises(BuildError, match="did not finish"):
            execute_mod.execute(slow, tmp_path / "s.ipynb", {}, kernel=kernel, timeout=1)
        assert not (tmp_path / "s.ipynb").exists()
        nb = execute_mod.execute(quick, tmp_path / "q.ipynb", {"x": 8}, kernel=kernel)
    assert nb.cells[-1].outputs[0]["text"] == "8\n"
