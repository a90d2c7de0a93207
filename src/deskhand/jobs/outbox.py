"""The transactional outbox: side effects are rows written with the change that causes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models


def enqueue(
    session: Session,
    *,
    brand_id: int,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    idempotency_key: str,
    now: datetime,
) -> models.OutboxMessage:
    """Record one outgoing message in the caller's transaction; delivery happens later."""
    row = models.OutboxMessage(
        brand_id=brand_id,
        kind=kind,
        recipient=recipient,
        subject=subject,
        body=body,
        idempotency_key=idempotency_key,
        status="pending",
        attempts=0,
        created_at=now,
    )
    session.add(row)
    return row


def messages_to(
    session: Session, brand_id: int, recipient: str | None, limit: int = 50
) -> list[models.OutboxMessage]:
    """The newest outgoing messages (to one address, if given), newest first."""
    query = select(models.OutboxMessage).where(models.OutboxMessage.brand_id == brand_id)
    if recipient:
        query = query.where(models.OutboxMessage.recipient == recipient.strip().lower())
    return list(session.scalars(query.order_by(models.OutboxMessage.id.desc()).limit(limit)))
