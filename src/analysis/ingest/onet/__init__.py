"""O*NET release joined to BLS detailed occupations.

In: a folder of O*NET database files (e.g. ``data/raw/onet/29.2/``: text files, large ones ``.txt.gz``, and
Skills and Knowledge as O*NET's ``.xlsx``) and the BLS detailed occupations (``soc_code``, ``title``). Out: tidy
tables keyed on the BLS ``soc_code`` -- description, job zone and interest code, tasks, job titles, technology,
tools, detailed work activities, required education, interests, ratings (skills, knowledge, work styles, work
values), related occupations -- plus the reference tables (Job Zones, the six interest types, level anchors).
An O*NET-SOC code's first 7 characters are its SOC code (checked against O*NET's crosswalk); BLS lines that
combine several SOC/O*NET occupations are joined through ``data/reference/onet_aggregates.csv`` or their
SOC broad group. Join rules and caveats: docs/assumptions.md, "O*NET joins".
"""

from __future__ import annotations

import pandas as pd

from analysis.ingest.onet.content import (
    activities,
    describe,
    education,
    job_zone_reference,
    task_rating,
    tasks,
    technology,
    titles,
    tools,
)
from analysis.ingest.onet.files import (
    ATTRIBUTION,
    COLUMNS,
    DEFAULT_RELEASE,
    FILES,
    attribution,
    check_crosswalk,
    detect,
    folder_of,
    read_release,
    read_table,
)
from analysis.ingest.onet.match import MATCHERS, MatchContext, check_bls, modal_zone, read_aggregates
from analysis.ingest.onet.ratings import (
    interest_codes,
    interest_types,
    interests,
    level_anchors,
    ratings,
    scale_ranges,
)
from analysis.ingest.onet.related import related


def build_onet_tables(folder, bls_occupations: pd.DataFrame, *, aggregates=None) -> dict[str, pd.DataFrame]:
    """O*NET content for each BLS detailed occupation.

    In: ``folder`` holding an O*NET text release (or a file inside it); ``bls_occupations`` with columns
    ``soc_code`` ('NN-NNNN') and ``title``; ``aggregates``, the BLS-aggregate mapping CSV (default
    ``data/reference/onet_aggregates.csv``). Out: a dict of DataFrames — onet_occupations (one row per BLS
    code, unmatched ones included with match_rule 'none'), onet_tasks, onet_titles, onet_technology,
    onet_education, onet_interests, onet_ratings (keyed on soc_code + onet_soc_code), onet_tools,
    onet_activities, onet_related (one row per soc_code and item), and the references onet_job_zones (5 rows),
    onet_interest_types (6) and onet_level_anchors.
    Raises DataError naming the file (and column) when an input is missing or malformed.
    """
    folder = folder_of(folder)
    release = read_release(folder)
    raw = {key: read_table(folder, key) for key in FILES}
    occ = raw["occupations"]
    check_crosswalk(folder, occ)
    bls = check_bls(bls_occupations)

    by_soc: dict[str, list[str]] = {}
    for code in sorted(occ["O*NET-SOC Code"]):
        by_soc.setdefault(code[:7], []).append(code)
    ctx = MatchContext(by_soc, read_aggregates(aggregates, set(occ["O*NET-SOC Code"])),
                   frozenset(bls["soc_code"]))

    title = dict(zip(occ["O*NET-SOC Code"], occ["Title"], strict=True))
    description = dict(zip(occ["O*NET-SOC Code"], occ["Description"], strict=True))
    jz = raw["job_zones"]
    zone_of = dict(zip(jz["O*NET-SOC Code"], jz["Job Zone"].astype(int), strict=True))
    ref = job_zone_reference(raw["job_zone_reference"])
    ref_by_zone = ref.set_index("job_zone")
    tasks_by_code = raw["tasks"].groupby("O*NET-SOC Code")["Task Type"].agg(set).to_dict()

    rows, links = [], []
    for soc in bls["soc_code"]:
        rule, match = next(((r, m) for r, fn in MATCHERS if (m := fn(soc, ctx))), ("none", None))
        row = {"soc_code": soc, "match_rule": rule}
        if match is not None:
            links += [{"soc_code": soc, "onet_soc_code": c, "is_primary": c in match.primary}
                      for c in match.codes]
            zone = modal_zone([zone_of[c] for c in match.primary if c in zone_of]) or \
                modal_zone([zone_of[c] for c in match.codes if c in zone_of])
            types = set().union(*(tasks_by_code.get(c, set()) for c in match.codes))
            row.update(onet_soc_codes="; ".join(match.codes), match_note=match.note,
                       onet_title="; ".join(title[c] for c in match.primary),
                       description=describe(rule, match, title, description), job_zone=zone,
                       has_tasks=bool(types), task_rating=task_rating(types))
            if zone is not None:
                z = ref_by_zone.loc[zone]
                row.update(job_zone_name=z["name"], job_zone_education=z["education"],
                           job_zone_experience=z["experience"], job_zone_training=z["job_training"])
        else:
            row.update(has_tasks=False, task_rating="none")
        rows.append(row)

    occupations = pd.DataFrame(rows, columns=COLUMNS["onet_occupations"])
    occupations["job_zone"] = occupations["job_zone"].astype("Int64")
    occupations["has_tasks"] = occupations["has_tasks"].astype(bool)
    occupations["onet_release"] = release
    link = pd.DataFrame(links, columns=["soc_code", "onet_soc_code", "is_primary"])
    link["is_primary"] = link["is_primary"].astype(bool)

    ranges = scale_ranges(raw["scales"], folder)
    onet_interests, letters = interests(raw["interests"], raw["content_model"], link, folder, ranges)
    codes = interest_codes(occupations.set_index("soc_code")["match_rule"], link, letters)
    for column in ("interest_code", "interest_code_rule", "interest_onet_soc_codes"):
        occupations[column] = occupations["soc_code"].map(codes[column])

    tables = {
        "onet_occupations": occupations,
        "onet_tasks": tasks(raw["tasks"], link, title),
        "onet_titles": titles(raw["reported_titles"], raw["alternate_titles"], link),
        "onet_technology": technology(raw["technology"], link),
        "onet_education": education(raw["education"], raw["education_categories"], link, folder),
        "onet_interests": onet_interests,
        "onet_ratings": ratings(raw, link, folder, ranges),
        "onet_tools": tools(raw["tools"], link),
        "onet_activities": activities(raw["tasks_to_dwas"], raw["dwa_reference"], raw["iwa_reference"], link,
                                      folder),
        "onet_related": related(raw["related"], link, title, folder),
    }
    for name, table in tables.items():
        if name != "onet_occupations":
            table["onet_release"] = release
        tables[name] = table[COLUMNS[name]].reset_index(drop=True)
    tables["onet_job_zones"] = ref
    tables["onet_interest_types"] = interest_types(raw["content_model"], folder)
    tables["onet_level_anchors"] = level_anchors(raw["level_anchors"], folder, ranges)
    return tables


__all__ = ["ATTRIBUTION", "COLUMNS", "DEFAULT_RELEASE", "attribution", "build_onet_tables", "detect", "read_release"]
