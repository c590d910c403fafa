"""O*NET text-format release joined to BLS detailed occupations.

In: a folder of O*NET database text files (e.g. ``data/raw/onet/29.2/``; large ones may be ``.txt.gz``) and
the BLS detailed occupations (``soc_code``, ``title``). Out: tidy tables keyed on the BLS ``soc_code`` —
description and job zone, tasks, job titles, technology, required education — plus the Job Zone reference.
An O*NET-SOC code's first 7 characters are its SOC code (checked against O*NET's crosswalk); BLS lines that
combine several SOC/O*NET occupations are joined through ``data/reference/onet_aggregates.csv`` or their
SOC broad group. Join rules and caveats: docs/assumptions.md, "O*NET joins".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataError

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
EDUCATION_ELEMENT, EDUCATION_SCALE = "2.D.1", "RL"  # Required Level of Education, % of respondents

ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
SOC_CODE = re.compile(r"^\d{2}-\d{4}$")
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


def _folder_of(path) -> Path:
    path = Path(path)
    return path.parent if path.is_file() else path


def read_release(folder) -> str:
    """The release number ("29.2") named in the folder's ``Read Me.txt``; DataError if absent."""
    readme = _folder_of(folder) / README
    if not readme.is_file():
        raise DataError(readme, "O*NET Read Me.txt is missing; it names the release")
    match = RELEASE.search(readme.read_text(encoding="utf-8", errors="replace"))
    if not match:
        raise DataError(readme, "no 'O*NET <n.n> Database' release line")
    return match.group(1)


def detect(path) -> dict | None:
    """``{"format": "onet", "release": "29.2"}`` for an O*NET release folder or a file in one; else None."""
    folder = _folder_of(path)
    if not (folder / FILES["occupations"][0]).is_file():
        return None
    try:
        return {"format": "onet", "release": read_release(folder)}
    except DataError:
        return None


def _locate(folder: Path, name: str) -> Path:
    for candidate in (folder / name, folder / (name + ".gz")):
        if candidate.is_file():
            return candidate
    raise DataError(folder / name, "O*NET file is missing (looked for .txt and .txt.gz)")


def _read_table(folder: Path, key: str) -> pd.DataFrame:
    """One O*NET file as strings, with its required columns and closed vocabularies checked."""
    name, required = FILES[key]
    path = _locate(folder, name)
    try:
        # keep_default_na=False: O*NET writes "n/a" as a real value (Task Type, Short Title, flags).
        df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=3, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, OSError, EOFError) as exc:
        raise DataError(path, f"not a readable tab-delimited O*NET file ({exc.__class__.__name__})") from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(path, f"missing required column(s): {', '.join(missing)}")
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


def _check_crosswalk(folder: Path, occupations: pd.DataFrame) -> None:
    """Raise DataError unless O*NET's own crosswalk says every code's first 7 characters are its SOC code."""
    path = _locate(folder, CROSSWALK)
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


def _check_bls(bls_occupations: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("soc_code", "title") if c not in bls_occupations.columns]
    if missing:
        raise DataError("bls_occupations", f"missing required column(s): {', '.join(missing)}")
    bls = bls_occupations[["soc_code", "title"]].astype({"soc_code": str}).reset_index(drop=True)
    bad = bls.loc[~bls["soc_code"].str.match(SOC_CODE), "soc_code"]
    if len(bad):
        raise DataError("bls_occupations", f"soc_code {bad.iloc[0]!r} is not NN-NNNN")
    dup = bls.loc[bls["soc_code"].duplicated(), "soc_code"]
    if len(dup):
        raise DataError("bls_occupations", f"soc_code {dup.iloc[0]} appears more than once")
    return bls


