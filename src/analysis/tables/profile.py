"""What the work asks of a person, from ``data/processed``: an occupation's interests (RIASEC), its skills,
knowledge, work styles and work values, its detailed work activities and tools, its related occupations with
their outlook, and interest matching (the occupations that fit a student's interest code).

In: SOC codes, a rating domain, an Employment Projections vintage, a student's interest code (1-3 RIASEC
letters). Out: DataFrames, and small records (:class:`Interests`, :class:`Ratings`) that also say whose O*NET
profile speaks for the occupation and how many estimates were left out. Tables are read through
:mod:`analysis.tables.store` (read once per process, cached). A bad argument is a one-line ParameterError.
The rules (which O*NET code speaks, what is left out, the fit tiers): docs/assumptions.md, "O*NET joins" and
"Interest matching".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from analysis.errors import ParameterError
from analysis.ingest.onet.ratings import DOMAINS, LETTERS
from analysis.paths import Paths
from analysis.soc import SOC_RE
from analysis.tables import places
from analysis.tables.store import check_soc, resolve_vintage, rows_for, table
from analysis.values import plain, plain_float

# The outlook columns shown beside a related or matching occupation (projections of the chosen vintage).
OUTLOOK = ["change_percent", "openings_per_year", "median_wage_usd", "median_wage_top_coded", "education"]
TIERS = (1, 2, 3)
RANKED_BY = {"skills": "importance", "knowledge": "importance", "work_styles": "importance",
             "work_values": "extent"}
# The OEWS figures ``show --json --area`` gives for each of the area, its state and the nation (columns of ``wages``).
PAY_COLUMNS = [f"{basis}_{stat}_usd" for basis in ("annual", "hourly")
               for stat in ("mean", "p10", "p25", "median", "p75", "p90")]
AREA_FIGURES = ["area_code", "area_title", "area_type_name", "state_code", "employment_people",
                "employment_rse_percent", "jobs_per_1000", "location_quotient", *PAY_COLUMNS,
                *[f"{c}_top_coded" for c in PAY_COLUMNS], "annual_only", "hourly_only"]
RATING_COLUMNS = ["rank", "element_id", "element_name", "description", "importance", "level", "extent",
                  "high_point_rank", "n_respondents", "date", "domain_source"]


def mean2(values) -> float:
    """The mean of O*NET scores (two decimals) to two decimals, half up, computed on their decimal digits."""
    values = [Decimal(repr(float(v))) for v in values]
    return float((sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def onet_occupation(soc_code: str, p: Paths | None = None) -> pd.Series:
    """The ``onet_occupations`` row of a BLS detailed code; ParameterError for a malformed or unknown code."""
    code = str(soc_code).strip()
    if not SOC_RE.match(code):
        raise ParameterError(f"SOC code {soc_code!r} is malformed: expected the form NN-NNNN, e.g. 29-2072")
    row = rows_for("onet_occupations", "soc_code", code, p)
    if row.empty:
        raise ParameterError(f"SOC code {code} is not a detailed occupation of any Employment Projections release "
                             "on hand")
    return row.iloc[0]


def rows_of(name: str, soc_code: str, p: Paths | None) -> pd.DataFrame:
    return rows_for(name, "soc_code", soc_code, p)


# --- interests --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Interests:
    """An occupation's interest profile: ``code`` (e.g. "CI"; None where O*NET has none), the rule that chose it,
    the O*NET codes whose scores are shown (their mean where several agree), and ``rows``: the six RIASEC types
    in Holland's order with O*NET's description, the ``score`` (1-7) and ``high_point_rank`` (1-3 or NA); empty
    when there is no profile."""
    soc_code: str
    code: str | None
    rule: str | None
    onet_soc_codes: tuple[str, ...]
    rows: pd.DataFrame


def interest_scores(p: Paths | None = None) -> pd.DataFrame:
    """Each BLS code with an interest code: its six RIASEC scores (columns R ... C), the mean over the O*NET codes
    its code comes from (``interest_onet_soc_codes``), two decimals."""
    occ = table("onet_occupations", p).dropna(subset=["interest_code"])
    sources = occ.assign(onet_soc_code=occ["interest_onet_soc_codes"].str.split("; "))[
        ["soc_code", "onet_soc_code"]].explode("onet_soc_code")
    ints = table("onet_interests", p)
    rows = sources.merge(ints[["soc_code", "onet_soc_code", "letter", "score"]], on=["soc_code", "onet_soc_code"])
    scores = rows.groupby(["soc_code", "letter"])["score"].agg(mean2).unstack("letter")
    return scores[list(LETTERS)]


def interests(soc_code: str, p: Paths | None = None) -> Interests:
    """The occupation's six interest types, its high points marked, its interest code and the rule behind it."""
    row = onet_occupation(soc_code, p)
    code = row["interest_code"] if isinstance(row["interest_code"], str) else None
    types = table("onet_interest_types", p).sort_values("order")
    if code is None:
        rows = types.iloc[0:0].assign(score=pd.Series(dtype=float), high_point_rank=pd.Series(dtype="Int64"))
        return Interests(row["soc_code"], None, None, (), rows.reset_index(drop=True))
    sources = tuple(row["interest_onet_soc_codes"].split("; "))
    ints = rows_of("onet_interests", row["soc_code"], p)
    ints = ints[ints["onet_soc_code"].isin(sources)]
    score = ints.groupby("letter")["score"].agg(mean2)
    rank = {letter: i + 1 for i, letter in enumerate(code)}
    rows = types.assign(score=types["letter"].map(score),
                        high_point_rank=pd.array([rank.get(x) for x in types["letter"]], dtype="Int64"))
    return Interests(row["soc_code"], code, row["interest_code_rule"], sources, rows.reset_index(drop=True))


