"""`store.rows_for` and `store.derived`: the per-process indexes the report sections read through, on the real
processed tables, against plain boolean filtering."""

from __future__ import annotations

import os

import pandas as pd

from analysis.tables import store


def test_rows_for_equals_a_boolean_filter(real):
    for name in ("wages", "wages_industries", "onet_ratings", "projections", "onet_related"):
        t = store.table(name, real)
        codes = sorted(t["soc_code"].dropna().unique())
        for code in codes[:: max(1, len(codes) // 25)] + ["00-0000", "99-9999"]:
            want = t[t["soc_code"] == code]
            got = store.rows_for(name, "soc_code", code, real)
            pd.testing.assert_frame_equal(got, want)
            assert store.rows_for(name, "soc_code", code, real) is got  # asked again: the same answer


def test_indexes_follow_a_rewritten_table(tmp_project):
    before = store.rows_for("careers", "soc_code", "29-2072", tmp_project)
    assert len(before) > 0
    path = tmp_project.processed / "careers.parquet"
    t = pd.read_parquet(path)
    t[t["soc_code"] != "29-2072"].to_parquet(path)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # a new file, as a rebuild makes
    assert store.rows_for("careers", "soc_code", "29-2072", tmp_project).empty
    assert store.derived("careers", ("count",), len, tmp_project) == len(t) - len(before)
