"""The tidy frames of an Employment Projections release and their checks.

In: parsed records with their source row numbers. Out: the ``projections`` frame (employment in people)
after row checks (codes, signs, change arithmetic within rounding) and the line-items-sum-to-total check;
a DataError naming the file, row and column otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.projections.cells import Period
from analysis.ingest.projections.columns import (
    FRAME_FROM_KEY,
    INT_COLUMNS,
    PROJECTION_COLUMNS,
    PUBLISHED_DECIMALS,
    US_EMPLOYMENT_PLAUSIBLE,
)
from analysis.soc import TOTAL_CODE, TOTAL_TITLE


@dataclass(frozen=True)
class EPRelease:
    vintage: str  # "2024-34"
    base_year: int  # 2024
    projected_year: int  # 2034
    wage_year: int  # year of the median wage column, from its header
    format: str  # "ep-workbook" | "ep-csv"
    projections: pd.DataFrame
    separations: pd.DataFrame | None  # None for the CSV (it has no table 1.10)


def projection_frame(records: list[dict], period: Period) -> pd.DataFrame:
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
    return cast(frame)


def cast(frame: pd.DataFrame) -> pd.DataFrame:
    for c in INT_COLUMNS:
        if c in frame:
            frame[c] = frame[c].astype("Int64")
    return frame.reset_index(drop=True)


def half_step(unit: int) -> int:
    """Largest rounding error of one published figure, in people (0.05 thousand = 50)."""
    return unit // (2 * 10**PUBLISHED_DECIMALS)


def check_codes(path: Path, sheet: str, rownums: list, records: list[dict]) -> None:
    seen = {}
    for rownum, rec in zip(rownums, records, strict=True):
        code = rec["soc_code"]
        if code in seen:
            raise DataError(path, f"SOC code {code} appears twice (first at {row_name(sheet, seen[code])})",
                            row_name(sheet, rownum))
        seen[code] = rownum


def row_name(sheet: str, rownum) -> str:
    if rownum is None:
        return "computed total row"
    return f"{sheet}, row {rownum}" if sheet else f"line {rownum}"


def source_headers(headers: list, cols: dict) -> dict[str, str]:
    """Frame column -> the header it came from, so messages name the column as the file does."""
    return {frame_col: str(headers[cols[key]]) for frame_col, key in FRAME_FROM_KEY.items() if key in cols}


def validate_projections(path: Path, sheet: str, rownums: list, df: pd.DataFrame, unit: int,
                          sources: dict[str, str]) -> None:
    """Row checks (codes, signs, change arithmetic) and the Line-item-sum-vs-total check."""
    half = half_step(unit)
    records = df.to_dict("records")
    check_codes(path, sheet, rownums, records)
    for rownum, rec in zip(rownums, records, strict=True):
        where = row_name(sheet, rownum)
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
        bounds = percent_bounds(base, change, half)
        pct = rec["change_percent"]
        slack = 0.5 * 10**-PUBLISHED_DECIMALS + 1e-9
        if bounds and not (bounds[0] - slack <= pct <= bounds[1] + slack):
            raise DataError(path, f"change_percent {pct} is inconsistent with employment {base} -> "
                            f"{projected} (unrounded values allow {bounds[0]:.2f} to {bounds[1]:.2f})",
                            f"{where}, column {sources['change_percent']!r}")
    check_total(path, sheet, df, half, sources)
    base_total = df.loc[df["soc_code"] == TOTAL_CODE, "employment_base_people"].iloc[0]
    lo, hi = US_EMPLOYMENT_PLAUSIBLE
    if not lo <= base_total <= hi:
        raise DataError(path, f"total employment {base_total:,} people is implausible for the U.S. "
                        "(wrong unit?)", sheet or None)


def percent_bounds(base: int, change: int, half: int) -> tuple[float, float] | None:
    """Range of change/base*100 over the unrounded values that round to the published ones.

    Needed because BLS computes percents from unrounded employment: 0.2 -> 0.2 thousand is
    published as -17.5%, so a fixed tolerance on the recomputed percent would not do.
    """
    lo_base = base - half
    if lo_base <= 0:
        return None  # a base that may be zero bounds nothing
    ratios = [c / b * 100 for c in (change - half, change + half) for b in (lo_base, base + half)]
    return min(ratios), max(ratios)


def check_total(path: Path, sheet: str, df: pd.DataFrame, half: int, sources: dict[str, str]) -> None:
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
