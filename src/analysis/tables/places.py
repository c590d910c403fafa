"""Areas and industries: the query layer over ``wages`` (every area's cross-industry OEWS estimates: the nation,
states, metropolitan and nonmetropolitan areas) and ``wages_industries`` (the nation's estimates by industry).

In: SOC codes, area codes or names, an industry level, and optionally the OEWS wage year (default: the latest on
hand). Out: DataFrames and plain dicts; a one-line ParameterError naming ``$area`` (or the SOC code, the level)
for anything that is not on hand. The ranking rules (docs/assumptions.md, "OEWS tables, areas and industries"):

- A ranking covers the areas or industries that publish the value; a suppressed value (``**``, ``*``) is left
  out, and the counts say how many publish what.
- Places: 1 is the largest; equal values share the best place (``rank(method="min")``). Ties are listed by
  title, then code.
- Pay is the annual median, or the hourly median for an occupation BLS publishes only hourly (actors). A
  top-coded median (``#``) is ranked with its bound, listed before the exact values equal to it, and gets a
  range of places, never one place (:func:`analysis.tables.ranks.rank_bounds`): ``rank`` is its best possible
  place, ``rank_worst`` its worst.
- Industries: only the plain industries of one level (``ownership_specific`` False), which do not overlap.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from analysis.errors import ParameterError
from analysis.ingest.oews.fields import INDUSTRY_LEVELS, NATIONAL_AREA, STATE_FIPS
from analysis.ingest.titles import TITLE_MAX_CHARS
from analysis.paths import Paths
from analysis.soc import SOC_RE
from analysis.tables import store
from analysis.tables.ranks import rank_bounds

AREA_COLUMNS = ["area_code", "area_title", "area_type", "area_type_name", "state_code"]
METROPOLITAN = 4
LOCAL_TYPES = (4, 6)  # metropolitan and nonmetropolitan areas: what a report "for an area" can be built for
ROLES = ("area", "state", "nation")  # area_wages: the area, its (primary) state, the U.S.
SHOWN_CANDIDATES = 8  # areas named in an ambiguous or unknown $area message


# --- areas ---------------------------------------------------------------------------------------------------

def wage_year(year: int | None = None, p: Paths | None = None) -> int:
    """``year`` if OEWS estimates of that May are on hand; None: the latest on hand."""
    have = store.derived("wages", ("years",), lambda w: sorted({int(y) for y in w["wage_year"].unique()},
                                                                reverse=True), p)
    if year is None:
        return have[0]
    if not str(year).isdigit() or int(year) not in have:
        raise ParameterError(f"OEWS wage year {year!r} is not on hand; available: {', '.join(map(str, have))}")
    return int(year)


def _listing(w: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = w.loc[w["wage_year"] == year, AREA_COLUMNS].drop_duplicates("area_code")
    return rows.sort_values(["area_type", "area_title", "area_code"], kind="stable").reset_index(drop=True)


def _areas(p: Paths | None, year: int) -> pd.DataFrame:
    """Every area of ``year`` once, in :func:`areas`' order (built once per process)."""
    return store.derived("wages", ("areas", year), lambda w: _listing(w, year), p)


def preload(p: Paths | None = None) -> None:
    """Build the per-process indexes of the latest year (for a warm kernel, before its first report)."""
    y = wage_year(None, p)
    _areas(p, y)
    national(p, y)
    for name in ("wages", "wages_industries"):
        if store.has_table(name, p):
            store.rows_for(name, "soc_code", "", p)  # builds the index


def _of_year(name: str, soc_code: str, p: Paths | None, year: int) -> pd.DataFrame | None:
    """Table ``name``'s rows of one occupation and ``year`` (None: none), through :func:`store.rows_for`'s index:
    a report finds its occupation's rows in every area or industry without scanning a quarter of a million."""
    rows = store.rows_for(name, "soc_code", soc_code, p)
    rows = rows[rows["wage_year"] == year]
    return None if rows.empty else rows


def _words_hit(query: str, title: str) -> bool:
    """``query`` is part of ``title``, or each of its words starts a word of it ('springfield il')."""
    q, t = query.casefold(), title.casefold()
    return q in t or all(re.search(r"\b" + re.escape(w), t) for w in q.split())


