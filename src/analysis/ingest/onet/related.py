"""Related occupations: O*NET's list of 20 related occupations per O*NET code, re-keyed on BLS codes.

In: ``Related Occupations.txt`` as read, the BLS-code -> O*NET-code link table, O*NET titles. Out:
``onet_related``, one row per BLS code and related occupation in O*NET's order (tier Primary-Short,
Primary-Long, Supplemental, then O*NET's index), each related O*NET code mapped back to the BLS line it belongs
to (NA where BLS publishes none). A BLS line's list is the union of its primary (``.00``) codes' lists, without
itself and with each BLS line once (its best place kept). A related code O*NET does not describe is a DataError.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.ingest.onet.files import FILES, locate

TIERS = ("Primary-Short", "Primary-Long", "Supplemental")  # O*NET's order of relatedness, closest first


def bls_line_of(link: pd.DataFrame) -> dict[str, str]:
    """O*NET code -> the BLS code it is joined to. Should one code ever be joined to two BLS lines (a hand-kept
    aggregate listing a code BLS also publishes), the line whose code is its SOC prefix wins, else the lowest."""
    ordered = link.assign(_own=link["soc_code"] != link["onet_soc_code"].str[:7])
    ordered = ordered.sort_values(["onet_soc_code", "_own", "soc_code"]).drop_duplicates("onet_soc_code")
    return dict(zip(ordered["onet_soc_code"], ordered["soc_code"], strict=True))


def related(rel: pd.DataFrame, link: pd.DataFrame, title: dict[str, str], folder: Path) -> pd.DataFrame:
    """``onet_related``: each BLS code's related occupations, best first (see the module docstring)."""
    unknown = rel.loc[~rel["Related O*NET-SOC Code"].isin(title), "Related O*NET-SOC Code"]
    if len(unknown):
        raise DataError(locate(folder, FILES["related"][0]), f"related code {unknown.iloc[0]} is not in "
                        "Occupation Data", f"row {unknown.index[0] + 2}, column 'Related O*NET-SOC Code'")
    df = link[link["is_primary"]].merge(rel.rename(columns={"O*NET-SOC Code": "onet_soc_code"}), on="onet_soc_code")
    df = df.rename(columns={"Related O*NET-SOC Code": "related_onet_soc_code", "Relatedness Tier": "tier"})
    df["related_soc_code"] = df["related_onet_soc_code"].map(bls_line_of(link))
    df["related_onet_title"] = df["related_onet_soc_code"].map(title)
    df["onet_index"] = df["Index"].astype("int64")
    df = df[df["related_soc_code"] != df["soc_code"]]  # a line is not related to itself (nor to its sub-codes)
    df["_tier"] = df["tier"].map({t: i for i, t in enumerate(TIERS)})
    df = df.sort_values(["soc_code", "_tier", "onet_index", "onet_soc_code", "related_onet_soc_code"])
    # Each BLS line once, at its best place; a code with no BLS line stands for itself.
    df["_line"] = df["related_soc_code"].fillna(df["related_onet_soc_code"])
    df = df.drop_duplicates(["soc_code", "_line"])
    df["related_order"] = df.groupby("soc_code").cumcount() + 1
    return df
