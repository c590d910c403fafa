"""Build ``data/processed/`` from ``data/raw/``: load, process, validate, save (atomically).

In: the sidecar-described raw snapshots, the curated facts and the reference tables. Out: Parquet
tables plus ``manifest.json`` (inputs' sha256, each table's rows and schema, the code version).
Outputs are a pure function of inputs: no timestamps, stable row order, so the same inputs give the
same bytes. The new tables are written to a sibling folder and swapped in only when all are valid,
so a failure leaves the previous ``data/processed/`` exactly as it was; a build that was killed leaves
``data/.processed-new-*`` (or ``-old-*``) folders, which the next build removes while it holds the lock.
A table the build always fills is never saved empty (:data:`MUST_HAVE_ROWS`), and the folder is made with the
permissions ``mkdir`` gives (0o777 less the umask), not ``mkdtemp``'s owner-only 0o700.

Staleness (:func:`stale_reason`, :func:`is_stale`) is cheap: the manifest's fingerprint of the inputs and
code against the current one, and each table's sha256 against the manifest (the folder is a few MB), so a
deleted or damaged table is rebuilt by the next command (:func:`rebuild_if_stale` says why it rebuilt).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path

import pandas as pd

from analysis import __version__, codehash
from analysis.errors import DataError
from analysis.files import read_state, sha256_file
from analysis.ingest import curated, oews, onet, projections, sidecars
from analysis.ingest.onet.files import AGGREGATES_COLUMNS, AGGREGATES_FILE
from analysis.ingest.reference import WORDING_FILE, read_rows, read_wording
from analysis.ingest.yaml_files import load_yaml
from analysis.locks import exclusive
from analysis.paths import Paths, project
from analysis.soc import soc_level
from analysis.tables import digests, measures, schema
from analysis.tables.schema import table_path
from analysis.tables.wages import held_back, wage_tables

MANIFEST = "manifest.json"
DIGESTS = "row_digests"  # the tables' row digests (tables/digests.py), saved beside them
# Folders a build makes beside data/processed (save, _swap); left behind only when a build is killed.
LEFTOVER_PREFIXES = (".processed-new-", ".processed-old-")
TABLE_NAME_RE = re.compile(r"^[a-z0-9_]+$")  # a manifest naming anything else is not ours


def code_version() -> dict:
    """The package version and a hash of the code that decides the processed tables: this module and every
    module of ours it imports (so a change to any reader or measure rebuilds the data)."""
    return {"package": __version__, "sha256": codehash.fingerprint([__name__])}


def _hash_files(files: list[Path], root: Path) -> dict[str, str]:
    return {str(f.relative_to(root)): sha256_file(f) for f in sorted(files)}


def fingerprint(p: Paths) -> dict:
    """What the processed tables depend on, cheaply: sidecar checksums, curated/reference files, code.

    Every raw file is an input, with or without a sidecar: a file added without one (or whose sidecar was
    deleted) makes the tables stale, and the build then stops naming it, rather than leaving it out quietly.
    """
    inputs = {}
    for path in sidecars.raw_files(p.raw):
        side = sidecars.sidecar_path(path)
        meta = load_yaml(side) if side.is_file() else None  # bounded: a hostile sidecar cannot hang us here
        recorded = meta.get("sha256") if isinstance(meta, dict) else None  # a bad one fails in the build
        inputs[str(path.relative_to(p.root))] = recorded
    extra = list(p.curated.glob("*.yml")) + list(p.reference.glob("*.csv"))
    inputs.update(_hash_files(extra, p.root))
    return {"inputs": inputs, "code": code_version()}


def _shown(path: Path, p: Paths) -> str:
    return str(path.relative_to(p.root))


def _what_changed(built, now: dict) -> str | None:
    """The first difference between the manifest's fingerprint and the current one, as one line."""
    if not isinstance(built, dict) or not isinstance(built.get("inputs"), dict):
        return f"{MANIFEST} records no fingerprint"
    old, new = built["inputs"], now["inputs"]
    for key in sorted(set(old) | set(new)):
        if key not in old:
            return f"{key}: new since the last build"
        if key not in new:
            return f"{key}: gone since the last build"
        if old[key] != new[key]:
            return f"{key}: changed since the last build"
    if built.get("code") != now["code"]:
        return "the code that builds data/processed changed since the last build"
    return None


