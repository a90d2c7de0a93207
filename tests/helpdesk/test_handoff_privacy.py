"""A handoff's ticket is the shopper's data: exported with them, and erased with them, found
by the address given for the handoff even when no store customer has it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.privacy.erase import erase_shopper
from deskhand.privacy.export import export_shopper
from tests.conftest import Chat
from tests.helpdesk.conftest import tickets

GIVEN = "zoe.unknown@example.org"  # no customer of the store has this address


def test_a_ticket_is_exported_and_erased_with_the_shopper(client: TestClient, db: Session) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="My parcel arrived wet, can I talk to a human please?")
    chat.send(action="handoff:yes")
    chat.send(text=GIVEN)
    [ticket] = tickets(db, chat.id)
    assert ticket.shopper_email == GIVEN
    brand = find_brand(db)
    assert brand is not None
    owner = db.scalars(select(models.TeamMember)).first()
    assert owner is not None
    db.add(
        models.HelpdeskNote(
            brand_id=brand.id,
            ticket_id=ticket.id,
            author_id=owner.id,
            text=f"Called {GIVEN} about the wet parcel",
            created_at=datetime.now(UTC),
        )
    )
    db.commit()

    doc = export_shopper(db, brand, GIVEN, datetime.now(UTC))
    assert doc is not None
    [exported] = doc["helpdesk_tickets"]
    assert exported["email"] == GIVEN
    assert exported["conversation"] == chat.id
    assert "arrived wet" in json.dumps(exported["packet"])
    assert [c["id"] for c in doc["conversations"]] == [chat.id]

    erased = erase_shopper(db, brand, GIVEN, datetime.now(UTC))
    db.commit()
    assert erased is not None
    [ticket] = tickets(db, chat.id)
    assert ticket.shopper_email == "erased"
    assert ticket.packet == {}
    assert ticket.reason == ""
    assert GIVEN not in json.dumps(ticket.packet)
    assert [n.text for n in db.scalars(select(models.HelpdeskNote))] == ["erased"]
