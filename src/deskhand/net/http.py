"""The one outbound HTTP wrapper: timeouts, bounded retries, no private targets from users.

Every vendor client calls `request`. It retries only when the request cannot have reached
the server (connection refused, connect timeout), so a POST is never sent twice by this
layer; what to do with a 429 or 5xx is the caller's decision (usually: raise a retryable
transport error and let the outbox worker back off).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

log = logging.getLogger("deskhand.net")

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
CONNECT_RETRIES = 2


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


def request(
    method: str,
    url: str,
    *,
    data: dict[str, Any] | list[tuple[str, str]] | None = None,
    json: Any = None,
    headers: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    user_supplied: bool = False,
) -> httpx.Response:
    """Send one request; any HTTP status is returned, network failures raise NetworkError."""
    if user_supplied:
        check_public(url)
    for attempt in range(CONNECT_RETRIES + 1):
        try:
            with httpx.Client(timeout=timeout, follow_redirects=False) as client:
                return client.request(method, url, data=data, json=json, headers=headers, auth=auth)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            if attempt == CONNECT_RETRIES:
                raise NetworkError(f"cannot connect to {urlsplit(url).netloc}: {exc}") from None
            log.info("http.connect_retry", extra={"host": urlsplit(url).netloc, "try": attempt})
            time.sleep(0.2 * 2**attempt)
        except httpx.HTTPError as exc:
            raise NetworkError(f"{type(exc).__name__} talking to {urlsplit(url).netloc}") from None
    raise AssertionError("unreachable")
