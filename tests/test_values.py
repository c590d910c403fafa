"""The one rounding rule (decimal half-up on the published digits) and the text forms built on it."""

from __future__ import annotations

import pytest

from analysis.values import fixed, money, people, percent, place, plain, round_half_up, signed, thousands_usd


@pytest.mark.parametrize(("value", "digits", "text"), [
    (6.25, 1, "6.3"),      # openings per 100 jobs: Python's format gives 6.2
    (0.805, 2, "0.81"),
    (0.075, 2, "0.08"),    # jobs per 1,000: Python's format gives 0.07 (0.075 is 0.07499… in binary)
    (46.5, 0, "47"),       # a $46,500 tile: half to even gives 46
    (45.5, 0, "46"),
    (-2.5, 0, "-3"),       # half away from zero, as BLS rounds
    (-0.04, 1, "0.0"),     # never '-0.0'
    (1234567.5, 0, "1234568"),
])
def test_half_way_cases(value, digits, text):
    assert fixed(value, digits) == text
    assert round_half_up(value, digits) == float(text)


def test_text_forms_use_the_rule():
    assert thousands_usd(46_500) == "$47k" and thousands_usd(45_499) == "$45k"
    assert money(24.585, cents=True) == "$24.59" and money(239_200, top_coded=True) == "at least $239,200"
    assert money(None) == "not published" and money(float("nan"), absent="—") == "—"
    assert percent(7.05) == "+7.1%" and percent(6.25, signed=False) == "6.3%" and percent(None) == "—"
    assert people(1_379.5) == "1,380" and people(None) == "—" and signed(-300) == "-300" and signed(1380) == "+1,380"
    assert fixed(1234.5, 0, sign=True, grouping=True) == "+1,235"
    assert place(3, 3, 22) == "#3 of 22" and place(1, 17, 832) == "#1–17 of 832" and place(5) == "#5"
    assert plain(4.0) == 4 and plain(float("nan")) is None


def test_growth_wording_rounds_whole_percents_half_away_from_zero(real):
    from analysis.ingest.reference import WORDING_FILE, read_wording
    from analysis.tables.measures import growth_label

    wording = read_wording(real.reference / WORDING_FILE)
    assert growth_label(4.5, "2024-34", wording)[0] == "Faster than average"  # 5%: 5 to 6
    assert growth_label(4.4, "2024-34", wording)[0] == "As fast as average"
    assert growth_label(-0.5, "2024-34", wording)[0] == "Decline"  # -1%: -1 or lower
