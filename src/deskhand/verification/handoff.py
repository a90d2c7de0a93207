"""A verified conversation hands the shopper to the Hub without a second verification.

The agent puts a short-lived, single-use token on its Hub links; the Hub trades it for a
session and redirects to the clean address. The token is 256 random bits that only exist
in the link: the database keeps its hash, when it expires and whether it was used, and the
transcript keeps the link without it (`without_tokens`).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


def customer_of_handoff(
    session: Session, *, brand_id: int, token: str, now: datetime
) -> int | None:
    """The customer a live token would sign in, without using it up (to ask first)."""
    row = _live(session, brand_id, token, now)
    return row.customer_id if row is not None else None


def _live(session: Session, brand_id: int, token: str, now: datetime) -> HubHandoff | None:
    if not token or len(token) > 100:
        return None
    row = session.scalar(
        select(HubHandoff).where(
            HubHandoff.brand_id == brand_id, HubHandoff.token_hash == _hash(token)
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def redeem_handoff(session: Session, *, brand_id: int, token: str, now: datetime) -> int | None:
    """The customer the token signs in, consuming it; None if unknown, used or expired."""
    row = _live(session, brand_id, token, now)
    if row is None:
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


def without_tokens(value: Any) -> Any:
    """A copy of reply blocks (any JSON) whose Hub links carry no hand-off token.

    The shopper's reply keeps the token (it is the link they press); the stored transcript
    does not, so a copy of the database or a transcript export signs nobody in.
    """
    if isinstance(value, dict):
        return {key: without_tokens(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_tokens(item) for item in value]
    if isinstance(value, str) and "/hub" in value and f"{TOKEN_PARAM}=" in value:
        parts = urlsplit(value)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        kept = [(k, v) for k, v in query if k != TOKEN_PARAM]
        if len(kept) != len(query):
            return urlunsplit(parts._replace(query=urlencode(kept)))
    return value