# --- ratings ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ratings:
    """An occupation's ratings in one domain, highest first, from one O*NET code (``onet_soc_code``: the first
    ``.00`` code of the occupation rated in that domain; None when none is). ``rated`` elements were rated;
    ``left_out`` of them are not in ``rows`` because O*NET advises against showing the estimate they are ranked
    by (importance); ``levels_left_out`` rows show no level because O*NET advises against it (Recommend Suppress)
    or marks it not relevant. ``rows`` holds at most ``top`` of the rest, ``rank`` 1 first."""
    soc_code: str
    domain: str
    onet_soc_code: str | None
    rated: int
    left_out: int
    levels_left_out: int
    rows: pd.DataFrame


def check_domain(domain: str) -> str:
    if domain not in DOMAINS:
        raise ParameterError(f"rating domain {domain!r}: expected one of {', '.join(DOMAINS)}")
    return domain


def primary_ratings(soc_code: str, p: Paths | None) -> pd.DataFrame:
    df = rows_of("onet_ratings", soc_code, p)
    return df[df["is_primary"]]


def has_ratings(soc_code: str, p: Paths | None = None) -> dict[str, bool]:
    """Domain -> True when a ``.00`` code of the occupation is rated in it (29-2072 and 15-1252: all False)."""
    rated = set(primary_ratings(onet_occupation(soc_code, p)["soc_code"], p)["domain"])
    return {domain: domain in rated for domain in DOMAINS}