def areas(query: str | None = None, p: Paths | None = None, year: int | None = None) -> pd.DataFrame:
    """The areas with OEWS estimates in ``year`` (default: the latest): ``area_code``, ``area_title``,
    ``area_type`` (1 U.S., 2 state, 3 territory, 4 metropolitan, 6 nonmetropolitan), ``area_type_name`` and
    ``state_code`` (BLS's PRIM_STATE: the area's primary state, US for the nation). The nation first, then
    states, metropolitan and nonmetropolitan areas, each by title. ``query``: an area code, or a
    case-insensitive part of the title (or words that each start a word of it)."""
    listed = _areas(p, wage_year(year, p))
    if query is None or not str(query).strip():
        return listed
    q = _bounded(str(query).strip())
    hit = (listed["area_code"] == q) | listed["area_title"].map(lambda t: _words_hit(q, t))
    return listed[hit].reset_index(drop=True)


def _bounded(query: str) -> str:
    """``query`` when it could name an area; a value longer than any title on hand is refused before any
    matching (the close-match search over every area took minutes on a 100,000-character value)."""
    if len(query) > TITLE_MAX_CHARS:
        raise ParameterError(f"$area {_shown(query)}: {len(query):,} characters; an area's code or name has at most "
                             f"{TITLE_MAX_CHARS}")
    return query


def _shown(query: str, n: int = 60) -> str:
    """A query as an error message quotes it: repr'd, and cut to ``n`` characters (a 10 KB value is not echoed)."""
    return repr(query if len(query) <= n else query[:n - 1] + "…")


def _describe(rows: pd.DataFrame, n: int = SHOWN_CANDIDATES) -> str:
    shown = "; ".join(f"{r.area_code} {r.area_title} ({r.area_type_name})" for r in rows.head(n).itertuples())
    return shown + (f"; and {len(rows) - n} more" if len(rows) > n else "")


def _closest(query: str, listed: pd.DataFrame) -> pd.DataFrame:
    """The areas whose code or a part of whose title (between hyphens, commas and slashes) is closest to
    ``query``, best first (difflib's ratio of at least 0.6)."""
    q = query.casefold()

    def score(r) -> float:
        parts = [r.area_code, r.area_title, *re.split(r"[-,/]\s*", r.area_title)]
        return max(difflib.SequenceMatcher(None, q, part.casefold().strip()).ratio() for part in parts)

    scores = pd.Series([score(r) for r in listed.itertuples()], index=listed.index)
    best = scores[scores >= 0.6].sort_values(ascending=False, kind="stable")
    return listed.loc[best.index]


def find_area(code_or_name, p: Paths | None = None, year: int | None = None,
              types: tuple[int, ...] | None = None) -> dict:
    """One area as a dict of :data:`AREA_COLUMNS`: by its code (``26420``; a state's FIPS code may drop its
    leading zero) or by its title, whole or a unique part of it (``Houston``), case-insensitive. A whole title
    wins over longer ones that contain it ("New York" is the state). ``types``: only areas of these area types
    (e.g. :data:`LOCAL_TYPES`). Otherwise a one-line ParameterError naming ``$area``: the areas it matches when
    it matches several, the closest ones when it matches none."""
    listed = _areas(p, wage_year(year, p))
    if types is not None:
        listed = listed[listed["area_type"].isin(types)].reset_index(drop=True)
    q = _bounded(str(code_or_name).strip() if code_or_name is not None else "")
    if not q:
        raise ParameterError("$area is empty: give an OEWS area code (e.g. 26420) or a part of its name")
    if q.isdigit():
        hit = listed[listed["area_code"].isin([q, q.zfill(2)])]
        if len(hit) == 1:
            return hit.iloc[0].to_dict()
    else:
        whole = listed[listed["area_title"].str.casefold() == q.casefold()]
        hit = whole if len(whole) == 1 else listed[listed["area_title"].map(lambda t: _words_hit(q, t))]
        if len(hit) == 1:
            return hit.iloc[0].to_dict()
        if len(hit) > 1:
            raise ParameterError(f"$area {_shown(q)} matches {len(hit)} areas: {_describe(hit)}; give its code")
    near = _closest(q, listed)
    tail = f"; closest: {_describe(near)}" if not near.empty else " and no area's code or name is close to it"
    raise ParameterError(f"$area {_shown(q)} is not an OEWS area{tail}")


