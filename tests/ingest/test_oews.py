"""Tests of analysis.wages on the real May 2025 OEWS snapshot and on broken copies made from it."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
import zlib

import numpy as np
import pandas as pd
import pytest
from helpers import tree_digest

from analysis import paths
from analysis.cli import main
from analysis.errors import DataError
from analysis.ingest import oews as wages
from analysis.ingest import releases, sniff
from analysis.ingest.oews import fields

RAW = paths.project().raw / "bls-oews" / "2025" / "oews_national_state_M2025.csv.gz"
NAME = RAW.name.removesuffix(".gz")  # keeps the M2025 in copies' names

pytestmark = pytest.mark.skipif(not RAW.exists(), reason="OEWS snapshot not present")


@pytest.fixture(scope="session")
def oews() -> pd.DataFrame:
    return wages.read_oews(RAW)


@pytest.fixture(scope="session")
def raw_text() -> pd.DataFrame:
    """The file as BLS strings, to find marker rows independently of the parser."""
    return pd.read_csv(RAW, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def rows() -> list[list[str]]:
    with gzip.open(RAW, "rt", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def one(df, area, soc):
    hit = df[(df.area_code == area) & (df.soc_code == soc)]
    assert len(hit) == 1
    return hit.iloc[0]


def write_copy(tmp_path, rows, name=NAME, gz=False):
    """Rows (header first) written as a CSV copy in tmp_path."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = tmp_path / (name + (".gz" if gz else ""))
    data = buf.getvalue().encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def edited(rows, n, edits):
    """The header plus the first n data rows, with {(data row 1-based, column): value} applied."""
    out = [list(r) for r in rows[: n + 1]]
    for (r, col), value in edits.items():
        out[r][out[0].index(col)] = value
    return out


# --------------------------------------------------------------------------- the real file

def test_detect_real_file():
    assert wages.detect(RAW) == {"format": "oews", "wage_year": 2025, "release": "May 2025"}


def test_columns_and_types(oews):
    assert list(oews.columns) == fields.COLUMNS
    assert len(fields.COLUMNS) == 46  # 40 + naics, naics_title, industry_level, own_code and two derived
    assert oews["employment_people"].dtype == "Int64"
    assert oews["area_type"].dtype == "int64" and oews["wage_year"].dtype == "int64"
    assert all(oews[f"{c}_top_coded"].dtype == bool for c in fields.WAGE_COLUMNS)
    assert (oews.wage_year == 2025).all()


def test_row_counts(oews):
    assert len(oews) == 38_512
    us = oews[oews.area_code == "99"]
    assert len(us) == 1_104
    assert us.o_group.value_counts().to_dict() == {"detailed": 830, "broad": 163, "minor": 88,
                                                   "major": 22, "total": 1}
    assert oews.loc[oews.area_type == 2, "area_code"].nunique() == 54
    assert set(oews.state_code[oews.area_code == "99"]) == {"US"}
    assert (oews.area_code.str.len() == 2).all()


def test_us_total(oews):
    r = one(oews, "99", "00-0000")
    assert r.employment_people == 155_495_730
    assert r.annual_mean_usd == 69_770 and r.annual_median_usd == 50_980
    assert r.hourly_median_usd == pytest.approx(24.51)
    assert r.area_title == "U.S." and r.area_type == 1 and r.o_group == "total"


def test_medical_records_specialists(oews):
    r = one(oews, "99", "29-2072")
    assert (r.employment_people, r.annual_mean_usd, r.annual_median_usd) == (194_720, 56_790, 51_140)
    assert r.hourly_median_usd == pytest.approx(24.59)
    assert (r.annual_p10_usd, r.annual_p90_usd) == (37_000, 81_150)
    assert np.isnan(r.location_quotient) and np.isnan(r.jobs_per_1000)  # none published for the nation
    ca = one(oews, "06", "29-2072")
    assert ca.employment_people == 18_700 and ca.state_code == "CA"
    assert ca.jobs_per_1000 == pytest.approx(1.026) and ca.location_quotient == pytest.approx(0.82)
    assert ca.annual_median_usd == 61_810


