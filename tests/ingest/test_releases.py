"""`career-report add-release PATH`: a new BLS release goes in with one command; a bad file never does.

Every broken file is a small edit of a REAL raw file (written under tmp_path). Each bad input must give
exit status 2, one line on stderr naming the file (and the row/column where there is one) and what is
wrong, leave nothing behind under data/raw, and leave data/processed byte-for-byte as it was.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from helpers import own, tree_digest

from analysis.cli import main
from analysis.errors import DataError
from analysis.files import sha256_file
from analysis.ingest import releases as release
from analysis.ingest import sidecars as sources
from analysis.paths import Paths
from analysis.tables import dataset, store

EP_2024 = Path("bls-ep/2024-34/occupation.xlsx")
EP_2023 = Path("bls-ep/2023-33/occupation.xlsx")
EP_2022 = Path("bls-ep/2022-32/Employment Projections.csv")
OEWS = Path("bls-oews/2025/oews_national_state_M2025.csv.gz")


# --------------------------------------------------------------------------------------------------
# Fixtures and helpers
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def workbook_bytes(real) -> bytes:
    """The real 2024-34 occupation.xlsx, read once; broken copies are made from it."""
    return (real.raw / EP_2024).read_bytes()


@pytest.fixture(scope="session")
def oews_head(real) -> list[list[str]]:
    """The header and first 199 data rows of the real OEWS May 2025 file, as CSV fields."""
    with gzip.open(real.raw / OEWS, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        return [row for _, row in zip(range(200), reader, strict=False)]


def edited_workbook(data: bytes, folder: Path, edit: Callable) -> Path:
    """``folder/occupation.xlsx``: the workbook with ``edit(sheet)`` applied to its Table 1.2."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb["Table 1.2"])
    folder.mkdir(parents=True)
    out = folder / "occupation.xlsx"
    wb.save(out)
    return out


def write_csv(rows: list[list[str]], path: Path) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = buf.getvalue().encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
    return path


def dirs(folder: Path) -> set[str]:
    return {str(d.relative_to(folder)) for d in folder.rglob("*") if d.is_dir()}


def add(path: Path, capsys) -> tuple[int, str, str]:
    rc = main(["add-release", str(path)])
    out, err = capsys.readouterr()
    return rc, out, err


# --------------------------------------------------------------------------------------------------
# Detection and the success path
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    (EP_2024, {"format": "ep-workbook", "vintage": "2024-34"}),
    (EP_2023, {"format": "ep-workbook", "vintage": "2023-33"}),
    (EP_2022, {"format": "ep-csv", "vintage": "2022-32"}),
    (OEWS, {"format": "oews", "wage_year": 2025, "release": "May 2025", "kind": "national-state"}),
])
def test_detect_real_files(real, name, expected):
    assert release.detect(real.raw / name) == expected


def test_detect_ignores_the_file_name(real, tmp_path):
    """Format and vintage come from the content: a renamed workbook is still the 2023-33 release."""
    f = tmp_path / "download (3).xlsx"
    shutil.copyfile(real.raw / EP_2023, f)
    assert release.detect(f) == {"format": "ep-workbook", "vintage": "2023-33"}


def test_detect_rejects_other_files(real):
    with pytest.raises(DataError, match=r"Occupation Data\.txt: not a BLS release we can read"):
        release.detect(real.raw / "onet/29.2/Occupation Data.txt")


@pytest.mark.slow
def test_add_release_stores_snapshot_and_rebuilds(tmp_project: Paths, real, tmp_path, capsys):
    p = tmp_project
    shutil.rmtree(p.raw / EP_2023.parent)
    dataset.run(p)
    assert store.vintages(p) == ["2024-34", "2022-32"]
    incoming = tmp_path / "incoming" / "occupation.xlsx"
    incoming.parent.mkdir()
    shutil.copyfile(real.raw / EP_2023, incoming)

    rc, out, err = add(incoming, capsys)

    assert rc == 0, err
    assert out.strip() == "stored data/raw/bls-ep/2023-33/occupation.xlsx and rebuilt data/processed"
    dest = p.raw / EP_2023
    assert dest.read_bytes() == incoming.read_bytes()
    meta = sources.read_sidecar(dest)  # verifies the file's sha256 against the sidecar
    assert meta["sha256"] == sha256_file(incoming)
    assert meta["bytes"] == incoming.stat().st_size
    assert (meta["dataset"], meta["vintage"], meta["format"]) == ("bls-ep", "2023-33", "ep-workbook")
    for key in sources.REQUIRED_KEYS:
        assert meta[key], key
    assert incoming.exists()  # copied, not moved
    assert not list(dest.parent.glob(".*.part"))

    assert store.vintages(p) == ["2024-34", "2023-33", "2022-32"]
    f = store.quick_facts("29-2072", "2023-33", p)
    assert (f["employment_base"], f["employment_projected"], f["change_percent"], f["openings_per_year"],
            f["median_wage_usd"]) == (191_500, 208_200, 8.7, 15_000, 48_780)
    seps = store.table("separations", p)
    assert "2023-33" in set(seps["vintage"])
    man = store.processed_manifest(p)
    assert {"path": "data/raw/bls-ep/2023-33/occupation.xlsx", "sha256": meta["sha256"], "dataset": "bls-ep",
            "release": "2023-33"} in man["inputs"]
    assert not dataset.is_stale(p)


