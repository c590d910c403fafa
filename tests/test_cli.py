"""The `career-report` command line on the real data: show, list and their error messages.

Most tests call ``analysis.cli.main`` in-process (fast); one runs the real command in a subprocess to
check its exit status and stdout as a user sees them. Published figures are from SOURCES.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from helpers import run_cli

from analysis.cli import main
from analysis.tables import store

# 29-2072 Medical records specialists, as BLS publishes it (SOURCES.md), in people and USD.
PUBLISHED = {
    "2024-34": {"base_year": 2024, "projected_year": 2034, "employment_base": 194_800,
                "employment_projected": 208_600, "change_percent": 7.1, "openings_per_year": 14_200,
                "median_wage_usd": 50_250, "wage_year": 2024, "all_occupations_change_percent": 3.1},
    "2023-33": {"base_year": 2023, "projected_year": 2033, "employment_base": 191_500,
                "employment_projected": 208_200, "change_percent": 8.7, "openings_per_year": 15_000,
                "median_wage_usd": 48_780, "wage_year": 2023, "all_occupations_change_percent": 4.0},
    # The data tool's CSV: its wage column is the May 2023 wage, not the base year's.
    "2022-32": {"base_year": 2022, "projected_year": 2032, "employment_base": 194_300,
                "employment_projected": 210_900, "change_percent": 8.5, "openings_per_year": 15_000,
                "median_wage_usd": 48_780, "wage_year": 2023, "all_occupations_change_percent": 2.8},
}
REQUIRED_KEYS = {"soc_code", "title", "vintage", "base_year", "projected_year", "employment_base",
                 "employment_projected", "change_percent", "openings_per_year", "median_wage_usd",
                 "median_wage_top_coded", "wage_year", "education", "experience", "training", "outlook_label",
                 "all_occupations_change_percent"}


@pytest.fixture(autouse=True)
def on_real_data(real, monkeypatch):
    """Every command here reads the repository's own (built) data."""
    monkeypatch.setenv("CAREER_OUTLOOK_ROOT", str(real.root))


run = run_cli


def show_json(capsys, *argv: str) -> dict:
    rc, out, err = run(capsys, "show", *argv, "--json")
    assert rc == 0, err
    assert out.count("\n") == 1  # one JSON object on one line
    return json.loads(out)


# --------------------------------------------------------------------------------------------------
# show
# --------------------------------------------------------------------------------------------------


def test_show_json_latest_vintage(capsys):
    f = show_json(capsys, "29-2072")
    assert f.keys() >= REQUIRED_KEYS
    assert f["soc_code"] == "29-2072"
    assert f["title"] == "Medical records specialists"
    assert f["vintage"] == "2024-34"  # --vintage defaults to the latest release on hand
    for key, value in PUBLISHED["2024-34"].items():
        assert f[key] == value, key
        assert type(f[key]) is type(value), key  # people and years as integers, percents as floats
    assert f["median_wage_top_coded"] is False
    assert (f["education"], f["experience"], f["training"]) == ("Postsecondary nondegree award", "None", "None")
    assert f["outlook_label"] == "Much faster than average"
    assert f["job_zone"] == 3
    assert isinstance(f["also_called"], list) and "Coder" in f["also_called"]


