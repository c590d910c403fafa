"""Fetch from BLS: download the configured release files, add each new one through
:func:`analysis.ingest.releases.add_release` (as ``career-report add-release`` does), rebuild the data.

Downloads go to a temporary folder under ``data/.incoming/`` (never ``data/raw``) that is removed whatever
happens, and what a killed fetch left there is removed by the next one; ``data/raw`` and ``data/processed``
change only when a release is added. One fetch runs at a time per project (``data/.fetch.lock``). Faults are
collected per file in the :class:`Result`, each one line naming the URL.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import CareerOutlookError, ContentError, DataError, FetchError, ParameterError
from analysis.files import remove_stale_temp_files, sha256_file
from analysis.ingest import releases, sidecars
from analysis.locks import exclusive
from analysis.paths import Paths, project
from analysis.refresh.config import SOURCES, Config, load_config
from analysis.refresh.http import Client
from analysis.refresh.state import conditional, read_state, write_state
from analysis.refresh.unpack import combine_oews, content_error, looks_like_html, unpack
from analysis.tables.dataset import held_lines
from analysis.tables.dataset import run as rebuild_data

log = logging.getLogger(__name__)

INCOMING = ".incoming"             # under data/: downloads wait here (in a temp folder) until checked
LOCK = ".fetch.lock"               # under data/
TEMP_PREFIX = "fetch-"             # a fetch's temp folder under data/.incoming/: fetch-<random>


@dataclass
class Outcome:
    """What happened to one release file: 'not-modified', 'unchanged', 'on-hand' or 'added'."""

    urls: list[str]
    status: str
    message: str
    dataset: str | None = None
    key: str | None = None           # vintage (EP) or wage year (OEWS)
    stored: Path | None = None


@dataclass
class Result:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[CareerOutlookError] = field(default_factory=list)

    @property
    def added(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "added"]

    @property
    def exit_code(self) -> int:
        return max((e.exit_code for e in self.errors), default=0)


class Fetcher:
    def __init__(self, p: Paths, cfg: Config, client: Client | None = None):
        self.p, self.cfg = p, cfg
        self.client = client or Client(cfg)
        self.built: dict | None = None  # the manifest of this fetch's last data rebuild
        try:
            self.state = read_state(p)
        except DataError as err:  # rewritten whole by this fetch; until then it is no guide to what is on hand
            log.warning(f"{err}; ignored: every file is downloaded in full this time")
            self.state = {}

    def run(self, which: tuple[str, ...] = SOURCES) -> Result:
        """Fetch the sources in ``which``; the caller holds the fetch lock (:func:`fetch` does)."""
        result = Result()
        incoming = self.p.data / INCOMING
        left = clear_leftovers(self.p)
        if left:
            log.info(f"{'cleaned':<12} what an interrupted fetch left: "
                     f"{', '.join(str(f.relative_to(self.p.root)) for f in left)}")
        incoming.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=incoming))
        try:
            groups = []
            if "ep" in which:
                groups += [("ep", [u]) for u in self.cfg.ep_urls]
            if "oews" in which and self.cfg.oews_urls:
                groups.append(("oews", list(self.cfg.oews_urls)))
            for i, (kind, urls) in enumerate(groups):
                try:
                    outcomes = self._group(kind, urls, tmp / str(i))
                except (FetchError, ContentError) as err:
                    result.errors.append(err)
                    continue
                for o in outcomes:
                    result.outcomes.append(o)
                    log.info(f"{o.status:<12} {o.message}")
            # A partial OEWS year stays held until its other kinds arrive: said once, after the last rebuild.
            for line in held_lines(self.built or {}):
                log.info(f"{'held':<12} {line}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            with contextlib.suppress(OSError):  # not empty: another fetch is running
                incoming.rmdir()
        return result

    def _group(self, kind: str, urls: list[str], folder: Path) -> list[Outcome]:
        entries = {u: self.state.get(u) for u in urls}
        downloads = {u: self.client.get(u, folder / str(j), conditional(self.p, entries[u]))
                     for j, u in enumerate(urls)}
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        if all(d.path is None for d in downloads.values()):
            for u in urls:
                self.state[u] = {**(entries[u] or {}), "checked_on": now}
            write_state(self.p, self.state)
            return [Outcome(urls, "not-modified", f"{' '.join(urls)}: not modified since the last fetch")]
        for j, u in enumerate(urls):  # one changed: the others are needed in full to combine them
            if downloads[u].path is None:
                downloads[u] = self.client.get(u, folder / str(j), {})
        # The same bytes as last time, and the raw file they gave is still on hand: nothing to do.
        if all(entries[u] and entries[u].get("sha256") == d.sha256 and conditional(self.p, entries[u])
               for u, d in downloads.items()):
            out = [Outcome(urls, "unchanged", f"{' '.join(urls)}: same content as the last fetch "
                           f"({entries[urls[0]]['raw_path']})")]
            self._remember(downloads, entries[urls[0]]["raw_path"], now)
            return out
        files = []
        for u, d in downloads.items():
            if looks_like_html(d.path):
                raise ContentError(f"{u}: served an HTML page (HTTP 200) instead of a data file; "
                                   "BLS sends one when it blocks a client or the file has moved")
            files += [(u, path) for path in unpack(u, d.path, self.cfg.max_unpacked_bytes)]
        if kind == "oews" and len(files) > 1:
            return self._oews(files, downloads, folder, now)
        return [self._one([u], path, downloads, now) for u, path in files]

    def _oews(self, files, downloads, folder: Path, now: str) -> list[Outcome]:
        """OEWS files -> one stored file per year and kind: the files of one year and kind (the nation and the
        states; MSAs and nonmetropolitan areas; the industry levels) combined, unless that kind is on hand."""
        groups: dict[tuple[int, str], list[tuple[str, Path]]] = {}
        for u, path in files:
            found = self._detect(u, path)
            if found["format"] != "oews":
                raise ContentError(f"{u}: is an Employment Projections file ({found.get('vintage')}), "
                                   "not an OEWS download")
            groups.setdefault((found["wage_year"], found["kind"]), []).append((u, path))
        out = []
        for (year, kind), members in sorted(groups.items()):
            urls = list(dict.fromkeys(u for u, _ in members))
            if len(members) == 1 or self._on_hand("bls-oews", year, kind):
                out += [self._one([u], path, downloads, now) for u, path in members]
                continue
            combined = combine_oews(members, year, kind, folder / "combined")
            out.append(self._one(urls, combined, downloads, now, parts=len(members)))
        return out

    def _detect(self, url: str, path: Path) -> dict:
        try:
            found = releases.detect(path)
        except DataError as err:
            raise content_error(url, err, path) from None
        fmt = releases.FORMATS[found["format"]]
        if found.get(fmt.folder_key) is None:
            raise ContentError(f"{url}: an OEWS file, but its name {path.name!r} has no 'M<year>' to tell the wage "
                               "year; use `career-report add-release` with a BLS-named file")
        return found

    def _on_hand(self, dataset: str, key, kind: str | None = None) -> list[dict]:
        """The raw files of ``dataset`` for ``key`` (vintage or wage year); for OEWS only those of ``kind``."""
        folder = self.p.raw / dataset / str(key)
        have = [m for m in sidecars.raw_snapshots(self.p.raw, dataset, verify=False)
                if Path(m["path"]).parent == folder]
        if kind is None:
            return have
        # A sidecar written before OEWS files had kinds says nothing: the file's rows tell.
        return [m for m in have if (m.get("kind") or releases.detect(Path(m["path"])).get("kind")) == kind]

    def _one(self, urls: list[str], path: Path, downloads: dict, now: str, parts: int = 1) -> Outcome:
        """Add the file at ``path`` (from ``urls``; ``parts`` files combined into it) unless it is on hand."""
        url = urls[0]
        sha = sha256_file(path)
        rel = lambda f: str(Path(f).relative_to(self.p.root))  # noqa: E731
        same = [m for m in sidecars.raw_snapshots(self.p.raw, verify=False) if m["sha256"] == sha]
        if same:
            self._remember({u: downloads[u] for u in urls}, rel(same[0]["path"]), now)
            return Outcome(urls, "unchanged", f"{' '.join(urls)}: same file as {rel(same[0]['path'])}",
                           same[0]["dataset"], None, None)
        found = self._detect(url, path)
        fmt = releases.FORMATS[found["format"]]
        key = str(found[fmt.folder_key])
        what = f"Employment Projections {key}" if fmt.dataset == "bls-ep" else f"OEWS May {key} {found['kind']}"
        have = self._on_hand(fmt.dataset, key, found.get("kind"))
        if have:
            self._remember({u: downloads[u] for u in urls}, rel(have[0]["path"]), now)
            return Outcome(urls, "on-hand", f"{' '.join(urls)}: {what} is already on hand as {rel(have[0]['path'])} "
                           "(a different file of the same release; kept the stored one)", fmt.dataset, key)
        d = downloads[url]
        tags = ", ".join(f"{k} {v}" for k, v in (("ETag", d.etag), ("Last-Modified", d.last_modified)) if v)
        got = "; ".join(urls)
        retrieved = f"downloaded by `career-report fetch` from {got}" + (f" ({tags})" if tags else "")
        if parts > 1:
            retrieved += f"; rows of the {parts} files of the download(s) concatenated unchanged into one CSV.gz"
        try:
            dest = releases.add_release(path, self.p, url=got, retrieved_from=retrieved, rebuild=self._rebuild)
        except DataError as err:
            raise content_error(url, err, path) from None
        self._remember({u: downloads[u] for u in urls}, rel(dest), now)
        return Outcome(urls, "added", f"{what}: stored {rel(dest)} from {got}; data/processed rebuilt",
                       fmt.dataset, key, dest)

    def _rebuild(self, p: Paths) -> None:
        self.built = rebuild_data(p)  # its manifest says which partial OEWS years are held back

    def _remember(self, downloads: dict, raw_path: str, now: str) -> None:
        for u, d in downloads.items():
            self.state[u] = {"etag": d.etag, "last_modified": d.last_modified, "sha256": d.sha256,
                             "bytes": d.bytes, "raw_path": raw_path, "checked_on": now}
        write_state(self.p, self.state)


def check_incoming(p: Paths) -> Path:
    """``data/.incoming``, where downloads wait and what a killed fetch left is removed: refused (a one-line
    ParameterError, before anything is downloaded or removed) when it is a symbolic link or not a folder, since
    cleaning it would then delete in another folder, outside the project."""
    incoming = p.data / INCOMING
    if incoming.is_symlink():
        raise ParameterError(f"{incoming}: is a symbolic link (to {os.readlink(incoming)!r}); a fetch downloads and "
                             "cleans only inside the project's data folder: remove the link")
    if incoming.exists() and not incoming.is_dir():
        raise ParameterError(f"{incoming}: is not a folder; a fetch keeps its downloads there: remove it")
    return incoming


def clear_leftovers(p: Paths) -> list[Path]:
    """Remove what a killed fetch (kill -9, a power cut) left behind: its temp folders ``fetch-*`` under
    ``data/.incoming/`` (with their ``.part`` downloads) and the temp files of the fetch state whose process
    is gone. Only under the fetch lock, so no other fetch is writing there; only our own names."""
    incoming = check_incoming(p)
    found = sorted(f for f in incoming.glob(TEMP_PREFIX + "*") if f.is_dir() and not f.is_symlink()) \
        if incoming.is_dir() else []
    for folder in found:
        shutil.rmtree(folder, ignore_errors=True)
    return found + remove_stale_temp_files(p.data)


def fetch(p: Paths | None = None, cfg: Config | None = None, which: tuple[str, ...] = SOURCES,
          wait: bool = False) -> Result:
    """Download the configured BLS files and add each new release; see the module docstring. Two fetches
    of one project at once would race on the fetch state and on data/raw: the second waits (``wait``)
    or raises :class:`~analysis.locks.Locked`."""
    p = p or project()
    with exclusive(p.data / LOCK, "fetch", wait):
        return Fetcher(p, cfg or load_config(p)).run(which)
