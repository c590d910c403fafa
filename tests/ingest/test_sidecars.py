"""Raw files and their sidecars (``<file>.source.yml``): a file without one, or a sidecar that disagrees with
where its file lies or what the file says, stops `career-report data` with one line naming it, exit status 2,
and data/ left as it was. Files that are not data (README.md, dotfiles, temp files) need no sidecar.

Every case is a small edit of a copy of the REAL raw folder: a sidecar deleted, a field changed, a file moved.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import data_command, tree_digest

from analysis.errors import DataError
from analysis.ingest import sidecars
from analysis.paths import Paths
from analysis.tables import dataset

EP_2023 = Path("bls-ep/2023-33/occupation.xlsx")
OEWS = Path("bls-oews/2025/oews_national_state_M2025.csv.gz")
JOB_ZONES = Path("onet/29.2/Job Zones.txt")
README_LINK = "every raw file needs one (see data/raw/README.md)"


def edit_sidecar(path: Path, old: str, new: str) -> None:
    side = sidecars.sidecar_path(path)
    text = side.read_text(encoding="utf-8")
    assert old in text, old
    side.write_text(text.replace(old, new, 1), encoding="utf-8")


def move_release(src: Path, dest: Path) -> None:
    """Move a raw file and its sidecar to another folder (as a hand copy into the wrong place would)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    for a, b in ((src, dest), (sidecars.sidecar_path(src), sidecars.sidecar_path(dest))):
        shutil.move(a, b)
    if not any(src.parent.iterdir()):
        src.parent.rmdir()


# --------------------------------------------------------------------------------------------------
# A raw file without its sidecar
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [EP_2023, JOB_ZONES], ids=["EP workbook", "O*NET file"])
def test_deleted_sidecar_is_an_error_naming_the_file(tmp_project: Paths, capsys, name):
    """Before: the release was silently left out (2023-33 vanished from every report), exit status 0."""
    f = tmp_project.raw / name
    sidecars.sidecar_path(f).unlink()

    rc, out, err = data_command(tmp_project, capsys)

    assert (rc, out) == (2, "")
    assert err == f"career-report: error: {f}: no sidecar {f.name}.source.yml beside it; {README_LINK}\n"


def test_new_file_without_sidecar_makes_the_tables_stale_and_the_rebuild_names_it(tmp_project: Paths):
    """A release copied in by hand, no sidecar: the next command must not carry on as if it were not there."""
    f = tmp_project.raw / "bls-ep/2025-35/occupation.xlsx"
    f.parent.mkdir()
    shutil.copyfile(tmp_project.raw / EP_2023, f)
    before = tree_digest(tmp_project.processed)

    assert dataset.stale_reason(tmp_project) == "data/raw/bls-ep/2025-35/occupation.xlsx: new since the last build"
    with pytest.raises(DataError) as caught:
        dataset.rebuild_if_stale(tmp_project)
    assert str(caught.value) == f"{f}: no sidecar occupation.xlsx.source.yml beside it; {README_LINK}"
    assert tree_digest(tmp_project.processed) == before


