"""data/processed: built from the real raw files, documented by its manifest, reproducible, atomic."""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pytest
from helpers import copy_project, own, tree_digest

from analysis.cli import main
from analysis.errors import DataError
from analysis.files import sha256_file
from analysis.tables import dataset, store

# Tables a build always fills (the rest may be empty: careers with no curated files, O*NET content for no one).
MUST_HAVE_ROWS = ("projections", "separations", "vintages", "growth_wording", "wages", "onet_occupations",
                  "onet_job_zones", "onet_interests", "onet_interest_types", "onet_ratings", "onet_level_anchors",
                  "onet_activities", "onet_tools", "onet_related", "sources")
EMPTY_REFUSED = "no rows to save; the build always fills this table from data/raw, so an input was read wrong"


def test_manifest_records_inputs_tables_and_code(real):
    man = json.loads((real.processed / "manifest.json").read_text())
    paths = {i["path"] for i in man["inputs"]}
    assert "data/raw/bls-ep/2024-34/occupation.xlsx" in paths
    assert "data/raw/bls-oews/2025/oews_national_state_M2025.csv.gz" in paths
    ep = next(i for i in man["inputs"] if i["path"].endswith("2024-34/occupation.xlsx"))
    assert ep["sha256"] == "05103e6770b8ffebd6f024ff52afc9aed7e586b4aa159396ddc483c6ec572a07"
    assert man["tables"]["projections"]["rows"] == 1113 * 2 + 833
    assert man["tables"]["projections"]["columns"]["employment_base_people"] == "Int64"
    assert len(man["code_version"]["sha256"]) == 64
    for name, info in man["tables"].items():
        assert sha256_file(real.processed / f"{name}.parquet") == info["sha256"]


@pytest.mark.slow
def test_same_inputs_same_bytes(real, tmp_path):
    a = copy_project(real, tmp_path / "a", with_processed=False)
    b = copy_project(real, tmp_path / "b", with_processed=False)
    dataset.run(a)
    dataset.run(b)
    assert tree_digest(a.processed) == tree_digest(b.processed)
    assert tree_digest(a.processed) == {k: v for k, v in tree_digest(real.processed).items() if k != "README.md"}


def test_units_people_not_thousands(real):
    proj = store.table("projections", real)
    r = proj[(proj["vintage"] == "2024-34") & (proj["soc_code"] == "00-0000")].iloc[0]
    assert r["employment_base_people"] == 169_956_100
    assert r["openings_per_year"] == 18_863_300
    assert r["median_wage_usd"] == 49_500


def test_all_occupations_change_per_vintage(real):
    v = store.table("vintages", real).set_index("vintage")
    assert v.loc["2024-34", "all_occupations_change_percent"] == 3.1
    assert v.loc["2023-33", "all_occupations_change_percent"] == 4.0
    assert v.loc["2022-32", "all_occupations_change_percent"] == 2.8
    assert v.loc["2022-32", "all_occupations_basis"] == "computed by us from the detailed rows"
    assert v.loc["2024-34", "all_occupations_basis"] == "published total row"


def test_derived_measures_for_29_2072(real):
    proj = store.table("projections", real)
    r = proj[(proj["vintage"] == "2024-34") & (proj["soc_code"] == "29-2072")].iloc[0]
    assert r["outlook_label"] == "Much faster than average"
    assert r["change_vs_all_points"] == pytest.approx(4.0)
    assert r["major_group_code"] == "29-0000" and r["minor_group_code"] == "29-2000"
    assert r["openings_per_100_jobs"] == pytest.approx(7.3)
    det = proj[(proj["vintage"] == "2024-34") & (proj["soc_level"] == "detailed")]
    assert len(det) == 832
    assert r["change_percent_rank"] == 1 + (det["change_percent"] > 7.1).sum()
    old = proj[(proj["vintage"] == "2023-33") & (proj["soc_code"] == "29-2072")].iloc[0]
    assert pd.isna(old["outlook_label"]) and "not on hand" in old["outlook_label_basis"]


def test_separations_parts_add_up_within_rounding(real):
    """Exits, transfers and openings are each published to 0.1 thousand (+-50 people) and growth is a tenth of
    the ten-year change (+-5): the parts add to the published total within 155 people, and no closer is
    promised (the report's note says so)."""
    s = store.table("separations", real)
    s = s[s["vintage"] == "2024-34"]
    total = s["growth_openings_per_year"] + s["labor_force_exits_per_year"] + s["occupational_transfers_per_year"]
    assert ((total - s["openings_per_year"]).abs() <= 155).all()
    assert (total != s["openings_per_year"]).any()  # they are rounded separately: some do not add exactly
    m = s[s["soc_code"] == "29-2072"].iloc[0]
    assert (m["labor_force_exits_per_year"], m["occupational_transfers_per_year"]) == (7_100, 5_800)


