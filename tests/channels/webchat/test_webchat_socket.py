"""The web chat's WebSocket on the real app: token, turns, bad frames, closing codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from tests.conftest import Chat

from deskhand.channels.webchat import socket as webchat_socket
from deskhand.config import Settings
from deskhand.web.app import create_app

GERMAN_CHANGE = "Kann ich meine Bestellung 1001 ändern?"
PAGE = {
    "url": "https://shop.example/products/trail-jacket?colour=navy",
    "title": "Trail Jacket – Fjord & Finch",
    "product_id": "trail-jacket",
}


def ws_path(chat: Chat, token: str | None = None) -> str:
    path = f"/api/v1/conversations/{chat.id}/ws"
    return f"{path}?token={token}" if token else path


def turn(ws: Any, frame: dict[str, Any]) -> dict[str, Any]:
    """Send one message frame; expect typing, then the agent's messages."""
    ws.send_json(frame)
    assert ws.receive_json() == {"type": "typing"}
    reply: dict[str, Any] = ws.receive_json()
    assert reply["type"] == "messages", reply
    return reply


def closed_with(ws: Any) -> int:
    with pytest.raises(WebSocketDisconnect) as closed:
        ws.receive_json()
    return closed.value.code


def test_token_first_then_a_german_turn_arrives_as_the_http_api_shapes(client: TestClient) -> None:
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat)) as ws:
        ws.send_json({"token": chat.token})
        ready = ws.receive_json()
        assert ready == {
            "type": "ready",
            "conversation": {"status": "open", "language": "en", "verified": False},
        }
        reply = turn(ws, {"text": GERMAN_CHANGE, "context": PAGE})
    assert set(reply) == {"type", "messages", "conversation"}
    assert reply["conversation"]["language"] == "de"
    (message,) = reply["messages"]
    assert set(message) == {"id", "created_at", "language", "blocks", "meta"}
    assert message["meta"]["outcome"] == "needs_sign_in"
    assert [b["type"] for b in message["blocks"]] == ["sign_in"]


def test_whole_verification_over_the_socket_ends_in_an_order_card(client: TestClient) -> None:
    chat = Chat(client, locale="de")
    with client.websocket_connect(ws_path(chat, chat.token)) as ws:
        assert ws.receive_json()["type"] == "ready"
        turn(ws, {"text": GERMAN_CHANGE})
        turn(ws, {"text": "ava@example.com"})
        outbox = client.get("/api/v1/dev/outbox", params={"to": "ava@example.com"}).json()
        code = re.search(r"\b\d{6}\b", outbox["messages"][0]["subject"]).group(0)
        reply = turn(ws, {"text": code})
    assert reply["conversation"]["verified"] is True
    card = next(b for b in reply["messages"][0]["blocks"] if b["type"] == "order_card")
    assert card["order"]["number"] == "1001"
    assert any("/hub/" in a.get("url", "") for a in card["actions"])


def test_socket_and_http_write_one_transcript_with_the_page_context(client: TestClient) -> None:
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat, chat.token)) as ws:
        ws.receive_json()
        turn(ws, {"text": "How long does shipping to Belgium take?", "context": PAGE})
    chat.send(text="thanks")
    transcript = client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers).json()
    roles = [m["role"] for m in transcript["messages"]]
    assert roles == ["shopper", "agent", "shopper", "agent"]
    assert transcript["messages"][0]["context"] == PAGE
    assert transcript["messages"][0]["channel"] == "webchat"
    assert [m["context"] for m in transcript["messages"][1:]] == [None, None, None]


def test_wrong_token_gets_a_problem_then_close_4401(client: TestClient) -> None:
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat)) as ws:
        ws.send_json({"token": "not-the-token"})
        error = ws.receive_json()
        assert error["type"] == "error"
        assert error["problem"]["status"] == 401
        assert error["problem"]["title"] == "Invalid token"
        assert closed_with(ws) == 4401


def test_wrong_token_in_the_query_closes_4401(client: TestClient) -> None:
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat, "nope")) as ws:
        assert ws.receive_json()["problem"]["status"] == 401
        assert closed_with(ws) == 4401


@pytest.mark.parametrize("conversation_id", ["00000000-0000-4000-8000-000000000000", "not-a-uuid"])
def test_unknown_conversation_closes_4404(client: TestClient, conversation_id: str) -> None:
    chat = Chat(client)
    with client.websocket_connect(f"/api/v1/conversations/{conversation_id}/ws") as ws:
        ws.send_json({"token": chat.token})
        assert ws.receive_json()["problem"]["title"] == "Conversation not found"
        assert closed_with(ws) == 4404


