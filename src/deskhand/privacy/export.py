"""Everything Deskhand holds about one shopper, as one JSON-ready document (GDPR art. 15).

Customer and orders come through the Store port; conversations, codes, sessions, messages
sent and received, opt-outs and order changes from Deskhand's own tables. Secrets are never
part of it: codes, tokens and sessions appear by their times, never their hashes.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.privacy.held import Held, find_held

FORMAT = "deskhand.shopper-export.v1"


def export_shopper(
    session: Session, brand: models.Brand, raw_address: str, now: datetime
) -> dict[str, Any] | None:
    """The document for the shopper with this email or phone; None when it is neither."""
    held = find_held(session, brand, raw_address)
    if held is None:
        return None
    customer = held.customer
    orders = held.store.orders_of(customer.id) if customer else []
    doc: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": now,
        "brand": brand.slug,
        "addresses": sorted(held.addresses),
        "customer": asdict(customer) if customer else None,
        "orders": [asdict(order) for order in orders],
        "conversations": [_conversation(session, cid) for cid in held.conversation_ids],
        "verification_codes": _codes(session, held),
        "hub_sessions": _hub_sessions(session, held),
        "messages_sent": _sent(session, held),
        "messages_received": _received(session, held),
        "opt_outs": _opt_outs(session, held),
        "order_changes": _order_changes(session, held, [o.id for o in orders]),
        "returns": _returns(session, held),
        "helpdesk_tickets": _tickets(session, held),
    }
    jsonable: dict[str, Any] = json.loads(json.dumps(doc, default=_plain))
    return jsonable


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _conversation(session: Session, conversation_id: str) -> dict[str, Any]:
    conv = session.get(models.Conversation, conversation_id)
    assert conv is not None
    messages = session.scalars(
        select(models.Message)
        .where(models.Message.conversation_id == conversation_id)
        .order_by(models.Message.seq)
    )
    addresses = session.scalars(
        select(models.ConversationAddress).where(
            models.ConversationAddress.conversation_id == conversation_id
        )
    )
    return {
        "id": conv.id,
        "channel": conv.channel,
        "status": conv.status,
        "language": conv.language,
        "created_at": conv.created_at,
        "verified_at": conv.verified_at,
        "addresses": [{"channel": a.channel, "address": a.address} for a in addresses],
        "messages": [
            {
                "at": m.created_at,
                "role": m.role,
                "channel": m.channel,
                "text": m.text,
                "action": m.action,
                "blocks": m.blocks,
                "page": m.context,
            }
            for m in messages
        ],
    }


def _codes(session: Session, held: Held) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(models.VerificationCode)
        .where(
            models.VerificationCode.brand_id == held.brand.id,
            models.VerificationCode.address.in_(held.addresses),
        )
        .order_by(models.VerificationCode.created_at)
    )
    return [
        {
            "channel": r.channel,
            "address": r.address,
            "flow": r.flow,
            "sent_at": r.created_at,
            "used_at": r.consumed_at,
        }
        for r in rows
    ]


def _hub_sessions(session: Session, held: Held) -> list[dict[str, Any]]:
    if held.customer is None:
        return []
    rows = session.scalars(
        select(models.HubSession)
        .where(
            models.HubSession.brand_id == held.brand.id,
            models.HubSession.customer_id == held.customer.id,
        )
        .order_by(models.HubSession.created_at)
    )
    return [
        {
            "via": r.via,
            "started_at": r.created_at,
            "last_seen_at": r.last_seen_at,
            "ended_at": r.ended_at,
        }
        for r in rows
    ]


def _sent(session: Session, held: Held) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(models.OutboxMessage)
        .where(
            models.OutboxMessage.brand_id == held.brand.id,
            or_(
                models.OutboxMessage.recipient.in_(held.addresses),
                models.OutboxMessage.conversation_id.in_(held.conversation_ids),
            ),
        )
        .order_by(models.OutboxMessage.created_at)
    )
    return [
        {
            "kind": r.kind,
            "to": r.recipient,
            "subject": r.subject,
            "body": r.body,
            "status": r.status,
            "queued_at": r.created_at,
            "sent_at": r.sent_at,
        }
        for r in rows
    ]


def _received(session: Session, held: Held) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(models.InboundMessage)
        .where(
            models.InboundMessage.brand_id == held.brand.id,
            models.InboundMessage.address.in_(held.addresses),
        )
        .order_by(models.InboundMessage.received_at)
    )
    return [
        {
            "channel": r.channel,
            "from": r.address,
            "received_at": r.received_at,
            "message": r.payload,
        }
        for r in rows
    ]


def _opt_outs(session: Session, held: Held) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(models.ChannelOptOut).where(
            models.ChannelOptOut.brand_id == held.brand.id,
            models.ChannelOptOut.address.in_(held.addresses),
        )
    )
    return [{"channel": r.channel, "address": r.address} for r in rows]


def _order_changes(session: Session, held: Held, order_ids: list[int]) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(models.OrderHistory)
        .where(
            models.OrderHistory.brand_id == held.brand.id,
            models.OrderHistory.order_id.in_(order_ids),
        )
        .order_by(models.OrderHistory.created_at)
    )
    return [
        {
            "order_id": r.order_id,
            "action": r.action,
            "by": r.actor,
            "via": r.via,
            "before": r.before,
            "after": r.after,
            "at": r.created_at,
        }
        for r in rows
    ]


def _returns(session: Session, held: Held) -> list[dict[str, Any]]:
    if held.customer is None:
        return []
    rows = session.scalars(
        select(models.ReturnRequest)
        .where(
            models.ReturnRequest.brand_id == held.brand.id,
            models.ReturnRequest.customer_id == held.customer.id,
        )
        .order_by(models.ReturnRequest.id)
    )
    return [
        {
            "rma": r.rma,
            "order": r.order_number,
            "state": r.state,
            "resolution": r.resolution,
            "reason": r.reason,
            "comment": r.comment,
            "email": r.email,
            "refund_amount": r.refund_amount,
            "currency": r.currency,
            "created_at": r.created_at,
            "items": [{"title": line.title, "quantity": line.quantity} for line in r.lines],
            "history": [{"state": e.state, "at": e.created_at} for e in r.events],
        }
        for r in rows
    ]


def _tickets(session: Session, held: Held) -> list[dict[str, Any]]:
    """Conversations handed to the team: where to, their state and what the handoff carried."""
    rows = session.scalars(
        select(models.HelpdeskTicket)
        .where(
            models.HelpdeskTicket.brand_id == held.brand.id,
            models.HelpdeskTicket.conversation_id.in_(held.conversation_ids),
        )
        .order_by(models.HelpdeskTicket.id)
    )
    return [
        {
            "conversation": r.conversation_id,
            "destination": r.destination,
            "status": r.status,
            "email": r.shopper_email,
            "intent": r.intent,
            "reason": r.reason,
            "packet": r.packet,
            "created_at": r.created_at,
            "solved_at": r.solved_at,
        }
        for r in rows
    ]