def _read_aggregates(path, known_codes: set[str]) -> dict[str, tuple[list[str], str]]:
    """The hand-kept aggregate table: BLS code -> (its O*NET-SOC codes, note)."""
    path = Path(path) if path is not None else paths.project().reference / AGGREGATES_FILE
    if not path.is_file():
        raise DataError(path, "O*NET aggregate mapping table is missing")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in AGGREGATES_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(path, f"missing required column(s): {', '.join(missing)}")
    for i, row in table.iterrows():
        if not SOC_CODE.match(row["bls_soc_code"]):
            raise DataError(path, f"bls_soc_code {row['bls_soc_code']!r} is not NN-NNNN", f"row {i + 2}")
        if row["onet_soc_code"] not in known_codes:
            raise DataError(path, f"onet_soc_code {row['onet_soc_code']!r} is not in O*NET Occupation Data",
                            where=f"row {i + 2}")
    return {bls: (sorted(group["onet_soc_code"]), group["note"].iloc[0])
            for bls, group in table.groupby("bls_soc_code")}


@dataclass(frozen=True)
class _Match:
    codes: list[str]     # every O*NET-SOC code whose content is used
    primary: list[str]   # the ".00" codes that speak for each SOC occupation (title, description, zone)
    note: str | None


@dataclass(frozen=True)
class _Context:
    by_soc: dict[str, list[str]]                       # SOC code -> its O*NET-SOC codes
    aggregates: dict[str, tuple[list[str], str]]
    bls_codes: frozenset[str]


def _primary(codes: list[str]) -> list[str]:
    return [c for c in codes if c.endswith(".00")] or codes[:1]


def _match_exact(soc: str, ctx: _Context) -> _Match | None:
    codes = ctx.by_soc.get(soc)
    return _Match(codes, _primary(codes), None) if codes else None


def _match_table(soc: str, ctx: _Context) -> _Match | None:
    if soc not in ctx.aggregates:
        return None
    codes, note = ctx.aggregates[soc]
    return _Match(codes, _primary(codes), note)


def _match_broad_group(soc: str, ctx: _Context) -> _Match | None:
    # A BLS code ending in 0 names a SOC broad group (29-2010 = 29-201x); its members are the detailed codes
    # in that group that BLS does not publish as lines of their own.
    if not soc.endswith("0"):
        return None
    members = sorted(s for s in ctx.by_soc if s[:6] == soc[:6] and s != soc and s not in ctx.bls_codes)
    if not members:
        return None
    codes = [c for s in members for c in ctx.by_soc[s]]
    return _Match(codes, _primary(codes), f"SOC broad group {soc[:6]}x: {', '.join(members)}")


# Tried in order; the first that finds O*NET codes decides the rule. No match at all: "none".
MATCHERS = (("exact", _match_exact), ("aggregate", _match_table), ("aggregate", _match_broad_group))


def _modal_zone(zones: list[int]) -> int | None:
    """Most common zone; a tie goes to the lower zone (the less preparation claimed)."""
    if not zones:
        return None
    counts = Counter(zones)
    return max(counts, key=lambda z: (counts[z], -z))


