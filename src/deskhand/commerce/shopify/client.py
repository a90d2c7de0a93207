"""Shopify's Admin GraphQL API over `net/http.py`: cost-based throttling, cursor pages,
retries with backoff, and errors that say what went wrong.

Every request reads `extensions.cost.throttleStatus` (Shopify's leaky bucket per app and
shop) and, before the next request of the same query, waits until the bucket holds what
that query cost last time; a THROTTLED answer waits `(requested - available) / restoreRate`
and asks again. 5xx answers and network failures are retried with exponential backoff for
queries only: a mutation is never sent twice unless Shopify said it was not run (throttled).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from deskhand.net.http import Connection, NetworkError

API_VERSION = "2026-10"  # the one pinned Admin API version: every request and webhook uses it
_SHOP = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$")


class ShopifyError(Exception):
    """Shopify did not do what was asked; the message says why, for a log or the console."""


class ShopifyAuthError(ShopifyError):
    """401/403: the access token is wrong, revoked, or lacks a scope."""


class ShopifyNotFound(ShopifyError):
    """404: no such shop (or API version) at this address."""


class ShopifyUnavailable(ShopifyError):
    """5xx or no answer, after the retries: try again later."""


class ShopifyQueryError(ShopifyError):
    """GraphQL `errors` other than throttling: the query itself was refused."""


class ShopifyUserErrors(ShopifyError):
    """A mutation answered with `userErrors`: Shopify refused the change and made none."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(e.get("message", e)) for e in errors) or "refused")
        self.errors = errors
        self.codes = [str(e.get("code") or "") for e in errors]


def shop_domain(raw: str) -> str:
    """'fjord', 'fjord.myshopify.com' or 'https://fjord.myshopify.com/admin' -> the domain."""
    host = raw.strip().lower()
    host = re.sub(r"^https?://", "", host).split("/", 1)[0]
    if "." not in host:
        host += ".myshopify.com"
    if not _SHOP.match(host):
        raise ValueError(f"{raw!r} is not a shop domain like your-shop.myshopify.com")
    return host


@dataclass
class Meter:
    """What the client spent its time on: working (requests) or waiting (throttle, backoff)."""

    requests: int = 0
    throttled: int = 0  # answers that said THROTTLED (the bucket ran dry)
    retries: int = 0  # 5xx and network failures retried
    working: float = 0.0
    waiting: float = 0.0
    cost: float = 0.0  # actual query cost, summed
    lowest_available: float | None = None


@dataclass
class _Bucket:
    maximum: float = 1000.0
    available: float = 1000.0
    restore: float = 50.0
    at: float = 0.0
    known: bool = False
    costs: dict[str, float] = field(default_factory=dict)  # query -> last requested cost

    def projected(self, now: float) -> float:
        return min(self.maximum, self.available + self.restore * (now - self.at))


