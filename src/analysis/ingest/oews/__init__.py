"""BLS OEWS (Occupational Employment and Wage Statistics) files in the BLS download layout -> one tidy table.

Reads ``.csv``, ``.csv.gz`` and BLS's own ``.xlsx`` downloads (upper- or lower-case headers, older
header spellings) of every kind with no case per file: national and state, metropolitan and nonmetropolitan
areas, the nation by industry (a file without industry columns is cross-industry). Turns the BLS markers
(``*``, ``**``, ``#``) into NaN/NA plus explicit flags, and validates every row. Pure functions: nothing here
writes files.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.oews.checks import (
    check_areas,
    check_industries,
    check_percentiles,
    check_unique,
    check_unit_flags,
)
from analysis.ingest.oews.convert import CONVERTERS, FILLS, derived, pad_area_codes
from analysis.ingest.oews.fields import (
    ALL_OWNERSHIPS,
    COLUMNS,
    CROSS_INDUSTRY,
    FIELDS,
    NATIONAL_AREA,
    NOT_RELEASED,
    missing_required,
    year_from_name,
)
from analysis.ingest.oews.load import Context, load, map_headers, peek_headers, resolve_year


def detect(path) -> dict | None:
    """Whether ``path`` is an OEWS file this module reads, judged from its header row only.

    In: a path to a .csv, .csv.gz or .xlsx file. Out: ``{"format": "oews", "wage_year": 2025,
    "release": "May 2025"}`` (year and release are None when the file name carries no ``M<year>``),
    or None when the file is unreadable or lacks the OEWS columns. Never raises for a bad file.
    """
    path = Path(path)
    try:
        headers = peek_headers(path)
    except (OSError, DataError, EOFError, zlib.error, ValueError, KeyError):
        return None
    if headers is None or missing_required(headers):
        return None
    year = year_from_name(path)
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
    year = resolve_year(path, wage_year)
    raw, locate = load(path)
    cols = map_headers(path, raw.columns)
    ctx = Context(path, locate, {name: src for src, name in cols.items()}, year)
    raw = raw.rename(columns=cols)[list(cols.values())]

    out: dict[str, pd.Series] = {"wage_year": pd.Series(year, index=raw.index, dtype="int64")}
    top: dict[str, pd.Series] = {}
    for name, field in FIELDS.items():
        if name not in raw.columns:
            out[name] = FILLS[name](ctx, out, raw.index)
            continue
        value = CONVERTERS[field.kind](ctx, name, field, raw[name].fillna("").astype(str).str.strip())
        if field.kind in ("hourly", "annual"):
            value, top[f"{name}_top_coded"] = value
        out[name] = value
    out.update(top)
    emp_raw = raw["employment_people"].fillna("").astype(str).str.strip()
    out["employment_released"] = emp_raw != NOT_RELEASED
    pad_area_codes(out)
    derived(out)

    df = pd.DataFrame(out)[COLUMNS]
    check_areas(ctx, df)
    check_industries(ctx, df)
    check_unique(ctx, df)
    check_percentiles(ctx, df)
    check_unit_flags(ctx, df)
    return df.reset_index(drop=True)


def row_kinds(df: pd.DataFrame) -> dict[str, pd.Series]:
    """What the rows of a :func:`read_oews` table are, as a mask per kind: ``national-state`` (cross-industry
    estimates for the U.S., a state or a territory), ``metro`` (for a metropolitan or nonmetropolitan area),
    ``national-industry`` (U.S. estimates for one industry or ownership) and ``area-industry`` (industry
    estimates below the nation, which BLS's downloads do not hold)."""
    industry = (df["naics"] != CROSS_INDUSTRY) | (df["own_code"] != ALL_OWNERSHIPS)
    national = df["area_code"] == NATIONAL_AREA
    metro = df["area_type"].isin([4, 6])
    return {"national-state": ~industry & ~metro, "metro": ~industry & metro,
            "national-industry": industry & national, "area-industry": industry & ~national}


def kind(df: pd.DataFrame) -> str:
    """The kind of an OEWS file from its rows (:func:`row_kinds`): one kind, or its kinds joined by ``+`` (e.g.
    ``metro+national-state``) when it holds several, as BLS's all-data file does."""
    return "+".join(sorted(k for k, mask in row_kinds(df).items() if mask.any()))
