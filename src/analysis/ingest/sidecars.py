"""Raw snapshots and their sidecars.

Each file under ``data/raw/`` has a ``<file>.source.yml`` beside it recording where it came from
(producer, release, original URL, where we got it, date, license, sha256). In: a raw file path, or the raw
folder. Out: its sidecar as a dict, after checking that the file still has the recorded checksum and that the
sidecar agrees with where the file lies (``<dataset>/<vintage or wage year>/<file>``). Sidecars are read
and written by :mod:`analysis.ingest.yaml_files` (bounded size, strict UTF-8, no anchors or aliases) and held to
:data:`SCHEMA` (:mod:`analysis.ingest.shapes`: required keys, their types, the datasets we read).

Every file under ``data/raw`` is data and needs a sidecar, except the sidecars themselves, ``README.md``
files and dotfiles (our temp files, an editor's or the OS's litter): a file whose sidecar was deleted is an
error naming it, not a release silently left out of the tables.
"""

from __future__ import annotations

from pathlib import Path

from analysis.errors import DataError
from analysis.files import sha256_file
from analysis.ingest import shapes
from analysis.ingest.yaml_files import dump_yaml, load_yaml

SIDECAR_SUFFIX = ".source.yml"
REQUIRED_KEYS = ("dataset", "producer", "release", "format", "url", "retrieved_from", "retrieved_on",
                 "license", "sha256")
README = "README.md"  # a folder's documentation (data/raw/README.md), not data: it needs no sidecar
# dataset -> the sidecar field that names its sub-folder (data/raw/<dataset>/<that value>/<file>)
FOLDER_KEYS = {"bls-ep": "vintage", "bls-oews": "wage_year", "onet": "vintage"}
DASHES = str.maketrans({"\u2013": "-", "\u2014": "-"})  # "2023–33" in prose is the vintage 2023-33
TEXT = {"type": "string", "message": "must be text"}

# The shape of a sidecar (analysis.ingest.shapes), as add-release writes it and every sidecar on hand has it: the
# keys every sidecar has, the type of each key we know, the datasets we read. Keys not declared are allowed (a
# sidecar is a record; a note more does no harm). Whether it agrees with where its file lies (including the key
# that names its folder, vintage or wage_year) and with what the file says is checked in code (check_layout,
# check_content).
SCHEMA = {
    "type": "object",
    "messages": {"type": f"sidecar must be a mapping of {', '.join(REQUIRED_KEYS)}, not a {{type_name}}",
                 "required": "sidecar lacks {missing}"},
    "required": list(REQUIRED_KEYS),
    "properties": {
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "message": "must be 64 lowercase hex digits"},
        "dataset": {"type": "string", "enum": list(FOLDER_KEYS), "messages": {
            "type": "must be text", "enum": f"dataset {{value!r}} is not one we read ({', '.join(FOLDER_KEYS)})"}},
        **{key: TEXT for key in ("producer", "format", "url", "retrieved_from", "license", "title", "kind", "notes",
                                 "attribution")},
        "release": {"type": ["string", "number"], "message": "must be text"},  # an OEWS release may be its year
        "retrieved_on": {"type": ["string", "date"], "message": "must be a date (YYYY-MM-DD)"},
        "vintage": {"type": ["string", "number"], "message": "must be text (2024-34, '29.2')"},
        "wage_year": {"type": ["integer", "string"], "message": "must be a year (2025)"},
        "bytes": {"type": "integer", "minimum": 0, "message": "must be the file's size in bytes"},
    },
}


def sidecar_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def write_sidecar(path: str | Path, meta: dict) -> Path:
    """Write ``meta`` (plus the file's sha256 and size) beside ``path``; returns the sidecar's path."""
    path = Path(path)
    record = dict(meta)
    record["sha256"] = sha256_file(path)
    record["bytes"] = path.stat().st_size
    out = sidecar_path(path)
    out.write_text(dump_yaml(record), encoding="utf-8")
    return out


