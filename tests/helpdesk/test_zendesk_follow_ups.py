"""The shopper's follow-ups reach the Zendesk ticket: queued with the message, posted after a
slow create, once each and in order, as the requester's own public comments; a lost answer
is looked up, not posted again; refusals fail visibly; the webhook never brings them back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.channels.worker import transports
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import transaction
from deskhand.domain.vocabulary import HandoffDestination
from deskhand.helpdesk.delivery import waiting
from deskhand.helpdesk.settings import HandoffConfig, save_handoff_config
from deskhand.jobs.worker import deliver_due, start_worker_thread
from deskhand.privacy.held import Reason
from deskhand.privacy.redact import redact_conversation
from tests.conftest import Chat
from tests.console.team_members import Member
from tests.helpdesk.fakes.helpdesks import FakeHelpdesk
from tests.helpdesk.test_zendesk_delivery import wait_for
from tests.helpdesk.test_zendesk_webhook import comment_event, post, team_messages
from tests.helpdesk.vendor_fixtures import connect_zendesk

ASK = "Can I talk to a human please?"
YES = "handoff:yes"


def deliver(sessions: sessionmaker[Session], settings: Settings, at: datetime) -> dict[int, str]:
    """One worker pass with every transport the real worker has."""
    return deliver_due(sessions, transports(settings, sessions), settings, lambda: at)


def handed_to_zendesk(
    sessions: sessionmaker[Session], settings: Settings, client: TestClient
) -> Chat:
    with transaction(sessions) as session:
        brand = find_brand(session)
        assert brand is not None
        config = HandoffConfig.from_json({"destination": "zendesk"}, brand.timezone)
        save_handoff_config(session, brand, config, datetime.now(UTC))
    chat = Chat(client, locale="en")
    chat.send(text=ASK)
    done = chat.send(action=YES)
    assert done["meta"]["outcome"] == "handed_off"
    return chat


@pytest.fixture
def zendesk_chat(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
    app_client: TestClient,
) -> Chat:
    """A web chat handed to the brand's Zendesk (the local fake)."""
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base)
    return handed_to_zendesk(sessions, hd_settings, app_client)


