"""BLS's ``occupation.xlsx`` workbook (sheets "Table 1.2" and "Table 1.10") -> an EPRelease.

In: the workbook's path. Out: the validated projections and separations frames; the years, vintage and unit
come from each sheet's own title and headers.
"""

from __future__ import annotations

import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.projections.cells import (
    Period,
    blank,
    cell_text,
    find_period,
    indent_of,
    match_columns,
    norm,
    pad,
    parse_cell,
)
from analysis.ingest.projections.columns import (
    FORMAT_WORKBOOK,
    HEADER_SEARCH_ROWS,
    SEPARATION_COLUMNS,
    SHEETS,
    TABLE_1_2,
    TABLE_1_10,
    UNIT_RE,
    UNITS,
    WORKBOOK_HEADER_MARK,
)
from analysis.ingest.projections.frames import (
    EPRelease,
    cast,
    check_codes,
    half_step,
    projection_frame,
    source_headers,
    validate_projections,
)
from analysis.ingest.sniff import zip_problem
from analysis.soc import SOC_RE


def open_workbook(path: Path):
    """The workbook opened read-only; DataError if it is no readable .xlsx or would unpack too far."""
    import openpyxl  # noqa: PLC0415 -- lazy, for start-up speed: detect() on a CSV does not pay for it

    problem = zip_problem(path)  # a zip bomb is refused before openpyxl unpacks any of it
    if problem:
        raise DataError(path, problem)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:
        raise DataError(path, f"is not a readable .xlsx workbook (truncated or corrupt zip: {exc})") from None
    except Exception as exc:  # openpyxl raises many types (KeyError, InvalidFileException, ...)
        raise DataError(path, f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None


def find_sheet(path: Path, wb, table: str) -> str:
    matches = [name for name in wb.sheetnames if SHEETS[table].search(name)]
    if not matches:
        hint = "; not a BLS Employment Projections occupation workbook" if table == "1.2" else ""
        raise DataError(path, f"no sheet named 'Table {table}' (sheets: {', '.join(wb.sheetnames)}){hint}")
    if len(matches) > 1:
        raise DataError(path, f"several sheets look like 'Table {table}': {', '.join(matches)}")
    return matches[0]


def sheet_rows(path: Path, ws, sheet: str, limit: int | None = None) -> list[tuple]:
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


def locate_header(path: Path, sheet: str, rows) -> tuple[int, str, list]:
    """Index of the header row in ``rows``, the title text above it, and the header cells."""
    for idx, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(WORKBOOK_HEADER_MARK.search(norm(v)) for v in values):
            title = " ".join(str(v) for _, vals in rows[:idx] for v in vals if v not in (None, ""))
            return idx, title, list(values)
    raise DataError(path, f"no header row with a 'National Employment Matrix code' column in the first "
                    f"{HEADER_SEARCH_ROWS} rows", sheet)


def read_workbook(path: Path) -> EPRelease:
    wb = open_workbook(path)
    try:
        t12 = read_table(path, wb, "1.2", TABLE_1_2)
        projections = workbook_projections(path, t12)
        t110 = read_table(path, wb, "1.10", TABLE_1_10)  # only once Table 1.2 has passed its checks
    finally:
        wb.close()
    period, unit = t12["period"], t12["unit"]
    if t110["period"] != period:
        raise DataError(path, f"Table 1.10 is for {t110['period'].vintage} but Table 1.2 for "
                        f"{period.vintage}", t110["sheet"])
    separations = separations_frame(path, t110, t12, period, unit)
    return EPRelease(period.vintage, period.base, period.projected, t12["wage_year"], FORMAT_WORKBOOK,
                     projections, separations)


def workbook_projections(path: Path, t12: dict) -> pd.DataFrame:
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
    projections = projection_frame(records, t12["period"])
    validate_projections(path, t12["sheet"], t12["rownums"], projections, t12["unit"],
                          source_headers(t12["headers"], t12["cols"]))
    return projections


def read_table(path: Path, wb, table: str, registry) -> dict:
    """Rows of one sheet's first data block, parsed by ``registry``, with the period, unit and row numbers."""
    sheet = find_sheet(path, wb, table)
    rows = sheet_rows(path, wb[sheet], sheet)
    hidx, title, headers = locate_header(path, sheet, rows)
    period = find_period(path, sheet, headers, title)
    unit_match = UNIT_RE.search(title)
    if not unit_match:
        raise DataError(path, f"title does not state the unit (e.g. '(Employment in thousands)'): {title!r}",
                        f"{sheet}, row {rows[0][0]}")
    unit = UNITS[unit_match.group(1).lower()]
    cols, wage_year = match_columns(path, sheet, headers, registry, period)

    code_i, title_i = cols["soc_code"], cols["title"]
    block = []
    idx = hidx + 1
    while idx < len(rows) and blank(rows[idx][1]):  # tolerate blank rows between header and data
        idx += 1
    for rownum, values in rows[idx:]:
        values = pad(values, len(headers))
        if cell_text(values[code_i]) == "":
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
        check_after_block(path, sheet, rows, end, code_i, {cell_text(v[code_i]) for _, v in block})

    indents = [indent_of(v[title_i]) for _, v in block]
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
            rec[col.key] = parse_cell(path, values[i], col, unit, where)
        records.append(rec)
        rownums.append(rownum)
    return {"sheet": sheet, "period": period, "unit": unit, "wage_year": wage_year, "records": records,
            "rownums": rownums, "headers": headers, "cols": cols}


def check_after_block(path: Path, sheet: str, rows, end: int, code_i: int, seen: set) -> None:
    """Below the notes some files repeat the table: allowed. Any *new* coded row there is a gap: refused."""
    for rownum, values in rows:
        if rownum <= end or code_i >= len(values):
            continue
        code = cell_text(values[code_i])
        if SOC_RE.match(code) and code not in seen:
            raise DataError(path, f"SOC code {code} appears below the end of the table (row {end}); "
                            "is there a gap in the table?", f"{sheet}, row {rownum}")


def separations_frame(path: Path, t110: dict, t12: dict, period: Period, unit: int) -> pd.DataFrame:
    sheet = t110["sheet"]
    half = half_step(unit)
    codes_12 = [r["soc_code"] for r in t12["records"]]
    codes_110 = [r["soc_code"] for r in t110["records"]]
    check_codes(path, sheet, t110["rownums"], t110["records"])
    if set(codes_12) != set(codes_110):
        only = sorted(set(codes_12) ^ set(codes_110))[:5]
        raise DataError(path, f"Table 1.10 and Table 1.2 list different occupations (e.g. {', '.join(only)})",
                        sheet)
    openings_12 = {r["soc_code"]: r["openings"] for r in t12["records"]}
    change_12 = {r["soc_code"]: r["employment_change"] for r in t12["records"]}
    years = period.projected - period.base

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
            # BLS defines the growth part of openings as the annual average change in employment (table 1.2's
            # ten-year change over the years of the period), negative when jobs shrink. Not openings minus exits
            # and transfers: those are rounded separately, and the difference of rounded figures took the wrong
            # sign in 15 occupation-releases. So the three parts may not add exactly to the published total.
            "growth_openings_per_year": int((Decimal(change_12[rec["soc_code"]]) / years)
                                            .quantize(Decimal(1), rounding=ROUND_HALF_UP)),
        })
    frame = pd.DataFrame(out, columns=SEPARATION_COLUMNS)
    return cast(frame)
