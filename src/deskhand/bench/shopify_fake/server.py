"""A local Shopify Admin API on 127.0.0.1: GraphQL with cost-based throttling, and webhooks
signed the way Shopify signs them.

`POST /admin/api/{version}/graphql.json` with `X-Shopify-Access-Token`; 401 for a wrong
token, 404 for another path. Each query's requested cost is reserved from a leaky bucket
(`maximum`, refilled at `restore_rate` per second); a query the bucket cannot hold gets
Shopify's THROTTLED error, a query above `max_cost` is refused outright, and what a query
did not use is refunded. Every answer carries `extensions.cost.throttleStatus`.
Scripted failures (`fail_next`) return 5xx so clients' retries can be tested.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from graphql import ExecutionResult, execute, parse, validate
from graphql.error import GraphQLError

from deskhand.bench.shopify_fake.api import Root
from deskhand.bench.shopify_fake.oauth import TOKEN_PATH, FakeOAuth
from deskhand.bench.shopify_fake.schema import SCHEMA, actual_cost, requested_cost
from deskhand.bench.shopify_fake.shop import FakeShop

TOKEN = "shpat_fake_0123456789abcdef"
SECRET = "fake-shopify-app-secret-0123456789"
_INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
_BULK = re.compile(r"^/bulk/(\d+)\.jsonl$")
_PATH = re.compile(r"^/admin/api/(\d{4}-\d{2}|unstable)/graphql\.json$")


def shopify_hmac(secret: str, body: bytes) -> str:
    """X-Shopify-Hmac-Sha256: base64 of HMAC-SHA256 over the raw body (written from
    Shopify's documentation, independently of the app's verifier)."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signed_webhook(
    topic: str,
    payload: Mapping[str, Any],
    *,
    shop: str,
    secret: str = SECRET,
    webhook_id: str | None = None,
    api_version: str = "2026-10",
) -> tuple[dict[str, str], bytes]:
    """The headers and raw body of one delivery, as Shopify sends it."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
        "X-Shopify-API-Version": api_version,
        "X-Shopify-Triggered-At": datetime.now(UTC).isoformat(),
        "X-Shopify-Event-Id": str(uuid.uuid4()),
        "X-Shopify-Hmac-Sha256": shopify_hmac(secret, body),
    }
    return headers, body


class Bucket:
    def __init__(self, maximum: float, restore_rate: float, max_cost: int) -> None:
        self.maximum, self.restore_rate, self.max_cost = maximum, restore_rate, max_cost
        self.available, self.at = maximum, time.monotonic()
        self.lock = threading.Lock()
        self.throttled = 0
        self.lowest = maximum

    def refill(self) -> None:
        now = time.monotonic()
        self.available = min(self.maximum, self.available + (now - self.at) * self.restore_rate)
        self.at = now

    def status(self) -> dict[str, float]:
        return {
            "maximumAvailable": self.maximum,
            "currentlyAvailable": round(self.available, 1),
            "restoreRate": self.restore_rate,
        }


class FakeShopify:
    """The server; `shop` is the data, `url` the base to give the client as endpoint."""

    def __init__(
        self,
        shop: FakeShop | None = None,
        *,
        token: str = TOKEN,
        secret: str = SECRET,
        maximum: float = 2000.0,
        restore_rate: float = 100.0,
        max_cost: int = 1000,
    ) -> None:
        self.shop = shop or FakeShop()
        self.token, self.secret = token, secret
        self.bucket = Bucket(maximum, restore_rate, max_cost)
        self.root = Root(self.shop)
        self.requests: list[dict[str, Any]] = []  # (operation name, variables) in order
        self._failures: list[int] = []
        self._documents: dict[str, tuple[Any, list[str]]] = {}
        self._server: ThreadingHTTPServer | None = None
        self.url = ""
        self.oauth = FakeOAuth(self.shop.domain, secret, token)

    # -- scripting -------------------------------------------------------------------------

    def fail_next(self, count: int = 1, status: int = 503) -> None:
        self._failures.extend([status] * count)

    def heal(self) -> None:
        """Forget the failures still scripted."""
        self._failures.clear()

    def webhook(
        self, topic: str, payload: Mapping[str, Any], **kw: Any
    ) -> tuple[dict[str, str], bytes]:
        return signed_webhook(topic, payload, shop=self.shop.domain, secret=self.secret, **kw)

    def send_webhook(
        self, url: str, topic: str, payload: Mapping[str, Any], **kw: Any
    ) -> httpx.Response:
        """Deliver one webhook over HTTP to `url`, as Shopify would."""
        headers, body = self.webhook(topic, payload, **kw)
        return httpx.post(url, content=body, headers=headers, timeout=5.0)

    # -- answering -------------------------------------------------------------------------

    def _parsed(self, query: str) -> tuple[Any, list[str]]:
        """The parsed and validated document, kept per query text (as servers cache them)."""
        if query not in self._documents:
            document = parse(query)
            self._documents[query] = (document, [p.message for p in validate(SCHEMA, document)])
        return self._documents[query]

    def answer(self, token: str, body: bytes) -> tuple[int, dict[str, Any]]:
        if self._failures:
            return self._failures.pop(0), {"errors": "Internal Server Error"}
        if not hmac.compare_digest(token, self.token):
            return 401, {"errors": _INVALID_TOKEN}
        try:
            request = json.loads(body)
            document, problems = self._parsed(request["query"])
        except (ValueError, KeyError, TypeError, GraphQLError) as exc:
            return 400, {"errors": [{"message": f"invalid request: {exc}"}]}
        variables = request.get("variables") or {}
        if problems:
            return 200, {"errors": [{"message": p} for p in problems]}
        cost = requested_cost(document, variables)
        self.requests.append({"query": request["query"], "variables": variables})
        bucket = self.bucket
        with bucket.lock:
            bucket.refill()
            if cost > bucket.max_cost:
                return 200, {
                    "errors": [
                        {
                            "message": f"Query cost is {cost}, which exceeds the single "
                            f"query max cost limit ({bucket.max_cost}).",
                            "extensions": {
                                "code": "MAX_COST_EXCEEDED",
                                "cost": cost,
                                "maxCost": bucket.max_cost,
                            },
                        }
                    ],
                    "extensions": {
                        "cost": {
                            "requestedQueryCost": cost,
                            "actualQueryCost": None,
                            "throttleStatus": bucket.status(),
                        }
                    },
                }
            if cost > bucket.available:
                bucket.throttled += 1
                return 200, {
                    "errors": [
                        {
                            "message": "Throttled",
                            "extensions": {
                                "code": "THROTTLED",
                                "documentation": "https://shopify.dev/api/usage/rate-limits",
                            },
                        }
                    ],
                    "extensions": {
                        "cost": {
                            "requestedQueryCost": cost,
                            "actualQueryCost": None,
                            "throttleStatus": bucket.status(),
                        }
                    },
                }
            bucket.available -= cost
            bucket.lowest = min(bucket.lowest, bucket.available)
        with self.shop.lock:
            result = execute(SCHEMA, document, root_value=self.root, variable_values=variables)
        assert isinstance(result, ExecutionResult)  # the resolvers are synchronous
        data = result.data
        actual = min(actual_cost(data), cost)
        with bucket.lock:
            bucket.refill()
            bucket.available = min(bucket.maximum, bucket.available + cost - actual)
            status = bucket.status()
        out: dict[str, Any] = {
            "data": data,
            "extensions": {
                "cost": {
                    "requestedQueryCost": cost,
                    "actualQueryCost": actual,
                    "throttleStatus": status,
                }
            },
        }
        if result.errors:
            out["errors"] = [{"message": e.message, "path": e.path} for e in result.errors]
        return 200, out

    # -- serving ---------------------------------------------------------------------------

    def start(self) -> FakeShopify:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Shopify
            disable_nagle_algorithm = True  # no 40 ms wait between headers and body

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - a bulk operation's JSONL (signed URL)
                found = _BULK.match(self.path)
                operation = fake.shop.bulk.get(int(found.group(1))) if found else None
                raw = operation["body"] if operation else b"Not Found"
                self.send_response(200 if operation else 404)
                self.send_header("Content-Type", "application/jsonl")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path == TOKEN_PATH:
                    status, out = fake.oauth.exchange(body)
                elif not _PATH.match(self.path.split("?", 1)[0]):
                    status, out = 404, {"errors": "Not Found"}
                else:
                    token = self.headers.get("X-Shopify-Access-Token") or ""
                    status, out = fake.answer(token, body)
                raw = json.dumps(out).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.root.base_url = self.url
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeShopify:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