def write(chat: Chat, **body: str) -> None:
    """The shopper writes while Zendesk has the conversation: the agent stays silent."""
    r = chat.client.post(
        f"/api/v1/conversations/{chat.id}/messages", json=body, headers=chat.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["messages"] == []


def the_ticket(sessions: sessionmaker[Session], conversation_id: str) -> models.HelpdeskTicket:
    with transaction(sessions) as session:
        row = session.scalars(
            select(models.HelpdeskTicket).where(
                models.HelpdeskTicket.conversation_id == conversation_id
            )
        ).one()
        session.expunge(row)
        return row


def comments(sessions: sessionmaker[Session]) -> list[models.HelpdeskComment]:
    with transaction(sessions) as session:
        rows = list(
            session.scalars(select(models.HelpdeskComment).order_by(models.HelpdeskComment.id))
        )
        session.expunge_all()
        return rows


def comment_rows(sessions: sessionmaker[Session]) -> list[models.OutboxMessage]:
    with transaction(sessions) as session:
        rows = list(
            session.scalars(
                select(models.OutboxMessage)
                .where(models.OutboxMessage.kind == "helpdesk_comment")
                .order_by(models.OutboxMessage.id)
            )
        )
        session.expunge_all()
        return rows


def ticket_attempts(sessions: sessionmaker[Session]) -> int:
    with transaction(sessions) as session:
        return session.scalars(
            select(models.OutboxMessage.attempts).where(
                models.OutboxMessage.kind == "helpdesk_ticket"
            )
        ).one()


def test_follow_ups_after_a_slow_create_arrive_once_in_order_as_the_requester(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
    app_client: TestClient,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base, timeout=0.5)
    chat = handed_to_zendesk(sessions, hd_settings, app_client)
    write(chat, text="The parcel was due on Monday.")
    write(chat, text="It is order 1001.")
    write(chat, action=YES)  # the old "Yes, connect me" button, pressed again
    # Queued with each message, in the same transaction: a comment and its outbox row.
    assert [c.delivery for c in comments(sessions)] == ["queued"] * 3
    rows = comment_rows(sessions)
    assert [r.payload for r in rows] == [{"comment_id": c.id} for c in comments(sessions)]
    with transaction(sessions) as session:
        creation = session.scalars(
            select(models.OutboxMessage.id).where(models.OutboxMessage.kind == "helpdesk_ticket")
        ).one()
    # Each waits for the one before: the ticket's creation, then the earlier follow-up.
    assert [r.after_id for r in rows] == [creation, rows[0].id, rows[1].id]
    assert all(r.body == "" for r in rows)  # the words stay in our database, not the outbox

    # Zendesk creates the ticket but answers only after we gave up: the follow-ups wait.
    fake_zendesk.script = ["hang-after-create"]
    now = datetime.now(UTC)
    assert set(deliver(sessions, hd_settings, now).values()) == {"retry"}
    assert fake_zendesk.comment_puts() == []
    assert all(r.status == "pending" and r.attempts == 0 for r in comment_rows(sessions))

    assert set(deliver(sessions, hd_settings, now + timedelta(minutes=5)).values()) == {"sent"}
    [created] = fake_zendesk.tickets
    ticket = the_ticket(sessions, chat.id)
    assert ticket.external_id == str(created["id"])
    assert ticket.requester_id == str(created["requester_id"])
    posted = fake_zendesk.public_comments(created["id"])
    assert [c["body"] for c in posted] == [
        "The parcel was due on Monday.",
        "It is order 1001.",
        "Yes, connect me with an agent",  # the label the shopper saw
    ]
    assert all(c["public"] is True for c in posted)
    assert {c["author_id"] for c in posted} == {created["requester_id"]}
    assert len(fake_zendesk.comment_puts()) == 3
    assert [c.delivery for c in comments(sessions)] == ["delivered"] * 3
    assert [c.external_id for c in comments(sessions)] == [str(c["id"]) for c in posted]

    # Nothing left to do: a second pass posts nothing again.
    assert deliver(sessions, hd_settings, now + timedelta(minutes=10)) == {}
    assert len(fake_zendesk.comment_puts()) == 3


@pytest.mark.parametrize("lost", ["hang-after-create", "drop-after-apply"])
def test_a_comment_whose_answer_is_lost_is_looked_up_not_posted_twice(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
    app_client: TestClient,
    lost: str,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base, timeout=0.5)
    chat = handed_to_zendesk(sessions, hd_settings, app_client)
    now = datetime.now(UTC)
    deliver(sessions, hd_settings, now)
    write(chat, text="ok")
    assert set(deliver(sessions, hd_settings, now).values()) == {"sent"}

    # The same words again; Zendesk adds them but the answer never arrives.
    write(chat, text="ok")
    fake_zendesk.script = [lost]
    assert set(deliver(sessions, hd_settings, now).values()) == {"retry"}
    assert comments(sessions)[1].delivery == "queued"
    assert comments(sessions)[1].last_error.startswith("Zendesk: ")
    assert set(deliver(sessions, hd_settings, now + timedelta(minutes=5)).values()) == {"sent"}
    ticket_id = the_ticket(sessions, chat.id).external_id or ""
    assert [c["body"] for c in fake_zendesk.public_comments(ticket_id)] == ["ok", "ok"]
    assert len(fake_zendesk.comment_puts()) == 2  # the retry found it there

    # Once more, refused before it was applied: the retry sees two "ok", both ours, and posts.
    write(chat, text="ok")
    fake_zendesk.script = [503]
    assert set(deliver(sessions, hd_settings, now).values()) == {"retry"}
    assert set(deliver(sessions, hd_settings, now + timedelta(minutes=5)).values()) == {"sent"}
    assert [c["body"] for c in fake_zendesk.public_comments(ticket_id)] == ["ok"] * 3
    assert [c.delivery for c in comments(sessions)] == ["delivered"] * 3
    ids = [c["id"] for c in fake_zendesk.public_comments(ticket_id)]
    assert [c.external_id for c in comments(sessions)] == [str(i) for i in ids]


def test_429_waits_for_retry_after_and_a_comment_without_its_ticket_waits(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    fake_zendesk: FakeHelpdesk,
    zendesk_chat: Chat,
) -> None:
    chat = zendesk_chat
    write(chat, text="Hello?")
    # Even freed from its place in line, the comment waits until the ticket exists.
    with transaction(sessions) as session:
        row = session.scalars(
            select(models.OutboxMessage).where(models.OutboxMessage.kind == "helpdesk_comment")
        ).one()
        row.after_id = None
    fake_zendesk.script = [500]  # the ticket's create
    now = datetime.now(UTC)
    assert set(deliver(sessions, hd_settings, now).values()) == {"retry"}
    [waiting_row] = comment_rows(sessions)
    assert waiting_row.status == "retry"
    assert "waiting for the Zendesk ticket" in (waiting_row.last_error or "")
    assert comments(sessions)[0].delivery == "queued"

    # The ticket goes through (its lookup, its create); the comment is told to slow down.
    fake_zendesk.script = ["ok", "ok", 429]
    fake_zendesk.retry_after = "120"
    later = now + timedelta(minutes=5)
    deliver(sessions, hd_settings, later)
    [limited] = comment_rows(sessions)
    assert limited.status == "retry"
    assert limited.next_attempt_at is not None
    assert limited.next_attempt_at.replace(tzinfo=UTC) >= later + timedelta(seconds=120)
    assert deliver(sessions, hd_settings, later + timedelta(seconds=60)) == {}
    assert set(deliver(sessions, hd_settings, later + timedelta(seconds=121)).values()) == {"sent"}
    ticket_id = the_ticket(sessions, chat.id).external_id or ""
    assert [c["body"] for c in fake_zendesk.public_comments(ticket_id)] == ["Hello?"]


def test_refusals_fail_the_comment_and_the_integrations_page_says_so(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
    app_client: TestClient,
    zendesk_chat: Chat,
) -> None:
    chat = zendesk_chat
    now = datetime.now(UTC)
    deliver(sessions, hd_settings, now)
    # The token is revoked in Zendesk: 401, for good, no retry.
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base, token="revoked")
    write(chat, text="Anyone there?")
    assert set(deliver(sessions, hd_settings, now).values()) == {"failed"}
    [failed] = comments(sessions)
    assert failed.delivery == "failed"
    assert "401" in failed.last_error
    assert comment_rows(sessions)[0].attempts == 1
    # An invalid comment (422) fails too.
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base)
    write(chat, text="Still waiting.")
    fake_zendesk.script = [422]
    assert list(deliver(sessions, hd_settings, now).values()) == ["failed"]
    assert "422" in comments(sessions)[1].last_error

    with transaction(sessions) as session:
        seen = waiting(session, brand_id, HandoffDestination.ZENDESK)
    assert (seen.comments_queued, seen.comments_failed) == (0, 2)
    member = Member(app_client)
    member.sign_in()
    page = app_client.get("/admin/integrations").text
    assert "shopper follow-ups: 0 waiting · 2 failed" in page
    assert "last error: Zendesk answered 422 to the comment" in page
    assert [c["body"] for c in fake_zendesk.public_comments(fake_zendesk.tickets[0]["id"])] == []


