"""Log lines and ``--debug``: an error is one line (``career-report: error: …``) with the exit status it always
had; with ``--debug`` or ``$CAREER_OUTLOOK_DEBUG`` set, what led to it comes first: the traceback and the exception
a ``raise … from None`` hides. The CLI's log handler lasts for one command."""

from __future__ import annotations

import logging
import re

import pytest

from analysis.cli import logs, main

# Refused before any work: the folder cannot be made (an OSError the one line sums up, raised `from None`).
BAD_OUT = ["build", "29-2072", "--out", "/proc/nope/x"]
ONE_LINE = re.compile(r"career-report: error: --out /proc/nope/x: cannot create the folder \(.+\)")
CAUSE = re.compile(r"^(FileNotFoundError|PermissionError|OSError): \[Errno \d+\]", re.M)


@pytest.fixture(autouse=True)
def no_debug_from_outside(monkeypatch):
    monkeypatch.delenv(logs.DEBUG_ENV, raising=False)


def test_without_debug_an_error_is_one_line(capsys):
    assert main(BAD_OUT) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and ONE_LINE.fullmatch(err.strip())


@pytest.mark.parametrize("how", ["--debug", "environment"])
def test_debug_shows_what_led_to_the_error(capsys, monkeypatch, how):
    if how == "environment":
        monkeypatch.setenv(logs.DEBUG_ENV, "1")
    assert main(["--debug", *BAD_OUT] if how == "--debug" else BAD_OUT) == 2  # the same status
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == "" and ONE_LINE.fullmatch(lines[-1])  # the one line still ends it
    assert lines[0] == "career-report: debug: what led to the error below"
    assert CAUSE.search(err), err  # the hidden cause
    assert "During handling of the above exception, another exception occurred:" in err
    assert "analysis.errors.ParameterError: out /proc/nope/x: cannot create the folder" in err
    assert err.index("Traceback (most recent call last):") < CAUSE.search(err).start()


@pytest.mark.parametrize(("value", "on"), [("", False), ("0", False), ("false", False), ("No", False),
                                           ("1", True), ("yes", True), ("true", True)])
def test_the_environment_variable(monkeypatch, value, on):
    monkeypatch.setenv(logs.DEBUG_ENV, value)
    assert logs.debug_from_environment() is on


def test_a_chain_is_told_innermost_first_with_its_links():
    def fail():
        try:
            try:
                raise KeyError("innermost")
            except KeyError as err:
                raise ValueError("middle") from err
        except ValueError:
            raise RuntimeError("outer") from None

    with pytest.raises(RuntimeError) as caught:
        fail()
    text = logs.causes(caught.value)
    assert [text.index(s) for s in ("KeyError: 'innermost'", "ValueError: middle", "RuntimeError: outer")] == \
        sorted(text.index(s) for s in ("KeyError: 'innermost'", "ValueError: middle", "RuntimeError: outer"))
    assert text.count("The above exception was the direct cause of the following exception:") == 1
    assert text.count("During handling of the above exception, another exception occurred:") == 1


def test_the_handler_lasts_one_command(capsys):
    root = logging.getLogger(logs.ROOT)
    before = (list(root.handlers), root.level, root.propagate)
    assert main(["areas", "Houston"]) == 0
    assert re.fullmatch(r"1 area\(s\) with OEWS estimates for May \d{4}\n", capsys.readouterr().err)
    assert (list(root.handlers), root.level, root.propagate) == before
