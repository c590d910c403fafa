"""An OEWS file's rows as text under its own headers: .csv, .csv.gz or BLS's .xlsx, sniffed by content.

In: a path. Out: a DataFrame of strings and a function naming row ``i`` as the file does (for messages);
a DataError naming the file for anything unreadable (an HTML page, a truncated gzip, an old .xls) or
unpacking past :data:`~analysis.ingest.sniff.MAX_UNPACKED_BYTES` (a gzip or zip bomb).
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.ingest.oews.fields import (
    FIELDS,
    HEADER_SCAN_ROWS,
    HEADER_TO_FIELD,
    missing_required,
    norm_header,
    year_from_name,
)
from analysis.ingest.sniff import (
    HEAD_BYTES,
    TooBig,
    gunzip_capped,
    head,
    is_markup,
    kind,
    too_big,
    zip_problem,
)


@dataclass
class Context:
    path: Path
    locate: Callable[[int], str]      # positional row → "row N, line M" for messages
    source_name: dict[str, str]       # output name → header as spelled in the file
    wage_year: int

    def fail(self, pos: int | None, name: str | None, problem: str):
        parts = []
        if pos is not None:
            parts.append(self.locate(pos))
        if name is not None:
            parts.append(f"column {self.source_name.get(name, FIELDS[name].source)}")
        raise DataError(self.path, problem, ", ".join(parts) or None)


def resolve_year(path: Path, wage_year: int | None) -> int:
    if wage_year is not None:
        if isinstance(wage_year, bool) or not isinstance(wage_year, int | np.integer):
            raise DataError(path, f"wage_year must be an integer year, got {wage_year!r}")
        return int(wage_year)
    year = year_from_name(path)
    if year is None:
        raise DataError(path, "cannot tell the wage year: the file name has no 'M<year>' (as in "
                              "national_M2025_dl.xlsx) and no wage_year= was given")
    return year


def sniff(path: Path, first: bytes) -> str:
    """'gzip', 'xlsx' or 'text' from the first bytes; raises for HTML pages and old .xls."""
    what = kind(first)
    if what == "gzip":
        return "gzip"
    if what == "zip" and first.startswith(b"PK\x03\x04"):
        return "xlsx"
    if what == "xls":
        raise DataError(path, "is an old binary .xls workbook; save it as .xlsx or .csv")
    reject_html(path, first)
    if path.suffix.lower() in (".xlsx", ".gz"):
        raise DataError(path, f"is named {path.suffix} but its content is not "
                              f"{'a workbook' if path.suffix.lower() == '.xlsx' else 'gzip'}")
    return "text"


def reject_html(path: Path, first: bytes) -> None:
    """DataError if ``first`` (a file's first bytes) are an HTML/XML page, e.g. a saved error page."""
    if is_markup(first):
        raise DataError(path, "is an HTML/XML page, not an OEWS data file (a failed download?)")


def read_head(path: Path) -> bytes:
    """The file's first bytes, to tell what it is; DataError if it cannot be read or holds nothing."""
    try:
        first = head(path)
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not first.strip() and len(first) < HEAD_BYTES:  # the whole file is blank
        raise DataError(path, "is empty")
    return first


def read_bytes(path: Path) -> bytes:
    """A plain text file's bytes (as big as the file on disk: nothing unpacks)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise DataError(path, "is empty")
    return data


def read_gzip(path: Path, limit: int | None = None) -> bytes:
    """A gzip file's content, decompressed a block at a time; DataError past ``limit`` bytes (None: the
    readers' :data:`~analysis.ingest.sniff.MAX_UNPACKED_BYTES`), so a small file that unpacks a
    thousandfold stops there instead of filling the memory."""
    try:
        return gunzip_capped(path, limit)
    except TooBig as err:
        raise DataError(path, too_big(err.limit)) from None
    except EOFError:
        raise DataError(path, "gzip stream ends early: the file is truncated") from None
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise DataError(path, f"is not a valid gzip file ({exc})") from None


def decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Some BLS text files are Windows-1252 (curly quotes, en dashes in titles).
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise DataError(path, f"is neither UTF-8 nor Windows-1252 text (byte {exc.start})") from None


def load(path: Path) -> tuple[pd.DataFrame, Callable[[int], str]]:
    """The file's data rows as strings under their original headers, plus a row locator."""
    kind = sniff(path, read_head(path))
    if kind == "xlsx":
        return load_xlsx(path)
    if kind == "text":
        data = read_bytes(path)
    else:
        data = read_gzip(path)
        if not data.strip():
            raise DataError(path, "is empty (after decompression)")
        reject_html(path, data[:512])
    text = decode(path, data)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:
        raise DataError(path, "is empty") from None
    except pd.errors.ParserError as exc:
        raise DataError(path, f"is not well-formed CSV ({str(exc).strip()})") from None
    if df.empty:
        raise DataError(path, "has a header row but no data rows")
    # Data row i (0-based) sits on line i + 2 when no field spans lines, as in BLS files.
    return df, lambda i: f"row {i + 1}, line {i + 2}"


def xlsx_header(path: Path) -> tuple[str, int, list[str]] | None:
    """(sheet, 0-based header row, headers) of the first sheet whose top rows hold OCC_CODE."""
    import openpyxl  # noqa: PLC0415 -- lazy, for start-up speed: only xlsx callers pay for it

    problem = zip_problem(path)  # before openpyxl unpacks anything (load_xlsx comes here first too)
    if problem:
        raise DataError(path, problem)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged zip/xml
        raise DataError(path, f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        for ws in wb.worksheets:
            for r, row in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)):
                heads = [norm_header(v) for v in row]
                if "OCC_CODE" in heads:
                    return ws.title, r, heads
    finally:
        wb.close()
    return None


