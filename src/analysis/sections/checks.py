"""Checks of the analysts' notebook parameters, light enough to run before any kernel starts (they read the
processed tables, never draw): entry education, SOC major group, sort key, counts and minimums, a list of SOC
codes to compare, a pair of releases. Used by the sections themselves and by :mod:`analysis.notebooks`.

In: a parameter's value (and the vintage it applies to). Out: the value normalised; a one-line
ParameterError naming the parameter otherwise.
"""

from __future__ import annotations

import math
import re

from analysis.errors import ParameterError
from analysis.paths import Paths
from analysis.tables import store

MIN_OCCUPATIONS, MAX_OCCUPATIONS = 2, 6
SAFE_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
# BLS's typical entry-level education categories, shortest path first.
EDUCATION_LEVELS = ["No formal educational credential", "High school diploma or equivalent",
                    "Some college, no degree", "Postsecondary nondegree award", "Associate's degree",
                    "Bachelor's degree", "Master's degree", "Doctoral or professional degree"]
# sort_by value -> (column of the result, words for the reader); ranking is always largest first.
SORT_KEYS = {"openings": ("openings_per_year", "openings a year"),
             "growth": ("change_percent", "projected growth"),
             "pay": ("pay_usd", "median annual pay"),
             "employment": ("employment_people", "number of jobs")}
MAX_TOP = 200


def check_education(values, p: Paths | None = None) -> list[str]:
    """A list of BLS entry-education categories (any case; empty = every level)."""
    if values in (None, "", []):
        return []
    if isinstance(values, str):
        values = [values]
    known = {e.lower(): e for e in EDUCATION_LEVELS}
    out = []
    for v in values:
        key = str(v).strip().replace("\u2019", "'").lower()
        if key not in known:
            raise ParameterError(f"education {v!r} is not a BLS entry-education category; expected any of: "
                                 + "; ".join(EDUCATION_LEVELS))
        out.append(known[key])
    return list(dict.fromkeys(out))


def check_major_group(code, vintage: str, p: Paths | None = None) -> str | None:
    """None, or a SOC major group given as "29" or "29-0000" -> "29-0000"."""
    if code in (None, "", "None"):
        return None
    c = str(code).strip()
    c = f"{c}-0000" if len(c) == 2 else c
    proj = store.table("projections", p)
    majors = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "major")]
    if c not in set(majors["soc_code"]):
        raise ParameterError(f"major_group {code!r} is not a SOC major group in {vintage}; expected one of "
                             + ", ".join(s[:2] for s in sorted(majors["soc_code"])))
    return c


def check_sort_by(value) -> str:
    v = str(value).strip().lower()
    if v not in SORT_KEYS:
        raise ParameterError(f"sort_by {value!r}: expected one of {', '.join(SORT_KEYS)}")
    return v


def check_top(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TOP:
        raise ParameterError(f"top {value!r}: expected a whole number from 1 to {MAX_TOP}")
    return value


def check_minimum(name: str, value, allow_negative: bool = False):
    """None or a finite number (not negative unless allowed, e.g. a minimum growth of -5%)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ParameterError(f"{name} {value!r}: expected a number")
    if value < 0 and not allow_negative:
        raise ParameterError(f"{name} {value!r}: expected a number of at least 0")
    return value


def check_soc_codes(codes, vintage: str, p: Paths | None = None) -> list[str]:
    """Two to six distinct detailed SOC codes of ``vintage`` (each checked by :func:`store.check_soc`)."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(",") if c.strip()]
    codes = [store.check_soc(c, vintage, p) for c in (codes or [])]
    if len(set(codes)) != len(codes):
        raise ParameterError(f"soc_codes {codes}: a code is given twice")
    if not MIN_OCCUPATIONS <= len(codes) <= MAX_OCCUPATIONS:
        raise ParameterError(f"soc_codes: {len(codes)} given; compare {MIN_OCCUPATIONS} to {MAX_OCCUPATIONS} "
                             "occupations")
    return codes


def resolve_pair(old, new, p: Paths | None = None) -> tuple[str, str]:
    """(old, new) vintages: ``new`` 'latest' = the newest on hand, ``old`` 'previous' = the one released
    just before ``new``; old must be an earlier release than new."""
    have = store.vintages(p)  # newest first
    n = store.resolve_vintage(new, p)
    if old in (None, "", "previous"):
        i = have.index(n)
        if i + 1 >= len(have):
            raise ParameterError(f"old: no release before {n} is on hand; available: {', '.join(have)}")
        return have[i + 1], n
    o = store.resolve_vintage(old, p)
    if have.index(o) <= have.index(n):
        raise ParameterError(f"old {o} must be an earlier release than new {n}")
    return o, n


def check_file_name(name: str, value, suffix: str = ".csv") -> str | None:
    """None, or a plain file name ending in ``suffix`` for a file a notebook writes in its own working folder
    (the report's folder): no folder part, no '..', not hidden, so a parameter can never write elsewhere."""
    if value in (None, ""):
        return None
    text = str(value)
    # The pattern allows no folder separator and no leading dot, so no '..', absolute path or hidden file.
    if not isinstance(value, str) or not SAFE_FILE_NAME.match(text) or not text.lower().endswith(suffix):
        raise ParameterError(f"{name} {value!r}: expected a plain file name ending in {suffix} (letters, digits, "
                             "'-', '_' and '.'; it is written in the report's own folder), or None")
    return text
