"""The house rules, checked: the layer contract holds, modules stay small, no private name crosses a module,
every module says what it does, and the report's code fingerprint is computed from what it imports."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analysis import codehash
from analysis.catalogue import fingerprints
from analysis.paths import PACKAGE_DIR

ROOT = PACKAGE_DIR.parents[1]
MAX_LINES = 450
SOURCES = sorted(PACKAGE_DIR.rglob("*.py"))
PYTHON_FILES = SOURCES + sorted((ROOT / "benchmarks").glob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_import_contract_holds():
    """`lint-imports` (the contract in pyproject.toml): layers top to bottom, no cycle anywhere."""
    done = subprocess.run([Path(sys.executable).parent / "lint-imports"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_modules_are_small_and_say_what_they_do(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc, f"{path}: no module docstring"
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES or "Long because" in doc, f"{path}: {lines} lines and no reason in its docstring"


def _private_uses(path: Path) -> list[str]:
    """Names starting with one underscore taken from another module of ours (``from m import _x`` or ``m._x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ours = ("analysis", "benchmarks")
    aliases: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {a.asname or a.name for a in node.names if a.name.split(".")[0] in ours}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ours:
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    found.append(f"from {node.module} import {a.name}")
                aliases.add(a.asname or a.name)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
    return found


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_is_used_outside_its_module(path):
    assert _private_uses(path) == []


def test_the_private_name_check_can_fail(tmp_path):
    f = tmp_path / "t.py"
    f.write_text("from analysis.tables import store\nfrom analysis.ingest.oews.convert import _text\nstore._read\n")
    assert _private_uses(f) == ["from analysis.ingest.oews.convert import _text", "store._read (line 3)"]


def test_report_code_is_what_the_notebook_imports(real):
    """The career report's code set is computed: the section modules it reaches are in, the notebooks it
    never runs (compare, explore) are out."""
    mods = set(fingerprints.report_modules(real))
    report_pkg = {module_name(f) for f in (PACKAGE_DIR / "sections" / "report").glob("*.py")}
    charts_pkg = {module_name(f) for f in (PACKAGE_DIR / "sections" / "charts").glob("*.py")}
    assert report_pkg | charts_pkg <= mods
    assert {"analysis.sections.formatting", "analysis.sections.highlights", "analysis.tables.store",
            "analysis.render.page", "analysis.render.pdf", "analysis.catalogue.worker"} <= mods
    assert not {"analysis.sections.compare", "analysis.sections.explore", "analysis.cli"} & mods


def test_imports_are_read_relative_and_absolute():
    src = textwrap.dedent("""
        from analysis.sections import charts
        from .formatting import esc
        import analysis.values as v
        def f():
            from analysis.tables import store  # a lazy import counts too
    """)
    found = codehash.imports_in(src, "analysis.sections.section", is_package=False)
    assert {"analysis.sections.charts", "analysis.sections.formatting", "analysis.values",
            "analysis.tables.store"} <= found


@pytest.mark.slow
def test_a_change_to_any_module_the_report_runs_marks_reports_stale(real, tmp_path):
    """In a copy of the package: append a comment to each module the report runs, one at a time, and the
    report's code fingerprint changes; a module it does not run (sections.compare) leaves it as it was."""
    copy = tmp_path / "src"
    shutil.copytree(PACKAGE_DIR, copy / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    script = textwrap.dedent(f"""
        from pathlib import Path
        from analysis.catalogue import fingerprints
        from analysis.paths import PACKAGE_DIR, project
        p = project({str(real.root)!r})
        assert PACKAGE_DIR == Path({str(copy / "analysis")!r}), PACKAGE_DIR
        base = fingerprints.code_fingerprint(p)
        unchanged = []
        for name in fingerprints.report_modules(p) + ["analysis.sections.compare"]:
            f = PACKAGE_DIR.joinpath(*name.split(".")[1:])
            f = f / "__init__.py" if f.is_dir() else f.with_suffix(".py")
            before = f.read_text()
            f.write_text(before + "\\n# changed\\n")
            if fingerprints.code_fingerprint(p) == base:
                unchanged.append(name)
            f.write_text(before)
        print(" ".join(unchanged))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["analysis.sections.compare"]
