"""BLS Employment Projections (EP) releases, as published, read into tidy DataFrames.

Two layouts are understood: the ``occupation.xlsx`` workbook (sheets "Table 1.2" and "Table 1.10")
and the CSV export of the BLS data tool (data.bls.gov/projections/occupationProj). In: a raw file
path. Out: an :class:`EPRelease` holding a ``projections`` table (one row per SOC code, employment in
people) and, for the workbook, a ``separations`` table. Years, vintage and units are read from the
file's own title and headers, so a new release parses without code changes. Nothing is written.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from .errors import DataError

FORMAT_WORKBOOK = "ep-workbook"
FORMAT_CSV = "ep-csv"

TOTAL_CODE = "00-0000"
TOTAL_TITLE = "Total, all occupations"
OCCUPATION_TYPES = ("Summary", "Line item")
SOC_RE = re.compile(r"^\d{2}-\d{4}$")

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


# --------------------------------------------------------------------------------------------------
# Column registries: one row per column we need, matched by regex on the normalised header text.
# Placeholders <BASE>, <PROJ> and <RANGE> are filled with the years found in the headers themselves.
# --------------------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class EPRelease:
    vintage: str  # "2024-34"
    base_year: int  # 2024
    projected_year: int  # 2034
    wage_year: int  # year of the median wage column, from its header
    format: str  # "ep-workbook" | "ep-csv"
    projections: pd.DataFrame
    separations: pd.DataFrame | None  # None for the CSV (it has no table 1.10)


@dataclass(frozen=True)
class _Period:
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


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------


def detect(path) -> dict | None:
    """``{"format": ..., "vintage": "2024-34"}`` if ``path`` is an EP release we can read, else None.

    Reads only the title and header rows (one sheet of a workbook, one line of a CSV).
    """
    try:
        return _detect(Path(path))
    except DataError:
        return None


def read_release(path) -> EPRelease:
    """Parse and validate the EP release at ``path`` (workbook or data-tool CSV) into an EPRelease.

    Raises DataError naming the file, and the sheet/row/column at fault, if it is not a readable EP
    release or fails a check.
    """
    path = Path(path)
    if _sniff(path) == "zip":
        return _read_workbook(path)
    return _read_csv(path)


# --------------------------------------------------------------------------------------------------
# Sniffing and detection
# --------------------------------------------------------------------------------------------------


def _sniff(path: Path) -> str:
    """'zip' (an xlsx candidate), 'gzip' or 'text'; DataError if the file can be neither."""
    if not path.exists():
        raise DataError(path, "file does not exist")
    if not path.is_file():
        raise DataError(path, "is not a regular file")
    with open(path, "rb") as f:
        head = f.read(512)
    if not head:
        raise DataError(path, "file is empty (0 bytes): not an EP workbook or CSV")
    if head.startswith(b"PK"):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
        raise DataError(path, "is an HTML/XML page, not an .xlsx workbook or CSV (a saved error page?)")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise DataError(path, "is not a readable .xlsx workbook (no zip signature)")
    if b"\x00" in head:
        raise DataError(path, "is a binary file, not a CSV")
    return "text"


def _detect(path: Path) -> dict:
    if _sniff(path) == "zip":
        wb = _open_workbook(path)
        try:
            sheet = _find_sheet(path, wb, "1.2")
            rows = _sheet_rows(path, wb[sheet], sheet, limit=HEADER_SEARCH_ROWS)
            _, title, headers = _locate_header(path, sheet, rows)
            period = _period(path, sheet, headers, title)
        finally:
            wb.close()
        return {"format": FORMAT_WORKBOOK, "vintage": period.vintage}
    first = next(_csv_rows(path), None)
    headers = first[1] if first else []
    if not any(CSV_HEADER_MARK.search(_norm(h)) for h in headers):
        raise DataError(path, "not a BLS Employment Projections CSV (no 'Occupation Code' column)", "line 1")
    period = _period(path, "line 1", headers, "")
    return {"format": FORMAT_CSV, "vintage": period.vintage}


def _norm(header) -> str:
    """Header text for matching: footnote markers dropped, dashes as '-', spaces collapsed, lower case."""
    text = "" if header is None else str(header)
    text = re.sub(r"\[\d+\]", "", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _period(path: Path, where: str, headers, title: str) -> _Period:
    """The projection period named by the headers (all must agree), checked against the title."""
    found = set()
    for h in headers:
        for m in PERIOD_RE.finditer(_norm(h)):
            found.add(_full_period(m))
    if not found:
        raise DataError(path, "no projection period like '2024-34' in any column header; "
                        "not a BLS Employment Projections table", where)
    if len(found) > 1:
        names = ", ".join(sorted(p.vintage for p in found))
        raise DataError(path, f"column headers name different projection periods ({names})", where)
    period = found.pop()
    for m in PERIOD_RE.finditer(_norm(title)):
        if _full_period(m) != period:
            raise DataError(path, f"title says {_full_period(m).vintage} but the headers say "
                            f"{period.vintage}", where)
    return period


def _full_period(m: re.Match) -> _Period:
    base, end = int(m.group(1)), m.group(2)
    if len(end) == 2:  # '2024-34': the projected year is in the base year's century, or the next
        projected = base // 100 * 100 + int(end)
        projected += 100 if projected <= base else 0
    else:
        projected = int(end)
    return _Period(base, projected)


# --------------------------------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------------------------------


def _open_workbook(path: Path):
    import openpyxl  # imported here: detect() on a CSV should not pay for it

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:
        raise DataError(path, f"is not a readable .xlsx workbook (truncated or corrupt zip: {exc})") from None
    except Exception as exc:  # openpyxl raises many types (KeyError, InvalidFileException, ...)
        raise DataError(path, f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None


def _find_sheet(path: Path, wb, table: str) -> str:
    matches = [name for name in wb.sheetnames if SHEETS[table].search(name)]
    if not matches:
        hint = "; not a BLS Employment Projections occupation workbook" if table == "1.2" else ""
        raise DataError(path, f"no sheet named 'Table {table}' (sheets: {', '.join(wb.sheetnames)}){hint}")
    if len(matches) > 1:
        raise DataError(path, f"several sheets look like 'Table {table}': {', '.join(matches)}")
    return matches[0]


def _sheet_rows(path: Path, ws, sheet: str, limit: int | None = None) -> list[tuple]:
    """(Excel row number, values) for every row; a corrupt sheet becomes a DataError."""
    # The stored dimension can be wrong in files written by other tools; ignore it and read all rows.
    ws.reset_dimensions()
    out = []
    try:
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            out.append((i, values))
            if limit and i >= limit:
                break
    except Exception as exc:  # truncated XML inside an intact zip, bad cell values, ...
        raise DataError(path, f"sheet cannot be read ({type(exc).__name__}: {exc})", sheet) from None
    return out


def _locate_header(path: Path, sheet: str, rows) -> tuple[int, str, list]:
    """Index of the header row in ``rows``, the title text above it, and the header cells."""
    for idx, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(WORKBOOK_HEADER_MARK.search(_norm(v)) for v in values):
            title = " ".join(str(v) for _, vals in rows[:idx] for v in vals if v not in (None, ""))
            return idx, title, list(values)
    raise DataError(path, f"no header row with a 'National Employment Matrix code' column in the first "
                    f"{HEADER_SEARCH_ROWS} rows", sheet)


def _read_workbook(path: Path) -> EPRelease:
    wb = _open_workbook(path)
    try:
        t12 = _read_table(path, wb, "1.2", TABLE_1_2)
        projections = _workbook_projections(path, t12)
        t110 = _read_table(path, wb, "1.10", TABLE_1_10)  # only once Table 1.2 has passed its checks
    finally:
        wb.close()
    period, unit = t12["period"], t12["unit"]
    if t110["period"] != period:
        raise DataError(path, f"Table 1.10 is for {t110['period'].vintage} but Table 1.2 for "
                        f"{period.vintage}", t110["sheet"])
    separations = _separations_frame(path, t110, t12, period, unit)
    return EPRelease(period.vintage, period.base, period.projected, t12["wage_year"], FORMAT_WORKBOOK,
                     projections, separations)


def _workbook_projections(path: Path, t12: dict) -> pd.DataFrame:
    """Table 1.2's parsed rows as the validated ``projections`` frame."""
    wage_year = t12["wage_year"]
    records = []
    for rec in t12["records"]:
        records.append({
            "soc_code": rec["soc_code"], "title": rec["title"], "occupation_type": rec["occupation_type"],
            "hierarchy_depth": rec["hierarchy_depth"], "example_titles": "",
            "employment_base_people": rec["employment_base"],
            "employment_projected_people": rec["employment_projected"],
            "employment_change_people": rec["employment_change"],
            "change_percent": rec["change_percent"], "self_employed_percent": rec["self_employed_percent"],
            "openings_per_year": rec["openings"], "median_wage_usd": rec["median_wage"][0],
            "median_wage_top_coded": rec["median_wage"][1], "wage_year": wage_year,
            "education": rec["education"], "experience": rec["experience"], "training": rec["training"],
            "is_computed": False,
        })
    projections = _projection_frame(records, t12["period"])
    _validate_projections(path, t12["sheet"], t12["rownums"], projections, t12["unit"],
                          _source_headers(t12["headers"], t12["cols"]))
    return projections


