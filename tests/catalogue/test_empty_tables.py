"""Reports' input fingerprints when a processed table a report reads per occupation has no rows at all.

Legitimate: no curated files in ``data/curated`` (an empty careers table), or O*NET content for no one. Such a
table must fingerprint every occupation as one without rows there, never fail the catalogue build (it used to:
the per-occupation digests of an empty table raised ``ValueError`` from ``zip(strict=True)``). Each case is a
copy of the real project, built from the real raw files.
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import copy_project

from analysis.catalogue.fingerprints import fingerprints
from analysis.catalogue.jobs import plan
from analysis.paths import Paths
from analysis.tables import dataset, digests, store

WITH_FACTS = "29-2072"  # the occupation with curated facts; O*NET has no education rows for it in 29.2
WITHOUT_FACTS = "11-1021"  # no curated facts; O*NET has education rows for it


def by_code(p: Paths) -> dict[str, str]:
    jobs = plan([WITH_FACTS, WITHOUT_FACTS], None, [None], p)
    prints = fingerprints(jobs, p)
    return {j.soc_code: prints[j.rel_dir] for j in jobs}


@pytest.mark.slow
def test_no_curated_files_at_all(real, tmp_path):
    before = by_code(real)
    p = copy_project(real, tmp_path / "proj", with_processed=False)
    for f in p.curated.glob("*.yml"):
        f.unlink()
    dataset.run(p)
    assert store.table("careers", p).empty

    after = by_code(p)

    assert after[WITHOUT_FACTS] == before[WITHOUT_FACTS]  # it had no rows there before either
    assert after[WITH_FACTS] != before[WITH_FACTS]  # its facts are gone: its report must be rebuilt


def test_an_onet_table_with_no_rows(real, tmp_path):
    before = by_code(real)
    p = copy_project(real, tmp_path / "proj")
    education = store.table("onet_education", real)
    assert WITHOUT_FACTS in set(education["soc_code"]) and WITH_FACTS not in set(education["soc_code"])
    education.iloc[0:0].to_parquet(p.processed / "onet_education.parquet", index=False)
    # as a data build that produced the empty table would: its row digests computed from the tables on disk
    tables = {f.stem: pd.read_parquet(f) for f in p.processed.glob("*.parquet") if f.stem != dataset.DIGESTS}
    digests.row_digests(tables).to_parquet(p.processed / f"{dataset.DIGESTS}.parquet", index=False)

    after = by_code(p)

    assert after[WITH_FACTS] == before[WITH_FACTS]  # no education rows before, none now
    assert after[WITHOUT_FACTS] != before[WITHOUT_FACTS]  # its education rows are gone
