"""O*NET's text-format release files: which we read, the columns and closed vocabularies we rely on, and
reading one with those checked.

In: a release folder (e.g. ``data/raw/onet/29.2/``; large files may be ``.txt.gz``). Out: each file as a
DataFrame of strings, the release number from ``Read Me.txt``, the credit line O*NET's licence asks for;
a DataError naming the file, row and column for anything malformed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import DataError

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
}


# O*NET's flags as nullable booleans ("n/a" = not applicable, e.g. a category with no estimate).
FLAG = {"Y": True, "N": False, "n/a": pd.NA}
TASK_TYPE_ORDER = {"Core": 0, "Supplemental": 1, "n/a": 2}
ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
RELEASE = re.compile(r"O\*NET\s+(\d+\.\d+)\s+Database")
COLUMNS = {
    "onet_occupations": ["soc_code", "onet_soc_codes", "match_rule", "match_note", "onet_title",
                         "description", "job_zone", "job_zone_name", "job_zone_education",
                         "job_zone_experience", "job_zone_training", "has_tasks", "task_rating",
                         "onet_release"],
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


def read_table(folder: Path, key: str) -> pd.DataFrame:
    """One O*NET file as strings, with its required columns and closed vocabularies checked."""
    name, required = FILES[key]
    path = locate(folder, name)
    try:
        # keep_default_na=False: O*NET writes "n/a" as a real value (Task Type, Short Title, flags).
        df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=3, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, OSError, EOFError) as exc:
        raise DataError(path, f"not a readable tab-delimited O*NET file ({exc.__class__.__name__})") from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(path, f"missing required column(s): {', '.join(missing)}")
    if df.empty:  # every file of a release has rows: a header alone is a cut-off copy, not "no tasks anywhere"
        raise DataError(path, "has a header row but no data rows")
    if "O*NET-SOC Code" in df.columns:
        bad = df.loc[~df["O*NET-SOC Code"].str.match(ONET_CODE), "O*NET-SOC Code"]
        if len(bad):
            raise DataError(path, f"malformed O*NET-SOC code {bad.iloc[0]!r}", f"row {bad.index[0] + 2}")
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
        sheet = pd.read_excel(path, header=None, dtype=str)
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
