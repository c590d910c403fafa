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
from analysis.values import fixed, thousands_usd

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
    assert scatter.pct_ticks([2.5, 5.0, 7.5]) == ["+2.5%", "+5.0%", "+7.5%"]
    assert scatter.pct_ticks([-10.0, 0.0, 10.0]) == ["-10%", "0%", "+10%"]
    assert scatter.pct_ticks([-0.4, -0.2, 0.0, 0.2]) == ["-0.4%", "-0.2%", "0%", "+0.2%"]
    assert scatter.usd_ticks([40000.0, 42500.0, 45000.0]) == ["$40.0k", "$42.5k", "$45.0k"]
    assert scatter.usd_ticks([50000.0, 100000.0, 150000.0]) == ["$50k", "$100k", "$150k"]


def peers_of(real, group: str) -> pd.DataFrame:
    proj = store.table("projections", real)
    return proj[(proj["vintage"] == "2024-34") & (proj["soc_level"] == "detailed")
                & (proj["minor_group_code"] == group)].sort_values("openings_per_year", ascending=False)


def scatter_parts(markup: str) -> dict:
    """What a growth-against-pay chart draws, read back from its SVG: the plot's frame (its two axes), each
    point (name from its tooltip, centre, radius, shape, outline, fill), each label (text, weight, colour, box),
    the tick labels under and left of the plot."""
    root = parse(markup)
    left_axis, bottom_axis = [ln for ln in root.iter(f"{NS}line") if ln.get("class") == "axis"]
    frame = (float(left_axis.get("x1")), float(left_axis.get("y1")), float(bottom_axis.get("x2")),
             float(bottom_axis.get("y1")))
    points = []
    for g in root.iter(f"{NS}g"):
        tip, mark = g.find(f"{NS}title"), g.find(f"{NS}circle")
        if tip is None:
            continue
        if mark is not None:
            cx, cy, r, shape = float(mark.get("cx")), float(mark.get("cy")), float(mark.get("r")), "disc"
        else:
            mark = g.find(f"{NS}path")
            (x0, y0), (x1, y1), (x2, _) = [tuple(map(float, p.split(","))) for p in
                                           re.findall(r"[\d.-]+,[\d.-]+", mark.get("d"))]
            r = (x2 - x1) / 2
            cx, cy, shape = x0, y1 - r, "triangle up" if y0 < y1 else "triangle down"
        points.append({"name": tip.text.rsplit(": ", 1)[0], "tip": tip.text, "cx": cx, "cy": cy, "r": r,
                       "shape": shape, "stroke": mark.get("stroke"), "width": float(mark.get("stroke-width")),
                       "fill": mark.get("fill")})
    labels = []
    for g in root.iter(f"{NS}g"):
        if g.get("class") == "label":
            rect, text = g.find(f"{NS}rect"), g.find(f"{NS}text")
            x, y = float(rect.get("x")), float(rect.get("y"))
            labels.append({"text": text.text, "bold": text.get("font-weight") == "bold", "fill": text.get("fill"),
                           "box": (x, y, x + float(rect.get("width")), y + float(rect.get("height"))),
                           "text_x": float(text.get("x")), "size": float(text.get("font-size")),
                           "opacity": float(rect.get("fill-opacity"))})
    ticks = [(t.text, float(t.get("x")), float(t.get("y")), t.get("text-anchor")) for t in root.iter(f"{NS}text")
             if t.get("font-size") == "11"]
    return {"root": root, "frame": frame, "points": points, "labels": labels,
            "x_ticks": [t for t in ticks if t[2] > frame[3]], "y_ticks": [t for t in ticks if t[3] == "end"]}


def middle(p: dict) -> tuple[float, float, float, float]:
    k = max(2.0, p["r"] / 2)
    return p["cx"] - k, p["cy"] - k, p["cx"] + k, p["cy"] + k