def build_onet_tables(folder, bls_occupations: pd.DataFrame, *, aggregates=None) -> dict[str, pd.DataFrame]:
    """O*NET content for each BLS detailed occupation.

    In: ``folder`` holding an O*NET text release (or a file inside it); ``bls_occupations`` with columns
    ``soc_code`` ('NN-NNNN') and ``title``; ``aggregates``, the BLS-aggregate mapping CSV (default
    ``data/reference/onet_aggregates.csv``). Out: a dict of DataFrames — onet_occupations (one row per BLS
    code, unmatched ones included with match_rule 'none'), onet_tasks, onet_titles, onet_technology,
    onet_education (keyed on soc_code + onet_soc_code), and onet_job_zones (the 5-row reference).
    Raises DataError naming the file (and column) when an input is missing or malformed.
    """
    folder = _folder_of(folder)
    release = read_release(folder)
    raw = {key: _read_table(folder, key) for key in FILES}
    occ = raw["occupations"]
    _check_crosswalk(folder, occ)
    bls = _check_bls(bls_occupations)

    by_soc: dict[str, list[str]] = {}
    for code in sorted(occ["O*NET-SOC Code"]):
        by_soc.setdefault(code[:7], []).append(code)
    ctx = _Context(by_soc, _read_aggregates(aggregates, set(occ["O*NET-SOC Code"])),
                   frozenset(bls["soc_code"]))

    title = dict(zip(occ["O*NET-SOC Code"], occ["Title"], strict=True))
    description = dict(zip(occ["O*NET-SOC Code"], occ["Description"], strict=True))
    jz = raw["job_zones"]
    zone_of = dict(zip(jz["O*NET-SOC Code"], jz["Job Zone"].astype(int), strict=True))
    ref = _job_zone_reference(raw["job_zone_reference"])
    ref_by_zone = ref.set_index("job_zone")
    tasks_by_code = raw["tasks"].groupby("O*NET-SOC Code")["Task Type"].agg(set).to_dict()

    rows, links = [], []
    for soc in bls["soc_code"]:
        rule, match = next(((r, m) for r, fn in MATCHERS if (m := fn(soc, ctx))), ("none", None))
        row = {"soc_code": soc, "match_rule": rule}
        if match is not None:
            links += [{"soc_code": soc, "onet_soc_code": c, "is_primary": c in match.primary}
                      for c in match.codes]
            zone = _modal_zone([zone_of[c] for c in match.primary if c in zone_of]) or \
                _modal_zone([zone_of[c] for c in match.codes if c in zone_of])
            types = set().union(*(tasks_by_code.get(c, set()) for c in match.codes))
            row.update(onet_soc_codes="; ".join(match.codes), match_note=match.note,
                       onet_title="; ".join(title[c] for c in match.primary),
                       description=_describe(rule, match, title, description), job_zone=zone,
                       has_tasks=bool(types), task_rating=_task_rating(types))
            if zone is not None:
                z = ref_by_zone.loc[zone]
                row.update(job_zone_name=z["name"], job_zone_education=z["education"],
                           job_zone_experience=z["experience"], job_zone_training=z["job_training"])
        else:
            row.update(has_tasks=False, task_rating="none")
        rows.append(row)

    occupations = pd.DataFrame(rows, columns=COLUMNS["onet_occupations"])
    occupations["job_zone"] = occupations["job_zone"].astype("Int64")
    occupations["has_tasks"] = occupations["has_tasks"].astype(bool)
    occupations["onet_release"] = release
    link = pd.DataFrame(links, columns=["soc_code", "onet_soc_code", "is_primary"])
    link["is_primary"] = link["is_primary"].astype(bool)

    tables = {
        "onet_occupations": occupations,
        "onet_tasks": _tasks(raw["tasks"], link, title),
        "onet_titles": _titles(raw["reported_titles"], raw["alternate_titles"], link),
        "onet_technology": _technology(raw["technology"], link),
        "onet_education": _education(raw["education"], raw["education_categories"], link, folder),
    }
    for name, table in tables.items():
        if name != "onet_occupations":
            table["onet_release"] = release
        tables[name] = table[COLUMNS[name]].reset_index(drop=True)
    tables["onet_job_zones"] = ref
    return tables


def _describe(rule: str, match: _Match, title: dict, description: dict) -> str:
    first = match.primary[0]
    if rule == "exact":
        return description[first]
    # An aggregate has no description of its own: name what it covers, then the first member's text.
    covers = "; ".join(title[c] for c in match.primary)
    return f"Covers {len(match.primary)} O*NET occupations: {covers}. {title[first]}: {description[first]}"


def _task_rating(types: set[str]) -> str:
    if not types:
        return "none"
    # Any Core/Supplemental task means incumbents rated at least part of the task list.
    return "rated" if types - {"n/a"} else "unrated"


def _job_zone_reference(df: pd.DataFrame) -> pd.DataFrame:
    out = df.rename(columns={"Job Zone": "job_zone", "Name": "name", "Experience": "experience",
                             "Education": "education", "Job Training": "job_training",
                             "Examples": "examples", "SVP Range": "svp_range"})[COLUMNS["onet_job_zones"]]
    out = out.astype({"job_zone": int}).sort_values("job_zone").reset_index(drop=True)
    if out["job_zone"].tolist() != [1, 2, 3, 4, 5]:
        raise DataError(FILES["job_zone_reference"][0], "expected exactly one row for each Job Zone 1-5")
    return out


def _joined(df: pd.DataFrame, link: pd.DataFrame) -> pd.DataFrame:
    return link.merge(df.rename(columns={"O*NET-SOC Code": "onet_soc_code"}), on="onet_soc_code")


