"""`career-report fetch` / `refresh` against an HTTP server on 127.0.0.1 that each test starts and stops.

Every fault must give a one-line error naming the URL, a non-zero exit (1 network/HTTP, 2 bad content),
data/raw, data/processed and reports/ byte-for-byte as they were, and no temporary file left behind.
Retries, backoff and pauses are made fast through the CAREER_OUTLOOK_FETCH_* settings.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openpyxl
import pytest
from helpers import tree_digest

from analysis.cli import main
from analysis.errors import ParameterError
from analysis.files import MARK, sha256_file
from analysis.ingest import sidecars as sources
from analysis.ingest import sniff
from analysis.paths import Paths, project
from analysis.refresh import config, fetch, state
from analysis.tables import store

EP_2024 = Path("bls-ep/2024-34/occupation.xlsx")
OEWS_2025 = Path("bls-oews/2025/oews_national_state_M2025.csv.gz")


# --------------------------------------------------------------------------------------------------
# A scripted HTTP server
# --------------------------------------------------------------------------------------------------


class Server:
    """Serves scripted responses: ``serve(path, r1, r2, ...)`` answers the n-th request with r_n (the last
    one repeats). Each response is a function of the request handler. Requests are recorded."""

    def __init__(self):
        self.routes: dict[str, list] = {}
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # http.server's naming
                server.requests.append({"path": self.path, "headers": dict(self.headers), "t": time.monotonic()})
                script = server.routes.get(self.path)
                if not script:
                    return status(404, b"<html>not found</html>")(self)
                (script.pop(0) if len(script) > 1 else script[0])(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def serve(self, path: str, *responses) -> str:
        self.routes[path] = list(responses)
        return self.url(path)

    def hits(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def body(data: bytes, etag: str | None = None, ctype: str = "application/octet-stream"):
    """200 with ``data`` (and an ETag); 304 when the client sends that ETag back."""
    def respond(h):
        if etag and h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(data)))
        if etag:
            h.send_header("ETag", etag)
            h.send_header("Last-Modified", "Wed, 10 Sep 2025 12:00:00 GMT")
        h.end_headers()
        h.wfile.write(data)
    return respond


def status(code: int, data: bytes = b"", headers: dict | None = None):
    def respond(h):
        h.send_response(code)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
    return respond


def cut_off(data: bytes, claimed: int):
    """Promise ``claimed`` bytes, send ``data``, close the connection."""
    def respond(h):
        h.send_response(200)
        h.send_header("Content-Length", str(claimed))
        h.end_headers()
        h.wfile.write(data)
        h.wfile.flush()
        h.close_connection = True
    return respond


def endless_chunks(h):
    """200 with a chunked body that does not end (as long as the client reads, up to 256 MB)."""
    h.protocol_version = "HTTP/1.1"
    h.send_response(200)
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    block = bytes(1 << 16)
    with contextlib.suppress(OSError):  # the client hangs up
        for _ in range(4096):
            h.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
    h.close_connection = True


def drip(head: bytes, data: bytes, every: float = 0.05, header: bool = False):
    """Send ``head`` (the status line and headers) then ``data`` a byte at a time, ``every`` seconds apart,
    each well within the timeout; ``header``: drip ``head`` too, so the headers never finish."""
    def respond(h):
        with contextlib.suppress(OSError):
            if not header:
                h.wfile.write(head)
            for i in range(min(len(head if header else data), 200)):  # 10 s at most
                h.wfile.write((head if header else data)[i:i + 1])
                time.sleep(every)
        h.close_connection = True
    return respond


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def fast_polite_settings(monkeypatch):
    """No OEWS URLs unless a test names them; fast retries; a contact in the User-Agent."""
    for key, value in {"OEWS_URLS": "", "CONTACT": "tests@example.org", "FETCH_PAUSE": "0",
                       "FETCH_BACKOFF": "0.01", "FETCH_TIMEOUT": "2", "FETCH_RETRIES": "2"}.items():
        monkeypatch.setenv("CAREER_OUTLOOK_" + key, value)
    monkeypatch.delenv("CAREER_OUTLOOK_EP_URLS", raising=False)
    monkeypatch.delenv("CAREER_OUTLOOK_USER_AGENT", raising=False)


@pytest.fixture(scope="session")
def current_xlsx(real) -> bytes:
    return (real.raw / EP_2024).read_bytes()


def snapshot(p: Paths) -> dict:
    """Digests of data/raw, data/processed and reports/ (the catalogue's lock file records who held it last)."""
    out = {name: tree_digest(getattr(p, name)) for name in ("raw", "processed", "reports")}
    out["reports"].pop(".build.lock", None)
    return out


def leftovers(p: Paths) -> list[str]:
    """Temporary files a fetch might leave: its incoming folder, .part files anywhere under data/."""
    found = [str(f) for f in p.data.rglob("*") if f.name.endswith((".part", ".tmp"))]
    if (p.data / fetch.INCOMING).exists():
        found.append(str(p.data / fetch.INCOMING))
    return found


@pytest.fixture
def project_with_reports(tmp_project: Paths) -> Paths:
    """tmp_project with something in reports/ to keep intact."""
    tmp_project.reports.mkdir()
    (tmp_project.reports / "index.html").write_text("<html>published</html>")
    return tmp_project


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


# --------------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------------


def _refused_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return f"http://127.0.0.1:{port}/occupation.xlsx"


HTML_PAGE = b"<!DOCTYPE html><html><head><title>Access Denied</title></head><body>Access Denied</body></html>"

FAULTS = {
    # name: (set up the server -> URL, exit status, fragment of the message, requests expected)
    "http-403": (lambda s, x: s.serve("/occupation.xlsx", status(403, HTML_PAGE)), 1,
                 "HTTP 403 Forbidden: BLS refuses clients without an identifying User-Agent", 1),
    "http-404": (lambda s, x: s.serve("/occupation.xlsx", status(404, HTML_PAGE)), 1,
                 "HTTP 404 Not Found: the file has moved", 1),
    "http-500": (lambda s, x: s.serve("/occupation.xlsx", status(500)), 1,
                 "HTTP 500 Internal Server Error (gave up after 3 attempts)", 3),
    "http-429": (lambda s, x: s.serve("/occupation.xlsx", status(429, headers={"Retry-After": "0"})), 1,
                 "HTTP 429 Too Many Requests (gave up after 3 attempts)", 3),
    "http-429-too-long": (lambda s, x: s.serve("/occupation.xlsx", status(429, headers={"Retry-After": "3600"})), 1,
                          "asks to retry after 3600 s, more than the 300 s limit", 1),
    "cut-off": (lambda s, x: s.serve("/occupation.xlsx", cut_off(x["ep"][:50_000], len(x["ep"]))), 1,
                f"download cut off after 50,000 of {409_620:,} bytes (gave up after 3 attempts)", 3),
    "html-200": (lambda s, x: s.serve("/occupation.xlsx", body(HTML_PAGE, ctype="text/html")), 2,
                 "served an HTML page (HTTP 200) instead of a data file", 1),
    "not-a-release": (lambda s, x: s.serve("/occupation.csv", body(b"SOC,Title\n29-2072,Medical records\n")), 2,
                      "not a BLS release we can read", 1),
    "other-workbook": (lambda s, x: s.serve("/occupation.xlsx", body(x["other"])), 2,
                       "no sheet named 'Table 1.2' (sheets: Sheet); not a BLS Employment Projections", 1),
    "damaged-workbook": (lambda s, x: s.serve("/occupation.xlsx", body(x["ep"][: len(x["ep"]) // 2])), 2,
                         "is not a readable .xlsx workbook", 1),
    # requests parses the Location with urllib, which raised ValueError ("Invalid IPv6 URL") as a traceback.
    "redirect-malformed": (lambda s, x: s.serve("/occupation.xlsx", status(302, headers={"Location": "http://[bad"})),
                           1, "redirected to 'http://[bad', which is not a URL that can be followed "
                           "(Invalid IPv6 URL)", 1),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_leaves_everything_as_it_was(name, project_with_reports, server, current_xlsx, capsys):
    p = project_with_reports
    setup, code, fragment, n_requests = FAULTS[name]
    wb, other = openpyxl.Workbook(), io.BytesIO()
    wb.active.append(["SOC code", "Title"])
    wb.active.append(["29-2072", "Medical records specialists"])
    wb.save(other)
    other = other.getvalue()
    url = setup(server, {"ep": current_xlsx, "other": other})
    path = url.split(":", 2)[2].split("/", 1)[1]
    before = snapshot(p)

    rc, out, err = run(capsys, "fetch", "--ep-url", url)

    assert rc == code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"career-report: error: {url}: "), lines[0]
    assert fragment in lines[0], lines[0]
    assert len(server.hits("/" + path)) == n_requests
    assert snapshot(p) == before
    assert leftovers(p) == []
    assert not state.state_path(p).exists()


def test_connection_refused(project_with_reports, capsys):
    p = project_with_reports
    url, before = _refused_url(), snapshot(p)
    rc, _, err = run(capsys, "fetch", "--ep-url", url, "--retries", "1")
    assert rc == 1
    assert err.strip() == f"career-report: error: {url}: connection refused (gave up after 2 attempts)"
    assert snapshot(p) == before and leftovers(p) == []


def test_server_that_never_answers_times_out(project_with_reports, capsys):
    """The server accepts the connection (the kernel's backlog does) but never sends a byte."""
    p = project_with_reports
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    url, before = f"http://127.0.0.1:{silent.getsockname()[1]}/occupation.xlsx", snapshot(p)
    try:
        t0 = time.monotonic()
        rc, _, err = run(capsys, "fetch", "--ep-url", url, "--timeout", "1", "--retries", "1")
        elapsed = time.monotonic() - t0
        connections = backlog(silent)
    finally:
        silent.close()
    assert rc == 1
    assert err.strip() == f"career-report: error: {url}: no response within 1 s"
    assert elapsed >= 0.9  # given up after its own timeout (a lower bound: load cannot make it shorter) ...
    assert connections == 1  # ... and not retried: counted, not timed
    assert snapshot(p) == before and leftovers(p) == []


def backlog(listener: socket.socket) -> int:
    """How many connections wait in ``listener``'s backlog (accepted here, then closed)."""
    listener.setblocking(False)
    n = 0
    while True:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return n
        conn.close()
        n += 1


def test_server_that_stops_sending_midway(project_with_reports, server, current_xlsx, capsys):
    given_up = threading.Event()

    def stall(h):
        h.send_response(200)
        h.send_header("Content-Length", str(len(current_xlsx)))
        h.end_headers()
        h.wfile.write(current_xlsx[:1000])
        h.wfile.flush()
        given_up.wait(120)  # silent until the client has given up (a fixed sleep could end first under load)

    p = project_with_reports
    url, before = server.serve("/occupation.xlsx", stall), snapshot(p)
    rc, _, err = run(capsys, "fetch", "--ep-url", url, "--timeout", "1")
    given_up.set()
    assert rc == 1
    assert err.strip() == f"career-report: error: {url}: stopped sending after 1,000 bytes (nothing for 1 s)"
    assert snapshot(p) == before and leftovers(p) == []


def test_retry_after_is_honoured_then_the_download_succeeds(tmp_project, server, current_xlsx, capsys):
    url = server.serve("/occupation.xlsx", status(429, headers={"Retry-After": "1"}), status(500),
                       body(current_xlsx, etag='"v1"'))
    rc, out, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 0, err
    hits = server.hits("/occupation.xlsx")
    assert len(hits) == 3
    assert hits[1]["t"] - hits[0]["t"] >= 0.95  # waited as asked
    assert "unchanged" in out


def test_refresh_with_a_fault_builds_nothing(project_with_reports, server, capsys):
    p = project_with_reports
    url, before = server.serve("/occupation.xlsx", status(503)), snapshot(p)
    rc, out, err = run(capsys, "refresh", "--ep-url", url, "--only", "29-2072", "--format", "html")
    assert rc == 1
    assert err.strip() == f"career-report: error: {url}: HTTP 503 Service Unavailable (gave up after 3 attempts)"
    assert snapshot(p) == before and leftovers(p) == []


def test_a_second_fetch_exits_with_a_clear_message_or_waits(tmp_project, server, current_xlsx, capsys):
    from analysis.locks import exclusive

    p = tmp_project
    url = server.serve("/occupation.xlsx", body(current_xlsx, etag='"v1"'))
    before = snapshot(p)
    with exclusive(p.data / fetch.LOCK, "fetch"):
        rc, out, err = run(capsys, "fetch", "--ep-url", url)
        assert rc == 75
        assert err.startswith(f"career-report: error: {p.data}: another fetch is running (pid ")
        assert len(err.strip().splitlines()) == 1 and "--wait" in err
        assert server.hits("/occupation.xlsx") == [] and snapshot(p) == before and leftovers(p) == []

    lock = exclusive(p.data / fetch.LOCK, "fetch").__enter__()
    threading.Timer(1.0, lock.__exit__, (None, None, None)).start()
    t0 = time.monotonic()
    rc, out, err = run(capsys, "fetch", "--ep-url", url, "--wait")
    assert rc == 0, err
    assert time.monotonic() - t0 >= 0.9 and len(server.hits("/occupation.xlsx")) == 1
    assert "unchanged" in out


# --------------------------------------------------------------------------------------------------
# Limits: size, unpacked size, time; what a killed fetch left
# --------------------------------------------------------------------------------------------------


def zeros_after(data: bytes, n: int, zf: zipfile.ZipFile | None = None, member: str = "") -> bytes:
    """``data`` followed by ``n`` zero bytes, gzip-compressed (a small file that unpacks a thousandfold), or
    written as ``member`` of ``zf`` without ever holding the zeros in memory."""
    zeros = bytes(1 << 20)
    if zf is not None:
        with zf.open(member, "w") as out:
            out.write(data)
            for _ in range(n >> 20):
                out.write(zeros)
        return b""
    z = zlib.compressobj(wbits=31)
    return z.compress(data) + b"".join(z.compress(zeros) for _ in range(n >> 20)) + z.flush()


def xlsx_bomb(xlsx: bytes) -> bytes:
    """The real workbook with one more member declaring 20 MB (zeros: 20 kB compressed)."""
    buf = io.BytesIO(xlsx)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zeros_after(b"", 20 << 20, zf, "xl/media/padding.bin")
    return buf.getvalue()


def oews_bomb(rows: list[list[str]]) -> bytes:
    """An OEWS zip whose one data file is real rows followed by 20 MB of zeros."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zeros_after(text.getvalue().encode(), 20 << 20, zf, "oesm26nat/national_M2026_dl.csv")
    return buf.getvalue()


def gz_rows(rows: list[list[str]], zeros: int = 0) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return zeros_after(text.getvalue().encode(), zeros)


OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
LIMITS = {
    # name: (set up -> URL, settings, exit status, message after the URL (a regex), requests expected). No time
    # bound: the message (the limit it names, the bytes received) shows where the download stopped, whatever the load
    "endless-body": (lambda s, x: s.serve("/occupation.xlsx", endless_chunks), {"MAX_BYTES": "1_000_000"}, 1,
                     r"more than the (--)?max.bytes limit of 1,000,000 bytes; download stopped there", 1),
    "announced-too-big": (lambda s, x: s.serve("/occupation.xlsx", drip(OK_HEAD + b"Content-Length: 10000000000\r\n"
                                                                        b"\r\n", b"")), {"MAX_BYTES": "1000000"}, 1,
                          r"the server announces 10,000,000,000 bytes, more than the (--)?max.bytes limit of "
                          r"1,000,000; not downloaded$", 1),
    "drip-body": (lambda s, x: s.serve("/occupation.xlsx", drip(OK_HEAD + b"Content-Length: %d\r\n\r\n"
                                                                % len(x["ep"]), x["ep"])),
                  {"MAX_SECONDS": "1"}, 1,
                  r"not complete within the (--)?max.seconds limit of 1 s \(\d{1,2} bytes received\)$", 1),
    "drip-headers": (lambda s, x: s.serve("/occupation.xlsx", drip(OK_HEAD + b"X-Drip: " + b"." * 400, b"",
                                                                   header=True)),
                     {"MAX_SECONDS": "1"}, 1, r"no complete response within the (--)?max.seconds limit of 1 s$", 1),
    "xlsx-bomb": (lambda s, x: s.serve("/occupation.xlsx", body(xlsx_bomb(x["ep"]))),
                  {"MAX_UNPACKED_BYTES": "5000000"}, 2,
                  r"unpacks to 24,\d{3},\d{3} bytes, more than the (--)?max.unpacked.bytes limit of 5,000,000 "
                  r"\(a zip bomb\?\)$", 1),
    "zip-bomb": (lambda s, x: s.serve("/oesm26nat.zip", body(oews_bomb(x["oews"]["nat"]))),
                 {"MAX_UNPACKED_BYTES": "5000000"}, 2,
                 r"unpacks to 20,\d{3},\d{3} bytes, more than the (--)?max.unpacked.bytes limit of 5,000,000 "
                 r"\(a zip bomb\?\)$", 1),
    "gzip-bomb": (lambda s, x: s.serve("/national_M2026_dl.csv.gz", body(gz_rows(x["oews"]["nat"], 20 << 20))),
                  {"MAX_UNPACKED_BYTES": "5000000"}, 2,
                  r"unpacks to more than the (--)?max.unpacked.bytes limit of 5,000,000 bytes; stopped there "
                  r"\(a gzip bomb\?\)$", 1),
}


@pytest.mark.parametrize("name", list(LIMITS))
def test_limit_leaves_everything_as_it_was(name, project_with_reports, server, current_xlsx, oews_parts, capsys,
                                           monkeypatch):
    p = project_with_reports
    setup, settings, code, message, n_requests = LIMITS[name]
    for key, value in settings.items():
        monkeypatch.setenv("CAREER_OUTLOOK_FETCH_" + key, value)
    url = setup(server, {"ep": current_xlsx, "oews": oews_parts})
    path = "/" + url.split(":", 2)[2].split("/", 1)[1]
    flag = "--ep-url" if path == "/occupation.xlsx" else "--oews-url"
    before = snapshot(p)

    rc, out, err = run(capsys, "fetch", "--sources", "ep" if flag == "--ep-url" else "oews", flag, url)

    assert rc == code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"career-report: error: {url}: "), lines[0]
    assert re.search(message, lines[0]), lines[0]
    assert len(server.hits(path)) == n_requests  # none of these is retried
    assert snapshot(p) == before
    assert leftovers(p) == []
    assert not state.state_path(p).exists()


def test_the_readers_own_limit_holds_under_fetch(project_with_reports, server, current_xlsx, capsys, monkeypatch):
    """With the fetch's limit left at its default, the readers' fixed one still refuses the bomb."""
    p = project_with_reports
    monkeypatch.setattr(sniff, "MAX_UNPACKED_BYTES", 5_000_000)
    url, before = server.serve("/occupation.xlsx", body(xlsx_bomb(current_xlsx))), snapshot(p)
    rc, _, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 2
    assert re.fullmatch(rf"career-report: error: {re.escape(url)}: unpacks to 24,\d{{3}},\d{{3}} bytes, more than "
                        r"the readers' limit of 5,000,000 \(a zip bomb\?\)", err.strip()), err
    assert snapshot(p) == before and leftovers(p) == []


def test_limits_leave_real_files_alone(tmp_project, server, current_xlsx, capsys, monkeypatch):
    """The workbook (410 kB, 3.1 MB unpacked) passes limits just above its size."""
    for key, value in {"MAX_BYTES": "420000", "MAX_UNPACKED_BYTES": "3100000", "MAX_SECONDS": "30"}.items():
        monkeypatch.setenv("CAREER_OUTLOOK_FETCH_" + key, value)
    url = server.serve("/occupation.xlsx", body(current_xlsx))
    rc, out, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 0, err
    assert out.startswith("unchanged")


def test_a_fetch_clears_what_a_killed_fetch_left(tmp_project, server, current_xlsx, capsys):
    """kill -9 leaves a fetch's temp folder (with a .part download) and maybe a half-written state file; the
    next fetch (holding the lock, so nothing else writes there) removes them, and only them."""
    p = tmp_project
    incoming = p.data / fetch.INCOMING
    part = incoming / "fetch-k1ll3d" / "0" / "0" / ".download-x7.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(current_xlsx[:5000])
    (incoming / "fetch-3mpty").mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = p.data / f".{state.STATE_FILE}.{MARK}-{int(gone.stdout)}-a1b2.tmp"
    stale.write_text('{"half": ')
    others = [incoming / "notes.txt", incoming / "fetch-notes.txt", p.data / "x.part"]  # not names a fetch makes
    for f in others:
        f.write_text("not the fetch's")
    url = server.serve("/occupation.xlsx", body(current_xlsx))

    rc, out, err = run(capsys, "fetch", "--ep-url", url)

    assert rc == 0, err
    assert out.splitlines()[0] == ("cleaned      what an interrupted fetch left: data/.incoming/fetch-3mpty, "
                                   f"data/.incoming/fetch-k1ll3d, data/{stale.name}")
    assert sorted(os.listdir(incoming)) == ["fetch-notes.txt", "notes.txt"]
    assert not stale.exists() and all(f.read_text() == "not the fetch's" for f in others)
    assert "unchanged" in out
    for f in others:
        f.unlink()
    incoming.rmdir()  # nothing else was left in it
    assert leftovers(p) == []


# --------------------------------------------------------------------------------------------------
# Politeness, conditional requests, configuration
# --------------------------------------------------------------------------------------------------


def test_unchanged_release_is_a_no_op_then_a_304(tmp_project, server, current_xlsx, capsys):
    p = tmp_project
    url = server.serve("/occupation.xlsx", body(current_xlsx, etag='"abc"'))
    before = snapshot(p)

    rc, out, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 0, err
    assert out.startswith(f"unchanged    {url}: same file as data/raw/bls-ep/2024-34/occupation.xlsx")
    assert "nothing new" in err
    saved = json.loads(state.state_path(p).read_text())[url]
    assert saved["etag"] == '"abc"' and saved["raw_path"] == "data/raw/bls-ep/2024-34/occupation.xlsx"
    assert saved["sha256"] == sha256_file(p.raw / EP_2024)

    rc, out, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 0, err
    assert out.startswith("not-modified")
    first, second = server.hits("/occupation.xlsx")
    assert "If-None-Match" not in first["headers"]
    assert second["headers"]["If-None-Match"] == '"abc"'
    assert second["headers"]["If-Modified-Since"] == "Wed, 10 Sep 2025 12:00:00 GMT"
    for h in (first, second):
        assert h["headers"]["User-Agent"] == "career-outlook/0.1.0 (+contact: tests@example.org)"
    assert snapshot(p) == before and leftovers(p) == []


def test_conditional_headers_only_while_the_raw_file_is_on_hand(tmp_project, server, current_xlsx, capsys):
    p = tmp_project
    url = server.serve("/occupation.xlsx", body(current_xlsx, etag='"abc"'))
    state.write_state(p, {url: {"etag": '"abc"', "raw_path": "data/raw/bls-ep/2099-09/gone.xlsx"}})
    rc, out, _ = run(capsys, "fetch", "--ep-url", url)
    assert rc == 0 and out.startswith("unchanged")
    assert "If-None-Match" not in server.hits("/occupation.xlsx")[0]["headers"]


def test_pause_between_requests(tmp_project, server, current_xlsx, capsys):
    a = server.serve("/a/occupation.xlsx", body(current_xlsx))
    b = server.serve("/b/occupation.xlsx", body(current_xlsx))
    rc, _, err = run(capsys, "fetch", "--ep-url", a, "--ep-url", b, "--pause", "0.5")
    assert rc == 0, err
    (ha,), (hb,) = server.hits("/a/occupation.xlsx"), server.hits("/b/occupation.xlsx")
    assert hb["t"] - ha["t"] >= 0.45


def test_config_precedence(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text('[tool.career-outlook.fetch]\nep_urls = "https://a.example/x.xlsx"\n'
                                         'oews_urls = ["https://a.example/n.zip", "https://a.example/s.zip"]\n'
                                         'contact = "ops@example.org"\ntimeout = 30\npause = 7\n')
    p = project(root)
    cfg = config.load_config(p, environ={})
    assert cfg.ep_urls == ["https://a.example/x.xlsx"]
    assert cfg.oews_urls == ["https://a.example/n.zip", "https://a.example/s.zip"]
    assert (cfg.timeout, cfg.pause, cfg.retries) == (30.0, 7.0, 3)
    assert cfg.agent == "career-outlook/0.1.0 (+contact: ops@example.org)"
    cfg = config.load_config(p, {"timeout": 5}, environ={"CAREER_OUTLOOK_FETCH_TIMEOUT": "9",
                                                         "CAREER_OUTLOOK_OEWS_URLS": ""})
    assert (cfg.timeout, cfg.oews_urls) == (5.0, [])
    assert config.Config().agent == "career-outlook/0.1.0 (+contact: set CAREER_OUTLOOK_CONTACT)"
    assert config.Config().timeout <= 60 and config.Config().max_retry_after <= 300
    with pytest.raises(ParameterError, match="not an http"):
        config.load_config(p, {"ep_urls": ["ftp://x"]}, environ={})
    (root / "pyproject.toml").write_text('[tool.career-outlook.fetch]\ntimout = 3\n')
    with pytest.raises(ParameterError, match="unknown key.*timout"):
        config.load_config(p, environ={})


def test_limit_settings(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.career-outlook.fetch]\nmax_bytes = 1_000_000\nmax_seconds = 600\n")
    p = project(root)
    cfg = config.load_config(p, environ={})
    assert (cfg.max_bytes, cfg.max_seconds, cfg.max_unpacked_bytes) == (1_000_000, 600.0, sniff.MAX_UNPACKED_BYTES)
    env = {"CAREER_OUTLOOK_FETCH_MAX_BYTES": "2_000", "CAREER_OUTLOOK_FETCH_MAX_SECONDS": "9",
           "CAREER_OUTLOOK_FETCH_MAX_UNPACKED_BYTES": "3000"}
    cfg = config.load_config(p, {"max_seconds": 5}, environ=env)
    assert (cfg.max_bytes, cfg.max_seconds, cfg.max_unpacked_bytes) == (2000, 5.0, 3000)
    # BLS's largest download is about 90 MB, and a workbook's XML about ten times its zip.
    default = config.Config()
    assert default.max_bytes >= 2 * 90e6 and default.max_unpacked_bytes >= 2 * 900e6 and default.max_seconds >= 1800
    assert default.max_unpacked_bytes == sniff.MAX_UNPACKED_BYTES
    with pytest.raises(ParameterError, match="max_bytes=0: must be positive"):
        config.load_config(p, {"max_bytes": 0}, environ={})
    with pytest.raises(ParameterError, match=r"max_unpacked_bytes='2GB': expected a number \(a whole number\)"):
        config.load_config(p, environ={"CAREER_OUTLOOK_FETCH_MAX_UNPACKED_BYTES": "2GB"})


@pytest.mark.parametrize("retry_after", ["Wed, 21 Oct 2015 07:28:00 GMT", "soon"])
def test_retry_after_as_a_past_date_or_unreadable_is_retried(tmp_project, server, current_xlsx, capsys, retry_after):
    """An HTTP date in the past means 'now'; a value that is neither seconds nor a date falls back to the
    back-off. Either way the next attempt succeeds."""
    url = server.serve("/occupation.xlsx", status(503, headers={"Retry-After": retry_after}),
                       body(current_xlsx, etag='"v1"'))
    rc, out, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 0, err
    assert len(server.hits("/occupation.xlsx")) == 2 and "unchanged" in out


def test_a_redirect_loop_is_one_line(project_with_reports, server, capsys):
    p = project_with_reports
    url = server.serve("/occupation.xlsx", status(302, headers={"Location": "/occupation.xlsx"}))
    before = snapshot(p)
    rc, _, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 1
    assert err.strip() == f"career-report: error: {url}: redirected more than 10 times (a redirect loop?)"
    assert snapshot(p) == before and leftovers(p) == []


# --------------------------------------------------------------------------------------------------
# OEWS: zips, national + state combined, a year already on hand
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def oews_parts(real) -> dict[str, list[list[str]]]:
    """National and state rows of the real May 2025 file for three occupations, as CSV rows."""
    with gzip.open(real.raw / OEWS_2025, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head, occ, at = rows[0], rows[0].index("OCC_CODE"), rows[0].index("AREA_TYPE")
    keep = [r for r in rows[1:] if r[occ] in ("00-0000", "29-2072", "15-1252")]
    return {"nat": [head] + [r for r in keep if r[at] == "1"], "st": [head] + [r for r in keep if r[at] == "2"]}


def oews_zip(rows: list[list[str]], member: str) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, text.getvalue())
        zf.writestr(member.split("/")[0] + "/field_descriptions.xlsx", b"not looked at")
    return buf.getvalue()


@pytest.mark.slow
def test_oews_national_and_state_zips_are_combined_and_added(tmp_project, server, oews_parts, capsys):
    p = tmp_project
    # May 2025 as nation and states only, so a May 2026 of the same kind is complete (not held, as a partial year
    # is: test_a_partial_oews_download_is_held_not_made_the_latest)
    for kind in ("metro", "national_industry"):
        (p.raw / f"bls-oews/2025/oews_{kind}_M2025.csv.gz").unlink()
        sources.sidecar_path(p.raw / f"bls-oews/2025/oews_{kind}_M2025.csv.gz").unlink()
    nat = server.serve("/oesm26nat.zip", body(oews_zip(oews_parts["nat"], "oesm26nat/national_M2026_dl.csv"), '"n"'))
    st = server.serve("/oesm26st.zip", body(oews_zip(oews_parts["st"], "oesm26st/state_M2026_dl.csv"), '"s"'))

    rc, out, err = run(capsys, "fetch", "--sources", "oews", "--oews-url", nat, "--oews-url", st)

    assert rc == 0, err
    dest = p.raw / "bls-oews/2026/oews_national_state_M2026.csv.gz"
    assert out.strip() == ("added        OEWS May 2026 national-state: stored data/raw/bls-oews/2026/"
                           f"oews_national_state_M2026.csv.gz from {nat}; {st}; data/processed rebuilt")
    meta = sources.read_sidecar(dest)
    assert meta["url"] == f"{nat}; {st}" and meta["wage_year"] == 2026 and "concatenated" in meta["retrieved_from"]
    w = store.table("wages", p)
    got = w[w["wage_year"] == 2026]
    assert len(got) == len(oews_parts["nat"]) + len(oews_parts["st"]) - 2
    assert set(got["area_type"]) == {1, 2}
    assert leftovers(p) == []

    before = snapshot(p)
    rc, out, _ = run(capsys, "fetch", "--sources", "oews", "--oews-url", nat, "--oews-url", st)
    assert rc == 0 and out.startswith("not-modified")
    assert snapshot(p) == before


def test_oews_year_already_on_hand_is_kept(tmp_project, server, oews_parts, capsys):
    p = tmp_project
    nat = server.serve("/oesm25nat.zip", body(oews_zip(oews_parts["nat"], "oesm25nat/national_M2025_dl.csv")))
    st = server.serve("/oesm25st.zip", body(oews_zip(oews_parts["st"], "oesm25st/state_M2025_dl.csv")))
    before = snapshot(p)
    rc, out, err = run(capsys, "fetch", "--sources", "oews", "--oews-url", nat, "--oews-url", st)
    assert rc == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("on-hand") for line in lines)
    assert ("OEWS May 2025 national-state is already on hand as data/raw/bls-oews/2025/oews_national_state_M2025.csv.gz"
            in lines[0])
    assert snapshot(p) == before and leftovers(p) == []


def test_default_oews_urls_cover_every_kind(tmp_path):
    """The nation, the states, the metropolitan and nonmetropolitan areas, the nation by industry: BLS's names for the
    May year's downloads, configurable as one list like the others."""
    assert config.Config().oews_urls == [f"https://www.bls.gov/oes/special-requests/oesm25{part}.zip"
                                         for part in ("nat", "st", "ma", "in4")]
    root = tmp_path / "proj"
    root.mkdir()
    p = project(root)
    assert config.load_config(p, environ={}).oews_urls == config.DEFAULT_OEWS_URLS
    urls = "https://www.bls.gov/oes/special-requests/oesm26ma.zip https://www.bls.gov/oes/special-requests/oesm26in4.zip"
    assert config.load_config(p, environ={"CAREER_OUTLOOK_OEWS_URLS": urls}).oews_urls == urls.split()


@pytest.fixture(scope="session")
def oews_areas_industries(real) -> dict[str, list[list[str]]]:
    """Rows of the real May 2025 metropolitan and industry files for the occupations of ``oews_parts``: two MSAs,
    a nonmetropolitan area; 3- and 4-digit industries (each with the header)."""
    out = {}
    for name, column, parts in (("metro", "AREA", {"msa": {"26420", "41940"}, "bos": {"0100001"}}),
                                ("national_industry", "NAICS", {"nat3d": {"621000", "622000"},
                                                                "nat4d": {"621100", "622100"}})):
        with gzip.open(real.raw / f"bls-oews/2025/oews_{name}_M2025.csv.gz", "rt", encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        head, occ, at = rows[0], rows[0].index("OCC_CODE"), rows[0].index(column)
        keep = [r for r in rows[1:] if r[occ] in ("00-0000", "29-2072", "15-1252")]
        out.update({part: [head] + [r for r in keep if r[at] in codes] for part, codes in parts.items()})
    return out


def oews_multi_zip(members: dict[str, list[list[str]]]) -> bytes:
    """A BLS-style zip of several CSV files (and a field descriptions file, which is not data)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, rows in members.items():
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows(rows)
            zf.writestr(member, text.getvalue())
        zf.writestr(next(iter(members)).split("/")[0] + "/field_descriptions.xlsx", b"not looked at")
    return buf.getvalue()


@pytest.mark.slow
def test_oews_downloads_of_every_kind_are_combined_by_kind(tmp_project, server, oews_parts, oews_areas_industries,
                                                           capsys):
    """The four May 2026 downloads: nation and state combined, the MSA and nonmetropolitan files of one zip
    combined, the 3- and 4-digit files of one zip combined; three files stored, each with its kind."""
    p, parts = tmp_project, oews_areas_industries
    nat = server.serve("/oesm26nat.zip", body(oews_zip(oews_parts["nat"], "oesm26nat/national_M2026_dl.csv"), '"n"'))
    st = server.serve("/oesm26st.zip", body(oews_zip(oews_parts["st"], "oesm26st/state_M2026_dl.csv"), '"s"'))
    ma = server.serve("/oesm26ma.zip", body(oews_multi_zip({"oesm26ma/MSA_M2026_dl.csv": parts["msa"],
                                                            "oesm26ma/BOS_M2026_dl.csv": parts["bos"]}), '"m"'))
    ind = server.serve("/oesm26in4.zip", body(oews_multi_zip({"oesm26in4/nat3d_M2026_dl.csv": parts["nat3d"],
                                                              "oesm26in4/nat4d_M2026_dl.csv": parts["nat4d"]}), '"i"'))
    urls = [nat, st, ma, ind]

    rc, out, err = run(capsys, "fetch", "--sources", "oews", *[a for u in urls for a in ("--oews-url", u)])

    assert rc == 0, err
    stored = "added        OEWS May 2026 {kind}: stored data/raw/bls-oews/2026/oews_{name}_M2026.csv.gz from {got}; " \
             "data/processed rebuilt"
    assert out.strip().splitlines() == [
        stored.format(kind="metro", name="metro", got=ma),
        stored.format(kind="national-industry", name="national_industry", got=ind),
        stored.format(kind="national-state", name="national_state", got=f"{nat}; {st}")]
    for name, kind, n in (("metro", "metro", 2), ("national_industry", "national-industry", 2),
                          ("national_state", "national-state", 2)):
        meta = sources.read_sidecar(p.raw / f"bls-oews/2026/oews_{name}_M2026.csv.gz")
        assert (meta["kind"], meta["wage_year"]) == (kind, 2026)
        assert f"rows of the {n} files of the download(s) concatenated unchanged" in meta["retrieved_from"]
    w = store.table("wages", p)
    assert set(w.loc[w.wage_year == 2026, "area_code"]) - {"99"} >= {"26420", "41940", "0100001", "06"}
    ind_rows = store.table("wages_industries", p)
    hosp = ind_rows[(ind_rows.wage_year == 2026) & (ind_rows.naics == "622100") & (ind_rows.soc_code == "29-2072")]
    assert hosp[["employment_people", "share_of_occupation_percent"]].values.tolist() == [[51_740, 26.6]]
    assert leftovers(p) == []

    before = snapshot(p)
    rc, out, _ = run(capsys, "fetch", "--sources", "oews", *[a for u in urls for a in ("--oews-url", u)])
    assert rc == 0 and out.startswith("not-modified") and snapshot(p) == before


def test_oews_kind_already_on_hand_is_kept(tmp_project, server, oews_areas_industries, capsys):
    """A May 2025 MSA download while the metropolitan file of May 2025 is on hand: kept as it is."""
    p, parts = tmp_project, oews_areas_industries
    ma = server.serve("/oesm25ma.zip", body(oews_multi_zip({"oesm25ma/MSA_M2025_dl.csv": parts["msa"],
                                                            "oesm25ma/BOS_M2025_dl.csv": parts["bos"]})))
    before = snapshot(p)
    rc, out, err = run(capsys, "fetch", "--sources", "oews", "--oews-url", ma)
    assert rc == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("on-hand") for line in lines)
    assert ("OEWS May 2025 metro is already on hand as data/raw/bls-oews/2025/oews_metro_M2025.csv.gz" in lines[0])
    assert snapshot(p) == before and leftovers(p) == []


def test_zip_with_no_data_file_is_bad_content(project_with_reports, server, capsys):
    p = project_with_reports
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "nothing here")
    url, before = server.serve("/oesm26nat.zip", body(buf.getvalue())), snapshot(p)
    rc, _, err = run(capsys, "fetch", "--sources", "oews", "--oews-url", url)
    assert rc == 2
    assert err.strip() == (f"career-report: error: {url}: zip holds 0 data files (.xlsx/.csv) where at least one "
                           "was expected: readme.txt")
    assert snapshot(p) == before and leftovers(p) == []


# --------------------------------------------------------------------------------------------------
# The full refresh: the current release (no-op), then a newer one
# --------------------------------------------------------------------------------------------------


def _shift(v):
    return v.replace("2034", "2035").replace("2024", "2025").replace("–34", "–35") if isinstance(v, str) else v


@pytest.fixture(scope="session")
def next_release(real, tmp_path_factory) -> bytes:
    """A 2025-35 occupation.xlsx made from the real 2024-34 one: years shifted, 29-2072 growing faster.

    29-2072: 2035 employment 208.6 -> 211.6 thousand, change 13.8 -> 16.8, percent 7.1 -> 8.6 (16.8/194.8),
    openings 14.2 -> 15.0; the total row moves by the same amounts, so every check still holds.
    """
    wb = openpyxl.load_workbook(real.raw / EP_2024, read_only=True, data_only=True)
    sheets = {n: [list(r) for r in wb[n].iter_rows(values_only=True)] for n in ("Table 1.2", "Table 1.10")}
    wb.close()
    for rows in sheets.values():
        rows[0], rows[1] = [_shift(v) for v in rows[0]], [_shift(v) for v in rows[1]]
        head = rows[1]
        proj, num, pct = head.index("Employment, 2035"), head.index("Employment change, numeric, 2025–35"), \
            head.index("Employment change, percent, 2025–35")
        opn = head.index("Occupational openings, 2025–35 annual average")
        for r in rows[2:]:
            if len(r) > 1 and r[1] in ("29-2072", "00-0000"):
                r[proj] = round(r[proj] + 3.0, 1)
                r[num] = round(r[num] + 3.0, 1)
                r[opn] = round(r[opn] + 0.8, 1)
                if r[1] == "29-2072":
                    assert r[pct] == 7.1
                    r[pct] = 8.6
    out = tmp_path_factory.mktemp("next") / "occupation.xlsx"
    new = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = new.create_sheet(name)
        for r in rows:
            ws.append(r)
    new.save(out)
    return out.read_bytes()


@pytest.mark.slow
def test_full_refresh(tmp_project, server, current_xlsx, next_release, capsys):
    p = tmp_project
    socs = ["29-2072", "15-1252"]
    args = ["refresh", "--only", *socs, "--format", "html", "--jobs", "1"]
    url = server.serve("/occupation.xlsx", body(current_xlsx, etag='"2024-34"'))

    # The first run builds the small catalogue; BLS still serves the release we have.
    rc, out, err = run(capsys, *args, "--ep-url", url)
    assert rc == 0, err
    assert out.startswith("unchanged")
    assert "2 built, 0 up to date, 0 failed" in err
    index = (p.reports / "index.html").read_text()
    assert 'href="changes.html"' in index
    assert "Employment Projections 2023-33 → 2024-34" in (p.reports / "changes.html").read_text()

    # Again: 304, nothing rebuilt, nothing on disk changed.
    before = snapshot(p)
    rc, out, err = run(capsys, *args, "--ep-url", url)
    assert rc == 0, err
    assert out.startswith("not-modified")
    assert "0 built, 2 up to date, 0 failed" in err
    after = snapshot(p)
    assert {k for k in after["reports"].keys() | before["reports"].keys()
            if after["reports"].get(k) != before["reports"].get(k)} == set()
    assert after == before

    # BLS publishes 2025-35.
    server.serve("/occupation.xlsx", body(next_release, etag='"2025-35"'))
    rc, out, err = run(capsys, *args, "--ep-url", url)
    assert rc == 0, err
    dest = p.raw / "bls-ep/2025-35/occupation.xlsx"
    assert dest.read_bytes() == next_release
    meta = sources.read_sidecar(dest)
    assert (meta["vintage"], meta["url"]) == ("2025-35", url)
    assert 'ETag "2025-35"' in meta["retrieved_from"]
    assert store.vintages(p)[0] == "2025-35"
    assert store.quick_facts("29-2072", None, p)["change_percent"] == 8.6
    assert "added        Employment Projections 2025-35: stored data/raw/bls-ep/2025-35/occupation.xlsx" in out
    assert "What changed, Employment Projections 2024-34 -> 2025-35" in out
    assert "29-2072  Medical records specialists: +7.1% -> +8.6% (+1.5 pts)" in out
    assert "2 built, 0 up to date, 0 failed" in err  # a new vintage changes every report's 'latest'
    page = (p.reports / "changes.html").read_text()
    assert "Employment Projections 2024-34 → 2025-35" in page
    assert 'href="29-2072-medical-records-specialists/report.html"' in page
    man = json.loads((p.reports / "manifest.json").read_text())["reports"]
    assert {e["parameters"]["vintage"] for e in man.values()} == {"2025-35"}
    assert leftovers(p) == []


def test_refresh_with_a_bad_out_folder_stops_before_downloading(tmp_project, server, current_xlsx, tmp_path, capsys):
    url = server.serve("/occupation.xlsx", body(current_xlsx))
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    rc, out, err = run(capsys, "refresh", "--ep-url", url, "--out", str(afile))
    assert rc == 2
    assert err.strip() == f"career-report: error: --out {afile}: not a folder"
    assert server.hits("/occupation.xlsx") == [] and afile.read_text() == "not a folder"


@pytest.mark.parametrize("code,message", [
    ("99-9999", "SOC code 99-9999 is not in the {latest} projections; closest: "),
    ("29-20", "SOC code '29-20' is malformed: expected the form NN-NNNN"),
    ("\uff12\uff19-\uff12\uff10\uff17\uff12", "is malformed: expected the form NN-NNNN"),
])
def test_refresh_with_an_unknown_only_code_stops_before_downloading(code, message, project_with_reports, server,
                                                                    current_xlsx, capsys):
    """`refresh --only X` checked X only after the night's download."""
    p = project_with_reports
    url, before = server.serve("/occupation.xlsx", body(current_xlsx)), snapshot(p)
    rc, out, err = run(capsys, "refresh", "--ep-url", url, "--only", "29-2072", code, "--format", "html")
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message.format(latest=store.vintages(p)[0]) in lines[0], lines
    assert server.hits("/occupation.xlsx") == [] and snapshot(p) == before and leftovers(p) == []


# --------------------------------------------------------------------------------------------------
# Round three (issue 25): planted state, links out of the project, encrypted zips, a 304 out of turn
# --------------------------------------------------------------------------------------------------


def not_modified(h):
    """304 whatever was asked: a misbehaving server or proxy."""
    h.send_response(304)
    h.send_header("ETag", '"x"')
    h.end_headers()


def test_a_304_to_an_unconditional_request_is_not_nothing_new(project_with_reports, server, capsys):
    p = project_with_reports
    url, before = server.serve("/occupation.xlsx", not_modified), snapshot(p)
    rc, out, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 1
    assert err == (f"career-report: error: {url}: HTTP 304 Not Modified to a request that named no version (no "
                   "If-None-Match or If-Modified-Since); a misbehaving server or proxy: nothing recorded\n")
    assert "If-None-Match" not in server.hits("/occupation.xlsx")[0]["headers"]
    assert not state.state_path(p).exists()  # not recorded as checked
    assert snapshot(p) == before and leftovers(p) == []


@pytest.mark.parametrize(("plant", "problem"), [
    ("etag-int", "entry '{url}': etag is a JSON int, expected text"),
    ("deep", "JSON nested more than 32 levels deep; not a file we wrote"),
    ("dev-zero", "is a symbolic link (to '/dev/zero'); refused"),
    ("list", "holds a JSON list, not the dict we write"),
], ids=["etag-int", "deep", "dev-zero", "list"])
def test_a_planted_fetch_state_is_one_line_and_the_fetch_goes_on(tmp_project, server, current_xlsx, capsys, plant,
                                                                 problem):
    """An ETag of 5 failed every nightly fetch with requests' InvalidHeader; deep JSON with a RecursionError; a link
    to /dev/zero read until memory ran out. Now: one line naming the file, a full download, a state rewritten."""
    p = tmp_project
    url = server.serve("/occupation.xlsx", body(current_xlsx, etag='"abc"'))
    path = state.state_path(p)
    {"etag-int": lambda: path.write_text(json.dumps({url: {"etag": 5, "raw_path": str(EP_2024)}})),
     "deep": lambda: path.write_text("[" * 100_000 + "]" * 100_000),
     "dev-zero": lambda: path.symlink_to("/dev/zero"),
     "list": lambda: path.write_text("[]")}[plant]()
    before = snapshot(p)
    rc, out, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 0, err
    assert out.splitlines()[0] == (f"{path}: {problem.format(url=url)}; ignored: every file is downloaded in full "
                                   "this time")
    assert "If-None-Match" not in server.hits("/occupation.xlsx")[0]["headers"]
    assert not path.is_symlink() and json.loads(path.read_text())[url]["etag"] == '"abc"'
    assert snapshot(p) == before and leftovers(p) == []


def test_fetch_never_cleans_through_a_linked_incoming_folder(tmp_project, server, current_xlsx, tmp_path, capsys):
    """data/.incoming a link to another disk: a fetch "cleaned" a fetch-* folder there, recursively. Refused."""
    p = tmp_project
    bigger = tmp_path / "bigger-disk"
    (bigger / "fetch-someone-elses").mkdir(parents=True)
    (bigger / "fetch-someone-elses" / "work.txt").write_text("not ours")
    (p.data / fetch.INCOMING).symlink_to(bigger)
    url, before = server.serve("/occupation.xlsx", body(current_xlsx)), snapshot(p)
    rc, out, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 2
    assert err == (f"career-report: error: {p.data / fetch.INCOMING}: is a symbolic link (to {str(bigger)!r}); a "
                   "fetch downloads and cleans only inside the project's data folder: remove the link\n")
    assert (bigger / "fetch-someone-elses" / "work.txt").read_text() == "not ours"
    assert sorted(os.listdir(bigger)) == ["fetch-someone-elses"]
    assert server.hits("/occupation.xlsx") == []  # nothing downloaded
    assert snapshot(p) == before


def test_a_planted_fetch_lock_is_one_line(tmp_project, server, current_xlsx, capsys):
    p = tmp_project
    (p.data / fetch.LOCK).symlink_to("/dev/zero")
    url, before = server.serve("/occupation.xlsx", body(current_xlsx)), snapshot(p)
    rc, out, err = run(capsys, "fetch", "--ep-url", url)
    assert rc == 2
    assert err == (f"career-report: error: {p.data / fetch.LOCK}: lock file is a symbolic link (to '/dev/zero'); "
                   "remove it\n")
    assert server.hits("/occupation.xlsx") == [] and snapshot(p) == before


def encrypted(data: bytes) -> bytes:
    """``data`` (a zip) with every member marked encrypted (flag bit 0), as a password-protected zip says it is."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    out = bytearray(data)
    for info in zf.infolist():
        at = info.header_offset + 6  # the local header's flag bits
        out[at] |= 1
    at = data.rfind(b"PK\x01\x02")
    while at != -1:  # each central directory record's flag bits
        out[at + 8] |= 1
        at = data.rfind(b"PK\x01\x02", 0, at)
    return bytes(out)


def test_an_encrypted_zip_member_is_one_line_exit_2(project_with_reports, server, oews_parts, capsys):
    p = project_with_reports
    data = encrypted(oews_zip(oews_parts["nat"], "oesm26nat/national_M2026_dl.csv"))
    assert all(i.flag_bits & 1 for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    url, before = server.serve("/oesm26nat.zip", body(data)), snapshot(p)
    rc, _, err = run(capsys, "fetch", "--sources", "oews", "--oews-url", url)
    assert rc == 2
    assert err == (f"career-report: error: {url}: zip member oesm26nat/national_M2026_dl.csv is encrypted "
                   "(password-protected); BLS publishes no such file\n")
    assert snapshot(p) == before and leftovers(p) == []
    assert not state.state_path(p).exists()


def test_an_encrypted_workbook_member_is_refused_by_add_release(tmp_project, current_xlsx, tmp_path, capsys):
    path = tmp_path / "occupation.xlsx"
    path.write_bytes(encrypted(current_xlsx))
    before = snapshot(tmp_project)
    rc, _, err = run(capsys, "add-release", str(path))
    assert rc == 2
    assert err.startswith(f"career-report: error: {path}: zip member ") and err.endswith(
        " is encrypted (password-protected); BLS publishes no such file\n")
    assert snapshot(tmp_project) == before


@pytest.mark.slow
def test_a_partial_oews_download_is_held_not_made_the_latest(tmp_project, server, oews_areas_industries, capsys):
    """Only the metropolitan download of May 2026 arrives (the others failed or are not out): stored, held, said
    once; the reports keep May 2025's nation, states and industries."""
    p, parts = tmp_project, oews_areas_industries
    ma = server.serve("/oesm26ma.zip", body(oews_multi_zip({"oesm26ma/MSA_M2026_dl.csv": parts["msa"],
                                                            "oesm26ma/BOS_M2026_dl.csv": parts["bos"]})))
    rc, out, err = run(capsys, "fetch", "--sources", "oews", "--oews-url", ma)
    assert rc == 0, err
    assert out.strip().splitlines()[-1] == (
        "held         data/raw/bls-oews/2026: OEWS May 2026 has only metro estimates (no national-industry, "
        "national-state); held until they are added: the reports use May 2025")
    assert (p.raw / "bls-oews/2026/oews_metro_M2026.csv.gz").is_file()
    w = store.table("wages", p)
    assert set(w["wage_year"]) == {2025} and "99" in set(w["area_code"])
