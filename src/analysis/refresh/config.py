"""Settings for fetching from BLS: the URLs, a contact for the User-Agent, timeouts, retries, pauses, and the
limits that keep a hostile or broken server from filling the disk, the memory or the night.

Lowest to highest precedence: the defaults here, ``[tool.career-outlook.fetch]`` in the project's
``pyproject.toml``, environment variables (``CAREER_OUTLOOK_EP_URLS`` …), explicit overrides (the command
line's). Out: a validated :class:`Config`; a one-line ParameterError naming the setting otherwise.
"""

from __future__ import annotations

import os
import tomllib
import urllib.parse
from dataclasses import dataclass, field, fields

from analysis import __version__
from analysis.errors import ParameterError
from analysis.ingest.sniff import MAX_UNPACKED_BYTES
from analysis.paths import Paths, project

# BLS's own URLs. The EP file keeps its URL from release to release; OEWS names its downloads after
# the May reference year (oesm25nat.zip = May 2025), so those need updating once a year (config): the nation,
# the states, the metropolitan and nonmetropolitan areas (ma), the nation by industry (in4).
DEFAULT_EP_URLS = ["https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"]
DEFAULT_OEWS_URLS = ["https://www.bls.gov/oes/special-requests/oesm25nat.zip",
                     "https://www.bls.gov/oes/special-requests/oesm25st.zip",
                     "https://www.bls.gov/oes/special-requests/oesm25ma.zip",
                     "https://www.bls.gov/oes/special-requests/oesm25in4.zip"]


NO_CONTACT = "set CAREER_OUTLOOK_CONTACT"
SOURCES = ("ep", "oews")
ENV_PREFIX = "CAREER_OUTLOOK_"


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
    # BLS's largest file, all_data_M_<year>.zip, is about 90 MB: room to grow, but an endless body stops here.
    max_bytes: int = 500_000_000        # the most one download may bring; more is stopped, not retried
    # 90 MB at 25 kB/s; a server dripping a byte a second (each under `timeout`) is cut off here.
    max_seconds: float = 3600.0         # from a download's first request to its last byte, retries included
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES  # what a zip or gzip download may unpack to (a zip bomb?)

    @property
    def agent(self) -> str:
        if self.user_agent:
            return self.user_agent
        return f"career-outlook/{__version__} (+contact: {self.contact or NO_CONTACT})"


_NUMBERS = {"timeout": float, "retries": int, "backoff": float, "pause": float, "max_retry_after": float,
            "max_bytes": int, "max_seconds": float, "max_unpacked_bytes": int}
_NOT_ZERO = ("timeout", "max_bytes", "max_seconds", "max_unpacked_bytes")  # 0 would refuse every download


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
                whole = " (a whole number)" if kind is int else ""
                raise ParameterError(f"fetch setting {key}={values[key]!r}: expected a number{whole}") from None
            if values[key] < 0 or (key in _NOT_ZERO and values[key] == 0):
                raise ParameterError(f"fetch setting {key}={values[key]!r}: must be positive")
    for key in ("contact", "user_agent"):
        if key in values and not str(values[key]).strip():
            values[key] = None
    for key in ("ep_urls", "oews_urls"):
        for url in values.get(key, []):
            if urllib.parse.urlparse(url).scheme not in ("http", "https"):
                raise ParameterError(f"{key}: {url!r} is not an http(s) URL")
    return Config(**values)
