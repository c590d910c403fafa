"""Interest matching for advisors and scripts: ``career-report list --interest``, ``show --json`` and the
``careers_by_interest`` notebook agree with the fit computed straight from O*NET's raw Interests.txt."""

from __future__ import annotations

import json
import re

import pytest
from interests_raw import expected_order, raw_profiles

from analysis import cli, notebooks
from analysis.tables import store

VINTAGE = "2024-34"


@pytest.fixture(scope="module")
def exact(real) -> set[str]:
    """BLS detailed codes of the release that are an O*NET occupation of their own (the comparison set)."""
    occ = store.table("onet_occupations", real)
    proj = store.table("projections", real)
    bls = set(proj.loc[(proj["vintage"] == VINTAGE) & (proj["soc_level"] == "detailed"), "soc_code"])
    return set(occ.loc[occ["match_rule"] == "exact", "soc_code"]) & bls


@pytest.mark.parametrize("student", ["CI", "ci", "S", "AE", "RIC"])
def test_list_by_interest_agrees_with_the_raw_file(student, real, exact, capsys):
    assert cli.main(["list", "--interest", student]) == 0
    out, err = capsys.readouterr()
    lines = [re.match(r"^(\d\d-\d{4})  .+  \[([A-Z]+), fit (\d), score (\d\.\d\d)\]$", line) for line in
             out.splitlines()]
    assert all(lines), out[:500]
    listed = [m.group(1) for m in lines]
    assert [s for s in listed if s in exact] == expected_order(real.raw, student.upper(), exact)
    assert f"{len(listed)} occupation(s) in {VINTAGE} fit interest code {student.upper()}" in err
    profiles = raw_profiles(real.raw)
    for m in lines:
        if m.group(1) in exact:
            assert m.group(2) == profiles[m.group(1)][0]


def test_list_by_interest_and_words(real, capsys):
    assert cli.main(["list", "--interest", "CI", "medical"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("29-2072  Medical records specialists  [CI, fit 1, score 5.65]")


@pytest.mark.parametrize("bad", ["CX", "CIC", "ABCD", "", "1"])
def test_a_bad_interest_code_is_one_line(bad, real, capsys):
    assert cli.main(["list", "--interest", bad]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"career-report: error: --interest {bad!r}: expected 1 to 3")


def test_show_json_has_interests_and_related(real, capsys):
    assert cli.main(["show", "29-2072", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["interest_code"] == "CI"
    code, scores = raw_profiles(real.raw)["29-2072"]
    assert facts["interests"] == {name: float(scores[name[0]]) for name in
                                  ["Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional"]}
    assert facts["related"][:4] == ["31-9094", "29-9021", "31-9092", "43-6013"]
    head, *rows = [line.split("\t") for line in (real.raw / "onet" / "29.2" / "Related Occupations.txt")
                   .read_text(encoding="utf-8").splitlines()]
    # O*NET's order (the file lists each occupation's 20 by tier, then index), each SOC code once, not itself
    tiers = {"Primary-Short": 0, "Primary-Long": 1, "Supplemental": 2}
    mine = sorted((r for r in rows if r[0] == "29-2072.00"), key=lambda r: (tiers[r[2]], int(r[3])))
    assert facts["related"] == [s for s in dict.fromkeys(r[1][:7] for r in mine) if s != "29-2072"]


def test_show_json_without_an_interest_profile(real, capsys):
    occ = store.table("onet_occupations", real)
    soc = occ.loc[occ["interest_code"].isna(), "soc_code"].iloc[0]
    assert cli.main(["show", soc, "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["interest_code"] is None and facts["interests"] == {}


def test_the_notebooks_interest_parameter_is_checked_before_any_kernel(real):
    spec = notebooks.find("careers_by_interest")
    assert notebooks.validate(spec, {"interest_code": "sa"})["interest_code"] == "SA"
    with pytest.raises(Exception, match=r"parameter interest_code 'SAS': expected 1 to 3 different letters"):
        notebooks.validate(spec, {"interest_code": "SAS"})
