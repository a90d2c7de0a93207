"""The Zendesk and Gorgias fixtures (conftest.py registers them): the fake helpdesks, a brand
connected to them, and handoffs written as the handoff writes them (a queued HelpdeskTicket
and its outbox row, one transaction) until the handoff itself is merged."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import connect
from deskhand.db.session import make_sessionmaker, transaction
from deskhand.domain.vocabulary import IntegrationKind, TicketDelivery
from deskhand.helpdesk.delivery import KIND
from deskhand.jobs.outbox import enqueue
from deskhand.web.app import create_app
from tests.helpdesk.fakes.helpdesks import (
    GORGIAS_EMAIL,
    GORGIAS_KEY,
    ZENDESK_EMAIL,
    ZENDESK_TOKEN,
    FakeHelpdesk,
)

WEBHOOK_SECRET = "zd-webhook-signing-secret-42"


@pytest.fixture
def hd_settings(settings: Settings) -> Settings:
    """Local fakes allowed; retries come quickly (the backoff is not what is tested)."""
    return settings.model_copy(
        update={
            "allow_private_urls": True,
            "outbox_backoff_seconds": 0.01,
            "worker_poll_seconds": 0.02,
            "demo": False,
        }
    )


@pytest.fixture
def sessions(demo_db: Engine, hd_settings: Settings) -> sessionmaker[Session]:
    return make_sessionmaker(demo_db, hd_settings)


@pytest.fixture
def brand_id(sessions: sessionmaker[Session]) -> int:
    with transaction(sessions) as session:
        return session.scalars(select(models.Brand.id).order_by(models.Brand.id)).first() or 0


@pytest.fixture
def fake_zendesk() -> Iterator[FakeHelpdesk]:
    fake = FakeHelpdesk("zendesk").start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_gorgias() -> Iterator[FakeHelpdesk]:
    fake = FakeHelpdesk("gorgias").start()
    yield fake
    fake.stop()


def connect_zendesk(
    sessions: sessionmaker[Session],
    settings: Settings,
    brand_id: int,
    base: str,
    *,
    token: str = ZENDESK_TOKEN,
    timeout: float = 0.5,
    **fields: str,
) -> None:
    with transaction(sessions) as session:
        connect(
            session,
            settings,
            brand_id,
            IntegrationKind.ZENDESK,
            config={
                "subdomain": "fjordfinch",
                "email": ZENDESK_EMAIL,
                "api_base": base,
                "timeout_seconds": timeout,
                **fields,
            },
            secrets={"api_token": token, "webhook_secret": WEBHOOK_SECRET},
        )


def connect_gorgias(
    sessions: sessionmaker[Session],
    settings: Settings,
    brand_id: int,
    base: str,
    *,
    key: str = GORGIAS_KEY,
) -> None:
    with transaction(sessions) as session:
        connect(
            session,
            settings,
            brand_id,
            IntegrationKind.GORGIAS,
            config={
                "domain": "fjordfinch",
                "email": GORGIAS_EMAIL,
                "api_base": base,
                "timeout_seconds": 0.5,
            },
            secrets={"api_key": key},
        )


def conversation(
    session: Session, brand_id: int, channel: str = "webchat", address: str = ""
) -> models.Conversation:
    """A conversation with a shopper's question and the agent's answer, an hour ago."""
    now = datetime.now(UTC)
    conv = models.Conversation(
        id=str(uuid.uuid4()),
        brand_id=brand_id,
        channel=channel,
        token_hash="0" * 64,
        status="handed_off",
        language="en",
        state={},
        client_key="test",
        created_at=now,
        updated_at=now,
    )
    session.add(conv)
    session.flush()
    said = [
        ("shopper", "Where is my parcel? Order 1001", []),
        ("agent", None, [{"type": "text", "text": "Shall I connect you with a person?"}]),
    ]
    for seq, (role, text, blocks) in enumerate(said, start=1):
        session.add(
            models.Message(
                id=str(uuid.uuid4()),
                brand_id=brand_id,
                conversation_id=conv.id,
                seq=seq,
                role=role,
                channel=channel,
                language="en",
                text=text,
                blocks=blocks,
                meta={},
                created_at=now - timedelta(hours=1) + timedelta(minutes=seq),
            )
        )
    if address:
        session.add(
            models.ConversationAddress(
                brand_id=brand_id,
                conversation_id=conv.id,
                channel=channel,
                address=address,
                options=[],
                last_inbound_at=now,
            )
        )
    session.flush()
    return conv


def hand_off(
    sessions: sessionmaker[Session],
    brand_id: int,
    destination: str,
    *,
    channel: str = "webchat",
    address: str = "",
    email: str = "jane@example.com",
    packet: dict[str, object] | None = None,
) -> int:
    """What the handoff writes for an external helpdesk (the data contract, rule 3)."""
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        conv = conversation(session, brand_id, channel, address)
        ticket = models.HelpdeskTicket(
            brand_id=brand_id,
            conversation_id=conv.id,
            destination=destination,
            status="open",
            delivery=TicketDelivery.QUEUED.value,
            idempotency_key=uuid.uuid4().hex,
            shopper_email=email,
            channel=channel,
            language="en",
            intent="order_status",
            reason="The parcel shows no movement for nine days.",
            packet=packet if packet is not None else {"name": "Jane Doe", "order_number": "1001"},
            created_at=now,
            updated_at=now,
        )
        session.add(ticket)
        session.flush()
        row = enqueue(
            session,
            brand_id=brand_id,
            kind=KIND,
            recipient=destination,
            subject="",
            body="",
            idempotency_key=f"helpdesk:{ticket.idempotency_key}",
            now=now,
        )
        row.payload = {"ticket_id": ticket.id}
        row.conversation_id = ticket.conversation_id
        return ticket.id


def ticket(sessions: sessionmaker[Session], ticket_id: int) -> models.HelpdeskTicket:
    with transaction(sessions) as session:
        row = session.get_one(models.HelpdeskTicket, ticket_id)
        session.expunge(row)
        return row


@pytest.fixture
def app_client(hd_settings: Settings, demo_db: object) -> Iterator[TestClient]:
    """The app on the helpdesk tests' settings, its lifespan running."""
    with TestClient(create_app(hd_settings)) as c:
        yield c


@pytest.fixture
def slug(sessions: sessionmaker[Session], brand_id: int) -> str:
    """The demo brand's slug (webhook paths carry it)."""
    with transaction(sessions) as session:
        return session.get_one(models.Brand, brand_id).slug
