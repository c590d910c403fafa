"""One polite HTTP client for BLS, on ``requests`` with urllib3's ``Retry``: an identifying User-Agent, a
pause between requests, bounded retries with exponential back-off that honour ``Retry-After``, conditional
requests (ETag / Last-Modified), and a download streamed to disk within limits: at most ``max_bytes``, and
at most ``max_seconds`` from the first request to the last byte (a :class:`Deadline`).

In: a URL, a folder, the validators of the last download. Out: a :class:`Download` (the file saved under
the URL's own name, its sha256 and headers) or, for 304, one with no path; FetchError / ContentError
naming the URL otherwise.

urllib3 retries what fails before the body arrives (refused or reset connections, 5xx, 429); a body cut
off part-way is retried here, since urllib3 has handed the response over by then. :class:`PoliteRetry`
keeps three house rules on top of urllib3's ``Retry`` (its public ``new``, ``increment``, ``sleep`` and
``get_backoff_time``, as in urllib3 2.x; pinned in ``pyproject.toml``), and gives up once the deadline passed.

The ``timeout`` setting bounds only the silence between two bytes, so a server dripping a byte a second would
hold a download for days, in its headers (inside requests, where no loop of ours runs) or its body. The
deadline's watchdog thread therefore shuts down the sockets of the download's connections when it passes;
requests is given them through :class:`WatchedAdapter`, whose urllib3 connection classes report to the
running deadline as they are made (public names only: ``HTTPConnectionPool.ConnectionCls``,
``PoolManager.pool_classes_by_scheme``, ``HTTPConnection.sock``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import InvalidHeader, NewConnectionError, ProtocolError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util.retry import Retry

from analysis.errors import ContentError, FetchError
from analysis.refresh.config import Config

BLOCK = 1 << 16
MAX_REDIRECTS = 10
RETRY_STATUSES = frozenset({429, *range(500, 600)})
AFTER_DEADLINE_EVERY = 0.2  # seconds: how often the watchdog looks for a connection still being made


@dataclass
class Download:
    url: str
    path: Path | None            # None: the server said 304 Not Modified
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    bytes: int = 0


class RetryAfterTooLong(Exception):
    """The server asked for a longer wait than ``max_retry_after``: give up now, cron tries another day."""

    def __init__(self, seconds: float, status: int):
        super().__init__(seconds, status)
        self.seconds, self.status = seconds, status


class OutOfTime(Exception):
    """The deadline passed: urllib3 must not try again (reported as the deadline by :meth:`Deadline.guard`)."""


class Deadline:
    """The ``max_seconds`` limit of one download, kept by a watchdog thread (see the module docstring): when
    it passes, every socket of the download's connections is shut down, so a blocked read returns at once,
    and the reader, told by :meth:`check` or :meth:`guard`, reports the limit instead of a cut-off. A context
    manager: connections made inside it are watched (:data:`WATCHING`); leaving it stops the watchdog."""

    def __init__(self, seconds: float):
        self.seconds, self.expired = seconds, False
        self.connections: list[HTTPConnection] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.watch, name="fetch-deadline", daemon=True)
        self.token = None

    def __enter__(self) -> Deadline:
        self.token = WATCHING.set(self)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        WATCHING.reset(self.token)

    def watch(self) -> None:
        if self.done.wait(self.seconds):
            return
        self.expired = True
        while True:  # again until the download gives up: a connection may have had no socket yet
            for conn in list(self.connections):
                if conn.sock is not None:
                    with contextlib.suppress(OSError):  # already shut or closed
                        # socket.socket's own shutdown, for TLS too: SSLSocket.shutdown would also drop its SSL
                        # object under the reading thread. The reader sees the connection end; we check first.
                        socket.socket.shutdown(conn.sock, socket.SHUT_RDWR)
            if self.done.wait(AFTER_DEADLINE_EVERY):
                return

    def check(self, url: str, received: int | None = None) -> None:
        """FetchError once the limit has passed; ``received``: body bytes so far (None: no headers yet)."""
        if self.expired:
            got = "no complete response" if received is None else "not complete"
            so_far = "" if received is None else f" ({received:,} bytes received)"
            raise FetchError(f"{url}: {got} within the $max_seconds limit of {self.seconds:g} s{so_far}")

    @contextlib.contextmanager
    def guard(self, url: str) -> Iterator[None]:
        """Whatever fails inside once the limit has passed (a reset, a closed connection) is the limit."""
        try:
            yield
        except Exception:
            self.check(url)
            raise


WATCHING: ContextVar[Deadline | None] = ContextVar("watching", default=None)


class WatchedConnection:
    """Mixin for urllib3's connection classes: a connection made while a :class:`Deadline` runs is in its care
    from the moment it exists, before it connects, so the limit also holds while the headers arrive."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        deadline = WATCHING.get()
        if deadline is not None:
            deadline.connections.append(self)