def check_area(area, p: Paths | None = None, year: int | None = None) -> dict | None:
    """A report's ``area`` parameter: None (or "", "None") for none, else the metropolitan or nonmetropolitan
    area it names, as :func:`find_area` gives it ("New York" is then the metro area, not the state). A state's
    name or code is refused with a pointer to the state parameter; anything else as :func:`find_area` says."""
    if area is None or str(area).strip() in ("", "None"):
        return None
    _bounded(str(area).strip())
    try:
        return find_area(area, p, year, types=LOCAL_TYPES)
    except ParameterError as err:
        q = str(area).strip()
        listed = _areas(p, wage_year(year, p))
        state = listed[(listed["area_type"] == 2) & (listed["area_title"].str.casefold() == q.casefold())]
        if areas(area, p, year)["area_type"].isin(LOCAL_TYPES).any():  # several areas match: that message lists them
            hint = f"; for the state itself give the state ({state['state_code'].iloc[0]})" if len(state) else ""
            raise ParameterError(err.args[0] + hint) from None
        try:
            other = find_area(area, p, year)
        except ParameterError:
            other = None
        if other is not None and other["area_type"] in (2, 3):
            raise ParameterError(f"$area {_shown(q)} is a state, not a metropolitan or nonmetropolitan "
                                 f"area: give it as the state ({other['state_code']})") from None
        if other is not None:  # the nation
            raise ParameterError(f"$area {_shown(q)} is the nation ({other['area_title']}): the national report "
                                 "is the one without an area") from None
        raise


def area_states(area: dict) -> list[str]:
    """The postal codes of the states an area lies in: its primary state first, then any other its title names
    ("Kansas City, MO-KS" -> MO, KS). A nonmetropolitan area lies in its one state."""
    named = area["area_title"].rsplit(",", 1)[-1].strip().split("-") if area["area_type"] == METROPOLITAN else []
    return list(dict.fromkeys([area["state_code"], *(s for s in named if re.fullmatch(r"[A-Z]{2}", s))]))


def check_place(state, area, p: Paths | None = None) -> tuple[str | None, dict | None]:
    """A report's ``state`` and ``area`` parameters together -> (the state's postal code or None, the area as
    :func:`check_area` gives it or None). When both are given the area must lie in the state (one of
    :func:`area_states`); a one-line ParameterError naming ``$area`` otherwise. The one place this is checked: the
    notebooks' parameter models and the catalogue's ``--state`` with ``--area`` call it."""
    st = store.check_state(state, p)
    info = check_area(area, p)
    if info is not None and st is not None and st not in area_states(info):
        raise ParameterError(f"$area {info['area_code']} ({info['area_title']}) lies in "
                             f"{', '.join(area_states(info))}, not in state {st}; give one of them")
    return st, info


# --- one occupation ------------------------------------------------------------------------------------------

def _rows(soc_code, p: Paths | None, year: int) -> pd.DataFrame:
    """The occupation's ``wages`` rows of ``year`` in every area; a one-line error for a bad or absent code."""
    code = str(soc_code).strip()
    if not SOC_RE.match(code):
        raise ParameterError(f"SOC code {soc_code!r} is malformed: expected the form NN-NNNN, e.g. 29-2072")
    rows = _of_year("wages", code, p, year)
    if rows is None:
        raise ParameterError(f"SOC code {code} has no OEWS estimates for May {year}")
    return rows


def occupation_rows(soc_code: str, p: Paths | None = None, year: int | None = None) -> pd.DataFrame:
    """The occupation's ``wages`` rows of ``year`` (default: the latest) in every area, in table order; empty when
    OEWS has no estimates of it that year."""
    y = wage_year(year, p)
    rows = _of_year("wages", str(soc_code).strip(), p, y)
    return store.table("wages", p).head(0) if rows is None else rows


def national(p: Paths | None = None, year: int | None = None) -> pd.DataFrame:
    """Every occupation's national ``wages`` row of ``year`` (default: the latest), indexed by ``soc_code``."""
    y = wage_year(year, p)
    return store.derived("wages", ("national", y),
                         lambda w: w[(w["wage_year"] == y) & (w["area_type"] == 1)].set_index("soc_code"), p)


def area_wages(soc_code: str, area, p: Paths | None = None, year: int | None = None) -> pd.DataFrame:
    """The occupation's OEWS row in ``area`` (a code or name, as :func:`find_area` takes), in the area's primary
    state (for a metropolitan or nonmetropolitan area: PRIM_STATE, the state a metro area crossing state lines
    is filed under) and in the nation, in that order, with a first column ``role`` (``area``, ``state``,
    ``nation``) and every column of ``wages``. A role is missing where OEWS publishes no estimate of the
    occupation there. A state (or territory) is its own area and has no ``state`` row; the U.S. is one ``area``
    row."""
    y = wage_year(year, p)
    where = find_area(area, p, y)
    w = _rows(soc_code, p, y)
    codes = {"area": where["area_code"], "nation": NATIONAL_AREA}
    if where["area_type"] in (4, 6):
        codes["state"] = STATE_FIPS.get(where["state_code"])
    picks = [(role, codes[role]) for role in ROLES if role in codes]
    seen: list[str] = []
    out = []
    for role, area_code in picks:
        if area_code in seen:
            continue
        seen.append(area_code)
        row = w[w["area_code"] == area_code]
        out.append(row.assign(role=role))
    got = pd.concat(out, ignore_index=True)
    return got[["role", *[c for c in got.columns if c != "role"]]]


