"""The sections choose no matplotlib backend: an analyst's notebook that imports them keeps its own (inline
figures), and a report's charts, drawn as SVG directly, need none."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_sections_leaves_the_backend_as_it_was():
    script = ("import matplotlib\nmatplotlib.use('svg')  # a backend of the analyst's choosing\n"
              "import analysis.sections, analysis.sections.charts, analysis.sections.report\n"
              "print(matplotlib.get_backend())")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "svg"
