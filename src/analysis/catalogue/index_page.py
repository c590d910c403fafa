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

from analysis.catalogue import pages
from analysis.files import write_atomic
from analysis.ingest import onet
from analysis.paths import Paths
from analysis.tables import places, store
from analysis.values import plain, plain_text

TEMPLATE = "catalogue/index.html.j2"


def rows(manifest: dict, p: Paths) -> list[dict]:
    """One dict per national report of the latest vintage in the manifest (built or failed).

    ``states`` maps each state with a report of that occupation to its formats ("hp": HTML and PDF,
    "h", "p") or "!" if it failed; the page finds it at ``states/<ST>/<dir>/report.<ext>``. ``areas`` does the
    same for areas, by area code, at ``areas/<code>/<dir>/report.<ext>``.
    """
    latest = store.vintages(p)[0]
    proj = store.table("projections", p)
    det = proj[(proj["vintage"] == latest) & (proj["soc_level"] == "detailed")].set_index("soc_code")
    examples = (proj[proj["example_titles"].fillna("") != ""].drop_duplicates("soc_code", keep="last")
                .set_index("soc_code")["example_titles"])
    titles = pd.Series(dtype=str)
    interest = pd.Series(dtype=str)
    if store.has_table("onet_occupations", p):
        interest = store.table("onet_occupations", p).set_index("soc_code")["interest_code"]
    if store.has_table("onet_titles", p):
        t = store.table("onet_titles", p).sort_values("title_rank")
        titles = t.groupby("soc_code")["title"].agg(lambda s: list(dict.fromkeys(s)))
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
        r = det.loc[prm["soc_code"]]
        also = titles.get(prm["soc_code"], [])
        ok = e["status"] == "ok"
        out.append({
            "soc_code": prm["soc_code"], "title": r["title"],
            "aka": "; ".join(also[:4]),
            "search": " ".join([str(examples.get(prm["soc_code"], "")), *also]),
            "change_percent": plain(r["change_percent"]), "outlook_label": plain_text(r["outlook_label"]),
            "openings_per_year": plain(r["openings_per_year"]), "median_wage_usd": plain(r["median_wage_usd"]),
            "median_wage_top_coded": bool(r["median_wage_top_coded"]), "education": plain_text(r["education"]),
            "interest_code": plain_text(interest.get(prm["soc_code"])),
            "html": f"{rel}/report.html" if ok and "html" in e.get("formats", []) else None,
            "pdf": f"{rel}/report.pdf" if ok and "pdf" in e.get("formats", []) else None,
            "status": e["status"], "dir": rel,
        })
    for row in out:
        mine = sorted(state_reports.get(row["soc_code"], {}).items())
        row["states"] = {st: _state_formats(e) for st, (rel, e) in mine if rel == f"states/{st}/{row['dir']}"}
        mine = sorted(area_reports.get(row["soc_code"], {}).items())
        row["areas"] = {a: _state_formats(e) for a, (rel, e) in mine if rel == f"areas/{a}/{row['dir']}"}
    return out


def _state_formats(entry: dict) -> str:
    if entry["status"] != "ok":
        return "!"
    return "".join(f[0] for f in ("html", "pdf") if f in entry.get("formats", []))


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


def render(manifest: dict, p: Paths, reports: Path | None = None) -> str:
    """The index page's text for ``manifest`` (templates/catalogue/index.html.j2)."""
    data = rows(manifest, p)
    latest = store.vintages(p)[0]
    proj = store.table("projections", p)
    n_all = int(((proj["vintage"] == latest) & (proj["soc_level"] == "detailed")).sum())
    coverage = ("Every detailed occupation" if len(data) == n_all
                else f"{len(data):,} of the {n_all:,} detailed occupations")
    return pages.render(
        TEMPLATE, coverage=coverage, vintage=latest, built=f"{dt.date.today():%B %-d, %Y}",
        onet_attribution=onet.attribution() if store.has_table("onet_titles", p) else "",
        # the "what changed" page that `career-report refresh` writes, linked when it exists
        changes_page=(Path(reports or p.reports) / "changes.html").exists(),
        data=data, states=state_choices(data, p), areas=area_choices(data, p), interests=interest_names(p))


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