def test_a_comment_on_a_ticket_that_failed_fails_too(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    fake_zendesk: FakeHelpdesk,
    zendesk_chat: Chat,
) -> None:
    chat = zendesk_chat
    write(chat, text="Hello?")
    fake_zendesk.script = [403]
    assert set(deliver(sessions, hd_settings, datetime.now(UTC)).values()) == {"failed"}
    assert the_ticket(sessions, chat.id).delivery == "failed"
    [failed] = comments(sessions)
    assert failed.delivery == "failed"
    assert "ticket was not created" in failed.last_error
    assert fake_zendesk.comment_puts() == []


def test_the_webhook_does_not_bring_the_shoppers_follow_up_back(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    fake_zendesk: FakeHelpdesk,
    app_client: TestClient,
    zendesk_chat: Chat,
    slug: str,
) -> None:
    chat = zendesk_chat
    write(chat, text="Where is my parcel?")
    write(chat, text="Order 1001.")
    write(chat, text="Thanks!")
    deliver(sessions, hd_settings, datetime.now(UTC))
    ticket = the_ticket(sessions, chat.id)
    ticket_id = ticket.external_id or ""
    first, second, third = fake_zendesk.public_comments(ticket_id)

    # Zendesk's comment_added event, its author the requester (even if reported as staff).
    event = comment_event(ticket_id, first["body"], comment_id=str(first["id"]))
    event["event"]["comment"]["author"] = {
        "id": str(ticket.requester_id),
        "is_staff": True,
        "name": "Jane Doe",
    }
    assert post(app_client, slug, event).json()["status"] == "ignored"
    # A trigger that names the comment, its author being the API user who posted it.
    trigger = {
        "ticket_id": ticket_id,
        "comment_id": str(second["id"]),
        "body": second["body"],
        "author": "Fjord & Finch API",
    }
    assert post(app_client, slug, trigger).json()["status"] == "ignored"
    # A trigger with neither comment nor author id: recognised by its words.
    bare = {"ticket_id": ticket_id, "body": "Thanks! \n", "author": "API"}
    assert third["body"] == "Thanks!"
    assert post(app_client, slug, json.dumps(bare).encode()).json()["status"] == "ignored"
    assert team_messages(sessions, chat.id) == []

    # The agent's answer still comes through, even in the same words as the shopper's.
    reply = comment_event(ticket_id, "It left our warehouse today.", comment_id="777")
    assert post(app_client, slug, reply).json()["status"] == "relayed"
    same = comment_event(ticket_id, "Where is my parcel?", comment_id="778")
    assert post(app_client, slug, same).json()["status"] == "relayed"
    texts = [m.blocks[0]["text"] for m in team_messages(sessions, chat.id)]
    assert texts == ["It left our warehouse today.", "Where is my parcel?"]


