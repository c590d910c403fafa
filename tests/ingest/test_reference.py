"""The lookup tables in ``data/reference/`` (growth wording, O*NET aggregates): a malformed one stops
`career-report data` with one line naming the file, line and column, exit status 2, and nothing built touched.

Every broken table is a small edit of the REAL one in a copy of the project; each case checks the exact message
directly and through the CLI, and that data/ is byte-for-byte as it was.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable

import pandas as pd
import pytest
from helpers import data_command

from analysis.errors import DataError
from analysis.ingest.onet.match import read_aggregates
from analysis.ingest.reference import MAX_REFERENCE_BYTES, WORDING_FILE, read_rows, read_wording
from analysis.paths import Paths

AGGREGATES = "onet_aggregates.csv"
WORDING_HEADER = "vintage, label, min_percent, max_percent, basis, source"
# Bytes of a PNG image: what lands in a .csv when a download or a copy goes wrong.
NOT_TEXT = b"\x89PNG\r\n\x1a\n" + random.Random(0).randbytes(2000)


def drop_column(data: bytes, column: str) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    i = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:i] + r[i + 1:] for r in rows])
    return out.getvalue().encode("utf-8")


# --------------------------------------------------------------------------------------------------
# The real tables read as before
# --------------------------------------------------------------------------------------------------


def test_real_wording_table(real):
    w = read_wording(real.reference / WORDING_FILE)
    assert len(w) == 18 and list(w.columns) == ["vintage", "label", "min_percent", "max_percent", "basis", "source"]
    row = w[(w["vintage"] == "2024-34") & (w["label"] == "Much faster than average")].iloc[0]
    assert row["min_percent"] == 7 and pd.isna(row["max_percent"])
    assert str(w["min_percent"].dtype) == "Float64"
    assert row["source"].startswith("O*NET OnLine's labels for the 2024-34 projections (all-occupations")


def test_real_aggregates_table(real):
    rows = read_rows(real.reference / AGGREGATES, ("bls_soc_code", "onet_soc_code", "note"))
    assert rows[0] == (2, {"bls_soc_code": "21-1018", "onet_soc_code": "21-1011.00", "note": (
        "BLS EP line 21-1018 = O*NET 21-1011 (substance abuse and behavioral disorder) + 21-1014 (mental "
        "health) counselors")})
    known = {r["onet_soc_code"] for _, r in rows}
    assert read_aggregates(real.reference / AGGREGATES, known)["21-1018"][0] == ["21-1011.00", "21-1014.00"]


# --------------------------------------------------------------------------------------------------
# Broken tables: (file, edit of the real bytes) -> expected message after the file name
# --------------------------------------------------------------------------------------------------


def wording_text_for_number(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"2024-34,Faster than average,5,6,", b"2024-34,Faster than average,five,6,", 1)
    return broken, (" (line 3, column 'min_percent'): min_percent 'five' is not a number (whole percent, "
                    "or blank for open)")


def wording_stray_comma(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"2014-24,Decline,,-3,", b"2014-24,Decline,,,-3,", 1)
    return broken, " (line 13): has 7 fields, the header has 6"


def wording_latin1(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"'Job Outlook' definitions", b"\x91Job Outlook\x92 definitions", 1)  # Windows quotes
    at = broken.index(b"\x91")
    line = broken.count(b"\n", 0, at) + 1
    return broken, f" (line {line}): not UTF-8 text (invalid start byte at byte {at})"


def wording_random_bytes(data: bytes) -> tuple[bytes, str]:
    return NOT_TEXT, " (line 1): not UTF-8 text (invalid start byte at byte 0)"


def wording_empty(data: bytes) -> tuple[bytes, str]:
    return b"", f": empty: expected a header line naming {WORDING_HEADER}"


def wording_missing_column(data: bytes) -> tuple[bytes, str]:
    return drop_column(data, "max_percent"), " (line 1): missing column(s) max_percent"


def wording_too_large(data: bytes) -> tuple[bytes, str]:
    return data * (MAX_REFERENCE_BYTES // len(data) + 1), (f": larger than {MAX_REFERENCE_BYTES:,} bytes, the limit "
                                                            "for a reference table")


def wording_header_only(data: bytes) -> tuple[bytes, str]:
    """Before: read as no bands at all, so every report silently lost its growth wording."""
    return data.splitlines(keepends=True)[0], (": a header but no rows: expected the bands of at least one vintage "
                                                "(one row per vintage and label)")


def wording_overlap(data: bytes) -> tuple[bytes, str]:
    """Before: a change of 4% took whichever band came first in the file."""
    broken = data.replace(b"2024-34,Faster than average,5,6,", b"2024-34,Faster than average,4,6,", 1)
    return broken, (" (line 3, vintage 2024-34): band 'Faster than average' (4% to 6%) overlaps 'As fast as "
                    "average' (3% to 4%, line 4)")


def wording_gap(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"2024-34,Faster than average,5,6,", b"2024-34,Faster than average,6,6,", 1)
    return broken, (" (line 3, vintage 2024-34): band 'Faster than average' (6%) leaves a gap after 'As fast as "
                    "average' (3% to 4%, line 4): 5% has no label")


def wording_gap_below(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"2014-24,Decline,,-3,", b"2014-24,Decline,-10,-3,", 1)
    return broken, (" (line 13, vintage 2014-24): no band is open below (blank min_percent): a change under -10% "
                    "has no label")


def wording_two_open_above(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"2008-18,Faster than average,14,19,", b"2008-18,Faster than average,14,,", 1)
    return broken, (" (line 14, vintage 2008-18): band 'Much faster than average' (20% or more) overlaps "
                    "'Faster than average' (14% or more, line 15)")


def wording_fraction(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"2024-34,Faster than average,5,6,", b"2024-34,Faster than average,5,6.5,", 1)
    return broken, " (line 3, column 'max_percent'): max_percent '6.5' is not a whole percent"


def aggregates_stray_comma(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"25-2052,25-2056.00,", b"25-2052,25-2056.00,,", 1)
    return broken, " (line 5): has 4 fields, the header has 3"


def aggregates_random_bytes(data: bytes) -> tuple[bytes, str]:
    return NOT_TEXT, " (line 1): not UTF-8 text (invalid start byte at byte 0)"


def aggregates_empty(data: bytes) -> tuple[bytes, str]:
    return b"\n\n", ": empty: expected a header line naming bls_soc_code, onet_soc_code, note"


def aggregates_missing_column(data: bytes) -> tuple[bytes, str]:
    return drop_column(data, "onet_soc_code"), " (line 1): missing column(s) onet_soc_code"


CASES: dict[str, tuple[str, Callable[[bytes], tuple[bytes, str]]]] = {
    "wording: text for a number": (WORDING_FILE, wording_text_for_number),
    "wording: stray comma": (WORDING_FILE, wording_stray_comma),
    "wording: Windows quotes": (WORDING_FILE, wording_latin1),
    "wording: random bytes": (WORDING_FILE, wording_random_bytes),
    "wording: empty": (WORDING_FILE, wording_empty),
    "wording: missing column": (WORDING_FILE, wording_missing_column),
    "wording: over the size cap": (WORDING_FILE, wording_too_large),
    "wording: header only": (WORDING_FILE, wording_header_only),
    "wording: overlapping bands": (WORDING_FILE, wording_overlap),
    "wording: a gap between bands": (WORDING_FILE, wording_gap),
    "wording: nothing open below": (WORDING_FILE, wording_gap_below),
    "wording: two bands open above": (WORDING_FILE, wording_two_open_above),
    "wording: a fractional bound": (WORDING_FILE, wording_fraction),
    "aggregates: stray comma": (AGGREGATES, aggregates_stray_comma),
    "aggregates: random bytes": (AGGREGATES, aggregates_random_bytes),
    "aggregates: empty": (AGGREGATES, aggregates_empty),
    "aggregates: missing column": (AGGREGATES, aggregates_missing_column),
}


@pytest.mark.parametrize("case", CASES)
def test_broken_reference_table(tmp_project: Paths, capsys, case):
    name, edit = CASES[case]
    f = tmp_project.reference / name
    broken, expected = edit(f.read_bytes())
    f.write_bytes(broken)
    with pytest.raises(DataError) as caught:
        if name == WORDING_FILE:
            read_wording(f)
        else:
            read_aggregates(f, known_codes=set())
    assert str(caught.value) == f"{f}{expected}"

    rc, out, err = data_command(tmp_project, capsys)

    assert (rc, out) == (2, "")
    assert err == f"career-report: error: {f}{expected}\n"


@pytest.mark.slow
def test_aggregates_bad_code_names_line_and_column(tmp_project: Paths, capsys):
    """Codes are checked once O*NET is read (after the releases are parsed, so this one takes seconds)."""
    f = tmp_project.reference / AGGREGATES
    f.write_bytes(f.read_bytes().replace(b"\n25-2052,25-2056.00,", b"\n25-2052,25-2056.0,", 1))

    rc, out, err = data_command(tmp_project, capsys)

    assert (rc, out) == (2, "")
    assert err == (f"career-report: error: {f} (line 5, column 'onet_soc_code'): onet_soc_code '25-2056.0' is not in "
                   "O*NET Occupation Data\n")
