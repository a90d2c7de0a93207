"""Passwordless sign-in: a 6-digit code and a magic link, sent together to the customer.

Codes and link nonces are stored hashed. A code lives `code_ttl_minutes` and allows
`code_max_failures` wrong tries; the link is signed with the app secret, lives 15 minutes and
works once (its nonce is consumed, and so is the code: one request, one sign-in). Requests
are limited per address and per client. An address with no account gets the same answer and
the same code form as one with (nothing is sent), so nobody can find out who is a customer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import quote

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.models import HubSignIn
from deskhand.jobs.outbox import enqueue

LINK_TTL = timedelta(minutes=15)
EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[A-Za-z]{2,}$")
NEXT_PATH = re.compile(r"^/hub(/[A-Za-z0-9_\-]+)*$")


class Requested(StrEnum):
    SENT = "sent"  # (or silently not sent: an address without an account)
    INVALID = "invalid"
    LIMITED = "limited"


class Checked(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"  # too many wrong tries: ask for a new code
    UNKNOWN = "unknown"  # no live request in this browser


@dataclass(frozen=True)
class SignInOutcome:
    result: Checked
    customer_id: int | None = None
    next_path: str = "/hub"
    tries_left: int = 0


def safe_next(raw: str | None) -> str:
    """Where to go after sign-in: a Hub path and nothing else (no open redirects)."""
    if raw and len(raw) <= 300 and NEXT_PATH.match(raw):
        return raw
    return "/hub"


def read_address(raw: str) -> tuple[str, str] | None:
    """("email", address) or ("sms", +E.164 phone) from what the shopper typed."""
    text = raw.strip()
    if "@" in text:
        email = text.lower()
        return ("email", email) if len(email) <= 320 and EMAIL.match(email) else None
    digits = re.sub(r"[\s\-().]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"\+[1-9]\d{7,14}", digits):
        return "sms", digits
    return None


def mask(channel: str, address: str) -> str:
    """a•••@example.com, +31•••••••78: enough to recognise, not to read out."""
    if channel == "email":
        local, _, domain = address.partition("@")
        return f"{local[:1]}•••@{domain}"
    return f"{address[:3]}{'•' * max(len(address) - 5, 3)}{address[-2:]}"


def _mac(secret: str, purpose: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _recent(db: Session, brand_id: int, column: object, value: str, now: datetime) -> int:
    return int(
        db.scalar(
            select(func.count())
            .select_from(HubSignIn)
            .where(
                HubSignIn.brand_id == brand_id,
                column == value,  # type: ignore[operator]
                HubSignIn.created_at >= now - timedelta(hours=1),
            )
        )
        or 0
    )


def magic_link_token(secret: str, public_id: str, nonce: str, expires: datetime) -> str:
    """`<request>.<nonce>.<expiry>.<signature>`, signed with the app secret."""
    payload = f"{public_id}.{nonce}.{int(expires.timestamp())}"
    return f"{payload}.{_b64(bytes.fromhex(_mac(secret, 'hub-link', payload)))}"


def request_sign_in(
    db: Session,
    *,
    brand: models.Brand,
    settings: Settings,
    secret: str,
    raw_address: str,
    next_path: str,
    client_key: str,
    base_url: str,
    words: Wording,
    now: datetime,
) -> tuple[Requested, HubSignIn | None]:
    """Record a sign-in request and send its code and link if the address has an account."""
    read = read_address(raw_address)
    if read is None:
        return Requested.INVALID, None
    channel, address = read
    if (
        _recent(db, brand.id, HubSignIn.address, address, now)
        >= settings.codes_per_address_per_hour
        or _recent(db, brand.id, HubSignIn.client_key, client_key, now)
        >= settings.codes_per_client_per_hour
    ):
        return Requested.LIMITED, None
    column = models.Customer.email if channel == "email" else models.Customer.phone
    customer = db.scalar(
        select(models.Customer).where(models.Customer.brand_id == brand.id, column == address)
    )
    public_id, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = HubSignIn(
        brand_id=brand.id,
        public_id=public_id,
        customer_id=customer.id if customer else None,
        address=address,
        channel=channel,
        client_key=client_key,
        code_hash=_mac(secret, "hub-code", f"{brand.id}:{public_id}:{code}"),
        link_nonce_hash=_mac(secret, "hub-nonce", nonce),
        next_path=safe_next(next_path),
        failures=0,
        code_expires_at=now + timedelta(minutes=settings.code_ttl_minutes),
        link_expires_at=now + LINK_TTL,
        consumed_at=None,
        created_at=now,
    )
    db.add(row)
    db.flush()
    if customer is not None:
        token = magic_link_token(secret, public_id, nonce, row.link_expires_at)
        link = f"{base_url}/hub/sign-in/link?token={quote(token)}&lang={words.lang}"
        params = {
            "brand": brand.name,
            "code": code,
            "minutes": settings.code_ttl_minutes,
            "link": link,
            "link_minutes": int(LINK_TTL.total_seconds() // 60),
        }
        enqueue(
            db,
            brand_id=brand.id,
            kind=channel,
            recipient=address,
            subject=words.t("hub.email.subject", **params) if channel == "email" else "",
            body=words.t(f"hub.{channel}.body", **params),
            idempotency_key=f"hub-sign-in:{row.id}",
            now=now,
        )
    return Requested.SENT, row


def pending_request(db: Session, *, brand_id: int, public_id: str | None) -> HubSignIn | None:
    if not public_id or len(public_id) > 64:
        return None
    return db.scalar(
        select(HubSignIn).where(HubSignIn.brand_id == brand_id, HubSignIn.public_id == public_id)
    )


def _consume(db: Session, row: HubSignIn, now: datetime) -> bool:
    """Mark the request used; of two racing uses exactly one wins."""
    won = db.execute(
        update(HubSignIn)
        .where(HubSignIn.id == row.id, HubSignIn.consumed_at.is_(None))
        .values(consumed_at=now)
        .execution_options(synchronize_session=False)
    )
    return won.rowcount == 1  # type: ignore[attr-defined]


def check_code(
    db: Session,
    *,
    row: HubSignIn | None,
    settings: Settings,
    secret: str,
    code: str,
    now: datetime,
) -> SignInOutcome:
    """Check a typed code against this browser's sign-in request."""
    limit = settings.code_max_failures
    if row is None or row.consumed_at is not None:
        return SignInOutcome(Checked.UNKNOWN)
    if row.failures >= limit:
        return SignInOutcome(Checked.LOCKED)
    digits = re.sub(r"\s", "", code)
    expected = _mac(secret, "hub-code", f"{row.brand_id}:{row.public_id}:{digits}")
    # An address without an account has no code that works; it fails like a wrong code.
    if row.customer_id is None or not hmac.compare_digest(row.code_hash, expected):
        row.failures += 1
        if row.failures >= limit:
            row.consumed_at = now
            return SignInOutcome(Checked.LOCKED)
        return SignInOutcome(Checked.WRONG, tries_left=limit - row.failures)
    if row.code_expires_at <= now:
        return SignInOutcome(Checked.EXPIRED)
    if not _consume(db, row, now):
        return SignInOutcome(Checked.UNKNOWN)
    return SignInOutcome(Checked.OK, row.customer_id, row.next_path)