class WatchedHTTPConnection(WatchedConnection, HTTPConnection):
    pass


class WatchedHTTPSConnection(WatchedConnection, HTTPSConnection):
    pass


class WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


WATCHED_POOLS = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}


class WatchedAdapter(HTTPAdapter):
    """requests' adapter with watched connections, direct or through an HTTP(S) proxy. A SOCKS proxy keeps its
    own connection classes: through one, the deadline is checked between reads of the body only."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = WATCHED_POOLS

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = WATCHED_POOLS
        return manager


class PoliteRetry(Retry):
    """urllib3's ``Retry`` with the house rules: the first retry waits ``backoff`` seconds and each next one
    twice as long (urllib3 retries at once first); a timeout is never retried (the ``timeout`` setting bounds
    how long a silent server can hold the run); a ``Retry-After`` longer than ``max_retry_after`` gives up at
    once, and one that cannot be read falls back to the back-off; nothing is retried once the ``deadline``
    has passed."""

    def __init__(self, *args, backoff: float = 5.0, max_retry_after: float = 300.0,
                 sleeper: Callable[[float], None] = time.sleep, deadline: Deadline | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.backoff, self.max_retry_after, self.sleeper = backoff, max_retry_after, sleeper
        self.deadline = deadline

    def new(self, **kw) -> PoliteRetry:
        new = super().new(**kw)
        new.backoff, new.max_retry_after, new.sleeper = self.backoff, self.max_retry_after, self.sleeper
        new.deadline = self.deadline
        return new

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if self.deadline is not None and self.deadline.expired:
            raise OutOfTime
        # urllib3 files a refused connection (NewConnectionError) under its timeouts; that one is retried.
        if isinstance(error, Urllib3Timeout) and not isinstance(error, NewConnectionError):
            raise error
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def get_backoff_time(self) -> float:
        return self.backoff * 2 ** (len(self.history) - 1) if self.history else 0.0

    def sleep(self, response=None) -> None:
        seconds = None
        if response is not None and response.headers.get("Retry-After"):
            try:
                seconds = self.parse_retry_after(response.headers["Retry-After"])
            except InvalidHeader:
                seconds = None
            if seconds is not None and seconds > self.max_retry_after:
                raise RetryAfterTooLong(seconds, response.status)
        self.sleeper(self.get_backoff_time() if seconds is None else seconds)


def file_name(url: str) -> str:
    """The URL's last path segment as a safe file name ('download' when it has none)."""
    name = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)).name
    name = re.sub(r"[^A-Za-z0-9._ ()-]", "_", name).strip(". ")
    return name or "download"


def _status_text(resp: requests.Response) -> str:
    return f"HTTP {resp.status_code} {resp.reason or ''}".rstrip()


def _attempts(n: int) -> str:
    return f"{n} attempts" if n > 1 else "1 attempt"


class _CutOff(Exception):
    """The body ended (or broke) before the promised length: worth another attempt."""


