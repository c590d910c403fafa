"""`career-report areas` and `career-report show --area` on the real May 2025 OEWS files.

Figures are checked against the raw download rows themselves (``data/raw/bls-oews/2025``), read here with the
csv module, independently of the ingest: BLS's ``**``/``*`` (suppressed) become null and ``#`` (top-coded) the
May 2025 bound with its flag. Houston's 3,680 jobs and $51,250 median are the figures issue 17 names.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess

import pytest
from helpers import CLI, copy_project, replace_raw, run_cli

from analysis.cli import query
from analysis.tables import places, profile, store

OEWS = "bls-oews/2025"
TOP_CODE = {"annual": 239_200, "hourly": 115.0}  # BLS's May 2025 bounds for '#'
PAY = {"mean": ("A_MEAN", "H_MEAN"), "p10": ("A_PCT10", "H_PCT10"), "p25": ("A_PCT25", "H_PCT25"),
       "median": ("A_MEDIAN", "H_MEDIAN"), "p75": ("A_PCT75", "H_PCT75"), "p90": ("A_PCT90", "H_PCT90")}


@pytest.fixture(autouse=True)
def on_real_data(real, monkeypatch):
    monkeypatch.setenv("CAREER_OUTLOOK_ROOT", str(real.root))


run = run_cli


def show_area(capsys, soc: str, area: str) -> dict:
    rc, out, err = run(capsys, "show", soc, "--json", "--area", area)
    assert rc == 0, err
    assert out.count("\n") == 1
    return json.loads(out)


@pytest.fixture(scope="module")
def raw_rows(real) -> dict[tuple[str, str], dict]:
    """(AREA, OCC_CODE) -> the cross-industry row of the metro and the national-and-state downloads."""
    rows = {}
    for name in ("oews_metro_M2025.csv.gz", "oews_national_state_M2025.csv.gz"):
        with gzip.open(real.raw / OEWS / name, "rt", encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["NAICS"] == "000000" and r["OCC_CODE"] in {"29-2072", "29-1211", "27-2031", "11-9039"}:
                    rows[(r["AREA"], r["OCC_CODE"])] = r
    return rows


def expected(raw: dict) -> dict:
    """The JSON figures one raw row should give, computed from its text."""
    def number(text: str, kind: str):
        if text in ("*", "**", ""):
            return None, False
        if text == "#":
            return TOP_CODE[kind], True
        v = float(text.replace(",", ""))
        return (int(v) if kind in ("annual", "people") else v), False

    out = {"area_code": raw["AREA"], "area_title": raw["AREA_TITLE"], "state_code": raw["PRIM_STATE"],
           "employment_people": number(raw["TOT_EMP"], "people")[0],
           "jobs_per_1000": number(raw["JOBS_1000"], "rate")[0],
           "location_quotient": number(raw["LOC_QUOTIENT"], "rate")[0]}
    for stat, (a, h) in PAY.items():
        for kind, col in (("annual", a), ("hourly", h)):
            out[f"{kind}_{stat}_usd"], out[f"{kind}_{stat}_usd_top_coded"] = number(raw[col], kind)
    return out


def assert_matches_raw(got: dict, raw: dict) -> None:
    want = expected(raw)
    assert {k: got[k] for k in want} == want
    for k, v in want.items():  # whole people and annual dollars; hourly dollars, rates and quotients as floats
        if v is not None and not isinstance(v, bool):
            assert type(got[k]) is type(v), k


# --- areas ------------------------------------------------------------------------------------------------

def test_areas_lists_every_area(capsys, real):
    rc, out, err = run(capsys, "areas")
    lines = out.splitlines()
    assert rc == 0
    assert len(lines) == 1 + 54 + 393 + 135
    assert err == f"{len(lines)} area(s) with OEWS estimates for May 2025\n"
    assert lines[0].split() == ["99", "national", "US", "U.S."]
    houston = next(line for line in lines if line.startswith("26420 "))
    assert houston.split(None, 3) == ["26420", "metropolitan", "TX", "Houston-Pasadena-The Woodlands, TX"]
    nonmetro = next(line for line in lines if line.startswith("0100001 "))
    assert nonmetro.split(None, 3)[1:3] == ["nonmetropolitan", "AL"]
    # columns: every title starts in the same place, after the longest type name ("nonmetropolitan")
    listed = places.areas(p=real)
    start = len("0100001  nonmetropolitan  AL  ")
    assert [line[start:] for line in lines] == listed.area_title.tolist()
    assert [line[:7].strip() for line in lines] == listed.area_code.tolist()


def test_areas_matching_a_query_as_the_library_does(capsys, real):
    rc, out, err = run(capsys, "areas", "springfield")
    assert rc == 0
    assert [line.split()[0] for line in out.splitlines()] == places.areas("springfield", p=real).area_code.tolist()
    assert [line.split()[0] for line in out.splitlines()] == ["21660", "44100", "44140", "44180", "44220"]
    assert err == "5 area(s) with OEWS estimates for May 2025\n"
    rc, out, _ = run(capsys, "areas", "26420")
    assert out == "26420    metropolitan  TX  Houston-Pasadena-The Woodlands, TX\n"


def test_areas_no_match_exits_1_like_list(capsys):
    rc, out, err = run(capsys, "areas", "zzqx nowhere")
    assert (rc, out, err) == (1, "", "0 area(s) with OEWS estimates for May 2025\n")


def test_areas_reader_leaving_the_pipe_early_gets_no_traceback(real):
    done = subprocess.run(" ".join(CLI) + " areas | head -2", shell=True, capture_output=True, text=True,
                          timeout=60, executable="/bin/bash", cwd=real.root)
    assert done.stdout.splitlines()[0].split() == ["99", "national", "US", "U.S."]
    assert done.stdout.count("\n") == 2
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


# --- show --json --area ------------------------------------------------------------------------------------

def test_show_json_area_houston(capsys, raw_rows):
    f = show_area(capsys, "29-2072", "26420")
    assert (f["soc_code"], f["vintage"], f["median_wage_usd"]) == ("29-2072", "2024-34", 50_250)  # EP facts kept
    assert f["area"] == {"area_code": "26420", "area_title": "Houston-Pasadena-The Woodlands, TX", "area_type": 4,
                         "area_type_name": "metropolitan", "state_code": "TX", "wage_year": 2025}
    here, state, nation = (f["area_wages"][k] for k in ("area", "state", "nation"))
    assert (here["employment_people"], here["annual_median_usd"], here["location_quotient"]) == (3_680, 51_250, 0.89)
    assert here["annual_median_usd_top_coded"] is False
    assert_matches_raw(here, raw_rows[("26420", "29-2072")])
    assert_matches_raw(state, raw_rows[("48", "29-2072")])
    assert_matches_raw(nation, raw_rows[("99", "29-2072")])
    assert (state["area_title"], nation["area_title"]) == ("Texas", "U.S.")
    assert nation["location_quotient"] is None and nation["jobs_per_1000"] is None  # the nation's: not published


def test_show_json_area_by_name_is_the_same(capsys):
    assert show_area(capsys, "29-2072", "houston") == show_area(capsys, "29-2072", "26420")


def test_show_json_area_top_coded_and_suppressed(capsys, raw_rows):
    """Anchorage's anesthesiologists: every wage top-coded ('#'); Houston's 'education administrators, all
    other': employment, jobs per 1,000 and location quotient suppressed ('**'), wages published."""
    here = show_area(capsys, "29-1211", "Anchorage")["area_wages"]["area"]
    assert (here["annual_median_usd"], here["annual_median_usd_top_coded"]) == (239_200, True)
    assert (here["hourly_p90_usd"], here["hourly_p90_usd_top_coded"]) == (115.0, True)
    assert_matches_raw(here, raw_rows[("11260", "29-1211")])
    here = show_area(capsys, "11-9039", "26420")["area_wages"]["area"]
    assert here["employment_people"] is None and here["location_quotient"] is None
    assert here["annual_median_usd"] == 62_450
    assert_matches_raw(here, raw_rows[("26420", "11-9039")])


