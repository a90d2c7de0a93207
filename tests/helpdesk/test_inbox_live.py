"""The inbox live: the shopper's messages and typing reach the team's socket, the team's
typing and reply reach the shopper's web-chat socket (in one process and across two through
Redis), and SMS and email conversations get the reply on their own channel via the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from deskhand.config import Settings
from deskhand.web.app import create_app
from tests.conftest import Chat
from tests.console.team_members import Member
from tests.fakes.channels import AVA_PHONE, Channels
from tests.helpdesk.inbox_fixtures import hand_to_inbox

MAX_FRAMES = 50


def until(ws: Any, kind: str, **wanted: Any) -> dict[str, Any]:
    """The next frame of this type (and these values), skipping the others."""
    for _ in range(MAX_FRAMES):
        frame: dict[str, Any] = ws.receive_json()
        if frame.get("type") == kind and all(frame.get(k) == v for k, v in wanted.items()):
            return frame
    raise AssertionError(f"no {kind} frame in {MAX_FRAMES}")


def lines_until(ws: Any, text: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    for _ in range(MAX_FRAMES):
        frame = until(ws, "lines")
        seen.extend(frame["lines"])
        if any(text in line["text"] for line in frame["lines"]):
            return seen
    raise AssertionError(f"{text!r} never arrived")


def relay(shopper_client: TestClient, inbox_client: TestClient, chat: Chat, ticket: int) -> None:
    """The whole relay, with the shopper's socket on one app and the inbox's on another
    (or the same)."""
    shopper_path = f"/api/v1/conversations/{chat.id}/ws?token={chat.token}"
    with (
        shopper_client.websocket_connect(shopper_path) as shopper,
        inbox_client.websocket_connect(f"/admin/inbox/{ticket}/ws?after=0") as inbox,
    ):
        assert until(shopper, "ready")["conversation"]["status"] == "handed_off"
        until(inbox, "ready")
        first = lines_until(inbox, "talk to a human")
        assert first[0]["role"] == "shopper"

        shopper.send_json({"typing": True})
        assert until(inbox, "shopper_typing") == {"type": "shopper_typing", "typing": True}
        shopper.send_json({"text": "Is anyone there?"})
        until(shopper, "messages")  # (the agent still answers until the handoff lands)
        news = lines_until(inbox, "Is anyone there?")
        assert any(line["role"] == "shopper" for line in news)
        shopper.send_json({"typing": True})  # typing again after a message is news again
        assert until(inbox, "shopper_typing")["typing"] is True

        inbox.send_json({"typing": True})
        typing = until(shopper, "team_typing")
        assert typing == {"type": "team_typing", "typing": True, "name": "Demo Owner"}

        member = Member(inbox_client)
        page = f"/admin/inbox/{ticket}"
        r = member.post(f"{page}/reply", {"text": "Yes! Noor here."}, from_page=page)
        assert r.status_code == 303
        pushed = until(shopper, "messages", pushed=True)
        (message,) = pushed["messages"]
        assert message["blocks"] == [{"type": "text", "text": "Yes! Noor here."}]
        assert message["meta"]["author"] == {"name": "Demo Owner"}
        team_line = lines_until(inbox, "Yes! Noor here.")[-1]
        assert (team_line["role"], team_line["who"]) == ("team", "Demo Owner")


def test_the_relay_in_one_process(client: TestClient, owner: Member, db: Session) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="I want to talk to a human")
    relay(client, owner.client, chat, hand_to_inbox(db, chat.id))


@pytest.fixture
def two_processes(
    settings: Settings, demo_db: Any, redis_space: tuple[str, str]
) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps on one database and one Redis, as two `deskhand serve` processes are."""
    url, _ = redis_space
    shared = settings.model_copy(update={"redis_url": url})
    with TestClient(create_app(shared)) as a, TestClient(create_app(shared)) as b:
        yield a, b


def test_the_relay_across_processes_through_redis(
    two_processes: tuple[TestClient, TestClient], settings: Settings
) -> None:
    shopper_app, inbox_app = two_processes
    chat = Chat(shopper_app, locale="en")
    chat.send(text="I want to talk to a human")
    engine = create_engine(settings.resolved_database_url())
    with Session(engine) as db:
        ticket = hand_to_inbox(db, chat.id)
    engine.dispose()
    assert Member(inbox_app).sign_in().status_code == 303
    relay(shopper_app, inbox_app, chat, ticket)


def test_another_origin_cannot_open_the_inbox_socket(
    owner: Member, client: TestClient, db: Session
) -> None:
    chat = Chat(client, locale="en")
    ticket = hand_to_inbox(db, chat.id)
    with (
        owner.client.websocket_connect(
            f"/admin/inbox/{ticket}/ws", headers={"origin": "https://evil.example"}
        ) as ws,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        ws.receive_json()
    assert closed.value.code == 4403
    with (
        owner.client.websocket_connect(f"/admin/inbox/{ticket + 1000}/ws") as ws,
        pytest.raises(WebSocketDisconnect) as missing,
    ):
        ws.receive_json()
    assert missing.value.code == 4404


def test_an_sms_conversation_gets_the_reply_by_sms_through_the_outbox(
    channels: Channels,
) -> None:
    assert channels.sms(AVA_PHONE, "Where is my order 1002?").status_code == 200
    channels.deliver()
    (conv,) = channels.conversations()
    engine = create_engine(channels.settings.resolved_database_url())
    with Session(engine) as db:
        ticket = hand_to_inbox(db, conv.id)
    engine.dispose()
    member = Member(channels.client)
    assert member.sign_in().status_code == 303
    page = f"/admin/inbox/{ticket}"
    assert "(sent by sms)" in channels.client.get(page).text
    r = member.post(f"{page}/reply", {"text": "Hi Ava, it ships today."}, from_page=page)
    assert r.status_code == 303
    (row,) = [m for m in channels.outbox("sms") if m.body == "Hi Ava, it ships today."]
    assert row.recipient == AVA_PHONE
    assert row.idempotency_key.startswith("team:")
    assert row.conversation_id == conv.id
    assert row.status != "sent"  # the worker sends it, not the request
    channels.deliver()
    assert "Hi Ava, it ships today." in channels.sent_bodies(AVA_PHONE)
    roles = [(m.role, m.channel) for m in channels.transcript(conv.id)]
    assert roles[-1] == ("team", "sms")


def test_an_email_conversation_gets_the_reply_in_its_thread(channels: Channels) -> None:
    r = channels.email(
        sender="Ben Müller <ben@example.com>",
        subject="Frage zu meiner Bestellung",
        body_plain="Hallo, ich möchte mit einem Menschen sprechen.",
        message_id="<ask-1@mail.example>",
    )
    assert r.status_code == 200
    channels.deliver()
    (conv,) = channels.conversations()
    engine = create_engine(channels.settings.resolved_database_url())
    with Session(engine) as db:
        ticket = hand_to_inbox(db, conv.id, email="ben@example.com")
    engine.dispose()
    member = Member(channels.client)
    assert member.sign_in().status_code == 303
    page = f"/admin/inbox/{ticket}"
    r = member.post(f"{page}/reply", {"text": "Hallo Ben, gern!"}, from_page=page)
    assert r.status_code == 303
    channels.deliver()
    mail = channels.smtp.messages[-1]
    assert mail.rcpt_tos == ["ben@example.com"]
    assert mail.message["Subject"] == "Re: Frage zu meiner Bestellung"
    assert mail.message["In-Reply-To"] is not None  # threaded under our earlier answer
    assert "Hallo Ben, gern!" in str(mail.message)
