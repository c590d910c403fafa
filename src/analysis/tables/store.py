"""Read access to ``data/processed``: tables, parameter checks, search and an occupation's quick facts.

In: table names, SOC codes, vintages. Out: DataFrames and plain dicts. Tables are read once per
process and cached (the catalogue builds hundreds of reports from one load). A table or manifest that
cannot be read (truncated, overwritten) is a one-line DataError naming the file and the repair,
``career-report data``, never a pyarrow traceback.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.errors import DataError, ParameterError
from analysis.paths import Paths, project
from analysis.soc import SOC_RE, TOTAL_CODE
from analysis.values import plain, plain_float

STATE_RE = re.compile(r"^[A-Z]{2}$")
REBUILD = "run `career-report data` to rebuild data/processed from data/raw"


@lru_cache(maxsize=64)
def _read(path: str, mtime_ns: int) -> pd.DataFrame:
    return pd.read_parquet(path)


def table(name: str, p: Paths | None = None) -> pd.DataFrame:
    """A processed table by name (e.g. ``projections``); DataError if it has not been built."""
    p = p or project()
    path = p.processed / f"{name}.parquet"
    if not path.exists():
        raise DataError(path, "processed table is missing; run `career-report data`")
    try:
        return _read(str(path), path.stat().st_mtime_ns)
    except (pa.ArrowException, OSError, ValueError) as exc:  # ArrowInvalid for a truncated file, among others
        raise DataError(path, f"processed table cannot be read ({type(exc).__name__}); {REBUILD}") from None


_DERIVED: dict[tuple, tuple[pd.DataFrame, object]] = {}


def derived(name: str, key: tuple, build, p: Paths | None = None):
    """``build(table(name))``, computed once per process for ``key`` and kept while the table's file is unchanged
    (e.g. an index of ``wages`` by occupation, which a warm kernel builds once for every report it runs). The
    cache holds the table it was built from, so a rewritten file (a new frame from :func:`table`) is rebuilt."""
    df = table(name, p)
    ck = (name, str((p or project()).processed), key)
    hit = _DERIVED.get(ck)
    if hit is None or hit[0] is not df:
        hit = _DERIVED[ck] = (df, build(df))
    return hit[1]


# rows_for's latest answers, shared by every caller that asks again: read-only by convention (no caller assigns
# into them; one that derives columns works on a filtered or copied frame).
_ROWS: OrderedDict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = OrderedDict()
ROWS_KEPT = 64


def _positions(values: pd.Series) -> dict[str, np.ndarray]:
    """Each value's row positions, in table order (missing values have none)."""
    if values.empty:  # an empty table (e.g. no curated facts) has no rows for any key
        return {}
    codes, uniques = pd.factorize(values)
    order = np.argsort(codes, kind="stable")
    ranked = codes[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    ends = np.r_[starts[1:], len(ranked)]
    return {str(uniques[ranked[a]]): order[a:b] for a, b in zip(starts, ends, strict=True) if ranked[a] >= 0}


def rows_for(name: str, column: str, key: str, p: Paths | None = None) -> pd.DataFrame:
    """Table ``name``'s rows whose ``column`` is ``key``, in table order (none: an empty frame), found through an
    index built once per process (:func:`derived`), not by comparing every row: a warm kernel asks for one
    occupation's rows of a dozen tables in every report."""
    t = table(name, p)
    memo_key = (name, column, str(key), str((p or project()).processed))
    hit = _ROWS.get(memo_key)
    if hit is not None and hit[0] is t:  # the same rows again (a report asks for them from several sections)
        _ROWS.move_to_end(memo_key)
        return hit[1]
    where = derived(name, ("positions", column), lambda tb: _positions(tb[column]), p)
    at = where.get(str(key))
    rows = t.iloc[0:0] if at is None else t.iloc[at]
    _ROWS[memo_key] = (t, rows)
    if len(_ROWS) > ROWS_KEPT:
        _ROWS.popitem(last=False)
    return rows


def has_table(name: str, p: Paths | None = None) -> bool:
    return ((p or project()).processed / f"{name}.parquet").exists()


def vintages(p: Paths | None = None) -> list[str]:
    """Vintages on hand, newest first."""
    return table("vintages", p)["vintage"].tolist()


def resolve_vintage(vintage: str | None, p: Paths | None = None) -> str:
    """'latest'/None -> the newest vintage; otherwise checks it is on hand (accepts en dashes)."""
    have = vintages(p)
    if not have:  # the build never saves it empty (dataset.validate); a table written by something else might be
        raise DataError((p or project()).processed / "vintages.parquet", f"lists no vintages; {REBUILD}")
    if vintage in (None, "", "latest"):
        return have[0]
    v = str(vintage).replace("\u2013", "-").replace("\u2014", "-").strip()
    if v not in have:
        raise ParameterError(f"vintage {vintage!r} is not on hand; available: {', '.join(have)}")
    return v


def check_soc(soc_code: str, vintage: str, p: Paths | None = None) -> str:
    """A detailed SOC code present in ``vintage``; otherwise a ParameterError with closest matches."""
    code = str(soc_code).strip()
    if not SOC_RE.match(code):
        raise ParameterError(f"SOC code {soc_code!r} is malformed: expected the form NN-NNNN, e.g. 29-2072")
    rows = rows_for("projections", "soc_code", code, p)
    rows = rows[rows["vintage"] == vintage]
    if rows.empty or rows.iloc[0]["soc_level"] != "detailed":
        proj = table("projections", p)
        det = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")]
        kind = "is a summary group, not a detailed occupation" if not rows.empty else "is not"
        near = _closest(code, det)
        raise ParameterError(f"SOC code {code} {kind} in the {vintage} projections; closest: {near}")
    return code


def _closest(code: str, det: pd.DataFrame, n: int = 5) -> str:
    codes = det["soc_code"].tolist()
    same_prefix = [c for c in codes if c[:6] == code[:6]] or [c for c in codes if c[:4] == code[:4]]
    picks = (same_prefix + difflib.get_close_matches(code, codes, n=n, cutoff=0.5))[:n]
    picks = list(dict.fromkeys(picks))[:n] or codes[:n]
    titles = det.set_index("soc_code")["title"]
    return "; ".join(f"{c} {titles[c]}" for c in picks)


def check_state(state: str | None, p: Paths | None = None) -> str | None:
    """None, or a postal code that has OEWS state rows (e.g. 'CA')."""
    if state in (None, "", "None"):
        return None
    st = str(state).strip().upper()
    have = derived("wages", ("states",), lambda w: sorted(set(w.loc[w["area_type"] == 2, "state_code"])), p)
    if not STATE_RE.match(st) or st not in have:
        raise ParameterError(f"state {state!r} is not a state postal code with OEWS data; "
                             f"expected one of {', '.join(have)}")
    return st


def search(query: str | None, vintage: str, p: Paths | None = None, limit: int | None = None) -> pd.DataFrame:
    """Detailed occupations whose title, example or O*NET titles contain every word of ``query``,
    or whose code starts with it. Empty query lists all. Columns: soc_code, title, matched_on."""
    proj = table("projections", p)
    det = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")][
        ["soc_code", "title", "example_titles", "change_percent", "openings_per_year", "median_wage_usd"]]
    det = det.copy()
    # Example titles come only with the data tool's CSV (2022-32); a code keeps them in every vintage.
    ex = proj[proj["example_titles"].fillna("") != ""].groupby("soc_code")["example_titles"]
    det["any_examples"] = det["soc_code"].map(ex.agg(lambda s: "; ".join(dict.fromkeys(s)))).fillna("")
    alt = _alternate_titles(p)
    det["other_titles"] = det["soc_code"].map(alt).fillna("")
    if not query:
        out = det.assign(matched_on="")
    elif re.match(r"^\d{2}(-\d{0,4})?$", query.strip()):
        out = det[det["soc_code"].str.startswith(query.strip())].assign(matched_on="code")
    else:
        words = query.lower().split()

        def hit(text: str) -> bool:
            t = text.lower()
            return all(re.search(r"\b" + re.escape(w), t) for w in words)

        on_title = det["title"].map(hit)
        on_example = det["any_examples"].map(hit)
        on_other = det["other_titles"].map(hit)
        out = det[on_title | on_example | on_other].copy()
        out["matched_on"] = [("title" if a else "example title" if b else "O*NET title")
                             for a, b in zip(on_title[out.index], on_example[out.index], strict=True)]
    out = out.sort_values(["matched_on", "soc_code"], key=lambda s: s.map(
        {"code": 0, "title": 0, "example title": 1, "O*NET title": 2, "": 0}) if s.name == "matched_on" else s)
    out = out.drop(columns=["other_titles", "any_examples"])
    return out.head(limit) if limit else out


