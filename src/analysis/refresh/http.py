"""One polite HTTP client for BLS: an identifying User-Agent, a pause between requests, bounded retries with
exponential back-off that honour ``Retry-After``, conditional requests (ETag / Last-Modified).

In: a URL, a folder, the validators of the last download. Out: a :class:`Download` (the file saved under
the URL's own name, its sha256 and headers) or, for 304, one with no path; FetchError / ContentError
naming the URL otherwise.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import http.client
import os
import re
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config

from analysis.errors import ContentError, FetchError


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


def retry_after_seconds(value: str | None) -> float | None:
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


def file_name(url: str) -> str:
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
                raise _Retry(what, retry_after_seconds(retry_after)) from None
            if code >= 500:
                raise _Retry(what) from None
            if code == 403:
                raise FetchError(f"{url}: {what}: BLS refuses clients without an identifying User-Agent; set "
                                 "CAREER_OUTLOOK_CONTACT=you@example.org or $user_agent") from None
            if code in (404, 410):
                raise FetchError(f"{url}: {what}: the file has moved or is not published (yet); set the URL "
                                 "with $ep_urls/$oews_urls or [tool.career-outlook.fetch] in pyproject.toml") from None
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
            dest = folder / file_name(url)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return Download(url, dest, resp.headers.get("ETag"), resp.headers.get("Last-Modified"), h.hexdigest(), n)

    @staticmethod
    def _cut(n: int, expected: int | None) -> str:
        of = f" of {expected:,}" if expected is not None else ""
        return f"download cut off after {n:,}{of} bytes"