def ratings(soc_code: str, domain: str, top: int | None = 10, p: Paths | None = None) -> Ratings:
    """The occupation's ``top`` highest-rated elements of ``domain`` (None: all), suppressed estimates left out
    and counted (see :class:`Ratings`)."""
    soc = onet_occupation(soc_code, p)["soc_code"]
    check_domain(domain)
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ParameterError(f"top {top!r}: expected a whole number of at least 1, or None for all")
    df = primary_ratings(soc, p)
    df = df[df["domain"] == domain]
    if df.empty:
        return Ratings(soc, domain, None, 0, 0, 0, pd.DataFrame(columns=RATING_COLUMNS))
    code = sorted(df["onet_soc_code"])[0]
    df = df[df["onet_soc_code"] == code]
    shown = df[~df["importance_suppressed"]].copy()
    hidden_level = shown["level_suppressed"] | shown["level_not_relevant"]
    shown["level"] = shown["level"].mask(hidden_level)
    by = RANKED_BY[domain]
    shown = shown.sort_values([by, "element_name"], ascending=[False, True])
    shown["rank"] = range(1, len(shown) + 1)
    rows = shown[RATING_COLUMNS].head(top if top is not None else len(shown)).reset_index(drop=True)
    return Ratings(soc, domain, code, len(df), len(df) - len(shown), int(hidden_level.sum()), rows)


# --- activities, tools, related occupations ---------------------------------------------------------------

def activities(soc_code: str, p: Paths | None = None) -> pd.DataFrame:
    """The occupation's detailed work activities, most of its tasks first (``activity_order``)."""
    soc = onet_occupation(soc_code, p)["soc_code"]
    return rows_of("onet_activities", soc, p).sort_values("activity_order").reset_index(drop=True)


def tools(soc_code: str, p: Paths | None = None) -> pd.DataFrame:
    """The tools the occupation uses, A-Z, each once."""
    return rows_of("onet_tools", onet_occupation(soc_code, p)["soc_code"], p).reset_index(drop=True)


def outlook(vintage: str, p: Paths | None) -> pd.DataFrame:
    """The detailed occupations of ``vintage`` with their title and :data:`OUTLOOK` figures, by SOC code."""
    proj = table("projections", p)
    det = proj[(proj["vintage"] == vintage) & (proj["soc_level"] == "detailed")]
    return det[["soc_code", "title"] + OUTLOOK]


def related(soc_code: str, vintage: str | None = None, p: Paths | None = None) -> pd.DataFrame:
    """The occupation's related occupations in O*NET's order, each with its BLS title and the vintage's growth,
    openings, median wage (and top-coded flag) and entry education; NA where BLS has no such line in it."""
    v = resolve_vintage(vintage, p)
    soc = check_soc(soc_code, v, p)
    rel = rows_of("onet_related", soc, p).sort_values("related_order")
    figures = outlook(v, p).rename(columns={"soc_code": "related_soc_code"})
    out = rel.merge(figures, on="related_soc_code", how="left")
    out["title"] = out["title"].fillna(out["related_onet_title"])
    out["in_vintage"] = out["related_soc_code"].isin(figures["related_soc_code"])
    return out[["related_order", "related_soc_code", "title", "related_onet_soc_code", "related_onet_title",
                "tier", "onet_index", "in_vintage"] + OUTLOOK].reset_index(drop=True)


def json_facts(soc_code: str, vintage: str | None = None, p: Paths | None = None) -> dict:
    """What ``career-report show --json`` adds from O*NET: ``interest_code`` (None where O*NET has none),
    ``interests`` (the six RIASEC scores by name, 1-7; empty where none) and ``related`` (BLS codes of the related
    occupations in O*NET's order, those BLS publishes in ``vintage``)."""
    ints = interests(soc_code, p)
    rel = related(soc_code, vintage, p)
    return {"interest_code": ints.code,
            "interests": {r.interest: float(r.score) for r in ints.rows.itertuples()},
            "related": rel.loc[rel["in_vintage"], "related_soc_code"].tolist()}


def _json_value(column: str, v):
    """People and annual dollars as whole numbers; rates, quotients and hourly dollars as floats (14.0, not 14)."""
    hourly_pay = column.startswith("hourly_") and column.endswith("_usd")
    if hourly_pay or column.endswith(("_percent", "_1000", "_quotient")):
        return plain_float(v)
    return plain(v)


