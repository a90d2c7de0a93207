"""Team members' availability for handed-off conversations, and the round robin among them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.vocabulary import Availability, TeamRole
from deskhand.team.roles import may_answer_shoppers


def set_availability(
    session: Session, member: models.TeamMember, availability: Availability
) -> None:
    member.availability = availability.value
    session.flush()


def is_available(member: models.TeamMember | None) -> bool:
    return (
        member is not None and member.active and member.availability == Availability.AVAILABLE.value
    )


def available_members(session: Session, brand_id: int) -> list[models.TeamMember]:
    """The brand's active, available members who may answer shoppers, the one given a
    conversation longest ago first (never given one: first of all, oldest member first)."""
    rows = session.scalars(
        select(models.TeamMember).where(
            models.TeamMember.brand_id == brand_id,
            models.TeamMember.active.is_(True),
            models.TeamMember.availability == Availability.AVAILABLE.value,
        )
    )
    answering = [m for m in rows if may_answer_shoppers(TeamRole(m.role))]  # never a viewer
    return sorted(
        answering,
        key=lambda m: (m.last_assigned_at is not None, m.last_assigned_at or m.created_at, m.id),
    )


def next_member(session: Session, brand_id: int, now: datetime) -> models.TeamMember | None:
    """Round robin: the available member given a conversation longest ago, marked as given one
    now; None when nobody is available."""
    members = available_members(session, brand_id)
    if not members:
        return None
    chosen = members[0]
    chosen.last_assigned_at = now
    session.flush()
    return chosen
