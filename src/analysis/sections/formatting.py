"""Small HTML helpers shared by the report sections: strings in, escaped HTML out. Numbers as text are
:mod:`analysis.values`."""

from __future__ import annotations

import html

import pandas as pd

LABEL_CHARS = 40  # a chart label's longest title


def esc(value) -> str:
    """Text from data files, escaped for HTML (a curated '<script>' shows as text)."""
    return html.escape("" if value is None or value is pd.NA else str(value))


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
    """A 'Source: …' line under a chart or table."""
    return f'<p class="source">{esc(text)}</p>'


def note(text: str) -> str:
    """A note in small type."""
    return f'<p class="note">{esc(text)}</p>'


def short(title: str, n: int = LABEL_CHARS) -> str:
    """A chart label: the title cut at a word boundary to at most ``n`` characters (with an ellipsis)."""
    if len(title) <= n:
        return title
    cut = title[: n - 1].rsplit(" ", 1)[0].rstrip(",;")
    return cut + "…"
