"""The brand's Zendesk telling Deskhand that an agent answered a ticket.

Checked before anything is read: `X-Zendesk-Webhook-Signature` must be
base64(HMAC-SHA256(signing secret, X-Zendesk-Webhook-Signature-Timestamp + raw body)), the
timestamp within `WINDOW` of now, and the delivery not seen before (`WebhookNonce`: the
comment's id, else the event's, else the signed bytes). Then the ticket is found by its
Zendesk id among this brand's tickets only (another brand's ticket id is "not found", and
nothing is relayed) and a public agent comment is relayed to the shopper. The shopper's own
follow-ups, which Deskhand added to the ticket, are not relayed back (`follow_ups.is_echo`:
by comment id, by the requester as author, or by their text when the delivery names no
author).

Two payload shapes are read: Zendesk's event webhook for `ticket.comment_added`
(`{"type": "zen:event-type:ticket.comment_added", "id": …, "detail": {"id": <ticket>},
"event": {"comment": {"id", "body", "is_public", "author": {"name", "is_staff"}}}}`) and a
trigger webhook whose JSON body the brand writes from placeholders (the README suggests
`{"ticket_id", "body", "author"}`, with `"comment_id"` and `"author_id"` when there are).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import find_integration, secrets_of
from deskhand.db.models import WebhookNonce
from deskhand.domain.vocabulary import HandoffDestination, IntegrationKind
from deskhand.helpdesk.follow_ups import is_echo

SIGNATURE = "x-zendesk-webhook-signature"
TIMESTAMP = "x-zendesk-webhook-signature-timestamp"
WINDOW = timedelta(minutes=5)
PROVIDER = "zendesk"
MAX_TEXT = 4000


class Refused(StrEnum):
    NOT_CONNECTED = "not_connected"  # 404
    BAD_SIGNATURE = "bad_signature"  # 401 (also: no signing secret configured)
    STALE = "stale_timestamp"  # 401: outside the window, a replay of an old delivery
    MALFORMED = "malformed"  # 400
    NO_TICKET = "no_such_ticket"  # 404: not one of this brand's Zendesk tickets


class WebhookRefused(Exception):
    def __init__(self, why: Refused) -> None:
        super().__init__(why.value)
        self.why = why


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Zendesk's signature of one delivery (also what the tests' fake Zendesk sends)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _moment(timestamp: str) -> datetime | None:
    text = timestamp.strip()
    try:
        if text.isdigit():
            return datetime.fromtimestamp(int(text), UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Comment:
    ticket_id: str
    comment_id: str
    event_id: str
    text: str
    author: str
    author_id: str  # "" when the delivery does not say
    public: bool
    by_staff: bool


def read_comment(payload: Mapping[str, Any]) -> Comment:
    """The comment in either payload shape; MALFORMED when there is no ticket id."""
    event = payload.get("event")
    if isinstance(event, Mapping) and isinstance(event.get("comment"), Mapping):
        comment: Mapping[str, Any] = event["comment"]
        detail = payload.get("detail")
        ticket = detail.get("id") if isinstance(detail, Mapping) else None
        subject = str(payload.get("subject") or "")
        if ticket is None and subject.startswith("zen:ticket:"):
            ticket = subject.removeprefix("zen:ticket:")
        author = comment.get("author")
        author = author if isinstance(author, Mapping) else {}
        found = Comment(
            ticket_id=str(ticket or ""),
            comment_id=str(comment.get("id") or ""),
            event_id=str(payload.get("id") or ""),
            text=str(comment.get("body") or ""),
            author=str(author.get("name") or ""),
            author_id=str(author.get("id") or ""),
            public=bool(comment.get("is_public", True)),
            by_staff=bool(author.get("is_staff", True)),
        )
    else:
        found = Comment(
            ticket_id=str(payload.get("ticket_id") or ""),
            comment_id=str(payload.get("comment_id") or ""),
            event_id="",
            text=str(payload.get("body") or payload.get("comment") or ""),
            author=str(payload.get("author") or ""),
            author_id=str(payload.get("author_id") or ""),
            public=str(payload.get("public", "true")).lower() != "false",
            by_staff=str(payload.get("by_staff", "true")).lower() != "false",
        )
    if not found.ticket_id.isdigit():
        raise WebhookRefused(Refused.MALFORMED)
    return found


@dataclass(frozen=True)
class Relayed:
    status: str  # relayed | duplicate | ignored
    message_id: str | None = None
    conversation_id: str | None = None


class Relay(Protocol):
    """How a helpdesk agent's reply enters the conversation: the caller passes the one
    function that appends a team message and sends it on the conversation's channel
    (`serving/team_messages.add_team_message`, wired by `web/helpdesk_webhooks.py`)."""

    def __call__(
        self,
        session: Session,
        *,
        conv: models.Conversation,
        text: str,
        author: str,
        now: datetime,
    ) -> models.Message: ...


def receive(
    session: Session,
    *,
    settings: Settings,
    brand: models.Brand,
    body: bytes,
    headers: Mapping[str, str],
    now: datetime,
    relay: Relay,
) -> Relayed:
    """Verify one delivery and relay the agent's comment (through `relay`); raises
    WebhookRefused."""
    row = find_integration(session, brand.id, IntegrationKind.ZENDESK)
    if row is None:
        raise WebhookRefused(Refused.NOT_CONNECTED)
    secret = str(secrets_of(settings, row).get("webhook_secret") or "")
    timestamp, signature = headers.get(TIMESTAMP) or "", headers.get(SIGNATURE) or ""
    if not secret or not timestamp or not signature:
        raise WebhookRefused(Refused.BAD_SIGNATURE)
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip()):
        raise WebhookRefused(Refused.BAD_SIGNATURE)
    moment = _moment(timestamp)
    if moment is None or abs(now - moment) > WINDOW:
        raise WebhookRefused(Refused.STALE)
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookRefused(Refused.MALFORMED) from None
    if not isinstance(payload, dict):
        raise WebhookRefused(Refused.MALFORMED)
    comment = read_comment(payload)
    ticket = session.scalar(
        select(models.HelpdeskTicket).where(
            models.HelpdeskTicket.brand_id == brand.id,
            models.HelpdeskTicket.destination == HandoffDestination.ZENDESK.value,
            models.HelpdeskTicket.external_id == comment.ticket_id,
        )
    )
    if ticket is None:
        raise WebhookRefused(Refused.NO_TICKET)
    nonce = _nonce(brand.id, comment, timestamp, body)
    if session.scalar(
        select(WebhookNonce.id).where(
            WebhookNonce.provider == PROVIDER, WebhookNonce.nonce == nonce
        )
    ):
        return Relayed("duplicate")
    session.add(WebhookNonce(provider=PROVIDER, nonce=nonce, seen_at=now))
    text = comment.text.strip()[:MAX_TEXT]
    if not comment.public or not comment.by_staff or not text:
        return Relayed("ignored")  # internal notes, the shopper's own words, empty events
    if is_echo(
        session,
        ticket,
        comment_id=comment.comment_id,
        author_id=comment.author_id,
        text=text,
    ):
        return Relayed("ignored")  # a follow-up Deskhand added for the shopper
    conv = session.get_one(models.Conversation, ticket.conversation_id)
    message = relay(
        session,
        conv=conv,
        text=text,
        author=comment.author or "Zendesk",
        now=now,
    )
    ticket.updated_at = now
    return Relayed("relayed", message.id, conv.id)


def _nonce(brand_id: int, comment: Comment, timestamp: str, body: bytes) -> str:
    """One comment is relayed once, whichever event or retry brings it."""
    if comment.comment_id:
        return f"{brand_id}:comment:{comment.ticket_id}:{comment.comment_id}"[:128]
    if comment.event_id:
        return f"{brand_id}:event:{comment.event_id}"[:128]
    return f"{brand_id}:body:" + hashlib.sha256(timestamp.encode() + body).hexdigest()
