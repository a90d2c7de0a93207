"""Local Loop Returns and AfterShip Returns on 127.0.0.1, and their webhook signatures.

Loop: `X-Authorization` header, `GET /api/v1/warehouse/return/list?from&to&filter` (an array
of returns; 422 for a bad or over-120-day range), and the deep link the adapter asks for.
AfterShip Returns: `as-api-key` header, the `{"meta", "data"}` envelope, returns listed by
order number, and the returns page deep link. Both: 401 on a wrong key; scripted failures
(`fail_next`: an HTTP status, or "slow" to answer after the client's timeout). Webhook
signatures are written here from the vendors' description (base64 HMAC-SHA256 of the raw
body), independently of the app's checker.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

LOOP_KEY = "loop-test-api-key"
AFTERSHIP_KEY = "aftership-test-api-key"
WEBHOOK_SECRET = "whsec-test-0123456789abcdef"


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class FakeReturns:
    """Both vendors on one port: Loop under /api/v1, AfterShip under /returns/2025-04."""

    loop_returns: list[dict[str, Any]] = field(default_factory=list)
    aftership_returns: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[int | str] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeReturns:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                url = urlsplit(self.path)
                fake.requests.append((method, url.path, dict(self.headers), body))
                if fake.fail_next:
                    failure = fake.fail_next.pop(0)
                    if failure == "slow":
                        time.sleep(1.5)
                        self._send(200, {})
                        return
                    self._send(int(failure), {"meta": {"code": failure, "type": "Internal"}})
                    return
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path.startswith("/api/v1/"):
                    self._loop(method, url.path.removeprefix("/api/v1"), query, body)
                elif url.path.startswith("/returns/2025-04/"):
                    self._aftership(method, url.path.removeprefix("/returns/2025-04"), query, body)
                else:
                    self._send(404, {"message": "not found"})

            def _loop(self, method: str, path: str, query: dict[str, str], body: Any) -> None:
                if self.headers.get("X-Authorization") != LOOP_KEY:
                    self._send(401, {"message": "Unauthorized"})
                elif method == "GET" and path == "/warehouse/return/list":
                    try:
                        start = datetime.strptime(query["from"] + "+0000", "%Y-%m-%d %H:%M:%S%z")
                        end = datetime.strptime(query["to"] + "+0000", "%Y-%m-%d %H:%M:%S%z")
                    except (KeyError, ValueError):
                        self._send(422, {"errors": {"from": ["invalid"]}})
                        return
                    if (end - start).days > 120 or end < start:
                        self._send(422, {"errors": {"from": ["range over 120 days"]}})
                        return
                    self._send(200, fake.loop_returns)
                elif method == "POST" and path.startswith("/warehouse/return/"):
                    self._send(200, {"id": path.split("/")[3], "done": path.split("/")[4]})
                elif method == "POST" and path == "/order/deeplink":
                    name = body.get("order_name", "")
                    self._send(200, {"url": f"https://fjord.loopreturns.com/#/{name.lstrip('#')}"})
                else:
                    self._send(404, {"message": "not found"})

            def _aftership(self, method: str, path: str, query: dict[str, str], body: Any) -> None:
                if self.headers.get("as-api-key") != AFTERSHIP_KEY:
                    self._send(401, {"meta": {"code": 401, "type": "Unauthorized"}, "data": {}})
                elif method == "GET" and path == "/returns":
                    number = query.get("order_number", "")
                    found = [
                        r
                        for r in fake.aftership_returns
                        if r.get("order", {}).get("order_number") == number
                    ]
                    self._send(200, {"meta": {"code": 200}, "data": {"returns": found}})
                elif method == "POST" and path.startswith("/returns/"):
                    ref = path.split("/")[2]
                    self._send(200, {"meta": {"code": 200}, "data": {"return": {"id": ref}}})
                elif method == "POST" and path == "/returns-page/deep-links":
                    url = f"https://returns.aftership.com/fjord/{body.get('order_number')}"
                    self._send(201, {"meta": {"code": 201}, "data": {"url": url}})
                else:
                    self._send(404, {"meta": {"code": 404, "type": "NotFound"}, "data": {}})

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
