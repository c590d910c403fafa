"""Our hand-kept YAML, curated facts (``data/curated/<SOC>.yml``) and raw-file sidecars (``*.source.yml``):
bad input stops `career-report data` with one line, exit status 2, and nothing built touched.

Every broken file is a small edit of a REAL file in a copy of the project. Each case checks the exact message
(file, line and column where there is one), the exit status and stderr through the CLI, and that
data/processed and data/raw are byte-for-byte as they were. Anchors and aliases are refused outright, so an
exponentially expanding file ("billion laughs") fails at once; a timer bounds each test anyway.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import data_command as checked_data_command

from analysis.errors import DataError
from analysis.ingest import curated
from analysis.ingest.yaml_files import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES, dump_yaml, load_yaml
from analysis.paths import Paths

CURATED = "29-2072.yml"
SIDECAR = Path("bls-ep/2024-34/occupation.xlsx.source.yml")
LAUGHS = "".join(f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 10))
BILLION_LAUGHS = 'lol0: &l0 "lol"\n' + LAUGHS  # 10**9 copies of "lol" once expanded
# A bounded parse takes milliseconds, an unbounded one (the laughs expanded) would not end: a bound far from both,
# so a busy machine does not fail the test
PARSE_SECONDS = 30


@contextmanager
def deadline(seconds: float):
    """Fail (rather than hang) when the block runs longer than ``seconds``."""
    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def data_command(p: Paths, capsys) -> tuple[int, str, str]:
    """helpers.data_command (data/ left exactly as it was), within 60 s: a bounded parse must not hang."""
    with deadline(60):
        return checked_data_command(p, capsys)


def line_of(data: bytes, needle: bytes) -> tuple[int, int]:
    """(1-based line, 0-based byte offset) of ``needle`` in ``data``."""
    at = data.index(needle)
    return data.count(b"\n", 0, at) + 1, at


# --------------------------------------------------------------------------------------------------
# The real files read
# --------------------------------------------------------------------------------------------------


def test_real_curated_file_reads(real):
    facts = curated.read_curated_file(real.curated / CURATED)
    assert set(facts["section"]) == {"summary", "roles", "entry_path", "pros", "cons", "figures"}
    assert (facts["source_id"] == "usd-guide").all()


def test_sidecars_round_trip_without_anchors(real, tmp_path):
    """What we write we can read: a value shared by two keys is written twice, not as an anchor and alias."""
    shared = ["a", "b"]
    f = tmp_path / "x.source.yml"
    f.write_text(dump_yaml({"one": shared, "two": shared, "note": "café"}), encoding="utf-8")
    assert "&" not in f.read_text(encoding="utf-8")
    assert load_yaml(f) == {"one": ["a", "b"], "two": ["a", "b"], "note": "café"}
    meta = load_yaml(real.raw / SIDECAR)
    assert meta["sha256"] == "05103e6770b8ffebd6f024ff52afc9aed7e586b4aa159396ddc483c6ec572a07"


# --------------------------------------------------------------------------------------------------
# Broken curated files: (name, edit of the real bytes, expected message after the file name)
# --------------------------------------------------------------------------------------------------


def not_utf8(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"Medical biller", b"M\xe9dical biller", 1)  # Latin-1, as a Windows editor saves it
    line, at = line_of(broken, b"\xe9")
    return broken, f" (line {line}): not UTF-8 text (invalid continuation byte at byte {at})"


def billion_laughs(data: bytes) -> tuple[bytes, str]:
    # Inside a source, its `kind` the last alias: the anchor is refused as it is read, before any expansion (and
    # before validation, which would refuse the extra keys only after 10**9 strings were built).
    laughs = "".join(f"    {line}\n" for line in BILLION_LAUGHS.splitlines()).encode()
    broken = data.replace(b"  usd-guide:\n", b"  usd-guide:\n" + laughs, 1)
    broken = broken.replace(b"    kind: third-party career guide\n", b"    kind: *l9\n", 1)
    assert b"kind: *l9" in broken
    line, _ = line_of(broken, b"lol0: &l0")
    return broken, (f" (line {line}, column 11): anchor &l0 refused: anchors and aliases are not allowed in our "
                    "YAML files")


def too_large(data: bytes) -> tuple[bytes, str]:
    broken = data + b"# padding\n" * (MAX_YAML_BYTES // 10)
    return broken, f": larger than {MAX_YAML_BYTES:,} bytes, the limit for our YAML files"


def too_deep(data: bytes) -> tuple[bytes, str]:
    line = data.count(b"\n") + 2
    broken = data + b"\nextra: " + b"[" * (MAX_YAML_DEPTH + 5) + b"]" * (MAX_YAML_DEPTH + 5) + b"\n"
    # The file's own mapping is level 1, the first "[" level 2: the refused one is "[" number MAX_YAML_DEPTH.
    return broken, f" (line {line}, column {7 + MAX_YAML_DEPTH}): nested deeper than {MAX_YAML_DEPTH} levels"


def source_is_a_list(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"source: usd-guide", b"source: [usd-guide]", 1)
    return broken, " (summary[1]): source ['usd-guide'] is not listed under 'sources'"


def title_is_a_number(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b'title: "Medical Billing & Coding Career Guide [+ 10 Pros & Cons]"', b"title: 2024", 1)
    return broken, " (sources.usd-guide): each source needs a title (text)"


def bad_indent(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"title: Medical records specialists\n", b"title: Medical records specialists\n  x: 1\n")
    line, _ = line_of(broken, b"  x: 1")
    return broken, f" (line {line}, column 4): not valid YAML: mapping values are not allowed here"


def unknown_key_in_an_item(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"  - name: Medical biller\n", b"  - name: Medical biller\n    salary: high\n", 1)
    assert b"salary" in broken
    return broken, " (roles[1]): unknown key(s) salary; allowed: name, text, source"


def misspelt_source_in_an_item(data: bytes) -> tuple[bytes, str]:
    """Before, ``sorce:`` failed only as a missing source; a misspelt optional key was dropped without a word."""
    old = b"  - text: Job security.\n    source: usd-guide\n"
    broken = data.replace(old, b"  - text: Job security.\n    source: usd-guide\n    sorce: usd-guide\n", 1)
    assert broken != data
    return broken, " (pros[1]): unknown key(s) sorce; allowed: text, source"


def unknown_key_in_a_source(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"    publisher: University", b"    publsher: University", 1)
    assert broken != data
    return broken, " (sources.usd-guide): unknown key(s) publsher; allowed: title, publisher, kind, note"


def section_twice(data: bytes) -> tuple[bytes, str]:
    """A second `pros:` pasted at the end: before, it silently replaced the five pros above with one."""
    first, _ = line_of(data, b"\npros:\n")
    broken = data + b"pros:\n  - text: Flexible hours.\n    source: usd-guide\n"
    line = broken.count(b"\n") - 2
    return broken, (f" (line {line}, column 1): key 'pros' appears twice in one mapping (first on line {first + 1}); "
                    "a later one would silently replace the first")


def key_twice_in_an_item(data: bytes) -> tuple[bytes, str]:
    old = b"  - text: Deadlines are strict.\n"
    broken = data.replace(old, old + b"    text: Deadlines are strict, and many.\n", 1)
    line, _ = line_of(broken, b"    text: Deadlines are strict, and many.")
    return broken, (f" (line {line}, column 5): key 'text' appears twice in one mapping (first on line {line - 1}); "
                    "a later one would silently replace the first")


CURATED_CASES: dict[str, Callable[[bytes], tuple[bytes, str]]] = {
    "not UTF-8": not_utf8,
    "billion laughs": billion_laughs,
    "over the size cap": too_large,
    "nested too deep": too_deep,
    "a list where a source id belongs": source_is_a_list,
    "a number where a title belongs": title_is_a_number,
    "bad indentation": bad_indent,
    "an unknown key in a list item": unknown_key_in_an_item,
    "a misspelt key in a list item": misspelt_source_in_an_item,
    "an unknown key in a source": unknown_key_in_a_source,
    "a section twice": section_twice,
    "a key twice in a list item": key_twice_in_an_item,
}


@pytest.mark.parametrize("case", CURATED_CASES)
def test_broken_curated_file(tmp_project: Paths, capsys, case):
    f = tmp_project.curated / CURATED
    broken, expected = CURATED_CASES[case](f.read_bytes())
    f.write_bytes(broken)
    with deadline(PARSE_SECONDS), pytest.raises(DataError) as caught:
        curated.read_curated_file(f)
    assert str(caught.value) == f"{f}{expected}"

    rc, out, err = data_command(tmp_project, capsys)

    assert (rc, out) == (2, "")
    assert err == f"career-report: error: {f}{expected}\n"


@pytest.mark.parametrize("soc", ["29-2079", "29-2000"], ids=["no such code", "a summary group"])
def test_curated_file_for_an_occupation_not_on_hand(tmp_project: Paths, capsys, soc):
    """A well-formed file for a code no release has as a detailed occupation: before, built into the table and
    shown in no report, silently (a typo in a file name loses the analyst's work)."""
    real = tmp_project.curated / CURATED
    f = tmp_project.curated / f"{soc}.yml"
    f.write_bytes(real.read_bytes().replace(b'soc_code: "29-2072"', f'soc_code: "{soc}"'.encode(), 1))
    real.unlink()
    assert curated.read_curated_file(f)["soc_code"].eq(soc).all()  # the file itself is fine

    rc, out, err = data_command(tmp_project, capsys)

    assert (rc, out) == (2, "")
    assert err == (f"career-report: error: {f} (soc_code): soc_code {soc} is not a detailed occupation in any "
                   "Employment Projections release on hand (2024-34, 2023-33, 2022-32)\n")


def test_too_many_values(tmp_project: Paths, capsys):
    f = tmp_project.curated / CURATED
    line = f.read_bytes().count(b"\n") + 2
    f.write_bytes(f.read_bytes() + b"\nextra: [" + b"1, " * MAX_YAML_NODES + b"1]\n")
    with deadline(PARSE_SECONDS), pytest.raises(DataError) as caught:
        curated.read_curated_file(f)
    where = caught.value.where
    assert where.startswith(f"line {line}, column ")  # within the one long line of values
    assert str(caught.value) == f"{f} ({where}): more than {MAX_YAML_NODES:,} values"

    rc, out, err = data_command(tmp_project, capsys)

    assert (rc, out, err) == (2, "", f"career-report: error: {caught.value}\n")


# --------------------------------------------------------------------------------------------------
# Broken sidecars
# --------------------------------------------------------------------------------------------------


def sidecar_not_utf8(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"Bureau", b"Bur\xffeau", 1)
    line, at = line_of(broken, b"\xff")
    return broken, f" (line {line}): not UTF-8 text (invalid start byte at byte {at})"


def sidecar_billion_laughs(data: bytes) -> tuple[bytes, str]:
    broken = BILLION_LAUGHS.encode() + data.replace(b"license: ", b"license: *l9\nx: ", 1)
    return broken, " (line 1, column 7): anchor &l0 refused: anchors and aliases are not allowed in our YAML files"


def sidecar_bad_date(data: bytes) -> tuple[bytes, str]:
    broken = data.replace(b"retrieved_on: '2026-11-26'", b"retrieved_on: 2026-13-26", 1)
    line, _ = line_of(broken, b"retrieved_on")
    return broken, f" (line {line}, column 15): value '2026-13-26' cannot be read (month must be in 1..12)"


def sidecar_not_a_mapping(data: bytes) -> tuple[bytes, str]:
    return b"- " + data.replace(b"\n", b"\n  "), (": sidecar must be a mapping of dataset, producer, release, format, "
                                                    "url, retrieved_from, retrieved_on, license, sha256, not a list")


SIDECAR_CASES: dict[str, Callable[[bytes], tuple[bytes, str]]] = {
    "not UTF-8": sidecar_not_utf8,
    "billion laughs": sidecar_billion_laughs,
    "a date that is not one": sidecar_bad_date,
    "a list, not a mapping": sidecar_not_a_mapping,
}


@pytest.mark.parametrize("case", SIDECAR_CASES)
def test_broken_sidecar(tmp_project: Paths, capsys, case):
    f = tmp_project.raw / SIDECAR
    broken, expected = SIDECAR_CASES[case](f.read_bytes())
    f.write_bytes(broken)

    rc, out, err = data_command(tmp_project, capsys)  # within its deadline: the raw files are hashed first

    assert (rc, out) == (2, "")
    assert err == f"career-report: error: {f}{expected}\n"
