"""Fetching help-centre pages from a URL a brand typed: bounded, polite and never inward.

Every request has a timeout and a byte limit, follows at most a few redirects (each hop
checked again), and refuses hosts that resolve to private, loopback, link-local or other
non-public addresses, so a crawl cannot be pointed at the server's own network. Tests
that serve pages on 127.0.0.1 switch that check off with DESKHAND_ALLOW_PRIVATE_URLS.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from deskhand.knowledge.parsers import IngestError
from deskhand.net import http

USER_AGENT = "DeskhandBot/0.1 (help-centre import; +https://github.com/deskhand)"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
MAX_CRAWL_DELAY = 10.0  # seconds; a robots.txt asking for more is held to this


class FetchError(IngestError):
    """A URL could not be fetched; the message says why and is safe to show."""


class Clock(Protocol):
    """Where a crawl reads the time and waits its turn; tests pass one that only pretends."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock: `time.monotonic` and `time.sleep`."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def check_public(url: str) -> None:
    """Refuse URLs that are not http(s) or whose host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: only http:// and https:// addresses can be imported")
    try:
        http.check_public(url)
    except http.BlockedAddress:
        raise FetchError(
            f"{url}: {parts.hostname} is a private or local address; only public "
            "help centres can be imported"
        ) from None
    except http.NetworkError:
        raise FetchError(f"{url}: the host {parts.hostname} could not be found") from None


class Fetcher:
    """One crawl's HTTP client; use as a context manager."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        max_bytes: int = MAX_PAGE_BYTES,
        timeout: httpx.Timeout | float = TIMEOUT,
        clock: Clock | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.clock: Clock = clock or SystemClock()
        self.max_bytes = max_bytes
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}
        )
        self.bytes_read = 0
        self.delay = 0.0  # seconds between requests (robots.txt Crawl-delay / Request-rate)
        self._last: float | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get(self, url: str) -> Fetched:
        """GET `url`; any HTTP status is returned, network failures raise FetchError."""
        for _ in range(MAX_REDIRECTS + 1):
            self._wait_turn()
            if not self.allow_private:
                check_public(url)
            elif urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(f"{url}: only http:// and https:// addresses can be imported")
            try:
                with self._client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > self.max_bytes:
                        raise FetchError(self._too_large(url))
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise FetchError(self._too_large(url))
                    self.bytes_read += len(body)
                    kind = response.headers.get("content-type", "").split(";")[0].strip()
                    return Fetched(
                        str(response.url), response.status_code, kind.lower(), bytes(body)
                    )
            except httpx.TimeoutException:
                raise FetchError(f"{url}: the server did not answer in time") from None
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"{url}: could not reach the server ({type(exc).__name__})"
                ) from None
        raise FetchError(f"{url}: too many redirects")

    def _wait_turn(self) -> None:
        if self._last is not None and self.delay > 0:
            wait = self._last + min(self.delay, MAX_CRAWL_DELAY) - self.clock.monotonic()
            if wait > 0:
                self.clock.sleep(wait)
        self._last = self.clock.monotonic()

    def _too_large(self, url: str) -> str:
        return f"{url}: the page is larger than {self.max_bytes // 1048576} MB"
