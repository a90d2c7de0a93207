"""Invitations and password resets: a single-use link sent by email through the outbox.

Only the link's hash is stored. An invitation lasts `INVITE_TTL`, a reset `RESET_TTL`; a new
link of the same purpose replaces the member's earlier ones. Asking for a reset answers the
same whether or not the address belongs to the team, so the form reveals no member.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from deskhand.db.models import TeamMember, TeamToken
from deskhand.domain.vocabulary import TeamRole
from deskhand.jobs.outbox import enqueue
from deskhand.team.accounts import AccountError, add_member, find_member, set_password
from deskhand.team.sessions import end_sessions_of

INVITE_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=1)
TOKEN_PARAM = "token"


class Purpose(StrEnum):
    INVITE = "invite"
    RESET = "reset"


def _hash(token: str) -> str:
    return hashlib.sha256(f"team-token:{token}".encode()).hexdigest()


def _issue(
    session: Session,
    member: TeamMember,
    purpose: Purpose,
    now: datetime,
    created_by: TeamMember | None,
) -> str:
    session.execute(
        update(TeamToken)
        .where(
            TeamToken.member_id == member.id,
            TeamToken.purpose == purpose.value,
            TeamToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    ttl = INVITE_TTL if purpose is Purpose.INVITE else RESET_TTL
    session.add(
        TeamToken(
            brand_id=member.brand_id,
            member_id=member.id,
            purpose=purpose.value,
            token_hash=_hash(token),
            created_by_id=created_by.id if created_by else None,
            created_at=now,
            expires_at=now + ttl,
            used_at=None,
        )
    )
    session.flush()
    return token


def invite(
    session: Session,
    *,
    brand_id: int,
    brand_name: str,
    email: str,
    role: TeamRole,
    invited_by: TeamMember,
    link_base: str,
    now: datetime,
) -> TeamMember:
    """Add a member without a password and email them a link to choose one."""
    member = add_member(session, brand_id=brand_id, email=email, role=role, now=now)
    token = _issue(session, member, Purpose.INVITE, now, invited_by)
    link = f"{link_base}/admin/invitation?{TOKEN_PARAM}={token}"
    enqueue(
        session,
        brand_id=brand_id,
        kind="email",
        recipient=member.email,
        subject=f"You are invited to the {brand_name} team on Deskhand",
        body=(
            f"{invited_by.email} invited you to the {brand_name} team as {role.value}.\n\n"
            f"Choose your password here (the link works once, for 7 days):\n{link}\n"
        ),
        idempotency_key=f"team-invite:{_hash(token)[:40]}",
        now=now,
    )
    return member


def request_reset(
    session: Session,
    *,
    brand_id: int,
    brand_name: str,
    email: str,
    link_base: str,
    now: datetime,
) -> None:
    """Email a reset link to an active member with this address; nothing for anyone else."""
    member = find_member(session, brand_id, email)
    if member is None or not member.active or not member.password_hash:
        return
    token = _issue(session, member, Purpose.RESET, now, None)
    link = f"{link_base}/admin/reset?{TOKEN_PARAM}={token}"
    enqueue(
        session,
        brand_id=brand_id,
        kind="email",
        recipient=member.email,
        subject=f"Reset your {brand_name} Deskhand password",
        body=(
            "Someone asked to reset the password of this address.\n\n"
            f"Choose a new password here (the link works once, for an hour):\n{link}\n\n"
            "If it was not you, ignore this email: your password stays as it is.\n"
        ),
        idempotency_key=f"team-reset:{_hash(token)[:40]}",
        now=now,
    )


def open_token(
    session: Session, *, brand_id: int, purpose: Purpose, token: str, now: datetime
) -> TeamMember | None:
    """The member a live, unused link of this purpose is for, or None."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(
        select(TeamToken).where(
            TeamToken.brand_id == brand_id,
            TeamToken.token_hash == _hash(token),
            TeamToken.purpose == purpose.value,
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    member = session.get(TeamMember, row.member_id)
    return member if member is not None and member.active else None


def use_token(
    session: Session,
    *,
    brand_id: int,
    purpose: Purpose,
    token: str,
    password: str,
    name: str,
    now: datetime,
) -> TeamMember:
    """Set the password through a link, once; every other session of the member ends."""
    member = open_token(session, brand_id=brand_id, purpose=purpose, token=token, now=now)
    if member is None:
        raise AccountError("This link has expired or was already used.")
    set_password(member, password)
    if name.strip():
        member.name = name.strip()[:200]
    session.execute(
        update(TeamToken).where(TeamToken.token_hash == _hash(token)).values(used_at=now)
    )
    end_sessions_of(session, member.id, now)
    return member
