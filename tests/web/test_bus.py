"""The conversation bus: a reply reaches every socket open on the conversation, once."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import Chat


def _open(client: TestClient, chat: Chat):  # type: ignore[no-untyped-def]
    ws = client.websocket_connect(f"/api/v1/conversations/{chat.id}/ws?token={chat.token}")
    return ws


def test_a_reply_over_http_is_pushed_to_the_open_socket(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    with _open(client, chat) as ws:
        assert ws.receive_json()["type"] == "ready"
        reply = chat.send(text="Do you ship to Norway?")
        frame = ws.receive_json()
        assert frame["type"] == "messages"
        assert frame["pushed"] is True
        assert "origin" not in frame
        assert [m["id"] for m in frame["messages"]] == [reply["id"]]


def test_a_socket_gets_its_own_reply_once_and_the_other_socket_gets_it_pushed(
    client: TestClient,
) -> None:
    chat = Chat(client, locale="en")
    with _open(client, chat) as first, _open(client, chat) as second:
        assert first.receive_json()["type"] == "ready"
        assert second.receive_json()["type"] == "ready"
        first.send_json({"text": "How long do refunds take?"})
        assert first.receive_json()["type"] == "typing"
        own = first.receive_json()
        assert own["type"] == "messages"
        assert "pushed" not in own
        other = second.receive_json()
        assert other["pushed"] is True
        assert other["messages"][0]["id"] == own["messages"][0]["id"]
        # The next frame on the first socket answers its next message: no pushed copy between.
        first.send_json({"text": "thanks"})
        assert first.receive_json()["type"] == "typing"
        assert "pushed" not in first.receive_json()