class Client:
    """One polite HTTP client: a pause between requests, bounded retries with exponential backoff."""

    def __init__(self, cfg: Config, sleep: Callable[[float], None] = time.sleep):
        self.cfg, self.sleep = cfg, sleep
        self._last: float | None = None
        self.session = requests.Session()  # proxies from the environment, as curl and urllib do
        self.session.max_redirects = MAX_REDIRECTS

    def _retry(self, budget: int, deadline: Deadline) -> PoliteRetry:
        return PoliteRetry(total=budget, status_forcelist=RETRY_STATUSES, allowed_methods={"GET"},
                           raise_on_status=False, raise_on_redirect=False, redirect=MAX_REDIRECTS,
                           backoff=self.cfg.backoff, max_retry_after=self.cfg.max_retry_after, sleeper=self.sleep,
                           deadline=deadline)

    def _wait_turn(self) -> None:
        if self._last is not None:
            left = self._last + self.cfg.pause - time.monotonic()
            if left > 0:
                self.sleep(left)
        self._last = time.monotonic()

    def get(self, url: str, folder: Path, conditional: dict | None = None) -> Download:
        """Download ``url`` into ``folder`` (its own file name); a 304 gives ``Download(path=None)``. All its
        attempts together take at most ``max_seconds``."""
        used = 0
        with Deadline(self.cfg.max_seconds) as deadline:
            while True:
                self._wait_turn()
                deadline.check(url)
                try:
                    return self._once(url, folder, conditional or {}, self.cfg.retries - used, deadline)
                except _CutOff as cut:
                    used += 1
                    if used > self.cfg.retries:
                        raise FetchError(f"{url}: {cut} (gave up after {_attempts(used)})") from None
                    self.sleep(self.cfg.backoff * 2 ** (used - 1))

    def _once(self, url: str, folder: Path, conditional: dict, budget: int, deadline: Deadline) -> Download:
        headers = {"User-Agent": self.cfg.agent, "Accept": "*/*", "Accept-Encoding": "identity"}
        if conditional.get("etag"):
            headers["If-None-Match"] = conditional["etag"]
        if conditional.get("last_modified"):
            headers["If-Modified-Since"] = conditional["last_modified"]
        adapter = WatchedAdapter(max_retries=self._retry(max(budget, 0), deadline))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        with contextlib.closing(adapter):  # this request's alone: its connections go with it
            resp = self._request(url, headers, budget, deadline)
            with resp:
                return self._handle(url, resp, folder, conditional, deadline)

    def _request(self, url: str, headers: dict, budget: int, deadline: Deadline) -> requests.Response:
        locations: list[str] = []  # each redirect's Location as sent, to name one that cannot be followed

        def remember(resp, *args, **kwargs):
            if resp.is_redirect:
                locations.append(resp.headers.get("Location", ""))
            return resp

        try:
            with deadline.guard(url):
                return self.session.get(url, headers=headers, timeout=self.cfg.timeout, stream=True,
                                        hooks={"response": remember})
        except (requests.Timeout, Urllib3Timeout):
            raise FetchError(f"{url}: no response within {self.cfg.timeout:g} s") from None
        except RetryAfterTooLong as err:
            raise FetchError(f"{url}: HTTP {err.status} {HTTPStatus(err.status).phrase}; the server asks to retry "
                             f"after {err.seconds:.0f} s, more "
                             f"than the {self.cfg.max_retry_after:.0f} s limit: try later") from None
        except requests.TooManyRedirects:
            raise FetchError(f"{url}: redirected more than {MAX_REDIRECTS} times (a redirect loop?)") from None
        except requests.ConnectionError as err:
            raise FetchError(f"{url}: {self._connection_problem(err)} "
                             f"(gave up after {_attempts(budget + 1)})") from None
        except (requests.RequestException, Urllib3Error) as err:
            raise FetchError(f"{url}: request failed ({type(err).__name__}: {err})") from None
        except ValueError as err:  # requests parses a redirect's Location with urllib: "http://[bad" raises here
            where = f" to {locations[-1][:200]!r}" if locations else ""
            raise FetchError(f"{url}: redirected{where}, which is not a URL that can be followed ({err})") from None

    @staticmethod
    def _connection_problem(err: requests.ConnectionError) -> str:
        reason = err.args[0] if err.args else err
        cause = getattr(getattr(reason, "reason", None), "__cause__", None) or getattr(reason, "reason", None)
        if isinstance(cause, ConnectionRefusedError) or "Connection refused" in str(reason):
            return "connection refused"
        return f"connection failed ({type(cause or reason).__name__})"

    def _handle(self, url: str, resp: requests.Response, folder: Path, conditional: dict,
                deadline: Deadline) -> Download:
        deadline.check(url)  # headers "complete" only because the watchdog ended the connection mid-way
        code = resp.status_code
        if code == 304:
            if not (conditional.get("etag") or conditional.get("last_modified")):
                # Nothing was asked to compare against: "not modified" says nothing about what is on hand.
                raise FetchError(f"{url}: HTTP 304 Not Modified to a request that named no version (no If-None-Match "
                                 "or If-Modified-Since); a misbehaving server or proxy: nothing recorded")
            return Download(url, None, conditional.get("etag"), conditional.get("last_modified"))
        what = _status_text(resp)
        if code in RETRY_STATUSES:  # urllib3 retried it and gave up
            tries = len(resp.raw.retries.history) + 1 if resp.raw.retries else 1
            raise FetchError(f"{url}: {what} (gave up after {_attempts(tries)})")
        if code == 403:
            raise FetchError(f"{url}: {what}: BLS refuses clients without an identifying User-Agent; set "
                             "CAREER_OUTLOOK_CONTACT=you@example.org or $user_agent")
        if code in (404, 410):
            raise FetchError(f"{url}: {what}: the file has moved or is not published (yet); set the URL "
                             "with $ep_urls/$oews_urls or [tool.career-outlook.fetch] in pyproject.toml")
        if code >= 400 or code < 200 or code in (204, 205):
            raise FetchError(f"{url}: {what}")
        return self._save(url, resp, folder, deadline)

    def _save(self, url: str, resp: requests.Response, folder: Path, deadline: Deadline) -> Download:
        length = resp.headers.get("Content-Length")
        expected = int(length) if length and length.strip().isdigit() else None
        cap = self.cfg.max_bytes
        if expected is not None and expected > cap:
            raise FetchError(f"{url}: the server announces {expected:,} bytes, more than the $max_bytes limit of "
                             f"{cap:,}; not downloaded")
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".download-", suffix=".part")
        h, n = hashlib.sha256(), 0
        try:
            try:
                with os.fdopen(fd, "wb") as out:
                    while True:
                        try:
                            block = resp.raw.read1(BLOCK)  # what has arrived, so a stall reports the bytes so far
                        except Urllib3Timeout:
                            deadline.check(url, n)
                            raise FetchError(f"{url}: stopped sending after {n:,} bytes "
                                             f"(nothing for {self.cfg.timeout:g} s)") from None
                        except (ProtocolError, Urllib3Error, OSError) as err:
                            deadline.check(url, n)  # the watchdog ended the connection: not a cut-off to retry
                            n = max(n, resp.raw.tell())
                            detail = "" if "IncompleteRead" in repr(err) else f" ({type(err).__name__})"
                            raise _CutOff(self._cut(n, expected) + detail) from None
                        deadline.check(url, n)  # bytes dripping in, each within the timeout
                        if not block:
                            break
                        if n + len(block) > cap:  # an endless body stops here, not when the disk is full
                            raise FetchError(f"{url}: more than the $max_bytes limit of {cap:,} bytes; download "
                                             "stopped there")
                        out.write(block)
                        h.update(block)
                        n += len(block)
            except OSError as err:  # writing (reading errors are handled above): a full disk, say
                raise FetchError(f"{url}: cannot save the download in {folder} "
                                 f"({err.strerror or type(err).__name__})") from None
            if expected is not None and n < expected:
                raise _CutOff(self._cut(n, expected))
            if n == 0:
                raise ContentError(f"{url}: the server sent an empty file (HTTP {resp.status_code})")
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
