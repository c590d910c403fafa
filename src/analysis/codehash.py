"""Which of our modules a piece of code runs, found by reading imports, and one hash over their source.

In: module names (``analysis.sections.report``) or Python source that imports them (a notebook's cells).
Out: every module of this package they reach, directly or through other modules (parent packages'
``__init__`` included), and a sha256 over those files. So a fingerprint built from it cannot forget a
module: a new module the report imports is in it the day it is imported. Imports are read from the source
text, lazy ones inside functions included; nothing is executed. A line that only looks like an import (in a
docstring) may add a module: that errs on the side of rebuilding. A regular expression, not ``ast``: parsing
every module cost 0.2 s of each no-change rebuild.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

PACKAGE = __name__.rpartition(".")[0]  # "analysis"
PACKAGE_DIR = Path(__file__).resolve().parent


def module_file(name: str) -> Path | None:
    """The source file of module ``name`` of this package (a package's ``__init__.py``), or None."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    base = PACKAGE_DIR.joinpath(*name.split(".")[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


# `import a.b as c, d` and `from .a import (b as c, d)` (a parenthesised list may span lines), at any indent.
_IMPORT = re.compile(r"^[ \t]*(?:import[ \t]+([\w. \t,]+)|from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+"
                     r"(\([^)]*\)|[^\n#]+))", re.M)


def _names(text: str) -> list[str]:
    return [part.split(" as ")[0].strip() for part in text.strip("() \t\n").replace("\n", " ").split(",")
            if part.strip() and not part.strip().startswith("#")]


def imports_in(source: str, module: str = "", is_package: bool = False) -> set[str]:
    """Names of this package's modules that ``source`` imports (``module`` resolves relative imports)."""
    found: set[str] = set()
    for plain, dots, base, names in _IMPORT.findall(source):
        if plain:
            found.update(_names(plain))
            continue
        if dots:
            parts = module.split(".")
            keep = len(parts) - len(dots) + (1 if is_package else 0)
            base = ".".join(parts[:keep] + ([base] if base else []))
        found.add(base)
        found.update(f"{base}.{n}" for n in _names(re.sub(r"#[^\n]*", "", names)))  # a submodule, if one
    return {n for n in found if module_file(n) is not None}


@cache
def _direct(name: str) -> frozenset[str]:
    path = module_file(name)
    return frozenset(imports_in(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"))


def closure(names) -> list[str]:
    """``names`` and every module of this package they import, transitively, with their parent packages."""
    seen: set[str] = set()
    todo = [n for n in names if module_file(n) is not None]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # importing a.b.c runs a and a.b
        todo += _direct(name)
    return sorted(seen)


def fingerprint(names) -> str:
    """sha256 over the path and source of every module in :func:`closure` of ``names``."""
    h = hashlib.sha256()
    for name in closure(names):
        path = module_file(name)
        h.update(str(path.relative_to(PACKAGE_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()