class ShopifyClient:
    """One shop's Admin API. `endpoint` replaces https://{shop} (a local test server)."""

    def __init__(
        self,
        shop: str,
        token: str,
        *,
        endpoint: str | None = None,
        max_retries: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        base = (endpoint or f"https://{shop}").rstrip("/")
        self.shop = shop
        self.url = f"{base}/admin/api/{API_VERSION}/graphql.json"
        self._headers = {"X-Shopify-Access-Token": token, "Accept": "application/json"}
        self._max_retries = max_retries
        self._backoff = backoff
        self._sleep = sleep
        self._clock = clock
        self._bucket = _Bucket()
        self._connection: Connection | None = None
        self.meter = Meter()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- waiting -------------------------------------------------------------------------

    def _wait(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self.meter.waiting += seconds
        self._sleep(seconds)

    def _before(self, query: str) -> None:
        """Wait until the bucket holds what this query cost last time."""
        bucket = self._bucket
        need = bucket.costs.get(query)
        if not bucket.known or need is None or bucket.restore <= 0:
            return
        short = min(need, bucket.maximum) - bucket.projected(self._clock())
        if short > 0:
            self._wait(short / bucket.restore)

    def _read_cost(self, query: str, body: dict[str, Any]) -> dict[str, Any] | None:
        cost = (body.get("extensions") or {}).get("cost")
        if not isinstance(cost, dict):
            return None
        status = cost.get("throttleStatus") or {}
        bucket = self._bucket
        try:
            bucket.maximum = float(status["maximumAvailable"])
            bucket.available = float(status["currentlyAvailable"])
            bucket.restore = float(status["restoreRate"])
        except (KeyError, TypeError, ValueError):
            return cost
        bucket.at, bucket.known = self._clock(), True
        if cost.get("requestedQueryCost") is not None:
            bucket.costs[query] = float(cost["requestedQueryCost"])
        if cost.get("actualQueryCost") is not None:
            self.meter.cost += float(cost["actualQueryCost"])
        low = self.meter.lowest_available
        self.meter.lowest_available = (
            bucket.available if low is None else min(low, bucket.available)
        )
        return cost

    # -- one request ---------------------------------------------------------------------

    def _post(self, query: str, variables: dict[str, Any]) -> tuple[int, dict[str, Any], str]:
        started = self._clock()
        if self._connection is None:
            self._connection = Connection(timeout=30.0)
        try:
            response = self._connection.request(
                "POST",
                self.url,
                json={"query": query, "variables": variables},
                headers=self._headers,
            )
        finally:
            self.meter.requests += 1
            self.meter.working += self._clock() - started
        try:
            body = response.json()
        except ValueError:
            body = {}
        return (
            response.status_code,
            body if isinstance(body, dict) else {},
            response.headers.get("Retry-After", ""),
        )

    def execute(
        self, query: str, variables: dict[str, Any] | None = None, *, mutation: bool = False
    ) -> dict[str, Any]:
        """The `data` of one query or mutation; raises a ShopifyError subclass otherwise."""
        variables = variables or {}
        failures = 0
        throttles = 0
        while True:
            self._before(query)
            try:
                status, body, retry_after = self._post(query, variables)
            except NetworkError as exc:
                if mutation or failures >= self._max_retries:
                    raise ShopifyUnavailable(f"Shopify did not answer: {exc}") from None
                failures += 1
                self.meter.retries += 1
                self._wait(self._backoff * 2 ** (failures - 1))
                continue
            cost = self._read_cost(query, body)
            if status in (401, 403):
                raise ShopifyAuthError(
                    f"Shopify refused the access token for {self.shop} (HTTP {status}): "
                    "check the token and the app's scopes"
                )
            if status == 404:
                raise ShopifyNotFound(f"no Shopify Admin API at {self.url} (HTTP 404)")
            if status == 429 or _throttled(body):
                throttles += 1
                self.meter.throttled += 1
                if throttles > 20:
                    raise ShopifyUnavailable("Shopify kept throttling; giving up for now")
                self._wait(_throttle_wait(cost, retry_after))
                continue
            if status >= 500:
                if mutation or failures >= self._max_retries:
                    raise ShopifyUnavailable(f"Shopify answered HTTP {status}")
                failures += 1
                self.meter.retries += 1
                self._wait(self._backoff * 2 ** (failures - 1))
                continue
            if status != 200:
                raise ShopifyError(f"Shopify answered HTTP {status}: {str(body)[:300]}")
            if body.get("errors"):
                messages = "; ".join(str(e.get("message", e)) for e in body["errors"])
                raise ShopifyQueryError(f"Shopify refused the query: {messages}")
            data = body.get("data")
            if not isinstance(data, dict):
                raise ShopifyError("Shopify answered without data")
            return data

    def mutate(self, query: str, variables: dict[str, Any], name: str) -> dict[str, Any]:
        """The payload of mutation `name`; its userErrors raise ShopifyUserErrors."""
        payload = self.execute(query, variables, mutation=True).get(name) or {}
        errors = list(payload.get("userErrors") or [])
        errors += [e for e in payload.get("orderCancelUserErrors") or [] if e not in errors]
        if errors:
            raise ShopifyUserErrors(errors)
        return dict(payload)

    def download(self, url: str) -> list[str]:
        """The lines of a bulk operation's result. The URL is signed: no token is sent."""
        if self._connection is None:
            self._connection = Connection(timeout=120.0)
        for attempt in range(self._max_retries + 1):
            started = self._clock()
            try:
                response = self._connection.request("GET", url)
            except NetworkError as exc:
                if attempt >= self._max_retries:
                    raise ShopifyUnavailable(f"the bulk result did not download: {exc}") from None
                self._wait(self._backoff * 2**attempt)
                continue
            finally:
                self.meter.working += self._clock() - started
            if response.status_code == 200:
                return response.text.splitlines()
            if response.status_code < 500 or attempt >= self._max_retries:
                raise ShopifyError(f"the bulk result answered HTTP {response.status_code}")
            self._wait(self._backoff * 2**attempt)
        raise ShopifyUnavailable("the bulk result did not download")

    def pages(
        self, query: str, variables: dict[str, Any], key: str, *, after: str | None = None
    ) -> Iterator[tuple[list[dict[str, Any]], str | None]]:
        """Each page of connection `key` ("orders", "customer.orders") as (nodes, cursor
        after it), following pageInfo."""
        while True:
            connection: dict[str, Any] = self.execute(query, {**variables, "after": after})
            for part in key.split("."):
                connection = connection.get(part) or {}
            info = connection.get("pageInfo") or {}
            after = info.get("endCursor") or after
            yield list(connection.get("nodes") or []), after
            if not info.get("hasNextPage"):
                return


def _throttled(body: dict[str, Any]) -> bool:
    return any(
        (e.get("extensions") or {}).get("code") == "THROTTLED"
        for e in body.get("errors") or []
        if isinstance(e, dict)
    )


def _throttle_wait(cost: dict[str, Any] | None, retry_after: str) -> float:
    """Seconds until the bucket holds the requested cost again (at least a short pause)."""
    if cost:
        status = cost.get("throttleStatus") or {}
        try:
            need = float(cost.get("requestedQueryCost") or 0)
            have = float(status.get("currentlyAvailable") or 0)
            rate = float(status.get("restoreRate") or 0)
        except (TypeError, ValueError):
            need = have = rate = 0.0
        if rate > 0:
            return max((need - have) / rate, 0.05)
    try:
        return max(float(retry_after), 0.05)
    except ValueError:
        return 1.0
