"""The look-ups start light: ``list``, ``show`` and ``areas`` import no notebook, kernel or schema library
(papermill, nbformat, jsonschema: seconds of start-up they never use), and nothing needs Dask, an optional extra,
except ``--executor dask``, which says in one line to install it. Each case runs in a fresh interpreter, where
``sys.modules`` tells what a command imported. Not timed: ``make bench`` reports the start time."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("papermill", "nbformat", "jsonschema", "nbconvert", "nbclient", "dask", "distributed", "playwright")

# Runs main() in a fresh interpreter, then says on its last line the exit status and which HEAVY modules it loaded.
# BLOCK names modules made unimportable first (a Python without them: sys.modules[name] = None).
SCRIPT = """
import json, sys
for name in {block!r}:
    sys.modules[name] = None
from analysis.cli import main
try:
    rc = main({argv!r})
except SystemExit as exit:
    rc = exit.code
print(json.dumps({{"rc": rc, "loaded": [m for m in {heavy!r} if sys.modules.get(m) is not None]}}))
"""


def run(real, argv: list[str], block: tuple[str, ...] = ()) -> tuple[dict, str, str]:
    """``career-report ARGV`` in a fresh interpreter at the project: (its status and loaded modules, stdout, stderr)."""
    env = {k: v for k, v in os.environ.items() if k != "CAREER_OUTLOOK_ROOT"}
    script = SCRIPT.format(argv=argv, block=block, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=real.root,
                          timeout=120)
    *out, last = done.stdout.splitlines() or [""]
    assert last.startswith("{"), done.stderr[-2000:]
    return json.loads(last), "\n".join(out), done.stderr


@pytest.mark.parametrize("argv", [["list", "nurse"], ["show", "29-2072"], ["show", "29-2072", "--area", "Houston"],
                                  ["areas", "Houston"], ["list", "--interest", "CI"]], ids=" ".join)
def test_a_look_up_imports_no_notebook_library(real, argv):
    said, out, _ = run(real, argv)
    assert said == {"rc": 0, "loaded": []}
    assert out  # it did its work: occupations, facts or areas on stdout


def test_the_check_can_fail(real):
    """The same probe sees the notebook libraries where a command does use them."""
    said, out, _ = run(real, ["notebooks"])
    assert said["rc"] == 0 and {"papermill", "nbformat"} <= set(said["loaded"])


def test_without_dask_only_its_executor_is_refused_in_one_line(real, tmp_path):
    said, out, err = run(real, ["build", "29-2072", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786",
                                "--out", str(tmp_path / "out")], block=("dask", "distributed"))
    assert said["rc"] == 2
    assert err.splitlines() == ["career-report: error: --executor dask needs Dask, an optional extra: "
                                "pip install 'career-outlook[dask]'"]
    assert not (tmp_path / "out").exists()
    said, out, _ = run(real, ["show", "29-2072", "--json"], block=("dask", "distributed"))
    assert said["rc"] == 0 and json.loads(out)["soc_code"] == "29-2072"


def test_the_report_commands_import_without_dask(real):
    """The build, catalogue and refresh code loads in a Python without Dask (the local executor needs none)."""
    script = ("import sys\nsys.modules['dask'] = sys.modules['distributed'] = None\n"
              "import analysis.cli.reports, analysis.catalogue.build, analysis.catalogue.executors\n"
              "import analysis.refresh.pipeline\nprint('ok')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=real.root, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
