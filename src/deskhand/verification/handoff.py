"""A verified conversation hands the shopper to the Hub without a second verification.

The agent puts a short-lived, single-use token on its Hub links; the Hub trades it for a
session and redirects to the clean address. The token is 256 random bits that only exist
in the link: the database keeps its hash, when it expires and whether it was used.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from deskhand.db.models import HubHandoff

HANDOFF_TTL = timedelta(minutes=15)
TOKEN_PARAM = "t"


def _hash(token: str) -> str:
    return hashlib.sha256(f"hub-handoff:{token}".encode()).hexdigest()


def mint_handoff(session: Session, *, brand_id: int, customer_id: int, now: datetime) -> str:
    """A fresh token that signs this customer in to the Hub once, within 15 minutes."""
    token = secrets.token_urlsafe(32)
    session.add(
        HubHandoff(
            brand_id=brand_id,
            customer_id=customer_id,
            token_hash=_hash(token),
            expires_at=now + HANDOFF_TTL,
            used_at=None,
            created_at=now,
        )
    )
    return token


def redeem_handoff(session: Session, *, brand_id: int, token: str, now: datetime) -> int | None:
    """The customer the token signs in, consuming it; None if unknown, used or expired."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(
        select(HubHandoff).where(
            HubHandoff.brand_id == brand_id, HubHandoff.token_hash == _hash(token)
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    # A conditional update: of two requests racing with the same token, one wins.
    won = session.execute(
        update(HubHandoff)
        .where(HubHandoff.id == row.id, HubHandoff.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
        return None
    return row.customer_id