def assert_labels_clear(parts: dict, focus_title: str | None) -> None:
    """Every label's box (its text as the font measures it, padded) is inside the plot and clear of the others
    and of every other point's middle; the focus, if drawn, is labelled once, in bold (it alone may cover a
    point's middle, where every place would)."""
    frame, labels = parts["frame"], parts["labels"]
    bold = [lab["text"] for lab in labels if lab["bold"]]
    assert len(bold) == (1 if focus_title else 0)
    assert all(focus_title.startswith(t.rstrip("…")) for t in bold)  # a long title is cut, with "…"
    for i, lab in enumerate(labels):
        box = lab["box"]
        assert frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3], lab["text"]
        # The text fits its box: it is measured with the font's metrics, not guessed.
        width = svg.text_width(lab["text"], lab["size"], bold=lab["bold"])
        assert box[0] <= lab["text_x"] and lab["text_x"] + width <= box[2] + 0.1, lab["text"]
        for other in labels[i + 1:]:
            assert not scatter.overlaps(box, other["box"]), (lab["text"], other["text"])
        if lab["bold"]:
            continue
        own = lab["text"].rstrip("…")
        for p in parts["points"]:
            if not p["name"].startswith(own):
                assert not scatter.overlaps(box, middle(p)), (lab["text"], p["name"])


@pytest.mark.parametrize(("group", "focus", "codes"), [
    ("29-2000", "29-2072", None),  # 21 points, dense at the left
    ("15-1200", "15-1252", None),
    ("29-1000", "29-1211", None),  # 45 points, a row of top-coded triangles at the top
    ("29-1000", None, "first 8"),  # the explore page: the top 8 of a ranking, no focus
])
def test_scatter_labels_do_not_overlap_and_stay_inside(real, group, focus, codes):
    peers = peers_of(real, group)
    label_codes = list(peers["soc_code"])[:8] if codes else None
    parts = scatter_parts(charts.growth_pay_scatter(peers, focus, "Similar", 3.1, 49500.0, label_codes=label_codes))
    named = [lab for lab in parts["labels"] if not lab["text"].startswith("all occupations")]
    assert len(named) >= 3
    assert_labels_clear(parts, peers.set_index("soc_code").loc[focus, "title"] if focus else None)


def test_scatter_labels_stay_clear_in_every_group(real):
    """The same rules on every minor group's chart, its largest and its smallest occupation highlighted."""
    proj = store.table("projections", real)
    detailed = proj[(proj["vintage"] == "2024-34") & (proj["soc_level"] == "detailed")]
    drawn = 0
    for _, peers in detailed.groupby("minor_group_code"):
        peers = peers.sort_values("openings_per_year", ascending=False)
        ok = peers.dropna(subset=["change_percent", "median_wage_usd"])
        for focus in dict.fromkeys([peers["soc_code"].iloc[0], peers["soc_code"].iloc[-1]]):
            markup = charts.growth_pay_scatter(peers, focus, "Similar", 3.1, 49500.0)
            if ok.empty:  # e.g. a group paid by the hour only: nothing to draw, and it says so
                assert described(markup)[1] == scatter.NO_POINTS
                continue
            parts = scatter_parts(markup)
            title = ok.set_index("soc_code")["title"].get(focus)
            assert_labels_clear(parts, title)
            drawn += 1
    assert drawn > 150


def test_scatter_points_follow_the_numbers(real):
    """A point's centre is where its growth and pay are on the tick labels' scales; larger openings, larger
    area; the focus is drawn last, heavier outlined in INK; the others outlined in ACCENT."""
    peers = peers_of(real, "29-2000")
    parts = scatter_parts(charts.growth_pay_scatter(peers, "29-2072", "Similar", 3.1, 49500.0))
    xs = [(float(t.rstrip("%")), x) for t, x, _, _ in parts["x_ticks"]][1:-1]  # inner ticks: never moved in
    ys = [(float(t.strip("$k")) * 1000, y - 4) for t, _, y, _ in parts["y_ticks"]]  # baseline 4 below the tick
    (v0, x0), (v1, x1) = xs[0], xs[-1]
    (w0, y0), (w1, y1) = ys[0], ys[-1]
    by_name = {p["name"]: p for p in parts["points"]}
    drawn = peers.dropna(subset=["change_percent", "median_wage_usd"])
    assert len(by_name) == len(drawn)
    for r in drawn.itertuples():
        p = by_name[r.title]
        assert p["cx"] == pytest.approx(x0 + (r.change_percent - v0) / (v1 - v0) * (x1 - x0), abs=0.3), r.title
        assert p["cy"] == pytest.approx(y0 + (r.median_wage_usd - w0) / (w1 - w0) * (y1 - y0), abs=0.3), r.title
        frame = parts["frame"]
        assert frame[0] <= p["cx"] - p["r"] and p["cx"] + p["r"] <= frame[2]  # whole discs inside the plot
        assert frame[1] <= p["cy"] - p["r"] and p["cy"] + p["r"] <= frame[3]
    by_openings = drawn.sort_values("openings_per_year")["title"].tolist()
    radii = [by_name[t]["r"] for t in by_openings]
    assert radii == sorted(radii) and radii[-1] >= 3 * radii[0]
    focus = parts["points"][-1]
    assert focus["name"] == "Medical records specialists"
    assert (focus["stroke"], focus["fill"]) == (svg.INK, svg.ACCENT)
    others = parts["points"][:-1]
    assert {p["stroke"] for p in others} == {svg.ACCENT}
    assert focus["width"] >= 2 * max(p["width"] for p in others)


