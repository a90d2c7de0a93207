"""The handoff settings page: every role views, owner and admin change (audit-logged), bad
values are refused with the reason, an unconnected helpdesk leads to connecting it first; and
a member sets themselves available or away."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.domain.vocabulary import TeamRole
from deskhand.helpdesk.settings import handoff_config
from tests.console.conftest import signed_in_as
from tests.console.team_members import Member

FORM: dict[str, Any] = {
    "destination": "builtin",
    "message": "",
    "link_help_centre": "https://help.fjordfinch.example",
    "timezone": "Europe/Amsterdam",
    "hours_mon": "09:00-12:00, 13:00-17:00",
    "hours_fri": "09:00-15:00",
    "holidays": "2026-12-25\n2026-12-26",
    "office_message": "We're out of office.",
    "response_hours": "4",
}


def config(db: Session) -> Any:
    db.expire_all()
    brand = find_brand(db)
    assert brand is not None
    return handoff_config(db, brand)


def owner_of(client: TestClient) -> Member:
    owner = Member(client)
    assert owner.sign_in().status_code == 303
    return owner


def test_owner_saves_and_the_change_is_audited(client: TestClient, db: Session) -> None:
    owner = owner_of(client)
    page = client.get("/admin/handoff")
    assert page.status_code == 200
    assert "Send handoffs to" in page.text
    r = owner.post("/admin/handoff", FORM, from_page="/admin/handoff")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/admin/handoff?done=handoff")
    saved = config(db)
    assert saved.hours.timezone == "Europe/Amsterdam"
    assert saved.hours.weekly[0] == ((540, 720), (780, 1020))
    assert len(saved.hours.holidays) == 2
    assert saved.response_hours == 4
    assert saved.links == {"help_centre": "https://help.fjordfinch.example"}
    change = db.scalars(
        select(models.SettingsChange).where(models.SettingsChange.area == "handoff")
    ).one()
    assert "hours" in change.after
    # The page shows what was saved.
    page = client.get("/admin/handoff")
    assert "09:00-12:00, 13:00-17:00" in page.text
    assert "We&#39;re out of office." in page.text or "We're out of office." in page.text


def test_bad_values_are_refused_with_the_reason(client: TestClient, db: Session) -> None:
    owner = owner_of(client)
    for field, value, says in (
        ("hours_mon", "9 to 5", "write hours as 09:00-17:00"),
        ("hours_mon", "17:00-09:00", "is not a span"),
        ("timezone", "Mars/Olympus", "unknown time zone"),
        ("holidays", "25/12/2026", "not a date"),
        ("link_help_centre", "javascript:alert(1)", "full https:// address"),
        ("response_hours", "soon", "number of hours"),
        ("destination", "carrier-pigeon", "Choose where handoffs go"),
    ):
        r = owner.post("/admin/handoff", {**FORM, field: value}, from_page="/admin/handoff")
        assert r.status_code == 400, (field, value)
        assert says in r.text.replace("&#39;", "'"), (field, value)
    assert db.scalars(select(models.HandoffSettings)).first() is None  # nothing saved


def test_an_unconnected_helpdesk_leads_to_connecting_it(client: TestClient, db: Session) -> None:
    owner = owner_of(client)
    r = owner.post("/admin/handoff", {**FORM, "destination": "zendesk"}, from_page="/admin/handoff")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/admin/integrations?connect=zendesk")
    assert config(db).destination == "builtin"  # not saved until connected


def test_dont_hand_off_is_saved(client: TestClient, db: Session) -> None:
    owner = owner_of(client)
    r = owner.post(
        "/admin/handoff",
        {**FORM, "destination": "none", "message": "See our FAQ."},
        from_page="/admin/handoff",
    )
    assert r.status_code == 303
    saved = config(db)
    assert saved.destination == "none"
    assert saved.message == "See our FAQ."


def test_a_viewer_sees_but_cannot_change(client: TestClient, db: Session) -> None:
    viewer = signed_in_as(client, db, TeamRole.VIEWER)
    page = client.get("/admin/handoff")
    assert page.status_code == 200
    assert 'type="submit">Save' not in page.text
    r = viewer.post("/admin/handoff", {**FORM, "destination": "none"}, from_page="/admin/handoff")
    assert r.status_code == 403
    assert config(db).destination == "builtin"


def test_a_member_sets_themselves_available_and_away(client: TestClient, db: Session) -> None:
    agent = signed_in_as(client, db, TeamRole.AGENT)
    me = db.scalars(
        select(models.TeamMember).where(models.TeamMember.email == "agent@fjordfinch.example")
    ).one()
    assert me.availability == "away"
    r = agent.post(
        "/admin/helpdesk/availability",
        {"availability": "available", "back": "/admin/handoff"},
        from_page="/admin/handoff",
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith("/admin/handoff")
    db.refresh(me)
    assert me.availability == "available"
    r = client.post(
        "/admin/helpdesk/availability",
        data={"csrf": agent.csrf("/admin/handoff"), "availability": "away"},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 200
    assert r.json() == {"availability": "away"}
    db.refresh(me)
    assert me.availability == "away"
    bad = agent.post(
        "/admin/helpdesk/availability", {"availability": "asleep"}, from_page="/admin/handoff"
    )
    assert bad.status_code == 400
    # An outside address as the way back is not followed.
    r = agent.post(
        "/admin/helpdesk/availability",
        {"availability": "available", "back": "https://evil.example/"},
        from_page="/admin/handoff",
    )
    assert r.headers["location"].startswith("/admin/handoff")