def test_curated_facts_loaded(real):
    c = store.table("careers", real)
    mine = c[c["soc_code"] == "29-2072"]
    assert (mine["section"] == "pros").sum() == 5 and (mine["section"] == "cons").sum() == 5
    assert set(mine["source_title"]) == {"Medical Billing & Coding Career Guide [+ 10 Pros & Cons]"}


def test_checksum_mismatch_is_an_error(tmp_project):
    f = own(tmp_project.raw / "bls-ep/2023-33/occupation.xlsx")
    f.write_bytes(f.read_bytes() + b"\0")
    with pytest.raises(DataError, match=r"2023-33/occupation.xlsx: sha256 .* does not match its sidecar"):
        dataset.run(tmp_project)


@pytest.mark.slow
def test_stale_detection(tmp_project):
    assert not dataset.is_stale(tmp_project)
    (tmp_project.curated / "29-2072.yml").write_text(
        (tmp_project.curated / "29-2072.yml").read_text() + "\n# edited\n")
    assert dataset.is_stale(tmp_project)
    assert dataset.ensure(tmp_project) is True
    assert not dataset.is_stale(tmp_project)


def test_failed_build_leaves_processed_untouched(tmp_project):
    before = tree_digest(tmp_project.processed)
    (tmp_project.curated / "11-1011.yml").write_text('soc_code: "11-1011"\nsources: {}\n')
    with pytest.raises(DataError, match="11-1011.yml"):
        dataset.run(tmp_project)
    assert tree_digest(tmp_project.processed) == before
    assert not list(tmp_project.data.glob(".processed-*"))


# --------------------------------------------------------------------------------------------------
# Damaged data/processed: found by the checksums in the manifest, repaired by the next command
# --------------------------------------------------------------------------------------------------


def built(folder) -> dict:
    """What a build decides from the inputs: every file's bytes, and the manifest but for the code version
    (a module edited while the tests run changes that, and only that)."""
    files = tree_digest(folder)
    man = json.loads((folder / "manifest.json").read_text())
    files["manifest.json"] = {"inputs": man["inputs"], "tables": man["tables"],
                              "fingerprint_inputs": man["fingerprint"]["inputs"]}
    return files


