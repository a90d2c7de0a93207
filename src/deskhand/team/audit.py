"""The audit log of the brand's settings: who changed what, from what to what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db.models import SettingsChange, TeamMember


def record_change(
    session: Session,
    *,
    brand_id: int,
    member: TeamMember | None,
    area: str,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    now: datetime,
    actor: str = "",
) -> SettingsChange:
    """One entry, in the transaction of the change it describes."""
    row = SettingsChange(
        brand_id=brand_id,
        member_id=member.id if member else None,
        actor=member.email if member else (actor or "system"),
        area=area,
        action=action,
        before=before,
        after=after,
        created_at=now,
    )
    session.add(row)
    return row


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only the keys whose value differs: {key: (before, after)}."""
    keys = sorted(set(before) | set(after))
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}


def recent_changes(session: Session, brand_id: int, limit: int = 100) -> list[SettingsChange]:
    return list(
        session.scalars(
            select(SettingsChange)
            .where(SettingsChange.brand_id == brand_id)
            .order_by(SettingsChange.id.desc())
            .limit(limit)
        )
    )