def read_magic_link(
    db: Session, *, brand_id: int, secret: str, token: str, now: datetime
) -> HubSignIn | None:
    """The live sign-in request a magic link belongs to, without using it up."""
    parts = token.split(".")
    if len(parts) != 4 or len(token) > 300:
        return None
    public_id, nonce, expires, signature = parts
    payload = f"{public_id}.{nonce}.{expires}"
    expected = _b64(bytes.fromhex(_mac(secret, "hub-link", payload)))
    if not hmac.compare_digest(expected, signature) or not expires.isdigit():
        return None
    if int(expires) <= now.timestamp():
        return None
    row = pending_request(db, brand_id=brand_id, public_id=public_id)
    if (
        row is None
        or row.customer_id is None
        or row.consumed_at is not None
        or row.link_expires_at <= now
        or not hmac.compare_digest(row.link_nonce_hash, _mac(secret, "hub-nonce", nonce))
    ):
        return None
    return row


def use_magic_link(
    db: Session, *, brand_id: int, secret: str, token: str, now: datetime
) -> SignInOutcome:
    row = read_magic_link(db, brand_id=brand_id, secret=secret, token=token, now=now)
    if row is None or not _consume(db, row, now):
        return SignInOutcome(Checked.UNKNOWN)
    return SignInOutcome(Checked.OK, row.customer_id, row.next_path)
