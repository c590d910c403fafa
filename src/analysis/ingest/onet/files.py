"""O*NET's release files: which we read, the columns and closed vocabularies we rely on, and reading one with
those checked.

In: a release folder (e.g. ``data/raw/onet/29.2/``; large text files may be ``.txt.gz``; Skills and Knowledge
come as O*NET's Excel files). Out: each file as a DataFrame of strings (an Excel file's numbers in their
shortest decimal form, its empty cells as the text format's ``n/a``), the release number from ``Read Me.txt``,
the credit line O*NET's licence asks for; a DataError naming the file, row and column for anything malformed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.titles import first_bad_title

DEFAULT_RELEASE = "29.2"
README = "Read Me.txt"
CROSSWALK = "2019_to_SOC_Crosswalk.xlsx"
CROSSWALK_COLUMNS = ("O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title", "2018 SOC Code", "2018 SOC Title")
AGGREGATES_FILE = "onet_aggregates.csv"
AGGREGATES_COLUMNS = ("bls_soc_code", "onet_soc_code", "note")


# Which files we read and the columns we rely on (other columns may come and go between releases).
# Names are the uncompressed ones; "<name>.gz" is read when that is what the folder holds.
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "occupations": ("Occupation Data.txt", ("O*NET-SOC Code", "Title", "Description")),
    "tasks": ("Task Statements.txt", ("O*NET-SOC Code", "Task ID", "Task", "Task Type")),
    "job_zones": ("Job Zones.txt", ("O*NET-SOC Code", "Job Zone")),
    "job_zone_reference": ("Job Zone Reference.txt",
                           ("Job Zone", "Name", "Experience", "Education", "Job Training", "Examples",
                            "SVP Range")),
    "education": ("Education, Training, and Experience.txt",
                  ("O*NET-SOC Code", "Element ID", "Scale ID", "Category", "Data Value",
                   "Recommend Suppress")),
    "education_categories": ("Education, Training, and Experience Categories.txt",
                             ("Element ID", "Scale ID", "Category", "Category Description")),
    "technology": ("Technology Skills.txt",
                   ("O*NET-SOC Code", "Example", "Commodity Title", "Hot Technology", "In Demand")),
    "alternate_titles": ("Alternate Titles.txt",
                         ("O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)")),
    "reported_titles": ("Sample of Reported Titles.txt",
                        ("O*NET-SOC Code", "Reported Job Title", "Shown in My Next Move")),
    "interests": ("Interests.txt", ("O*NET-SOC Code", "Element ID", "Scale ID", "Data Value", "Date",
                                    "Domain Source")),
    "work_styles": ("Work Styles.txt", ("O*NET-SOC Code", "Element ID", "Scale ID", "Data Value", "N",
                                        "Recommend Suppress", "Date", "Domain Source")),
    "work_values": ("Work Values.txt", ("O*NET-SOC Code", "Element ID", "Scale ID", "Data Value", "Date",
                                        "Domain Source")),
    "skills": ("Skills.xlsx", ("O*NET-SOC Code", "Element ID", "Scale ID", "Data Value", "N", "Recommend Suppress",
                               "Not Relevant", "Date", "Domain Source")),
    "knowledge": ("Knowledge.xlsx", ("O*NET-SOC Code", "Element ID", "Scale ID", "Data Value", "N",
                                     "Recommend Suppress", "Not Relevant", "Date", "Domain Source")),
    "scales": ("Scales Reference.txt", ("Scale ID", "Scale Name", "Minimum", "Maximum")),
    "content_model": ("Content Model Reference.txt", ("Element ID", "Element Name", "Description")),
    "level_anchors": ("Level Scale Anchors.txt",
                      ("Element ID", "Element Name", "Scale ID", "Anchor Value", "Anchor Description")),
    "related": ("Related Occupations.txt", ("O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index")),
    "tools": ("Tools Used.txt", ("O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title")),
    "tasks_to_dwas": ("Tasks to DWAs.txt", ("O*NET-SOC Code", "Task ID", "DWA ID")),
    "dwa_reference": ("DWA Reference.txt", ("IWA ID", "DWA ID", "DWA Title")),
    "iwa_reference": ("IWA Reference.txt", ("IWA ID", "IWA Title")),
}


# Closed vocabularies checked on read: (file key, column) -> allowed values.
ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    ("tasks", "Task Type"): frozenset({"Core", "Supplemental", "n/a"}),
    ("job_zones", "Job Zone"): frozenset({"1", "2", "3", "4", "5"}),
    ("job_zone_reference", "Job Zone"): frozenset({"1", "2", "3", "4", "5"}),
    ("technology", "Hot Technology"): frozenset({"Y", "N"}),
    ("technology", "In Demand"): frozenset({"Y", "N"}),
    ("reported_titles", "Shown in My Next Move"): frozenset({"Y", "N"}),
    ("education", "Recommend Suppress"): frozenset({"Y", "N", "n/a"}),
    ("interests", "Scale ID"): frozenset({"OI", "IH"}),
    ("work_styles", "Scale ID"): frozenset({"IM"}),
    ("work_values", "Scale ID"): frozenset({"EX", "VH"}),
    ("skills", "Scale ID"): frozenset({"IM", "LV"}),
    ("knowledge", "Scale ID"): frozenset({"IM", "LV"}),
    ("work_styles", "Recommend Suppress"): frozenset({"Y", "N", "n/a"}),
    ("skills", "Recommend Suppress"): frozenset({"Y", "N", "n/a"}),
    ("knowledge", "Recommend Suppress"): frozenset({"Y", "N", "n/a"}),
    ("skills", "Not Relevant"): frozenset({"Y", "N", "n/a"}),
    ("knowledge", "Not Relevant"): frozenset({"Y", "N", "n/a"}),
    ("related", "Relatedness Tier"): frozenset({"Primary-Short", "Primary-Long", "Supplemental"}),
    ("related", "Index"): frozenset(str(i) for i in range(1, 21)),
}


# O*NET's flags as nullable booleans ("n/a" = not applicable, e.g. a category with no estimate).
FLAG = {"Y": True, "N": False, "n/a": pd.NA}
TASK_TYPE_ORDER = {"Core": 0, "Supplemental": 1, "n/a": 2}
ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
CODE_COLUMNS = ("O*NET-SOC Code", "Related O*NET-SOC Code")  # checked against ONET_CODE wherever a file has them
EXCEL = ".xlsx"
RELEASE = re.compile(r"O\*NET\s+(\d+\.\d+)\s+Database")
COLUMNS = {
    "onet_occupations": ["soc_code", "onet_soc_codes", "match_rule", "match_note", "onet_title",
                         "description", "job_zone", "job_zone_name", "job_zone_education",
                         "job_zone_experience", "job_zone_training", "has_tasks", "task_rating",
                         "interest_code", "interest_code_rule", "interest_onet_soc_codes", "onet_release"],
    "onet_tasks": ["soc_code", "onet_soc_code", "is_primary", "onet_title", "task_id", "task", "task_type",
                   "task_order", "onet_release"],
    "onet_titles": ["soc_code", "onet_soc_code", "is_primary", "title", "kind", "short_title",
                    "shown_in_my_next_move", "sources", "title_rank", "onet_release"],
    "onet_technology": ["soc_code", "onet_soc_code", "is_primary", "example", "commodity_title",
                        "hot_technology", "in_demand", "onet_release"],
    "onet_education": ["soc_code", "onet_soc_code", "is_primary", "category", "category_label", "percent",
                       "recommend_suppress", "onet_release"],
    "onet_job_zones": ["job_zone", "name", "experience", "education", "job_training", "examples",
                       "svp_range"],
    "onet_interests": ["soc_code", "onet_soc_code", "is_primary", "element_id", "interest", "letter", "score",
                       "high_point_rank", "domain_source", "date", "onet_release"],
    "onet_interest_types": ["letter", "element_id", "interest", "description", "order"],
    "onet_ratings": ["soc_code", "onet_soc_code", "is_primary", "domain", "element_id", "element_name",
                     "description", "importance", "importance_suppressed", "level", "level_suppressed",
                     "level_not_relevant", "extent", "high_point_rank", "n_respondents", "date", "domain_source",
                     "onet_release"],
    "onet_level_anchors": ["element_id", "element_name", "anchor_value", "anchor_text"],
    "onet_activities": ["soc_code", "onet_soc_code", "is_primary", "dwa_id", "dwa_title", "iwa_id", "iwa_title",
                        "task_count", "activity_order", "onet_release"],
    "onet_tools": ["soc_code", "onet_soc_code", "is_primary", "example", "commodity_code", "commodity_title",
                   "onet_release"],
    "onet_related": ["soc_code", "onet_soc_code", "is_primary", "related_soc_code", "related_onet_soc_code",
                     "related_onet_title", "tier", "onet_index", "related_order", "onet_release"],
}


def attribution(release: str = DEFAULT_RELEASE) -> str:
    """The credit line O*NET's CC BY 4.0 licence asks for, for ``release`` (e.g. "29.2")."""
    return (f"This report incorporates information from the O*NET {release} Database by the U.S. Department "
            "of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. "
            "O*NET® is a trademark of USDOL/ETA.")