def test_national_rows_have_no_lq(oews):
    us = oews[oews.area_code == "99"]
    assert us.location_quotient.isna().all() and us.jobs_per_1000.isna().all()


def test_annual_only_and_hourly_only(oews):
    teachers = one(oews, "99", "25-2021")
    assert teachers.annual_only and not teachers.hourly_only
    assert np.isnan(teachers.hourly_median_usd) and np.isnan(teachers.hourly_mean_usd)
    assert teachers.annual_median_usd > 0
    actors = one(oews, "99", "27-2011")
    assert actors.hourly_only and not actors.annual_only
    assert np.isnan(actors.annual_median_usd) and actors.hourly_median_usd > 0
    assert oews.annual_only.sum() == 2_615 and oews.hourly_only.sum() == 115


def test_top_coded(oews, raw_text):
    hit = raw_text[(raw_text.A_PCT90 == "#") & (raw_text.H_PCT90 == "#")].iloc[0]
    r = one(oews, hit.AREA, hit.OCC_CODE)
    assert r.annual_p90_usd == 239_200 and r.annual_p90_usd_top_coded
    assert r.hourly_p90_usd == 115.0 and r.hourly_p90_usd_top_coded
    for col in fields.WAGE_COLUMNS:
        assert oews[f"{col}_top_coded"].sum() == (raw_text[fields.FIELDS[col].source] == "#").sum()
    # Exact values are never flagged: flags only where the file says '#'.
    assert not oews.loc[oews.area_code == "99", [f"{c}_top_coded" for c in fields.WAGE_COLUMNS]].any().any()


def test_not_released(oews, raw_text):
    hit = raw_text[raw_text.TOT_EMP == "**"].iloc[0]
    r = one(oews, hit.AREA, hit.OCC_CODE)
    assert pd.isna(r.employment_people) and not r.employment_released
    assert np.isnan(r.location_quotient) and np.isnan(r.employment_rse_percent)
    assert (~oews.employment_released).sum() == (raw_text.TOT_EMP == "**").sum() == 1_318


def test_percentiles_in_order(oews):
    for unit in ("hourly", "annual"):
        cols = [f"{unit}_{p}_usd" for p in fields.PERCENTILES]
        exact = oews[cols].mask(oews[[f"{c}_top_coded" for c in cols]].to_numpy())
        assert (exact.diff(axis=1).iloc[:, 1:].fillna(0) >= 0).all().all()


# --------------------------------------------------------------------------- other layouts

def test_xlsx_lower_case_old_headers(tmp_path, rows, oews, raw_text):
    """A BLS-style .xlsx: lower-case headers, OCC_GROUP, no AREA_TYPE, numbers and '1,234' strings."""
    marked = raw_text.index[(raw_text.TOT_EMP == "**") | (raw_text.A_PCT90 == "#")][:4].tolist()
    picks = list(range(40)) + marked
    header = [h.lower() for h in rows[0]]
    header[header.index("o_group")] = "occ_group"
    drop = header.index("area_type")
    recs = []
    for i in picks:
        rec = list(rows[i + 1])
        for j, h in enumerate(header):
            v = rec[j]
            if h in ("tot_emp", "a_mean", "a_median") and v.isdigit():
                rec[j] = f"{int(v):,}"          # thousands separators, as text
            elif h in ("h_median", "jobs_1000") and v not in ("", "*", "**", "#"):
                rec[j] = float(v)               # a real Excel number
        recs.append(rec[:drop] + rec[drop + 1:])
    xl = tmp_path / "national_M2025_dl.xlsx"
    frame = pd.DataFrame(recs, columns=header[:drop] + header[drop + 1:])
    frame.to_excel(xl, index=False, sheet_name="All May 2025 data", engine="openpyxl")

    assert wages.detect(xl) == {"format": "oews", "wage_year": 2025, "release": "May 2025"}
    got = wages.read_oews(xl)
    want = oews.iloc[picks].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_plain_csv_and_year_override(tmp_path, rows):
    plain = write_copy(tmp_path, rows[:30], name="oews_sample.csv")
    assert wages.detect(plain) == {"format": "oews", "wage_year": None, "release": None}
    with pytest.raises(DataError, match=r"oews_sample\.csv.*wage year.*M<year>"):
        wages.read_oews(plain)
    df = wages.read_oews(plain, wage_year=2024)
    assert len(df) == 29 and (df.wage_year == 2024).all()