@pytest.mark.parametrize(
    ("first", "status"),
    [
        ('{"text": "hello"}', 401),
        ('{"token": 42}', 401),
        ('{"token": "x", "text": "hello"}', 401),
        ('["token"]', 401),
        ("{not json", 400),
        ("x" * 70_000, 413),
    ],
)
def test_bad_first_frame_closes_with_4000_plus_its_status(
    client: TestClient, first: str, status: int
) -> None:
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat)) as ws:
        ws.send_text(first)
        assert ws.receive_json()["problem"]["status"] == status
        assert closed_with(ws) == 4000 + status


def test_binary_first_frame_closes_4400(client: TestClient) -> None:
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat)) as ws:
        ws.send_bytes(b'{"token": "x"}')
        assert ws.receive_json()["problem"]["title"] == "Text frames only"
        assert closed_with(ws) == 4400


def test_no_token_in_time_closes_4408(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webchat_socket, "TOKEN_TIMEOUT_SECONDS", 0.2)
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat)) as ws:
        assert ws.receive_json()["problem"]["status"] == 408
        assert closed_with(ws) == 4408


BAD_FRAMES = [
    ("{oops", 400, "Malformed JSON"),
    ("[]", 422, "Invalid request"),
    ("{}", 422, "Invalid request"),
    ('"hello"', 422, "Invalid request"),
    ('{"text": "a", "action": "b"}', 422, "Invalid request"),
    ('{"text": 5}', 422, "Invalid request"),
    ('{"text": "   "}', 422, "Empty message"),
    ('{"text": "' + "x" * 4001 + '"}', 413, "Message too long"),
    ('{"text": "' + "x" * 70_000 + '"}', 413, "Frame too large"),
    ('{"action": "order:9999"}', 422, "Unknown action"),
    ('{"text": "hi", "token": "again"}', 422, "Invalid request"),
    ('{"text": "hi", "context": {"url": "javascript:alert(1)"}}', 422, "Invalid request"),
    ('{"text": "hi", "context": {"colour": "red"}}', 422, "Invalid request"),
    ('{"text": "hi", "context": "https://shop.example/"}', 422, "Invalid request"),
]


@pytest.mark.parametrize(("frame", "status", "title"), BAD_FRAMES)
def test_bad_frame_gets_an_error_frame_and_the_socket_stays_open(
    client: TestClient, frame: str, status: int, title: str
) -> None:
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat, chat.token)) as ws:
        ws.receive_json()
        ws.send_text(frame)
        error = ws.receive_json()
        if title == "Unknown action":  # refused inside the turn, after "typing"
            assert error == {"type": "typing"}
            error = ws.receive_json()
        assert error["type"] == "error"
        problem = error["problem"]
        assert (problem["status"], problem["title"]) == (status, title)
        assert problem["instance"] == f"/api/v1/conversations/{chat.id}/ws"
        if status == 422 and title == "Invalid request":
            assert problem["errors"]
            assert all("field" in e for e in problem["errors"])
        assert turn(ws, {"text": "What payment methods do you accept?"})["messages"]


def test_binary_frame_after_ready_is_an_error_not_a_crash(client: TestClient) -> None:
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat, chat.token)) as ws:
        ws.receive_json()
        ws.send_bytes(b"\x00\xff")
        assert ws.receive_json()["problem"]["status"] == 400
        assert turn(ws, {"text": "hello"})["messages"]


@pytest.fixture
def strict_client(settings: Settings, demo_db: Any) -> Iterator[TestClient]:
    limited = settings.model_copy(update={"messages_per_minute": 2})
    with TestClient(create_app(limited)) as c:
        yield c


def test_socket_shares_the_http_rate_limit_and_says_when_to_retry(
    strict_client: TestClient,
) -> None:
    chat = Chat(strict_client)
    chat.send(text="hello")
    with strict_client.websocket_connect(ws_path(chat, chat.token)) as ws:
        ws.receive_json()
        turn(ws, {"text": "hello again"})
        ws.send_json({"text": "and again"})
        assert ws.receive_json() == {"type": "typing"}
        problem = ws.receive_json()["problem"]
    assert problem["status"] == 429
    assert problem["retry_after"] >= 1


def test_shopper_leaving_mid_turn_still_stores_the_turn(client: TestClient) -> None:
    chat = Chat(client)
    with client.websocket_connect(ws_path(chat, chat.token)) as ws:
        ws.receive_json()
        ws.send_json({"text": "Where is my order?"})
    # The server finishes the turn and finds nobody to tell; the next visit sees it.
    with client.websocket_connect(ws_path(chat, chat.token)) as ws:
        assert ws.receive_json()["type"] == "ready"
        assert turn(ws, {"text": "hello"})["messages"]
    transcript = client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers).json()
    texts = [m["text"] for m in transcript["messages"] if m["role"] == "shopper"]
    assert texts == ["Where is my order?", "hello"]
