"""Our hand-kept YAML files held to their declared shape: one JSON Schema per kind of file, one-line errors.

In: a parsed document (from :mod:`analysis.ingest.yaml_files`), the file it came from, its kind's schema (JSON
Schema, draft 2020-12: required keys, types, allowed values) and how to name a place in it. Out: nothing, or a
DataError naming the file and the key. The schemas live beside their readers (``curated.SCHEMA``,
``sidecars.SCHEMA``); what an analyst reads when a part is wrong is declared in the schema too, as annotations
JSON Schema ignores: ``"message"`` on a subschema (any of its keywords failing), ``"messages"`` keyed by keyword
(``"type"``, ``"enum"``, ``"required"``, ``"additionalProperties"``). A message may name ``{value!r}`` (the value
found, None when the key is missing), ``{text!r}`` (that value as text, ``''`` when missing), ``{type_name}``,
``{missing}`` (every required key absent), ``{unknown}`` and ``{allowed}`` (keys not declared, and the declared
ones). A key that is missing takes the message of its own subschema (``properties``), unless its parent declares
``messages.required``.

The first problem in the schema's order is reported: schemas list their keys in the order a reader would check
them. A date is a type here too (``"date"``): YAML reads ``2026-11-26`` unquoted as one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path

from analysis.errors import DataError

Where = Callable[[tuple], "str | None"]  # a path into the document (keys, 0-based indices) -> how an error names it


def top_key(path: tuple) -> str | None:
    """The default :data:`Where`: the top-level key the problem lies under (None for the document itself)."""
    return str(path[0]) if path else None


@cache
def _validator_class():
    # jsonschema takes a second or two to import on a busy machine (it pulls in referencing, rpds and attrs): only
    # a data build reads our YAML, so `list`, `show` and `areas` must not pay for it at start-up.
    from jsonschema import Draft202012Validator, validators  # noqa: PLC0415

    dates = Draft202012Validator.TYPE_CHECKER.redefine("date", lambda _, value: isinstance(value, dt.date))
    return validators.extend(Draft202012Validator, type_checker=dates)


_VALIDATORS: dict[int, tuple[dict, object]] = {}


def validator(schema: dict):
    """A validator for ``schema``, made once per schema (they are module constants; the schema is kept with it, so
    its id is never reused)."""
    hit = _VALIDATORS.get(id(schema))
    if hit is None:
        hit = _VALIDATORS[id(schema)] = (schema, _validator_class()(schema))
    return hit[1]


def check(doc, path: str | Path, schema: dict, where: Where = top_key) -> None:
    """DataError naming ``path`` (and where in it, by ``where``) for the first way ``doc`` departs from ``schema``."""
    error = next(iter(validator(schema).iter_errors(doc)), None)
    if error is None:
        return
    at = tuple(error.absolute_path)
    keyword, sub, value = error.validator, error.schema, error.instance
    fields = {}
    if keyword == "required":
        missing = [k for k in error.validator_value if k not in value]
        if "required" not in sub.get("messages", {}):  # the missing key's own message, at the key
            sub, at, value = sub["properties"][missing[0]], (*at, missing[0]), None
            keyword = None
        fields["missing"] = ", ".join(missing)
    if keyword == "additionalProperties":
        fields["unknown"] = ", ".join(str(k) for k in value if k not in sub.get("properties", {}))
        fields["allowed"] = ", ".join(sub.get("properties", {}))
    # jsonschema's own words only where a schema declares none; they may hold braces, so they are not a template
    template = sub.get("messages", {}).get(keyword) or sub.get("message") or error.message.replace("{", "{{") \
        .replace("}", "}}")
    fields |= {"value": value, "text": "" if value is None and keyword is None else str(value),
               "type_name": type(value).__name__}
    raise DataError(path, template.format(**fields), where(at))
