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
# Any number a notebook takes: beyond this a float no longer holds whole numbers exactly, and the report's text
# (decimal rounding to 28 digits) cannot show it.
MAX_NUMBER = 10**15
# The minimums of the explore notebook: (lowest, highest, unit). Generous: BLS's largest projected change is
# tens of percent, the largest openings a few hundred thousand, the top-coded pay a few hundred thousand USD.
MINIMUMS = {"min_growth": (-100, 1_000, "percent change"),
            "min_openings": (0, 10_000_000, "openings a year"),
            "min_pay": (0, 10_000_000, "US dollars a year"),
            "min_location_quotient": (0, 1_000, "location quotient")}


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


def check_top(value, limit: int = MAX_TOP) -> int:
    """How many rows to show: a whole number from 1 to ``limit``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise ParameterError(f"top {value!r}: expected a whole number from 1 to {limit}")
    return value


def shown(value, width: int = 40) -> str:
    """``repr(value)`` cut to ``width`` characters, so a 400-digit number still makes a one-line message."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def in_range(value, low: float, high: float) -> bool:
    """A real number (not a bool, not NaN) from ``low`` to ``high``; a huge int is compared exactly, never
    turned into a float (``math.isfinite(10**400)`` raises OverflowError)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return (isinstance(value, int) or math.isfinite(value)) and low <= value <= high


def check_minimum(name: str, value, allow_negative: bool = False):
    """None or a number within the range :data:`MINIMUMS` gives for ``name`` (not negative unless allowed, e.g.
    a minimum growth of -5%). A bound matters: a value such as 1e308 would reach the report's text and fail
    there in the house rounding (``decimal.InvalidOperation``), after a kernel started."""
    if value is None:
        return None
    low, high, _ = number_range(name, allow_negative)
    if not in_range(value, low, high):
        raise ParameterError(f"{name} {shown(value)}: expected {range_text(name, allow_negative)}")
    return value


def number_range(name: str, allow_negative: bool = True) -> tuple[float, float, str]:
    """(lowest, highest, unit) a number parameter called ``name`` accepts: :data:`MINIMUMS`, else ±MAX_NUMBER."""
    low, high, unit = MINIMUMS.get(name, (-MAX_NUMBER, MAX_NUMBER, ""))
    return (low if allow_negative else max(low, 0)), high, unit


def range_text(name: str, allow_negative: bool = True) -> str:
    """The accepted range of a number parameter, for messages: 'a number from 0 to 10,000,000 (…)'."""
    low, high, unit = number_range(name, allow_negative)
    return f"a number from {low:,} to {high:,}" + (f" ({unit})" if unit else "")


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
