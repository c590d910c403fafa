"""The column dictionary of ``docs/data.md``, generated from the tables' spec (:mod:`analysis.tables.schema`).

In: the text of ``docs/data.md``. Out: the same text with each generated part rewritten from
:data:`analysis.tables.schema.TABLES`: the list of tables at the top and, under each table's heading, its key and
its columns (name, dtype, unit, meaning). The prose around them (what a row is, where it comes from) is kept as
written. ``python -m analysis.tables.datadoc`` rewrites the file; a test fails while it is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from analysis.errors import DataError
from analysis.paths import project
from analysis.tables.schema import TABLES, Table

COMMAND = "python -m analysis.tables.datadoc"
BEGIN = "<!-- generated from src/analysis/tables/schema.py by `{command}`: {part} -->"
END = "<!-- end of generated part -->"
PART_RE = re.compile(re.escape(BEGIN).replace(r"\{command\}", re.escape(COMMAND)).replace(r"\{part\}", "(.+?)")
                     + r"\n.*?" + re.escape(END), re.S)
LIST_PART = "list of tables"


def table_list() -> str:
    """The line listing every table, each a link to its section."""
    return "Tables: " + ", ".join(f"[`{name}`](#{name})" for name in TABLES) + "."


def columns(spec: Table) -> str:
    """A table's key, whether it may be empty, and its columns as a Markdown table."""
    key = ", ".join(f"`{k}`" for k in spec.key)
    lines = [f"Key: {key}; {'may be empty' if spec.may_be_empty else 'never saved empty'}.", "",
             "| column | type | unit | meaning |", "| --- | --- | --- | --- |"]
    lines += [f"| `{c.name}` | {c.dtype} | {c.unit} | {c.meaning} |" for c in spec.columns]
    return "\n".join(lines)


def part(name: str) -> str:
    """The text of one generated part, markers included: ``LIST_PART`` or ``table <name>``."""
    body = table_list() if name == LIST_PART else columns(TABLES[name.removeprefix("table ")])
    return f"{BEGIN.format(command=COMMAND, part=name)}\n{body}\n{END}"


def render(text: str, path: str | Path = "docs/data.md") -> str:
    """``text`` with every generated part rewritten; DataError naming ``path`` when a table has no part, or a part
    names a table the spec does not declare."""
    found = PART_RE.findall(text)
    wanted = [LIST_PART, *(f"table {name}" for name in TABLES)]
    for name in found:
        if name not in wanted:
            raise DataError(path, f"generated part {name!r} names no table of analysis/tables/schema.py")
    for name in wanted:
        if name not in found:
            marker = BEGIN.format(command=COMMAND, part=name)
            raise DataError(path, f"no generated part {name!r}; add the lines {marker} and {END} under its heading")
    return PART_RE.sub(lambda m: part(m.group(1)), text)


def main() -> int:
    """Rewrite the project's ``docs/data.md`` from the spec; say whether it changed."""
    path = project().root / "docs" / "data.md"
    old = path.read_text(encoding="utf-8")
    new = render(old, path)
    if new != old:
        path.write_text(new, encoding="utf-8")
    print(f"{path}: {'rewritten from the spec' if new != old else 'up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