def _check_tables(built: dict, p: Paths) -> str | None:
    """A table of the manifest that is missing or whose bytes are not the ones it records, as one line."""
    man = p.processed / MANIFEST
    tables = built.get("tables")
    if not isinstance(tables, dict) or not tables:
        return f"{_shown(man, p)}: lists no tables"
    for name, info in sorted(tables.items()):
        if not TABLE_NAME_RE.match(str(name)):
            return f"{_shown(man, p)}: lists an unexpected table {str(name)[:40]!r}"
        path = p.processed / f"{name}.parquet"
        if path.is_symlink():  # a link (to /dev/zero, say) is not a table we wrote, and would be read without end
            return f"{_shown(path, p)}: a symbolic link, not the table {MANIFEST} lists"
        if not path.is_file():
            return f"{_shown(path, p)}: missing (listed in {MANIFEST})"
        recorded = info.get("sha256") if isinstance(info, dict) else None
        if sha256_file(path) != recorded:
            return f"{_shown(path, p)}: checksum differs from {MANIFEST}"
    return None


def stale_reason(p: Paths | None = None) -> str | None:
    """Why ``data/processed`` must be rebuilt, as one line naming the file or input; None when it is current.

    Stale: no manifest or an unreadable one, inputs or code other than those it was built from, a table the
    manifest lists that is missing or whose sha256 differs. Reads the sidecars, hand-kept files and tables,
    never the raw files themselves.
    """
    p = p or project()
    man = p.processed / MANIFEST
    if not man.exists():
        return f"{_shown(p.processed, p)}: not built yet (no {MANIFEST})"
    try:
        built = read_state(man, dict)  # not through a link, capped, depth-limited
    except DataError as exc:
        return f"{_shown(man, p)}: unreadable ({exc.problem})"
    except OSError as exc:
        return f"{_shown(man, p)}: unreadable ({type(exc).__name__})"
    return _what_changed(built.get("fingerprint"), fingerprint(p)) or _check_tables(built, p)


def is_stale(p: Paths | None = None) -> bool:
    """True when ``data/processed`` must be rebuilt (:func:`stale_reason` says why)."""
    return stale_reason(p) is not None


# --- load --------------------------------------------------------------------------------------

def load_inputs(p: Paths) -> dict:
    """Read and check every raw snapshot and hand-kept file; returns them parsed, releases grouped by dataset."""
    snaps = sidecars.raw_snapshots(p.raw)
    # The small hand-kept files before the releases: an analyst's typo fails in a second, not after the parse.
    wording = read_wording(p.reference / WORDING_FILE)
    careers = curated.read_curated(p.curated)
    if (p.reference / AGGREGATES_FILE).is_file():  # its form now; its codes once O*NET is read (process)
        read_rows(p.reference / AGGREGATES_FILE, AGGREGATES_COLUMNS)
    by_dataset: dict[str, list[dict]] = {}
    for meta in snaps:
        by_dataset.setdefault(meta["dataset"], []).append(meta)
    if "bls-ep" not in by_dataset:
        raise DataError(p.raw, "no Employment Projections release (dataset bls-ep) is on hand")
    ep = [(projections.read_release(m["path"]), m) for m in by_dataset["bls-ep"]]
    for rel, m in ep:  # the sidecar agrees with the folder (raw_snapshots); the file's own words must agree too
        sidecars.check_content(m, "vintage", rel.vintage, "its title and headers give")
        sidecars.check_content(m, "format", rel.format, "its content is")
    vintages = [rel.vintage for rel, _ in ep]
    dupes = {v for v in vintages if vintages.count(v) > 1}
    if dupes:
        raise DataError(p.raw / "bls-ep", f"vintage(s) {', '.join(sorted(dupes))} on hand twice")
    curated.check_codes(careers, {rel.vintage: _detailed_codes(rel.projections) for rel, _ in ep}, p.curated)
    for m in by_dataset.get("bls-oews", []):
        named = oews.year_from_name(Path(m["path"]))  # BLS's name is the only place the file states its year
        if named is not None:
            sidecars.check_content(m, "wage_year", named, "its name gives")
    wages = [(oews.read_oews(m["path"], wage_year=m.get("wage_year")), m) for m in by_dataset.get("bls-oews", [])]
    for df, m in wages:  # add-release records what the rows are (national-state, metro, national-industry)
        if "kind" in m:
            sidecars.check_content(m, "kind", oews.kind(df), "its rows give")
    wages, held = held_back(wages, p.root)  # a partial year never hides the kinds it lacks
    onet_dirs = sorted({Path(m["path"]).parent for m in by_dataset.get("onet", [])})
    for folder in onet_dirs:
        release = onet.read_release(folder)
        for m in by_dataset["onet"]:
            if Path(m["path"]).parent == folder:
                sidecars.check_content(m, "vintage", release, "its folder's Read Me.txt gives")
    return {"ep": ep, "oews": wages, "held": held, "onet_dirs": onet_dirs, "snapshots": snaps, "wording": wording,
            "careers": careers}


