"""SOC (Standard Occupational Classification) codes: their shape, the all-occupations code, the hierarchy.

In: codes as BLS writes them (``29-2072``). Out: checks, the level of a code and the group codes above it.
"""

from __future__ import annotations

import re

# ASCII digits only: Python's \d also matches other scripts' digits ("２９-２０７２"), which no BLS table uses.
SOC_PATTERN = r"[0-9]{2}-[0-9]{4}"  # for pandas' str.fullmatch and for composing other patterns
SOC_RE = re.compile(rf"^{SOC_PATTERN}$")
TOTAL_CODE = "00-0000"  # "Total, all occupations" in every BLS table
TOTAL_TITLE = "Total, all occupations"


def is_soc(code) -> bool:
    """True for a string of the form NN-NNNN (ASCII digits, nothing before or after, not even a newline)."""
    return isinstance(code, str) and bool(SOC_RE.fullmatch(code))


def soc_level(code: str, occupation_type: str) -> str:
    """total / major / minor / broad / detailed, from BLS's occupation type and the code's shape."""
    if occupation_type == "Line item":
        return "detailed"
    if code == TOTAL_CODE:
        return "total"
    if code[3:] == "0000":
        return "major"
    if code[5:] == "00":
        return "minor"
    return "broad"


def major_group(code: str) -> str:
    """The SOC major group of ``code`` (``29-2072`` -> ``29-0000``)."""
    return code[:3] + "0000"


def group_codes(code: str, summary_codes: set[str]) -> tuple[str, str | None, str | None]:
    """(major, minor, broad) group codes of ``code`` among the published summary codes.

    SOC minor groups are mostly ``NN-N000`` but some are ``NN-NN00`` (15-1200, 31-1100), so the
    candidates are checked against the groups BLS actually publishes rather than assumed.
    """
    major = major_group(code)
    minor = next((c for c in (code[:5] + "00", code[:4] + "000") if c in summary_codes and c != major), None)
    broad = code[:6] + "0"
    broad = broad if broad in summary_codes and broad not in (code, minor, major) else None
    return major, minor, broad


def slug(title: str) -> str:
    """A title as a folder-name fragment: lower case, runs of other characters as '-', at most 60."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