def _pay_basis(rows: pd.DataFrame) -> str:
    """'hourly' for an occupation BLS publishes only hourly (its rows say HOURLY=TRUE), else 'annual'."""
    return "hourly" if bool(rows["hourly_only"].any()) and rows["annual_median_usd"].isna().all() else "annual"


def _ranked(rows: pd.DataFrame, value: str, top_coded: str | None, titles: list[str], n: int | None) -> pd.DataFrame:
    """The rows that publish ``value``, largest first, with ``rank`` (and ``rank_worst`` where ``top_coded``
    names a flag): ties share the best place and are listed by ``titles``; a top-coded value sorts with its
    bound, before the exact values equal to it."""
    have = rows[rows[value].notna()]
    if top_coded is None:
        have = have.assign(rank=have[value].rank(method="min", ascending=False).astype("Int64"))
        order, ascending = ["rank", *titles], [True] * (1 + len(titles))
    else:
        best, worst = rank_bounds(have[value], have[top_coded])
        have = have.assign(rank=best, rank_worst=worst)
        order, ascending = [value, top_coded, *titles], [False, False, *[True] * len(titles)]
    have = have.sort_values(order, ascending=ascending, kind="stable").reset_index(drop=True)
    return have if n is None else have.head(n)


def metro_rank(soc_code: str, n: int | None = 10, p: Paths | None = None, year: int | None = None) -> dict:
    """The metropolitan areas (area type 4; not the nonmetropolitan ones) where the occupation has the most jobs,
    the highest location quotient and the highest median pay, ``n`` of each (None: all), each row with its
    employment beside it. Out: ``soc_code``, ``title``, ``wage_year``, ``metro_areas`` (how many the year has),
    ``publishing`` (how many publish an estimate of the occupation), ``publishing_employment``,
    ``publishing_location_quotient``, ``publishing_pay``, ``pay_basis`` (``annual`` or ``hourly``), ``pay_column``,
    and the tables ``by_employment``, ``by_location_quotient`` and ``by_pay`` (columns ``rank`` (``rank_worst``
    for pay), ``area_code``, ``area_title``, ``state_code``, ``employment_people``, ``location_quotient``, the
    median and its ``…_top_coded`` flag)."""
    y = wage_year(year, p)
    w = _rows(soc_code, p, y)
    rows = w[w["area_type"] == METROPOLITAN]
    listed = _areas(p, y)
    return {"soc_code": w["soc_code"].iloc[0], "title": w["title"].iloc[0], "wage_year": y,
            "metro_areas": int((listed["area_type"] == METROPOLITAN).sum()),
            **_area_rankings(w, rows, ["area_code", "area_title", "state_code"], n)}


def _area_rankings(w: pd.DataFrame, rows: pd.DataFrame, keys: list[str], n: int | None) -> dict:
    """``rows`` (areas of one occupation's ``w``) ranked by jobs, location quotient and pay (annual, or hourly for
    an occupation published only hourly), with how many publish each: the shared part of :func:`metro_rank` and
    :func:`state_area_rank`. ``keys``: the area columns each ranking keeps."""
    basis = _pay_basis(w)
    pay = f"{basis}_median_usd"
    cols = [*keys, "employment_people", "location_quotient", pay, f"{pay}_top_coded"]
    titles = ["area_title", "area_code"]
    return {
        "publishing": len(rows), "publishing_employment": int(rows["employment_people"].notna().sum()),
        "publishing_location_quotient": int(rows["location_quotient"].notna().sum()),
        "publishing_pay": int(rows[pay].notna().sum()), "pay_basis": basis, "pay_column": pay,
        "by_employment": _ranked(rows[cols], "employment_people", None, titles, n)[["rank", *cols]],
        "by_location_quotient": _ranked(rows[cols], "location_quotient", None, titles, n)[["rank", *cols]],
        "by_pay": _ranked(rows[cols], pay, f"{pay}_top_coded", titles, n)[["rank", "rank_worst", *cols]],
    }