def _detailed_codes(projections_frame: pd.DataFrame) -> set[str]:
    """The release's detailed occupations: the SOC codes a report can be about."""
    return {code for code, kind in zip(projections_frame["soc_code"], projections_frame["occupation_type"],
                                       strict=True) if soc_level(code, kind) == "detailed"}


# --- process -----------------------------------------------------------------------------------

def process(inputs: dict, p: Paths) -> dict[str, pd.DataFrame]:
    """Parsed inputs -> the processed tables, keyed by table name."""
    ep = sorted(inputs["ep"], key=lambda rm: rm[0].base_year)
    proj = pd.concat([rel.projections for rel, _ in ep], ignore_index=True)
    wording = inputs["wording"]
    proj = measures.derive(proj, wording)
    seps = [rel.separations for rel, _ in ep if rel.separations is not None]
    tables = {
        "projections": proj,
        "separations": pd.concat(seps, ignore_index=True) if seps else None,
        "vintages": measures.vintages_table(ep, proj),
        "growth_wording": wording,
        "careers": inputs["careers"],
    }
    if inputs["oews"]:  # several files a year (national and state, metropolitan, by industry), no estimate twice
        tables.update(wage_tables(inputs["oews"]))
    if inputs["onet_dirs"]:
        latest = ep[-1][0].vintage
        detailed = proj[(proj["vintage"] == latest) & (proj["soc_level"] == "detailed")]
        others = proj[(proj["soc_level"] == "detailed") & ~proj["soc_code"].isin(detailed["soc_code"])]
        bls = pd.concat([detailed, others.drop_duplicates("soc_code", keep="last")])[["soc_code", "title"]]
        tables.update(onet.build_onet_tables(inputs["onet_dirs"][-1], bls.reset_index(drop=True),
                                             aggregates=p.reference / AGGREGATES_FILE))
    tables["sources"] = pd.DataFrame([
        {k: str(m.get(k, "")) for k in ("dataset", "release", "vintage", "wage_year", "format", "title",
                                         "producer", "url", "retrieved_from", "retrieved_on", "license",
                                         "sha256", "attribution")}
        | {"path": str(Path(m["path"]).relative_to(p.root))}
        for m in inputs["snapshots"]
    ])
    return {k: v for k, v in tables.items() if v is not None}


# --- validate and save -------------------------------------------------------------------------

# Every table's columns, dtypes, key and whether it may be empty are declared in analysis.tables.schema. Tables a
# build always fills (the others may be empty, and are fingerprinted as such: careers when data/curated holds no
# files, O*NET's content tables for the occupations O*NET describes) are never saved empty: with no rows an input
# was misread (every reader refuses an empty file, so this is a bug or a new way to fail), and reports would fail
# far from the cause.
MUST_HAVE_ROWS = tuple(name for name, spec in schema.TABLES.items() if not spec.may_be_empty)


def validate(tables: dict[str, pd.DataFrame]) -> None:
    """Checks before saving: each table as its spec declares it (:func:`analysis.tables.schema.check`: columns,
    dtypes, rows where it must have them, keys unique), every vintage has its occupations, core figures present and
    in range."""
    for name in sorted(tables, key=_spec_order):
        schema.check(name, tables[name])
    proj = tables["projections"]
    listed = set(tables["vintages"]["vintage"])
    with_rows = set(proj.loc[proj["soc_level"] == "detailed", "vintage"])
    for vintage in sorted(listed - with_rows):  # measures.vintages_table and store.vintages would offer it
        raise DataError(table_path("projections"), f"no detailed occupations for vintage {vintage} "
                        "(listed in vintages)")
    for vintage in sorted(set(proj["vintage"]) - listed):
        raise DataError(table_path("vintages"), f"does not list vintage {vintage}, which has projections rows")
    if (proj["employment_base_people"] < 0).any():
        raise DataError(table_path("projections"), "negative employment")
    det = proj[proj["soc_level"] == "detailed"]
    if det["openings_per_year"].isna().any():
        raise DataError(table_path("projections"), "a detailed occupation lacks openings")