def test_files_that_are_not_data_need_no_sidecar(tmp_project: Paths):
    """README.md files, dotfiles and dot-folders, and add-release's temp files are not raw data."""
    raw = tmp_project.raw
    before = [m["path"] for m in sidecars.raw_snapshots(raw, verify=False)]
    (raw / "bls-ep" / "README.md").write_text("# Employment Projections releases\n", encoding="utf-8")
    (raw / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (raw / "onet/29.2/.gitkeep").write_bytes(b"")
    (raw / "bls-ep/.scratch").mkdir()
    (raw / "bls-ep/.scratch/occupation.xlsx").write_bytes((raw / EP_2023).read_bytes())
    (raw / "bls-ep/2023-33/.occupation.xlsx.career-outlook-999999.tmp.xlsx").write_bytes(b"PK\3\4")

    assert [m["path"] for m in sidecars.raw_snapshots(raw, verify=False)] == before
    assert len(before) == 31 and (raw / "README.md") not in before
    assert dataset.stale_reason(tmp_project) is None


# --------------------------------------------------------------------------------------------------
# A sidecar that disagrees with its file: (how the copy is broken) -> (file named, message after it)
# --------------------------------------------------------------------------------------------------


def vintage_not_the_folder(raw: Path) -> tuple[Path, str]:
    edit_sidecar(raw / EP_2023, "vintage: 2023-33", "vintage: 2024-34")
    return (sidecars.sidecar_path(raw / EP_2023),
            " (vintage): vintage '2024-34' disagrees with the file's folder bls-ep/2023-33/")


def release_of_another_vintage(raw: Path) -> tuple[Path, str]:
    edit_sidecar(raw / EP_2023, "release: 2023-33 projections (published August/September 2024)",
                 "release: 2024-34 projections (published September 2025)")
    return (sidecars.sidecar_path(raw / EP_2023), " (release): release '2024-34 projections (published September "
            "2025)' does not name its vintage 2023-33")


def dataset_not_the_folder(raw: Path) -> tuple[Path, str]:
    edit_sidecar(raw / EP_2023, "dataset: bls-ep", "dataset: bls-oews")
    return (sidecars.sidecar_path(raw / EP_2023),
            " (dataset): dataset 'bls-oews' disagrees with the file's folder bls-ep/")


def unknown_dataset(raw: Path) -> tuple[Path, str]:
    edit_sidecar(raw / EP_2023, "dataset: bls-ep", "dataset: bls-cps")
    return (sidecars.sidecar_path(raw / EP_2023),
            " (dataset): dataset 'bls-cps' is not one we read (bls-ep, bls-oews, onet)")


def file_in_the_wrong_release_folder(raw: Path) -> tuple[Path, str]:
    """The 2023-33 workbook filed as 2025-35, its sidecar edited to match the folder: the content says 2023-33."""
    dest = raw / "bls-ep/2025-35/occupation.xlsx"
    move_release(raw / EP_2023, dest)
    edit_sidecar(dest, "vintage: 2023-33", "vintage: 2025-35")
    edit_sidecar(dest, "release: 2023-33 projections", "release: 2025-35 projections")
    return dest, ": its title and headers give vintage 2023-33, but its sidecar records 2025-35"


def format_not_the_content(raw: Path) -> tuple[Path, str]:
    f = raw / "bls-ep/2022-32/Employment Projections.csv"
    edit_sidecar(f, "format: ep-csv", "format: ep-workbook")
    return f, ": its content is format ep-csv, but its sidecar records ep-workbook"


def file_not_in_a_release_folder(raw: Path) -> tuple[Path, str]:
    dest = raw / "bls-ep/occupation.xlsx"
    move_release(raw / EP_2023, dest)
    return dest, ": raw files lie in data/raw/<dataset>/<vintage>/, this one in data/raw/bls-ep/"


def oews_year_not_its_name(raw: Path) -> tuple[Path, str]:
    """May 2025 wages filed as 2024: before, every wage was labelled May 2024 without a word."""
    dest = raw / "bls-oews/2024" / OEWS.name
    move_release(raw / OEWS, dest)
    edit_sidecar(dest, "wage_year: 2025", "wage_year: 2024")
    edit_sidecar(dest, "release: May 2025", "release: May 2024")
    return dest, ": its name gives wage_year 2025, but its sidecar records 2024"


def onet_release_not_its_read_me(raw: Path) -> tuple[Path, str]:
    """O*NET 29.2 filed as 29.1, every sidecar edited to match: its Read Me.txt still says 29.2."""
    shutil.move(raw / "onet/29.2", raw / "onet/29.1")
    for side in (raw / "onet/29.1").glob("*" + sidecars.SIDECAR_SUFFIX):
        text = side.read_text(encoding="utf-8")
        side.write_text(text.replace("vintage: '29.2'", "vintage: '29.1'").replace(
            "release: O*NET 29.2 Database", "release: O*NET 29.1 Database"), encoding="utf-8")
    first = raw / "onet/29.1/2019_to_SOC_Crosswalk.xlsx"  # the folder's first file, in sidecar order
    return first, ": its folder's Read Me.txt gives vintage 29.2, but its sidecar records 29.1"


SIDECAR_CASES: dict[str, Callable[[Path], tuple[Path, str]]] = {
    "vintage is not the folder's": vintage_not_the_folder,
    "release names another vintage": release_of_another_vintage,
    "dataset is not the folder's": dataset_not_the_folder,
    "a dataset we do not read": unknown_dataset,
    "EP file in another release's folder": file_in_the_wrong_release_folder,
    "format is not the content's": format_not_the_content,
    "file not in a release folder": file_not_in_a_release_folder,
    "OEWS year is not the one in its name": oews_year_not_its_name,
    "O*NET release is not its Read Me's": onet_release_not_its_read_me,
}


SLOW_CASES = {"O*NET release is not its Read Me's"}  # the build reads all of O*NET before it checks this


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.slow) if c in SLOW_CASES else c
                                  for c in SIDECAR_CASES])
def test_sidecar_that_disagrees_with_its_file(tmp_project: Paths, capsys, case):
    named, expected = SIDECAR_CASES[case](tmp_project.raw)

    rc, out, err = data_command(tmp_project, capsys)

    assert (rc, out) == (2, "")
    assert err == f"career-report: error: {named}{expected}\n"


def test_real_sidecars_agree_with_their_files(real):
    """Every real raw file has a sidecar that agrees with its folder; en dashes in a release count as dashes."""
    snaps = sidecars.raw_snapshots(real.raw, verify=False)
    assert {(m["dataset"], str(m.get("vintage") or m.get("wage_year"))) for m in snaps} == {
        ("bls-ep", "2024-34"), ("bls-ep", "2023-33"), ("bls-ep", "2022-32"), ("bls-oews", "2025"), ("onet", "29.2")}
    meta = dict(snaps[0], release="2022\u201332 projections")
    sidecars.check_layout(meta, real.raw)  # no error: the en dash is the vintage's dash
