"""``career-report list``, ``show`` and ``areas``: the quick look-ups, on the processed tables only (no
kernel, notebook or browser library is imported for them; see :mod:`analysis.cli`)."""

from __future__ import annotations

import json
import logging

from analysis.tables import dataset, places, profile, store
from analysis.values import fixed, money, people, percent, signed

log = logging.getLogger(__name__)


def ensure_data() -> None:
    """Rebuild data/processed first if data/raw or the code that builds it changed (saying why on stderr)."""
    if reason := dataset.rebuild_if_stale():
        log.info(reason)


def cmd_list(args) -> int:
    ensure_data()
    v = store.resolve_vintage(args.vintage)
    if args.interest is not None:
        return _list_by_interest(args.interest, args.query, v)
    hits = store.search(args.query, v)
    for r in hits.itertuples():
        how = f"  [{r.matched_on}]" if r.matched_on not in ("", "title", "code") else ""
        print(f"{r.soc_code}  {r.title}{how}")
    log.info(f"{len(hits)} occupation(s) in {v}")
    return 0 if len(hits) else 1


def _list_by_interest(code: str, query: str | None, vintage: str) -> int:
    """``list --interest CI [QUERY]``: the occupations whose O*NET interest code fits, best fit first."""
    hits = profile.matches(code, vintage)
    if query:
        hits = hits[hits["soc_code"].isin(store.search(query, vintage)["soc_code"])]
    for r in hits.itertuples():
        print(f"{r.soc_code}  {r.title}  [{r.interest_code}, fit {r.tier}, score {r.fit_score:.2f}]")
    log.info(f"{len(hits)} occupation(s) in {vintage} fit interest code {profile.check_interest(code)} (fit 1: "
             "its code starts with yours; 2: has your letters; 3: shares your first letter)")
    return 0 if len(hits) else 1


def cmd_areas(args) -> int:
    """``areas [QUERY]``: the OEWS areas (code, type, primary state, title), as ``list`` lists occupations."""
    ensure_data()
    year = places.wage_year()
    hits = places.areas(args.query, year=year)
    width = max(hits["area_type_name"].str.len(), default=0)
    for r in hits.itertuples():
        print(f"{r.area_code:<7}  {r.area_type_name:<{width}}  {r.state_code}  {r.area_title}")
    log.info(f"{len(hits)} area(s) with OEWS estimates for May {year}")
    return 0 if len(hits) else 1


def cmd_show(args) -> int:
    ensure_data()
    facts = store.quick_facts(args.soc, args.vintage) | profile.json_facts(args.soc, args.vintage)
    if args.area is not None:
        facts |= profile.area_json_facts(facts["soc_code"], args.area)
    if args.json:
        print(json.dumps(facts, ensure_ascii=False))
        return 0
    pay = money(facts["median_wage_usd"], facts["median_wage_top_coded"])
    label = facts["outlook_label"] or "wording not on hand for this vintage"
    rows = [
        (f"Median annual pay, {facts['wage_year']}:", pay),
        ("Typical entry education:", facts["education"]),
        ("Work experience:", facts["experience"]),
        ("On-the-job training:", facts["training"]),
        (f"Jobs, {facts['base_year']}:", people(facts["employment_base"])),
        (f"Job outlook, {facts['vintage']}:", f"{percent(facts['change_percent'])} ({label}; "
         f"all occupations {percent(facts['all_occupations_change_percent'])})"),
        ("Employment change:", signed(facts["employment_change"])),
        ("Openings a year:", people(facts["openings_per_year"])),
    ]
    if facts.get("job_zone"):
        rows.append(("O*NET job zone:", facts["job_zone"]))
    if facts.get("interest_code"):
        rows.append(("O*NET interest code:", facts["interest_code"]))
    if facts.get("related"):
        rows.append(("Related (O*NET):", ", ".join(facts["related"][:6])))
    if "area" in facts:
        rows += area_rows(facts["area"], facts["area_wages"])
    lines = [f"{facts['soc_code']}  {facts['title']}  (Employment Projections {facts['vintage']})"]
    lines += [f"  {name:<30} {value}" for name, value in rows]
    print("\n".join(lines))
    return 0


def area_rows(area: dict, figures: dict) -> list[tuple[str, str]]:
    """``show --area``'s lines: the area, its jobs and concentration, its median pay beside its state's and the
    nation's, and its pay range (annual pay; hourly for an occupation BLS publishes only hourly)."""
    here = figures["area"]
    # Annual pay, or hourly where BLS publishes no annual median for the area itself (work not year-round):
    # then every place is shown hourly, so the three medians compare like with like.
    # The first place that publishes a median decides (an area that publishes none must not make the nation's
    # hourly-only median read "not published").
    mine = next((f for f in (here, figures.get("state"), figures.get("nation"))
                 if f is not None and (f["annual_median_usd"] is not None or f["hourly_median_usd"] is not None)),
                None)
    hourly = mine is not None and mine["annual_median_usd"] is None and mine["hourly_median_usd"] is not None
    basis = "hourly" if hourly else "annual"

    def pay(f: dict, stat: str) -> str:
        other = "annual" if hourly else "hourly"
        if f[f"{basis}_{stat}_usd"] is None and f[f"{other}_{stat}_usd"] is not None:
            # e.g. the nation published only hourly: say that figure, never "not published"
            unit = "a year" if other == "annual" else "an hour"
            return (f"{money(f[f'{other}_{stat}_usd'], f[f'{other}_{stat}_usd_top_coded'], cents=not hourly)} "
                    f"{unit} (no {basis} figure published)")
        return money(f[f"{basis}_{stat}_usd"], f[f"{basis}_{stat}_usd_top_coded"], cents=hourly)

    others = [f"{f['area_title']} {pay(f, 'median')}" for role in ("state", "nation")
              if (f := figures[role]) is not None and (here is None or f["area_code"] != here["area_code"])]
    beside = f" ({'; '.join(others)})" if others else ""
    rows = [(f"Area (OEWS May {area['wage_year']}):",
             f"{area['area_title']} ({area['area_code']}, {area['area_type_name']})")]
    if here is None:
        return rows + [("In the area:", "no OEWS estimate of this occupation" + beside)]
    jobs = people(here["employment_people"]) if here["employment_people"] is not None else "not published"
    concentration = [shape.format(fixed(here[key], digits)) for shape, key, digits in
                     (("location quotient {}", "location_quotient", 2), ("{} per 1,000 jobs", "jobs_per_1000", 3))
                     if here[key] is not None]
    return rows + [
        ("Jobs in the area:", jobs + (f" ({'; '.join(concentration)})" if concentration else "")),
        (f"Median {basis} pay in the area:", pay(here, "median") + beside),
        ("Pay range in the area:", f"{pay(here, 'p10')} to {pay(here, 'p90')} (10th to 90th percentile)"
         if here[f"{basis}_p10_usd"] is not None or here[f"{basis}_p90_usd"] is not None else "not published"),
    ]
