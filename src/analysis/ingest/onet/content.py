"""O*NET content joined to BLS codes: tasks, job titles, technology, tools, detailed work activities, required
education, the Job Zone reference. In: the O*NET files as read and the BLS-code -> O*NET-code link table. Out:
tidy tables keyed on ``soc_code`` (and ``onet_soc_code``, or one row per item of a BLS code where the items are
merged across its O*NET codes: tools, activities), sorted for display.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.onet.files import COLUMNS, FILES, FLAG, TASK_TYPE_ORDER, locate
from analysis.ingest.onet.match import Match

EDUCATION_ELEMENT, EDUCATION_SCALE = "2.D.1", "RL"  # Required Level of Education, % of respondents


def describe(rule: str, match: Match, title: dict, description: dict) -> str:
    first = match.primary[0]
    if rule == "exact":
        return description[first]
    # An aggregate has no description of its own: name what it covers, then the first member's text.
    covers = "; ".join(title[c] for c in match.primary)
    return f"Covers {len(match.primary)} O*NET occupations: {covers}. {title[first]}: {description[first]}"


def task_rating(types: set[str]) -> str:
    if not types:
        return "none"
    # Any Core/Supplemental task means incumbents rated at least part of the task list.
    return "rated" if types - {"n/a"} else "unrated"


def job_zone_reference(df: pd.DataFrame) -> pd.DataFrame:
    out = df.rename(columns={"Job Zone": "job_zone", "Name": "name", "Experience": "experience",
                             "Education": "education", "Job Training": "job_training",
                             "Examples": "examples", "SVP Range": "svp_range"})[COLUMNS["onet_job_zones"]]
    out = out.astype({"job_zone": int}).sort_values("job_zone").reset_index(drop=True)
    if out["job_zone"].tolist() != [1, 2, 3, 4, 5]:
        raise DataError(FILES["job_zone_reference"][0], "expected exactly one row for each Job Zone 1-5")
    return out


def joined(df: pd.DataFrame, link: pd.DataFrame) -> pd.DataFrame:
    return link.merge(df.rename(columns={"O*NET-SOC Code": "onet_soc_code"}), on="onet_soc_code")


def tasks(tasks: pd.DataFrame, link: pd.DataFrame, title: dict) -> pd.DataFrame:
    df = joined(tasks, link).rename(columns={"Task ID": "task_id", "Task": "task", "Task Type": "task_type"})
    df["task_id"] = df["task_id"].astype(int).astype("Int64")
    df["onet_title"] = df["onet_soc_code"].map(title)
    df["_type"] = df["task_type"].map(TASK_TYPE_ORDER)
    df = df.sort_values(["soc_code", "_type", "task_id"])
    df["task_order"] = df.groupby("soc_code").cumcount() + 1
    return df


def titles(reported: pd.DataFrame, alternate: pd.DataFrame, link: pd.DataFrame) -> pd.DataFrame:
    rep = joined(reported, link).rename(columns={"Reported Job Title": "title"})
    rep = rep.assign(kind="reported", short_title=pd.NA, sources=pd.NA,
                     shown_in_my_next_move=rep["Shown in My Next Move"].map(FLAG), _sources=0)
    alt = joined(alternate, link).rename(columns={"Alternate Title": "title", "Source(s)": "sources"})
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


def technology(tech: pd.DataFrame, link: pd.DataFrame) -> pd.DataFrame:
    df = joined(tech, link).rename(columns={"Example": "example", "Commodity Title": "commodity_title"})
    df["hot_technology"] = df["Hot Technology"].map(FLAG).astype(bool)
    df["in_demand"] = df["In Demand"].map(FLAG).astype(bool)
    return df.sort_values(["soc_code", "hot_technology", "in_demand", "example", "onet_soc_code"],
                          ascending=[True, False, False, True, True])


def education(ete: pd.DataFrame, categories: pd.DataFrame, link: pd.DataFrame, folder: Path) -> pd.DataFrame:
    labels = categories[(categories["Element ID"] == EDUCATION_ELEMENT)
                        & (categories["Scale ID"] == EDUCATION_SCALE)]
    if labels.empty:
        raise DataError(folder / FILES["education_categories"][0],
                        f"no categories for element {EDUCATION_ELEMENT} scale {EDUCATION_SCALE}")
    label = dict(zip(labels["Category"].astype(int), labels["Category Description"], strict=True))
    rl = ete[(ete["Element ID"] == EDUCATION_ELEMENT) & (ete["Scale ID"] == EDUCATION_SCALE)]
    df = joined(rl, link)
    df["category"] = df["Category"].astype(int)
    df["category_label"] = df["category"].map(label)
    df["percent"] = df["Data Value"].astype(float)
    df["recommend_suppress"] = df["Recommend Suppress"].map(FLAG).astype("boolean")
    unlabelled = df.loc[df["category_label"].isna(), "category"]
    if len(unlabelled):
        raise DataError(folder / FILES["education_categories"][0],
                        f"no label for Required Level of Education category {unlabelled.iloc[0]}")
    return df.sort_values(["soc_code", "onet_soc_code", "category"])


def first_code(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per ``keys``: the one from a ``.00`` code if any, else from the first O*NET code."""
    df = df.sort_values(keys + ["is_primary", "onet_soc_code"], ascending=[True] * len(keys) + [False, True])
    return df.drop_duplicates(keys)


