"""O*NET's ratings of occupations: interests (RIASEC scores and high points), skills, knowledge, work styles and
work values, with the reference tables that explain them (the six interest types, the level anchors).

In: the O*NET files as read (strings; :func:`analysis.ingest.onet.files.read_table`), the Scales and Content
Model references, the BLS-code -> O*NET-code link table. Out: ``onet_interests`` and ``onet_ratings`` (one row per
BLS code x O*NET code x element, sorted for display), ``onet_interest_types``, ``onet_level_anchors``, each O*NET
code's interest code (its high points as letters) and each BLS code's (:func:`interest_codes`). Every Data Value
is checked to be a number within its scale's range (Scales Reference) and every (code, element, scale) to appear
once; a failure is a DataError naming the file, the row and the column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.onet.files import FILES, locate

# O*NET content model: the six RIASEC interest types and six work values are elements a-f of their branch; the
# high-point elements g, h, i hold the number (1-6) of the first, second and third high point, 0 for none.
LETTERS = "RIASEC"
INTEREST_BRANCH, VALUE_BRANCH = "1.B.1", "1.B.2"
SCORED = "abcdef"
HIGH_POINT_RANK = {"g": 1, "h": 2, "i": 3}
# Scales Reference gives VH 1-6, but 29.2 writes 0 for "no third high point" (35-3023.00) as IH does: 0 = none.
HIGH_POINT_SCALES = frozenset({"IH", "VH"})
DOMAINS = ("skills", "knowledge", "work_styles", "work_values")  # also the display order of onet_ratings
KEY = ["O*NET-SOC Code", "Element ID"]


def scale_ranges(scales: pd.DataFrame, folder: Path) -> dict[str, tuple[float, float]]:
    """Scale ID -> (minimum, maximum) from Scales Reference; the high-point scales start at 0 (none)."""
    path = locate(folder, FILES["scales"][0])
    ranges = {}
    for i, row in scales.iterrows():
        try:
            low, high = float(row["Minimum"]), float(row["Maximum"])
        except ValueError:
            raise DataError(path, f"scale {row['Scale ID']} has a non-numeric range", f"row {i + 2}") from None
        ranges[row["Scale ID"]] = (min(low, 0.0) if row["Scale ID"] in HIGH_POINT_SCALES else low, high)
    return ranges


def checked(df: pd.DataFrame, key: str, folder: Path, ranges: dict) -> pd.DataFrame:
    """A rating file with its Data Value as a float (``value``), checked against its scale, and each (code,
    element, scale) once; DataError naming the file, row and column otherwise."""
    path = locate(folder, FILES[key][0])
    dup = df.duplicated(KEY + ["Scale ID"])
    if dup.any():
        i = dup.idxmax()
        raise DataError(path, f"a second row for {df.at[i, 'O*NET-SOC Code']} element {df.at[i, 'Element ID']} "
                        f"scale {df.at[i, 'Scale ID']}", f"row {i + 2}")
    unknown = df.loc[~df["Scale ID"].isin(ranges), "Scale ID"]
    if len(unknown):
        raise DataError(path, f"Scale ID {unknown.iloc[0]!r} is not in Scales Reference.txt",
                        f"row {unknown.index[0] + 2}, column 'Scale ID'")
    value = pd.to_numeric(df["Data Value"], errors="coerce")
    if value.isna().any():
        i = value.isna().idxmax()
        raise DataError(path, f"Data Value {df.at[i, 'Data Value']!r} is not a number", f"row {i + 2}, column "
                        "'Data Value'")
    low = df["Scale ID"].map(lambda s: ranges[s][0])
    high = df["Scale ID"].map(lambda s: ranges[s][1])
    out = (value < low) | (value > high)
    if out.any():
        i = out.idxmax()
        raise DataError(path, f"Data Value {df.at[i, 'Data Value']} is outside scale {df.at[i, 'Scale ID']}'s "
                        f"range {low[i]:g}-{high[i]:g}", f"row {i + 2}, column 'Data Value'")
    return df.assign(value=value)


def described(df: pd.DataFrame, content: pd.DataFrame, key: str, folder: Path) -> pd.DataFrame:
    """``element_name`` and ``description`` from Content Model Reference; an unknown element is a DataError."""
    names = dict(zip(content["Element ID"], content["Element Name"], strict=True))
    text = dict(zip(content["Element ID"], content["Description"], strict=True))
    unknown = df.loc[~df["Element ID"].isin(names), "Element ID"]
    if len(unknown):
        raise DataError(locate(folder, FILES[key][0]), f"Element ID {unknown.iloc[0]!r} is not in Content Model "
                        "Reference.txt", f"row {unknown.index[0] + 2}, column 'Element ID'")
    return df.assign(element_name=df["Element ID"].map(names), description=df["Element ID"].map(text))


def high_points(df: pd.DataFrame, key: str, folder: Path, branch: str) -> dict[str, list[str]]:
    """O*NET code -> the element IDs of its high points, first to third (none left out)."""
    path = locate(folder, FILES[key][0])
    out: dict[str, list[str]] = {}
    ranks = {f"{branch}.{x}": r for x, r in HIGH_POINT_RANK.items()}
    for code, rows in df.groupby("O*NET-SOC Code", sort=True):
        by_rank = {}
        for i, element, value in zip(rows.index, rows["Element ID"], rows["value"], strict=True):
            if element not in ranks or not float(value).is_integer():
                raise DataError(path, f"high point {element} = {value:g} is not a whole element number of "
                                f"{branch}.g-i", f"row {i + 2}")
            by_rank[ranks[element]] = int(value)
        numbers = [by_rank.get(r, 0) for r in sorted(HIGH_POINT_RANK.values())]  # a missing high point is none
        picked = [n for n in numbers if n]
        if numbers[:len(picked)] != picked or len(set(picked)) != len(picked):
            raise DataError(path, f"{code}'s high points {numbers} are not distinct and in order (0 = none last)",
                            f"rows {rows.index.min() + 2}-{rows.index.max() + 2}, column 'Data Value'")
        out[code] = [f"{branch}.{SCORED[n - 1]}" for n in picked]
    return out


def flag(column: pd.Series) -> pd.Series:
    return column.eq("Y")


def respondents(df: pd.DataFrame, key: str, folder: Path) -> pd.Series:
    """The N column as Int64 ("n/a" -> NA); anything else that is not a whole number is a DataError."""
    n = pd.to_numeric(df["N"].where(df["N"] != "n/a"), errors="coerce")
    bad = n.isna() & df["N"].ne("n/a") | n.notna() & (n % 1 != 0)
    if bad.any():
        i = bad.idxmax()
        raise DataError(locate(folder, FILES[key][0]), f"N {df.at[i, 'N']!r} is not a whole number",
                        f"row {i + 2}, column 'N'")
    return n.astype("Int64")


def interests(raw: pd.DataFrame, content: pd.DataFrame, link: pd.DataFrame, folder: Path,
              ranges: dict) -> tuple[pd.DataFrame, dict[str, str]]:
    """``onet_interests`` (six rows per BLS code x O*NET code) and each O*NET code's interest code: the letters
    of its high points in order (e.g. "CI"; "" for none)."""
    df = described(checked(raw, "interests", folder, ranges), content, "interests", folder)
    scores = df[df["Scale ID"] == "OI"]
    letter = {f"{INTEREST_BRANCH}.{s}": LETTERS[i] for i, s in enumerate(SCORED)}
    stray = scores.loc[~scores["Element ID"].isin(letter), "Element ID"]
    if len(stray):
        raise DataError(locate(folder, FILES["interests"][0]), f"OI element {stray.iloc[0]!r} is not a RIASEC "
                        "type", f"row {stray.index[0] + 2}, column 'Element ID'")
    points = high_points(df[df["Scale ID"] == "IH"], "interests", folder, INTEREST_BRANCH)
    rank = {(code, element): r + 1 for code, elements in points.items() for r, element in enumerate(elements)}
    scores = scores.assign(letter=scores["Element ID"].map(letter))
    scores = scores.assign(high_point_rank=pd.array(
        [rank.get(k) for k in zip(scores["O*NET-SOC Code"], scores["Element ID"], strict=True)], dtype="Int64"))
    codes = {code: "".join(letter[e] for e in points.get(code, [])) for code in scores["O*NET-SOC Code"].unique()}
    out = link.merge(scores.rename(columns={"O*NET-SOC Code": "onet_soc_code"}), on="onet_soc_code")
    out = out.rename(columns={"Element ID": "element_id", "element_name": "interest", "value": "score",
                              "Domain Source": "domain_source", "Date": "date"})
    out = out.sort_values(["soc_code", "is_primary", "onet_soc_code", "element_id"],
                          ascending=[True, False, True, True])
    return out, codes


def interest_types(content: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """The six RIASEC types with O*NET's description of each, in Holland's order."""
    ids = [f"{INTEREST_BRANCH}.{s}" for s in SCORED]
    ref = content.set_index("Element ID")
    missing = [i for i in ids if i not in ref.index]
    if missing:
        raise DataError(locate(folder, FILES["content_model"][0]), f"no interest type {missing[0]}")
    out = pd.DataFrame({"letter": list(LETTERS), "element_id": ids,
                        "interest": [ref.at[i, "Element Name"] for i in ids],
                        "description": [ref.at[i, "Description"] for i in ids], "order": range(1, 7)})
    wrong = out[out["interest"].str[0] != out["letter"]]
    if len(wrong):
        raise DataError(locate(folder, FILES["content_model"][0]),
                        f"{wrong['element_id'].iloc[0]} is {wrong['interest'].iloc[0]!r}, not the RIASEC type "
                        f"{wrong['letter'].iloc[0]}")
    return out


def importance_level(raw: pd.DataFrame, key: str, content: pd.DataFrame, folder: Path,
                     ranges: dict) -> pd.DataFrame:
    """Skills, knowledge or work styles: one row per (code, element) with its IM and (if rated) LV estimates."""
    df = described(checked(raw, key, folder, ranges), content, key, folder)
    df = df.assign(suppressed=flag(df["Recommend Suppress"]), n=respondents(df, key, folder),
                   not_relevant=flag(df["Not Relevant"]) if "Not Relevant" in df else False)
    # Name, N, date and source from the IM row (an element rated on LV alone, none in 29.2, from its LV row).
    first = df.sort_values(["Scale ID"]).drop_duplicates(KEY).set_index(KEY)  # "IM" sorts before "LV"
    out = first[["element_name", "description", "n", "Date", "Domain Source"]]
    for scale, name in (("IM", "importance"), ("LV", "level")):
        rows = df[df["Scale ID"] == scale].set_index(KEY)
        out = out.join(rows[["value", "suppressed"]].rename(
            columns={"value": name, "suppressed": f"{name}_suppressed"}))
    lv_flag = df[df["Scale ID"] == "LV"].set_index(KEY)["not_relevant"].rename("level_not_relevant")
    out = out.join(lv_flag).reset_index()
    for column in ("importance_suppressed", "level_suppressed", "level_not_relevant"):
        out[column] = out[column].fillna(False).astype(bool)
    return out.assign(domain=key, extent=float("nan"), high_point_rank=pd.NA)


def work_values(raw: pd.DataFrame, content: pd.DataFrame, folder: Path, ranges: dict) -> pd.DataFrame:
    """Work values: one row per (code, value) with its extent (EX) and high-point rank (VH)."""
    df = described(checked(raw, "work_values", folder, ranges), content, "work_values", folder)
    points = high_points(df[df["Scale ID"] == "VH"], "work_values", folder, VALUE_BRANCH)
    rank = {(code, element): r + 1 for code, elements in points.items() for r, element in enumerate(elements)}
    ex = df[df["Scale ID"] == "EX"]
    return pd.DataFrame({
        "O*NET-SOC Code": ex["O*NET-SOC Code"], "Element ID": ex["Element ID"],
        "element_name": ex["element_name"], "description": ex["description"], "extent": ex["value"],
        "high_point_rank": [rank.get(k) for k in zip(ex["O*NET-SOC Code"], ex["Element ID"], strict=True)],
        "Date": ex["Date"], "Domain Source": ex["Domain Source"], "domain": "work_values",
        "importance": float("nan"), "importance_suppressed": False, "level": float("nan"),
        "level_suppressed": False, "level_not_relevant": False, "n": pd.NA})


def ratings(raw: dict[str, pd.DataFrame], link: pd.DataFrame, folder: Path, ranges: dict) -> pd.DataFrame:
    """``onet_ratings``: skills, knowledge, work styles and work values in one long table, suppressed estimates
    kept and flagged. Sorted by BLS code, domain, ``.00`` codes first, then the highest rated first."""
    content = raw["content_model"]
    parts = [importance_level(raw[key], key, content, folder, ranges) for key in DOMAINS[:3]]
    parts.append(work_values(raw["work_values"], content, folder, ranges))
    df = pd.concat(parts, ignore_index=True).rename(columns={
        "O*NET-SOC Code": "onet_soc_code", "Element ID": "element_id", "n": "n_respondents", "Date": "date",
        "Domain Source": "domain_source"})
    df = link.merge(df, on="onet_soc_code")
    df["n_respondents"] = df["n_respondents"].astype("Int64")
    df["high_point_rank"] = df["high_point_rank"].astype("Int64")
    df = df.astype({"importance": float, "level": float, "extent": float})
    df["_domain"] = df["domain"].map({d: i for i, d in enumerate(DOMAINS)})
    df["_rated"] = df["importance"].fillna(df["extent"])
    return df.sort_values(["soc_code", "_domain", "is_primary", "onet_soc_code", "_rated", "element_id"],
                          ascending=[True, True, False, True, False, True])


def level_anchors(raw: pd.DataFrame, folder: Path, ranges: dict) -> pd.DataFrame:
    """What a level means, per element: O*NET's anchors on the LV scale (e.g. Reading Comprehension 2, 4, 6)."""
    path = locate(folder, FILES["level_anchors"][0])
    lv = raw[raw["Scale ID"] == "LV"]
    if lv.empty:
        raise DataError(path, "no anchors on the LV (level) scale")
    value = pd.to_numeric(lv["Anchor Value"], errors="coerce")
    low, high = ranges["LV"]
    bad = value.isna() | (value < low) | (value > high)
    if bad.any():
        i = bad.idxmax()
        raise DataError(path, f"Anchor Value {lv.at[i, 'Anchor Value']!r} is not a level {low:g}-{high:g}",
                        f"row {i + 2}, column 'Anchor Value'")
    out = pd.DataFrame({"element_id": lv["Element ID"], "element_name": lv["Element Name"],
                        "anchor_value": value.astype(float), "anchor_text": lv["Anchor Description"]})
    dup = out.duplicated(["element_id", "anchor_value"])
    if dup.any():
        i = dup.idxmax()
        raise DataError(path, f"a second anchor {out.at[i, 'anchor_value']:g} for {out.at[i, 'element_id']}",
                        f"row {i + 2}")
    return out.sort_values(["element_id", "anchor_value"]).reset_index(drop=True)


