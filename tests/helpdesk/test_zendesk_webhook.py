"""Zendesk agents' replies, relayed: signed and fresh deliveries only, each once, to this
brand's tickets only; live into the web chat, over SMS for SMS conversations."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import connect
from deskhand.db.session import transaction
from deskhand.domain.vocabulary import IntegrationKind
from deskhand.helpdesk.zendesk_webhook import sign
from tests.conftest import Chat
from tests.helpdesk.fakes.helpdesks import ZENDESK_EMAIL, ZENDESK_TOKEN
from tests.helpdesk.vendor_fixtures import WEBHOOK_SECRET, connect_zendesk, conversation

PATH = "/webhooks/helpdesk/zendesk"


def delivered_ticket(
    sessions: sessionmaker[Session], brand_id: int, conversation_id: str, external_id: str
) -> None:
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        session.add(
            models.HelpdeskTicket(
                brand_id=brand_id,
                conversation_id=conversation_id,
                destination="zendesk",
                status="open",
                delivery="delivered",
                idempotency_key=uuid.uuid4().hex,
                external_id=external_id,
                shopper_email="jane@example.com",
                channel="webchat",
                language="en",
                packet={},
                created_at=now,
                updated_at=now,
            )
        )


def comment_event(
    ticket_id: str, body: str, *, public: bool = True, staff: bool = True, comment_id: str = "9001"
) -> dict[str, Any]:
    """Zendesk's ticket.comment_added event, as its event webhooks send it."""
    return {
        "type": "zen:event-type:ticket.comment_added",
        "account_id": 21825834,
        "id": str(uuid.uuid4()),
        "time": datetime.now(UTC).isoformat(),
        "zendesk_event_version": "2022-11-06",
        "subject": f"zen:ticket:{ticket_id}",
        "detail": {"id": ticket_id, "status": "OPEN", "tags": ["deskhand"]},
        "event": {
            "comment": {
                "id": comment_id,
                "body": body,
                "is_public": public,
                "author": {"id": "123", "is_staff": staff, "name": "Maja at Fjord & Finch"},
            }
        },
    }


def post(
    client: TestClient,
    slug: str,
    payload: dict[str, Any] | bytes,
    *,
    secret: str = WEBHOOK_SECRET,
    at: datetime | None = None,
    signature: str | None = None,
) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    stamp = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = {
        "Content-Type": "application/json",
        "X-Zendesk-Webhook-Signature-Timestamp": stamp,
        "X-Zendesk-Webhook-Signature": signature or sign(secret, stamp, body),
    }
    return client.post(PATH, params={"brand": slug}, content=body, headers=headers)


def team_messages(sessions: sessionmaker[Session], conversation_id: str) -> list[models.Message]:
    with transaction(sessions) as session:
        rows = list(
            session.scalars(
                select(models.Message).where(
                    models.Message.conversation_id == conversation_id,
                    models.Message.role == "team",
                )
            )
        )
        session.expunge_all()
        return rows


def test_an_agents_reply_reaches_the_open_web_chat_live(
    app_client: TestClient,
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    slug: str,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, "http://127.0.0.1:9")
    chat = Chat(app_client, locale="en")
    delivered_ticket(sessions, brand_id, chat.id, "1042")
    with app_client.websocket_connect(
        f"/api/v1/conversations/{chat.id}/ws?token={chat.token}"
    ) as ws:
        assert ws.receive_json()["type"] == "ready"
        r = post(app_client, slug, comment_event("1042", "Your parcel left our warehouse today."))
        assert r.status_code == 200, r.text
        assert r.json() == {"status": "relayed"}
        frame = ws.receive_json()
    assert frame["type"] == "messages"
    assert frame["pushed"] is True
    [message] = frame["messages"]
    assert message["blocks"] == [{"type": "text", "text": "Your parcel left our warehouse today."}]
    assert message["meta"] == {
        "intent": "human_handoff",
        "skill": "handoff",
        "outcome": "handed_off",
        "author": {"name": "Maja at Fjord & Finch"},
    }
    [stored] = team_messages(sessions, chat.id)
    assert stored.id == message["id"]


def test_a_replayed_delivery_is_relayed_once(
    app_client: TestClient,
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    slug: str,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, "http://127.0.0.1:9")
    with transaction(sessions) as session:
        conv_id = conversation(session, brand_id).id
    delivered_ticket(sessions, brand_id, conv_id, "1043")
    event = comment_event("1043", "We have sent a replacement.")
    body = json.dumps(event).encode()
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    signature = sign(WEBHOOK_SECRET, stamp, body)
    headers = {
        "X-Zendesk-Webhook-Signature-Timestamp": stamp,
        "X-Zendesk-Webhook-Signature": signature,
    }
    first = app_client.post(PATH, params={"brand": slug}, content=body, headers=headers)
    again = app_client.post(PATH, params={"brand": slug}, content=body, headers=headers)
    assert first.json() == {"status": "relayed"}
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate"}
    # Zendesk retrying the same event later (new timestamp, new signature): still once.
    later = post(app_client, slug, event)
    assert later.json() == {"status": "duplicate"}
    assert len(team_messages(sessions, conv_id)) == 1


