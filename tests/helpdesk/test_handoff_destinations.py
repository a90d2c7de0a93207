"""Where the handoff goes: Zendesk and Gorgias through the outbox (ticket queued, one outbox row
as the data contract says), the built-in inbox outside business hours, "don't hand off" in six
languages, and another brand's ticket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.domain.vocabulary import HandoffDestination
from deskhand.helpdesk.tickets import Packet, hand_back, open_ticket, ticket_of_brand
from tests.conftest import Chat, text_of
from tests.helpdesk.conftest import configure, member, tickets

YES = "handoff:yes"
ASK = "Can I talk to a human please?"


def handed_off(chat: Chat, email: str | None = "ava@example.com") -> dict[str, object]:
    chat.send(text=ASK)
    reply = chat.send(action=YES)
    if email is not None:
        reply = chat.send(text=email)
    return reply


def outbox_rows(db: Session) -> list[models.OutboxMessage]:
    db.expire_all()
    return list(
        db.scalars(
            select(models.OutboxMessage).where(models.OutboxMessage.kind == "helpdesk_ticket")
        )
    )


def test_zendesk_ticket_is_queued_with_its_outbox_row(client: TestClient, db: Session) -> None:
    configure(db, destination="zendesk")
    chat = Chat(client, locale="en")
    done = handed_off(chat, email=None)  # Zendesk answers in the chat: no email needed
    assert done["meta"]["outcome"] == "handed_off"  # type: ignore[index]
    assert "follow up with you here" in text_of(done)  # type: ignore[arg-type]
    [ticket] = tickets(db, chat.id)
    assert (ticket.destination, ticket.delivery, ticket.assignee_id) == ("zendesk", "queued", None)
    [row] = outbox_rows(db)
    assert row.recipient == "zendesk"
    assert row.subject == ""
    assert row.body == ""
    assert row.idempotency_key == f"helpdesk:{ticket.idempotency_key}"
    assert row.payload == {"ticket_id": ticket.id}
    assert row.conversation_id == chat.id
    assert row.status == "pending"
    # The Zendesk agent answers in the conversation: the agent stays silent.
    r = client.post(
        f"/api/v1/conversations/{chat.id}/messages", json={"text": "ok"}, headers=chat.headers
    )
    assert r.status_code == 200
    assert r.json()["messages"] == []


def test_gorgias_moves_web_chat_to_email_and_never_offers_twice(
    client: TestClient, db: Session
) -> None:
    configure(db, destination="gorgias")
    chat = Chat(client, locale="en")
    chat.send(text=ASK)
    ask = chat.send(action=YES)
    assert "email address" in text_of(ask)  # Gorgias replies by email: it is needed
    done = chat.send(text="ava@example.com")
    assert "reply by email to ava@example.com" in text_of(done)
    [ticket] = tickets(db, chat.id)
    assert (ticket.destination, ticket.delivery) == ("gorgias", "queued")
    assert len(outbox_rows(db)) == 1
    # The agent still answers on the web chat, but asking again offers no second person.
    again = chat.send(text=ASK)
    assert not [b for b in again["blocks"] if b["type"] == "handoff_prompt"]
    assert "already with our team" in text_of(again)
    assert len(tickets(db, chat.id)) == 1
    assert len(outbox_rows(db)) == 1


def test_outside_business_hours_the_shopper_learns_when_the_team_is_back(
    client: TestClient, db: Session
) -> None:
    member(db, "alice@fjordfinch.example")
    zone = "America/New_York"
    today = datetime.now(ZoneInfo(zone)).date()
    closed = [(today + timedelta(days=n)).isoformat() for n in range(2)]
    every_day = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    configure(
        db,
        hours={"timezone": zone, "weekly": every_day, "holidays": closed},
        office_message="We're closed for the holidays.",
    )
    chat = Chat(client, locale="de")
    chat.send(text="kann ich mit einem Menschen sprechen?")
    chat.send(action=YES)
    done = chat.send(text="ava@example.com")
    said = text_of(done)
    assert done["meta"]["outcome"] == "handed_off"
    assert "We're closed for the holidays." in said
    back = today + timedelta(days=2)
    assert f"{back.day}. " in said
    assert "09:00" in said
    assert "New York" in said
    assert "per E-Mail an ava@example.com" in said
    assert len(tickets(db, chat.id)) == 1  # the ticket waits in the inbox


# "don't hand off": the brand's links, labelled in the shopper's language, never a person.
INSTEAD = {
    "en": ("Can I talk to a human please?", "Do you sell bicycles?", "Help centre"),
    "de": (
        "kann ich mit einem Mitarbeiter sprechen?",
        "Verkauft ihr auch Fahrräder?",
        "Hilfecenter",
    ),
    "nl": ("mag ik een medewerker spreken?", "Verkopen jullie ook fietsen?", "Helpcentrum"),
    "sv": ("får jag prata med en medarbetare?", "Säljer ni cyklar också?", "Hjälpcenter"),
    "fr": ("je veux parler à un conseiller", "Vendez-vous aussi des vélos ?", "Centre d'aide"),
    "es": ("quiero hablar con un agente", "¿Vendéis también bicicletas?", "Centro de ayuda"),
}


@pytest.mark.parametrize("lang", sorted(INSTEAD))
def test_dont_hand_off_shows_the_brands_links_in_six_languages(
    client: TestClient, db: Session, lang: str
) -> None:
    configure(
        db,
        destination="none",
        links={"help_centre": "https://help.example.com", "contact_form": "https://ex.com/c"},
    )
    asked, unknown, label = INSTEAD[lang]
    chat = Chat(client, locale=lang)
    for text in (asked, unknown):  # a human asked for, and a question nobody answered
        reply = chat.send(text=text)
        if "intent:other" in str(reply["blocks"]):  # asked to clarify: "something else"
            reply = chat.send(action="intent:other")
        kinds = [b["type"] for b in reply["blocks"]]
        assert "handoff_prompt" not in kinds, reply
        links = {b["label"]: b["url"] for b in reply["blocks"] if b["type"] == "link"}
        assert links[label] == "https://help.example.com", reply
        assert len(links) == 2
        assert reply["language"] == lang
    # A "yes" typed anyway hands nothing to anyone.
    chat.send(text="yes")
    assert tickets(db) == []


def test_dont_hand_off_shows_the_brands_own_message(client: TestClient, db: Session) -> None:
    configure(db, destination="none", message="Write to us at hello@fjordfinch.example.")
    chat = Chat(client, locale="en")
    reply = chat.send(text=ASK)
    assert "Write to us at hello@fjordfinch.example." in text_of(reply)
    assert reply["meta"]["outcome"] == "no_answer"


def test_another_brands_ticket_is_not_found_nor_handed_back(
    client: TestClient, db: Session
) -> None:
    member(db, "alice@fjordfinch.example")
    chat = Chat(client, locale="en")
    handed_off(chat)
    [ticket] = tickets(db, chat.id)
    demo = find_brand(db)
    assert demo is not None
    other = models.Brand(
        slug="other",
        name="Other Brand",
        currency="EUR",
        timezone=demo.timezone,
        languages=demo.languages,
        default_language="en",
        policy=demo.policy,
        created_at=datetime.now(UTC),
    )
    db.add(other)
    db.flush()
    stranger = models.TeamMember(
        brand_id=other.id, email="eve@other.example", role="owner", created_at=datetime.now(UTC)
    )
    db.add(stranger)
    db.commit()
    assert ticket_of_brand(db, other.id, ticket.id) is None
    assert ticket_of_brand(db, demo.id, ticket.id) is ticket
    with pytest.raises(PermissionError):
        hand_back(db, ticket, stranger, datetime.now(UTC))
    db.rollback()
    assert tickets(db, chat.id)[0].handed_back_at is None


def test_opening_twice_gives_the_same_ticket_and_one_outbox_row(
    client: TestClient, db: Session
) -> None:
    configure(db, destination="zendesk")
    chat = Chat(client, locale="en")
    chat.send(text=ASK)
    conv = db.get_one(models.Conversation, chat.id)
    packet = Packet([], "ava@example.com", None, "webchat", "en", "human_handoff", "asked")
    now = datetime.now(UTC)
    first = open_ticket(db, conv, HandoffDestination.ZENDESK, packet, now)
    again = open_ticket(db, conv, HandoffDestination.ZENDESK, packet, now)
    db.commit()
    assert first.created
    assert not again.created
    assert again.ticket.id == first.ticket.id
    assert len(tickets(db, chat.id)) == 1
    assert len(outbox_rows(db)) == 1
    # Handed back, a new handoff is a new ticket with its own key, delivered once as well.
    hand_back(db, first.ticket, None, now)
    second = open_ticket(db, conv, HandoffDestination.ZENDESK, packet, now)
    db.commit()
    assert second.created
    assert second.ticket.idempotency_key != first.ticket.idempotency_key
    assert len(outbox_rows(db)) == 2