def test_scatter_ticks_are_readable(real):
    """Tick labels in the muted ink, inside the chart, clear of each other, with the decimals their step needs;
    the axes are named."""
    for group, focus in (("29-2000", "29-2072"), ("29-1000", "29-1211"), ("15-1200", "15-1252")):
        parts = scatter_parts(charts.growth_pay_scatter(peers_of(real, group), focus, "Similar", 3.1, 49500.0))
        xt, yt = parts["x_ticks"], parts["y_ticks"]
        assert len(xt) >= 4 and len(yt) >= 3
        spans = [(x - svg.text_width(t, 11) / 2, x + svg.text_width(t, 11) / 2) for t, x, _, _ in xt]
        assert spans[0][0] >= 0 and spans[-1][1] <= scatter.WIDTH
        assert all(a[1] + 4 <= b[0] for a, b in zip(spans, spans[1:], strict=False))
        assert all(b[2] - a[2] >= 14 for a, b in zip(yt[::-1], yt[-2::-1], strict=False))
        assert [t for t, *_ in xt] == scatter.pct_ticks([float(t.rstrip("%")) for t, *_ in xt])
        assert all(re.fullmatch(r"\$\d+(\.\d)?k", t) for t, *_ in yt)
        assert all(x - svg.text_width(t, 11) >= 20 for t, x, _, _ in yt)  # clear of the axis title (x < 17)
        words = texts(parts["root"])
        assert "projected change over ten years" in words and "median annual pay" in words


def test_scatter_draws_top_coded_medians_as_open_triangles_at_the_bound(real):
    peers = peers_of(real, "29-1000")
    topped = peers[peers["median_wage_top_coded"].astype(bool)]
    assert len(topped) > 1
    parts = scatter_parts(charts.growth_pay_scatter(peers, "29-1211", "Similar", 3.1, 49500.0))
    triangles = [p for p in parts["points"] if p["shape"] != "disc"]
    assert sorted(p["name"] for p in triangles) == sorted(topped["title"])
    assert {p["shape"] for p in triangles} == {"triangle up"}
    assert all(p["tip"].endswith(" openings a year") and ", at least $" in p["tip"] for p in triangles)
    mine = [p for p in triangles if p["name"] == "Anesthesiologists"]
    assert [(p["fill"], p["stroke"]) for p in mine] == [(svg.ACCENT, svg.INK)]  # the focus: filled, heavier
    assert {p["fill"] for p in triangles if p not in mine} == {"#ffffff"}  # open
    bound = {round(p["cy"] + 0.0) for p in triangles}
    assert max(bound) - min(bound) <= 1  # all at the same bound
    assert all(p["cy"] <= min(q["cy"] for q in parts["points"] if q["shape"] == "disc") for p in triangles)


def test_scatter_labels_its_dashed_lines_and_wraps_a_long_title(real):
    peers = peers_of(real, "29-2000")
    markup = charts.growth_pay_scatter(peers, "29-2072", "Similar", 3.1, 49500.0)
    root = parse(markup)
    dashed = [ln for ln in root.iter(f"{NS}line") if ln.get("stroke-dasharray")]
    assert {ln.get("stroke") for ln in dashed} == {svg.MUTED, svg.BAD}
    words = texts(root)
    assert "all occupations +3.1%" in words and "all occupations $49,500" in words
    line = next(ln for ln in dashed if ln.get("stroke") == svg.BAD)
    ref = next(lab for lab in scatter_parts(markup)["labels"] if lab["text"] == "all occupations $49,500")
    assert ref["opacity"] == 1 and ref["fill"] == svg.BAD  # on opaque white: BAD is below 4.5:1 on a disc
    assert abs((ref["box"][1] + ref["box"][3]) / 2 - float(line.get("y1"))) < 12  # beside its line
    title = ("Healthcare diagnosing or treating practitioners, and a few more words: growth against pay "
             "(size = openings)")
    long = parse(charts.growth_pay_scatter(peers, "29-2072", title, 3.1, 49500.0))
    heading = [t for t in long.iter(f"{NS}text") if t.get("font-size") == "13"]
    assert len(heading) == 2 and " ".join(t.text for t in heading) == title
    assert all(svg.text_width(t.text, 13) <= scatter.WIDTH for t in heading)
    none = parse(charts.growth_pay_scatter(peers, "29-2072", "Similar"))
    assert not [ln for ln in none.iter(f"{NS}line") if ln.get("stroke-dasharray")]


