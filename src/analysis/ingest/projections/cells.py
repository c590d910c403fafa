"""Header and cell parsing for Employment Projections files.

In: header texts and cell values as the file holds them. Out: the projection period the headers name, each
registry column's index, and cell values as text, codes, exact counts in people (Decimal arithmetic) or
percents; a DataError naming the file and the row and column at fault otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from analysis.errors import DataError
from analysis.ingest.projections.columns import NA_MARKERS, NUMBER_RE, OCCUPATION_TYPES, PERIOD_RE, TOP_CODED_RE, Column
from analysis.ingest.sniff import head
from analysis.ingest.sniff import kind as sniff_kind
from analysis.ingest.titles import title_problem
from analysis.soc import SOC_RE


@dataclass(frozen=True)
class Period:
    base: int
    projected: int

    @property
    def vintage(self) -> str:
        return f"{self.base}-{self.projected % 100:02d}"

    def fill(self, text: str, regex: bool) -> str:
        short = f"{self.projected % 100:02d}"
        rng = rf"{self.base}\s*-\s*(?:{self.projected}|{short})" if regex else f"{self.base}-{short}"
        return (text.replace("<RANGE_TEXT>", f"{self.base}-{short}").replace("<RANGE>", rng)
                .replace("<BASE>", str(self.base)).replace("<PROJ>", str(self.projected)))


def norm(header) -> str:
    """Header text for matching: footnote markers dropped, dashes as '-', spaces collapsed, lower case."""
    text = "" if header is None else str(header)
    text = re.sub(r"\[\d+\]", "", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def find_period(path: Path, where: str, headers, title: str) -> Period:
    """The projection period named by the headers (all must agree), checked against the title."""
    found = set()
    for h in headers:
        for m in PERIOD_RE.finditer(norm(h)):
            found.add(period_of_match(m))
    if not found:
        raise DataError(path, "no projection period like '2024-34' in any column header; "
                        "not a BLS Employment Projections table", where)
    if len(found) > 1:
        names = ", ".join(sorted(p.vintage for p in found))
        raise DataError(path, f"column headers name different projection periods ({names})", where)
    period = found.pop()
    for m in PERIOD_RE.finditer(norm(title)):
        if period_of_match(m) != period:
            raise DataError(path, f"title says {period_of_match(m).vintage} but the headers say "
                            f"{period.vintage}", where)
    return period


def period_of_match(m: re.Match) -> Period:
    base, end = int(m.group(1)), m.group(2)
    if len(end) == 2:  # '2024-34': the projected year is in the base year's century, or the next
        projected = base // 100 * 100 + int(end)
        projected += 100 if projected <= base else 0
    else:
        projected = int(end)
    return Period(base, projected)


def match_columns(path: Path, where: str, headers, registry, period: Period) -> tuple[dict, int]:
    """Column index of every registry entry, and the wage year captured from the wage header."""
    normed = [norm(h) for h in headers]
    cols, wage_year = {}, None
    for col in registry:
        rx = re.compile(period.fill(col.pattern, regex=True))
        hits = [i for i, h in enumerate(normed) if rx.search(h)]
        if not hits:
            raise DataError(path, f"required column '{period.fill(col.meaning, regex=False)}' not found "
                            f"(expected a header like {period.fill(col.example, regex=False)!r})", where)
        if len(hits) > 1:
            names = ", ".join(repr(headers[i]) for i in hits)
            meaning = period.fill(col.meaning, regex=False)
            raise DataError(path, f"several columns could be '{meaning}': {names}", where)
        cols[col.key] = hits[0]
        if col.kind == "wage":
            wage_year = int(rx.search(normed[hits[0]]).group(1))
    return cols, wage_year


def parse_cell(path: Path, value, col: Column, unit: int, where: str):
    kind = col.kind
    if kind == "title":
        # Keep the leading spaces of workbook titles out; '¿' is how the data tool mangles '®'.
        title = cell_text(value, strip=True).replace("¿", "®")
        # The data tool's CSV appends example titles, each after a '*': each must be a plausible title.
        if problem := next(filter(None, map(title_problem, title.split("*"))), None):
            raise DataError(path, problem, where)
        return title
    if kind == "code":
        code = cell_text(value)
        # The data tool writes codes as ="29-2072" so spreadsheets keep them as text.
        code = re.sub(r'^="?(.*?)"?$', r"\1", code).strip()
        if not SOC_RE.match(code):
            raise DataError(path, f"SOC code {code!r} is not of the form NN-NNNN", where)
        return code
    if kind == "type":
        text = cell_text(value)
        if text not in OCCUPATION_TYPES:
            allowed = ", ".join(OCCUPATION_TYPES)
            raise DataError(path, f"occupation type {text!r} is not one of {allowed}", where)
        return text
    if kind == "category":
        text = cell_text(value)
        return None if text in NA_MARKERS else text
    if kind == "wage":
        text = cell_text(value)
        if text in NA_MARKERS:
            return (float("nan"), False)
        top = TOP_CODED_RE.match(text)
        if top:  # the true median is at or above this bound: keep the bound, flag it
            return (float(decimal(path, top.group(1), where)), True)
        return (float(decimal(path, value, where)), False)
    if kind == "percent_na" and cell_text(value) in NA_MARKERS:
        return float("nan")
    number = decimal(path, value, where)
    if kind in ("percent", "percent_na"):
        return float(number)
    if kind == "count":
        return int((number * unit).to_integral_value())  # Decimal: no float fuzz in 194.8 * 1000
    raise AssertionError(f"unknown column kind {kind}")


def decimal(path: Path, value, where: str) -> Decimal:
    if isinstance(value, bool):
        raise DataError(path, f"value {value!r} is not a number", where)
    if isinstance(value, int | float):
        if value != value:  # NaN
            raise DataError(path, "value is missing (NaN)", where)
        return Decimal(str(value))  # str() gives the shortest repr: 169956.1, not 169956.09999...
    text = cell_text(value).replace(",", "").replace("$", "")
    if text in NA_MARKERS:
        raise DataError(path, f"value is missing ({cell_text(value)!r}) where a number is required", where)
    if not NUMBER_RE.match(text):
        raise DataError(path, f"value {cell_text(value)!r} is not a number", where)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise DataError(path, f"value {cell_text(value)!r} is not a number", where) from None


def cell_text(value, strip: bool = True) -> str:
    if value is None:
        return ""
    text = str(value)
    return text.strip() if strip else text


def indent_of(value) -> int:
    text = cell_text(value, strip=False)
    return len(text) - len(text.lstrip(" \u00a0"))


def blank(values) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)


def pad(values: tuple, n: int) -> tuple:
    return values + (None,) * (n - len(values)) if len(values) < n else values


def sniff(path: Path) -> str:
    """'zip' (an xlsx candidate), 'gzip' or 'text'; DataError if the file can be neither."""
    if not path.exists():
        raise DataError(path, "file does not exist")
    if not path.is_file():
        raise DataError(path, "is not a regular file")
    what = sniff_kind(head(path))
    if what == "empty" and path.stat().st_size == 0:
        raise DataError(path, "file is empty (0 bytes): not an EP workbook or CSV")
    if what in ("zip", "gzip"):
        return what
    if what == "markup":
        raise DataError(path, "is an HTML/XML page, not an .xlsx workbook or CSV (a saved error page?)")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise DataError(path, "is not a readable .xlsx workbook (no zip signature)")
    if what in ("binary", "xls"):
        raise DataError(path, "is a binary file, not a CSV")
    return "text"


