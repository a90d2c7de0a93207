"""A change made in the Hub reaches the chat's open socket at once, on the same process
and, through Redis, from another process (point 4 of the scale-out issue)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from deskhand.config import Settings
from deskhand.web.app import create_app
from tests.confirmations.test_chat_hears_of_hub import _swap
from tests.conftest import Chat, text_of
from tests.hub.shopping import Shopper

RedisSpace = tuple[str, str]


def _next_frame(ws: Any, seconds: float = 15.0) -> dict[str, Any]:
    """The socket's next frame, or fail (rather than hang) when none comes in time."""
    got: list[dict[str, Any]] = []
    reader = threading.Thread(target=lambda: got.append(ws.receive_json()), daemon=True)
    reader.start()
    reader.join(seconds)
    assert got, f"no frame on the socket within {seconds} s"
    return got[0]


def _verified_chat(client: TestClient) -> Chat:
    chat = Chat(client, locale="de")
    chat.send(text="Kann ich die Größe meiner Bestellung 1001 ändern?")
    chat.verify("ava@example.com")
    return chat


def _assert_news(frame: dict[str, Any], chat: Chat, client: TestClient) -> None:
    assert (frame["type"], frame["pushed"]) == ("messages", True)
    assert "origin" not in frame
    [news] = frame["messages"]
    assert news["meta"]["outcome"] == "changed_in_hub"
    assert "Neuigkeit aus dem Kundenbereich" in text_of(news)
    assert frame["conversation"]["verified"] is True
    transcript = client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers).json()
    assert transcript["messages"][-1]["id"] == news["id"]  # the record and the push agree


def test_a_hub_change_is_pushed_to_the_open_socket(client: TestClient) -> None:
    chat = _verified_chat(client)
    url = f"/api/v1/conversations/{chat.id}/ws?token={chat.token}"
    with client.websocket_connect(url) as ws:
        assert ws.receive_json()["type"] == "ready"
        ava = Shopper(client)
        ava.sign_in("ava@example.com")
        _swap(ava)
        _assert_news(_next_frame(ws), chat, client)


def test_a_refused_hub_change_pushes_nothing(client: TestClient) -> None:
    """Only what committed is news: a refused form (a bad CSRF token) sends no frame; the
    socket's next frame is the answer to the shopper's own next message."""
    chat = _verified_chat(client)
    url = f"/api/v1/conversations/{chat.id}/ws?token={chat.token}"
    with client.websocket_connect(url) as ws:
        assert ws.receive_json()["type"] == "ready"
        ava = Shopper(client)
        ava.sign_in("ava@example.com")
        refused = ava.client.post(
            "/hub/orders/1001/edit/variant",
            data={"csrf": "forged", "item": "1", "variant": "1"},
            follow_redirects=False,
        )
        assert refused.status_code in (400, 403)
        ws.send_json({"text": "Danke"})
        assert _next_frame(ws)["type"] == "typing"
        assert "pushed" not in _next_frame(ws)


@pytest.fixture
def redis_settings(settings: Settings, redis_space: RedisSpace) -> Settings:
    url, _ = redis_space
    return settings.model_copy(update={"redis_url": url})


def test_a_hub_change_on_another_process_reaches_the_socket_through_redis(
    redis_settings: Settings, demo_db: object
) -> None:
    """The socket is held by app A; the shopper changes the order in the Hub of app B.
    Two app instances with their own buses, as two processes of `serve --workers 2`."""
    with (
        TestClient(create_app(redis_settings)) as a,
        TestClient(create_app(redis_settings)) as b,
    ):
        chat = _verified_chat(a)
        with a.websocket_connect(f"/api/v1/conversations/{chat.id}/ws?token={chat.token}") as ws:
            assert ws.receive_json()["type"] == "ready"
            ava = Shopper(b)
            ava.sign_in("ava@example.com")
            _swap(ava)
            _assert_news(_next_frame(ws), chat, a)
