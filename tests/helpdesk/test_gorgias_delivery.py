"""Gorgias tickets from the outbox: web chat becomes an email ticket, SMS stays SMS; the
ticket is created once through 429s and lost answers; bad credentials fail for good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.helpdesk.delivery import transports
from deskhand.jobs.worker import deliver_due
from tests.helpdesk.fakes.helpdesks import GORGIAS_EMAIL, FakeHelpdesk
from tests.helpdesk.vendor_fixtures import connect_gorgias, hand_off, ticket


def deliver(sessions: sessionmaker[Session], settings: Settings, at: datetime) -> dict[int, str]:
    return deliver_due(sessions, transports(settings, sessions), settings, lambda: at)


def test_a_web_chat_handoff_becomes_an_email_ticket_with_the_transcript(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_gorgias: FakeHelpdesk,
) -> None:
    connect_gorgias(sessions, hd_settings, brand_id, fake_gorgias.base)
    ticket_id = hand_off(sessions, brand_id, "gorgias")
    assert set(deliver(sessions, hd_settings, datetime.now(UTC)).values()) == {"sent"}
    [created] = fake_gorgias.tickets
    assert created["channel"] == "email"
    assert created["via"] == "api"
    assert created["from_agent"] is False
    assert created["customer"]["email"] == "jane@example.com"
    [message] = created["messages"]
    assert message["channel"] == "email"
    assert message["via"] == "api"
    assert message["from_agent"] is False
    assert message["sender"] == {"email": "jane@example.com"}
    assert "shopper: Where is my parcel? Order 1001" in message["body_text"]
    assert " UTC] agent: Shall I connect you with a person?" in message["body_text"]
    assert "&lt;jane@example.com&gt;" in message["body_html"]  # escaped, not markup
    done = ticket(sessions, ticket_id)
    assert created["external_id"] == done.idempotency_key
    assert done.delivery == "delivered"
    assert done.external_id == str(created["id"])
    [(_, _, headers, _)] = fake_gorgias.creates()
    assert headers["Authorization"] == fake_gorgias.auth  # Basic email:key
    assert created["customer"]["email"] != GORGIAS_EMAIL  # the shopper, not our API user


def test_an_sms_handoff_stays_on_sms(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_gorgias: FakeHelpdesk,
) -> None:
    connect_gorgias(sessions, hd_settings, brand_id, fake_gorgias.base)
    hand_off(sessions, brand_id, "gorgias", channel="sms", address="+46701234567", email="")
    deliver(sessions, hd_settings, datetime.now(UTC))
    [created] = fake_gorgias.tickets
    assert created["channel"] == "sms"
    assert created["messages"][0]["channel"] == "sms"
    assert created["customer"]["channels"] == [{"type": "phone", "address": "+46701234567"}]


def test_429_waits_for_retry_after_then_makes_one_ticket(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_gorgias: FakeHelpdesk,
) -> None:
    connect_gorgias(sessions, hd_settings, brand_id, fake_gorgias.base)
    ticket_id = hand_off(sessions, brand_id, "gorgias")
    fake_gorgias.script = [429, 503]
    fake_gorgias.retry_after = "20"
    now = datetime.now(UTC)
    assert set(deliver(sessions, hd_settings, now).values()) == {"retry"}
    assert "429" in ticket(sessions, ticket_id).last_error
    assert ticket(sessions, ticket_id).delivery == "queued"
    assert deliver(sessions, hd_settings, now + timedelta(seconds=10)) == {}  # Retry-After: 20
    later = now + timedelta(seconds=21)
    assert set(deliver(sessions, hd_settings, later).values()) == {"retry"}  # the 503
    assert set(deliver(sessions, hd_settings, later + timedelta(hours=1)).values()) == {"sent"}
    assert len(fake_gorgias.tickets) == 1
    assert ticket(sessions, ticket_id).delivery == "delivered"


def test_a_create_answered_too_late_is_found_on_the_retry(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_gorgias: FakeHelpdesk,
) -> None:
    connect_gorgias(sessions, hd_settings, brand_id, fake_gorgias.base)
    ticket_id = hand_off(sessions, brand_id, "gorgias")
    fake_gorgias.script = ["hang-after-create"]
    now = datetime.now(UTC)
    assert set(deliver(sessions, hd_settings, now).values()) == {"retry"}
    assert set(deliver(sessions, hd_settings, now + timedelta(minutes=5)).values()) == {"sent"}
    assert len(fake_gorgias.tickets) == 1
    assert len(fake_gorgias.creates()) == 1
    assert ticket(sessions, ticket_id).external_id == str(fake_gorgias.tickets[0]["id"])


def test_a_wrong_key_fails_the_ticket_for_good(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_gorgias: FakeHelpdesk,
) -> None:
    connect_gorgias(sessions, hd_settings, brand_id, fake_gorgias.base, key="wrong")
    ticket_id = hand_off(sessions, brand_id, "gorgias")
    assert set(deliver(sessions, hd_settings, datetime.now(UTC)).values()) == {"failed"}
    assert ticket(sessions, ticket_id).delivery == "failed"
    assert "Gorgias answered 401" in ticket(sessions, ticket_id).last_error


def test_a_web_chat_without_an_email_address_fails_and_says_why(
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    fake_gorgias: FakeHelpdesk,
) -> None:
    """Gorgias answers a web chat by email: without the shopper's address there is no one to
    answer, and nothing is sent."""
    connect_gorgias(sessions, hd_settings, brand_id, fake_gorgias.base)
    ticket_id = hand_off(sessions, brand_id, "gorgias", email="")
    assert set(deliver(sessions, hd_settings, datetime.now(UTC)).values()) == {"failed"}
    failed = ticket(sessions, ticket_id)
    assert failed.delivery == "failed"
    assert failed.last_error == "Gorgias: no shopper email address for this email ticket"
    assert fake_gorgias.requests == []
