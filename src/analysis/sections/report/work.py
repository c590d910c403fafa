"""The work itself: O*NET's description, tasks, titles, tools and preparation, and the curated (or derived)
pros and cons.

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: one :class:`Section` per function.
"""

from __future__ import annotations

import pandas as pd

from analysis.sections import charts, highlights
from analysis.sections.formatting import esc, note, table
from analysis.sections.report.context import ReportContext
from analysis.sections.section import Section, figure
from analysis.soc import TOTAL_CODE
from analysis.tables import headline, profile, store
from analysis.values import missing, plain, plural

TOP_ACTIVITIES = 12  # detailed work activities shown


def work(rep: ReportContext) -> Section:
    """Curated, cited facts when we have them; otherwise highlights derived from the numbers."""
    cur = store.table("careers", rep.paths) if store.has_table("careers", rep.paths) else pd.DataFrame()
    mine = cur[cur["soc_code"] == rep.soc_code] if not cur.empty else cur
    if mine.empty:
        return Section(highlights.render(highlights.derive(headline_facts(rep), rep.job_zone())))
    return Section(_curated_html(mine, f"From the releases the source names (older than this report's BLS "
                                       f"{rep.vintage} projections and May {rep.wage_year} pay, which are the "
                                       "current figures): kept for the record, not as today's numbers."))

def headline_facts(rep: ReportContext) -> dict:
    """The quick facts with the report's headline pay (:mod:`analysis.tables.headline`) and the all-occupations
    median of the same release in place of the projections table's older median, so a derived point about pay
    quotes the figure page 1 leads with."""
    nat = headline.national(rep.soc_code, rep.vintage, rep.paths)
    total = rep.oews_row(TOTAL_CODE)
    if nat.source != headline.OEWS or total is None:
        return rep.facts
    annual = nat.basis == "annual"
    return dict(rep.facts, median_wage_usd=nat.value_usd if annual else None, median_wage_top_coded=nat.top_coded,
                wage_year=nat.year, all_occupations_median_wage_usd=plain(total["annual_median_usd"]))


def what_they_do(rep: ReportContext) -> Section:
    """O*NET's description and tasks (core first where rated) and the titles workers use."""
    o = rep.onet_row()
    if o is None:
        return rep.no_onet()
    tasks = rep.onet_rows("onet_tasks").sort_values("task_order")
    rating = {"rated": "Core tasks first, then supplemental ones, as rated by workers in O*NET's survey.",
              "unrated": "O*NET's analysts wrote these tasks; workers have not yet rated them core or "
                         "supplemental.",
              "none": "O*NET lists no task statements for this occupation."}[o["task_rating"]]
    items = "".join(
        f"<li>{esc(t.task)}{' <span class=badge>core</span>' if t.task_type == 'Core' else ''}</li>"
        for t in tasks.drop_duplicates("task").head(20).itertuples())
    more = (note(f"Showing 20 of {tasks['task'].nunique()} tasks.") if tasks["task"].nunique() > 20 else "")
    aggregate = (note(f"BLS code {rep.soc_code} combines several O*NET occupations: {o['match_note']}.")
                 if o["match_rule"] == "aggregate" else "")
    titles = rep.onet_rows("onet_titles").sort_values("title_rank")
    reported = titles[titles["kind"] == "reported"]["title"].drop_duplicates().tolist()
    alternate = [t for t in titles[titles["kind"] == "alternate"]["title"].drop_duplicates()
                 if t not in reported][:15]
    also = ""
    if reported or alternate:
        also = ("<h3>Also called</h3>"
                + (f"<p><strong>Titles workers report:</strong> {esc('; '.join(reported))}</p>" if reported
                   else "")
                + (f"<p><strong>Other titles:</strong> {esc('; '.join(alternate))}</p>" if alternate else ""))
    return Section(f"<p>{esc(o['description'])}</p>{aggregate}<h3>Tasks</h3>"
                   f"<p class='note'>{esc(rating)}</p><ul class='tasks'>{items}</ul>{more}"
                   # O*NET's credit line once, where its content begins (and again in the sources)
                   + _activities_html(rep) + also + rep.attribution())


def _activities_html(rep: ReportContext) -> str:
    """O*NET's detailed work activities: the tasks' common verbs across occupations, most-linked first."""
    acts = profile.activities(rep.soc_code, rep.paths).drop_duplicates("dwa_title")
    if acts.empty:
        return ""
    shown = acts.head(TOP_ACTIVITIES)
    items = "".join(f"<li>{esc(t)}</li>" for t in shown["dwa_title"])
    return (f"<h3>Detailed work activities</h3><ul class='tasks'>{items}</ul>"
            + note(f"Showing {len(shown)} of {len(acts)}. O*NET links each task to the detailed work activities "
                   "it involves (activities shared across occupations); those linked to the most of this "
                   "occupation's tasks come first."))

def _by_kind(df: pd.DataFrame, caption: str) -> str:
    """Examples grouped under their UNSPSC commodity title (the kind), in the order they come, 10 kinds of 6."""
    by_kind = df.groupby("commodity_title", sort=False)["example"].agg(lambda s: "; ".join(s.head(6))).head(10)
    return table(pd.DataFrame({"Kind": by_kind.index, "Examples": by_kind.values}), caption, long=True)


