"""Derived highlights, on the real processed data: the wording never contradicts BLS's label or the numbers."""

from __future__ import annotations

import re

import pytest

from analysis.sections import highlights
from analysis.tables import store
from analysis.values import percent


def derive(soc: str, vintage: str, p) -> tuple[dict, list[tuple[str, str]]]:
    """Called as the report calls it (report.py: ``derive(self.facts, self._job_zone())``)."""
    f = store.quick_facts(soc, vintage, p)
    return f, highlights.derive(f, f.get("job_zone"))


def growth(items: list[tuple[str, str]], f: dict) -> tuple[str, str]:
    """The growth rule's highlight: the one sentence naming the projection period."""
    (kind, text), = [(k, t) for k, t in items if f" over {f['vintage']}" in t]
    return kind, text


def says_faster(text: str) -> bool:
    return re.search(r"\bfaster\b", text, re.I) is not None


def test_as_fast_as_average_is_not_called_faster(real):
    f, items = derive("11-1011", "2024-34", real)
    assert f["outlook_label"] == "As fast as average"
    assert f["change_percent"] > f["all_occupations_change_percent"]  # the case that used to read "Faster-than"
    kind, text = growth(items, f)
    assert "“As fast as average”" in text
    assert "aster" not in text.replace("As fast as average", "")
    assert not any(says_faster(t) for _, t in items)
    assert percent(f["change_percent"]) in text and percent(f["all_occupations_change_percent"]) in text
    assert f"above the all-occupations {percent(f['all_occupations_change_percent'])}" in text
    assert kind == "pro"


def test_much_faster_than_average_leads_with_bls_label(real):
    f, items = derive("29-2072", "2024-34", real)
    assert f["outlook_label"] == "Much faster than average"
    kind, text = growth(items, f)
    assert text.startswith("Growth BLS calls “Much faster than average”:")
    assert f"{percent(f['change_percent'])} over {f['vintage']}" in text
    assert kind == "pro"


def test_decline_is_a_magnitude_without_sign(real):
    f, items = derive("43-9022", "2024-34", real)
    assert f["change_percent"] < 0
    kind, text = growth(items, f)
    magnitude = percent(abs(f["change_percent"]), signed=False)
    assert magnitude == "36.1%"  # the reviewer's example; the rest is read from the facts
    assert f"Employment is projected to decline {magnitude} over {f['vintage']}" in text
    assert f"(all occupations: {percent(f['all_occupations_change_percent'])})" in text
    assert "decline -" not in text and "decline +" not in text
    assert kind == "con"


def test_older_vintage_without_label_is_above_or_below(real):
    f, items = derive("29-2072", "2023-33", real)
    assert f["outlook_label"] is None
    kind, text = growth(items, f)
    assert "aster" not in text and "BLS calls" not in text
    side = "above" if f["change_percent"] > f["all_occupations_change_percent"] else "below"
    assert text == (f"Growth of {percent(f['change_percent'])} over 2023-33, {side} the all-occupations "
                    f"{percent(f['all_occupations_change_percent'])}.")
    assert kind == ("pro" if side == "above" else "con")


@pytest.mark.slow
@pytest.mark.parametrize("vintage", ["2024-34", "2023-33"])
def test_growth_wording_never_contradicts_label_or_numbers(real, vintage):
    """Every detailed occupation of a labelled and an unlabelled vintage."""
    proj = store.table("projections", real)
    socs = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")]["soc_code"]
    for soc in socs:
        f, items = derive(soc, vintage, real)
        label, ch, allc = f["outlook_label"], f["change_percent"], f["all_occupations_change_percent"]
        kind, text = growth(items, f)
        assert not re.search(r"decline [-+]", text), text
        assert says_faster(text) == says_faster(label or ""), text
        if label == "Decline":  # BLS's own word, with the magnitude
            assert text.startswith(f"Employment is projected to decline {percent(-ch, signed=False)} "), text
        elif label:
            assert f"“{label}”" in text, text
        if label in ("Faster than average", "Much faster than average"):
            assert kind == "pro", text
        elif label in ("Slower than average", "Little or no change", "Decline"):
            assert kind == "con", text
        elif ch >= 0:  # "As fast as average", or no label: by the all-occupations rate
            assert kind == ("pro" if ch > allc else "con"), text
            side = "above" if ch > allc else "below" if ch < allc else "level with"
            assert f"{side} the all-occupations {percent(allc)}" in text, text


def test_openings_share_never_rounds_up_to_all(real):
    proj = store.table("projections", real)
    det = proj[(proj["vintage"] == "2024-34") & (proj["soc_level"] == "detailed")]
    top = det.loc[det["openings_rank"].idxmin(), "soc_code"]
    f, items = derive(top, "2024-34", real)
    (text,) = [t for _, t in items if t.startswith("Many openings")]
    fewer, n, share = re.search(r"; ([\d,]+) of the ([\d,]+) detailed occupations \(([\d.]+)%\) have fewer",
                                text).groups()
    assert int(fewer.replace(",", "")) == f["openings_fewer_count"] and int(n.replace(",", "")) == f["detailed_count"]
    assert float(share) < 100
    zero = det[det["openings_per_year"] == 0]["soc_code"].iloc[0]
    _, items = derive(zero, "2024-34", real)
    (text,) = [t for _, t in items if t.startswith("Few openings")]
    assert "fewer than 50 a year" in text and "about 0 " not in text and "(100.0%)" not in text


@pytest.mark.slow
def test_pay_is_never_zero_percent_and_top_code_is_a_floor(real):
    proj = store.table("projections", real)
    det = proj[(proj["vintage"] == "2024-34") & (proj["soc_level"] == "detailed")]
    for soc in det["soc_code"]:
        f, items = derive(soc, "2024-34", real)
        for kind, text in items:
            if text.startswith("Median pay"):
                assert not re.search(r"\b0% (above|below)", text), text
                assert ("above" in text) == (kind == "pro"), text
                assert (" is at least " in text) == f["median_wage_top_coded"], text


def test_job_zone_uses_onet_names(real):
    f, items = derive("43-9022", "2024-34", real)
    z = f["job_zone"]
    assert z in highlights.JOB_ZONES
    assert f"O*NET job zone {z} of 5: {highlights.JOB_ZONES[z]}." in [t for _, t in items]