def test_forged_stale_and_unsigned_deliveries_are_refused(
    app_client: TestClient,
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    slug: str,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, "http://127.0.0.1:9")
    with transaction(sessions) as session:
        conv_id = conversation(session, brand_id).id
    delivered_ticket(sessions, brand_id, conv_id, "1044")
    event = comment_event("1044", "Click here for a refund: http://evil.example")
    forged = post(app_client, slug, event, secret="not-the-secret")
    assert forged.status_code == 401
    assert forged.headers["content-type"].startswith("application/problem+json")
    assert forged.json()["detail"] == "bad_signature"
    stale = post(app_client, slug, event, at=datetime.now(UTC) - timedelta(minutes=10))
    assert stale.status_code == 401
    assert stale.json()["detail"] == "stale_timestamp"
    future = post(app_client, slug, event, at=datetime.now(UTC) + timedelta(minutes=10))
    assert future.status_code == 401
    unsigned = app_client.post(PATH, params={"brand": slug}, content=json.dumps(event).encode())
    assert unsigned.status_code == 401
    # Signed over a different body: the payload was changed on the way.
    body = json.dumps(event).encode()
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    swapped = app_client.post(
        PATH,
        params={"brand": slug},
        content=body.replace(b"evil", b"evil2"),
        headers={
            "X-Zendesk-Webhook-Signature-Timestamp": stamp,
            "X-Zendesk-Webhook-Signature": sign(WEBHOOK_SECRET, stamp, body),
        },
    )
    assert swapped.status_code == 401
    assert team_messages(sessions, conv_id) == []
    bad_json = post(app_client, slug, b"{not json")
    assert bad_json.status_code == 400


def test_another_brands_ticket_is_not_found_and_nothing_is_relayed(
    app_client: TestClient,
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    slug: str,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, "http://127.0.0.1:9")
    with transaction(sessions) as session:
        other = models.Brand(
            slug="north-wind",
            name="North Wind",
            currency="EUR",
            timezone="UTC",
            languages=["en"],
            default_language="en",
            policy={},
            created_at=datetime.now(UTC),
        )
        session.add(other)
        session.flush()
        connect(
            session,
            hd_settings,
            other.id,
            IntegrationKind.ZENDESK,
            config={"subdomain": "northwind", "email": ZENDESK_EMAIL},
            secrets={"api_token": ZENDESK_TOKEN, "webhook_secret": "north-secret"},
        )
        other_id = other.id
        theirs = conversation(session, other.id).id
    delivered_ticket(sessions, other_id, theirs, "2001")
    # Our webhook, our secret, their ticket's id: not ours.
    r = post(app_client, slug, comment_event("2001", "Hello from the wrong brand"))
    assert r.status_code == 404
    assert r.json()["detail"] == "no_such_ticket"
    # Their endpoint with our secret: refused before anything is looked up.
    r = post(app_client, "north-wind", comment_event("2001", "Hello"), secret=WEBHOOK_SECRET)
    assert r.status_code == 401
    assert team_messages(sessions, theirs) == []


def test_an_sms_conversation_gets_the_reply_by_sms_and_notes_stay_internal(
    app_client: TestClient,
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    brand_id: int,
    slug: str,
) -> None:
    connect_zendesk(sessions, hd_settings, brand_id, "http://127.0.0.1:9")
    with transaction(sessions) as session:
        conv_id = conversation(session, brand_id, "sms", "+46701234567").id
    delivered_ticket(sessions, brand_id, conv_id, "1045")
    note = post(app_client, slug, comment_event("1045", "Internal: check stock", public=False))
    assert note.json() == {"status": "ignored"}
    shopper = post(
        app_client, slug, comment_event("1045", "Thanks!", staff=False, comment_id="9002")
    )
    assert shopper.json() == {"status": "ignored"}
    # A trigger webhook with the body the README suggests.
    trigger = {
        "ticket_id": "1045",
        "comment_id": "9003",
        "body": "It ships Monday.",
        "author": "Maja",
    }
    assert post(app_client, slug, trigger).json() == {"status": "relayed"}
    with transaction(sessions) as session:
        sms = list(
            session.scalars(select(models.OutboxMessage).where(models.OutboxMessage.kind == "sms"))
        )
        assert [(m.recipient, m.body, m.conversation_id) for m in sms] == [
            ("+46701234567", "It ships Monday.", conv_id)  # as the inbox sends a reply
        ]
    assert [m.blocks[0]["text"] for m in team_messages(sessions, conv_id)] == ["It ships Monday."]


def test_a_brand_without_zendesk_gets_404(app_client: TestClient, slug: str) -> None:
    r = post(app_client, slug, comment_event("1", "hi"))
    assert r.status_code == 404
    assert r.json()["detail"] == "not_connected"
