"""Safe launch: test mode answers only Agent Preview and the listed test addresses, until an
owner or admin publishes; a new brand starts in test mode."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.agent.launch import is_live, may_answer, set_live
from deskhand.db import models
from tests.console.team_members import Member, csrf_of
from tests.fakes.channels import AVA_PHONE, STRANGER_PHONE, Channels


def test_a_brand_without_a_launch_is_in_test_mode_and_the_demo_is_live(session: Session) -> None:
    brand = session.scalars(select(models.Brand)).one()
    assert is_live(session, brand.id)
    session.delete(session.get(models.AgentLaunch, brand.id))
    session.flush()
    assert not is_live(session, brand.id)
    assert not may_answer(session, brand.id, AVA_PHONE)


def test_test_mode_refuses_new_web_chats_and_answers_only_test_numbers(
    channels: Channels,
) -> None:
    client = channels.client
    owner = Member(client)
    owner.sign_in()
    r = owner.post("/admin/launch/test-mode", {}, "/admin/launch")
    assert r.status_code == 303
    started = client.post("/api/v1/conversations", json={"channel": "webchat"})
    assert started.status_code == 403
    assert started.headers["content-type"].startswith("application/problem+json")
    assert started.json()["title"] == "Not live yet"
    page = client.get("/admin/launch")
    bad = client.post(
        "/admin/launch/addresses",
        data={"csrf": csrf_of(page.text), "addresses": f"{AVA_PHONE}\nnot an address"},
    )
    assert bad.status_code == 400
    assert "Not an email address or phone number: not an address" in bad.text
    ok = owner.post("/admin/launch/addresses", {"addresses": "+31 6 1234 5678"}, "/admin/launch")
    assert ok.status_code == 303

    channels.sms(STRANGER_PHONE, "What does shipping to Germany cost?")
    channels.sms(AVA_PHONE, "What does shipping to Germany cost?")
    channels.deliver()
    assert channels.sent_bodies(STRANGER_PHONE) == []
    assert channels.sent_bodies(AVA_PHONE)
    ignored = [m for m in channels.inbound() if m.address == STRANGER_PHONE]
    assert ignored[0].status == "ignored"
    assert "test mode" in (ignored[0].last_error or "")

    owner.post("/admin/launch/publish", {}, "/admin/launch")
    assert client.post("/api/v1/conversations", json={"channel": "webchat"}).status_code == 201
    log = client.get("/admin/audit").text
    assert "back to test mode" in log
    assert "published" in log
    assert "test addresses changed" in log


def test_a_viewer_cannot_publish(client, db: Session, viewer: Member) -> None:  # type: ignore[no-untyped-def]
    brand = db.scalars(select(models.Brand)).one()
    set_live(db, brand.id, False, datetime.now(UTC))
    db.commit()
    page = client.get("/admin/launch").text
    assert "Publish the agent" not in page
    assert viewer.post("/admin/launch/publish", {}, "/admin/launch").status_code == 403
    db.rollback()
    assert not is_live(db, brand.id)