def _read_table(path: Path, wb, table: str, registry) -> dict:
    """Rows of one sheet's first data block, parsed by ``registry``, with the period, unit and row numbers."""
    sheet = _find_sheet(path, wb, table)
    rows = _sheet_rows(path, wb[sheet], sheet)
    hidx, title, headers = _locate_header(path, sheet, rows)
    period = _period(path, sheet, headers, title)
    unit_match = UNIT_RE.search(title)
    if not unit_match:
        raise DataError(path, f"title does not state the unit (e.g. '(Employment in thousands)'): {title!r}",
                        f"{sheet}, row {rows[0][0]}")
    unit = UNITS[unit_match.group(1).lower()]
    cols, wage_year = _match_columns(path, sheet, headers, registry, period)

    code_i, title_i = cols["soc_code"], cols["title"]
    block = []
    idx = hidx + 1
    while idx < len(rows) and _blank(rows[idx][1]):  # tolerate blank rows between header and data
        idx += 1
    for rownum, values in rows[idx:]:
        values = _pad(values, len(headers))
        if _cell_text(values[code_i]) == "":
            # The block ends at the first uncoded row (notes, footnotes, source). A row that still
            # carries numbers is an occupation that lost its code, not a note: refuse it.
            numeric = [i for k, i in cols.items()
                       if k not in ("title", "soc_code") and values[i] not in (None, "")]
            if numeric:
                raise DataError(path, "row has data but no SOC code",
                                f"{sheet}, row {rownum}, column {headers[code_i]!r}")
            end = rownum
            break
        block.append((rownum, values))
    else:
        end = None
    if not block:
        raise DataError(path, "no data rows under the header", sheet)
    if end is not None:
        _check_after_block(path, sheet, rows, end, code_i, {_cell_text(v[code_i]) for _, v in block})

    indents = [_indent(v[title_i]) for _, v in block]
    step = min((n for n in indents if n > 0), default=1)
    records, rownums = [], []
    for (rownum, values), indent in zip(block, indents, strict=True):
        if indent % step:
            raise DataError(path, f"title indented by {indent} spaces, not a multiple of {step}",
                            f"{sheet}, row {rownum}, column {headers[title_i]!r}")
        rec = {"hierarchy_depth": indent // step}
        for col in registry:
            i = cols[col.key]
            where = f"{sheet}, row {rownum}, column {headers[i]!r}"
            rec[col.key] = _parse_cell(path, values[i], col, unit, where)
        records.append(rec)
        rownums.append(rownum)
    return {"sheet": sheet, "period": period, "unit": unit, "wage_year": wage_year, "records": records,
            "rownums": rownums, "headers": headers, "cols": cols}


def _check_after_block(path: Path, sheet: str, rows, end: int, code_i: int, seen: set) -> None:
    """Below the notes some files repeat the table: allowed. Any *new* coded row there is a gap: refused."""
    for rownum, values in rows:
        if rownum <= end or code_i >= len(values):
            continue
        code = _cell_text(values[code_i])
        if SOC_RE.match(code) and code not in seen:
            raise DataError(path, f"SOC code {code} appears below the end of the table (row {end}); "
                            "is there a gap in the table?", f"{sheet}, row {rownum}")


def _separations_frame(path: Path, t110: dict, t12: dict, period: _Period, unit: int) -> pd.DataFrame:
    sheet = t110["sheet"]
    half = _half_step(unit)
    codes_12 = [r["soc_code"] for r in t12["records"]]
    codes_110 = [r["soc_code"] for r in t110["records"]]
    _check_codes(path, sheet, t110["rownums"], t110["records"])
    if set(codes_12) != set(codes_110):
        only = sorted(set(codes_12) ^ set(codes_110))[:5]
        raise DataError(path, f"Table 1.10 and Table 1.2 list different occupations (e.g. {', '.join(only)})",
                        sheet)
    openings_12 = {r["soc_code"]: r["openings"] for r in t12["records"]}

    def header(key: str) -> str:
        return str(t110["headers"][t110["cols"][key]])

    out = []
    for rownum, rec in zip(t110["rownums"], t110["records"], strict=True):
        where = f"{sheet}, row {rownum}, column "
        if abs(rec["exits"] + rec["transfers"] - rec["separations"]) > 3 * half:
            raise DataError(path, f"labor force exits + occupational transfers ({rec['exits']} + "
                            f"{rec['transfers']}) do not add up to separations ({rec['separations']})",
                            where + repr(header("separations")))
        if abs(rec["openings"] - openings_12[rec["soc_code"]]) > half:
            raise DataError(path, f"openings {rec['openings']} differ from Table 1.2's "
                            f"{openings_12[rec['soc_code']]}", where + repr(header("openings")))
        for key in ("exits", "transfers", "separations", "openings"):
            if rec[key] < 0:
                raise DataError(path, f"negative {key} ({rec[key]} people)", where + repr(header(key)))
        out.append({
            "vintage": period.vintage, "soc_code": rec["soc_code"],
            "labor_force_exit_rate_percent": rec["exit_rate"],
            "occupational_transfer_rate_percent": rec["transfer_rate"],
            "separations_rate_percent": rec["separations_rate"],
            "labor_force_exits_per_year": rec["exits"], "occupational_transfers_per_year": rec["transfers"],
            "separations_per_year": rec["separations"], "openings_per_year": rec["openings"],
            # What is left of openings after replacing exits and transfers is growth (negative when jobs
            # shrink); taken from the two published parts, not their rounded total, so the three parts
            # a chart stacks add up to the published openings exactly.
            "growth_openings_per_year": rec["openings"] - rec["exits"] - rec["transfers"],
        })
    frame = pd.DataFrame(out, columns=SEPARATION_COLUMNS)
    return _cast(frame)


# --------------------------------------------------------------------------------------------------
# CSV (BLS data tool export)
# --------------------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of a UTF-8 CSV, plain or gzip-compressed; DataError if it is not one."""
    opener = gzip.open if _sniff(path) == "gzip" else open
    try:
        with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
            reader = csv.reader(text)
            for fields in reader:
                yield reader.line_num, fields
    except UnicodeDecodeError as exc:
        raise DataError(path, f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except (csv.Error, OSError, EOFError) as exc:
        raise DataError(path, f"is not a readable CSV ({type(exc).__name__}: {exc})") from None


def _read_csv(path: Path) -> EPRelease:
    rows = _csv_rows(path)
    try:
        _, headers = next(rows)
    except StopIteration:
        raise DataError(path, "file has no header line") from None
    if not any(CSV_HEADER_MARK.search(_norm(h)) for h in headers):
        raise DataError(path, "not a BLS Employment Projections CSV (no 'Occupation Code' column)", "line 1")
    period = _period(path, "line 1", headers, "")
    cols, wage_year = _match_columns(path, "line 1", headers, CSV_COLUMNS, period)
    records, rownums = [], []
    for line, fields in rows:
        if not any(f.strip() for f in fields):
            continue  # blank line (e.g. a trailing newline)
        if len(fields) != len(headers):
            raise DataError(path, f"has {len(fields)} fields, the header has {len(headers)}", f"line {line}")
        rec = {"occupation_type": "Line item"}  # the tool lists detailed occupations only
        for col in CSV_COLUMNS:
            i = cols[col.key]
            rec[col.key] = _parse_cell(path, fields[i], col, CSV_UNIT, f"line {line}, column {headers[i]!r}")
        rec["title"], rec["example_titles"] = _split_examples(rec["title"])
        records.append(rec)
        rownums.append(line)
    if not records:
        raise DataError(path, "no data rows under the header")

    out = [_csv_record(rec, wage_year) for rec in records]
    total = _computed_total(out, wage_year)
    projections = _projection_frame([total, *out], period)
    # The computed total is row 0; data rows keep their CSV line numbers for messages.
    _validate_projections(path, "", [None, *rownums], projections, CSV_UNIT, _source_headers(headers, cols))
    return EPRelease(period.vintage, period.base, period.projected, wage_year, FORMAT_CSV, projections, None)


def _csv_record(rec: dict, wage_year: int) -> dict:
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


def _split_examples(text: str) -> tuple[str, str]:
    """'Actors    * Actor Understudy* Actress' -> ('Actors', 'Actor Understudy; Actress')."""
    title, _, rest = text.partition("*")
    examples = [e.strip() for e in rest.split("*") if e.strip()]
    return title.strip(), "; ".join(examples)


def _computed_total(records: list[dict], wage_year: int) -> dict:
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


# --------------------------------------------------------------------------------------------------
# Shared: header matching, cell parsing, frames, validation
# --------------------------------------------------------------------------------------------------


def _match_columns(path: Path, where: str, headers, registry, period: _Period) -> tuple[dict, int]:
    """Column index of every registry entry, and the wage year captured from the wage header."""
    normed = [_norm(h) for h in headers]
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


def _parse_cell(path: Path, value, col: Column, unit: int, where: str):
    kind = col.kind
    if kind == "title":
        # Keep the leading spaces of workbook titles out; '¿' is how the data tool mangles '®'.
        return _cell_text(value, strip=True).replace("¿", "®")
    if kind == "code":
        code = _cell_text(value)
        # The data tool writes codes as ="29-2072" so spreadsheets keep them as text.
        code = re.sub(r'^="?(.*?)"?$', r"\1", code).strip()
        if not SOC_RE.match(code):
            raise DataError(path, f"SOC code {code!r} is not of the form NN-NNNN", where)
        return code
    if kind == "type":
        text = _cell_text(value)
        if text not in OCCUPATION_TYPES:
            allowed = ", ".join(OCCUPATION_TYPES)
            raise DataError(path, f"occupation type {text!r} is not one of {allowed}", where)
        return text
    if kind == "category":
        text = _cell_text(value)
        return None if text in NA_MARKERS else text
    if kind == "wage":
        text = _cell_text(value)
        if text in NA_MARKERS:
            return (float("nan"), False)
        top = TOP_CODED_RE.match(text)
        if top:  # the true median is at or above this bound: keep the bound, flag it
            return (float(_decimal(path, top.group(1), where)), True)
        return (float(_decimal(path, value, where)), False)
    if kind == "percent_na" and _cell_text(value) in NA_MARKERS:
        return float("nan")
    number = _decimal(path, value, where)
    if kind in ("percent", "percent_na"):
        return float(number)
    if kind == "count":
        return int((number * unit).to_integral_value())  # Decimal: no float fuzz in 194.8 * 1000
    raise AssertionError(f"unknown column kind {kind}")


def _decimal(path: Path, value, where: str) -> Decimal:
    if isinstance(value, bool):
        raise DataError(path, f"value {value!r} is not a number", where)
    if isinstance(value, int | float):
        if value != value:  # NaN
            raise DataError(path, "value is missing (NaN)", where)
        return Decimal(str(value))  # str() gives the shortest repr: 169956.1, not 169956.09999...
    text = _cell_text(value).replace(",", "").replace("$", "")
    if text in NA_MARKERS:
        raise DataError(path, f"value is missing ({_cell_text(value)!r}) where a number is required", where)
    if not NUMBER_RE.match(text):
        raise DataError(path, f"value {_cell_text(value)!r} is not a number", where)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise DataError(path, f"value {_cell_text(value)!r} is not a number", where) from None


def _cell_text(value, strip: bool = True) -> str:
    if value is None:
        return ""
    text = str(value)
    return text.strip() if strip else text


def _indent(value) -> int:
    text = _cell_text(value, strip=False)
    return len(text) - len(text.lstrip(" \u00a0"))


def _blank(values) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)


def _pad(values: tuple, n: int) -> tuple:
    return values + (None,) * (n - len(values)) if len(values) < n else values


def _projection_frame(records: list[dict], period: _Period) -> pd.DataFrame:
    frame = pd.DataFrame(records)
    frame.insert(0, "projected_year", period.projected)
    frame.insert(0, "base_year", period.base)
    frame.insert(0, "vintage", period.vintage)
    frame = frame[PROJECTION_COLUMNS]
    frame["hierarchy_depth"] = frame["hierarchy_depth"].astype("Int64")
    for c in ("change_percent", "self_employed_percent", "median_wage_usd"):
        frame[c] = frame[c].astype(float)
    for c in ("median_wage_top_coded", "is_computed"):
        frame[c] = frame[c].astype(bool)
    for c in ("base_year", "projected_year", "wage_year"):
        frame[c] = frame[c].astype("int64")
    for c in ("education", "experience", "training"):
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return _cast(frame)


def _cast(frame: pd.DataFrame) -> pd.DataFrame:
    for c in INT_COLUMNS:
        if c in frame:
            frame[c] = frame[c].astype("Int64")
    return frame.reset_index(drop=True)


def _half_step(unit: int) -> int:
    """Largest rounding error of one published figure, in people (0.05 thousand = 50)."""
    return unit // (2 * 10**PUBLISHED_DECIMALS)


def _check_codes(path: Path, sheet: str, rownums: list, records: list[dict]) -> None:
    seen = {}
    for rownum, rec in zip(rownums, records, strict=True):
        code = rec["soc_code"]
        if code in seen:
            raise DataError(path, f"SOC code {code} appears twice (first at {_row_name(sheet, seen[code])})",
                            _row_name(sheet, rownum))
        seen[code] = rownum


def _row_name(sheet: str, rownum) -> str:
    if rownum is None:
        return "computed total row"
    return f"{sheet}, row {rownum}" if sheet else f"line {rownum}"


def _source_headers(headers: list, cols: dict) -> dict[str, str]:
    """Frame column -> the header it came from, so messages name the column as the file does."""
    return {frame_col: str(headers[cols[key]]) for frame_col, key in FRAME_FROM_KEY.items() if key in cols}


def _validate_projections(path: Path, sheet: str, rownums: list, df: pd.DataFrame, unit: int,
                          sources: dict[str, str]) -> None:
    """Row checks (codes, signs, change arithmetic) and the Line-item-sum-vs-total check."""
    half = _half_step(unit)
    records = df.to_dict("records")
    _check_codes(path, sheet, rownums, records)
    for rownum, rec in zip(rownums, records, strict=True):
        where = _row_name(sheet, rownum)
        for key in ("employment_base_people", "employment_projected_people", "openings_per_year"):
            if rec[key] < 0:
                raise DataError(path, f"negative {key} ({rec[key]})", f"{where}, column {sources[key]!r}")
        base, projected, change = (rec["employment_base_people"], rec["employment_projected_people"],
                                   rec["employment_change_people"])
        # Each of the three is rounded on its own, so they may disagree by up to three half-steps.
        if abs(projected - base - change) > 3 * half:
            raise DataError(path, f"employment change {change} is not projected - base "
                            f"({projected} - {base}) within rounding",
                            f"{where}, column {sources['employment_change_people']!r}")
        bounds = _percent_bounds(base, change, half)
        pct = rec["change_percent"]
        slack = 0.5 * 10**-PUBLISHED_DECIMALS + 1e-9
        if bounds and not (bounds[0] - slack <= pct <= bounds[1] + slack):
            raise DataError(path, f"change_percent {pct} is inconsistent with employment {base} -> "
                            f"{projected} (unrounded values allow {bounds[0]:.2f} to {bounds[1]:.2f})",
                            f"{where}, column {sources['change_percent']!r}")
    _check_total(path, sheet, df, half, sources)
    base_total = df.loc[df["soc_code"] == TOTAL_CODE, "employment_base_people"].iloc[0]
    lo, hi = US_EMPLOYMENT_PLAUSIBLE
    if not lo <= base_total <= hi:
        raise DataError(path, f"total employment {base_total:,} people is implausible for the U.S. "
                        "(wrong unit?)", sheet or None)


def _percent_bounds(base: int, change: int, half: int) -> tuple[float, float] | None:
    """Range of change/base*100 over the unrounded values that round to the published ones.

    Needed because BLS computes percents from unrounded employment: 0.2 -> 0.2 thousand is
    published as -17.5%, so a fixed tolerance on the recomputed percent would not do.
    """
    lo_base = base - half
    if lo_base <= 0:
        return None  # a base that may be zero bounds nothing
    ratios = [c / b * 100 for c in (change - half, change + half) for b in (lo_base, base + half)]
    return min(ratios), max(ratios)


def _check_total(path: Path, sheet: str, df: pd.DataFrame, half: int, sources: dict[str, str]) -> None:
    totals = df[df["soc_code"] == TOTAL_CODE]
    if totals.empty:
        raise DataError(path, f"no '{TOTAL_TITLE}' row ({TOTAL_CODE})", sheet or None)
    if totals["is_computed"].iloc[0]:
        return  # a sum of the rows equals the sum of the rows
    items = df[df["occupation_type"] == "Line item"]
    # Every line item is rounded to 0.1 of the unit on its own: the sum may drift by n half-steps.
    tolerance = len(items) * half
    for key in ("employment_base_people", "employment_projected_people", "openings_per_year"):
        total, summed = int(totals[key].iloc[0]), int(items[key].sum())
        if abs(total - summed) > tolerance:
            where = f"{sheet}, " if sheet else ""
            raise DataError(path, f"Line items sum to {summed:,} people but the {TOTAL_CODE} row says "
                            f"{total:,} (tolerance {tolerance:,})", f"{where}column {sources[key]!r}")