def test_show_json_area_hourly_only(capsys, raw_rows):
    here = show_area(capsys, "27-2031", "26420")["area_wages"]["area"]
    assert here["hourly_only"] is True and here["annual_median_usd"] is None and here["hourly_median_usd"] == 35.31
    assert_matches_raw(here, raw_rows[("26420", "27-2031")])


def test_show_json_state_and_nation_as_the_area(capsys):
    """A state is its own state; the nation has no state."""
    texas = show_area(capsys, "29-2072", "Texas")["area_wages"]
    assert texas["area"] == texas["state"] and texas["area"]["area_code"] == "48"
    assert texas["nation"]["area_code"] == "99"
    us = show_area(capsys, "29-2072", "99")["area_wages"]
    assert us["area"] == us["nation"] and us["state"] is None


def test_show_json_nonmetropolitan_area(capsys):
    f = show_area(capsys, "29-2072", "Northwest Alabama")
    assert f["area"]["area_type_name"] == "nonmetropolitan" and f["area"]["area_code"] == "0100001"
    here, state = f["area_wages"]["area"], f["area_wages"]["state"]
    assert (here["employment_people"], here["annual_median_usd"]) == (110, 49_970)
    assert state["area_title"] == "Alabama"


def test_show_json_area_where_the_occupation_is_not_published(capsys, real):
    w = places.store.table("wages", real)
    have = set(w.loc[w.soc_code == "29-2072", "area_code"])
    missing = next(c for c in places.areas(p=real).query("area_type == 4").area_code if c not in have)
    figures = show_area(capsys, "29-2072", missing)["area_wages"]
    assert figures["area"] is None and figures["state"] is not None and figures["nation"] is not None
    # an occupation OEWS does not publish at all (legislators): no figures anywhere, not an error
    assert show_area(capsys, "11-1031", "26420")["area_wages"] == {"area": None, "state": None, "nation": None}