def _spec_order(name: str) -> int:
    """A table's place in the spec (undeclared ones last, so the check names them)."""
    return list(schema.TABLES).index(name) if name in schema.TABLES else len(schema.TABLES)


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    # Plain pyarrow with no pandas index, so the bytes depend on the data alone.
    df.reset_index(drop=True).to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def save(tables: dict[str, pd.DataFrame], p: Paths, snaps: list[dict], held: list[str] = ()) -> dict:
    """Write the tables and manifest aside, then swap them in for ``data/processed``; ``held`` (the lines
    saying which partial OEWS years were held back) goes into the manifest, for :func:`held_lines`."""
    p.processed.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_folder(p.processed.parent)
    try:
        shapes = {}
        for name in sorted(tables):
            _write_parquet(tables[name], tmp / f"{name}.parquet")
        # Digested as read back, which is what a catalogue build compares against (dtypes as Parquet gives them).
        tables = tables | {DIGESTS: digests.row_digests({n: pd.read_parquet(tmp / f"{n}.parquet") for n in tables})}
        schema.check(DIGESTS, tables[DIGESTS])
        _write_parquet(tables[DIGESTS], tmp / f"{DIGESTS}.parquet")
        for name in sorted(tables):
            shapes[name] = {"rows": len(tables[name]),
                            "columns": {c: str(t) for c, t in tables[name].dtypes.items()},
                            "sha256": sha256_file(tmp / f"{name}.parquet")}
        manifest = {
            "inputs": [{"path": str(Path(m["path"]).relative_to(p.root)), "sha256": m["sha256"],
                        "dataset": m["dataset"], "release": m["release"]} for m in snaps],
            "tables": shapes,
            "code_version": code_version(),
            "fingerprint": fingerprint(p),
            "held": list(held),
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


def _new_folder(parent: Path) -> Path:
    """A new, uniquely named ``.processed-new-*`` folder in ``parent``, made as ``mkdir`` makes folders: mode
    0o777 less the umask (0o755 usually), default ACLs honoured.

    Not ``tempfile.mkdtemp``: its 0o700 would become ``data/processed``'s mode once swapped in, so another
    account (a notebook server, a shared catalogue build) could no longer read the tables. The kernel applies
    the umask here, so it is never read or changed (``os.umask`` sets it process-wide, racing other threads).
    """
    while True:
        path = parent / f"{LEFTOVER_PREFIXES[0]}{secrets.token_hex(6)}"
        try:
            path.mkdir(mode=0o777)
        except FileExistsError:  # another build drew the same name (2**-48): draw again
            continue
        return path


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f".processed-old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _lock(p: Paths) -> exclusive:
    """One builder at a time per project (parallel test workers, cron overlapping a manual run): waits."""
    return exclusive(p.data / ".processed.lock", "data build", wait=True)


def _clear_leftovers(p: Paths) -> None:
    """Remove the folders a killed build left beside ``data/processed``; call only while holding the lock.

    They are ours by name, and under the lock no other build is writing them. A build killed between the two
    renames of :func:`_swap` leaves no ``data/processed`` at all: the previous one is moved back first, so
    what was built (and its README) is not lost when this build fails.
    """
    leftovers = [d for prefix in LEFTOVER_PREFIXES for d in p.processed.parent.glob(prefix + "*") if d.is_dir()]
    olds = sorted((d for d in leftovers if d.name.startswith(LEFTOVER_PREFIXES[1])), key=lambda d: d.stat().st_mtime)
    if olds and not p.processed.exists():
        os.rename(olds[-1], p.processed)
        leftovers.remove(olds[-1])
    for d in leftovers:
        shutil.rmtree(d, ignore_errors=True)


def _build(p: Paths) -> dict:
    """Load, process, validate, save; the caller holds the data lock."""
    _clear_leftovers(p)
    inputs = load_inputs(p)
    tables = process(inputs, p)
    validate(tables)
    return save(tables, p, inputs["snapshots"], inputs["held"])


def held_lines(manifest: dict) -> list[str]:
    """The lines of a build's ``manifest`` (as :func:`run` returns it) saying which partial OEWS years it held
    back (:func:`analysis.tables.wages.held_back`); one per year, to show the operator."""
    held = manifest.get("held") if isinstance(manifest, dict) else None
    return [str(line) for line in held] if isinstance(held, list) else []


def run(p: Paths | None = None) -> dict:
    """Rebuild every processed table from ``data/raw``; returns the manifest."""
    p = p or project()
    with _lock(p):
        return _build(p)


def rebuild_if_stale(p: Paths | None = None) -> str | None:
    """Rebuild when stale; returns why, as one line to show (e.g. "data/processed/wages.parquet: checksum
    differs from manifest.json; rebuilt from data/raw"), or None when the tables were current."""
    p = p or project()
    if not is_stale(p):
        return None
    with _lock(p):
        reason = stale_reason(p)  # again: another process may have built it while we waited
        if reason is None:
            return None
        manifest = _build(p)  # under the same lock, so no other build slips in between the check and the build
    # A partial OEWS year held back is said each time the tables are rebuilt, on a line of its own.
    return "\n".join([f"{reason}; rebuilt from data/raw", *held_lines(manifest)])


def ensure(p: Paths | None = None) -> bool:
    """Rebuild when stale; True if a rebuild happened (:func:`rebuild_if_stale` also says why)."""
    return rebuild_if_stale(p) is not None
