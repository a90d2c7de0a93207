"""Agent Preview: the real pipeline as a chosen customer (verification skipped), each reply's
diagnostics, marked as a preview, nothing sent, no Hub sign-in handed out."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.db import models
from tests.console.team_members import Member


def start(member: Member, as_customer: str = "") -> str:
    r = member.post("/admin/preview", {"as_customer": as_customer}, "/admin/preview")
    assert r.status_code == 303, r.text
    return re.search(r"c=([\w-]+)", r.headers["location"]).group(1)


def say(member: Member, conversation: str, text: str) -> dict:
    r = member.post(f"/admin/preview/{conversation}/say", {"text": text}, "/admin/preview")
    assert r.status_code == 303, r.text
    return {}


def turns(db: Session, conversation: str) -> list[dict]:
    db.rollback()
    return db.get(models.PreviewConversation, conversation).turns


def test_as_a_chosen_customer_the_agent_skips_verification_and_shows_why(
    client: TestClient, db: Session, owner: Member
) -> None:
    conversation = start(owner, "ava@example.com")
    say(owner, conversation, "Can I change the size of my last order?")
    [turn] = turns(db, conversation)
    assert turn["skill"] == "order_editing"
    assert turn["intent"] == "change_item"
    assert turn["outcome"] == "hub_link"
    assert turn["language"] == "en"
    assert turn["confidence"] > 0.5
    assert turn["rule"].startswith("editability_of(#1001): editable; change window 2 hours")
    page = client.get(f"/admin/preview?c={conversation}").text
    assert "as ava@example.com (verified)" in page
    assert "Deciding rule" in page
    # Hub links lose their one-time sign-in: a preview signs nobody in.
    urls = re.findall(r"<code>[^<]*(http://testserver/hub[^<]*)</code>", page)
    assert urls
    assert all("t=" not in u.split("?")[-1].split("&")[0] for u in urls)
    assert not any(re.search(r"[?&]t=", u) for u in urls)
    db.rollback()
    conv = db.get(models.Conversation, conversation)
    assert conv.customer_id is not None
    assert db.get(models.PreviewConversation, conversation).as_customer == "ava@example.com"


def test_a_policy_question_shows_its_sources_and_the_cancel_rule_its_terms(
    client: TestClient, db: Session, owner: Member
) -> None:
    conversation = start(owner)
    say(owner, conversation, "How long does delivery to Germany take?")
    [turn] = turns(db, conversation)
    assert turn["skill"] == "policy"
    assert turn["outcome"] == "answered"
    assert turn["sources"]
    assert "knowledge base" in turn["rule"]
    conversation = start(owner, "ava@example.com")
    say(owner, conversation, "I need to cancel my order 1001")
    [turn] = turns(db, conversation)
    assert turn["skill"] == "order_editing"
    assert turn["rule"].startswith("cancellation_terms(#1001): free;")


def test_an_anonymous_preview_sends_no_code_to_the_real_customer(
    client: TestClient, db: Session, owner: Member
) -> None:
    outbox_before = db.scalar(select(func.count()).select_from(models.OutboxMessage))
    conversation = start(owner)
    say(owner, conversation, "Where is my order?")
    say(owner, conversation, "ava@example.com")
    first, second = turns(db, conversation)
    assert first["outcome"] == "needs_sign_in"
    assert first["rule"].startswith("No order data before verification")
    assert second["outcome"] == "code_sent"
    assert db.scalar(select(func.count()).select_from(models.OutboxMessage)) == outbox_before


def test_an_unknown_customer_is_refused_and_previews_are_private(
    client: TestClient, db: Session, owner: Member, viewer: Member
) -> None:
    # `viewer` signed in last: this client is now the viewer, who may preview too.
    r = viewer.post("/admin/preview", {"as_customer": "nobody@example.com"}, "/admin/preview")
    assert r.status_code == 400
    assert "No customer of the store has that email address." in r.text
    mine = start(viewer)
    say(viewer, mine, "hello")
    assert turns(db, mine)[0]["skill"] == "smalltalk"
    owner.sign_in()
    r = owner.post(f"/admin/preview/{mine}/say", {"text": "hi"}, "/admin/preview")
    assert r.status_code == 404


def test_a_preview_is_marked_so_metrics_can_leave_it_out(
    client: TestClient, db: Session, owner: Member
) -> None:
    conversation = start(owner)
    say(owner, conversation, "hello")
    db.rollback()
    marked = set(db.scalars(select(models.PreviewConversation.conversation_id)))
    events = db.scalars(
        select(models.AnalyticsEvent).where(models.AnalyticsEvent.conversation_id == conversation)
    ).all()
    assert events
    assert conversation in marked
