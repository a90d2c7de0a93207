"""An in-process client of the Conversations API: the app without a socket (`deskhand chat`,
the benchmarks)."""

from __future__ import annotations

import warnings
from typing import Any

with warnings.catch_warnings():
    # Starlette nudges towards httpx2; the in-process client works the same with httpx.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from deskhand.config import Settings
from deskhand.web.app import create_app


class Conversation:
    def __init__(self, http: TestClient, conversation_id: str, token: str) -> None:
        self.http, self.id = http, conversation_id
        self.headers = {"Authorization": f"Bearer {token}"}

    def send(self, text: str | None = None, action: str | None = None) -> tuple[int, Any]:
        body = {"text": text} if text is not None else {"action": action}
        r = self.http.post(
            f"/api/v1/conversations/{self.id}/messages", json=body, headers=self.headers
        )
        return r.status_code, r.json()


class InProcessClient:
    def __init__(self, settings: Settings) -> None:
        self.http = TestClient(create_app(settings))

    def start(self, locale: str | None = None, channel: str = "webchat") -> Conversation:
        body: dict[str, str] = {"channel": channel}
        if locale:
            body["locale"] = locale
        r = self.http.post("/api/v1/conversations", json=body)
        r.raise_for_status()
        data = r.json()
        return Conversation(self.http, data["id"], data["token"])

    def outbox(self, to: str | None = None) -> list[dict[str, Any]]:
        r = self.http.get("/api/v1/dev/outbox", params={"to": to} if to else None)
        return list(r.json()["messages"])
