"""What an OEWS download holds: the registry of columns we read (output name -> BLS header, its spellings,
how it is converted), BLS's markers and top-code bounds, and the tidy table's columns. Data, not code: a
new header spelling or a new year's top code is one entry here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# BLS names its files like national_M2025_dl.xlsx: the "M" is the May reference period.
YEAR_IN_NAME = re.compile(r"M(\d{4})(?!\d)")
NOT_PUBLISHED = "*"      # wage not published in that unit (or not released)
NOT_RELEASED = "**"      # employment estimate not released
TOP_CODED = "#"          # at or above the top-code bound: the true value is unknown
MISSING_MARKERS = (NOT_PUBLISHED, NOT_RELEASED)


# Top-code bounds, by the first wage year each applies from. BLS states the bound in each release's
# field descriptions; only the bound documented for our snapshot (SOURCES.md, May 2025) is recorded.
# A '#' in a file older than every entry raises rather than guessing the bound of that year.
TOP_CODE_BOUNDS: tuple[tuple[int, float, float], ...] = (
    # (from wage year, hourly USD, annual USD)
    (2025, 115.00, 239_200.0),
)
O_GROUPS = {"total": "total", "major": "major", "minor": "minor", "broad": "broad",
            "detailed": "detailed", "detail": "detailed"}  # some older files say "detail"


# The header row of an xlsx may sit below title rows; look this far down for it.
HEADER_SCAN_ROWS = 10


@dataclass(frozen=True)
class Field:
    """One output column: where it comes from in the BLS file and how it is converted."""

    source: str                   # BLS header, upper-case
    kind: str                     # key into CONVERTERS
    aliases: tuple[str, ...] = ()  # other spellings BLS has used for the same column
    required: bool = True         # if False and absent, filled by FILLS[name]
    blank_ok: bool = False        # an empty cell is allowed (→ NaN) rather than an error


# The registry: output column → BLS column. Order here is output order (flags are appended after).
FIELDS: dict[str, Field] = {
    "area_code": Field("AREA", "area"),
    "area_title": Field("AREA_TITLE", "text", aliases=("AREA_NAME", "STATE")),
    "area_type": Field("AREA_TYPE", "area_type", required=False),
    "state_code": Field("PRIM_STATE", "text", aliases=("ST",), required=False),
    "soc_code": Field("OCC_CODE", "soc"),
    "title": Field("OCC_TITLE", "text"),
    "o_group": Field("O_GROUP", "group", aliases=("OCC_GROUP",)),
    "employment_people": Field("TOT_EMP", "count"),
    "employment_rse_percent": Field("EMP_PRSE", "number", blank_ok=True),
    # BLS publishes no JOBS_1000 / LOC_QUOTIENT for the nation: blank on U.S. rows.
    "jobs_per_1000": Field("JOBS_1000", "number", required=False, blank_ok=True),
    "location_quotient": Field("LOC_QUOTIENT", "number", required=False, blank_ok=True),
    "hourly_mean_usd": Field("H_MEAN", "hourly"),
    "annual_mean_usd": Field("A_MEAN", "annual"),
    "mean_rse_percent": Field("MEAN_PRSE", "number", blank_ok=True),
    "hourly_p10_usd": Field("H_PCT10", "hourly"),
    "hourly_p25_usd": Field("H_PCT25", "hourly"),
    "hourly_median_usd": Field("H_MEDIAN", "hourly"),
    "hourly_p75_usd": Field("H_PCT75", "hourly"),
    "hourly_p90_usd": Field("H_PCT90", "hourly"),
    "annual_p10_usd": Field("A_PCT10", "annual"),
    "annual_p25_usd": Field("A_PCT25", "annual"),
    "annual_median_usd": Field("A_MEDIAN", "annual"),
    "annual_p75_usd": Field("A_PCT75", "annual"),
    "annual_p90_usd": Field("A_PCT90", "annual"),
    "annual_only": Field("ANNUAL", "flag", required=False),
    "hourly_only": Field("HOURLY", "flag", required=False),
}
WAGE_COLUMNS = [n for n, f in FIELDS.items() if f.kind in ("hourly", "annual")]
PERCENTILES = ("p10", "p25", "median", "p75", "p90")
FLAGS = [n for n, f in FIELDS.items() if f.kind == "flag"]
COLUMNS = (["wage_year"] + [n for n in FIELDS if n not in FLAGS]
           + [f"{n}_top_coded" for n in WAGE_COLUMNS] + FLAGS + ["employment_released"])


HEADER_TO_FIELD = {h: name for name, f in FIELDS.items() for h in (f.source, *f.aliases)}


def norm_header(h) -> str:
    return str(h).strip().upper() if h is not None else ""


def missing_required(headers) -> list[str]:
    present = {HEADER_TO_FIELD.get(norm_header(h)) for h in headers}
    return [FIELDS[n].source for n, f in FIELDS.items() if f.required and n not in present]


def year_from_name(path: Path) -> int | None:
    m = YEAR_IN_NAME.search(path.name)
    return int(m.group(1)) if m else None
