"""The dashboard's figures against a known event set, the resolution rules one by one, the
CSV exports, the records, and the demo's seeded weeks marked as demo data."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.analytics.events import record
from deskhand.analytics.metrics import dashboard
from deskhand.analytics.resolution import Resolution
from deskhand.db import models
from deskhand.team.demo import DEMO_OWNER_EMAIL
from tests.console.team_members import Member

FIRST, LAST = date(2020, 3, 1), date(2020, 3, 3)
LATER = datetime(2020, 3, 20, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 3, day, hour, minute, tzinfo=UTC)


def conversation(
    db: Session,
    brand_id: int,
    cid: str,
    when: datetime,
    channel: str,
    language: str,
    shopper: str,
    replies: list[tuple[str, str, str]],
    confirmed: bool = False,
) -> None:
    props = {"channel": channel, "shopper": shopper} if shopper else {"channel": channel}
    record(db, brand_id, cid, "conversation.started", props, when)
    for i, (intent, skill, outcome) in enumerate(replies, start=1):
        reply = {"intent": intent, "skill": skill, "outcome": outcome, "language": language}
        record(db, brand_id, cid, "agent.replied", reply, when + timedelta(seconds=i))
    if confirmed:
        record(db, brand_id, cid, "conversation.confirmed", {}, when + timedelta(minutes=5))


@pytest.fixture
def known(db: Session) -> int:
    """Eight conversations in March 2020 (one after the range) and one preview."""
    db.rollback()
    brand = db.scalars(select(models.Brand)).one()
    b = brand.id
    conversation(
        db, b, "A", at(1, 10), "webchat", "en", "s1", [("policy_shipping", "policy", "answered")]
    )
    conversation(
        db,
        b,
        "B",
        at(1, 11),
        "sms",
        "de",
        "s2",
        [
            ("order_status", "tracking", "needs_sign_in"),
            ("verification", "tracking", "code_sent"),
            ("order_status", "tracking", "answered"),
        ],
        confirmed=True,
    )
    conversation(
        db, b, "C", at(2, 9), "webchat", "en", "s3", [("change_item", "order_editing", "hub_link")]
    )
    conversation(
        db, b, "D", at(5, 9), "webchat", "en", "s3", [("change_item", "order_editing", "hub_link")]
    )
    conversation(
        db,
        b,
        "E",
        at(2, 12),
        "email",
        "nl",
        "s4",
        [("other", "fallback", "no_answer"), ("human_handoff", "handoff", "handoff_requested")],
    )
    conversation(db, b, "F", at(3, 8), "webchat", "en", "", [("greeting", "smalltalk", "answered")])
    conversation(
        db,
        b,
        "G",
        at(3, 9),
        "whatsapp",
        "sv",
        "s5",
        [("cancel_order", "order_editing", "handoff_offered")],
    )
    conversation(
        db, b, "H", at(3, 10), "webchat", "en", "s1", [("policy_returns", "policy", "answered")]
    )
    # A preview: stored conversation, marked, with events that must not count.
    owner = db.scalars(
        select(models.TeamMember).where(models.TeamMember.email == DEMO_OWNER_EMAIL)
    ).one()
    db.add(
        models.Conversation(
            id="P",
            brand_id=b,
            channel="webchat",
            token_hash="x",
            status="open",
            language="en",
            customer_id=None,
            verified_at=None,
            state={},
            client_key="preview",
            created_at=at(1, 9),
            updated_at=at(1, 9),
        )
    )
    db.flush()
    db.add(
        models.PreviewConversation(
            conversation_id="P",
            brand_id=b,
            member_id=owner.id,
            as_customer="",
            turns=[],
            created_at=at(1, 9),
        )
    )
    conversation(
        db, b, "P", at(1, 9), "webchat", "en", "", [("policy_shipping", "policy", "answered")]
    )
    db.commit()
    return b


def test_the_figures_of_a_known_event_set(db: Session, known: int) -> None:
    figures, records = dashboard(db, known, FIRST, LAST, LATER)
    status = {r.conversation_id: r.status for r in records}
    assert status == {
        "A": Resolution.ASSUMED,
        "B": Resolution.CONFIRMED,
        "C": Resolution.REOPENED,
        "E": Resolution.HANDED_OFF,
        "F": Resolution.NO_REQUEST,
        "G": Resolution.NOT_ANSWERED,
        "H": Resolution.ASSUMED,
    }
    assert (figures.conversations, figures.requests, figures.resolved) == (7, 6, 3)
    assert (figures.confirmed, figures.assumed, figures.reopened, figures.pending) == (1, 2, 1, 0)
    assert (figures.handoffs, figures.deflected) == (1, 5)
    assert figures.resolution_rate == pytest.approx(3 / 7)
    assert figures.deflection_rate == pytest.approx(5 / 6)
    assert figures.handoff_rate == pytest.approx(1 / 7)
    assert figures.handoffs_by_reason == [("no answer in the content", 1)]
    assert [(r.key, r.conversations, r.resolved, r.handoffs) for r in figures.by_day] == [
        ("2020-03-01", 2, 2, 0),
        ("2020-03-02", 2, 0, 1),
        ("2020-03-03", 3, 1, 0),
    ]
    assert [(r.key, r.conversations, r.resolved) for r in figures.by_channel] == [
        ("email", 1, 0),
        ("sms", 1, 1),
        ("webchat", 4, 2),
        ("whatsapp", 1, 0),
    ]
    assert {r.key: r.conversations for r in figures.by_language} == {
        "de": 1,
        "en": 4,
        "nl": 1,
        "sv": 1,
    }
    assert {r.key: r.resolved for r in figures.by_skill}["policy"] == 2
    assert not figures.demo


def test_an_answer_counts_only_after_seven_quiet_days(db: Session, known: int) -> None:
    early = at(5, 10)  # A's 7 days are not over; C's return already happened
    _, records = dashboard(db, known, FIRST, LAST, early)
    status = {r.conversation_id: r.status for r in records}
    assert status["A"] is Resolution.PENDING
    assert status["C"] is Resolution.REOPENED
    assert status["B"] is Resolution.CONFIRMED


def test_the_records_say_which_rule_decided(db: Session, known: int) -> None:
    _, records = dashboard(db, known, FIRST, LAST, LATER)
    rules = {r.conversation_id: r.rule for r in records}
    assert "came back about change_item on 2020-03-05 (conversation D)" in rules["C"]
    assert rules["B"].startswith("The shopper confirmed it was resolved")
    assert rules["E"].startswith("A handoff happened (handoff_requested")
    assert rules["G"] == "The agent never answered (handoff_offered)."


def test_the_page_the_csv_exports_and_a_record(
    client: TestClient, known: int, owner: Member
) -> None:
    page = client.get("/admin/dashboard", params={"start": "2020-03-01", "end": "2020-03-03"})
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "43%" in page.text  # 3 of 7
    figures = client.get(
        "/admin/dashboard/export.csv", params={"start": "2020-03-01", "end": "2020-03-03"}
    )
    assert figures.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(figures.text)))
    assert rows[0] == [
        "breakdown",
        "key",
        "conversations",
        "resolved",
        "resolution_rate",
        "handoffs",
    ]
    assert ["day", "2020-03-01", "2", "2", "1.0000", "0"] in rows
    assert ["handoff_reason", "no answer in the content", "", "", "", "1"] in rows
    export = client.get(
        "/admin/dashboard/export.csv",
        params={"start": "2020-03-01", "end": "2020-03-03", "table": "records"},
    )
    records = list(csv.DictReader(io.StringIO(export.text)))
    assert [r["conversation"] for r in records] == ["A", "B", "C", "E", "F", "G", "H"]
    assert {r["conversation"]: r["resolved"] for r in records}["B"] == "yes"
    one = client.get("/admin/dashboard/records/C")
    assert one.status_code == 200
    assert "reopened" in one.text
    assert "conversation D" in one.text
    assert client.get("/admin/dashboard/records/P").status_code == 404  # the preview
    bad = client.get("/admin/dashboard", params={"start": "2020-03-09", "end": "2020-03-01"})
    assert bad.status_code == 400
    assert "The start comes after the end." in bad.text


def test_the_demo_seeds_weeks_of_conversations_marked_as_demo(
    client: TestClient, db: Session, owner: Member
) -> None:
    today = datetime.now(UTC)
    figures, records = dashboard(
        db,
        db.scalars(select(models.Brand.id)).one(),
        (today - timedelta(days=27)).date(),
        today.date(),
        today,
    )
    assert figures.demo
    assert figures.conversations > 100
    assert all(r.conversation_id.startswith("demo-") for r in records)
    assert 0 < figures.resolution_rate < 1
    page = client.get("/admin/dashboard").text
    assert "Demo data:" in page