# How a BLS line's interest code was chosen (onet_occupations.interest_code_rule); docs/assumptions.md, "O*NET joins".
EXACT_RULE = "O*NET high points"
AGREE, FIRST, ONLY = "members agree", "first member's", "only member with high points"


def interest_codes(match_rules: pd.Series, link: pd.DataFrame, letters: dict[str, str]) -> pd.DataFrame:
    """Per BLS code (``match_rules``: soc_code -> match rule): ``interest_code``, ``interest_code_rule`` and
    ``interest_onet_soc_codes`` (the O*NET codes whose profile it is).

    An exact match takes its ``.00`` code's high points. An aggregate takes the code its primary members with a
    profile share if they agree, else the first such member's (by code); the rule names every member's code.
    NA where no primary code has high points (e.g. "All Other" lines, whose ``.00`` code O*NET does not profile).
    """
    primary = link[link["is_primary"]].groupby("soc_code")["onet_soc_code"].agg(sorted).to_dict()
    rows = []
    for soc, match_rule in match_rules.items():
        members = primary.get(soc, [])
        coded = [c for c in members if letters.get(c)]
        code = rule = sources = None
        if coded and match_rule == "exact":
            code, rule, sources = letters[coded[0]], EXACT_RULE, coded[:1]
        elif coded:
            codes = {letters[c] for c in coded}
            label = ONLY if len(coded) == 1 < len(members) else AGREE if len(codes) == 1 else FIRST
            sources = coded if label == AGREE else coded[:1]
            code = letters[coded[0]]
            named = ", ".join(f"{c} {letters.get(c) or 'none'}" for c in members)
            rule = f"{label}; members: {named}"
        rows.append({"soc_code": soc, "interest_code": code, "interest_code_rule": rule,
                     "interest_onet_soc_codes": "; ".join(sources) if sources else None})
    return pd.DataFrame(rows).set_index("soc_code")
