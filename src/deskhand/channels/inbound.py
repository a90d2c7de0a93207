"""Received messages from SMS, WhatsApp and email, answered through the one conversation path.

A webhook first keeps the message (`record_inbound`, its own transaction: a replay of the
same MessageSid or Message-ID is a no-op), then answers it (`answer_inbound`): the sender is
matched to the customer, the message continues their conversation or starts one, the agent
takes the turn, and the rendered reply goes to the outbox in the same transaction. When
answering fails, the message stays `received` and the worker tries again.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from deskhand.agent.conversations import (
    record_exchange,
    start_conversation,
    take_turn_unless_team,
)
from deskhand.agent.engine import Agent
from deskhand.agent.launch import may_answer
from deskhand.agent.replies.wording import Wording
from deskhand.agent.skills.handoff import NO, YES, offer_for
from deskhand.agent.state import DialogueState
from deskhand.agent.understand.reading import Reading, read_message
from deskhand.analytics.events import record
from deskhand.channels import identity
from deskhand.channels.email import threading as email_threading
from deskhand.channels.language import unsupported_language
from deskhand.channels.outgoing import send_reply
from deskhand.channels.received import Received
from deskhand.channels.twilio.keywords import answer_keyword, is_opted_out, keyword_of
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.models import InboundMessage
from deskhand.db.session import transaction
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.vocabulary import Intent, Outcome, Skill
from deskhand.nlp.language import native_name

log = logging.getLogger("deskhand.channels")

PHONE_CHANNELS = ("sms", "whatsapp")
MAX_ANSWER_ATTEMPTS = 5
RETRY_AFTER = timedelta(seconds=30)
_OPTION = re.compile(r"^\s*#?(\d{1,2})\s*[.)]?\s*$")


def record_inbound(
    session: Session, *, brand_id: int, received: Received, now: datetime
) -> InboundMessage | None:
    """Keep the message; None when it was already received (a replayed webhook)."""
    seen = session.scalar(
        select(InboundMessage.id).where(
            InboundMessage.brand_id == brand_id,
            InboundMessage.channel == received.channel,
            InboundMessage.external_id == received.external_id,
        )
    )
    if seen is not None:
        return None
    row = InboundMessage(
        brand_id=brand_id,
        channel=received.channel,
        external_id=received.external_id,
        address=received.address,
        payload=received.payload,
        status="received",
        attempts=0,
        received_at=now,
    )
    session.add(row)
    session.flush()
    return row


def process_inbound(
    sessions: sessionmaker[Session],
    agent: Agent,
    settings: Settings,
    inbound_id: int,
    now: datetime,
) -> bool:
    """Answer one kept message exactly once; False if someone else did or it failed."""
    with transaction(sessions) as session:
        text = str(session.get_one(InboundMessage, inbound_id).payload.get("text") or "")
    # The embedding model needs no database: read outside the transaction.
    reading = read_message(text) if text.strip() and not _OPTION.match(text) else None
    try:
        with transaction(sessions) as session:
            claimed = session.execute(
                update(InboundMessage)
                .where(InboundMessage.id == inbound_id, InboundMessage.status == "received")
                .values(
                    status="processed",
                    processed_at=now,
                    attempts=InboundMessage.attempts + 1,
                    last_error=None,
                )
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
                return False
            row = session.get_one(InboundMessage, inbound_id)
            session.refresh(row)
            answer_inbound(
                session, agent=agent, settings=settings, row=row, reading=reading, now=now
            )
        return True
    except Exception as exc:
        log.exception("inbound.answer_failed", extra={"inbound_id": inbound_id})
        with transaction(sessions) as session:
            row = session.get_one(InboundMessage, inbound_id)
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            row.status = "failed" if row.attempts >= MAX_ANSWER_ATTEMPTS else "received"
        return False


def retry_inbound(
    sessions: sessionmaker[Session], agent: Agent, settings: Settings, now: datetime
) -> int:
    """Answer kept messages whose first attempt failed; returns how many were answered."""
    with transaction(sessions) as session:
        ids = list(
            session.scalars(
                select(InboundMessage.id)
                .where(
                    InboundMessage.status == "received",
                    InboundMessage.received_at <= now - RETRY_AFTER,
                )
                .order_by(InboundMessage.id)
                .limit(20)
            )
        )
    return sum(process_inbound(sessions, agent, settings, i, now) for i in ids)


def _option_action(options: list[Any], offered: list[str], text: str | None) -> str | None:
    """'2' answers the numbered options of the last reply on this channel."""
    match = _OPTION.match(text or "")
    if not match:
        return None
    n = int(match.group(1))
    if 1 <= n <= len(options) and options[n - 1] in offered:
        return str(options[n - 1])
    return None


def answer_inbound(
    session: Session,
    *,
    agent: Agent,
    settings: Settings,
    row: InboundMessage,
    reading: Reading | None,
    now: datetime,
) -> None:
    brand = session.get_one(models.Brand, row.brand_id)
    payload, channel, address = row.payload, row.channel, row.address
    text = str(payload.get("text") or "").strip()

    customer = identity.customer_of_sender(
        session, brand, address, by_phone=channel in PHONE_CHANNELS
    )
    thread = (
        email_threading.conversation_of(session, brand.id, payload) if channel == "email" else None
    )
    if not payload.get("sender_verified", True):
        customer = None  # a sender that failed SPF/DKIM is treated as unknown
    conv = identity.conversation_to_continue(
        session,
        brand_id=brand.id,
        channel=channel,
        address=address,
        customer_id=customer.id if customer else None,
        thread_conversation_id=thread,
        now=now,
        resume_hours=settings.conversation_resume_hours,
    )
    client_key = f"{channel}:{address}"[:128]
    if conv is None:
        conv, _ = start_conversation(
            session,
            brand=brand,
            channel=channel,
            language=brand.default_language,
            client_key=client_key,
            now=now,
        )
    if customer is not None and conv.customer_id is None:
        conv.customer_id, conv.verified_at = customer.id, now
        state = DialogueState.from_json(conv.state)
        state.awaiting = state.code_address = None
        conv.state = state.to_json()
        record(session, brand.id, conv.id, "conversation.verified", {"method": channel}, now)
    addr = identity.address_row(session, conv, channel, address, now)
    if channel == "email":
        addr.subject = addr.subject or str(payload.get("subject") or "")[:300]
        email_threading.remember_inbound(session, brand.id, conv.id, payload, now)
    row.conversation_id = conv.id
    words = Wording(conv.language, brand.timezone, brand.currency)

    def settle(reply: Reply | None, **extra: Any) -> None:
        stored = record_exchange(
            session, conv, text=text or None, reply=reply, channel=channel, now=now
        )
        if reply is not None and stored is not None:
            send_reply(
                session,
                settings=settings,
                brand=brand,
                conv=conv,
                address=addr,
                blocks=reply.blocks,
                words=words,
                key=f"reply:{stored.id}",
                inbound=payload,
                now=now,
                **extra,
            )

    if channel in PHONE_CHANNELS:
        opted_out = is_opted_out(session, brand.id, channel, address)
        keyword = keyword_of(
            text, channel=channel, opt_out_type=payload.get("opt_out_type"), opted_out=opted_out
        )
        if keyword is not None:
            reply = answer_keyword(
                session,
                brand=brand,
                channel=channel,
                address=address,
                keyword=keyword,
                twilio_answered=bool(payload.get("opt_out_type")),
                settings=settings,
                words=words,
                now=now,
            )
            settle(reply, bypass_opt_out=True)
            return
        if opted_out:
            row.status, row.last_error = "ignored", "the sender opted out (STOP): no reply"
            settle(None)
            return
    if payload.get("auto_reply"):
        row.status, row.last_error = "ignored", "an automatic reply: not answered"
        settle(None)
        return
    if not may_answer(session, brand.id, address):
        row.status, row.last_error = "ignored", "test mode: only test addresses are answered"
        settle(None)
        return
    if not text:
        key = "mail.empty" if channel == "email" else "sms.media_only"
        settle(
            Reply(Intent.OTHER, Skill.FALLBACK, Outcome.NOT_READABLE, [blocks.text(words.t(key))])
        )
        return
    foreign = unsupported_language(text, brand.languages)
    if foreign is not None:
        settle(_unsupported_language_reply(session, conv, words, brand))
        return

    state = DialogueState.from_json(conv.state)
    live = state.live_actions if state.live_actions is not None else state.offered_actions
    action = _option_action(addr.options, live, text)
    stored = take_turn_unless_team(
        session,
        agent,
        conv,
        text=None if action else text,
        action=action,
        client_key=client_key,
        now=now,
        base_url=settings.base_url,
        reading=None if action else reading,
        channel=channel,
    )
    if stored is None:  # the team has the conversation: they answer, not the agent
        return
    notes = [blocks.text(words.t(k)) for k in payload.get("notes", [])]
    if notes:
        stored.message.blocks = [*notes, *stored.message.blocks]
    send_reply(
        session,
        settings=settings,
        brand=brand,
        conv=conv,
        address=addr,
        blocks=[*notes, *stored.blocks],  # as the shopper gets them: links that sign in
        words=Wording(conv.language, brand.timezone, brand.currency),
        key=f"reply:{stored.message.id}",
        inbound=payload,
        now=now,
    )


def _unsupported_language_reply(
    session: Session, conv: models.Conversation, words: Wording, brand: models.Brand
) -> Reply:
    """Say which languages the agent writes, and offer a person (they may read it)."""
    names = ", ".join(native_name(code) for code in brand.languages)
    state = DialogueState.from_json(conv.state)
    state.offered_actions = [YES, NO] + [a for a in state.offered_actions if a not in (YES, NO)]
    conv.state = state.to_json()
    return Reply(
        Intent.OTHER,
        Skill.FALLBACK,
        Outcome.UNSUPPORTED_LANGUAGE,
        [
            blocks.text(words.t("sms.unsupported_language", languages=names)),
            *offer_for(session, brand, conv.id, words),
        ],
    )