# --- accessible images: role, title, desc in words with the chart's numbers, ids, contrast, determinism ----------

def described(svg_markup: str) -> tuple[str, str]:
    """The chart's accessible title and description, after checking the root makes them its name: role="img",
    aria-labelledby naming a <title> and a <desc> that come first inside it, and no aria-label."""
    root = parse(svg_markup)
    assert root.get("role") == "img"
    assert root.get("aria-label") is None
    title_id, desc_id = root.get("aria-labelledby").split()
    first, second = list(root)[:2]
    assert (first.tag, first.get("id")) == (f"{NS}title", title_id)
    assert (second.tag, second.get("id")) == (f"{NS}desc", desc_id)
    assert first.text and second.text
    return first.text, second.text


def ids(svg_markup: str) -> list[str]:
    return [e.get("id") for e in parse(svg_markup).iter() if e.get("id")]


def dollars(v) -> str:
    return f"${float(v):,.0f}"


def report_charts(real, soc: str = "29-2072") -> dict[str, str]:
    """One report's worth of charts for ``soc``, on real rows, as SVG markup."""
    proj = store.table("projections", real)
    row = proj[(proj["vintage"] == "2024-34") & (proj["soc_code"] == soc)].iloc[0]
    groups = proj[(proj["vintage"] == "2024-34")].set_index("soc_code")
    codes = [row["minor_group_code"], row["major_group_code"], "00-0000"]
    outlook = pd.DataFrame([(row["title"], row["change_percent"], True)]
                           + [(groups.loc[c, "title"], groups.loc[c, "change_percent"], False) for c in codes],
                           columns=["label", "change_percent", "highlight"])
    seps = store.table("separations", real)
    s = seps[(seps["vintage"] == "2024-34") & (seps["soc_code"] == soc)].iloc[0]
    w = store.table("wages", real)
    states = w[(w["area_type"] == 2) & (w["soc_code"] == soc)]
    pay = states[["state_code", "annual_median_usd", "annual_median_usd_top_coded"]].set_axis(
        ["state_code", "value", "top_coded"], axis=1)
    lq = states[["state_code", "location_quotient"]].rename(columns={"location_quotient": "value"})
    edu = pd.DataFrame({"label": ["High school diploma", "Associate's degree"], "percent": [40.0, 60.0]})
    peers = proj[(proj["vintage"] == "2024-34") & (proj["soc_level"] == "detailed")
                 & (proj["minor_group_code"] == row["minor_group_code"])]
    return {
        "outlook": charts.outlook_bars(outlook, "Projected employment change, 2024–2034"),
        "openings": charts.openings_bars({k: s[k] for k in charts.PARTS}, float(s["openings_per_year"]),
                                         "Where the openings a year come from"),
        "releases": charts.releases_lines(releases(real, soc), "How BLS's projection changed between releases"),
        "pay": charts.pay_range(percentiles(real, soc), 50980.0, "Pay percentiles, May 2024 (annual)"),
        "pay_states": charts.state_tiles(pay, "Median annual pay by state, May 2024", focus="CA"),
        "lq_states": charts.state_tiles(lq, "Concentration of jobs by state, May 2024", fmt=lambda v: fixed(v, 2)),
        "education": charts.share_bars(edu, "Education workers say the job requires"),
        "similar": charts.growth_pay_scatter(peers, soc, "Similar: growth against pay", 3.1, 49500.0),
    }


def test_every_chart_is_an_image_named_by_its_title_and_description(real):
    made = report_charts(real)
    for name, markup in made.items():
        _, desc = described(markup)
        assert len(desc) > 40, name
    assert described(made["pay"])[0] == "Pay percentiles, May 2024 (annual)"
    assert described(made["similar"])[0] == "Similar: growth against pay"


