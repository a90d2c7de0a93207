"""Put an agent reply for SMS, WhatsApp or email into the outbox, rendered for the channel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.channels.email.threading import enqueue_email_reply
from deskhand.channels.render import render
from deskhand.channels.twilio.segments import split_sms, split_whatsapp
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.models import ConversationAddress
from deskhand.jobs.outbox import enqueue


def send_reply(
    session: Session,
    *,
    settings: Settings,
    brand: models.Brand,
    conv: models.Conversation,
    address: ConversationAddress,
    blocks: Sequence[Mapping[str, Any]],
    words: Wording,
    key: str,
    inbound: dict[str, Any] | None,
    now: datetime,
    bypass_opt_out: bool = False,
) -> list[models.OutboxMessage]:
    """Render `blocks` for the address's channel and enqueue them; `key` makes them unique."""
    channel = address.channel
    hint = "mail.reply_with_number" if channel == "email" else "sms.reply_with_number"
    rendered = render(blocks, words, reply_hint=hint)
    address.options = rendered.options
    if channel == "email":
        return [
            enqueue_email_reply(
                session,
                settings=settings,
                brand=brand,
                conv=conv,
                address=address,
                rendered=rendered,
                words=words,
                key=key,
                inbound=inbound,
                now=now,
            )
        ]
    if channel == "sms":
        parts = split_sms(rendered.text, settings.sms_max_segments)
    else:
        parts = split_whatsapp(rendered.text)
    rows: list[models.OutboxMessage] = []
    for n, part in enumerate(parts, start=1):
        row = enqueue(
            session,
            brand_id=brand.id,
            kind=channel,
            recipient=address.address,
            subject="",
            body=part,
            idempotency_key=f"{key}:{n}"[:100],
            now=now,
        )
        row.conversation_id = conv.id
        row.after_id = rows[-1].id if rows else None  # parts go out in order
        row.payload = {"part": n, "parts": len(parts), "bypass_opt_out": bypass_opt_out}
        session.flush()
        rows.append(row)
    return rows
