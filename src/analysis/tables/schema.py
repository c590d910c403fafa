"""The processed tables' shapes, stated once: each table's columns in order (name, pandas dtype, unit, meaning), its
key and whether a build may save it with no rows.

In: nothing; this is a declaration. Out: :data:`TABLES`, and :func:`check`, which holds a built table to its entry
before it is saved (:func:`analysis.tables.dataset.validate`), as a one-line DataError naming the table and the
column. The column dictionary of ``docs/data.md`` is generated from :data:`TABLES` (:mod:`analysis.tables.datadoc`),
so the docs, the checks and the tables cannot drift apart. Column names carry their unit (``_people``, ``_usd``,
``_percent``, ``_per_year``).

A dtype is the pandas dtype of the column as built, which ``manifest.json`` records too. Read back with
``pd.read_parquet``, an ``object`` column of text comes back as ``str``; every other dtype comes back as built. A
column with no values at all (an empty table, or a column every row leaves null) has no dtype pandas could infer,
so it passes whatever its dtype: a table may be empty (``may_be_empty``) with the columns a reader gives an empty
frame.

Long because it is the column dictionary: one entry, with its meaning, for each of some 330 columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.errors import DataError
from analysis.values import plain


@dataclass(frozen=True)
class Column:
    """One column: its name, pandas dtype as built, unit (``—`` for none) and meaning (Markdown, one line)."""

    name: str
    dtype: str
    unit: str
    meaning: str


@dataclass(frozen=True)
class Table:
    """One table of ``data/processed``: its name (the file's stem), key (unique in every build), whether a build may
    save it empty, and its columns in order."""

    name: str
    key: tuple[str, ...]
    may_be_empty: bool
    columns: list[Column]


def table_path(name: str) -> str:
    """How an error names table ``name``: its path under the project root."""
    return f"data/processed/{name}.parquet"


def check(name: str, df: pd.DataFrame) -> None:
    """DataError naming table ``name`` unless ``df`` has its spec's columns, in order, with their dtypes, has rows
    where the spec says it always has them, and has no key twice."""
    spec = TABLES.get(name)
    if spec is None:
        raise DataError(table_path(name), "is not declared in analysis/tables/schema.py")
    if df.empty and not spec.may_be_empty:
        raise DataError(table_path(name), "no rows to save; the build always fills this table from data/raw, so an "
                        "input was read wrong")
    expected = [c.name for c in spec.columns]
    actual = [str(c) for c in df.columns]
    if actual != expected:
        missing = [c for c in expected if c not in actual]
        extra = [c for c in actual if c not in expected]
        problem = "; ".join(filter(None, [missing and f"lacks column(s) {', '.join(missing)}",
                                          extra and f"has undeclared column(s) {', '.join(extra)}"]))
        raise DataError(table_path(name), (problem or "columns are out of the declared order") +
                        " (see analysis/tables/schema.py)")
    for col in spec.columns:
        dtype = str(df[col.name].dtype)
        if dtype != col.dtype and df[col.name].notna().any():  # no values: no dtype to hold it to (module doc)
            raise DataError(table_path(name), f"dtype {dtype}, declared {col.dtype}", col.name)
    if df.duplicated(list(spec.key)).any():
        dup = [plain(v) for v in df[df.duplicated(list(spec.key))].iloc[0][list(spec.key)]]  # 2025, not np.int64(2025)
        raise DataError(table_path(name), f"duplicate key {dup}")


# OEWS's wage estimates, the same columns in `wages` and `wages_industries`: the estimates, a top-coded flag
# for each wage, then BLS's flags.
WAGE_ESTIMATES = [
    Column('hourly_mean_usd', 'float64', 'USD/hour',
           'Mean hourly wage (H_MEAN); null where `*` (e.g. annual-only occupations).'),
    Column('annual_mean_usd', 'float64', 'USD/year',
           'Mean annual wage (A_MEAN); null where `*` (e.g. hourly-only occupations).'),
    Column('mean_rse_percent', 'float64', 'percent', 'Relative standard error of the mean wage (MEAN_PRSE).'),
    Column('hourly_p10_usd', 'float64', 'USD/hour', '10th-percentile hourly wage (H_PCT10).'),
    Column('hourly_p25_usd', 'float64', 'USD/hour', '25th-percentile hourly wage (H_PCT25).'),
    Column('hourly_median_usd', 'float64', 'USD/hour', 'Median hourly wage (H_MEDIAN).'),
    Column('hourly_p75_usd', 'float64', 'USD/hour', '75th-percentile hourly wage (H_PCT75).'),
    Column('hourly_p90_usd', 'float64', 'USD/hour', '90th-percentile hourly wage (H_PCT90).'),
    Column('annual_p10_usd', 'float64', 'USD/year', '10th-percentile annual wage (A_PCT10).'),
    Column('annual_p25_usd', 'float64', 'USD/year', '25th-percentile annual wage (A_PCT25).'),
    Column('annual_median_usd', 'float64', 'USD/year', 'Median annual wage (A_MEDIAN).'),
    Column('annual_p75_usd', 'float64', 'USD/year', '75th-percentile annual wage (A_PCT75).'),
    Column('annual_p90_usd', 'float64', 'USD/year', '90th-percentile annual wage (A_PCT90).'),
]
TOP_CODE_BOUNDS = {"hour": "$115.00 an hour", "year": "$239,200 a year"}  # May 2025's
OEWS_WAGES = [
    *WAGE_ESTIMATES,
    *(Column(f"{c.name}_top_coded", "bool", "flag", f"True where BLS printed `#` in `{c.name}`: the value stored is "
             f"the top-code bound ({TOP_CODE_BOUNDS[c.unit[4:]]} for 2025) and the true value is at or above it.")
      for c in WAGE_ESTIMATES if c.unit.startswith("USD/")),
    Column('annual_only', 'bool', 'flag',
           'ANNUAL=TRUE: BLS publishes only annual wages (e.g. teachers); hourly columns are null.'),
    Column('hourly_only', 'bool', 'flag',
           'HOURLY=TRUE: BLS publishes only hourly wages (e.g. actors); annual columns are null.'),
    Column('employment_released', 'bool', 'flag',
           'False where TOT_EMP is `**` (employment not released); wages may still be published.'),
]


TABLES: dict[str, Table] = {t.name: t for t in [
    Table(
        'projections', key=('vintage', 'soc_code'), may_be_empty=False,
        columns=[
            Column('vintage', 'str', '—',
                   "Projection period as BLS names it, ASCII hyphen: `2024-34`. Read from the file's headers."),
            Column('base_year', 'int64', 'year', 'First year of the period (employment base year), e.g. 2024.'),
            Column('projected_year', 'int64', 'year', 'Last year of the period, e.g. 2034.'),
            Column('soc_code', 'str', '—',
                   'SOC 2018 code `NN-NNNN` as BLS publishes it (`00-0000` = all occupations; BLS aggregates such '
                   'as `29-2010` are Line items too).'),
            Column('title', 'str', '—',
                   "BLS title, without the workbook's indentation, footnote marks or the CSV's example titles; the"
                   " CSV's `¿` read as `®`."),
            Column('occupation_type', 'str', '—',
                   "BLS's `Summary` or `Line item` (all CSV rows are Line items; the computed CSV total is "
                   '`Summary`).'),
            Column('hierarchy_depth', 'Int64', 'level',
                   'Indentation level of the title in the workbook (0 = total … 4); null for the CSV, which has no'
                   ' indentation.'),
            Column('example_titles', 'str', '—',
                   'Example job titles the data tool lists after the title (`; `-separated); `""` for workbook '
                   'vintages, which have none. `list` searches them for every vintage.'),
            Column('employment_base_people', 'Int64', 'people',
                   'Employment in `base_year`: the published thousands × 1,000 (so multiples of 100).'),
            Column('employment_projected_people', 'Int64', 'people',
                   'Projected employment in `projected_year`, people.'),
            Column('employment_change_people', 'Int64', 'people',
                   'Published numeric change over the period, people (may differ from projected − base by '
                   'rounding; for the computed total it is exactly projected − base).'),
            Column('change_percent', 'float64', 'percent',
                   'Percent employment change over the period as BLS publishes it (one decimal, computed by BLS '
                   'from unrounded employment; not recomputed). For the computed 2022–32 total: from the summed '
                   'rows, rounded to one decimal.'),
            Column('self_employed_percent', 'float64', 'percent',
                   'Percent of base-year employment that is self-employed (one decimal); null where BLS prints `—`'
                   ' and for the CSV, which lacks it.'),
            Column('openings_per_year', 'Int64', 'people',
                   'Occupational openings, annual average over the period (growth + labor force exits + '
                   'occupational transfers), people.'),
            Column('median_wage_usd', 'float64', 'USD/year',
                   'Median annual wage as printed in the EP file, for `wage_year` (May OEWS). When top-coded this '
                   'is the **bound**, not the median. Null where not published (`—`, `N/A`) and for the computed '
                   'total.'),
            Column('median_wage_top_coded', 'bool', 'flag',
                   'True when BLS printed the wage as `>=$239,200` / `>=239,200`: the true median is at or above '
                   '`median_wage_usd`. Show it as “at least”.'),
            Column('wage_year', 'int64', 'year',
                   'Year of the wage column, read from its header; equals `base_year` in the workbooks but is 2023'
                   ' for the 2022–32 CSV.'),
            Column('education', 'object', '—',
                   "Typical education needed for entry, in BLS's words; null for summary rows."),
            Column('experience', 'object', '—',
                   "Work experience in a related occupation, in BLS's words; `None` is a value (none needed), null"
                   ' means not given (summary rows).'),
            Column('training', 'object', '—',
                   "Typical on-the-job training needed to attain competency, in BLS's words; `None` is a value, as"
                   ' above.'),
            Column('is_computed', 'bool', 'flag',
                   'True only for a row we computed rather than read (the 2022–32 all-occupations total, summed '
                   'from the 832 detailed rows).'),
            Column('soc_level', 'str', '—',
                   '`total`, `major`, `minor`, `broad` or `detailed` (detailed = BLS Line item).'),
            Column('major_group_code', 'str', '—',
                   'SOC major group `NN-0000` the row belongs to (itself for a major group; `00-0000` for the '
                   'total).'),
            Column('minor_group_code', 'str', '—',
                   'SOC minor group (`NN-N000` or `NN-NN00`, whichever BLS publishes as a summary row in any '
                   'vintage on hand, so the 2022–32 rows get groups too); null for the total and the major groups.'),
            Column('broad_group_code', 'str', '—',
                   'SOC broad group `NN-NNN0` where BLS publishes one as a summary row (in any vintage on hand); '
                   'null otherwise.'),
            Column('all_occupations_change_percent', 'float64', 'percent',
                   'The all-occupations percent change of the same vintage (published total row, or the computed '
                   'one for 2022–32).'),
            Column('all_occupations_basis', 'str', '—',
                   '`published total row` or `computed by us from the detailed rows`.'),
            Column('change_vs_all_points', 'float64', 'points',
                   '`change_percent − all_occupations_change_percent`, in percentage points, one decimal.'),
            Column('outlook_label', 'str', '—',
                   "BLS's growth wording (`Much faster than average` … `Decline`) from the vintage's cut-offs in "
                   "`growth_wording`; null where the vintage's cut-offs are not on hand (2023–33, 2022–32) — never"
                   ' invented.'),
            Column('outlook_label_basis', 'str', '—',
                   "Where the label's cut-offs come from, or why there is no label."),
            Column('openings_per_100_jobs', 'float64', 'per 100 jobs',
                   '`100 × openings_per_year / employment_base_people`, one decimal, rounded half-up (the house '
                   'rule).'),
            Column('change_percent_rank', 'Int64', 'rank',
                   'Rank of `change_percent` among the detailed occupations of the vintage, 1 = fastest growth; '
                   'ties share the best rank. Null for non-detailed rows.'),
            Column('change_percent_rank_worst', 'Int64', 'rank',
                   'Worst possible place of `change_percent`: always equal to `change_percent_rank` (a published '
                   'percent is never top-coded); there so that every ranked measure has the same pair of columns.'),
            Column('change_percent_percentile', 'float64', 'percent',
                   "Share of the vintage's detailed occupations whose change is ≤ this one (0–100, one decimal). "
                   'Null for non-detailed rows.'),
            Column('openings_rank', 'Int64', 'rank',
                   'Rank of `openings_per_year` among detailed occupations, 1 = most openings.'),
            Column('openings_rank_worst', 'Int64', 'rank',
                   'Worst possible place of `openings_per_year`: always equal to `openings_rank` (openings are '
                   'never top-coded); there so that every ranked measure has the same pair of columns.'),
            Column('openings_percentile', 'float64', 'percent',
                   'Share of detailed occupations with ≤ this many openings (0–100).'),
            Column('median_wage_rank', 'Int64', 'rank',
                   'Best possible place of `median_wage_usd` among detailed occupations, 1 = highest; null where '
                   "the wage is missing. A top-coded median's best place is 1."),
            Column('median_wage_rank_worst', 'Int64', 'rank',
                   'Worst possible place: equal to `median_wage_rank` unless a top-coded value leaves the place '
                   'open (then the range is `median_wage_rank`–`median_wage_rank_worst`). '
                   '`change_percent_rank_worst` and `openings_rank_worst` exist too and always equal their rank.'),
            Column('median_wage_percentile', 'float64', 'percent',
                   'Share of detailed occupations with a median wage ≤ this one (0–100); null where the wage is '
                   'missing or top-coded (unknown).'),
            Column('openings_fewer_count', 'Int64', 'count',
                   'Detailed occupations of the vintage with strictly fewer openings a year (ties are not fewer): '
                   'what "more than X% of occupations" counts.'),
            Column('detailed_count', 'int64', 'count',
                   'Number of detailed occupations in the vintage (the denominator of the ranks), e.g. 832.'),
        ]),
    Table(
        'separations', key=('vintage', 'soc_code'), may_be_empty=False,
        columns=[
            Column('vintage', 'str', '—', 'Projection period, e.g. `2024-34`.'),
            Column('soc_code', 'str', '—', 'SOC code `NN-NNNN`, as in `projections`.'),
            Column('labor_force_exit_rate_percent', 'float64', 'percent',
                   'Labor force exit rate, annual average over the period, as BLS publishes it (one decimal).'),
            Column('occupational_transfer_rate_percent', 'float64', 'percent',
                   'Occupational transfer rate, annual average, as published.'),
            Column('separations_rate_percent', 'float64', 'percent',
                   'Total occupational separations rate (exits + transfers), annual average, as published.'),
            Column('labor_force_exits_per_year', 'Int64', 'people',
                   'Workers leaving the labor force, annual average, people.'),
            Column('occupational_transfers_per_year', 'Int64', 'people',
                   'Workers moving to other occupations, annual average, people.'),
            Column('separations_per_year', 'Int64', 'people',
                   'Total occupational separations, annual average, people (as published).'),
            Column('openings_per_year', 'Int64', 'people',
                   'Occupational openings, annual average, people (equal to `projections.openings_per_year`).'),
            Column('growth_openings_per_year', 'Int64', 'people',
                   "Openings from employment growth: BLS's annual average change in employment, table 1.2's "
                   'numeric change ÷ the years of the period (computed; rounded half-up to whole people); negative'
                   ' when employment declines. With exits and transfers it may not add exactly to the published '
                   'openings: BLS rounds each separately.'),
        ]),
    Table(
        'vintages', key=('vintage',), may_be_empty=False,
        columns=[
            Column('vintage', 'str', '—', 'Projection period, e.g. `2024-34`.'),
            Column('base_year', 'int64', 'year', 'First year of the period.'),
            Column('projected_year', 'int64', 'year', 'Last year of the period.'),
            Column('wage_year', 'int64', 'year',
                   "Year of the release's median-wage column (2023 for the 2022–32 CSV)."),
            Column('format', 'str', '—', '`ep-workbook` (`occupation.xlsx`) or `ep-csv` (data-tool export).'),
            Column('has_separations', 'bool', 'flag', 'True when the release has table 1.10 (rows in `separations`).'),
            Column('release', 'str', '—', 'The release as the sidecar describes it (publication date, notes).'),
            Column('source_file', 'str', '—', 'File name under `data/raw/bls-ep/<vintage>/`.'),
            Column('source_url', 'str', '—', "BLS's original URL, from the sidecar."),
            Column('source_sha256', 'str', '—', 'sha256 of the raw file.'),
            Column('all_occupations_change_percent', 'float64', 'percent',
                   'All-occupations percent change over the period (one decimal).'),
            Column('all_occupations_basis', 'str', '—',
                   '`published total row` or `computed by us from the detailed rows` (2022–32).'),
            Column('detailed_count', 'int64', 'count', 'Number of detailed occupations (Line items) in the release.'),
        ]),
    Table(
        'growth_wording', key=('vintage', 'label'), may_be_empty=False,
        columns=[
            Column('vintage', 'str', '—', 'Projection period the cut-offs apply to.'),
            Column('label', 'str', '—', "BLS's wording, e.g. `Much faster than average`."),
            Column('min_percent', 'Float64', 'percent', 'Lowest whole percent in the band; null = open below.'),
            Column('max_percent', 'Float64', 'percent', 'Highest whole percent in the band; null = open above.'),
            Column('basis', 'str', '—', 'How the cut-offs are known, e.g. `published` (from the cited publication).'),
            Column('source', 'str', '—', 'Citation of the cut-offs.'),
        ]),
    Table(
        'wages', key=('wage_year', 'area_code', 'soc_code'), may_be_empty=False,
        columns=[
            Column('wage_year', 'int64', 'year', 'OEWS reference year (May), from the file name `…M2025…`.'),
            Column('area_code', 'str', '—',
                   "`99` = U.S.; a state's 2-digit FIPS code (zero-padded, `06`); a metropolitan area's 5-digit "
                   "CBSA code (`26420`); a nonmetropolitan area's 7-digit OEWS code, its state's FIPS code first "
                   '(`0100001`).'),
            Column('area_title', 'str', '—',
                   'Area name as BLS writes it (`U.S.`, `California`, `Houston-Pasadena-The Woodlands, TX`, '
                   '`Northwest Alabama nonmetropolitan area`).'),
            Column('area_type', 'int64', 'code',
                   'OEWS area type: 1 = U.S., 2 = state (DC and the territories too, as the May 2025 files have '
                   "them), 3 = territory (BLS's code, not in the files on hand), 4 = metropolitan statistical "
                   'area, 6 = nonmetropolitan area.'),
            Column('area_type_name', 'str', '—',
                   'The area type in words: `national`, `state`, `territory`, `metropolitan`, `nonmetropolitan`.'),
            Column('state_code', 'str', '—',
                   "BLS's PRIM_STATE: the state's postal code (`CA`); for a metropolitan or nonmetropolitan area "
                   'its primary state (a metro area crossing state lines is filed under one: '
                   '`Allentown-Bethlehem-Easton, PA-NJ` → `PA`); `US` on national rows.'),
            Column('soc_code', 'str', '—', 'SOC code `NN-NNNN` (OEWS uses `00-0000` for all occupations).'),
            Column('title', 'str', '—', 'OEWS occupation title (OEWS capitalisation; may differ from the EP title).'),
            Column('o_group', 'str', '—', '`total`, `major`, `minor`, `broad` or `detailed`.'),
            Column('employment_people', 'Int64', 'people',
                   'Estimated employment (TOT_EMP), people, as published; null where not released (`**`).'),
            Column('employment_rse_percent', 'float64', 'percent',
                   'Relative standard error of the employment estimate (EMP_PRSE).'),
            Column('jobs_per_1000', 'float64', 'per 1,000 jobs',
                   'Jobs in the occupation per 1,000 jobs in the area (JOBS_1000); null on U.S. rows (BLS '
                   'publishes none) and where not released.'),
            Column('location_quotient', 'float64', 'ratio',
                   "The occupation's share of area employment ÷ its U.S. share (LOC_QUOTIENT); null on U.S. rows "
                   'and where not released.'),
            *OEWS_WAGES,
        ]),
    Table(
        'wages_industries', key=('wage_year', 'naics', 'own_code', 'soc_code'), may_be_empty=True,
        columns=[
            Column('wage_year', 'int64', 'year', 'OEWS reference year (May), from the file name `…M2025…`.'),
            Column('naics', 'str', '—',
                   "BLS's industry code as written (NAICS, padded to 6 characters: `622100`; sectors as BLS's time"
                   ' series write them, `62--63`; OEWS codes such as `3250A1`, `999101`, `000001`).'),
            Column('naics_title', 'str', '—',
                   "BLS's industry title (`General Medical and Surgical Hospitals`, `Hospitals, Privately Owned`)."),
            Column('industry_level', 'str', '—',
                   "BLS's I_GROUP: `sector`, `3-digit`, `4-digit`, `5-digit` or `cross-industry` (the private-only"
                   ' and all-government totals).'),
            Column('own_code', 'str', 'code',
                   "BLS's OWN_CODE: `1235` all ownerships; `5` private, `2` state and `3` local government (and "
                   "BLS's other combinations)."),
            Column('ownership_specific', 'bool', 'flag',
                   "True for OEWS's ownership-specific industries, which overlap the plain ones: every row whose "
                   '`own_code` is not `1235`, and the ownership totals BLS codes 1235 (`999001` all government; '
                   '`999101`, `999201`, `999301` federal, state and local government including schools, hospitals '
                   'and the Postal Service).'),
            Column('soc_code', 'str', '—', 'SOC code `NN-NNNN`.'),
            Column('title', 'str', '—', 'OEWS occupation title.'),
            Column('o_group', 'str', '—', '`total`, `major`, `minor`, `broad` or `detailed`.'),
            Column('employment_people', 'Int64', 'people',
                   'Estimated employment in the industry (TOT_EMP), people; null where not released (`**`).'),
            Column('employment_rse_percent', 'float64', 'percent',
                   'Relative standard error of the employment estimate (EMP_PRSE).'),
            Column('share_of_occupation_percent', 'float64', 'percent',
                   "**Computed by us**: `employment_people` as a percent of the occupation's U.S. cross-industry "
                   'employment of the same year (`wages`, area `99`), rounded half up to one decimal on the exact '
                   'ratio of the two whole numbers (29-2072 in 622100: 51,740 ÷ 194,720 → `26.6`). Null where '
                   'either is not published (or the U.S. row is not on hand). Shares of the plain industries of '
                   'one level add up to at most about 100.'),
            *OEWS_WAGES,
        ]),
    Table(
        'onet_occupations', key=('soc_code',), may_be_empty=False,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN` (joins to `projections`).'),
            Column('onet_soc_codes', 'str', '—',
                   'The O*NET-SOC codes joined to it (`; `-separated), e.g. `29-2072.00`; null when `match_rule` '
                   'is `none`.'),
            Column('match_rule', 'str', '—',
                   '`exact` (O*NET code prefix = the SOC code), `aggregate` (a BLS line covering several O*NET '
                   'occupations), or `none`.'),
            Column('match_note', 'str', '—', 'For aggregates: which SOC/O*NET occupations it covers; null otherwise.'),
            Column('onet_title', 'str', '—', 'O*NET title(s) of the primary (`.00`) code(s).'),
            Column('description', 'str', '—',
                   "O*NET's occupation description (for an aggregate: what it covers, then the first member's "
                   'description).'),
            Column('job_zone', 'Int64', '1–5',
                   'O*NET Job Zone (preparation needed, 1 = little … 5 = extensive) of the primary code(s); modal '
                   'zone, ties to the lower; null where O*NET has none.'),
            Column('job_zone_name', 'str', '—',
                   'Name of the job zone, e.g. `Job Zone Three: Medium Preparation Needed`.'),
            Column('job_zone_education', 'str', '—', "O*NET's description of the education typical of the zone."),
            Column('job_zone_experience', 'str', '—', "O*NET's description of the experience typical of the zone."),
            Column('job_zone_training', 'str', '—', "O*NET's description of the job training typical of the zone."),
            Column('has_tasks', 'bool', 'flag', 'True when O*NET lists task statements for the joined codes.'),
            Column('task_rating', 'str', '—',
                   '`rated` (some tasks are Core/Supplemental, i.e. rated by incumbents), `unrated` (only `n/a` '
                   'analyst tasks), `none` (no tasks).'),
            Column('interest_code', 'str', '—',
                   "The occupation's interest code: the letters (R I A S E C) of O*NET's interest high points in "
                   'order, e.g. `CI` for 29-2072; for an aggregate, chosen by `interest_code_rule`; null where '
                   'O*NET has no interest profile for a primary code (70 of 832 in 2024–34, all "All Other" '
                   'lines).'),
            Column('interest_code_rule', 'str', '—',
                   "`O*NET high points` (exact match: the `.00` code's), or for an aggregate the rule and every "
                   "member's code: `members agree; members: …`, `first member's; members: 29-2011.00 IRC, "
                   '29-2012.00 RIC`, `only member with high points; members: …` (see `docs/assumptions.md`); null '
                   'with `interest_code`.'),
            Column('interest_onet_soc_codes', 'str', '—',
                   'The O*NET code(s) whose profile gave the code (`; `-separated; several only when members '
                   'agree, and then their scores are averaged); null with `interest_code`.'),
            Column('onet_release', 'str', '—', 'O*NET database release, read from its `Read Me.txt` (e.g. `29.2`).'),
        ]),
    Table(
        'onet_tasks', key=('soc_code', 'onet_soc_code', 'task_id'), may_be_empty=True,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN` the item is joined to.'),
            Column('onet_soc_code', 'str', '—',
                   'The O*NET-SOC code the item comes from (e.g. `29-2072.00`; sub-codes such as `.01` are '
                   'specialties).'),
            Column('is_primary', 'bool', 'flag', 'True when `onet_soc_code` is a primary (`.00`) code of the join.'),
            Column('onet_title', 'str', '—', 'O*NET title of `onet_soc_code`.'),
            Column('task_id', 'Int64', 'id', 'O*NET Task ID.'),
            Column('task', 'str', '—', 'The task statement, verbatim.'),
            Column('task_type', 'str', '—',
                   '`Core`, `Supplemental` or `n/a` (analyst-written, not rated by incumbents).'),
            Column('task_order', 'int64', 'order',
                   '1-based display order within `soc_code`: Core, then Supplemental, then n/a, each by task ID.'),
            Column('onet_release', 'str', '—', 'O*NET database release, e.g. `29.2`.'),
        ]),
    Table(
        'onet_titles', key=('soc_code', 'title_rank'), may_be_empty=True,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN` the item is joined to.'),
            Column('onet_soc_code', 'str', '—',
                   'The O*NET-SOC code the item comes from (e.g. `29-2072.00`; sub-codes such as `.01` are '
                   'specialties).'),
            Column('is_primary', 'bool', 'flag', 'True when `onet_soc_code` is a primary (`.00`) code of the join.'),
            Column('title', 'str', '—',
                   'The job title, verbatim (e.g. `Medical Records Technician (Medical Records Tech)`).'),
            Column('kind', 'str', '—', '`reported` (Sample of Reported Titles) or `alternate` (Alternate Titles).'),
            Column('short_title', 'string', '—',
                   "O*NET's short title of an alternate title (e.g. `RHIT`); null otherwise."),
            Column('shown_in_my_next_move', 'boolean', 'flag',
                   'For reported titles: O*NET shows it in My Next Move; null for alternates.'),
            Column('sources', 'string', '—',
                   "For alternate titles: O*NET's source codes (comma-separated); null for reported titles."),
            Column('title_rank', 'int64', 'order',
                   '1-based rank within `soc_code`, best-known first: reported titles (My Next Move ones first), '
                   'then alternates with a short title, then alternates named by more sources; primary codes '
                   'first; then A–Z.'),
            Column('onet_release', 'str', '—', 'O*NET database release, e.g. `29.2`.'),
        ]),
    Table(
        'onet_technology', key=('soc_code', 'onet_soc_code', 'example'), may_be_empty=True,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN` the item is joined to.'),
            Column('onet_soc_code', 'str', '—',
                   'The O*NET-SOC code the item comes from (e.g. `29-2072.00`; sub-codes such as `.01` are '
                   'specialties).'),
            Column('is_primary', 'bool', 'flag', 'True when `onet_soc_code` is a primary (`.00`) code of the join.'),
            Column('example', 'str', '—', 'Software or technology product, e.g. `Microsoft Excel`.'),
            Column('commodity_title', 'str', '—', 'Its UNSPSC commodity class, e.g. `Spreadsheet software`.'),
            Column('hot_technology', 'bool', 'flag',
                   "O*NET's Hot Technology flag (frequently in employer job postings)."),
            Column('in_demand', 'bool', 'flag',
                   "O*NET's In Demand flag (frequently in job postings for this occupation)."),
            Column('onet_release', 'str', '—', 'O*NET database release, e.g. `29.2`.'),
        ]),
    Table(
        'onet_education', key=('soc_code', 'onet_soc_code', 'category'), may_be_empty=True,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN` the item is joined to.'),
            Column('onet_soc_code', 'str', '—',
                   'The O*NET-SOC code the item comes from (e.g. `29-2072.00`; sub-codes such as `.01` are '
                   'specialties).'),
            Column('is_primary', 'bool', 'flag', 'True when `onet_soc_code` is a primary (`.00`) code of the join.'),
            Column('category', 'int64', 'code',
                   "O*NET's education category number (1 = less than a high school diploma, 6 = bachelor's degree,"
                   ' 11 = doctoral degree, 12 = post-doctoral training).'),
            Column('category_label', 'str', '—', "The category's description."),
            Column('percent', 'float64', 'percent',
                   'Percent of respondents who said this level is required (O*NET Data Value).'),
            Column('recommend_suppress', 'boolean', 'flag',
                   'O*NET recommends suppressing the estimate (low precision); null where O*NET says `n/a`.'),
            Column('onet_release', 'str', '—', 'O*NET database release, e.g. `29.2`.'),
        ]),
    Table(
        'onet_job_zones', key=('job_zone',), may_be_empty=False,
        columns=[
            Column('job_zone', 'int64', '1–5', 'Job zone number.'),
            Column('name', 'str', '—', 'e.g. `Job Zone One: Little or No Preparation Needed`.'),
            Column('experience', 'str', '—', 'Experience typical of the zone.'),
            Column('education', 'str', '—', 'Education typical of the zone.'),
            Column('job_training', 'str', '—', 'Job training typical of the zone.'),
            Column('examples', 'str', '—', 'Example occupations.'),
            Column('svp_range', 'str', '—', 'Specific Vocational Preparation range, e.g. `(Below 4.0)`.'),
        ]),
    Table(
        'onet_interests', key=('soc_code', 'onet_soc_code', 'element_id'), may_be_empty=False,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN` the item is joined to.'),
            Column('onet_soc_code', 'str', '—', 'The O*NET-SOC code the profile belongs to.'),
            Column('is_primary', 'bool', 'flag', 'True when `onet_soc_code` is a primary (`.00`) code of the join.'),
            Column('element_id', 'str', '—',
                   'O*NET content-model element, `1.B.1.a` (Realistic) … `1.B.1.f` (Conventional).'),
            Column('interest', 'str', '—',
                   '`Realistic`, `Investigative`, `Artistic`, `Social`, `Enterprising` or `Conventional`.'),
            Column('letter', 'str', '—', '`R`, `I`, `A`, `S`, `E` or `C`.'),
            Column('score', 'float64', '1–7',
                   'How descriptive the interest is of the work (scale OI, as published: two decimals).'),
            Column('high_point_rank', 'Int64', 'rank',
                   '1, 2 or 3 when the interest is the first, second or third high point (scale IH); null '
                   'otherwise.'),
            Column('domain_source', 'str', '—', "O*NET's source of the rating, e.g. `Machine Learning`."),
            Column('date', 'str', 'month', 'When O*NET rated it, `MM/YYYY`.'),
            Column('onet_release', 'str', '—', 'O*NET database release, e.g. `29.2`.'),
        ]),
    Table(
        'onet_interest_types', key=('letter',), may_be_empty=False,
        columns=[
            Column('letter', 'str', '—', '`R`, `I`, `A`, `S`, `E`, `C`.'),
            Column('element_id', 'str', '—', '`1.B.1.a` … `1.B.1.f`.'),
            Column('interest', 'str', '—', "The type's name, e.g. `Conventional`."),
            Column('description', 'str', '—', "O*NET's own description of the type, verbatim."),
            Column('order', 'int64', 'order', "1–6, Holland's order (R, I, A, S, E, C)."),
        ]),
    Table(
        'onet_ratings', key=('soc_code', 'onet_soc_code', 'domain', 'element_id'), may_be_empty=False,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN` the item is joined to.'),
            Column('onet_soc_code', 'str', '—', 'The O*NET-SOC code rated.'),
            Column('is_primary', 'bool', 'flag', 'True when `onet_soc_code` is a primary (`.00`) code of the join.'),
            Column('domain', 'str', '—', '`skills`, `knowledge`, `work_styles` or `work_values`.'),
            Column('element_id', 'str', '—', 'O*NET content-model element, e.g. `2.A.1.a` (Reading Comprehension).'),
            Column('element_name', 'str', '—', "The element's name, from the Content Model Reference."),
            Column('description', 'str', '—', "O*NET's one-line description of the element, verbatim."),
            Column('importance', 'float64', '1–5', 'Importance (scale IM); null for work values.'),
            Column('importance_suppressed', 'bool', 'flag',
                   "O*NET's Recommend Suppress is `Y` on the importance estimate (low precision: do not show)."),
            Column('level', 'float64', '0–7',
                   'Level (scale LV, skills and knowledge only); what a level means: `onet_level_anchors`. Null '
                   'otherwise.'),
            Column('level_suppressed', 'bool', 'flag', 'Recommend Suppress is `Y` on the level estimate.'),
            Column('level_not_relevant', 'bool', 'flag',
                   "O*NET's Not Relevant is `Y` (most respondents rated the element not relevant, so its level "
                   'means nothing).'),
            Column('extent', 'float64', '1–7',
                   'Extent to which the occupation satisfies the work value (scale EX); null for the other '
                   'domains.'),
            Column('high_point_rank', 'Int64', 'rank',
                   'Work values: 1, 2 or 3 for the first, second or third high point (scale VH); null otherwise.'),
            Column('n_respondents', 'Int64', 'people',
                   "Respondents behind the importance estimate (O*NET's N; the level's N may differ by one or "
                   'two); null where O*NET gives none (analyst ratings, work values).'),
            Column('date', 'str', 'month', 'When O*NET rated it, `MM/YYYY`.'),
            Column('domain_source', 'str', '—',
                   '`Incumbent`, `Occupational Expert`, `Analyst`, `Analyst - Transition`.'),
            Column('onet_release', 'str', '—', 'O*NET database release, e.g. `29.2`.'),
        ]),
    Table(
        'onet_level_anchors', key=('element_id', 'anchor_value'), may_be_empty=False,
        columns=[
            Column('element_id', 'str', '—', 'Content-model element, e.g. `2.A.1.a`.'),
            Column('element_name', 'str', '—', 'e.g. `Reading Comprehension`.'),
            Column('anchor_value', 'float64', '0–7',
                   'The point of the level scale the anchor describes, e.g. `2`, `4`, `6`.'),
            Column('anchor_text', 'str', '—',
                   'The anchor, verbatim, e.g. `Read step-by-step instructions for completing a form`.'),
        ]),
    Table(
        'onet_activities', key=('soc_code', 'dwa_id'), may_be_empty=False,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN`.'),
            Column('onet_soc_code', 'str', '—',
                   'The first O*NET code that links a task to the DWA (`.00` codes first).'),
            Column('is_primary', 'bool', 'flag',
                   'True when a primary (`.00`) code of the join links a task to the DWA.'),
            Column('dwa_id', 'str', '—', 'O*NET DWA ID, e.g. `4.A.4.c.1.I01.D06`.'),
            Column('dwa_title', 'str', '—', 'The activity, e.g. `Perform clerical work in medical settings.`'),
            Column('iwa_id', 'str', '—', 'The intermediate work activity (IWA) the DWA belongs to.'),
            Column('iwa_title', 'str', '—', 'Its title, e.g. `Perform administrative or clerical activities.`'),
            Column('task_count', 'int64', 'count',
                   "The occupation's task statements (over all its O*NET codes) that O*NET links to the DWA."),
            Column('activity_order', 'int64', 'order', '1-based within `soc_code`: most tasks first, then by title.'),
            Column('onet_release', 'str', '—', 'O*NET database release, e.g. `29.2`.'),
        ]),
    Table(
        'onet_tools', key=('soc_code', 'example'), may_be_empty=False,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN`.'),
            Column('onet_soc_code', 'str', '—', 'The O*NET code that lists it (`.00` first).'),
            Column('is_primary', 'bool', 'flag', 'True when `onet_soc_code` is a primary (`.00`) code of the join.'),
            Column('example', 'str', '—', 'The tool, e.g. `Barcode scanners`.'),
            Column('commodity_code', 'str', '—', 'Its UNSPSC commodity code, 8 digits, e.g. `43211701`.'),
            Column('commodity_title', 'str', '—', 'Its UNSPSC commodity, e.g. `Bar code reader equipment`.'),
            Column('onet_release', 'str', '—', 'O*NET database release, e.g. `29.2`.'),
        ]),
    Table(
        'onet_related', key=('soc_code', 'related_onet_soc_code'), may_be_empty=False,
        columns=[
            Column('soc_code', 'str', '—', 'BLS SOC code `NN-NNNN` the list belongs to.'),
            Column('onet_soc_code', 'str', '—', 'The member `.00` code whose list the entry comes from.'),
            Column('is_primary', 'bool', 'flag', 'Always True (lists are taken from primary codes).'),
            Column('related_soc_code', 'str', '—',
                   'The BLS detailed code the related occupation belongs to (joins to `projections`); null when no'
                   ' BLS line covers it (none in 29.2 against 2024–34).'),
            Column('related_onet_soc_code', 'str', '—', 'The related O*NET-SOC code, e.g. `31-9094.00`.'),
            Column('related_onet_title', 'str', '—', 'Its O*NET title.'),
            Column('tier', 'str', '—',
                   "`Primary-Short`, `Primary-Long` or `Supplemental` (O*NET's relatedness tiers, closest first)."),
            Column('onet_index', 'int64', 'order', "O*NET's index 1–20 within the member's list."),
            Column('related_order', 'int64', 'order',
                   '1-based display order within `soc_code`, after dropping self-references and repeated BLS '
                   'lines.'),
            Column('onet_release', 'str', '—', 'O*NET database release, e.g. `29.2`.'),
        ]),
    Table(
        'careers', key=('soc_code', 'section', 'position'), may_be_empty=True,
        columns=[
            Column('soc_code', 'str', '—', "SOC code `NN-NNNN` the fact is about (the file's name)."),
            Column('section', 'str', '—', '`summary`, `roles`, `entry_path`, `pros`, `cons` or `figures`.'),
            Column('position', 'int64', 'order', '1-based position within the section, as in the YAML.'),
            Column('heading', 'str', '—', 'Role name (`roles`) or figure label (`figures`); null for other sections.'),
            Column('text', 'str', '—',
                   'The fact in our words (for `figures`: the value as the source states it, with its years), '
                   'whitespace collapsed.'),
            Column('source_id', 'str', '—', 'Citation id within the file.'),
            Column('source_title', 'str', '—', 'Title of the cited source.'),
            Column('source_publisher', 'str', '—', 'Its publisher.'),
            Column('source_kind', 'str', '—', 'What kind of source it is, e.g. `third-party career guide`.'),
            Column('source_note', 'str', '—', 'Caveats about the source (e.g. whose figures, which years).'),
            Column('curated_file', 'str', '—', 'The YAML file the fact came from.'),
        ]),
    Table(
        'sources', key=('path',), may_be_empty=False,
        columns=[
            Column('dataset', 'str', '—', '`bls-ep`, `bls-oews` or `onet`.'),
            Column('release', 'str', '—', 'The release as the sidecar describes it.'),
            Column('vintage', 'str', '—', 'EP projection period (`""` for other datasets).'),
            Column('wage_year', 'str', '—', 'OEWS wage year (`""` for other datasets).'),
            Column('format', 'str', '—', 'Detected format, e.g. `ep-workbook`, `ep-csv`, `oews`.'),
            Column('title', 'str', '—', "The file's title or name."),
            Column('producer', 'str', '—', 'Who produced the data (BLS program, O*NET Center).'),
            Column('url', 'str', '—', 'Original URL.'),
            Column('retrieved_from', 'str', '—', 'Where this copy actually came from.'),
            Column('retrieved_on', 'str', 'date', 'Date retrieved (ISO).'),
            Column('license', 'str', '—', 'License or terms.'),
            Column('sha256', 'str', '—', 'sha256 of the raw file (checked at every build).'),
            Column('attribution', 'str', '—', 'Attribution text the license requires (O*NET), else `""`.'),
            Column('path', 'str', '—', 'Path of the raw file relative to the project root.'),
        ]),
    Table(
        'row_digests', key=('table', 'key_column', 'key'), may_be_empty=True,
        columns=[
            Column('table', 'str', '—', 'The table digested, e.g. `wages`.'),
            Column('key_column', 'str', '—',
                   '`soc_code` or `major_group_code` for the digest of the rows holding one value; `""` for the '
                   'whole table.'),
            Column('key', 'str', '—', 'That value, e.g. `29-2072`; `""` for the whole table.'),
            Column('digest', 'str', '—', 'The digest.'),
        ]),
]}
