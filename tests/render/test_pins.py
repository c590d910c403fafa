"""What our two restated pieces of nbconvert and papermill rely on, so an upgrade that changes them fails
here rather than quietly changing reports."""

from __future__ import annotations

import copy
import inspect

import nbformat
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from papermill.engines import NBClientEngine

from analysis.render import page


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nSome *text*."),
                nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output(
                    "display_data", data={"text/html": "<p>an <b>output</b></p>", "text/plain": "x"})])]
    return nb


def _normalised(html: str) -> str:
    soup = BeautifulSoup(html, features="html.parser")
    for elem in soup.select("[tabindex]"):
        del elem.attrs["tabindex"]
    return str(soup)


def test_our_html_exporter_is_nbconverts_without_the_soup_pass():
    ours = page.html_exporter()
    theirs = HTMLExporter(config=ours.config, template_name=page.TEMPLATE_NAME,
                          extra_template_basedirs=[str(page.TEMPLATES_DIR)], exclude_input=True,
                          exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True)
    nb = _notebook()
    a, _ = ours.from_notebook_node(copy.deepcopy(nb), resources={"metadata": {"name": "t"}})
    b, _ = theirs.from_notebook_node(copy.deepcopy(nb), resources={"metadata": {"name": "t"}})
    assert "an <b>output</b>" in a
    assert _normalised(a) == _normalised(b)


def test_the_papermill_engine_method_we_restate_has_the_signature_we_mirror():
    params = list(inspect.signature(NBClientEngine.execute_managed_notebook).parameters)
    assert params == ["nb_man", "kernel_name", "log_output", "stdout_file", "stderr_file", "start_timeout",
                      "execution_timeout", "kwargs"]
    source = inspect.getsource(NBClientEngine.execute_managed_notebook)
    assert "PapermillNotebookClient(nb_man, **final_kwargs).execute()" in source
