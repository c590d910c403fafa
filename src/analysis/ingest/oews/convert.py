"""Column converters: BLS's text cells -> typed columns, with its markers as NaN plus flags.

In: one column of strings and the registry entry it belongs to. Out: floats (wages, NaN for ``*``/``**``,
the top-code bound for ``#`` with a mask), nullable counts, codes; a DataError naming row and column for
anything else. ``CONVERTERS`` maps a field kind to its converter, ``FILLS`` fills columns a file lacks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.ingest.oews.fields import (
    ALL_OWNERSHIPS,
    AREA_TYPES,
    CROSS_INDUSTRY,
    CROSS_INDUSTRY_LEVEL,
    CROSS_INDUSTRY_TITLE,
    INDUSTRY_LEVELS,
    MISSING_MARKERS,
    NATIONAL_AREA,
    O_GROUPS,
    OWN_CODES,
    OWNERSHIP_INDUSTRIES,
    TOP_CODE_BOUNDS,
    TOP_CODED,
    Field,
)
from analysis.ingest.oews.load import Context
from analysis.ingest.titles import first_bad_title


def first_true(mask: pd.Series) -> int:
    return int(np.flatnonzero(mask.to_numpy())[0])


def _text(ctx: Context, name: str, field: Field, s: pd.Series) -> pd.Series:
    blank = s == ""
    if blank.any():
        ctx.fail(first_true(blank), name, "value is blank")
    return s


def _title(ctx, name, field, s):
    s = _text(ctx, name, field, s)
    if bad := first_bad_title(s):
        ctx.fail(bad[0], name, bad[1])
    return s


def _area(ctx, name, field, s):
    s = _text(ctx, name, field, s).str.replace(r"\.0$", "", regex=True)
    bad = ~s.str.fullmatch(r"\d+")
    if bad.any():
        i = first_true(bad)
        ctx.fail(i, name, f"area code {s.iloc[i]!r} is not numeric")
    return s.str.zfill(2)


def _soc(ctx, name, field, s):
    s = _text(ctx, name, field, s)
    bad = ~s.str.fullmatch(r"\d{2}-\d{4}")
    if bad.any():
        i = first_true(bad)
        ctx.fail(i, name, f"SOC code {s.iloc[i]!r} is not of the form NN-NNNN")
    return s


def _group(ctx, name, field, s):
    g = s.str.lower().map(O_GROUPS)
    if g.isna().any():
        i = first_true(g.isna())
        ctx.fail(i, name, f"occupation group {s.iloc[i]!r} is not one of {', '.join(sorted(set(O_GROUPS)))}")
    return g.astype(str)


def _flag(ctx, name, field, s):
    u = s.str.upper()
    ok = u.isin(["", "TRUE", "FALSE"])
    if not ok.all():
        i = first_true(~ok)
        ctx.fail(i, name, f"flag value {s.iloc[i]!r} is not TRUE or blank")
    return u == "TRUE"


_THOUSANDS = r"\d{1,3}(,\d{3})+(\.\d*)?"


def _to_float(numeric: pd.Series) -> pd.Series:
    """Text to floats, NaN where null or not a number: Arrow's cast when every value parses (several times faster
    on the 200,000-row files), else pandas', which turns what it cannot read into NaN for the caller to name."""
    try:
        arr = pa.array(numeric, type=pa.string(), from_pandas=True)
        return pd.Series(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False), index=numeric.index)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.to_numeric(numeric, errors="coerce").astype(float)


def _parse_numbers(ctx, name, field, s: pd.Series, allow_top: bool) -> tuple[pd.Series, pd.Series]:
    """Floats (NaN for markers/blank) and the '#' mask; raises on anything else."""
    missing = s.isin(MISSING_MARKERS)
    blank = s == ""
    top = s == TOP_CODED
    if blank.any() and not field.blank_ok:
        ctx.fail(first_true(blank), name, "value is blank (BLS marks unpublished values with * or **)")
    if top.any() and not allow_top:
        ctx.fail(first_true(top), name, "'#' (top-coded) is only meaningful in wage columns")
    has_comma = s.str.contains(",", regex=False)
    bad_comma = has_comma & ~s.str.fullmatch(_THOUSANDS)
    numeric = s.str.replace(",", "", regex=False).where(~(missing | blank | top))
    values = _to_float(numeric)
    bad = (values.isna() & ~(missing | blank | top)) | bad_comma | np.isinf(values)
    if bad.any():
        i = first_true(bad)
        ctx.fail(i, name, f"value {s.iloc[i]!r} is not a number")
    neg = values < 0
    if neg.any():
        i = first_true(neg)
        ctx.fail(i, name, f"value {s.iloc[i]!r} is negative")
    return values, top


def _number(ctx, name, field, s):
    return _parse_numbers(ctx, name, field, s, allow_top=False)[0]


def _count(ctx, name, field, s):
    values = _number(ctx, name, field, s)
    frac = values.notna() & (values % 1 != 0)
    if frac.any():
        i = first_true(frac)
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
                ctx.fail(first_true(top), name, f"'#' is top-coded but no top-code bound is recorded for wage "
                                            f"year {ctx.wage_year} (add it to TOP_CODE_BOUNDS)")
            # Keep the bound as a lower limit; the flag column says the value is not exact.
            values = values.mask(top, bound)
        return values, top
    return convert


