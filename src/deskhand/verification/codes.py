"""One-time codes on every channel: issued hashed with a lifetime, checked once, locked out.

A code belongs to a subject: a chat conversation (its codes follow one another, and wrong
tries count in a row across them) or one Hub sign-in request. After `code_max_failures` wrong
tries the code dies and the subject pauses for `code_lockout_minutes` (a Hub request is dead
for good: the shopper asks for a new code). A code for an address without an account never
works: it fails like a wrong one, so the answers cannot tell who is a customer.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.db.models import VerificationCode
from deskhand.verification.links import LINK_TTL, mint_link_token, read_link_token

CODE_DIGITS = 6
MAX_PUBLIC_ID_CHARS = 64


class Flow(StrEnum):
    """Who asked for the code: the agent in a conversation, or the Hub's sign-in page."""

    CHAT = "chat"
    HUB = "hub"


class Channel(StrEnum):
    """How the code travels (the outbox kind)."""

    EMAIL = "email"
    SMS = "sms"


class Checked(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"  # too many wrong tries: the code is dead, its subject paused
    UNKNOWN = "unknown"  # no live code (never issued, used, superseded or dead)


@dataclass(frozen=True)
class CheckResult:
    result: Checked
    customer_id: int | None = None
    tries_left: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class Issued:
    """A freshly stored code; `code` and `link_token` exist only here, for the message."""

    row: VerificationCode
    code: str
    link_token: str | None


def _mac(secret: str, purpose: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _code_hash(secret: str, brand_id: int, public_id: str, code: str) -> str:
    return _mac(secret, "code", f"{brand_id}:{public_id}:{code}")


def _supersede(session: Session, conversation_id: str, now: datetime) -> int:
    """Retire the conversation's live codes; their wrong tries carry over to the next one."""
    live = list(
        session.scalars(
            select(VerificationCode).where(
                VerificationCode.conversation_id == conversation_id,
                VerificationCode.consumed_at.is_(None),
            )
        )
    )
    for row in live:
        row.consumed_at = now
    return max((row.failures for row in live), default=0)


def issue_code(
    session: Session,
    *,
    brand_id: int,
    settings: Settings,
    secret: str,
    flow: Flow,
    channel: Channel,
    address: str,
    client_key: str,
    customer_id: int | None,
    now: datetime,
    conversation_id: str | None = None,
    next_path: str | None = None,
) -> Issued:
    """Store a new code (and, for a Hub sign-in, a magic link) for `address`."""
    failures = _supersede(session, conversation_id, now) if conversation_id else 0
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    public_id = secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24) if flow is Flow.HUB else None  # links sign in to the Hub
    row = VerificationCode(
        brand_id=brand_id,
        public_id=public_id,
        flow=flow.value,
        conversation_id=conversation_id,
        customer_id=customer_id,
        channel=channel.value,
        address=address,
        client_key=client_key[:128],
        code_hash=_code_hash(secret, brand_id, public_id, code),
        failures=failures,
        expires_at=now + timedelta(minutes=settings.code_ttl_minutes),
        link_nonce_hash=_mac(secret, "link-nonce", nonce) if nonce else None,
        link_expires_at=now + LINK_TTL if nonce else None,
        next_path=next_path,
        locked_until=None,
        consumed_at=None,
        created_at=now,
    )
    session.add(row)
    session.flush()
    token = mint_link_token(secret, public_id=public_id, nonce=nonce, now=now) if nonce else None
    return Issued(row, code, token)


def find_request(
    session: Session, *, brand_id: int, public_id: str | None, flow: Flow = Flow.HUB
) -> VerificationCode | None:
    """The code request named `public_id` (live or not), scoped by brand and flow."""
    if not public_id or len(public_id) > MAX_PUBLIC_ID_CHARS:
        return None
    return session.scalar(
        select(VerificationCode).where(
            VerificationCode.brand_id == brand_id,
            VerificationCode.public_id == public_id,
            VerificationCode.flow == flow.value,
        )
    )


def pending_for_conversation(session: Session, conversation_id: str) -> VerificationCode | None:
    """The conversation's live code: the newest, the others are superseded."""
    return session.scalar(
        select(VerificationCode)
        .where(
            VerificationCode.conversation_id == conversation_id,
            VerificationCode.consumed_at.is_(None),
        )
        .order_by(VerificationCode.id.desc())
        .limit(1)
    )


def paused_until(session: Session, *, conversation_id: str, now: datetime) -> datetime | None:
    """Until when the conversation may not verify (wrong tries ran out), or None."""
    until: datetime | None = session.scalar(
        select(func.max(VerificationCode.locked_until)).where(
            VerificationCode.conversation_id == conversation_id,
            VerificationCode.locked_until > now,
        )
    )
    return until


def consume(session: Session, row: VerificationCode, now: datetime) -> bool:
    """Use the code (and its link) up; of two racing uses exactly one wins."""
    won = session.execute(
        update(VerificationCode)
        .where(VerificationCode.id == row.id, VerificationCode.consumed_at.is_(None))
        .values(consumed_at=now)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(won, CursorResult) or won.rowcount != 1:
        return False
    row.consumed_at = now
    return True


def check_code(
    session: Session,
    *,
    row: VerificationCode | None,
    settings: Settings,
    secret: str,
    code: str,
    now: datetime,
) -> CheckResult:
    """Check a typed code against its request; wrong tries count towards the lockout."""
    limit = settings.code_max_failures
    if row is None or row.consumed_at is not None:
        return CheckResult(Checked.UNKNOWN)
    digits = re.sub(r"\s", "", code)
    # An address without an account has no code that works; it fails like a wrong code.
    if row.customer_id is None or not hmac.compare_digest(
        row.code_hash, _code_hash(secret, row.brand_id, row.public_id, digits)
    ):
        row.failures += 1
        if row.failures >= limit:
            row.consumed_at = now  # the code dies with the lockout
            row.locked_until = now + timedelta(minutes=settings.code_lockout_minutes)
            return CheckResult(Checked.LOCKED, locked_until=row.locked_until)
        return CheckResult(Checked.WRONG, tries_left=limit - row.failures)
    if row.expires_at <= now:
        return CheckResult(Checked.EXPIRED)
    if not consume(session, row, now):
        return CheckResult(Checked.UNKNOWN)
    return CheckResult(Checked.OK, row.customer_id)


def request_of_link(
    session: Session, *, brand_id: int, secret: str, token: str, now: datetime
) -> VerificationCode | None:
    """The live request a magic link belongs to, without using it up."""
    read = read_link_token(secret, token, now)
    if read is None:
        return None
    public_id, nonce = read
    row = find_request(session, brand_id=brand_id, public_id=public_id)
    if (
        row is None
        or row.customer_id is None
        or row.consumed_at is not None
        or row.link_nonce_hash is None
        or row.link_expires_at is None
        or row.link_expires_at <= now
        or not hmac.compare_digest(row.link_nonce_hash, _mac(secret, "link-nonce", nonce))
    ):
        return None
    return row