def test_detect_rejects_other_files(tmp_path):
    other = tmp_path / "projections_M2025.csv"
    other.write_text("SOC,Title\n29-2072,Medical\n")
    assert wages.detect(other) is None
    html = tmp_path / "national_M2025_dl.xlsx"
    html.write_text("<!DOCTYPE html><html><body>Access Denied</body></html>")
    assert wages.detect(html) is None
    assert wages.detect(tmp_path / "missing_M2025.csv") is None


# --------------------------------------------------------------------------- broken copies

def test_renamed_column(tmp_path, rows):
    bad = edited(rows, 5, {(0, "A_MEDIAN"): "A_MEDIAM"})
    with pytest.raises(DataError, match=rf"{NAME}.*required column A_MEDIAN is missing"):
        wages.read_oews(write_copy(tmp_path, bad))


def test_unparseable_value(tmp_path, rows):
    bad = edited(rows, 5, {(3, "A_MEDIAN"): "abc"})
    with pytest.raises(DataError) as err:
        wages.read_oews(write_copy(tmp_path, bad))
    msg = str(err.value)
    assert NAME in msg and "row 3, line 4" in msg and "column A_MEDIAN" in msg and "'abc'" in msg


def test_duplicate_key(tmp_path, rows):
    bad = rows[:6] + [rows[2]]
    with pytest.raises(DataError, match=r"row 2, line 3, column OCC_CODE.*99 / SOC 11-0000.*row 6"):
        wages.read_oews(write_copy(tmp_path, bad))


def test_bad_soc_code(tmp_path, rows):
    bad = edited(rows, 5, {(4, "OCC_CODE"): "291141"})
    with pytest.raises(DataError, match=r"row 4, line 5, column OCC_CODE.*'291141'.*NN-NNNN"):
        wages.read_oews(write_copy(tmp_path, bad))


def test_negative_value(tmp_path, rows):
    bad = edited(rows, 5, {(2, "TOT_EMP"): "-5"})
    with pytest.raises(DataError, match=r"row 2, line 3, column TOT_EMP.*'-5' is negative"):
        wages.read_oews(write_copy(tmp_path, bad))


def test_percentiles_out_of_order(tmp_path, rows):
    bad = edited(rows, 5, {(1, "A_PCT75"): "40000"})
    with pytest.raises(DataError, match=r"row 1, line 2, column A_PCT75.*order.*A_PCT75 40000 < A_MEDIAN"):
        wages.read_oews(write_copy(tmp_path, bad))


def test_blank_wage(tmp_path, rows):
    bad = edited(rows, 5, {(5, "H_MEAN"): ""})
    with pytest.raises(DataError, match=r"row 5, line 6, column H_MEAN.*blank"):
        wages.read_oews(write_copy(tmp_path, bad))


def test_empty_file(tmp_path):
    empty = tmp_path / NAME
    empty.write_bytes(b"")
    with pytest.raises(DataError, match=rf"{NAME}: is empty"):
        wages.read_oews(empty)
    header_only = tmp_path / "national_M2025_dl.csv"
    header_only.write_text(",".join(fields.FIELDS[n].source for n in fields.FIELDS) + "\n")
    with pytest.raises(DataError, match=r"national_M2025_dl\.csv: has a header row but no data rows"):
        wages.read_oews(header_only)


@pytest.mark.parametrize("name", [NAME, "national_M2025_dl.xlsx", NAME + ".gz"])
def test_html_page(tmp_path, name):
    page = b"<!DOCTYPE html>\n<html><head><title>Access Denied</title></head></html>\n"
    path = tmp_path / name
    path.write_bytes(gzip.compress(page) if name.endswith(".gz") else page)
    with pytest.raises(DataError, match=rf"{name.replace('.', '[.]')}: is an HTML"):
        wages.read_oews(path)