def test_show_json_without_area_has_no_area_keys(capsys):
    rc, out, _ = run(capsys, "show", "29-2072", "--json")
    assert rc == 0 and not {"area", "area_wages"} & json.loads(out).keys()


# --- show --area as text ------------------------------------------------------------------------------------

def test_show_text_area_lines(capsys):
    rc, out, err = run(capsys, "show", "29-2072", "--area", "Houston")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[-4:] == [
        "  Area (OEWS May 2025):          Houston-Pasadena-The Woodlands, TX (26420, metropolitan)",
        "  Jobs in the area:              3,680 (location quotient 0.89; 1.117 per 1,000 jobs)",
        "  Median annual pay in the area: $51,250 (Texas $48,860; U.S. $51,140)",
        "  Pay range in the area:         $38,150 to $80,510 (10th to 90th percentile)"]
    starts = {line.index(line.split(":", 1)[1].strip()) for line in lines[1:]}
    assert len(starts) == 1  # the area's figures line up with the others


def test_show_text_area_top_coded_and_hourly(capsys):
    _, out, _ = run(capsys, "show", "29-1211", "--area", "11260")
    assert "  Median annual pay in the area: at least $239,200 (Alaska at least $239,200; U.S. $391,490)" in out
    _, out, _ = run(capsys, "show", "27-2031", "--area", "26420")
    assert "  Median hourly pay in the area: $35.31 (Texas $35.31; U.S. $24.80)" in out
    _, out, _ = run(capsys, "show", "11-9039", "--area", "26420")
    assert "  Jobs in the area:              not published\n" in out
    # Hourly-only in the area although BLS's national row is not flagged so everywhere (27-2042 in Albany).
    _, out, _ = run(capsys, "show", "27-2042", "--area", "10580")
    assert "  Median hourly pay in the area: $53.78 (New York not published; U.S. $47.80)" in out


def test_show_text_never_says_not_published_for_a_median_bls_publishes(real):
    """The audit's case: where the area publishes no median and the nation only an hourly one (27-2011 in Albany),
    the text said "U.S. not published". A sweep over every occupation BLS publishes only hourly and every area of
    it: each place's median is shown whenever BLS publishes one, hourly or annual."""
    w = store.table("wages", real)
    w = w[w["wage_year"] == places.wage_year(None, real)]
    nat = w[w["area_type"] == 1].set_index("soc_code")
    hourly_only = nat.index[nat["annual_median_usd"].isna() & nat["hourly_median_usd"].notna()]
    assert len(hourly_only) >= 5
    checked = 0
    for soc in hourly_only:
        for code in w.loc[(w["soc_code"] == soc) & w["area_type"].isin(places.LOCAL_TYPES), "area_code"]:
            facts = profile.area_json_facts(soc, code, real)  # what `show --area` prints from
            said = " ".join(v for _, v in query.area_rows(facts["area"], facts["area_wages"]))
            for role in ("state", "nation"):
                f = facts["area_wages"][role]
                if f and (f["annual_median_usd"] is not None or f["hourly_median_usd"] is not None):
                    name = "U.S." if role == "nation" else f["area_title"]
                    assert f"{name} not published" not in said, (soc, code, said)
            checked += 1
    assert checked > 250  # 276 areas in May 2025
    facts = profile.area_json_facts("27-2011", "10580", real)
    assert "U.S. $29.05" in " ".join(v for _, v in query.area_rows(facts["area"], facts["area_wages"]))


# --- errors: one line, exit 2, the flag named as typed ------------------------------------------------------

def error_line(capsys, *argv: str) -> str:
    rc, out, err = run(capsys, *argv)
    assert rc == 2 and out == ""
    assert err.startswith("career-report: error: ") and err.count("\n") == 1, err
    return err