def tools(used: pd.DataFrame, link: pd.DataFrame) -> pd.DataFrame:
    """Tools Used, one row per BLS code and example (the same tool listed by several O*NET codes once), A-Z."""
    df = joined(used, link).rename(columns={"Example": "example", "Commodity Code": "commodity_code",
                                            "Commodity Title": "commodity_title"})
    df = first_code(df, ["soc_code", "example"])
    df["_example"] = df["example"].str.lower()
    return df.sort_values(["soc_code", "_example", "example"])


def activities(links: pd.DataFrame, dwa: pd.DataFrame, iwa: pd.DataFrame, link: pd.DataFrame,
               folder: Path) -> pd.DataFrame:
    """Detailed work activities: one row per BLS code and DWA, with how many of the code's tasks (over all its
    O*NET codes) O*NET links to it; ordered most tasks first, then by title."""
    for refs, key, column, ref in ((links, "tasks_to_dwas", "DWA ID", dwa), (dwa, "dwa_reference", "IWA ID", iwa)):
        unknown = refs.loc[~refs[column].isin(set(ref[column])), column]
        if len(unknown):
            raise DataError(locate(folder, FILES[key][0]), f"{column} {unknown.iloc[0]!r} is not in its reference "
                            "file", f"row {unknown.index[0] + 2}, column {column!r}")
    for ref, key, column in ((dwa, "dwa_reference", "DWA ID"), (iwa, "iwa_reference", "IWA ID")):
        dup = ref.loc[ref[column].duplicated(), column]
        if len(dup):
            raise DataError(locate(folder, FILES[key][0]), f"{column} {dup.iloc[0]!r} listed twice",
                            f"row {dup.index[0] + 2}")
    df = joined(links, link).rename(columns={"DWA ID": "dwa_id"})
    counts = df.groupby(["soc_code", "dwa_id"]).agg(task_count=("Task ID", "size"), is_primary=("is_primary", "any"))
    df = first_code(df, ["soc_code", "dwa_id"]).drop(columns="is_primary").merge(counts.reset_index(),
                                                                                 on=["soc_code", "dwa_id"])
    df = df.merge(dwa.rename(columns={"DWA ID": "dwa_id", "DWA Title": "dwa_title", "IWA ID": "iwa_id"})[
        ["dwa_id", "dwa_title", "iwa_id"]], on="dwa_id")
    df = df.merge(iwa.rename(columns={"IWA ID": "iwa_id", "IWA Title": "iwa_title"})[["iwa_id", "iwa_title"]],
                  on="iwa_id")
    df["task_count"] = df["task_count"].astype("int64")
    df = df.sort_values(["soc_code", "task_count", "dwa_title", "dwa_id"], ascending=[True, False, True, True])
    df["activity_order"] = df.groupby("soc_code").cumcount() + 1
    return df
