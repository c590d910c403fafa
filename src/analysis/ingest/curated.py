"""Curated qualitative facts: roles, entry path, pros and cons, each citing a source.

In: ``data/curated/<SOC>.yml`` files (format in ``data/curated/README.md``). Out: one long table,
a row per fact, with the citation resolved. Text is kept verbatim from the YAML (escaping is the
renderer's job) and validated here so an analyst's typo is caught where the data enters. The YAML is read by
:mod:`analysis.ingest.yaml_files` (bounded size, strict UTF-8, no anchors or aliases, no key twice); every text
field must be text, so a stray number or list fails here, naming the key, not later when the table is saved.
Unknown keys are refused at every level (a misspelt ``sorce:`` or ``publsher:`` would otherwise drop what it
holds without a word), and :func:`check_codes` refuses a file whose occupation no release on hand has.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.yaml_files import load_yaml
from analysis.soc import SOC_RE

# section name in the YAML -> (is a list, has a heading field, heading key)
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


def _fail(path: Path, problem: str, where: str | None = None):
    raise DataError(path, problem, where)


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _only(path: Path, mapping: dict, allowed, where: str | None) -> None:
    """DataError naming the first keys of ``mapping`` that are not ``allowed``, and the allowed ones."""
    unknown = [k for k in mapping if k not in allowed]
    if unknown:
        _fail(path, f"unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(allowed)}", where)


def read_curated_file(path: str | Path) -> pd.DataFrame:
    """One curated YAML file -> rows of ``COLUMNS``; raises DataError naming the file and key."""
    path = Path(path)
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        _fail(path, "expected a mapping with soc_code, sources and sections")
    soc = str(doc.get("soc_code", ""))
    if not SOC_RE.match(soc):
        _fail(path, f"soc_code {soc!r} is not of the form NN-NNNN", "soc_code")
    if path.stem != soc:
        _fail(path, f"file name must be the SOC code ({soc}.yml)")
    sources = doc.get("sources")
    if not isinstance(sources, dict) or not sources:
        _fail(path, "needs a 'sources' mapping of citation ids", "sources")
    for sid, src in sources.items():
        if not isinstance(sid, str):
            _fail(path, f"source id {sid!r} must be text", "sources")
        if not isinstance(src, dict) or not _is_text(src.get("title")):
            _fail(path, "each source needs a title (text)", f"sources.{sid}")
        _only(path, src, ("title", *SOURCE_FIELDS), f"sources.{sid}")
        for key in SOURCE_FIELDS:
            if src.get(key) is not None and not isinstance(src[key], str):
                _fail(path, f"'{key}' must be text", f"sources.{sid}")
    _only(path, doc, TOP_KEYS, None)

    rows = []
    for section, (is_list, heading_key) in SECTIONS.items():
        if section not in doc:
            continue
        items = doc[section]
        items = items if is_list else [items]
        if not isinstance(items, list):
            _fail(path, "must be a list", section)
        text_key = TEXT_KEY.get(section, "text")
        for i, item in enumerate(items, start=1):
            where = f"{section}[{i}]"
            if not isinstance(item, dict):
                _fail(path, f"expected a mapping with '{text_key}' and 'source'", where)
            _only(path, item, (heading_key, text_key, "source") if heading_key else (text_key, "source"), where)
            text = item.get(text_key)
            if not _is_text(text):
                _fail(path, f"'{text_key}' must be non-empty text", where)
            sid = item.get("source")
            if not isinstance(sid, str) or sid not in sources:  # a list or mapping here is not a key at all
                _fail(path, f"source {sid!r} is not listed under 'sources'", where)
            heading = item.get(heading_key) if heading_key else None
            if heading_key and not _is_text(heading):
                _fail(path, f"'{heading_key}' is required (text)", where)
            src = sources[sid]
            rows.append({
                "soc_code": soc, "section": section, "position": i, "heading": heading,
                "text": " ".join(text.split()), "source_id": sid, "source_title": src["title"],
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