def industries(soc_code: str, level: str = "4-digit", n: int | None = 10, p: Paths | None = None,
               year: int | None = None) -> dict:
    """The industries of one ``level`` (``sector``, ``3-digit``, ``4-digit``, ``5-digit``) where the occupation
    has the most jobs nationally, and the best-paying ones, ``n`` of each (None: all): plain industries only
    (``ownership_specific`` False), which do not overlap one another. Out: ``soc_code``, ``wage_year``,
    ``title``, ``level``, ``publishing`` (industries of the level with an estimate), ``publishing_employment``,
    ``publishing_pay``, ``pay_basis``, ``pay_column``, and the tables ``by_employment`` and ``by_pay`` (columns
    ``rank`` (``rank_worst`` for pay), ``naics``, ``naics_title``, ``employment_people``,
    ``share_of_occupation_percent``, the median and its ``…_top_coded`` flag)."""
    if level not in INDUSTRY_LEVELS or level == "cross-industry":
        levels = ", ".join(lv for lv in INDUSTRY_LEVELS if lv != "cross-industry")
        raise ParameterError(f"industry level {level!r} is not one of {levels}")
    y = wage_year(year, p)
    w = _rows(soc_code, p, y)
    ind = store.rows_for("wages_industries", "soc_code", w["soc_code"].iloc[0], p)
    ind = ind[ind["wage_year"] == y]
    rows = ind[(ind["industry_level"] == level) & ~ind["ownership_specific"]]
    basis = _pay_basis(w)
    pay = f"{basis}_median_usd"
    cols = ["naics", "naics_title", "employment_people", "share_of_occupation_percent", pay, f"{pay}_top_coded"]
    titles = ["naics_title", "naics"]
    return {
        "soc_code": w["soc_code"].iloc[0], "title": w["title"].iloc[0], "wage_year": y, "level": level,
        "publishing": len(rows),
        "publishing_employment": int(rows["employment_people"].notna().sum()),
        "publishing_pay": int(rows[pay].notna().sum()), "pay_basis": basis, "pay_column": pay,
        "by_employment": _ranked(rows[cols], "employment_people", None, titles, n)[["rank", *cols]],
        "by_pay": _ranked(rows[cols], pay, f"{pay}_top_coded", titles, n)[["rank", "rank_worst", *cols]],
    }


def lies_in(areas: pd.DataFrame, state: str) -> pd.Series:
    """Which of ``areas`` (rows with ``area_type``, ``area_title``, ``state_code``) lie in ``state``: a
    nonmetropolitan area in its one state, a metropolitan area in every state its title names ("Kansas City,
    MO-KS" lies in MO and KS)."""
    named = areas["area_title"].str.rsplit(",", n=1).str[-1].str.strip().str.split("-")
    in_title = [state in names if t == METROPOLITAN else False for names, t in zip(named, areas["area_type"],
                                                                                  strict=True)]
    return (areas["state_code"] == state) | pd.Series(in_title, index=areas.index)


def state_area_rank(soc_code: str, state: str, p: Paths | None = None, year: int | None = None) -> dict:
    """The metropolitan and nonmetropolitan areas that lie in ``state`` (:func:`lies_in`), ranked as
    :func:`metro_rank` ranks the nation's metro areas: ``state``, ``areas`` (how many areas lie in the state),
    ``publishing`` …, ``by_employment``, ``by_location_quotient``, ``by_pay`` (all rows, each with
    ``area_type``)."""
    y = wage_year(year, p)
    w = _rows(soc_code, p, y)
    local = w[w["area_type"].isin(LOCAL_TYPES)]
    rows = local[lies_in(local, state)]
    listed = _areas(p, y)
    listed = listed[listed["area_type"].isin(LOCAL_TYPES)]
    return {"soc_code": w["soc_code"].iloc[0], "state": state, "wage_year": y,
            "areas": int(lies_in(listed, state).sum()),
            **_area_rankings(w, rows, ["area_code", "area_title", "area_type", "state_code"], None)}


def state_name(state: str, p: Paths | None = None, year: int | None = None) -> str:
    """A state's (or territory's) name from the OEWS areas on hand ("TX" -> "Texas"); the code itself when the
    year lists no such state."""
    listed = _areas(p, wage_year(year, p))
    hit = listed[(listed["area_type"] == 2) & (listed["state_code"] == state)]
    return state if hit.empty else str(hit.iloc[0]["area_title"])
