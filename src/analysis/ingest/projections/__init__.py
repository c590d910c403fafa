"""BLS Employment Projections (EP) releases, as published, read into tidy DataFrames.

Two layouts are understood: the ``occupation.xlsx`` workbook (sheets "Table 1.2" and "Table 1.10")
and the CSV export of the BLS data tool (data.bls.gov/projections/occupationProj). In: a raw file
path. Out: an :class:`EPRelease` holding a ``projections`` table (one row per SOC code, employment in
people) and, for the workbook, a ``separations`` table. Years, vintage and units are read from the
file's own title and headers, so a new release parses without code changes. Nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from analysis.errors import DataError
from analysis.ingest.projections.cells import find_period, norm, sniff
from analysis.ingest.projections.columns import CSV_HEADER_MARK, FORMAT_CSV, FORMAT_WORKBOOK, HEADER_SEARCH_ROWS
from analysis.ingest.projections.frames import EPRelease
from analysis.ingest.projections.table_csv import csv_rows, read_csv
from analysis.ingest.projections.workbook import find_sheet, locate_header, open_workbook, read_workbook, sheet_rows


def detect(path) -> dict | None:
    """``{"format": ..., "vintage": "2024-34"}`` if ``path`` is an EP release we can read, else None.

    Reads only the title and header rows (one sheet of a workbook, one line of a CSV).
    """
    try:
        return detect_format(Path(path))
    except DataError:
        return None


def read_release(path) -> EPRelease:
    """Parse and validate the EP release at ``path`` (workbook or data-tool CSV) into an EPRelease.

    Raises DataError naming the file, and the sheet/row/column at fault, if it is not a readable EP
    release or fails a check.
    """
    path = Path(path)
    if sniff(path) == "zip":
        return read_workbook(path)
    return read_csv(path)


def detect_format(path: Path) -> dict:
    if sniff(path) == "zip":
        wb = open_workbook(path)
        try:
            sheet = find_sheet(path, wb, "1.2")
            rows = sheet_rows(path, wb[sheet], sheet, limit=HEADER_SEARCH_ROWS)
            _, title, headers = locate_header(path, sheet, rows)
            period = find_period(path, sheet, headers, title)
        finally:
            wb.close()
        return {"format": FORMAT_WORKBOOK, "vintage": period.vintage}
    first = next(csv_rows(path), None)
    headers = first[1] if first else []
    if not any(CSV_HEADER_MARK.search(norm(h)) for h in headers):
        raise DataError(path, "not a BLS Employment Projections CSV (no 'Occupation Code' column)", "line 1")
    period = find_period(path, "line 1", headers, "")
    return {"format": FORMAT_CSV, "vintage": period.vintage}