def test_ids_are_unique_across_a_reports_charts_and_the_same_on_every_run(real):
    first, again = report_charts(real), report_charts(real)
    every = [i for markup in first.values() for i in ids(markup)]
    assert len(every) == len(set(every)), sorted(every)
    for name, markup in first.items():
        assert markup == again[name], name  # byte-identical: same inputs, same SVG
        labelled = parse(markup).get("aria-labelledby").split()
        assert set(labelled) <= set(ids(markup)), name


def test_outlook_bars_say_every_bar_with_its_value(real):
    proj = store.table("projections", real)
    r = proj[(proj["vintage"] == "2024-34") & (proj["soc_code"] == "29-2072")].iloc[0]
    _, desc = described(report_charts(real)["outlook"])
    assert f"Medical records specialists {r['change_percent']:+.1f}%" in desc
    total = proj[(proj["vintage"] == "2024-34") & (proj["soc_code"] == "00-0000")].iloc[0]
    assert desc.endswith(f"{total['title']} {total['change_percent']:+.1f}%.")
    full = pd.DataFrame({"label": ["Medical rec…"], "name": ["Medical records specialists"],
                         "change_percent": [7.1], "highlight": [True]})
    assert "Medical records specialists +7.1%" in described(charts.outlook_bars(full, "Change"))[1]


def test_pay_strip_says_every_percentile_and_which_are_top_coded(real):
    pcts = percentiles(real, "29-2072")
    _, desc = described(charts.pay_range(pcts, 50980.0, "Pay"))
    names = ["10th percentile", "25th percentile", "median", "75th percentile", "90th percentile"]
    for name, v in zip(names, pcts["value_usd"], strict=True):
        assert f"{name} {dollars(v)}" in desc
    assert "All occupations median: $50,980." in desc and "top code" not in desc
    top = percentiles(real, "29-1022", area_type=2, state="AL")
    _, desc = described(charts.pay_range(top, None, "Pay"))
    assert "90th percentile at least $239,200" in desc
    topped = [n for n, t in zip(names, top["top_coded"], strict=True) if t]
    assert f"At BLS's top code (the true value is at or above it): {', '.join(topped)}." in desc
    _, desc = described(charts.pay_range(percentiles(real, "27-2011"), 50980.0, "Pay"))
    assert desc == "Pay not published."
    hourly = percentiles(real, "27-2011", kind="hourly")
    _, desc = described(charts.pay_range(hourly, 24.51, "Pay", unit="hour"))
    assert desc.startswith("Pay an hour:") and f"median ${hourly['value_usd'].iloc[2]:,.2f}" in desc


def test_openings_bar_says_each_part_the_total_and_that_bls_rounds_parts(real):
    seps = store.table("separations", real)
    s = seps[(seps["vintage"] == "2024-34") & (seps["soc_code"] == "43-9022")].iloc[0]
    _, desc = described(charts.openings_bars({k: s[k] for k in charts.PARTS}, float(s["openings_per_year"]), "O"))
    for key, (name, _) in charts.PARTS.items():
        assert f"{name} {s[key]:,.0f}" in desc
    assert "a decline" in desc and f"total {s['openings_per_year']:,.0f}." in desc
    assert "BLS rounds each part separately" in desc
    legend = texts(parse(charts.openings_bars({k: s[k] for k in charts.PARTS}, float(s["openings_per_year"]), "O")))
    for name, _ in charts.PARTS.values():
        assert any(t.startswith(f"{name}: ") for t in legend)  # each series named in text, not by colour


def test_stacked_bars_of_several_occupations_say_each_bar(real):
    seps = store.table("separations", real).set_index(["vintage", "soc_code"])
    rows = [{k: seps.loc[("2024-34", c), k] for k in charts.PARTS} for c in ("29-2072", "43-9022")]
    _, desc = described(charts.stacked_hbars_svg(["Records", "Clerks"], rows, charts.PARTS, "Openings",
                                                 totals=[14200.0, 2200.0], desc_note=charts.ROUNDED_PARTS))
    assert f"Records: Growth {rows[0]['growth_openings_per_year']:,.0f}" in desc
    assert "Clerks: " in desc and "total 2,200." in desc and desc.endswith(charts.ROUNDED_PARTS)


