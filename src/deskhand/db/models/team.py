"""The brand's team: members who sign in to the admin console, their sessions, and the
one-time tokens that invite a member or reset a password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class TeamMember(Base):
    """A person of the brand's team. The password is an argon2 hash; never stored in clear."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("brand_id", "email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))  # normalised: trimmed, lower case
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))  # domain.vocabulary.TeamRole
    password_hash: Mapped[str] = mapped_column(String(200), default="")  # "" until accepted
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    last_sign_in_at: Mapped[datetime | None]
    # The helpdesk inbox: domain.vocabulary.Availability, and when the member was last given
    # a handed-off conversation (round robin picks the available member given one longest ago).
    availability: Mapped[str] = mapped_column(String(16), default="away")
    last_assigned_at: Mapped[datetime | None]


class TeamSession(Base):
    """A signed-in member's browser; the cookie holds a random id, only its hash is kept."""

    __tablename__ = "team_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]  # moves on with activity, never past created_at + the cap
    ended_at: Mapped[datetime | None]


class TeamToken(Base):
    """A single-use link sent by email: an invitation to join, or a password reset."""

    __tablename__ = "team_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "invite" | "reset"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
