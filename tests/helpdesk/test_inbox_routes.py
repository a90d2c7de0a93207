"""The helpdesk inbox's pages and forms: who may read, who may answer, what each form does,
and that another brand's ticket or member never gets in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from deskhand.db import models
from deskhand.domain.vocabulary import TeamRole
from deskhand.team.accounts import add_member
from deskhand.team.sessions import start_session
from tests.conftest import Chat
from tests.console.conftest import signed_in_as
from tests.console.team_members import Member
from tests.helpdesk.inbox_fixtures import hand_to_inbox


@pytest.fixture
def handed(client: TestClient, db: Session) -> tuple[Chat, int]:
    chat = Chat(client, locale="en")
    chat.send(text="I want to talk to a human")
    return chat, hand_to_inbox(db, chat.id, email="ava@example.com")


def team_messages(db: Session, conversation_id: str) -> list[models.Message]:
    db.expire_all()
    return list(
        db.scalars(
            select(models.Message).where(
                models.Message.conversation_id == conversation_id, models.Message.role == "team"
            )
        )
    )


def test_every_role_reads_the_ticket_with_its_packet_and_orders(
    viewer: Member, handed: tuple[Chat, int]
) -> None:
    chat, ticket = handed
    listed = viewer.client.get("/admin/inbox")
    assert listed.status_code == 200
    assert f'href="/admin/inbox/{ticket}"' in listed.text
    page = viewer.client.get(f"/admin/inbox/{ticket}")
    assert page.status_code == 200
    assert "I want to talk to a human" in page.text
    assert "ava@example.com" in page.text
    assert "human_handoff" in page.text
    assert "#1001" in page.text  # Ava's orders, read through the Store port
    assert "Send reply" not in page.text  # a viewer gets no reply form
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_a_viewer_cannot_reply_note_or_change_anything(
    viewer: Member, db: Session, handed: tuple[Chat, int]
) -> None:
    chat, ticket = handed
    page = f"/admin/inbox/{ticket}"
    for action, data in [
        ("reply", {"text": "Hello from a viewer"}),
        ("note", {"text": "a viewer's note"}),
        ("status", {"status": "solved"}),
        ("assign", {"member": "me"}),
        ("hand-back", {}),
    ]:
        r = viewer.post(f"{page}/{action}", data, from_page=page)
        assert r.status_code == 403, action
    assert (
        viewer.post("/admin/inbox/availability", {"availability": "available"}).status_code == 403
    )
    assert team_messages(db, chat.id) == []
    row = db.get(models.HelpdeskTicket, ticket)
    assert row is not None
    assert (row.status, row.assignee_id, row.handed_back_at) == ("open", None, None)
    assert db.scalars(select(models.HelpdeskNote)).all() == []


@pytest.mark.parametrize("role", [TeamRole.AGENT, TeamRole.MANAGER])
def test_an_agent_or_manager_replies_and_picks_the_ticket_up(
    client: TestClient, db: Session, handed: tuple[Chat, int], role: TeamRole
) -> None:
    chat, ticket = handed
    member = signed_in_as(client, db, role)
    page = f"/admin/inbox/{ticket}"
    r = member.post(f"{page}/reply", {"text": "  Hi Ava, Noor here.  "}, from_page=page)
    assert r.status_code == 303
    assert r.headers["location"].endswith("?done=reply")
    transcript = client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers).json()
    last = transcript["messages"][-1]
    assert last["role"] == "team"
    assert last["blocks"] == [{"type": "text", "text": "Hi Ava, Noor here."}]
    assert last["meta"] == {
        "intent": "human_handoff",
        "skill": "handoff",
        "outcome": "handed_off",
        "author": {"name": f"{role.value}"},
    }
    assert "author" not in transcript["messages"][-2]["meta"]  # the agent's shape is unchanged
    db.expire_all()
    row = db.get(models.HelpdeskTicket, ticket)
    assert row is not None
    assert row.assignee_id is not None
    assert db.get(models.TeamMember, row.assignee_id).role == role.value  # type: ignore[union-attr]


def test_an_empty_or_overlong_reply_is_refused_and_nothing_is_stored(
    owner: Member, db: Session, handed: tuple[Chat, int]
) -> None:
    chat, ticket = handed
    page = f"/admin/inbox/{ticket}"
    for text in ["   ", "x" * 4001]:
        r = owner.post(f"{page}/reply", {"text": text}, from_page=page)
        assert r.status_code == 400
        assert "1 to 4000 characters" in r.text
    assert team_messages(db, chat.id) == []


def test_a_reply_without_csrf_is_refused(
    owner: Member, db: Session, handed: tuple[Chat, int]
) -> None:
    chat, ticket = handed
    r = owner.client.post(
        f"/admin/inbox/{ticket}/reply", data={"text": "hi"}, follow_redirects=False
    )
    assert r.status_code == 403
    assert team_messages(db, chat.id) == []


def test_another_brands_ticket_is_not_found(owner: Member, client: TestClient, db: Session) -> None:
    demo = db.scalars(select(models.Brand)).first()
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
    now = datetime.now(UTC)
    conv = models.Conversation(
        id="6f1c2d4e-0000-4000-8000-000000000001",
        brand_id=other.id,
        channel="webchat",
        token_hash="x" * 64,
        language="en",
        state={},
        client_key="test",
        created_at=now,
        updated_at=now,
    )
    db.add(conv)
    db.commit()
    theirs = hand_to_inbox(db, conv.id, email="someone@other.example")
    page = f"/admin/inbox/{theirs}"
    assert owner.client.get(page).status_code == 404
    assert "someone@other.example" not in owner.client.get("/admin/inbox?view=all").text
    r = owner.post(f"{page}/reply", {"text": "hello"}, from_page="/admin/inbox")
    assert r.status_code == 404
    assert team_messages(db, conv.id) == []

    # A member of the other brand, with a live session of theirs: not signed in here.
    member = add_member(
        db,
        brand_id=other.id,
        email="them@other.example",
        role=TeamRole.OWNER,
        now=now,
        password="correct horse battery",
    )
    token = start_session(db, member, now)
    db.commit()
    stranger = TestClient(client.app, cookies={"team_session": token})
    r = stranger.get(page, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/admin/sign-in?")
    with (
        stranger.websocket_connect(f"{page}/ws") as ws,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        ws.receive_json()
    assert closed.value.code == 4401


def test_views_statuses_assignment_and_counts(
    owner: Member, client: TestClient, db: Session, handed: tuple[Chat, int]
) -> None:
    _, ticket = handed
    page = f"/admin/inbox/{ticket}"
    colleague = signed_in_as(client, db, TeamRole.AGENT)
    assert colleague  # (signed in on the shared client: sign the owner in again)
    owner.sign_in()

    unassigned = owner.client.get("/admin/inbox?view=unassigned").text
    assert f"/admin/inbox/{ticket}" in unassigned
    assert f"/admin/inbox/{ticket}" not in owner.client.get("/admin/inbox?view=mine").text
    assert f"/admin/inbox/{ticket}" in owner.client.get("/admin/inbox").text  # holds none

    assert owner.post(f"{page}/assign", {"member": "me"}, from_page=page).status_code == 303
    mine = owner.client.get("/admin/inbox?view=mine").text
    assert f"/admin/inbox/{ticket}" in mine
    assert owner.client.get("/admin/inbox").text == mine  # their own tickets first
    assert f"/admin/inbox/{ticket}" not in owner.client.get("/admin/inbox?view=unassigned").text
    assert '1<span class="vh"> mine</span>' in mine  # the navigation's count

    agent_id = db.scalar(select(models.TeamMember.id).where(models.TeamMember.role == "agent"))
    r = owner.post(f"{page}/assign", {"member": str(agent_id)}, from_page=page)
    assert r.status_code == 303
    viewer_id = add_viewer(db)
    r = owner.post(f"{page}/assign", {"member": str(viewer_id)}, from_page=page)
    assert r.status_code == 400  # a viewer does not answer shoppers
    db.expire_all()
    assert db.get(models.HelpdeskTicket, ticket).assignee_id == agent_id  # type: ignore[union-attr]

    assert owner.post(f"{page}/status", {"status": "pending"}, from_page=page).status_code == 303
    assert f"/admin/inbox/{ticket}" in owner.client.get("/admin/inbox?view=all&status=pending").text
    assert owner.post(f"{page}/status", {"status": "closed"}, from_page=page).status_code == 400
    assert owner.post(f"{page}/status", {"status": "solved"}, from_page=page).status_code == 303
    assert f"/admin/inbox/{ticket}" not in owner.client.get("/admin/inbox?view=all").text
    solved = owner.client.get("/admin/inbox?view=all&status=solved").text
    assert f"/admin/inbox/{ticket}" in solved
    db.expire_all()
    row = db.get(models.HelpdeskTicket, ticket)
    assert row is not None
    assert row.status == "solved"
    assert row.solved_at is not None


def add_viewer(db: Session) -> int:
    brand = db.scalars(select(models.Brand)).first()
    assert brand is not None
    member = add_member(
        db,
        brand_id=brand.id,
        email="v@fjordfinch.example",
        role=TeamRole.VIEWER,
        now=datetime.now(UTC),
        password="correct horse battery",
    )
    db.commit()
    return member.id


def test_notes_stay_inside_the_team(
    owner: Member, client: TestClient, db: Session, handed: tuple[Chat, int]
) -> None:
    chat, ticket = handed
    page = f"/admin/inbox/{ticket}"
    r = owner.post(f"{page}/note", {"text": "Ava is a VIP, be generous"}, from_page=page)
    assert r.status_code == 303
    assert "Ava is a VIP, be generous" in owner.client.get(page).text
    transcript = client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers).text
    assert "VIP" not in transcript
    assert owner.post(f"{page}/note", {"text": " "}, from_page=page).status_code == 400


def test_hand_back_solves_the_ticket_and_the_agent_answers_again(
    owner: Member, db: Session, handed: tuple[Chat, int]
) -> None:
    chat, ticket = handed
    page = f"/admin/inbox/{ticket}"
    assert owner.post(f"{page}/hand-back", {}, from_page=page).status_code == 303
    db.expire_all()
    row = db.get(models.HelpdeskTicket, ticket)
    conv = db.get(models.Conversation, chat.id)
    assert row is not None
    assert conv is not None
    assert row.handed_back_at is not None
    assert row.status == "solved"
    assert conv.status == "open"
    assert "Hand back to the agent" not in owner.client.get(page).text
    answer = chat.send(text="Where is my order?")
    assert answer["meta"]["skill"] != "handoff"


def test_availability_toggle(owner: Member, db: Session) -> None:
    r = owner.post(
        "/admin/inbox/availability", {"availability": "available", "back": "/admin/inbox?view=mine"}
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/admin/inbox?view=mine"
    assert "Set me away" in owner.client.get("/admin/inbox").text
    db.expire_all()
    me = db.scalar(select(models.TeamMember).where(models.TeamMember.role == "owner"))
    assert me is not None
    assert me.availability == "available"
    r = owner.post("/admin/inbox/availability", {"availability": "lunch"})
    assert r.status_code == 400
    r = owner.post(
        "/admin/inbox/availability", {"availability": "away", "back": "https://evil.example/"}
    )
    assert r.headers["location"] == "/admin/inbox"
