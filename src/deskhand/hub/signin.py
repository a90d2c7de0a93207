"""Passwordless sign-in to the Hub: a 6-digit code and a magic link, sent together.

The Hub's side of `deskhand.verification` (codes, links, lockouts and the limits shared with
chat, SMS and email): reading what the shopper typed, the Hub's words for the message, where
to go afterwards. A code lives `code_ttl_minutes` and allows `code_max_failures` wrong tries;
the link lives 15 minutes and works once (and uses the code up: one request, one sign-in).
An address with no account gets the same answer and the same code form as one with (nothing
is sent), so nobody can find out who is a customer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote

from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.models import VerificationCode
from deskhand.verification import codes, sending
from deskhand.verification.codes import Channel, Checked, Flow, Issued
from deskhand.verification.links import LINK_TTL
from deskhand.verification.sending import Message, read_address

__all__ = [
    "LINK_TTL",
    "Checked",
    "Requested",
    "SignInOutcome",
    "check_code",
    "mask",
    "pending_request",
    "read_magic_link",
    "request_sign_in",
    "safe_next",
    "use_magic_link",
]

NEXT_PATH = re.compile(r"^/hub(/[A-Za-z0-9_\-]+)*$")
HUB_HOME = "/hub"


class Requested(StrEnum):
    SENT = "sent"  # (or silently not sent: an address without an account)
    INVALID = "invalid"
    LIMITED = "limited"


@dataclass(frozen=True)
class SignInOutcome:
    result: Checked
    customer_id: int | None = None
    next_path: str = HUB_HOME
    tries_left: int = 0


def safe_next(raw: str | None) -> str:
    """Where to go after sign-in: a Hub path and nothing else (no open redirects)."""
    if raw and len(raw) <= 300 and NEXT_PATH.match(raw):
        return raw
    return HUB_HOME


def mask(channel: str, address: str) -> str:
    """a•••@example.com, +31•••••••78: enough to recognise, not to read out."""
    if channel == Channel.EMAIL:
        local, _, domain = address.partition("@")
        return f"{local[:1]}•••@{domain}"
    return f"{address[:3]}{'•' * max(len(address) - 5, 3)}{address[-2:]}"


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
) -> tuple[Requested, VerificationCode | None]:
    """Record a sign-in request and send its code and link if the address has an account."""
    read = read_address(raw_address)
    if read is None:
        return Requested.INVALID, None
    channel, address = read

    def compose(issued: Issued) -> Message:
        token = quote(issued.link_token or "")
        params = {
            "brand": brand.name,
            "code": issued.code,
            "minutes": settings.code_ttl_minutes,
            "link": f"{base_url}/hub/sign-in/link?token={token}&lang={words.lang}",
            "link_minutes": int(LINK_TTL.total_seconds() // 60),
        }
        return Message(
            subject=words.t("hub.email.subject", **params) if channel is Channel.EMAIL else "",
            body=words.t(f"hub.{channel.value}.body", **params),
        )

    result, row = sending.request_code(
        db,
        brand=brand,
        settings=settings,
        secret=secret,
        flow=Flow.HUB,
        channel=channel,
        address=address,
        client_key=client_key,
        compose=compose,
        now=now,
        next_path=safe_next(next_path),
    )
    if result is sending.Requested.LIMITED:
        return Requested.LIMITED, None
    return Requested.SENT, row


def pending_request(
    db: Session, *, brand_id: int, public_id: str | None
) -> VerificationCode | None:
    """The sign-in request this browser's cookie names (live or not)."""
    return codes.find_request(db, brand_id=brand_id, public_id=public_id)


def _outcome(checked: codes.CheckResult, row: VerificationCode | None) -> SignInOutcome:
    next_path = (row.next_path if row else None) or HUB_HOME
    return SignInOutcome(checked.result, checked.customer_id, next_path, checked.tries_left)


def check_code(
    db: Session,
    *,
    row: VerificationCode | None,
    settings: Settings,
    secret: str,
    code: str,
    now: datetime,
) -> SignInOutcome:
    """Check a typed code against this browser's sign-in request."""
    checked = codes.check_code(db, row=row, settings=settings, secret=secret, code=code, now=now)
    return _outcome(checked, row)


def read_magic_link(
    db: Session, *, brand_id: int, secret: str, token: str, now: datetime
) -> VerificationCode | None:
    """The live sign-in request a magic link belongs to, without using it up."""
    return codes.request_of_link(db, brand_id=brand_id, secret=secret, token=token, now=now)


def use_magic_link(
    db: Session, *, brand_id: int, secret: str, token: str, now: datetime
) -> SignInOutcome:
    """Sign in with a magic link, using it (and the request's code) up."""
    row = read_magic_link(db, brand_id=brand_id, secret=secret, token=token, now=now)
    if row is None or not codes.consume(db, row, now):
        return SignInOutcome(Checked.UNKNOWN)
    return SignInOutcome(Checked.OK, row.customer_id, row.next_path or HUB_HOME)
