"""Curated qualitative facts: roles, entry path, pros and cons, each citing a source.

In: ``data/curated/<SOC>.yml`` files (format in ``data/curated/README.md``). Out: one long table,
a row per fact, with the citation resolved. Text is kept verbatim from the YAML (escaping is the
renderer's job) and validated here so an analyst's typo is caught where the data enters. The YAML is read by
:mod:`analysis.ingest.yaml_files` (bounded size, strict UTF-8, no anchors or aliases, no key twice) and held to
:data:`SCHEMA` (:mod:`analysis.ingest.shapes`): every text field must be text, so a stray number or list fails
here, naming the key, not later when the table is saved; unknown keys are refused at every level (a misspelt
``sorce:`` or ``publsher:`` would otherwise drop what it holds without a word). :func:`check_codes` refuses a
file whose occupation no release on hand has.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest import shapes
from analysis.ingest.yaml_files import load_yaml
from analysis.soc import SOC_RE

# section name in the YAML -> (is a list, heading key)
SECTIONS: dict[str, tuple[bool, str | None]] = {
    "summary": (False, None),
    "roles": (True, "name"),
    "entry_path": (True, None),
    "pros": (True, None),
    "cons": (True, None),
    "figures": (True, "label"),
}
TEXT_KEY = {"figures": "value"}
SOURCE_FIELDS = ("publisher", "kind", "note")  # optional text fields of a source, besides its title
TOP_KEYS = ("soc_code", "title", "sources", *SECTIONS)
COLUMNS = ["soc_code", "section", "position", "heading", "text", "source_id", "source_title",
           "source_publisher", "source_kind", "source_note", "curated_file"]
UNKNOWN = {"additionalProperties": "unknown key(s) {unknown}; allowed: {allowed}"}


def _text(message: str) -> dict:
    """Non-blank text (``\\S``: Python's ``re``, so any character ``str.strip`` would keep)."""
    return {"type": "string", "pattern": r"\S", "message": message}


def _item(section: str) -> dict:
    """One fact of ``section``: its text, the id of the source it cites and, in some sections, a heading."""
    text_key, heading_key = TEXT_KEY.get(section, "text"), SECTIONS[section][1]
    keys = {text_key: _text(f"'{text_key}' must be non-empty text"),
            "source": {"type": "string", "message": "source {value!r} is not listed under 'sources'"}}
    if heading_key:
        keys = {heading_key: _text(f"'{heading_key}' is required (text)")} | keys
    return {"type": "object", "message": f"expected a mapping with '{text_key}' and 'source'",
            "additionalProperties": False, "messages": UNKNOWN,
            "required": [text_key, "source", *([heading_key] if heading_key else [])],
            "properties": keys}


# The shape of a curated file (analysis.ingest.shapes): what is left to code is what JSON Schema cannot say (the
# file's name is its code, an item cites a source listed in the same file, the file has a fact at all).
SCHEMA = {
    "type": "object", "message": "expected a mapping with soc_code, sources and sections",
    "required": ["soc_code", "sources"],
    "properties": {
        "soc_code": {"type": "string", "pattern": SOC_RE.pattern,
                     "message": "soc_code {text!r} is not of the form NN-NNNN"},
        "title": _text("the occupation's title must be non-empty text"),
        "sources": {
            "type": "object", "minProperties": 1, "message": "needs a 'sources' mapping of citation ids",
            "propertyNames": {"type": "string", "message": "source id {value!r} must be text"},
            "additionalProperties": {
                "type": "object", "message": "each source needs a title (text)",
                "required": ["title"],
                "properties": {"title": _text("each source needs a title (text)")}
                | {key: {"type": ["string", "null"], "message": f"'{key}' must be text"} for key in SOURCE_FIELDS},
                "additionalProperties": False, "messages": UNKNOWN,
            },
        },
        **{section: _item(section) if not is_list else {"type": "array", "message": "must be a list",
                                                           "items": _item(section)}
           for section, (is_list, _) in SECTIONS.items()},
    },
    "additionalProperties": False, "messages": UNKNOWN,
}


def _fail(path: Path, problem: str, where: str | None = None):
    raise DataError(path, problem, where)


def _where(at: tuple) -> str | None:
    """How an error names a place in a curated file: ``soc_code``, ``sources.<id>``, ``roles[2]`` (1-based), and
    ``summary[1]`` for the one summary."""
    if not at:
        return None
    if at[0] == "sources":
        return "sources" if len(at) == 1 else f"sources.{at[1]}"
    if at[0] in SECTIONS and not SECTIONS[at[0]][0]:
        return f"{at[0]}[1]"
    if at[0] in SECTIONS and len(at) > 1:
        return f"{at[0]}[{at[1] + 1}]"
    return str(at[0])


def read_curated_file(path: str | Path) -> pd.DataFrame:
    """One curated YAML file -> rows of ``COLUMNS``; raises DataError naming the file and key."""
    path = Path(path)
    doc = load_yaml(path)
    shapes.check(doc, path, SCHEMA, _where)
    soc = doc["soc_code"]
    if path.stem != soc:
        _fail(path, f"file name must be the SOC code ({soc}.yml)")
    sources = doc["sources"]
    rows = []
    for section, (is_list, heading_key) in SECTIONS.items():
        if section not in doc:
            continue
        items = doc[section] if is_list else [doc[section]]
        text_key = TEXT_KEY.get(section, "text")
        for i, item in enumerate(items, start=1):
            sid = item["source"]
            if sid not in sources:
                _fail(path, f"source {sid!r} is not listed under 'sources'", f"{section}[{i}]")
            src = sources[sid]
            rows.append({
                "soc_code": soc, "section": section, "position": i,
                "heading": item[heading_key] if heading_key else None,
                "text": " ".join(item[text_key].split()), "source_id": sid, "source_title": src["title"],
                "source_publisher": src.get("publisher"), "source_kind": src.get("kind"),
                "source_note": src.get("note"), "curated_file": path.name,
            })
    if not rows:
        _fail(path, "no facts: add at least one of " + ", ".join(SECTIONS))
    return pd.DataFrame(rows, columns=COLUMNS)


def read_curated(folder: str | Path) -> pd.DataFrame:
    """Every ``<SOC>.yml`` in ``folder`` -> one table (empty, with the columns, if there are none)."""
    frames = [read_curated_file(p) for p in sorted(Path(folder).glob("*.yml"))]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["position"] = out["position"].astype("int64")
    return out


def check_codes(facts: pd.DataFrame, detailed: dict[str, set[str]], folder: str | Path) -> None:
    """DataError naming the curated file whose SOC code is a detailed occupation in none of the releases on hand
    (``detailed``: vintage -> its detailed SOC codes): no report would ever show its facts, silently."""
    known = set().union(*detailed.values())
    for name, soc in facts[["curated_file", "soc_code"]].drop_duplicates().itertuples(index=False):
        if soc not in known:
            on_hand = ", ".join(sorted(detailed, reverse=True))
            _fail(Path(folder) / name, f"soc_code {soc} is not a detailed occupation in any Employment Projections "
                  f"release on hand ({on_hand})", "soc_code")