def test_truncated_gzip(tmp_path, rows):
    whole = write_copy(tmp_path, rows[:200], gz=True).read_bytes()
    cut = tmp_path / ("cut_" + NAME + ".gz")
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataError, match=r"cut_oews_national_state_M2025\.csv\.gz: gzip stream ends early"):
        wages.read_oews(cut)


def test_top_code_needs_known_bound(tmp_path, rows):
    bad = edited(rows, 3, {(1, "A_PCT90"): "#"})
    with pytest.raises(DataError, match=r"row 1, line 2, column A_PCT90.*no top-code bound.*2000"):
        wages.read_oews(write_copy(tmp_path, bad), wage_year=2000)
    df = wages.read_oews(write_copy(tmp_path, bad))
    assert df.annual_p90_usd[0] == 239_200 and df.annual_p90_usd_top_coded[0]


# Bombs: small files that unpack far past the readers' limit (lowered here so that no test writes much)
LIMIT = 10_000_000  # above the real file's 8.1 MB of CSV


def append_zeros(zf: zipfile.ZipFile, member: str, data: bytes, n: int) -> None:
    with zf.open(member, "w") as out:
        out.write(data)
        for _ in range(n >> 20):
            out.write(bytes(1 << 20))


def test_gzip_bomb_stops_at_the_limit(tmp_path, tmp_project, monkeypatch, capsys):
    """The real file with 20 MB of zeros appended inside its gzip stream: 2.3 MB on disk, refused at the limit
    (not decompressed whole), by the reader and by `career-report add-release`, which stores nothing."""
    monkeypatch.setattr(sniff, "MAX_UNPACKED_BYTES", LIMIT)
    z = zlib.compressobj(wbits=31)
    bomb = tmp_path / RAW.name
    with open(bomb, "wb") as f:
        f.write(z.compress(gzip.decompress(RAW.read_bytes())))
        for _ in range(20):
            f.write(z.compress(bytes(1 << 20)))
        f.write(z.flush())
    assert bomb.stat().st_size < 3_000_000
    assert wages.detect(bomb)["wage_year"] == 2025  # its header row is a real one
    message = f"{bomb}: unpacks to more than the readers' limit of 10,000,000 bytes; stopped there (a gzip bomb?)"
    with pytest.raises(DataError) as info:
        wages.read_oews(bomb)
    assert str(info.value) == message

    before = tree_digest(tmp_project.raw)
    assert main(["add-release", str(bomb)]) == 2
    assert capsys.readouterr().err.strip() == f"career-report: error: {message}"
    assert tree_digest(tmp_project.raw) == before


def test_xlsx_bomb_is_refused_before_it_is_opened(tmp_path, rows, monkeypatch):
    """A BLS-style .xlsx of real rows with one more member declaring 20 MB (of zeros, 20 kB on disk)."""
    monkeypatch.setattr(sniff, "MAX_UNPACKED_BYTES", LIMIT)
    bomb = tmp_path / "national_M2025_dl.xlsx"
    pd.DataFrame(rows[1:11], columns=rows[0]).to_excel(bomb, index=False, engine="openpyxl")
    assert wages.read_oews(bomb).shape[0] == 10  # readable under the limit as it is
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf:
        append_zeros(zf, "xl/media/padding.bin", b"", 20 << 20)
    assert bomb.stat().st_size < 100_000
    problem = r"unpacks to 21,\d{3},\d{3} bytes, more than the readers' limit of 10,000,000 \(a zip bomb\?\)"
    with pytest.raises(DataError, match=rf"national_M2025_dl\.xlsx: {problem}$"):
        wages.read_oews(bomb)
    assert wages.detect(bomb) is None
    with pytest.raises(DataError, match=rf"national_M2025_dl\.xlsx: {problem}$"):
        releases.detect(bomb)  # what `career-report add-release` says