def test_with_the_worker_running_and_zendesk_away_for_a_while_each_arrives_once_in_order(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
    app_client: TestClient,
) -> None:
    """The real worker thread throughout: the create is slow, then Zendesk goes away while
    the shopper keeps writing, and comes back on the same port."""
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base, timeout=0.5)
    thread, stop = start_worker_thread(hd_settings, sessions, transports(hd_settings, sessions))
    try:
        fake_zendesk.script = ["hang-after-create"]
        chat = handed_to_zendesk(sessions, hd_settings, app_client)
        write(chat, text="one")
        wait_for(lambda: len(fake_zendesk.tickets) == 1, "the slow create")
        fake_zendesk.stop()
        for text in ("two", "three", "four"):
            write(chat, text=text)
        wait_for(lambda: ticket_attempts(sessions) >= 2, "a retry against the stopped server")
        assert the_ticket(sessions, chat.id).delivery == "queued"
        assert fake_zendesk.comment_puts() == []
        fake_zendesk.start()
        wait_for(
            lambda: [c.delivery for c in comments(sessions)] == ["delivered"] * 4,
            "every follow-up delivered",
        )
    finally:
        stop.set()
        thread.join(timeout=10)
    [created] = fake_zendesk.tickets
    bodies = [c["body"] for c in fake_zendesk.public_comments(created["id"])]
    assert bodies == ["one", "two", "three", "four"]
    assert len(fake_zendesk.comment_puts()) == 4


def test_a_follow_up_erased_before_it_went_is_never_sent(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    fake_zendesk: FakeHelpdesk,
    zendesk_chat: Chat,
) -> None:
    chat = zendesk_chat
    write(chat, text="My address is Storgatan 1, Malmö.")
    with transaction(sessions) as session:
        redact_conversation(session, chat.id, Reason.ERASURE, datetime.now(UTC))
    assert set(deliver(sessions, hd_settings, datetime.now(UTC)).values()) == {"sent", "failed"}
    [erased] = comments(sessions)
    assert erased.delivery == "failed"
    assert "erased" in erased.last_error
    assert fake_zendesk.comment_puts() == []
