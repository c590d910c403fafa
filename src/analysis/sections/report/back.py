"""The back matter: source files with checksums, a citation, the build's parameters, O*NET's credit line.

In: a :class:`~analysis.sections.report.context.ReportContext`. Out: one :class:`Section` per function.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analysis.sections.formatting import esc, note, table
from analysis.sections.report.context import ReportContext
from analysis.sections.section import Section
from analysis.tables import store


def sources(rep: ReportContext) -> Section:
    src = store.table("sources", rep.paths)
    used = src[src["dataset"].isin(["bls-ep", "bls-oews"])]
    rows = pd.DataFrame({
        "File": used["path"], "Release": used["release"], "URL": used["url"],
        "sha256 (first 12)": [s[:12] for s in used["sha256"]],
    })
    retrieved = dt.date.fromisoformat(str(rep.vintage_info["source_sha256"] and
                                          used.iloc[0]["retrieved_on"]))
    citation = (f"Bureau of Labor Statistics, U.S. Department of Labor, Employment Projections, "
                f"“Occupational projections, {rep.vintage}” (tables 1.2 and 1.10), {rep.title}, at "
                f"https://www.bls.gov/emp/tables.htm (visited {retrieved:%B %-d, %Y}); and Occupational "
                f"Employment and Wage Statistics, May {rep.wage_year}, at https://www.bls.gov/oes/ .")
    man = store.processed_manifest(rep.paths)
    params = (f"soc_code={rep.soc_code}, vintage={rep.vintage}, state={rep.state or 'none (national)'}; built "
              f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by career-outlook "
              f"{man.get('code_version', {}).get('package', '?')} (data code "
              f"{man.get('code_version', {}).get('sha256', '?')[:12]}) from data/processed.")
    obtained = "; ".join(f"{Path(r.path).name}: {r.retrieved_from}" for r in used.itertuples())
    # The back matter prints as one block: split, its last two lines often made a page of their own.
    urls = {u: u for u in rows["URL"] if isinstance(u, str) and u.startswith(("https://", "http://"))}
    return Section(table(rows, "Source files (data/raw)", classes=("sources",), show_caption=True,
                         links={"URL": urls})  # live links, on the page and in the PDF
                   + '<div class="back-matter">' + note(f"How each file was obtained: {obtained}.")
                   + f'<p class="citation">{esc(citation)}</p>'
                   + note("BLS data are in the public domain. Curated facts cite their source; highlights "
                          "marked as derived are computed by career-outlook from the BLS figures.")
                   + note("Parameters: " + params) + rep.attribution() + "</div>")
