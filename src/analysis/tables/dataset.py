"""Build ``data/processed/`` from ``data/raw/``: load, process, validate, save (atomically).

In: the sidecar-described raw snapshots, the curated facts and the reference tables. Out: Parquet
tables plus ``manifest.json`` (inputs' sha256, each table's rows and schema, the code version).
Outputs are a pure function of inputs: no timestamps, stable row order, so the same inputs give the
same bytes. The new tables are written to a sibling folder and swapped in only when all are valid,
so a failure leaves the previous ``data/processed/`` exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from analysis import __version__, codehash
from analysis.errors import DataError
from analysis.files import sha256_file
from analysis.ingest import curated, oews, onet, projections, sidecars
from analysis.ingest.reference import WORDING_FILE, read_wording
from analysis.locks import exclusive
from analysis.paths import Paths, project
from analysis.tables import measures

MANIFEST = "manifest.json"


def code_version() -> dict:
    """The package version and a hash of the code that decides the processed tables: this module and every
    module of ours it imports (so a change to any reader or measure rebuilds the data)."""
    return {"package": __version__, "sha256": codehash.fingerprint([__name__])}


def _hash_files(files: list[Path], root: Path) -> dict[str, str]:
    return {str(f.relative_to(root)): sha256_file(f) for f in sorted(files)}


def fingerprint(p: Paths) -> dict:
    """What the processed tables depend on, cheaply: sidecar checksums, curated/reference files, code."""
    inputs = {}
    for side in sorted(p.raw.rglob("*" + sidecars.SIDECAR_SUFFIX)):
        meta = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
        inputs[str(side.relative_to(p.root))[: -len(sidecars.SIDECAR_SUFFIX)]] = meta.get("sha256")
    extra = list(p.curated.glob("*.yml")) + list(p.reference.glob("*.csv"))
    inputs.update(_hash_files(extra, p.root))
    return {"inputs": inputs, "code": code_version()}


def is_stale(p: Paths | None = None) -> bool:
    """True when ``data/processed`` is missing or was built from other inputs or code."""
    p = p or project()
    man = p.processed / MANIFEST
    if not man.exists():
        return True
    try:
        built = json.loads(man.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return True
    return built.get("fingerprint") != fingerprint(p)


# --- load --------------------------------------------------------------------------------------

def load_inputs(p: Paths) -> dict:
    """Read and check every raw snapshot; returns parsed releases grouped by dataset."""
    snaps = sidecars.raw_snapshots(p.raw)
    by_dataset: dict[str, list[dict]] = {}
    for meta in snaps:
        by_dataset.setdefault(meta["dataset"], []).append(meta)
    if "bls-ep" not in by_dataset:
        raise DataError(p.raw, "no Employment Projections release (dataset bls-ep) is on hand")
    ep = [(projections.read_release(m["path"]), m) for m in by_dataset["bls-ep"]]
    vintages = [rel.vintage for rel, _ in ep]
    dupes = {v for v in vintages if vintages.count(v) > 1}
    if dupes:
        raise DataError(p.raw / "bls-ep", f"vintage(s) {', '.join(sorted(dupes))} on hand twice")
    wages = [(oews.read_oews(m["path"], wage_year=m.get("wage_year")), m) for m in by_dataset.get("bls-oews", [])]
    onet_dirs = sorted({Path(m["path"]).parent for m in by_dataset.get("onet", [])})
    return {"ep": ep, "oews": wages, "onet_dirs": onet_dirs, "snapshots": snaps}


# --- process -----------------------------------------------------------------------------------

def process(inputs: dict, p: Paths) -> dict[str, pd.DataFrame]:
    """Parsed inputs -> the processed tables, keyed by table name."""
    ep = sorted(inputs["ep"], key=lambda rm: rm[0].base_year)
    proj = pd.concat([rel.projections for rel, _ in ep], ignore_index=True)
    wording = read_wording(p.reference / WORDING_FILE)
    proj = measures.derive(proj, wording)
    seps = [rel.separations for rel, _ in ep if rel.separations is not None]
    tables = {
        "projections": proj,
        "separations": pd.concat(seps, ignore_index=True) if seps else None,
        "vintages": measures.vintages_table(ep, proj),
        "growth_wording": wording,
        "careers": curated.read_curated(p.curated),
    }
    if inputs["oews"]:
        years = [df["wage_year"].iloc[0] for df, _ in inputs["oews"]]
        if len(set(years)) != len(years):
            raise DataError(p.raw / "bls-oews", "two OEWS files for the same year")
        tables["wages"] = pd.concat([df for df, _ in inputs["oews"]], ignore_index=True)
    if inputs["onet_dirs"]:
        latest = ep[-1][0].vintage
        detailed = proj[(proj["vintage"] == latest) & (proj["soc_level"] == "detailed")]
        others = proj[(proj["soc_level"] == "detailed") & ~proj["soc_code"].isin(detailed["soc_code"])]
        bls = pd.concat([detailed, others.drop_duplicates("soc_code", keep="last")])[["soc_code", "title"]]
        tables.update(onet.build_onet_tables(inputs["onet_dirs"][-1], bls.reset_index(drop=True)))
    tables["sources"] = pd.DataFrame([
        {k: str(m.get(k, "")) for k in ("dataset", "release", "vintage", "wage_year", "format", "title",
                                         "producer", "url", "retrieved_from", "retrieved_on", "license",
                                         "sha256", "attribution")}
        | {"path": str(Path(m["path"]).relative_to(p.root))}
        for m in inputs["snapshots"]
    ])
    return {k: v for k, v in tables.items() if v is not None}


# --- validate and save -------------------------------------------------------------------------

UNIQUE_KEYS = {
    "projections": ["vintage", "soc_code"],
    "separations": ["vintage", "soc_code"],
    "vintages": ["vintage"],
    "wages": ["wage_year", "area_code", "soc_code"],
    "onet_occupations": ["soc_code"],
}


def validate(tables: dict[str, pd.DataFrame]) -> None:
    """Checks before saving: keys unique, core figures present and in range."""
    for name, keys in UNIQUE_KEYS.items():
        if name in tables and tables[name].duplicated(keys).any():
            dup = tables[name][tables[name].duplicated(keys)].iloc[0][keys].tolist()
            raise DataError(f"data/processed/{name}.parquet", f"duplicate key {dup}")
    proj = tables["projections"]
    if (proj["employment_base_people"] < 0).any():
        raise DataError("data/processed/projections.parquet", "negative employment")
    det = proj[proj["soc_level"] == "detailed"]
    if det["openings_per_year"].isna().any():
        raise DataError("data/processed/projections.parquet", "a detailed occupation lacks openings")


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    # Plain pyarrow with no pandas index, so the bytes depend on the data alone.
    df.reset_index(drop=True).to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def save(tables: dict[str, pd.DataFrame], p: Paths, snaps: list[dict]) -> dict:
    """Write the tables and manifest aside, then swap them in for ``data/processed``."""
    p.processed.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".processed-new-", dir=p.processed.parent))
    try:
        schema = {}
        for name in sorted(tables):
            out = tmp / f"{name}.parquet"
            _write_parquet(tables[name], out)
            schema[name] = {"rows": len(tables[name]),
                            "columns": {c: str(t) for c, t in tables[name].dtypes.items()},
                            "sha256": sha256_file(out)}
        manifest = {
            "inputs": [{"path": str(Path(m["path"]).relative_to(p.root)), "sha256": m["sha256"],
                        "dataset": m["dataset"], "release": m["release"]} for m in snaps],
            "tables": schema,
            "code_version": code_version(),
            "fingerprint": fingerprint(p),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        readme = p.processed / "README.md"
        if readme.exists():
            shutil.copy2(readme, tmp / "README.md")
        _swap(tmp, p.processed)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f".processed-old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _lock(p: Paths) -> exclusive:
    """One builder at a time per project (parallel test workers, cron overlapping a manual run): waits."""
    return exclusive(p.data / ".processed.lock", "data build", wait=True)


def run(p: Paths | None = None) -> dict:
    """Rebuild every processed table from ``data/raw``; returns the manifest."""
    p = p or project()
    with _lock(p):
        inputs = load_inputs(p)
        tables = process(inputs, p)
        validate(tables)
        return save(tables, p, inputs["snapshots"])


def ensure(p: Paths | None = None) -> bool:
    """Rebuild when stale; True if a rebuild happened."""
    p = p or project()
    if not is_stale(p):
        return False
    with _lock(p):
        if not is_stale(p):  # another process built it while we waited
            return False
    run(p)
    return True
