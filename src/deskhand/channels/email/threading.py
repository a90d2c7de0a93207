"""Email threads: Message-ID, In-Reply-To and References (RFC 5322 §3.6.4).

Every Message-ID we receive or send is stored with its conversation; a reply is matched by
its In-Reply-To and References. Our replies carry `In-Reply-To: <their id>` and
`References: <their references…> <their id>`, so mail clients thread them.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.channels.render import Rendered
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.models import ConversationAddress, EmailMessageId
from deskhand.jobs.outbox import enqueue

_ID = re.compile(r"<[^<>\s]+>")
MAX_REFERENCES = 20
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|antw|réf|rif|ref|r)\s*:", re.IGNORECASE)


def message_ids(header: str | None) -> list[str]:
    """The `<…>` ids in a Message-ID / In-Reply-To / References header, in order."""
    return _ID.findall(header or "")[-MAX_REFERENCES * 2 :]


def conversation_of(session: Session, brand_id: int, payload: dict[str, Any]) -> str | None:
    """The conversation an inbound email replies to, from its In-Reply-To and References."""
    wanted = [*payload.get("in_reply_to", []), *reversed(payload.get("references", []))]
    for mid in wanted:
        conv_id = session.scalar(
            select(EmailMessageId.conversation_id).where(
                EmailMessageId.brand_id == brand_id, EmailMessageId.message_id == mid[:500]
            )
        )
        if conv_id:
            return str(conv_id)
    return None


def remember_inbound(
    session: Session, brand_id: int, conversation_id: str, payload: dict[str, Any], now: datetime
) -> None:
    mid = str(payload.get("message_id") or "")[:500]
    if not mid:
        return
    known = session.scalar(
        select(EmailMessageId.id).where(
            EmailMessageId.brand_id == brand_id, EmailMessageId.message_id == mid
        )
    )
    if known is None:
        session.add(
            EmailMessageId(
                brand_id=brand_id,
                conversation_id=conversation_id,
                message_id=mid,
                direction="in",
                created_at=now,
            )
        )


def reply_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}"


def sender_domain(settings: Settings) -> str:
    _, address = parseaddr(settings.smtp_from)
    if "@" in address:
        return address.rsplit("@", 1)[1]
    return urlsplit(settings.base_url).hostname or "deskhand.localhost"


def html_document(body: str, brand: models.Brand) -> str:
    return (
        '<!doctype html><html><head><meta charset="utf-8"></head>'
        '<body style="font-family: sans-serif; line-height: 1.4">'
        f"{body}</body></html>"
    )


def enqueue_email_reply(
    session: Session,
    *,
    settings: Settings,
    brand: models.Brand,
    conv: models.Conversation,
    address: ConversationAddress,
    rendered: Rendered,
    words: Wording,
    key: str,
    inbound: dict[str, Any] | None,
    now: datetime,
) -> models.OutboxMessage:
    """One threaded reply (text + HTML) to the address; its Message-ID is fixed now.

    Fixing the Message-ID at enqueue time keeps it the same across delivery retries.
    """
    message_id = make_msgid(domain=sender_domain(settings))
    parent = str((inbound or {}).get("message_id") or "") or None
    references = [*(inbound or {}).get("references", [])]
    if parent and parent not in references:
        references.append(parent)
    if not parent:  # a reply to our own earlier mail in this conversation keeps the thread
        last = session.scalar(
            select(EmailMessageId.message_id)
            .where(EmailMessageId.conversation_id == conv.id)
            .order_by(EmailMessageId.id.desc())
            .limit(1)
        )
        parent = last
        references = [last] if last else []
    subject = reply_subject(address.subject or words.t("mail.subject", brand=brand.name))
    row = enqueue(
        session,
        brand_id=brand.id,
        kind="email",
        recipient=address.address,
        subject=subject[:300],
        body=rendered.text,
        idempotency_key=key[:100],
        now=now,
    )
    row.conversation_id = conv.id
    row.payload = {
        "html": html_document(rendered.html, brand),
        "message_id": message_id,
        "in_reply_to": parent,
        "references": references[-MAX_REFERENCES:],
        "from_name": brand.name,
    }
    session.add(
        EmailMessageId(
            brand_id=brand.id,
            conversation_id=conv.id,
            message_id=message_id,
            direction="out",
            created_at=now,
        )
    )
    session.flush()
    return row
