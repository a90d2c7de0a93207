"""Hub sessions and CSRF tokens.

A session is a random id in an HttpOnly cookie; the database keeps only its hash, so a leaked
database signs nobody in. Sessions end at sign-out or after 30 days without a visit. Every
form carries a CSRF token derived from the session id (or, before sign-in, from a random
pre-session cookie) with the app's secret, and every POST checks it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db.models import HubSession

SESSION_COOKIE = "hub_session"
PRE_COOKIE = "hub_pre"  # binds the sign-in forms' CSRF token to this browser
SIGNIN_COOKIE = "hub_signin"  # which sign-in request the code form answers
IDLE_LIMIT = timedelta(days=30)
TOUCH_EVERY = timedelta(minutes=1)  # don't write on every page view


def token_hash(token: str) -> str:
    return hashlib.sha256(f"hub-session:{token}".encode()).hexdigest()


def start_session(
    db: Session, *, brand_id: int, customer_id: int, via: str, now: datetime
) -> tuple[HubSession, str]:
    """A new session row and the cookie value that opens it."""
    token = secrets.token_urlsafe(32)
    row = HubSession(
        brand_id=brand_id,
        customer_id=customer_id,
        token_hash=token_hash(token),
        via=via,
        flash=None,
        created_at=now,
        last_seen_at=now,
        expires_at=now + IDLE_LIMIT,
        ended_at=None,
    )
    db.add(row)
    db.flush()
    return row, token


def current_session(
    db: Session, *, brand_id: int, token: str | None, now: datetime
) -> HubSession | None:
    """The live session this cookie opens (sliding its expiry on), or None."""
    if not token or len(token) > 100:
        return None
    row = db.scalar(
        select(HubSession).where(
            HubSession.brand_id == brand_id, HubSession.token_hash == token_hash(token)
        )
    )
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at, row.expires_at = now, now + IDLE_LIMIT
    return row


def end_session(row: HubSession, now: datetime) -> None:
    row.ended_at = now
    row.flash = None


def csrf_token(secret: str, purpose: str, bound_to: str) -> str:
    """The token a form must send back: HMAC of the session (or pre-session) id."""
    mac = hmac.new(secret.encode(), f"hub-csrf:{purpose}:{bound_to}".encode(), hashlib.sha256)
    return mac.hexdigest()


def csrf_ok(secret: str, purpose: str, bound_to: str | None, sent: str | None) -> bool:
    if not bound_to or not sent:
        return False
    return hmac.compare_digest(csrf_token(secret, purpose, bound_to), sent)


@dataclass(frozen=True)
class CookieJar:
    """The cookies one response sets; all HttpOnly and SameSite=Lax, Secure over https."""

    secure: bool

    def set(self, response: Response, name: str, value: str, max_age: int | None) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/hub",
            httponly=True,
            samesite="lax",
            secure=self.secure,
        )

    def clear(self, response: Response, name: str) -> None:
        response.delete_cookie(name, path="/hub", httponly=True, samesite="lax", secure=self.secure)
