"""`career-report add-release` with OEWS files of every kind: the kind is read from the rows, recorded in the
sidecar, and the file is stored beside the others of its year; a file repeating estimates on hand is refused.
The files are small cuts of the real May 2025 files, header kept."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest
from helpers import tree_digest

from analysis.cli import main
from analysis.ingest import releases, sidecars
from analysis.paths import Paths
from analysis.tables import places, store

FOLDER = Path("bls-oews/2025")
METRO = FOLDER / "oews_metro_M2025.csv.gz"
INDUSTRY = FOLDER / "oews_national_industry_M2025.csv.gz"


def cut(real: Paths, name: Path, column: str, keep: set[str], dest: Path) -> Path:
    """``dest``: the header and the rows of the real file ``name`` whose ``column`` is in ``keep``, as CSV."""
    with gzip.open(real.raw / name, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    at = rows[0].index(column)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([rows[0]] + [r for r in rows[1:] if r[at] in keep])
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(buf.getvalue(), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def small(real, tmp_path_factory) -> dict[str, Path]:
    """BLS-named cuts: two metro areas and a nonmetropolitan one; two 4-digit industries."""
    folder = tmp_path_factory.mktemp("incoming")
    return {"metro": cut(real, METRO, "AREA", {"26420", "41940", "0100001"}, folder / "MSA_M2025_dl.csv"),
            "industry": cut(real, INDUSTRY, "NAICS", {"622100", "621100"}, folder / "nat4d_M2025_dl.csv")}


def test_detect_reads_the_kind_from_the_rows(real, small):
    assert releases.detect(real.raw / METRO)["kind"] == "metro"
    assert releases.detect(small["industry"]) == {"format": "oews", "wage_year": 2025, "release": "May 2025",
                                                  "kind": "national-industry"}
    assert "kind" not in releases.detect(small["metro"], content=False)


@pytest.mark.slow
def test_add_release_of_a_metro_and_an_industry_file(tmp_project: Paths, small, capsys):
    p = tmp_project
    for name in (METRO, INDUSTRY):  # the real ones out of the way: the cuts would repeat their estimates
        (p.raw / name).unlink()
        sidecars.sidecar_path(p.raw / name).unlink()

    for kind, path in (("metro", small["metro"]), ("national-industry", small["industry"])):
        rc = main(["add-release", str(path)])
        out, err = capsys.readouterr()
        assert rc == 0, err
        assert out.strip() == f"stored data/raw/bls-oews/2025/{path.name} and rebuilt data/processed"
        dest = p.raw / FOLDER / path.name
        meta = sidecars.read_sidecar(dest)
        assert (meta["dataset"], meta["wage_year"], meta["format"], meta["kind"]) == ("bls-oews", 2025, "oews", kind)
        assert dest.read_bytes() == path.read_bytes()

    assert sorted(f.name for f in (p.raw / FOLDER).iterdir()) == [
        "MSA_M2025_dl.csv", "MSA_M2025_dl.csv.source.yml", "nat4d_M2025_dl.csv", "nat4d_M2025_dl.csv.source.yml",
        "oews_national_state_M2025.csv.gz", "oews_national_state_M2025.csv.gz.source.yml"]
    w = store.table("wages", p)
    assert set(w.loc[w.area_type > 2, "area_code"]) == {"26420", "41940", "0100001"}
    houston = places.area_wages("29-2072", "Houston", p=p)
    assert houston.employment_people.tolist() == [3_680, 17_210, 194_720]
    assert places.metro_rank("29-2072", p=p)["by_pay"].area_title.iloc[0] == "San Jose-Sunnyvale-Santa Clara, CA"
    top = places.industries("29-2072", p=p)["by_employment"]
    assert top[["naics", "employment_people", "share_of_occupation_percent"]].values.tolist() == [
        ["622100", 51_740, 26.6], ["621100", 34_860, 17.9]]


@pytest.mark.slow
def test_a_file_repeating_estimates_on_hand_is_refused(tmp_project: Paths, small, capsys):
    """The cut metro file beside the whole one: the rebuild refuses it, naming both, and it is removed again."""
    p = tmp_project
    raw_before, processed_before = tree_digest(p.raw), tree_digest(p.processed)
    rc = main(["add-release", str(small["metro"])])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert err == (f"career-report: error: {p.raw / FOLDER / 'oews_metro_M2025.csv.gz'}: holds OEWS estimates that "
                   "MSA_M2025_dl.csv holds too (first: area 26420, NAICS 000000, ownership 1235, SOC 00-0000, "
                   "May 2025); an estimate comes from one file: remove one of them\n")
    assert tree_digest(p.raw) == raw_before and tree_digest(p.processed) == processed_before


NATIONAL_STATE = FOLDER / "oews_national_state_M2025.csv.gz"


@pytest.mark.slow
def test_a_partial_release_is_held_until_its_other_kinds_come(tmp_project: Paths, real, tmp_path, capsys):
    """A metro-only file for a new May must not become "the latest" and hide the nation, the states and the
    industries: that year is held, with one line, and used once its other kinds are added."""
    p = tmp_project
    metro = cut(real, METRO, "AREA", {"26420", "41940"}, tmp_path / "MSA_M2026_dl.csv")
    rc = main(["add-release", str(metro)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert err.strip() == ("data/raw/bls-oews/2026: OEWS May 2026 has only metro estimates (no "
                           "national-industry, national-state); held until they are added: the reports use May 2025")
    assert (p.raw / "bls-oews/2026/MSA_M2026_dl.csv").is_file()  # kept, for when the rest comes
    assert places.wage_year(None, p) == 2025
    listed = places.areas(p=p)
    assert {"99", "48", "06"} <= set(listed["area_code"]) and len(listed) > 500
    assert places.area_wages("29-2072", "Houston", p=p).employment_people.tolist() == [3_680, 17_210, 194_720]
    assert not places.industries("29-2072", p=p)["by_employment"].empty

    # The rest of May 2026 arrives: the year is complete and becomes the latest.
    nat = cut(real, NATIONAL_STATE, "AREA", {"99", "48"}, tmp_path / "national_M2026_dl.csv")
    ind = cut(real, INDUSTRY, "NAICS", {"622100"}, tmp_path / "nat4d_M2026_dl.csv")
    assert main(["add-release", str(nat)]) == 0
    assert "held until they are added" in capsys.readouterr().err  # still no industries
    assert main(["add-release", str(ind)]) == 0
    assert "held" not in capsys.readouterr().err
    assert places.wage_year(None, p) == 2026
    assert set(places.areas(p=p)["area_code"]) == {"99", "48", "26420", "41940"}
