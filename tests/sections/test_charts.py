"""The hand-drawn SVG charts, on real rows: well-formed markup whose geometry follows the numbers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from analysis.sections import charts
from analysis.sections.charts import scatter, svg
from analysis.sections.report.pay import PERCENTILES
from analysis.tables import store

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on malformed markup


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def percentiles(real, soc: str, area_type: int = 1, state: str | None = None, kind: str = "annual") -> pd.DataFrame:
    w = store.table("wages", real)
    w = w[(w["area_type"] == area_type) & (w["soc_code"] == soc)]
    if state:
        w = w[w["state_code"] == state]
    o = w.iloc[0]
    return pd.DataFrame([(lab, o[f"{kind}_{k}_usd"], bool(o[f"{kind}_{k}_usd_top_coded"])) for lab, k in PERCENTILES],
                        columns=["label", "value_usd", "top_coded"])


def test_pay_range_places_percentiles_in_order_with_their_values(real):
    pcts = percentiles(real, "29-2072")
    root = parse(charts.pay_range(pcts, 50980.0, "Pay"))
    dots = [float(c.get("cx")) for c in root.iter(f"{NS}circle")]
    assert dots == sorted(dots) and len(dots) == 5
    # Equal money steps are equal distances: the scale is linear.
    v = pcts["value_usd"].astype(float).tolist()
    assert (dots[4] - dots[0]) / (v[4] - v[0]) == pytest.approx((dots[2] - dots[1]) / (v[2] - v[1]), rel=0.02)
    box = next(r for r in root.iter(f"{NS}rect"))
    assert float(box.get("x")) == pytest.approx(dots[1], abs=0.2)
    assert float(box.get("x")) + float(box.get("width")) == pytest.approx(dots[3], abs=0.2)
    words = texts(root)
    assert "$51,140" in words and "all occupations median $50,980" in words
    bold = [t.text for t in root.iter(f"{NS}text") if t.get("font-weight") == "bold"]
    assert bold == ["$51,140"]


def test_pay_range_marks_top_coded_values_and_hourly_cents(real):
    top = percentiles(real, "29-1022", area_type=2, state="AL")
    assert top["top_coded"].iloc[-1]
    assert "≥ $239,200" in texts(parse(charts.pay_range(top, None, "Pay")))
    hourly = percentiles(real, "27-2011", kind="hourly")
    words = texts(parse(charts.pay_range(hourly, 24.51, "Pay", unit="hour")))
    assert f"${hourly['value_usd'].iloc[2]:,.2f}" in words


def test_pay_range_without_values_says_so(real):
    pcts = percentiles(real, "27-2011")  # hourly-only: no annual values at all
    assert pcts["value_usd"].isna().all()
    root = parse(charts.pay_range(pcts, 50980.0, "Pay"))
    assert "pay not published" in texts(root) and not list(root.iter(f"{NS}circle"))


def test_pay_range_labels_that_would_collide_go_to_another_row(real):
    pcts = percentiles(real, "27-2011", kind="hourly")  # 10th, 25th and median within a few dollars
    root = parse(charts.pay_range(pcts, None, "Pay", unit="hour"))
    values = {t.get("y") for t in root.iter(f"{NS}text") if t.get("font-size") == "11.5"}
    assert len(values) >= 2


def releases(real, soc: str) -> pd.DataFrame:
    proj = store.table("projections", real)
    vint = store.table("vintages", real).set_index("vintage")
    rows = proj[proj["soc_code"] == soc].sort_values("base_year")
    return rows.assign(all_change_percent=rows["vintage"].map(vint["all_occupations_change_percent"]))


def test_releases_lines_follow_the_published_numbers(real):
    rows = releases(real, "29-2072")
    root = parse(charts.releases_lines(rows, "Releases"))
    words = texts(root)
    for v in rows["change_percent"]:
        assert f"{v:+.1f}%" in words
    for v in rows["openings_per_year"]:
        assert f"{v:,.0f}" in words
    assert list(rows["vintage"]) == [w for w in words if re.fullmatch(r"\d{4}-\d{2}", w)][:len(rows)]
    # A higher change is drawn higher (smaller y); bar heights are proportional to openings.
    ys = [float(c.get("cy")) for c in root.iter(f"{NS}circle") if float(c.get("r")) == 4.5]
    order = sorted(range(len(rows)), key=lambda i: rows["change_percent"].iloc[i])
    assert sorted(ys, reverse=True) == [ys[i] for i in order]
    bars = [r for r in root.iter(f"{NS}rect") if r.get("fill") == svg.ACCENT_LIGHT]
    heights = [float(r.get("height")) for r in bars]
    opens = rows["openings_per_year"].astype(float).tolist()
    assert heights[0] / opens[0] == pytest.approx(heights[-1] / opens[-1], rel=0.01)


def test_releases_lines_for_a_declining_occupation_go_below_zero(real):
    rows = releases(real, "43-9022")
    assert (rows["change_percent"] < 0).all()
    words = texts(parse(charts.releases_lines(rows, "Releases")))
    assert any(w.startswith("-") and w.endswith("%") for w in words)


def test_openings_bar_parts_are_proportional_and_a_decline_is_taken_off_the_end(real):
    seps = store.table("separations", real)
    s = seps[(seps["vintage"] == "2024-34") & (seps["soc_code"] == "43-9022")].iloc[0]
    assert s["growth_openings_per_year"] < 0
    parts = {k: s[k] for k in charts.PARTS}
    root = parse(charts.openings_bars(parts, float(s["openings_per_year"]), "Openings"))
    segs = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    box = {r.find(f"{NS}title").text.split(":")[0]: (float(r.get("x")), float(r.get("width")), r.get("fill"))
           for r in segs}
    zero = float(next(r for r in root.iter(f"{NS}line") if r.get("stroke") == svg.MUTED).get("x1"))
    exits_x, exits_w, _ = box["Labor force exits"]
    transfers_x, transfers_w, _ = box["Occupational transfers"]
    growth_x, growth_w, growth_fill = box["Growth"]
    assert exits_x == pytest.approx(zero, abs=0.2)
    assert transfers_x == pytest.approx(exits_x + exits_w, abs=0.2)
    end = transfers_x + transfers_w
    assert growth_x + growth_w == pytest.approx(end, abs=0.2)  # taken off the end of exits + transfers
    assert growth_fill.startswith("url(#hatch-")
    per = exits_w / s["labor_force_exits_per_year"]
    assert transfers_w / s["occupational_transfers_per_year"] == pytest.approx(per, rel=0.01)
    assert growth_w / -s["growth_openings_per_year"] == pytest.approx(per, rel=0.01)
    net_mark = [ln for ln in root.iter(f"{NS}line") if ln.get("stroke") == charts.INK]
    # The bar nets out at the sum of its parts; BLS rounds each part separately, so the published total it is
    # labelled with may differ from that sum by a little.
    net = sum(s[k] for k in charts.PARTS)
    assert abs(net - s["openings_per_year"]) <= 155
    assert float(net_mark[0].get("x1")) == pytest.approx(zero + per * net, abs=0.5)
    legend = texts(root)
    assert f"Growth: {s['growth_openings_per_year']:,.0f}" in legend
    assert f"{s['openings_per_year']:,.0f} net" in legend


def test_openings_bar_of_a_growing_occupation_has_no_hatching(real):
    seps = store.table("separations", real)
    s = seps[(seps["vintage"] == "2024-34") & (seps["soc_code"] == "29-2072")].iloc[0]
    svg = charts.openings_bars({k: s[k] for k in charts.PARTS}, float(s["openings_per_year"]), "Openings")
    assert "hatch" not in svg and "Hatched" not in svg
    assert f"{s['openings_per_year']:,.0f}" in texts(parse(svg))


def test_scatter_ticks_carry_the_decimals_their_step_needs():
    fmt = scatter.pct_ticks()
    fmt.set_locs([2.5, 5.0, 7.5])
    assert [fmt(v) for v in (2.5, 5.0, 7.5)] == ["+2.5%", "+5.0%", "+7.5%"]
    fmt.set_locs([-10.0, 0.0, 10.0])
    assert [fmt(v) for v in (-10.0, 0.0, 10.0)] == ["-10%", "0%", "+10%"]
    usd = scatter.usd_ticks()
    usd.set_locs([40000.0, 42500.0, 45000.0])
    assert [usd(v) for v in (40000.0, 42500.0)] == ["$40.0k", "$42.5k"]


def test_scatter_labels_do_not_overlap_and_stay_inside(real):
    """The similar-occupations chart of 29-2072 (21 points, dense at the left): every label's box, as
    matplotlib draws it, is inside the axes and clear of the others; the focus is always labelled."""
    proj = store.table("projections", real)
    peers = proj[(proj["vintage"] == "2024-34") & (proj["soc_level"] == "detailed")
                 & (proj["minor_group_code"] == "29-2000")]
    fig = charts.growth_pay_scatter(peers, "29-2072", "Similar", 3.1, 49500.0)
    ax = fig.axes[0]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]
    assert "Medical records specialists" in [name for name, _ in boxes]
    frame = ax.get_window_extent(renderer)
    for i, (name, b) in enumerate(boxes):
        assert frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 and frame.y0 - 1 <= b.y0 and b.y1 <= frame.y1 + 1, name
        for other, c in boxes[i + 1:]:
            assert not b.overlaps(c), (name, other)