def test_damaged_tables_are_stale_and_named(tmp_project):
    wages, titles = own(tmp_project.processed / "wages.parquet"), tmp_project.processed / "onet_titles.parquet"
    assert dataset.stale_reason(tmp_project) is None
    wages.write_bytes(wages.read_bytes()[: wages.stat().st_size // 2])  # a copy or a disk cut short
    assert dataset.stale_reason(tmp_project) == "data/processed/wages.parquet: checksum differs from manifest.json"
    assert dataset.is_stale(tmp_project)
    titles.unlink()
    assert dataset.stale_reason(tmp_project) == "data/processed/onet_titles.parquet: missing (listed in manifest.json)"
    (tmp_project.processed / "manifest.json").write_bytes(b"{\"tables\": ")
    assert dataset.stale_reason(tmp_project) == ("data/processed/manifest.json: unreadable (not valid JSON (Expecting "
                                                 "value at line 1))")
    (tmp_project.processed / "manifest.json").unlink()
    assert dataset.stale_reason(tmp_project) == "data/processed: not built yet (no manifest.json)"


def test_truncated_table_is_a_one_line_error(tmp_project):
    f = own(tmp_project.processed / "wages.parquet")
    f.write_bytes(f.read_bytes()[:1000])
    with pytest.raises(DataError) as caught:
        store.table("wages", tmp_project)
    assert str(caught.value) == (f"{f}: processed table cannot be read (ArrowInvalid); run `career-report data` to "
                                 "rebuild data/processed from data/raw")


@pytest.mark.slow
def test_next_command_rebuilds_damaged_tables(tmp_project):
    before = built(tmp_project.processed)
    wages = own(tmp_project.processed / "wages.parquet")
    wages.write_bytes(wages.read_bytes()[:1000])
    (tmp_project.processed / "onet_titles.parquet").unlink()

    reason = dataset.rebuild_if_stale(tmp_project)

    assert reason == ("data/processed/onet_titles.parquet: missing (listed in manifest.json); rebuilt from "
                      "data/raw")
    assert built(tmp_project.processed) == before  # the same inputs give the same bytes
    assert dataset.rebuild_if_stale(tmp_project) is None
    assert dataset.ensure(tmp_project) is False


@pytest.mark.slow
def test_data_build_removes_what_a_killed_build_left(tmp_project, capsys):
    before = built(tmp_project.processed)
    half = tmp_project.data / ".processed-new-k1ll3d"  # killed while writing the new tables
    half.mkdir()
    (half / "projections.parquet").write_bytes(b"PAR1")
    old = tmp_project.data / ".processed-old-4242"  # killed after the swap, before the old folder went
    shutil.copytree(tmp_project.processed, old)
    lock = tmp_project.data / ".processed.lock"

    rc = main(["data"])

    out, err = capsys.readouterr()
    assert rc == 0, err
    assert f"wrote {tmp_project.processed}" in out
    assert sorted(d.name for d in tmp_project.data.iterdir()) == sorted(
        ["raw", "reference", "curated", "processed", lock.name])
    assert built(tmp_project.processed) == before


@pytest.mark.slow
def test_build_killed_between_the_renames_restores_the_previous_tables(tmp_project):
    """Killed after data/processed moved aside and before the new folder took its place: nothing is lost."""
    before = built(tmp_project.processed)
    assert "README.md" in before
    os.rename(tmp_project.processed, tmp_project.data / ".processed-old-4242")
    half = tmp_project.data / ".processed-new-k1ll3d"
    half.mkdir()
    (half / "wages.parquet").write_bytes(b"PAR1")

    assert dataset.stale_reason(tmp_project) == "data/processed: not built yet (no manifest.json)"
    assert dataset.rebuild_if_stale(tmp_project) == ("data/processed: not built yet (no manifest.json); rebuilt "
                                                     "from data/raw")

    assert built(tmp_project.processed) == before  # README.md included: it came back with the old folder
    assert not list(tmp_project.data.glob(".processed-*"))


# --------------------------------------------------------------------------------------------------
# Empty tables: refused before they are saved where a build always fills them, a one-line error when read
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def processed_tables(real) -> dict[str, pd.DataFrame]:
    """The tables a build makes from the real raw files, before validation (read only: nothing is written)."""
    return dataset.process(dataset.load_inputs(real), real)


def test_processed_tables_pass_validation(processed_tables):
    dataset.validate(processed_tables)
    assert {n for n, t in processed_tables.items() if t.empty} == set()
    assert set(MUST_HAVE_ROWS) <= set(processed_tables)
    assert set(dataset.MUST_HAVE_ROWS) == set(MUST_HAVE_ROWS)


@pytest.mark.parametrize("name", MUST_HAVE_ROWS)
def test_empty_table_is_refused_before_saving(processed_tables, name):
    """Before: validate() passed an empty projections, wages or sources table, and it was saved as the data."""
    tables = dict(processed_tables, **{name: processed_tables[name].iloc[0:0]})
    with pytest.raises(DataError) as caught:
        dataset.validate(tables)
    assert str(caught.value) == f"data/processed/{name}.parquet: {EMPTY_REFUSED}"


@pytest.mark.parametrize("name", ["careers", "onet_tasks", "onet_titles", "onet_technology", "onet_education"])
def test_tables_that_may_be_empty_pass(processed_tables, name):
    """No curated files at all, or O*NET content for no one: legitimate, and fingerprinted as such."""
    dataset.validate(dict(processed_tables, **{name: processed_tables[name].iloc[0:0]}))


def test_vintage_without_occupations_is_refused(processed_tables):
    """Before: the vintages table offered 2023-33 with no occupations behind it."""
    proj = processed_tables["projections"]
    tables = dict(processed_tables, projections=proj[proj["vintage"] != "2023-33"])
    with pytest.raises(DataError) as caught:
        dataset.validate(tables)
    assert str(caught.value) == ("data/processed/projections.parquet: no detailed occupations for vintage 2023-33 "
                                 "(listed in vintages)")
    vint = processed_tables["vintages"]
    with pytest.raises(DataError) as caught:
        dataset.validate(dict(processed_tables, vintages=vint[vint["vintage"] != "2022-32"]))
    assert str(caught.value) == ("data/processed/vintages.parquet: does not list vintage 2022-32, which has "
                                 "projections rows")


def test_empty_vintages_table_is_a_one_line_error(tmp_project):
    """A vintages table with no rows (written by anything but the build): a DataError naming it, not IndexError."""
    f = tmp_project.processed / "vintages.parquet"
    store.table("vintages", tmp_project).iloc[0:0].to_parquet(f, index=False)
    with pytest.raises(DataError) as caught:
        store.resolve_vintage("latest", tmp_project)
    assert str(caught.value) == f"{f}: lists no vintages; {store.REBUILD}"


# --------------------------------------------------------------------------------------------------
# The folder's permissions
# --------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o755), (0o027, 0o750)])
def test_processed_folder_mode_follows_the_umask(real, tmp_path, umask, mode):
    """Before: 0o700 whatever the umask (tempfile.mkdtemp), so no other account could read the tables."""
    p = copy_project(real, tmp_path / "proj", with_processed=False)
    old = os.umask(umask)
    try:
        dataset.run(p)
    finally:
        os.umask(old)
    assert p.processed.stat().st_mode & 0o7777 == mode
    assert (p.processed / "projections.parquet").stat().st_mode & 0o777 == 0o666 & ~umask