def load_xlsx(path: Path) -> tuple[pd.DataFrame, Callable[[int], str]]:
    found = xlsx_header(path)
    if found is None:
        raise DataError(path, f"no sheet has an OCC_CODE header in its first {HEADER_SCAN_ROWS} rows")
    sheet, header_row, _ = found
    df = pd.read_excel(path, sheet_name=sheet, header=header_row, dtype=str, na_filter=False,
                       engine="openpyxl")
    df = df.dropna(axis=1, how="all")
    if df.empty:
        raise DataError(path, f"sheet {sheet!r} has a header row but no data rows")
    # Excel keeps whole numbers as numbers: an AREA of 6 or 6.0 means '06'.
    first = header_row + 2
    return df, lambda i: f"row {i + 1}, sheet {sheet!r} row {i + first}"


def peek_headers(path: Path) -> list[str] | None:
    with open(path, "rb") as f:
        head = f.read(512)
    if not head.strip():
        return None
    kind = sniff(path, head)
    if kind == "xlsx":
        found = xlsx_header(path)
        return found[2] if found else None
    opener = gzip.open if kind == "gzip" else open
    with opener(path, "rb") as f:
        first = f.readline(1 << 16)
    reject_html(path, first)
    line = decode(path, first).strip()
    return [norm_header(h) for h in next(csv.reader([line]), [])]


def map_headers(path: Path, headers) -> dict[str, str]:
    """Original header → output column name, for the headers the registry knows."""
    mapping: dict[str, str] = {}
    for h in headers:
        name = HEADER_TO_FIELD.get(norm_header(h))
        if name is None:
            continue  # PCT_TOTAL and any other column BLS adds: not part of the tidy table
        if name in mapping.values():
            raise DataError(path, f"column {FIELDS[name].source} appears twice (as {h!r} too)")
        mapping[h] = name
    missing = missing_required(headers)
    if missing:
        raise DataError(path, f"required column {', '.join(missing)} is missing "
                              f"(header has: {', '.join(map(str, headers))})")
    return mapping
