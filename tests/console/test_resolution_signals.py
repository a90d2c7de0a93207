"""The shopper's own word moves the dashboard: a thanks after an answer confirms the
conversation, asking the same thing again reopens it, and neither happens without an answer."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.analytics.metrics import dashboard, resolution_records
from deskhand.db import models
from tests.conftest import Chat


def events(db: Session, conversation_id: str) -> list[str]:
    db.rollback()
    return list(
        db.scalars(
            select(models.AnalyticsEvent.name)
            .where(models.AnalyticsEvent.conversation_id == conversation_id)
            .order_by(models.AnalyticsEvent.id)
        )
    )


def status_of(db: Session, conversation_id: str) -> str:
    brand = db.scalars(select(models.Brand)).one()
    today = datetime.now(UTC).date()
    records = resolution_records(db, brand.id, today, today, datetime.now(UTC))
    return next(r.status.value for r in records if r.conversation_id == conversation_id)


def test_thanks_after_an_answer_confirms_and_the_dashboard_counts_it(
    client: TestClient, db: Session
) -> None:
    brand = db.scalars(select(models.Brand)).one()
    today = datetime.now(UTC).date()
    before, _ = dashboard(db, brand.id, today, today, datetime.now(UTC))
    chat = Chat(client, locale="en")
    answer = chat.send(text="How long does shipping to Germany take?")
    assert answer["meta"]["outcome"] == "answered", answer
    assert status_of(db, chat.id) == "pending"
    chat.send(text="Thanks, that helps!")
    assert events(db, chat.id).count("conversation.confirmed") == 1
    assert status_of(db, chat.id) == "confirmed"
    chat.send(text="Thank you, bye")  # once only
    assert events(db, chat.id).count("conversation.confirmed") == 1
    after, _ = dashboard(db, brand.id, today, today, datetime.now(UTC))
    assert after.confirmed == before.confirmed + 1
    assert after.resolved == before.resolved + 1

    # The same question again: the conversation is reopened and leaves the resolved count.
    chat.send(text="How long does shipping to Germany take?")
    assert events(db, chat.id).count("conversation.reopened") == 1
    assert status_of(db, chat.id) == "reopened"
    reopened, _ = dashboard(db, brand.id, today, today, datetime.now(UTC))
    assert reopened.reopened == before.reopened + 1
    assert reopened.resolved == before.resolved


def test_thanks_without_an_answer_and_a_new_question_change_nothing(
    client: TestClient, db: Session
) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="Thanks!")  # small talk only: nothing was answered
    assert "conversation.confirmed" not in events(db, chat.id)
    chat.send(text="How long does shipping to Germany take?")
    chat.send(text="Thanks")
    chat.send(text="Can I return gift cards?")  # another question: still confirmed
    names = events(db, chat.id)
    assert names.count("conversation.confirmed") == 1
    assert "conversation.reopened" not in names


def test_no_confirmation_after_a_handoff(client: TestClient, db: Session) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="How long does shipping to Germany take?")
    chat.send(text="I want to talk to a person")
    chat.send(text="Thanks")
    assert "conversation.confirmed" not in events(db, chat.id)
