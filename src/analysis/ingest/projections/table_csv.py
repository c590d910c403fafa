"""The CSV export of BLS's projections data tool (data.bls.gov/projections/occupationProj) -> an EPRelease.

In: the CSV's path (plain or gzip). Out: the validated projections frame, with the all-occupations row the
export lacks computed from the detailed rows (and marked as computed).
"""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.projections import sniff
from analysis.ingest.projections.cells import find_period, match_columns, norm, parse_cell
from analysis.ingest.projections.columns import CSV_COLUMNS, CSV_HEADER_MARK, CSV_UNIT, FORMAT_CSV, PUBLISHED_DECIMALS
from analysis.ingest.projections.frames import EPRelease, projection_frame, source_headers, validate_projections
from analysis.ingest.sniff import TooBig, gunzip_capped, too_big
from analysis.soc import TOTAL_CODE, TOTAL_TITLE


def csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of a UTF-8 CSV, plain or gzip-compressed (unpacked only up to the readers' limit);
    DataError if it is not one."""
    try:
        raw = io.BytesIO(gunzip_capped(path)) if sniff(path) == "gzip" else open(path, "rb")  # noqa: SIM115
        with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
            reader = csv.reader(text)
            for fields in reader:
                yield reader.line_num, fields
    except UnicodeDecodeError as exc:
        raise DataError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except TooBig as err:
        raise DataError(path, too_big(err.limit)) from None
    except (csv.Error, OSError, EOFError, zlib.error) as exc:
        raise DataError(path, f"is not a readable CSV ({type(exc).__name__}: {exc})") from None


def read_csv(path: Path) -> EPRelease:
    rows = csv_rows(path)
    try:
        _, headers = next(rows)
    except StopIteration:
        raise DataError(path, "file has no header line") from None
    if not any(CSV_HEADER_MARK.search(norm(h)) for h in headers):
        raise DataError(path, "not a BLS Employment Projections CSV (no 'Occupation Code' column)", "line 1")
    period = find_period(path, "line 1", headers, "")
    cols, wage_year = match_columns(path, "line 1", headers, CSV_COLUMNS, period)
    records, rownums = [], []
    for line, fields in rows:
        if not any(f.strip() for f in fields):
            continue  # blank line (e.g. a trailing newline)
        if len(fields) != len(headers):
            raise DataError(path, f"has {len(fields)} fields, the header has {len(headers)}", f"line {line}")
        rec = {"occupation_type": "Line item"}  # the tool lists detailed occupations only
        for col in CSV_COLUMNS:
            i = cols[col.key]
            rec[col.key] = parse_cell(path, fields[i], col, CSV_UNIT, f"line {line}, column {headers[i]!r}")
        rec["title"], rec["example_titles"] = split_examples(rec["title"])
        records.append(rec)
        rownums.append(line)
    if not records:
        raise DataError(path, "no data rows under the header")

    out = [csv_record(rec, wage_year) for rec in records]
    total = computed_total(out, wage_year)
    projections = projection_frame([total, *out], period)
    # The computed total is row 0; data rows keep their CSV line numbers for messages.
    validate_projections(path, "", [None, *rownums], projections, CSV_UNIT, source_headers(headers, cols))
    return EPRelease(period.vintage, period.base, period.projected, wage_year, FORMAT_CSV, projections, None)


def csv_record(rec: dict, wage_year: int) -> dict:
    return {
        "soc_code": rec["soc_code"], "title": rec["title"], "occupation_type": rec["occupation_type"],
        "hierarchy_depth": pd.NA, "example_titles": rec["example_titles"],
        "employment_base_people": rec["employment_base"],
        "employment_projected_people": rec["employment_projected"],
        "employment_change_people": rec["employment_change"], "change_percent": rec["change_percent"],
        "self_employed_percent": float("nan"), "openings_per_year": rec["openings"],
        "median_wage_usd": rec["median_wage"][0], "median_wage_top_coded": rec["median_wage"][1],
        "wage_year": wage_year, "education": rec["education"], "experience": rec["experience"],
        "training": rec["training"], "is_computed": False,
    }


def split_examples(text: str) -> tuple[str, str]:
    """'Actors    * Actor Understudy* Actress' -> ('Actors', 'Actor Understudy; Actress')."""
    title, _, rest = text.partition("*")
    examples = [e.strip() for e in rest.split("*") if e.strip()]
    return title.strip(), "; ".join(examples)


def computed_total(records: list[dict], wage_year: int) -> dict:
    """The all-occupations row the CSV lacks: sums of the detailed rows (exact, in whole people)."""
    base = sum(r["employment_base_people"] for r in records)
    projected = sum(r["employment_projected_people"] for r in records)
    # Change is projected - base of the sums (not the sum of rounded changes) so the row is consistent.
    change = projected - base
    return {
        "soc_code": TOTAL_CODE, "title": TOTAL_TITLE, "occupation_type": "Summary", "hierarchy_depth": pd.NA,
        "example_titles": "", "employment_base_people": base, "employment_projected_people": projected,
        "employment_change_people": change,
        "change_percent": round(change / base * 100, PUBLISHED_DECIMALS) if base else float("nan"),
        "self_employed_percent": float("nan"),
        "openings_per_year": sum(r["openings_per_year"] for r in records),
        "median_wage_usd": float("nan"), "median_wage_top_coded": False, "wage_year": wage_year,
        "education": None, "experience": None, "training": None, "is_computed": True,
    }
