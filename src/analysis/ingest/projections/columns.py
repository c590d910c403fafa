"""What an Employment Projections file holds: the columns we read (matched by regex on the header text),
the markers BLS uses, units, and the tidy frames' columns. Data, not code: a new header spelling is one entry here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMAT_WORKBOOK = "ep-workbook"
FORMAT_CSV = "ep-csv"
OCCUPATION_TYPES = ("Summary", "Line item")


# Cells BLS uses for "no data". 'None' is NOT here: in education/experience/training it is a value.
NA_MARKERS = {"", "—", "–", "N/A", "n/a"}


# '>=$239,200' (workbook) or '>=239,200' (CSV): the wage is at or above the OEWS top code.
TOP_CODED_RE = re.compile(r"^(?:>=|≥)\s*\$?\s*([\d,]+(?:\.\d+)?)$")
NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


# The workbook title states its unit, e.g. '(Employment in thousands)' or '(Numbers in thousands)'.
UNIT_RE = re.compile(r"\bin (thousands|millions)\b", re.IGNORECASE)
UNITS = {"thousands": 1_000, "millions": 1_000_000}


# The data tool's CSV states no unit; its numbers are the same thousands the tool shows on screen.
# A plausibility check on the total (below) catches a change of unit.
CSV_UNIT = 1_000
US_EMPLOYMENT_PLAUSIBLE = (50_000_000, 1_000_000_000)  # people; guards against a misread unit


# Published figures carry one decimal of the unit, so each may be off by half of 0.1 unit.
PUBLISHED_DECIMALS = 1


# A projection period in a header or title: '2024–34', '2024-2034' (dashes normalised to '-').
PERIOD_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*-\s*(\d{4}|\d{2})(?!\d)")


@dataclass(frozen=True)
class Column:
    key: str  # our name for it
    meaning: str  # what it holds, for error messages when it is missing
    pattern: str  # regex on the normalised header (lower case, dashes as '-', footnotes removed)
    example: str  # a header as BLS writes it, for error messages
    kind: str  # how cells are parsed: title, code, type, count, percent, percent_na, wage, category


WORKBOOK_COMMON = (
    Column("title", "occupation title", r"national employment matrix title$",
           "<BASE> National Employment Matrix title", "title"),
    Column("soc_code", "occupation (SOC) code", r"national employment matrix code$",
           "<BASE> National Employment Matrix code", "code"),
    Column("occupation_type", "occupation type (Summary/Line item)", r"^occupation type$",
           "Occupation type", "type"),
    Column("employment_base", "employment in the base year <BASE>", r"^employment, <BASE>$",
           "Employment, <BASE>", "count"),
    Column("employment_projected", "employment in the projected year <PROJ>", r"^employment, <PROJ>$",
           "Employment, <PROJ>", "count"),
    Column("employment_change", "numeric employment change <RANGE_TEXT>",
           r"^employment change, numeric, <RANGE>$", "Employment change, numeric, <RANGE_TEXT>", "count"),
    Column("change_percent", "percent employment change <RANGE_TEXT>",
           r"^employment change, percent, <RANGE>$", "Employment change, percent, <RANGE_TEXT>", "percent"),
    Column("openings", "annual average occupational openings <RANGE_TEXT>",
           r"^occupational openings, <RANGE> annual average$",
           "Occupational openings, <RANGE_TEXT> annual average", "count"),
)
TABLE_1_2 = WORKBOOK_COMMON + (
    Column("self_employed_percent", "percent self employed in <BASE>", r"^percent self employed, <BASE>$",
           "Percent self employed, <BASE>", "percent_na"),
    Column("median_wage", "median annual wage (dollars)", r"^median annual wage, dollars, (\d{4})$",
           "Median annual wage, dollars, <BASE>[1]", "wage"),
    Column("education", "typical education needed for entry", r"^typical education needed for entry$",
           "Typical education needed for entry", "category"),
    Column("experience", "work experience in a related occupation",
           r"^work experience in a related occupation$", "Work experience in a related occupation",
           "category"),
    Column("training", "typical on-the-job training", r"^typical on-the-job training\b",
           "Typical on-the-job training needed to attain competency in the occupation", "category"),
)
TABLE_1_10 = WORKBOOK_COMMON + (
    Column("exit_rate", "labor force exit rate", r"^labor force exit rate, <RANGE> annual average$",
           "Labor force exit rate, <RANGE_TEXT> annual average", "percent"),
    Column("transfer_rate", "occupational transfer rate",
           r"^occupational transfer rate, <RANGE> annual average$",
           "Occupational transfer rate, <RANGE_TEXT> annual average", "percent"),
    Column("separations_rate", "total occupational separations rate",
           r"^total occupational separations rate, <RANGE> annual average$",
           "Total occupational separations rate, <RANGE_TEXT> annual average", "percent"),
    Column("exits", "labor force exits", r"^labor force exits, <RANGE> annual average$",
           "Labor force exits, <RANGE_TEXT> annual average", "count"),
    Column("transfers", "occupational transfers", r"^occupational transfers, <RANGE> annual average$",
           "Occupational transfers, <RANGE_TEXT> annual average", "count"),
    Column("separations", "total occupational separations",
           r"^total occupational separations, <RANGE> annual average$",
           "Total occupational separations, <RANGE_TEXT> annual average", "count"),
)
CSV_COLUMNS = (
    Column("title", "occupation title", r"^occupation title$", "Occupation Title", "title"),
    Column("soc_code", "occupation (SOC) code", r"^occupation code$", "Occupation Code", "code"),
    Column("employment_base", "employment in the base year <BASE>", r"^employment <BASE>$",
           "Employment <BASE>", "count"),
    Column("employment_projected", "employment in the projected year <PROJ>", r"^employment <PROJ>$",
           "Employment <PROJ>", "count"),
    Column("employment_change", "numeric employment change <RANGE_TEXT>", r"^employment change, <RANGE>$",
           "Employment Change, <RANGE_TEXT>", "count"),
    Column("change_percent", "percent employment change <RANGE_TEXT>",
           r"^employment percent change, <RANGE>$", "Employment Percent Change, <RANGE_TEXT>", "percent"),
    Column("openings", "annual average occupational openings <RANGE_TEXT>",
           r"^occupational openings, <RANGE> annual average$",
           "Occupational Openings, <RANGE_TEXT> Annual Average", "count"),
    Column("median_wage", "median annual wage", r"^median annual wage (\d{4})$", "Median Annual Wage <BASE>",
           "wage"),
    Column("education", "typical entry-level education", r"^typical entry-level education$",
           "Typical Entry-Level Education", "category"),
    Column("experience", "work experience in a related occupation",
           r"^work experience in a related occupation$", "Work Experience in a Related Occupation",
           "category"),
    Column("training", "typical on-the-job training", r"^typical on-the-job training$",
           "Typical on-the-job Training", "category"),
)


# How each sheet is recognised (sheet name, lenient about spacing) and which header marks its table.
SHEETS = {
    "1.2": re.compile(r"\btable\s*1\s*\.\s*2(?!\d)", re.IGNORECASE),
    "1.10": re.compile(r"\btable\s*1\s*\.\s*10(?!\d)", re.IGNORECASE),
}
WORKBOOK_HEADER_MARK = re.compile(r"national employment matrix code$")
CSV_HEADER_MARK = re.compile(r"^occupation code$")
HEADER_SEARCH_ROWS = 15  # the header sits right under a one-row title; allow some slack
PROJECTION_COLUMNS = [
    "vintage", "base_year", "projected_year", "soc_code", "title", "occupation_type", "hierarchy_depth",
    "example_titles", "employment_base_people", "employment_projected_people", "employment_change_people",
    "change_percent", "self_employed_percent", "openings_per_year", "median_wage_usd",
    "median_wage_top_coded", "wage_year", "education", "experience", "training", "is_computed",
]
SEPARATION_COLUMNS = [
    "vintage", "soc_code", "labor_force_exit_rate_percent", "occupational_transfer_rate_percent",
    "separations_rate_percent", "labor_force_exits_per_year", "occupational_transfers_per_year",
    "separations_per_year", "openings_per_year", "growth_openings_per_year",
]


# Which registry column each numeric frame column comes from (for messages naming the file's header).
FRAME_FROM_KEY = {
    "employment_base_people": "employment_base", "employment_projected_people": "employment_projected",
    "employment_change_people": "employment_change", "change_percent": "change_percent",
    "openings_per_year": "openings",
}
INT_COLUMNS = ["employment_base_people", "employment_projected_people", "employment_change_people",
               "openings_per_year", "labor_force_exits_per_year", "occupational_transfers_per_year",
               "separations_per_year", "growth_openings_per_year"]