def test_failed_rebuild_removes_the_copy(tmp_project: Paths, real, tmp_path, capsys, monkeypatch):
    """A valid release whose rebuild fails later: the copied file and its sidecar are removed again."""
    p = tmp_project
    shutil.rmtree(p.raw / EP_2023.parent)
    raw_before, dirs_before, processed_before = tree_digest(p.raw), dirs(p.raw), tree_digest(p.processed)
    incoming = tmp_path / "incoming" / "occupation.xlsx"
    incoming.parent.mkdir()
    shutil.copyfile(real.raw / EP_2023, incoming)
    calls = []

    def failing_run(q=None):
        calls.append(q)
        assert (p.raw / EP_2023).exists() and sources.sidecar_path(p.raw / EP_2023).exists()
        raise DataError("data/processed/projections.parquet", "duplicate key ['2023-33', '29-2072']")

    monkeypatch.setattr(dataset, "run", failing_run)
    rc, out, err = add(incoming, capsys)

    assert rc == 2 and out == ""
    assert calls, "the rebuild was not attempted"
    assert err == ("career-report: error: data/processed/projections.parquet: duplicate key "
                   "['2023-33', '29-2072']\n")
    assert tree_digest(p.raw) == raw_before
    assert dirs(p.raw) == dirs_before  # the new 2023-33 folder is gone too
    assert tree_digest(p.processed) == processed_before


def test_a_different_file_of_a_release_on_hand_is_refused(tmp_project: Paths, workbook_bytes, tmp_path, capsys):
    """A valid 2024-34 workbook whose bytes differ from the stored one (re-saved) does not replace it."""
    p = tmp_project
    raw_before, processed_before = tree_digest(p.raw), tree_digest(p.processed)
    path = edited_workbook(workbook_bytes, tmp_path / "resaved", lambda ws: None)

    rc, out, err = add(path, capsys)

    assert rc == 2 and out == ""
    assert err.count("\n") == 1
    assert "bls-ep/2024-34/occupation.xlsx: a different file of the same release is already on hand" in err
    assert tree_digest(p.raw) == raw_before and tree_digest(p.processed) == processed_before


def test_tampered_raw_file_is_an_error(tmp_project: Paths, capsys):
    p = tmp_project
    f = own(p.raw / EP_2023)
    f.write_bytes(f.read_bytes() + b"\0")
    processed_before = tree_digest(p.processed)

    rc = main(["data"])
    out, err = capsys.readouterr()

    assert rc == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"career-report: error: {f}: sha256 ")
    assert "does not match its sidecar" in err
    assert tree_digest(p.processed) == processed_before


# --------------------------------------------------------------------------------------------------
# Bad input: one case per way a download goes wrong, each made from the real files
# --------------------------------------------------------------------------------------------------


def _delete_column(ws):
    assert ws.cell(2, 10).value == "Percent self employed, 2024"
    ws.delete_cols(10)


def _rename_column(ws):
    assert ws.cell(2, 4).value == "Employment, 2024"
    ws.cell(2, 4).value = "Jobs, 2024"


def _rename_code_column(ws):
    assert ws.cell(2, 2).value == "2024 National Employment Matrix code"
    ws.cell(2, 2).value = "2024 SOC"


def _bad_number(ws):
    assert ws.cell(20, 4).value is not None
    ws.cell(20, 4).value = "abc"


def _duplicate_row(ws):
    ws.insert_rows(20)
    for c in range(1, ws.max_column + 1):
        ws.cell(20, c).value = ws.cell(21, c).value


def workbook_case(edit):
    def make(tmp_path, workbook_bytes, oews_head, real):
        return edited_workbook(workbook_bytes, tmp_path / "bad", edit)
    return make