def read_sidecar(path: str | Path, verify: bool = True) -> dict:
    """The sidecar of raw file ``path``; with ``verify`` the file's sha256 must match it."""
    path = Path(path)
    side = sidecar_path(path)
    if not path.exists():
        raise DataError(path, "raw file is missing")
    if not side.exists():
        raise DataError(path, f"no sidecar {side.name} beside it; every raw file needs one (see data/raw/README.md)")
    meta = load_yaml(side)
    if meta is None:  # an empty file: it lacks every key
        meta = {}
    shapes.check(meta, side, SCHEMA)
    if verify:
        actual = sha256_file(path)
        if actual != meta["sha256"]:
            raise DataError(path, f"sha256 {actual[:12]}… does not match its sidecar ({meta['sha256'][:12]}…);"
                            " raw files must not be edited")
    meta["path"] = path
    return meta


def raw_files(raw_dir: str | Path) -> list[Path]:
    """Every file under ``raw_dir`` that needs a sidecar, and every file a sidecar describes (even if gone, so
    that :func:`read_sidecar` names it), in the order of their sidecars' paths (the order of the sources table).

    Not data, so skipped: sidecars, ``README.md`` files, and anything whose name or folder starts with a dot
    (``add-release``'s temp files while it runs or after it was killed, ``.DS_Store``, ``.gitkeep``).
    """
    raw_dir = Path(raw_dir)
    found = set()
    for f in raw_dir.rglob("*"):
        if any(part.startswith(".") for part in f.relative_to(raw_dir).parts) or not f.is_file():
            continue
        if f.name.endswith(SIDECAR_SUFFIX):
            found.add(f.with_name(f.name[: -len(SIDECAR_SUFFIX)]))
        elif f.name != README:
            found.add(f)
    return sorted(found, key=sidecar_path)


def check_layout(meta: dict, raw_dir: str | Path) -> None:
    """DataError naming the sidecar unless it agrees with where its file lies: ``<dataset>/<key>/<file>``
    under ``raw_dir``, ``key`` the dataset's vintage or wage year, and the release text naming that key.

    A sidecar copied from another release (its vintage or release left as they were) would otherwise label
    the data with the wrong release, in the tables and in every report's sources.
    """
    path = Path(meta["path"])
    side = sidecar_path(path)
    dataset = meta["dataset"]
    key = FOLDER_KEYS[dataset]  # one we read, with its key (SCHEMA)
    parts = path.relative_to(raw_dir).parts
    if len(parts) != 3:
        raise DataError(path, f"raw files lie in data/raw/<dataset>/<{key}>/, this one in "
                        f"data/raw/{'/'.join(parts[:-1]) or '.'}/")
    if parts[0] != dataset:
        raise DataError(side, f"dataset {dataset!r} disagrees with the file's folder {parts[0]}/", "dataset")
    if key not in meta:  # after the folder: a sidecar copied from another dataset is named as such
        raise DataError(side, f"sidecar lacks {key}")
    value = str(meta[key])
    if value != parts[1]:
        raise DataError(side, f"{key} {value!r} disagrees with the file's folder {parts[0]}/{parts[1]}/", key)
    if value.translate(DASHES) not in str(meta["release"]).translate(DASHES):
        raise DataError(side, f"release {str(meta['release'])!r} does not name its {key} {value}", "release")


def check_content(meta: dict, key: str, found, how: str) -> None:
    """DataError naming the raw file when what its content says (``found``, read ``how``) differs from what its
    sidecar records under ``key``: a file saved under another release's folder, with that release's sidecar."""
    recorded = meta.get(key)
    if str(recorded) != str(found):
        raise DataError(meta["path"], f"{how} {key} {found}, but its sidecar records {recorded}")


def raw_snapshots(raw_dir: str | Path, dataset: str | None = None, verify: bool = True) -> list[dict]:
    """Every raw file under ``raw_dir`` with its sidecar (optionally one dataset's), sorted by path.

    DataError naming the file for a raw file without a sidecar, a sidecar without its file, or a sidecar that
    disagrees with its file's folder (:func:`check_layout`).
    """
    out = []
    for path in raw_files(raw_dir):
        meta = read_sidecar(path, verify=verify)
        check_layout(meta, raw_dir)
        if dataset is None or meta["dataset"] == dataset:
            out.append(meta)
    return out