ATTRIBUTION = attribution()


def folder_of(path) -> Path:
    path = Path(path)
    return path.parent if path.is_file() else path


def read_release(folder) -> str:
    """The release number ("29.2") named in the folder's ``Read Me.txt``; DataError if absent."""
    readme = folder_of(folder) / README
    if not readme.is_file():
        raise DataError(readme, "O*NET Read Me.txt is missing; it names the release")
    match = RELEASE.search(readme.read_text(encoding="utf-8", errors="replace"))
    if not match:
        raise DataError(readme, "no 'O*NET <n.n> Database' release line")
    return match.group(1)


def detect(path) -> dict | None:
    """``{"format": "onet", "release": "29.2"}`` for an O*NET release folder or a file in one; else None."""
    folder = folder_of(path)
    if not (folder / FILES["occupations"][0]).is_file():
        return None
    try:
        return {"format": "onet", "release": read_release(folder)}
    except DataError:
        return None


def locate(folder: Path, name: str) -> Path:
    for candidate in (folder / name, folder / (name + ".gz")):
        if candidate.is_file():
            return candidate
    raise DataError(folder / name, "O*NET file is missing (looked for .txt and .txt.gz)")


def read_text(path: Path) -> pd.DataFrame:
    try:
        # keep_default_na=False: O*NET writes "n/a" as a real value (Task Type, Short Title, flags).
        return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=3, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, OSError, EOFError) as exc:
        raise DataError(path, f"not a readable tab-delimited O*NET file ({exc.__class__.__name__})") from None