def truncated(tmp_path, workbook_bytes, oews_head, real):
    f = tmp_path / "bad" / "occupation.xlsx"
    f.parent.mkdir()
    f.write_bytes(workbook_bytes[: len(workbook_bytes) // 2])
    return f


def prose(tmp_path, workbook_bytes, oews_head, real):
    f = tmp_path / "bad" / "projections.txt"
    f.parent.mkdir()
    f.write_text("Hi all,\nhere are the new projections you asked for. Let me know if anything is missing.\n")
    return f


def empty(tmp_path, workbook_bytes, oews_head, real):
    f = tmp_path / "bad" / "occupation.xlsx"
    f.parent.mkdir()
    f.write_bytes(b"")
    return f


def html_page(tmp_path, workbook_bytes, oews_head, real):
    f = tmp_path / "bad" / "occupation.xlsx"
    f.parent.mkdir()
    f.write_text('<!DOCTYPE html>\n<html lang="en"><head><title>Access Denied</title></head>\n<body><h1>Access '
                 "Denied</h1><p>You don't have permission to access this resource on www.bls.gov.</p></body></html>\n")
    return f


def oews_renamed(suffix: str):
    def make(tmp_path, workbook_bytes, oews_head, real):
        rows = [list(r) for r in oews_head]
        rows[0][rows[0].index("A_MEDIAN")] = "ANNUAL_MEDIAN"
        return write_csv(rows, tmp_path / "bad" / f"oews_national_state_M2026{suffix}")
    return make


def oews_bad_number(tmp_path, workbook_bytes, oews_head, real):
    rows = [list(r) for r in oews_head]
    assert rows[5][rows[0].index("OCC_CODE")] == "11-1021"
    rows[5][rows[0].index("TOT_EMP")] = "abc"
    return write_csv(rows, tmp_path / "bad" / "oews_national_state_M2026.csv.gz")


def ep_csv_bad_number(tmp_path, workbook_bytes, oews_head, real):
    text = (real.raw / EP_2022).read_text(encoding="utf-8").splitlines(keepends=True)
    assert text[3].startswith('"Actuaries') and ',"30.0",' in text[3]
    text[3] = text[3].replace(',"30.0",', ',"thirty",', 1)
    f = tmp_path / "bad" / "Employment Projections.csv"
    f.parent.mkdir()
    f.write_text("".join(text), encoding="utf-8")
    return f


BAD_INPUTS = {
    # name: (how the file is made, regex for the message after "career-report: error: <path>")
    "missing column": (workbook_case(_delete_column),
                       r" \(Table 1\.2\): required column 'percent self employed in 2024' not found "
                       r"\(expected a header like 'Percent self employed, 2024'\)"),
    "renamed column": (workbook_case(_rename_column),
                       r" \(Table 1\.2\): required column 'employment in the base year 2024' not found "
                       r"\(expected a header like 'Employment, 2024'\)"),
    "renamed code column": (workbook_case(_rename_code_column),
                            r" \(Table 1\.2\): no header row with a 'National Employment Matrix code' column"),
    "value that won't parse": (workbook_case(_bad_number),
                               r" \(Table 1\.2, row 20, column 'Employment, 2024'\): value 'abc' is not a number"),
    "duplicate codes": (workbook_case(_duplicate_row),
                        r" \(Table 1\.2, row 21\): SOC code \d\d-\d{4} appears twice \(first at Table 1\.2, row 20\)"),
    "truncated xlsx": (truncated, r": is not a readable \.xlsx workbook \(truncated or corrupt zip"),
    "non-spreadsheet file": (prose, r": not a BLS release we can read \(expected an Employment Projections"),
    "empty file": (empty, r": file is empty"),
    "HTML error page": (html_page, r": is an HTML/XML page, not an \.xlsx workbook or CSV \(a saved error page\?\)"),
    "OEWS csv.gz renamed column": (oews_renamed(".csv.gz"),
                                   r" \(header row\): OEWS file lacks required column\(s\) A_MEDIAN"),
    "OEWS csv renamed column": (oews_renamed(".csv"),
                                r" \(header row\): OEWS file lacks required column\(s\) A_MEDIAN"),
    "OEWS value that won't parse": (oews_bad_number,
                                    r" \(row 5, line 6, column TOT_EMP\): value 'abc' is not a number"),
    "EP CSV value that won't parse": (ep_csv_bad_number,
                                      r" \(line 4, column 'Employment 2022'\): value 'thirty' is not a number"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused(case, tmp_project: Paths, real, workbook_bytes, oews_head, tmp_path, capsys):
    p = tmp_project
    make, message = BAD_INPUTS[case]
    bad = make(tmp_path, workbook_bytes, oews_head, real)
    bad_bytes = bad.read_bytes()
    raw_before, dirs_before, processed_before = tree_digest(p.raw), dirs(p.raw), tree_digest(p.processed)

    rc, out, err = add(bad, capsys)

    assert rc == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err  # one line
    assert re.fullmatch(re.escape(f"career-report: error: {bad}") + message + r".*\n", err), err
    assert tree_digest(p.raw) == raw_before  # nothing stored, no partial copy
    assert dirs(p.raw) == dirs_before  # not even an empty release folder
    assert hashlib.sha256(bad_bytes).hexdigest() not in tree_digest(p.raw).values()
    assert tree_digest(p.processed) == processed_before  # byte-for-byte as it was
    assert bad.read_bytes() == bad_bytes  # the user's file is left alone


def test_missing_path_is_refused(tmp_project: Paths, tmp_path, capsys):
    raw_before = tree_digest(tmp_project.raw)
    rc, out, err = add(tmp_path / "nowhere.xlsx", capsys)
    assert rc == 2 and out == ""
    assert err == f"career-report: error: {tmp_path / 'nowhere.xlsx'}: no such file\n"
    assert tree_digest(tmp_project.raw) == raw_before
