"""BLS OEWS (Occupational Employment and Wage Statistics) files in the BLS download layout → one tidy table.

Reads ``.csv``, ``.csv.gz`` and BLS's own ``.xlsx`` downloads (upper- or lower-case headers, older
header spellings), turns the BLS markers (``*``, ``**``, ``#``) into NaN/NA plus explicit flags, and
validates every row. Pure functions: nothing here writes files.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError

# BLS names its files like national_M2025_dl.xlsx: the "M" is the May reference period.
_YEAR_IN_NAME = re.compile(r"M(\d{4})(?!\d)")

NOT_PUBLISHED = "*"      # wage not published in that unit (or not released)
NOT_RELEASED = "**"      # employment estimate not released
TOP_CODED = "#"          # at or above the top-code bound: the true value is unknown
_MISSING = (NOT_PUBLISHED, NOT_RELEASED)

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
_HEADER_SCAN_ROWS = 10


@dataclass(frozen=True)
class Field:
    """One output column: where it comes from in the BLS file and how it is converted."""

    source: str                   # BLS header, upper-case
    kind: str                     # key into _CONVERTERS
    aliases: tuple[str, ...] = ()  # other spellings BLS has used for the same column
    required: bool = True         # if False and absent, filled by _FILLS[name]
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
_FLAGS = [n for n, f in FIELDS.items() if f.kind == "flag"]

COLUMNS = (["wage_year"] + [n for n in FIELDS if n not in _FLAGS]
           + [f"{n}_top_coded" for n in WAGE_COLUMNS] + _FLAGS + ["employment_released"])

_HEADER_TO_FIELD = {h: name for name, f in FIELDS.items() for h in (f.source, *f.aliases)}
_REQUIRED = [f.source for f in FIELDS.values() if f.required]


# --------------------------------------------------------------------------- public API

def detect(path) -> dict | None:
    """Whether ``path`` is an OEWS file this module reads, judged from its header row only.

    In: a path to a .csv, .csv.gz or .xlsx file. Out: ``{"format": "oews", "wage_year": 2025,
    "release": "May 2025"}`` (year and release are None when the file name carries no ``M<year>``),
    or None when the file is unreadable or lacks the OEWS columns. Never raises for a bad file.
    """
    path = Path(path)
    try:
        headers = _peek_headers(path)
    except (OSError, DataError, EOFError, zlib.error, ValueError, KeyError):
        return None
    if headers is None or _missing_required(headers):
        return None
    year = _year_from_name(path)
    return {"format": "oews", "wage_year": year, "release": f"May {year}" if year else None}


def read_oews(path, wage_year: int | None = None) -> pd.DataFrame:
    """Read one OEWS download file into a validated tidy DataFrame, one row per (area, occupation).

    In: ``path`` to a .csv, .csv.gz or BLS .xlsx OEWS file; ``wage_year`` overrides the year that is
    otherwise parsed from ``M<year>`` in the file name. Out: a DataFrame with the columns
    :data:`COLUMNS`, in that order: wages as float USD (NaN where BLS publishes ``*``/``**``, the bound
    where it publishes ``#`` with ``<col>_top_coded`` True), ``employment_people`` as nullable Int64.
    Raises :class:`DataError` naming the file, row and column for anything unreadable or invalid.
    """
    path = Path(path)
    year = _resolve_year(path, wage_year)
    raw, locate = _load(path)
    cols = _map_headers(path, raw.columns)
    ctx = _Context(path, locate, {name: src for src, name in cols.items()}, year)
    raw = raw.rename(columns=cols)[list(cols.values())]

    out: dict[str, pd.Series] = {"wage_year": pd.Series(year, index=raw.index, dtype="int64")}
    top: dict[str, pd.Series] = {}
    for name, field in FIELDS.items():
        if name not in raw.columns:
            out[name] = _FILLS[name](ctx, out, raw.index)
            continue
        value = _CONVERTERS[field.kind](ctx, name, field, raw[name].fillna("").astype(str).str.strip())
        if field.kind in ("hourly", "annual"):
            value, top[f"{name}_top_coded"] = value
        out[name] = value
    out.update(top)
    emp_raw = raw["employment_people"].fillna("").astype(str).str.strip()
    out["employment_released"] = emp_raw != NOT_RELEASED

    df = pd.DataFrame(out)[COLUMNS]
    _check_unique(ctx, df)
    _check_percentiles(ctx, df)
    _check_unit_flags(ctx, df)
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------- loading

@dataclass
class _Context:
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


def _year_from_name(path: Path) -> int | None:
    m = _YEAR_IN_NAME.search(path.name)
    return int(m.group(1)) if m else None


def _resolve_year(path: Path, wage_year: int | None) -> int:
    if wage_year is not None:
        if isinstance(wage_year, bool) or not isinstance(wage_year, int | np.integer):
            raise DataError(path, f"wage_year must be an integer year, got {wage_year!r}")
        return int(wage_year)
    year = _year_from_name(path)
    if year is None:
        raise DataError(path, "cannot tell the wage year: the file name has no 'M<year>' (as in "
                              "national_M2025_dl.xlsx) and no wage_year= was given")
    return year


def _sniff(path: Path, head: bytes) -> str:
    """'gzip', 'xlsx' or 'text' from the first bytes; raises for HTML pages and old .xls."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(path, "is an old binary .xls workbook; save it as .xlsx or .csv")
    _reject_html(path, head)
    if path.suffix.lower() in (".xlsx", ".gz"):
        raise DataError(path, f"is named {path.suffix} but its content is not "
                              f"{'a workbook' if path.suffix.lower() == '.xlsx' else 'gzip'}")
    return "text"


def _reject_html(path: Path, head: bytes) -> None:
    # A failed download (BLS blocks scripted clients) is often saved as an HTML error page.
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<"):  # <!DOCTYPE html>, <html>, <?xml ...>: no OEWS file starts with '<'
        raise DataError(path, "is an HTML/XML page, not an OEWS data file (a failed download?)")


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise DataError(path, "is empty")
    return data


def _decompress(path: Path, data: bytes) -> bytes:
    try:
        return gzip.decompress(data)
    except EOFError:
        raise DataError(path, "gzip stream ends early: the file is truncated") from None
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise DataError(path, f"is not a valid gzip file ({exc})") from None


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Some BLS text files are Windows-1252 (curly quotes, en dashes in titles).
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise DataError(path, f"is neither UTF-8 nor Windows-1252 text (byte {exc.start})") from None


def _load(path: Path) -> tuple[pd.DataFrame, Callable[[int], str]]:
    """The file's data rows as strings under their original headers, plus a row locator."""
    data = _read_bytes(path)
    kind = _sniff(path, data[:512])
    if kind == "xlsx":
        return _load_xlsx(path)
    if kind == "gzip":
        data = _decompress(path, data)
        if not data.strip():
            raise DataError(path, "is empty (after decompression)")
        _reject_html(path, data[:512])
    text = _decode(path, data)
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


def _xlsx_header(path: Path) -> tuple[str, int, list[str]] | None:
    """(sheet, 0-based header row, headers) of the first sheet whose top rows hold OCC_CODE."""
    import openpyxl  # only xlsx callers pay for the import

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged zip/xml
        raise DataError(path, f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        for ws in wb.worksheets:
            for r, row in enumerate(ws.iter_rows(max_row=_HEADER_SCAN_ROWS, values_only=True)):
                heads = [_norm_header(v) for v in row]
                if "OCC_CODE" in heads:
                    return ws.title, r, heads
    finally:
        wb.close()
    return None


def _load_xlsx(path: Path) -> tuple[pd.DataFrame, Callable[[int], str]]:
    found = _xlsx_header(path)
    if found is None:
        raise DataError(path, f"no sheet has an OCC_CODE header in its first {_HEADER_SCAN_ROWS} rows")
    sheet, header_row, _ = found
    df = pd.read_excel(path, sheet_name=sheet, header=header_row, dtype=str, na_filter=False,
                       engine="openpyxl")
    df = df.dropna(axis=1, how="all")
    if df.empty:
        raise DataError(path, f"sheet {sheet!r} has a header row but no data rows")
    # Excel keeps whole numbers as numbers: an AREA of 6 or 6.0 means '06'.
    first = header_row + 2
    return df, lambda i: f"row {i + 1}, sheet {sheet!r} row {i + first}"


def _peek_headers(path: Path) -> list[str] | None:
    with open(path, "rb") as f:
        head = f.read(512)
    if not head.strip():
        return None
    kind = _sniff(path, head)
    if kind == "xlsx":
        found = _xlsx_header(path)
        return found[2] if found else None
    opener = gzip.open if kind == "gzip" else open
    with opener(path, "rb") as f:
        first = f.readline(1 << 16)
    _reject_html(path, first)
    line = _decode(path, first).strip()
    return [_norm_header(h) for h in next(csv.reader([line]), [])]


def _norm_header(h) -> str:
    return str(h).strip().upper() if h is not None else ""


def _missing_required(headers) -> list[str]:
    present = {_HEADER_TO_FIELD.get(_norm_header(h)) for h in headers}
    return [FIELDS[n].source for n, f in FIELDS.items() if f.required and n not in present]


def _map_headers(path: Path, headers) -> dict[str, str]:
    """Original header → output column name, for the headers the registry knows."""
    mapping: dict[str, str] = {}
    for h in headers:
        name = _HEADER_TO_FIELD.get(_norm_header(h))
        if name is None:
            continue  # NAICS, OWN_CODE, PCT_TOTAL, ...: not part of the tidy table
        if name in mapping.values():
            raise DataError(path, f"column {FIELDS[name].source} appears twice (as {h!r} too)")
        mapping[h] = name
    missing = _missing_required(headers)
    if missing:
        raise DataError(path, f"required column {', '.join(missing)} is missing "
                              f"(header has: {', '.join(map(str, headers))})")
    return mapping


# --------------------------------------------------------------------------- converters

def _first(mask: pd.Series) -> int:
    return int(np.flatnonzero(mask.to_numpy())[0])


def _text(ctx: _Context, name: str, field: Field, s: pd.Series) -> pd.Series:
    blank = s == ""
    if blank.any():
        ctx.fail(_first(blank), name, "value is blank")
    return s


def _area(ctx, name, field, s):
    s = _text(ctx, name, field, s).str.replace(r"\.0$", "", regex=True)
    bad = ~s.str.fullmatch(r"\d+")
    if bad.any():
        i = _first(bad)
        ctx.fail(i, name, f"area code {s.iloc[i]!r} is not numeric")
    return s.str.zfill(2)


def _soc(ctx, name, field, s):
    s = _text(ctx, name, field, s)
    bad = ~s.str.fullmatch(r"\d{2}-\d{4}")
    if bad.any():
        i = _first(bad)
        ctx.fail(i, name, f"SOC code {s.iloc[i]!r} is not of the form NN-NNNN")
    return s


def _group(ctx, name, field, s):
    g = s.str.lower().map(O_GROUPS)
    if g.isna().any():
        i = _first(g.isna())
        ctx.fail(i, name, f"occupation group {s.iloc[i]!r} is not one of {', '.join(sorted(set(O_GROUPS)))}")
    return g.astype(str)


def _flag(ctx, name, field, s):
    u = s.str.upper()
    ok = u.isin(["", "TRUE", "FALSE"])
    if not ok.all():
        i = _first(~ok)
        ctx.fail(i, name, f"flag value {s.iloc[i]!r} is not TRUE or blank")
    return u == "TRUE"


_THOUSANDS = r"\d{1,3}(,\d{3})+(\.\d*)?"


def _parse_numbers(ctx, name, field, s: pd.Series, allow_top: bool) -> tuple[pd.Series, pd.Series]:
    """Floats (NaN for markers/blank) and the '#' mask; raises on anything else."""
    missing = s.isin(_MISSING)
    blank = s == ""
    top = s == TOP_CODED
    if blank.any() and not field.blank_ok:
        ctx.fail(_first(blank), name, "value is blank (BLS marks unpublished values with * or **)")
    if top.any() and not allow_top:
        ctx.fail(_first(top), name, "'#' (top-coded) is only meaningful in wage columns")
    has_comma = s.str.contains(",", regex=False)
    bad_comma = has_comma & ~s.str.fullmatch(_THOUSANDS)
    numeric = s.str.replace(",", "", regex=False).where(~(missing | blank | top))
    values = pd.to_numeric(numeric, errors="coerce").astype(float)
    bad = (values.isna() & ~(missing | blank | top)) | bad_comma | np.isinf(values)
    if bad.any():
        i = _first(bad)
        ctx.fail(i, name, f"value {s.iloc[i]!r} is not a number")
    neg = values < 0
    if neg.any():
        i = _first(neg)
        ctx.fail(i, name, f"value {s.iloc[i]!r} is negative")
    return values, top


def _number(ctx, name, field, s):
    return _parse_numbers(ctx, name, field, s, allow_top=False)[0]


def _count(ctx, name, field, s):
    values = _number(ctx, name, field, s)
    frac = values.notna() & (values % 1 != 0)
    if frac.any():
        i = _first(frac)
        ctx.fail(i, name, f"employment {s.iloc[i]!r} is not a whole number")
    return values.astype("Int64")


def _top_bound(ctx, unit: str) -> float | None:
    applicable = [b for b in TOP_CODE_BOUNDS if b[0] <= ctx.wage_year]
    if not applicable:
        return None
    _, hourly, annual = max(applicable)
    return hourly if unit == "hourly" else annual


def _wage(unit: str):
    def convert(ctx, name, field, s):
        values, top = _parse_numbers(ctx, name, field, s, allow_top=True)
        if top.any():
            bound = _top_bound(ctx, unit)
            if bound is None:
                ctx.fail(_first(top), name, f"'#' is top-coded but no top-code bound is recorded for wage "
                                            f"year {ctx.wage_year} (add it to TOP_CODE_BOUNDS)")
            # Keep the bound as a lower limit; the flag column says the value is not exact.
            values = values.mask(top, bound)
        return values, top
    return convert


def _area_type(ctx, name, field, s):
    values = _number(ctx, name, field, s)
    if values.isna().any() or (values % 1 != 0).any():
        i = _first(values.isna() | (values % 1 != 0))
        ctx.fail(i, name, f"area type {s.iloc[i]!r} is not a whole number")
    return values.astype("int64")


_CONVERTERS = {
    "text": _text, "area": _area, "soc": _soc, "group": _group, "flag": _flag,
    "number": _number, "count": _count, "area_type": _area_type,
    "hourly": _wage("hourly"), "annual": _wage("annual"),
}


# --------------------------------------------------------------------------- fills for absent columns

def _fill_area_type(ctx, out, index):
    # Older files lack AREA_TYPE: 99 is the nation, a 2-digit FIPS code a state; others are ambiguous.
    code = out["area_code"]
    kind = pd.Series(np.where(code == "99", 1, np.where(code.str.len() == 2, 2, 0)), index=index)
    if (kind == 0).any():
        i = _first(kind == 0)
        ctx.fail(i, None, f"no AREA_TYPE column and area code {code.iloc[i]!r} is neither 99 nor a state")
    return kind.astype("int64")


def _fill_state(ctx, out, index):
    code = out["area_code"]
    if (code != "99").any():
        ctx.fail(_first(code != "99"), None,
                 "required column PRIM_STATE is missing (needed for non-U.S. rows)")
    return pd.Series("US", index=index, dtype=str)


def _fill_nan(ctx, out, index):
    return pd.Series(np.nan, index=index, dtype=float)


def _fill_false(ctx, out, index):
    return pd.Series(False, index=index, dtype=bool)


_FILLS = {
    "area_type": _fill_area_type, "state_code": _fill_state,
    "jobs_per_1000": _fill_nan, "location_quotient": _fill_nan,
    "annual_only": _fill_false, "hourly_only": _fill_false,
}


# --------------------------------------------------------------------------- whole-table checks

def _check_unique(ctx: _Context, df: pd.DataFrame) -> None:
    dup = df.duplicated(["area_code", "soc_code"], keep=False)
    if not dup.any():
        return
    rows = np.flatnonzero(dup.to_numpy())
    first = df.iloc[rows[0]]
    same = rows[(df["area_code"].iloc[rows] == first["area_code"]).to_numpy()
                & (df["soc_code"].iloc[rows] == first["soc_code"]).to_numpy()]
    raise DataError(ctx.path, f"area {first['area_code']} / SOC {first['soc_code']} appears more than once "
                              f"(also {ctx.locate(int(same[1]))}); a cross-industry file has one row "
                              "per pair",
                    f"{ctx.locate(int(same[0]))}, column {ctx.source_name.get('soc_code', 'OCC_CODE')}")


def _check_percentiles(ctx: _Context, df: pd.DataFrame) -> None:
    """p10 ≤ p25 ≤ median ≤ p75 ≤ p90 among the values that are present and exact (not top-coded)."""
    for unit in ("hourly", "annual"):
        names = [f"{unit}_{p}_usd" for p in PERCENTILES]
        exact = pd.DataFrame({n: df[n].mask(df[f"{n}_top_coded"]) for n in names})
        # Compare each value with the largest present value to its left (skips gaps left by * / #).
        before = exact.cummax(axis=1).shift(1, axis=1)
        viol = exact.lt(before)
        if viol.to_numpy().any():
            r = int(np.flatnonzero(viol.any(axis=1).to_numpy())[0])
            c = int(np.flatnonzero(viol.iloc[r].to_numpy())[0])
            row = exact.iloc[r]
            prev = next(n for n in reversed(names[:c]) if row[n] == before.iloc[r, c])
            ctx.fail(r, names[c], f"percentiles out of order: {FIELDS[names[c]].source} {row.iloc[c]:g} "
                                  f"< {FIELDS[prev].source} {row[prev]:g}")


def _check_unit_flags(ctx: _Context, df: pd.DataFrame) -> None:
    """ANNUAL=TRUE rows publish no hourly wage and HOURLY=TRUE rows no annual wage, as BLS defines them."""
    for flag, unit in (("annual_only", "hourly"), ("hourly_only", "annual")):
        cols = [c for c in WAGE_COLUMNS if c.startswith(unit)]
        bad = df[flag] & df[cols].notna().any(axis=1)
        if bad.any():
            i = _first(bad)
            col = next(c for c in cols if pd.notna(df[c].iloc[i]))
            ctx.fail(i, col, f"{FIELDS[flag].source}=TRUE but {unit} wage {df[col].iloc[i]:g} is published")
    both = df["annual_only"] & df["hourly_only"]
    if both.any():
        ctx.fail(_first(both), "annual_only", "both ANNUAL and HOURLY are TRUE")
