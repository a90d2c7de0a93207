"""The one outbound HTTP wrapper: timeouts, bounded retries, no private targets from users.

Every vendor client calls `request`. It retries only when the request cannot have reached
the server (connection refused, connect timeout): httpx's transport does that itself
(`HTTPTransport(retries=…)`, exponential backoff), so a POST is never sent twice by this
layer; what to do with a 429 or 5xx is the caller's decision (usually: raise a retryable
transport error and let the outbox worker back off).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import certifi
import httpx

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
CONNECT_RETRIES = 2  # further tries of a connection that failed to open


class NetworkError(Exception):
    """The request failed without an HTTP answer (refused, timed out, reset)."""


class BlockedAddress(NetworkError):
    """A user-supplied URL points at a private, loopback or link-local address."""


def check_public(url: str) -> None:
    """Refuse a user-supplied URL whose host resolves to a non-public address.

    Raises BlockedAddress for private, loopback, link-local and other non-global
    addresses, NetworkError when the host cannot be resolved. Every outbound request to
    an address a user typed (vendor webhooks, help-centre crawls) passes through here.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or None, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise NetworkError(f"cannot resolve {host}: {exc}") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if not ip.is_global:
            raise BlockedAddress(f"{host} resolves to a non-public address")


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle costs ~0.1 s each time."""
    return ssl.create_default_context(cafile=certifi.where())


def _client(timeout: httpx.Timeout | float) -> httpx.Client:
    transport = httpx.HTTPTransport(retries=CONNECT_RETRIES, verify=_tls())
    return httpx.Client(timeout=timeout, follow_redirects=False, transport=transport)


def _send(client: httpx.Client, method: str, url: str, **kw: Any) -> httpx.Response:
    host = urlsplit(url).netloc
    try:
        return client.request(method, url, **kw)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise NetworkError(f"cannot connect to {host}: {exc}") from None
    except httpx.HTTPError as exc:
        raise NetworkError(f"{type(exc).__name__} talking to {host}") from None


class Connection:
    """A kept-alive client for many requests to one vendor (a sync's hundreds of pages),
    under the same rules as `request`: no redirects, connect retries, NetworkError."""

    def __init__(self, timeout: httpx.Timeout | float = DEFAULT_TIMEOUT) -> None:
        self._client = _client(timeout)

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        return _send(self._client, method, url, json=json, headers=headers)

    def close(self) -> None:
        self._client.close()


def request(
    method: str,
    url: str,
    *,
    data: Mapping[str, Any] | None = None,
    json: Any = None,
    headers: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    user_supplied: bool = False,
) -> httpx.Response:
    """Send one request; any HTTP status is returned, network failures raise NetworkError."""
    if user_supplied:
        check_public(url)
    with _client(timeout) as client:
        return _send(client, method, url, data=data, json=json, headers=headers, auth=auth)
