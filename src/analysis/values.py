"""Values from data tables as plain Python and as text, rounded by one rule.

In: scalars from pandas rows (NaN, ``pd.NA``, numpy types). Out: ``None`` for missing, ints for whole
numbers, Python floats; and text (people, dollars, percents) for reports.

The rounding rule, everywhere a number is rounded for a table or for text: **decimal half-up on the
published digits** (:func:`round_half_up`, :func:`fixed`). A value is taken at its shortest decimal form
(the digits BLS published, or a derived value's own), and a half goes away from zero, as BLS rounds: 6.25 ->
6.3, 0.075 -> 0.08, 46.5 -> 47, -2.5 -> -3. Python's ``round`` and ``format`` round binary floats half to
even (0.075 -> 0.07, 6.25 -> 6.2), which is why nothing here uses them for figures.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd


def missing(v) -> bool:
    """True for None, ``pd.NA`` and NaN."""
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def plain(v):
    """A table value as JSON-ready Python: None when missing, int when whole, else the Python scalar."""
    if missing(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v.item() if hasattr(v, "item") else v


def plain_float(v) -> float | None:
    """A percent as BLS publishes it: a float with its decimal, so 4.0 stays 4.0 in JSON (not 4)."""
    v = plain(v)
    return None if v is None else float(v)


def plain_text(v) -> str | None:
    """A text value, or None when missing."""
    return None if missing(v) else str(v)


def _decimal(v, digits: int) -> Decimal:
    d = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return d if d else abs(d)  # never "-0.0"


def round_half_up(v, digits: int = 0) -> float:
    """``v`` rounded to ``digits`` decimals by the house rule (module docstring); NaN stays NaN."""
    if missing(v):
        return float("nan")
    return float(_decimal(v, digits))


def fixed(v, digits: int = 0, sign: bool = False, grouping: bool = False) -> str:
    """``v`` as text with ``digits`` decimals by the house rule: fixed(0.075, 2) == '0.08'; ``sign`` writes
    '+' on positives, ``grouping`` thousands separators."""
    return format(_decimal(v, digits), f"{'+' if sign else ''}{',' if grouping else ''}.{digits}f")


# --- as text ------------------------------------------------------------------------------------

def people(v) -> str:
    """A count of people (jobs, openings): 14,200; '—' when missing."""
    return "—" if missing(v) else fixed(v, 0, grouping=True)


def signed(v) -> str:
    """A change in people: +1,200 or -300."""
    return fixed(v, 0, sign=True, grouping=True)


def money(v, top_coded: bool = False, cents: bool = False, absent: str = "not published") -> str:
    """Dollars: $50,250 (or $24.59 with ``cents``); 'at least $239,200' for a top-coded value."""
    if missing(v):
        return absent
    s = "$" + fixed(v, 2 if cents else 0, grouping=True)
    return f"at least {s}" if top_coded else s


def percent(v, signed: bool = True) -> str:
    """A percent with one decimal, as BLS publishes it: +7.1% (or 7.1%); '—' when missing."""
    if missing(v):
        return "—"
    return fixed(v, 1, sign=signed) + "%"


def points(v) -> str:
    """A difference of two percents: +1.2 pts."""
    return fixed(v, 1, sign=True) + " pts"


def thousands_usd(v) -> str:
    """Dollars in thousands, for a tile or an axis: $46,500 -> '$47k'."""
    return "$" + fixed(float(v) / 1000, 0, grouping=True) + "k"


def place(best, worst=None, n=None) -> str:
    """A rank, as '#3' (of ``n``), or '#1–17' when a top-coded value leaves the place open between two."""
    of = f" of {n:,}" if n else ""
    if worst is None or missing(worst) or int(worst) == int(best):
        return f"#{int(best)}{of}"
    return f"#{int(best)}–{int(worst)}{of}"


def plural(n, one: str, many: str | None = None) -> str:
    """A count with its noun in the right number: plural(1, "area") == '1 area', plural(3, "industry",
    "industries") == '3 industries'; thousands grouped."""
    n = int(n)
    return f"{n:,} {one if n == 1 else many or one + 's'}"


# BLS publishes employment, change and openings in thousands with one decimal: a published 0 (0.0 thousand) is
# any number under 50, never "no one" (docs/assumptions.md, "Small numbers").
UNDER = 50


def openings_count(v) -> str:
    """Openings (or any count BLS rounds to hundreds) as a student should read it: '14,200', 'fewer than 50'
    for a published 0, '—' when missing."""
    if missing(v):
        return "—"
    return f"fewer than {UNDER}" if int(v) == 0 else people(v)


def change_count(v) -> str:
    """A change in jobs over the projection: '+13,800', '-300', or 'fewer than 50 jobs either way' for a
    published 0 (never '+0')."""
    if missing(v):
        return "—"
    return f"fewer than {UNDER} jobs either way" if int(v) == 0 else signed(v)


def per_100(openings, per_100_jobs, jobs) -> str:
    """Openings a year per 100 jobs: '7.3 per 100 jobs'; for a published 0, the bound it implies ('fewer than 4.6
    per 100 jobs' for under 50 of 1,100 jobs, rounded up so it stays a true bound); a rate that rounds to 0.0
    reads 'fewer than 0.1 per 100 jobs'; '' when unknown."""
    if missing(openings) or missing(jobs) or not jobs:
        return ""
    if int(openings) == 0:
        bound = math.ceil(Decimal(UNDER) * 1000 / Decimal(int(jobs))) / 10
        return f"fewer than {fixed(bound, 1)} per 100 jobs"
    if missing(per_100_jobs):
        return ""
    if round_half_up(per_100_jobs, 1) == 0:
        return "fewer than 0.1 per 100 jobs"
    return f"{fixed(per_100_jobs, 1)} per 100 jobs"