def _tasks(tasks: pd.DataFrame, link: pd.DataFrame, title: dict) -> pd.DataFrame:
    df = _joined(tasks, link).rename(columns={"Task ID": "task_id", "Task": "task", "Task Type": "task_type"})
    df["task_id"] = df["task_id"].astype(int).astype("Int64")
    df["onet_title"] = df["onet_soc_code"].map(title)
    df["_type"] = df["task_type"].map(TASK_TYPE_ORDER)
    df = df.sort_values(["soc_code", "_type", "task_id"])
    df["task_order"] = df.groupby("soc_code").cumcount() + 1
    return df


def _titles(reported: pd.DataFrame, alternate: pd.DataFrame, link: pd.DataFrame) -> pd.DataFrame:
    rep = _joined(reported, link).rename(columns={"Reported Job Title": "title"})
    rep = rep.assign(kind="reported", short_title=pd.NA, sources=pd.NA,
                     shown_in_my_next_move=rep["Shown in My Next Move"].map(FLAG), _sources=0)
    alt = _joined(alternate, link).rename(columns={"Alternate Title": "title", "Source(s)": "sources"})
    alt = alt.assign(kind="alternate", shown_in_my_next_move=pd.NA,
                     short_title=alt["Short Title"].where(alt["Short Title"] != "n/a"),
                     _sources=alt["sources"].str.count(",") + 1)
    df = pd.concat([rep, alt], ignore_index=True)
    df["shown_in_my_next_move"] = df["shown_in_my_next_move"].astype("boolean")
    df = df.astype({"short_title": "string", "sources": "string"})
    # Best-known first: reported titles (those shown in My Next Move first), then alternates that have a
    # Short Title, then alternates named by more sources; primary (.00) codes before sub-codes; then A-Z.
    df["_kind"] = (df["kind"] == "alternate").astype(int)
    df["_shown"] = ~df["shown_in_my_next_move"].fillna(False)
    df["_short"] = df["short_title"].isna()
    df["_title"] = df["title"].str.lower()
    df = df.sort_values(["soc_code", "_kind", "_shown", "_short", "_sources", "is_primary", "_title"],
                        ascending=[True, True, True, True, False, False, True])
    df["title_rank"] = df.groupby("soc_code").cumcount() + 1
    return df


def _technology(tech: pd.DataFrame, link: pd.DataFrame) -> pd.DataFrame:
    df = _joined(tech, link).rename(columns={"Example": "example", "Commodity Title": "commodity_title"})
    df["hot_technology"] = df["Hot Technology"].map(FLAG).astype(bool)
    df["in_demand"] = df["In Demand"].map(FLAG).astype(bool)
    return df.sort_values(["soc_code", "hot_technology", "in_demand", "example", "onet_soc_code"],
                          ascending=[True, False, False, True, True])


def _education(ete: pd.DataFrame, categories: pd.DataFrame, link: pd.DataFrame, folder: Path) -> pd.DataFrame:
    labels = categories[(categories["Element ID"] == EDUCATION_ELEMENT)
                        & (categories["Scale ID"] == EDUCATION_SCALE)]
    if labels.empty:
        raise DataError(folder / FILES["education_categories"][0],
                        f"no categories for element {EDUCATION_ELEMENT} scale {EDUCATION_SCALE}")
    label = dict(zip(labels["Category"].astype(int), labels["Category Description"], strict=True))
    rl = ete[(ete["Element ID"] == EDUCATION_ELEMENT) & (ete["Scale ID"] == EDUCATION_SCALE)]
    df = _joined(rl, link)
    df["category"] = df["Category"].astype(int)
    df["category_label"] = df["category"].map(label)
    df["percent"] = df["Data Value"].astype(float)
    df["recommend_suppress"] = df["Recommend Suppress"].map(FLAG).astype("boolean")
    unlabelled = df.loc[df["category_label"].isna(), "category"]
    if len(unlabelled):
        raise DataError(folder / FILES["education_categories"][0],
                        f"no label for Required Level of Education category {unlabelled.iloc[0]}")
    return df.sort_values(["soc_code", "onet_soc_code", "category"])
