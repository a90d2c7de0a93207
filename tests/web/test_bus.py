"""The conversation bus (a reply reaches every socket on its conversation, once) and the
turn slots (turns beyond them queue)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import Chat

from deskhand.serving import turns
from deskhand.serving.deps import turn_slots


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


def test_turns_beyond_the_slots_wait_their_turn(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most DESKHAND_TURN_CONCURRENCY turns run at once; the others queue, none fail."""
    state = client.app.state.deskhand  # type: ignore[attr-defined]
    monkeypatch.setattr(state, "turn_slots", threading.BoundedSemaphore(2))
    running, most = 0, 0
    lock = threading.Lock()
    real = turns._turn

    def counted(*args: Any) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            time.sleep(0.05)
            return real(*args)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(turns, "_turn", counted)
    chats = [Chat(client, locale="en") for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(lambda c: c.send(text="Do you ship to Norway?"), chats))
    assert len(replies) == 6
    assert most == 2
    monkeypatch.setenv("DESKHAND_TURN_CONCURRENCY", "3")
    assert turn_slots()._value == 3  # type: ignore[attr-defined]  # the semaphore's count
