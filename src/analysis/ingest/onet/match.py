"""Which O*NET occupations speak for a BLS occupation.

In: a BLS SOC code and the O*NET codes on hand. Out: a :class:`Match` (every O*NET code used, the primary
``.00`` ones, a note) by the first rule of ``MATCHERS`` that finds one: the same SOC code, the hand-kept
aggregate table (``data/reference/onet_aggregates.csv``, read strictly: a malformed one is a DataError naming
the file, line and column), or the SOC broad group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataError
from analysis.ingest.onet.files import AGGREGATES_COLUMNS, AGGREGATES_FILE
from analysis.ingest.reference import read_rows
from analysis.soc import SOC_RE


def check_bls(bls_occupations: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("soc_code", "title") if c not in bls_occupations.columns]
    if missing:
        raise DataError("bls_occupations", f"missing required column(s): {', '.join(missing)}")
    bls = bls_occupations[["soc_code", "title"]].astype({"soc_code": str}).reset_index(drop=True)
    bad = bls.loc[~bls["soc_code"].str.match(SOC_RE), "soc_code"]
    if len(bad):
        raise DataError("bls_occupations", f"soc_code {bad.iloc[0]!r} is not NN-NNNN")
    dup = bls.loc[bls["soc_code"].duplicated(), "soc_code"]
    if len(dup):
        raise DataError("bls_occupations", f"soc_code {dup.iloc[0]} appears more than once")
    return bls


def read_aggregates(path, known_codes: set[str]) -> dict[str, tuple[list[str], str]]:
    """The hand-kept aggregate table: BLS code -> (its O*NET-SOC codes, note).

    Read strictly (:func:`analysis.ingest.reference.read_rows`): a DataError names the file, and the line and
    column, for a malformed table or a code that is not well formed or not in O*NET.
    """
    path = Path(path) if path is not None else paths.project().reference / AGGREGATES_FILE
    if not path.is_file():
        raise DataError(path, "O*NET aggregate mapping table is missing")
    groups: dict[str, tuple[list[str], str]] = {}
    for line, row in read_rows(path, AGGREGATES_COLUMNS):
        bls, code = row["bls_soc_code"], row["onet_soc_code"]
        if not SOC_RE.match(bls):
            raise DataError(path, f"bls_soc_code {bls!r} is not NN-NNNN", f"line {line}, column 'bls_soc_code'")
        if code not in known_codes:
            raise DataError(path, f"onet_soc_code {code!r} is not in O*NET Occupation Data",
                            f"line {line}, column 'onet_soc_code'")
        # The note is the first row's, as before; it is the same on every row of a group.
        groups.setdefault(bls, ([], row["note"]))[0].append(code)
    return {bls: (sorted(codes), note) for bls, (codes, note) in sorted(groups.items())}


@dataclass(frozen=True)
class Match:
    codes: list[str]     # every O*NET-SOC code whose content is used
    primary: list[str]   # the ".00" codes that speak for each SOC occupation (title, description, zone)
    note: str | None


@dataclass(frozen=True)
class MatchContext:
    by_soc: dict[str, list[str]]                       # SOC code -> its O*NET-SOC codes
    aggregates: dict[str, tuple[list[str], str]]
    bls_codes: frozenset[str]


def primary(codes: list[str]) -> list[str]:
    return [c for c in codes if c.endswith(".00")] or codes[:1]


def _match_exact(soc: str, ctx: MatchContext) -> Match | None:
    codes = ctx.by_soc.get(soc)
    return Match(codes, primary(codes), None) if codes else None


def _match_table(soc: str, ctx: MatchContext) -> Match | None:
    if soc not in ctx.aggregates:
        return None
    codes, note = ctx.aggregates[soc]
    return Match(codes, primary(codes), note)


def _match_broad_group(soc: str, ctx: MatchContext) -> Match | None:
    # A BLS code ending in 0 names a SOC broad group (29-2010 = 29-201x); its members are the detailed codes
    # in that group that BLS does not publish as lines of their own.
    if not soc.endswith("0"):
        return None
    members = sorted(s for s in ctx.by_soc if s[:6] == soc[:6] and s != soc and s not in ctx.bls_codes)
    if not members:
        return None
    codes = [c for s in members for c in ctx.by_soc[s]]
    return Match(codes, primary(codes), f"SOC broad group {soc[:6]}x: {', '.join(members)}")


# Tried in order; the first that finds O*NET codes decides the rule. No match at all: "none".
MATCHERS = (("exact", _match_exact), ("aggregate", _match_table), ("aggregate", _match_broad_group))


def modal_zone(zones: list[int]) -> int | None:
    """Most common zone; a tie goes to the lower zone (the less preparation claimed)."""
    if not zones:
        return None
    counts = Counter(zones)
    return max(counts, key=lambda z: (counts[z], -z))