def _alternate_titles(p: Paths | None) -> pd.Series:
    if not has_table("onet_titles", p):
        return pd.Series(dtype=str)
    t = table("onet_titles", p)
    return t.groupby("soc_code")["title"].agg(lambda s: " | ".join(s))


def occupation(soc_code: str, vintage: str, p: Paths | None = None) -> pd.Series:
    """The projections row of one detailed occupation in one vintage (after checks)."""
    rows = rows_for("projections", "soc_code", soc_code, p)
    return rows[rows["vintage"] == vintage].iloc[0]


def quick_facts(soc_code: str, vintage: str | None = None, p: Paths | None = None) -> dict:
    """An occupation's headline figures for one vintage as a JSON-ready dict (people, percent, USD)."""
    v = resolve_vintage(vintage, p)
    code = check_soc(soc_code, v, p)
    r = occupation(code, v, p)
    total = occupation(TOTAL_CODE, v, p)
    facts = {
        "soc_code": code, "title": r["title"], "vintage": v,
        "base_year": int(r["base_year"]), "projected_year": int(r["projected_year"]),
        "employment_base": plain(r["employment_base_people"]),
        "employment_projected": plain(r["employment_projected_people"]),
        "employment_change": plain(r["employment_change_people"]),
        "change_percent": plain_float(r["change_percent"]),
        "openings_per_year": plain(r["openings_per_year"]),
        "openings_per_100_jobs": plain_float(r["openings_per_100_jobs"]),
        "median_wage_usd": plain(r["median_wage_usd"]),
        "median_wage_top_coded": bool(r["median_wage_top_coded"]),
        "wage_year": int(r["wage_year"]),
        "education": plain(r["education"]), "experience": plain(r["experience"]), "training": plain(r["training"]),
        "outlook_label": plain(r["outlook_label"]),
        "outlook_label_basis": r["outlook_label_basis"],
        "all_occupations_change_percent": plain_float(r["all_occupations_change_percent"]),
        "all_occupations_median_wage_usd": plain(total["median_wage_usd"]),
        "change_percent_rank": plain(r["change_percent_rank"]),
        "openings_rank": plain(r["openings_rank"]),
        "median_wage_rank": plain(r["median_wage_rank"]),
        # a top-coded median's place is a range: the worst it could be (== median_wage_rank when definite)
        "median_wage_rank_worst": plain(r["median_wage_rank_worst"]),
        "openings_fewer_count": plain(r["openings_fewer_count"]),
        "detailed_count": plain(r["detailed_count"]),
        "example_titles": r["example_titles"] or None,
    }
    if has_table("onet_occupations", p):
        on = table("onet_occupations", p)
        row = on[on["soc_code"] == code]
        facts["job_zone"] = plain(row.iloc[0]["job_zone"]) if not row.empty else None
        titles = table("onet_titles", p)
        facts["also_called"] = titles[titles["soc_code"] == code].sort_values("title_rank")["title"] \
            .drop_duplicates().head(12).tolist()
    return facts


def processed_manifest(p: Paths | None = None) -> dict:
    """``data/processed/manifest.json`` as a dict (empty when absent)."""
    p = p or project()
    path = Path(p.processed) / "manifest.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # ValueError: not JSON, or not UTF-8
        raise DataError(path, f"cannot be read ({type(exc).__name__}); {REBUILD}") from None
