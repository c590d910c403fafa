"""Our hand-kept YAML files (curated facts, raw-file sidecars), read and written safely.

In: a path to a YAML file we own. Out: its content as plain Python values (dicts, lists, text, numbers,
dates), or a one-line DataError naming the file (and the line and column where there is one). The reader
is bounded so that a scheduled run cannot hang or run out of memory on a hostile or broken file: at most
:data:`MAX_YAML_BYTES` bytes, strict UTF-8, at most :data:`MAX_YAML_NODES` values nested at most
:data:`MAX_YAML_DEPTH` levels, and no anchors or aliases at all (our files never need them, and aliases within
anchors are how a few hundred bytes expand exponentially, "billion laughs"). Within those bounds the worst
file we could make parses in about a second. A key given twice in one mapping is refused too: PyYAML would keep
the last silently, so a pasted second ``pros:`` list would replace the first without a word. Out, the other
way: :func:`dump_yaml` writes values as YAML that this reader accepts (no anchors).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from analysis.errors import DataError

MAX_YAML_BYTES = 1 << 20  # 1 MiB: our largest file is a few kB; a cap bounds memory and parse time
MAX_YAML_DEPTH = 20  # nesting levels; ours use 3, and the composer recurses once per level
MAX_YAML_NODES = 20_000  # values of any kind; a curated file has a few hundred. Bounds time on dense input


class _Refused(yaml.MarkedYAMLError):
    """A construct the reader refuses (an alias, an anchor, deep nesting, an unreadable value)."""


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses anchors and aliases and counts values and nesting (see the module doc)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        # Refused at the first anchor, before any node is shared, so an expanding document costs nothing.
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(problem=f"alias *{event.anchor} refused: anchors and aliases are not allowed in our "
                           "YAML files", problem_mark=event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise _Refused(problem=f"anchor &{event.anchor} refused: anchors and aliases are not allowed in our "
                           "YAML files", problem_mark=event.start_mark)
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise _Refused(problem=f"more than {MAX_YAML_NODES:,} values", problem_mark=event.start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise _Refused(problem=f"nested deeper than {MAX_YAML_DEPTH} levels", problem_mark=event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        # Before PyYAML builds the dict (where the later of two equal keys wins): each key once. A merge key
        # ("<<") is PyYAML's own and is flattened by the base class; keys PyYAML cannot hash fail there too.
        if isinstance(node, yaml.MappingNode):
            first: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in first:
                        raise _Refused(problem=f"key {_short(str(key))!r} appears twice in one mapping (first on "
                                       f"line {first[key].line + 1}); a later one would silently replace the first",
                                       problem_mark=key_node.start_mark)
                    first[key] = key_node.start_mark
                except TypeError:  # a list or mapping as a key: the base class refuses it, naming it
                    continue
        return super().construct_mapping(node, deep)

    def construct_object(self, node, deep=False):
        # A well-formed scalar can still fail to construct (a date 2024-13-45, an integer of 5,000 digits, an
        # explicit "!!timestamp hello"): PyYAML raises a bare error without a position; give it the node's.
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, TypeError, AttributeError) as exc:
            shown = f" {_short(node.value)!r}" if isinstance(node, yaml.ScalarNode) else ""
            raise _Refused(problem=f"value{shown} cannot be read ({_short(str(exc).splitlines()[0], 80)})",
                           problem_mark=node.start_mark) from None


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _where(mark) -> str | None:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None


def read_text(path: Path) -> str:
    """The file's text: at most ``MAX_YAML_BYTES`` bytes of strict UTF-8; DataError naming the file otherwise."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_YAML_BYTES + 1)  # never more than the cap, even from a file that keeps growing
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(data) > MAX_YAML_BYTES:
        raise DataError(path, f"larger than {MAX_YAML_BYTES:,} bytes, the limit for our YAML files")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", f"line {line}") from None


def load_yaml(path: str | Path) -> object:
    """One YAML document from ``path`` as plain values (None for an empty file), within the module's bounds.

    Raises DataError naming the file, and the line and column for a syntax error or a refused construct.
    """
    path = Path(path)
    text = read_text(path)
    loader = None
    try:
        loader = _BoundedLoader(text)  # checks the text for control characters at once
        return loader.get_single_data()
    except _Refused as exc:
        raise DataError(path, exc.problem, _where(exc.problem_mark)) from None
    except yaml.MarkedYAMLError as exc:
        during = f" ({exc.context.strip()})" if exc.context else ""
        raise DataError(path, f"not valid YAML: {str(exc.problem).strip()}{during}",
                        _where(exc.problem_mark or exc.context_mark)) from None
    except yaml.reader.ReaderError as exc:  # a control character: it has a position, not a mark
        line = text.count("\n", 0, exc.position) + 1
        raise DataError(path, f"not valid YAML: {exc.reason} (#x{exc.character:04x})", f"line {line}") from None
    except yaml.YAMLError as exc:
        raise DataError(path, f"not valid YAML ({str(exc).splitlines()[0]})") from None
    finally:
        if loader is not None:
            loader.dispose()


class _PlainDumper(yaml.SafeDumper):
    """Writes a value shared between two keys twice instead of as an anchor and alias (which we refuse)."""

    def ignore_aliases(self, data):
        return True


def dump_yaml(value) -> str:
    """``value`` as YAML text, keys in their given order, Unicode as is, no anchors or aliases."""
    return yaml.dump(value, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True)
