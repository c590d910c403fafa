"""What a title in a release may be: the titles BLS publishes (occupations, areas, industries) are at most about a
hundred characters of printable text. A title no release would hold (thousands of characters, a NUL or another
control character) is refused when the file is read, naming the file, row and column, rather than kept silently
and met later by a report whose page then takes minutes to lay out.

In: one title, or a column of them. Out: None when plausible, else what is wrong, in words.
"""

from __future__ import annotations

import re

import pandas as pd

TITLE_MAX_CHARS = 300  # BLS's longest now: 112 (an occupation), 100 (an industry), 73 (an area)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0 and C1 control characters: NUL, tab, newline, escape…


def title_problem(text: str) -> str | None:
    """Why ``text`` cannot be a published title, or None."""
    if len(text) > TITLE_MAX_CHARS:
        return f"title of {len(text):,} characters (a published title has at most {TITLE_MAX_CHARS})"
    if m := CONTROL.search(text):
        return f"title holds the control character {m.group()!r} at character {m.start() + 1}"
    return None


def first_bad_title(titles: pd.Series) -> tuple[int, str] | None:
    """The position of the first implausible title in ``titles`` (strings) and why, or None (vectorised: a
    file has a quarter of a million rows)."""
    bad = (titles.str.len() > TITLE_MAX_CHARS) | titles.str.contains(CONTROL.pattern, regex=True)
    if not bad.any():
        return None
    pos = int(bad.to_numpy().nonzero()[0][0])
    return pos, title_problem(titles.iloc[pos]) or "implausible title"
