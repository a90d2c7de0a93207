"""Server-side sessions of team members, and the CSRF tokens bound to them.

The cookie holds a random id; the database keeps only its hash, so a leaked database signs
nobody in. A session ends at sign-out, after `IDLE_LIMIT` without a visit, after `MAX_AGE`
whatever happens, and when the member is deactivated or their password is reset.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from deskhand.db.models import TeamMember, TeamSession

IDLE_LIMIT = timedelta(hours=12)
MAX_AGE = timedelta(days=7)
TOUCH_EVERY = timedelta(minutes=1)  # don't write on every page view


def token_hash(token: str) -> str:
    return hashlib.sha256(f"team-session:{token}".encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    session: TeamSession
    member: TeamMember


def start_session(session: Session, member: TeamMember, now: datetime) -> str:
    """A new session for this member; returns the cookie value that opens it."""
    token = secrets.token_urlsafe(32)
    session.add(
        TeamSession(
            brand_id=member.brand_id,
            member_id=member.id,
            token_hash=token_hash(token),
            created_at=now,
            last_seen_at=now,
            expires_at=min(now + IDLE_LIMIT, now + MAX_AGE),
            ended_at=None,
        )
    )
    session.flush()
    return token


def current_session(
    session: Session, *, brand_id: int, token: str | None, now: datetime
) -> SignedIn | None:
    """The live session this cookie opens and its (active) member, or None."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(
        select(TeamSession).where(
            TeamSession.brand_id == brand_id, TeamSession.token_hash == token_hash(token)
        )
    )
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    member = session.get(TeamMember, row.member_id)
    if member is None or not member.active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        row.expires_at = min(now + IDLE_LIMIT, row.created_at + MAX_AGE)
    return SignedIn(row, member)


def end_session(row: TeamSession, now: datetime) -> None:
    row.ended_at = now


def end_sessions_of(session: Session, member_id: int, now: datetime) -> None:
    """Sign a member out everywhere (deactivated, password reset)."""
    session.execute(
        update(TeamSession)
        .where(TeamSession.member_id == member_id, TeamSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def csrf_token(secret: str, bound_to: str) -> str:
    """The token a form must send back: HMAC of the session (or pre-session) id."""
    mac = hmac.new(secret.encode(), f"team-csrf:{bound_to}".encode(), hashlib.sha256)
    return mac.hexdigest()


def csrf_ok(secret: str, bound_to: str | None, sent: str | None) -> bool:
    if not bound_to or not sent:
        return False
    return hmac.compare_digest(csrf_token(secret, bound_to), sent)
