"""Agent Preview: a team member talks to the agent as a shopper would, optionally as a
chosen customer (verification skipped), and sees each reply's diagnostics.

The turn runs through the same pipeline as every channel. A preview conversation is marked
(`PreviewConversation`) so metrics leave it out; nothing it would send leaves the process
(its outbox rows are dropped before commit); Hub links lose their sign-in token, so a
preview never signs anyone in to a customer's Hub.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from deskhand.agent.conversations import start_conversation, take_turn
from deskhand.agent.engine import Agent, UnknownAction
from deskhand.agent.skills.availability import switched_off
from deskhand.agent.skills.registry import route_of
from deskhand.agent.state import DialogueState
from deskhand.agent.understand.reading import read_message
from deskhand.commerce.registry import store_for
from deskhand.console.deciding import deciding_rule
from deskhand.db import models
from deskhand.db.models import OutboxMessage, PreviewConversation
from deskhand.domain.policy import PolicyRules
from deskhand.verification.handoff import TOKEN_PARAM

PREVIEW_CLIENT = "preview"


class PreviewError(ValueError):
    """What the preview form asked for cannot be done; the message says why."""


def start_preview(
    db: Session, brand: models.Brand, member: models.TeamMember, as_email: str, now: datetime
) -> PreviewConversation:
    """A new preview conversation; with an address, as that customer, already verified."""
    customer = None
    if as_email.strip():
        customer = store_for(db, brand).customer_by_email(as_email)
        if customer is None:
            raise PreviewError("No customer of the store has that email address.")
    conv, _ = start_conversation(
        db,
        brand=brand,
        channel="webchat",
        language=brand.default_language,
        client_key=f"{PREVIEW_CLIENT}:{member.id}",
        now=now,
    )
    if customer is not None:
        conv.customer_id, conv.verified_at = customer.id, now
    row = PreviewConversation(
        conversation_id=conv.id,
        brand_id=brand.id,
        member_id=member.id,
        as_customer=customer.email if customer is not None else "",
        turns=[],
        created_at=now,
    )
    db.add(row)
    db.flush()
    return row


def preview_of(db: Session, brand_id: int, conversation_id: str) -> PreviewConversation | None:
    row = db.get(PreviewConversation, conversation_id[:36])
    return row if row is not None and row.brand_id == brand_id else None


def previews_of(db: Session, brand_id: int, member_id: int) -> list[PreviewConversation]:
    return list(
        db.scalars(
            select(PreviewConversation)
            .where(
                PreviewConversation.brand_id == brand_id,
                PreviewConversation.member_id == member_id,
            )
            .order_by(PreviewConversation.created_at.desc())
            .limit(10)
        )
    )


@contextmanager
def nothing_sent(db: Session) -> Iterator[None]:
    """Drop every outbox row this block adds (a code to a real customer, an email)."""
    held: list[OutboxMessage] = []

    def hold(session: Session, instance: object) -> None:
        if isinstance(instance, OutboxMessage):
            held.append(instance)

    event.listen(db, "transient_to_pending", hold)
    try:
        yield
    finally:
        event.remove(db, "transient_to_pending", hold)
    db.flush()
    for row in held:
        db.delete(row)
    db.flush()


def without_sign_in(url: str) -> str:
    """The link as the shopper would get it, minus the one-time Hub sign-in token."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != TOKEN_PARAM]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _safe_blocks(value: Any) -> Any:
    """Every URL in the reply's blocks, without a sign-in token."""
    if isinstance(value, dict):
        return {
            k: without_sign_in(v) if k == "url" and isinstance(v, str) else _safe_blocks(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_safe_blocks(v) for v in value]
    return value


def preview_turn(
    db: Session,
    agent: Agent,
    brand: models.Brand,
    preview: PreviewConversation,
    *,
    text: str | None,
    action: str | None,
    now: datetime,
    base_url: str,
) -> dict[str, Any]:
    """One shopper turn in the preview; returns (and keeps) the reply's diagnostics."""
    conv = db.get_one(models.Conversation, preview.conversation_id)
    reading = read_message(text) if text is not None else None
    try:
        with nothing_sent(db):
            stored = take_turn(
                db,
                agent,
                conv,
                text=text,
                action=action,
                client_key=f"{PREVIEW_CLIENT}:{preview.member_id}",
                now=now,
                base_url=base_url,
                reading=reading,
            )
    except UnknownAction as exc:
        raise PreviewError("That button is no longer offered.") from exc
    reply = stored.reply
    guess = reading.guess if reading is not None else None
    state = DialogueState.from_json(conv.state)
    order = None
    if conv.customer_id is not None and state.focus_order:
        order = store_for(db, brand).order_of(conv.customer_id, state.focus_order)
    off = route_of(reply.intent).skill in switched_off(db, brand.id)
    sources = [a["title"] for b in reply.blocks if b["type"] == "sources" for a in b["articles"]]
    turn = {
        "shopper": text if text is not None else f"[button] {action}",
        "blocks": _safe_blocks(reply.blocks),
        "language": conv.language,
        "intent": reply.intent.value,
        "classified": guess.intent.value if guess is not None else "",
        "confidence": round(guess.confidence, 2) if guess is not None else None,
        "skill": reply.skill.value,
        "outcome": reply.outcome.value,
        "sources": sources,
        "rule": deciding_rule(
            reply.skill,
            reply.intent,
            reply.outcome,
            PolicyRules.from_json(brand.policy),
            order,
            now,
            off,
        ),
    }
    preview.turns = [*preview.turns, turn]
    return turn
