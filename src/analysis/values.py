"""Values from data tables as plain Python: missing-value tests and JSON-ready numbers.

In: scalars from pandas rows (NaN, ``pd.NA``, numpy types). Out: ``None`` for missing, ints for whole
numbers, Python floats and strings otherwise.
"""

from __future__ import annotations

import math

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


# --- as text ------------------------------------------------------------------------------------

def people(v) -> str:
    """A count of people (jobs, openings): 14,200; '—' when missing."""
    return "—" if missing(v) else f"{int(v):,}"


def signed(v) -> str:
    """A change in people: +1,200 or -300."""
    return f"{int(v):+,}"


def money(v, top_coded: bool = False, cents: bool = False, absent: str = "not published") -> str:
    """Dollars: $50,250 (or $24.59 with ``cents``); 'at least $239,200' for a top-coded value."""
    if missing(v):
        return absent
    s = f"${float(v):,.2f}" if cents else f"${float(v):,.0f}"
    return f"at least {s}" if top_coded else s


def percent(v, signed: bool = True) -> str:
    """A percent with one decimal, as BLS publishes it: +7.1% (or 7.1%); '—' when missing."""
    if missing(v):
        return "—"
    return f"{float(v):+.1f}%" if signed else f"{float(v):.1f}%"


def points(v) -> str:
    """A difference of two percents: +1.2 pts."""
    return f"{float(v):+.1f} pts"
