"""The handoff through the Conversations API (the in-process client): consent, the email asked
for and validated, the ticket and its packet, round robin, the agent's silence, hand back and
reopen, and never a second offer while the team has the request."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.helpdesk.tickets import hand_back
from deskhand.verification.handoff import TOKEN_PARAM
from tests.conftest import Chat, block, text_of
from tests.helpdesk.conftest import demo_owner_away, member, tickets

YES, NO = "handoff:yes", "handoff:no"
ASK = "Can I talk to a human please?"


def messages_of(chat: Chat) -> list[dict[str, Any]]:
    r = chat.client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers)
    assert r.status_code == 200
    return list(r.json()["messages"])


def post(chat: Chat, **body: Any) -> dict[str, Any]:
    r = chat.client.post(
        f"/api/v1/conversations/{chat.id}/messages", json=body, headers=chat.headers
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_asking_for_a_human_gets_the_prompt_and_consent_hands_off(
    client: TestClient, db: Session
) -> None:
    demo_owner_away(db)
    alice = member(db, "alice@fjordfinch.example")
    chat = Chat(client, locale="en")
    offer = chat.send(text=ASK)
    prompt = block(offer, "handoff_prompt")
    assert [b["action"] for b in prompt["buttons"]] == [YES, NO]
    assert offer["meta"]["outcome"] == "handoff_offered"
    assert tickets(db) == []  # asking is not consenting

    ask = chat.send(action=YES)  # unverified: the email address first
    assert ask["meta"]["outcome"] == "handoff_requested"
    assert "email address" in text_of(ask)
    assert tickets(db) == []

    for bad in ("ava at example dot com", "ava@", "@example.com", "ava@example"):
        again = chat.send(text=bad)
        assert "doesn't look like an email address" in text_of(again), bad
        assert again["meta"]["outcome"] == "handoff_requested"
    assert tickets(db) == []

    done = chat.send(text="Ava.Shopper@Example.com ")
    assert done["meta"]["outcome"] == "handed_off"
    assert done["meta"]["intent"] == "human_handoff"
    assert "passed this conversation to our team" in text_of(done)
    assert "reply here" in text_of(done)
    assert chat.last["conversation"]["status"] == "handed_off"

    [ticket] = tickets(db, chat.id)
    assert ticket.destination == "builtin"
    assert ticket.delivery == "delivered"
    assert ticket.status == "open"
    assert ticket.assignee_id == alice
    assert ticket.shopper_email == "ava.shopper@example.com"
    assert (ticket.channel, ticket.language, ticket.intent) == ("webchat", "en", "human_handoff")
    assert ticket.reason == ASK
    packet = ticket.packet
    assert packet["email"] == "ava.shopper@example.com"
    assert packet["customer_id"] is None
    said = [line["text"] for line in packet["transcript"]]
    assert said[0] == ASK
    assert "ava@" in said
    assert all(datetime.fromisoformat(line["at"]) for line in packet["transcript"])
    assert {line["role"] for line in packet["transcript"]} == {"shopper", "agent"}
    events = db.scalars(
        select(models.AnalyticsEvent.name).where(models.AnalyticsEvent.conversation_id == chat.id)
    ).all()
    assert "handoff.ticket" in events


def test_the_agent_is_silent_while_the_team_has_it_and_answers_after_hand_back(
    client: TestClient, db: Session
) -> None:
    alice = member(db, "alice@fjordfinch.example")
    chat = Chat(client, locale="en")
    chat.send(text=ASK)
    chat.send(action=YES)
    chat.send(text="ava@example.com")

    quiet = post(chat, text="Hello? Anyone there?")
    assert quiet["messages"] == []
    assert quiet["conversation"]["status"] == "handed_off"
    stored = messages_of(chat)
    assert stored[-1]["role"] == "shopper"
    assert stored[-1]["text"] == "Hello? Anyone there?"
    # Pressing "yes" again: that button no longer applies, and still one ticket.
    again = chat.client.post(
        f"/api/v1/conversations/{chat.id}/messages", json={"action": YES}, headers=chat.headers
    )
    assert again.status_code in (200, 409)
    assert len(tickets(db, chat.id)) == 1

    [ticket] = tickets(db, chat.id)
    me = db.get_one(models.TeamMember, alice)
    hand_back(db, ticket, me, datetime.now(UTC))
    db.commit()

    back = chat.send(text="What is your return policy?")
    assert back["meta"]["skill"] == "policy"
    assert chat.last["conversation"]["status"] == "open"
    [ticket] = tickets(db, chat.id)
    assert ticket.handed_back_at is not None
    assert ticket.status == "solved"


def test_a_solved_ticket_reopens_to_the_same_member_and_never_offers_again(
    client: TestClient, db: Session
) -> None:
    demo_owner_away(db)
    alice = member(db, "alice@fjordfinch.example")
    member(db, "bob@fjordfinch.example")
    chat = Chat(client, locale="en")
    chat.send(text=ASK)
    chat.send(action=YES)
    chat.send(text="ava@example.com")
    [ticket] = tickets(db, chat.id)
    assert ticket.assignee_id == alice
    ticket.status, ticket.solved_at = "solved", datetime.now(UTC)
    db.commit()

    reopened = post(chat, text="Actually, one more thing: can I talk to a human?")
    assert reopened["messages"] == []  # still the team's: no offer, no agent
    [ticket] = tickets(db, chat.id)
    assert ticket.status == "open"
    assert ticket.solved_at is None
    assert ticket.assignee_id == alice  # the same member, not the next in the round


def test_round_robin_and_nobody_available(client: TestClient, db: Session) -> None:
    demo_owner_away(db)
    alice = member(db, "alice@fjordfinch.example")
    bob = member(db, "bob@fjordfinch.example")
    assigned = []
    for _ in range(3):
        chat = Chat(client, locale="en")
        chat.send(text=ASK)
        chat.send(action=YES)
        chat.send(text="ava@example.com")
        assigned.append(tickets(db, chat.id)[0].assignee_id)
    assert assigned == [alice, bob, alice]

    for who in (alice, bob):
        db.get_one(models.TeamMember, who).availability = "away"
    db.commit()
    chat = Chat(client, locale="en")
    chat.send(text=ASK)
    chat.send(action=YES)
    done = chat.send(text="ava@example.com")
    assert done["meta"]["outcome"] == "handed_off"
    said = text_of(done)
    assert "Nobody from the team is free right now" in said
    assert "by email to ava@example.com" in said
    assert tickets(db, chat.id)[0].assignee_id is None


def test_a_verified_shopper_is_handed_off_at_once_with_their_customer_id(
    ava_verified: Chat, db: Session
) -> None:
    member(db, "alice@fjordfinch.example")
    ava_verified.send(text=ASK)
    done = ava_verified.send(action=YES)
    assert done["meta"]["outcome"] == "handed_off"
    [ticket] = tickets(db, ava_verified.id)
    assert ticket.shopper_email == "ava@example.com"
    assert ticket.customer_id is not None
    # The packet keeps no one-time Hub sign-in token.
    packet = json.dumps(ticket.packet)
    assert "/hub" in packet, packet  # the orders shown before carried Hub links ...
    assert not re.search(rf"[?&]{TOKEN_PARAM}=", packet)  # ... without one-time sign-in tokens


def test_declining_keeps_the_agent(client: TestClient, db: Session) -> None:
    chat = Chat(client, locale="en")
    chat.send(text=ASK)
    chat.send(action=YES)  # asked for the email ...
    no = chat.send(text="no thanks")  # ... and changed their mind
    assert no["meta"]["outcome"] == "handoff_declined"
    assert tickets(db) == []
    assert chat.send(text="What is your return policy?")["meta"]["skill"] == "policy"


def test_an_address_inside_a_sentence_is_taken_and_two_are_asked_again(
    client: TestClient, db: Session
) -> None:
    chat = Chat(client, locale="nl")
    chat.send(text="hoi, kan ik iemand van jullie spreken?")
    chat.send(action=YES)
    two = post(chat, text="ava@example.com of anders ava.werk@example.com")
    assert two["messages"][-1]["meta"]["outcome"] == "handoff_requested"
    assert tickets(db, chat.id) == []
    done = post(chat, text="mijn mail is Ava@Example.com, graag snel")
    assert done["messages"][-1]["meta"]["outcome"] == "handed_off"
    [ticket] = tickets(db, chat.id)
    assert ticket.shopper_email == "ava@example.com"
