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

from sqlalchemy import Select, or_, select
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


def _listed(session: Session, query: Select[Any], fields: dict[str, str]) -> list[dict[str, Any]]:
    """Each row of `query` as {its name in the document: the row's attribute}."""
    return [
        {name: getattr(r, attr) for name, attr in fields.items()} for r in session.scalars(query)
    ]


def _codes(session: Session, held: Held) -> list[dict[str, Any]]:
    code = models.VerificationCode
    query = (
        select(code)
        .where(code.brand_id == held.brand.id, code.address.in_(held.addresses))
        .order_by(code.created_at)
    )
    fields = {
        "channel": "channel",
        "address": "address",
        "flow": "flow",
        "sent_at": "created_at",
        "used_at": "consumed_at",
    }
    return _listed(session, query, fields)


def _hub_sessions(session: Session, held: Held) -> list[dict[str, Any]]:
    if held.customer is None:
        return []
    hub = models.HubSession
    query = (
        select(hub)
        .where(hub.brand_id == held.brand.id, hub.customer_id == held.customer.id)
        .order_by(hub.created_at)
    )
    fields = {
        "via": "via",
        "started_at": "created_at",
        "last_seen_at": "last_seen_at",
        "ended_at": "ended_at",
    }
    return _listed(session, query, fields)


def _sent(session: Session, held: Held) -> list[dict[str, Any]]:
    out = models.OutboxMessage
    mine = or_(out.recipient.in_(held.addresses), out.conversation_id.in_(held.conversation_ids))
    query = select(out).where(out.brand_id == held.brand.id, mine).order_by(out.created_at)
    fields = {
        "kind": "kind",
        "to": "recipient",
        "subject": "subject",
        "body": "body",
        "status": "status",
        "queued_at": "created_at",
        "sent_at": "sent_at",
    }
    return _listed(session, query, fields)


def _received(session: Session, held: Held) -> list[dict[str, Any]]:
    came = models.InboundMessage
    query = (
        select(came)
        .where(came.brand_id == held.brand.id, came.address.in_(held.addresses))
        .order_by(came.received_at)
    )
    fields = {"channel": "channel", "from": "address", "received_at": "received_at"}
    return _listed(session, query, {**fields, "message": "payload"})


def _opt_outs(session: Session, held: Held) -> list[dict[str, Any]]:
    opt = models.ChannelOptOut
    query = select(opt).where(opt.brand_id == held.brand.id, opt.address.in_(held.addresses))
    return _listed(session, query, {"channel": "channel", "address": "address"})


def _order_changes(session: Session, held: Held, order_ids: list[int]) -> list[dict[str, Any]]:
    change = models.OrderHistory
    query = (
        select(change)
        .where(change.brand_id == held.brand.id, change.order_id.in_(order_ids))
        .order_by(change.created_at)
    )
    fields = {
        "order_id": "order_id",
        "action": "action",
        "by": "actor",
        "via": "via",
        "before": "before",
        "after": "after",
        "at": "created_at",
    }
    return _listed(session, query, fields)


def _returns(session: Session, held: Held) -> list[dict[str, Any]]:
    if held.customer is None:
        return []
    ret = models.ReturnRequest
    query = (
        select(ret)
        .where(ret.brand_id == held.brand.id, ret.customer_id == held.customer.id)
        .order_by(ret.id)
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
        for r in session.scalars(query)
    ]


def _tickets(session: Session, held: Held) -> list[dict[str, Any]]:
    """Conversations handed to the team: where to, their state and what the handoff carried."""
    ticket = models.HelpdeskTicket
    query = (
        select(ticket)
        .where(
            ticket.brand_id == held.brand.id,
            ticket.conversation_id.in_(held.conversation_ids),
        )
        .order_by(ticket.id)
    )
    fields = {
        "conversation": "conversation_id",
        "destination": "destination",
        "status": "status",
        "email": "shopper_email",
        "intent": "intent",
        "reason": "reason",
        "packet": "packet",
        "created_at": "created_at",
        "solved_at": "solved_at",
    }
    return _listed(session, query, fields)
