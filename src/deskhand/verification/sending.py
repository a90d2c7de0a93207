"""Asking for a code, the same way on every channel: one limit, one lookup, one message.

Every code goes into the one `verification_codes` table, so the limits are one counter per
address and one per client across chat, SMS, email and the Hub: `codes_per_address_per_hour`
(5) and `codes_per_client_per_hour` (10) in all. They count rows rather than using the rate
limiter: the rows exist anyway, are durable across restarts, are shared by every process
without Redis, and follow the caller's clock. The shopper is found through the brand's Store
port; an address without an account gets the same answer and nothing is sent. The words of
the message belong to the caller (`compose`), which sits above this package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from deskhand.commerce.registry import store_for
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.models import VerificationCode
from deskhand.domain.contact import normalise_email, normalise_phone
from deskhand.jobs.outbox import enqueue
from deskhand.verification.codes import Channel, Flow, Issued, issue_code

LIMIT_WINDOW = timedelta(hours=1)


class Requested(StrEnum):
    SENT = "sent"  # (or silently not sent: an address without an account)
    LIMITED = "limited"


@dataclass(frozen=True)
class Message:
    subject: str  # empty for SMS
    body: str


Compose = Callable[[Issued], Message]  # the caller's words around the code (and link)


def read_address(raw: str) -> tuple[Channel, str] | None:
    """(EMAIL, address) or (SMS, +E.164 phone) from what the shopper typed, else None."""
    text = raw.strip()
    if "@" in text:
        email = normalise_email(text)
        return (Channel.EMAIL, email) if email else None
    phone = normalise_phone(text)
    return (Channel.SMS, phone) if phone else None


def _recent(session: Session, brand_id: int, which: ColumnElement[bool], since: datetime) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(VerificationCode)
        .where(VerificationCode.brand_id == brand_id, which, VerificationCode.created_at >= since)
    )
    return int(count or 0)


def limit_reached(
    session: Session,
    *,
    brand_id: int,
    settings: Settings,
    address: str,
    client_key: str,
    now: datetime,
) -> bool:
    """True once the address or the client had its codes for the hour, on any channel."""
    since = now - LIMIT_WINDOW
    return (
        _recent(session, brand_id, VerificationCode.address == address, since)
        >= settings.codes_per_address_per_hour
        or _recent(session, brand_id, VerificationCode.client_key == client_key[:128], since)
        >= settings.codes_per_client_per_hour
    )


def request_code(
    session: Session,
    *,
    brand: models.Brand,
    settings: Settings,
    secret: str,
    flow: Flow,
    channel: Channel,
    address: str,
    client_key: str,
    compose: Compose,
    now: datetime,
    conversation_id: str | None = None,
    next_path: str | None = None,
) -> tuple[Requested, VerificationCode | None]:
    """Store a code for a normalised `address` and send it if the address has an account."""
    if limit_reached(
        session,
        brand_id=brand.id,
        settings=settings,
        address=address,
        client_key=client_key,
        now=now,
    ):
        return Requested.LIMITED, None
    store = store_for(session, brand)
    customer = (
        store.customer_by_email(address)
        if channel is Channel.EMAIL
        else store.customer_by_phone(address)
    )
    issued = issue_code(
        session,
        brand_id=brand.id,
        settings=settings,
        secret=secret,
        flow=flow,
        channel=channel,
        address=address,
        client_key=client_key,
        customer_id=customer.id if customer else None,
        now=now,
        conversation_id=conversation_id,
        next_path=next_path,
    )
    if customer is not None:
        message = compose(issued)
        enqueue(
            session,
            brand_id=brand.id,
            kind=channel.value,
            recipient=address,
            subject=message.subject,
            body=message.body,
            idempotency_key=f"verification:{issued.row.public_id}",
            now=now,
        )
    return Requested.SENT, issued.row
