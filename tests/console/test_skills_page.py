"""Skills flip to Unavailable with the exact unmet prerequisite, and back; the switch is the
brand's and the agent obeys it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deskhand.agent.skills import availability
from deskhand.agent.skills.availability import Facts, skill_statuses, status_of
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import connect, find_integration, record_error
from deskhand.domain.vocabulary import IntegrationKind, Skill
from deskhand.knowledge.facts import has
from tests.conftest import Chat
from tests.console.team_members import Member


def statuses(db: Session) -> dict[Skill, availability.Status]:
    db.rollback()
    brand = db.scalars(select(models.Brand)).one()
    return {s.skill: s for s in skill_statuses(db, brand)}


def set_policy(db: Session, **changes: object) -> None:
    brand = db.scalars(select(models.Brand)).one()
    brand.policy = {**brand.policy, **changes}
    db.commit()


def test_every_skill_of_the_demo_is_live(client: TestClient, db: Session) -> None:
    found = statuses(db)
    assert [s.skill for s in found.values()] == list(availability.LISTED)
    assert all(s.live for s in found.values()), found


def test_the_hub_switched_off_makes_editing_and_returns_unavailable(
    client: TestClient, db: Session, owner: Member
) -> None:
    set_policy(db, hub_enabled=False)
    found = statuses(db)
    assert found[Skill.ORDER_EDITING].reason == "Customer Hub is not active"
    assert found[Skill.RETURNS].reason == "Customer Hub is not active"
    assert found[Skill.TRACKING].live
    assert found[Skill.POLICY].live
    page = client.get("/admin/skills").text
    assert page.count('class="status unavailable"') == 2
    assert "Customer Hub is not active" in page
    set_policy(db, hub_enabled=True)
    assert statuses(db)[Skill.ORDER_EDITING].live


def test_an_outside_store_counts_only_while_its_integration_works(
    client: TestClient, db: Session, settings: Settings
) -> None:
    brand = db.scalars(select(models.Brand)).one()
    brand.store_kind = "shopify"
    db.commit()
    found = statuses(db)
    assert found[Skill.TRACKING].reason == "No store connected"
    assert found[Skill.RETURNS].unmet == ("No store connected", "No returns provider")
    connect(
        db,
        settings,
        brand.id,
        IntegrationKind.SHOPIFY,
        config={"shop": "fjord.myshopify.com"},
        secrets={"token": "shpat_x"},
    )
    connect(db, settings, brand.id, IntegrationKind.LOOP, config={}, secrets={"key": "k"})
    db.commit()
    found = statuses(db)
    assert found[Skill.TRACKING].live
    assert found[Skill.RETURNS].live
    row = find_integration(db, brand.id, IntegrationKind.LOOP)
    assert row is not None
    record_error(row, "401 Unauthorized")
    db.commit()
    assert statuses(db)[Skill.RETURNS].reason == "No returns provider"


def test_without_return_content_returns_says_so(client: TestClient, db: Session) -> None:
    chunks = db.scalars(select(models.KnowledgeChunk)).all()
    about_returns = [c.id for c in chunks if has("return", c.text)]
    db.execute(delete(models.KnowledgeChunk).where(models.KnowledgeChunk.id.in_(about_returns)))
    db.commit()
    found = statuses(db)
    assert found[Skill.RETURNS].reason == "No policy content about returns"
    assert found[Skill.POLICY].live


def test_prerequisites_are_listed_in_order_with_nothing_met() -> None:
    nothing = Facts(hub_active=False, store_connected=False, returns_provider="", content=())
    editing = status_of(Skill.ORDER_EDITING, nothing, frozenset())
    assert editing.unmet == (
        "Customer Hub is not active",
        "No store connected",
        "No policy content about order changes",
        "No policy content about cancellations",
    )
    assert status_of(Skill.POLICY, nothing, frozenset()).reason == (
        "No policy content in the knowledge base"
    )
    assert status_of(Skill.HANDOFF, nothing, frozenset()).live


def test_switching_a_skill_off_stops_the_agent_using_it(
    client: TestClient, db: Session, owner: Member
) -> None:
    before = Chat(client, locale="en").send("How long does shipping to Germany take?")
    assert before["meta"]["skill"] == "policy"
    r = owner.post("/admin/skills/policy/switch", {"back": "/admin/skills"}, "/admin/skills")
    assert r.status_code == 303
    found = statuses(db)
    assert not found[Skill.POLICY].live
    assert found[Skill.POLICY].reason == "Switched off"
    after = Chat(client, locale="en").send("How long does shipping to Germany take?")
    assert after["meta"]["skill"] == "fallback"
    assert after["meta"]["outcome"] == "handoff_offered"
    detail = client.get("/admin/skills/policy").text
    assert "Switch on" in detail
    log = client.get("/admin/audit").text
    assert "policy switched off" in log
    assert "owner@fjordfinch.example" in log
    owner.post("/admin/skills/policy/switch", {"enabled": "on"}, "/admin/skills")
    assert statuses(db)[Skill.POLICY].live


def test_handoff_cannot_be_switched_off(client: TestClient, owner: Member) -> None:
    r = owner.post("/admin/skills/handoff/switch", {}, "/admin/skills")
    assert r.status_code == 404
    assert client.get("/admin/skills/nothing").status_code == 404


def test_the_detail_page_has_overview_behaviour_tools_and_channels(
    client: TestClient, owner: Member
) -> None:
    page = client.get("/admin/skills/returns").text
    for heading in ("Overview", "Response behaviour", "Connected tools", "Channels"):
        assert f"<h2>{heading}</h2>" in page
    assert "Returns &amp; Exchanges" in page