def tools(rep: ReportContext) -> Section:
    """Software workers use (hot technologies first), then the tools and equipment they use."""
    if rep.onet_row() is None:
        return rep.no_onet()
    tech = rep.onet_rows("onet_technology").drop_duplicates("example")
    used = profile.tools(rep.soc_code, rep.paths).drop_duplicates("example")
    out = []
    if tech.empty:
        out.append(note("O*NET lists no technology for this occupation."))
    else:
        hot = tech[tech["hot_technology"]]["example"].tolist()
        if hot:
            out.append(f"<p><strong>Hot technologies</strong> (frequently in employers' job postings): "
                       f"{esc('; '.join(hot[:20]))}</p>")
        out.append(_by_kind(tech, "Technology workers use, by kind")
                   + note(f"{plural(len(tech), 'technology', 'technologies')} listed in all."))
    if used.empty:
        out.append(note("O*NET lists no tools or equipment for this occupation."))
    else:
        out.append("<h3>Tools and equipment</h3>" + _by_kind(used, "Tools and equipment workers use, by kind")
                   + note(f"{plural(len(used), 'tool')} listed in all."))
    return Section("".join(out))

def preparation(rep: ReportContext) -> Section:
    """BLS's entry requirements beside O*NET's job zone and, where surveyed, required education."""
    f = rep.facts
    bls = table(pd.DataFrame([("Typical entry-level education", f["education"] or "—"),
                              ("Work experience in a related occupation", f["experience"] or "—"),
                              ("Typical on-the-job training", f["training"] or "—")],
                             columns=["Requirement", "BLS, " + rep.vintage]), "BLS's entry requirements")
    o = rep.onet_row()
    if o is None:
        return Section(bls + rep.no_onet().html)
    if not missing(o["job_zone"]):
        # Only the zone and its name: O*NET's generic text for the zone ("an electrician must have completed three
        # or four years of apprenticeship") describes other occupations and can contradict BLS's requirements above.
        zone = (f'<p class="zone"><strong>O*NET job zone {int(o["job_zone"])} of 5</strong>: '
                f'{esc(str(o["job_zone_name"]).split(": ", 1)[-1].lower())}. A job zone groups occupations by '
                "the preparation they need, from 1 (little or none) to 5 (extensive: most need a graduate "
                "degree).</p>")
    else:
        zone = note("O*NET assigns no job zone to this occupation.")
    edu = rep.onet_rows("onet_education")
    edu = edu[edu["is_primary"] & (edu["recommend_suppress"] != True)]  # noqa: E712 (nullable)
    chart = ""
    shown = edu[edu["percent"] >= 1].sort_values("category")
    if not shown.empty and edu["onet_soc_code"].nunique() == 1:
        # O*NET's labels carry a definition after " - " or " (": the name alone fits a chart axis.
        shown = shown.assign(label=shown["category_label"].str.split(r" - | \(", regex=True).str[0])
        fig = charts.share_bars(shown[["label", "percent"]],
                                "Education workers say the job requires (O*NET survey)")
        chart = figure(fig, "Source: O*NET, Education, Training, and Experience (scale RL); "
                             "categories under 1% left out.")
    else:
        chart = note("O*NET has no usable survey data on required education for this occupation (none yet, "
                     "or every category below 1%).")
    return Section(bls + zone + chart)


def _curated_html(rows: pd.DataFrame, figures_note: str) -> str:
    srcs = rows.drop_duplicates("source_id").reset_index(drop=True)
    num = {sid: i + 1 for i, sid in enumerate(srcs["source_id"])}

    def cite(r) -> str:
        return f'<sup class="cite">[{num[r.source_id]}]</sup>'

    def items(section: str) -> list:
        return list(rows[rows["section"] == section].sort_values("position").itertuples())

    out = ['<div class="curated">']
    for r in items("summary"):
        out.append(f"<p>{esc(r.text)}{cite(r)}</p>")
    if items("roles"):
        out.append('<h3>The roles</h3><div class="two-col">')
        out += [f"<div><h4>{esc(r.heading)}</h4><p>{esc(r.text)}{cite(r)}</p></div>" for r in items("roles")]
        out.append("</div>")
    if items("entry_path"):
        out.append("<h3>How people get in</h3><ul>")
        out += [f"<li>{esc(r.text)}{cite(r)}</li>" for r in items("entry_path")]
        out.append("</ul>")
    if items("pros") or items("cons"):
        out.append('<div class="pros-cons"><div class="pros"><h3>Pros</h3><ul>')
        out += [f"<li>{esc(r.text)}{cite(r)}</li>" for r in items("pros")]
        out.append('</ul></div><div class="cons"><h3>Cons</h3><ul>')
        out += [f"<li>{esc(r.text)}{cite(r)}</li>" for r in items("cons")]
        out.append("</ul></div></div>")
    if items("figures"):
        # The source's figures are from the releases it names, older than the report's: never shown as current.
        out.append("<h3>Figures the source gives</h3>"
                   f"<p class='note'>{esc(figures_note)}</p><ul class='figures'>")
        out += [f"<li>{esc(r.heading)}: {esc(r.value if hasattr(r, 'value') else r.text)}{cite(r)}</li>"
                for r in items("figures")]
        out.append("</ul>")
    out.append("<ol class='sources'>")
    for s in srcs.itertuples():
        extra = ". ".join(esc(x) for x in (s.source_publisher, s.source_note) if isinstance(x, str))
        out.append(f"<li>“{esc(s.source_title)}”. {extra}</li>")
    out.append("</ol>")
    out.append(note("Curated facts: written in our own words from the cited source; the figures are the "
                    "source's, for the years it names."))
    out.append("</div>")
    return "".join(out)
