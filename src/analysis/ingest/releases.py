"""Adding a new BLS release: detect its format and vintage from its content, snapshot it, rebuild.

In: a path to a file as BLS publishes it (EP workbook or data-tool CSV, OEWS CSV/CSV.gz/xlsx of any kind:
national and state, metropolitan, by industry) and the rebuild to run once it is stored (the caller's: the
processed-table build sits in a layer above this one). Out: the file under ``data/raw/<dataset>/<vintage>/``
with its sidecar (for OEWS, beside the other files of its year, its kind recorded), and rebuilt processed tables.
A file that can't be read is never kept in ``data/raw``; a failed rebuild removes it again.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import DataError
from analysis.files import aside, remove_stale_temp_files, sha256_file
from analysis.ingest import oews, projections, sidecars
from analysis.ingest.oews.fields import missing_required
from analysis.ingest.oews.load import peek_headers
from analysis.ingest.projections.cells import sniff
from analysis.paths import Paths, project


@dataclass(frozen=True)
class Format:
    dataset: str
    detect: Callable[[Path], dict | None]
    read: Callable[[Path], object]
    folder_key: str          # which detected field names the sub-folder
    producer: str
    license: str = "Public domain (U.S. Government work)"


BLS_EP = "U.S. Bureau of Labor Statistics, Employment Projections program"
BLS_OEWS = "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics program"
# Order matters only for speed: every detector reads headers alone.
FORMATS: dict[str, Format] = {
    "ep-workbook": Format("bls-ep", projections.detect, projections.read_release, "vintage", BLS_EP),
    "ep-csv": Format("bls-ep", projections.detect, projections.read_release, "vintage", BLS_EP),
    "oews": Format("bls-oews", oews.detect, oews.read_oews, "wage_year", BLS_OEWS),
}
DEFAULT_URLS = {
    "ep-workbook": "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
    "ep-csv": "https://data.bls.gov/projections/occupationProj",
    "oews": "https://www.bls.gov/oes/tables.htm",
}


def detect(path: Path, content: bool = True) -> dict:
    """The detected format fields of ``path`` (format, vintage or wage_year); DataError if none fits.

    An OEWS file's ``kind`` too (``national-state``, ``metro``, ``national-industry``: :func:`oews.kind`), read
    from its rows, which means reading the whole file: with ``content`` False only the headers are read and the
    kind is left out (the caller reads the file anyway). A file whose name gives no wage year has no kind
    either: it cannot be read without one.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "no such file")
    if path.stat().st_size == 0:
        raise DataError(path, "file is empty")
    for detector in dict.fromkeys(f.detect for f in FORMATS.values()):
        found = detector(path)
        if found:
            if content and found["format"] == "oews" and found["wage_year"] is not None:
                found["kind"] = oews.kind(oews.read_oews(path))
            return found
    raise _why_unreadable(path)


def _why_unreadable(path: Path) -> DataError:
    """The most specific reason no format accepts ``path`` (the detectors only say yes or no)."""
    generic = DataError(path, "not a BLS release we can read (expected an Employment Projections occupation.xlsx "
                        "or data-tool CSV, or an OEWS download in CSV, CSV.gz or xlsx)")
    try:
        kind = sniff(path)  # an HTML page, an .xlsx that is no zip, a binary file
    except DataError as err:
        return err
    try:
        headers = peek_headers(path) or []
    except (DataError, OSError, EOFError, ValueError, KeyError, zlib.error):
        headers = []
    if "OCC_CODE" in headers:  # an OEWS file whose other headers don't fit: name the missing ones
        missing = ", ".join(missing_required(headers))
        return DataError(path, f"OEWS file lacks required column(s) {missing}", "header row")
    if kind == "zip" or "OCCUPATION CODE" in headers:  # a damaged or unfamiliar EP workbook or CSV
        try:
            projections.read_release(path)
        except DataError as err:
            return err
    return generic


def add_release(path: str | Path, p: Paths | None = None, url: str | None = None,
                retrieved_from: str | None = None, rebuild: Callable[[Paths], object] | None = None) -> Path:
    """Snapshot ``path`` into ``data/raw`` with a sidecar, then run ``rebuild(p)`` (e.g. the processed-table
    build); returns the stored path. If the rebuild fails, the snapshot is removed again."""
    p = p or project()
    src = Path(path)
    found = detect(src, content=False)
    fmt = FORMATS[found["format"]]
    parsed = fmt.read(src)  # full parse and validation before anything is written
    if found["format"] == "oews":  # what its rows are, recorded beside the others of its year
        found["kind"] = oews.kind(parsed)
    dest = p.raw / fmt.dataset / str(found[fmt.folder_key]) / src.name
    if dest.exists():
        if sha256_file(dest) == sha256_file(src):
            return dest
        raise DataError(dest, "a different file of the same release is already on hand; remove it first")
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(dest.parent)  # what a killed add-release left (ours by name, its process gone)
    tmp = aside(dest)
    created = [dest, sidecars.sidecar_path(dest)]
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)
        meta = {
            "dataset": fmt.dataset, "producer": fmt.producer, "title": src.name,
            "release": found.get("release") or f"{found[fmt.folder_key]}",
            "format": found["format"], fmt.folder_key: found[fmt.folder_key],
            **({"kind": found["kind"]} if "kind" in found else {}),
            "url": url or DEFAULT_URLS[found["format"]],
            "retrieved_from": retrieved_from or f"added with `career-report add-release` from {src.name}",
            "retrieved_on": dt.date.today().isoformat(), "license": fmt.license,
        }
        sidecars.write_sidecar(dest, meta)
        if rebuild is not None:
            rebuild(p)
    except BaseException:
        tmp.unlink(missing_ok=True)
        for f in created:
            f.unlink(missing_ok=True)
        if dest.parent.exists() and not any(dest.parent.iterdir()):
            dest.parent.rmdir()
        raise
    return dest
