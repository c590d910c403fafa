"""Small HTML and number formatting helpers shared by the report sections. Strings in, escaped HTML out."""

from __future__ import annotations

import html
import math

import pandas as pd


def esc(value) -> str:
    """Text from data files, escaped for HTML (a curated '<script>' shows as text)."""
    return html.escape("" if value is None or value is pd.NA else str(value))


def missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def people(v) -> str:
    return "—" if missing(v) else f"{int(v):,}"


def money(v, top_coded: bool = False, cents: bool = False) -> str:
    if missing(v):
        return "not published"
    s = f"${float(v):,.2f}" if cents else f"${float(v):,.0f}"
    return f"at least {s}" if top_coded else s


def percent(v, signed: bool = True) -> str:
    if missing(v):
        return "—"
    return f"{float(v):+.1f}%" if signed else f"{float(v):.1f}%"


def table(df: pd.DataFrame, numeric: set[str] | frozenset[str] = frozenset(), caption: str | None = None,
          long: bool = False, classes: tuple[str, ...] = ()) -> str:
    """A DataFrame of already formatted strings -> an escaped ``table.data`` (numbers right-aligned).
    ``long`` tables may run across printed pages (rows still never split); short ones move whole.
    ``classes`` are added to the table's class (e.g. ``("screen",)`` for the notebook-only styling)."""
    head = "".join(f'<th class="{"num" if c in numeric else ""}">{esc(c)}</th>' for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="{"num" if c in numeric else ""}">{esc(v)}</td>'
                         for c, v in zip(df.columns, row, strict=True)) + "</tr>"
        for row in df.itertuples(index=False)
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    cls = " ".join(["data", *(["long"] if long else []), *classes])
    return f'<table class="{cls}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def source_line(text: str) -> str:
    return f'<p class="source">{esc(text)}</p>'


def note(text: str) -> str:
    return f'<p class="note">{esc(text)}</p>'