def test_show_json_in_a_real_process(real):
    env = {k: v for k, v in os.environ.items() if k != "CAREER_OUTLOOK_ROOT"}
    done = subprocess.run([sys.executable, "-m", "analysis.cli", "show", "29-2072", "--json"],
                          capture_output=True, text=True, env=env, cwd=real.root, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    f = json.loads(lines[0])
    assert (f["soc_code"], f["vintage"], f["employment_base"], f["change_percent"], f["median_wage_usd"]) == \
        ("29-2072", "2024-34", 194_800, 7.1, 50_250)


@pytest.mark.parametrize("vintage", ["2023-33", "2022-32"])
def test_show_json_older_vintages(capsys, vintage):
    f = show_json(capsys, "29-2072", "--vintage", vintage)
    assert f["vintage"] == vintage
    for key, value in PUBLISHED[vintage].items():
        assert f[key] == value, key
        assert type(f[key]) is type(value), key
    assert (f["education"], f["experience"], f["training"]) == ("Postsecondary nondegree award", "None", "None")
    # BLS's wording cut-offs for these vintages are not on hand: no label is invented.
    assert f["outlook_label"] is None


def test_all_occupations_percent_keeps_its_decimal(capsys):
    _, out, _ = run(capsys, "show", "29-2072", "--vintage", "2023-33", "--json")
    assert '"all_occupations_change_percent": 4.0' in out


@pytest.mark.parametrize("spelling", ["2024\u201334", "2024\u201434", " 2024-34 "])
def test_vintage_with_en_dash(capsys, spelling):
    assert show_json(capsys, "29-2072", "--vintage", spelling)["vintage"] == "2024-34"


def test_top_coded_wage(capsys):
    f = show_json(capsys, "29-1211")
    assert f["title"] == "Anesthesiologists"
    assert f["median_wage_top_coded"] is True
    assert f["median_wage_usd"] == 239_200  # the bound (">=$239,200"), not an exact median
    rc, out, _ = run(capsys, "show", "29-1211")
    assert rc == 0
    assert "at least $239,200" in out


def test_show_text(capsys):
    rc, out, err = run(capsys, "show", "29-2072")
    assert rc == 0, err
    assert out.startswith("29-2072  Medical records specialists  (Employment Projections 2024-34)\n")
    for text in ("$50,250", "14,200", "194,800", "+13,800", "+7.1%", "Much faster than average",
                 "all occupations +3.1%", "Postsecondary nondegree award"):
        assert text in out, text
    # The figures line up in one column.
    starts = {line.index(line.split(":", 1)[1].strip()) for line in out.splitlines()[1:]}
    assert len(starts) == 1


# --------------------------------------------------------------------------------------------------
# list
# --------------------------------------------------------------------------------------------------


def listed(capsys, *argv: str) -> tuple[int, list[str], str]:
    rc, out, err = run(capsys, "list", *argv)
    return rc, out.splitlines(), err


def codes(lines: list[str]) -> list[str]:
    return [line.split()[0] for line in lines]


@pytest.mark.parametrize(("query", "code"), [
    ("medical biller", "29-2072"),   # an O*NET alternate title
    ("RHIT", "29-2072"),             # "Registered Health Information Technician (RHIT)"
    ("accountant", "13-2011"),       # the title, "Accountants and auditors"
    ("Medical records", "29-2072"),
])
def test_list_finds_by_words(capsys, query, code):
    rc, lines, err = listed(capsys, query)
    assert rc == 0
    assert code in codes(lines)
    assert err == f"{len(lines)} occupation(s) in 2024-34\n"


def test_list_title_matches_come_first(capsys):
    _, lines, _ = listed(capsys, "accountant")
    assert lines[0] == "13-2011  Accountants and auditors"


@pytest.mark.parametrize(("query", "code"), [
    ("Medical Bill Coder", "29-2072"),
    ("Airline Pilot In Command", "53-2011"),
    ("Certified Public Accountant", "13-2011"),
])
def test_list_finds_by_example_titles_in_every_vintage(real, capsys, query, code):
    """Example job titles come only with the 2022-32 CSV; searches in 2024-34 still use them."""
    proj = store.table("projections", real)
    latest = proj[(proj["vintage"] == "2024-34") & (proj["soc_code"] == code)].iloc[0]
    assert latest["example_titles"] == ""  # the workbook has none
    rc, lines, _ = listed(capsys, query)
    assert rc == 0
    hit = next(line for line in lines if line.startswith(code))
    assert "[O*NET title]" not in hit  # found through BLS's example titles, not only O*NET's
    rc, lines, _ = listed(capsys, query, "--vintage", "2022-32")
    assert code in codes(lines)


def test_list_by_code_prefix(capsys):
    rc, lines, err = listed(capsys, "29-20")
    assert rc == 0
    assert "29-2072" in codes(lines)
    assert all(c.startswith("29-20") for c in codes(lines))
    assert codes(lines) == sorted(codes(lines))
    det = store.table("projections")
    det = det[(det["vintage"] == "2024-34") & (det["soc_level"] == "detailed")]
    assert len(lines) == det["soc_code"].str.startswith("29-20").sum()


def test_list_everything(capsys):
    rc, lines, err = listed(capsys)
    assert rc == 0
    assert len(lines) == 832  # every detailed occupation of 2024-34
    assert err == "832 occupation(s) in 2024-34\n"


def test_list_no_match(capsys):
    rc, lines, err = listed(capsys, "zzqx astronaut-wrangler")
    assert rc == 1 and lines == []
    assert err == "0 occupation(s) in 2024-34\n"


# --------------------------------------------------------------------------------------------------
# errors: one line on stderr, exit status 2, nothing on stdout
# --------------------------------------------------------------------------------------------------


def error_line(capsys, *argv: str) -> str:
    rc, out, err = run(capsys, *argv)
    assert rc == 2
    assert out == ""
    assert err.startswith("career-report: error: ") and err.endswith("\n") and err.count("\n") == 1, err
    return err


def test_unknown_soc_gets_closest_matches(capsys):
    err = error_line(capsys, "show", "29-2079")
    assert "29-2079 is not in the 2024-34 projections" in err
    assert "closest: 29-2072 Medical records specialists" in err


def test_summary_group_is_not_an_occupation(capsys):
    err = error_line(capsys, "show", "29-2000")
    assert "29-2000 is a summary group, not a detailed occupation" in err
    assert "closest: 29-2010 Clinical laboratory technologists and technicians" in err


@pytest.mark.parametrize("code", ["292072", "29-207", "29_2072", "medical"])
def test_malformed_soc_says_the_expected_form(capsys, code):
    err = error_line(capsys, "show", code)
    assert repr(code) in err
    assert "expected the form NN-NNNN" in err


def test_unknown_vintage_lists_those_on_hand(capsys):
    err = error_line(capsys, "show", "29-2072", "--vintage", "1999-09")
    assert "'1999-09' is not on hand" in err
    assert "available: 2024-34, 2023-33, 2022-32" in err
    err = error_line(capsys, "list", "coder", "--vintage", "1999-09")
    assert "available: 2024-34, 2023-33, 2022-32" in err


# --------------------------------------------------------------------------------------------------
# --out: checked before any work; one line, exit status 2, no traceback
# --------------------------------------------------------------------------------------------------


def out_error(capsys, *argv: str) -> str:
    err = error_line(capsys, *argv)
    assert err.startswith("career-report: error: --out "), err
    assert "Traceback" not in err
    return err


def test_out_at_an_existing_file(tmp_project, tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("keep me\n")
    err = out_error(capsys, "build", "29-2072", "--out", str(afile))
    assert err == f"career-report: error: --out {afile}: not a folder\n"
    assert afile.read_text() == "keep me\n"  # left as it was
    assert not (tmp_project.reports / "29-2072").exists()  # nothing was built anywhere


def test_out_under_a_file_cannot_be_created(tmp_project, tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("")
    err = out_error(capsys, "build", "29-2072", "--out", str(afile / "sub" / "deeper"))
    assert f"cannot create the folder ({afile} is not a folder)" in err
    err = out_error(capsys, "build", "--notebook", "anything", "--out", str(afile / "sub"))
    assert "cannot create the folder" in err


def test_out_in_proc(tmp_project, capsys):
    err = out_error(capsys, "build", "29-2072", "--out", "/proc/nope")
    assert err == "career-report: error: --out /proc/nope: cannot create the folder (No such file or directory)\n"
    err = out_error(capsys, "build", "29-2072", "--out", "/proc")  # a folder, but nothing can be written there
    assert err == "career-report: error: --out /proc: folder is not writable\n"


def test_out_checked_in_a_real_process(tmp_project, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("")
    done = subprocess.run([sys.executable, "-m", "analysis.cli", "build", "29-2072", "--out", str(afile)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"career-report: error: --out {afile}: not a folder\n"


def test_reports_folder_is_checked_not_created(tmp_path):
    from analysis.cli.reports import reports_folder

    want = tmp_path / "a" / "b"
    assert reports_folder(str(want)) == want.resolve()
    assert not (tmp_path / "a").exists()  # a run that stops on another parameter leaves no folder behind
    assert list(tmp_path.iterdir()) == []  # and the write probe left nothing either
    want.mkdir(parents=True)
    assert reports_folder(want) == want.resolve()  # an existing folder is fine too


@pytest.mark.slow
def test_out_folder_is_made_by_the_build(tmp_project, tmp_path, capsys):
    out = tmp_path / "new" / "reports"
    assert main(["build", "29-2072", "--format", "html", "--out", str(out)]) == 0
    assert (out / "index.html").is_file()


# --------------------------------------------------------------------------------------------------
# --help: every argument of every sub-command says what it is
# --------------------------------------------------------------------------------------------------


def test_every_option_has_help():
    import argparse

    from analysis.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {"data", "list", "show", "add-release", "build", "fetch", "refresh", "notebooks"} <= set(sub.choices)
    missing = [f"{name} {'/'.join(a.option_strings) or a.dest}"
               for name, sp in sub.choices.items() for a in sp._actions
               if not isinstance(a, argparse._HelpAction) and not (a.help or "").strip()]
    assert missing == []
    shown = {a.dest for a in sub._choices_actions}  # each sub-command has a line in `career-report --help`
    assert shown == set(sub.choices)


def test_build_help_explains_vintage(capsys):
    with pytest.raises(SystemExit) as done:
        main(["build", "--help"])
    assert done.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--vintage VINTAGE Employment Projections release, e.g. 2024-34 (default: the latest on hand)" in out
