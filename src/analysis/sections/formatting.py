"""Small HTML helpers shared by the report sections: strings in, escaped HTML out. Numbers as text are
:mod:`analysis.values`."""

from __future__ import annotations

import html

import pandas as pd

LABEL_CHARS = 40  # a chart label's longest title
KEEP_ROWS = 6  # a table of up to this many rows prints whole; a longer one may run on to the next page


def esc(value) -> str:
    """Text from data files, escaped for HTML (a curated '<script>' shows as text)."""
    return html.escape("" if value is None or value is pd.NA else str(value))


def table(df: pd.DataFrame, caption: str, numeric: set[str] | frozenset[str] = frozenset(), long: bool = False,
          classes: tuple[str, ...] = (), show_caption: bool = False, row_headers: bool = True,
          links: dict[str, dict[str, str]] | None = None) -> str:
    """A DataFrame of already formatted strings -> an escaped, accessible ``table.data`` (numbers right-aligned).

    Every table has a ``caption`` (what a screen reader announces; shown only with ``show_caption``, as a
    heading or text above usually says it to the eye), column headers with ``scope="col"`` and, with
    ``row_headers``, the first column as row headers. An empty column name is an error: a header cell
    must say what its column holds. ``long`` tables may run across printed pages (rows still never split);
    short ones (up to :data:`KEEP_ROWS` rows) move whole, longer ones may break
    between rows. ``classes`` are added to the table's class (e.g. ``("screen",)``). ``links`` makes a column's
    cells links: {column: {cell text: URL}} (a URL column: {"URL": {u: u for u in urls}})."""
    if any(not str(c).strip() for c in df.columns):
        raise ValueError(f"table {caption!r}: every column needs a name")

    links = links or {}

    def cell(c, v, i: int) -> str:
        num = ' class="num"' if c in numeric else ""
        href = links.get(c, {}).get(v)
        text = f'<a href="{esc(href)}">{esc(v)}</a>' if href else esc(v)
        if i == 0 and row_headers:
            return f'<th scope="row"{num}>{text}</th>'
        return f"<td{num}>{text}</td>"

    num_class = ' class="num"'
    head = "".join(f'<th scope="col"{num_class if c in numeric else ""}>{esc(c)}</th>' for c in df.columns)
    body = "".join("<tr>" + "".join(cell(c, v, i) for i, (c, v) in enumerate(zip(df.columns, row, strict=True)))
                   + "</tr>" for row in df.itertuples(index=False))
    hidden = ' class="visually-hidden"'
    cap = f'<caption{"" if show_caption else hidden}>{esc(caption)}</caption>'
    keep = not long and len(df) <= KEEP_ROWS  # printed whole, never split (report.css)
    cls = " ".join(["data", *(["long"] if long else []), *(["keep"] if keep else []), *classes])
    # On a phone a wide table scrolls sideways in its own box, labelled and reachable by keyboard, never the page.
    return (f'<div class="table-scroll" role="group" tabindex="0" aria-label="{esc(caption)} (table; scrolls '
            f'sideways on a narrow screen)"><table class="{cls}">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></div>')


def source_line(text: str) -> str:
    """A 'Source: …' line under a chart or table."""
    return f'<p class="source">{esc(text)}</p>'


def note(text: str) -> str:
    """A note in small type."""
    return f'<p class="note">{esc(text)}</p>'


def unbroken(text: str) -> str:
    """``text`` that a narrow table cell does not wrap at its dashes ("#1–27" stays on one line): a word joiner
    (U+2060, silent to screen readers) after each en dash."""
    return text.replace("–", "–\u2060")


def short(title: str, n: int = LABEL_CHARS) -> str:
    """A chart label: the title cut at a word boundary to at most ``n`` characters (with an ellipsis)."""
    if len(title) <= n:
        return title
    cut = title[: n - 1].rsplit(" ", 1)[0].rstrip(",;")
    return cut + "…"
