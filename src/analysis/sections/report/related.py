"""Related careers: O*NET's related occupations with BLS's growth, openings, pay and entry education (OOH's
"similar occupations", with the numbers O*NET does not show), then where the occupation stands in its SOC group
(growth against pay).

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: one :class:`Section`.
"""

from __future__ import annotations

import pandas as pd

from analysis.sections import charts
from analysis.sections.formatting import esc, note, table
from analysis.sections.report.context import ReportContext
from analysis.sections.section import TOP_CODE_CAPTION, Section, figure
from analysis.soc import TOTAL_CODE, slug
from analysis.tables import headline, profile
from analysis.values import missing, money, openings_count, percent, plural

TOP_RELATED = 10  # related careers listed
TOP_GROUP = 10  # group occupations listed under the chart (all are drawn)


def median_texts(rows: pd.DataFrame, pay: pd.DataFrame) -> list[str]:
    """Each row's headline median (:func:`analysis.tables.headline.medians`), formatted: '$51,140',
    '$35.31 an hour', 'not published'."""
    got = pay.reindex(rows["soc_code"])
    return [money(v, t) if b == "annual" else f"{money(v, t, cents=True)} an hour"
            for v, t, b in zip(got["value_usd"], got["top_coded"].fillna(False), got["basis"].fillna("annual"),
                               strict=True)]


def _outlook_table(rows: pd.DataFrame, pay: pd.DataFrame, focus: str | None = None) -> pd.DataFrame:
    """Occupations with their BLS figures, formatted: the table of related and of group occupations."""
    return pd.DataFrame({
        "Occupation": [("▶ " if c == focus else "") + t for c, t in zip(rows["soc_code"], rows["title"],
                                                                        strict=True)],
        "SOC": rows["soc_code"],
        "Growth": [percent(v) for v in rows["change_percent"]],
        "Openings a year": [openings_count(v) for v in rows["openings_per_year"]],
        "Median pay": median_texts(rows, pay),
        "Entry education": rows["education"].fillna("—"),
    })


NUMERIC = {"SOC", "Growth", "Openings a year", "Median pay"}


def report_links(rows: pd.DataFrame, focus: str | None = None) -> dict[str, dict[str, str]]:
    """Each listed occupation's title linked to its own report in the same catalogue: the sibling folder
    ``../<soc>-<slug>/report.html`` (as the catalogue names it, for the nation, a state, an area or a release
    alike), so the links work wherever that catalogue is built whole; the report's own row is not linked."""
    return {"Occupation": {t: f"../{c}-{slug(t)}/report.html" for c, t in zip(rows["soc_code"], rows["title"],
                                                                            strict=True) if c != focus}}


def _related_html(rep: ReportContext) -> str:
    rel = profile.related(rep.soc_code, rep.vintage, rep.paths)
    rel = rel[rel["in_vintage"]]
    if rel.empty:
        return note("O*NET lists no related occupations that BLS publishes for this one.")
    shown = rel.head(TOP_RELATED).rename(columns={"related_soc_code": "soc_code"})
    return (f"<p>The careers O*NET relates to this one, most related first, with BLS's figures for "
            f"{esc(rep.vintage)}:</p>"
            + table(_outlook_table(shown, headline.medians(rep.vintage, rep.paths)),
                    "Related careers with their growth, openings, pay and entry education",
                    numeric=NUMERIC, long=True, links=report_links(shown))
            + note(f"Showing {len(shown)} of the {plural(len(rel), 'related occupation')} O*NET lists that BLS "
                   "publishes "
                   f"(O*NET 29.2, Related Occupations, mapped to BLS codes; figures: {rep.ep_label}, table 1.2; "
                   f"pay: the median in BLS's May {rep.wage_year} wage estimates)."))


def related(rep: ReportContext) -> Section:
    """Related careers: O*NET's related occupations with BLS's growth, openings, pay and entry education; then
    where the occupation stands in its SOC group (growth against pay)."""
    r = rep.row
    group_code = r["minor_group_code"] if not missing(r["minor_group_code"]) else r["major_group_code"]
    group = rep.group_row(group_code)
    peers = rep.same_vintage[(rep.same_vintage["soc_level"] == "detailed")
                              & (rep.same_vintage["minor_group_code" if group_code == r["minor_group_code"]
                                                   else "major_group_code"] == group_code)]
    peers = peers.sort_values("openings_per_year", ascending=False)
    gname = group["title"] if group is not None else group_code
    fig = charts.growth_pay_scatter(peers, rep.soc_code, f"{gname}: growth against pay (size = openings)",
                                    r["all_occupations_change_percent"],
                                    rep.group_row(TOTAL_CODE)["median_wage_usd"])
    undrawn = peers[peers[["change_percent", "median_wage_usd"]].isna().any(axis=1)]
    names = [t + (" (this occupation)" if c == rep.soc_code else "")
             for c, t in zip(undrawn["soc_code"], undrawn["title"], strict=True)]
    left_out = (f" Not drawn, as BLS publishes no annual median pay for them: {'; '.join(names)}."
                if names else "")
    listed = peers.head(TOP_GROUP)
    if rep.soc_code not in set(listed["soc_code"]):
        listed = pd.concat([listed, peers[peers["soc_code"] == rep.soc_code]])
    more = (note(f"Showing the {TOP_GROUP} with the most openings of the group's {len(peers)} occupations"
                 + (", and this occupation." if len(listed) > TOP_GROUP else "."))
            if len(peers) > TOP_GROUP else "")
    return Section(_related_html(rep)
                   + f"<h3>In its SOC group</h3><p>The {plural(len(peers), 'detailed occupation')} of the "
                   f"SOC group <strong>{esc(gname)}</strong> ({esc(group_code)}), {esc(rep.vintage)}:</p>"
                   + figure(fig, f"Source: {rep.ep_label}, table 1.2; pay is the May {r['wage_year']} "
                                  "median the projections table carries (the tables give the newest). "
                                  "Dashed lines: all-occupations change and median pay." + left_out
                                  + (TOP_CODE_CAPTION if peers["median_wage_top_coded"].any() else ""))
                   + table(_outlook_table(listed, headline.medians(rep.vintage, rep.paths), rep.soc_code),
                           f"The detailed occupations of {gname}", numeric=NUMERIC, long=True,
                           links=report_links(listed, rep.soc_code)) + more)