def test_pay_ranges_say_each_occupations_percentiles(real):
    w = store.table("wages", real)
    nat = w[(w["area_type"] == 1) & (w["soc_code"] == "29-2072")].iloc[0]
    alabama = w[(w["area_type"] == 2) & (w["soc_code"] == "29-1022") & (w["state_code"] == "AL")].iloc[0]
    keys = ["p10", "p25", "median", "p75", "p90"]
    rows = pd.DataFrame([{k: o[f"annual_{k}_usd"] for k in keys}
                         | {f"{k}_top": bool(o[f"annual_{k}_usd_top_coded"]) for k in keys} for o in (nat, alabama)])
    assert rows["p90_top"].iloc[1]
    _, desc = described(charts.ranges_svg(["Records", "Surgeons"], rows, "Pay", ref=50980.0,
                                          ref_label="all occupations median $50,980"))
    assert f"Records: 10th percentile {dollars(rows['p10'][0])}" in desc
    assert f"median {dollars(rows['median'][0])}" in desc
    assert "Surgeons: " in desc and "at least $239,200" in desc
    assert desc.endswith("Dashed line: all occupations median $50,980.")


def test_tile_map_says_every_state_highest_first_and_which_are_top_coded(real):
    w = store.table("wages", real)
    states = w[(w["area_type"] == 2) & (w["soc_code"] == "29-1023")]
    vals = states[["state_code", "annual_median_usd", "annual_median_usd_top_coded"]].set_axis(
        ["state_code", "value", "top_coded"], axis=1)
    _, desc = described(charts.state_tiles(vals, "Pay", focus="CA"))
    known = vals.dropna(subset=["value"])
    names = dict(zip(states["state_code"], states["area_title"], strict=True))
    where = {}
    for r in known.itertuples():
        said = f"{names[r.state_code]} {'at least ' if r.top_coded else ''}{thousands_usd(r.value)}"
        assert said in desc
        where[r.state_code] = desc.index(said)
    by_position = sorted(where, key=where.get)
    assert [known.set_index("state_code").loc[c, "value"] for c in by_position] == sorted(known["value"], reverse=True)
    absent = sorted(names.get(c, charts.STATE_NAMES[c]) for c in charts.TILES if c not in set(known["state_code"]))
    assert f"Not published: {', '.join(absent)}." in desc
    assert "At BLS's top code" in desc and desc.endswith("Outlined: California.")
    assert set(charts.STATE_NAMES) == set(charts.TILES)


def test_releases_chart_says_each_releases_change_and_openings(real):
    rows = releases(real, "29-2072")
    _, desc = described(charts.releases_lines(rows, "Releases"))
    for r in rows.itertuples():
        assert (f"{r.vintage}: projected 10-year change {r.change_percent:+.1f}% (all occupations "
                f"{r.all_change_percent:+.1f}%), {r.openings_per_year:,.0f} openings a year.") in desc
    words = texts(parse(charts.releases_lines(rows, "Releases")))
    assert "this occupation" in words and "all occupations" in words  # the legend names both series


def test_scatter_svg_says_its_axes_count_focus_and_named_points(real):
    peers = peers_of(real, "29-2000")
    markup = charts.growth_pay_scatter(peers, "29-2072", "Similar", 3.1, 49500.0)
    assert charts.to_svg(markup) == markup
    title, desc = described(markup)
    drawn = peers.dropna(subset=["change_percent", "median_wage_usd"])
    me = drawn.set_index("soc_code").loc["29-2072"]
    assert title == "Similar" and desc.startswith(f"{len(drawn)} occupations drawn as points")
    lo, hi = drawn["change_percent"].min(), drawn["change_percent"].max()
    assert f"projected change over ten years, {lo:+.1f}% to {hi:+.1f}%." in desc
    pay = drawn["median_wage_usd"]
    assert f"median annual pay, {dollars(pay.min())} to {dollars(pay.max())}." in desc
    assert (f"Highlighted: Medical records specialists, {me['change_percent']:+.1f}%, "
            f"{dollars(me['median_wage_usd'])}, {me['openings_per_year']:,.0f} openings a year.") in desc
    assert "Dashed lines: all occupations' change +3.1% and all occupations' median pay $49,500." in desc
    labels = [lab["text"] for lab in scatter_parts(markup)["labels"]]
    named = [t for t in labels if t != "Medical records specialists" and not t.startswith("all occupations")]
    assert named  # the named points, each with its numbers, and only those
    for r in drawn.itertuples():
        said = f"{r.title}, {r.change_percent:+.1f}%, {dollars(r.median_wage_usd)}"
        assert (said in desc) == (r.title in labels), r.title
    empty = charts.growth_pay_scatter(peers.assign(median_wage_usd=float("nan")), "29-2072", "Similar")
    assert described(empty)[1] == "No occupation in this group has a published annual median wage."
    assert "no occupation in this group has a published annual median wage" in texts(parse(empty))


