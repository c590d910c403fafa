"""The catalogue's front page: ``reports/index.html``, one self-contained file (no CDN, works from disk).

In: the reports manifest and the processed tables. Out: a page listing every report of the latest
vintage with search (title, example and O*NET titles, code), sort (growth, openings, pay), filters by
entry education and by O*NET interest code (first letter, or first two) and a picker of states and areas
(links go to that state's or metropolitan or nonmetropolitan area's reports where built); the data sits in the
page as JSON (escaped so no text can break out of its element), the behaviour in a few lines of JS. The page is
the Jinja2 template ``templates/catalogue/index.html.j2``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analysis.files import write_atomic
from analysis.ingest import onet
from analysis.paths import Paths
from analysis.render import pages
from analysis.tables import headline, places, store
from analysis.values import plain, plain_text

TEMPLATE = "catalogue/index.html.j2"


def rows(manifest: dict, p: Paths) -> list[dict]:
    """One dict per national report of the latest vintage in the manifest (built or failed).

    ``states`` maps each state with a report of that occupation to its files' names (:func:`_files`) or "!" if
    it failed; the page finds them in ``states/<ST>/<dir>/``. ``areas`` does the same for areas, by area code,
    in ``areas/<code>/<dir>/``.
    """
    latest = store.vintages(p)[0]
    proj = store.table("projections", p)
    det = proj[(proj["vintage"] == latest) & (proj["soc_level"] == "detailed")].set_index("soc_code")
    examples = (proj[proj["example_titles"].fillna("") != ""].drop_duplicates("soc_code", keep="last")
                .set_index("soc_code")["example_titles"])
    reported = other = pd.Series(dtype=object)
    interest = pd.Series(dtype=str)
    if store.has_table("onet_occupations", p):
        interest = store.table("onet_occupations", p).set_index("soc_code")["interest_code"]
    if store.has_table("onet_titles", p):
        t = store.table("onet_titles", p).sort_values("title_rank")
        reported = t[t["kind"] == "reported"].groupby("soc_code")["title"].agg(lambda s: list(dict.fromkeys(s)))
        other = t[t["kind"] != "reported"].groupby("soc_code")["title"].agg(lambda s: list(dict.fromkeys(s)))
    pay = headline.medians(latest, p)
    out = []
    state_reports: dict[str, dict[str, tuple[str, dict]]] = {}
    area_reports: dict[str, dict[str, tuple[str, dict]]] = {}
    for rel, e in sorted(manifest.get("reports", {}).items()):
        prm = e["parameters"]
        if prm["vintage"] != latest or prm["soc_code"] not in det.index:
            continue
        if prm.get("area"):
            # By its folder's key: an area's report against another state it lies in (areas/28140-KS/…) is a
            # report of its own, beside the one against its primary state (areas/28140/…).
            key = rel.split("/")[1] if rel.startswith("areas/") else prm["area"]
            area_reports.setdefault(prm["soc_code"], {})[key] = (rel, e)
            continue
        if prm.get("state"):
            state_reports.setdefault(prm["soc_code"], {})[prm["state"]] = (rel, e)
            continue
        soc = prm["soc_code"]
        r = det.loc[soc]
        said = reported.get(soc, [])
        more = [x for x in [*other.get(soc, []), *str(examples.get(soc, "")).split("; ")] if x and x not in said]
        out.append({
            "soc_code": soc, "title": r["title"],
            "aka": "; ".join(said[:4]),
            # what a search looks in after the title: the titles workers report, then O*NET's other titles and
            # BLS's example titles (the page ranks matches in that order)
            "reported": said, "other": more,
            "change_percent": plain(r["change_percent"]), "outlook_label": plain_text(r["outlook_label"]),
            "openings_per_year": plain(r["openings_per_year"]), "jobs": plain(r["employment_base_people"]),
            # the reports' headline pay (tables/headline.py): the newest national median
            "median_wage_usd": plain(pay.loc[soc, "value_usd"]),
            "median_wage_top_coded": bool(pay.loc[soc, "top_coded"]), "hourly": pay.loc[soc, "basis"] == "hourly",
            "education": plain_text(r["education"]),
            "interest_code": plain_text(interest.get(soc)),
            **{k: (f"{rel}/{v}" if v else None) for k, v in _files(e).items()},
            "status": e["status"], "dir": rel,
        })
    for row in out:
        mine = sorted(state_reports.get(row["soc_code"], {}).items())
        row["states"] = {st: _state_formats(e) for st, (rel, e) in mine if rel == f"states/{st}/{row['dir']}"}
        mine = sorted(area_reports.get(row["soc_code"], {}).items())
        row["areas"] = {a: _state_formats(e) for a, (rel, e) in mine if rel == f"areas/{a}/{row['dir']}"}
    return out


def _files(entry: dict) -> dict[str, str | None]:
    """A report's files as the index links them: ``html``, ``pdf`` and ``handout`` (its handout's PDF), each a name
    in the report's folder or None (not built, or the build failed). Entries written before the files had their
    own names are ``report.html`` and ``report.pdf``."""
    ok = entry.get("status") == "ok"
    formats = entry.get("formats", [])
    names = entry.get("files") or {f: f"report.{f}" for f in formats}
    return {"html": names.get("html") if ok and "html" in formats else None,
            "pdf": names.get("pdf") if ok and "pdf" in formats else None,
            "handout": names.get("handout_pdf") if ok and "pdf" in formats else None}


def _state_formats(entry: dict) -> dict | str:
    """A state's or area's report as the page finds it: "!" when its build failed, else its files' names."""
    return "!" if entry["status"] != "ok" else _files(entry)


