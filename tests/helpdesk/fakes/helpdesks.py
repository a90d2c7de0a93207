"""Local Zendesk and Gorgias on 127.0.0.1, speaking the shapes their documentation gives.

Zendesk: `Authorization: Basic base64("{email}/token:{token}")`; `POST /api/v2/tickets.json`
(`{"ticket": {…}}` → 201 `{"ticket": {"id", "external_id", …}, "audit": {}}`), a repeated
`Idempotency-Key` answering the first ticket again (`x-idempotency-lookup: hit`);
`GET /api/v2/tickets.json?external_id=…` → `{"tickets": […]}`; `GET /api/v2/users/me.json`;
each requester email is one end user (`requester_id`); `PUT /api/v2/tickets/{id}.json` with
`{"ticket": {"comment": {body, public, author_id}}}` appends a comment (→ 200 with the audit's
Comment event); `GET /api/v2/tickets/{id}.json`; `GET /api/v2/tickets/{id}/comments.json`
in cursor pages (`page[size]`, `meta.has_more`, `links.next`).
Gorgias: `Authorization: Basic base64(email:key)`; `POST /api/tickets` (messages required,
each with channel, via, from_agent) → 201 with the ticket; `GET /api/tickets?external_id=…`
→ `{"data": […], "meta": {"next_cursor": null}}`; `GET /api/account`. Both: 401 on other
credentials; 429 with `Retry-After` (Zendesk's text/plain body, Gorgias's call-limit
header). Scripted failures (`script`): a status, or "hang" (answer after the client gave
up; "hang-after-create" applies the request first, ticket or comment, as a server whose
answer is lost would; "drop-after-apply" applies it and closes the connection unanswered;
"ok" answers as usual, to reach a later request).
`stop()` closes the port; `start()` opens the same port again with the same tickets.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ZENDESK_EMAIL = "agent@fjordfinch.example"
ZENDESK_TOKEN = "zd-token-0123456789"
GORGIAS_EMAIL = "ops@fjordfinch.example"
GORGIAS_KEY = "gorgias-key-0123456789"
HANG_SECONDS = 2.0


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@dataclass
class FakeHelpdesk:
    vendor: str  # "zendesk" | "gorgias"
    tickets: list[dict[str, Any]] = field(default_factory=list)
    script: list[int | str] = field(default_factory=list)
    retry_after: str = "1"
    requests: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)  # requester email -> end-user id
    comment_count: int = 0
    port: int = 0
    _server: _Server | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth(self) -> str:
        if self.vendor == "zendesk":
            return _basic(f"{ZENDESK_EMAIL}/token", ZENDESK_TOKEN)
        return _basic(GORGIAS_EMAIL, GORGIAS_KEY)

    def creates(self) -> list[tuple[str, str, dict[str, str], Any]]:
        return [r for r in self.requests if r[0] == "POST"]

    def comment_puts(self) -> list[tuple[str, str, dict[str, str], Any]]:
        return [r for r in self.requests if r[0] == "PUT"]

    def public_comments(self, ticket_id: int | str) -> list[dict[str, Any]]:
        """The ticket's comments after the first (the transcript), oldest first."""
        with self._lock:
            [ticket] = [t for t in self.tickets if str(t["id"]) == str(ticket_id)]
            return [dict(c) for c in ticket["comments"][1:]]

    def start(self) -> FakeHelpdesk:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                kind = "text/plain" if isinstance(body, bytes) else "application/json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(raw)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(raw)
                except OSError:
                    pass  # the client gave up (timeout)

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self._handle("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._handle("POST")

            def do_PUT(self) -> None:  # noqa: N802
                self._handle("PUT")

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                with fake._lock:
                    fake.requests.append((method, url.path, dict(self.headers), body))
                    step = fake.script.pop(0) if fake.script else None
                if self.headers.get("Authorization") != fake.auth:
                    self._send(401, {"error": "Couldn't authenticate you"})
                    return
                if step == "hang":
                    time.sleep(HANG_SECONDS)
                    self._send(504, {"error": "too late"})
                    return
                if isinstance(step, int):
                    self._failure(step)
                    return
                answer = fake._answer(method, url.path, query, body, dict(self.headers))
                if step == "drop-after-apply":
                    self.close_connection = True
                    return
                if step == "hang-after-create":
                    time.sleep(HANG_SECONDS)
                self._send(*answer)

            def _failure(self, status: int) -> None:
                if status == 429 and fake.vendor == "zendesk":
                    text = b"Number of allowed API requests per minute exceeded"
                    self._send(429, text, {"Retry-After": fake.retry_after})
                elif status == 429:
                    limit = {"Retry-after": fake.retry_after}
                    limit["X-Gorgias-Account-Api-Call-Limit"] = "40/40"
                    self._send(429, {"error": "Too many requests"}, limit)
                elif status == 422 and fake.vendor == "zendesk":
                    self._send(422, {"error": "RecordInvalid", "description": "invalid"})
                else:
                    self._send(status, {"error": "Internal error"})

        self._server = _Server(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # What the vendors answer when all is well.

    def _answer(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        headers: dict[str, str],
    ) -> tuple[int, Any, dict[str, str]]:
        if self.vendor == "zendesk":
            return self._zendesk(method, path, query, body, headers)
        return self._gorgias(method, path, query, body)

    def _zendesk(
        self, method: str, path: str, query: dict[str, str], body: Any, headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        if method == "GET" and path == "/api/v2/users/me.json":
            return 200, {"user": {"id": 7, "email": ZENDESK_EMAIL, "role": "admin"}}, {}
        if method == "GET" and path == "/api/v2/tickets.json":
            with self._lock:
                found = [
                    t for t in self.tickets if t.get("external_id") == query.get("external_id")
                ]
            return 200, {"tickets": found, "next_page": None, "count": len(found)}, {}
        if path.startswith("/api/v2/tickets/"):
            return self._zendesk_ticket(method, path, query, body)
        if method == "POST" and path == "/api/v2/tickets.json":
            ticket = (body or {}).get("ticket")
            if not isinstance(ticket, dict) or not isinstance(ticket.get("comment"), dict):
                return 422, {"error": "RecordInvalid", "description": "no comment"}, {}
            key = headers.get("Idempotency-Key") or headers.get("idempotency-key")
            with self._lock:
                for seen in self.tickets:
                    if key and seen["_idempotency_key"] == key:
                        return 201, {"ticket": seen, "audit": {}}, {"x-idempotency-lookup": "hit"}
                stored = {**ticket, "id": 1000 + len(self.tickets), "_idempotency_key": key}
                stored["description"] = ticket["comment"].get("body")
                email = (ticket.get("requester") or {}).get("email") or str(len(self.users))
                stored["requester_id"] = self.users.setdefault(email, 500 + len(self.users))
                first = {**ticket["comment"], "id": self._next_comment(), "author_id": 7}
                stored["comments"] = [first]
                self.tickets.append(stored)
            return 201, {"ticket": stored, "audit": {}}, {"x-idempotency-lookup": "miss"}
        return 404, {"error": "RecordNotFound"}, {}

    def _next_comment(self) -> int:
        self.comment_count += 1
        return 90000 + self.comment_count

    def _zendesk_ticket(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        parts = path.removeprefix("/api/v2/tickets/").split("/")
        ticket_id = parts[0].removesuffix(".json")
        with self._lock:
            found = [t for t in self.tickets if str(t["id"]) == ticket_id]
            if not found:
                return 404, {"error": "RecordNotFound", "description": "Not found"}, {}
            ticket = found[0]
            if parts == [f"{ticket_id}.json"] and method == "GET":
                return 200, {"ticket": ticket}, {}
            if parts == [f"{ticket_id}.json"] and method == "PUT":
                comment = ((body or {}).get("ticket") or {}).get("comment")
                if not isinstance(comment, dict) or not str(comment.get("body") or "").strip():
                    return 422, {"error": "RecordInvalid", "description": "no comment"}, {}
                stored = {
                    "id": self._next_comment(),
                    "type": "Comment",
                    "body": comment["body"],
                    "public": bool(comment.get("public", True)),
                    "author_id": comment.get("author_id", 7),
                }
                ticket["comments"].append(stored)
                return 200, {"ticket": ticket, "audit": {"events": [stored]}}, {}
            if parts == [ticket_id, "comments.json"] and method == "GET":
                size = int(query.get("page[size]") or 100)
                start = int(query.get("page[after]") or 0)
                page = ticket["comments"][start : start + size]
                more = start + size < len(ticket["comments"])
                following = (
                    f"{self.base}/api/v2/tickets/{ticket_id}/comments.json"
                    f"?page[size]={size}&page[after]={start + size}"
                )
                return (
                    200,
                    {
                        "comments": page,
                        "meta": {"has_more": more, "after_cursor": str(start + size)},
                        "links": {"next": following if more else None},
                    },
                    {},
                )
        return 404, {"error": "RecordNotFound"}, {}

    def _gorgias(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        calls = {"X-Gorgias-Account-Api-Call-Limit": f"{len(self.requests) % 40}/40"}
        if method == "GET" and path == "/api/account":
            return 200, {"domain": "fjordfinch"}, calls
        if method == "GET" and path == "/api/tickets":
            with self._lock:
                found = [
                    t for t in self.tickets if t.get("external_id") == query.get("external_id")
                ]
            return 200, {"data": found, "meta": {"next_cursor": None}}, calls
        if method == "POST" and path == "/api/tickets":
            messages = (body or {}).get("messages")
            good = (
                isinstance(messages, list)
                and 1 <= len(messages) <= 500
                and all(
                    isinstance(m, dict) and {"channel", "via", "from_agent"} <= m.keys()
                    for m in messages
                )
            )
            if not good:
                return 400, {"error": "messages: channel, via and from_agent are required"}, calls
            with self._lock:
                stored = {**body, "id": 5000 + len(self.tickets)}
                self.tickets.append(stored)
            return 201, stored, calls
        return 404, {"error": "Not found"}, calls