def area_json_facts(soc_code: str, area, p: Paths | None = None) -> dict:
    """What ``career-report show --json --area`` adds: ``area`` (the area :func:`places.find_area` finds, with the
    OEWS ``wage_year``) and ``area_wages``, the occupation's latest OEWS figures (:data:`AREA_FIGURES`, named as in
    ``wages``) under ``area``, ``state`` (the area's primary state; a state is its own) and ``nation``; None where
    OEWS publishes no estimate of the occupation there (everywhere for one it does not publish), and ``state`` None
    for the nation. Suppressed values are None; a top-coded value is its bound with its ``…_top_coded`` flag True.
    ``soc_code``: a code :func:`store.check_soc` accepted."""
    year = places.wage_year(None, p)
    where = places.find_area(area, p, year)
    if not places.occupation_rows(soc_code, p, year).empty:
        rows = places.area_wages(soc_code, where["area_code"], p, year).set_index("role")
    else:  # an occupation OEWS does not publish at all that year (11-1031 legislators): no figures anywhere
        rows = pd.DataFrame(index=pd.Index([], name="role"))
    same = {1: "nation", 2: "state"}.get(int(where["area_type"]))  # a state or the nation is its own state/nation
    figures = {}
    for role in places.ROLES:
        got = role if role in rows.index else ("area" if role == same and "area" in rows.index else None)
        figures[role] = None if got is None else {c: _json_value(c, rows.loc[got, c]) for c in AREA_FIGURES}
    return {"area": {**{k: plain(v) for k, v in where.items()}, "wage_year": year}, "area_wages": figures}


# --- interest matching ------------------------------------------------------------------------------------

def check_interest(code, name: str = "$interest") -> str:
    """A student's interest code, upper case: 1-3 different RIASEC letters (any case); else a ParameterError naming
    ``name`` (the CLI's ``$interest`` setting, or a notebook's parameter)."""
    text = str(code).strip().upper() if isinstance(code, str) else ""
    if not 1 <= len(text) <= 3 or set(text) - set(LETTERS) or len(set(text)) != len(text):
        raise ParameterError(f"{name} {code!r}: expected 1 to 3 different letters of RIASEC (Realistic, "
                             "Investigative, Artistic, Social, Enterprising, Conventional), e.g. CI")
    return text


def fit_tier(student: str, occupation_code: str) -> int | None:
    """1: the occupation's code starts with the student's; 2: all the student's letters are among its high points,
    in another order; 3: only the first letter is its first high point; None: no fit."""
    if occupation_code.startswith(student):
        return 1
    if set(student) <= set(occupation_code):
        return 2
    if student[0] == occupation_code[0]:
        return 3
    return None


def matches(code: str, vintage: str | None = None, tiers=TIERS, p: Paths | None = None) -> pd.DataFrame:
    """Detailed occupations of ``vintage`` whose interest code fits the student's ``code`` (:func:`fit_tier`),
    best first: by tier, then fit score (the mean of the occupation's RIASEC scores on the student's letters, two
    decimals) highest first, then SOC code. Columns: soc_code, title, interest_code, tier, fit_score and the
    vintage's growth, openings, median wage (and top-coded flag) and entry education."""
    student = check_interest(code)
    tiers = tuple(tiers)
    if not tiers or set(tiers) - set(TIERS):
        raise ParameterError(f"tiers {tiers!r}: expected some of 1, 2, 3")
    v = resolve_vintage(vintage, p)
    occ = table("onet_occupations", p).dropna(subset=["interest_code"])
    df = outlook(v, p).merge(occ[["soc_code", "interest_code"]], on="soc_code")
    df["tier"] = [fit_tier(student, c) for c in df["interest_code"]]
    df = df[df["tier"].isin(tiers)].copy()
    scores = interest_scores(p).reindex(df["soc_code"])
    df["fit_score"] = [mean2(row) for row in scores[list(student)].to_numpy()]
    df["tier"] = df["tier"].astype("int64")
    df = df.sort_values(["tier", "fit_score", "soc_code"], ascending=[True, False, True])
    return df[["soc_code", "title", "interest_code", "tier", "fit_score"] + OUTLOOK].reset_index(drop=True)
