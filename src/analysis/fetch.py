"""Refresh from BLS: download the current release files politely, add what is new, rebuild.

In: the configured URLs (Employment Projections ``occupation.xlsx``; OEWS national and state downloads).
Out: each new release stored under ``data/raw/`` with its sidecar through :func:`release.add_release`
(the same path as ``career-report add-release``), rebuilt processed tables and, for ``refresh``, an
incremental catalogue build and a "what changed" page (:mod:`analysis.changes`).

How it behaves towards BLS: one request at a time with a pause between requests, an identifying
User-Agent with a contact, conditional requests (ETag / Last-Modified kept in ``data/.fetch-state.json``)
and checksums, so an unchanged release costs a 304 or, at worst, one download and no change on disk.

Faults: network and HTTP failures raise :class:`FetchError` (exit 1) and content that is not a release
we can read raises :class:`ContentError` (exit 2), each one line naming the URL. Downloads go to a
temporary folder under ``data/.incoming/`` (never ``data/raw``) that is removed whatever happens;
``data/raw``, ``data/processed`` and ``reports/`` change only when a release is added. One fetch runs
at a time per project (``data/.fetch.lock``): a second one exits 75 with a message, or waits (``--wait``).

Configuration, lowest to highest precedence: the defaults below, ``[tool.career-outlook.fetch]`` in the
project's ``pyproject.toml``, environment variables (``CAREER_OUTLOOK_EP_URLS`` …), command-line options.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import gzip
import hashlib
import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from . import __version__, release, sources, wages
from .errors import CareerOutlookError, DataError, ParameterError
from .locks import exclusive
from .paths import Paths, project

# BLS's own URLs. The EP file keeps its URL from release to release; OEWS names its downloads after
# the May reference year (oesm25nat.zip = May 2025), so those two need updating once a year (config).
DEFAULT_EP_URLS = ["https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"]
DEFAULT_OEWS_URLS = ["https://www.bls.gov/oes/special-requests/oesm25nat.zip",
                     "https://www.bls.gov/oes/special-requests/oesm25st.zip"]
NO_CONTACT = "set CAREER_OUTLOOK_CONTACT"
STATE_FILE = ".fetch-state.json"   # under data/: not raw data, so not under data/raw
INCOMING = ".incoming"             # under data/: downloads wait here (in a temp folder) until checked
LOCK = ".fetch.lock"               # under data/
SOURCES = ("ep", "oews")
ENV_PREFIX = "CAREER_OUTLOOK_"


class FetchError(CareerOutlookError):
    """The network or the server failed (refused, timed out, HTTP error, cut off): exit status 1."""

    exit_code = 1


class ContentError(CareerOutlookError):
    """A download arrived but is not a BLS release we can read: exit status 2."""

    exit_code = 2


# --- configuration -------------------------------------------------------------------------------

@dataclass
class Config:
    ep_urls: list[str] = field(default_factory=lambda: list(DEFAULT_EP_URLS))
    oews_urls: list[str] = field(default_factory=lambda: list(DEFAULT_OEWS_URLS))
    contact: str | None = None          # an e-mail address or URL for the User-Agent
    user_agent: str | None = None       # the whole User-Agent (overrides contact)
    timeout: float = 60.0               # seconds without a byte (connect or read) before giving up
    retries: int = 3                    # further attempts after 5xx, 429, refused or cut-off (not timeouts)
    backoff: float = 5.0                # first retry delay, seconds; doubles each attempt
    pause: float = 5.0                  # seconds between two requests to the server
    max_retry_after: float = 300.0      # longest Retry-After we wait for; longer gives up

    @property
    def agent(self) -> str:
        if self.user_agent:
            return self.user_agent
        return f"career-outlook/{__version__} (+contact: {self.contact or NO_CONTACT})"


_NUMBERS = {"timeout": float, "retries": int, "backoff": float, "pause": float, "max_retry_after": float}


def _url_list(value, where: str) -> list[str]:
    if isinstance(value, str):
        return value.split()  # an env var: URLs separated by spaces; "" means none
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ParameterError(f"{where}: expected a URL or a list of URLs, got {value!r}")


def load_config(p: Paths | None = None, overrides: dict | None = None, environ=None) -> Config:
    """Defaults < ``[tool.career-outlook.fetch]`` in pyproject.toml < ``CAREER_OUTLOOK_*`` env < ``overrides``."""
    p = p or project()
    environ = os.environ if environ is None else environ
    values: dict = {}
    pyproject = p.root / "pyproject.toml"
    if pyproject.exists():
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ParameterError(f"{pyproject}: not valid TOML ({exc})") from None
        conf = table.get("tool", {}).get("career-outlook", {}).get("fetch", {})
        known = {f.name for f in fields(Config)}
        unknown = sorted(set(conf) - known)
        if unknown:
            raise ParameterError(f"{pyproject} [tool.career-outlook.fetch]: unknown key(s) {', '.join(unknown)}; "
                                 f"known: {', '.join(sorted(known))}")
        values.update(conf)
    for f in fields(Config):
        env = ENV_PREFIX + (f.name.upper() if f.name in ("ep_urls", "oews_urls", "contact", "user_agent")
                            else "FETCH_" + f.name.upper())
        if env in environ:
            values[f.name] = environ[env]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    for key in ("ep_urls", "oews_urls"):
        if key in values:
            values[key] = _url_list(values[key], key)
    for key, kind in _NUMBERS.items():
        if key in values:
            try:
                values[key] = kind(values[key])
            except (TypeError, ValueError):
                raise ParameterError(f"fetch setting {key}={values[key]!r}: expected a number") from None
            if values[key] < 0 or (key == "timeout" and values[key] == 0):
                raise ParameterError(f"fetch setting {key}={values[key]!r}: must be positive")
    for key in ("contact", "user_agent"):
        if key in values and not str(values[key]).strip():
            values[key] = None
    for key in ("ep_urls", "oews_urls"):
        for url in values.get(key, []):
            if urllib.parse.urlparse(url).scheme not in ("http", "https"):
                raise ParameterError(f"{key}: {url!r} is not an http(s) URL")
    return Config(**values)


# --- HTTP ----------------------------------------------------------------------------------------

@dataclass
class Download:
    url: str
    path: Path | None            # None: the server said 304 Not Modified
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    bytes: int = 0


class _Retry(Exception):
    def __init__(self, what: str, retry_after: float | None = None):
        super().__init__(what)
        self.what, self.retry_after = what, retry_after


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _file_name(url: str) -> str:
    name = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)).name
    name = re.sub(r"[^A-Za-z0-9._ ()-]", "_", name).strip(". ")
    return name or "download"


class Client:
    """One polite HTTP client: a pause between requests, bounded retries with exponential backoff."""

    def __init__(self, cfg: Config, sleep: Callable[[float], None] = time.sleep):
        self.cfg, self.sleep = cfg, sleep
        self._last: float | None = None
        self.opener = urllib.request.build_opener()  # follows redirects; no proxies are added beyond the env's

    def _wait_turn(self) -> None:
        if self._last is not None:
            left = self._last + self.cfg.pause - time.monotonic()
            if left > 0:
                self.sleep(left)
        self._last = time.monotonic()

    def get(self, url: str, folder: Path, conditional: dict | None = None) -> Download:
        """Download ``url`` into ``folder`` (its own file name); a 304 gives ``Download(path=None)``."""
        attempt = 0
        while True:
            self._wait_turn()
            try:
                return self._once(url, folder, conditional or {})
            except _Retry as r:
                attempt += 1
                if attempt > self.cfg.retries:
                    tries = f"{attempt} attempts" if attempt > 1 else "1 attempt"
                    raise FetchError(f"{url}: {r.what} (gave up after {tries})") from None
                delay = self.cfg.backoff * 2 ** (attempt - 1)
                if r.retry_after is not None:
                    if r.retry_after > self.cfg.max_retry_after:
                        raise FetchError(f"{url}: {r.what}; the server asks to retry after {r.retry_after:.0f} s, "
                                         f"more than the {self.cfg.max_retry_after:.0f} s limit: try later") from None
                    delay = max(r.retry_after, 0.0)
                self.sleep(delay)

    def _once(self, url: str, folder: Path, conditional: dict) -> Download:
        headers = {"User-Agent": self.cfg.agent, "Accept": "*/*", "Accept-Encoding": "identity"}
        if conditional.get("etag"):
            headers["If-None-Match"] = conditional["etag"]
        if conditional.get("last_modified"):
            headers["If-Modified-Since"] = conditional["last_modified"]
        req = urllib.request.Request(url, headers=headers)
        timeout = self.cfg.timeout
        try:
            resp = self.opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as err:
            code, reason, retry_after = err.code, err.reason, err.headers.get("Retry-After") if err.headers else None
            err.close()
            if code == 304:
                return Download(url, None, conditional.get("etag"), conditional.get("last_modified"))
            what = f"HTTP {code} {reason}".rstrip()
            if code in (429, 503):
                raise _Retry(what, _retry_after(retry_after)) from None
            if code >= 500:
                raise _Retry(what) from None
            if code == 403:
                raise FetchError(f"{url}: {what}: BLS refuses clients without an identifying User-Agent; set "
                                 "CAREER_OUTLOOK_CONTACT=you@example.org or --user-agent") from None
            if code in (404, 410):
                raise FetchError(f"{url}: {what}: the file has moved or is not published (yet); set the URL "
                                 "with --ep-url/--oews-url or [tool.career-outlook.fetch] in pyproject.toml") from None
            raise FetchError(f"{url}: {what}") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, TimeoutError):
                raise FetchError(f"{url}: no response within {timeout:g} s") from None
            if isinstance(reason, ConnectionRefusedError):
                raise _Retry("connection refused") from None
            raise _Retry(f"cannot connect ({getattr(reason, 'strerror', None) or reason})") from None
        except TimeoutError:  # not retried: --timeout bounds how long a silent server can hold the run
            raise FetchError(f"{url}: no response within {timeout:g} s") from None
        except (http.client.HTTPException, ConnectionError, OSError) as err:
            raise _Retry(f"connection failed ({type(err).__name__}: {err})") from None
        with resp:
            return self._save(url, resp, folder)

    def _save(self, url: str, resp, folder: Path) -> Download:
        length = resp.headers.get("Content-Length")
        expected = int(length) if length and length.strip().isdigit() else None
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".download-", suffix=".part")
        h, n = hashlib.sha256(), 0
        read = getattr(resp, "read1", resp.read)  # what has arrived, so a stall reports the bytes so far
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    try:
                        block = read(1 << 16)
                    except http.client.IncompleteRead as err:
                        n += len(err.partial)
                        raise _Retry(self._cut(n, expected)) from None
                    except TimeoutError:
                        raise FetchError(f"{url}: stopped sending after {n:,} bytes "
                                         f"(nothing for {self.cfg.timeout:g} s)") from None
                    except (http.client.HTTPException, ConnectionError, OSError) as err:
                        raise _Retry(f"{self._cut(n, expected)} ({type(err).__name__})") from None
                    if not block:
                        break
                    out.write(block)
                    h.update(block)
                    n += len(block)
            if expected is not None and n < expected:
                raise _Retry(self._cut(n, expected))
            if n == 0:
                raise ContentError(f"{url}: the server sent an empty file (HTTP {resp.status})")
            dest = folder / _file_name(url)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return Download(url, dest, resp.headers.get("ETag"), resp.headers.get("Last-Modified"), h.hexdigest(), n)

    @staticmethod
    def _cut(n: int, expected: int | None) -> str:
        of = f" of {expected:,}" if expected is not None else ""
        return f"download cut off after {n:,}{of} bytes"


# --- state ---------------------------------------------------------------------------------------

def state_path(p: Paths) -> Path:
    return p.data / STATE_FILE


def read_state(p: Paths) -> dict:
    try:
        state = json.loads(state_path(p).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return state if isinstance(state, dict) else {}


def write_state(p: Paths, state: dict) -> None:
    path = state_path(p)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(state, indent=1, sort_keys=True) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _conditional(p: Paths, entry: dict | None) -> dict:
    """ETag/Last-Modified to send, but only while the raw file they stand for is still on hand."""
    if not entry or not entry.get("raw_path") or not (p.root / entry["raw_path"]).exists():
        return {}
    return {"etag": entry.get("etag"), "last_modified": entry.get("last_modified")}


# --- what a download is --------------------------------------------------------------------------

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


def _content_error(url: str, err: DataError, tmp: Path) -> ContentError:
    if Path(err.path) == tmp or Path(err.path).parent == tmp.parent:
        where = f" ({err.where})" if err.where else ""
        return ContentError(f"{url}: {err.problem}{where}")
    return ContentError(f"{url}: {err}")


def _looks_like_html(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml", b"<"))


def unpack(url: str, path: Path) -> Path:
    """A plain zip download (not an .xlsx, which is a zip too) -> its one data file, extracted beside it."""
    if not zipfile.is_zipfile(path):
        return path
    with zipfile.ZipFile(path) as zf:
        names = [i for i in zf.infolist() if not i.is_dir()]
        if any(i.filename == "[Content_Types].xml" for i in names):
            return path  # an Office Open XML workbook
        data = [i for i in names if i.filename.lower().endswith((".xlsx", ".csv", ".csv.gz"))
                and "field_desc" not in i.filename.lower()]
        dated = [i for i in data if wages._YEAR_IN_NAME.search(Path(i.filename).name)]
        picks = dated or data
        if len(picks) != 1:
            listed = ", ".join(i.filename for i in names[:6]) or "nothing"
            raise ContentError(f"{url}: zip holds {len(picks)} data files (.xlsx/.csv) where one was expected: "
                               f"{listed}")
        member = picks[0]
        dest = path.parent / "unzipped" / _file_name(member.filename)
        dest.parent.mkdir(exist_ok=True)
        try:
            with zf.open(member) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ContentError(f"{url}: zip member {member.filename} cannot be extracted ({exc})") from None
    return dest


def combine_oews(files: list[tuple[str, Path]], year: int, folder: Path) -> Path:
    """Several OEWS downloads of one year (national, state) -> one CSV.gz in the download layout.

    The data layer keeps one OEWS file per year; BLS publishes the nation and the states as separate
    downloads with the same columns, so their rows are concatenated unchanged (text as read).
    """
    frames, cols = [], None
    for url, path in files:
        try:
            df, _ = wages._load(path)
        except DataError as err:
            raise _content_error(url, err, path) from None
        names = [wages._norm_header(c) for c in df.columns]
        if cols is not None and names != cols:
            raise ContentError(f"{url}: its columns differ from {files[0][0]}'s; cannot combine the OEWS downloads")
        cols = names
        frames.append(df.set_axis(names, axis=1))
    out = folder / f"oews_national_state_M{year}.csv.gz"
    out.parent.mkdir(parents=True, exist_ok=True)
    data = pd.concat(frames, ignore_index=True).to_csv(index=False, lineterminator="\n").encode("utf-8")
    out.write_bytes(gzip.compress(data, mtime=0))
    return out


# --- fetching ------------------------------------------------------------------------------------

class Fetcher:
    def __init__(self, p: Paths, cfg: Config, client: Client | None = None,
                 log: Callable[[str], None] | None = None):
        self.p, self.cfg = p, cfg
        self.client = client or Client(cfg)
        self.log = log or (lambda line: print(line, flush=True))
        self.state = read_state(p)

    def run(self, which: tuple[str, ...] = SOURCES) -> Result:
        result = Result()
        incoming = self.p.data / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix="fetch-", dir=incoming))
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
                    self.log(f"{o.status:<12} {o.message}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            with contextlib.suppress(OSError):  # not empty: another fetch is running
                incoming.rmdir()
        return result

    def _group(self, kind: str, urls: list[str], folder: Path) -> list[Outcome]:
        entries = {u: self.state.get(u) for u in urls}
        downloads = {u: self.client.get(u, folder / str(j), _conditional(self.p, entries[u]))
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
        if all(entries[u] and entries[u].get("sha256") == d.sha256 and _conditional(self.p, entries[u])
               for u, d in downloads.items()):
            out = [Outcome(urls, "unchanged", f"{' '.join(urls)}: same content as the last fetch "
                           f"({entries[urls[0]]['raw_path']})")]
            self._remember(downloads, entries[urls[0]]["raw_path"], now)
            return out
        files = []
        for u, d in downloads.items():
            if _looks_like_html(d.path):
                raise ContentError(f"{u}: served an HTML page (HTTP 200) instead of a data file; "
                                   "BLS sends one when it blocks a client or the file has moved")
            files.append((u, unpack(u, d.path)))
        if kind == "oews" and len(files) > 1:
            return self._oews(files, downloads, folder, now)
        return [self._one([u], path, downloads, now) for u, path in files]

    def _oews(self, files, downloads, folder: Path, now: str) -> list[Outcome]:
        by_year: dict[int, list[tuple[str, Path]]] = {}
        for u, path in files:
            found = self._detect(u, path)
            if found["format"] != "oews":
                raise ContentError(f"{u}: is an Employment Projections file ({found.get('vintage')}), "
                                   "not an OEWS download")
            by_year.setdefault(found["wage_year"], []).append((u, path))
        out = []
        for year, members in sorted(by_year.items()):
            urls = [u for u, _ in members]
            if len(members) == 1 or self._on_hand("bls-oews", year):
                out += [self._one([u], path, downloads, now) for u, path in members]
                continue
            combined = combine_oews(members, year, folder / "combined")
            out.append(self._one(urls, combined, downloads, now))
        return out

    def _detect(self, url: str, path: Path) -> dict:
        try:
            found = release.detect(path)
        except DataError as err:
            raise _content_error(url, err, path) from None
        fmt = release.FORMATS[found["format"]]
        if found.get(fmt.folder_key) is None:
            raise ContentError(f"{url}: an OEWS file, but its name {path.name!r} has no 'M<year>' to tell the wage "
                               "year; use `career-report add-release` with a BLS-named file")
        return found

    def _on_hand(self, dataset: str, key) -> list[dict]:
        folder = self.p.raw / dataset / str(key)
        return [m for m in sources.raw_snapshots(self.p.raw, dataset, verify=False) if Path(m["path"]).parent == folder]

    def _one(self, urls: list[str], path: Path, downloads: dict, now: str) -> Outcome:
        url = urls[0]
        sha = sources.sha256_file(path)
        rel = lambda f: str(Path(f).relative_to(self.p.root))  # noqa: E731
        same = [m for m in sources.raw_snapshots(self.p.raw, verify=False) if m["sha256"] == sha]
        if same:
            self._remember({u: downloads[u] for u in urls}, rel(same[0]["path"]), now)
            return Outcome(urls, "unchanged", f"{' '.join(urls)}: same file as {rel(same[0]['path'])}",
                           same[0]["dataset"], None, None)
        found = self._detect(url, path)
        fmt = release.FORMATS[found["format"]]
        key = str(found[fmt.folder_key])
        what = f"Employment Projections {key}" if fmt.dataset == "bls-ep" else f"OEWS May {key}"
        have = self._on_hand(fmt.dataset, key)
        if have:
            self._remember({u: downloads[u] for u in urls}, rel(have[0]["path"]), now)
            return Outcome(urls, "on-hand", f"{' '.join(urls)}: {what} is already on hand as {rel(have[0]['path'])} "
                           "(a different file of the same release; kept the stored one)", fmt.dataset, key)
        d = downloads[url]
        tags = ", ".join(f"{k} {v}" for k, v in (("ETag", d.etag), ("Last-Modified", d.last_modified)) if v)
        got = "; ".join(urls)
        retrieved = f"downloaded by `career-report fetch` from {got}" + (f" ({tags})" if tags else "")
        if len(urls) > 1:
            retrieved += f"; rows of the {len(urls)} downloads concatenated unchanged into one CSV.gz"
        try:
            dest = release.add_release(path, self.p, url=got, retrieved_from=retrieved)
        except DataError as err:
            raise _content_error(url, err, path) from None
        self._remember({u: downloads[u] for u in urls}, rel(dest), now)
        return Outcome(urls, "added", f"{what}: stored {rel(dest)} from {got}; data/processed rebuilt",
                       fmt.dataset, key, dest)

    def _remember(self, downloads: dict, raw_path: str, now: str) -> None:
        for u, d in downloads.items():
            self.state[u] = {"etag": d.etag, "last_modified": d.last_modified, "sha256": d.sha256,
                             "bytes": d.bytes, "raw_path": raw_path, "checked_on": now}
        write_state(self.p, self.state)


def fetch(p: Paths | None = None, cfg: Config | None = None, which: tuple[str, ...] = SOURCES,
          log: Callable[[str], None] | None = None, wait: bool = False) -> Result:
    """Download the configured BLS files and add each new release; see the module docstring. Two fetches
    of one project at once would race on the fetch state and on data/raw: the second waits (``wait``)
    or raises :class:`~analysis.locks.Locked`."""
    p = p or project()
    with exclusive(p.data / LOCK, "fetch", wait):
        return Fetcher(p, cfg or load_config(p), log=log).run(which)


# --- command line --------------------------------------------------------------------------------

def _config_from_args(args) -> Config:
    return load_config(project(), {
        "ep_urls": args.ep_url, "oews_urls": args.oews_url, "user_agent": args.user_agent,
        "timeout": args.timeout, "retries": args.retries, "backoff": args.backoff, "pause": args.pause,
    })


def _which(args) -> tuple[str, ...]:
    which = tuple(s.strip() for s in (args.sources or ",".join(SOURCES)).split(",") if s.strip())
    bad = sorted(set(which) - set(SOURCES))
    if bad or not which:
        raise ParameterError(f"--sources {args.sources!r}: expected ep, oews or ep,oews")
    return which


def _report_errors(result: Result) -> int:
    for err in result.errors:
        print(f"career-report: error: {err}", file=sys.stderr)
    return result.exit_code


def cmd_fetch(args) -> int:
    result = fetch(project(), _config_from_args(args), _which(args), wait=args.wait)
    if not result.errors and not result.added:
        print("nothing new: every release is already on hand", file=sys.stderr)
    return _report_errors(result)


def cmd_refresh(args) -> int:
    from . import catalogue, changes, dataset, store

    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    if not formats or set(formats) - {"html", "pdf"}:
        raise ParameterError(f"--format {args.format!r}: expected html, pdf or html,pdf")
    if args.jobs is not None and args.jobs < 1:
        raise ParameterError(f"--jobs {args.jobs}: expected a whole number of at least 1")
    from .cli import reports_folder  # here: cli loads this module as a plugin

    p = project()
    reports = reports_folder(args.out) if args.out is not None else p.reports  # before any download
    result = fetch(p, _config_from_args(args), _which(args), wait=args.wait)
    if result.errors and not result.added:
        return _report_errors(result)  # nothing new and a fault: leave data and reports exactly as they were
    if dataset.ensure(p):
        print("data/processed rebuilt from data/raw", file=sys.stderr)
    have = store.vintages(p)  # newest first
    for o in result.added:
        if o.dataset == "bls-ep" and o.key in have and have.index(o.key) + 1 < len(have):
            old = have[have.index(o.key) + 1]
            print(changes.format_summary(changes.summary(old, o.key, p)))
    if len(have) > 1:  # before the build, so the index links to it
        changes.write_page(have[1], have[0], reports, p)
    jobs = catalogue.plan(args.only or None, None, [None], p)
    summary = catalogue.build(jobs, workers=args.jobs, formats=formats, p=p, out=reports, wait=args.wait,
                              progress=catalogue.progress_printer())
    if len(have) > 1:  # again, now that it can link to the reports just built (same bytes when none were)
        page = changes.write_page(have[1], have[0], reports, p)
        print(f"what changed since {have[1]}: {page}", file=sys.stderr)
    print(f"{summary.built} built, {summary.skipped} up to date, {len(summary.failed)} failed "
          f"in {summary.seconds:.1f} s; index: {reports / 'index.html'}", file=sys.stderr)
    for rel, err in summary.failed:
        print(f"FAILED {rel}: {err}", file=sys.stderr)
    code = _report_errors(result)
    catalogue.raise_for(summary)
    return code


def _add_fetch_options(s) -> None:
    s.add_argument("--ep-url", action="append", metavar="URL",
                   help="Employment Projections occupation.xlsx URL (repeatable; default: BLS's)")
    s.add_argument("--oews-url", action="append", metavar="URL",
                   help="OEWS download URL: .zip, .xlsx, .csv or .csv.gz (repeatable; default: BLS's national "
                        "and state zips of the configured year)")
    s.add_argument("--sources", default=None, metavar="LIST", help="ep, oews or ep,oews (default)")
    s.add_argument("--user-agent", default=None, help="User-Agent sent to BLS (default names the tool and "
                   "$CAREER_OUTLOOK_CONTACT)")
    s.add_argument("--timeout", type=float, default=None, help="seconds without a byte before giving up, not retried "
                   "(default 60)")
    s.add_argument("--retries", type=int, default=None, help="retries after 5xx, 429, refused or cut-off connections; "
                   "not after a timeout (default 3)")
    s.add_argument("--backoff", type=float, default=None, help="first retry delay in seconds, doubling (default 5)")
    s.add_argument("--pause", type=float, default=None, help="seconds between requests (default 5)")
    s.add_argument("--wait", action="store_true", help="wait for a running fetch (or, for refresh, build) "
                   "instead of exiting with code 75")


def register(sub) -> None:
    s = sub.add_parser("fetch", help="download the current BLS files and add any new release (then rebuild data)")
    _add_fetch_options(s)
    s.set_defaults(func=cmd_fetch)

    s = sub.add_parser("refresh", help="fetch + data rebuild + incremental catalogue build + what-changed page "
                       "(what `make regenerate` runs)")
    _add_fetch_options(s)
    s.add_argument("--only", nargs="+", metavar="SOC", default=None,
                   help="build only these SOC codes' reports (testing and partial runs; default: all)")
    s.add_argument("--format", default="html,pdf", help="html, pdf or html,pdf (default)")
    s.add_argument("--out", default=None, help="reports folder (default: reports/)")
    s.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    s.set_defaults(func=cmd_refresh)
