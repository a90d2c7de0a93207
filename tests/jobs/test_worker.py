"""The outbox worker: atomic claims, retries with backoff, permanent errors, order of parts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from tests.fakes.channels import AVA_PHONE, Channels

from deskhand.channels.transports import transports_for
from deskhand.db import models
from deskhand.db.session import make_sessionmaker, transaction
from deskhand.jobs.outbox import enqueue
from deskhand.jobs.worker import backoff, claim, deliver_due


def _queue_sms(channels: Channels, body: str = "Hello", after: int | None = None) -> int:
    with transaction(channels.state.sessions) as session:
        brand_id = session.scalar(select(models.Brand.id))
        assert brand_id is not None
        row = enqueue(
            session,
            brand_id=brand_id,
            kind="sms",
            recipient=AVA_PHONE,
            subject="",
            body=body,
            idempotency_key=f"test:{body}:{after}",
            now=datetime.now(UTC),
        )
        row.after_id = after
        session.flush()
        return row.id


def _row(channels: Channels, outbox_id: int) -> models.OutboxMessage:
    with transaction(channels.state.sessions) as session:
        return session.get_one(models.OutboxMessage, outbox_id)


def test_a_500_is_retried_and_the_message_delivered_exactly_once(channels: Channels) -> None:
    channels.twilio.fail_next(500, code=20500, message="Internal Server Error", times=2)
    outbox_id = _queue_sms(channels)
    assert channels.deliver() == {outbox_id: "sent"}
    assert channels.twilio.calls == 3
    assert [m["Body"] for m in channels.twilio.sent] == ["Hello"]
    row = _row(channels, outbox_id)
    assert row.status == "sent"
    assert row.attempts == 3
    assert row.last_error is None
    assert channels.deliver() == {}  # nothing left: never sent twice
    assert len(channels.twilio.sent) == 1


def test_a_permanent_400_stops_with_last_error(channels: Channels) -> None:
    channels.twilio.fail_next(
        400, code=21211, message="The 'To' number is not a valid phone number."
    )
    outbox_id = _queue_sms(channels)
    assert channels.deliver() == {outbox_id: "failed"}
    row = _row(channels, outbox_id)
    assert row.attempts == 1
    assert row.last_error == (
        "Twilio 400 (error 21211): The 'To' number is not a valid phone number."
    )
    assert channels.deliver() == {}
    assert channels.twilio.calls == 1


def test_retry_waits_for_the_backoff(channels: Channels) -> None:
    channels.settings.outbox_backoff_seconds = 60
    channels.twilio.fail_next(429, code=20429, message="Too many requests", retry_after=120)
    outbox_id = _queue_sms(channels)
    assert channels.deliver() == {outbox_id: "retry"}
    row = _row(channels, outbox_id)
    assert row.next_attempt_at is not None
    assert row.next_attempt_at - datetime.now(UTC) > timedelta(seconds=100)
    assert channels.deliver() == {}  # not due yet
    later = lambda: datetime.now(UTC) + timedelta(minutes=5)  # noqa: E731
    sessions, settings = channels.state.sessions, channels.settings
    assert deliver_due(sessions, transports_for(settings), settings, later) == {outbox_id: "sent"}


def test_attempts_are_bounded(channels: Channels) -> None:
    channels.settings.outbox_max_attempts = 3
    channels.twilio.fail_next(503, times=10)
    outbox_id = _queue_sms(channels)
    assert channels.deliver() == {outbox_id: "failed"}
    assert channels.twilio.calls == 3
    assert "Twilio 503" in (_row(channels, outbox_id).last_error or "")


def test_backoff_doubles_and_is_capped() -> None:
    assert timedelta(seconds=4.4) <= backoff(1, 5) <= timedelta(seconds=5.6)
    assert timedelta(seconds=36) <= backoff(4, 5) <= timedelta(seconds=44)
    assert backoff(30, 5) == timedelta(hours=1)
    assert backoff(1, 5, retry_after=30) >= timedelta(seconds=30)


def test_a_later_part_waits_for_the_earlier_one(channels: Channels) -> None:
    channels.settings.outbox_backoff_seconds = 60
    channels.twilio.fail_next(500)
    first = _queue_sms(channels, "part 1")
    second = _queue_sms(channels, "part 2", after=first)
    assert channels.deliver() == {first: "retry"}  # part 2 is not claimed before part 1
    later = lambda: datetime.now(UTC) + timedelta(minutes=5)  # noqa: E731
    sessions, settings = channels.state.sessions, channels.settings
    assert deliver_due(sessions, transports_for(settings), settings, later) == {
        first: "sent",
        second: "sent",
    }
    assert [m["Body"] for m in channels.twilio.sent] == ["part 1", "part 2"]


def test_a_row_is_claimed_by_one_worker_only(channels: Channels) -> None:
    ids = [_queue_sms(channels, f"m{i}") for i in range(5)]
    engine = channels.state.sessions.kw["bind"]
    other = make_sessionmaker(engine)
    now = datetime.now(UTC)
    with transaction(channels.state.sessions) as first:
        mine = claim(first, now, limit=3)
        if engine.dialect.name == "postgresql":
            # SKIP LOCKED: a second worker, while the first still holds its rows, gets the rest.
            with transaction(other) as second:
                theirs = claim(second, now)
            assert sorted(mine + theirs) == ids
            assert not set(mine) & set(theirs)
    with transaction(other) as third:
        rest = claim(third, now)
    assert not set(rest) & set(mine)
    with transaction(other) as fourth:
        assert claim(fourth, now) == []  # everything is claimed now


def test_a_dead_workers_lease_runs_out(channels: Channels) -> None:
    outbox_id = _queue_sms(channels)
    with transaction(channels.state.sessions) as session:
        assert claim(session, datetime.now(UTC)) == [outbox_id]
    assert channels.deliver() == {}  # leased to the (dead) worker
    later = lambda: datetime.now(UTC) + timedelta(minutes=10)  # noqa: E731
    sessions, settings = channels.state.sessions, channels.settings
    assert deliver_due(sessions, transports_for(settings), settings, later) == {outbox_id: "sent"}


def test_smtp_temporary_failure_is_retried_and_refused_recipient_is_permanent(
    channels: Channels,
) -> None:
    channels.smtp.handler.temporary_failures = 1
    channels.smtp.handler.refuse_rcpt["nobody@example.com"] = "550 5.1.1 No such user"
    with transaction(channels.state.sessions) as session:
        brand_id = session.scalar(select(models.Brand.id))
        assert brand_id is not None
        ok = enqueue(
            session,
            brand_id=brand_id,
            kind="email",
            recipient="ava@example.com",
            subject="Code",
            body="123456",
            idempotency_key="t1",
            now=datetime.now(UTC),
        )
        bad = enqueue(
            session,
            brand_id=brand_id,
            kind="email",
            recipient="nobody@example.com",
            subject="Code",
            body="123456",
            idempotency_key="t2",
            now=datetime.now(UTC),
        )
        session.flush()
        ok_id, bad_id = ok.id, bad.id
    result = channels.deliver()
    assert result == {ok_id: "sent", bad_id: "failed"}
    assert len(channels.smtp.messages) == 1
    assert "550" in (_row(channels, bad_id).last_error or "")
    assert _row(channels, ok_id).attempts == 2


def test_demo_without_transports_keeps_the_dev_outbox_working(client, session) -> None:  # type: ignore[no-untyped-def]
    state = client.app.state.deskhand
    settings = state.settings
    assert settings.demo
    assert not settings.smtp_host
    r = client.post("/api/v1/conversations", json={"channel": "webchat", "locale": "en"})
    conv = r.json()
    headers = {"Authorization": f"Bearer {conv['token']}"}
    client.post(
        f"/api/v1/conversations/{conv['id']}/messages",
        json={"text": "Where is my order?"},
        headers=headers,
    )
    client.post(
        f"/api/v1/conversations/{conv['id']}/messages",
        json={"text": "ava@example.com"},
        headers=headers,
    )
    delivered = deliver_due(state.sessions, transports_for(settings), settings)
    assert set(delivered.values()) == {"sent"}
    (item,) = client.get("/api/v1/dev/outbox", params={"to": "ava@example.com"}).json()["messages"]
    assert item["status"] == "sent"
    with transaction(state.sessions) as s:
        (row,) = s.scalars(select(models.OutboxMessage))
        assert row.provider_status == "dev_outbox"


def test_outside_demo_a_missing_transport_fails_and_says_why(channels: Channels) -> None:
    settings = channels.settings.model_copy(update={"demo": False, "smtp_host": ""})
    with transaction(channels.state.sessions) as session:
        brand_id = session.scalar(select(models.Brand.id))
        assert brand_id is not None
        row = enqueue(
            session,
            brand_id=brand_id,
            kind="email",
            recipient="ava@example.com",
            subject="x",
            body="y",
            idempotency_key="t3",
            now=datetime.now(UTC),
        )
        session.flush()
        outbox_id = row.id
    assert deliver_due(channels.state.sessions, transports_for(settings), settings) == {
        outbox_id: "failed"
    }
    assert "DESKHAND_SMTP_HOST" in (_row(channels, outbox_id).last_error or "")
