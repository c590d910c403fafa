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


# Areas. AREA_TYPE -> (name, the digits of its AREA codes, whether a code may start with 0). BLS: 1 U.S. (AREA
# 99), 2 state (FIPS code), 3 U.S. territory, 4 metropolitan statistical area (CBSA code, 10000 and up), 6
# nonmetropolitan area (an OEWS code, the state's FIPS code first). Our May 2025 snapshot files Puerto Rico, Guam
# and the Virgin Islands under 2; BLS's field descriptions name 3 for territories.
AREA_TYPES: dict[int, tuple[str, int, bool]] = {
    1: ("national", 2, False),
    2: ("state", 2, True),
    3: ("territory", 2, True),
    4: ("metropolitan", 5, False),
    6: ("nonmetropolitan", 7, True),
}
NATIONAL_AREA = "99"
NATIONAL_STATE = "US"  # PRIM_STATE of the U.S. rows
# PRIM_STATE of every other area: the postal codes of the states, DC and the territories OEWS publishes, with
# their FIPS codes (a state's AREA; the first two digits of a nonmetropolitan area's AREA).
STATE_FIPS: dict[str, str] = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09", "DE": "10", "DC": "11",
    "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17", "IN": "18", "IA": "19", "KS": "20", "KY": "21",
    "LA": "22", "ME": "23", "MD": "24", "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30",
    "NE": "31", "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38", "OH": "39",
    "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46", "TN": "47", "TX": "48", "UT": "49",
    "VT": "50", "VA": "51", "WA": "53", "WV": "54", "WI": "55", "WY": "56", "GU": "66", "PR": "72", "VI": "78",
}

# Industries. A file without NAICS columns is cross-industry: NAICS 000000, all ownerships (OWN_CODE 1235).
CROSS_INDUSTRY = "000000"
CROSS_INDUSTRY_TITLE = "Cross-industry"
CROSS_INDUSTRY_LEVEL = "cross-industry"
ALL_OWNERSHIPS = "1235"
# I_GROUP -> the forms its NAICS codes take, as BLS's download files write them ("11", "31-33" for sectors) and
# as our snapshot does (the time-series codes "11--12", "99-100"); OEWS's own codes too: 000001 private
# ownership only, 999001 all government, 3250A1 a combination of 4-digit industries, a last digit 2/3/5 for an
# industry's state, local or private part, 9991xx-9993xx federal, state and local government. BLS lists a
# 3-digit industry also as "4-digit" where it publishes nothing finer (327000), so 4-digit accepts NNN000.
INDUSTRY_LEVELS: dict[str, str] = {
    "cross-industry": r"000000|000001|999001",
    "sector": r"[0-9]{2}|[0-9]{2}--?[0-9]{2,3}|[0-9]{2}0000|999[1-3]0[01]",
    "3-digit": r"[0-9]{3}000|999[1-3]00",
    "4-digit": r"[0-9]{4}00|[0-9]{3}0A[0-9]|[0-9]{4}0[1-9]",
    "5-digit": r"[0-9]{5}[1-9]|[0-9]{4}[1-9]0",
    "6-digit": r"[0-9]{5}[1-9]|[0-9]{4}[1-9]0",
}
# OWN_CODE: 1 federal, 2 state, 3 local government, 5 private, and their combinations (BLS's field descriptions).
OWN_CODES = frozenset({"1", "2", "3", "5", "35", "57", "58", "59", "123", "235", "1235"})
# Ownership-specific industries overlap the plain ones and must never be added to them: every row whose
# OWN_CODE is not 1235 (one ownership's part of an industry), and OEWS's ownership totals, which cut across the
# NAICS industries although BLS codes them 1235: all government, and federal, state and local government
# including schools, hospitals and the Postal Service.
OWNERSHIP_INDUSTRIES = frozenset({"999001", "999101", "999201", "999301"})


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
    "area_title": Field("AREA_TITLE", "title", aliases=("AREA_NAME", "STATE")),
    "area_type": Field("AREA_TYPE", "area_type", required=False),
    "state_code": Field("PRIM_STATE", "text", aliases=("ST",), required=False),
    # Industry and ownership: absent from cross-industry files, which then mean NAICS 000000, all ownerships.
    "naics": Field("NAICS", "naics", required=False),
    "naics_title": Field("NAICS_TITLE", "title", required=False),
    "industry_level": Field("I_GROUP", "industry_level", required=False),
    "own_code": Field("OWN_CODE", "own_code", required=False),
    "soc_code": Field("OCC_CODE", "soc"),
    "title": Field("OCC_TITLE", "title"),
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
# Derived from one field each, placed right after it: the area type's name, whether the industry is
# ownership-specific (see OWNERSHIP_INDUSTRIES).
DERIVED_AFTER = {"area_type": "area_type_name", "own_code": "ownership_specific"}
COLUMNS = (["wage_year"] + [c for n in FIELDS if n not in FLAGS for c in (n, DERIVED_AFTER.get(n)) if c]
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
