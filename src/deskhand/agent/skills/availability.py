"""Whether each skill is Live or Unavailable for a brand, and the exact unmet prerequisite.

A skill is Live when the brand has not switched it off and every prerequisite holds:
the Customer Hub active (for requests the shopper finishes there), a store connected, a
returns provider, and policy content in the knowledge base on what the skill answers. The
Skills page shows the first unmet prerequisite; the agent answers only with Live skills it
has not been told to leave alone (`switched_off`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.commerce.registry import StoreKind
from deskhand.db import models
from deskhand.db.integrations import find_integration
from deskhand.db.models import KnowledgeChunk, SkillSwitch
from deskhand.domain.policy import PolicyRules
from deskhand.domain.vocabulary import IntegrationKind, Skill
from deskhand.knowledge.facts import has

# The skills a brand sees on the Skills page and may switch off; small talk and the
# fallback are part of every conversation, and handoff is the safety net.
LISTED: tuple[Skill, ...] = (
    Skill.ORDER_EDITING,
    Skill.RETURNS,
    Skill.TRACKING,
    Skill.POLICY,
    Skill.HANDOFF,
)
SWITCHABLE = frozenset({Skill.ORDER_EDITING, Skill.RETURNS, Skill.TRACKING, Skill.POLICY})
RETURNS_PROVIDERS = (IntegrationKind.LOOP, IntegrationKind.AFTERSHIP)

HUB_OFF = "Customer Hub is not active"
NO_STORE = "No store connected"
NO_RETURNS_PROVIDER = "No returns provider"
NO_CHANGE_CONTENT = "No policy content about order changes"
NO_CANCEL_CONTENT = "No policy content about cancellations"
NO_RETURNS_CONTENT = "No policy content about returns"
NO_CONTENT = "No policy content in the knowledge base"
SWITCHED_OFF = "Switched off"


@dataclass(frozen=True)
class Facts:
    """What the prerequisites are read from, gathered once per page."""

    hub_active: bool
    store_connected: bool
    returns_provider: str  # "" when none
    content: tuple[str, ...]  # the knowledge base's chunk texts


@dataclass(frozen=True)
class Status:
    skill: Skill
    live: bool
    enabled: bool  # the brand's switch
    unmet: tuple[str, ...]  # every unmet prerequisite, in the order the page lists them

    @property
    def reason(self) -> str:
        """The first unmet prerequisite (or "Switched off"); "" when Live."""
        if self.unmet:
            return self.unmet[0]
        return "" if self.enabled else SWITCHED_OFF


def _content_about(concept: str) -> Callable[[Facts], bool]:
    return lambda f: any(has(concept, text) for text in f.content)


Check = tuple[Callable[[Facts], bool], str]
PREREQUISITES: dict[Skill, Sequence[Check]] = {
    Skill.ORDER_EDITING: (
        (lambda f: f.hub_active, HUB_OFF),
        (lambda f: f.store_connected, NO_STORE),
        (_content_about("change"), NO_CHANGE_CONTENT),
        (_content_about("cancel"), NO_CANCEL_CONTENT),
    ),
    Skill.RETURNS: (
        (lambda f: f.hub_active, HUB_OFF),
        (lambda f: f.store_connected, NO_STORE),
        (lambda f: bool(f.returns_provider), NO_RETURNS_PROVIDER),
        (_content_about("return"), NO_RETURNS_CONTENT),
    ),
    Skill.TRACKING: ((lambda f: f.store_connected, NO_STORE),),
    Skill.POLICY: ((lambda f: bool(f.content), NO_CONTENT),),
    Skill.HANDOFF: (),
}


def _connected(session: Session, brand_id: int, kind: IntegrationKind) -> bool:
    row = find_integration(session, brand_id, kind)
    return row is not None and not row.last_error


def store_connected(session: Session, brand: models.Brand) -> bool:
    """The built-in store always is; an outside store when its integration works."""
    if brand.store_kind == StoreKind.EMBEDDED.value:
        return True
    try:
        kind = IntegrationKind(brand.store_kind)
    except ValueError:
        return False
    return _connected(session, brand.id, kind)


def returns_provider(session: Session, brand: models.Brand) -> str:
    """Who takes returns: a connected provider, else the built-in store's returns in the Hub."""
    for kind in RETURNS_PROVIDERS:
        if _connected(session, brand.id, kind):
            return kind.value
    return "hub" if brand.store_kind == StoreKind.EMBEDDED.value else ""


def gather_facts(session: Session, brand: models.Brand) -> Facts:
    texts = session.scalars(select(KnowledgeChunk.text).where(KnowledgeChunk.brand_id == brand.id))
    return Facts(
        hub_active=PolicyRules.from_json(brand.policy).hub_enabled,
        store_connected=store_connected(session, brand),
        returns_provider=returns_provider(session, brand),
        content=tuple(texts),
    )


def switched_off(session: Session, brand_id: int) -> frozenset[Skill]:
    """The skills the brand switched off in the console."""
    rows = session.scalars(
        select(SkillSwitch.skill).where(
            SkillSwitch.brand_id == brand_id, SkillSwitch.enabled.is_(False)
        )
    )
    return frozenset(Skill(s) for s in rows if s in Skill.__members__.values())


def status_of(skill: Skill, facts: Facts, off: frozenset[Skill]) -> Status:
    unmet = tuple(why for ok, why in PREREQUISITES.get(skill, ()) if not ok(facts))
    enabled = skill not in off
    return Status(skill, live=enabled and not unmet, enabled=enabled, unmet=unmet)


def skill_statuses(session: Session, brand: models.Brand) -> list[Status]:
    facts = gather_facts(session, brand)
    off = switched_off(session, brand.id)
    return [status_of(skill, facts, off) for skill in LISTED]


def switch_skill(
    session: Session, brand_id: int, skill: Skill, enabled: bool, now: datetime
) -> bool:
    """Switch a skill on or off; returns what it was. Only `SWITCHABLE` skills."""
    if skill not in SWITCHABLE:
        raise ValueError(f"{skill.value} cannot be switched off")
    row = session.get(SkillSwitch, (brand_id, skill.value))
    was = row.enabled if row is not None else True
    if row is None:
        session.add(
            SkillSwitch(brand_id=brand_id, skill=skill.value, enabled=enabled, changed_at=now)
        )
    else:
        row.enabled, row.changed_at = enabled, now
    session.flush()
    return was