def test_ambiguous_area_lists_the_candidates(capsys):
    for json_flag in ((), ("--json",)):
        err = error_line(capsys, "show", "29-2072", "--area", "Springfield", *json_flag)
        assert err.startswith("career-report: error: --area 'Springfield' matches 5 areas: 21660 "
                              "Eugene-Springfield, OR (metropolitan); 44100 Springfield, IL (metropolitan)")
        assert err.endswith("; give its code\n")


def test_unknown_area_names_the_closest(capsys):
    err = error_line(capsys, "show", "29-2072", "--area", "Huston", "--json")
    assert err.startswith("career-report: error: --area 'Huston' is not an OEWS area; closest: 26420 "
                          "Houston-Pasadena-The Woodlands, TX (metropolitan)")


def test_bad_soc_with_an_area_is_the_usual_error(capsys):
    err = error_line(capsys, "show", "29-2079", "--area", "26420")
    assert "29-2079 is not in the 2024-34 projections" in err


def test_build_area_flags_refused_before_any_work(capsys, tmp_path):
    out = tmp_path / "never"
    for argv, words in [
        (("--area", ""), "--area is empty"),
        (("--area", "Houston", "--states", "all"), "give --area (that area's reports only) or --states"),
        (("--area", "Houston", "--areas", "26420"), "give --area (that area's reports only) or --areas"),
        (("--areas", "26420", "--state", "TX"), "--areas: each area's report is for the area's own state"),
        (("--area", "Texas"), "for the state itself give the state (TX)"),
        (("--area", "99"), "is the nation (U.S.): the national report is the one without an area"),
        (("--area", "26420", "--state", "CA"), "lies in TX, not in state CA"),
    ]:
        err = error_line(capsys, "build", "29-2072", *argv, "--out", str(out))
        assert words in err, (argv, err)
    assert not out.exists()
    long = error_line(capsys, "build", "29-2072", "--area", "x" * 10_000, "--out", str(out))
    assert len(long) < 200  # a 10 KB value is not echoed whole


@pytest.mark.parametrize("argv", [["show", "29-2072", "--area"], ["areas"], ["build", "29-2072", "--area"],
                                  ["build", "29-2072", "--areas"]])
def test_a_long_area_value_is_refused_before_any_matching(capsys, monkeypatch, tmp_path, argv):
    """A 100,000-digit --area ran past 120 s in the close-match search over every area: the value is bounded
    first, so no fuzzy matching (difflib) ever sees it."""
    def no_matching(*args, **kwargs):
        raise AssertionError("matched a value longer than any title")

    monkeypatch.setattr(places.difflib, "SequenceMatcher", no_matching)
    out = tmp_path / "reports"
    rc, _, err = run(capsys, *argv, "1" * 100_000, *(["--out", str(out)] if argv[0] == "build" else []))
    assert rc == 2
    assert err == ("career-report: error: --area '" + "1" * 59 + "…': 100,000 characters; an area's code or name "
                   "has at most 300\n")
    assert not out.exists()


@pytest.mark.slow
def test_non_ascii_titles_under_an_ascii_terminal_are_escaped_not_a_traceback(real, tmp_path, capsys, monkeypatch):
    """PYTHONIOENCODING=ascii (or a cron with LANG=C) and an area title with an 'ó': every command still ends its
    output, the letter written as an escape, instead of a UnicodeEncodeError traceback."""
    p = copy_project(real, tmp_path / "proj")

    def edit(header, row):
        if row[header.index("AREA")] == "41980":
            row[header.index("AREA_TITLE")] = "San Juan-Bayamón-Caguas, PR"  # as BLS spells it elsewhere
        return row

    replace_raw(p, "bls-oews/2025/oews_metro_M2025.csv.gz", edit)
    env = {**os.environ, "CAREER_OUTLOOK_ROOT": str(p.root), "PYTHONIOENCODING": "ascii"}
    assert subprocess.run([*CLI, "data"], env=env, capture_output=True).returncode == 0
    listed = "41980    metropolitan  PR  San Juan-Bayam\\xf3n-Caguas, PR"
    for argv, line in ((["areas", "Bayam"], listed), (["areas", "Bayamón"], listed),
                       (["show", "29-2072", "--area", "41980"],
                        "San Juan-Bayam\\xf3n-Caguas, PR (41980, metropolitan)")):
        done = subprocess.run([*CLI, *argv], env=env, capture_output=True, text=True, encoding="ascii",
                              errors="strict")
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and line in done.stdout, (argv, done.stdout)