def test_scatter_svg_says_which_medians_are_at_the_top_code(real):
    peers = peers_of(real, "29-1000")
    topped = peers[peers["median_wage_top_coded"].astype(bool)]
    assert len(topped) > 1
    _, desc = described(charts.growth_pay_scatter(peers, "29-1022", "Similar", 3.1, 49500.0))
    assert f"Median at BLS's top code (the true value is at or above it), drawn at that bound as an open triangle: " \
           f"{'; '.join(topped['title'])}." in desc
    assert "to at least $239,200." in desc and "Highlighted: Oral and maxillofacial surgeons" in desc


def test_to_svg_makes_a_plain_figure_an_image_with_the_desc_its_caller_passes():
    from matplotlib.figure import Figure

    fig = Figure()
    fig.add_subplot().set_title("A plain chart")
    title, desc = described(svg.to_svg(fig, desc="Nothing drawn."))
    assert (title, desc) == ("A plain chart", "Nothing drawn.")
    assert svg.to_svg(fig, desc="Nothing drawn.") == svg.to_svg(fig, desc="Nothing drawn.")


def test_contrast_follows_wcag():
    assert svg.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert svg.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert svg.contrast("#7b8794", "#ffffff") < 4.5 < svg.contrast(svg.MUTED, "#ffffff")  # the old grey failed
    assert svg.contrast(svg.INK, "#777777") == pytest.approx(svg.contrast("#777777", svg.INK))


def text_fill(e: ET.Element) -> str | None:
    style = dict(p.split(":", 1) for p in (e.get("style") or "").replace(" ", "").split(";") if ":" in p)
    return e.get("fill") or style.get("fill")


def test_every_text_in_every_chart_reaches_aa_contrast_on_what_is_behind_it(real):
    """Each <text> fill against white, except a tile's labels against their tile (or the white halo a top-coded
    tile's labels carry); plus text that may sit on a light bar, and the tile shades' whole range."""
    made = report_charts(real) | {f"{k} 29-1023": v for k, v in report_charts(real, "29-1023").items()}
    pairs = set()
    for markup in made.values():
        root = parse(markup)
        on_tile = {}  # a top-coded tile (url(...) fill) is left out: its labels sit on a white halo
        for g in root.iter(f"{NS}g"):
            rect = g.find(f"{NS}rect")
            if rect is not None and not rect.get("fill", "").startswith("url("):
                on_tile |= {id(t): rect.get("fill") for t in g.iter(f"{NS}text")}
        pairs |= {(text_fill(t), on_tile.get(id(t), "#ffffff")) for t in root.iter(f"{NS}text")}
    # Text that may sit on a light bar, on a top-coded tile's stripes, on a scatter label's box over a dark disc.
    box = scatter.LABEL_BOX["opacity"]
    over_disc = "#" + "".join(f"{round(255 * box + int(svg.ACCENT[i:i + 2], 16) * (1 - box)):02x}" for i in (1, 3, 5))
    pairs |= {(svg.INK, svg.ACCENT_LIGHT), (svg.INK, over_disc)} | {(svg.INK, c) for c in charts.tiles.TOP_CODE_STRIPES}
    assert (svg.MUTED, "#ffffff") in pairs and any(b != "#ffffff" for _, b in pairs)
    for fg, bg in pairs:
        assert svg.contrast(fg, bg) >= 4.5, (fg, bg)
    import matplotlib

    blues = matplotlib.colormaps["Blues"]
    for i in range(301):
        fill = matplotlib.colors.to_hex(blues(0.2 + 0.75 * i / 300))
        assert svg.contrast(charts.tiles.tile_ink(fill), fill) >= 4.5, fill


def test_marks_that_carry_meaning_reach_3_to_1_on_white():
    for colour in [c for _, c in charts.PARTS.values()] + [svg.ACCENT, svg.MUTED, svg.BAD, svg.INK]:
        assert svg.contrast(colour, "#ffffff") >= 3.0, colour