def state_choices(data: list[dict], p: Paths) -> list[list[str]]:
    """[postal code, name] of each state with at least one built report among ``data``, by name."""
    built = {st for r in data for st, f in r["states"].items() if f != "!"}
    if not built:
        return []
    w = store.table("wages", p)
    names = w[w["area_type"] == 2].drop_duplicates("state_code").set_index("state_code")["area_title"]
    return sorted(([st, str(names.get(st, st))] for st in built), key=lambda c: c[1])


def area_choices(data: list[dict], p: Paths) -> list[list[str]]:
    """[folder key, title] of each metropolitan or nonmetropolitan area with at least one built report, by title. The
    key is the area's code, or its code and a state (``28140-KS``) for its reports against a state other than its
    primary one, titled with that state (``Kansas City, MO-KS, against KS``)."""
    built = {a for r in data for a, f in r.get("areas", {}).items() if f != "!"}
    if not built:
        return []
    names = places.areas(p=p).set_index("area_code")["area_title"]

    def title(key: str) -> str:
        code, _, state = key.partition("-")
        return str(names.get(code, code)) + (f", against {state}" if state else "")

    return sorted(([a, title(a)] for a in built), key=lambda c: c[1])


def local_figures(data: list[dict], states: list[list[str]], areas: list[list[str]], p: Paths) -> None:
    """Each row's jobs and median pay in every state and area the picker offers, as ``local``: {"TX": [median,
    top-coded, hourly, jobs], "area:26420": […]} (OEWS, the latest May; null where BLS publishes none), so the
    page's pay and jobs columns follow the picked place."""
    for row in data:
        row["local"] = {}
    if not (states or areas) or not store.has_table("wages", p):
        return
    year = places.wage_year(None, p)
    w = store.table("wages", p)
    w = w[w["wage_year"] == year]
    # A picker key per place: a state's code, or "area:" and an area's folder key (its code, or its code and a
    # second state, "28140-KS": the same area's figures).
    keys: dict[tuple[str, str], list[str]] = {("state", st): [st] for st, _ in states}
    for a, _ in areas:
        keys.setdefault(("area", a.partition("-")[0]), []).append(f"area:{a}")
    codes = [code for kind, code in keys if kind == "area"]
    picked = w[((w["area_type"] == 2) & w["state_code"].isin([st for st, _ in states]))
               | (w["area_type"].isin(places.LOCAL_TYPES) & w["area_code"].isin(codes))]
    by_soc = {row["soc_code"]: row for row in data}
    for r in picked[picked["soc_code"].isin(by_soc)].itertuples():
        hourly = by_soc[r.soc_code]["hourly"]
        value, top = ((r.hourly_median_usd, r.hourly_median_usd_top_coded) if hourly
                      else (r.annual_median_usd, r.annual_median_usd_top_coded))
        for key in keys[("state", r.state_code)] if r.area_type == 2 else keys[("area", r.area_code)]:
            by_soc[r.soc_code]["local"][key] = [plain(value), bool(top), hourly, plain(r.employment_people)]


def render(manifest: dict, p: Paths, reports: Path | None = None) -> str:
    """The index page's text for ``manifest`` (templates/catalogue/index.html.j2)."""
    data = rows(manifest, p)
    latest = store.vintages(p)[0]
    proj = store.table("projections", p)
    n_all = int(((proj["vintage"] == latest) & (proj["soc_level"] == "detailed")).sum())
    coverage = ("Every detailed occupation" if len(data) == n_all
                else f"{len(data):,} of the {n_all:,} detailed occupations")
    states, areas = state_choices(data, p), area_choices(data, p)
    local_figures(data, states, areas, p)
    base_year = int(proj.loc[proj["vintage"] == latest, "base_year"].iloc[0])
    return pages.render(
        TEMPLATE, coverage=coverage, vintage=latest, built=f"{dt.date.today():%B %-d, %Y}",
        onet_attribution=onet.attribution() if store.has_table("onet_titles", p) else "",
        # the "what changed" page that `career-report refresh` writes, linked when it exists
        changes_page=(Path(reports or p.reports) / "changes.html").exists(),
        wage_year=places.wage_year(None, p) if store.has_table("wages", p) else "", base_year=base_year,
        data=data, states=states, areas=areas, interests=interest_names(p))


def interest_names(p: Paths) -> list[list[str]]:
    """[letter, name] of the six RIASEC interests in Holland's order (empty without O*NET's interests)."""
    if not store.has_table("onet_interest_types", p):
        return []
    types = store.table("onet_interest_types", p).sort_values("order")
    return [[str(a), str(b)] for a, b in zip(types["letter"], types["interest"], strict=True)]


def write_index(reports: Path, manifest: dict, p: Paths) -> Path:
    path = Path(reports) / "index.html"
    write_atomic(path, render(manifest, p, reports))
    return path
