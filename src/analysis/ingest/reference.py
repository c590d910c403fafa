"""Small cited lookup tables kept as data in ``data/reference/``: BLS's growth wording by projection cycle,
and the strict CSV reading every table there shares.

In: a CSV's path. Out: a validated DataFrame (:func:`read_wording`) or the data rows with their line numbers
(:func:`read_rows`, used for ``onet_aggregates.csv`` too); a one-line DataError naming the file, and the line
and column where there is one, for anything malformed: not UTF-8, empty, a missing column, a row with too many
or too few fields (a stray comma), text where a number belongs. The wording table must also hold rows (a header
alone would leave every report without a label, silently), and each vintage's bands must cover every whole
percent exactly once: one open below, one open above, each next band starting one above where the last ended.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from analysis.errors import DataError

WORDING_FILE = "growth_wording.csv"
WORDING_COLUMNS = ["vintage", "label", "min_percent", "max_percent", "basis", "source"]
PERCENT_COLUMNS = ("min_percent", "max_percent")
MAX_REFERENCE_BYTES = 1 << 20  # 1 MiB; our tables are a few kB, a cap bounds memory on a stray large file
VINTAGE_RE = re.compile(r"^\d{4}-\d{2}$")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")  # plain decimals only: no "nan", "inf", "1_000"


def read_rows(path: str | Path, columns) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for each data row of a small UTF-8 CSV whose header names ``columns``.

    Other columns may be present; blank lines are skipped. Every row must have as many fields as the header.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_REFERENCE_BYTES + 1)
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(data) > MAX_REFERENCE_BYTES:
        raise DataError(path, f"larger than {MAX_REFERENCE_BYTES:,} bytes, the limit for a reference table")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", f"line {line}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = [(reader.line_num, fields) for fields in reader if any(f.strip() for f in fields)]
    except csv.Error as exc:
        raise DataError(path, f"not a readable CSV ({exc})", f"line {reader.line_num}") from None
    if not lines:
        raise DataError(path, f"empty: expected a header line naming {', '.join(columns)}")
    head_line, header = lines[0]
    header = [h.strip() for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(path, f"missing column(s) {', '.join(missing)}", f"line {head_line}")
    twice = sorted({h for h in header if header.count(h) > 1 and h in columns})
    if twice:
        raise DataError(path, f"column(s) {', '.join(twice)} appear twice", f"line {head_line}")
    rows = []
    for line, fields in lines[1:]:
        if len(fields) != len(header):
            raise DataError(path, f"has {len(fields)} fields, the header has {len(header)}", f"line {line}")
        rows.append((line, dict(zip(header, fields, strict=True))))
    return rows


def _percent(path: Path, line: int, column: str, text: str) -> float | None:
    text = text.strip()
    if not text:
        return None  # an open band
    if not NUMBER_RE.match(text) or not math.isfinite(float(text)):
        raise DataError(path, f"{column} {text!r} is not a number (whole percent, or blank for open)",
                        f"line {line}, column {column!r}")
    if not float(text).is_integer():  # changes are rounded to whole percents before they meet the bands
        raise DataError(path, f"{column} {text!r} is not a whole percent", f"line {line}, column {column!r}")
    return float(text)


def _shown(low: float | None, high: float | None) -> str:
    if low is not None and low == high:
        return f"{low:g}%"
    if low is None:
        return f"{high:g}% or less" if high is not None else "any change"
    return f"{low:g}% or more" if high is None else f"{low:g}% to {high:g}%"


def _check_bands(path: Path, records: list[dict], lines: list[int]) -> None:
    """Each vintage's bands cover every whole percent once: sorted by their lower bound (open first), the first
    is open below, the last open above, and each starts one above where the one before ends. A gap would stop
    the build at the first change falling in it (or never, until a release does); an overlap labels by row order.
    """
    by_vintage: dict[str, list[tuple[dict, int]]] = {}
    for record, line in zip(records, lines, strict=True):
        by_vintage.setdefault(record["vintage"], []).append((record, line))
    for vintage, bands in by_vintage.items():
        bands.sort(key=lambda b: -math.inf if b[0]["min_percent"] is None else b[0]["min_percent"])
        first, first_line = bands[0]
        if first["min_percent"] is not None:
            raise DataError(path, f"no band is open below (blank min_percent): a change under "
                            f"{first['min_percent']:g}% has no label", f"line {first_line}, vintage {vintage}")
        for (a, a_line), (b, b_line) in zip(bands, bands[1:], strict=False):
            a_text = f"{a['label']!r} ({_shown(a['min_percent'], a['max_percent'])}, line {a_line})"
            b_text = f"{b['label']!r} ({_shown(b['min_percent'], b['max_percent'])})"
            if a["max_percent"] is None or b["min_percent"] is None or b["min_percent"] <= a["max_percent"]:
                raise DataError(path, f"band {b_text} overlaps {a_text}", f"line {b_line}, vintage {vintage}")
            if b["min_percent"] > a["max_percent"] + 1:
                gap = _shown(a["max_percent"] + 1, b["min_percent"] - 1)
                raise DataError(path, f"band {b_text} leaves a gap after {a_text}: {gap} has no label",
                                f"line {b_line}, vintage {vintage}")
        last, last_line = bands[-1]
        if last["max_percent"] is not None:
            raise DataError(path, f"no band is open above (blank max_percent): a change over "
                            f"{last['max_percent']:g}% has no label", f"line {last_line}, vintage {vintage}")


def read_wording(path: str | Path) -> pd.DataFrame:
    """The cut-off table: one row per vintage and label, bounds in whole percent (blank = open)."""
    path = Path(path)
    records, seen = [], {}
    rows = read_rows(path, WORDING_COLUMNS)
    if not rows:
        raise DataError(path, "a header but no rows: expected the bands of at least one vintage (one row per "
                        "vintage and label)")
    for line, row in rows:
        vintage, label = row["vintage"].strip(), row["label"].strip()
        if not VINTAGE_RE.match(vintage):
            raise DataError(path, f"vintage {vintage!r} is not of the form YYYY-YY", f"line {line}, column 'vintage'")
        if not label:
            raise DataError(path, "label is blank", f"line {line}, column 'label'")
        low, high = (_percent(path, line, col, row[col]) for col in PERCENT_COLUMNS)
        if low is not None and high is not None and low > high:
            raise DataError(path, f"min_percent {low:g} exceeds max_percent {high:g}",
                            f"line {line}, vintage {vintage}")
        if (vintage, label) in seen:
            raise DataError(path, f"label {label!r} is listed twice (also on line {seen[vintage, label]})",
                            f"line {line}, vintage {vintage}")
        seen[vintage, label] = line
        # Text columns as pandas read them before: blank -> missing.
        records.append({"vintage": vintage, "label": label, "min_percent": low, "max_percent": high,
                        "basis": row["basis"] or None, "source": row["source"] or None})
    _check_bands(path, records, [line for line, _ in rows])
    df = pd.DataFrame(records, columns=WORDING_COLUMNS)
    for col in PERCENT_COLUMNS:
        df[col] = df[col].astype("Float64")
    return df
