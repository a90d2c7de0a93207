"""A handoff rehearsed in the console's Agent Preview reads as the shopper would see it, but
hands nothing to anyone: no ticket in the inbox, no outbox row for a helpdesk."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from tests.console.team_members import Member
from tests.helpdesk.conftest import configure, tickets


def test_the_preview_hands_nothing_to_anyone(client: TestClient, db: Session) -> None:
    configure(db, destination="zendesk")
    owner = Member(client)
    assert owner.sign_in().status_code == 303
    r = owner.post("/admin/preview", {"as_customer": "ava@example.com"}, "/admin/preview")
    found = re.search(r"c=([\w-]+)", r.headers["location"])
    assert found
    conversation = found.group(1)
    for text in ("Can I talk to a human please?", "yes"):
        r = owner.post(f"/admin/preview/{conversation}/say", {"text": text}, "/admin/preview")
        assert r.status_code == 303
    db.rollback()
    turns = db.get_one(models.PreviewConversation, conversation).turns
    assert [t["outcome"] for t in turns] == ["handoff_offered", "handed_off"]
    assert tickets(db) == []
    kinds = db.scalars(select(models.OutboxMessage.kind)).all()
    assert "helpdesk_ticket" not in kinds
