"""Zendesk tickets from the outbox: the ticket's shape, retries on 5xx/429/timeouts with the
ticket created exactly once, permanent refusals, and the fake Zendesk stopped mid-run."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.helpdesk.delivery import transports
from deskhand.jobs.worker import deliver_due, start_worker_thread
from tests.helpdesk.fakes.helpdesks import FakeHelpdesk
from tests.helpdesk.vendor_fixtures import connect_zendesk, hand_off, ticket


def outbox_row(sessions: sessionmaker[Session], ticket_id: int) -> models.OutboxMessage:
    with transaction(sessions) as session:
        for row in session.scalars(select(models.OutboxMessage)):
            if (row.payload or {}).get("ticket_id") == ticket_id:
                session.expunge(row)
                return row
    raise AssertionError(f"no outbox row for ticket {ticket_id}")


def deliver(sessions: sessionmaker[Session], settings: Settings, at: datetime) -> dict[int, str]:
    return deliver_due(sessions, transports(settings, sessions), settings, lambda: at)


def test_the_ticket_carries_requester_transcript_tags_and_custom_fields(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
) -> None:
    connect_zendesk(
        sessions,
        hd_settings,
        brand_id,
        fake_zendesk.base,
        intent_field_id="360000000001",
        order_field_id="360000000002",
    )
    ticket_id = hand_off(sessions, brand_id, "zendesk")
    assert set(deliver(sessions, hd_settings, datetime.now(UTC)).values()) == {"sent"}

    [created] = fake_zendesk.tickets
    assert created["requester"] == {"name": "Jane Doe", "email": "jane@example.com"}
    assert created["comment"]["public"] is False
    body = created["comment"]["body"]
    assert "shopper: Where is my parcel? Order 1001" in body
    assert "agent: Shall I connect you with a person?" in body
    assert " UTC] shopper:" in body  # each line has its timestamp
    assert "Why a person: The parcel shows no movement for nine days." in body
    assert created["tags"] == ["deskhand", "order_status"]
    assert created["custom_fields"] == [
        {"id": 360000000001, "value": "order_status"},
        {"id": 360000000002, "value": "1001"},
    ]
    done = ticket(sessions, ticket_id)
    assert created["external_id"] == done.idempotency_key
    [(_, _, headers, _)] = fake_zendesk.creates()
    assert headers["Idempotency-Key"] == done.idempotency_key
    assert done.delivery == "delivered"
    assert done.external_id == str(created["id"])
    assert outbox_row(sessions, ticket_id).provider_ref == str(created["id"])


def test_500_then_429_are_retried_after_retry_after_and_create_one_ticket(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base)
    ticket_id = hand_off(sessions, brand_id, "zendesk")
    fake_zendesk.script = [500, 429]
    fake_zendesk.retry_after = "120"
    now = datetime.now(UTC)

    assert set(deliver(sessions, hd_settings, now).values()) == {"retry"}
    waiting = ticket(sessions, ticket_id)
    assert waiting.delivery == "queued"
    assert "500" in waiting.last_error
    # The retry (a lookup first, then the 429) must wait for Retry-After: 120 s.
    later = now + timedelta(seconds=5)
    assert set(deliver(sessions, hd_settings, later).values()) == {"retry"}
    row = outbox_row(sessions, ticket_id)
    assert row.next_attempt_at is not None
    assert row.next_attempt_at.replace(tzinfo=UTC) >= later + timedelta(seconds=120)
    assert deliver(sessions, hd_settings, later + timedelta(seconds=60)) == {}  # not yet due
    assert set(deliver(sessions, hd_settings, later + timedelta(seconds=121)).values()) == {"sent"}
    assert len(fake_zendesk.tickets) == 1
    assert ticket(sessions, ticket_id).delivery == "delivered"


def test_a_create_whose_answer_is_lost_is_found_not_made_again(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
) -> None:
    """Zendesk creates the ticket but answers after our timeout: the retry looks it up by
    external_id and takes it; no second ticket."""
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base, timeout=0.5)
    ticket_id = hand_off(sessions, brand_id, "zendesk")
    fake_zendesk.script = ["hang-after-create"]
    now = datetime.now(UTC)
    assert set(deliver(sessions, hd_settings, now).values()) == {"retry"}
    assert ticket(sessions, ticket_id).last_error.startswith("Zendesk: ")  # no answer in time
    assert set(deliver(sessions, hd_settings, now + timedelta(minutes=5)).values()) == {"sent"}
    assert len(fake_zendesk.tickets) == 1
    assert len(fake_zendesk.creates()) == 1  # the retry found it and did not post again
    assert ticket(sessions, ticket_id).external_id == str(fake_zendesk.tickets[0]["id"])


def test_a_ticket_with_its_zendesk_id_is_never_sent_again(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base)
    ticket_id = hand_off(sessions, brand_id, "zendesk")
    deliver(sessions, hd_settings, datetime.now(UTC))
    # A second row for the same ticket (a replayed handoff, a restored backup): no call.
    with transaction(sessions) as session:
        first = session.scalars(select(models.OutboxMessage)).one()
        again = models.OutboxMessage(
            brand_id=brand_id,
            kind=first.kind,
            recipient=first.recipient,
            subject="",
            body="",
            idempotency_key=first.idempotency_key + ":again",
            status="pending",
            attempts=0,
            created_at=datetime.now(UTC),
            payload={"ticket_id": ticket_id},
        )
        session.add(again)
    assert set(deliver(sessions, hd_settings, datetime.now(UTC)).values()) == {"sent"}
    assert len(fake_zendesk.requests) == 1
    assert len(fake_zendesk.tickets) == 1


def test_refused_credentials_and_invalid_records_fail_for_good(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base, token="wrong-token")
    refused = hand_off(sessions, brand_id, "zendesk")
    assert set(deliver(sessions, hd_settings, datetime.now(UTC)).values()) == {"failed"}
    failed = ticket(sessions, refused)
    assert failed.delivery == "failed"
    assert "401" in failed.last_error
    assert outbox_row(sessions, refused).attempts == 1  # not retried

    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base)
    invalid = hand_off(sessions, brand_id, "zendesk")
    fake_zendesk.script = [422]
    assert deliver(sessions, hd_settings, datetime.now(UTC)) == {
        outbox_row(sessions, invalid).id: "failed"
    }
    assert ticket(sessions, invalid).delivery == "failed"
    assert "422" in ticket(sessions, invalid).last_error
    with transaction(sessions) as session:
        row = session.scalars(select(models.Integration)).one()
        assert "422" in row.last_error
    assert fake_zendesk.tickets == []


def test_a_ticket_for_a_helpdesk_not_connected_fails_and_says_so(
    sessions: sessionmaker[Session], hd_settings: Settings, brand_id: int
) -> None:
    ticket_id = hand_off(sessions, brand_id, "zendesk")
    assert set(deliver(sessions, hd_settings, datetime.now(UTC)).values()) == {"failed"}
    assert ticket(sessions, ticket_id).delivery == "failed"
    assert "not connected" in ticket(sessions, ticket_id).last_error


def wait_for(check: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def test_zendesk_stopped_mid_run_still_gets_each_ticket_exactly_once(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_zendesk: FakeHelpdesk,
) -> None:
    """The real worker thread runs throughout; the fake Zendesk goes away between handoffs
    and while a ticket is being created, and comes back on the same port."""
    connect_zendesk(sessions, hd_settings, brand_id, fake_zendesk.base, timeout=0.5)
    thread, stop = start_worker_thread(hd_settings, sessions, transports(hd_settings, sessions))
    try:
        first = hand_off(sessions, brand_id, "zendesk")
        wait_for(lambda: ticket(sessions, first).delivery == "delivered", "the first ticket")

        # The next create reaches Zendesk, which keeps the ticket and dies before answering.
        fake_zendesk.script = ["hang-after-create"]
        second = hand_off(sessions, brand_id, "zendesk")
        wait_for(lambda: len(fake_zendesk.tickets) == 2, "the second create")
        fake_zendesk.stop()
        third = hand_off(sessions, brand_id, "zendesk")
        wait_for(
            lambda: (
                outbox_row(sessions, third).attempts >= 2
                and outbox_row(sessions, second).attempts >= 2
            ),
            "retries against the stopped server",
        )
        assert ticket(sessions, third).delivery == "queued"
        assert ticket(sessions, second).delivery == "queued"
        assert "Zendesk" in ticket(sessions, third).last_error

        fake_zendesk.start()
        wait_for(
            lambda: all(ticket(sessions, t).delivery == "delivered" for t in (second, third)),
            "delivery once Zendesk is back",
        )
    finally:
        stop.set()
        thread.join(timeout=10)
    keys = sorted(t["external_id"] for t in fake_zendesk.tickets)
    assert keys == sorted(ticket(sessions, t).idempotency_key for t in (first, second, third))
    assert len(fake_zendesk.tickets) == 3  # exactly one each
    ids = {ticket(sessions, t).external_id for t in (first, second, third)}
    assert ids == {str(t["id"]) for t in fake_zendesk.tickets}
