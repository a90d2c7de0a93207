"""Who changed which setting of the brand, from what to what (the console's audit log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class SettingsChange(Base):
    __tablename__ = "settings_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"))
    actor: Mapped[str] = mapped_column(String(320))  # the member's email then, or "cli"
    area: Mapped[str] = mapped_column(String(32))  # "policy" | "skills" | "team" | …
    action: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any]]
    after: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class SkillSwitch(Base):
    """A skill a brand switched off or on in the console; no row means on."""

    __tablename__ = "skill_switches"
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(32), primary_key=True)  # vocabulary.Skill
    enabled: Mapped[bool]
    changed_at: Mapped[datetime]