def cell_text(value) -> str:
    """An Excel cell as the text release writes it: a number in its shortest decimal form (4.12, 8), an empty
    cell as "n/a" (O*NET's Excel files leave blank what the text files write as n/a)."""
    if isinstance(value, str):
        return value if value != "" else "n/a"
    if isinstance(value, bool):  # a TRUE/FALSE cell is not a number O*NET writes
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_excel(path: Path) -> pd.DataFrame:
    """The first sheet of an O*NET Excel file, header row first, every cell as text (:func:`cell_text`)."""
    try:
        # calamine: Skills.xlsx (61,530 rows) in 0.8 s here, openpyxl in 5 s; na_filter=False keeps cells as they are.
        df = pd.read_excel(path, sheet_name=0, engine="calamine", dtype=object, na_filter=False)
    except Exception as exc:  # calamine raises its own types for a damaged or non-Excel file
        raise DataError(path, f"not a readable Excel workbook ({exc.__class__.__name__})") from None
    df.columns = [str(c) for c in df.columns]
    return pd.DataFrame({c: [cell_text(v) for v in df[c]] for c in df.columns}, index=df.index, dtype=str)


def read_table(folder: Path, key: str) -> pd.DataFrame:
    """One O*NET file as strings, with its required columns, codes and closed vocabularies checked.

    The frame keeps the file's row order in its index: row ``i`` is line (or sheet row) ``i + 2``.
    """
    name, required = FILES[key]
    path = locate(folder, name)
    df = read_excel(path) if name.endswith(EXCEL) else read_text(path)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(path, f"missing required column(s): {', '.join(missing)}")
    if df.empty:  # every file of a release has rows: a header alone is a cut-off copy, not "no tasks anywhere"
        raise DataError(path, "has a header row but no data rows")
    for column in CODE_COLUMNS:
        if column in df.columns:
            bad = df.loc[~df[column].str.match(ONET_CODE), column]
            if len(bad):
                raise DataError(path, f"malformed O*NET-SOC code {bad.iloc[0]!r} in column {column!r}",
                                f"row {bad.index[0] + 2}")
    for column in df.columns:  # titles and names no release holds (a megabyte, a NUL) stop here, not in a report
        if column.endswith(("Title", "Name")) and (bad := first_bad_title(df[column])):
            raise DataError(path, bad[1], f"row {df.index[bad[0]] + 2}, column {column!r}")
    for (file_key, column), allowed in ALLOWED.items():
        if file_key == key:
            bad = df.loc[~df[column].isin(allowed), column]
            if len(bad):
                raise DataError(path, f"unexpected {column} value {bad.iloc[0]!r}", f"row {bad.index[0] + 2}")
    return df


def check_crosswalk(folder: Path, occupations: pd.DataFrame) -> None:
    """Raise DataError unless O*NET's own crosswalk says every code's first 7 characters are its SOC code."""
    path = locate(folder, CROSSWALK)
    try:
        sheet = pd.read_excel(path, header=None, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise DataError(path, f"cannot read crosswalk workbook ({exc.__class__.__name__})") from None
    # The sheet opens with title rows; the header is the row whose first cell names the code column.
    header_rows = sheet.index[sheet.iloc[:, 0] == CROSSWALK_COLUMNS[0]]
    if not len(header_rows):
        raise DataError(path, f"no header row with {CROSSWALK_COLUMNS[0]!r}")
    head = header_rows[0]
    xw = sheet.iloc[head + 1:].set_axis(sheet.iloc[head].tolist(), axis=1).dropna(how="all")
    missing = [c for c in CROSSWALK_COLUMNS if c not in xw.columns]
    if missing:
        raise DataError(path, f"missing required column(s): {', '.join(missing)}")
    code, soc = xw["O*NET-SOC 2019 Code"].str.strip(), xw["2018 SOC Code"].str.strip()
    disagree = code[code.str[:7] != soc]
    if len(disagree):
        i = disagree.index[0]
        raise DataError(path, f"{disagree.iloc[0]} maps to SOC {soc[i]}, not its first 7 characters;"
                        " the prefix join rule does not hold")
    unlisted = sorted(set(occupations["O*NET-SOC Code"]) - set(code))
    if unlisted:
        raise DataError(path, f"{len(unlisted)} Occupation Data code(s) missing here, e.g. {unlisted[0]}")
