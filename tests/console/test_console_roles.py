"""Only owner and admin change settings, enforced on the server for every POST; every role
views every page; forms need their CSRF token; sign-in pauses after repeated failures."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.console.routes import (
    agent_tests,
    auth,
    content,
    dashboard,
    integrations,
    launch,
    overview,
    policy,
    preview,
    skills,
    team,
)
from deskhand.db import models
from deskhand.domain.vocabulary import TeamRole
from tests.console.conftest import signed_in_as
from tests.console.team_members import PASSWORD, Member, add

CONSOLE_MODULES = (
    auth,
    overview,
    dashboard,
    team,
    skills,
    policy,
    content,
    preview,
    agent_tests,
    launch,
    integrations,
)
PAGES = [
    "/admin",
    "/admin/skills",
    "/admin/skills/order_editing",
    "/admin/policy",
    "/admin/team",
    "/admin/audit",
    "/admin/preview",
    "/admin/dashboard",
    "/admin/launch",
    "/admin/tests",
    "/admin/integrations",
    "/admin/content",
    "/admin/content/new",
]
# Forms open before sign-in (their own CSRF, bound to the browser), and signing out.
NOT_SETTINGS = {
    "/admin/sign-in",
    "/admin/sign-out",
    "/admin/reset-request",
    "/admin/invitation",
    "/admin/reset",
    # Agent Preview changes no setting: every member may talk to the agent there.
    "/admin/preview",
    "/admin/preview/{conversation}/say",
    # Running the agent tests keeps nothing (a rolled-back sandbox); saving a suite is a change.
    "/admin/tests/run",
}


def settings_posts() -> list[str]:
    """Every POST address of the console that changes something, with sample path values."""
    paths = []
    for route in (r for module in CONSOLE_MODULES for r in module.router.routes):
        if (
            isinstance(route, APIRoute)
            and "POST" in route.methods
            and route.path.startswith("/admin")
        ):
            if route.path not in NOT_SETTINGS:
                paths.append(
                    route.path.replace("{name}", "order_editing")
                    .replace("{member_id}", "1")
                    .replace("{article_id}", "1")
                )
    return paths


def snapshot(db: Session) -> tuple[object, ...]:
    db.rollback()
    brand = db.scalars(select(models.Brand)).first()
    return (
        brand.policy,
        sorted((m.email, m.role, m.active) for m in db.scalars(select(models.TeamMember))),
        sorted((s.skill, s.enabled) for s in db.scalars(select(models.SkillSwitch))),
        db.scalar(
            select(models.SettingsChange.id).order_by(models.SettingsChange.id.desc()).limit(1)
        ),
    )


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    for path in PAGES:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"].startswith("/admin/sign-in?next=")


@pytest.mark.parametrize("role", list(TeamRole))
def test_every_role_views_every_page(client: TestClient, db: Session, role: TeamRole) -> None:
    member = signed_in_as(client, db, role) if role is not TeamRole.OWNER else Member(client)
    if role is TeamRole.OWNER:
        member.sign_in()
    for path in PAGES:
        r = client.get(path)
        assert r.status_code == 200, path
        assert f"· {role.value}" in r.text
        may_change = role in (TeamRole.OWNER, TeamRole.ADMIN)
        assert ("only an owner or admin can change them" in r.text) is not may_change


@pytest.mark.parametrize("role", [TeamRole.VIEWER, TeamRole.AGENT, TeamRole.MANAGER])
def test_no_other_role_changes_anything_by_a_direct_post(
    client: TestClient, db: Session, role: TeamRole
) -> None:
    member = signed_in_as(client, db, role)
    before = snapshot(db)
    posts = settings_posts()
    assert len(posts) >= 5
    token = member.csrf()
    for path in posts:
        r = client.post(
            path,
            data={
                "csrf": token,
                "enabled": "",
                "role": "owner",
                "email": "x@example.com",
                "change_window": "5",
            },
            follow_redirects=False,
        )
        assert r.status_code == 403, path
        assert "Only an owner or admin can change this" in r.text
    assert snapshot(db) == before


def test_a_post_without_the_csrf_token_changes_nothing(
    client: TestClient, db: Session, owner: Member
) -> None:
    before = snapshot(db)
    for path in settings_posts():
        assert client.post(path, data={"role": "viewer"}, follow_redirects=False).status_code == 403
        assert client.post(path, data={"csrf": "0" * 64}, follow_redirects=False).status_code == 403
    assert snapshot(db) == before


def test_a_token_from_another_session_is_refused(client: TestClient, db: Session, settings) -> None:
    add(db, "other@fjordfinch.example", TeamRole.ADMIN, datetime.now(UTC))
    with TestClient(client.app) as other_browser:
        other = Member(other_browser)
        other.sign_in("other@fjordfinch.example", PASSWORD)
        stolen = other.csrf()
    me = Member(client)
    me.sign_in()
    r = client.post("/admin/skills/tracking/switch", data={"csrf": stolen}, follow_redirects=False)
    assert r.status_code == 403


def test_sign_in_with_a_wrong_password_says_so_and_pauses_after_five(client: TestClient) -> None:
    member = Member(client)
    for _ in range(4):
        r = member.sign_in(password="not the password")
        assert r.status_code == 401
        assert "do not match" in r.text
    r = member.sign_in(password="not the password")
    assert r.status_code == 401
    assert "paused for 15 minutes" in r.text
    r = member.sign_in()
    assert r.status_code == 401
    assert "paused" in r.text


def test_sign_out_ends_the_session_on_the_server(client: TestClient, owner: Member) -> None:
    cookie = client.cookies.get("team_session")
    r = owner.post("/admin/sign-out", {})
    assert r.status_code == 303
    client.cookies.set("team_session", cookie, path="/admin")  # a copied cookie no longer works
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_an_admin_invites_a_member_who_joins_through_the_emailed_link(
    client: TestClient, db: Session, admin: Member
) -> None:
    r = admin.post(
        "/admin/team/invite", {"email": "Noor@Example.com", "role": "agent"}, "/admin/team"
    )
    assert r.status_code == 303
    mail = client.get("/api/v1/dev/outbox", params={"to": "noor@example.com"}).json()["messages"][0]
    link = re.search(r"http://testserver(/admin/invitation\?token=[\w-]+)", mail["body"]).group(1)
    with TestClient(client.app) as browser:
        page = browser.get(link)
        assert page.status_code == 200
        assert "noor@example.com" in page.text
        token = re.search(r'name="token" value="([\w-]+)"', page.text).group(1)
        csrf = re.search(r'name="csrf" value="(\w+)"', page.text).group(1)
        short = browser.post(
            "/admin/invitation",
            data={"csrf": csrf, "token": token, "password": "short", "confirm": "short"},
        )
        assert short.status_code == 400
        assert "at least 12" in short.text
        done = browser.post(
            "/admin/invitation",
            data={
                "csrf": csrf,
                "token": token,
                "password": PASSWORD,
                "confirm": PASSWORD,
                "name": "Noor",
            },
        )
        assert done.status_code == 200
        assert "noor@example.com · agent" in done.text
        assert browser.get(link).status_code == 404  # single use
    db.rollback()
    actions = [c.action for c in db.scalars(select(models.SettingsChange))]
    assert "invited" in actions


def test_an_admin_cannot_make_an_owner_but_an_owner_can(
    client: TestClient, db: Session, admin: Member
) -> None:
    viewer_id = add(db, "v2@fjordfinch.example", TeamRole.VIEWER, datetime.now(UTC))
    r = admin.post(f"/admin/team/{viewer_id}/role", {"role": "owner"}, "/admin/team")
    assert r.status_code == 403
    r = admin.post(f"/admin/team/{viewer_id}/role", {"role": "manager"}, "/admin/team")
    assert r.status_code == 303
    db.rollback()
    assert db.get(models.TeamMember, viewer_id).role == "manager"
