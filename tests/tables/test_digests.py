"""`analysis.tables.digests`: the row digests a catalogue build compares, on the real processed tables."""

from __future__ import annotations

import pandas as pd

from analysis.tables import digests, store
from analysis.tables.dataset import DIGESTS


def test_digest_per_occupation_changes_only_for_the_changed_rows(real):
    wages = store.table("wages", real)
    before = digests.digests_by(wages, "soc_code")
    assert len(before) == wages.soc_code.nunique() and "29-2072" in before
    changed = wages.copy()
    row = changed.index[(changed.soc_code == "29-2072")][0]
    changed.loc[row, "annual_median_usd"] = changed.loc[row, "annual_median_usd"] + 10
    after = digests.digests_by(changed, "soc_code")
    assert {s for s in before if before[s] != after[s]} == {"29-2072"}
    # Row order is part of the digest: the same rows reordered are a different table.
    assert digests.digest(wages) != digests.digest(wages.iloc[::-1])
    assert digests.digest(wages) == digests.digest(wages.copy())


def test_stored_digests_match_the_tables_on_disk(real):
    dig = digests.lookup(store.table(DIGESTS, real))
    for name in ("projections", "wages", "onet_ratings", "wages_industries"):
        df = store.table(name, real)
        assert dig[(name, "")][""] == digests.digest(df)
        assert dig[(name, "soc_code")] == digests.digests_by(df, "soc_code")
    assert dig[("projections", "major_group_code")]["29-0000"]


def test_empty_and_keyless_tables():
    empty = pd.DataFrame({"soc_code": pd.Series([], dtype=str), "x": pd.Series([], dtype=float)})
    assert digests.digests_by(empty, "soc_code") == {}
    t = digests.row_digests({"e": empty, "k": pd.DataFrame({"x": [1, 2]})})
    assert t.columns.tolist() == digests.COLUMNS
    assert t[["table", "key_column"]].values.tolist() == [["e", ""], ["k", ""]]