def _area_type(ctx, name, field, s):
    values = _number(ctx, name, field, s)
    if values.isna().any() or (values % 1 != 0).any():
        i = first_true(values.isna() | (values % 1 != 0))
        ctx.fail(i, name, f"area type {s.iloc[i]!r} is not a whole number")
    return values.astype("int64")


def _naics(ctx, name, field, s):
    s = _text(ctx, name, field, s).str.replace(r"\.0$", "", regex=True)
    # Excel keeps 000000 as the number 0: all-digit codes other than 2-digit sectors ("11") get their zeros back.
    short = s.str.fullmatch(r"[0-9]{1,5}") & (s.str.len() != 2)
    return s.where(~short, s.str.zfill(6))  # the form is checked against I_GROUP (checks.check_industries)


def _industry_level(ctx, name, field, s):
    low = s.str.lower()
    bad = ~low.isin(list(INDUSTRY_LEVELS))
    if bad.any():
        i = first_true(bad)
        ctx.fail(i, name, f"industry level {s.iloc[i]!r} is not one of {', '.join(INDUSTRY_LEVELS)}")
    return low


def _own_code(ctx, name, field, s):
    s = s.str.replace(r"\.0$", "", regex=True)
    bad = ~s.isin(list(OWN_CODES))
    if bad.any():
        i = first_true(bad)
        ctx.fail(i, name, f"ownership code {s.iloc[i]!r} is not one of BLS's {', '.join(sorted(OWN_CODES, key=int))}")
    return s


CONVERTERS = {
    "text": _text, "title": _title, "area": _area, "soc": _soc, "group": _group, "flag": _flag,
    "number": _number, "count": _count, "area_type": _area_type,
    "hourly": _wage("hourly"), "annual": _wage("annual"),
    "naics": _naics, "industry_level": _industry_level, "own_code": _own_code,
}


def pad_area_codes(out: dict) -> None:
    """A code Excel stored as a number lost its leading zero (0100001 -> 100001): one digit short of its type's
    width, for the types whose codes may start with 0 (fields.AREA_TYPES), it gets it back."""
    code, kind = out["area_code"], out["area_type"]
    for t, (_, width, zero) in AREA_TYPES.items():
        short = (kind == t) & (code.str.len() == width - 1) & zero
        if short.any():
            code = code.where(~short, code.str.zfill(width))
    out["area_code"] = code


def derived(out: dict) -> None:
    """The columns derived from one field each (fields.DERIVED_AFTER); an unknown area type gets none (checks)."""
    out["area_type_name"] = out["area_type"].map({t: name for t, (name, *_) in AREA_TYPES.items()}).astype(str)
    out["ownership_specific"] = (out["own_code"] != ALL_OWNERSHIPS) | out["naics"].isin(list(OWNERSHIP_INDUSTRIES))


def _fill_area_type(ctx, out, index):
    # Older files lack AREA_TYPE: 99 is the nation, a 2-digit FIPS code a state, a 5-digit code a metropolitan
    # area (CBSA), a 7-digit code a nonmetropolitan area; others are ambiguous.
    code, n = out["area_code"], out["area_code"].str.len()
    kind = pd.Series(np.select([code == NATIONAL_AREA, n == 2, n == 5, n == 7], [1, 2, 4, 6], 0), index=index)
    if (kind == 0).any():
        i = first_true(kind == 0)
        ctx.fail(i, None, f"no AREA_TYPE column and area code {code.iloc[i]!r} is neither 99 nor a state, "
                          "metropolitan (5 digits) or nonmetropolitan (7 digits) area")
    return kind.astype("int64")


def _fill_state(ctx, out, index):
    code = out["area_code"]
    if (code != "99").any():
        ctx.fail(first_true(code != "99"), None,
                 "required column PRIM_STATE is missing (needed for non-U.S. rows)")
    return pd.Series("US", index=index, dtype=str)


def _fill_nan(ctx, out, index):
    return pd.Series(np.nan, index=index, dtype=float)


def _fill_false(ctx, out, index):
    return pd.Series(False, index=index, dtype=bool)


def _fill_naics(ctx, out, index):
    return pd.Series(CROSS_INDUSTRY, index=index, dtype=str)


def _fill_cross_industry(value: str, source: str):
    """A fill for a column that only cross-industry rows may lack: ``value`` where NAICS is 000000."""
    def fill(ctx, out, index):
        other = out["naics"] != CROSS_INDUSTRY
        if other.any():
            i = first_true(other)
            ctx.fail(i, "naics", f"required column {source} is missing (needed where NAICS is not "
                                 f"{CROSS_INDUSTRY}, here {out['naics'].iloc[i]!r})")
        return pd.Series(value, index=index, dtype=str)
    return fill


FILLS = {
    "area_type": _fill_area_type, "state_code": _fill_state,
    "naics": _fill_naics, "naics_title": _fill_cross_industry(CROSS_INDUSTRY_TITLE, "NAICS_TITLE"),
    "industry_level": _fill_cross_industry(CROSS_INDUSTRY_LEVEL, "I_GROUP"),
    "own_code": _fill_cross_industry(ALL_OWNERSHIPS, "OWN_CODE"),
    "jobs_per_1000": _fill_nan, "location_quotient": _fill_nan,
    "annual_only": _fill_false, "hourly_only": _fill_false,
}
